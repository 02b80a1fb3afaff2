/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rig.h - rigs: what to boot (NIC model, CPUs, memory, kernel variant,
 * accelerator, default tests).  Test definitions are testdef.h, the
 * expectation matrix expect.h.
 */
#ifndef NICRIG_RIG_H
#define NICRIG_RIG_H

#include <stdbool.h>
#include <stddef.h>

/*
 * veth: frames enter the pair as xdp_frames (the carrier NIC's XDP redirect),
 * so veth builds the skb with xdp_build_skb_from_frame; veth-skb: they enter
 * as skbs (a TC redirect on the carrier), so veth runs XDP on the skb
 * (veth_xdp_rcv_skb), the path the series' veth patch fixes.
 */
enum nic_model { NIC_IGB, NIC_IXGBE, NIC_VETH, NIC_VETH_SKB, NIC_IGC };
enum accel { ACCEL_AUTO, ACCEL_KVM, ACCEL_TCG };

extern const char *const nic_names[];
extern const char *const accel_names[];

struct rig {
	char name[64];		/* file name without .rig */
	char path[512];
	int nic;		/* enum nic_model */
	int carrier;		/* veth rig: the NIC frames enter through */
	unsigned int cpus;
	unsigned int memory_mb;
	unsigned int queues;
	char kernel[64];	/* kernel variant */
	int accel;		/* enum accel */
	unsigned int boot_timeout;	/* seconds until the agent says hello */
	int wire_fcs;		/* 1: frames to the NIC carry their FCS (its fcs-on-wire) */
	char tests[512];	/* comma-separated default tests */
	char description[256];
};

/* Loads a rig by path or by name (looked up as rigs/NAME.rig under top). */
int rig_load(struct rig *r, const char *top, const char *name_or_path,
	     char *err, size_t errlen);

#endif /* NICRIG_RIG_H */
