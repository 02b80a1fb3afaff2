// SPDX-License-Identifier: GPL-2.0
/*
 * xskxceiver_tests.c - the kernel's AF_XDP suite (tools/testing/selftests/bpf
 * xskxceiver, built by scripts/build-selftests.sh) on the rig's NIC, in its
 * real-NIC mode: one interface for transmit and receive (`-i IF -i IF`, what
 * test_xsk.sh -i IF runs), with the wire reflecting every frame the NIC
 * sends back into it (WIRE=reflect: the loopback the suite needs).
 *
 * The runner names the readers to report (`run TEST READER`): MODE_SUBTEST,
 * MODE one of skb, drv, zc (xskxceiver -m), SUBTEST an upstream test name
 * as `xskxceiver -l` lists it.  Each reader is one xskxceiver -m MODE -t N
 * run, so one subtest that hangs or crashes costs only itself.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "agent.h"

/* Where guest-image/mkinitramfs.sh installs it. */
#define XSKXCEIVER	"/usr/lib/kselftest/bpf/xskxceiver"
#define MAX_SUITE	128	/* readers, and upstream tests in `-l` */
/* One subtest under TCG takes a few seconds; a hung one is killed after this. */
#define SUBTEST_TIMEOUT_S	60

struct suite_reader {
	char name[64];		/* MODE_SUBTEST */
	char mode[8];		/* skb, drv, zc; empty: none of those */
	char subtest[64];
	int number;		/* xskxceiver -t; -1 not in -l */
};

/* `xskxceiver -l`: "N: NAME" lines. */
struct suite_list {
	char names[MAX_SUITE][48];
	int n;
};

static void list_line(struct agent *a, char *line, void *ctx)
{
	struct suite_list *l = ctx;
	unsigned int num;
	char name[48];

	(void)a;
	printf("%s\n", line);
	if (sscanf(line, "%u: %47s", &num, name) == 2 && num == (unsigned int)l->n && l->n < MAX_SUITE)
		snprintf(l->names[l->n++], sizeof(l->names[0]), "%s", name);
}

/* What one xskxceiver -t N run printed: its KTAP result, and the lines before it. */
struct subtest_run {
	bool have_result, passed, skipped;
	char result[160];	/* the text after "ok 1 " */
	char why[200];		/* the first '#' lines (the suite's reason) */
	int nlines;
};

static void run_line(struct agent *a, char *line, void *ctx)
{
	struct subtest_run *s = ctx;
	const char *p = NULL;

	(void)a;
	printf("%s\n", line);
	s->nlines++;
	if (!strncmp(line, "ok 1 ", 5)) {
		p = line + 5;
		s->passed = !strstr(p, "# SKIP");
		s->skipped = !s->passed;
	} else if (!strncmp(line, "not ok 1 ", 9)) {
		p = line + 9;
	}
	if (p) {
		s->have_result = true;
		snprintf(s->result, sizeof(s->result), "%s", p);
		return;
	}
	/* "# Totals: ...", the plan and the TAP header say nothing about why */
	if (line[0] == '#' && strncmp(line, "# Totals", 8) && strlen(s->why) + 4 < sizeof(s->why)) {
		size_t l = strlen(s->why);

		snprintf(s->why + l, sizeof(s->why) - l, "%s%s", l ? " | " : "", line + 2);
	}
}

/* /sys/class/net/IF/statistics/WHAT, or 0. */
static unsigned long long if_stat(const struct agent *a, const char *what)
{
	unsigned long long v = 0;
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "/sys/class/net/%s/statistics/%s", a->ifname, what);
	f = fopen(path, "r");
	if (f) {
		if (fscanf(f, "%llu", &v) != 1)
			v = 0;
		fclose(f);
	}
	return v;
}

/* Leaves IF as the suite's cleanup_iface does (and as a killed run would not). */
static void iface_cleanup(struct agent *a)
{
	run_cmd(IP " link set dev %s xdp off", a->ifname);
	run_cmd(IP " link set dev %s xdpgeneric off", a->ifname);
	run_cmd(IP " link set dev %s mtu 1500", a->ifname);
}

static int run_subtest(struct agent *a, const char *test, const struct suite_reader *r)
{
	struct subtest_run s = {};
	char cmd[256];
	long long t0 = now_ms();
	unsigned long long txdrop0 = if_stat(a, "tx_dropped");
	double secs;
	int rc;

	if (r->number < 0) {
		ctl_send(a, "reader %s %s error xskxceiver -l lists no test %s", test, r->name, r->subtest);
		return -1;
	}
	snprintf(cmd, sizeof(cmd), "timeout %d " XSKXCEIVER " -i %s -i %s -m %s -t %d 2>&1",
		 SUBTEST_TIMEOUT_S, a->ifname, a->ifname, r->mode, r->number);
	rc = run_cmd_lines(a, cmd, run_line, &s);
	secs = (now_ms() - t0) / 1000.0;
	/*
	 * Frames the kernel dropped before the NIC (copy-mode AF_XDP transmit
	 * while the carrier is down, __dev_direct_xmit): the cable never saw them.
	 */
	{
		unsigned long long d = if_stat(a, "tx_dropped") - txdrop0;
		char old[sizeof(s.why)];

		if (d) {
			snprintf(old, sizeof(old), "%s", s.why);
			snprintf(s.why, sizeof(s.why), "tx_dropped +%llu%s%.150s", d, old[0] ? " | " : "", old);
		}
	}
	iface_cleanup(a);
	if (s.have_result && s.passed) {
		ctl_send(a, "reader %s %s pass %s (%.1f s)", test, r->name, s.result, secs);
		return 0;
	}
	if (s.have_result && s.skipped) {
		/* The suite decided it cannot run here: not a pass, and not a failure of the NIC. */
		ctl_send(a, "reader %s %s error %s%s%.150s (%.1f s)", test, r->name, s.result,
			 s.why[0] ? ": " : "", s.why, secs);
		return -1;
	}
	if (s.have_result) {
		ctl_send(a, "reader %s %s fail %s%s%.150s (%.1f s)", test, r->name, s.result,
			 s.why[0] ? ": " : "", s.why, secs);
		return -1;
	}
	/* No result line: the mode is not there (xskxceiver says so), a crash, or the timeout. */
	if (WIFEXITED(rc) && WEXITSTATUS(rc) == 143)
		ctl_send(a, "reader %s %s fail killed after %d s without a result%s%.150s", test, r->name,
			 SUBTEST_TIMEOUT_S, s.why[0] ? ": " : "", s.why);
	else if (WIFEXITED(rc) && WEXITSTATUS(rc) == 2)	/* ksft_exit_xfail: could not run */
		ctl_send(a, "reader %s %s error xskxceiver could not run the mode: %.180s", test, r->name,
			 s.why[0] ? s.why : "(no message)");
	else
		ctl_send(a, "reader %s %s fail no result (status 0x%x, %d lines)%s%.150s", test, r->name,
			 rc, s.nlines, s.why[0] ? ": " : "", s.why);
	return -1;
}

