// SPDX-License-Identifier: GPL-2.0
/* expect.c - the expectation matrix, tests/expectations (see expect.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expect.h"
#include "util.h"

const char *const outcome_names[] = { "none", "fail", "pass", "error", NULL };

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
		return set_error(err, errlen, "%s: %s", path, strerror(errno));
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
			return set_error(err, errlen, "%s:%d: expected 'TEST NIC VARIANT READER pass|fail|error REASON'",
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
			return set_error(err, errlen, "%s:%d: '%s' is not pass, fail or error", path, line, verdict);
		}
		snprintf(e.reason, sizeof(e.reason), "%s", buf + off);
		e.reason[strcspn(e.reason, "\r\n")] = '\0';
		if (!e.reason[0]) {
			fclose(fp);
			expect_free(m);
			return set_error(err, errlen, "%s:%d: every expectation needs a reason", path, line);
		}
		if (m->n == cap) {
			struct expectation *n;

			cap = cap ? cap * 2 : 32;
			n = realloc(m->rows, cap * sizeof(*n));
			if (!n) {
				fclose(fp);
				expect_free(m);
				return set_error(err, errlen, "%s: out of memory", path);
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
