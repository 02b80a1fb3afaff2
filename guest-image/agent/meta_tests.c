// SPDX-License-Identifier: GPL-2.0
/*
 * meta_tests.c - the metadata fixture (XDP writer + two TC readers) and the
 * tests built on it.
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/if_link.h>

#include "agent.h"
#include "meta.h"
#include "meta.skel.h"
#include "veth_carrier.h"
#include "xsk.h"

struct meta_fixture {
	struct meta_bpf *skel;
	int xdp_ifindex;	/* where the writer runs */
	struct bpf_tc_hook hook;
	bool hook_created;
	struct veth_carrier carrier;	/* veth rigs: the NIC's redirect into the pair */
};

/*
 * Where the skb surfaces after software L2 decapsulation: each topology
 * builds the devices on top of the writer's interface and names the one
 * whose TC ingress the readers go on.  NIC VLAN stripping is turned off so
 * the tags reach the stack in the packet and the kernel untags in software.
 */
struct topology {
	const char *name;
	int (*setup)(struct agent *a, const char *lower, char *upper, size_t len);
	void (*teardown)(const char *lower);
};

static const char *const reader_names[READER_NR] = {
	[READER_DATA_META] = "data_meta",
	[READER_DYNPTR] = "dynptr",
};

static int attach_xdp(struct agent *a, int ifindex, struct bpf_program *prog,
		      const char *what)
{
	int err = bpf_xdp_attach(ifindex, bpf_program__fd(prog), XDP_FLAGS_DRV_MODE, NULL);

	if (err)
		ctl_send(a, "# attaching %s in native mode to ifindex %d failed: %s",
			 what, ifindex, strerror(-err));
	return err;
}

static void meta_fixture_teardown(struct meta_fixture *fx, const struct topology *topo,
				  const char *xdp_ifname)
{
	if (fx->hook_created)
		bpf_tc_hook_destroy(&fx->hook);
	if (topo)
		topo->teardown(xdp_ifname);
	if (fx->xdp_ifindex)
		bpf_xdp_detach(fx->xdp_ifindex, XDP_FLAGS_DRV_MODE, NULL);
	veth_carrier_teardown(&fx->carrier);
	meta_bpf__destroy(fx->skel);
	memset(fx, 0, sizeof(*fx));
}

/*
 * Loads the programs, puts the writer on the interface where frames arrive
 * natively (the NIC, or the far end of a veth pair the NIC redirects into) and
 * the readers on TC ingress of tc_ifname (NULL: where the writer runs).
 * Returns the writer's interface name in *xdp_ifname.
 */
static int meta_fixture_setup(struct agent *a, struct meta_fixture *fx,
			      const char **xdp_ifname)
{
	int err;

	memset(fx, 0, sizeof(*fx));
	if (veth_pair_setup(a, &fx->carrier, xdp_ifname))
		return -1;

	fx->skel = meta_bpf__open();
	if (!fx->skel) {
		ctl_send(a, "# opening the meta BPF object failed: %s", strerror(errno));
		return -1;
	}
	fx->skel->rodata->tc_salt = a->break_check;
	fx->skel->rodata->carrier_ifindex = veth_carrier_target();
	err = meta_bpf__load(fx->skel);
	if (err) {
		ctl_send(a, "# loading the meta BPF programs failed: %s (console has the verifier log)",
			 strerror(-err));
		return -1;
	}

	fx->xdp_ifindex = if_nametoindex(*xdp_ifname);
	if (!fx->xdp_ifindex) {
		ctl_send(a, "# no interface %s", *xdp_ifname);
		return -1;
	}
	err = attach_xdp(a, fx->xdp_ifindex, fx->skel->progs.xdp_meta_write, "the metadata writer");
	if (err) {
		fx->xdp_ifindex = 0;
		return -1;
	}
	return veth_carrier_attach(a, &fx->carrier, fx->skel);
}

