// SPDX-License-Identifier: GPL-2.0
/*
 * agent.c - nicrig's guest test agent: runs the tests named on the kernel
 * command line and reports over the control channel (see agent.h).
 *
 * Kernel command line keys (all set by the host runner):
 *   nicrig.tests=a,b,c   tests to run, in order
 *   nicrig.nic=igb       rig NIC model
 *   nicrig.ifname=eth0   interface the wire is attached to
 *   nicrig.ctl=/dev/ttyS1 control channel device
 *   nicrig.queues=N      combined channels to configure on the NIC (ethtool -L)
 *   nicrig.break_check=N nonzero: make the metadata check expect a wrong pattern
 *                        (the fault tests: leave a probe out of the account)
 *   nicrig.verbose=1     show libbpf's messages on the console
 *   nicrig.repro=1       dump programs and maps to the console after each test
 */
#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/ethtool.h>
#include <linux/net_tstamp.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/reboot.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <arpa/inet.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include "agent.h"
#include "meta.h"


static char cmdline[4096];

static const char *cmdline_get(const char *key, const char *def)
{
	static char val[16][512];
	static int slot;
	size_t klen = strlen(key);
	const char *p = cmdline;

	while ((p = strstr(p, key))) {
		if ((p == cmdline || p[-1] == ' ') && p[klen] == '=') {
			char *out = val[slot++ % 16];
			size_t n = strcspn(p + klen + 1, " \n");

			if (n >= sizeof(val[0]))
				n = sizeof(val[0]) - 1;
			memcpy(out, p + klen + 1, n);
			out[n] = '\0';
			return out;
		}
		p += klen;
	}
	return def;
}

void ctl_send(struct agent *a, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (n > (int)sizeof(buf) - 2)
		n = sizeof(buf) - 2;
	buf[n++] = '\n';
	for (int off = 0; off < n;) {
		ssize_t w = write(a->ctl_fd, buf + off, n - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			fprintf(stderr, "nicrig-agent: control channel write: %s\n", strerror(errno));
			return;
		}
		off += w;
	}
	tcdrain(a->ctl_fd);
}

long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* Reads one line from the control channel, or returns -1 at the deadline. */
static int ctl_read_line(struct agent *a, char *line, size_t size, long long deadline)
{
	static char buf[1024];
	static size_t len;

	for (;;) {
		char *nl = memchr(buf, '\n', len);
		struct pollfd pfd = { .fd = a->ctl_fd, .events = POLLIN };
		long long left;
		ssize_t r;

		if (nl) {
			size_t n = nl - buf;

			if (n >= size)
				n = size - 1;
			memcpy(line, buf, n);
			line[n] = '\0';
			if (n && line[n - 1] == '\r')
				line[n - 1] = '\0';
			len -= nl + 1 - buf;
			memmove(buf, nl + 1, len);
			return 0;
		}
		if (len == sizeof(buf))
			len = 0;	/* an overlong line is noise: drop it */
		left = deadline - now_ms();
		if (left <= 0)
			return -1;
		if (poll(&pfd, 1, left > 1000 ? 1000 : (int)left) <= 0)
			continue;
		r = read(a->ctl_fd, buf + len, sizeof(buf) - len);
		if (r > 0)
			len += r;
	}
}

long ctl_wait_word(struct agent *a, const char *word, const char *test, unsigned int timeout_ms)
{
	long long deadline = now_ms() + timeout_ms;
	char line[512], w[64], name[128];
	long count = 0;

	while (ctl_read_line(a, line, sizeof(line), deadline) == 0) {
		int n = sscanf(line, "%63s %127s %ld", w, name, &count);

		if (n >= 2 && !strcmp(w, word) && !strcmp(name, test))
			return n == 3 ? count : 0;
		if (n >= 2 && !strcmp(w, "abort") && !strcmp(name, test)) {
			ctl_send(a, "# runner aborted %s", test);
			return -1;
		}
		if (line[0])
			ctl_send(a, "# ignoring unexpected control line: %.200s", line);
	}
	return -2;
}

