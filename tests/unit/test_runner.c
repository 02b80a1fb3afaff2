// SPDX-License-Identifier: GPL-2.0
/*
 * test_runner.c - the runner against a fake QEMU (fake_qemu.c): a good
 * guest, wrong results, kernel warnings, a panic, hangs at boot and in a
 * test, QEMU failing to start, and a guest speaking nonsense.  Each must end
 * with the right verdict and a cause, within its deadline, with no QEMU left.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "matrix.h"
#include "runner.h"

struct fixture {
	struct env env;
	struct rig rig;
	struct run_opts o;
	struct run_result res;
	char pidfile[600];
};

static void fixture_init(struct fixture *fx, const char *mode)
{
	char exe[512], text[1024], name[128], err[512];
	const char *top = unit_tmpdir();
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	memset(fx, 0, sizeof(*fx));
	exe[n > 0 ? n : 0] = '\0';
	snprintf(fx->env.top, sizeof(fx->env.top), "%s/top", top);
	snprintf(fx->env.cache, sizeof(fx->env.cache), "%s/cache", top);
	snprintf(fx->env.accel, sizeof(fx->env.accel), "tcg");
	snprintf(name, sizeof(name), "bin/qemu-%s", mode);
	snprintf(text, sizeof(text), "#!/bin/sh\nexec '%s' --fake-qemu %s \"$@\"\n", exe, mode);
	snprintf(fx->env.qemu, sizeof(fx->env.qemu), "%s", unit_write(name, text));
	chmod(fx->env.qemu, 0755);

	unit_write("top/rigs/fake.rig", "NIC=igb\nBOOT_TIMEOUT=5\nTESTS=t\n");
	unit_write("top/tests/cases/t.test", "DESCRIPTION=fake test\nCOUNT=5\nTIMEOUT=3\n");
	unit_write("top/tests/expectations", "t * * * pass the fake guest passes\n");
	unit_write("cache/build/linux-baseline/build/arch/x86/boot/bzImage", "fake kernel");
	unit_write("top/build/guest/initramfs.cpio.gz", "fake initramfs");
	if (rig_load(&fx->rig, fx->env.top, "fake", err, sizeof(err)))
		printf("    # fixture: %s\n", err);
	fx->o.rig = &fx->rig;
	fx->o.tests[0] = "t";
	fx->o.ntests = 1;
	snprintf(fx->pidfile, sizeof(fx->pidfile), "%s/qemu.pid", top);
	unlink(fx->pidfile);
	setenv("FAKE_QEMU_PIDFILE", fx->pidfile, 1);
}

static int run(struct fixture *fx, const char *mode, double *secs)
{
	struct timespec a, b;
	char out[600];
	int rc;

	snprintf(out, sizeof(out), "%s/results-%s", unit_tmpdir(), mode);
	fx->o.out_dir = strdup(out);
	clock_gettime(CLOCK_MONOTONIC, &a);
	rc = run_rig(&fx->env, &fx->o, &fx->res);
	clock_gettime(CLOCK_MONOTONIC, &b);
	*secs = (b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9;
	return rc;
}

/* The fake QEMU must be gone once run_rig returns. */
static int qemu_left_behind(struct fixture *fx)
{
	FILE *f = fopen(fx->pidfile, "r");
	int pid = 0;

	if (!f)
		return 0;
	if (fscanf(f, "%d", &pid) != 1)
		pid = 0;
	fclose(f);
	return pid > 0 && kill(pid, 0) == 0;
}

#define slurp unit_slurp

TEST(runner_good_guest_passes)
{
	struct fixture fx;
	double s;

	fixture_init(&fx, "pass");
	EXPECT_EQ(0, run(&fx, "pass", &s));
	EXPECT_STR_EQ("", fx.res.fatal);
	EXPECT_EQ(2, fx.res.passed);
	EXPECT_EQ(0, fx.res.failed);
	EXPECT_EQ(OUT_PASS, fx.res.tests[0].readers[0].observed);
	EXPECT_CONTAINS(fx.res.tests[0].diag, "fake guest counted 5 of 5 frames");
	EXPECT_CONTAINS(slurp(fx.res.out_dir, "console.log"), "Linux version 7.3.4-fake");
	EXPECT_CONTAINS(slurp(fx.res.out_dir, "results.ktap"), "ok 1 t");
	EXPECT_CONTAINS(slurp(fx.res.out_dir, "results.ktap"),
			"\n# Totals: pass:2 fail:0 xfail:0 xpass:0 skip:0 error:0\n");
	EXPECT_CONTAINS(slurp(fx.res.out_dir, "junit.xml"), "name=\"t.dynptr\"");
	EXPECT_TRUE(slurp(fx.res.out_dir, "wire.pcap") != NULL);
	EXPECT_TRUE(!qemu_left_behind(&fx));
	run_result_free(&fx.res);
}

