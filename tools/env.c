// SPDX-License-Identifier: GPL-2.0
/*
 * env.c - where a run's things are: the checkout, the cache, QEMU and its
 * firmware, the accelerator (build/config.mk), the paths of the kernel and
 * guest images built there, and which kernel variants exist.
 */

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kv.h"
#include "runner.h"
#include "util.h"

int env_load(struct env *e, char *err, size_t errlen)
{
	char exe[512], path[600];
	struct kv_file f;
	const struct kv_entry *v;
	ssize_t n;
	char *slash;

	memset(e, 0, sizeof(*e));
	/* build/bin/nicrig -> the checkout is two levels up. */
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0) {
		(void)set_error(err, errlen, "cannot find my own path: %s", strerror(errno));
		return -1;
	}
	exe[n] = '\0';
	for (int up = 0; up < 3; up++) {
		slash = strrchr(exe, '/');
		if (slash)
			*slash = '\0';
	}
	snprintf(e->top, sizeof(e->top), "%s", getenv("NICRIG_TOP") ? getenv("NICRIG_TOP") : exe);
	snprintf(path, sizeof(path), "%s/build/config.mk", e->top);
	if (kv_load(&f, path, err, errlen)) {
		size_t l = strlen(err);

		snprintf(err + l, errlen - l, "; run ./configure first");
		return -1;
	}
	/* A value that does not fit (a path) is an error, never a shorter path. */
#define GET(key, field)							\
	do {								\
		v = kv_find(&f, key);					\
		if (v && snprintf(e->field, sizeof(e->field), "%s", v->value) >= \
		    (int)sizeof(e->field)) {				\
			int line = v->line;				\
									\
			kv_free(&f);					\
			return set_error(err, errlen, "%s:%d: %s is longer than %zu characters", \
					 path, line, key, sizeof(e->field) - 1); \
		}							\
	} while (0)
	GET("CACHE_DIR", cache);
	GET("QEMU", qemu);
	GET("FIRMWARE_DIRS", firmware);
	GET("ACCEL", accel);
	GET("ACCEL_NOTE", accel_note);
#undef GET
	kv_free(&f);
	/* A QEMU build of one's own (e.g. a device model under development). */
	if (getenv("NICRIG_QEMU"))
		snprintf(e->qemu, sizeof(e->qemu), "%s", getenv("NICRIG_QEMU"));
	if (!e->cache[0] || !e->qemu[0] || !e->accel[0]) {
		(void)set_error(err, errlen, "%s lacks CACHE_DIR, QEMU or ACCEL; re-run ./configure", path);
		return -1;
	}
	return 0;
}

void env_kernel_path(const struct env *e, const char *variant, char *out, size_t len)
{
	snprintf(out, len, "%s/build/linux-%s/build/arch/x86/boot/bzImage", e->cache, variant);
}

void env_initramfs_path(const struct env *e, char *out, size_t len)
{
	snprintf(out, len, "%s/build/guest/initramfs.cpio.gz", e->top);
}

int variant_list(const struct env *env, const char *which, const char *sep, char *out, size_t len,
		 char *err, size_t errlen)
{
	char cmd[700], line[512];
	FILE *p;
	int st;

	/* scripts/kernel-variant.sh is the one reader of kernel-patches/variants. */
	snprintf(cmd, sizeof(cmd), "'%s/scripts/kernel-variant.sh' %s", env->top, which);
	p = popen(cmd, "r");
	if (!p)
		return set_error(err, errlen, "running %s: %s", cmd, strerror(errno));
	out[0] = '\0';
	while (fgets(line, sizeof(line), p)) {
		line[strcspn(line, "\n")] = '\0';
		message_printf(out + strlen(out), len - strlen(out), "%s%s", out[0] ? sep : "", line);
	}
	st = pclose(p);
	if (st)
		return set_error(err, errlen, "%s failed (status %d): cannot tell which variants exist", cmd, st);
	return 0;
}

/*
 * A kernel of one's own is held to --expect VARIANT's rows: a name the
 * variants file does not define (a typo) would silently get the catch-all
 * (`*`) rows of tests/expectations instead.
 */
int expect_variant_check(const struct env *env, const char *variant, char *err, size_t errlen)
{
	char names[512], *save;

	if (variant_list(env, "--names", ",", names, sizeof(names), err, errlen))
		return -1;
	for (char *n = strtok_r(names, ",", &save); n; n = strtok_r(NULL, ",", &save))
		if (!strcmp(n, variant))
			return 0;
	if (variant_list(env, "--names", ", ", names, sizeof(names), err, errlen))
		return -1;
	return set_error(err, errlen, "--expect %s: not a variant of %s/kernel-patches/variants (%s)",
			 variant, env->top, names);
}
