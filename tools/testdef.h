/* SPDX-License-Identifier: GPL-2.0 */
/* testdef.h - test definitions (tests/cases/NAME.test): what to send, what to report. */
#ifndef NICRIG_TESTDEF_H
#define NICRIG_TESTDEF_H

#include <stdbool.h>
#include <stddef.h>

#include "fault.h"

/*
 * udp4-flows: udp4 from 64 source addresses spread over 10.0.0.0/8, for RSS to spread.
 * tcp4: the probe in one TCP segment (PSH|ACK), outside any connection.
 */
enum frame_template { TPL_UDP4, TPL_UDP6, TPL_VLAN, TPL_QINQ, TPL_GRETAP, TPL_UDP4_FLOWS, TPL_TCP4 };
extern const char *const template_names[];

#define MAX_READERS	128	/* readers one test may list (xskxceiver: subtests x modes) */
#define READER_NAME_MAX	63	/* characters in a reader's name */
/* The largest probe a test may ask for (SIZE, SIZE_MAX): NICRIG_FRAME_MAX (meta.h). */

struct test_def {
	char name[64];
	char description[256];
	int frames;		/* enum frame_template */
	unsigned int count;	/* probes the wire sends */
	unsigned int size;	/* frame size in bytes, FCS excluded */
	unsigned int size_max;	/* nonzero: sizes SIZE..SIZE_MAX, in size_order (test_probe_size) */
	int size_order;		/* enum size_order */
	unsigned int timeout;	/* seconds from start of the test to its end */
	unsigned int rate;	/* probes per second the wire sends; 0: as fast as QEMU takes them */
	int wire;		/* enum wire_mode */
	char readers[4096];	/* comma-separated readers the test reports */
	/*
	 * RIG_READERS: the readers run when the test comes from a rig's TESTS
	 * (nicrig matrix, nicrig test RIG), a subset of READERS that fits the
	 * matrix's time; empty: READERS.  Naming the test runs all of READERS.
	 */
	char rig_readers[4096];
	/* FAULT=: what the cable does to the probes (fault.h); kind FAULT_NONE: nothing */
	char fault_text[256];
	struct fault_spec fault;
	char agent[64];		/* the guest agent's function that runs it (AGENT=) */
	char agent_arg[128];	/* the argument it gets (AGENT_ARG=), a C constant expression */
};

/*
 * What the wire does during a test.  probes: sends the test's probes, answers
 * ARP and Neighbour Discovery, counts what comes back.  reflect: a loopback
 * cable: from the agent's `ready` to its `end`, every frame the NIC transmits
 * goes back into its receive side unchanged and in order, and nothing else
 * (no probes, no ARP answers); the run counts the frames reflected.
 */
enum wire_mode { WIRE_PROBES, WIRE_REFLECT };
extern const char *const wire_mode_names[];

/*
 * How probe sizes go from SIZE to SIZE_MAX (SIZE_ORDER=).  sweep: spread
 * over the range.  alternate: even probes SIZE, odd ones SIZE_MAX, exactly
 * two sizes, so that a guest that knows the rule knows every probe's size
 * from its seq (mtu_change: 1514 bytes, which any MTU takes, and 9014,
 * which only a jumbo MTU does).
 */
enum size_order { SIZE_SWEEP, SIZE_ALTERNATE };
extern const char *const size_order_names[];

/*
 * Loads tests/cases/NAME.test under top.  Beyond the schema: READERS lists
 * 1..MAX_READERS names of 1..READER_NAME_MAX characters, and COUNT is at
 * most NICRIG_MAX_SEQ unless the test is a rate test (test_is_rate).
 */
int test_def_load(struct test_def *t, const char *top, const char *name,
		  char *err, size_t errlen);
/*
 * A receive-rate test (make bench): `rate` is its only reader, which counts
 * frames and so, unlike every other reader, keeps no record per probe.
 */
bool test_is_rate(const struct test_def *t);
/*
 * The size of probe seq: SIZE, or with SIZE_MAX a sweep that starts with
 * both ends (SIZE, SIZE_MAX), then spreads over the range (a multiplicative
 * hash of seq); with SIZE_ORDER=alternate, SIZE for an even seq, SIZE_MAX
 * for an odd one.
 */
unsigned int test_probe_size(const struct test_def *t, unsigned int seq);
/*
 * Cuts t's READERS down to the comma-separated list `only` (TEST/READER,...
 * on the command line, or RIG_READERS), each of which it must have.
 */
int test_select_readers(struct test_def *t, const char *only, char *err, size_t errlen);

#endif /* NICRIG_TESTDEF_H */
