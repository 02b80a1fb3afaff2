// SPDX-License-Identifier: GPL-2.0
/*
 * report.c - KTAP and JUnit views of one rig run.
 *
 * Both, and `nicrig matrix`, work from cells: one (rig, variant, test,
 * reader) with its expected and observed outcome; a run writes its cells to
 * cells.tsv, which the matrix reads back.  One JUnit writer serves both.
 *
 * KTAP: one top-level result per test, each with a nested KTAP block holding
 * one result per metadata reader; a reader result is "ok" when what was
 * observed is what tests/expectations says, with "# XFAIL <reason>" when the
 * expectation is a failure and "# SKIP <reason>" when it is an error (the
 * rig cannot run the test); a test all of whose readers are SKIP is a SKIP
 * itself.  Each block ends with kselftest's "# Totals:" line.  A last result, kernel_log_clean, fails on any
 * warning, BUG, oops or panic in the console, or if the run itself broke.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runner.h"
#include "util.h"

static const char *outcome_name(int o)
{
	return o >= OUT_NONE && o <= OUT_ERROR ? outcome_names[o + 1] : "?";
}

/* One line of kselftest's totals: `# Totals: pass:N fail:N xfail:N xpass:0 skip:N error:N`. */
struct ktap_totals {
	int pass, fail, xfail, skip, error;
};

static void ktap_totals(FILE *f, const char *indent, const struct ktap_totals *t)
{
	fprintf(f, "%s# Totals: pass:%d fail:%d xfail:%d xpass:0 skip:%d error:%d\n", indent,
		t->pass, t->fail, t->xfail, t->skip, t->error);
}

/*
 * A reader is ok when it did what tests/expectations says: a pass, an
 * expected failure (XFAIL, the bug the rig exists to show), or an expected
 * error, which is a test the rig cannot run (SKIP, not a pass).
 */
static void ktap_reader(FILE *f, int n, const struct reader_result *rr, struct ktap_totals *tot)
{
	const struct expectation *e = rr->expect;
	bool match = e && rr->observed != OUT_NONE && e->outcome == rr->observed;

	fprintf(f, "    %s %d %s", match ? "ok" : "not ok", n, rr->name);
	if (match && e->outcome == OUT_FAIL)
		fprintf(f, " # XFAIL %s", e->reason);
	else if (match && e->outcome == OUT_ERROR)
		fprintf(f, " # SKIP %s", e->reason);
	fputc('\n', f);
	if (!match || rr->observed != OUT_PASS)
		fprintf(f, "    # %s: expected %s, observed %s: %s\n", rr->name,
			e ? outcome_name(e->outcome) : "(no expectation)",
			outcome_name(rr->observed), rr->detail);
	if (!match && e)
		fprintf(f, "    # expectation from tests/expectations:%d: %s\n", e->line, e->reason);
	if (!match && rr->observed == OUT_NONE)
		tot->error++;
	else if (!match)
		tot->fail++;
	else if (e->outcome == OUT_FAIL)
		tot->xfail++;
	else if (e->outcome == OUT_ERROR)
		tot->skip++;
	else
		tot->pass++;
}

void report_ktap(FILE *f, const struct run_opts *o, const struct run_result *res)
{
	const struct rig *rig = o->rig;
	struct ktap_totals top = { 0 };
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
		struct ktap_totals sub = { 0 };
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
			ktap_reader(f, j + 1, &t->readers[j], &sub);
		ktap_totals(f, "    ", &sub);
		fprintf(f, "%s %d %s", t->ok ? "ok" : "not ok", ++n, t->def.name);
		if (t->skipped)
			fprintf(f, " # SKIP %s", t->readers[0].expect->reason);
		else if (t->seconds > 0)
			fprintf(f, " # time=%.1fs", t->seconds);
		fputc('\n', f);
		/* A test whose readers never reported (it broke, or the run did) is an error. */
		if (t->skipped)
			top.skip++;
		else if (t->ok)
			top.pass++;
		else if (sub.error)
			top.error++;
		else
			top.fail++;
	}
	if (res->kernel_problems)
		fprintf(f, "# kernel log: %d problem line(s), first: %s\n", res->kernel_problems,
			res->kernel_problem);
	fprintf(f, "%s %d kernel_log_clean\n",
		res->kernel_problems || res->fatal[0] ? "not ok" : "ok", ++n);
	if (res->fatal[0])
		top.error++;
	else if (res->kernel_problems)
		top.fail++;
	else
		top.pass++;
	ktap_totals(f, "", &top);
	fprintf(f, "# %s: %d passed, %d failed, %d skipped (%.1f s)\n", rig->name, res->passed,
		res->failed, res->skipped, res->wall_seconds);
	if (res->out_dir[0])
		fprintf(f, "# results in %s\n", res->out_dir);
}