/* A WIRE=reflect test: the cable returns every frame, in order; the counts land in reflect.tsv. */
TEST(runner_reflect_returns_every_frame_in_order)
{
	struct fixture fx;
	double s;

	fixture_init(&fx, "reflect");
	unit_write("top/tests/cases/t.test", "DESCRIPTION=fake loop\nWIRE=reflect\nTIMEOUT=10\nREADERS=loop,other\n");
	fx.o.tests[0] = "t/loop";
	EXPECT_EQ(0, run(&fx, "reflect", &s));
	EXPECT_STR_EQ("", fx.res.fatal);
	EXPECT_EQ(1, fx.res.tests[0].nreaders);
	EXPECT_EQ(OUT_PASS, fx.res.tests[0].readers[0].observed);
	EXPECT_CONTAINS(fx.res.tests[0].diag, "1 run lines, sent 600, got back 600, 600 intact and in order");
	EXPECT_CONTAINS(fx.res.tests[0].diag, "# wire: reflected 600 frames");
	EXPECT_CONTAINS(slurp(fx.res.out_dir, "reflect.tsv"), "t\t600\t600\t");
	run_result_free(&fx.res);
}

/* --break-reflect: every 10th frame lost, and the guest's check sees it. */
TEST(runner_broken_reflect_drops_every_tenth_frame)
{
	struct fixture fx;
	double s;

	fixture_init(&fx, "reflect");
	unit_write("top/tests/cases/t.test", "DESCRIPTION=fake loop\nWIRE=reflect\nTIMEOUT=10\nREADERS=loop\n");
	fx.o.break_reflect = 10;
	EXPECT_EQ(1, run(&fx, "reflect-broken", &s));
	EXPECT_EQ(OUT_FAIL, fx.res.tests[0].readers[0].observed);
	EXPECT_CONTAINS(fx.res.tests[0].diag, "sent 600, got back 540, 540 intact and in order");
	EXPECT_CONTAINS(fx.res.tests[0].diag, "--break-reflect dropped 60 frames (every 10th of 600)");
	EXPECT_CONTAINS(slurp(fx.res.out_dir, "reflect.tsv"), "t\t600\t540\t");
	run_result_free(&fx.res);
}

/* TEST/READER names a reader the test has, or the run does not start. */
TEST(runner_unknown_reader_selection_is_an_error)
{
	struct fixture fx;
	double s;

	fixture_init(&fx, "pass");
	fx.o.tests[0] = "t/no_such";
	EXPECT_EQ(1, run(&fx, "pass-badsel", &s));
	EXPECT_CONTAINS(fx.res.fatal, "test t has no reader 'no_such'");
	run_result_free(&fx.res);
}

/* A rig's TESTS run a test's RIG_READERS; naming the test runs all its READERS. */
TEST(runner_rig_readers_apply_to_the_rigs_tests_only)
{
	struct fixture fx;
	double s;

	fixture_init(&fx, "pass");
	unit_write("top/tests/cases/t.test", "DESCRIPTION=d\nCOUNT=5\nTIMEOUT=3\nREADERS=data_meta,dynptr\nRIG_READERS=dynptr\n");
	fx.o.rig_tests = true;
	EXPECT_EQ(0, run(&fx, "pass-rigreaders", &s));
	EXPECT_EQ(1, fx.res.tests[0].nreaders);
	EXPECT_STR_EQ("dynptr", fx.res.tests[0].readers[0].name);
	run_result_free(&fx.res);

	fixture_init(&fx, "pass");
	EXPECT_EQ(0, run(&fx, "pass-allreaders", &s));
	EXPECT_EQ(2, fx.res.tests[0].nreaders);
	run_result_free(&fx.res);

	/* A RIG_READERS name that READERS lacks is an error, not a reader nobody runs. */
	fixture_init(&fx, "pass");
	unit_write("top/tests/cases/t.test", "DESCRIPTION=d\nCOUNT=5\nTIMEOUT=3\nREADERS=data_meta,dynptr\nRIG_READERS=dynptr,other\n");
	fx.o.rig_tests = true;
	EXPECT_EQ(1, run(&fx, "pass-badrig", &s));
	EXPECT_CONTAINS(fx.res.fatal, "test t has no reader 'other' (tests/cases/t.test lists its READERS) (in its RIG_READERS)");
	run_result_free(&fx.res);
}

