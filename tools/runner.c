// SPDX-License-Identifier: GPL-2.0
/*
 * runner.c - boots one rig and runs its tests.
 *
 * One process, one poll loop: QEMU writes the console into a file, the
 * agent's control channel arrives on a UNIX stream socket QEMU connects to,
 * the NIC's cable is a UNIX datagram socket (wire.c; all three TCP for a
 * remote libvirt host, engine_remote.c), and signals and QEMU's exit come
 * through a signalfd.  Every wait has a deadline; whatever ends the run, QEMU is killed
 * and the temporary directory removed before run_rig returns.
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
#include "kv.h"
#include "run.h"
#include "util.h"

static void on_deadline(struct run *r)
{
	switch (r->phase) {
	case PH_BOOT:
		fatal(r, "guest did not boot: no hello from the agent within %u s (last console line: '%.120s')",
		      r->o->rig->boot_timeout, r->con.last);
		break;
	case PH_TESTS: {
		int i = agent_test_index(r);
		const struct test_result *t = i < r->res->ntests ? &r->res->tests[i] : NULL;

		if (!t)
			fatal(r, "guest hung: agent did not say done after its last test");
		else
			fatal(r, "test %s timed out after %u s (%s; sent %u of %u probes; last console line: '%.120s')",
			      t->def.name, t->def.timeout,
			      t->started ? "no 'end' from the agent" : "the agent never said ready",
			      t->started ? r->pump.next_seq : 0, t->def.count, r->con.last);
		break;
	}
	case PH_SHUTDOWN:
		if (!r->ctl.agent_done)
			fatal(r, "guest did not finish");
		else
			fatal(r, "guest did not power off within %d s after its tests", SHUTDOWN_SECS);
		break;
	case PH_OVER:
		break;
	}
}

static void on_signal(struct run *r)
{
	struct signalfd_siginfo si;

	while (read(r->proc.sigfd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo == SIGCHLD) {
			int st;

			if (r->proc.pid > 0 && waitpid(r->proc.pid, &st, WNOHANG) == r->proc.pid) {
				r->proc.exited = true;
				r->proc.status = st;
			}
		} else {
			fatal(r, "interrupted by signal %d (%s)", si.ssi_signo, strsignal(si.ssi_signo));
		}
	}
}

static void on_qemu_exit(struct run *r)
{
	char tail[300];

	if (r->phase == PH_SHUTDOWN && r->ctl.agent_done) {
		r->phase = PH_OVER;
		return;
	}
	qemu_log_tail(r, tail, sizeof(tail));
	if (engine_host_failed(r))
		fatal(r, "%s", tail);
	else if (WIFSIGNALED(r->proc.status))
		fatal(r, "QEMU was killed by signal %d before the tests finished%s%s",
		      WTERMSIG(r->proc.status), tail[0] ? ": " : "", tail);
	else
		fatal(r, "QEMU exited with status %d before the tests finished%s%s",
		      WEXITSTATUS(r->proc.status), tail[0] ? ": " : "",
		      tail[0] ? tail : "(the guest powered off or rebooted; see console.log)");
}

static void poll_loop(struct run *r)
{
	while (r->phase != PH_OVER) {
		/* p[1], the console, is a file: read every 50 ms, not polled. */
		struct pollfd p[4] = {
			{ .fd = r->proc.sigfd, .events = POLLIN },
			{ .fd = -1 },
			{ .fd = r->ctl.fd, .events = POLLIN },
			/* a held reflected frame goes first: read no more until it is out */
			{ .fd = r->pump.wire.fd, .events = (r->pump.held_len ? 0 : POLLIN) |
							   (r->pump.blocked || wire_pending(&r->pump.wire) ?
							    POLLOUT : 0) },
		};
		double t = now(), left = r->deadline - t;
		int n;

		if (t >= r->con.due) {
			console_read(r);
			r->con.due = t + 0.05;
		}
		if (r->proc.exited) {
			console_flush(r);
			on_qemu_exit(r);
			break;
		}
		if (left <= 0) {
			console_flush(r);	/* the message quotes the last console line */
			on_deadline(r);
			break;
		}
		/* A paced send wakes up every millisecond; otherwise wait for an event. */
		if (r->pump.sending && r->cur >= 0 && !r->pump.blocked &&
		    (r->res->tests[r->cur].def.rate || r->pump.faulting))
			left = 0.001;
		if (r->pump.tcp_on && !r->pump.blocked) {
			double tcp_left = tcp_next_timer(&r->pump.tcp) - t;

			if (tcp_left < left)
				left = tcp_left;
		}
		if (left > r->con.due - t)
			left = r->con.due - t;
		n = poll(p, 4, left <= 0 ? 0 : (int)(left * 1000 + 0.999));
		if (n < 0 && errno != EINTR) {
			fatal(r, "poll: %s", strerror(errno));
			break;
		}
		if (p[0].revents)
			on_signal(r);
		if (p[2].revents && read_lines(r, r->ctl.fd, &r->ctl.lb, false, control_cb) < 0) {
			close(r->ctl.fd);
			r->ctl.fd = -1;
			if (r->phase != PH_SHUTDOWN && r->phase != PH_OVER)
				r->deadline = now() + 5;	/* QEMU is going away */
		}
		/* a stream cable's frame the socket took only part of goes on first */
		if ((p[3].revents & POLLOUT) && wire_flush(&r->pump.wire) != -EAGAIN)
			r->pump.blocked = false;
		if (r->pump.reflecting) {
			if ((p[3].revents & POLLIN) || (r->pump.held_len && !r->pump.blocked))
				reflect_pump(r);
		} else if (p[3].revents & POLLIN) {
			wire_drain(r);
		}
		/* A full queue at QEMU: nothing can go out until POLLOUT says so. */
		if (r->pump.sending && r->cur >= 0 && !r->pump.blocked)
			wire_pump(r);
		if (!r->pump.blocked)
			tcp_pump(r);
		wire_tx_verdict(r);
	}
}

