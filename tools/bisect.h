/* SPDX-License-Identifier: GPL-2.0 */
/* bisect.h - `nicrig bisect` (see bisect.c). */
#ifndef NICRIG_BISECT_H
#define NICRIG_BISECT_H

#include "rig.h"

struct bisect_opts {
	const struct rig *rig;
	const char *test;
	const char *from, *to;	/* kernel variants */
	const char *out_dir;
};

struct env;
int bisect_run(const struct env *env, const struct bisect_opts *bo);

#endif /* NICRIG_BISECT_H */
