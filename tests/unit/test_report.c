// SPDX-License-Identifier: GPL-2.0
/*
 * test_report.c - the report writers: a run's cells, the one JUnit writer
 * that `nicrig test` and `nicrig matrix` share, and cells.tsv written and
 * read back.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "runner.h"

/* A run of one test with two readers: one matched, one not; a warning in the log. */
static void fake_run(struct rig *rig, struct run_opts *o, struct run_result *res,
		     struct expectation *pass)
{
	memset(rig, 0, sizeof(*rig));
	memset(o, 0, sizeof(*o));
	memset(res, 0, sizeof(*res));
	snprintf(rig->name, sizeof(rig->name), "r1");
	rig->nic = NIC_IXGBE;
	snprintf(rig->kernel, sizeof(rig->kernel), "baseline");
	o->rig = rig;
	*pass = (struct expectation){ .outcome = OUT_PASS, .line = 3 };
	res->ntests = 1;
	snprintf(res->tests[0].def.name, sizeof(res->tests[0].def.name), "t");
	res->tests[0].nreaders = 2;
	res->tests[0].seconds = 1.5;
	res->tests[0].diag = "# probes <64> & more";
	snprintf(res->tests[0].readers[0].name, sizeof(res->tests[0].readers[0].name), "data_meta");
	res->tests[0].readers[0].observed = OUT_PASS;
	res->tests[0].readers[0].expect = pass;
	snprintf(res->tests[0].readers[1].name, sizeof(res->tests[0].readers[1].name), "dynptr");
	res->tests[0].readers[1].observed = OUT_FAIL;
	snprintf(res->tests[0].readers[1].detail, sizeof(res->tests[0].readers[1].detail),
		 "expected \"64\"\tintact");
	res->tests[0].readers[1].expect = pass;
	res->kernel_problems = 1;
	snprintf(res->kernel_problem, sizeof(res->kernel_problem), "WARNING: at x.c:1");
	res->wall_seconds = 9.0;
}

TEST(report_cells_of_a_run)
{
	struct expectation pass;
	struct run_result *res = calloc(1, sizeof(*res));
	struct run_opts o;
	struct rig rig;
	struct report_cell *c;
	size_t n = 0;

	ASSERT_TRUE(res != NULL);
	fake_run(&rig, &o, res, &pass);
	c = report_cells_of(&o, res, &n);
	ASSERT_TRUE(c != NULL);
	EXPECT_EQ(3, n);
	EXPECT_STR_EQ("r1", c[0].rig);
	EXPECT_STR_EQ("ixgbe", c[0].nic);
	EXPECT_STR_EQ("baseline", c[0].variant);
	EXPECT_STR_EQ("data_meta", c[0].reader);
	EXPECT_EQ(1, c[0].match);
	EXPECT_STR_EQ("fail", c[1].observed);
	EXPECT_STR_EQ("pass", c[1].expected);
	EXPECT_EQ(0, c[1].match);
	/* The boot's own cell: the kernel log had a warning. */
	EXPECT_STR_EQ("-", c[2].test);
	EXPECT_STR_EQ("kernel_log", c[2].reader);
	EXPECT_STR_EQ("fail", c[2].observed);
	EXPECT_EQ(0, c[2].match);
	EXPECT_STR_EQ("WARNING: at x.c:1", c[2].detail);
	free(c);
	free(res);
}

TEST(report_junit_one_writer_for_runs_and_matrices)
{
	struct expectation pass;
	struct run_result *res = calloc(1, sizeof(*res));
	struct run_opts o;
	struct rig rig;
	struct report_cell *c;
	char path[600];
	const char *x;
	size_t n = 0;

	ASSERT_TRUE(res != NULL);
	fake_run(&rig, &o, res, &pass);
	c = report_cells_of(&o, res, &n);
	ASSERT_TRUE(c != NULL);
	snprintf(path, sizeof(path), "%s/junit-run.xml", unit_tmpdir());
	EXPECT_EQ(0, report_junit(path, "r1.baseline", c, n, 9.0));
	x = unit_slurp(unit_tmpdir(), "junit-run.xml");
	EXPECT_CONTAINS(x, "<testsuite name=\"r1.baseline\" tests=\"3\" failures=\"2\" time=\"9.0\">");
	EXPECT_CONTAINS(x, "<testcase classname=\"r1.baseline.t\" name=\"t.data_meta\" time=\"1.5\">\n  </testcase>");
	EXPECT_CONTAINS(x, "<failure message=\"expected pass, observed fail\">expected &quot;64&quot;\tintact\n"
			"# probes &lt;64&gt; &amp; more</failure>");
	EXPECT_CONTAINS(x, "<testcase classname=\"r1.baseline\" name=\"kernel_log_clean\"");
	EXPECT_CONTAINS(x, "WARNING: at x.c:1</failure>");
	free(c);
	free(res);
}

