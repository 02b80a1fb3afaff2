// SPDX-License-Identifier: GPL-2.0
/*
 * verdict.c - verdicts: each reader's outcome held to its expectation.
 */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdint.h>
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

#include "run.h"
#include "util.h"

/*
 * A TCP test, once the guest closed its side (`tx`) and the wire's client is
 * done or has failed: the bytes that came back intact, in order and over a
 * clean close (0 if the connection failed), and the client's own account.
 */
static void tcp_verdict(struct run *r)
{
	struct test_result *t = find_test(r, r->tx.test);
	enum tcp_result res;
	char why[256], line[400];

	res = tcp_result(&r->pump.tcp, why, sizeof(why));
	if (res == TCP_RUNNING)
		return;
	if (t) {
		snprintf(line, sizeof(line), "# wire TCP client: %s: %s", res == TCP_DONE ? "done" : "FAILED", why);
		diag_add(t, line);
		snprintf(line, sizeof(line),
			 "# wire TCP client: %llu bytes sent in %lu segments, %lu retransmitted; %lu segments in, %llu bytes verified, %lu bad IP and %lu bad TCP checksums, %lu out of order",
			 (unsigned long long)r->pump.tcp.st.bytes_sent, r->pump.tcp.st.segs_sent, r->pump.tcp.st.retransmits,
			 r->pump.tcp.st.segs_received, (unsigned long long)r->pump.tcp.st.bytes_verified,
			 r->pump.tcp.st.bad_ip_csum, r->pump.tcp.st.bad_tcp_csum, r->pump.tcp.st.out_of_order);
		diag_add(t, line);
	}
	ctl_write(r, "rxcount %s %llu", r->tx.test,
		  res == TCP_DONE ? (unsigned long long)r->pump.tcp.st.bytes_verified : 0ULL);
	r->tx.counting = false;
	r->tx.expect = -1;
	r->pump.tcp_on = false;
	r->pump.tcp_frame_len = 0;
}

/* The agent transmitted tx_expect probes: report how many reached the wire. */
void wire_tx_verdict(struct run *r)
{
	if (!r->tx.counting || r->tx.expect < 0)
		return;
	if (r->pump.tcp_on) {
		tcp_verdict(r);
		return;
	}
	if (r->tx.got < (unsigned int)r->tx.expect && now() < r->tx.deadline)
		return;
	ctl_write(r, "rxcount %s %u", r->tx.test, r->tx.got);
	r->tx.counting = false;
	r->tx.expect = -1;
}

/*
 * Reader wire_launch: the guest asked probes FIRST.. FIRST+COUNT-1 to leave
 * GAP_US apart (a launch time each); on the host's clock, each arrived no
 * earlier than its place in that schedule after the first, less a fifth
 * of a gap for the kernel's and QEMU's timer slack.  QEMU's lateness can
 * only stretch the spacing, so a frame sent early shows.
 */
void launch_verdict(struct run *r, struct test_result *t, const char *args)
{
	unsigned int first, count, gap_us;
	struct reader_result *rr = NULL;
	int64_t min_gap = INT64_MAX, slack;
	char why[200] = "";

	for (int i = 0; i < t->nreaders; i++)
		if (!strcmp(t->readers[i].name, "wire_launch"))
			rr = &t->readers[i];
	if (!rr) {
		diag_add(t, "# agent sent 'launch' for a test without a wire_launch reader");
		return;
	}
	if (sscanf(args, "%u %u %u", &first, &count, &gap_us) != 3 || count < 2 ||
	    first >= TX_AT_MAX || count > TX_AT_MAX - first || !gap_us) {
		fatal(r, "agent's 'launch %s' is not FIRST COUNT GAP_US within %d probes", args,
		      TX_AT_MAX);
		return;
	}
	slack = (int64_t)gap_us * 1000 / 5;
	for (unsigned int i = 1; i < count && !why[0]; i++) {
		int64_t a0 = r->tx.at[first], ai = r->tx.at[first + i];
		int64_t want = (int64_t)i * gap_us * 1000;

		if (!a0 || !ai)
			snprintf(why, sizeof(why), "probe %u never reached the host", a0 ? first + i : first);
		else if (ai - a0 < want - slack)
			snprintf(why, sizeof(why), "probe %u arrived %.3f ms after probe %u, asked %.3f ms",
				 first + i, (ai - a0) / 1e6, first, want / 1e6);
		else if (ai - r->tx.at[first + i - 1] < min_gap)
			min_gap = ai - r->tx.at[first + i - 1];
	}
	rr->observed = why[0] ? OUT_FAIL : OUT_PASS;
	if (why[0])
		snprintf(rr->detail, sizeof(rr->detail), "%s", why);
	else
		snprintf(rr->detail, sizeof(rr->detail),
			 "probes %u..%u arrived in their schedule of %.1f ms gaps (the smallest %.3f ms) on the host's clock",
			 first, first + count - 1, gap_us / 1e3, min_gap / 1e6);
}

/*
 * make bench's tests (READERS=rate) also report what each probe cost the
 * host, from the first probe sent to the last: a figure that does not
 * depend on how the host scheduled QEMU's threads against each other.
 */
void cpu_cost_report(struct run *r, struct test_result *t)
{
	double q, w;
	char line[256];

	/* under libvirt the runner's child is the domain's watcher, not QEMU */
	if (!test_is_rate(&t->def) || r->pump.cpu_qemu0 < 0 || !t->def.count || r->o->libvirt)
		return;
	q = cpu_seconds(r->proc.pid);
	w = cpu_seconds(0);
	if (q < 0 || w < 0)
		return;
	snprintf(line, sizeof(line),
		 "# host-cpu %s: %.2f us per probe in QEMU (all threads), %.2f us in the runner's wire",
		 t->def.name, (q - r->pump.cpu_qemu0) * 1e6 / t->def.count,
		 (w - r->pump.cpu_wire0) * 1e6 / t->def.count);
	diag_add(t, line);
}

/* Matches observed reader outcomes against the matrix. */
void judge(struct run *r)
{
	for (int i = 0; i < r->res->ntests; i++) {
		struct test_result *t = &r->res->tests[i];

		t->ok = true;
		t->skipped = t->nreaders > 0;
		for (int j = 0; j < t->nreaders; j++) {
			struct reader_result *rr = &t->readers[j];

			rr->expect = expect_lookup(&r->res->matrix, t->def.name,
						   nic_names[r->o->rig->nic], r->variant, rr->name);
			if (rr->observed == OUT_NONE) {
				t->ok = false;
				if (!rr->detail[0])
					message_printf(rr->detail, sizeof(rr->detail), "no result: %s",
						       t->error[0] ? t->error :
						       r->res->fatal[0] ? r->res->fatal :
						       "the agent never reported it");
			} else if (!rr->expect || rr->expect->outcome != rr->observed) {
				t->ok = false;
			}
			if (!rr->expect || rr->expect->outcome != OUT_ERROR)
				t->skipped = false;
		}
		t->skipped &= t->ok;
		if (t->skipped)
			r->res->skipped++;
		else if (t->ok)
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
