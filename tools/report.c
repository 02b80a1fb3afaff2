// SPDX-License-Identifier: GPL-2.0
/*
 * report.c - KTAP and JUnit views of one rig run.
 *
 * KTAP: one top-level result per test, each with a nested KTAP block holding
 * one result per metadata reader; a reader result is "ok" when what was
 * observed is what tests/expectations says, with "# XFAIL <reason>" when the
 * expectation is a failure.  A last result, kernel_log_clean, fails on any
 * warning, BUG, oops or panic in the console, or if the run itself broke.
 */
#include <stdio.h>
#include <string.h>

#include "runner.h"

static const char *outcome_name(int o)
{
	return o >= OUT_NONE && o <= OUT_ERROR ? outcome_names[o + 1] : "?";
}

static void ktap_reader(FILE *f, int n, const struct reader_result *rr)
{
	const struct expectation *e = rr->expect;
	bool match = e && rr->observed != OUT_NONE && e->outcome == rr->observed;

	fprintf(f, "    %s %d %s", match ? "ok" : "not ok", n, rr->name);
	if (match && e->outcome != OUT_PASS)
		fprintf(f, " # XFAIL %s", e->reason);
	fputc('\n', f);
	if (!match || rr->observed != OUT_PASS)
		fprintf(f, "    # %s: expected %s, observed %s: %s\n", rr->name,
			e ? outcome_name(e->outcome) : "(no expectation)",
			outcome_name(rr->observed), rr->detail);
	if (!match && e)
		fprintf(f, "    # expectation from tests/expectations:%d: %s\n", e->line, e->reason);
}

void report_ktap(FILE *f, const struct run_opts *o, const struct run_result *res)
{
	const struct rig *rig = o->rig;
	int n = 0;

	fprintf(f, "KTAP version 1\n1..%d\n", res->ntests + 1);
	fprintf(f, "# rig %s: nic=%s kernel=%s cpus=%u memory=%uM\n", rig->name,
		nic_names[rig->nic], o->variant ? o->variant : rig->kernel, rig->cpus,
		rig->memory_mb);
	if (o->kernel_image)
		fprintf(f, "# kernel image %s, held to the expectations of variant %s\n",
			o->kernel_image, o->variant);
	if (res->boot_seconds > 0)
		fprintf(f, "# boot to agent hello: %.2f s\n", res->boot_seconds);
	if (res->fatal[0])
		fprintf(f, "# run failed: %s\n", res->fatal);
	for (int i = 0; i < res->ntests; i++) {
		const struct test_result *t = &res->tests[i];
		const char *p = t->diag;

		fprintf(f, "    KTAP version 1\n    # Subtest: %s\n    # %s\n    1..%d\n",
			t->def.name, t->def.description, t->nreaders);
		while (p && *p) {
			const char *nl = strchr(p, '\n');
			int len = nl ? (int)(nl - p) : (int)strlen(p);

			fprintf(f, "    %.*s\n", len, p);
			p += len + (nl ? 1 : 0);
		}
		if (t->error[0])
			fprintf(f, "    # test error: %s\n", t->error);
		for (int j = 0; j < t->nreaders; j++)
			ktap_reader(f, j + 1, &t->readers[j]);
		fprintf(f, "%s %d %s", t->ok ? "ok" : "not ok", ++n, t->def.name);
		if (t->seconds > 0)
			fprintf(f, " # time=%.1fs", t->seconds);
		fputc('\n', f);
	}
	if (res->kernel_problems)
		fprintf(f, "# kernel log: %d problem line(s), first: %s\n", res->kernel_problems,
			res->kernel_problem);
	fprintf(f, "%s %d kernel_log_clean\n",
		res->kernel_problems || res->fatal[0] ? "not ok" : "ok", ++n);
	fprintf(f, "# %s: %d passed, %d failed (%.1f s)\n", rig->name, res->passed, res->failed,
		res->wall_seconds);
	if (res->out_dir[0])
		fprintf(f, "# results in %s\n", res->out_dir);
}