int ctl_wait_line(struct agent *a, const char *const *words, const char *test, char *arg,
		  size_t len, unsigned int timeout_ms)
{
	long long deadline = now_ms() + timeout_ms;
	char line[512], w[64], name[128];

	while (ctl_read_line(a, line, sizeof(line), deadline) == 0) {
		int off = 0;

		if (sscanf(line, "%63s %127s %n", w, name, &off) < 2 || strcmp(name, test)) {
			if (line[0])
				ctl_send(a, "# ignoring unexpected control line: %.200s", line);
			continue;
		}
		if (!strcmp(w, "abort")) {
			ctl_send(a, "# runner aborted %s", test);
			return -1;
		}
		for (int i = 0; words[i]; i++) {
			if (strcmp(w, words[i]))
				continue;
			snprintf(arg, len, "%s", off ? line + off : "");
			return i;
		}
		ctl_send(a, "# ignoring unexpected control line: %.200s", line);
	}
	return -2;
}

long ctl_wait_sent_ms(struct agent *a, const char *test, unsigned int timeout_ms)
{
	return ctl_wait_word(a, "sent", test, timeout_ms);
}

long ctl_wait_sent(struct agent *a, const char *test)
{
	long n = ctl_wait_sent_ms(a, test, a->sent_timeout_ms);

	if (n == -2) {
		ctl_send(a, "# no 'sent %s' from the runner within %u ms", test, a->sent_timeout_ms);
		return -1;
	}
	return n;
}

/* A probe payload as the wire builds it: header, then nicrig_probe_fill() (meta.h). */
bool probe_payload_intact(const uint8_t *p, size_t len)
{
	const struct nicrig_probe *h = (const void *)p;
	uint32_t seq;

	if (len < sizeof(*h) || ntohl(h->magic) != NICRIG_PROBE_MAGIC)
		return false;
	seq = ntohl(h->seq);
	for (size_t i = sizeof(*h); i < len; i++)
		if (p[i] != nicrig_probe_fill(seq, i))
			return false;
	return true;
}

long drain_until_sent(struct agent *a, const char *test, unsigned long (*count)(void *ctx),
		      void *ctx, unsigned int step_ms, unsigned int idle_ms)
{
	long long start = now_ms(), idle_since = 0;
	unsigned long n, last = 0;
	long sent = -2;

	for (;; last = n) {
		n = count(ctx);
		if (sent == -2) {
			sent = ctl_wait_sent_ms(a, test, step_ms);
			if (sent == -1)
				return -1;
			if (sent == -2 && now_ms() - start >= a->sent_timeout_ms) {
				ctl_send(a, "# no 'sent %s' from the runner within %u ms", test,
					 a->sent_timeout_ms);
				return -2;
			}
			idle_since = now_ms();	/* idle counts from when `sent` came */
		} else if (n >= (unsigned long)sent || (n == last && now_ms() - idle_since >= idle_ms)) {
			return sent;
		} else if (n != last) {
			idle_since = now_ms();
		} else {
			usleep(step_ms * 1000);
		}
	}
}

int run_cmd(const char *fmt, ...)
{
	char cmd[512];
	va_list ap;
	int rc;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	printf("nicrig-agent: $ %s\n", cmd);
	fflush(stdout);
	rc = system(cmd);
	if (rc != 0)
		printf("nicrig-agent: '%s' exited with status %d\n", cmd, rc);
	return rc == 0 ? 0 : -1;
}

int run_cmd_lines(struct agent *a, const char *cmd,
		  void (*fn)(struct agent *a, char *line, void *ctx), void *ctx)
{
	char line[512];
	FILE *p;

	printf("nicrig-agent: $ %s\n", cmd);
	fflush(stdout);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	while (fgets(line, sizeof(line), p)) {
		line[strcspn(line, "\n")] = '\0';
		fn(a, line, ctx);
	}
	return pclose(p);
}

int link_wait_carrier(const char *ifname, unsigned int timeout_ms)
{
	long long deadline = now_ms() + timeout_ms;
	char path[128], c = '0';

	snprintf(path, sizeof(path), "/sys/class/net/%s/carrier", ifname);
	do {
		int fd = open(path, O_RDONLY);

		if (fd >= 0) {
			if (read(fd, &c, 1) != 1)
				c = '0';
			close(fd);
		}
		if (c == '1')
			return 0;
		usleep(50 * 1000);
	} while (now_ms() < deadline);
	return -1;
}

void repro_dump(struct agent *a, const char *test, const char *const *maps)
{
	if (!a->repro)
		return;
	printf("nicrig-agent: ---- repro: BPF state after %s ----\n", test);
	run_cmd(BPFTOOL " prog show");
	run_cmd(BPFTOOL " net show");
	for (; *maps; maps++)
		run_cmd(BPFTOOL " map dump name %s", *maps);
	printf("nicrig-agent: ---- end of repro dump ----\n");
}

