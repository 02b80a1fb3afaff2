/* SPDX-License-Identifier: GPL-2.0 */
/*
 * runner.h - one boot of a rig: QEMU, the guest agent's control channel, the
 * console, the wire; and the results it produces.
 */
#ifndef NICRIG_RUNNER_H
#define NICRIG_RUNNER_H

#include <stdbool.h>
#include <stdio.h>

#include "rig.h"

#define MAX_TESTS	32
/* The longest --trace list of QEMU trace event patterns, in characters. */
#define TRACE_PATTERNS_MAX	255

/* What build/config.mk (written by ./configure and make) tells the runner. */
struct env {
	char top[512];		/* the nicrig checkout */
	char cache[512];	/* NICRIG_CACHE */
	char qemu[512];		/* qemu-system-x86_64 to run */
	char firmware[1024];	/* colon-separated -L directories */
	char accel[8];		/* probed accelerator: kvm or tcg */
	char accel_note[256];	/* why */
};

int env_load(struct env *e, char *err, size_t errlen);
/* Paths of build products, with a hint how to build them when missing. */
void env_kernel_path(const struct env *e, const char *variant, char *out, size_t len);
/* 0 if kernel-patches/variants defines variant, else -1 with err. */
int expect_variant_check(const struct env *env, const char *variant, char *err, size_t errlen);
void env_initramfs_path(const struct env *e, char *out, size_t len);

struct reader_result {
	char name[READER_NAME_MAX + 1];
	int observed;		/* enum outcome */
	char detail[256];
	const struct expectation *expect;
};

struct test_result {
	struct test_def def;
	struct reader_result readers[MAX_READERS];
	int nreaders;
	char error[256];	/* set if the test could not run */
	char *diag;		/* '# ...' lines the agent sent, newline separated */
	size_t diag_len;
	double seconds;
	bool started, ended;	/* agent said ready / end */
	bool ok;		/* every reader matched its expectation */
};

struct run_opts {
	const struct rig *rig;
	const char *variant;		/* overrides rig->kernel */
	const char *kernel_image;	/* a bzImage of one's own; variant names its expectations */
	const char *tests[MAX_TESTS];
	int ntests;
	bool rig_tests;			/* tests are the rig's TESTS: a test's RIG_READERS apply */
	const char *out_dir;		/* results directory; NULL: results/<time>-<rig> */
	bool break_check;		/* --break-check: the metadata check expects a wrong pattern */
	/* --break-reflect: a WIRE=reflect test's cable drops every Nth frame (0: none) */
	unsigned int break_reflect;
	bool dry_run;
	bool verbose;
	bool repro;			/* device trace, bpftool dumps in the console */
	const char *trace;		/* QEMU trace event pattern for device-trace.log */
	unsigned int gdb_port;		/* nonzero: QEMU gdb stub, nokaslr, long timeouts */
};

struct run_result {
	char out_dir[512];
	struct test_result tests[MAX_TESTS];
	int ntests;
	char fatal[512];	/* the run itself failed: boot, hang, panic, QEMU */
	char kernel_problem[512]; /* first warning/BUG/oops line in the console */
	int kernel_problems;
	double boot_seconds;	/* QEMU start to agent hello */
	double wall_seconds;
	int passed, failed;	/* KTAP results, kernel log check included */
	struct expect_matrix matrix;	/* the rows expectations point into */
};

/* Boots the rig, runs the tests, writes results; returns 0 iff all matched. */
int run_rig(const struct env *env, const struct run_opts *o, struct run_result *res);
/* Interactive console on stdio; returns QEMU's exit status. */
int boot_rig(const struct env *env, const struct rig *rig, const char *variant,
	     const char *kernel_image, bool dry_run);
void run_result_free(struct run_result *res);

/* Report writers (report.c). */
void report_ktap(FILE *f, const struct run_opts *o, const struct run_result *res);
int report_junit(const char *path, const struct run_opts *o, const struct run_result *res);
/*
 * One line per matrix cell, tab-separated, for `nicrig matrix`:
 * rig nic variant test reader expected observed seconds matched detail
 * plus a last line for the boot itself (test "-", reader "kernel_log").
 */
int report_cells(const char *path, const struct run_opts *o, const struct run_result *res);

/* Console line that fails a run even if every test passed, or NULL. */
const char *kernel_log_problem(const char *line);

#endif /* NICRIG_RUNNER_H */
