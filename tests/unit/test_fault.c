// SPDX-License-Identifier: GPL-2.0
/*
 * test_fault.c - the wire's fault stage (tools/fault.c): FAULT= parsing,
 * what each fault does to the probes, the ledger, and the verdict held
 * against a consumer that got what a faithful NIC would deliver, and
 * against ones that did not.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/types.h>

#include "fault.h"
#include "harness.h"
#include "meta.h"
#include "testdef.h"
#include "wire.h"

#define COUNT	512
#define SIZE	256

struct sent_frame {
	uint32_t seq;
	size_t len;
	int cls;
	uint8_t head[64];
};

/* What went on the cable, in order. */
struct cable {
	struct sent_frame f[2 * COUNT];
	unsigned int n;
};

static struct fault_stage stage;
static struct cable cable;

/*
 * Runs COUNT udp4 probes through the stage at 1000/s on a fake clock,
 * everything due going out at once; link faults go down before `at` and
 * up `ms` later, as fault_run.c does.
 */
static int run_stage(const char *spec_text)
{
	struct probe_spec ps = { .tpl = TPL_UDP4, .size = SIZE };
	struct fault_spec spec;
	static uint8_t frame[FAULT_FRAME_MAX];
	char err[200];
	double t = 1000.0, up_at = 0;

	if (fault_parse(&spec, spec_text, COUNT, SIZE, err, sizeof(err))) {
		printf("    # %s\n", err);
		return -1;
	}
	if (fault_init(&stage, &spec, COUNT))
		return -1;
	memset(&cable, 0, sizeof(cable));
	for (uint32_t seq = 0; seq < COUNT || stage.n; t += 0.001) {
		const struct fault_frame *q;

		if (up_at && t >= up_at) {
			fault_link_up(&stage);
			up_at = 0;
		}
		while ((q = fault_peek(&stage, t))) {
			struct sent_frame *s = &cable.f[cable.n++];

			s->seq = q->seq;
			s->len = q->len;
			s->cls = stage.link_down ? FC_LINK_LOST : q->cls;
			memcpy(s->head, q->buf, sizeof(s->head));
			/* put a little later, as the runner does after the send: a held frame may be due by then */
			fault_put(&stage, q, t + 0.0005);
		}
		if (seq >= COUNT || !fault_can_offer(&stage))
			continue;
		if (fault_link_due(&stage, seq)) {
			fault_link_down(&stage, t - 0.050);
			up_at = t + spec.ms / 1000.0;
		}
		ps.size = fault_probe_size(&stage, seq, SIZE);
		fault_offer(&stage, seq, frame, probe_build(&ps, seq, frame, sizeof(frame)), t);
		seq++;
	}
	return 0;
}

/*
 * The guest's account if the NIC does what it must: it drops runts,
 * oversize frames and bad FCSs and counts them, never sees link-lost ones, delivers
 * the rest in order; the consumer sorts them by class.
 */
static void faithful_report(struct fault_report *r)
{
	long last = -1;

	memset(r, 0, sizeof(*r));
	r->have_seen = r->have_consumed = r->have_counters = true;
	for (unsigned int i = 0; i < cable.n; i++) {
		const struct sent_frame *s = &cable.f[i];

		if (s->cls == FC_RUNT) {
			r->rx_short++;
			continue;
		}
		if (s->cls == FC_OVERSIZE) {
			r->rx_long++;
			continue;
		}
		if (s->cls == FC_BADFCS) {
			r->crc++;
			continue;
		}
		if (s->cls == FC_LINK_LOST)
			continue;
		r->frames++;
		r->cls[s->cls]++;
		if (s->cls != FC_INTACT)
			continue;
		if (r->seen[s->seq / 8] & (1 << (s->seq % 8))) {
			r->dup++;
			continue;
		}
		r->seen[s->seq / 8] |= 1 << (s->seq % 8);
		if ((long)s->seq < last)
			r->ooo++;
		last = s->seq;
	}
}

static int verdict(const struct fault_report *r, const char *reader, char *why)
{
	return fault_verdict(&stage, r, reader, why, 256);
}