void percpu_map_fold(const struct bpf_map *map, void (*fold)(void *acc, const void *value),
		     void *acc)
{
	int ncpu = libbpf_num_possible_cpus();
	size_t stride = (bpf_map__value_size(map) + 7) & ~(size_t)7;	/* the kernel's per-CPU slot */
	uint64_t per[ncpu > 0 ? ncpu * stride / 8 : 1];
	uint32_t key = 0;

	if (ncpu <= 0 || bpf_map__lookup_elem(map, &key, sizeof(key), per, sizeof(per), 0))
		return;
	for (int c = 0; c < ncpu; c++)
		fold(acc, (const char *)per + c * stride);
}

/* libbpf's print callback has no context: nicrig.verbose=1 lets its debug lines through. */
static bool agent_verbose;

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_DEBUG && !agent_verbose)
		return 0;
	return vfprintf(stdout, fmt, ap);
}

static int open_ctl(const char *path)
{
	struct termios tio;
	int fd = open(path, O_RDWR | O_NOCTTY);

	if (fd < 0)
		return -1;
	if (tcgetattr(fd, &tio) == 0) {
		cfmakeraw(&tio);
		cfsetspeed(&tio, B115200);
		tcsetattr(fd, TCSANOW, &tio);
	}
	return fd;
}

/* An interface ioctl whose ifreq carries a pointer (SIOCETHTOOL, SIOCSHWTSTAMP) */
static int netdev_ioctl(const char *ifname, unsigned long req, void *data)
{
	struct ifreq ifr = { .ifr_data = data };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), rc, saved;

	if (fd < 0)
		return -1;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	rc = ioctl(fd, req, &ifr);
	saved = errno;
	close(fd);
	errno = saved;
	return rc ? -1 : 0;
}

int ethtool_ioctl(const char *ifname, void *cmd)
{
	return netdev_ioctl(ifname, SIOCETHTOOL, cmd);
}

int if_mac(const char *ifname, uint8_t mac[6])
{
	char path[64];
	FILE *f;
	int n;

	snprintf(path, sizeof(path), "/sys/class/net/%s/address", ifname);
	f = fopen(path, "r");
	if (!f)
		return -1;
	n = fscanf(f, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx", &mac[0], &mac[1], &mac[2], &mac[3], &mac[4],
		   &mac[5]);
	fclose(f);
	return n == 6 ? 0 : -1;
}

/* ---- hardware timestamps and the NIC's PTP clock (see agent.h) ---- */

int hw_timestamping(const char *ifname, bool tx, bool rx)
{
	struct hwtstamp_config cfg = {
		.tx_type = tx ? HWTSTAMP_TX_ON : HWTSTAMP_TX_OFF,
		.rx_filter = rx ? HWTSTAMP_FILTER_ALL : HWTSTAMP_FILTER_NONE,
	};

	return netdev_ioctl(ifname, SIOCSHWTSTAMP, &cfg);
}

int open_phc(const char *ifname)
{
	char path[64 + sizeof(((struct dirent *)0)->d_name)];
	struct dirent *e;
	DIR *d;
	int fd = -1;

	snprintf(path, sizeof(path), "/sys/class/net/%s/device/ptp", ifname);
	d = opendir(path);
	if (!d)
		return -1;
	while ((e = readdir(d))) {
		if (!strncmp(e->d_name, "ptp", 3)) {
			snprintf(path, sizeof(path), "/dev/%s", e->d_name);
			fd = open(path, O_RDWR | O_CLOEXEC);	/* clock_settime needs write */
			break;
		}
	}
	closedir(d);
	return fd;
}

