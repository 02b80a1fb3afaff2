// SPDX-License-Identifier: GPL-2.0
/*
 * nicrig.c - the command line: boot a rig, run its driver-path tests.
 *
 *   nicrig test RIG [TEST...] [options]   boot headless, run, compare, report
 *   nicrig boot RIG [options]             interactive console
 *   nicrig help [COMMAND]
 *
 * Subcommands may be abbreviated to any unique prefix.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bisect.h"
#include "matrix.h"
#include "rig.h"
#include "runner.h"
#include "util.h"

struct cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *usage;
	const char *help;
};

static int cmd_test(int argc, char **argv);
static int cmd_boot(int argc, char **argv);
static int cmd_help(int argc, char **argv);
static int cmd_matrix(int argc, char **argv);
static int cmd_repro(int argc, char **argv);
static int cmd_bisect(int argc, char **argv);

static const struct cmd cmds[] = {
	{ "test", cmd_test, "test RIG [TEST...] [--kernel VARIANT | --kernel PATH --expect VARIANT] [--out DIR] [--trace EVENTS] [--break-check] [--break-reflect] [--dry-run] [-v]",
	  "Boot RIG headless under the configured accelerator, run TESTs (default: the rig's\n"
	  "TESTS; TEST/READER[,READER...] only those readers, e.g. xskxceiver/zc_SEND_RECEIVE), compare every observed result with tests/expectations and exit 0 only if\n"
	  "all match and the kernel log is clean.  KTAP goes to stdout; console log, control\n"
	  "log, wire pcap, KTAP and JUnit XML go to the results directory.\n"
	  "  --kernel VARIANT  kernel variant instead of the rig's KERNEL\n"
	  "  --kernel PATH     a kernel of your own: a bzImage, or its build directory (any\n"
	  "                    tree configured with 'make own-kernel', see README)\n"
	  "  --expect VARIANT  with --kernel PATH: the variant whose expectations it must meet\n"
	  "  --out DIR         results directory (default results/<time>-<rig>-<variant>)\n"
	  "  --trace EVENTS    QEMU trace events to log in device-trace.log: patterns as\n"
	  "                    for QEMU's -trace enable=, comma-separated\n"
	  "                    (e.g. 'e1000e_rx_rss*,igb_rx_metadata_rss')\n"
	  "  --break-check     make the TC readers expect a wrong pattern: every metadata\n"
	  "                    reader must then fail (shows that the check can fail)\n"
	  "  --break-reflect   a WIRE=reflect test's loopback cable drops every 10th frame\n"
	  "                    (shows that the suites behind it can fail)\n"
	  "  --dry-run         print the QEMU command line and exit\n"
	  "  -v, --verbose     libbpf debug output on the guest console" },
	{ "boot", cmd_boot, "boot RIG [--kernel VARIANT|PATH] [--dry-run]",
	  "Boot RIG with its console on this terminal and a shell in the guest, no tests.\n"
	  "Ctrl-A X leaves QEMU." },
	{ "repro", cmd_repro, "repro RIG TEST [--kernel VARIANT | --kernel PATH --expect VARIANT] [--gdb[=PORT]] [--out DIR]",
	  "Rerun one cell with everything needed to understand it: besides the usual results\n"
	  "(console.log = guest dmesg, wire.pcap = frames in and out, KTAP), the device model's\n"
	  "trace events (device-trace.log) and bpftool's view of the test's programs and maps\n"
	  "after the check (in console.log).\n"
	  "  --gdb[=PORT]  start QEMU's gdb stub on 127.0.0.1:PORT (default 1234), boot with\n"
	  "                nokaslr, stretch every timeout x20, and print the gdb command that\n"
	  "                attaches with the variant's vmlinux" },
	{ "bisect", cmd_bisect, "bisect RIG TEST --from VARIANT --to VARIANT [--out DIR]",
	  "Name the first patch, in series order, among those --to has and --from lacks, whose\n"
	  "addition changes the cell's outcome (every reader's pass/fail/error).  A binary\n"
	  "search; each step builds --from's patches plus a prefix of the candidates in one\n"
	  "reused worktree (linux-bisect in the cache) and boots the rig once." },
	{ "matrix", cmd_matrix, "matrix [--rigs R,R] [--kernels V,V | --kernel PATH --expect VARIANT] [--tests T,T] [--shard I/N] [--jobs N] [--out DIR] [--no-build]",
	  "Run every test of every rig on every kernel variant (default: rigs igb,veth,veth-skb,ixgbe; kernels\n"
	  "baseline,core-only,series; each rig's TESTS), building missing kernels first.  Boots\n"
	  "(one per rig and kernel, shared by its tests) run --jobs at a time (default: the\n"
	  "number of CPUs).  Prints one row per cell (rig/kernel/test/reader: expected,\n"
	  "observed, time), names every mismatch, writes matrix.ktap, junit.xml and table.txt\n"
	  "under --out (default results/matrix-<time>) and exits non-zero on any mismatch.\n"
	  "  --shard I/N  run only boots I, I+N, I+2N, ... (1-based), to split across machines\n"
	  "  --kernel PATH --expect VARIANT\n"
	  "               every rig on a kernel of your own (see 'nicrig help test')\n"
	  "               instead of the variants, held to VARIANT's expectations" },
	{ "help", cmd_help, "help [COMMAND]", "Show help for COMMAND, or list commands." },
};

#define NCMDS (sizeof(cmds) / sizeof(cmds[0]))

static void usage_all(FILE *f)
{
	fprintf(f, "usage: nicrig COMMAND [ARGS]\n\ncommands:\n");
	for (size_t i = 0; i < NCMDS; i++)
		fprintf(f, "  nicrig %s\n", cmds[i].usage);
	fprintf(f, "\n'nicrig help COMMAND' tells more.\n");
}

static const struct cmd *find_cmd(const char *name)
{
	const struct cmd *hit = NULL;

	for (size_t i = 0; i < NCMDS; i++) {
		if (!strcmp(cmds[i].name, name))
			return &cmds[i];
		if (!strncmp(cmds[i].name, name, strlen(name))) {
			if (hit) {
				fprintf(stderr, "Error: '%s' is ambiguous (%s, %s, ...)\n", name,
					hit->name, cmds[i].name);
				exit(2);
			}
			hit = &cmds[i];
		}
	}
	return hit;
}

static int cmd_help(int argc, char **argv)
{
	const struct cmd *c;

	if (argc < 2) {
		usage_all(stdout);
		return 0;
	}
	c = find_cmd(argv[1]);
	if (!c) {
		fprintf(stderr, "Error: no command '%s'\n", argv[1]);
		return 2;
	}
	printf("usage: nicrig %s\n\n%s\n", c->usage, c->help);
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

/* Runs one boot and prints its KTAP; the exit status of `nicrig test`. */
static int run_and_report(const struct env *env, const struct run_opts *o)
{
	struct run_result *res = calloc(1, sizeof(*res));
	int rc;

	if (!res)
		return 2;
	if (!o->dry_run)
		fprintf(stderr, "nicrig: rig %s, kernel %s, accelerator %s%s%s%s\n", o->rig->name,
			o->kernel_image ? o->kernel_image : o->variant ? o->variant : o->rig->kernel, env->accel,
			env->accel_note[0] ? " (" : "", env->accel_note, env->accel_note[0] ? ")" : "");
	rc = run_rig(env, o, res);
	if (!o->dry_run)
		report_ktap(stdout, o, res);
	if (res->fatal[0])
		fprintf(stderr, "Error: %s\n", res->fatal);
	if (o->repro && res->out_dir[0])
		printf("# repro: guest dmesg and bpftool dumps %s/console.log, frames %s/wire.pcap,\n"
		       "#        device trace %s/device-trace.log, agent protocol %s/control.log\n",
		       res->out_dir, res->out_dir, res->out_dir, res->out_dir);
	run_result_free(res);
	free(res);
	return rc;
}