TEST(fault_parse_accepts_and_formats)
{
	struct fault_spec s;
	char err[200], out[200];

	ASSERT_TRUE(!fault_parse(&s, "drop share=10% seed=7", COUNT, SIZE, err, sizeof(err)));
	EXPECT_EQ(FAULT_DROP, s.kind);
	EXPECT_EQ(100, s.permille);
	EXPECT_EQ(7, s.seed);
	EXPECT_EQ(64, s.clean);
	fault_format(&s, out, sizeof(out));
	EXPECT_STR_EQ("drop share=10.0% clean=64 seed=7", out);
	ASSERT_TRUE(!fault_parse(&s, "delay share=2.5% ms=20", COUNT, SIZE, err, sizeof(err)));
	EXPECT_EQ(25, s.permille);
	EXPECT_EQ(20, s.ms);
	ASSERT_TRUE(!fault_parse(&s, "link at=200 ms=1000 clean=32", COUNT, SIZE, err, sizeof(err)));
	EXPECT_EQ(200, s.at);
	EXPECT_EQ(32, s.clean);
	ASSERT_TRUE(!fault_parse(&s, "", COUNT, SIZE, err, sizeof(err)));
	EXPECT_EQ(FAULT_NONE, s.kind);
	ASSERT_TRUE(!fault_parse(&s, "none", COUNT, SIZE, err, sizeof(err)));
	EXPECT_EQ(FAULT_NONE, s.kind);
}