/* Puts both readers on TC ingress of ifname: dynptr first, then data_meta. */
static int meta_fixture_attach_readers(struct agent *a, struct meta_fixture *fx,
				       const char *ifname)
{
	struct {
		struct bpf_program *prog;
		__u32 prio;
	} readers[] = {
		{ fx->skel->progs.tc_read_dynptr, 1 },
		{ fx->skel->progs.tc_read_data_meta, 2 },
	};
	int err;

	fx->hook = (struct bpf_tc_hook){
		.sz = sizeof(fx->hook),
		.ifindex = if_nametoindex(ifname),
		.attach_point = BPF_TC_INGRESS,
	};
	if (!fx->hook.ifindex) {
		ctl_send(a, "# no interface %s for the TC readers", ifname);
		return -1;
	}
	err = bpf_tc_hook_create(&fx->hook);
	if (err && err != -EEXIST) {
		ctl_send(a, "# creating clsact on %s failed: %s", ifname, strerror(-err));
		return -1;
	}
	fx->hook_created = true;
	for (size_t i = 0; i < sizeof(readers) / sizeof(readers[0]); i++) {
		struct bpf_tc_opts opts = {
			.sz = sizeof(opts),
			.prog_fd = bpf_program__fd(readers[i].prog),
			.priority = readers[i].prio,
			.handle = 1,
		};

		err = bpf_tc_attach(&fx->hook, &opts);
		if (err) {
			ctl_send(a, "# attaching %s to TC ingress of %s failed: %s",
				 bpf_program__name(readers[i].prog), ifname, strerror(-err));
			return -1;
		}
	}
	return 0;
}

static __u64 counter(struct meta_fixture *fx, __u32 idx)
{
	__u64 v = 0;

	bpf_map__lookup_elem(fx->skel->maps.counters, &idx, sizeof(idx), &v, sizeof(v), 0);
	return v;
}

/*
 * Frames may still be on their way through a slow (TCG) guest when the wire
 * says it is done: wait until every reader accounted for `sent` frames, or
 * until the counters stop moving for a second.
 */
static void wait_settled(struct meta_fixture *fx, long sent)
{
	__u64 last = ~0ULL;
	int still = 0;

	for (int i = 0; i < 200 && still < 10; i++) {
		__u64 dm = counter(fx, CNT_DM_OK) + counter(fx, CNT_DM_BAD) + counter(fx, CNT_DM_SHORT);
		__u64 dp = counter(fx, CNT_DP_OK) + counter(fx, CNT_DP_BAD) + counter(fx, CNT_DP_SHORT);
		__u64 sum = dm + dp + counter(fx, CNT_XDP_PROBES);

		if (dm >= (__u64)sent && dp >= (__u64)sent)
			return;
		still = sum == last ? still + 1 : 0;
		last = sum;
		usleep(100 * 1000);
	}
}

static void report_bad_sample(struct agent *a, struct meta_fixture *fx, __u32 reader)
{
	struct nicrig_bad_sample s;
	char hex[3 * NICRIG_META_LEN + 1];

	if (bpf_map__lookup_elem(fx->skel->maps.first_bad, &reader, sizeof(reader),
				 &s, sizeof(s), 0) || !s.valid)
		return;
	for (int i = 0; i < NICRIG_META_LEN; i++)
		snprintf(hex + 3 * i, 4, "%02x ", s.bytes[i]);
	hex[3 * NICRIG_META_LEN - 1] = '\0';
	ctl_send(a, "# %s: first wrong metadata: frame seq %u, metadata length %u",
		 reader_names[reader], s.seq, s.meta_len);
	ctl_send(a, "#   read:     %s", hex);
	{
		struct nicrig_meta want = { .magic = NICRIG_META_MAGIC, .seq = s.seq };
		const __u8 *w = (const __u8 *)&want;

		for (int i = 0; i < NICRIG_PATTERN_LEN; i++)
			want.pattern[i] = nicrig_pattern_byte(s.seq, i, 0);
		for (int i = 0; i < NICRIG_META_LEN; i++)
			snprintf(hex + 3 * i, 4, "%02x ", w[i]);
		hex[3 * NICRIG_META_LEN - 1] = '\0';
		ctl_send(a, "#   written:  %s", hex);
	}
}

