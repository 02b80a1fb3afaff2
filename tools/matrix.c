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
 *
 * The boots go to hosts: one, the run's engine, by default; with --hosts,
 * libvirt connections (or "direct"), at most --per-host boots on each.  A
 * boot whose host refused or lost its connection (ENGINE_HOST_FAILED) is
 * no result: the host takes no further boots and the boot runs again on
 * another, its first attempt kept beside it (OUT-failed-on-hostN).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "engine.h"
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
	bool started;		/* false: a signal ended the matrix before its turn */
	int host;		/* where it runs (ran), -1 none yet */
	char history[256];	/* the hosts that failed it, for the report */
};

struct host {
	const char *uri;	/* NULL: libvirt's default */
	bool libvirt;
	int running, ran, limit;
	bool failed;
	char why[256];		/* the boot's message when it failed */
};

/* The boot ran and matched every expectation. */
static bool boot_ok(const struct boot *b)
{
	return b->started && WIFEXITED(b->status) && WEXITSTATUS(b->status) == 0;
}

/*
 * SIGINT, SIGTERM or SIGHUP to `nicrig matrix`: no boot starts after it, the
 * running ones get SIGTERM (each ends as `nicrig test` does on a signal: a
 * cause, its logs kept, its QEMU killed), and the matrix still reports every
 * cell it has, the boots that never ran as cells of their own.
 */
static volatile sig_atomic_t matrix_signal;

static void on_matrix_signal(int sig)
{
	matrix_signal = sig;
}

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

static pid_t start_boot(const struct env *env, const struct matrix_opts *mo, struct boot *b,
			const struct host *h)
{
	char log[700];
	pid_t pid;

	mkdir(b->out, 0755);
	snprintf(log, sizeof(log), "%s/nicrig.log", b->out);
	pid = fork();
	if (pid == 0) {
		/* A matrix that dies (even by SIGKILL) takes its boots along. */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
		if (getppid() == 1)
			_exit(2);
		struct run_opts o = { .rig = &b->rig, .variant = b->variant, .out_dir = b->out,
				      .kernel_image = mo->kernel_image, .libvirt = h->libvirt,
				      .libvirt_uri = h->uri, .wire_addr = mo->wire_addr };
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
		_exit(res->host_failed ? ENGINE_HOST_FAILED : rc ? 1 : 0);
	}
	return pid;
}

static void print_table(FILE *f, const struct report_cell *cells, size_t n)
{
	fprintf(f, "%-52s %-8s %-8s %7s  %s\n", "cell (rig/kernel/test/reader)", "expected",
		"observed", "time", "");
	for (size_t i = 0; i < n; i++) {
		const struct report_cell *c = &cells[i];
		char name[200];

		snprintf(name, sizeof(name), "%s/%s/%s/%s", c->rig, c->variant, c->test, c->reader);
		fprintf(f, "%-52s %-8s %-8s %6.1fs  %s\n", name, c->expected, c->observed, c->seconds,
			c->match ? "ok" : "MISMATCH");
	}
}

int matrix_hosts_parse(const char *arg, struct matrix_opts *mo, char *err, size_t errlen)
{
	static char hosts[2048];
	char line[1024], *save;
	size_t o = 0;
	FILE *f;

	hosts[0] = '\0';
	if (arg[0] != '@') {
		snprintf(hosts, sizeof(hosts), "%s", arg);
	} else if (!(f = fopen(arg + 1, "r"))) {
		return set_error(err, errlen, "%s: %s", arg + 1, strerror(errno));
	} else {
		while (fgets(line, sizeof(line), f)) {
			char *u = line + strspn(line, " \t");

			u[strcspn(u, " \t\r\n#")] = '\0';
			if (*u && o < sizeof(hosts))
				o += snprintf(hosts + o, sizeof(hosts) - o, "%s%s", o ? "," : "", u);
		}
		fclose(f);
	}
	mo->nhosts = 0;
	for (char *h = strtok_r(hosts, ",", &save); h; h = strtok_r(NULL, ",", &save)) {
		if (mo->nhosts == MATRIX_MAX)
			return set_error(err, errlen, "more than %d hosts", MATRIX_MAX);
		if (strcmp(h, "direct") && libvirt_uri_check(h, err, errlen))
			return -1;
		mo->hosts[mo->nhosts++] = h;
	}
	if (!mo->nhosts)
		return set_error(err, errlen, "no host in '%s': name libvirt URIs (or 'direct'), comma-separated", arg);
	return 0;
}

static const char *host_name(const struct host *h)
{
	return h->uri ? h->uri : h->libvirt ? "libvirt's default URI" : "direct";
}

