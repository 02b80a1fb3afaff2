// SPDX-License-Identifier: GPL-2.0
/*
 * fault_run.c - a FAULT= test in the run: the pump sends the probes through
 * the fault stage (fault.c), takes the link down and up over QMP, collects
 * the agent's account (`seen`, `consumed`, `counters`, `carrier`) and
 * turns it into the readers' verdicts.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "engine.h"
#include "run.h"
#include "util.h"

#define LINK_SETTLE_SECS	0.5	/* no probes just before set_link off: QEMU's queue empties */
#define LINK_MAYBE_SECS		0.1	/* probes sent this long before set_link may still be queued */
#define LINK_CARRIER_SECS	30	/* for the guest's carrier to come back after set_link on */

void fault_begin(struct run *r, struct test_result *t)
{
	char line[300], spec[200];

	if (r->pump.faulting)
		fault_free(&r->pump.fault);
	memset(&r->pump.frep, 0, sizeof(r->pump.frep));
	if (fault_init(&r->pump.fault, &t->def.fault, t->def.count)) {
		fatal(r, "test %s: out of memory for the fault stage", t->def.name);
		return;
	}
	r->pump.faulting = true;
	r->pump.link_phase = LINK_UP;
	r->pump.paused = false;
	r->pump.carrier_up = true;
	r->pump.carrier_downs = 0;
	fault_format(&t->def.fault, spec, sizeof(spec));
	snprintf(line, sizeof(line), "# wire: fault %s on %u probes", spec, t->def.count);
	diag_add(t, line);
}

static int set_link(struct run *r, struct test_result *t, bool up)
{
	char err[300], line[400];

	if (engine_of(r->o)->set_link(r, up, err, sizeof(err))) {
		fatal(r, "test %s: set_link %s: %s", t->def.name, up ? "on" : "off", err);
		return -1;
	}
	snprintf(line, sizeof(line), "# wire: set_link wire %s (QMP) %.3f s into the test, before probe %u",
		 up ? "on" : "off", now() - r->test_t0, r->pump.next_seq);
	diag_add(t, line);
	return 0;
}

/* After a pause a paced test goes on at its rate, not in a burst that catches up. */
static void pace_from_now(struct run *r, const struct test_result *t)
{
	if (t->def.rate)
		r->pump.t0 = now() - (double)r->pump.next_seq / t->def.rate;
	r->pump.link_phase = LINK_UP;
}

/*
 * The link fault's phases, before probe `at`: settle (send nothing, so
 * that QEMU reads what is queued), set_link off, send on for `ms` (QEMU
 * drops it all: the NIC never sees those), set_link on, wait for the
 * guest's carrier, go on.  Returns true while the pump must not offer.
 */
static bool link_step(struct run *r, struct test_result *t)
{
	struct fault_stage *f = &r->pump.fault;
	double tn = now();

	switch (r->pump.link_phase) {
	case LINK_UP:
		if (!r->pump.paused && fault_pause_before(f, r->pump.next_seq) > 0) {
			r->pump.paused = true;
			r->pump.link_phase = LINK_PAUSE;
			r->pump.link_until = tn + fault_pause_before(f, r->pump.next_seq);
			return true;
		}
		if (!fault_link_due(f, r->pump.next_seq))
			return false;
		r->pump.link_phase = LINK_SETTLE;
		r->pump.link_t0 = tn;
		r->pump.link_until = tn + LINK_SETTLE_SECS;
		return true;
	case LINK_SETTLE:
		if (tn < r->pump.link_until)
			return true;
		if (set_link(r, t, false))
			return true;
		fault_link_down(f, r->pump.link_t0 - LINK_MAYBE_SECS);
		pace_from_now(r, t);
		r->pump.link_phase = LINK_DOWN;
		r->pump.link_until = now() + f->spec.ms / 1000.0;
		return false;
	case LINK_DOWN:
		/* probes go on into the dead link, but never the clean tail */
		if (tn < r->pump.link_until)
			return r->pump.next_seq >= t->def.count - f->spec.clean;
		/* what the stage still holds went out while the link was down */
		if (fault_peek(f, tn))
			return true;
		if (set_link(r, t, true))
			return true;
		fault_link_up(f, tn - LINK_MAYBE_SECS);
		r->pump.link_phase = LINK_WAIT_CARRIER;
		r->pump.link_until = now() + LINK_CARRIER_SECS;
		return true;
	case LINK_PAUSE:
		if (tn < r->pump.link_until)
			return true;
		pace_from_now(r, t);
		return false;
	case LINK_WAIT_CARRIER:
		if ((r->pump.carrier_downs && r->pump.carrier_up) || tn >= r->pump.link_until) {
			char line[200];

			snprintf(line, sizeof(line), "# wire: %s %.3f s after set_link on; sending on",
				 r->pump.carrier_up && r->pump.carrier_downs ? "the guest's carrier came back" :
				 "no carrier back from the guest", tn - (r->pump.link_until - LINK_CARRIER_SECS));
			diag_add(t, line);
			pace_from_now(r, t);
			return false;
		}
		return true;
	}
	return false;
}

