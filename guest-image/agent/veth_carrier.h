/* SPDX-License-Identifier: GPL-2.0 */
/*
 * veth_carrier.h - the veth rigs' path into a veth pair: the NIC (the
 * carrier) redirects each probe into VETH_A, so that it arrives on VETH_B
 * through veth's own receive path, from XDP as an xdp_frame (rig veth) or
 * from TC as an skb through veth_xmit (rig veth-skb).  On other rigs the
 * probes arrive on the NIC itself and none of this is set up.
 */
#ifndef NICRIG_VETH_CARRIER_H
#define NICRIG_VETH_CARRIER_H

#include <stdbool.h>

#include <bpf/libbpf.h>

#define VETH_A	"nrveth0"	/* receives the carrier's redirect */
#define VETH_B	"nrveth1"	/* where the probes arrive: runs the test's XDP program */

struct agent;
struct meta_bpf;

struct veth_carrier {
	int nic_ifindex;		/* veth: the XDP redirect is on the NIC */
	struct bpf_tc_hook hook;	/* veth-skb: the TC redirect on the NIC */
	bool hook_created;
	bool pair_created;
};

/* True on a veth rig. */
bool veth_rig(const struct agent *a);
/*
 * On a veth rig creates the pair (VETH_B with the NIC's MAC address) and
 * sets *rx_ifname to VETH_B; elsewhere *rx_ifname is the NIC.  -1 after a
 * message.
 */
int veth_pair_setup(struct agent *a, struct veth_carrier *vc, const char **rx_ifname);
/*
 * What skel's carrier_ifindex must be set to before it is loaded (VETH_A's
 * ifindex; 0 when not on a veth rig).
 */
int veth_carrier_target(void);
/*
 * Once the receiver's program is on VETH_B: the NIC's redirect from skel
 * (meta.bpf.c's xdp_carrier_redirect, or tc_carrier_redirect on veth-skb).
 * A no-op when not on a veth rig.
 */
int veth_carrier_attach(struct agent *a, struct veth_carrier *vc, struct meta_bpf *skel);
void veth_carrier_teardown(struct veth_carrier *vc);

#endif