/* The hosts of --hosts, or the run's one engine; their count. */
static int matrix_hosts(const struct matrix_opts *mo, struct host *hosts)
{
	if (!mo->nhosts) {
		hosts[0] = (struct host){ .uri = mo->libvirt_uri, .libvirt = mo->libvirt,
					  .limit = mo->jobs };
		return 1;
	}
	for (int i = 0; i < mo->nhosts; i++) {
		bool direct = !strcmp(mo->hosts[i], "direct");

		hosts[i] = (struct host){ .uri = direct ? NULL : mo->hosts[i], .libvirt = !direct,
					  .limit = mo->per_host > 0 ? mo->per_host : 1 };
	}
	return mo->nhosts;
}

static int next_pending(const struct boot *boots, int n)
{
	for (int i = 0; i < n; i++)
		if (!boots[i].started && !boots[i].done)
			return i;
	return -1;
}

/* The working host with the most room, or -1 (all busy or failed). */
static int pick_host(const struct host *hosts, int n)
{
	int best = -1;

	for (int i = 0; i < n; i++)
		if (!hosts[i].failed && hosts[i].running < hosts[i].limit &&
		    (best < 0 || hosts[i].limit - hosts[i].running > hosts[best].limit - hosts[best].running))
			best = i;
	return best;
}

/* FATAL= of a run's status file: why its host failed. */
static void status_fatal(const char *dir, char *out, size_t len)
{
	char path[700], line[512];
	FILE *f;

	snprintf(out, len, "no cause recorded (see %s/nicrig.log)", dir);
	snprintf(path, sizeof(path), "%s/status", dir);
	f = fopen(path, "r");
	while (f && fgets(line, sizeof(line), f)) {
		if (strncmp(line, "FATAL=", 6) || !line[6] || line[6] == '\n')
			continue;
		line[strcspn(line, "\n")] = '\0';
		message_printf(out, len, "%s", line + 6);
	}
	if (f)
		fclose(f);
}

/*
 * b's host refused or lost its connection: the host takes no more boots,
 * b goes back to the queue, its attempt kept in OUT-failed-on-hostN.
 */
static void host_failed(struct host *h, struct boot *b, int nboots, int i)
{
	char kept[700], why[256];
	size_t l = strlen(b->history);

	status_fatal(b->out, why, sizeof(why));
	snprintf(kept, sizeof(kept), "%s-failed-on-host%d", b->out, b->host + 1);
	if (rename(b->out, kept))
		snprintf(kept, sizeof(kept), "%s (not kept: %s)", b->out, strerror(errno));
	if (!h->failed)
		fprintf(stderr, "nicrig: host %d (%s) failed: %s; it takes no more boots\n", b->host + 1,
			host_name(h), why);
	h->failed = true;
	snprintf(h->why, sizeof(h->why), "%s", why);
	fprintf(stderr, "nicrig: [%d/%d] %s on kernel %s goes to another host (attempt in %s)\n", i + 1,
		nboots, b->rig.name, b->variant, kept);
	snprintf(b->history + l, sizeof(b->history) - l, "%shost %d (%s) failed", l ? "; " : "",
		 b->host + 1, host_name(h));
	b->started = false;
	b->host = -1;
}

/* hosts.txt: every host, what it ran or why it failed, and each boot's host. */
static void write_hosts(const char *dir, const struct host *hosts, int nhosts,
			const struct boot *boots, int nboots)
{
	char path[700];
	FILE *f;

	snprintf(path, sizeof(path), "%s/hosts.txt", dir);
	f = fopen(path, "w");
	if (!f)
		return;
	for (int i = 0; i < nhosts; i++)
		fprintf(f, "host %d %s: %d boot(s)%s%s\n", i + 1, host_name(&hosts[i]), hosts[i].ran,
			hosts[i].failed ? ", FAILED: " : "", hosts[i].failed ? hosts[i].why : "");
	for (int i = 0; i < nboots; i++) {
		fprintf(f, "boot %s-%s: ", boots[i].rig.name, boots[i].variant);
		if (boots[i].host >= 0)
			fprintf(f, "host %d", boots[i].host + 1);
		else
			fprintf(f, "not run");
		fprintf(f, "%s%s\n", boots[i].history[0] ? ", after: " : "", boots[i].history);
	}
	fclose(f);
}

