// SPDX-License-Identifier: GPL-2.0
/*
 * fake_qemu.c - stands in for qemu-system-x86_64 so the runner's handling of
 * good and bad guests can be tested in seconds: it parses the same command
 * line, writes the console file, connects the control socket, speaks the agent protocol
 * (or misbehaves, per MODE) and counts the probe frames the wire sends.
 *
 * MODE: pass | fail-readers | setup-error | warn | panic | hang-boot | hang-test | exit | garbage
 *       | bad-tx (a `tx` count that is not a number) | bad-tcpready (a port out of range)
 *       | reflect (a WIRE=reflect test: sends 600 numbered frames of 60..1514 bytes
 *         and checks that the cable returns each unchanged, in order)
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static int connect_unix(const char *path, int type)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, type, 0);

	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
	if (type == SOCK_DGRAM) {
		unlink(path);
		return bind(fd, (struct sockaddr *)&sun, sizeof(sun)) ? -1 : fd;
	}
	return connect(fd, (struct sockaddr *)&sun, sizeof(sun)) ? -1 : fd;
}

static void say(int fd, const char *s)
{
	if (write(fd, s, strlen(s)) < 0)
		exit(3);
}

static int read_line(int fd, char *buf, size_t size, int timeout_ms)
{
	size_t n = 0;

	while (n < size - 1) {
		struct pollfd p = { .fd = fd, .events = POLLIN };

		if (poll(&p, 1, timeout_ms) <= 0 || read(fd, buf + n, 1) != 1)
			return -1;
		if (buf[n] == '\n')
			break;
		n++;
	}
	buf[n] = '\0';
	return 0;
}

static const char *opt_value(const char *arg, const char *key, char *out, size_t len)
{
	const char *p = strstr(arg, key);

	if (!p)
		return NULL;
	p += strlen(key);
	snprintf(out, len, "%.*s", (int)strcspn(p, ","), p);
	return out;
}

#define REFLECT_FRAMES	600

/* Frame n of the reflect mode: its number in the first 4 bytes, then a pattern. */
static size_t reflect_frame(unsigned int n, unsigned char *f)
{
	size_t len = 60 + (n * 37) % (1514 - 60 + 1);

	for (size_t i = 0; i < len; i++)
		f[i] = i < 4 ? n >> (8 * (3 - i)) : (unsigned char)(n + i);
	return len;
}

/*
 * The guest side of a loopback cable: after `run` lines and `reflecting`,
 * sends REFLECT_FRAMES frames and reads what comes back, never blocking on
 * either, until all came back or nothing came for a second.  The reader
 * `loop` passes if every frame came back once, intact, in order.
 */
static int fake_reflect(int ctl, int wire, const char *t)
{
	unsigned int sent = 0, got = 0, intact = 0, next = 0, runs = 0;
	char line[256], word[32], name[64], msg[512];
	unsigned char frame[2048], want[2048];
	int idle_ms = 0;

	for (;;) {
		if (read_line(ctl, line, sizeof(line), 5000) || sscanf(line, "%31s %63s", word, name) != 2)
			return -1;
		if (!strcmp(word, "reflecting"))
			break;
		runs += !strcmp(word, "run");
	}
	while (got < REFLECT_FRAMES && idle_ms < 1000) {
		struct pollfd p = { .fd = wire, .events = POLLIN | (sent < REFLECT_FRAMES ? POLLOUT : 0) };
		ssize_t n;

		if (poll(&p, 1, 10) <= 0) {
			idle_ms += 10;
			continue;
		}
		if ((p.revents & POLLOUT) && sent < REFLECT_FRAMES) {
			size_t len = reflect_frame(sent, frame);

			if (send(wire, frame, len, MSG_DONTWAIT) == (ssize_t)len)
				sent++;
		}
		if (!(p.revents & POLLIN))
			continue;
		n = recv(wire, frame, sizeof(frame), MSG_DONTWAIT);
		if (n < 4)
			continue;
		idle_ms = 0;
		got++;
		{
			unsigned int num = (unsigned int)frame[0] << 24 | frame[1] << 16 | frame[2] << 8 | frame[3];
			size_t len = reflect_frame(num, want);

			if (num >= next && (size_t)n == len && !memcmp(frame, want, len))
				intact++;
			next = num + 1;
		}
	}
	snprintf(msg, sizeof(msg), "# fake guest: %u run lines, sent %u, got back %u, %u intact and in order\n"
		 "reader %s loop %s %u of %u back\nend %s pass\n", runs, sent, got, intact, t,
		 intact == REFLECT_FRAMES ? "pass" : "fail", intact, sent, t);
	say(ctl, msg);
	return 0;
}