static int cmd_test(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "kernel", required_argument, NULL, 'k' },
		{ "expect", required_argument, NULL, 'e' },
		{ "out", required_argument, NULL, 'o' },
		{ "break-check", no_argument, NULL, 'b' },
		{ "break-reflect", no_argument, NULL, 'R' },
		{ "trace", required_argument, NULL, 't' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *karg = NULL, *expect = NULL;
	static char deftests[512], image[600];
	struct run_opts o = { 0 };
	struct env env;
	struct rig rig;
	int c;

	while ((c = getopt_long(argc, argv, "k:o:v", opts, NULL)) != -1) {
		switch (c) {
		case 'k': karg = optarg; break;
		case 'e': expect = optarg; break;
		case 'o': o.out_dir = optarg; break;
		case 'b': o.break_check = true; break;
		case 'R': o.break_reflect = 10; break;
		case 't':
			if (strlen(optarg) > TRACE_PATTERNS_MAX) {
				fprintf(stderr, "Error: --trace takes at most %d characters of event patterns, got %zu\n",
					TRACE_PATTERNS_MAX, strlen(optarg));
				return 2;
			}
			if (!*optarg || strpbrk(optarg, " =") ||
			    strstr(optarg, ",,") || *optarg == ',' || optarg[strlen(optarg) - 1] == ',') {
				fprintf(stderr, "Error: --trace takes event names or patterns separated "
					"by commas, got '%s'\n", optarg);
				return 2;
			}
			o.trace = optarg;
			break;
		case 'n': o.dry_run = true; break;
		case 'v': o.verbose = true; break;
		case 'h': return cmd_help(2, (char *[]){ "help", "test", NULL });
		default:
			fprintf(stderr, "usage: nicrig %s\n", cmds[0].usage);
			return 2;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "Error: which rig? usage: nicrig %s\n", cmds[0].usage);
		return 2;
	}
	if (kernel_arg(karg, expect, true, &o.variant, &o.kernel_image, image, sizeof(image)))
		return 2;
	if (load_env_rig(&env, &rig, argv[optind++]))
		return 2;
	o.rig = &rig;
	for (; optind < argc; optind++) {
		if (o.ntests == MAX_TESTS) {
			fprintf(stderr, "Error: at most %d tests per run\n", MAX_TESTS);
			return 2;
		}
		o.tests[o.ntests++] = argv[optind];
	}
	if (!o.ntests) {
		char *save;

		o.rig_tests = true;
		snprintf(deftests, sizeof(deftests), "%s", rig.tests);
		for (char *t = strtok_r(deftests, ",", &save); t && o.ntests < MAX_TESTS;
		     t = strtok_r(NULL, ",", &save))
			o.tests[o.ntests++] = t;
	}

	return run_and_report(&env, &o);
}