static void remove_tmp(struct run *r)
{
	static const char *const files[] = { "control.sock", "qemu.sock", "wire.sock", "qmp.sock" };
	char path[128];

	if (!r->proc.tmp[0])
		return;
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", r->proc.tmp, files[i]);
		unlink(path);
	}
	rmdir(r->proc.tmp);
	r->proc.tmp[0] = '\0';
}

static int mkdir_p(const char *path)
{
	char tmp[512];

	snprintf(tmp, sizeof(tmp), "%s", path);
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, 0755) && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return mkdir(tmp, 0755) && errno != EEXIST ? -1 : 0;
}

static FILE *open_out(struct run *r, const char *name)
{
	char path[600];

	snprintf(path, sizeof(path), "%s/%s", r->res->out_dir, name);
	return fopen(path, "w");
}

static int setup_tests(struct run *r, char *err, size_t errlen)
{
	const struct run_opts *o = r->o;
	char path[600];

	snprintf(path, sizeof(path), "%s/tests/expectations", r->env->top);
	if (expect_load(&r->res->matrix, path, err, errlen))
		return -1;
	if (o->kernel_image && expect_variant_check(r->env, r->variant, err, errlen))
		return -1;
	/* only the tests set up so far are reported, should one fail */
	r->res->ntests = 0;
	for (int i = 0; i < o->ntests; i++) {
		struct test_result *t = &r->res->tests[i];
		char list[sizeof(t->def.readers)], name[sizeof(t->def.name)], *save;
		const char *only = strchr(o->tests[i], '/');

		/* TEST/READER[,READER...]: only those readers (xskxceiver/zc_SEND_RECEIVE) */
		size_t nlen = only ? (size_t)(only - o->tests[i]) : strlen(o->tests[i]);

		if (nlen >= sizeof(name))
			return set_error(err, errlen, "'%.40s...': not a test name (too long)", o->tests[i]);
		memcpy(name, o->tests[i], nlen);
		name[nlen] = '\0';
		if (test_def_load(&t->def, r->env->top, name, err, errlen))
			return -1;
		r->res->ntests = i + 1;
		if (only && test_select_readers(&t->def, only + 1, err, errlen))
			return -1;
		if (!only && o->rig_tests && t->def.rig_readers[0] &&
		    test_select_readers(&t->def, t->def.rig_readers, err, errlen)) {
			size_t l = strlen(err);

			snprintf(err + l, errlen - l, " (in its RIG_READERS)");
			return -1;
		}
		snprintf(list, sizeof(list), "%s", t->def.readers);
		/* test_def_load allows MAX_READERS, of READER_NAME_MAX characters at most */
		for (char *s = strtok_r(list, ",", &save); s && t->nreaders < MAX_READERS;
		     s = strtok_r(NULL, ",", &save)) {
			struct reader_result *rr = &t->readers[t->nreaders++];

			snprintf(rr->name, sizeof(rr->name), "%s", s);
			rr->observed = OUT_NONE;
			if (!expect_lookup(&r->res->matrix, t->def.name, nic_names[o->rig->nic],
					   r->variant, s)) {
				(void)set_error(err, errlen, "%s has no expectation for test %s, nic %s, kernel %s, reader %s; add a line",
				     path, t->def.name, nic_names[o->rig->nic], r->variant, s);
				return -1;
			}
		}
		/* a bad FCS needs a cable that carries FCSs: the rig cannot run it, the agent is not asked */
		if (t->def.fault.kind == FAULT_BADFCS && !o->rig->wire_fcs) {
			snprintf(t->error, sizeof(t->error), "FAULT=badfcs needs a cable that carries the FCS "
				 "(rig WIRE_FCS=yes); the %s rig's NIC takes no FCS from its backend",
				 o->rig->name);
			for (int k = 0; k < t->nreaders; k++) {
				t->readers[k].observed = OUT_ERROR;
				message_printf(t->readers[k].detail, sizeof(t->readers[k].detail),
					       "test could not run: %s", t->error);
			}
			t->ended = true;
		}
	}
	return 0;
}