TEST(fault_parse_rejects_with_the_key)
{
	struct { const char *text, *want; } cases[] = {
		{ "lose share=10%", "'lose' is not a fault" },
		{ "drop", "drop needs share=" },
		{ "drop share=10", "share=10: expected a share" },
		{ "drop share=0%", "share=0%" },
		{ "drop share=101%", "share=101%" },
		{ "drop share=10% len=5", "drop takes no len=" },
		{ "drop share=10% colour=red", "unknown key 'colour'" },
		{ "drop share=10% clean=512", "clean=512 leaves no probe" },
		{ "truncate share=10% len=60", "truncate len=60: expected 61..255" },
		{ "truncate share=10% len=256", "truncate len=256" },
		{ "runt share=10% len=60", "runt len=60: expected 50..59" },
		{ "oversize share=10% len=256", "oversize len=256: expected 257..9216" },
		{ "oversize share=10% len=9217", "oversize len=9217" },
		{ "link at=500 ms=100", "at=500 is not before the clean tail" },
		{ "link ms=100", "link needs at=" },
		{ "link at=100", "link needs ms=" },
		{ "none share=1%", "'none' takes no keys" },
		{ "drop share=10% seed", "'seed': expected key=value" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct fault_spec s;
		char err[200] = "";

		EXPECT_EQ(-1, fault_parse(&s, cases[i].text, COUNT, SIZE, err, sizeof(err)));
		EXPECT_CONTAINS(err, cases[i].want);
	}
}

TEST(fault_drop_is_seeded_and_spares_the_clean_tail)
{
	uint8_t first[COUNT];
	unsigned long withheld;

	ASSERT_TRUE(!run_stage("drop share=10% seed=1"));
	withheld = stage.led.withheld;
	EXPECT_TRUE(withheld > 20 && withheld < 70);	/* 10% of 448 */
	EXPECT_EQ(COUNT - withheld, cable.n);
	EXPECT_EQ(COUNT - withheld, stage.led.cls[FC_INTACT]);
	for (uint32_t s = COUNT - 64; s < COUNT; s++)
		EXPECT_EQ(1, stage.led.copies[s]);
	memcpy(first, stage.led.copies, COUNT);
	fault_free(&stage);
	ASSERT_TRUE(!run_stage("drop share=10% seed=1"));
	EXPECT_EQ(0, memcmp(first, stage.led.copies, COUNT));	/* the same probes again */
	fault_free(&stage);
	ASSERT_TRUE(!run_stage("drop share=10% seed=2"));
	EXPECT_TRUE(memcmp(first, stage.led.copies, COUNT) != 0);
	fault_free(&stage);
}

TEST(fault_dup_sends_copies_back_to_back)
{
	unsigned long dups = 0;

	ASSERT_TRUE(!run_stage("dup share=10% seed=2"));
	EXPECT_TRUE(stage.led.duplicated > 20);
	EXPECT_EQ(COUNT + stage.led.duplicated, cable.n);
	for (unsigned int i = 1; i < cable.n; i++)
		dups += cable.f[i].seq == cable.f[i - 1].seq;
	EXPECT_EQ(stage.led.duplicated, dups);
	EXPECT_EQ(0, stage.led.ooo);
	fault_free(&stage);
}

/* Every probe went on the cable exactly once. */
static void expect_each_once(struct unit_test *_t)
{
	static unsigned int times[COUNT];

	memset(times, 0, sizeof(times));
	for (unsigned int i = 0; i < cable.n; i++)
		times[cable.f[i].seq]++;
	for (unsigned int s = 0; s < COUNT; s++)
		if (times[s] != 1)
			_FAIL("probe %u went on the cable %u times", s, times[s]);
}

TEST(fault_reorder_sends_behind_the_next)
{
	unsigned long behind = 0;

	ASSERT_TRUE(!run_stage("reorder share=10% seed=3"));
	EXPECT_EQ(COUNT, cable.n);
	expect_each_once(_t);
	for (unsigned int i = 1; i < cable.n; i++)
		behind += cable.f[i].seq < cable.f[i - 1].seq;
	EXPECT_TRUE(behind > 20);
	EXPECT_EQ(behind, stage.led.ooo);
	fault_free(&stage);
}

TEST(fault_delay_lets_later_probes_pass)
{
	unsigned long passed = 0;

	ASSERT_TRUE(!run_stage("delay share=5% ms=20 seed=4"));
	EXPECT_EQ(COUNT, cable.n);
	expect_each_once(_t);
	EXPECT_TRUE(stage.led.reordered > 5);
	/* a probe held 20 ms at 1000/s arrives about 20 places late */
	for (unsigned int i = 0; i < cable.n; i++)
		passed += (long)i - (long)cable.f[i].seq >= 15;
	EXPECT_TRUE(passed >= stage.led.reordered);
	EXPECT_TRUE(stage.led.ooo >= stage.led.reordered);
	fault_free(&stage);
}

/* Runs spec; each frame of class cls must be len bytes, and there must be a fair share of them. */
static void expect_cut(struct unit_test *_t, const char *spec, size_t len, int cls)
{
	unsigned long cut = 0;

	ASSERT_TRUE(!run_stage(spec));
	for (unsigned int i = 0; i < cable.n; i++) {
		if (cable.f[i].cls != cls)
			continue;
		cut++;
		EXPECT_EQ(len, cable.f[i].len);
	}
	EXPECT_TRUE(cut > 20);
	EXPECT_EQ(cut, stage.led.cls[cls]);
	fault_free(&stage);
}

TEST(fault_cuts_and_corrupts)
{
	unsigned long bad = 0;

	expect_cut(_t, "truncate share=10% len=100 seed=5", 100, FC_TRUNCATED);
	expect_cut(_t, "runt share=10% len=54 seed=7", 54, FC_RUNT);
	ASSERT_TRUE(!run_stage("badcsum share=10% seed=6"));
	for (unsigned int i = 0; i < cable.n; i++) {
		struct probe_spec ps = { .tpl = TPL_UDP4, .size = SIZE };
		uint8_t good[SIZE];

		probe_build(&ps, cable.f[i].seq, good, sizeof(good));
		/* only the UDP checksum differs, and never becomes 0, "no checksum" */
		if (cable.f[i].cls == FC_BADCSUM) {
			bad++;
			EXPECT_TRUE(get_be16(cable.f[i].head + 40) != get_be16(good + 40));
			EXPECT_TRUE(get_be16(cable.f[i].head + 40) != 0);
			EXPECT_EQ(0, memcmp(cable.f[i].head, good, 40));
		} else {
			EXPECT_EQ(0, memcmp(cable.f[i].head, good, sizeof(cable.f[i].head)));
		}
	}
	EXPECT_TRUE(bad > 20);
	EXPECT_EQ(bad, stage.led.cls[FC_BADCSUM]);
	fault_free(&stage);
}

TEST(fault_oversize_builds_longer_probes)
{
	unsigned long big = 0;

	ASSERT_TRUE(!run_stage("oversize share=10% len=9014 seed=9"));
	for (unsigned int i = 0; i < cable.n; i++) {
		if (cable.f[i].len != 9014)
			continue;
		big++;
		EXPECT_EQ(FC_OVERSIZE, cable.f[i].cls);
		EXPECT_EQ(9014 - 14, get_be16(cable.f[i].head + 16));	/* a whole probe, IP length too */
	}
	EXPECT_TRUE(big > 20);
	EXPECT_EQ(big, stage.led.cls[FC_OVERSIZE]);
	fault_free(&stage);
}

TEST(fault_link_loses_what_is_sent_while_down)
{
	ASSERT_TRUE(!run_stage("link at=200 ms=100"));
	EXPECT_EQ(COUNT, cable.n);
	EXPECT_EQ(1, stage.led.link_flaps);
	/* 100 ms at 1000/s; those put in the 50 ms before may or may not arrive */
	EXPECT_TRUE(stage.led.cls[FC_LINK_LOST] >= 99 && stage.led.cls[FC_LINK_LOST] <= 101);
	EXPECT_EQ(0, stage.led.copies[250]);
	EXPECT_TRUE(stage.led.maybe[190 / 8] & (1 << (190 % 8)));
	EXPECT_TRUE(!(stage.led.maybe[100 / 8] & (1 << (100 % 8))));
	EXPECT_EQ(1, stage.led.copies[100]);
	fault_free(&stage);
}

/* Every fault: a faithful NIC passes all three readers. */
TEST(fault_verdict_passes_a_faithful_nic)
{
	static const char *const specs[] = {
		"drop share=10%", "dup share=10%", "reorder share=10%", "delay share=5% ms=20",
		"truncate share=10% len=100", "badcsum share=10%", "runt share=10% len=54",
		"oversize share=10% len=1515", "link at=200 ms=100", "badfcs share=10%",
	};
	static const char *const readers[] = { "consumer", "counters", "recovered" };

	for (size_t i = 0; i < sizeof(specs) / sizeof(specs[0]); i++) {
		static struct fault_report r;
		char why[256];

		ASSERT_TRUE(!run_stage(specs[i]));
		faithful_report(&r);
		r.carrier_downs = r.carrier_ups = 1;
		for (size_t k = 0; k < 3; k++) {
			int v = verdict(&r, readers[k], why);

			if (v != 1)
				printf("    # %s, %s: %s\n", specs[i], readers[k], why);
			EXPECT_EQ(1, v);
		}
		EXPECT_EQ(-1, verdict(&r, "dynptr", why));
		fault_free(&stage);
	}
}

/* What each reader must catch. */
TEST(fault_verdict_fails_what_a_nic_gets_wrong)
{
	static struct fault_report good, r;
	char why[256];

	ASSERT_TRUE(!run_stage("runt share=10% len=54 seed=7"));
	faithful_report(&good);

	/* a runt delivered, padded, and not counted (what a model that pads does) */
	r = good;
	r.cls[FC_RUNT] = 3;
	r.rx_short -= 3;
	EXPECT_EQ(0, verdict(&r, "consumer", why));
	EXPECT_CONTAINS(why, "3 runt frames, expected 0");
	EXPECT_EQ(0, verdict(&r, "counters", why));
	EXPECT_CONTAINS(why, "rx_short_length_errors");
	EXPECT_EQ(1, verdict(&r, "recovered", why));

	/* a probe lost and not counted; then counted in rx_missed_errors */
	r = good;
	r.seen[0] &= ~1;
	EXPECT_EQ(0, verdict(&r, "consumer", why));
	EXPECT_CONTAINS(why, "lacks 1 of the");
	EXPECT_EQ(0, verdict(&r, "counters", why));
	r.missed = 1;
	EXPECT_EQ(1, verdict(&r, "counters", why));

	/* a probe twice that the cable sent once; an extra probe; a reordering */
	r = good;
	r.dup = 1;
	EXPECT_EQ(0, verdict(&r, "consumer", why));
	EXPECT_CONTAINS(why, "1 duplicates reached the consumer, the cable duplicated 0");
	r = good;
	r.ooo = 1;
	EXPECT_EQ(0, verdict(&r, "consumer", why));
	r = good;
	r.corrupt = 1;
	EXPECT_EQ(0, verdict(&r, "consumer", why));

	/* the clean tail lost */
	r = good;
	r.seen[(COUNT - 1) / 8] = 0;
	r.missed = 8;
	EXPECT_EQ(0, verdict(&r, "recovered", why));
	EXPECT_CONTAINS(why, "of the last 64 probes");
	EXPECT_EQ(1, verdict(&r, "counters", why));

	/* a CRC error on a cable without FCS; no report at all */
	r = good;
	r.crc = 1;
	EXPECT_EQ(0, verdict(&r, "counters", why));
	memset(&r, 0, sizeof(r));
	EXPECT_EQ(0, verdict(&r, "consumer", why));
	EXPECT_CONTAINS(why, "did not report");
	fault_free(&stage);

	/* bad FCSs: the frames go out whole, only the wire's FCS is wrong */
	ASSERT_TRUE(!run_stage("badfcs share=10% seed=11"));
	{
		unsigned long bad = 0;

		for (unsigned int i = 0; i < cable.n; i++) {
			struct probe_spec ps = { .tpl = TPL_UDP4, .size = SIZE };
			uint8_t want[SIZE];

			probe_build(&ps, cable.f[i].seq, want, sizeof(want));
			EXPECT_EQ(0, memcmp(cable.f[i].head, want, sizeof(cable.f[i].head)));
			EXPECT_EQ(SIZE, cable.f[i].len);
			bad += cable.f[i].cls == FC_BADFCS;
		}
		EXPECT_TRUE(bad > 20);
		EXPECT_EQ(bad, stage.led.cls[FC_BADFCS]);
	}
	faithful_report(&good);
	/* a NIC that does not check the FCS: the bad ones delivered, none counted */
	r = good;
	r.crc = 0;
	for (unsigned int i = 0; i < cable.n; i++)
		if (cable.f[i].cls == FC_BADFCS)
			r.seen[cable.f[i].seq / 8] |= 1 << (cable.f[i].seq % 8);
	EXPECT_EQ(0, verdict(&r, "consumer", why));
	EXPECT_CONTAINS(why, "the cable never carried whole");
	EXPECT_EQ(0, verdict(&r, "counters", why));
	EXPECT_CONTAINS(why, "rx_crc_errors +0, the cable carried");
	/* dropped but not counted; a driver without the counter (-1) */
	r = good;
	r.crc = 0;
	EXPECT_EQ(1, verdict(&r, "consumer", why));
	EXPECT_EQ(0, verdict(&r, "counters", why));
	r.crc = -1;
	EXPECT_EQ(0, verdict(&r, "counters", why));
	fault_free(&stage);

	/* a link fault the guest never noticed */
	ASSERT_TRUE(!run_stage("link at=200 ms=100"));
	faithful_report(&r);
	EXPECT_EQ(0, verdict(&r, "recovered", why));
	EXPECT_CONTAINS(why, "carrier go down 0");
	/* a frame sent while the link was down cannot arrive */
	r.carrier_downs = r.carrier_ups = 1;
	r.seen[250 / 8] |= 1 << (250 % 8);
	EXPECT_EQ(0, verdict(&r, "consumer", why));
	EXPECT_CONTAINS(why, "never carried whole (first seq 250)");
	fault_free(&stage);
}

TEST(fault_report_lines_parse)
{
	static struct fault_report r;
	char err[200];

	memset(&r, 0, sizeof(r));
	EXPECT_EQ(0, fault_report_seen(&r, "0 f1", err, sizeof(err)));
	EXPECT_EQ(0x1f, r.seen[0]);
	EXPECT_EQ(0, fault_report_seen(&r, "512 8", err, sizeof(err)));
	EXPECT_EQ(0x08, r.seen[64]);
	EXPECT_EQ(-1, fault_report_seen(&r, "3 f", err, sizeof(err)));
	EXPECT_EQ(-1, fault_report_seen(&r, "0 fg", err, sizeof(err)));
	EXPECT_CONTAINS(err, "'g'");
	EXPECT_EQ(0, fault_report_kv(&r, "consumed", "frames=9 intact=5 runt=1 dup=2 ooo=1 foreign=0 corrupt=0 new=4",
				     err, sizeof(err)));
	EXPECT_EQ(9, r.frames);
	EXPECT_EQ(5, r.cls[FC_INTACT]);
	EXPECT_EQ(1, r.cls[FC_RUNT]);
	EXPECT_EQ(2, r.dup);
	EXPECT_EQ(0, fault_report_kv(&r, "counters", "crc=-1 missed=3 short=2 long=0 xsk_drop=1 carrier_downs=1",
				     err, sizeof(err)));
	EXPECT_EQ(-1, r.crc);
	EXPECT_EQ(3, r.missed);
	EXPECT_EQ(2, r.rx_short);
	EXPECT_EQ(1, r.carrier_downs);
	EXPECT_EQ(-1, fault_report_kv(&r, "counters", "crc=x", err, sizeof(err)));
	EXPECT_EQ(-1, fault_report_kv(&r, "consumed", "dup=-1", err, sizeof(err)));
	EXPECT_TRUE(r.have_seen && r.have_consumed && r.have_counters);
}

/* A guest-side fault: the cable passes all; losses are the counters' to account. */
TEST(fault_guest_losses_must_be_counted)
{
	static struct fault_report r;
	char why[256];

	ASSERT_TRUE(!run_stage("guest ms=500"));
	EXPECT_EQ(COUNT, stage.led.cls[FC_INTACT]);
	EXPECT_TRUE(fault_pause_before(&stage, COUNT - 64) > 0.49);
	EXPECT_TRUE(fault_pause_before(&stage, COUNT - 65) == 0);
	faithful_report(&r);
	r.seen[10] = 0;		/* 8 probes lost in the guest */
	EXPECT_EQ(1, verdict(&r, "consumer", why));
	EXPECT_CONTAINS(why, "(8 lost in the guest)");
	EXPECT_EQ(0, verdict(&r, "counters", why));
	r.xdp_drop = 5;
	r.xsk_drop = 3;
	EXPECT_EQ(1, verdict(&r, "counters", why));
	r.dup = 1;
	EXPECT_EQ(0, verdict(&r, "consumer", why));
	fault_free(&stage);
}