/*
 * How the wire sends a frame of the stage: a runt short, where the cable
 * carries the FCS (without it, QEMU's net layer cannot tell a runt from a
 * frame a MAC padded); a bad-FCS frame with its FCS corrupt.
 */
static unsigned int fault_wire_flags(const struct run *r, const struct fault_frame *q)
{
	if (!r->pump.wire.fcs)
		return 0;
	return q->cls == FC_BADFCS ? WIRE_BAD_FCS : q->cls == FC_RUNT ? WIRE_NO_PAD : 0;
}

/*
 * wire_pump for a FAULT= test: what the stage has due goes on the cable
 * first, then new probes go into it (paced as any test); `sent` once every
 * probe is in and the stage is empty.
 */
void fault_pump(struct run *r)
{
	struct test_result *t = &r->res->tests[r->cur];
	struct fault_stage *f = &r->pump.fault;
	static uint8_t frame[NICRIG_FRAME_MAX];

	for (;;) {
		const struct fault_frame *q = fault_peek(f, now());
		unsigned int size;
		size_t len;

		if (q) {
			if (probe_send(r, q->buf, q->len, q->seq, fault_wire_flags(r, q)))
				return;
			fault_put(f, q, now());
			continue;
		}
		if (r->pump.next_seq >= t->def.count || !fault_can_offer(f) || link_step(r, t) ||
		    r->phase == PH_OVER)
			break;
		if (t->def.rate && r->pump.next_seq > (now() - r->pump.t0) * t->def.rate)
			return;
		size = fault_probe_size(f, r->pump.next_seq, test_probe_size(&t->def, r->pump.next_seq));
		r->pump.spec.size = size;
		len = probe_build(&r->pump.spec, r->pump.next_seq, frame, sizeof(frame));
		if (!len) {
			fatal(r, "cannot build a %s probe of %u bytes", template_names[r->pump.spec.tpl], size);
			return;
		}
		fault_offer(f, r->pump.next_seq++, frame, len, now());
	}
	if (r->pump.sending && r->pump.next_seq >= t->def.count && !f->n && r->pump.link_phase == LINK_UP) {
		r->pump.sending = false;
		ctl_write(r, "sent %s %u", t->def.name, t->def.count);
	}
}

/* The agent's lines about a fault test: its consumer's account and its carrier. */
void fault_agent_line(struct run *r, struct test_result *t, const char *word, const char *args)
{
	char err[200];
	int rc;

	if (!r->pump.faulting) {
		fatal(r, "test %s: the agent sent '%s', but the test has no FAULT=", t->def.name, word);
		return;
	}
	if (!strcmp(word, "carrier")) {
		bool up = !strcmp(args, "1");

		if (!up && r->pump.carrier_up)
			r->pump.carrier_downs++;
		r->pump.carrier_up = up;
		return;
	}
	rc = !strcmp(word, "seen") ? fault_report_seen(&r->pump.frep, args, err, sizeof(err)) :
	     fault_report_kv(&r->pump.frep, word, args, err, sizeof(err));
	if (rc)
		fatal(r, "test %s: %s", t->def.name, err);
}

/* The agent's `end`: each reader the runner judges gets its verdict; the stage goes. */
void fault_end(struct run *r, struct test_result *t)
{
	const struct fault_ledger *l = &r->pump.fault.led;
	char line[400];

	if (!r->pump.faulting)
		return;
	snprintf(line, sizeof(line), "# wire: %lu probes: %lu withheld, %lu duplicated, %lu held back; on the cable "
		 "%lu intact, %lu truncated, %lu badcsum, %lu runts, %lu oversize, %lu bad FCS, %lu while the link "
		 "was down; %lu out of order", l->offered, l->withheld, l->duplicated, l->reordered,
		 l->cls[FC_INTACT], l->cls[FC_TRUNCATED], l->cls[FC_BADCSUM], l->cls[FC_RUNT], l->cls[FC_OVERSIZE],
		 l->cls[FC_BADFCS], l->cls[FC_LINK_LOST], l->ooo);
	diag_add(t, line);
	for (int i = 0; i < t->nreaders; i++) {
		struct reader_result *rr = &t->readers[i];
		char why[sizeof(rr->detail)];
		int v;

		if (rr->observed != OUT_NONE)
			continue;	/* the agent's own verdict, or the test could not run */
		v = fault_verdict(&r->pump.fault, &r->pump.frep, rr->name, why, sizeof(why));
		if (v < 0)
			continue;
		rr->observed = v ? OUT_PASS : OUT_FAIL;
		snprintf(rr->detail, sizeof(rr->detail), "%s", why);
	}
	fault_free(&r->pump.fault);
	r->pump.faulting = false;
	r->pump.link_phase = LINK_UP;
}
