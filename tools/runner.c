// SPDX-License-Identifier: GPL-2.0
/*
 * runner.c - boots one rig and runs its tests.
 *
 * One process, one poll loop: QEMU's console and the agent's control channel
 * arrive on two UNIX stream sockets QEMU connects to, the NIC's cable is a
 * UNIX datagram socket (wire.c), and signals and QEMU's exit come through a
 * signalfd.  Every wait has a deadline; whatever ends the run, QEMU is killed
 * and the temporary directory removed before run_rig returns.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/types.h>

#include "kv.h"
#include "meta.h"
#include "qemu.h"
#include "runner.h"
#include "util.h"
#include "tcp.h"
#include "wire.h"

#define WIRE_MAC	"02:6e:72:69:67:02"
#define SHUTDOWN_SECS	30
#define CONNECT_SECS	30

/* ---- environment --------------------------------------------------------- */

int env_load(struct env *e, char *err, size_t errlen)
{
	char exe[512], path[600];
	struct kv_file f;
	const struct kv_entry *v;
	ssize_t n;
	char *slash;

	memset(e, 0, sizeof(*e));
	/* build/bin/nicrig -> the checkout is two levels up. */
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0) {
		(void)fail(err, errlen, "cannot find my own path: %s", strerror(errno));
		return -1;
	}
	exe[n] = '\0';
	for (int up = 0; up < 3; up++) {
		slash = strrchr(exe, '/');
		if (slash)
			*slash = '\0';
	}
	snprintf(e->top, sizeof(e->top), "%s", getenv("NICRIG_TOP") ? getenv("NICRIG_TOP") : exe);
	snprintf(path, sizeof(path), "%s/build/config.mk", e->top);
	if (kv_load(&f, path, err, errlen)) {
		size_t l = strlen(err);

		snprintf(err + l, errlen - l, "; run ./configure first");
		return -1;
	}
#define GET(key, field)							\
	do {								\
		v = kv_find(&f, key);					\
		if (v)							\
			snprintf(e->field, sizeof(e->field), "%s", v->value); \
	} while (0)
	GET("CACHE_DIR", cache);
	GET("QEMU", qemu);
	GET("FIRMWARE_DIRS", firmware);
	GET("ACCEL", accel);
	GET("ACCEL_NOTE", accel_note);
#undef GET
	kv_free(&f);
	/* A QEMU build of one's own (e.g. a device model under development). */
	if (getenv("NICRIG_QEMU"))
		snprintf(e->qemu, sizeof(e->qemu), "%s", getenv("NICRIG_QEMU"));
	if (!e->cache[0] || !e->qemu[0] || !e->accel[0]) {
		(void)fail(err, errlen, "%s lacks CACHE_DIR, QEMU or ACCEL; re-run ./configure", path);
		return -1;
	}
	return 0;
}

void env_kernel_path(const struct env *e, const char *variant, char *out, size_t len)
{
	(void)fail(out, len, "%s/build/linux-%s/build/arch/x86/boot/bzImage", e->cache, variant);
}

void env_initramfs_path(const struct env *e, char *out, size_t len)
{
	(void)fail(out, len, "%s/build/guest/initramfs.cpio.gz", e->top);
}

/* ---- kernel log ---------------------------------------------------------- */

