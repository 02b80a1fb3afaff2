// SPDX-License-Identifier: GPL-2.0
/*
 * nicrig.c - the command line: boot a rig, run its driver-path tests.
 *
 *   nicrig test RIG [TEST...] [options]   boot headless, run, compare, report
 *   nicrig boot RIG [options]             interactive console
 *   nicrig help [COMMAND]
 *
 * Subcommands may be abbreviated to any unique prefix.  Each command is a
 * row of cmds[] with a table of its options (cli.c parses them all and
 * generates the usage lines and help); the options are defined once below.
 */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bisect.h"
#include "cli.h"
#include "engine.h"
#include "matrix.h"
#include "rig.h"
#include "qemu.h"
#include "runner.h"
#include "util.h"

#define VAL(field) offsetof(struct cli_args, field)

static const struct cli_opt opt_kernel = { "kernel", 'k', CLI_VALUE, "VARIANT|PATH",
	"a kernel variant instead of the rig's KERNEL, or a\n"
	"kernel of your own: a bzImage, or its build directory\n"
	"(any tree built with 'make own-kernel', see README)", VAL(kernel), 0, false };
static const struct cli_opt opt_kernel_image = { "kernel", 'k', CLI_VALUE, "PATH",
	"every rig on a kernel of your own (see 'nicrig help\n"
	"test') instead of the variants, held to --expect\n"
	"VARIANT's expectations", VAL(kernel), 0, false };
static const struct cli_opt opt_expect = { "expect", 0, CLI_VALUE, "VARIANT",
	"with --kernel PATH: the variant whose expectations\n"
	"it must meet", VAL(expect), 0, false };
static const struct cli_opt opt_out = { "out", 'o', CLI_VALUE, "DIR",
	"results directory (default results/<time>-...)", VAL(out), 0, false };
static const struct cli_opt opt_trace = { "trace", 0, CLI_VALUE, "EVENTS",
	"QEMU trace events to log in device-trace.log:\n"
	"patterns as for QEMU's -trace enable=, comma-separated\n"
	"(e.g. 'e1000e_rx_rss*,igb_rx_metadata_rss')", VAL(trace), 0, false };
static const struct cli_opt opt_break_check = { "break-check", 0, CLI_FLAG, NULL,
	"make the TC readers expect a wrong pattern: every\n"
	"metadata reader must then fail (the check can fail)", 0, VAL(break_check), false };
static const struct cli_opt opt_break_reflect = { "break-reflect", 0, CLI_FLAG, NULL,
	"a WIRE=reflect test's loopback cable drops every\n"
	"10th frame (the suites behind it can fail)", 0, VAL(break_reflect), false };
static const struct cli_opt opt_dry_run = { "dry-run", 0, CLI_FLAG, NULL,
	"print the QEMU command line and exit", 0, VAL(dry_run), false };
static const struct cli_opt opt_verbose = { "verbose", 'v', CLI_FLAG, NULL,
	"libbpf debug output on the guest console", 0, VAL(verbose), false };
static const struct cli_opt opt_json = { "json", 0, CLI_FLAG, NULL,
	"the results as one JSON object on stdout instead of\n"
	"KTAP or the table (schema: README, Output for scripts)", 0, VAL(json), false };
static const struct cli_opt opt_gdb = { "gdb", 0, CLI_OPTIONAL, "PORT",
	"start QEMU's gdb stub on 127.0.0.1:PORT (default\n"
	"1234), boot with nokaslr, stretch every timeout x20,\n"
	"print the gdb command that attaches with the\n"
	"variant's vmlinux", VAL(gdb), VAL(gdb_set), false };
static const struct cli_opt opt_from = { "from", 0, CLI_VALUE, "VARIANT",
	"the variant whose outcome is the old one", VAL(from), 0, true };
static const struct cli_opt opt_to = { "to", 0, CLI_VALUE, "VARIANT",
	"the variant whose outcome is the new one", VAL(to), 0, true };