/* Makes IF a loopback port for the suite; the rig's state comes back in iface_restore. */
static int iface_prepare(struct agent *a)
{
	/*
	 * The suite's frames go to 55:44:33:22:11:01 and such (the group bit is
	 * set): the NIC's receive filter takes them only in promiscuous mode.  It
	 * binds queue 0 only and its XDP program redirects to socket 0, so
	 * receive must stay on queue 0: one channel.  Without IPv6 on IF the
	 * stack sends no Router Solicitations or MLD reports into the loop.
	 */
	if (run_cmd(IP " link set dev %s promisc on", a->ifname) ||
	    run_cmd("echo 1 > /proc/sys/net/ipv6/conf/%s/disable_ipv6", a->ifname) ||
	    set_channels(a, 1) || link_wait_carrier(a->ifname, 20000))
		return -1;
	return 0;
}

static void iface_restore(struct agent *a)
{
	run_cmd(IP " link set dev %s promisc off", a->ifname);
	run_cmd("echo 0 > /proc/sys/net/ipv6/conf/%s/disable_ipv6", a->ifname);
	if (a->queues)
		set_channels(a, a->queues);
	link_wait_carrier(a->ifname, 20000);
}

int test_xskxceiver(struct agent *a, const char *name, int arg __maybe_unused)
{
	static const char *const words[] = { "run", "reflecting", NULL };
	static struct suite_reader readers[MAX_SUITE];
	static struct suite_list list;
	char argbuf[128];
	int n = 0, npass = 0, w;

	memset(&list, 0, sizeof(list));
	if (access(XSKXCEIVER, X_OK)) {
		ctl_send(a, "end %s error %s is not in the guest image (scripts/build-selftests.sh)", name,
			 XSKXCEIVER);
		return -1;
	}
	if (iface_prepare(a)) {
		iface_restore(a);
		ctl_send(a, "end %s error could not make %s a loopback port (promisc, no IPv6, 1 channel)",
			 name, a->ifname);
		return -1;
	}
	run_cmd_lines(a, XSKXCEIVER " -l", list_line, &list);
	if (!list.n) {
		iface_restore(a);
		ctl_send(a, "end %s error xskxceiver -l listed no tests", name);
		return -1;
	}

	ctl_send(a, "ready %s %s", name, a->ifname);
	while ((w = ctl_wait_line(a, words, name, argbuf, sizeof(argbuf), 30000)) == 0) {
		struct suite_reader *r;
		char *us;

		if (n == MAX_SUITE) {
			ctl_send(a, "# more than %d readers: the rest are not run", MAX_SUITE);
			continue;
		}
		r = &readers[n];
		snprintf(r->name, sizeof(r->name), "%.63s", argbuf);
		us = strchr(argbuf, '_');
		r->mode[0] = '\0';
		r->number = -1;
		if (us && (us - argbuf == 3 || us - argbuf == 2)) {
			snprintf(r->mode, sizeof(r->mode), "%.*s", (int)(us - argbuf), argbuf);
			if (strcmp(r->mode, "skb") && strcmp(r->mode, "drv") && strcmp(r->mode, "zc"))
				r->mode[0] = '\0';
			snprintf(r->subtest, sizeof(r->subtest), "%.63s", us + 1);
			for (int i = 0; i < list.n; i++)
				if (!strcmp(list.names[i], r->subtest))
					r->number = i;
		}
		n++;
	}
	if (w != 1) {
		iface_restore(a);
		ctl_send(a, "end %s error %s", name, w == -1 ? "aborted by the runner" :
			 "no 'reflecting' from the runner within 30 s (is the test WIRE=reflect?)");
		return -1;
	}

	for (int i = 0; i < n; i++) {
		struct suite_reader *r = &readers[i];

		if (!r->mode[0]) {
			ctl_send(a, "reader %s %s error not MODE_SUBTEST with MODE skb, drv or zc", name,
				 r->name);
			continue;
		}
		printf("nicrig-agent: xskxceiver %s (%d of %d)\n", r->name, i + 1, n);
		npass += !run_subtest(a, name, r);
	}
	iface_restore(a);
	ctl_send(a, "# %d of %d subtests passed", npass, n);
	ctl_send(a, "end %s %s", name, npass == n ? "pass" : "fail");
	return npass == n ? 0 : -1;
}
