// SPDX-License-Identifier: GPL-2.0
/* fault.c - the wire's fault stage, its ledger and its verdict (see fault.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fault.h"
#include "util.h"
#include "wire.h"

const char *const fault_kind_names[] = { "none", "drop", "dup", "reorder", "delay", "truncate",
					 "badcsum", "runt", "oversize", "link", "guest", "badfcs", NULL };
const char *const frame_class_names[] = { "intact", "truncated", "badcsum", "runt", "oversize",
					  "link_lost", "badfcs", NULL };

#define ETH_ZLEN_	60	/* the shortest frame without FCS */
#define RUNT_MIN	50	/* a runt still carries the probe's magic and seq */
#define DEFAULT_CLEAN	64

/* Which keys each kind takes, beside clean= and seed=. */
enum { K_SHARE = 1, K_LEN = 2, K_MS = 4, K_AT = 8 };
static const unsigned int kind_keys[] = {
	[FAULT_DROP] = K_SHARE, [FAULT_DUP] = K_SHARE, [FAULT_REORDER] = K_SHARE,
	[FAULT_DELAY] = K_SHARE | K_MS, [FAULT_TRUNCATE] = K_SHARE | K_LEN,
	[FAULT_BADCSUM] = K_SHARE, [FAULT_RUNT] = K_SHARE | K_LEN,
	[FAULT_OVERSIZE] = K_SHARE | K_LEN, [FAULT_LINK] = K_AT | K_MS, [FAULT_GUEST] = 0,
	[FAULT_BADFCS] = K_SHARE,
};
/* keys a kind may take but need not */
static const unsigned int kind_optional[] = { [FAULT_GUEST] = K_MS };

/* share=10% or 2.5%: per mille */
static int parse_share(const char *v, unsigned int *pm)
{
	unsigned long whole, tenth = 0;
	char *end;

	errno = 0;
	whole = strtoul(v, &end, 10);
	if (end == v || errno || whole > 100)
		return -1;
	if (*end == '.') {
		if (end[1] < '0' || end[1] > '9')
			return -1;
		tenth = end[1] - '0';
		end += 2;
	}
	if (strcmp(end, "%") || whole * 10 + tenth > 1000 || whole * 10 + tenth == 0)
		return -1;
	*pm = whole * 10 + tenth;
	return 0;
}