static const struct cli_opt opt_rigs = { "rigs", 0, CLI_VALUE, "R,R",
	"rigs (default " MATRIX_DEFAULT_RIGS ")", VAL(rigs), 0, false };
static const struct cli_opt opt_kernels = { "kernels", 0, CLI_VALUE, "V,V",
	"kernel variants (default: the @matrix line of\n"
	"                     kernel-patches/variants)", VAL(kernels), 0, false };
static const struct cli_opt opt_tests = { "tests", 0, CLI_VALUE, "T,T",
	"tests (default: each rig's TESTS)", VAL(tests), 0, false };
static const struct cli_opt opt_shard = { "shard", 0, CLI_VALUE, "I/N",
	"run only boots I, I+N, I+2N, ... (1-based), to split\n"
	"the matrix across machines", VAL(shard), 0, false };
static const struct cli_opt opt_jobs = { "jobs", 'j', CLI_VALUE, "N",
	"boots at a time (default: the number of CPUs)", VAL(jobs), 0, false };
static const struct cli_opt opt_no_build = { "no-build", 0, CLI_FLAG, NULL,
	"fail on a missing kernel or guest image instead of\n"
	"building it", 0, VAL(no_build), false };

static const struct cli_opt opt_engine = { "engine", 0, CLI_VALUE, "direct|libvirt[=URI]",
	"how QEMU is started: by nicrig (direct, the default), or\n"
	"as a transient libvirt domain on URI (default: libvirt's\n"
	"own, as for virsh); see README, libvirt", VAL(engine), 0, false };
static const struct cli_opt opt_wire_addr = { "wire-addr", 0, CLI_VALUE, "ADDR",
	"a remote libvirt host's QEMU connects back to this\n"
	"address of this machine (default: NICRIG_WIRE_ADDR, else\n"
	"the address on the route to the host)", VAL(wire_addr), 0, false };
static const struct cli_opt opt_hosts = { "hosts", 0, CLI_VALUE, "URI,URI|@FILE",
	"spread the boots over these libvirt connections ('direct':\n"
	"this machine without libvirt), or those in FILE, one a\n"
	"line; a host that refuses or fails has its boots rerun\n"
	"on the others", VAL(hosts), 0, false };
static const struct cli_opt opt_per_host = { "per-host", 0, CLI_VALUE, "N",
	"with --hosts: boots at a time on each host (default 1)", VAL(per_host), 0, false };

static int cmd_test(struct cli_args *a);
static int cmd_xml(struct cli_args *a);
static int cmd_boot(struct cli_args *a);
static int cmd_help(struct cli_args *a);
static int cmd_matrix(struct cli_args *a);
static int cmd_repro(struct cli_args *a);
static int cmd_bisect(struct cli_args *a);