int fake_qemu_main(int argc, char **argv)
{
	char console[256] = "", control[256] = "", local[256] = "", remote[256] = "", tests[256] = "", line[256];
	const char *mode = argc > 1 ? argv[1] : "pass";
	int con, ctl, wire;

	for (int i = 2; i + 1 < argc; i++) {
		const char *a = argv[i + 1];

		if (!strcmp(argv[i], "-chardev") && strstr(a, "id=console"))
			opt_value(a, "path=", console, sizeof(console));
		else if (!strcmp(argv[i], "-chardev") && strstr(a, "id=control"))
			opt_value(a, "path=", control, sizeof(control));
		else if (!strcmp(argv[i], "-netdev") && opt_value(a, "local.path=", local, sizeof(local)))
			opt_value(a, "remote.path=", remote, sizeof(remote));
		else if (!strcmp(argv[i], "-append"))
			opt_value(strstr(a, "nicrig.tests=") ? strstr(a, "nicrig.tests=") : "", "nicrig.tests=",
				  tests, sizeof(tests));
	}
	if (getenv("FAKE_QEMU_PIDFILE")) {
		FILE *f = fopen(getenv("FAKE_QEMU_PIDFILE"), "w");

		if (f) {
			fprintf(f, "%d\n", getpid());
			fclose(f);
		}
	}
	if (!strcmp(mode, "exit")) {
		fprintf(stderr, "qemu-system-x86_64: -kernel: could not load kernel (fake)\n");
		return 1;
	}
	/* -chardev file: QEMU creates and truncates it */
	con = open(console, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ctl = connect_unix(control, SOCK_STREAM);
	wire = connect_unix(local, SOCK_DGRAM);
	if (con < 0 || ctl < 0 || wire < 0) {
		fprintf(stderr, "fake qemu: cannot connect: %s\n", strerror(errno));
		return 1;
	}
	tests[strcspn(tests, " ")] = '\0';
	say(con, "Linux version 7.3.4-fake (nicrig unit test)\r\n");
	if (!strcmp(mode, "hang-boot"))
		for (;;)
			pause();
	if (!strcmp(mode, "panic")) {
		say(con, "Kernel panic - not syncing: Attempted to kill init! (fake)\n");
		return 0;	/* -no-reboot: QEMU exits after the panic reboot */
	}
	say(ctl, "hello 7.3.4-fake\n");
	if (!strcmp(mode, "garbage")) {
		say(ctl, "\x01\x02 this is not the protocol\n");
		for (;;)
			pause();
	}
	if (!strcmp(mode, "warn"))
		say(con, "WARNING: CPU: 0 PID: 1 at net/core/fake.c:1 fake_warn+0x0/0x10\n");

	for (char *save, *t = strtok_r(tests, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		char word[32], name[64], msg[512];
		long want = -1;
		int got = 0;

		if (!strcmp(mode, "bad-tx")) {
			snprintf(msg, sizeof(msg), "txready %s eth0\n", t);
			say(ctl, msg);
			if (read_line(ctl, line, sizeof(line), 5000))	/* txgo */
				return 5;
			snprintf(msg, sizeof(msg), "tx %s 5x\n", t);
			say(ctl, msg);
			for (;;)
				pause();
		}
		if (!strcmp(mode, "bad-tcpready")) {
			snprintf(msg, sizeof(msg), "tcpready %s 70000\n", t);
			say(ctl, msg);
			for (;;)
				pause();
		}
		snprintf(msg, sizeof(msg), "ready %s eth0\n", t);
		say(ctl, msg);
		if (!strcmp(mode, "reflect")) {
			struct sockaddr_un sun = { .sun_family = AF_UNIX };

			/* as QEMU's dgram netdev: frames go to remote.path */
			snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", remote);
			if (connect(wire, (struct sockaddr *)&sun, sizeof(sun)) || fake_reflect(ctl, wire, t))
				return 6;
			continue;
		}
		if (!strcmp(mode, "hang-test"))
			for (;;)
				pause();
		/* A printk storm: lines without end, faster than anyone reads them. */
		if (!strcmp(mode, "flood")) {
			static const char storm[] = "fake: irq 11: nobody cared (try booting with "
						    "the \"irqpoll\" option)\n";

			for (;;)
				if (write(con, storm, sizeof(storm) - 1) < 0)
					return 6;
		}
		if (!strcmp(mode, "setup-error")) {
			snprintf(msg, sizeof(msg), "# binding failed\nend %s error setup failed: bind: Operation not supported\n", t);
			say(ctl, msg);
			continue;
		}
		/* Count frames until the runner says how many it sent. */
		for (;;) {
			struct pollfd p[2] = { { .fd = wire, .events = POLLIN }, { .fd = ctl, .events = POLLIN } };
			char frame[2048];

			if (poll(p, 2, 10000) <= 0)
				return 4;
			if (p[0].revents && recv(wire, frame, sizeof(frame), 0) > 0)
				got++;
			/* QEMU itself dies in the middle of a test (a device model's crash). */
			if (got && !strcmp(mode, "die-test")) {
				fprintf(stderr, "fake qemu: hw/net/fake.c:1: fake_rx: Assertion failed\n");
				abort();
			}
			if (p[1].revents) {
				if (read_line(ctl, line, sizeof(line), 1000) ||
				    sscanf(line, "%31s %63s %ld", word, name, &want) != 3)
					return 5;
				break;
			}
		}
		while (got < want && recv(wire, line, sizeof(line), MSG_DONTWAIT) > 0)
			got++;
		snprintf(msg, sizeof(msg), "# fake guest counted %d of %ld frames\n", got, want);
		say(ctl, msg);
		for (int r = 0; r < 2; r++) {
			int pass = got == want && strcmp(mode, "fail-readers");

			snprintf(msg, sizeof(msg), "reader %s %s %s %s\n", t, r ? "dynptr" : "data_meta",
				 pass ? "pass" : "fail", pass ? "all intact" : "expected 5 intact, got 0");
			say(ctl, msg);
		}
		snprintf(msg, sizeof(msg), "end %s pass\n", t);
		say(ctl, msg);
	}
	say(ctl, "done\n");
	usleep(100 * 1000);
	return 0;
}
