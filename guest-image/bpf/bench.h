/* SPDX-License-Identifier: GPL-2.0 */
/* bench.h - what the receive-rate programs share with the agent. */
#ifndef NICRIG_BENCH_H
#define NICRIG_BENCH_H

struct bench_stats {
	__u64 frames;		/* probes seen */
	__u64 first_ns;		/* bpf_ktime_get_ns() of the first probe */
	__u64 last_ns;		/* ... and of the last */
	__u64 redirect_fail;	/* xsk: bpf_redirect_map found no socket */
};

#endif /* NICRIG_BENCH_H */