int matrix_run(const struct env *env, const struct matrix_opts *mo)
{
	struct boot *boots = calloc((size_t)mo->nrigs * mo->nvariants, sizeof(*boots));
	int nboots = 0, running = 0, finished = 0, failed = 0, passed = 0;
	struct host hosts[MATRIX_MAX];
	int nhosts = matrix_hosts(mo, hosts), retried = 0, hosts_failed = 0;
	struct report_cell *cells = NULL;
	size_t ncells = 0, cap = 0;
	char err[1024], path[700];
	static const int sigs[3] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa = { 0 }, old[3];
	char interrupted[128] = "";
	bool forwarded = false;
	double t0 = now();
	FILE *ktap, *sum;
	int index = 0;

	if (!boots)
		return 2;
	matrix_signal = 0;
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
			b->host = -1;
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

	if (mo->nhosts)
		fprintf(stderr, "nicrig: matrix of %d boot(s) on %d host(s), %d at a time on each, results in %s\n",
			nboots, nhosts, hosts[0].limit, mo->out_dir);
	else
		fprintf(stderr, "nicrig: matrix of %d boot(s), %d at a time, results in %s\n", nboots,
			mo->jobs, mo->out_dir);
	if (mo->kernel_image)
		fprintf(stderr, "nicrig: kernel image %s, held to the expectations of variant %s\n",
			mo->kernel_image, mo->variants[0]);
	sa.sa_handler = on_matrix_signal;	/* no SA_RESTART: wait() returns EINTR */
	sigemptyset(&sa.sa_mask);
	for (int i = 0; i < 3; i++)
		sigaction(sigs[i], &sa, &old[i]);
	while (finished < nboots) {
		int st, i, h, pending = 0;
		pid_t pid;

		for (i = 0; i < nboots; i++)
			pending += !boots[i].started && !boots[i].done;
		if (matrix_signal && !forwarded) {
			forwarded = true;
			fprintf(stderr, "nicrig: signal %d (%s): stopping %d running boot(s), %d not started\n",
				(int)matrix_signal, strsignal(matrix_signal), running, pending);
			for (i = 0; i < nboots; i++) {
				if (boots[i].started && !boots[i].done)
					kill(boots[i].pid, SIGTERM);
				else if (!boots[i].done && (boots[i].done = true))
					finished++;
			}
		}
		while (!matrix_signal && (i = next_pending(boots, nboots)) >= 0 &&
		       (h = pick_host(hosts, nhosts)) >= 0) {
			boots[i].pid = start_boot(env, mo, &boots[i], &hosts[h]);
			if (boots[i].pid < 0) {
				fprintf(stderr, "Error: fork: %s\n", strerror(errno));
				boots[i].done = true;
				finished++;
				continue;
			}
			fprintf(stderr, "nicrig: [%d/%d] %s on kernel %s started%s%s\n", i + 1, nboots,
				boots[i].rig.name, boots[i].variant, nhosts > 1 ? " on " : "",
				nhosts > 1 ? host_name(&hosts[h]) : "");
			boots[i].started = true;
			boots[i].host = h;
			hosts[h].running++;
			running++;
		}
		if (!matrix_signal && pick_host(hosts, nhosts) < 0 && !running) {
			/* every host failed: what is left cannot run */
			for (i = 0; i < nboots; i++)
				if (!boots[i].started && !boots[i].done && (boots[i].done = true))
					finished++;
		}
		if (!running)
			continue;	/* a signal came: the loop ends, or forwards it first */
		pid = wait(&st);
		if (pid < 0 && errno == EINTR)
			continue;
		if (pid < 0)
			break;
		for (i = 0; i < nboots; i++) {
			struct boot *b = &boots[i];

			if (!b->started || b->done || b->pid != pid)
				continue;
			running--;
			hosts[b->host].running--;
			if (WIFEXITED(st) && WEXITSTATUS(st) == ENGINE_HOST_FAILED && !matrix_signal) {
				host_failed(&hosts[b->host], b, nboots, i);
				continue;
			}
			b->done = true;
			b->status = st;
			hosts[b->host].ran++;
			finished++;
			fprintf(stderr, "nicrig: [%d/%d] %s on kernel %s %s (%.0f s elapsed)\n", i + 1,
				nboots, b->rig.name, b->variant,
				WIFEXITED(st) && WEXITSTATUS(st) == 0 ? "matched" : "MISMATCHED",
				now() - t0);
		}
	}
	for (int i = 0; i < 3; i++)
		sigaction(sigs[i], &old[i], NULL);
	if (matrix_signal)
		snprintf(interrupted, sizeof(interrupted), "interrupted by signal %d (%s)",
			 (int)matrix_signal, strsignal(matrix_signal));

	snprintf(path, sizeof(path), "%s/matrix.ktap", mo->out_dir);
	ktap = fopen(path, "w");
	for (int i = 0; i < nboots; i++) {
		snprintf(path, sizeof(path), "%s/cells.tsv", boots[i].out);
		if (report_cells_read(path, &cells, &ncells, &cap)) {
			/* The boot died before writing results: one failing cell for it. */
			struct report_cell c = { 0 };

			snprintf(c.rig, sizeof(c.rig), "%s", boots[i].rig.name);
			snprintf(c.variant, sizeof(c.variant), "%s", boots[i].variant);
			snprintf(c.test, sizeof(c.test), "-");
			snprintf(c.reader, sizeof(c.reader), "boot");
			snprintf(c.expected, sizeof(c.expected), "pass");
			snprintf(c.observed, sizeof(c.observed), "none");
			if (!boots[i].started && boots[i].history[0] && !matrix_signal)
				message_printf(c.detail, sizeof(c.detail), "not run: no host left (%s)",
					       boots[i].history);
			else if (!boots[i].started)
				snprintf(c.detail, sizeof(c.detail), "not run: the matrix was %s", interrupted);
			else
				snprintf(c.detail, sizeof(c.detail), "no results; see %s/nicrig.log",
					 boots[i].out);
			report_cell_add(&cells, &ncells, &cap, &c);
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
			fprintf(ktap, "%s %d %s.%s\n", boot_ok(&boots[i]) ? "ok" : "not ok", i + 1,
				boots[i].rig.name, boots[i].variant);
		}
	}
	if (ktap) {
		int ok = 0;

		for (int i = 0; i < nboots; i++)
			ok += boot_ok(&boots[i]);
		fprintf(ktap, "# Totals: pass:%d fail:%d xfail:0 xpass:0 skip:0 error:0\n", ok,
			nboots - ok);
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
	if (report_junit(path, "nicrig.matrix", cells, ncells, now() - t0))
		fprintf(stderr, "Error: writing %s failed\n", path);
	snprintf(path, sizeof(path), "%s/kcidb.json", mo->out_dir);
	if (report_kcidb(path, cells, ncells, time(NULL) - (time_t)(now() - t0), mo->out_dir))
		fprintf(stderr, "Error: writing %s failed\n", path);

	snprintf(path, sizeof(path), "%s/status", mo->out_dir);
	{
		char extra[256];
		int nores = 0, skipped = 0;

		for (size_t i = 0; i < ncells; i++) {
			nores += !strcmp(cells[i].test, "-") && !strcmp(cells[i].reader, "boot");
			/* A cell expected to error is one the rig cannot run (KTAP SKIP). */
			skipped += cells[i].match && !strcmp(cells[i].expected, "error");
		}
		for (int i = 0; i < nboots; i++)
			retried += boots[i].history[0] != '\0';
		for (int i = 0; i < nhosts; i++)
			hosts_failed += hosts[i].failed;
		snprintf(extra, sizeof(extra), "SKIPPED_CELLS=%d\nBOOTS=%d\nBOOTS_WITHOUT_RESULTS=%d\n"
			 "HOSTS=%d\nHOSTS_FAILED=%d\nBOOTS_RETRIED=%d\n",
			 skipped, nboots, nores, nhosts, hosts_failed, retried);
		if (report_status(path, cells, ncells, extra, interrupted))
			fprintf(stderr, "Error: writing %s failed\n", path);
	}
	if (mo->json)
		report_json(stdout, "matrix", cells, ncells, interrupted, mo->out_dir, now() - t0);
	else
		print_table(stdout, cells, ncells);
	snprintf(path, sizeof(path), "%s/table.txt", mo->out_dir);
	{
		FILE *t = fopen(path, "w");

		if (t) {
			print_table(t, cells, ncells);
			fclose(t);
		}
	}
	/* With --json, stdout is the JSON alone: the summary goes to stderr. */
	sum = mo->json ? stderr : stdout;
	for (size_t i = 0; i < ncells; i++)
		if (!cells[i].match)
			fprintf(sum, "# MISMATCH %s/%s/%s/%s: expected %s, observed %s: %s\n",
				cells[i].rig, cells[i].variant, cells[i].test, cells[i].reader,
				cells[i].expected, cells[i].observed, cells[i].detail);
	write_hosts(mo->out_dir, hosts, nhosts, boots, nboots);
	for (int i = 0; i < nhosts; i++)
		if (hosts[i].failed)
			fprintf(sum, "# matrix: host %d (%s) failed: %s; its boots ran elsewhere\n", i + 1,
				host_name(&hosts[i]), hosts[i].why);
	if (mo->kernel_image)
		fprintf(sum, "# matrix: kernel image %s in place of variant %s\n", mo->kernel_image,
			mo->variants[0]);
	fprintf(sum, "# matrix: %zu cells in %d boots, wall %.0f s; results in %s\n", ncells, nboots,
		now() - t0, mo->out_dir);
	fprintf(sum, "# matrix: %d passed, %d failed\n", passed, failed);
	if (interrupted[0])
		fprintf(stderr, "Error: matrix %s; the cells above are what ran, results in %s\n",
			interrupted, mo->out_dir);
	free(cells);
	free(boots);
	if (matrix_signal)
		return 128 + matrix_signal;
	return failed ? 1 : 0;
}
