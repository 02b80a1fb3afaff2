// SPDX-License-Identifier: GPL-2.0
/* veth_carrier.c - the veth rigs' redirect into a veth pair (see veth_carrier.h). */
#include <errno.h>
#include <net/if.h>
#include <string.h>

#include <bpf/libbpf.h>
#include <linux/if_link.h>

#include "agent.h"
#include "meta.skel.h"
#include "veth_carrier.h"

bool veth_rig(const struct agent *a)
{
	return !strncmp(a->nic, "veth", 4);
}

int veth_pair_setup(struct agent *a, struct veth_carrier *vc, const char **rx_ifname)
{
	memset(vc, 0, sizeof(*vc));
	*rx_ifname = a->ifname;
	if (!veth_rig(a))
		return 0;
	if (run_cmd(IP " link add dev " VETH_A " type veth peer name " VETH_B) ||
	    run_cmd(IP " link set dev " VETH_A " up") ||
	    run_cmd(IP " link set dev " VETH_B " address $(cat /sys/class/net/%s/address)",
		    a->ifname) ||
	    run_cmd(IP " link set dev " VETH_B " up")) {
		ctl_send(a, "# could not create the veth pair");
		return -1;
	}
	vc->pair_created = true;
	*rx_ifname = VETH_B;
	return 0;
}

int veth_carrier_target(void)
{
	return if_nametoindex(VETH_A);
}

int veth_carrier_attach(struct agent *a, struct veth_carrier *vc, struct meta_bpf *skel)
{
	int err;

	if (!veth_rig(a))
		return 0;
	if (!strcmp(a->nic, "veth-skb")) {
		/* TC redirect: the probes enter the pair through veth_xmit, as skbs. */
		struct bpf_tc_opts opts = { .sz = sizeof(opts), .handle = 1, .priority = 1,
			.prog_fd = bpf_program__fd(skel->progs.tc_carrier_redirect) };

		vc->hook = (struct bpf_tc_hook){ .sz = sizeof(vc->hook),
			.ifindex = if_nametoindex(a->ifname), .attach_point = BPF_TC_INGRESS };
		err = bpf_tc_hook_create(&vc->hook);
		if (err && err != -EEXIST) {
			ctl_send(a, "# creating clsact on %s failed: %s", a->ifname, strerror(-err));
			return -1;
		}
		vc->hook_created = true;
		err = bpf_tc_attach(&vc->hook, &opts);
		if (err) {
			ctl_send(a, "# attaching the carrier's TC redirect failed: %s", strerror(-err));
			return -1;
		}
		return 0;
	}
	vc->nic_ifindex = if_nametoindex(a->ifname);
	err = bpf_xdp_attach(vc->nic_ifindex, bpf_program__fd(skel->progs.xdp_carrier_redirect),
			     XDP_FLAGS_DRV_MODE, NULL);
	if (err) {
		ctl_send(a, "# attaching the carrier redirect in native mode to %s failed: %s",
			 a->ifname, strerror(-err));
		vc->nic_ifindex = 0;
		return -1;
	}
	return 0;
}

void veth_carrier_teardown(struct veth_carrier *vc)
{
	if (vc->hook_created)
		bpf_tc_hook_destroy(&vc->hook);
	if (vc->nic_ifindex)
		bpf_xdp_detach(vc->nic_ifindex, XDP_FLAGS_DRV_MODE, NULL);
	if (vc->pair_created)
		run_cmd(IP " link del dev " VETH_A);
	memset(vc, 0, sizeof(*vc));
}
