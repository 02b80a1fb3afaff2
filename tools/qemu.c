// SPDX-License-Identifier: GPL-2.0
/*
 * The QEMU process's command line and the network namespace it runs in.
 * runner.c spawns, watches and kills the process; this file only says
 * what it is started with.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "qemu.h"

/* ---- QEMU command line --------------------------------------------------- */

void arg(struct argv *a, const char *fmt, ...)
{
	va_list ap;
	char *s;

	if (a->n >= (int)(sizeof(a->v) / sizeof(a->v[0])) - 1)
		return;
	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	if (s)
		a->v[a->n++] = s;
	a->v[a->n] = NULL;
}

void argv_free(struct argv *a)
{
	for (int i = 0; i < a->n; i++)
		free(a->v[i]);
	a->n = 0;
}

const char *nic_device(const struct rig *r)
{
	int nic = r->nic == NIC_VETH || r->nic == NIC_VETH_SKB ? r->carrier : r->nic;

	return nic == NIC_IXGBE ? "ixgbe" : nic == NIC_IGC ? "igc" : "igb";
}

/* A path as a QEMU option value: every comma doubled. */
static const char *qemu_opt_path(const char *path, char *buf, size_t len)
{
	size_t o = 0;

	for (; *path && o + 2 < len; path++) {
		buf[o++] = *path;
		if (*path == ',')
			buf[o++] = ',';
	}
	buf[o] = '\0';
	return buf;
}

/*
 * The image QEMU boots.  For a kernel build's bzImage
 * (BUILD/arch/x86/boot/bzImage), the build's vmlinux when that kernel has
 * the PVH entry point (CONFIG_PVH, kernel-patches/base.config): QEMU then
 * loads the ELF's segments itself and the guest starts at the 32-bit PVH entry, with no real-mode setup and no
 * decompression of the kernel, work a TCG vCPU emulates instruction by
 * instruction.  (kbuild links the bzImage from that vmlinux, so the two
 * are one kernel.)  Anything else is booted as given.
 */
const char *kernel_build_file(const char *kernel, const char *name, char *buf, size_t len)
{
	static const char suffix[] = "/arch/x86/boot/bzImage";
	size_t n = strlen(kernel), blen;

	if (n < sizeof(suffix) || strcmp(kernel + n - (sizeof(suffix) - 1), suffix))
		return NULL;
	blen = n - (sizeof(suffix) - 1);
	if (snprintf(buf, len, "%.*s/%s", (int)blen, kernel, name) >= (int)len)
		return NULL;
	return buf;
}

const char *boot_image(const char *kernel, char *buf, size_t len)
{
	char line[128];
	bool pvh = false;
	FILE *f;

	if (!kernel_build_file(kernel, ".config", buf, len))
		return kernel;
	f = fopen(buf, "r");
	if (!f)
		return kernel;
	while (!pvh && fgets(line, sizeof(line), f))
		pvh = !strcmp(line, "CONFIG_PVH=y\n");
	fclose(f);
	if (!pvh || !kernel_build_file(kernel, "vmlinux", buf, len) || access(buf, R_OK))
		return kernel;
	return buf;
}

/*
 * console: the file QEMU writes the guest's serial console into, or NULL
 * for console on stdio and no agent channel (nicrig boot).  A file, not a
 * socket: a socket to a runner the host has not scheduled for a few
 * milliseconds is full after a few hundred one-byte writes, and then the
 * UART stalls; the kernel's console write waits only 10 ms per character
 * for THRE before writing over it, and QEMU's 16550 gives up on a byte after
 * a few retries (6-9 characters went missing in 5 of 12 boots of a matrix
 * run).  A file write never waits for the runner.  The NIC's cable is the
 * same datagram socket pair either way.
 */
void qemu_argv(struct argv *a, const struct env *env, const struct rig *r,
		      const char *kernel, const char *initrd, const char *tmp,
		      const char *append, const char *console)
{
	char opt[1100], image[600];

	arg(a, "%s", env->qemu);
	arg(a, "-M");
	arg(a, "q35");
	arg(a, "-accel");
	arg(a, "%s", env->accel);
	arg(a, "-cpu");
	arg(a, "%s", strcmp(env->accel, "kvm") ? "max" : "host");
	arg(a, "-smp");
	arg(a, "%u", r->cpus);
	arg(a, "-m");
	arg(a, "%u", r->memory_mb);
	arg(a, "-nodefaults");
	arg(a, "-no-user-config");
	arg(a, "-display");
	arg(a, "none");
	arg(a, "-no-reboot");
	qemu_firmware_argv(a, env);
	arg(a, "-kernel");
	arg(a, "%s", boot_image(kernel, image, sizeof(image)));
	arg(a, "-initrd");
	arg(a, "%s", initrd);
	arg(a, "-append");
	arg(a, "%s", append);
	if (console) {
		arg(a, "-chardev");
		arg(a, "file,id=console,path=%s", qemu_opt_path(console, opt, sizeof(opt)));
		arg(a, "-serial");
		arg(a, "chardev:console");
		arg(a, "-chardev");
		arg(a, "socket,id=control,path=%s/control.sock", tmp);
		arg(a, "-serial");
		arg(a, "chardev:control");
		/* the monitor, for faults on the cable (set_link): connected only when used */
		arg(a, "-qmp");
		arg(a, "unix:%s/qmp.sock,server=on,wait=off", tmp);
	} else {
		arg(a, "-serial");
		arg(a, "mon:stdio");
	}
	qemu_nic_argv(a, r, tmp, NULL, 0);
}

