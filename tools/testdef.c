// SPDX-License-Identifier: GPL-2.0
/* testdef.c - test definitions, tests/cases/NAME.test (see testdef.h). */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <linux/types.h>

#include "kv.h"
#include "meta.h"
#include "testdef.h"
#include "util.h"

const char *const template_names[] = { "udp4", "udp6", "vlan", "qinq", "gretap", "udp4-flows", "tcp4", NULL };
const char *const wire_mode_names[] = { "probes", "reflect", NULL };
const char *const size_order_names[] = { "sweep", "alternate", NULL };

#define T_STR(k, field, d) { k, KV_STRING, offsetof(struct test_def, field), \
			     sizeof(((struct test_def *)0)->field), 0, 0, NULL, d }
#define T_UINT(k, field, lo, hi, d) { k, KV_UINT, offsetof(struct test_def, field), 0, lo, hi, NULL, d }

static const struct kv_field test_fields[] = {
	T_STR("DESCRIPTION", description, NULL),
	{ "FRAMES", KV_ENUM, offsetof(struct test_def, frames), 0, 0, 0, template_names, "udp4" },
	T_UINT("COUNT", count, 1, 1000000, "64"),
	T_UINT("SIZE", size, 60, NICRIG_FRAME_MAX, "128"),
	T_UINT("SIZE_MAX", size_max, 0, NICRIG_FRAME_MAX, "0"),
	{ "SIZE_ORDER", KV_ENUM, offsetof(struct test_def, size_order), 0, 0, 0, size_order_names, "sweep" },
	T_UINT("TIMEOUT", timeout, 1, 3600, "120"),
	T_UINT("RATE", rate, 0, 10000000, "0"),
	{ "WIRE", KV_ENUM, offsetof(struct test_def, wire), 0, 0, 0, wire_mode_names, "probes" },
	T_STR("READERS", readers, "data_meta,dynptr"),
	T_STR("RIG_READERS", rig_readers, ""),
	/* parsed by fault_parse once COUNT and SIZE are known */
	{ "FAULT", KV_STRING, offsetof(struct test_def, fault_text), sizeof(((struct test_def *)0)->fault_text), 0, 0, NULL, "" },
	/*
	 * The guest side, for scripts/gen-test-table.sh, which makes the agent's
	 * table of them and requires AGENT (the runner does not call it).
	 */
	T_STR("AGENT", agent, ""),
	T_STR("AGENT_ARG", agent_arg, "0"),
};

/* The runner keeps MAX_READERS results of READER_NAME_MAX characters: no more, no longer. */
static int check_readers(const struct test_def *t, const char *where, char *err, size_t errlen)
{
	const char *s = t->readers;
	int n = 0;

	for (s += strspn(s, ","); *s; s += strspn(s, ",")) {
		size_t len = strcspn(s, ",");

		if (len > READER_NAME_MAX)
			return set_error(err, errlen, "%s: test %s: READERS: reader '%.20s...' has %zu characters, at most %d",
					 where, t->name, s, len, READER_NAME_MAX);
		if (++n > MAX_READERS)
			return set_error(err, errlen, "%s: test %s: READERS: more than %d readers",
					 where, t->name, MAX_READERS);
		s += len;
	}
	if (!n)
		return set_error(err, errlen, "%s: test %s: READERS names no reader", where, t->name);
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
	char path[600], where[620], ferr[200];
	struct kv_file f;
	int rc;

	memset(t, 0, sizeof(*t));
	if (!valid_name(name) || strlen(name) >= sizeof(t->name))
		return set_error(err, errlen, "'%s' is not a test name", name);
	snprintf(t->name, sizeof(t->name), "%s", name);
	snprintf(path, sizeof(path), "%s/tests/cases/%s.test", top, name);
	if (access(path, R_OK))
		return set_error(err, errlen, "no test named '%s' (%s: %s)", name, path, strerror(errno));
	if (kv_load(&f, path, err, errlen))
		return -1;
	rc = kv_apply(&f, test_fields, sizeof(test_fields) / sizeof(test_fields[0]), t, err, errlen);
	e = kv_find(&f, "READERS");
	if (e)
		snprintf(where, sizeof(where), "%s:%d", path, e->line);
	else
		snprintf(where, sizeof(where), "%s (default READERS)", path);
	if (!rc && fault_parse(&t->fault, t->fault_text, t->count, t->size, ferr, sizeof(ferr))) {
		e = kv_find(&f, "FAULT");
		rc = set_error(err, errlen, "%s:%d: %s", path, e ? e->line : 0, ferr);
	}
	kv_free(&f);
	if (!rc && t->size_max && t->size_max < t->size)
		return set_error(err, errlen, "%s: SIZE_MAX=%u is below SIZE=%u", path, t->size_max, t->size);
	if (!rc && t->size_order == SIZE_ALTERNATE && !t->size_max)
		return set_error(err, errlen, "%s: SIZE_ORDER=alternate needs SIZE_MAX, the odd probes' size", path);
	if (!rc && check_readers(t, where, err, errlen))
		return -1;
	if (!rc && t->count > NICRIG_MAX_SEQ && !test_is_rate(t))
		return set_error(err, errlen, "%s: COUNT=%u: above %u only with READERS=rate alone (a make bench "
				 "rate test): every other reader keeps a record per probe, for at most %u probes",
				 path, t->count, NICRIG_MAX_SEQ, NICRIG_MAX_SEQ);
	return rc;
}

unsigned int test_probe_size(const struct test_def *t, unsigned int seq)
{
	unsigned int span;

	if (!t->size_max || seq == 0)
		return t->size;
	if (seq == 1 || (t->size_order == SIZE_ALTERNATE && seq & 1))
		return t->size_max;
	if (t->size_order == SIZE_ALTERNATE)
		return t->size;
	span = t->size_max - t->size + 1;
	return t->size + (unsigned int)((uint64_t)seq * 2654435761u % span);
}

int test_select_readers(struct test_def *t, const char *only, char *err, size_t errlen)
{
	char want[sizeof(t->readers)], have[sizeof(t->readers) + 2], *save;

	snprintf(want, sizeof(want), "%s", only);
	snprintf(have, sizeof(have), ",%s,", t->readers);
	for (char *s = strtok_r(want, ",", &save); s; s = strtok_r(NULL, ",", &save)) {
		char key[READER_NAME_MAX + 3];

		snprintf(key, sizeof(key), ",%s,", s);
		if (!strstr(have, key))
			return set_error(err, errlen, "test %s has no reader '%s' (tests/cases/%s.test lists its READERS)",
				    t->name, s, t->name);
	}
	if (!only[strspn(only, ",")])
		return set_error(err, errlen, "test %s/: name at least one reader after the '/'", t->name);
	snprintf(t->readers, sizeof(t->readers), "%s", only);
	return 0;
}
