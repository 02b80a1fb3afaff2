// SPDX-License-Identifier: GPL-2.0
/* rig.c - rigs, test definitions and the expectation matrix (see rig.h). */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/types.h>

#include "kv.h"
#include "meta.h"
#include "rig.h"
#include "util.h"

const char *const nic_names[] = { "igb", "ixgbe", "veth", "veth-skb", "igc", NULL };
const char *const accel_names[] = { "auto", "kvm", "tcg", NULL };
const char *const outcome_names[] = { "none", "fail", "pass", "error", NULL };
const char *const template_names[] = { "udp4", "udp6", "vlan", "qinq", "gretap", "udp4-flows", "tcp4", NULL };
const char *const wire_mode_names[] = { "probes", "reflect", NULL };
static const char *const carrier_names[] = { "igb", "ixgbe", NULL };

#define F_STR(k, field, d) { k, KV_STRING, offsetof(struct rig, field), \
			     sizeof(((struct rig *)0)->field), 0, 0, NULL, d }
#define F_UINT(k, field, lo, hi, d) { k, KV_UINT, offsetof(struct rig, field), 0, lo, hi, NULL, d }
#define F_ENUM(k, field, ch, d) { k, KV_ENUM, offsetof(struct rig, field), 0, 0, 0, ch, d }

static const struct kv_field rig_fields[] = {
	F_STR("DESCRIPTION", description, ""),
	F_ENUM("NIC", nic, nic_names, NULL),
	F_ENUM("CARRIER", carrier, carrier_names, "igb"),
	F_UINT("CPUS", cpus, 1, 64, "2"),
	F_UINT("MEMORY", memory_mb, 256, 65536, "1024"),
	F_UINT("QUEUES", queues, 1, 64, "2"),
	F_STR("KERNEL", kernel, "baseline"),
	F_ENUM("ACCEL", accel, accel_names, "auto"),
	F_UINT("BOOT_TIMEOUT", boot_timeout, 5, 3600, "180"),
	F_STR("TESTS", tests, "xdp_pass_meta"),
};

static int valid_name(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-' && *s != '.')
			return 0;
	return 1;
}

int rig_load(struct rig *r, const char *top, const char *name_or_path, char *err, size_t errlen)
{
	struct kv_file f;
	const char *base;
	size_t len;
	int rc;

	memset(r, 0, sizeof(*r));
	if (strchr(name_or_path, '/') || strstr(name_or_path, ".rig")) {
		snprintf(r->path, sizeof(r->path), "%s", name_or_path);
	} else {
		if (!valid_name(name_or_path))
			return fail(err, errlen, "'%s' is not a rig name", name_or_path);
		snprintf(r->path, sizeof(r->path), "%s/rigs/%s.rig", top, name_or_path);
		if (access(r->path, R_OK))
			return fail(err, errlen, "no rig named '%s' (%s: %s); rigs live in %s/rigs/",
				    name_or_path, r->path, strerror(errno), top);
	}
	base = strrchr(r->path, '/');
	base = base ? base + 1 : r->path;
	len = strcspn(base, ".");
	if (len >= sizeof(r->name))
		len = sizeof(r->name) - 1;
	memcpy(r->name, base, len);

	if (kv_load(&f, r->path, err, errlen))
		return -1;
	rc = kv_apply(&f, rig_fields, sizeof(rig_fields) / sizeof(rig_fields[0]), r, err, errlen);
	if (!rc && !valid_name(r->kernel))
		rc = fail(err, errlen, "%s:%d: KERNEL: '%s' is not a variant name", r->path,
			  kv_find(&f, "KERNEL") ? kv_find(&f, "KERNEL")->line : 0, r->kernel);
	kv_free(&f);
	return rc;
}

#define T_STR(k, field, d) { k, KV_STRING, offsetof(struct test_def, field), \
			     sizeof(((struct test_def *)0)->field), 0, 0, NULL, d }
#define T_UINT(k, field, lo, hi, d) { k, KV_UINT, offsetof(struct test_def, field), 0, lo, hi, NULL, d }

static const struct kv_field test_fields[] = {
	T_STR("DESCRIPTION", description, NULL),
	{ "FRAMES", KV_ENUM, offsetof(struct test_def, frames), 0, 0, 0, template_names, "udp4" },
	T_UINT("COUNT", count, 1, 1000000, "64"),
	T_UINT("SIZE", size, 60, WIRE_FRAME_MAX, "128"),
	T_UINT("SIZE_MAX", size_max, 0, WIRE_FRAME_MAX, "0"),
	T_UINT("TIMEOUT", timeout, 1, 3600, "120"),
	T_UINT("RATE", rate, 0, 10000000, "0"),
	{ "WIRE", KV_ENUM, offsetof(struct test_def, wire), 0, 0, 0, wire_mode_names, "probes" },
	T_STR("READERS", readers, "data_meta,dynptr"),
	T_STR("RIG_READERS", rig_readers, ""),
};

/* The runner keeps MAX_READERS results of READER_NAME_MAX characters: no more, no longer. */
static int check_readers(const struct test_def *t, const char *where, char *err, size_t errlen)
{
	const char *s = t->readers;
	int n = 0;

	for (s += strspn(s, ","); *s; s += strspn(s, ",")) {
		size_t len = strcspn(s, ",");

		if (len > READER_NAME_MAX)
			return fail(err, errlen, "%s: test %s: READERS: reader '%.20s...' has %zu characters, at most %d",
				    where, t->name, s, len, READER_NAME_MAX);
		if (++n > MAX_READERS)
			return fail(err, errlen, "%s: test %s: READERS: more than %d readers",
				    where, t->name, MAX_READERS);
		s += len;
	}
	if (!n)
		return fail(err, errlen, "%s: test %s: READERS names no reader", where, t->name);
	return 0;
}