TEST(runner_mismatch_with_expectation_fails)
{
	struct fixture fx;
	double s;

	fixture_init(&fx, "fail-readers");
	EXPECT_EQ(1, run(&fx, "fail-readers", &s));
	EXPECT_EQ(1, fx.res.failed);
	EXPECT_EQ(OUT_FAIL, fx.res.tests[0].readers[1].observed);
	EXPECT_CONTAINS(slurp(fx.res.out_dir, "results.ktap"), "not ok 1 t");
	EXPECT_CONTAINS(slurp(fx.res.out_dir, "results.ktap"), "expected pass, observed fail");
	EXPECT_CONTAINS(slurp(fx.res.out_dir, "results.ktap"),
			"\n# Totals: pass:1 fail:1 xfail:0 xpass:0 skip:0 error:0\n");
	run_result_free(&fx.res);
}

TEST(runner_expected_failure_is_ok_with_xfail)
{
	struct fixture fx;
	double s;

	fixture_init(&fx, "fail-readers");
	unit_write("top/tests/expectations", "t * * * fail the fake guest is broken on purpose\n");
	EXPECT_EQ(0, run(&fx, "xfail", &s));
	EXPECT_CONTAINS(slurp(fx.res.out_dir, "results.ktap"), "# XFAIL the fake guest is broken on purpose");
	EXPECT_CONTAINS(slurp(fx.res.out_dir, "results.ktap"),
			"    # Totals: pass:0 fail:0 xfail:2 xpass:0 skip:0 error:0\nok 1 t");
	unit_write("top/tests/expectations", "t * * * pass the fake guest passes\n");
	run_result_free(&fx.res);
}

TEST(runner_setup_error_is_not_an_expected_fail)
{
	struct fixture fx;
	double s;

	/* A test that could not run must not pass for an expected metadata failure ... */
	fixture_init(&fx, "setup-error");
	unit_write("top/tests/expectations", "t * * * fail metadata is wrong here\n");
	EXPECT_EQ(1, run(&fx, "setup-error", &s));
	EXPECT_EQ(OUT_ERROR, fx.res.tests[0].readers[0].observed);
	EXPECT_CONTAINS(fx.res.tests[0].readers[0].detail, "bind: Operation not supported");
	EXPECT_CONTAINS(slurp(fx.res.out_dir, "results.ktap"), "expected fail, observed error");
	run_result_free(&fx.res);

	/* ... but it can be expected as an error, with its reason. */
	fixture_init(&fx, "setup-error");
	unit_write("top/tests/expectations", "t * * * error the driver has no zero-copy\n");
	EXPECT_EQ(0, run(&fx, "setup-error-expected", &s));
	EXPECT_CONTAINS(slurp(fx.res.out_dir, "results.ktap"), "ok 1 data_meta # SKIP the driver has no zero-copy");
	/* Every reader skipped: the test is a SKIP, not a pass, in KTAP and in the counts. */
	EXPECT_CONTAINS(slurp(fx.res.out_dir, "results.ktap"), "\nok 1 t # SKIP the driver has no zero-copy\n");
	EXPECT_CONTAINS(slurp(fx.res.out_dir, "results.ktap"),
			"\n# Totals: pass:1 fail:0 xfail:0 xpass:0 skip:1 error:0\n");
	EXPECT_EQ(1, fx.res.skipped);
	EXPECT_EQ(1, fx.res.passed);
	EXPECT_CONTAINS(slurp(fx.res.out_dir, "status"), "\nPASSED=1\nFAILED=0\nSKIPPED=1\n");
	EXPECT_CONTAINS(fx.res.tests[0].diag, "# binding failed");
	unit_write("top/tests/expectations", "t * * * pass the fake guest passes\n");
	run_result_free(&fx.res);
}