static const struct cli_cmd cmds[] = {
	{ "test", cmd_test, "RIG [TEST...]", 1, 1 + MAX_TESTS,
	  "Boot RIG headless under the configured accelerator, run TESTs (default: the rig's\n"
	  "TESTS; TEST/READER[,READER...] only those readers, e.g. xskxceiver/zc_SEND_RECEIVE),\n"
	  "compare every observed result with tests/expectations and exit 0 only if\n"
	  "all match and the kernel log is clean.  KTAP goes to stdout; console log, control\n"
	  "log, wire pcap, KTAP, JUnit XML, cells.tsv and status go to the results directory.",
	  (const struct cli_opt *const[]){ &opt_kernel, &opt_expect, &opt_out, &opt_trace,
		&opt_break_check, &opt_break_reflect, &opt_dry_run, &opt_verbose, &opt_json,
		&opt_engine, &opt_wire_addr, NULL } },
	{ "xml", cmd_xml, "RIG [TEST...]", 1, 1 + MAX_TESTS,
	  "Print the libvirt domain XML that 'nicrig test RIG --engine libvirt' creates\n"
	  "(its paths are a template: the run picks its own temporary directory).",
	  (const struct cli_opt *const[]){ &opt_kernel, &opt_expect, &opt_trace, NULL } },
	{ "boot", cmd_boot, "RIG", 1, 1,
	  "Boot RIG with its console on this terminal and a shell in the guest, no tests.\n"
	  "Ctrl-A X leaves QEMU.",
	  (const struct cli_opt *const[]){ &opt_kernel, &opt_dry_run, NULL } },
	{ "repro", cmd_repro, "RIG TEST", 2, 2,
	  "Rerun one cell with everything needed to understand it: besides the usual results\n"
	  "(console.log = guest dmesg, wire.pcap = frames in and out, KTAP), the device model's\n"
	  "trace events (device-trace.log) and bpftool's view of the test's programs and maps\n"
	  "after the check (in console.log).",
	  (const struct cli_opt *const[]){ &opt_kernel, &opt_expect, &opt_gdb, &opt_out, &opt_json,
		&opt_engine, &opt_wire_addr, NULL } },
	{ "bisect", cmd_bisect, "RIG TEST", 2, 2,
	  "Name the first patch, in series order, among those --to has and --from lacks, whose\n"
	  "addition changes the cell's outcome (every reader's pass/fail/error).  A binary\n"
	  "search; each step builds --from's patches plus a prefix of the candidates in one\n"
	  "reused worktree (linux-bisect in the cache) and boots the rig once.",
	  (const struct cli_opt *const[]){ &opt_from, &opt_to, &opt_out, NULL } },
	{ "matrix", cmd_matrix, "", 0, 0,
	  "Run every test of every rig on every kernel variant, building missing kernels\n"
	  "first.  Boots (one per rig and kernel, shared by its tests) run --jobs at a time.\n"
	  "Prints one row per cell (rig/kernel/test/reader: expected, observed, time), names\n"
	  "every mismatch, writes matrix.ktap, junit.xml, table.txt and status (KEY=value:\n"
	  "RESULT, CELLS, MATCHED, MISMATCHED, BOOTS, see README) under --out (default\n"
	  "results/matrix-<time>) and exits non-zero on any mismatch.",
	  (const struct cli_opt *const[]){ &opt_rigs, &opt_kernels, &opt_kernel_image, &opt_expect,
		&opt_tests, &opt_shard, &opt_jobs, &opt_out, &opt_no_build, &opt_json, &opt_engine,
		&opt_hosts, &opt_per_host, &opt_wire_addr, NULL } },
	{ "help", cmd_help, "[COMMAND]", 0, 1, "Show help for COMMAND, or list commands.", NULL },
};

#define NCMDS (sizeof(cmds) / sizeof(cmds[0]))

static void usage_all(FILE *f)
{
	fprintf(f, "usage: nicrig COMMAND [ARGS]\n\ncommands:\n");
	for (size_t i = 0; i < NCMDS; i++) {
		fprintf(f, "  nicrig ");
		cli_usage(f, &cmds[i]);
		fputc('\n', f);
	}
	fprintf(f, "\n'nicrig help COMMAND' tells more.\n");
}

static int cmd_help(struct cli_args *a)
{
	const struct cli_cmd *c;
	char err[256];

	if (!a->npos) {
		usage_all(stdout);
		return 0;
	}
	c = cli_find(cmds, NCMDS, a->pos[0], err, sizeof(err));
	if (!c) {
		fprintf(stderr, "Error: %s\n", err);
		return 2;
	}
	cli_help(stdout, c);
	return 0;
}