/*
 * Compares what the programs saw with `sent` and reports one reader line
 * each.  Counts are compared exactly: every probe seen once by the writer,
 * and once, intact, by the reader.
 */
static int meta_fixture_verdict(struct agent *a, struct meta_fixture *fx,
				const char *test, long sent)
{
	static const __u32 ok_idx[READER_NR] = { CNT_DM_OK, CNT_DP_OK };
	static const __u32 bad_idx[READER_NR] = { CNT_DM_BAD, CNT_DP_BAD };
	static const __u32 short_idx[READER_NR] = { CNT_DM_SHORT, CNT_DP_SHORT };
	static const __u32 seen_bit[READER_NR] = { SEEN_DM, SEEN_DP };
	__u64 probes = counter(fx, CNT_XDP_PROBES), dup = counter(fx, CNT_DUP);
	__u64 meta_fail = counter(fx, CNT_XDP_META_FAIL);
	long missing[READER_NR] = { 0 };
	int failed = 0;

	ctl_send(a, "# sent %ld probes; XDP writer saw %llu (adjust_meta failed %llu), duplicates %llu",
		 sent, (unsigned long long)probes, (unsigned long long)meta_fail,
		 (unsigned long long)dup);
	for (long seq = 0; seq < sent && seq < NICRIG_MAX_SEQ; seq++) {
		__u32 key = seq, v = 0;

		bpf_map__lookup_elem(fx->skel->maps.seen, &key, sizeof(key), &v, sizeof(v), 0);
		for (int r = 0; r < READER_NR; r++)
			if (!(v & seen_bit[r]))
				missing[r]++;
	}

	for (__u32 r = 0; r < READER_NR; r++) {
		__u64 ok = counter(fx, ok_idx[r]), bad = counter(fx, bad_idx[r]);
		__u64 shrt = counter(fx, short_idx[r]);
		char why[256] = "";

		ctl_send(a, "# %s: intact %llu, wrong %llu, short %llu, never seen intact %ld",
			 reader_names[r], (unsigned long long)ok, (unsigned long long)bad,
			 (unsigned long long)shrt, missing[r]);
		if (probes != (__u64)sent)
			snprintf(why, sizeof(why), "XDP writer saw %llu of %ld probes",
				 (unsigned long long)probes, sent);
		else if (meta_fail)
			snprintf(why, sizeof(why), "bpf_xdp_adjust_meta failed on %llu frames",
				 (unsigned long long)meta_fail);
		else if (bad || shrt)
			snprintf(why, sizeof(why), "expected %ld intact, got %llu intact, %llu wrong, %llu short",
				 sent, (unsigned long long)ok, (unsigned long long)bad,
				 (unsigned long long)shrt);
		else if (ok != (__u64)sent || missing[r] || dup)
			snprintf(why, sizeof(why), "expected %ld intact, got %llu (%ld never seen, %llu duplicates)",
				 sent, (unsigned long long)ok, missing[r], (unsigned long long)dup);
		if (why[0]) {
			report_bad_sample(a, fx, r);
			ctl_send(a, "reader %s %s fail %s", test, reader_names[r], why);
			failed++;
		} else {
			ctl_send(a, "reader %s %s pass all %ld probes carried intact metadata",
				 test, reader_names[r], sent);
		}
	}
	return failed ? -1 : 0;
}

#define MAX_XSK 64

