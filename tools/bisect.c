// SPDX-License-Identifier: GPL-2.0
/*
 * bisect.c - `nicrig bisect RIG TEST --from A --to B`: which patch of the
 * series changes a cell's outcome?
 *
 * The candidates are the patches variant B has and variant A lacks, in
 * series order.  Step k builds A's patches plus the first k candidates in
 * one worktree (build/linux-bisect in the cache), boots the rig, runs the
 * test and records every reader's outcome.  A binary search finds the first
 * k whose outcome differs from A's.  A's patches go first and the candidates
 * after them, so consecutive steps share a prefix of commits and a step only
 * rewrites what its own candidates touch (scripts/build-kernel.sh goes back
 * to the shared prefix); where a set does not apply in that order, the step
 * builds it in series order instead.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bisect.h"
#include "runner.h"
#include "util.h"

#define MAX_PATCHES 64

/* Patch numbers of a variant, via scripts/kernel-variant.sh. */
static int variant_patches(const struct env *env, const char *variant, int *nums, int max)
{
	char cmd[1024], line[1024];
	int n = 0;
	FILE *p;

	snprintf(cmd, sizeof(cmd), "'%s/scripts/kernel-variant.sh' '%s'", env->top, variant);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	while (fgets(line, sizeof(line), p)) {
		const char *base = strrchr(line, '/');

		if (n == max)
			break;
		nums[n++] = atoi(base ? base + 1 : line);
	}
	return pclose(p) ? -1 : n;
}

static const char *patch_name(const struct env *env, int num)
{
	static char name[256];
	char cmd[1024];
	FILE *p;

	snprintf(cmd, sizeof(cmd), "'%s/scripts/kernel-variant.sh' patches:%d", env->top, num);
	name[0] = '\0';
	p = popen(cmd, "r");
	if (p) {
		if (fgets(name, sizeof(name), p))
			name[strcspn(name, "\n")] = '\0';
		pclose(p);
	}
	return strrchr(name, '/') ? strrchr(name, '/') + 1 : name;
}

/* make kernel VARIANT=set into the bisect worktree; the exit status. */
static int build_set(const struct env *env, const char *set)
{
	char cmd[1200];

	snprintf(cmd, sizeof(cmd), "make -s -C '%s' kernel VARIANT='%s' KOUT='%s/build/linux-bisect' >&2",
		 env->top, set, env->cache);
	return system(cmd);
}

/* Builds base + the first k candidates as variant "bisect"; runs the test. */
static int outcome(const struct env *env, const struct bisect_opts *bo, const int *base, int nbase,
		   const int *cand, int k, char *out, size_t len)
{
	char set[512] = "ordered:", cmd[1600];
	struct run_opts o = { .rig = bo->rig, .variant = "bisect" };
	struct run_result *res;
	int n = 0;

	for (int i = 0; i < nbase; i++)
		n += snprintf(set + strlen(set), sizeof(set) - strlen(set), "%s%d", n ? "," : "", base[i]);
	for (int i = 0; i < k; i++)
		n += snprintf(set + strlen(set), sizeof(set) - strlen(set), "%s%d", n ? "," : "", cand[i]);
	if (!n)
		snprintf(set, sizeof(set), "baseline");
	fprintf(stderr, "nicrig: bisect step: %s + %d candidate(s) -> building %s\n", bo->from, k, set);
	if (build_set(env, set)) {
		/* Out of series order a patch may not apply: the same set in series order. */
		if (n) {
			memcpy(set, "patches:", 8);
			fprintf(stderr, "nicrig: bisect step: building %s failed; trying it in series order\n",
				set + 8);
		}
		if (!n || build_set(env, set)) {
			fprintf(stderr, "Error: building %s failed\n", set);
			return -1;
		}
	}
	res = calloc(1, sizeof(*res));
	if (!res)
		return -1;
	o.tests[o.ntests++] = bo->test;
	snprintf(cmd, sizeof(cmd), "%s/bisect-%02d", bo->out_dir, k);
	o.out_dir = cmd;
	run_rig(env, &o, res);
	if (res->fatal[0]) {
		fprintf(stderr, "Error: bisect step %d: %s\n", k, res->fatal);
		run_result_free(res);
		free(res);
		return -1;
	}
	out[0] = '\0';
	for (int i = 0; i < res->tests[0].nreaders; i++) {
		const struct reader_result *rr = &res->tests[0].readers[i];

		snprintf(out + strlen(out), len - strlen(out), "%s%s=%s", i ? "," : "", rr->name,
			 rr->observed == OUT_PASS ? "pass" : rr->observed == OUT_FAIL ? "fail" :
			 rr->observed == OUT_ERROR ? "error" : "none");
	}
	fprintf(stderr, "nicrig: bisect step %d: %s\n", k, out);
	run_result_free(res);
	free(res);
	return 0;
}

int bisect_run(const struct env *env, const struct bisect_opts *bo)
{
	int from[MAX_PATCHES], to[MAX_PATCHES], cand[MAX_PATCHES];
	int nfrom, nto, ncand = 0, lo, hi;
	char o_lo[256], o_hi[256], o_mid[256];
	double t0 = now();

	nfrom = variant_patches(env, bo->from, from, MAX_PATCHES);
	nto = variant_patches(env, bo->to, to, MAX_PATCHES);
	if (nfrom < 0 || nto < 0) {
		fprintf(stderr, "Error: cannot resolve variants '%s' and '%s'\n", bo->from, bo->to);
		return 2;
	}
	for (int i = 0; i < nto; i++) {
		bool in_from = false;

		for (int j = 0; j < nfrom; j++)
			in_from |= from[j] == to[i];
		if (!in_from)
			cand[ncand++] = to[i];
	}
	if (!ncand) {
		fprintf(stderr, "Error: variant '%s' adds no patch to '%s'\n", bo->to, bo->from);
		return 2;
	}
	fprintf(stderr, "nicrig: bisect %s/%s: %d candidate patch(es) from %s to %s\n",
		bo->rig->name, bo->test, ncand, bo->from, bo->to);

	lo = 0;
	hi = ncand;
	if (outcome(env, bo, from, nfrom, cand, lo, o_lo, sizeof(o_lo)) ||
	    outcome(env, bo, from, nfrom, cand, hi, o_hi, sizeof(o_hi)))
		return 2;
	if (!strcmp(o_lo, o_hi)) {
		printf("# bisect: %s/%s has the same outcome (%s) on %s and %s: nothing to find\n",
		       bo->rig->name, bo->test, o_lo, bo->from, bo->to);
		return 1;
	}
	while (hi - lo > 1) {
		int mid = (lo + hi) / 2;

		if (outcome(env, bo, from, nfrom, cand, mid, o_mid, sizeof(o_mid)))
			return 2;
		if (!strcmp(o_mid, o_lo)) {
			lo = mid;
		} else {
			hi = mid;
			snprintf(o_hi, sizeof(o_hi), "%s", o_mid);
		}
	}
	printf("# bisect: first patch that changes %s/%s from %s: %s\n", bo->rig->name, bo->test,
	       o_lo, patch_name(env, cand[hi - 1]));
	printf("# bisect: outcome with it: %s; wall %.0f s; steps in %s\n", o_hi, now() - t0,
	       bo->out_dir);
	return 0;
}