int run_rig(const struct env *env, const struct run_opts *o, struct run_result *res)
{
	struct run r = { .env = env, .o = o, .res = res, .proc.pid = -1, .proc.sigfd = -1,
			 .con.fd = -1, .ctl.fd = -1, .cur = -1, .pump.wire = { .fd = -1 },
			 .pump.qmp_fd = -1, .remote = { .wire_lfd = -1, .con_lfd = -1 },
			 .tx.expect = -1 };
	char err[1024] = "", kernel[600], initrd[600], append[1024], path[700], console[700];
	int lctl = -1, n;
	struct argv a = { 0 };
	sigset_t mask, oldmask;
	double t_start = now();
	const struct engine *engine = engine_of(o);
	struct launch launch;

	if (parse_mac(GUEST_MAC, r.pump.spec.dst_mac) || parse_mac(WIRE_MAC, r.pump.spec.src_mac))
		abort();	/* constants */

	memset(res, 0, sizeof(*res));
	r.variant = o->variant ? o->variant : o->rig->kernel;
	r.timeout_scale = o->gdb_port ? 20 : 1;
	if (setup_tests(&r, err, sizeof(err)))
		goto setup_failed;

	if (o->kernel_image)
		snprintf(kernel, sizeof(kernel), "%s", o->kernel_image);
	else
		env_kernel_path(env, r.variant, kernel, sizeof(kernel));
	env_initramfs_path(env, initrd, sizeof(initrd));
	if (!o->dry_run && access(kernel, R_OK)) {
		if (o->kernel_image)
			(void)set_error(err, sizeof(err), "kernel image %s: %s", kernel, strerror(errno));
		else
			(void)set_error(err, sizeof(err), "no kernel for variant '%s' (%s); build it with 'make kernel VARIANT=%s'",
					r.variant, kernel, r.variant);
		goto setup_failed;
	}
	if (!o->dry_run && access(initrd, R_OK)) {
		(void)set_error(err, sizeof(err), "no guest image (%s); build it with 'make guest'", initrd);
		goto setup_failed;
	}
	snprintf(r.proc.tmp, sizeof(r.proc.tmp), "/tmp/nicrig.XXXXXX");
	/* --dry-run prints the template: a directory made and deleted would mislead. */
	if (!o->dry_run && !mkdtemp(r.proc.tmp)) {
		(void)set_error(err, sizeof(err), "mkdtemp: %s", strerror(errno));
		r.proc.tmp[0] = '\0';
		goto setup_failed;
	}
	if (o->out_dir) {
		snprintf(res->out_dir, sizeof(res->out_dir), "%s", o->out_dir);
	} else {
		char stamp[32];
		time_t t = time(NULL);

		strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", localtime(&t));
		if (snprintf(res->out_dir, sizeof(res->out_dir), "%s/results/%s-%s-%s%s", env->top,
			     stamp, o->rig->name, o->kernel_image ? "image-as-" : "",
			     r.variant) >= (int)sizeof(res->out_dir)) {
			(void)set_error(err, sizeof(err), "the results directory under %s/results is longer "
					"than %zu characters; give a shorter one with --out DIR",
					env->top, sizeof(res->out_dir) - 1);
			res->out_dir[0] = '\0';
			goto setup_failed;
		}
	}
	make_append(&r, append, sizeof(append));
	snprintf(console, sizeof(console), "%s/console.log", res->out_dir);
	qemu_argv(&a, env, o->rig, kernel, initrd, r.proc.tmp, append, console);
	qemu_debug_argv(&a, o, res->out_dir);
	launch = (struct launch){ .kernel = kernel, .initrd = initrd, .append = append,
				  .console = console };
	r.remote.on = o->libvirt && libvirt_uri_remote(o->libvirt_uri);
	if (o->dry_run) {
		/* the address and ports are the run's: a template */
		snprintf(r.remote.wire, sizeof(r.remote.wire), "%s", o->wire_addr ? o->wire_addr : "WIRE-ADDR");
		engine->print(stdout, &r, &launch, &a);
		argv_free(&a);
		res->out_dir[0] = '\0';	/* nothing was written */
		return 0;
	}

	if (mkdir_p(res->out_dir)) {
		(void)set_error(err, sizeof(err), "creating results directory %s: %s", res->out_dir, strerror(errno));
		goto setup_failed;
	}
	/* QEMU writes the console into this file; the runner reads along. */
	n = open(console, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);	/* no old run's lines */
	if (n >= 0)
		close(n);
	r.con.fd = open(console, O_RDONLY | O_CLOEXEC);
	if (r.con.fd < 0) {
		(void)set_error(err, sizeof(err), "creating %s: %s", console, strerror(errno));
		goto setup_failed;
	}
	r.ctl.log = open_out(&r, "control.log");
	{
		/* the libvirt engine writes domain.xml instead, with the domain's name */
		FILE *f = o->libvirt ? NULL : open_out(&r, "qemu-cmdline.txt");

		if (f) {
			argv_print(f, &a);
			fclose(f);
		}
	}

	{
		char pcap[600];

		snprintf(pcap, sizeof(pcap), "%s/wire.pcap", res->out_dir);
		if (r.remote.on) {
			/* TCP listeners; the cable is QEMU's connection (engine_remote.c) */
			lctl = remote_open(&r, err, sizeof(err));
			if (lctl < 0 || wire_capture_open(&r.pump.wire, pcap, err, sizeof(err)))
				goto setup_failed;
		} else {
			snprintf(path, sizeof(path), "%s/control.sock", r.proc.tmp);
			lctl = listen_unix(path, err, sizeof(err));
			if (lctl < 0)
				goto setup_failed;
			snprintf(path, sizeof(path), "%s/wire.sock", r.proc.tmp);
			if (wire_open(&r.pump.wire, path, pcap, err, sizeof(err)))
				goto setup_failed;
		}
		r.pump.wire.fcs = o->rig->wire_fcs;
	}

	sigemptyset(&mask);
	sigaddset(&mask, SIGCHLD);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGHUP);
	sigprocmask(SIG_BLOCK, &mask, &oldmask);
	r.proc.sigfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);

	r.t0 = now();
	r.proc.pid = engine->spawn(&r, &launch, &a, &oldmask, err, sizeof(err));
	if (r.proc.pid < 0)
		goto run_failed;
	r.ctl.fd = accept_timeout(lctl, r.proc.pid, &r.proc.status, "control channel",
				  r.remote.on ? REMOTE_CONNECT_SECS : CONNECT_SECS, err, sizeof(err));
	if (r.ctl.fd < 0) {
		r.proc.exited = strstr(err, "exited") != NULL;
		engine_exit_cause(&r, err, sizeof(err));
		goto run_failed;
	}
	if (r.remote.on) {
		if (wire_accept_stream(&r.pump.wire, r.remote.wire_lfd, CONNECT_SECS, err, sizeof(err)))
			goto run_failed;
		r.pump.connected = true;
	}
	fcntl(r.ctl.fd, F_SETFL, O_NONBLOCK);

	r.phase = PH_BOOT;
	r.deadline = r.t0 + o->rig->boot_timeout * r.timeout_scale;
	poll_loop(&r);
	goto finish;

