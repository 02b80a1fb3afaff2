// SPDX-License-Identifier: GPL-2.0
/* rig.c - rigs, rigs/NAME.rig (see rig.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "kv.h"
#include "rig.h"
#include "util.h"

const char *const nic_names[] = { "igb", "ixgbe", "veth", "veth-skb", "igc", NULL };
const char *const accel_names[] = { "auto", "kvm", "tcg", NULL };
static const char *const carrier_names[] = { "igb", "ixgbe", NULL };
static const char *const no_yes[] = { "no", "yes", NULL };

#define F_STR(k, field, d) { k, KV_STRING, offsetof(struct rig, field), \
			     sizeof(((struct rig *)0)->field), 0, 0, NULL, d }
#define F_UINT(k, field, lo, hi, d) { k, KV_UINT, offsetof(struct rig, field), 0, lo, hi, NULL, d }
#define F_ENUM(k, field, ch, d) { k, KV_ENUM, offsetof(struct rig, field), 0, 0, 0, ch, d }

static const struct kv_field rig_fields[] = {
	F_STR("DESCRIPTION", description, ""),
	F_ENUM("NIC", nic, nic_names, NULL),
	F_ENUM("CARRIER", carrier, carrier_names, "igb"),
	F_UINT("CPUS", cpus, 1, 64, "2"),
	F_UINT("MEMORY", memory_mb, 256, 65536, "1024"),
	F_UINT("QUEUES", queues, 1, 64, "2"),
	F_STR("KERNEL", kernel, "baseline"),
	F_ENUM("ACCEL", accel, accel_names, "auto"),
	F_UINT("BOOT_TIMEOUT", boot_timeout, 5, 3600, "180"),
	F_ENUM("WIRE_FCS", wire_fcs, no_yes, "no"),
	F_STR("TESTS", tests, "xdp_pass_meta"),
};

int rig_load(struct rig *r, const char *top, const char *name_or_path, char *err, size_t errlen)
{
	struct kv_file f;
	const char *base;
	size_t len;
	int rc;

	memset(r, 0, sizeof(*r));
	if (strchr(name_or_path, '/') || strstr(name_or_path, ".rig")) {
		snprintf(r->path, sizeof(r->path), "%s", name_or_path);
	} else {
		if (!valid_name(name_or_path))
			return set_error(err, errlen, "'%s' is not a rig name", name_or_path);
		snprintf(r->path, sizeof(r->path), "%s/rigs/%s.rig", top, name_or_path);
		if (access(r->path, R_OK))
			return set_error(err, errlen, "no rig named '%s' (%s: %s); rigs live in %s/rigs/",
					 name_or_path, r->path, strerror(errno), top);
	}
	base = strrchr(r->path, '/');
	base = base ? base + 1 : r->path;
	len = strcspn(base, ".");
	if (len >= sizeof(r->name))
		len = sizeof(r->name) - 1;
	memcpy(r->name, base, len);

	if (kv_load(&f, r->path, err, errlen))
		return -1;
	rc = kv_apply(&f, rig_fields, sizeof(rig_fields) / sizeof(rig_fields[0]), r, err, errlen);
	if (!rc && !valid_name(r->kernel))
		rc = set_error(err, errlen, "%s:%d: KERNEL: '%s' is not a variant name", r->path,
			       kv_find(&f, "KERNEL") ? kv_find(&f, "KERNEL")->line : 0, r->kernel);
	/* nicrig's models, and QEMU's igb with qemu-device/fixes/0004 */
	if (!rc && r->wire_fcs && r->nic != NIC_IXGBE && r->nic != NIC_IGC && r->nic != NIC_IGB)
		rc = set_error(err, errlen, "%s:%d: WIRE_FCS=yes: NIC %s takes no FCS from its cable (only "
			       "igb, ixgbe and igc do)", r->path,
			       kv_find(&f, "WIRE_FCS") ? kv_find(&f, "WIRE_FCS")->line : 0, nic_names[r->nic]);
	kv_free(&f);
	return rc;
}

