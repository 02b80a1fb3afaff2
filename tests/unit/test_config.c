// SPDX-License-Identifier: GPL-2.0
/* test_config.c - rig files, test definitions, the expectation matrix. */
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "kv.h"
#include "expect.h"
#include "rig.h"
#include "testdef.h"
#include "runner.h"
#include "qemu.h"

TEST(kv_parses_values_comments_and_quotes)
{
	const char *p = unit_write("kv/ok", "# comment\n\nA=1\n  B_2 = two words  \nC=\"quoted \"\nD=\n");
	struct kv_file f;
	char err[512];

	ASSERT_TRUE(kv_load(&f, p, err, sizeof(err)) == 0);
	EXPECT_EQ(4, f.n);
	EXPECT_STR_EQ("1", kv_find(&f, "A")->value);
	EXPECT_STR_EQ("two words", kv_find(&f, "B_2")->value);
	EXPECT_STR_EQ("quoted ", kv_find(&f, "C")->value);
	EXPECT_STR_EQ("", kv_find(&f, "D")->value);
	EXPECT_EQ(4, kv_find(&f, "B_2")->line);
	EXPECT_TRUE(kv_find(&f, "E") == NULL);
	kv_free(&f);
}

TEST(kv_rejects_line_without_equals)
{
	const char *p = unit_write("kv/noeq", "A=1\nthis is not a pair\n");
	struct kv_file f;
	char err[512];

	EXPECT_EQ(-1, kv_load(&f, p, err, sizeof(err)));
	EXPECT_CONTAINS(err, "kv/noeq:2: expected KEY=value");
}

TEST(kv_rejects_bad_key_and_duplicate)
{
	const char *bad = unit_write("kv/badkey", "lower=1\n");
	const char *dup = unit_write("kv/dup", "A=1\nB=2\nA=3\n");
	struct kv_file f;
	char err[512];

	EXPECT_EQ(-1, kv_load(&f, bad, err, sizeof(err)));
	EXPECT_CONTAINS(err, ":1: 'lower' is not a valid key");
	EXPECT_EQ(-1, kv_load(&f, dup, err, sizeof(err)));
	EXPECT_CONTAINS(err, "kv/dup:3: A given twice (first on line 1)");
}

TEST(kv_rejects_overlong_line_and_missing_file)
{
	char big[KV_VALUE_MAX + 1000];
	struct kv_file f;
	char err[512];

	memset(big, 'x', sizeof(big));
	memcpy(big, "A=", 2);
	big[sizeof(big) - 2] = '\n';
	big[sizeof(big) - 1] = '\0';
	EXPECT_EQ(-1, kv_load(&f, unit_write("kv/long", big), err, sizeof(err)));
	EXPECT_CONTAINS(err, "line too long");
	EXPECT_EQ(-1, kv_load(&f, "/nonexistent/nicrig.rig", err, sizeof(err)));
	EXPECT_CONTAINS(err, "/nonexistent/nicrig.rig: No such file or directory");
}

TEST(rig_loads_with_defaults)
{
	const char *p = unit_write("rigs/good.rig", "NIC=veth\nCPUS=4\n");
	struct rig r;
	char err[512];

	ASSERT_TRUE(rig_load(&r, unit_tmpdir(), p, err, sizeof(err)) == 0);
	EXPECT_STR_EQ("good", r.name);
	EXPECT_EQ(NIC_VETH, r.nic);
	EXPECT_EQ(NIC_IGB, r.carrier);
	EXPECT_EQ(4, r.cpus);
	EXPECT_EQ(1024, r.memory_mb);
	EXPECT_STR_EQ("baseline", r.kernel);
	EXPECT_EQ(ACCEL_AUTO, r.accel);
	EXPECT_STR_EQ("xdp_pass_meta", r.tests);
}

TEST(rig_by_name_looks_in_rigs_dir)
{
	struct rig r;
	char err[512];

	unit_write("rigs/byname.rig", "NIC=igb\n");
	EXPECT_EQ(0, rig_load(&r, unit_tmpdir(), "byname", err, sizeof(err)));
	EXPECT_EQ(-1, rig_load(&r, unit_tmpdir(), "nosuchrig", err, sizeof(err)));
	EXPECT_CONTAINS(err, "no rig named 'nosuchrig'");
	EXPECT_EQ(-1, rig_load(&r, unit_tmpdir(), "../etc", err, sizeof(err)));
}

