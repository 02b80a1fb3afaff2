/* SPDX-License-Identifier: GPL-2.0 */
/*
 * runner.h - one boot of a rig: QEMU, the guest agent's control channel, the
 * console, the wire; and the results it produces.
 */
#ifndef NICRIG_RUNNER_H
#define NICRIG_RUNNER_H

#include <stdbool.h>
#include <stdio.h>
#include <time.h>

#include "expect.h"
#include "rig.h"
#include "testdef.h"

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
/*
 * The variants scripts/kernel-variant.sh WHICH prints (--names: all,
 * --matrix: the matrix's default), joined by sep in out.
 */
int variant_list(const struct env *env, const char *which, const char *sep, char *out, size_t len,
		 char *err, size_t errlen);
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
	bool skipped;		/* ok, and every reader was expected to error: the rig cannot run it */
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
	unsigned long long console_limit;	/* bytes; 0: CONSOLE_LIMIT (run.h) */
	bool libvirt;			/* --engine libvirt: a transient domain (engine.h) */
	const char *libvirt_uri;	/* its connection; NULL: libvirt's default */
	/* a remote libvirt host connects back to this address (--wire-addr); NULL: the route's */
	const char *wire_addr;
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
	int skipped;		/* tests the rig cannot run, as expected: neither passed nor failed */
	bool host_failed;	/* the libvirt host refused or was lost: not the rig's fault */
	struct expect_matrix matrix;	/* the rows expectations point into */
};

/* Boots the rig, runs the tests, writes results; returns 0 iff all matched. */
int run_rig(const struct env *env, const struct run_opts *o, struct run_result *res);
/* Interactive console on stdio; returns QEMU's exit status. */
int boot_rig(const struct env *env, const struct rig *rig, const char *variant,
	     const char *kernel_image, bool dry_run);
void run_result_free(struct run_result *res);

/*
 * Report writers (report.c).  A cell is one reader of one test on one boot
 * (rig, variant), or the boot's own cell: test "-", reader "kernel_log"
 * (clean console, no fatal error) or, from the matrix, "boot" (no results).
 */
struct report_cell {
	char rig[64], nic[16], variant[64], test[64], reader[READER_NAME_MAX + 1];
	char expected[8], observed[8], detail[256];
	const char *diag;	/* the test's agent diagnostics, or NULL */
	double seconds;
	int match;		/* observed is what tests/expectations says */
};

void report_ktap(FILE *f, const struct run_opts *o, const struct run_result *res);
/* The run's cells, kernel_log last, in a malloc'd array of *n; NULL without memory. */
struct report_cell *report_cells_of(const struct run_opts *o, const struct run_result *res,
				    size_t *n);
/* JUnit XML, one testcase per cell, failures where a cell did not match. */
int report_junit(const char *path, const char *suite, const struct report_cell *cells, size_t n,
		 double wall_seconds);
/*
 * cells.tsv: one line per cell, tab-separated,
 * rig nic variant test reader expected observed seconds matched detail.
 */
int report_cells(const char *path, const struct report_cell *cells, size_t n);
/* Appends the cells of a cells.tsv to *cells (n of cap); -1 if unreadable. */
int report_cells_read(const char *path, struct report_cell **cells, size_t *n, size_t *cap);
int report_cell_add(struct report_cell **cells, size_t *n, size_t *cap, const struct report_cell *c);
/*
 * --json: one object on f, {"version":1, "kind":kind, "result":"pass"|"fail",
 * "counts":{...}, "cells":[...], ...}; the schema is in README.
 */
void report_json(FILE *f, const char *kind, const struct report_cell *cells, size_t n,
		 const char *fatal, const char *out_dir, double wall_seconds);
/*
 * `status`, for scripts: KEY=value lines, RESULT=pass|fail, CELLS, MATCHED,
 * MISMATCHED, then the extra lines given (each "KEY=value"), FATAL last.
 */
int report_status(const char *path, const struct report_cell *cells, size_t n,
		  const char *extra, const char *fatal);

/* s as XML text or a double-quoted attribute's value; s as a JSON string, quotes included. */
void xml_escaped(FILE *f, const char *s);
void json_string(FILE *f, const char *s);
/*
 * kcidb.json (KernelCI's kcidb I/O schema 4.1): one checkout (this run),
 * one build per kernel variant, one test per cell (kcidb.c).
 */
int report_kcidb(const char *path, const struct report_cell *cells, size_t n, time_t started,
		 const char *out_dir);

/* Console line that fails a run even if every test passed, or NULL. */
const char *kernel_log_problem(const char *line);

#endif /* NICRIG_RUNNER_H */