long long phc_ns(int fd)
{
	struct timespec ts;

	if (fd < 0 || clock_gettime((~(clockid_t)fd << 3) | 3, &ts))
		return -1;
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* ethtool -L IF combined N, but a no-op (not an error) when N is already set. */
int set_channels(struct agent *a, unsigned int n)
{
	struct ethtool_channels ch = { .cmd = ETHTOOL_GCHANNELS };

	if (ethtool_ioctl(a->ifname, &ch)) {
		ctl_send(a, "# ETHTOOL_GCHANNELS on %s: %s", a->ifname, strerror(errno));
		return -1;
	}
	if (ch.combined_count == n)
		return 0;
	if (n > ch.max_combined) {
		ctl_send(a, "# %s supports at most %u combined channels, rig asks for %u",
			 a->ifname, ch.max_combined, n);
		return -1;
	}
	ch.cmd = ETHTOOL_SCHANNELS;
	ch.combined_count = n;
	if (ethtool_ioctl(a->ifname, &ch)) {
		ctl_send(a, "# ETHTOOL_SCHANNELS %u on %s: %s", n, a->ifname, strerror(errno));
		return -1;
	}
	return 0;
}

static const struct test_case *find_test(const char *name)
{
	for (const struct test_case *t = agent_tests; t->name; t++)
		if (!strcmp(t->name, name))
			return t;
	return NULL;
}

int main(int argc, char **argv)
{
	struct agent a = { .sent_timeout_ms = 120000 };
	const char *ctl, *list, *queues;
	struct utsname uts;
	char names[1024];
	int fd, no_poweroff = argc > 1 && !strcmp(argv[1], "--no-poweroff");

	setvbuf(stdout, NULL, _IOLBF, 0);
	fd = open("/proc/cmdline", O_RDONLY);
	if (fd >= 0) {
		ssize_t n = read(fd, cmdline, sizeof(cmdline) - 1);

		cmdline[n > 0 ? n : 0] = '\0';
		close(fd);
	}
	ctl = cmdline_get("nicrig.ctl", "/dev/ttyS1");
	a.nic = cmdline_get("nicrig.nic", "igb");
	a.ifname = cmdline_get("nicrig.ifname", "eth0");
	a.break_check = strtoul(cmdline_get("nicrig.break_check", "0"), NULL, 0);
	a.verbose = agent_verbose = !strcmp(cmdline_get("nicrig.verbose", "0"), "1");
	a.repro = !strcmp(cmdline_get("nicrig.repro", "0"), "1");
	list = cmdline_get("nicrig.tests", "");
	libbpf_set_print(libbpf_print);

	a.ctl_fd = open_ctl(ctl);
	if (a.ctl_fd < 0) {
		fprintf(stderr, "nicrig-agent: cannot open control channel %s: %s\n", ctl, strerror(errno));
		return 1;
	}
	uname(&uts);
	ctl_send(&a, "hello %s", uts.release);

	queues = cmdline_get("nicrig.queues", "");
	a.queues = strtoul(queues, NULL, 0);
	if (queues[0] && set_channels(&a, strtoul(queues, NULL, 0))) {
		ctl_send(&a, "error could not set %s to %s combined channels", a.ifname, queues);
	} else if (run_cmd(IP " link set dev %s up", a.ifname) ||
		   link_wait_carrier(a.ifname, 20000)) {
		ctl_send(&a, "# %s has no carrier after 20 s", a.ifname);
		ctl_send(&a, "error link %s has no carrier", a.ifname);
	} else if (!strncmp(a.nic, "veth", 4) &&
		   (run_cmd(IP " link set dev %s promisc on", a.ifname) ||
		    run_cmd(ETHTOOL " -K %s rxvlan off", a.ifname))) {
		/*
		 * The veth rig's NIC only carries frames into the veth pair: it must
		 * hand over every frame as it came off the wire, tags included
		 * (promiscuous mode also turns off the NIC's VLAN filter).
		 */
		ctl_send(&a, "error could not make carrier %s promiscuous with VLAN stripping off", a.ifname);
	} else {
		snprintf(names, sizeof(names), "%s", list);
		for (char *save, *t = strtok_r(names, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
			const struct test_case *tc = find_test(t);

			if (!tc) {
				ctl_send(&a, "end %s error the guest agent has no test named '%s'", t, t);
				continue;
			}
			printf("nicrig-agent: running %s\n", t);
			tc->run(&a, t, tc->arg);
		}
	}
	/*
	 * Closing an AF_XDP socket leaves its UMEM pool to a workqueue
	 * (xp_release_deferred), which calls back into the driver.  Powering
	 * off first races that work against the driver's shutdown: on igc it
	 * then finds no queues and WARNs in xp_disable_drv_zc.  Give pending
	 * releases time to run while the device is still up (the runner keeps
	 * reading the console until "done", so a warning they print counts).
	 */
	usleep(200 * 1000);
	ctl_send(&a, "done");
	sync();
	if (no_poweroff)
		return 0;
	reboot(RB_POWER_OFF);
	return 0;
}