static int load_env_rig(struct env *env, struct rig *rig, const char *name)
{
	char err[1024];

	if (env_load(env, err, sizeof(err))) {
		fprintf(stderr, "Error: %s\n", err);
		return -1;
	}
	if (rig_load(rig, env->top, name, err, sizeof(err))) {
		fprintf(stderr, "Error: %s\n", err);
		return -1;
	}
	if (rig->accel == ACCEL_KVM && strcmp(env->accel, "kvm")) {
		fprintf(stderr, "Error: rig %s asks for ACCEL=kvm but KVM is not usable here (%s)\n",
			rig->name, env->accel_note[0] ? env->accel_note : "see ./configure");
		return -1;
	}
	if (rig->accel == ACCEL_TCG)
		snprintf(env->accel, sizeof(env->accel), "tcg");
	return 0;
}

/* results/<what>-<time> under the checkout, into buf. */
static const char *default_out_dir(const struct env *env, const char *what, char *buf, size_t len)
{
	char stamp[32];
	time_t t = time(NULL);

	strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", localtime(&t));
	snprintf(buf, len, "%s/results", env->top);
	mkdir(buf, 0755);	/* may exist; a real failure shows when the run writes */
	snprintf(buf, len, "%s/results/%s-%s", env->top, what, stamp);
	return buf;
}

/*
 * --kernel ARG: a variant name, or (with a '/', or naming a file or directory
 * that exists) a kernel of one's own: a bzImage, or a build directory holding
 * arch/x86/boot/bzImage.  For an image,
 * *image points at its path (in buf) and *variant is --expect: the variant
 * whose expectations it is held to (required if need_expect); 0, or -1 after
 * a message.
 */
static int kernel_arg(const char *arg, const char *expect, bool need_expect,
		      const char **variant, const char **image, char *buf, size_t len)
{
	struct stat st;

	*image = NULL;
	if (!arg || (!strchr(arg, '/') && access(arg, F_OK))) {
		if (expect) {
			fprintf(stderr, "Error: --expect %s is for a kernel image of one's own (--kernel PATH); "
				"a variant is held to its own expectations\n", expect);
			return -1;
		}
		*variant = arg;
		return 0;
	}
	snprintf(buf, len, "%s", arg);
	if (!stat(arg, &st) && S_ISDIR(st.st_mode) &&
	    snprintf(buf, len, "%s/arch/x86/boot/bzImage", arg) >= (int)len) {
		fprintf(stderr, "Error: --kernel %s: path too long\n", arg);
		return -1;
	}
	if (access(buf, R_OK)) {
		fprintf(stderr, "Error: --kernel %s: %s: %s (a bzImage, or the build directory "
			"holding arch/x86/boot/bzImage)\n", arg, buf, strerror(errno));
		return -1;
	}
	if (!expect && need_expect) {
		fprintf(stderr, "Error: --kernel %s is a kernel image of your own: say with --expect VARIANT "
			"which variant's expectations it should meet (e.g. --expect series)\n", arg);
		return -1;
	}
	*image = buf;
	*variant = expect;
	return 0;
}

static int engine_arg(const struct cli_args *a, struct run_opts *o)
{
	char err[512];

	o->wire_addr = a->wire_addr;
	if (engine_parse(a->engine, o, err, sizeof(err))) {
		fprintf(stderr, "Error: %s\n", err);
		return -1;
	}
	return 0;
}

