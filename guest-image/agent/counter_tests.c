// SPDX-License-Identifier: GPL-2.0
/*
 * counter_tests.c - tests that judge the NIC by what its driver counts:
 * frames the hardware must refuse never reach the stack, and the driver's
 * own statistics account for every one of them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent.h"

struct ethtool_stat_read {
	const char *const *names;	/* e.g. rx_long_length_errors */
	long long *values;
	unsigned int n;
};

static void stat_line(struct agent *a __maybe_unused, char *line, void *ctx)
{
	struct ethtool_stat_read *s = ctx;
	char *p = line + strspn(line, " \t");

	for (unsigned int i = 0; i < s->n; i++) {
		size_t n = strlen(s->names[i]);

		if (!strncmp(p, s->names[i], n) && p[n] == ':')
			s->values[i] = (long long)strtoull(p + n + 1, NULL, 10);
	}
}

int ethtool_stats(struct agent *a, const char *ifname, const char *const *names, long long *values,
		  unsigned int n)
{
	struct ethtool_stat_read s = { .names = names, .values = values, .n = n };
	char cmd[128];

	for (unsigned int i = 0; i < n; i++)
		values[i] = -1;
	snprintf(cmd, sizeof(cmd), ETHTOOL " -S %s", ifname);
	return run_cmd_lines(a, cmd, stat_line, &s) ? -1 : 0;
}

/* One `ethtool -S` statistic of ifname; -1 if the driver has no such name. */
static long long ethtool_stat(struct agent *a, const char *ifname, const char *name)
{
	long long v;

	return ethtool_stats(a, ifname, &name, &v, 1) ? -1 : v;
}

/* A counter in /sys/class/net/IF/statistics/; -1 if unreadable. */
static long long netdev_stat(const char *ifname, const char *name)
{
	char path[128];
	unsigned long long v;
	FILE *f;
	int ok;

	snprintf(path, sizeof(path), "/sys/class/net/%s/statistics/%s", ifname, name);
	f = fopen(path, "r");
	if (!f)
		return -1;
	ok = fscanf(f, "%llu", &v) == 1;
	fclose(f);
	return ok ? (long long)v : -1;
}

struct oversize_ctx {
	struct agent *a;
	long long long_errors0;
};

static unsigned long oversize_count(void *ctx)
{
	struct oversize_ctx *c = ctx;
	long long v = ethtool_stat(c->a, c->a->ifname, "rx_long_length_errors");

	return v < c->long_errors0 ? 0 : (unsigned long)(v - c->long_errors0);
}

int test_rx_oversize_drop(struct agent *a, const char *name, int arg __maybe_unused)
{
	struct oversize_ctx c = { .a = a };
	long long rx0, rx1, dropped;
	long sent;
	int rc = -1;

	c.long_errors0 = ethtool_stat(a, a->ifname, "rx_long_length_errors");
	rx0 = netdev_stat(a->ifname, "rx_packets");
	if (c.long_errors0 < 0 || rx0 < 0) {
		ctl_send(a, "end %s error %s has no %s", name, a->ifname,
			 c.long_errors0 < 0 ? "ethtool -S rx_long_length_errors" : "rx_packets statistic");
		return -1;
	}
	ctl_send(a, "ready %s %s", name, a->ifname);
	sent = drain_until_sent(a, name, oversize_count, &c, 50, 3000);
	if (sent < 0) {
		ctl_send(a, "end %s error no probes from the runner", name);
		return -1;
	}
	dropped = (long long)oversize_count(&c);
	rx1 = netdev_stat(a->ifname, "rx_packets");
	if (dropped == sent && rx1 == rx0) {
		ctl_send(a, "reader %s counters pass all %ld oversize frames dropped by the NIC and counted "
			 "in rx_long_length_errors; rx_packets unchanged", name, sent);
		rc = 0;
	} else {
		ctl_send(a, "reader %s counters fail wire sent %ld oversize frames: rx_long_length_errors "
			 "+%lld, rx_packets +%lld (expected +%ld and +0)", name, sent, dropped, rx1 - rx0, sent);
	}
	ctl_send(a, "end %s %s", name, rc ? "fail" : "pass");
	return rc;
}
