// SPDX-License-Identifier: GPL-2.0
/*
 * proc.c - the QEMU process: sockets it connects to, spawn, kill, its log and CPU.
 */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/types.h>

#include "engine.h"
#include "qmp.h"
#include "run.h"
#include "util.h"

/* ---- sockets ------------------------------------------------------------- */

int listen_unix(const char *path, char *err, size_t errlen)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof(sun.sun_path)) {
		(void)set_error(err, errlen, "socket path too long: %s", path);
		return -1;
	}
	strcpy(sun.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sun, sizeof(sun)) || listen(fd, 1)) {
		(void)set_error(err, errlen, "listening on %s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

/* CPU seconds a process has run so far, all its threads (exited ones too); -1 if unknown. */
double cpu_seconds(pid_t pid)
{
	struct timespec ts;
	clockid_t id = CLOCK_PROCESS_CPUTIME_ID;

	if ((pid && clock_getcpuclockid(pid, &id)) || clock_gettime(id, &ts))
		return -1;
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

void qemu_log_tail(struct run *r, char *out, size_t len)
{
	char path[600], buf[4096];
	FILE *f;
	size_t n;

	out[0] = '\0';
	snprintf(path, sizeof(path), "%s/qemu.log", r->res->out_dir);
	f = fopen(path, "r");
	if (!f)
		return;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	while (n && buf[n - 1] == '\n')
		buf[--n] = '\0';
	snprintf(out, len, "%s", strrchr(buf, '\n') ? strrchr(buf, '\n') + 1 : buf);
	if (!strncmp(out, "nicrig: ", 8))
		out[0] = '\0';		/* our own note before exec, not QEMU's last word */
}

int accept_timeout(int lfd, pid_t qemu, int *status, const char *what, double secs,
		   char *err, size_t errlen)
{
	double end = now() + secs;

	while (now() < end) {
		struct pollfd p = { .fd = lfd, .events = POLLIN };
		int st;

		if (poll(&p, 1, 200) > 0)
			return accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
		if (waitpid(qemu, &st, WNOHANG) == qemu) {
			*status = st;
			(void)set_error(err, errlen, "QEMU exited with status %d before connecting its %s; see qemu.log",
			     WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st), what);
			return -1;
		}
	}
	(void)set_error(err, errlen, "QEMU did not connect its %s within %.0f s", what, secs);
	return -1;
}

void kill_qemu(struct run *r)
{
	int st;

	if (r->proc.pid <= 0 || r->proc.exited)
		return;
	kill(r->proc.pid, SIGTERM);
	for (int i = 0; i < 50; i++) {
		if (waitpid(r->proc.pid, &st, WNOHANG) == r->proc.pid) {
			r->proc.exited = true;
			return;
		}
		usleep(100 * 1000);
	}
	kill(r->proc.pid, SIGKILL);
	waitpid(r->proc.pid, &st, 0);
	r->proc.exited = true;
}

bool qemu_exited_within(struct run *r, double secs)
{
	double until = now() + secs;
	int st;

	while (r->proc.pid > 0 && !r->proc.exited) {
		if (waitpid(r->proc.pid, &st, WNOHANG) == r->proc.pid) {
			r->proc.exited = true;
			r->proc.status = st;
		} else if (now() >= until) {
			break;
		} else {
			usleep(10 * 1000);
		}
	}
	return r->proc.exited;
}

void make_append(struct run *r, char *out, size_t len)
{
	char tests[512] = "";

	/* a test the rig cannot run (its error set at setup) is not the agent's */
	for (int i = 0; i < r->res->ntests; i++)
		if (!r->res->tests[i].error[0])
			snprintf(tests + strlen(tests), sizeof(tests) - strlen(tests), "%s%s",
				 tests[0] ? "," : "", r->res->tests[i].def.name);
	kernel_cmdline(r->o->rig, out, len);
	snprintf(out + strlen(out), len - strlen(out), " oops=panic loglevel=7 "
	     "nicrig.tests=%s nicrig.ctl=/dev/ttyS1 "
	     "nicrig.queues=%u nicrig.break_check=%d nicrig.verbose=%d%s%s",
	     tests, r->o->rig->queues, r->o->break_check, r->o->verbose,
	     r->o->repro ? " nicrig.repro=1" : "",
	     /* gdb wants symbols where vmlinux says they are */
	     r->o->gdb_port ? " nokaslr" : "");
}

pid_t spawn_qemu(struct run *r, struct argv *a, const sigset_t *oldmask,
			char *err, size_t errlen)
{
	char path[600];
	int logfd;
	pid_t pid;

	snprintf(path, sizeof(path), "%s/qemu.log", r->res->out_dir);
	logfd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (logfd < 0) {
		(void)set_error(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	pid = fork();
	if (pid == 0) {
		int devnull = open("/dev/null", O_RDONLY);

		/* Own process group: a terminal's Ctrl-C reaches the runner, which stops QEMU. */
		setpgid(0, 0);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		sigprocmask(SIG_SETMASK, oldmask, NULL);
		dup2(devnull, 0);
		dup2(logfd, 1);
		dup2(logfd, 2);
		if (!r->o->gdb_port)
			deepen_wire_queue();
		execv(a->v[0], a->v);
		dprintf(2, "exec %s: %s\n", a->v[0], strerror(errno));
		_exit(127);
	}
	close(logfd);
	if (pid < 0)
		(void)set_error(err, errlen, "fork: %s", strerror(errno));
	return pid;
}

/* ---- the direct engine --------------------------------------------------- */

static void qemu_print(FILE *f, struct run *r, const struct launch *l, const struct argv *a)
{
	(void)r;
	(void)l;
	argv_print(f, a);
}

static pid_t qemu_spawn(struct run *r, const struct launch *l, struct argv *a,
			const sigset_t *oldmask, char *err, size_t errlen)
{
	(void)l;
	return spawn_qemu(r, a, oldmask, err, errlen);
}

static int qemu_set_link(struct run *r, bool up, char *err, size_t errlen)
{
	char path[128];

	if (r->pump.qmp_fd < 0) {
		snprintf(path, sizeof(path), "%s/qmp.sock", r->proc.tmp);
		r->pump.qmp_fd = qmp_open(path, err, errlen);
	}
	return r->pump.qmp_fd < 0 ? -1 : qmp_set_link(r->pump.qmp_fd, "wire", up, err, errlen);
}

const struct engine engine_direct = { "direct", qemu_print, qemu_spawn, qemu_set_link };

const struct engine *engine_of(const struct run_opts *o)
{
	return o->libvirt ? &engine_libvirt : &engine_direct;
}

bool engine_host_failed(struct run *r)
{
	r->res->host_failed = r->o->libvirt && r->proc.exited && WIFEXITED(r->proc.status) &&
			      WEXITSTATUS(r->proc.status) == ENGINE_HOST_FAILED;
	return r->res->host_failed;
}

void engine_exit_cause(struct run *r, char *err, size_t errlen)
{
	char tail[300];

	/* the libvirt watcher's last line is the cause (libvirt's own message) */
	if (!engine_host_failed(r) && !(r->o->libvirt && r->proc.exited))
		return;
	qemu_log_tail(r, tail, sizeof(tail));
	if (tail[0])
		snprintf(err, errlen, "%s", tail);
}