static int vlan_setup(struct agent *a, const char *lower, char *upper, size_t len)
{
	snprintf(upper, len, "%s.100", lower);
	if (run_cmd(ETHTOOL " -K %s rxvlan off", lower) ||
	    run_cmd(IP " link add link %s name %s type vlan id 100", lower, upper) ||
	    run_cmd(IP " link set dev %s up", upper)) {
		ctl_send(a, "# could not set up VLAN 100 on %s", lower);
		return -1;
	}
	return 0;
}

static void vlan_teardown(const char *lower)
{
	run_cmd(IP " link del dev %s.100", lower);
	run_cmd(ETHTOOL " -K %s rxvlan on", lower);
}

static int qinq_setup(struct agent *a, const char *lower, char *upper, size_t len)
{
	char outer[IF_NAMESIZE];

	snprintf(outer, sizeof(outer), "%s.200", lower);
	snprintf(upper, len, "%s.200.100", lower);
	/* Not every NIC parses S-tags; where the feature is fixed off, fine. */
	run_cmd(ETHTOOL " -K %s rx-vlan-stag-hw-parse off 2>/dev/null", lower);
	if (run_cmd(ETHTOOL " -K %s rxvlan off", lower) ||
	    run_cmd(IP " link add link %s name %s type vlan proto 802.1ad id 200", lower, outer) ||
	    run_cmd(IP " link add link %s name %s type vlan proto 802.1Q id 100", outer, upper) ||
	    run_cmd(IP " link set dev %s up", outer) || run_cmd(IP " link set dev %s up", upper)) {
		ctl_send(a, "# could not set up QinQ 200/100 on %s", lower);
		return -1;
	}
	return 0;
}

static void qinq_teardown(const char *lower)
{
	run_cmd(IP " link del dev %s.200", lower);
	run_cmd(ETHTOOL " -K %s rxvlan on", lower);
}

/* The wire's gretap probes: outer 10.11.0.1 -> 10.11.0.2, GRE (TEB), no key. */
static int gretap_setup(struct agent *a, const char *lower, char *upper, size_t len)
{
	snprintf(upper, len, "nrgt0");
	if (run_cmd(IP " addr add 10.11.0.2/24 dev %s", lower) ||
	    run_cmd(IP " link add %s type gretap local 10.11.0.2 remote 10.11.0.1", upper) ||
	    run_cmd(IP " link set dev %s up", upper)) {
		ctl_send(a, "# could not set up gretap on %s", lower);
		return -1;
	}
	return 0;
}

static void gretap_teardown(const char *lower)
{
	run_cmd(IP " link del dev nrgt0");
	run_cmd(IP " addr flush dev %s", lower);
}

static const struct topology topo_vlan = { "vlan", vlan_setup, vlan_teardown };
static const struct topology topo_qinq = { "qinq", qinq_setup, qinq_teardown };
static const struct topology topo_gretap = { "gretap", gretap_setup, gretap_teardown };

/*
 * RSS must have spread the probes (the udp4-flows template comes from 64
 * source addresses) over more than one queue, so metadata and zero-copy are
 * proven on a queue other than 0 too.
 */
static int queues_verdict(struct agent *a, struct meta_fixture *fx, const char *test)
{
	char line[512] = "";
	unsigned int used = 0;

	for (__u32 q = 0; q < NICRIG_MAX_QUEUES; q++) {
		__u64 v = 0;

		bpf_map__lookup_elem(fx->skel->maps.queue_probes, &q, sizeof(q), &v, sizeof(v), 0);
		if (!v)
			continue;
		used++;
		snprintf(line + strlen(line), sizeof(line) - strlen(line), " q%u=%llu", q,
			 (unsigned long long)v);
	}
	ctl_send(a, "# probes per RX queue:%s", line[0] ? line : " none");
	if (used >= 2) {
		ctl_send(a, "reader %s queues pass RSS spread the probes over %u queues", test, used);
		return 0;
	}
	/* The RSS key and indirection table the driver programmed, for the console. */
	run_cmd(ETHTOOL " -x %s", a->ifname);
	ctl_send(a, "reader %s queues fail all probes arrived on %u queue(s); RSS did not spread them", test, used);
	return -1;
}