static int cmd_boot(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "kernel", required_argument, NULL, 'k' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	const char *karg = NULL, *variant, *kernel_image;
	static char image[600];
	bool dry = false;
	struct env env;
	struct rig rig;
	int c;

	while ((c = getopt_long(argc, argv, "k:", opts, NULL)) != -1) {
		switch (c) {
		case 'k': karg = optarg; break;
		case 'n': dry = true; break;
		default:
			fprintf(stderr, "usage: nicrig %s\n", cmds[1].usage);
			return 2;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "Error: which rig? usage: nicrig %s\n", cmds[1].usage);
		return 2;
	}
	/* No expectations to meet here: an image needs no --expect. */
	if (kernel_arg(karg, NULL, false, &variant, &kernel_image, image, sizeof(image)))
		return 2;
	if (load_env_rig(&env, &rig, argv[optind]))
		return 2;
	return boot_rig(&env, &rig, variant ? variant : rig.kernel, kernel_image, dry);
}

static int cmd_repro(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "kernel", required_argument, NULL, 'k' },
		{ "expect", required_argument, NULL, 'e' },
		{ "out", required_argument, NULL, 'o' },
		{ "gdb", optional_argument, NULL, 'g' },
		{ NULL, 0, NULL, 0 },
	};
	struct run_opts o = { .repro = true };
	const char *karg = NULL, *expect = NULL;
	static char image[600];
	unsigned long port = 1234;
	char vmlinux[700];
	struct env env;
	struct rig rig;
	int c;

	while ((c = getopt_long(argc, argv, "k:o:", opts, NULL)) != -1) {
		switch (c) {
		case 'k': karg = optarg; break;
		case 'e': expect = optarg; break;
		case 'o': o.out_dir = optarg; break;
		case 'g':
			if (optarg && parse_ulong(optarg, 1, 65535, &port)) {
				fprintf(stderr, "Error: --gdb=PORT needs a TCP port (1..65535), got '%s'\n",
					optarg);
				return 2;
			}
			o.gdb_port = port;
			break;
		default:
			fprintf(stderr, "usage: nicrig %s\n", find_cmd("repro")->usage);
			return 2;
		}
	}
	if (argc - optind != 2) {
		fprintf(stderr, "Error: repro takes a rig and one test; usage: nicrig %s\n",
			find_cmd("repro")->usage);
		return 2;
	}
	if (kernel_arg(karg, expect, true, &o.variant, &o.kernel_image, image, sizeof(image)))
		return 2;
	if (load_env_rig(&env, &rig, argv[optind]))
		return 2;
	o.rig = &rig;
	o.tests[o.ntests++] = argv[optind + 1];
	if (o.gdb_port) {
		if (o.kernel_image)
			snprintf(vmlinux, sizeof(vmlinux), "%s", o.kernel_image);
		else
			env_kernel_path(&env, o.variant ? o.variant : rig.kernel, vmlinux, sizeof(vmlinux));
		/* .../build/arch/x86/boot/bzImage -> .../build/vmlinux */
		if (strstr(vmlinux, "/arch/x86/boot/bzImage"))
			strcpy(strstr(vmlinux, "/arch/x86/boot/bzImage"), "/vmlinux");
		fprintf(stderr, "nicrig: gdb stub on 127.0.0.1:%u; attach with:\n"
			"  gdb -ex 'target remote 127.0.0.1:%u' %s\n", o.gdb_port, o.gdb_port, vmlinux);
	}
	return run_and_report(&env, &o);
}