const char *kernel_log_problem(const char *line)
{
	static const char *const bad[] = {
		"Kernel panic", "BUG:", "WARNING:", "Oops", "KASAN", "UBSAN",
		"Call Trace", "general protection fault", "rcu_sched self-detected stall",
		"RCU detected stall", "kernel BUG at",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (strstr(line, bad[i]))
			return bad[i];
	return NULL;
}

/* ---- sockets ------------------------------------------------------------- */

static int listen_unix(const char *path, char *err, size_t errlen)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof(sun.sun_path)) {
		(void)fail(err, errlen, "socket path too long: %s", path);
		return -1;
	}
	strcpy(sun.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sun, sizeof(sun)) || listen(fd, 1)) {
		(void)fail(err, errlen, "listening on %s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

/* ---- the run ------------------------------------------------------------- */

enum phase { PH_BOOT, PH_TESTS, PH_SHUTDOWN, PH_OVER };

struct line_buf {
	char buf[8192];
	size_t len;
};

struct run {
	const struct env *env;
	const struct run_opts *o;
	struct run_result *res;
	const char *variant;
	char tmp[64];
	pid_t qemu;
	int qemu_status;
	bool qemu_exited;
	int sigfd, console_fd, ctl_fd;
	struct wire wire;
	FILE *ctl_log;
	struct line_buf console_lb, ctl_lb;
	char last_console[256];
	enum phase phase;
	double t0, deadline;
	double test_t0;		/* when the current test's clock started */
	unsigned int timeout_scale;	/* x20 while a debugger may hold the guest */
	int cur;		/* test index running, -1 none */
	bool agent_done;
	/* wire send state of the current test */
	bool sending, wire_connected;
	/* a transmit test: probes the guest sent, counted at the wire */
	bool tx_counting;	/* between txready and the rxcount reply */
	int tx_expect;		/* -1 until the agent says how many it sent */
	unsigned int tx_got;
	double tx_deadline;
	char tx_test[64];
	unsigned char tx_seen[NICRIG_MAX_SEQ / 8];
	unsigned int next_seq;
	double send_t0;		/* when the wire started sending this test's probes */
	double cpu_qemu0, cpu_wire0;	/* host CPU seconds when it started */
	struct probe_spec spec;
	bool wire_blocked;	/* the last send found QEMU's queue full: wait for POLLOUT */
	double console_due;	/* when to read the console file next */
	/* a TCP test: the wire's client connection to the guest's echo server */
	bool tcp_on;
	struct tcp_conn tcp;
	uint8_t tcp_frame[TCP_HDRS_MAX + 1500];	/* a segment waiting for that room */
	size_t tcp_frame_len;
};

static void fatal(struct run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void fatal(struct run *r, const char *fmt, ...)
{
	va_list ap;

	if (r->res->fatal[0])
		return;	/* the first cause is the one worth reporting */
	va_start(ap, fmt);
	vsnprintf(r->res->fatal, sizeof(r->res->fatal), fmt, ap);
	va_end(ap);
	r->phase = PH_OVER;
}

static void ctl_write(struct run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void ctl_write(struct run *r, const char *fmt, ...)
{
	char line[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line) - 1, fmt, ap);
	va_end(ap);
	line[n++] = '\n';
	if (r->ctl_log)
		fprintf(r->ctl_log, "> %.*s", n, line);
	if (write(r->ctl_fd, line, n) != n)
		fatal(r, "writing to the agent's control channel: %s", strerror(errno));
}

static void diag_add(struct test_result *t, const char *line)
{
	size_t l = strlen(line);
	char *n = realloc(t->diag, t->diag_len + l + 2);

	if (!n)
		return;
	t->diag = n;
	memcpy(t->diag + t->diag_len, line, l);
	t->diag_len += l;
	t->diag[t->diag_len++] = '\n';
	t->diag[t->diag_len] = '\0';
}

static struct test_result *find_test(struct run *r, const char *name)
{
	for (int i = 0; i < r->res->ntests; i++)
		if (!strcmp(r->res->tests[i].def.name, name))
			return &r->res->tests[i];
	return NULL;
}

/* The test the agent is working on: the current one until it ended. */
static int agent_test_index(const struct run *r)
{
	return r->cur < 0 || r->res->tests[r->cur].ended ? r->cur + 1 : r->cur;
}

static void start_next_test_clock(struct run *r)
{
	int next = r->cur + 1;

	r->test_t0 = now();
	if (next < r->res->ntests)
		r->deadline = now() + r->res->tests[next].def.timeout * r->timeout_scale;
	else
		r->deadline = now() + SHUTDOWN_SECS;
}

/*
 * A TCP test, once the guest closed its side (`tx`) and the wire's client is
 * done or has failed: the bytes that came back intact, in order and over a
 * clean close (0 if the connection failed), and the client's own account.
 */
static void tcp_verdict(struct run *r)
{
	struct test_result *t = find_test(r, r->tx_test);
	enum tcp_result res;
	char why[256], line[400];

	res = tcp_result(&r->tcp, why, sizeof(why));
	if (res == TCP_RUNNING)
		return;
	if (t) {
		snprintf(line, sizeof(line), "# wire TCP client: %s: %s", res == TCP_DONE ? "done" : "FAILED", why);
		diag_add(t, line);
		snprintf(line, sizeof(line),
			 "# wire TCP client: %llu bytes sent in %lu segments, %lu retransmitted; %lu segments in, %llu bytes verified, %lu bad IP and %lu bad TCP checksums, %lu out of order",
			 (unsigned long long)r->tcp.st.bytes_sent, r->tcp.st.segs_sent, r->tcp.st.retransmits,
			 r->tcp.st.segs_received, (unsigned long long)r->tcp.st.bytes_verified,
			 r->tcp.st.bad_ip_csum, r->tcp.st.bad_tcp_csum, r->tcp.st.out_of_order);
		diag_add(t, line);
	}
	ctl_write(r, "rxcount %s %llu", r->tx_test,
		  res == TCP_DONE ? (unsigned long long)r->tcp.st.bytes_verified : 0ULL);
	r->tx_counting = false;
	r->tx_expect = -1;
	r->tcp_on = false;
	r->tcp_frame_len = 0;
}

/* The agent transmitted tx_expect probes: report how many reached the wire. */
static void wire_tx_verdict(struct run *r)
{
	if (!r->tx_counting || r->tx_expect < 0)
		return;
	if (r->tcp_on) {
		tcp_verdict(r);
		return;
	}
	if (r->tx_got < (unsigned int)r->tx_expect && now() < r->tx_deadline)
		return;
	ctl_write(r, "rxcount %s %u", r->tx_test, r->tx_got);
	r->tx_counting = false;
	r->tx_expect = -1;
}

/*
 * Points the wire at QEMU's end, once the agent has said hello: QEMU has
 * certainly bound its socket by then (it connects its chardevs before its
 * netdevs, and the guest has booted).  From then on the wire answers the
 * guest's ARP and Neighbour Solicitations, even before the first test that
 * sends.
 */
static int wire_ensure_connected(struct run *r)
{
	char path[128], err[256];

	if (r->wire_connected)
		return 0;
	snprintf(path, sizeof(path), "%s/qemu.sock", r->tmp);
	if (wire_connect(&r->wire, path, err, sizeof(err))) {
		fatal(r, "%s", err);
		return -1;
	}
	r->wire_connected = true;
	return 0;
}

/* Counts the probes the wire gets from now on, once each. */
static void count_begin(struct run *r, struct test_result *t)
{
	memset(r->tx_seen, 0, sizeof(r->tx_seen));
	r->tx_got = 0;
	r->tx_expect = -1;
	t->started = true;
	r->tx_counting = true;
}

/* CPU seconds a process has run so far, all its threads (exited ones too); -1 if unknown. */
static double cpu_seconds(pid_t pid)
{
	struct timespec ts;
	clockid_t id = CLOCK_PROCESS_CPUTIME_ID;

	if ((pid && clock_getcpuclockid(pid, &id)) || clock_gettime(id, &ts))
		return -1;
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * make bench's tests (READERS=rate) also report what each probe cost the
 * host, from the first probe sent to the last: a figure that does not
 * depend on how the host scheduled QEMU's threads against each other.
 */
static void cpu_cost_report(struct run *r, struct test_result *t)
{
	double q, w;
	char line[256];

	if (!test_is_rate(&t->def) || r->cpu_qemu0 < 0 || !t->def.count)
		return;
	q = cpu_seconds(r->qemu);
	w = cpu_seconds(0);
	if (q < 0 || w < 0)
		return;
	snprintf(line, sizeof(line),
		 "# host-cpu %s: %.2f us per probe in QEMU (all threads), %.2f us in the runner's wire",
		 t->def.name, (q - r->cpu_qemu0) * 1e6 / t->def.count,
		 (w - r->cpu_wire0) * 1e6 / t->def.count);
	diag_add(t, line);
}

/* Starts sending the test's probes (wire_pump does the sending). */
static void send_begin(struct run *r, struct test_result *t)
{
	r->spec.tpl = t->def.frames;
	r->spec.size = t->def.size;
	r->spec.test_id = r->cur + 1;
	r->sending = true;
	r->next_seq = 0;
	r->send_t0 = now();
	r->cpu_qemu0 = r->cpu_wire0 = -1;
	if (test_is_rate(&t->def)) {
		r->cpu_qemu0 = cpu_seconds(r->qemu);
		r->cpu_wire0 = cpu_seconds(0);
	}
	t->started = true;
}

/*
 * Connects the wire's TCP client to the guest's echo server on port: COUNT
 * segments of SIZE-byte frames.  The sequence numbers start just below 2^32,
 * so both ends wrap early in the stream.
 */
static int tcp_begin(struct run *r, struct test_result *t, uint16_t port)
{
	struct tcp_params p = { .src_ip = NICRIG_WIRE_IP, .dst_ip = NICRIG_GUEST_IP,
				.sport = 40000 + (r->cur & 0x3ff), .isn = 0xfffff000u,
				.seed = r->cur + 1 };

	if (t->def.size < 60 + 54 || t->def.size > 1514) {
		fatal(r, "test %s: a TCP echo test needs a SIZE of 114..1514 (got %u)",
		      t->def.name, t->def.size);
		return -1;
	}
	count_begin(r, t);
	memcpy(p.src_mac, r->spec.src_mac, 6);
	memcpy(p.dst_mac, r->spec.dst_mac, 6);
	p.dport = port;
	p.mss = t->def.size - 54;
	p.total = (size_t)t->def.count * p.mss;
	p.timeout = t->def.timeout * r->timeout_scale;
	tcp_init(&r->tcp, &p, now());
	r->tcp_on = true;
	r->tcp_frame_len = 0;
	ctl_write(r, "sent %s %zu", t->def.name, p.total);
	return 0;
}

/*
 * Sends what the TCP client has to send now.  A segment QEMU's socket has no
 * room for waits for POLLOUT (the wire itself loses nothing).
 */
static void tcp_pump(struct run *r)
{
	while (r->tcp_on) {
		int err;

		if (!r->tcp_frame_len)
			r->tcp_frame_len = tcp_output(&r->tcp, now(), r->tcp_frame, sizeof(r->tcp_frame));
		if (!r->tcp_frame_len)
			return;
		err = wire_send(&r->wire, r->tcp_frame, r->tcp_frame_len);
		if (err == -EAGAIN) {
			r->wire_blocked = true;
			return;
		}
		if (err) {
			fatal(r, "sending a TCP segment to QEMU: %s", strerror(-err));
			return;
		}
		r->tcp_frame_len = 0;
	}
}

/*
 * The number that ends the agent's `word` line about test t: lo..hi, or the
 * run fails naming the line.
 */
static int agent_number(struct run *r, const struct test_result *t, const char *word,
			const char *s, unsigned long lo, unsigned long hi, unsigned long *v)
{
	if (!parse_ulong(s, lo, hi, v))
		return 0;
	fatal(r, "test %s: the agent's '%s' line needs a number in %lu..%lu, got '%.40s'",
	      t->def.name, word, lo, hi, s);
	return -1;
}

/* One line from the agent. */
static void on_control_line(struct run *r, char *line)
{
	char word[32] = "", name[64] = "", rest[256] = "";
	struct test_result *t;
	unsigned long num;
	int off = 0;

	if (r->ctl_log)
		fprintf(r->ctl_log, "< %s\n", line);
	if (line[0] == '#') {
		int i = agent_test_index(r);

		if (i < r->res->ntests)
			diag_add(&r->res->tests[i], line);
		return;
	}
	sscanf(line, "%31s %63s %n", word, name, &off);
	if (off)
		snprintf(rest, sizeof(rest), "%s", line + off);

	if (!strcmp(word, "hello")) {
		r->res->boot_seconds = now() - r->t0;
		if (wire_ensure_connected(r))
			return;
		r->phase = PH_TESTS;
		r->cur = -1;
		start_next_test_clock(r);
		return;
	}
	if (!strcmp(word, "done")) {
		r->agent_done = true;
		r->phase = PH_SHUTDOWN;
		r->deadline = now() + SHUTDOWN_SECS;
		return;
	}
	if (!strcmp(word, "error")) {
		fatal(r, "guest agent: %s%s%s", name, rest[0] ? " " : "", rest);
		return;
	}

	t = find_test(r, name);
	if (!t) {
		fatal(r, "agent spoke of a test that was not asked for: '%.100s'", line);
		return;
	}
	r->cur = t - r->res->tests;

	if (!strcmp(word, "txready")) {
		/* The guest is about to transmit: count from zero. */
		count_begin(r, t);
		ctl_write(r, "txgo %s", t->def.name);
	} else if (!strcmp(word, "tx")) {
		/* rest: the number of probes (TCP: bytes) the guest transmitted */
		if (agent_number(r, t, word, rest, 0, INT_MAX, &num))
			return;
		r->tx_expect = num;
		snprintf(r->tx_test, sizeof(r->tx_test), "%s", t->def.name);
		r->tx_deadline = now() + 5;
		wire_tx_verdict(r);
	} else if (!strcmp(word, "ready")) {
		send_begin(r, t);
	} else if (!strcmp(word, "tcpready")) {
		/* rest: the port of the guest's echo server */
		if (agent_number(r, t, word, rest, 1, 65535, &num) || tcp_begin(r, t, num))
			return;
	} else if (!strcmp(word, "echoready")) {
		/* Probes go out and, turned around by the guest, come back. */
		count_begin(r, t);
		send_begin(r, t);
	} else if (!strcmp(word, "reader")) {
		/* rest: reader, verdict, reason; the reader's name compared whole, never cut */
		size_t rlen = strcspn(rest, " \t");
		const char *after = rest + rlen;
		char verdict[16] = "";
		int roff = 0;

		sscanf(after, " %15s %n", verdict, &roff);
		for (int i = 0; i < t->nreaders; i++) {
			struct reader_result *rr = &t->readers[i];

			if (strlen(rr->name) != rlen || strncmp(rr->name, rest, rlen))
				continue;
			rr->observed = !strcmp(verdict, "pass") ? OUT_PASS : OUT_FAIL;
			snprintf(rr->detail, sizeof(rr->detail), "%s", roff ? after + roff : "");
			return;
		}
		diag_add(t, "# agent reported a reader this test does not define:");
		diag_add(t, line);
	} else if (!strcmp(word, "end")) {
		char status[16] = "";
		int soff = 0;

		sscanf(rest, "%15s %n", status, &soff);
		if (!strcmp(status, "error")) {
			/*
			 * The test could not run its check (e.g. a zero-copy bind the
			 * driver refuses): every reader observed a failure, for that
			 * reason, and the matrix decides whether that is expected.
			 */
			snprintf(t->error, sizeof(t->error), "%s", soff ? rest + soff : "error");
			for (int i = 0; i < t->nreaders; i++) {
				if (t->readers[i].observed != OUT_NONE)
					continue;
				t->readers[i].observed = OUT_ERROR;
				snprintf(t->readers[i].detail, sizeof(t->readers[i].detail),
					 "test could not run: %s", t->error);
			}
		}
		t->seconds = now() - r->test_t0;	/* setup, frames and check */
		t->ended = true;
		r->sending = false;
		r->tcp_on = false;
		r->tcp_frame_len = 0;
		start_next_test_clock(r);
	} else {
		fatal(r, "unexpected line from the agent: '%.100s'", line);
	}
}

static void on_console_line(struct run *r, const char *line)
{
	const char *what = kernel_log_problem(line);

	snprintf(r->last_console, sizeof(r->last_console), "%s", line);
	if (!what)
		return;
	if (!r->res->kernel_problems++)
		snprintf(r->res->kernel_problem, sizeof(r->res->kernel_problem), "%s", line);
	if (!strcmp(what, "Kernel panic"))
		fatal(r, "guest kernel panicked: %s", line);
}

/*
 * Reads what is there and hands complete lines to fn.  Returns -1 on EOF of
 * a socket or on an error, 0 if nothing was there (a file at its end), else
 * 1.
 */
static int read_lines(struct run *r, int fd, struct line_buf *lb, bool file,
		      void (*fn)(struct run *, char *))
{
	ssize_t n = read(fd, lb->buf + lb->len, sizeof(lb->buf) - lb->len - 1);
	char *start, *nl;

	if (n == 0 && file)
		return 0;
	if (n <= 0)
		return n == 0 || (errno != EAGAIN && errno != EINTR) ? -1 : 0;
	lb->len += n;
	lb->buf[lb->len] = '\0';
	start = lb->buf;
	while ((nl = memchr(start, '\n', lb->buf + lb->len - start))) {
		*nl = '\0';
		if (nl > start && nl[-1] == '\r')
			nl[-1] = '\0';
		fn(r, start);
		start = nl + 1;
	}
	lb->len -= start - lb->buf;
	memmove(lb->buf, start, lb->len);
	if (lb->len == sizeof(lb->buf) - 1) {	/* no newline in 8 KiB: flush it */
		lb->buf[lb->len] = '\0';
		fn(r, lb->buf);
		lb->len = 0;
	}
	return 1;
}

static void console_cb(struct run *r, char *line)
{
	on_console_line(r, line);
}

static void control_cb(struct run *r, char *line)
{
	on_control_line(r, line);
}

/*
 * Reads what the guest sent: answers ARP and Neighbour Solicitations for the
 * wire's addresses, hands the TCP client its segments, and counts the current
 * test's probes once each.
 */
static void wire_drain(struct run *r)
{
	static uint8_t frame[65536];
	int n;

	while ((n = wire_recv_frame(&r->wire, frame, sizeof(frame))) > 0) {
		uint8_t reply[128];
		size_t rlen = wire_arp_reply(frame, n, r->spec.src_mac, NICRIG_WIRE_IP, reply, sizeof(reply));
		int seq;

		if (!rlen)
			rlen = wire_ns_reply(frame, n, r->spec.src_mac, nicrig_wire_ip6, reply,
					     sizeof(reply));
		if (rlen) {
			(void)wire_send(&r->wire, reply, rlen);	/* if lost, the guest asks again */
			continue;
		}
		if (r->tcp_on && tcp_input(&r->tcp, frame, n, now()))
			continue;
		if (!r->tx_counting)
			continue;
		seq = probe_check(frame, n);
		if (seq < 0)
			continue;
		if (r->tx_seen[seq >> 3] & (1 << (seq & 7)))
			continue;
		r->tx_seen[seq >> 3] |= 1 << (seq & 7);
		r->tx_got++;
	}
}

/* Sends as many probes as the peer accepts; `sent` once all are out. */
static void wire_pump(struct run *r)
{
	struct test_result *t = &r->res->tests[r->cur];
	uint8_t frame[2048];

	while (r->sending && r->next_seq < t->def.count) {
		size_t len;
		int err;

		/* A paced test sends probe n no earlier than n / RATE s after the first. */
		if (t->def.rate && r->next_seq > (now() - r->send_t0) * t->def.rate)
			return;
		r->spec.size = test_probe_size(&t->def, r->next_seq);
		len = probe_build(&r->spec, r->next_seq, frame, sizeof(frame));
		if (!len) {
			fatal(r, "cannot build a %s probe of %u bytes", template_names[r->spec.tpl],
			      r->spec.size);
			return;
		}
		err = wire_send(&r->wire, frame, len);
		if (err == -EAGAIN) {
			r->wire_blocked = true;
			return;
		}
		if (err) {
			fatal(r, "sending probe %u to QEMU: %s", r->next_seq, strerror(-err));
			return;
		}
		r->next_seq++;
	}
	if (r->sending) {
		r->sending = false;
		cpu_cost_report(r, t);
		ctl_write(r, "sent %s %u", t->def.name, t->def.count);
	}
}

static void on_deadline(struct run *r)
{
	switch (r->phase) {
	case PH_BOOT:
		fatal(r, "guest did not boot: no hello from the agent within %u s (last console line: '%.120s')",
		      r->o->rig->boot_timeout, r->last_console);
		break;
	case PH_TESTS: {
		int i = agent_test_index(r);
		const struct test_result *t = i < r->res->ntests ? &r->res->tests[i] : NULL;

		if (!t)
			fatal(r, "guest hung: agent did not say done after its last test");
		else
			fatal(r, "test %s timed out after %u s (%s; sent %u of %u probes; last console line: '%.120s')",
			      t->def.name, t->def.timeout,
			      t->started ? "no 'end' from the agent" : "the agent never said ready",
			      t->started ? r->next_seq : 0, t->def.count, r->last_console);
		break;
	}
	case PH_SHUTDOWN:
		if (!r->agent_done)
			fatal(r, "guest did not finish");
		else
			fatal(r, "guest did not power off within %d s after its tests", SHUTDOWN_SECS);
		break;
	case PH_OVER:
		break;
	}
}

static void on_signal(struct run *r)
{
	struct signalfd_siginfo si;

	while (read(r->sigfd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo == SIGCHLD) {
			int st;

			if (r->qemu > 0 && waitpid(r->qemu, &st, WNOHANG) == r->qemu) {
				r->qemu_exited = true;
				r->qemu_status = st;
			}
		} else {
			fatal(r, "interrupted by signal %d (%s)", si.ssi_signo, strsignal(si.ssi_signo));
		}
	}
}

static void qemu_log_tail(struct run *r, char *out, size_t len)
{
	char path[600], buf[4096];
	FILE *f;
	size_t n;

	out[0] = '\0';
	snprintf(path, sizeof(path), "%s/qemu.log", r->res->out_dir);
	f = fopen(path, "r");
	if (!f)
		return;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	while (n && buf[n - 1] == '\n')
		buf[--n] = '\0';
	snprintf(out, len, "%s", strrchr(buf, '\n') ? strrchr(buf, '\n') + 1 : buf);
	if (!strncmp(out, "nicrig: ", 8))
		out[0] = '\0';		/* our own note before exec, not QEMU's last word */
}

static void on_qemu_exit(struct run *r)
{
	char tail[300];

	if (r->phase == PH_SHUTDOWN && r->agent_done) {
		r->phase = PH_OVER;
		return;
	}
	qemu_log_tail(r, tail, sizeof(tail));
	if (WIFSIGNALED(r->qemu_status))
		fatal(r, "QEMU was killed by signal %d before the tests finished%s%s",
		      WTERMSIG(r->qemu_status), tail[0] ? ": " : "", tail);
	else
		fatal(r, "QEMU exited with status %d before the tests finished%s%s",
		      WEXITSTATUS(r->qemu_status), tail[0] ? ": " : "",
		      tail[0] ? tail : "(the guest powered off or rebooted; see console.log)");
}

/* Everything QEMU has written to the console file so far. */
static void console_read(struct run *r)
{
	int rc;

	while (r->console_fd >= 0 &&
	       (rc = read_lines(r, r->console_fd, &r->console_lb, true, console_cb)) != 0) {
		if (rc < 0) {
			close(r->console_fd);
			r->console_fd = -1;
		}
	}
}

/* All of the console, a last line without its newline too: QEMU is gone or the run ends. */
static void console_flush(struct run *r)
{
	console_read(r);
	if (r->console_lb.len) {
		r->console_lb.buf[r->console_lb.len] = '\0';
		on_console_line(r, r->console_lb.buf);
		r->console_lb.len = 0;
	}
}

static void poll_loop(struct run *r)
{
	while (r->phase != PH_OVER) {
		/* p[1], the console, is a file: read every 50 ms, not polled. */
		struct pollfd p[4] = {
			{ .fd = r->sigfd, .events = POLLIN },
			{ .fd = -1 },
			{ .fd = r->ctl_fd, .events = POLLIN },
			{ .fd = r->wire.fd, .events = POLLIN | (r->wire_blocked ? POLLOUT : 0) },
		};
		double t = now(), left = r->deadline - t;
		int n;

		if (t >= r->console_due) {
			console_read(r);
			r->console_due = t + 0.05;
		}
		if (r->qemu_exited) {
			console_flush(r);
			on_qemu_exit(r);
			break;
		}
		if (left <= 0) {
			console_flush(r);	/* the message quotes the last console line */
			on_deadline(r);
			break;
		}
		/* A paced send wakes up every millisecond; otherwise wait for an event. */
		if (r->sending && r->cur >= 0 && r->res->tests[r->cur].def.rate && !r->wire_blocked)
			left = 0.001;
		if (r->tcp_on && !r->wire_blocked) {
			double tcp_left = tcp_next_timer(&r->tcp) - t;

			if (tcp_left < left)
				left = tcp_left;
		}
		if (left > r->console_due - t)
			left = r->console_due - t;
		n = poll(p, 4, left <= 0 ? 0 : (int)(left * 1000 + 0.999));
		if (n < 0 && errno != EINTR) {
			fatal(r, "poll: %s", strerror(errno));
			break;
		}
		if (p[0].revents)
			on_signal(r);
		if (p[2].revents && read_lines(r, r->ctl_fd, &r->ctl_lb, false, control_cb) < 0) {
			close(r->ctl_fd);
			r->ctl_fd = -1;
			if (r->phase != PH_SHUTDOWN && r->phase != PH_OVER)
				r->deadline = now() + 5;	/* QEMU is going away */
		}
		if (p[3].revents & POLLOUT)
			r->wire_blocked = false;
		if (p[3].revents & POLLIN)
			wire_drain(r);
		/* A full queue at QEMU: nothing can go out until POLLOUT says so. */
		if (r->sending && r->cur >= 0 && !r->wire_blocked)
			wire_pump(r);
		if (!r->wire_blocked)
			tcp_pump(r);
		wire_tx_verdict(r);
	}
}

static int accept_timeout(int lfd, pid_t qemu, const char *what, char *err, size_t errlen)
{
	double end = now() + CONNECT_SECS;

	while (now() < end) {
		struct pollfd p = { .fd = lfd, .events = POLLIN };
		int st;

		if (poll(&p, 1, 200) > 0)
			return accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
		if (waitpid(qemu, &st, WNOHANG) == qemu) {
			(void)fail(err, errlen, "QEMU exited with status %d before connecting its %s; see qemu.log",
			     WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st), what);
			return -1;
		}
	}
	(void)fail(err, errlen, "QEMU did not connect its %s within %d s", what, CONNECT_SECS);
	return -1;
}

static void kill_qemu(struct run *r)
{
	int st;

	if (r->qemu <= 0 || r->qemu_exited)
		return;
	kill(r->qemu, SIGTERM);
	for (int i = 0; i < 50; i++) {
		if (waitpid(r->qemu, &st, WNOHANG) == r->qemu) {
			r->qemu_exited = true;
			return;
		}
		usleep(100 * 1000);
	}
	kill(r->qemu, SIGKILL);
	waitpid(r->qemu, &st, 0);
	r->qemu_exited = true;
}

static void remove_tmp(struct run *r)
{
	static const char *const files[] = { "control.sock", "qemu.sock", "wire.sock" };
	char path[128];

	if (!r->tmp[0])
		return;
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", r->tmp, files[i]);
		unlink(path);
	}
	rmdir(r->tmp);
	r->tmp[0] = '\0';
}

static int mkdir_p(const char *path)
{
	char tmp[512];

	snprintf(tmp, sizeof(tmp), "%s", path);
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, 0755) && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return mkdir(tmp, 0755) && errno != EEXIST ? -1 : 0;
}

static FILE *open_out(struct run *r, const char *name)
{
	char path[600];

	snprintf(path, sizeof(path), "%s/%s", r->res->out_dir, name);
	return fopen(path, "w");
}

/* Matches observed reader outcomes against the matrix. */
static void judge(struct run *r)
{
	for (int i = 0; i < r->res->ntests; i++) {
		struct test_result *t = &r->res->tests[i];

		t->ok = true;
		for (int j = 0; j < t->nreaders; j++) {
			struct reader_result *rr = &t->readers[j];

			rr->expect = expect_lookup(&r->res->matrix, t->def.name,
						   nic_names[r->o->rig->nic], r->variant, rr->name);
			if (rr->observed == OUT_NONE) {
				t->ok = false;
				if (!rr->detail[0])
					snprintf(rr->detail, sizeof(rr->detail), "no result: %s",
						 t->error[0] ? t->error :
						 r->res->fatal[0] ? r->res->fatal : "the agent never reported it");
			} else if (!rr->expect || rr->expect->outcome != rr->observed) {
				t->ok = false;
			}
		}
		if (t->ok)
			r->res->passed++;
		else
			r->res->failed++;
	}
	/* The kernel log check is a result of its own. */
	if (r->res->kernel_problems || r->res->fatal[0])
		r->res->failed++;
	else
		r->res->passed++;
}

/*
 * A kernel of one's own is held to --expect VARIANT's rows: a name the
 * variants file does not define (a typo) would silently get the catch-all
 * (`*`) rows of tests/expectations instead.
 */
int expect_variant_check(const struct env *env, const char *variant, char *err, size_t errlen)
{
	char path[600], line[512], name[64];
	bool known = false;
	FILE *f;

	snprintf(path, sizeof(path), "%s/kernel-patches/variants", env->top);
	f = fopen(path, "r");
	if (!f)
		return fail(err, errlen, "%s: %s", path, strerror(errno));
	while (!known && fgets(line, sizeof(line), f))
		known = line[0] != '#' && sscanf(line, "%63s", name) == 1 && !strcmp(name, variant);
	fclose(f);
	if (!known)
		return fail(err, errlen, "--expect %s: not a variant of %s (e.g. baseline, core-only, series)",
			    variant, path);
	return 0;
}

static int setup_tests(struct run *r, char *err, size_t errlen)
{
	const struct run_opts *o = r->o;
	char path[600];

	snprintf(path, sizeof(path), "%s/tests/expectations", r->env->top);
	if (expect_load(&r->res->matrix, path, err, errlen))
		return -1;
	if (o->kernel_image && expect_variant_check(r->env, r->variant, err, errlen))
		return -1;
	r->res->ntests = o->ntests;
	for (int i = 0; i < o->ntests; i++) {
		struct test_result *t = &r->res->tests[i];
		char list[sizeof(t->def.readers)], *save;

		if (test_def_load(&t->def, r->env->top, o->tests[i], err, errlen))
			return -1;
		snprintf(list, sizeof(list), "%s", t->def.readers);
		/* test_def_load allows MAX_READERS, of READER_NAME_MAX characters at most */
		for (char *s = strtok_r(list, ",", &save); s && t->nreaders < MAX_READERS;
		     s = strtok_r(NULL, ",", &save)) {
			struct reader_result *rr = &t->readers[t->nreaders++];

			snprintf(rr->name, sizeof(rr->name), "%s", s);
			rr->observed = OUT_NONE;
			if (!expect_lookup(&r->res->matrix, t->def.name, nic_names[o->rig->nic],
					   r->variant, s)) {
				(void)fail(err, errlen, "%s has no expectation for test %s, nic %s, kernel %s, reader %s; add a line",
				     path, t->def.name, nic_names[o->rig->nic], r->variant, s);
				return -1;
			}
		}
	}
	return 0;
}

static void make_append(struct run *r, char *out, size_t len)
{
	char tests[512] = "";

	for (int i = 0; i < r->res->ntests; i++)
		snprintf(tests + strlen(tests), sizeof(tests) - strlen(tests), "%s%s",
			 i ? "," : "", r->res->tests[i].def.name);
	/* no_timer_check: a slow TCG vCPU on a busy host fails the IO-APIC timer check. */
	(void)fail(out, len, "console=ttyS0,115200 panic=-1 oops=panic loglevel=7 no_timer_check "
	     "nicrig.tests=%s nicrig.nic=%s nicrig.ifname=eth0 nicrig.ctl=/dev/ttyS1 "
	     "nicrig.queues=%u nicrig.salt=%u nicrig.verbose=%d%s%s",
	     tests, nic_names[r->o->rig->nic], r->o->rig->queues, r->o->salt, r->o->verbose,
	     r->o->repro ? " nicrig.repro=1" : "",
	     /* gdb wants symbols where vmlinux says they are */
	     r->o->gdb_port ? " nokaslr" : "");
}

static pid_t spawn_qemu(struct run *r, struct argv *a, const sigset_t *oldmask,
			char *err, size_t errlen)
{
	char path[600];
	int logfd;
	pid_t pid;

	snprintf(path, sizeof(path), "%s/qemu.log", r->res->out_dir);
	logfd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (logfd < 0) {
		(void)fail(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	pid = fork();
	if (pid == 0) {
		int devnull = open("/dev/null", O_RDONLY);

		/* Own process group: a terminal's Ctrl-C reaches the runner, which stops QEMU. */
		setpgid(0, 0);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		sigprocmask(SIG_SETMASK, oldmask, NULL);
		dup2(devnull, 0);
		dup2(logfd, 1);
		dup2(logfd, 2);
		if (!r->o->gdb_port)
			deepen_wire_queue();
		execv(a->v[0], a->v);
		dprintf(2, "exec %s: %s\n", a->v[0], strerror(errno));
		_exit(127);
	}
	close(logfd);
	if (pid < 0)
		(void)fail(err, errlen, "fork: %s", strerror(errno));
	return pid;
}

int run_rig(const struct env *env, const struct run_opts *o, struct run_result *res)
{
	struct run r = { .env = env, .o = o, .res = res, .qemu = -1, .sigfd = -1,
			 .console_fd = -1, .ctl_fd = -1, .cur = -1, .wire = { .fd = -1 },
			 .tx_expect = -1 };
	char err[1024] = "", kernel[600], initrd[600], append[1024], path[700], console[700];
	int lctl = -1, n;
	struct argv a = { 0 };
	sigset_t mask, oldmask;
	double t_start = now();

	if (parse_mac(GUEST_MAC, r.spec.dst_mac) || parse_mac(WIRE_MAC, r.spec.src_mac))
		abort();	/* constants */

	memset(res, 0, sizeof(*res));
	r.variant = o->variant ? o->variant : o->rig->kernel;
	r.timeout_scale = o->gdb_port ? 20 : 1;
	if (setup_tests(&r, err, sizeof(err)))
		goto setup_failed;

	if (o->kernel_image)
		snprintf(kernel, sizeof(kernel), "%s", o->kernel_image);
	else
		env_kernel_path(env, r.variant, kernel, sizeof(kernel));
	env_initramfs_path(env, initrd, sizeof(initrd));
	if (!o->dry_run && access(kernel, R_OK)) {
		if (o->kernel_image)
			(void)fail(err, sizeof(err), "kernel image %s: %s", kernel, strerror(errno));
		else
			(void)fail(err, sizeof(err), "no kernel for variant '%s' (%s); build it with 'make kernel VARIANT=%s'",
				   r.variant, kernel, r.variant);
		goto setup_failed;
	}
	if (!o->dry_run && access(initrd, R_OK)) {
		(void)fail(err, sizeof(err), "no guest image (%s); build it with 'make guest'", initrd);
		goto setup_failed;
	}
	snprintf(r.tmp, sizeof(r.tmp), "/tmp/nicrig.XXXXXX");
	if (!mkdtemp(r.tmp)) {
		(void)fail(err, sizeof(err), "mkdtemp: %s", strerror(errno));
		r.tmp[0] = '\0';
		goto setup_failed;
	}
	if (o->out_dir) {
		snprintf(res->out_dir, sizeof(res->out_dir), "%s", o->out_dir);
	} else {
		char stamp[32];
		time_t t = time(NULL);

		strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", localtime(&t));
		snprintf(res->out_dir, sizeof(res->out_dir), "%s/results/%s-%s-%s%s", env->top,
			 stamp, o->rig->name, o->kernel_image ? "image-as-" : "", r.variant);
	}
	make_append(&r, append, sizeof(append));
	snprintf(console, sizeof(console), "%s/console.log", res->out_dir);
	qemu_argv(&a, env, o->rig, kernel, initrd, r.tmp, append, console);
	if (o->repro || o->trace) {
		/* The device model's trace events, through QEMU's log backend. */
		arg(&a, "-trace");
		if (o->trace) {
			char pats[TRACE_PATTERNS_MAX + 1], *save;

			snprintf(pats, sizeof(pats), "%s", o->trace);
			for (char *p = strtok_r(pats, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
				if (p != pats)
					arg(&a, "-trace");
				arg(&a, "enable=%s", p);
			}
		} else {
			arg(&a, "enable=%s_*", nic_device(o->rig));
		}
		arg(&a, "-D");
		arg(&a, "%s/device-trace.log", res->out_dir);
	}
	if (o->gdb_port) {
		arg(&a, "-gdb");
		arg(&a, "tcp:127.0.0.1:%u", o->gdb_port);
	}
	if (o->dry_run) {
		argv_print(stdout, &a);
		argv_free(&a);
		remove_tmp(&r);
		res->out_dir[0] = '\0';	/* nothing was written */
		return 0;
	}

	if (mkdir_p(res->out_dir)) {
		(void)fail(err, sizeof(err), "creating results directory %s: %s", res->out_dir, strerror(errno));
		goto setup_failed;
	}
	/* QEMU writes the console into this file; the runner reads along. */
	n = open(console, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);	/* no old run's lines */
	if (n >= 0)
		close(n);
	r.console_fd = open(console, O_RDONLY | O_CLOEXEC);
	if (r.console_fd < 0) {
		(void)fail(err, sizeof(err), "creating %s: %s", console, strerror(errno));
		goto setup_failed;
	}
	r.ctl_log = open_out(&r, "control.log");
	{
		FILE *f = open_out(&r, "qemu-cmdline.txt");

		if (f) {
			argv_print(f, &a);
			fclose(f);
		}
	}

	snprintf(path, sizeof(path), "%s/control.sock", r.tmp);
	lctl = listen_unix(path, err, sizeof(err));
	if (lctl < 0)
		goto setup_failed;
	snprintf(path, sizeof(path), "%s/wire.sock", r.tmp);
	{
		char pcap[600];

		snprintf(pcap, sizeof(pcap), "%s/wire.pcap", res->out_dir);
		if (wire_open(&r.wire, path, pcap, err, sizeof(err)))
			goto setup_failed;
	}

	sigemptyset(&mask);
	sigaddset(&mask, SIGCHLD);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGHUP);
	sigprocmask(SIG_BLOCK, &mask, &oldmask);
	r.sigfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);

	r.t0 = now();
	r.qemu = spawn_qemu(&r, &a, &oldmask, err, sizeof(err));
	if (r.qemu < 0)
		goto run_failed;
	r.ctl_fd = accept_timeout(lctl, r.qemu, "control channel", err, sizeof(err));
	if (r.ctl_fd < 0) {
		r.qemu_exited = strstr(err, "exited") != NULL;
		goto run_failed;
	}
	fcntl(r.ctl_fd, F_SETFL, O_NONBLOCK);

	r.phase = PH_BOOT;
	r.deadline = r.t0 + o->rig->boot_timeout * r.timeout_scale;
	poll_loop(&r);
	goto finish;

run_failed:
	fatal(&r, "%s", err);
finish:
	kill_qemu(&r);
	console_flush(&r);	/* whatever the guest said last still counts */
	sigprocmask(SIG_SETMASK, &oldmask, NULL);
	goto cleanup;

setup_failed:
	/* Nothing ran: report as an error of the run, with no results dir if none was made. */
	fatal(&r, "%s", err);
cleanup:
	if (r.sigfd >= 0)
		close(r.sigfd);
	if (r.console_fd >= 0)
		close(r.console_fd);
	if (r.ctl_fd >= 0)
		close(r.ctl_fd);
	if (lctl >= 0)
		close(lctl);
	if (r.wire.fd >= 0)
		wire_close(&r.wire);
	if (r.ctl_log)
		fclose(r.ctl_log);
	remove_tmp(&r);
	argv_free(&a);

	res->wall_seconds = now() - t_start;
	judge(&r);
	if (res->out_dir[0]) {
		FILE *f = open_out(&r, "results.ktap");

		if (f) {
			report_ktap(f, o, res);
			fclose(f);
		}
		snprintf(path, sizeof(path), "%s/junit.xml", res->out_dir);
		report_junit(path, o, res);
		snprintf(path, sizeof(path), "%s/cells.tsv", res->out_dir);
		report_cells(path, o, res);
	}
	return res->failed ? 1 : 0;
}

void run_result_free(struct run_result *res)
{
	for (int i = 0; i < res->ntests; i++)
		free(res->tests[i].diag);
	expect_free(&res->matrix);
}

int boot_rig(const struct env *env, const struct rig *rig, const char *variant,
	     const char *kernel_image, bool dry_run)
{
	char kernel[600], initrd[600], append[256], tmp[64] = "/tmp/nicrig.XXXXXX";
	struct argv a = { 0 };
	int st = 0;
	pid_t pid;

	if (kernel_image)
		snprintf(kernel, sizeof(kernel), "%s", kernel_image);
	else
		env_kernel_path(env, variant, kernel, sizeof(kernel));
	env_initramfs_path(env, initrd, sizeof(initrd));
	snprintf(append, sizeof(append), "console=ttyS0,115200 panic=-1 no_timer_check nicrig.nic=%s nicrig.ifname=eth0",
		 nic_names[rig->nic]);
	if (!mkdtemp(tmp)) {
		fprintf(stderr, "Error: mkdtemp: %s\n", strerror(errno));
		return 1;
	}
	qemu_argv(&a, env, rig, kernel, initrd, tmp, append, NULL);
	if (dry_run) {
		argv_print(stdout, &a);
		goto out;
	}
	if (access(kernel, R_OK) || access(initrd, R_OK)) {
		fprintf(stderr, "Error: %s or %s missing; build with 'make kernel VARIANT=%s guest'\n",
			kernel, initrd, variant);
		st = 1 << 8;
		goto out;
	}
	fprintf(stderr, "nicrig: booting rig %s (kernel %s, %s); Ctrl-A X quits QEMU\n"
		"nicrig: the NIC's cable: build/bin/nicrig-wire --socket %s/wire.sock --peer %s/qemu.sock --count 8\n",
		rig->name, kernel_image ? kernel_image : variant, env->accel, tmp, tmp);
	pid = fork();
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		execv(a.v[0], a.v);
		fprintf(stderr, "Error: exec %s: %s\n", a.v[0], strerror(errno));
		_exit(127);
	}
	/* QEMU owns the terminal (Ctrl-C goes to the guest); wait for it. */
	signal(SIGINT, SIG_IGN);
	if (pid > 0)
		waitpid(pid, &st, 0);
out:
	{
		char path[128];

		snprintf(path, sizeof(path), "%s/qemu.sock", tmp);
		unlink(path);
		snprintf(path, sizeof(path), "%s/wire.sock", tmp);
		unlink(path);
		rmdir(tmp);
	}
	argv_free(&a);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
}
