/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The QEMU process's command line: machine, firmware, kernel, the console
 * and control chardevs, the NIC and its cable; and the network namespace
 * that gives QEMU's end of the cable a deeper queue.
 */
#ifndef NICRIG_QEMU_H
#define NICRIG_QEMU_H

#include <stdio.h>

#include "rig.h"
#include "runner.h"

/* The guest NIC's MAC address, as QEMU is told it. */
#define GUEST_MAC	"52:54:00:6e:72:01"

struct argv {
	char *v[96];
	int n;
};

void arg(struct argv *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void argv_free(struct argv *a);
void argv_print(FILE *f, const struct argv *a);
/* The QEMU device name of the rig's NIC (a veth rig's carrier). */
const char *nic_device(const struct rig *r);
void qemu_argv(struct argv *a, const struct env *env, const struct rig *r,
	       const char *kernel, const char *initrd, const char *tmp,
	       const char *append, const char *console);
/* The image QEMU is given for kernel: the build's vmlinux for a PVH kernel (qemu.c), into buf. */
const char *boot_image(const char *kernel, char *buf, size_t len);
/*
 * BUILD/NAME for a kernel build's BUILD/arch/x86/boot/bzImage (its
 * vmlinux, its .config) in buf; NULL for any other image.
 */
const char *kernel_build_file(const char *kernel, const char *name, char *buf, size_t len);
/* -L for each firmware directory configure found. */
void qemu_firmware_argv(struct argv *a, const struct env *env);
/*
 * The NIC and its cable: a datagram netdev between TMP/qemu.sock and
 * TMP/wire.sock, or with wire_host a stream netdev connecting to
 * wire_host:wire_port (a remote libvirt host, wire_stream.c).
 */
void qemu_nic_argv(struct argv *a, const struct rig *r, const char *tmp, const char *wire_host,
		   unsigned int wire_port);
/* --trace, repro's device trace (into OUT_DIR/device-trace.log; NULL: QEMU's stderr) and --gdb. */
void qemu_debug_argv(struct argv *a, const struct run_opts *o, const char *out_dir);
/* The kernel command line every boot starts with (run_rig adds the run's). */
void kernel_cmdline(const struct rig *r, char *out, size_t len);
/* In QEMU's child, before exec: a network namespace with a deeper wire queue. */
void deepen_wire_queue(void);

#endif