static int cmd_bisect(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "from", required_argument, NULL, 'f' },
		{ "to", required_argument, NULL, 't' },
		{ "out", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 },
	};
	struct bisect_opts bo = { 0 };
	static char out[600];
	struct env env;
	struct rig rig;
	int c;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'f': bo.from = optarg; break;
		case 't': bo.to = optarg; break;
		case 'o': bo.out_dir = optarg; break;
		default:
			fprintf(stderr, "usage: nicrig %s\n", find_cmd("bisect")->usage);
			return 2;
		}
	}
	if (argc - optind != 2 || !bo.from || !bo.to) {
		fprintf(stderr, "Error: usage: nicrig %s\n", find_cmd("bisect")->usage);
		return 2;
	}
	if (load_env_rig(&env, &rig, argv[optind]))
		return 2;
	bo.rig = &rig;
	bo.test = argv[optind + 1];
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

static int cmd_matrix(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "rigs", required_argument, NULL, 'r' },
		{ "kernels", required_argument, NULL, 'k' },
		{ "tests", required_argument, NULL, 't' },
		{ "shard", required_argument, NULL, 's' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "out", required_argument, NULL, 'o' },
		{ "no-build", no_argument, NULL, 'n' },
		{ "kernel", required_argument, NULL, 'K' },
		{ "expect", required_argument, NULL, 'e' },
		{ NULL, 0, NULL, 0 },
	};
	const char *karg = NULL, *expect = NULL, *variant;
	static char image[600];
	bool kernels_given = false;
	static char rigs[512] = "igb,veth,veth-skb,ixgbe", kernels[512] = "baseline,core-only,series", tests[1024];
	static char out[600];
	struct matrix_opts mo = { .build = true, .jobs = (int)sysconf(_SC_NPROCESSORS_ONLN) };
	unsigned long jobs;
	struct env env;
	char err[1024];
	int c;

	while ((c = getopt_long(argc, argv, "j:", opts, NULL)) != -1) {
		switch (c) {
		case 'r': snprintf(rigs, sizeof(rigs), "%s", optarg); break;
		case 'k': snprintf(kernels, sizeof(kernels), "%s", optarg); kernels_given = true; break;
		case 'K': karg = optarg; break;
		case 'e': expect = optarg; break;
		case 't': snprintf(tests, sizeof(tests), "%s", optarg); break;
		case 'o': mo.out_dir = optarg; break;
		case 'n': mo.build = false; break;
		case 'j':
			if (parse_ulong(optarg, 1, INT_MAX, &jobs)) {
				fprintf(stderr, "Error: --jobs needs a positive number, got '%s'\n", optarg);
				return 2;
			}
			mo.jobs = jobs;
			break;
		case 's':
			if (parse_shard(optarg, &mo.shard_index, &mo.shard_count)) {
				fprintf(stderr, "Error: --shard takes I/N with 1 <= I <= N, e.g. 2/3, got '%s'\n",
					optarg);
				return 2;
			}
			break;
		default:
			fprintf(stderr, "usage: nicrig %s\n", find_cmd("matrix")->usage);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "Error: unexpected argument '%s'\n", argv[optind]);
		return 2;
	}
	if ((karg || expect) && (!karg || (!strchr(karg, '/') && access(karg, F_OK)))) {
		fprintf(stderr, "Error: matrix takes --kernel PATH --expect VARIANT for a kernel of your own; "
			"variants go in --kernels\n");
		return 2;
	}
	if (karg) {
		if (kernels_given) {
			fprintf(stderr, "Error: --kernel PATH replaces --kernels: one image, held to --expect\n");
			return 2;
		}
		if (kernel_arg(karg, expect, true, &variant, &mo.kernel_image, image, sizeof(image)))
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
	if (env_load(&env, err, sizeof(err)) ||
	    (mo.kernel_image && expect_variant_check(&env, mo.variants[0], err, sizeof(err)))) {
		fprintf(stderr, "Error: %s\n", err);
		return 2;
	}
	if (!mo.out_dir)
		mo.out_dir = default_out_dir(&env, "matrix", out, sizeof(out));
	return matrix_run(&env, &mo);
}

int main(int argc, char **argv)
{
	const struct cmd *c;

	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		usage_all(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	c = find_cmd(argv[1]);
	if (!c) {
		fprintf(stderr, "Error: no command '%s'; 'nicrig help' lists them\n", argv[1]);
		return 2;
	}
	return c->fn(argc - 1, argv + 1);
}