/* Runs one boot and prints its KTAP (or JSON); the exit status of `nicrig test`. */
static int run_and_report(const struct env *env, const struct run_opts *o, bool json)
{
	struct run_result *res = calloc(1, sizeof(*res));
	int rc;

	if (!res)
		return 2;
	if (!o->dry_run)
		fprintf(stderr, "nicrig: rig %s, kernel %s, accelerator %s%s%s%s%s%s%s\n", o->rig->name,
			o->kernel_image ? o->kernel_image : o->variant ? o->variant : o->rig->kernel, env->accel,
			env->accel_note[0] ? " (" : "", env->accel_note, env->accel_note[0] ? ")" : "",
			o->libvirt ? ", libvirt domain on " : "",
			o->libvirt ? (o->libvirt_uri ? o->libvirt_uri : "libvirt's default URI") : "",
			"");
	rc = run_rig(env, o, res);
	if (!o->dry_run && json) {
		size_t n = 0;
		struct report_cell *cells = report_cells_of(o, res, &n);

		if (!cells) {
			fprintf(stderr, "Error: out of memory for the JSON report\n");
			rc = 2;
		} else {
			report_json(stdout, "test", cells, n, res->fatal, res->out_dir, res->wall_seconds);
		}
		free(cells);
	} else if (!o->dry_run) {
		report_ktap(stdout, o, res);
	}
	if (res->fatal[0])
		fprintf(stderr, "Error: %s\n", res->fatal);
	if (o->repro && res->out_dir[0])
		fprintf(json ? stderr : stdout,
			"# repro: guest dmesg and bpftool dumps %s/console.log, frames %s/wire.pcap,\n"
			"#        device trace %s/device-trace.log, agent protocol %s/control.log\n",
			res->out_dir, res->out_dir, res->out_dir, res->out_dir);
	run_result_free(res);
	free(res);
	return rc;
}

/* The rig's TESTS into o->tests when none were named. */
static void default_tests(struct run_opts *o, const struct rig *rig)
{
	static char deftests[sizeof(rig->tests)];
	char *save;

	if (o->ntests)
		return;
	o->rig_tests = true;	/* a test's RIG_READERS apply */
	snprintf(deftests, sizeof(deftests), "%s", rig->tests);
	for (char *t = strtok_r(deftests, ",", &save); t && o->ntests < MAX_TESTS;
	     t = strtok_r(NULL, ",", &save))
		o->tests[o->ntests++] = t;
}

static int cmd_test(struct cli_args *a)
{
	static char image[600];
	struct run_opts o = { .out_dir = a->out, .break_check = a->break_check,
			      .break_reflect = a->break_reflect ? 10 : 0,
			      .dry_run = a->dry_run, .verbose = a->verbose };
	struct env env;
	struct rig rig;

	if (a->trace) {
		if (strlen(a->trace) > TRACE_PATTERNS_MAX) {
			fprintf(stderr, "Error: --trace takes at most %d characters of event patterns, got %zu\n",
				TRACE_PATTERNS_MAX, strlen(a->trace));
			return 2;
		}
		if (!*a->trace || strpbrk(a->trace, " =") || strstr(a->trace, ",,") ||
		    *a->trace == ',' || a->trace[strlen(a->trace) - 1] == ',') {
			fprintf(stderr, "Error: --trace takes event names or patterns separated "
				"by commas, got '%s'\n", a->trace);
			return 2;
		}
		o.trace = a->trace;
	}
	if (engine_arg(a, &o))
		return 2;
	if (kernel_arg(a->kernel, a->expect, true, &o.variant, &o.kernel_image, image, sizeof(image)))
		return 2;
	if (load_env_rig(&env, &rig, a->pos[0]))
		return 2;
	o.rig = &rig;
	for (int i = 1; i < a->npos; i++)
		o.tests[o.ntests++] = a->pos[i];
	default_tests(&o, &rig);
	return run_and_report(&env, &o, a->json);
}

/* `nicrig xml`: `nicrig test --engine libvirt --dry-run`, whose output is the domain XML. */
static int cmd_xml(struct cli_args *a)
{
	a->engine = "libvirt";
	a->dry_run = true;
	return cmd_test(a);
}

static int cmd_boot(struct cli_args *a)
{
	const char *variant, *kernel_image;
	static char image[600];
	struct env env;
	struct rig rig;

	/* No expectations to meet here: an image needs no --expect. */
	if (kernel_arg(a->kernel, NULL, false, &variant, &kernel_image, image, sizeof(image)))
		return 2;
	if (load_env_rig(&env, &rig, a->pos[0]))
		return 2;
	return boot_rig(&env, &rig, variant ? variant : rig.kernel, kernel_image, a->dry_run);
}

