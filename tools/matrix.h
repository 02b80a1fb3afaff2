/* SPDX-License-Identifier: GPL-2.0 */
/* matrix.h - `nicrig matrix`: tests x rigs x kernel variants (see matrix.c). */
#ifndef NICRIG_MATRIX_H
#define NICRIG_MATRIX_H

#include <stdbool.h>

#include "runner.h"

#define MATRIX_MAX	16
/* What `nicrig matrix` runs without --rigs and --kernels (make check too). */
#define MATRIX_DEFAULT_RIGS	"igb,veth,veth-skb,ixgbe,igc"

struct matrix_opts {
	const char *rigs[MATRIX_MAX];
	int nrigs;
	const char *variants[MATRIX_MAX];
	int nvariants;
	const char *tests[MAX_TESTS];	/* none: each rig's TESTS */
	int ntests;
	int shard_index, shard_count;	/* --shard I/N, 1-based; 0/0 all */
	int jobs;			/* boots at a time */
	bool build;			/* build missing kernels and guest image */
	const char *kernel_image;	/* one's own kernel; variants[0] names its expectations */
	const char *out_dir;
	bool json;			/* stdout: one JSON object (report_json), not the table */
	bool libvirt;			/* --engine libvirt[=URI], without --hosts */
	const char *libvirt_uri;
	/* --hosts: libvirt URIs, or "direct" (this machine, no libvirt); none: one host, the engine's */
	const char *hosts[MATRIX_MAX];
	int nhosts;
	int per_host;			/* with --hosts: boots at a time on each (default 1) */
	const char *wire_addr;		/* --wire-addr: remote hosts connect back to it */
};

int matrix_run(const struct env *env, const struct matrix_opts *mo);
/*
 * --hosts URI,URI or @FILE (one URI a line, '#' comments) into mo->hosts
 * (kept in a static buffer): 0, or -1 with err.
 */
int matrix_hosts_parse(const char *arg, struct matrix_opts *mo, char *err, size_t errlen);

#endif /* NICRIG_MATRIX_H */