run_failed:
	fatal(&r, "%s", err);
finish:
	kill_qemu(&r);
	console_flush(&r);	/* whatever the guest said last still counts */
	sigprocmask(SIG_SETMASK, &oldmask, NULL);
	goto cleanup;

setup_failed:
	/* Nothing ran: report as an error of the run, with no results dir if none was made. */
	fatal(&r, "%s", err);
cleanup:
	if (r.proc.sigfd >= 0)
		close(r.proc.sigfd);
	if (r.con.fd >= 0)
		close(r.con.fd);
	if (r.ctl.fd >= 0)
		close(r.ctl.fd);
	if (lctl >= 0)
		close(lctl);
	if (r.pump.wire.fd >= 0)
		wire_close(&r.pump.wire);
	if (r.pump.qmp_fd >= 0)
		close(r.pump.qmp_fd);
	remote_close(&r.remote);
	if (r.pump.faulting)
		fault_free(&r.pump.fault);
	if (r.ctl.log)
		fclose(r.ctl.log);
	remove_tmp(&r);
	argv_free(&a);

	res->wall_seconds = now() - t_start;
	judge(&r);
	if (res->out_dir[0]) {
		FILE *f = open_out(&r, "results.ktap");

		if (f) {
			report_ktap(f, o, res);
			fclose(f);
		}
		size_t ncells = 0;
		struct report_cell *cells = report_cells_of(o, res, &ncells);
		char suite[200], extra[300];

		snprintf(suite, sizeof(suite), "%s.%s", o->rig->name, r.variant);
		snprintf(path, sizeof(path), "%s/junit.xml", res->out_dir);
		if (!cells || report_junit(path, suite, cells, ncells, res->wall_seconds))
			fprintf(stderr, "Error: writing %s failed\n", path);
		snprintf(path, sizeof(path), "%s/kcidb.json", res->out_dir);
		if (!cells || report_kcidb(path, cells, ncells, time(NULL) - (time_t)res->wall_seconds,
					   res->out_dir))
			fprintf(stderr, "Error: writing %s failed\n", path);
		snprintf(path, sizeof(path), "%s/cells.tsv", res->out_dir);
		if (!cells || report_cells(path, cells, ncells))
			fprintf(stderr, "Error: writing %s failed\n", path);
		snprintf(path, sizeof(path), "%s/status", res->out_dir);
		snprintf(extra, sizeof(extra), "RIG=%s\nVARIANT=%s\nTESTS=%d\nPASSED=%d\nFAILED=%d\nSKIPPED=%d\n",
			 o->rig->name, r.variant, res->ntests, res->passed, res->failed, res->skipped);
		if (!cells || report_status(path, cells, ncells, extra, res->fatal))
			fprintf(stderr, "Error: writing %s failed\n", path);
		free(cells);
	}
	return res->failed ? 1 : 0;
}

