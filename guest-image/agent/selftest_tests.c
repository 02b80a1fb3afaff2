// SPDX-License-Identifier: GPL-2.0
/*
 * selftest_tests.c - the kernel's own BPF selftests for skb metadata, run in
 * the guest: test_progs (scripts/build-selftests.sh builds it from the series
 * tree with only prog_tests/xdp_context_test_run.c in it), one reader per
 * subtest.  No frames from the wire: the tests write frames into TAP devices
 * (and a veth pair) of their own, in network namespaces of their own.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "agent.h"

/* Where guest-image/mkinitramfs.sh installs scripts/build-selftests.sh's product. */
#define TEST_PROGS	"/usr/lib/kselftest/bpf/test_progs"

/*
 * A test_progs test and the subtests the agent runs (exactly these, with
 * test_progs -a) and reports, each as the reader PREFIX+SUBTEST; a test
 * without subtests is the reader PREFIX.  The subtests a rig kernel cannot
 * run are not listed: the test case files say which and why.
 */
struct selftest {
	const char *test;
	const char *prefix;
	const char *const *subtests;	/* NULL: the test has none */
};

/* bpf_selftests: the series' own tests (patch 17). */
static const char *const l2_decap[] = {
	"vlan_data_meta", "vlan_dynptr_read", "vlan_data_meta_and_dynptr",
	"qinq_data_meta", "qinq_dynptr_read", "qinq_data_meta_and_dynptr",
	"gretap_data_meta", "gretap_dynptr_read", "gretap_data_meta_and_dynptr",
	NULL
};

static const struct selftest series_selftests[] = {
	{ "xdp_context_l2_decap", "", l2_decap },
	{ NULL }
};

/*
 * bpf_selftests_xdp_context: the tests upstream already has in the same file,
 * which the series must keep passing.  Left out: xdp_context_lwt_encap (LWT
 * BPF, MPLS, SEG6 and IOAM6 tunnels, not in the rig kernels).
 */
static const char *const tuntap[] = {
	"data_meta", "dynptr_read", "dynptr_slice", "dynptr_write", "dynptr_slice_rdwr",
	"dynptr_offset", "dynptr_offset_oob",
	"clone_data_meta_survives_data_write", "clone_data_meta_survives_meta_write",
	"clone_meta_dynptr_survives_data_slice_write", "clone_meta_dynptr_survives_meta_slice_write",
	"clone_meta_dynptr_rw_before_data_dynptr_write", "clone_meta_dynptr_rw_before_meta_dynptr_write",
	"helper_skb_vlan_push_pop", "helper_skb_adjust_room", "helper_skb_change_head_tail",
	"helper_skb_change_proto",
	NULL
};

static const struct selftest xdp_context_selftests[] = {
	{ "xdp_context_test_run", "test_run", NULL },
	{ "xdp_context_veth", "veth", NULL },
	{ "xdp_context_tuntap", "tap_", tuntap },
	{ NULL }
};

static const struct selftest *const selftest_sets[] = {
	[BPF_SELFTESTS_SERIES] = series_selftests,
	[BPF_SELFTESTS_XDP_CONTEXT] = xdp_context_selftests,
};

#define MAX_SUBTESTS	32

struct subtest_result {
	const char *test;
	const char *subtest;		/* NULL: the test itself */
	char reader[64];
	bool seen, passed;
	char reason[240];
};

/* "#12/3   test/subtest:RESULT" or "#12     test:RESULT" -> test, subtest, result. */
static bool parse_result_line(char *line, char **test, char **subtest, char **result)
{
	char *p = line, *colon;

	if (*p++ != '#' || !(*p >= '0' && *p <= '9'))
		return false;
	p += strspn(p, "0123456789/");
	if (*p != ' ')
		return false;
	p += strspn(p, " ");
	colon = strrchr(p, ':');
	if (!colon || colon == p)
		return false;
	*colon = '\0';
	*result = colon + 1;
	*test = p;
	*subtest = strchr(p, '/');
	if (*subtest)
		*(*subtest)++ = '\0';
	return true;
}

/*
 * Why a subtest failed, from the log test_progs prints before its result
 * line: the first failed assertion ("func:FAIL:what ...") and what the BPF
 * program said on its stderr stream ("FAIL:progs/x.c:85: metadata mismatch",
 * then the bytes it had under "have:").
 */
struct fail_log {
	char assert[100], stream[72], have[40];
	bool in_have;
};

static void fail_log_line(struct fail_log *f, const char *line)
{
	const char *s = line + strspn(line, " ");

	if (f->in_have) {
		if (!f->have[0])
			snprintf(f->have, sizeof(f->have), "%.39s", s);
		f->in_have = false;
	} else if (!strncmp(line, "FAIL:", 5)) {
		if (!f->stream[0])
			snprintf(f->stream, sizeof(f->stream), "%.71s", line + 5);
	} else if (!strcmp(s, "have:")) {
		f->in_have = true;
	} else if (strstr(line, ":FAIL:") && !f->assert[0]) {
		snprintf(f->assert, sizeof(f->assert), "%.99s", line);
	}
}

static void fail_log_reason(const struct fail_log *f, const char *result, char *out, size_t len)
{
	snprintf(out, len, "%s%s%s%s%s", f->assert[0] ? f->assert : result,
		 f->stream[0] ? "; BPF: " : "", f->stream,
		 f->have[0] ? ", have " : "", f->have);
}