TEST(runner_kernel_warning_fails_the_run)
{
	struct fixture fx;
	double s;

	fixture_init(&fx, "warn");
	EXPECT_EQ(1, run(&fx, "warn", &s));
	EXPECT_EQ(1, fx.res.passed);	/* the test itself passed ... */
	EXPECT_EQ(1, fx.res.failed);	/* ... kernel_log_clean did not */
	EXPECT_CONTAINS(fx.res.kernel_problem, "WARNING: CPU: 0 PID: 1 at net/core/fake.c:1");
	EXPECT_CONTAINS(slurp(fx.res.out_dir, "results.ktap"), "not ok 2 kernel_log_clean");
	run_result_free(&fx.res);
}

/*
 * Guests and QEMUs that go wrong: each run must fail, name the cause, end
 * within its deadline (boot 5 s, test 3 s in the fixture) and leave no QEMU.
 */
TEST(runner_bad_guests_fail_with_a_cause)
{
	static const struct {
		const char *mode, *fatal, *file, *file_has;
	} cases[] = {
		{ "panic", "guest kernel panicked: Kernel panic - not syncing", "console.log", "Kernel panic" },
		{ "hang-boot", "guest did not boot: no hello from the agent within 5 s", NULL, NULL },
		{ "hang-test", "test t timed out after 3 s", NULL, NULL },
		{ "exit", "QEMU exited with status 1 before connecting its control channel", "qemu.log", "could not load kernel" },
		{ "garbage", "this is not the protocol", NULL, NULL },
		{ "bad-tx", "test t: the agent's 'tx' line needs a number in 0..2147483647, got '5x'", NULL, NULL },
		{ "bad-tcpready", "test t: the agent's 'tcpready' line needs a number in 1..65535, got '70000'", NULL, NULL },
		{ "die-test", "QEMU was killed by signal 6 before the tests finished: fake qemu: hw/net/fake.c:1: fake_rx: Assertion failed",
		  "control.log", "< ready t eth0" },
		{ "flood", "the guest flooded the console: more than 1 MiB (last line: 'fake: irq 11: nobody cared",
		  "console.log", "nobody cared" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct fixture fx;
		double s;

		fixture_init(&fx, cases[i].mode);
		fx.o.console_limit = 1 << 20;
		EXPECT_EQ(1, run(&fx, cases[i].mode, &s));
		EXPECT_CONTAINS(fx.res.fatal, cases[i].fatal);
		if (cases[i].file)
			EXPECT_CONTAINS(slurp(fx.res.out_dir, cases[i].file), cases[i].file_has);
		EXPECT_CONTAINS(slurp(fx.res.out_dir, "results.ktap"), "not ok 2 kernel_log_clean");
		/* The run broke: its test never reported and the log check has no verdict: errors. */
		EXPECT_CONTAINS(slurp(fx.res.out_dir, "results.ktap"),
				"\n# Totals: pass:0 fail:0 xfail:0 xpass:0 skip:0 error:2\n");
		EXPECT_TRUE(s < 15);
		EXPECT_TRUE(!qemu_left_behind(&fx));
		run_result_free(&fx.res);
	}
}

TEST(runner_boot_hang_names_the_last_console_line)
{
	struct fixture fx;
	double s;

	fixture_init(&fx, "hang-boot");
	EXPECT_EQ(1, run(&fx, "hang-boot-console", &s));
	EXPECT_CONTAINS(fx.res.fatal, "Linux version 7.3.4-fake");
	run_result_free(&fx.res);
}

TEST(runner_missing_kernel_says_how_to_build_it)
{
	struct fixture fx;
	double s;

	fixture_init(&fx, "pass");
	fx.o.variant = "series";
	EXPECT_EQ(1, run(&fx, "nokernel", &s));
	EXPECT_CONTAINS(fx.res.fatal, "no kernel for variant 'series'");
	EXPECT_CONTAINS(fx.res.fatal, "make kernel VARIANT=series");
	run_result_free(&fx.res);
}

TEST(runner_missing_expectation_is_an_error)
{
	struct fixture fx;
	double s;

	fixture_init(&fx, "pass");
	unit_write("top/tests/expectations", "other * * * pass not this test\n");
	EXPECT_EQ(1, run(&fx, "noexp", &s));
	EXPECT_CONTAINS(fx.res.fatal, "has no expectation for test t, nic igb, kernel baseline, reader data_meta");
	unit_write("top/tests/expectations", "t * * * pass the fake guest passes\n");
	run_result_free(&fx.res);
}

/* A test after the one that failed to set up is not reported (it never ran). */
TEST(runner_setup_failure_reports_only_the_tests_set_up)
{
	char path[600];
	struct fixture fx;
	double s;

	fixture_init(&fx, "pass");
	unit_write("top/tests/cases/u.test", "DESCRIPTION=second\nCOUNT=5\nTIMEOUT=3\n");
	unit_write("top/tests/expectations", "u * * * pass the fake guest passes\n");
	fx.o.tests[1] = "u";
	fx.o.ntests = 2;
	EXPECT_EQ(1, run(&fx, "noexp-first", &s));
	EXPECT_CONTAINS(fx.res.fatal, "has no expectation for test t,");
	EXPECT_EQ(1, fx.res.ntests);
	EXPECT_EQ(0, fx.res.passed);
	unit_write("top/tests/expectations", "t * * * pass the fake guest passes\n");
	snprintf(path, sizeof(path), "%s/top/tests/cases/u.test", unit_tmpdir());
	unlink(path);
	run_result_free(&fx.res);
}

TEST(runner_too_many_readers_is_an_error)
{
	char text[2048], want[128];
	struct fixture fx;
	size_t n;
	double s;

	fixture_init(&fx, "pass");
	n = snprintf(text, sizeof(text), "DESCRIPTION=d\nREADERS=r0");
	for (int i = 1; i <= MAX_READERS; i++)
		n += snprintf(text + n, sizeof(text) - n, ",r%d", i);
	snprintf(text + n, sizeof(text) - n, "\n");
	unit_write("top/tests/cases/many.test", text);
	fx.o.tests[0] = "many";
	EXPECT_EQ(1, run(&fx, "many", &s));
	snprintf(want, sizeof(want), "test many: READERS: more than %d readers", MAX_READERS);
	EXPECT_CONTAINS(fx.res.fatal, want);
	EXPECT_TRUE(!qemu_left_behind(&fx));
	run_result_free(&fx.res);
}

TEST(kernel_log_patterns)
{
	EXPECT_TRUE(kernel_log_problem("[    1.0] BUG: KASAN: use-after-free in foo") != NULL);
	EXPECT_TRUE(kernel_log_problem("[    1.0] Call Trace:") != NULL);
	EXPECT_TRUE(kernel_log_problem("[  130.1] INFO: task kworker/0:1:23 blocked for more than 120 seconds.") != NULL);
	EXPECT_TRUE(kernel_log_problem("[    1.0] igb 0000:00:02.0: eth0 up") == NULL);
	EXPECT_TRUE(kernel_log_problem("[    1.0] Oops: general protection fault") != NULL);
}

/*
 * SIGTERM to `nicrig matrix` in the middle: the boot that ran is reported,
 * the one running ends with the signal as its cause and its logs kept, the
 * one not started is a cell of its own, and no QEMU is left.  Three rigs,
 * one boot at a time; the fake QEMU passes the first boot and hangs in the
 * others' boot.
 */
static void matrix_signal_case(struct unit_test *_t, int sig)
{
	char want[96];
	char exe[512], text[2600], out[600], path[700], flag[600];
	struct matrix_opts mo = { .rigs = { "fake", "fake2", "fake3" }, .nrigs = 3,
				  .variants = { "baseline" }, .nvariants = 1, .jobs = 1 };
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	struct fixture fx;
	const char *st;
	int status = 0;
	pid_t pid, w = 0;

	fixture_init(&fx, "pass");
	exe[n > 0 ? n : 0] = '\0';
	snprintf(flag, sizeof(flag), "%s/first-boot-done", unit_tmpdir());
	unlink(flag);
	snprintf(text, sizeof(text), "#!/bin/sh\nif [ -e '%s' ]; then exec '%s' --fake-qemu hang-boot \"$@\"; fi\n"
		 ": > '%s'\nexec '%s' --fake-qemu pass \"$@\"\n", flag, exe, flag, exe);
	snprintf(fx.env.qemu, sizeof(fx.env.qemu), "%s", unit_write("bin/qemu-matrix", text));
	chmod(fx.env.qemu, 0755);
	unit_write("top/rigs/fake2.rig", "NIC=igb\nBOOT_TIMEOUT=60\nTESTS=t\n");
	unit_write("top/rigs/fake3.rig", "NIC=igb\nBOOT_TIMEOUT=60\nTESTS=t\n");
	snprintf(want, sizeof(want), "interrupted by signal %d (%s)", sig, strsignal(sig));
	snprintf(out, sizeof(out), "%s/matrix-signal-%d", unit_tmpdir(), sig);
	mo.out_dir = out;

	fflush(NULL);
	pid = fork();
	ASSERT_TRUE(pid >= 0);
	if (pid == 0) {
		snprintf(path, sizeof(path), "%s/matrix-sigterm.log", unit_tmpdir());
		if (!freopen(path, "w", stdout) || dup2(fileno(stdout), 2) < 0)
			_exit(3);
		status = matrix_run(&fx.env, &mo);
		fflush(NULL);
		_exit(status);
	}
	/*
	 * Signal once the second boot's QEMU hangs in its boot: its console
	 * has the banner (on a loaded host that can take seconds).
	 */
	snprintf(path, sizeof(path), "%s/fake2-baseline", out);
	for (int i = 0; i < 300; i++) {
		const char *con = slurp(path, "console.log");

		if (con && strstr(con, "Linux version"))
			break;
		usleep(50 * 1000);
	}
	EXPECT_CONTAINS(slurp(path, "console.log"), "Linux version 7.3.4-fake");
	usleep(300 * 1000);
	kill(pid, sig);
	for (int i = 0; i < 300 && (w = waitpid(pid, &status, WNOHANG)) == 0; i++)
		usleep(50 * 1000);
	if (w == 0) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
	}
	EXPECT_EQ(pid, w);
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(128 + sig, WEXITSTATUS(status));

	st = slurp(out, "status");
	EXPECT_CONTAINS(st, "\nRESULT=fail\n");
	EXPECT_CONTAINS(st, "\nBOOTS=3\nBOOTS_WITHOUT_RESULTS=1\n");
	EXPECT_CONTAINS(st, want);
	EXPECT_CONTAINS(st, "\nFATAL=interrupted by signal");
	/* The first boot's cells, all matched. */
	EXPECT_CONTAINS(slurp(out, "table.txt"), "fake/baseline/t/data_meta");
	snprintf(path, sizeof(path), "%s/fake-baseline", out);
	EXPECT_CONTAINS(slurp(path, "status"), "\nRESULT=pass\nCELLS=3\nMATCHED=3\n");
	/* The second ended on the signal (the matrix passes on SIGTERM), its logs kept. */
	snprintf(path, sizeof(path), "%s/fake2-baseline", out);
	EXPECT_CONTAINS(slurp(path, "status"), "\nFATAL=interrupted by signal 15 (Terminated)\n");
	EXPECT_CONTAINS(slurp(path, "console.log"), "Linux version 7.3.4-fake");
	EXPECT_TRUE(slurp(path, "control.log") != NULL);
	/* The third never ran, and says so. */
	EXPECT_CONTAINS(slurp(out, "matrix.ktap"), "not ok 3 fake3.baseline");
	EXPECT_CONTAINS(slurp(out, "matrix.ktap"), "ok 1 fake.baseline");
	EXPECT_CONTAINS(slurp(unit_tmpdir(), "matrix-sigterm.log"),
			"Error: matrix interrupted by signal");
	EXPECT_CONTAINS(slurp(unit_tmpdir(), "matrix-sigterm.log"),
			"fake3/baseline/-/boot: expected pass, observed none: not run: the matrix was interrupted");
	EXPECT_TRUE(!qemu_left_behind(&fx));
}

TEST(matrix_sigterm_reports_the_other_cells)
{
	matrix_signal_case(_t, SIGTERM);
}

/* Ctrl-C (here to the matrix alone) does the same. */
TEST(matrix_sigint_reports_the_other_cells)
{
	matrix_signal_case(_t, SIGINT);
}