void xml_escaped(FILE *f, const char *s)
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

int report_junit(const char *path, const char *suite, const struct report_cell *cells, size_t n,
		 double wall_seconds)
{
	FILE *f = fopen(path, "w");
	int failures = 0;

	if (!f)
		return -1;
	for (size_t i = 0; i < n; i++)
		failures += !cells[i].match;
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	fprintf(f, "<testsuites>\n <testsuite name=\"");
	xml_escaped(f, suite);
	fprintf(f, "\" tests=\"%zu\" failures=\"%d\" time=\"%.1f\">\n", n, failures, wall_seconds);
	for (size_t i = 0; i < n; i++) {
		const struct report_cell *c = &cells[i];

		/* The boot's own cell (test "-"): the kernel log, or the boot that broke. */
		if (!strcmp(c->test, "-"))
			fprintf(f, "  <testcase classname=\"%s.%s\" name=\"%s\" time=\"%.1f\">\n",
				c->rig, c->variant, !strcmp(c->reader, "kernel_log") ?
				"kernel_log_clean" : c->reader, c->seconds);
		else
			fprintf(f, "  <testcase classname=\"%s.%s.%s\" name=\"%s.%s\" time=\"%.1f\">\n",
				c->rig, c->variant, c->test, c->test, c->reader, c->seconds);
		if (!c->match) {
			fprintf(f, "   <failure message=\"expected %s, observed %s\">", c->expected,
				c->observed);
			xml_escaped(f, c->detail);
			if (c->diag) {
				fputc('\n', f);
				xml_escaped(f, c->diag);
			}
			fprintf(f, "</failure>\n");
		}
		fprintf(f, "  </testcase>\n");
	}
	fprintf(f, " </testsuite>\n</testsuites>\n");
	return fclose(f);
}

struct report_cell *report_cells_of(const struct run_opts *o, const struct run_result *res,
				    size_t *n)
{
	const char *variant = o->variant ? o->variant : o->rig->kernel;
	bool clean = !res->kernel_problems && !res->fatal[0];
	struct report_cell *cells;
	size_t k = 1;

	for (int i = 0; i < res->ntests; i++)
		k += res->tests[i].nreaders;
	cells = calloc(k, sizeof(*cells));
	if (!cells)
		return NULL;
	*n = 0;
	for (int i = 0; i < res->ntests; i++) {
		const struct test_result *t = &res->tests[i];

		for (int j = 0; j < t->nreaders; j++) {
			const struct reader_result *rr = &t->readers[j];
			struct report_cell *c = &cells[(*n)++];

			snprintf(c->test, sizeof(c->test), "%s", t->def.name);
			snprintf(c->reader, sizeof(c->reader), "%s", rr->name);
			snprintf(c->expected, sizeof(c->expected), "%s",
				 rr->expect ? outcome_name(rr->expect->outcome) : "?");
			snprintf(c->observed, sizeof(c->observed), "%s", outcome_name(rr->observed));
			snprintf(c->detail, sizeof(c->detail), "%s", rr->detail);
			c->diag = t->diag;
			c->seconds = t->seconds;
			c->match = rr->expect && rr->observed == rr->expect->outcome;
		}
	}
	cells[*n].match = clean;
	snprintf(cells[*n].test, sizeof(cells[*n].test), "-");
	snprintf(cells[*n].reader, sizeof(cells[*n].reader), "kernel_log");
	snprintf(cells[*n].expected, sizeof(cells[*n].expected), "pass");
	snprintf(cells[*n].observed, sizeof(cells[*n].observed), "%s", clean ? "pass" : "fail");
	message_printf(cells[*n].detail, sizeof(cells[*n].detail), "%s",
		       res->fatal[0] ? res->fatal : res->kernel_problem);
	cells[*n].seconds = res->wall_seconds;
	(*n)++;
	for (size_t i = 0; i < *n; i++) {
		snprintf(cells[i].rig, sizeof(cells[i].rig), "%s", o->rig->name);
		snprintf(cells[i].nic, sizeof(cells[i].nic), "%s", nic_names[o->rig->nic]);
		snprintf(cells[i].variant, sizeof(cells[i].variant), "%s", variant);
	}
	return cells;
}

int report_cells(const char *path, const struct report_cell *cells, size_t n)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -1;
	for (size_t i = 0; i < n; i++) {
		const struct report_cell *c = &cells[i];
		char detail[sizeof(c->detail)];

		snprintf(detail, sizeof(detail), "%s", c->detail);
		for (char *d = detail; *d; d++)
			if (*d == '\t' || *d == '\n')
				*d = ' ';
		fprintf(f, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%.1f\t%d\t%s\n", c->rig, c->nic, c->variant,
			c->test, c->reader, c->expected, c->observed, c->seconds, c->match, detail);
	}
	return fclose(f);
}

