/* SPDX-License-Identifier: GPL-2.0 */
/*
 * agent.h - the guest test agent's view of a test case.
 *
 * The agent talks to the host runner over the control channel (a serial port
 * of its own, never the console).  The protocol is line based:
 *
 *   agent -> runner   hello <kernel-release>
 *                     ready <test> <ifname>        frames may be sent now
 *                     txready <test> <ifname>      the guest will transmit probes
 *                     echoready <test> <ifname>    send probes, and count those
 *                                                  that come back
 *                     tcpready <test> <port>       connect to the guest's TCP echo
 *                                                  server and check the echo
 *                     tx <test> <count>            the guest sent count probes
 *                                                  (bytes, for TCP): report
 *                     seen <test> <offset> <hex>   a FAULT= test: which probes its
 *                                                  consumer got intact (4 a digit,
 *                                                  bit b of digit i: offset + 4i + b)
 *                     consumed <test> key=n ...    its frames by class, dup, ooo...
 *                     counters <test> key=n ...    the NIC's counters' deltas
 *                     carrier <test> 0|1           the carrier changed, at once
 *                     reader <test> <reader> pass|fail <reason>
 *                     # <diagnostic>
 *                     end <test> pass|fail|error <reason>
 *                     error <reason>                the agent cannot go on
 *                     done
 *   runner -> agent   sent <test> <count>           the wire has sent count probes
 *                                                  (TCP: will send count bytes)
 *                     txgo <test>                   the wire counts from now
 *                     run <test> <reader>           a WIRE=reflect test: report this
 *                                                  reader (one line each, before:)
 *                     reflecting <test> <n>         the cable loops every frame the
 *                                                  NIC sends back into it; n readers
 *                     rxcount <test> <count>        intact probes (TCP: bytes, in
 *                                                  order) the wire got back
 *                     abort <test>                  give up on this test
 *
 * A test case sets up its programs, says ready, waits for `sent`, checks what
 * its BPF programs saw, reports one `reader` line per metadata reader, and
 * tears down whatever it created.
 */
#ifndef NICRIG_AGENT_H
#define NICRIG_AGENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct agent {
	int ctl_fd;		/* control channel */
	const char *nic;	/* rig NIC model: igb, ixgbe, veth */
	const char *ifname;	/* the NIC the wire is attached to */
	unsigned int break_check;	/* nonzero: --break-check, a deliberately broken check */
	bool verbose;
	bool repro;		/* dump the test's BPF state to the console */
	unsigned int sent_timeout_ms;
	unsigned int queues;	/* combined channels the rig asked for (0: left alone) */
};

struct test_case {
	const char *name;
	int (*run)(struct agent *a, const char *name, int arg);
	int arg;	/* tells a test registered under several names which one ran */
};
/*
 * Every test, by name, NULL-terminated: generated from tests/cases/NAME.test
 * (AGENT=, AGENT_ARG=) by scripts/gen-test-table.sh, so a test is defined
 * once; the build fails on a function or constant a definition names that
 * does not exist here, and on a test function no definition names.
 */
extern const struct test_case agent_tests[];
#define __maybe_unused	__attribute__((unused))	/* the tests that ignore arg */