static int cmd_repro(struct cli_args *a)
{
	struct run_opts o = { .repro = true, .out_dir = a->out };
	static char image[600];
	unsigned long port = 1234;
	char vmlinux[700], elf[700];
	struct env env;
	struct rig rig;

	if (a->gdb_set && a->gdb && parse_ulong(a->gdb, 1, 65535, &port)) {
		fprintf(stderr, "Error: --gdb=PORT needs a TCP port (1..65535), got '%s'\n", a->gdb);
		return 2;
	}
	if (a->gdb_set)
		o.gdb_port = port;
	if (engine_arg(a, &o))
		return 2;
	if (kernel_arg(a->kernel, a->expect, true, &o.variant, &o.kernel_image, image, sizeof(image)))
		return 2;
	if (load_env_rig(&env, &rig, a->pos[0]))
		return 2;
	o.rig = &rig;
	o.tests[o.ntests++] = a->pos[1];
	if (o.gdb_port) {
		if (o.kernel_image)
			snprintf(vmlinux, sizeof(vmlinux), "%s", o.kernel_image);
		else
			env_kernel_path(&env, o.variant ? o.variant : rig.kernel, vmlinux, sizeof(vmlinux));
		fprintf(stderr, "nicrig: gdb stub on 127.0.0.1:%u; attach with:\n"
			"  gdb -ex 'target remote 127.0.0.1:%u' %s\n", o.gdb_port, o.gdb_port,
			kernel_build_file(vmlinux, "vmlinux", elf, sizeof(elf)) ? elf : vmlinux);
	}
	return run_and_report(&env, &o, a->json);
}

static int cmd_bisect(struct cli_args *a)
{
	struct bisect_opts bo = { .from = a->from, .to = a->to, .out_dir = a->out };
	static char out[600];
	struct env env;
	struct rig rig;

	if (load_env_rig(&env, &rig, a->pos[0]))
		return 2;
	bo.rig = &rig;
	bo.test = a->pos[1];
	if (!bo.out_dir)
		bo.out_dir = default_out_dir(&env, "bisect", out, sizeof(out));
	mkdir(bo.out_dir, 0755);
	return bisect_run(&env, &bo);
}