bool test_is_rate(const struct test_def *t)
{
	const char *s = t->readers + strspn(t->readers, ",");
	size_t len = strcspn(s, ",");

	return len == 4 && !strncmp(s, "rate", 4) && !s[len + strspn(s + len, ",")];
}

int test_def_load(struct test_def *t, const char *top, const char *name, char *err, size_t errlen)
{
	const struct kv_entry *e;
	char path[600], where[620];
	struct kv_file f;
	int rc;

	memset(t, 0, sizeof(*t));
	if (!valid_name(name) || strlen(name) >= sizeof(t->name))
		return fail(err, errlen, "'%s' is not a test name", name);
	snprintf(t->name, sizeof(t->name), "%s", name);
	snprintf(path, sizeof(path), "%s/tests/cases/%s.test", top, name);
	if (access(path, R_OK))
		return fail(err, errlen, "no test named '%s' (%s: %s)", name, path, strerror(errno));
	if (kv_load(&f, path, err, errlen))
		return -1;
	rc = kv_apply(&f, test_fields, sizeof(test_fields) / sizeof(test_fields[0]), t, err, errlen);
	e = kv_find(&f, "READERS");
	if (e)
		snprintf(where, sizeof(where), "%s:%d", path, e->line);
	else
		snprintf(where, sizeof(where), "%s (default READERS)", path);
	kv_free(&f);
	if (!rc && t->size_max && t->size_max < t->size)
		return fail(err, errlen, "%s: SIZE_MAX=%u is below SIZE=%u", path, t->size_max, t->size);
	if (!rc && check_readers(t, where, err, errlen))
		return -1;
	if (!rc && t->count > NICRIG_MAX_SEQ && !test_is_rate(t))
		return fail(err, errlen, "%s: COUNT=%u: above %u only with READERS=rate alone (a make bench "
			    "rate test): every other reader keeps a record per probe, for at most %u probes",
			    path, t->count, NICRIG_MAX_SEQ, NICRIG_MAX_SEQ);
	return rc;
}

unsigned int test_probe_size(const struct test_def *t, unsigned int seq)
{
	unsigned int span;

	if (!t->size_max || seq == 0)
		return t->size;
	if (seq == 1)
		return t->size_max;
	span = t->size_max - t->size + 1;
	return t->size + (unsigned int)((uint64_t)seq * 2654435761u % span);
}

int expect_load(struct expect_matrix *m, const char *path, char *err, size_t errlen)
{
	char buf[1024];
	size_t cap = 0;
	int line = 0;
	FILE *fp;

	memset(m, 0, sizeof(*m));
	snprintf(m->path, sizeof(m->path), "%s", path);
	fp = fopen(path, "r");
	if (!fp)
		return fail(err, errlen, "%s: %s", path, strerror(errno));
	while (fgets(buf, sizeof(buf), fp)) {
		struct expectation e = { .line = ++line };
		char verdict[16];
		int off = 0;

		if (buf[0] == '#' || strspn(buf, " \t\r\n") == strlen(buf))
			continue;
		if (sscanf(buf, "%63s %15s %63s %63s %15s %n", e.test, e.nic, e.variant,
			   e.reader, verdict, &off) != 5 || !off) {
			fclose(fp);
			expect_free(m);
			return fail(err, errlen, "%s:%d: expected 'TEST NIC VARIANT READER pass|fail|error REASON'",
				    path, line);
		}
		if (!strcmp(verdict, "pass")) {
			e.outcome = OUT_PASS;
		} else if (!strcmp(verdict, "fail")) {
			e.outcome = OUT_FAIL;
		} else if (!strcmp(verdict, "error")) {
			e.outcome = OUT_ERROR;
		} else {
			fclose(fp);
			expect_free(m);
			return fail(err, errlen, "%s:%d: '%s' is not pass, fail or error", path, line, verdict);
		}
		snprintf(e.reason, sizeof(e.reason), "%s", buf + off);
		e.reason[strcspn(e.reason, "\r\n")] = '\0';
		if (!e.reason[0]) {
			fclose(fp);
			expect_free(m);
			return fail(err, errlen, "%s:%d: every expectation needs a reason", path, line);
		}
		if (m->n == cap) {
			struct expectation *n;

			cap = cap ? cap * 2 : 32;
			n = realloc(m->rows, cap * sizeof(*n));
			if (!n) {
				fclose(fp);
				expect_free(m);
				return fail(err, errlen, "%s: out of memory", path);
			}
			m->rows = n;
		}
		m->rows[m->n++] = e;
	}
	fclose(fp);
	return 0;
}

void expect_free(struct expect_matrix *m)
{
	free(m->rows);
	m->rows = NULL;
	m->n = 0;
}

static int match(const char *pattern, const char *value)
{
	return !strcmp(pattern, "*") || !strcmp(pattern, value);
}

const struct expectation *expect_lookup(const struct expect_matrix *m, const char *test,
					const char *nic, const char *variant, const char *reader)
{
	for (size_t i = 0; i < m->n; i++) {
		const struct expectation *e = &m->rows[i];

		if (match(e->test, test) && match(e->nic, nic) &&
		    match(e->variant, variant) && match(e->reader, reader))
			return e;
	}
	return NULL;
}