/* Control channel. */
void ctl_send(struct agent *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Waits for "sent <test> <count>"; returns count, or -1 after a message. */
long ctl_wait_sent(struct agent *a, const char *test);
/* Waits for "WORD TEST [N]": N (0 if absent), -1 aborted, -2 timed out. */
long ctl_wait_word(struct agent *a, const char *word, const char *test, unsigned int timeout_ms);
/*
 * Waits for "WORD TEST ARG..." with WORD one of words (NULL-terminated):
 * its index, with ARG... in arg[len]; -1 aborted, -2 timed out.
 */
int ctl_wait_line(struct agent *a, const char *const *words, const char *test, char *arg,
		  size_t len, unsigned int timeout_ms);
/* ethtool -L IF combined n (a no-op when already n); -1 after a message. */
int set_channels(struct agent *a, unsigned int n);
/* The same with a short timeout: -2 if nothing came, without a message. */
long ctl_wait_sent_ms(struct agent *a, const char *test, unsigned int timeout_ms);

/*
 * The guest's real iproute2 and ethtool, by path: busybox's shell prefers its
 * own applets, and busybox ip knows neither gretap nor 802.1ad.
 */
#define IP	"/sbin/ip"
#define ETHTOOL	"/usr/sbin/ethtool"
#define BPFTOOL	"/usr/sbin/bpftool"

/* Milliseconds on the monotonic clock. */
long long now_ms(void);

/* Links and the guest's own tools. */
int run_cmd(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* SIOCETHTOOL on ifname with cmd (a struct ethtool_*); -1 with errno set on failure. */
int ethtool_ioctl(const char *ifname, void *cmd);
int link_wait_carrier(const char *ifname, unsigned int timeout_ms);
/* ifname's MAC address (/sys/class/net/IF/address); -1 if unreadable. */
int if_mac(const char *ifname, uint8_t mac[6]);
/* SIOCSHWTSTAMP: the NIC timestamps what it sends (tx) and every frame it receives (rx). */
int hw_timestamping(const char *ifname, bool tx, bool rx);
/*
 * The NIC's PTP clock (/dev/ptpN of /sys/class/net/IF/device/ptp, opened
 * read-write so that it can be set), or -1; its time in ns.
 */
int open_phc(const char *ifname);
long long phc_ns(int fd);
/*
 * The `ethtool -S` statistics names[0..n-1] of ifname into values (-1: the
 * driver has none such); -1 if ethtool failed.
 */
int ethtool_stats(struct agent *a, const char *ifname, const char *const *names, long long *values,
		  unsigned int n);
/* Runs cmd through the shell, each line it prints to fn; pclose's status, or -1. */
int run_cmd_lines(struct agent *a, const char *cmd,
		  void (*fn)(struct agent *a, char *line, void *ctx), void *ctx);
/* nicrig repro: bpftool's view of the loaded programs and these maps. */
void repro_dump(struct agent *a, const char *test, const char *const *maps);

/* A UDP payload of len bytes is a whole probe as the wire builds it (meta.h). */
bool probe_payload_intact(const uint8_t *p, size_t len);

struct bpf_map;
/* Folds every CPU's value at key 0 of a per-CPU array into acc (none if the lookup fails). */
void percpu_map_fold(const struct bpf_map *map, void (*fold)(void *acc, const void *value),
		     void *acc);
/*
 * While the wire sends: calls count(ctx) (take in what arrived, return how many
 * probes have so far) every step_ms, waiting that long for `sent` meanwhile, until
 * all sent probes came or the count stood still for idle_ms.  Returns sent; -1 if
 * the runner aborted, -2 if no `sent` within the agent's timeout (after a message).
 */
long drain_until_sent(struct agent *a, const char *test, unsigned long (*count)(void *ctx),
		      void *ctx, unsigned int step_ms, unsigned int idle_ms);

/*
 * test_meta's arg, flags: bind AF_XDP zero-copy sockets on every queue;
 * also check that RSS spread the probes (reader `queues`); read the
 * metadata behind one decapsulation (at most one META_TOPO_*).
 */
enum {
	META_ZEROCOPY = 1 << 0,
	META_SPREAD = 1 << 1,
	META_TOPO_VLAN = 1 << 2,
	META_TOPO_QINQ = 1 << 3,
	META_TOPO_GRETAP = 1 << 4,
};
int test_meta(struct agent *a, const char *name, int arg);
int test_ethtool_selftest(struct agent *a, const char *name, int arg);
int test_tcg_remap_race(struct agent *a, const char *name, int arg);
int test_bench_xdp_drop(struct agent *a, const char *name, int arg);
int test_xsk_copy_rx(struct agent *a, const char *name, int arg);
int test_xsk_zc_rx(struct agent *a, const char *name, int arg);
int test_xsk_zc_rx_wakeup(struct agent *a, const char *name, int arg);
int test_xsk_zc_tx(struct agent *a, const char *name, int arg);
int test_xsk_tx_launch_time(struct agent *a, const char *name, int arg);
int test_bench_xsk_zc(struct agent *a, const char *name, int arg);
int test_udp_echo(struct agent *a, const char *name, int arg);
int test_tcp_echo(struct agent *a, const char *name, int arg);
int test_xdp_tx(struct agent *a, const char *name, int arg);
int test_rx_oversize_drop(struct agent *a, const char *name, int arg);
/* test_mtu_change's arg: MTU_XDP, an XDP program (XDP_PASS) is attached throughout. */
enum { MTU_XDP = 1 << 0 };
int test_mtu_change(struct agent *a, const char *name, int arg);
/*
 * test_fault_rx's arg, flags: AF_XDP zero-copy (else copy mode); the
 * consumer stops for 2 s at the first probe, with 64 receive frames a
 * socket (the NIC's ring overruns); the XDP program is swapped for its twin
 * every 50 probes received, 6 times; the sockets are closed and bound again
 * at 100 probes received and 50 after that.
 */
enum {
	FAULT_RX_ZEROCOPY = 1 << 0,
	FAULT_RX_STALL = 1 << 1,
	FAULT_RX_SWAP = 1 << 2,
	FAULT_RX_REBIND = 1 << 3,
};
int test_fault_rx(struct agent *a, const char *name, int arg);
int test_xdp_rx_metadata(struct agent *a, const char *name, int arg);
/* test_bpf_selftests' arg: the set of test_progs tests it runs. */
enum { BPF_SELFTESTS_SERIES, BPF_SELFTESTS_XDP_CONTEXT };
int test_bpf_selftests(struct agent *a, const char *name, int arg);
int test_xskxceiver(struct agent *a, const char *name, int arg);

#endif /* NICRIG_AGENT_H */