int report_cells_read(const char *path, struct report_cell **cells, size_t *n, size_t *cap)
{
	char line[1024];
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		struct report_cell c = { 0 };
		char *field[10], *save, *s = line;
		int nf = 0;

		line[strcspn(line, "\n")] = '\0';
		for (char *t; nf < 10 && (t = strtok_r(s, "\t", &save)); s = NULL)
			field[nf++] = t;
		if (nf < 9)
			continue;
		snprintf(c.rig, sizeof(c.rig), "%s", field[0]);
		snprintf(c.nic, sizeof(c.nic), "%s", field[1]);
		snprintf(c.variant, sizeof(c.variant), "%s", field[2]);
		snprintf(c.test, sizeof(c.test), "%s", field[3]);
		snprintf(c.reader, sizeof(c.reader), "%s", field[4]);
		snprintf(c.expected, sizeof(c.expected), "%s", field[5]);
		snprintf(c.observed, sizeof(c.observed), "%s", field[6]);
		c.seconds = atof(field[7]);
		c.match = atoi(field[8]);
		snprintf(c.detail, sizeof(c.detail), "%s", nf > 9 ? field[9] : "");
		if (report_cell_add(cells, n, cap, &c)) {
			fclose(f);
			return -1;
		}
	}
	fclose(f);
	return 0;
}

int report_cell_add(struct report_cell **cells, size_t *n, size_t *cap, const struct report_cell *c)
{
	if (*n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 64;
		struct report_cell *nc = realloc(*cells, ncap * sizeof(*nc));

		if (!nc)
			return -1;
		*cells = nc;
		*cap = ncap;
	}
	(*cells)[(*n)++] = *c;
	return 0;
}

int report_status(const char *path, const struct report_cell *cells, size_t n,
		  const char *extra, const char *fatal)
{
	FILE *f = fopen(path, "w");
	size_t matched = 0;

	if (!f)
		return -1;
	for (size_t i = 0; i < n; i++)
		matched += cells[i].match != 0;
	fprintf(f, "# nicrig status: KEY=value, see README (Output for scripts)\n");
	fprintf(f, "RESULT=%s\nCELLS=%zu\nMATCHED=%zu\nMISMATCHED=%zu\n",
		n && matched == n && !(fatal && *fatal) ? "pass" : "fail", n, matched, n - matched);
	if (extra && *extra)
		fprintf(f, "%s%s", extra, extra[strlen(extra) - 1] == '\n' ? "" : "\n");
	fprintf(f, "FATAL=");
	for (const char *c = fatal; c && *c; c++)
		fputc(*c == '\n' ? ' ' : *c, f);
	fputc('\n', f);
	return fclose(f);
}

void json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; s && *s; s++) {
		unsigned char c = *s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c == '\t')
			fputs("\\t", f);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

void report_json(FILE *f, const char *kind, const struct report_cell *cells, size_t n,
		 const char *fatal, const char *out_dir, double wall_seconds)
{
	size_t matched = 0, skipped = 0;

	for (size_t i = 0; i < n; i++) {
		matched += cells[i].match != 0;
		skipped += cells[i].match && !strcmp(cells[i].expected, "error");
	}
	fprintf(f, "{\"version\":1,\"kind\":");
	json_string(f, kind);
	fprintf(f, ",\"result\":\"%s\",\"wall_seconds\":%.1f,\"out_dir\":",
		n && matched == n && !(fatal && *fatal) ? "pass" : "fail", wall_seconds);
	json_string(f, out_dir);
	fprintf(f, ",\"fatal\":");
	json_string(f, fatal);
	fprintf(f, ",\n \"counts\":{\"cells\":%zu,\"matched\":%zu,\"mismatched\":%zu,\"skipped\":%zu},\n"
		" \"cells\":[", n, matched, n - matched, skipped);
	for (size_t i = 0; i < n; i++) {
		const struct report_cell *c = &cells[i];

		const char *const fields[][2] = {
			{ "rig", c->rig }, { "nic", c->nic }, { "variant", c->variant },
			{ "test", c->test }, { "reader", c->reader }, { "expected", c->expected },
			{ "observed", c->observed },
		};

		fprintf(f, "%s\n  {", i ? "," : "");
		for (size_t k = 0; k < sizeof(fields) / sizeof(fields[0]); k++) {
			fprintf(f, "%s\"%s\":", k ? "," : "", fields[k][0]);
			json_string(f, fields[k][1]);
		}
		fprintf(f, ",\"match\":%s,\"skip\":%s,\"seconds\":%.1f,\"detail\":",
			c->match ? "true" : "false",
			c->match && !strcmp(c->expected, "error") ? "true" : "false", c->seconds);
		json_string(f, c->detail);
		fputc('}', f);
	}
	fprintf(f, "\n ]}\n");
}
