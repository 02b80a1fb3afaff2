// SPDX-License-Identifier: GPL-2.0
/*
 * control.c - the control channel: the agent protocol, line by line.
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

#include "run.h"
#include "util.h"

void fatal(struct run *r, const char *fmt, ...)
{
	va_list ap;

	if (r->res->fatal[0])
		return;	/* the first cause is the one worth reporting */
	va_start(ap, fmt);
	vsnprintf(r->res->fatal, sizeof(r->res->fatal), fmt, ap);
	va_end(ap);
	r->phase = PH_OVER;
}


void ctl_write(struct run *r, const char *fmt, ...)
{
	char line[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line) - 1, fmt, ap);
	va_end(ap);
	line[n++] = '\n';
	if (r->ctl.log)
		fprintf(r->ctl.log, "> %.*s", n, line);
	if (write(r->ctl.fd, line, n) != n)
		fatal(r, "writing to the agent's control channel: %s", strerror(errno));
}

void diag_add(struct test_result *t, const char *line)
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

struct test_result *find_test(struct run *r, const char *name)
{
	for (int i = 0; i < r->res->ntests; i++)
		if (!strcmp(r->res->tests[i].def.name, name))
			return &r->res->tests[i];
	return NULL;
}

/* The test the agent is working on: the current one until it ended. */
int agent_test_index(const struct run *r)
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

	if (r->ctl.log)
		fprintf(r->ctl.log, "< %s\n", line);
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
		r->ctl.agent_done = true;
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
		r->tx.expect = num;
		snprintf(r->tx.test, sizeof(r->tx.test), "%s", t->def.name);
		r->tx.deadline = now() + 5;
		wire_tx_verdict(r);
	} else if (!strcmp(word, "launch")) {
		/* rest: FIRST COUNT GAP_US, the spacing the guest asked of those probes */
		launch_verdict(r, t, rest);
	} else if (!strcmp(word, "ready")) {
		if (t->def.wire == WIRE_REFLECT)
			reflect_begin(r, t);
		else
			send_begin(r, t);
	} else if (!strcmp(word, "seen") || !strcmp(word, "consumed") || !strcmp(word, "counters") ||
		   !strcmp(word, "carrier")) {
		/* a FAULT= test: what the guest's consumer and the NIC saw */
		fault_agent_line(r, t, word, rest);
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
			/* error: the reader's check could not run (e.g. an upstream subtest skipped itself) */
			rr->observed = !strcmp(verdict, "pass") ? OUT_PASS :
				       !strcmp(verdict, "error") ? OUT_ERROR : OUT_FAIL;
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
				message_printf(t->readers[i].detail, sizeof(t->readers[i].detail),
					       "test could not run: %s", t->error);
			}
		}
		t->seconds = now() - r->test_t0;	/* setup, frames and check */
		t->ended = true;
		fault_end(r, t);
		reflect_end(r, t);
		r->pump.sending = false;
		r->pump.tcp_on = false;
		r->pump.tcp_frame_len = 0;
		start_next_test_clock(r);
	} else {
		fatal(r, "unexpected line from the agent: '%.100s'", line);
	}
}

void control_cb(struct run *r, char *line)
{
	on_control_line(r, line);
}
