/* SPDX-License-Identifier: GPL-2.0 */
/*
 * harness.h - a small KTAP-emitting unit test harness in the spirit of the
 * kselftest harness: TEST(name) defines a case, EXPECT_* record a failure
 * with file, line, expected and actual values and go on; ASSERT_* stop the
 * case.
 */
#ifndef NICRIG_HARNESS_H
#define NICRIG_HARNESS_H

#include <stdio.h>
#include <string.h>

struct unit_test {
	const char *name;
	void (*fn)(struct unit_test *t);
	int failed;
	struct unit_test *next;
};

void unit_register(struct unit_test *t);

#define TEST(name)							\
	static void name##_fn(struct unit_test *_t);			\
	static struct unit_test name##_case = { #name, name##_fn, 0, NULL }; \
	__attribute__((constructor)) static void name##_reg(void)	\
	{								\
		unit_register(&name##_case);				\
	}								\
	static void name##_fn(struct unit_test *_t)

#define _FAIL(fmt, ...)							\
	do {								\
		printf("    # %s:%d: " fmt "\n", __FILE__, __LINE__, __VA_ARGS__); \
		_t->failed++;						\
	} while (0)

#define EXPECT_EQ(expected, actual)					\
	do {								\
		long long _e = (long long)(expected), _a = (long long)(actual); \
		if (_e != _a)						\
			_FAIL("%s == %s: expected %lld, got %lld", #expected, #actual, _e, _a); \
	} while (0)

#define EXPECT_TRUE(cond)						\
	do {								\
		if (!(cond))						\
			_FAIL("expected %s", #cond);			\
	} while (0)

#define EXPECT_STR_EQ(expected, actual)					\
	do {								\
		const char *_e = (expected), *_a = (actual);		\
		if (!_a || strcmp(_e, _a))				\
			_FAIL("%s: expected \"%s\", got \"%s\"", #actual, _e, _a ? _a : "(null)"); \
	} while (0)

#define EXPECT_CONTAINS(haystack, needle)				\
	do {								\
		const char *_h = (haystack), *_n = (needle);		\
		if (!_h || !strstr(_h, _n))				\
			_FAIL("%s: expected to contain \"%s\", got \"%s\"", #haystack, _n, _h ? _h : "(null)"); \
	} while (0)

#define ASSERT_TRUE(cond)						\
	do {								\
		if (!(cond)) {						\
			_FAIL("assertion %s failed", #cond);		\
			return;						\
		}							\
	} while (0)

/* A scratch directory for this process, removed at exit. */
const char *unit_tmpdir(void);
/* Writes text to unit_tmpdir()/name (creating directories) and returns the path. */
const char *unit_write(const char *name, const char *text);
/* The first 16 KiB of dir/name, in a static buffer; NULL if unreadable. */
char *unit_slurp(const char *dir, const char *name);

#endif /* NICRIG_HARNESS_H */
