/* SPDX-License-Identifier: GPL-2.0 */
/*
 * engine.h - how a rig's QEMU is started: directly (proc.c, the default) or
 * as a transient libvirt domain (engine_libvirt.c).  Either way the runner
 * gets one process that stands for the guest: it exits when the guest is
 * gone, SIGTERM ends the guest, and what it says goes to qemu.log.  The
 * console file, the control socket and the cable are the same for both.
 */
#ifndef NICRIG_ENGINE_H
#define NICRIG_ENGINE_H

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

#include "qemu.h"

struct run;

/* What a boot starts from, besides the rig and the run's temporary directory. */
struct launch {
	const char *kernel, *initrd, *append;
	const char *console;		/* the file QEMU writes the serial console to */
};

struct engine {
	const char *name;
	/* --dry-run: what would be started (QEMU's command line, the domain XML). */
	void (*print)(FILE *f, struct run *r, const struct launch *l, const struct argv *a);
	/* Starts the guest; the pid that stands for it, or -1 with err. */
	pid_t (*spawn)(struct run *r, const struct launch *l, struct argv *a,
		       const sigset_t *oldmask, char *err, size_t errlen);
	/*
	 * QMP set_link on the cable's netdev ("wire"), for the link faults:
	 * through QEMU's monitor socket (direct), or libvirt's monitor
	 * passthrough (virDomainQemuMonitorCommand), which reaches a remote
	 * host's QEMU too.  0, or -1 with err.
	 */
	int (*set_link)(struct run *r, bool up, char *err, size_t errlen);
};

extern const struct engine engine_direct, engine_libvirt;

const struct engine *engine_of(const struct run_opts *o);

/*
 * The libvirt engine's process exits with this status when its host failed
 * (refused the connection, or lost it): nothing is wrong with the rig, and
 * `nicrig matrix --hosts` reruns the boot on another host.
 */
#define ENGINE_HOST_FAILED	75

/* The engine's process has exited: true (and res->host_failed) if its host failed. */
bool engine_host_failed(struct run *r);
/* The engine's process exited before the guest connected: err becomes its own words, if any. */
void engine_exit_cause(struct run *r, char *err, size_t errlen);
/* --engine direct|libvirt[=URI] into o; 0, or -1 with err. */
int engine_parse(const char *arg, struct run_opts *o, char *err, size_t errlen);
/* 0 if uri (NULL: libvirt's default) is a host the runner can reach, else -1 with err. */
int libvirt_uri_check(const char *uri, char *err, size_t errlen);
/* The domain XML of a boot into a malloc'd string (NULL without memory). */
char *libvirt_domain_xml(struct run *r, const struct launch *l, const char *name);

/*
 * A libvirt host that is not this machine (engine_remote.c): its QEMU
 * reaches the runner over TCP, three connections out to this machine's
 * wire address: the cable (-netdev stream), the control channel and the
 * console (serial type='tcp'); the kernel and initramfs go to the host
 * through libvirt (engine_stage.c).
 */
struct remote {
	bool on;
	char wire[64];			/* this machine's address, as the host reaches it */
	unsigned short wire_port, ctl_port, con_port;
	int wire_lfd, con_lfd;		/* listening: the cable (runner), the console (watcher) */
};

#define REMOTE_CONNECT_SECS	300	/* from spawn to the control channel: staging included */
#define REMOTE_REACH_SECS	5	/* a libvirt host's port must answer within this */
#define REMOTE_CREATE_SECS	60	/* the domain's QEMU must connect back within this */

/* True if uri names a host other than this machine. */
bool libvirt_uri_remote(const char *uri);
/* The host of uri ("" none) and the port its transport listens on. */
void libvirt_uri_endpoint(const char *uri, char *host, size_t len, unsigned short *port);
/* 0 if host:port accepts a TCP connection within secs, else -1 with err (one line). */
int remote_reachable(const char *uri, double secs, char *err, size_t errlen);
/* Runner side: the wire address (--wire-addr, or the route's to the host), the listeners; lctl. */
int remote_open(struct run *r, char *err, size_t errlen);
void remote_close(struct remote *rm);
/* Watcher side: copies the console connection, once QEMU made it, into the console file. */
int console_relay_start(int lfd, const char *path, char *err, size_t errlen);
/* What is left of the console after the domain stopped (at most secs of waiting). */
void console_relay_finish(double secs);
/*
 * Stages the files a boot references onto the host, through libvirt (a dir
 * pool, NICRIG_POOL or 'nicrig', created if missing), under names by their
 * content's SHA-256 (remembered, and uploads locked, under cache): out[i]
 * the path there.  0, or -1 with err.
 */
struct _virConnect;
int stage_files(struct _virConnect *conn, const char *uri, const char *cache, const char *const *files,
		int n, char out[][600], char *err, size_t errlen);
/*
 * virDomainCreateXML (autodestroy) within secs: the domain, or NULL with
 * libvirt's error in *err (virResetError it); *late if it took longer (the
 * domain is then destroyed).
 */
struct _virDomain;
struct _virError;
struct _virDomain *remote_create(struct _virConnect *conn, const char *uri, const char *xml,
				 const char *name, int secs, bool *late, struct _virError *err);
/* 0 if the host can run QEMU binary emulator, else -1 with err. */
int stage_emulator_check(struct _virConnect *conn, const char *uri, const char *emulator,
			 char *err, size_t errlen);

#endif /* NICRIG_ENGINE_H */
