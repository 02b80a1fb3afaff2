// SPDX-License-Identifier: GPL-2.0
/*
 * kcidb.c - a run's cells as kcidb.json, for KernelCI's results database
 * (kcidb I/O schema 4.1: {"version":{"major":4,"minor":1}, "checkouts",
 * "builds", "tests"}).  One checkout stands for the run, one build for each
 * kernel variant in it, one test for each cell: path nicrig.RIG.TEST.READER
 * (the boot's own cell nicrig.RIG.kernel_log or .boot), status what was
 * observed (PASS, FAIL, ERROR; a cell the rig cannot run, as expected,
 * SKIP), and in misc what tests/expectations says and whether it matched:
 * a dashboard sees the bug the rig shows as the FAIL it is, and nicrig's
 * verdict beside it.  Ids are "nicrig:" plus the run's results directory
 * and start time, and the variant, rig, test and reader: a run's ids are
 * its own.  A matrix writes one for all its boots (the one to submit), each
 * boot one for itself.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "runner.h"

static const char *kcidb_status(const struct report_cell *c)
{
	if (c->match && !strcmp(c->expected, "error"))
		return "SKIP";
	if (!strcmp(c->observed, "pass"))
		return "PASS";
	if (!strcmp(c->observed, "fail"))
		return "FAIL";
	return "ERROR";		/* error, or none: the test broke or never reported */
}

/* "nicrig:RUN[:PART...]" as a JSON string; RUN the results directory's name. */
static void kcidb_id(FILE *f, const char *run, const char *a, const char *b, const char *c,
		     const char *d)
{
	char id[512];

	snprintf(id, sizeof(id), "nicrig:%s%s%s%s%s%s%s%s%s", run, a ? ":" : "", a ? a : "",
		 b ? ":" : "", b ? b : "", c ? ":" : "", c ? c : "", d ? ":" : "", d ? d : "");
	json_string(f, id);
}

int report_kcidb(const char *path, const struct report_cell *cells, size_t n, time_t started,
		 const char *out_dir)
{
	const char *dir = strrchr(out_dir, '/') ? strrchr(out_dir, '/') + 1 : out_dir;
	char when[32], run[300];
	struct tm tm;
	FILE *f = fopen(path, "w");
	bool first = true;

	if (!f)
		return -1;
	gmtime_r(&started, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	/* a results directory given with --out may be reused: the start time too */
	snprintf(run, sizeof(run), "%.200s@%.4s%.2s%.2sT%.2s%.2s%.2sZ", dir, when, when + 5, when + 8,
		 when + 11, when + 14, when + 17);
	fprintf(f, "{\"version\": {\"major\": 4, \"minor\": 1},\n \"checkouts\": [{\"id\": ");
	kcidb_id(f, run, NULL, NULL, NULL, NULL);
	fprintf(f, ", \"origin\": \"nicrig\", \"tree_name\": \"linux-7.3\", \"start_time\": \"%s\", "
		"\"valid\": true, \"misc\": {\"results\": ", when);
	json_string(f, out_dir);
	fprintf(f, "}}],\n \"builds\": [");
	/* one build per variant, in the order the cells name them */
	for (size_t i = 0; i < n; i++) {
		size_t j;

		for (j = 0; j < i && strcmp(cells[j].variant, cells[i].variant); j++)
			;
		if (j < i)
			continue;
		fprintf(f, "%s\n  {\"id\": ", first ? "" : ",");
		first = false;
		kcidb_id(f, run, cells[i].variant, NULL, NULL, NULL);
		fprintf(f, ", \"checkout_id\": ");
		kcidb_id(f, run, NULL, NULL, NULL, NULL);
		fprintf(f, ", \"origin\": \"nicrig\", \"architecture\": \"x86_64\", \"config_name\": ");
		json_string(f, cells[i].variant);
		fprintf(f, ", \"start_time\": \"%s\", \"valid\": true, \"misc\": {\"variant\": ", when);
		json_string(f, cells[i].variant);
		fprintf(f, "}}");
	}
	fprintf(f, "],\n \"tests\": [");
	for (size_t i = 0; i < n; i++) {
		const struct report_cell *c = &cells[i];
		bool boot = !strcmp(c->test, "-");
		char tpath[256], env[160];

		snprintf(tpath, sizeof(tpath), "nicrig.%s.%s%s%s", c->rig, boot ? "" : c->test,
			 boot ? "" : ".", c->reader);
		fprintf(f, "%s\n  {\"id\": ", i ? "," : "");
		kcidb_id(f, run, c->variant, c->rig, boot ? c->reader : c->test, boot ? NULL : c->reader);
		fprintf(f, ", \"build_id\": ");
		kcidb_id(f, run, c->variant, NULL, NULL, NULL);
		fprintf(f, ", \"origin\": \"nicrig\", \"path\": ");
		json_string(f, tpath);
		fprintf(f, ", \"status\": \"%s\", \"start_time\": \"%s\", \"duration\": %.1f,\n"
			"   \"environment\": {\"comment\": ", kcidb_status(c), when, c->seconds);
		snprintf(env, sizeof(env), "QEMU, NIC %s, kernel variant %s", c->nic, c->variant);
		json_string(f, env);
		fprintf(f, "}, \"misc\": {\"expected\": ");
		json_string(f, c->expected);
		fprintf(f, ", \"observed\": ");
		json_string(f, c->observed);
		fprintf(f, ", \"matched\": %s, \"detail\": ", c->match ? "true" : "false");
		json_string(f, c->detail);
		fprintf(f, "}}");
	}
	fprintf(f, "]}\n");
	return fclose(f) ? -1 : 0;
}