/*
 * Runs the metadata writer and readers around the exchange with the runner:
 * ready, wait for `sent`, let the guest settle, report.  With zerocopy set,
 * every RX queue of the writer's interface first gets an AF_XDP socket bound
 * in zero-copy mode, so the driver receives into XSK buffers and builds the
 * skb for XDP_PASS in its zero-copy path.  With a topology, the readers sit
 * on the device the topology decapsulates into.
 */
static int meta_test(struct agent *a, const char *name, bool zerocopy,
		     const struct topology *topo, bool spread)
{
	static struct xsk xsks[MAX_XSK];
	char err[256] = "", tc_ifname[IF_NAMESIZE];
	const char *xdp_ifname;
	bool topo_up = false;
	unsigned int nxsk = 0;
	struct meta_fixture fx;
	long sent;
	int rc = -1;

	if (meta_fixture_setup(a, &fx, &xdp_ifname))
		goto out;
	snprintf(tc_ifname, sizeof(tc_ifname), "%s", xdp_ifname);
	if (topo) {
		topo_up = true;
		if (topo->setup(a, xdp_ifname, tc_ifname, sizeof(tc_ifname)))
			goto out;
	}
	if (meta_fixture_attach_readers(a, &fx, tc_ifname))
		goto out;
	if (zerocopy) {
		int n = xsk_open_all(xsks, MAX_XSK, xdp_ifname, XSK_ZEROCOPY, -1, err, sizeof(err));

		if (n < 0) {
			ctl_send(a, "# %s", err);
			goto out;
		}
		nxsk = n;
		ctl_send(a, "# %u AF_XDP sockets bound in zero-copy mode on %s", nxsk, xdp_ifname);
	}
	/* Attaching XDP resets most NICs: wait for the link to come back. */
	if (link_wait_carrier(a->ifname, 20000)) {
		ctl_send(a, "# %s lost carrier after attaching XDP", a->ifname);
		goto out;
	}
	ctl_send(a, "# writer on %s, readers on TC ingress of %s", xdp_ifname, tc_ifname);
	ctl_send(a, "ready %s %s", name, a->ifname);
	sent = ctl_wait_sent(a, name);
	if (sent < 0) {
		ctl_send(a, "end %s error no probes from the runner", name);
		goto close;
	}
	wait_settled(&fx, sent);
	rc = meta_fixture_verdict(a, &fx, name, sent);
	if (spread && queues_verdict(a, &fx, name))
		rc = -1;
	repro_dump(a, name, (const char *const[]){ "counters", "first_bad", NULL });
	ctl_send(a, "end %s %s", name, rc ? "fail" : "pass");
	goto close;
out:
	ctl_send(a, "end %s error setup failed: %s", name, err[0] ? err : "see the lines above");
close:
	xsk_close_all(xsks, nxsk);
	meta_fixture_teardown(&fx, topo_up ? topo : NULL, xdp_ifname);
	return rc;
}

/*
 * Native XDP writes metadata and passes, TC reads it: on the same device,
 * or (a topology) behind the kernel's software VLAN untag, two of them
 * (802.1ad outer, 802.1Q inner), or gretap decapsulation, which resets the
 * MAC header to the inner frame; with META_ZEROCOPY the driver receives in
 * its AF_XDP zero-copy path, with META_SPREAD over several queues.
 */
int test_meta(struct agent *a, const char *name, int arg)
{
	const struct topology *topo = NULL;

	if (arg & META_TOPO_VLAN)
		topo = &topo_vlan;
	else if (arg & META_TOPO_QINQ)
		topo = &topo_qinq;
	else if (arg & META_TOPO_GRETAP)
		topo = &topo_gretap;
	return meta_test(a, name, arg & META_ZEROCOPY, topo, arg & META_SPREAD);
}
