// SPDX-License-Identifier: GPL-2.0
/*
 * matrix.c - `nicrig matrix`: every test on every rig and kernel variant.
 *
 * A boot is one (rig, variant) pair; all the rig's tests share it.  Boots
 * run in child processes, up to --jobs at a time, each writing its results
 * directory as `nicrig test` does; the parent then reads every boot's
 * cells.tsv, prints one table row per cell (rig/variant/test/reader), writes
 * a combined KTAP and JUnit file, and fails on any cell whose observed
 * outcome differs from tests/expectations.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "matrix.h"
#include "runner.h"
#include "util.h"

struct boot {
	struct rig rig;
	const char *variant;
	char out[600];
	pid_t pid;
	int status;
	bool done;
};

static int build_missing(const struct env *env, const struct matrix_opts *mo)
{
	char path[700], cmd[1200];

	for (int v = 0; v < mo->nvariants && !mo->kernel_image; v++) {
		env_kernel_path(env, mo->variants[v], path, sizeof(path));
		if (!access(path, R_OK))
			continue;
		if (!mo->build) {
			fprintf(stderr, "Error: no kernel for variant '%s' (%s); drop --no-build or run 'make kernel VARIANT=%s'\n",
				mo->variants[v], path, mo->variants[v]);
			return -1;
		}
		fprintf(stderr, "nicrig: building kernel variant %s (make kernel VARIANT=%s)\n",
			mo->variants[v], mo->variants[v]);
		snprintf(cmd, sizeof(cmd), "make -s -C '%s' kernel VARIANT='%s' >&2", env->top,
			 mo->variants[v]);
		if (system(cmd)) {
			fprintf(stderr, "Error: building kernel variant %s failed\n", mo->variants[v]);
			return -1;
		}
	}
	env_initramfs_path(env, path, sizeof(path));
	if (access(path, R_OK)) {
		if (!mo->build) {
			fprintf(stderr, "Error: no guest image (%s); run 'make guest'\n", path);
			return -1;
		}
		snprintf(cmd, sizeof(cmd), "make -s -C '%s' guest >&2", env->top);
		if (system(cmd)) {
			fprintf(stderr, "Error: building the guest image failed\n");
			return -1;
		}
	}
	return 0;
}

static pid_t start_boot(const struct env *env, const struct matrix_opts *mo, struct boot *b)
{
	char log[700];
	pid_t pid;

	mkdir(b->out, 0755);
	snprintf(log, sizeof(log), "%s/nicrig.log", b->out);
	pid = fork();
	if (pid == 0) {
		struct run_opts o = { .rig = &b->rig, .variant = b->variant, .out_dir = b->out,
				      .kernel_image = mo->kernel_image };
		struct run_result *res = calloc(1, sizeof(*res));
		int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		char deftests[512], *save;
		int rc;

		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
			close(fd);
		}
		for (int i = 0; i < mo->ntests && o.ntests < MAX_TESTS; i++)
			o.tests[o.ntests++] = mo->tests[i];
		if (!o.ntests) {
			o.rig_tests = true;
			snprintf(deftests, sizeof(deftests), "%s", b->rig.tests);
			for (char *t = strtok_r(deftests, ",", &save); t && o.ntests < MAX_TESTS;
			     t = strtok_r(NULL, ",", &save))
				o.tests[o.ntests++] = t;
		}
		if (!res)
			_exit(2);
		rc = run_rig(env, &o, res);
		report_ktap(stdout, &o, res);
		if (res->fatal[0])
			fprintf(stderr, "Error: %s\n", res->fatal);
		fflush(NULL);
		_exit(rc ? 1 : 0);
	}
	return pid;
}

struct cell {
	char rig[64], nic[16], variant[64], test[64], reader[64];
	char expected[8], observed[8], detail[256];
	double seconds;
	int match;
};

static int read_cells(const char *dir, struct cell **cells, size_t *n, size_t *cap)
{
	char path[700], line[1024];
	FILE *f;

	snprintf(path, sizeof(path), "%s/cells.tsv", dir);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		struct cell c = { 0 };
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
		if (*n == *cap) {
			struct cell *nc = realloc(*cells, (*cap ? *cap * 2 : 64) * sizeof(*nc));

			if (!nc)
				break;
			*cells = nc;
			*cap = *cap ? *cap * 2 : 64;
		}
		(*cells)[(*n)++] = c;
	}
	fclose(f);
	return 0;
}

static void print_table(FILE *f, const struct cell *cells, size_t n)
{
	fprintf(f, "%-52s %-8s %-8s %7s  %s\n", "cell (rig/kernel/test/reader)", "expected",
		"observed", "time", "");
	for (size_t i = 0; i < n; i++) {
		const struct cell *c = &cells[i];
		char name[200];

		snprintf(name, sizeof(name), "%s/%s/%s/%s", c->rig, c->variant, c->test, c->reader);
		fprintf(f, "%-52s %-8s %-8s %6.1fs  %s\n", name, c->expected, c->observed, c->seconds,
			c->match ? "ok" : "MISMATCH");
	}
}

static void write_junit(const char *path, const struct cell *cells, size_t n, int failed,
			double wall)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return;
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n"
		" <testsuite name=\"nicrig.matrix\" tests=\"%zu\" failures=\"%d\" time=\"%.1f\">\n",
		n, failed, wall);
	for (size_t i = 0; i < n; i++) {
		const struct cell *c = &cells[i];

		fprintf(f, "  <testcase classname=\"%s.%s\" name=\"%s.%s\" time=\"%.1f\">",
			c->rig, c->variant, c->test, c->reader, c->seconds);
		if (!c->match) {
			fprintf(f, "<failure message=\"expected %s, observed %s\">", c->expected, c->observed);
			for (const char *s = c->detail; *s; s++)
				if (*s == '<' || *s == '>' || *s == '&' || *s == '"')
					fprintf(f, "&#%d;", *s);
				else
					fputc(*s, f);
			fprintf(f, "</failure>");
		}
		fprintf(f, "</testcase>\n");
	}
	fprintf(f, " </testsuite>\n</testsuites>\n");
	fclose(f);
}

int matrix_run(const struct env *env, const struct matrix_opts *mo)
{
	struct boot *boots = calloc((size_t)mo->nrigs * mo->nvariants, sizeof(*boots));
	int nboots = 0, running = 0, next = 0, finished = 0, failed = 0, passed = 0;
	struct cell *cells = NULL;
	size_t ncells = 0, cap = 0;
	char err[1024], path[700];
	double t0 = now();
	FILE *ktap;
	int index = 0;

	if (!boots)
		return 2;
	for (int r = 0; r < mo->nrigs; r++) {
		for (int v = 0; v < mo->nvariants; v++, index++) {
			struct boot *b = &boots[nboots];

			if (mo->shard_count && index % mo->shard_count != mo->shard_index - 1)
				continue;
			if (rig_load(&b->rig, env->top, mo->rigs[r], err, sizeof(err))) {
				fprintf(stderr, "Error: %s\n", err);
				free(boots);
				return 2;
			}
			b->variant = mo->variants[v];
			snprintf(b->out, sizeof(b->out), "%s/%s-%s", mo->out_dir, b->rig.name, b->variant);
			nboots++;
		}
	}
	if (!nboots) {
		fprintf(stderr, "Error: shard %d/%d has no boots\n", mo->shard_index, mo->shard_count);
		free(boots);
		return 2;
	}
	if (mkdir(mo->out_dir, 0755) && errno != EEXIST) {
		fprintf(stderr, "Error: creating %s: %s\n", mo->out_dir, strerror(errno));
		free(boots);
		return 2;
	}
	if (build_missing(env, mo)) {
		free(boots);
		return 2;
	}

	fprintf(stderr, "nicrig: matrix of %d boot(s), %d at a time, results in %s\n", nboots,
		mo->jobs, mo->out_dir);
	if (mo->kernel_image)
		fprintf(stderr, "nicrig: kernel image %s, held to the expectations of variant %s\n",
			mo->kernel_image, mo->variants[0]);
	while (finished < nboots) {
		int st;
		pid_t pid;

		while (running < mo->jobs && next < nboots) {
			boots[next].pid = start_boot(env, mo, &boots[next]);
			if (boots[next].pid < 0) {
				fprintf(stderr, "Error: fork: %s\n", strerror(errno));
				boots[next].done = true;
				finished++;
			} else {
				fprintf(stderr, "nicrig: [%d/%d] %s on kernel %s started\n", next + 1,
					nboots, boots[next].rig.name, boots[next].variant);
				running++;
			}
			next++;
		}
		pid = wait(&st);
		if (pid < 0)
			break;
		for (int i = 0; i < nboots; i++) {
			if (boots[i].pid != pid)
				continue;
			boots[i].done = true;
			boots[i].status = st;
			running--;
			finished++;
			fprintf(stderr, "nicrig: [%d/%d] %s on kernel %s %s (%.0f s elapsed)\n", i + 1,
				nboots, boots[i].rig.name, boots[i].variant,
				WIFEXITED(st) && WEXITSTATUS(st) == 0 ? "matched" : "MISMATCHED",
				now() - t0);
		}
	}

	snprintf(path, sizeof(path), "%s/matrix.ktap", mo->out_dir);
	ktap = fopen(path, "w");
	for (int i = 0; i < nboots; i++) {
		if (read_cells(boots[i].out, &cells, &ncells, &cap)) {
			/* The boot died before writing results: one failing cell for it. */
			struct cell c = { 0 };

			snprintf(c.rig, sizeof(c.rig), "%s", boots[i].rig.name);
			snprintf(c.variant, sizeof(c.variant), "%s", boots[i].variant);
			snprintf(c.test, sizeof(c.test), "-");
			snprintf(c.reader, sizeof(c.reader), "boot");
			snprintf(c.expected, sizeof(c.expected), "pass");
			snprintf(c.observed, sizeof(c.observed), "none");
			snprintf(c.detail, sizeof(c.detail), "no results; see %s/nicrig.log", boots[i].out);
			if (ncells == cap) {
				struct cell *nc = realloc(cells, (cap ? cap * 2 : 64) * sizeof(*nc));

				if (nc) {
					cells = nc;
					cap = cap ? cap * 2 : 64;
				}
			}
			if (ncells < cap)
				cells[ncells++] = c;
		}
		if (ktap) {
			char k[700], line[1024];
			FILE *in;

			snprintf(k, sizeof(k), "%s/results.ktap", boots[i].out);
			in = fopen(k, "r");
			if (i == 0)
				fprintf(ktap, "KTAP version 1\n1..%d\n", nboots);
			while (in && fgets(line, sizeof(line), in))
				fprintf(ktap, "    %s", line);
			if (in)
				fclose(in);
			fprintf(ktap, "%s %d %s.%s\n", WIFEXITED(boots[i].status) &&
				WEXITSTATUS(boots[i].status) == 0 ? "ok" : "not ok", i + 1,
				boots[i].rig.name, boots[i].variant);
		}
	}
	for (size_t i = 0; i < ncells; i++) {
		if (cells[i].match)
			passed++;
		else
			failed++;
	}
	if (ktap)
		fclose(ktap);
	snprintf(path, sizeof(path), "%s/junit.xml", mo->out_dir);
	write_junit(path, cells, ncells, failed, now() - t0);

	print_table(stdout, cells, ncells);
	snprintf(path, sizeof(path), "%s/table.txt", mo->out_dir);
	{
		FILE *t = fopen(path, "w");

		if (t) {
			print_table(t, cells, ncells);
			fclose(t);
		}
	}
	for (size_t i = 0; i < ncells; i++)
		if (!cells[i].match)
			printf("# MISMATCH %s/%s/%s/%s: expected %s, observed %s: %s\n", cells[i].rig,
			       cells[i].variant, cells[i].test, cells[i].reader, cells[i].expected,
			       cells[i].observed, cells[i].detail);
	if (mo->kernel_image)
		printf("# matrix: kernel image %s in place of variant %s\n", mo->kernel_image,
		       mo->variants[0]);
	printf("# matrix: %zu cells in %d boots, wall %.0f s; results in %s\n", ncells, nboots,
	       now() - t0, mo->out_dir);
	printf("# matrix: %d passed, %d failed\n", passed, failed);
	free(cells);
	free(boots);
	return failed ? 1 : 0;
}
