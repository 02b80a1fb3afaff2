/* SPDX-License-Identifier: GPL-2.0 */
/* expect.h - the expectation matrix (tests/expectations): what should happen. */
#ifndef NICRIG_EXPECT_H
#define NICRIG_EXPECT_H

#include <stddef.h>

/*
 * What a test cell can show: every probe intact (pass), metadata wrong or
 * missing (fail), or the test could not run its check at all (error, e.g. a
 * zero-copy bind the driver refuses).  error is never a fail: a broken setup
 * must not pass for an expected metadata failure.
 */
enum outcome { OUT_NONE = -1, OUT_FAIL = 0, OUT_PASS = 1, OUT_ERROR = 2 };
extern const char *const outcome_names[];	/* indexed by outcome + 1 */

/* One line of tests/expectations. */
struct expectation {
	char test[64], nic[16], variant[64], reader[64];
	int outcome;		/* enum outcome: pass, fail or error */
	char reason[256];
	int line;
};

struct expect_matrix {
	char path[512];
	struct expectation *rows;
	size_t n;
};

int expect_load(struct expect_matrix *m, const char *path, char *err, size_t errlen);
void expect_free(struct expect_matrix *m);
/* First row matching (a * in the matrix matches anything), or NULL. */
const struct expectation *expect_lookup(const struct expect_matrix *m, const char *test,
					const char *nic, const char *variant,
					const char *reader);

#endif /* NICRIG_EXPECT_H */
