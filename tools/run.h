/* SPDX-License-Identifier: GPL-2.0 */
/*
 * run.h - the runner's private state, shared by runner.c (the run loop),
 * proc.c, console.c, control.c, pump.c and verdict.c.  Not for other tools.
 */
#ifndef NICRIG_RUN_H
#define NICRIG_RUN_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "engine.h"
#include "fault.h"
#include "meta.h"
#include "qemu.h"
#include "runner.h"
#include "tcp.h"
#include "wire.h"

#define WIRE_MAC	"02:6e:72:69:67:02"
#define SHUTDOWN_SECS	30
#define CONNECT_SECS	30

/* ---- the run ------------------------------------------------------------- */

enum phase { PH_BOOT, PH_TESTS, PH_SHUTDOWN, PH_OVER };

struct line_buf {
	char buf[8192];
	size_t len;
};

/* The QEMU process (proc.c). */
struct run_proc {
	char tmp[64];		/* sockets and the console file; removed at the end */
	pid_t pid;		/* -1 none */
	int status;
	bool exited;
	int sigfd;		/* SIGCHLD, SIGINT, SIGTERM, SIGHUP */
};

/* The console watcher (console.c). */
struct run_console {
	int fd;
	struct line_buf lb;
	char last[256];		/* the last line, for a fatal message */
	double due;		/* when to read the console file next */
	unsigned long long bytes;	/* read so far: a flood ends the run (CONSOLE_LIMIT) */
};

/*
 * A console beyond this ends the run ("flooded the console"): the rig
 * kernels log a few hundred KiB in a run, and console.log must not fill
 * the disk.  A read takes at most CONSOLE_READ_MAX at a time, so that a
 * flood cannot keep the loop from its deadlines, the control channel and
 * the wire.
 */
#define CONSOLE_LIMIT		(64ull << 20)
#define CONSOLE_READ_MAX	(256u << 10)

/* The control channel to the agent (control.c). */
struct run_control {
	int fd;
	FILE *log;
	struct line_buf lb;
	bool agent_done;
};

/* The wire pump (pump.c): send state of the current test. */
struct run_pump {
	struct wire wire;
	bool sending, connected;
	unsigned int next_seq;
	double t0;		/* when the wire started sending this test's probes */
	double cpu_qemu0, cpu_wire0;	/* host CPU seconds when it started */
	struct probe_spec spec;
	bool blocked;		/* the last send found QEMU's queue full: wait for POLLOUT */
	/* a TCP test: the wire's client connection to the guest's echo server */
	bool tcp_on;
	struct tcp_conn tcp;
	uint8_t tcp_frame[TCP_HDRS_MAX + 1500];	/* a segment waiting for that room */
	size_t tcp_frame_len;
	/* a WIRE=reflect test: the loopback cable (reflect_pump) */
	bool reflecting;
	uint8_t held[65536];	/* a frame QEMU had no room for: it goes back first */
	size_t held_len;
	unsigned long reflected, reflected_bytes, dropped;
	unsigned long nth;	/* frames seen since reflect began, for --break-reflect */
	/* a FAULT= test: the cable's fault stage between the probes and QEMU (fault_pump) */
	bool faulting;
	struct fault_stage fault;
	struct fault_report frep;	/* what the agent said its consumer and the NIC saw */
	enum { LINK_UP, LINK_SETTLE, LINK_DOWN, LINK_WAIT_CARRIER, LINK_PAUSE } link_phase;
	bool paused;		/* the pause before the clean tail (FAULT=guest ms=) is done */
	double link_until;	/* the current link phase ends */
	double link_t0;		/* when the settle before set_link off began */
	int qmp_fd;		/* QEMU's monitor, -1 until the first link fault */
	bool carrier_up;	/* the guest's carrier, as the agent last reported it */
	unsigned long carrier_downs;
};

/* A transmit test's verdict (verdict.c): probes the guest sent, counted at the wire. */
#define TX_AT_MAX	64
struct run_tx {
	bool counting;		/* between txready and the rxcount reply */
	int expect;		/* -1 until the agent says how many it sent */
	unsigned int got;
	double deadline;
	char test[64];
	unsigned char seen[NICRIG_MAX_SEQ / 8];
	int64_t at[TX_AT_MAX];	/* when probe seq < TX_AT_MAX first arrived (wire rx_ns), 0 not yet */
};

struct run {
	const struct env *env;
	const struct run_opts *o;
	struct run_result *res;
	const char *variant;
	enum phase phase;
	double t0, deadline;
	double test_t0;		/* when the current test's clock started */
	unsigned int timeout_scale;	/* x20 while a debugger may hold the guest */
	int cur;		/* test index running, -1 none */
	struct run_proc proc;
	struct run_console con;
	struct run_control ctl;
	struct run_pump pump;
	struct run_tx tx;
	struct remote remote;	/* a remote libvirt host's connections (engine_remote.c) */
};

/* proc.c */
int listen_unix(const char *path, char *err, size_t errlen);
double cpu_seconds(pid_t pid);
void qemu_log_tail(struct run *r, char *out, size_t len);
int accept_timeout(int lfd, pid_t qemu, int *status, const char *what, double secs,
		   char *err, size_t errlen);
void kill_qemu(struct run *r);
/* True if QEMU has exited or exits within secs (its status recorded for on_qemu_exit). */
bool qemu_exited_within(struct run *r, double secs);
void make_append(struct run *r, char *out, size_t len);
pid_t spawn_qemu(struct run *r, struct argv *a, const sigset_t *oldmask,
			char *err, size_t errlen);

/* console.c */
int read_lines(struct run *r, int fd, struct line_buf *lb, bool file,
		      void (*fn)(struct run *, char *));
unsigned long long console_read(struct run *r);
void console_flush(struct run *r);

/* control.c */
void fatal(struct run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void ctl_write(struct run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void diag_add(struct test_result *t, const char *line);
struct test_result *find_test(struct run *r, const char *name);
int agent_test_index(const struct run *r);
void control_cb(struct run *r, char *line);

/* pump.c */
int wire_ensure_connected(struct run *r);
void count_begin(struct run *r, struct test_result *t);
void send_begin(struct run *r, struct test_result *t);
int tcp_begin(struct run *r, struct test_result *t, uint16_t port);
void tcp_pump(struct run *r);
void wire_drain(struct run *r);
/* flags: wire_send_fcs()'s, for a fault stage's frame (0: as a MAC sends it) */
int probe_send(struct run *r, const uint8_t *frame, size_t len, unsigned int seq, unsigned int flags);
void wire_pump(struct run *r);
void reflect_begin(struct run *r, struct test_result *t);
void reflect_end(struct run *r, struct test_result *t);
void reflect_pump(struct run *r);
void fault_begin(struct run *r, struct test_result *t);
void fault_pump(struct run *r);
void fault_end(struct run *r, struct test_result *t);
void fault_agent_line(struct run *r, struct test_result *t, const char *word, const char *args);

/* verdict.c */
void wire_tx_verdict(struct run *r);
void launch_verdict(struct run *r, struct test_result *t, const char *args);
void cpu_cost_report(struct run *r, struct test_result *t);
void judge(struct run *r);

#endif