int fault_parse(struct fault_spec *s, const char *text, unsigned int count, unsigned int size,
		char *err, size_t errlen)
{
	char buf[256], *save, *tok;
	unsigned int have = 0;

	memset(s, 0, sizeof(*s));
	s->clean = DEFAULT_CLEAN;
	s->seed = 1;
	if (snprintf(buf, sizeof(buf), "%s", text) >= (int)sizeof(buf))
		return set_error(err, errlen, "FAULT: longer than %zu characters", sizeof(buf) - 1);
	tok = strtok_r(buf, " \t", &save);
	if (!tok || !strcmp(tok, "none"))
		return tok && strtok_r(NULL, " \t", &save) ?
		       set_error(err, errlen, "FAULT: 'none' takes no keys") : 0;
	for (int k = FAULT_DROP; fault_kind_names[k]; k++)
		if (!strcmp(tok, fault_kind_names[k]))
			s->kind = k;
	if (!s->kind)
		return set_error(err, errlen, "FAULT: '%s' is not a fault (drop, dup, reorder, delay, truncate, "
				 "badcsum, runt, oversize, link, guest, badfcs)", tok);
	while ((tok = strtok_r(NULL, " \t", &save))) {
		char *eq = strchr(tok, '=');
		unsigned long v = 0;
		unsigned int key;

		if (!eq)
			return set_error(err, errlen, "FAULT: '%s': expected key=value", tok);
		*eq++ = '\0';
		key = !strcmp(tok, "share") ? K_SHARE : !strcmp(tok, "len") ? K_LEN :
		      !strcmp(tok, "ms") ? K_MS : !strcmp(tok, "at") ? K_AT : 0;
		if (!key && strcmp(tok, "clean") && strcmp(tok, "seed"))
			return set_error(err, errlen, "FAULT: unknown key '%s' (share, len, ms, at, clean, seed)", tok);
		if (key && !((kind_keys[s->kind] | kind_optional[s->kind]) & key))
			return set_error(err, errlen, "FAULT: %s takes no %s=", fault_kind_names[s->kind], tok);
		if (key == K_SHARE) {
			if (parse_share(eq, &s->permille))
				return set_error(err, errlen, "FAULT: share=%s: expected a share of 0.1%%..100%%, e.g. 10%%", eq);
			have |= key;
			continue;
		}
		if (parse_ulong(eq, 0, key == K_MS ? 60000 : UINT32_MAX, &v))
			return set_error(err, errlen, "FAULT: %s=%s is not a number in range", tok, eq);
		if (key == K_LEN)
			s->len = v;
		else if (key == K_MS)
			s->ms = v;
		else if (key == K_AT)
			s->at = v;
		else if (!strcmp(tok, "clean"))
			s->clean = v;
		else
			s->seed = v;
		have |= key;
	}
	if ((have & kind_keys[s->kind]) != kind_keys[s->kind]) {
		unsigned int miss = kind_keys[s->kind] & ~have;

		return set_error(err, errlen, "FAULT: %s needs %s", fault_kind_names[s->kind],
				 miss & K_SHARE ? "share=" : miss & K_LEN ? "len=" : miss & K_MS ? "ms=" : "at=");
	}
	if (s->clean >= count)
		return set_error(err, errlen, "FAULT: clean=%u leaves no probe of COUNT=%u to hit", s->clean, count);
	if (s->kind == FAULT_LINK && s->at >= count - s->clean)
		return set_error(err, errlen, "FAULT: at=%u is not before the clean tail (probe %u on)", s->at,
				 count - s->clean);
	if (s->kind == FAULT_TRUNCATE && (s->len <= ETH_ZLEN_ || s->len >= size))
		return set_error(err, errlen, "FAULT: truncate len=%u: expected %d..%u (below SIZE; a runt at %d and below)",
				 s->len, ETH_ZLEN_ + 1, size - 1, ETH_ZLEN_);
	if (s->kind == FAULT_RUNT && (s->len < RUNT_MIN || s->len >= ETH_ZLEN_))
		return set_error(err, errlen, "FAULT: runt len=%u: expected %d..%d", s->len, RUNT_MIN, ETH_ZLEN_ - 1);
	if (s->kind == FAULT_OVERSIZE && (s->len <= size || s->len > FAULT_FRAME_MAX))
		return set_error(err, errlen, "FAULT: oversize len=%u: expected %u..%d", s->len, size + 1, FAULT_FRAME_MAX);
	return 0;
}

void fault_format(const struct fault_spec *s, char *out, size_t len)
{
	const char *k = fault_kind_names[s->kind];

	switch (s->kind) {
	case FAULT_NONE:
		snprintf(out, len, "none");
		return;
	case FAULT_LINK:
		snprintf(out, len, "%s at=%u ms=%u clean=%u seed=%llu", k, s->at, s->ms, s->clean,
			 (unsigned long long)s->seed);
		return;
	case FAULT_GUEST:
		snprintf(out, len, "%s ms=%u clean=%u seed=%llu", k, s->ms, s->clean, (unsigned long long)s->seed);
		return;
	}
	snprintf(out, len, "%s share=%u.%u%%", k, s->permille / 10, s->permille % 10);
	if (kind_keys[s->kind] & K_LEN)
		snprintf(out + strlen(out), len - strlen(out), " len=%u", s->len);
	if (kind_keys[s->kind] & K_MS)
		snprintf(out + strlen(out), len - strlen(out), " ms=%u", s->ms);
	snprintf(out + strlen(out), len - strlen(out), " clean=%u seed=%llu", s->clean,
		 (unsigned long long)s->seed);
}