static void xml_escaped(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '&': fputs("&amp;", f); break;
		case '"': fputs("&quot;", f); break;
		default:
			if ((unsigned char)*s >= 0x20 || *s == '\n' || *s == '\t')
				fputc(*s, f);
		}
	}
}

int report_junit(const char *path, const struct run_opts *o, const struct run_result *res)
{
	const char *variant = o->variant ? o->variant : o->rig->kernel;
	FILE *f = fopen(path, "w");
	int cases = 1;

	if (!f)
		return -1;
	for (int i = 0; i < res->ntests; i++)
		cases += res->tests[i].nreaders;
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	fprintf(f, "<testsuites>\n <testsuite name=\"%s.%s\" tests=\"%d\" failures=\"%d\" time=\"%.1f\">\n",
		o->rig->name, variant, cases, res->failed, res->wall_seconds);
	for (int i = 0; i < res->ntests; i++) {
		const struct test_result *t = &res->tests[i];

		for (int j = 0; j < t->nreaders; j++) {
			const struct reader_result *rr = &t->readers[j];
			bool match = rr->expect && rr->observed == rr->expect->outcome;

			fprintf(f, "  <testcase classname=\"%s.%s.%s\" name=\"%s.%s\" time=\"%.1f\">\n",
				o->rig->name, variant, t->def.name, t->def.name, rr->name, t->seconds);
			if (!match) {
				fprintf(f, "   <failure message=\"expected %s, observed %s\">",
					rr->expect ? outcome_name(rr->expect->outcome) : "?",
					outcome_name(rr->observed));
				xml_escaped(f, rr->detail);
				fputc('\n', f);
				xml_escaped(f, t->diag);
				fprintf(f, "</failure>\n");
			}
			fprintf(f, "  </testcase>\n");
		}
	}
	fprintf(f, "  <testcase classname=\"%s.%s\" name=\"kernel_log_clean\">\n", o->rig->name, variant);
	if (res->kernel_problems || res->fatal[0]) {
		fprintf(f, "   <failure message=\"");
		xml_escaped(f, res->fatal[0] ? res->fatal : res->kernel_problem);
		fprintf(f, "\"/>\n");
	}
	fprintf(f, "  </testcase>\n </testsuite>\n</testsuites>\n");
	return fclose(f);
}

int report_cells(const char *path, const struct run_opts *o, const struct run_result *res)
{
	const char *variant = o->variant ? o->variant : o->rig->kernel;
	bool clean = !res->kernel_problems && !res->fatal[0];
	FILE *f = fopen(path, "w");

	if (!f)
		return -1;
	for (int i = 0; i < res->ntests; i++) {
		const struct test_result *t = &res->tests[i];

		for (int j = 0; j < t->nreaders; j++) {
			const struct reader_result *rr = &t->readers[j];
			bool match = rr->expect && rr->observed == rr->expect->outcome;
			char detail[256];

			snprintf(detail, sizeof(detail), "%s", rr->detail);
			for (char *c = detail; *c; c++)
				if (*c == '\t' || *c == '\n')
					*c = ' ';
			fprintf(f, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%.1f\t%d\t%s\n", o->rig->name,
				nic_names[o->rig->nic], variant, t->def.name, rr->name,
				rr->expect ? outcome_name(rr->expect->outcome) : "?",
				outcome_name(rr->observed), t->seconds, match, detail);
		}
	}
	fprintf(f, "%s\t%s\t%s\t-\tkernel_log\tpass\t%s\t%.1f\t%d\t%s\n", o->rig->name,
		nic_names[o->rig->nic], variant, clean ? "pass" : "fail", res->wall_seconds, clean,
		res->fatal[0] ? res->fatal : res->kernel_problem);
	return fclose(f);
}