void run_result_free(struct run_result *res)
{
	for (int i = 0; i < res->ntests; i++)
		free(res->tests[i].diag);
	expect_free(&res->matrix);
}

int boot_rig(const struct env *env, const struct rig *rig, const char *variant,
	     const char *kernel_image, bool dry_run)
{
	char kernel[600], initrd[600], append[256], tmp[64] = "/tmp/nicrig.XXXXXX";
	struct argv a = { 0 };
	int st = 0;
	pid_t pid;

	if (kernel_image)
		snprintf(kernel, sizeof(kernel), "%s", kernel_image);
	else
		env_kernel_path(env, variant, kernel, sizeof(kernel));
	env_initramfs_path(env, initrd, sizeof(initrd));
	kernel_cmdline(rig, append, sizeof(append));
	if (!dry_run && !mkdtemp(tmp)) {	/* --dry-run: the template */
		fprintf(stderr, "Error: mkdtemp: %s\n", strerror(errno));
		return 1;
	}
	qemu_argv(&a, env, rig, kernel, initrd, tmp, append, NULL);
	if (dry_run) {
		argv_print(stdout, &a);
		goto out;
	}
	if (access(kernel, R_OK) || access(initrd, R_OK)) {
		fprintf(stderr, "Error: %s or %s missing; build with 'make kernel VARIANT=%s guest'\n",
			kernel, initrd, variant);
		st = 1 << 8;
		goto out;
	}
	fprintf(stderr, "nicrig: booting rig %s (kernel %s, %s); Ctrl-A X quits QEMU\n"
		"nicrig: the NIC's cable: build/bin/nicrig-wire --socket %s/wire.sock --peer %s/qemu.sock%s --count 8\n",
		rig->name, kernel_image ? kernel_image : variant, env->accel, tmp, tmp,
		rig->wire_fcs ? " --fcs" : "");
	pid = fork();
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		execv(a.v[0], a.v);
		fprintf(stderr, "Error: exec %s: %s\n", a.v[0], strerror(errno));
		_exit(127);
	}
	/* QEMU owns the terminal (Ctrl-C goes to the guest); wait for it. */
	signal(SIGINT, SIG_IGN);
	if (pid > 0)
		waitpid(pid, &st, 0);
out:
	if (!dry_run) {
		char path[128];

		snprintf(path, sizeof(path), "%s/qemu.sock", tmp);
		unlink(path);
		snprintf(path, sizeof(path), "%s/wire.sock", tmp);
		unlink(path);
		rmdir(tmp);
	}
	argv_free(&a);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
}