void qemu_firmware_argv(struct argv *a, const struct env *env)
{
	char fw[1024], *save, *d;

	snprintf(fw, sizeof(fw), "%s", env->firmware);
	for (d = strtok_r(fw, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
		arg(a, "-L");
		arg(a, "%s", d);
	}
}

void qemu_nic_argv(struct argv *a, const struct rig *r, const char *tmp, const char *wire_host,
		   unsigned int wire_port)
{
	arg(a, "-netdev");
	if (wire_host)
		arg(a, "stream,id=wire,server=off,addr.type=inet,addr.host=%s,addr.port=%u",
		    wire_host, wire_port);
	else
		arg(a, "dgram,id=wire,local.type=unix,local.path=%s/qemu.sock,"
		    "remote.type=unix,remote.path=%s/wire.sock", tmp, tmp);
	arg(a, "-device");
	arg(a, "%s,netdev=wire,mac=%s,romfile=%s", nic_device(r), GUEST_MAC,
	    r->wire_fcs ? ",fcs-on-wire=on" : "");
}

void qemu_debug_argv(struct argv *a, const struct run_opts *o, const char *out_dir)
{
	if (o->repro || o->trace) {
		/* The device model's trace events, through QEMU's log backend. */
		arg(a, "-trace");
		if (o->trace) {
			char pats[TRACE_PATTERNS_MAX + 1], *save;

			snprintf(pats, sizeof(pats), "%s", o->trace);
			for (char *p = strtok_r(pats, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
				if (p != pats)
					arg(a, "-trace");
				arg(a, "enable=%s", p);
			}
		} else {
			arg(a, "enable=%s_*", nic_device(o->rig));
		}
		if (out_dir) {
			arg(a, "-D");
			arg(a, "%s/device-trace.log", out_dir);
		}
	}
	if (o->gdb_port) {
		arg(a, "-gdb");
		arg(a, "tcp:127.0.0.1:%u", o->gdb_port);
	}
}

void argv_print(FILE *f, const struct argv *a)
{
	for (int i = 0; i < a->n; i++) {
		const char *s = a->v[i];
		bool quote = strpbrk(s, " \t\"'$") != NULL;

		fprintf(f, "%s%s%s%s", i ? " " : "", quote ? "'" : "", s, quote ? "'" : "");
	}
	fputc('\n', f);
}

/*
 * QEMU's end of the cable is a datagram socket whose receive queue holds
 * net.unix.max_dgram_qlen frames, 10 by default: the wire can run only that
 * far ahead of QEMU's main loop, which then reads one frame per wakeup.  In
 * a network namespace of its own (the cable and the chardevs are path
 * sockets, which work across namespaces) QEMU's socket gets a deeper queue
 * without touching the host's setting.  Needs CAP_SYS_ADMIN; without it the
 * host's default stays.  Not with --gdb, whose stub listens on the host's
 * loopback.  Runs in QEMU's child; says in qemu.log what it did.
 */
#define WIRE_QUEUE_FRAMES	512

void deepen_wire_queue(void)
{
	char num[16];
	int fd, n;

	if (unshare(CLONE_NEWNET)) {
		dprintf(2, "nicrig: wire queue: the host's net.unix.max_dgram_qlen (no network namespace: %s)\n",
			strerror(errno));
		return;
	}
	n = snprintf(num, sizeof(num), "%d", WIRE_QUEUE_FRAMES);
	fd = open("/proc/sys/net/unix/max_dgram_qlen", O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, num, n) != n)
		dprintf(2, "nicrig: wire queue: default depth (max_dgram_qlen: %s)\n", strerror(errno));
	else
		dprintf(2, "nicrig: wire queue: %d frames (QEMU in a network namespace of its own)\n",
			WIRE_QUEUE_FRAMES);
	if (fd >= 0)
		close(fd);
}

/*
 * The kernel command line every boot starts with: the console, no reboot
 * loop, the NIC the agent looks for.  no_timer_check: a slow TCG vCPU on a
 * busy host fails the IO-APIC timer check.
 */
void kernel_cmdline(const struct rig *r, char *out, size_t len)
{
	snprintf(out, len, "console=ttyS0,115200 panic=-1 no_timer_check nicrig.nic=%s nicrig.ifname=eth0",
		 nic_names[r->nic]);
}