TEST(rig_unknown_key_names_file_line_and_key)
{
	const char *p = unit_write("rigs/typo.rig", "NIC=igb\nCPU=2\n");
	struct rig r;
	char err[512];

	EXPECT_EQ(-1, rig_load(&r, unit_tmpdir(), p, err, sizeof(err)));
	EXPECT_CONTAINS(err, "typo.rig:2: unknown key CPU");
	EXPECT_CONTAINS(err, "known: ");
}

TEST(rig_bad_values)
{
	struct { const char *text, *want; } cases[] = {
		{ "NIC=e1000\n", ":1: NIC: 'e1000' is not one of igb, ixgbe, veth" },
		{ "NIC=igb\nCPUS=0\n", ":2: CPUS: 0 is out of range 1..64" },
		{ "NIC=igb\nMEMORY=lots\n", ":2: MEMORY: 'lots' is not a number" },
		{ "NIC=igb\nMEMORY=-5\n", ":2: MEMORY: '-5' is not a number" },
		{ "NIC=igb\nMEMORY=+512\n", ":2: MEMORY: '+512' is not a number" },
		{ "NIC=igb\nMEMORY=0x400\n", ":2: MEMORY: '0x400' is not a number" },
		{ "NIC=igb\nMEMORY=99999999999999999999999\n", ":2: MEMORY: '99999999999999999999999' is not a number" },
		{ "NIC=igb\nMEMORY=70000\n", ":2: MEMORY: 70000 is out of range 256..65536" },
		{ "CPUS=2\n", "required key NIC is missing" },
		{ "NIC=igb\nACCEL=hvf\n", "ACCEL: 'hvf' is not one of auto, kvm, tcg" },
		{ "NIC=igb\nKERNEL=a b\n", "KERNEL: 'a b' is not a variant name" },
		{ "NIC=veth\nWIRE_FCS=yes\n", ":2: WIRE_FCS=yes: NIC veth takes no FCS from its cable" },
		{ "NIC=ixgbe\nWIRE_FCS=on\n", "WIRE_FCS: 'on' is not one of no, yes" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char name[64], err[512];
		struct rig r;

		snprintf(name, sizeof(name), "rigs/bad%zu.rig", i);
		EXPECT_EQ(-1, rig_load(&r, unit_tmpdir(), unit_write(name, cases[i].text), err, sizeof(err)));
		EXPECT_CONTAINS(err, cases[i].want);
	}
}

TEST(test_def_loads_and_checks)
{
	struct test_def t;
	char err[512];

	unit_write("tests/cases/t1.test", "DESCRIPTION=d\nFRAMES=gretap\nCOUNT=5\nRATE=2000\n");
	unit_write("tests/cases/t2.test", "DESCRIPTION=d\nCOUNT=9000\n");
	unit_write("tests/cases/t3.test", "FRAMES=udp4\n");
	unit_write("tests/cases/t4.test", "DESCRIPTION=d\nCOUNT=32768\nREADERS=rate\n");
	unit_write("tests/cases/t5.test", "DESCRIPTION=d\nCOUNT=1000001\nREADERS=rate\n");
	ASSERT_TRUE(test_def_load(&t, unit_tmpdir(), "t1", err, sizeof(err)) == 0);
	EXPECT_EQ(TPL_GRETAP, t.frames);
	EXPECT_EQ(5, t.count);
	EXPECT_EQ(128, t.size);
	EXPECT_EQ(2000, t.rate);
	EXPECT_STR_EQ("data_meta,dynptr", t.readers);
	EXPECT_EQ(-1, test_def_load(&t, unit_tmpdir(), "t2", err, sizeof(err)));
	EXPECT_CONTAINS(err, "COUNT=9000: above 8192 only with READERS=rate");
	EXPECT_EQ(0, test_def_load(&t, unit_tmpdir(), "t4", err, sizeof(err)));
	EXPECT_EQ(32768, t.count);
	EXPECT_EQ(-1, test_def_load(&t, unit_tmpdir(), "t5", err, sizeof(err)));
	EXPECT_CONTAINS(err, "COUNT: 1000001 is out of range 1..1000000");
	EXPECT_EQ(-1, test_def_load(&t, unit_tmpdir(), "t3", err, sizeof(err)));
	EXPECT_CONTAINS(err, "required key DESCRIPTION is missing");
	EXPECT_EQ(-1, test_def_load(&t, unit_tmpdir(), "../t1", err, sizeof(err)));
}

/* COUNT above NICRIG_MAX_SEQ is for rate tests only: `rate` their only reader. */
TEST(test_def_count_above_max_seq_only_for_rate_tests)
{
	static const struct { const char *text; int ok; } cases[] = {
		{ "DESCRIPTION=d\nCOUNT=8192\n", 1 },
		{ "DESCRIPTION=d\nCOUNT=8193\n", 0 },
		{ "DESCRIPTION=d\nCOUNT=8193\nREADERS=rate\n", 1 },
		{ "DESCRIPTION=d\nCOUNT=8193\nREADERS=rate,\n", 1 },
		{ "DESCRIPTION=d\nCOUNT=8193\nREADERS=rate,data_meta\n", 0 },
		{ "DESCRIPTION=d\nCOUNT=8193\nREADERS=data_meta,rate\n", 0 },
		{ "DESCRIPTION=d\nCOUNT=8193\nREADERS=rates\n", 0 },
		{ "DESCRIPTION=d\nCOUNT=8193\nREADERS=xsk\n", 0 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char name[64], file[96], err[512] = "";
		struct test_def t;
		int rc;

		snprintf(name, sizeof(name), "cnt%zu", i);
		snprintf(file, sizeof(file), "tests/cases/%s.test", name);
		unit_write(file, cases[i].text);
		rc = test_def_load(&t, unit_tmpdir(), name, err, sizeof(err));
		if (rc != (cases[i].ok ? 0 : -1))
			printf("    # case %zu: %s\n", i, err);
		EXPECT_EQ(cases[i].ok ? 0 : -1, rc);
		if (!cases[i].ok)
			EXPECT_CONTAINS(err, "COUNT=8193: above 8192 only with READERS=rate alone");
		else
			EXPECT_EQ(strstr(cases[i].text, "rate") != NULL, test_is_rate(&t));
	}
}

TEST(test_def_readers_within_the_runner_limits)
{
	char text[4096], name63[64], name64[65], want[128];
	struct test_def t;
	char err[512];
	size_t n;

	memset(name63, 'r', 63);
	name63[63] = '\0';
	memset(name64, 'r', 64);
	name64[64] = '\0';

	/* MAX_READERS readers, one of 63 characters: the most the runner keeps. */
	n = snprintf(text, sizeof(text), "DESCRIPTION=d\nREADERS=%s", name63);
	for (int i = 1; i < MAX_READERS; i++)
		n += snprintf(text + n, sizeof(text) - n, ",r%d", i);
	snprintf(text + n, sizeof(text) - n, "\n");
	unit_write("tests/cases/rd32.test", text);
	EXPECT_EQ(0, test_def_load(&t, unit_tmpdir(), "rd32", err, sizeof(err)));

	/* One more: an error naming the file, the line, the test and the limit, not a silent drop. */
	n = snprintf(text, sizeof(text), "DESCRIPTION=d\nREADERS=r0");
	for (int i = 1; i <= MAX_READERS; i++)
		n += snprintf(text + n, sizeof(text) - n, ",r%d", i);
	snprintf(text + n, sizeof(text) - n, "\n");
	unit_write("tests/cases/rd33.test", text);
	EXPECT_EQ(-1, test_def_load(&t, unit_tmpdir(), "rd33", err, sizeof(err)));
	snprintf(want, sizeof(want), "rd33.test:2: test rd33: READERS: more than %d readers", MAX_READERS);
	EXPECT_CONTAINS(err, want);

	/* A 64-character name: an error, not cut to 63. */
	snprintf(text, sizeof(text), "DESCRIPTION=d\nREADERS=data_meta,%s\n", name64);
	unit_write("tests/cases/rdlong.test", text);
	EXPECT_EQ(-1, test_def_load(&t, unit_tmpdir(), "rdlong", err, sizeof(err)));
	EXPECT_CONTAINS(err, "rdlong.test:2: test rdlong: READERS: reader 'rrrrrrrrrrrrrrrrrrrr...' has 64 characters, at most 63");

	/* None at all: nothing would be checked, and the test would pass. */
	unit_write("tests/cases/rdnone.test", "DESCRIPTION=d\nREADERS=,\n");
	EXPECT_EQ(-1, test_def_load(&t, unit_tmpdir(), "rdnone", err, sizeof(err)));
	EXPECT_CONTAINS(err, "rdnone.test:2: test rdnone: READERS names no reader");
}

TEST(test_def_size_sweep)
{
	unsigned int seen_lo = 0, seen_hi = 0, distinct = 0;
	unsigned char hit[1515] = { 0 };
	struct test_def t;
	char err[512];

	unit_write("tests/cases/s1.test", "DESCRIPTION=d\nSIZE=60\nSIZE_MAX=1514\nCOUNT=64\n");
	unit_write("tests/cases/s2.test", "DESCRIPTION=d\nSIZE=200\nSIZE_MAX=100\n");
	unit_write("tests/cases/s3.test", "DESCRIPTION=d\nSIZE=300\n");
	ASSERT_TRUE(test_def_load(&t, unit_tmpdir(), "s1", err, sizeof(err)) == 0);
	EXPECT_EQ(60, test_probe_size(&t, 0));
	EXPECT_EQ(1514, test_probe_size(&t, 1));
	for (unsigned int seq = 0; seq < t.count; seq++) {
		unsigned int n = test_probe_size(&t, seq);

		EXPECT_TRUE(n >= 60 && n <= 1514);
		if (n < 200)
			seen_lo++;
		if (n > 1300)
			seen_hi++;
		if (n <= 1514 && !hit[n]++)
			distinct++;
	}
	EXPECT_TRUE(seen_lo >= 3 && seen_hi >= 3);
	EXPECT_TRUE(distinct >= 60);
	EXPECT_EQ(-1, test_def_load(&t, unit_tmpdir(), "s2", err, sizeof(err)));
	EXPECT_CONTAINS(err, "SIZE_MAX=100 is below SIZE=200");
	ASSERT_TRUE(test_def_load(&t, unit_tmpdir(), "s3", err, sizeof(err)) == 0);
	EXPECT_EQ(300, test_probe_size(&t, 0));
	EXPECT_EQ(300, test_probe_size(&t, 7));
}

TEST(test_def_size_alternate)
{
	struct test_def t;
	char err[512];

	unit_write("tests/cases/a1.test", "DESCRIPTION=d\nSIZE=1514\nSIZE_MAX=9014\nSIZE_ORDER=alternate\nCOUNT=64\n");
	unit_write("tests/cases/a2.test", "DESCRIPTION=d\nSIZE=1514\nSIZE_ORDER=alternate\n");
	unit_write("tests/cases/a3.test", "DESCRIPTION=d\nSIZE=1514\nSIZE_MAX=9217\n");
	unit_write("tests/cases/a4.test", "DESCRIPTION=d\nSIZE=1514\nSIZE_MAX=9014\nSIZE_ORDER=zigzag\n");
	ASSERT_TRUE(test_def_load(&t, unit_tmpdir(), "a1", err, sizeof(err)) == 0);
	/* exactly two sizes, by the seq's parity: the guest knows each probe's from its seq */
	for (unsigned int seq = 0; seq < t.count; seq++)
		EXPECT_EQ(seq & 1 ? 9014 : 1514, test_probe_size(&t, seq));
	EXPECT_EQ(-1, test_def_load(&t, unit_tmpdir(), "a2", err, sizeof(err)));
	EXPECT_CONTAINS(err, "SIZE_ORDER=alternate needs SIZE_MAX");
	/* the wire's frames stop at NICRIG_FRAME_MAX, a jumbo frame with two VLAN tags and then some */
	EXPECT_EQ(-1, test_def_load(&t, unit_tmpdir(), "a3", err, sizeof(err)));
	EXPECT_CONTAINS(err, "SIZE_MAX");
	EXPECT_EQ(-1, test_def_load(&t, unit_tmpdir(), "a4", err, sizeof(err)));
	EXPECT_CONTAINS(err, "SIZE_ORDER");
}

TEST(expectations_first_match_wins)
{
	const char *p = unit_write("exp/ok",
		"# header\n"
		"xsk_zc_pass_meta igb core-only * fail  igb sets meta_end before the pull\n"
		"xsk_zc_pass_meta *   *         * pass  everything else works\n");
	struct expect_matrix m;
	const struct expectation *e;
	char err[512];

	ASSERT_TRUE(expect_load(&m, p, err, sizeof(err)) == 0);
	EXPECT_EQ(2, m.n);
	e = expect_lookup(&m, "xsk_zc_pass_meta", "igb", "core-only", "dynptr");
	ASSERT_TRUE(e != NULL);
	EXPECT_EQ(OUT_FAIL, e->outcome);
	EXPECT_STR_EQ("igb sets meta_end before the pull", e->reason);
	EXPECT_EQ(2, e->line);
	e = expect_lookup(&m, "xsk_zc_pass_meta", "veth", "core-only", "dynptr");
	ASSERT_TRUE(e != NULL);
	EXPECT_EQ(OUT_PASS, e->outcome);
	EXPECT_TRUE(expect_lookup(&m, "other", "igb", "baseline", "dynptr") == NULL);
	expect_free(&m);
}

TEST(expectations_reject_malformed_rows)
{
	struct expect_matrix m;
	char err[512];

	EXPECT_EQ(-1, expect_load(&m, unit_write("exp/verdict", "t igb * * maybe because\n"), err, sizeof(err)));
	EXPECT_CONTAINS(err, "exp/verdict:1: 'maybe' is not pass, fail or error");
	EXPECT_EQ(-1, expect_load(&m, unit_write("exp/noreason", "t igb * * pass\n"), err, sizeof(err)));
	EXPECT_CONTAINS(err, ":1: ");
	EXPECT_EQ(-1, expect_load(&m, unit_write("exp/short", "t igb\n"), err, sizeof(err)));
	EXPECT_CONTAINS(err, "exp/short:1: expected 'TEST NIC VARIANT READER pass|fail|error REASON'");
}

/* Calls fn(ctx, name) for each DIR/NAME.SUFFIX under top; returns how many. */
static int for_each_file(const char *top, const char *dir, const char *suffix,
			 void (*fn)(void *ctx, const char *name), void *ctx)
{
	char pattern[600], name[128];
	glob_t g;
	int n = 0;

	snprintf(pattern, sizeof(pattern), "%s/%s/*%s", top, dir, suffix);
	if (glob(pattern, 0, NULL, &g))
		return 0;
	for (size_t i = 0; i < g.gl_pathc; i++) {
		const char *base = strrchr(g.gl_pathv[i], '/') + 1;

		snprintf(name, sizeof(name), "%.*s", (int)(strlen(base) - strlen(suffix)), base);
		fn(ctx, name);
		n++;
	}
	globfree(&g);
	return n;
}

struct repo_check {
	struct unit_test *t;
	const char *top;
	struct expect_matrix m;
};

static void check_test_file(void *ctx, const char *name)
{
	struct repo_check *c = ctx;
	struct unit_test *_t = c->t;
	struct test_def t;
	char err[512] = "";

	if (test_def_load(&t, c->top, name, err, sizeof(err)))
		_FAIL("tests/cases/%s.test: %s", name, err);
}

/* Every cell a rig runs (its TESTS x readers x the variants make check runs) has an expectation. */
static void check_rig_file(void *ctx, const char *name)
{
	static const char *const variants[] = { "baseline", "core-only", "series" };
	struct repo_check *c = ctx;
	struct unit_test *_t = c->t;
	char err[512] = "", tests[sizeof(((struct rig *)0)->tests)], *s1;
	struct rig r;

	if (rig_load(&r, c->top, name, err, sizeof(err))) {
		_FAIL("rigs/%s.rig: %s", name, err);
		return;
	}
	snprintf(tests, sizeof(tests), "%s", r.tests);
	for (char *tn = strtok_r(tests, ",", &s1); tn; tn = strtok_r(NULL, ",", &s1)) {
		char readers[sizeof(((struct test_def *)0)->readers)], *s2;
		struct test_def t;

		if (test_def_load(&t, c->top, tn, err, sizeof(err))) {
			_FAIL("rigs/%s.rig names test %s: %s", name, tn, err);
			continue;
		}
		snprintf(readers, sizeof(readers), "%s", t.readers);
		for (char *rd = strtok_r(readers, ",", &s2); rd; rd = strtok_r(NULL, ",", &s2))
			for (size_t v = 0; v < sizeof(variants) / sizeof(variants[0]); v++)
				if (!expect_lookup(&c->m, tn, nic_names[r.nic], variants[v], rd))
					_FAIL("no expectation for %s %s %s %s (rig %s)", tn, nic_names[r.nic],
					      variants[v], rd, name);
	}
}

TEST(repository_rigs_and_tests_are_valid)
{
	/* The checked-in data must load: a typo in rigs/ fails here, not in CI's boot. */
	struct repo_check c = { .t = _t, .top = getenv("NICRIG_TOP") };
	char path[600], err[512];

	ASSERT_TRUE(c.top != NULL);
	snprintf(path, sizeof(path), "%s/tests/expectations", c.top);
	ASSERT_TRUE(expect_load(&c.m, path, err, sizeof(err)) == 0);
	EXPECT_TRUE(for_each_file(c.top, "tests/cases", ".test", check_test_file, &c) >= 12);
	EXPECT_TRUE(for_each_file(c.top, "rigs", ".rig", check_rig_file, &c) >= 4);
	expect_free(&c.m);
}

/*
 * Kernel variants have one reader, scripts/kernel-variant.sh: the runner's
 * --expect check asks it (--names) rather than parsing the file itself.  A
 * variants file of our own shows that what the file says is what the
 * runner accepts, in both directions.
 */
TEST(variants_have_one_reader)
{
	const char *top = getenv("NICRIG_TOP");
	struct env env = { 0 };
	char src[600], cmd[1400], err[512] = "";

	ASSERT_TRUE(top != NULL);
	snprintf(env.top, sizeof(env.top), "%s", top);
	EXPECT_EQ(0, expect_variant_check(&env, "core-only", err, sizeof(err)));
	EXPECT_EQ(0, expect_variant_check(&env, "drivers-only", err, sizeof(err)));
	EXPECT_EQ(-1, expect_variant_check(&env, "core_only", err, sizeof(err)));
	EXPECT_CONTAINS(err, "--expect core_only: not a variant of");
	EXPECT_CONTAINS(err, "(baseline, series, core-only, no-driver-fixes, drivers-only)");

	unit_write("vtop/kernel-patches/variants", "# ours\nbaseline\nmine  1 2\n\n");
	snprintf(src, sizeof(src), "%s/scripts/kernel-variant.sh", top);
	snprintf(cmd, sizeof(cmd), "mkdir -p '%s/vtop/scripts' && cp '%s' '%s/vtop/scripts/'",
		 unit_tmpdir(), src, unit_tmpdir());
	ASSERT_TRUE(system(cmd) == 0);
	snprintf(env.top, sizeof(env.top), "%s/vtop", unit_tmpdir());
	EXPECT_EQ(0, expect_variant_check(&env, "mine", err, sizeof(err)));
	EXPECT_EQ(-1, expect_variant_check(&env, "series", err, sizeof(err)));
	EXPECT_CONTAINS(err, "(baseline, mine)");
	EXPECT_EQ(-1, expect_variant_check(&env, "ours", err, sizeof(err)));
}

/* The -kernel QEMU gets: a PVH-capable build's vmlinux, else the image as given. */
static const char *kernel_arg_of(const char *kernel)
{
	static char out[600];
	struct env env = { .qemu = "qemu", .firmware = "", .accel = "tcg" };
	struct argv a = { 0 };
	struct rig r;
	char err[512];

	out[0] = '\0';
	unit_write("rigs/pvh.rig", "NIC=igb\n");
	if (rig_load(&r, unit_tmpdir(), "pvh", err, sizeof(err)))
		return "(rig)";
	qemu_argv(&a, &env, &r, kernel, "initrd", "/tmp/x", "console=ttyS0", NULL);
	for (int i = 0; i + 1 < a.n; i++)
		if (!strcmp(a.v[i], "-kernel"))
			snprintf(out, sizeof(out), "%s", a.v[i + 1]);
	argv_free(&a);
	return out;
}

TEST(qemu_boots_vmlinux_of_a_pvh_build)
{
	char bz[600], elf[600], other[600];

	unit_write("kb/pvh/.config", "CONFIG_X=y\nCONFIG_PVH=y\nCONFIG_Y=m\n");
	unit_write("kb/pvh/vmlinux", "ELF");
	snprintf(bz, sizeof(bz), "%s", unit_write("kb/pvh/arch/x86/boot/bzImage", "bz"));
	snprintf(elf, sizeof(elf), "%s/kb/pvh/vmlinux", unit_tmpdir());
	EXPECT_STR_EQ(elf, kernel_arg_of(bz));

	/* no PVH entry, no vmlinux, or an image outside a build: as given */
	unit_write("kb/nopvh/.config", "# CONFIG_PVH is not set\nCONFIG_PVH_X=y\n");
	unit_write("kb/nopvh/vmlinux", "ELF");
	snprintf(other, sizeof(other), "%s", unit_write("kb/nopvh/arch/x86/boot/bzImage", "bz"));
	EXPECT_STR_EQ(other, kernel_arg_of(other));
	unit_write("kb/noelf/.config", "CONFIG_PVH=y\n");
	snprintf(other, sizeof(other), "%s", unit_write("kb/noelf/arch/x86/boot/bzImage", "bz"));
	EXPECT_STR_EQ(other, kernel_arg_of(other));
	snprintf(other, sizeof(other), "%s", unit_write("kb/pvh/bzImage.copy", "bz"));
	EXPECT_STR_EQ(other, kernel_arg_of(other));
}