/* What test_progs has printed so far, and what it means for the readers. */
struct selftest_run {
	struct subtest_result res[MAX_SUBTESTS];
	int nres, nlines;
	struct fail_log log;
	char top_fail[240];
};

/* A failed subtest's log comes before its result line. */
static void selftest_line(struct agent *a, char *line, void *ctx)
{
	struct selftest_run *run = ctx;
	char *test, *subtest, *result;

	printf("%s\n", line);
	run->nlines++;
	if (!parse_result_line(line, &test, &subtest, &result)) {
		fail_log_line(&run->log, line);
		if (line[0])
			ctl_send(a, "# %s", line);
		return;
	}
	ctl_send(a, "# %s%s%s:%s", test, subtest ? "/" : "", subtest ? subtest : "", result);
	for (int i = 0; i < run->nres; i++) {
		struct subtest_result *r = &run->res[i];

		if (r->seen || strcmp(r->test, test) || !r->subtest != !subtest ||
		    (subtest && strcmp(r->subtest, subtest)))
			continue;
		r->seen = true;
		r->passed = !strcmp(result, "OK");
		if (r->passed)
			snprintf(r->reason, sizeof(r->reason), "test_progs: OK");
		else
			fail_log_reason(&run->log, result, r->reason, sizeof(r->reason));
	}
	/* A test that failed before its subtests began (e.g. its skeleton did not load). */
	if (!subtest && strcmp(result, "OK") && !run->top_fail[0]) {
		snprintf(run->top_fail, sizeof(run->top_fail), "%.60s: ", test);
		fail_log_reason(&run->log, result, run->top_fail + strlen(run->top_fail),
				sizeof(run->top_fail) - strlen(run->top_fail));
	}
	memset(&run->log, 0, sizeof(run->log));
}

int test_bpf_selftests(struct agent *a, const char *name, int arg)
{
	struct selftest_run run = {};
	const struct selftest *set = NULL;
	char cmd[4096], how[64];
	int npass = 0, rc;
	size_t off;

	if (arg >= 0 && arg < (int)(sizeof(selftest_sets) / sizeof(selftest_sets[0])))
		set = selftest_sets[arg];
	if (!set) {
		ctl_send(a, "end %s error the agent has no list of selftests for %s", name, name);
		return -1;
	}
	if (access(TEST_PROGS, X_OK)) {
		ctl_send(a, "end %s error %s is not in the guest image (scripts/build-selftests.sh)",
			 name, TEST_PROGS);
		return -1;
	}

	/* The readers, and test_progs -a TEST/SUBTEST,... for exactly them. */
	off = snprintf(cmd, sizeof(cmd), "cd /tmp && " TEST_PROGS " --no-error-summary -a ");
	for (const struct selftest *s = set; s->test && run.nres < MAX_SUBTESTS; s++) {
		const char *const *sub = s->subtests;

		do {
			struct subtest_result *r = &run.res[run.nres++];

			r->test = s->test;
			r->subtest = sub ? *sub : NULL;
			snprintf(r->reader, sizeof(r->reader), "%s%s", s->prefix, sub ? *sub : "");
			if (off < sizeof(cmd))
				off += snprintf(cmd + off, sizeof(cmd) - off, "%s%s%s%s",
						run.nres > 1 ? "," : "", s->test, sub ? "/" : "",
						sub ? *sub : "");
		} while (sub && *++sub && run.nres < MAX_SUBTESTS);
	}
	if (off < sizeof(cmd))
		off += snprintf(cmd + off, sizeof(cmd) - off, " 2>&1");
	if (off >= sizeof(cmd)) {
		ctl_send(a, "end %s error the test_progs command line does not fit in %zu bytes",
			 name, sizeof(cmd));
		return -1;
	}

	rc = run_cmd_lines(a, cmd, selftest_line, &run);
	if (rc == -1) {
		ctl_send(a, "end %s error cannot run %s", name, TEST_PROGS);
		return -1;
	}
	if (WIFEXITED(rc) && (WEXITSTATUS(rc) == 126 || WEXITSTATUS(rc) == 127)) {
		ctl_send(a, "end %s error the shell could not run %s (exit status %d)", name, TEST_PROGS,
			 WEXITSTATUS(rc));
		return -1;
	}
	if (WIFEXITED(rc))
		snprintf(how, sizeof(how), "test_progs exited with %d", WEXITSTATUS(rc));
	else
		snprintf(how, sizeof(how), "test_progs was killed by signal %d", WTERMSIG(rc));
	if (!run.nlines) {
		ctl_send(a, "end %s error %s and printed nothing", name, how);
		return -1;
	}
	for (int i = 0; i < run.nres; i++) {
		struct subtest_result *r = &run.res[i];

		if (!r->seen)
			snprintf(r->reason, sizeof(r->reason), "no result for it (%s)%s%.150s", how,
				 run.top_fail[0] ? "; " : "", run.top_fail);
		npass += r->passed;
		ctl_send(a, "reader %s %s %s %s", name, r->reader, r->passed ? "pass" : "fail", r->reason);
	}
	ctl_send(a, "# %s; %d of %d subtests passed", how, npass, run.nres);
	ctl_send(a, "end %s %s", name, npass == run.nres ? "pass" : "fail");
	return npass == run.nres ? 0 : -1;
}