TEST(report_cells_tsv_round_trip)
{
	struct expectation pass;
	struct run_result *res = calloc(1, sizeof(*res));
	struct report_cell *c, *back = NULL;
	size_t n = 0, nback = 0, cap = 0;
	struct run_opts o;
	struct rig rig;
	char path[600];

	ASSERT_TRUE(res != NULL);
	fake_run(&rig, &o, res, &pass);
	c = report_cells_of(&o, res, &n);
	ASSERT_TRUE(c != NULL);
	snprintf(path, sizeof(path), "%s/cells.tsv", unit_tmpdir());
	EXPECT_EQ(0, report_cells(path, c, n));
	EXPECT_EQ(0, report_cells_read(path, &back, &nback, &cap));
	ASSERT_TRUE(nback == n);
	for (size_t i = 0; i < n; i++) {
		EXPECT_STR_EQ(c[i].test, back[i].test);
		EXPECT_STR_EQ(c[i].reader, back[i].reader);
		EXPECT_STR_EQ(c[i].observed, back[i].observed);
		EXPECT_EQ(c[i].match, back[i].match);
	}
	/* A tab in a detail would split the line: it comes back as a blank. */
	EXPECT_STR_EQ("expected \"64\" intact", back[1].detail);
	snprintf(path, sizeof(path), "%s/no-such-cells.tsv", unit_tmpdir());
	EXPECT_EQ(-1, report_cells_read(path, &back, &nback, &cap));
	free(back);
	free(c);
	free(res);
}

/* The status file scripts read (make check): counts, then the extra keys, FATAL last. */
TEST(report_status_for_scripts)
{
	struct expectation pass;
	struct run_result *res = calloc(1, sizeof(*res));
	struct report_cell *c;
	struct run_opts o;
	struct rig rig;
	char path[600];
	size_t n = 0;

	ASSERT_TRUE(res != NULL);
	fake_run(&rig, &o, res, &pass);
	c = report_cells_of(&o, res, &n);
	ASSERT_TRUE(c != NULL);
	snprintf(path, sizeof(path), "%s/status", unit_tmpdir());
	EXPECT_EQ(0, report_status(path, c, n, "BOOTS=1\n", "QEMU died\nwith signal 9"));
	EXPECT_CONTAINS(unit_slurp(unit_tmpdir(), "status"), "\nRESULT=fail\nCELLS=3\nMATCHED=1\nMISMATCHED=2\nBOOTS=1\n"
			"FATAL=QEMU died with signal 9\n");
	c[1].match = c[2].match = 1;
	EXPECT_EQ(0, report_status(path, c, n, NULL, ""));
	EXPECT_CONTAINS(unit_slurp(unit_tmpdir(), "status"), "\nRESULT=pass\nCELLS=3\nMATCHED=3\nMISMATCHED=0\nFATAL=\n");
	/* No cells at all is no pass. */
	EXPECT_EQ(0, report_status(path, c, 0, NULL, NULL));
	EXPECT_CONTAINS(unit_slurp(unit_tmpdir(), "status"), "\nRESULT=fail\nCELLS=0\n");
	free(c);
	free(res);
}

/* --json: the documented schema, strings escaped. */
TEST(report_json_schema)
{
	struct expectation pass;
	struct run_result *res = calloc(1, sizeof(*res));
	struct report_cell *c;
	struct run_opts o;
	struct rig rig;
	char *buf = NULL;
	size_t n = 0, len = 0;
	FILE *f;

	ASSERT_TRUE(res != NULL);
	fake_run(&rig, &o, res, &pass);
	c = report_cells_of(&o, res, &n);
	ASSERT_TRUE(c != NULL);
	f = open_memstream(&buf, &len);
	ASSERT_TRUE(f != NULL);
	report_json(f, "test", c, n, "", "/r/x", 9.0);
	fclose(f);
	EXPECT_CONTAINS(buf, "{\"version\":1,\"kind\":\"test\",\"result\":\"fail\",\"wall_seconds\":9.0,"
			"\"out_dir\":\"/r/x\",\"fatal\":\"\",\n \"counts\":{\"cells\":3,\"matched\":1,"
			"\"mismatched\":2,\"skipped\":0},\n \"cells\":[\n");
	EXPECT_CONTAINS(buf, "{\"rig\":\"r1\",\"nic\":\"ixgbe\",\"variant\":\"baseline\",\"test\":\"t\","
			"\"reader\":\"dynptr\",\"expected\":\"pass\",\"observed\":\"fail\",\"match\":false,"
			"\"skip\":false,\"seconds\":1.5,\"detail\":\"expected \\\"64\\\"\\tintact\"}");
	EXPECT_CONTAINS(buf, "\"test\":\"-\",\"reader\":\"kernel_log\"");
	EXPECT_CONTAINS(buf, "}\n ]}\n");
	free(buf);
	free(c);
	free(res);
}
