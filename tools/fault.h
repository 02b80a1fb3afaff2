/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fault.h - the wire's fault stage: what the cable does to a test's probes
 * between the pump and QEMU (FAULT= in tests/cases/NAME.test), a ledger of
 * what it put on the cable, and the verdict that holds the guest's account
 * of what its consumer and the NIC's counters saw against that ledger.
 *
 * Deterministic: which probes a fault hits comes from a seeded generator,
 * so a run can be repeated frame for frame.  The last `clean` probes of a
 * test always pass untouched: they show that the driver recovered.
 */
#ifndef NICRIG_FAULT_H
#define NICRIG_FAULT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/types.h>

#include "meta.h"

/*
 * drop: the wire withholds the probe.  dup: sends it twice.  reorder: sends
 * it after the next one.  delay: holds it `ms` while later probes pass.
 * truncate: cuts it to `len` bytes (headers intact, the IP length says
 * more).  badcsum: flips a bit of its UDP checksum.  runt: cuts it below the
 * 60-byte minimum (`len`).  oversize: builds it `len` bytes long (above the
 * MTU).  link: QMP set_link off before probe `at`, on again `ms` later,
 * then waits for the guest's carrier before sending on.  guest: the cable
 * passes every probe whole (the clean tail `ms` after the rest); the fault
 * is on the guest's side (the agent's AGENT_ARG: a stalled consumer, XDP
 * program swaps, AF_XDP rebinds), so probes may be lost there, but each
 * loss must show in the counters.
 */
enum fault_kind {
	FAULT_NONE, FAULT_DROP, FAULT_DUP, FAULT_REORDER, FAULT_DELAY, FAULT_TRUNCATE,
	FAULT_BADCSUM, FAULT_RUNT, FAULT_OVERSIZE, FAULT_LINK, FAULT_GUEST, FAULT_BADFCS,
};
extern const char *const fault_kind_names[];

struct fault_spec {
	int kind;		/* enum fault_kind */
	unsigned int permille;	/* share of the probes before the clean tail it hits */
	unsigned int len;	/* truncate, runt: bytes kept; oversize: frame size */
	unsigned int ms;	/* delay: held for; link: down for; guest: pause before the clean tail */
	unsigned int at;	/* link: the first probe after the link went down */
	unsigned int clean;	/* the last `clean` probes are never hit */
	uint64_t seed;
};

/* The largest frame the stage builds or holds (oversize: jumbo 9014 and then some). */
#define FAULT_FRAME_MAX	9216

/*
 * "KIND key=value ...", keys share=P% (or P.P%), len=N, ms=N, at=N,
 * clean=N, seed=N; "" or "none" is no fault.  Checks each key belongs to
 * the kind and the values to the test (count, size); the error names the
 * key.
 */
int fault_parse(struct fault_spec *s, const char *text, unsigned int count, unsigned int size,
		char *err, size_t errlen);
/* The spec back as text, as fault_parse takes it (every key). */
void fault_format(const struct fault_spec *s, char *out, size_t len);

/* How a frame on the cable looks to a consumer that checks every probe. */
enum frame_class {
	FC_INTACT,	/* a whole probe, good checksums */
	FC_TRUNCATED,	/* cut short, at least 60 bytes */
	FC_BADCSUM,	/* whole, a UDP checksum that does not add up */
	FC_RUNT,	/* below 60 bytes: the NIC must drop it (RUC) */
	FC_OVERSIZE,	/* above the NIC's max frame: it must drop it (ROC) */
	FC_LINK_LOST,	/* sent while the link was down: QEMU drops it, the NIC never sees it */
	FC_BADFCS,	/* whole, its FCS corrupt: the NIC must drop it (CRCERRS) */
	FC_NCLASS,
};
extern const char *const frame_class_names[];

/* What the stage put on the cable, as the consumer and the NIC's counters should see it. */
struct fault_ledger {
	unsigned long offered;		/* probes the pump handed in */
	unsigned long withheld;		/* dropped by the wire: never on the cable */
	unsigned long duplicated;	/* extra copies */
	unsigned long reordered;	/* held back behind later probes (reorder, delay) */
	unsigned long cls[FC_NCLASS];	/* frames on the cable by class */
	unsigned long ooo;		/* intact first copies after a higher seq, in cable order */
	unsigned long link_flaps;	/* link down/up cycles done */
	long last_intact;
	uint8_t copies[NICRIG_MAX_SEQ];	/* intact copies of each probe the NIC can receive */
	uint8_t maybe[NICRIG_MAX_SEQ / 8];	/* in flight when the link went down: may be lost */
};