/* Splits a comma-separated list into out[]; returns the count or -1. */
static int split_list(char *s, const char **out, int max)
{
	int n = 0;
	char *save;

	for (char *t = strtok_r(s, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		if (n == max)
			return -1;
		out[n++] = t;
	}
	return n;
}

/* --shard I/N, 1 <= I <= N: 0 with both set, else -1. */
static int parse_shard(const char *s, int *index, int *count)
{
	const char *slash = strchr(s, '/');
	unsigned long i, n;
	char num[24];

	if (!slash || slash - s >= (long)sizeof(num))
		return -1;
	snprintf(num, sizeof(num), "%.*s", (int)(slash - s), s);
	if (parse_ulong(slash + 1, 1, INT_MAX, &n) || parse_ulong(num, 1, n, &i))
		return -1;
	*index = i;
	*count = n;
	return 0;
}

static int cmd_matrix(struct cli_args *a)
{
	static char rigs[512], kernels[512], tests[1024], image[600], out[600];
	struct matrix_opts mo = { .build = !a->no_build, .jobs = (int)sysconf(_SC_NPROCESSORS_ONLN),
				  .out_dir = a->out, .json = a->json };
	const char *variant;
	unsigned long jobs;
	struct env env;
	char err[1024];

	if (env_load(&env, err, sizeof(err))) {
		fprintf(stderr, "Error: %s\n", err);
		return 2;
	}
	snprintf(rigs, sizeof(rigs), "%s", a->rigs ? a->rigs : MATRIX_DEFAULT_RIGS);
	/* the default kernels: the @matrix line of kernel-patches/variants */
	if (a->kernels)
		snprintf(kernels, sizeof(kernels), "%s", a->kernels);
	else if (variant_list(&env, "--matrix", ",", kernels, sizeof(kernels), err, sizeof(err))) {
		fprintf(stderr, "Error: %s\n", err);
		return 2;
	}
	snprintf(tests, sizeof(tests), "%s", a->tests ? a->tests : "");
	if (a->jobs) {
		if (parse_ulong(a->jobs, 1, INT_MAX, &jobs)) {
			fprintf(stderr, "Error: --jobs needs a positive number, got '%s'\n", a->jobs);
			return 2;
		}
		mo.jobs = jobs;
	}
	{
		struct run_opts eo = { 0 };

		if (engine_arg(a, &eo))
			return 2;
		mo.libvirt = eo.libvirt;
		mo.libvirt_uri = eo.libvirt_uri;
		mo.wire_addr = eo.wire_addr;
	}
	if (a->hosts) {
		if (a->engine) {
			fprintf(stderr, "Error: --hosts names each host's engine ('direct' or a libvirt URI); "
				"drop --engine\n");
			return 2;
		}
		if (matrix_hosts_parse(a->hosts, &mo, err, sizeof(err))) {
			fprintf(stderr, "Error: --hosts: %s\n", err);
			return 2;
		}
	}
	if (a->per_host) {
		if (!a->hosts || parse_ulong(a->per_host, 1, INT_MAX, &jobs)) {
			fprintf(stderr, "Error: --per-host needs --hosts and a positive number, got '%s'\n",
				a->per_host);
			return 2;
		}
		mo.per_host = jobs;
	}
	if (a->shard && parse_shard(a->shard, &mo.shard_index, &mo.shard_count)) {
		fprintf(stderr, "Error: --shard takes I/N with 1 <= I <= N, e.g. 2/3, got '%s'\n", a->shard);
		return 2;
	}
	if ((a->kernel || a->expect) &&
	    (!a->kernel || (!strchr(a->kernel, '/') && access(a->kernel, F_OK)))) {
		fprintf(stderr, "Error: matrix takes --kernel PATH --expect VARIANT for a kernel of your own; "
			"variants go in --kernels\n");
		return 2;
	}
	if (a->kernel) {
		if (a->kernels) {
			fprintf(stderr, "Error: --kernel PATH replaces --kernels: one image, held to --expect\n");
			return 2;
		}
		if (kernel_arg(a->kernel, a->expect, true, &variant, &mo.kernel_image, image, sizeof(image)))
			return 2;
		snprintf(kernels, sizeof(kernels), "%s", variant);
	}
	if ((mo.nrigs = split_list(rigs, mo.rigs, MATRIX_MAX)) < 1 ||
	    (mo.nvariants = split_list(kernels, mo.variants, MATRIX_MAX)) < 1 ||
	    (mo.ntests = split_list(tests, mo.tests, MAX_TESTS)) < 0) {
		fprintf(stderr, "Error: --rigs and --kernels need 1..%d names, --tests at most %d\n",
			MATRIX_MAX, MAX_TESTS);
		return 2;
	}
	if (mo.kernel_image && expect_variant_check(&env, mo.variants[0], err, sizeof(err))) {
		fprintf(stderr, "Error: %s\n", err);
		return 2;
	}
	if (!mo.out_dir)
		mo.out_dir = default_out_dir(&env, "matrix", out, sizeof(out));
	return matrix_run(&env, &mo);
}

int main(int argc, char **argv)
{
	const struct cli_cmd *c;
	struct cli_args a;
	char err[1024];

	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		usage_all(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	c = cli_find(cmds, NCMDS, argv[1], err, sizeof(err));
	if (!c || cli_parse(c, argc - 1, argv + 1, &a, err, sizeof(err))) {
		fprintf(stderr, "Error: %s\n", err);
		return 2;
	}
	if (a.help) {
		cli_help(stdout, c);
		return 0;
	}
	return c->fn(&a);
}
