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

#endif /* NICRIG_ENGINE_H */