struct fault_frame {
	uint8_t *buf;
	size_t len;
	uint32_t seq;
	int cls;
	bool after_next;	/* reorder: goes out behind the next probe */
	double due;		/* not before (delay) */
	double put_at;		/* when it went on the cable (0: not yet) */
};

#define FAULT_QUEUE	64	/* frames in the stage at once (delay at RATE=1000: ms of them) */

struct fault_stage {
	struct fault_spec spec;
	unsigned int count;	/* the test's probes */
	uint64_t rng;
	struct fault_frame q[FAULT_QUEUE];	/* in cable order, but for those not yet due */
	int n;
	bool link_down;		/* set_link off is in force: what goes out now is lost */
	bool link_done;		/* the link fault happened */
	uint32_t decided_seq;	/* the probe whose fate was drawn last, and that fate */
	bool decided, decided_hit;
	double put_time[NICRIG_MAX_SEQ];	/* when each probe last went on the cable */
	struct fault_ledger led;
};

/* 0, or -1 out of memory. */
int fault_init(struct fault_stage *f, const struct fault_spec *s, unsigned int count);
void fault_free(struct fault_stage *f);
/* The size to build probe seq at (oversize hits build it bigger). */
unsigned int fault_probe_size(struct fault_stage *f, uint32_t seq, unsigned int size);
/* Room for another probe (else put out what is due first). */
bool fault_can_offer(const struct fault_stage *f);
/*
 * Probe seq, built at fault_probe_size(), into the stage: it decides the
 * probe's fate (the generator draws once per probe, in seq order).  Call
 * only with fault_can_offer().
 */
void fault_offer(struct fault_stage *f, uint32_t seq, const uint8_t *frame, size_t len, double now);
/* The next frame due on the cable, or NULL; stays first until fault_put(). */
const struct fault_frame *fault_peek(const struct fault_stage *f, double now);
/*
 * Frame q, which fault_peek() gave, went on the cable: into the ledger.  (q,
 * not whatever peek gives now: by now a held frame may have fallen due.)
 */
void fault_put(struct fault_stage *f, const struct fault_frame *q, double now);
/* When the next held frame falls due; 0 if none is held. */
double fault_next_due(const struct fault_stage *f);
/* The pause before probe seq, in seconds (guest: before the clean tail). */
double fault_pause_before(const struct fault_stage *f, uint32_t seq);
/* True if the link is to go down before probe seq (once). */
bool fault_link_due(const struct fault_stage *f, uint32_t seq);
/*
 * The link went down at `now` (set_link off answered): frames put on the
 * cable since `since` may still have been in QEMU's queue and are marked
 * maybe lost; from now on frames are link-lost.  fault_link_up() ends it.
 */
void fault_link_down(struct fault_stage *f, double since);
void fault_link_up(struct fault_stage *f);

/* What the guest reported about one fault test (the agent's `consumed` and `counters`). */
struct fault_report {
	bool have_seen, have_consumed, have_counters;
	uint8_t seen[NICRIG_MAX_SEQ / 8];	/* intact probes the consumer got, at least once */
	/* consumer: frames by class, duplicates and out-of-order among intact ones, others */
	unsigned long frames, cls[FC_NCLASS], dup, ooo, foreign, corrupt;
	/* deltas of the driver's counters over the test; -1: the driver has none such */
	long long crc, missed, nobuf, rx_short, rx_long, xsk_drop, xdp_drop;
	unsigned long carrier_downs, carrier_ups;
};

/* Parses the agent's `seen OFFSET HEX`, `consumed k=v ...`, `counters k=v ...` lines. */
int fault_report_seen(struct fault_report *r, const char *args, char *err, size_t errlen);
int fault_report_kv(struct fault_report *r, const char *word, const char *args, char *err,
		    size_t errlen);

/*
 * The verdict, reader by reader: consumer (every probe the NIC could take
 * arrived, and only those, each as often as the cable carried it, in the
 * cable's order, the corrupted ones seen as such), counters (the NIC's
 * counters account for the frames it had to refuse and for every frame the
 * consumer lacks), recovered (the clean tail arrived whole).  Returns 1
 * pass, 0 fail, -1 no such reader; why[] says what was seen.
 */
int fault_verdict(const struct fault_stage *f, const struct fault_report *r, const char *reader,
		  char *why, size_t len);

#endif /* NICRIG_FAULT_H */