/* splitmix64: a fixed sequence per seed, the same on every host */
static uint64_t rng_next(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

int fault_init(struct fault_stage *f, const struct fault_spec *s, unsigned int count)
{
	memset(f, 0, sizeof(*f));
	f->spec = *s;
	f->count = count;
	f->rng = s->seed;
	f->led.last_intact = -1;
	for (int i = 0; i < FAULT_QUEUE; i++) {
		f->q[i].buf = malloc(FAULT_FRAME_MAX);
		if (!f->q[i].buf) {
			fault_free(f);
			return -1;
		}
	}
	return 0;
}

void fault_free(struct fault_stage *f)
{
	for (int i = 0; i < FAULT_QUEUE; i++) {
		free(f->q[i].buf);
		f->q[i].buf = NULL;
	}
}

/* The probe's fate: one draw per probe, in seq order, whatever the kind. */
static bool hit(struct fault_stage *f, uint32_t seq)
{
	if (f->decided && f->decided_seq == seq)
		return f->decided_hit;
	f->decided = true;
	f->decided_seq = seq;
	f->decided_hit = rng_next(&f->rng) % 1000 < f->spec.permille &&
			 seq < f->count - f->spec.clean && f->spec.kind != FAULT_LINK &&
			 f->spec.kind != FAULT_GUEST;
	return f->decided_hit;
}

unsigned int fault_probe_size(struct fault_stage *f, uint32_t seq, unsigned int size)
{
	return f->spec.kind == FAULT_OVERSIZE && hit(f, seq) ? f->spec.len : size;
}

bool fault_can_offer(const struct fault_stage *f)
{
	return f->n + 2 <= FAULT_QUEUE;	/* a dup takes two */
}

static struct fault_frame *enqueue(struct fault_stage *f, uint32_t seq, const uint8_t *frame,
				   size_t len, int cls)
{
	struct fault_frame *q = &f->q[f->n++];
	uint8_t *buf = q->buf;

	*q = (struct fault_frame){ .buf = buf, .seq = seq, .cls = cls,
				   .len = len > FAULT_FRAME_MAX ? FAULT_FRAME_MAX : len };
	memcpy(q->buf, frame, q->len);
	return q;
}

/* Moves entry i to the end of the queue. */
static void to_back(struct fault_stage *f, int i)
{
	struct fault_frame t = f->q[i];

	memmove(&f->q[i], &f->q[i + 1], (f->n - i - 1) * sizeof(t));
	f->q[f->n - 1] = t;
}

/* Breaks the UDP checksum (IPv4 without options, or IPv6), never into 0, "none". */
static void break_udp_csum(uint8_t *p, size_t len)
{
	size_t at = 0;
	uint16_t c;

	if (len >= 14 + 20 + 8 && get_be16(p + 12) == 0x0800 && p[14] == 0x45 && p[23] == 17)
		at = 14 + 20 + 6;
	else if (len >= 14 + 40 + 8 && get_be16(p + 12) == 0x86dd && p[20] == 17)
		at = 14 + 40 + 6;
	if (!at)
		return;
	c = get_be16(p + at) ^ 0x0100;
	put_be16(p + at, c ? c : 0x0300);
}

void fault_offer(struct fault_stage *f, uint32_t seq, const uint8_t *frame, size_t len, double now)
{
	bool h = hit(f, seq);
	int before = f->n;
	struct fault_frame *q;

	f->led.offered++;
	if (h && f->spec.kind == FAULT_DROP) {
		f->led.withheld++;
		return;
	}
	q = enqueue(f, seq, frame, len, FC_INTACT);
	if (h) {
		switch (f->spec.kind) {
		case FAULT_DUP:
			enqueue(f, seq, frame, len, FC_INTACT);
			f->led.duplicated++;
			break;
		case FAULT_REORDER:
			q->after_next = true;
			f->led.reordered++;
			break;
		case FAULT_DELAY:
			q->due = now + f->spec.ms / 1000.0;
			f->led.reordered++;
			break;
		case FAULT_TRUNCATE:
		case FAULT_RUNT:
			if (q->len > f->spec.len) {
				q->len = f->spec.len;
				q->cls = f->spec.kind == FAULT_RUNT ? FC_RUNT : FC_TRUNCATED;
			}
			break;
		case FAULT_BADCSUM:
			break_udp_csum(q->buf, q->len);
			q->cls = FC_BADCSUM;
			break;
		case FAULT_OVERSIZE:
			q->cls = FC_OVERSIZE;
			break;
		case FAULT_BADFCS:
			q->cls = FC_BADFCS;	/* the wire corrupts its FCS as it sends it */
			break;
		}
	}
	/* a probe held for reorder goes out behind this one */
	for (int i = 0; i < before; i++) {
		if (f->q[i].after_next) {
			f->q[i].after_next = false;
			to_back(f, i);
			i--;
			before--;
		}
	}
}

const struct fault_frame *fault_peek(const struct fault_stage *f, double now)
{
	bool all_offered = f->led.offered >= f->count;

	for (int i = 0; i < f->n; i++) {
		const struct fault_frame *q = &f->q[i];

		if ((!q->after_next || all_offered) && q->due <= now)
			return q;
	}
	return NULL;
}

void fault_put(struct fault_stage *f, const struct fault_frame *p, double now)
{
	int i = (int)(p - f->q);
	struct fault_frame q;

	if (i < 0 || i >= f->n)
		return;
	q = f->q[i];
	memmove(&f->q[i], &f->q[i + 1], (f->n - i - 1) * sizeof(q));
	f->q[--f->n] = q;	/* keeps its buffer for the next frame */
	if (f->link_down)
		q.cls = FC_LINK_LOST;
	f->led.cls[q.cls]++;
	if (q.seq >= NICRIG_MAX_SEQ)
		return;
	f->put_time[q.seq] = now;
	if (q.cls != FC_INTACT)
		return;
	if (!f->led.copies[q.seq] && (long)q.seq < f->led.last_intact)
		f->led.ooo++;
	if (!f->led.copies[q.seq])
		f->led.last_intact = q.seq;
	if (f->led.copies[q.seq] < 255)
		f->led.copies[q.seq]++;
}

double fault_next_due(const struct fault_stage *f)
{
	double due = 0;

	for (int i = 0; i < f->n; i++)
		if (f->q[i].due && (!due || f->q[i].due < due))
			due = f->q[i].due;
	return due;
}

double fault_pause_before(const struct fault_stage *f, uint32_t seq)
{
	return f->spec.kind == FAULT_GUEST && seq == f->count - f->spec.clean ? f->spec.ms / 1000.0 : 0;
}

bool fault_link_due(const struct fault_stage *f, uint32_t seq)
{
	return f->spec.kind == FAULT_LINK && !f->link_done && seq == f->spec.at;
}

void fault_link_down(struct fault_stage *f, double since)
{
	for (uint32_t s = 0; s < NICRIG_MAX_SEQ && s < f->count; s++)
		if (f->led.copies[s] && f->put_time[s] >= since)
			f->led.maybe[s / 8] |= 1 << (s % 8);
	f->link_down = true;
	f->link_done = true;
}

void fault_link_up(struct fault_stage *f)
{
	if (f->link_down)
		f->led.link_flaps++;
	f->link_down = false;
}

/* ---- the guest's account, and the verdict -------------------------------- */

static int hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

int fault_report_seen(struct fault_report *r, const char *args, char *err, size_t errlen)
{
	unsigned long off;
	char num[16];
	int n = 0;

	if (sscanf(args, "%15s %n", num, &n) != 1 || !n || parse_ulong(num, 0, NICRIG_MAX_SEQ - 1, &off) ||
	    off % 4)
		return set_error(err, errlen, "'seen %.40s': expected OFFSET (a multiple of 4 below %d) and hex digits",
				 args, NICRIG_MAX_SEQ);
	for (const char *p = args + n; *p; p++, off += 4) {
		int v = hexval(*p);

		if (v < 0 || off >= NICRIG_MAX_SEQ)
			return set_error(err, errlen, "'seen': '%c' at seq %lu is not a hex digit of the bitmap", *p, off);
		r->seen[off / 8] |= v << (off % 8);
	}
	r->have_seen = true;
	return 0;
}

int fault_report_kv(struct fault_report *r, const char *word, const char *args, char *err,
		    size_t errlen)
{
	/* consumed: frames, then one per class (frame_class_names), then these */
	static const char *const ckeys[] = { "dup", "ooo", "foreign", "corrupt", NULL };
	static const char *const nkeys[] = { "crc", "missed", "nobuf", "short", "long", "xsk_drop",
					     "xdp_drop", "carrier_downs", "carrier_ups", NULL };
	unsigned long *cdst[] = { &r->dup, &r->ooo, &r->foreign, &r->corrupt };
	long long *ndst[] = { &r->crc, &r->missed, &r->nobuf, &r->rx_short, &r->rx_long, &r->xsk_drop,
			      &r->xdp_drop };
	bool consumed = !strcmp(word, "consumed");
	char buf[512], *save;

	snprintf(buf, sizeof(buf), "%s", args);
	for (char *tok = strtok_r(buf, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		char *eq = strchr(tok, '=');
		long long v;
		char *end;
		int k;

		if (!eq)
			return set_error(err, errlen, "'%s': '%.40s' is not key=number", word, tok);
		*eq = '\0';
		errno = 0;
		v = strtoll(eq + 1, &end, 10);
		if (end == eq + 1 || *end || errno || v < -1)
			return set_error(err, errlen, "'%s': %s=%.20s is not a number", word, tok, eq + 1);
		if (!consumed) {
			for (k = 0; nkeys[k] && strcmp(nkeys[k], tok); k++)
				;
			if (k < 7)
				*ndst[k] = v;
			else if (nkeys[k])
				*(k == 7 ? &r->carrier_downs : &r->carrier_ups) = v < 0 ? 0 : v;
			continue;	/* an unknown key: a newer agent's extra figure */
		}
		if (v < 0)
			return set_error(err, errlen, "'%s': %s=%lld is not a count", word, tok, v);
		if (!strcmp(tok, "frames"))
			r->frames = v;
		for (k = 0; k < FC_NCLASS; k++)
			if (!strcmp(tok, frame_class_names[k]))
				r->cls[k] = v;
		for (k = 0; ckeys[k]; k++)
			if (!strcmp(tok, ckeys[k]))
				*cdst[k] = v;
	}
	if (consumed)
		r->have_consumed = true;
	else
		r->have_counters = true;
	return 0;
}

static bool bit(const uint8_t *map, uint32_t s)
{
	return map[s / 8] & (1 << (s % 8));
}

/* Probes the consumer lacks that it had to get, and got that it must not have. */
struct tally {
	unsigned long want, missing, extra, maybe_lost, want_dup;
	long first_missing, first_extra;
};

static void tally(const struct fault_stage *f, const struct fault_report *r, uint32_t from,
		  struct tally *t)
{
	memset(t, 0, sizeof(*t));
	t->first_missing = t->first_extra = -1;
	for (uint32_t s = from; s < f->count && s < NICRIG_MAX_SEQ; s++) {
		bool maybe = bit(f->led.maybe, s), got = bit(r->seen, s);
		unsigned int c = f->led.copies[s];

		if (maybe) {
			t->want += c > 0;
			t->maybe_lost += c > 0 && !got;
			continue;
		}
		t->want += c > 0;
		t->want_dup += c > 1 ? c - 1 : 0;
		if (c && !got && !t->missing++)
			t->first_missing = s;
		if (!c && got && !t->extra++)
			t->first_extra = s;
	}
}

static int consumer_verdict(const struct fault_stage *f, const struct fault_report *r,
			    char *why, size_t len)
{
	const struct fault_ledger *l = &f->led;
	struct tally t;

	tally(f, r, 0, &t);
	/* a guest-side fault may lose probes: `counters` holds each loss to the NIC's account */
	if (f->spec.kind == FAULT_GUEST && !t.extra) {
		t.maybe_lost += t.missing;
		t.missing = 0;
	}
	if (t.missing || t.extra)
		return snprintf(why, len, "the consumer lacks %lu of the %lu probes the NIC could take "
				"(first seq %ld) and got %lu the cable never carried whole (first seq %ld)",
				t.missing, t.want, t.first_missing, t.extra, t.first_extra), 0;
	if (r->corrupt)
		return snprintf(why, len, "%lu probes reached the consumer with their payload changed", r->corrupt), 0;
	if (r->dup != t.want_dup)
		return snprintf(why, len, "%lu duplicates reached the consumer, the cable duplicated %lu",
				r->dup, t.want_dup), 0;
	if (!t.maybe_lost && r->ooo != l->ooo)
		return snprintf(why, len, "%lu probes arrived behind a later one, the cable reordered %lu",
				r->ooo, l->ooo), 0;
	for (int c = FC_TRUNCATED; c < FC_NCLASS; c++) {
		/* the NIC must refuse runts, oversize frames and bad FCSs; link-lost ones never reached it */
		unsigned long want = c == FC_TRUNCATED || c == FC_BADCSUM ? l->cls[c] : 0;

		if (r->cls[c] != want)
			return snprintf(why, len, "the consumer got %lu %s frames, expected %lu (the cable carried %lu)",
					r->cls[c], frame_class_names[c], want, l->cls[c]), 0;
	}
	snprintf(why, len, "%lu of the %lu probes the NIC could take arrived once (%lu lost%s), %lu dups and %lu "
		 "out of order as sent, %lu truncated and %lu bad-checksum seen as such; %lu withheld, %lu runt, "
		 "%lu oversize, %lu bad-FCS, %lu link-lost not delivered", t.want - t.maybe_lost, t.want,
		 t.maybe_lost, f->spec.kind == FAULT_GUEST ? " in the guest" : " in flight at link down",
		 t.want_dup, l->ooo, l->cls[FC_TRUNCATED], l->cls[FC_BADCSUM], l->withheld, l->cls[FC_RUNT],
		 l->cls[FC_OVERSIZE], l->cls[FC_BADFCS], l->cls[FC_LINK_LOST]);
	return 1;
}

static int counters_verdict(const struct fault_stage *f, const struct fault_report *r,
			    char *why, size_t len)
{
	const struct fault_ledger *l = &f->led;
	long long lost, missed = r->missed < 0 ? 0 : r->missed;
	long long xdrop = (r->xsk_drop < 0 ? 0 : r->xsk_drop) + (r->xdp_drop < 0 ? 0 : r->xdp_drop);
	struct tally t;

	tally(f, r, 0, &t);
	lost = t.missing;
	if (r->rx_short != (long long)l->cls[FC_RUNT] || r->rx_long != (long long)l->cls[FC_OVERSIZE])
		return snprintf(why, len, "rx_short_length_errors +%lld and rx_long_length_errors +%lld, the cable "
				"carried %lu runts and %lu oversize frames", r->rx_short, r->rx_long,
				l->cls[FC_RUNT], l->cls[FC_OVERSIZE]), 0;
	if (r->crc != (long long)l->cls[FC_BADFCS] && (r->crc > 0 || l->cls[FC_BADFCS]))
		return snprintf(why, len, "rx_crc_errors +%lld, the cable carried %lu frames with a bad FCS",
				r->crc, l->cls[FC_BADFCS]), 0;
	if (lost != missed + xdrop)
		return snprintf(why, len, "the consumer lacks %lld probes the NIC could take, but rx_missed_errors "
				"+%lld and the XDP and socket drops +%lld account for %lld (rx_no_buffer_count +%lld)",
				lost, missed, xdrop, missed + xdrop, r->nobuf), 0;
	snprintf(why, len, "rx_short_length_errors +%lld, rx_long_length_errors +%lld, rx_crc_errors +%lld, "
		 "rx_missed_errors +%lld, XDP and socket drops +%lld: every frame refused or lost is counted",
		 r->rx_short, r->rx_long, r->crc < 0 ? 0 : r->crc, missed, xdrop);
	return 1;
}

int fault_verdict(const struct fault_stage *f, const struct fault_report *r, const char *reader,
		  char *why, size_t len)
{
	if (!r->have_seen || !r->have_consumed || !r->have_counters)
		return snprintf(why, len, "the agent did not report its consumer (%s%s%s missing)",
				r->have_seen ? "" : "seen ", r->have_consumed ? "" : "consumed ",
				r->have_counters ? "" : "counters"), strcmp(reader, "consumer") &&
		       strcmp(reader, "counters") && strcmp(reader, "recovered") ? -1 : 0;
	if (!strcmp(reader, "consumer"))
		return consumer_verdict(f, r, why, len);
	if (!strcmp(reader, "counters"))
		return counters_verdict(f, r, why, len);
	if (!strcmp(reader, "recovered")) {
		uint32_t from = f->count - f->spec.clean;
		struct tally t;

		tally(f, r, from, &t);
		if (f->spec.kind == FAULT_LINK && (!r->carrier_downs || !r->carrier_ups))
			return snprintf(why, len, "the guest saw its carrier go down %lu and come up %lu times, "
					"expected both after set_link off/on", r->carrier_downs, r->carrier_ups), 0;
		if (t.missing || t.want < f->spec.clean)
			return snprintf(why, len, "%lu of the last %u probes (sent clean, after the fault) never arrived "
					"(first seq %ld)", t.missing + f->spec.clean - t.want, f->spec.clean,
					t.first_missing), 0;
		snprintf(why, len, "the last %u probes, sent clean after the fault, all arrived%s", f->spec.clean,
			 f->spec.kind == FAULT_LINK ? "; the carrier went down and up" : "");
		return 1;
	}
	return -1;
}
