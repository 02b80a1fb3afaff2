// SPDX-License-Identifier: GPL-2.0
/*
 * qemu_tests.c - tests of the emulator underneath the NIC models.
 *
 * tcg_remap_race: one vCPU switches a PCI device's memory decoding on and
 * off while the other reads that device's BAR through a user mapping.  Each
 * switch makes QEMU rebuild the memory map of every CPU; a vCPU whose TLB
 * still holds entries from the old map must not look them up in the new one
 * (nicrig's qemu-device/fixes/0001).  Without that fix QEMU aborts in
 * iotlb_to_section() or the read lands in another device's registers; here
 * every read must return the BAR's register or, while decoding is off, what
 * unassigned space reads as (0 in QEMU, all ones on real PCI).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "agent.h"

#define PCI_DEVICES		"/sys/bus/pci/devices"
#define PCI_COMMAND		4
#define PCI_COMMAND_MEMORY	0x2
#define IORESOURCE_MEM		0x200
#define RACE_SECONDS		6

struct race_target {
	char dev[256];		/* 0000:00:1f.2 */
	int bar;
	unsigned long long size;
};

/* A PCI function no driver holds, with a memory BAR of at least a page. */
static int find_target(struct race_target *t)
{
	struct dirent *de;
	DIR *d = opendir(PCI_DEVICES);

	if (!d)
		return -1;
	while ((de = readdir(d))) {
		char path[512];
		unsigned long long start, end, flags;
		FILE *f;
		int bar = 0;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), PCI_DEVICES "/%s/driver", de->d_name);
		if (access(path, F_OK) == 0)
			continue;
		snprintf(path, sizeof(path), PCI_DEVICES "/%s/resource", de->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		while (bar < 6 && fscanf(f, "%llx %llx %llx", &start, &end, &flags) == 3) {
			if ((flags & IORESOURCE_MEM) && end > start && end - start + 1 >= 4096) {
				snprintf(t->dev, sizeof(t->dev), "%s", de->d_name);
				t->bar = bar;
				t->size = end - start + 1;
				fclose(f);
				closedir(d);
				return 0;
			}
			bar++;
		}
		fclose(f);
	}
	closedir(d);
	return -1;
}

static bool pin_to(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set) == 0;
}

static bool set_command(int cfg, uint16_t cmd)
{
	return pwrite(cfg, &cmd, 2, PCI_COMMAND) == 2;
}

/*
 * The reader, pinned to CPU 1: counts reads and wrong values until killed
 * (counts[3] says whether the pinning worked).
 */
static void reader(volatile uint32_t *reg, uint32_t expect, volatile uint64_t *counts)
{
	counts[3] = pin_to(1);
	for (;;) {
		uint32_t v = *reg;

		counts[0]++;
		if (v != expect && v != 0 && v != 0xffffffff) {
			counts[1]++;
			counts[2] = v;
		}
	}
}

int test_tcg_remap_race(struct agent *a, const char *name, int arg __maybe_unused)
{
	char path[512], err[640] = "";
	struct race_target t;
	volatile uint64_t *counts = MAP_FAILED;
	volatile uint32_t *bar = MAP_FAILED;
	uint16_t cmd = 0;
	uint32_t expect = 0, off;
	unsigned long toggles = 0;
	long long deadline;
	cpu_set_t saved;
	bool pinned = false, cmd_read = false;
	int cfg = -1, res = -1, status, fork_errno = 0, rc = -1;
	pid_t pid = -1;

	if (sysconf(_SC_NPROCESSORS_ONLN) < 2) {
		snprintf(err, sizeof(err), "the race needs two vCPUs");
		goto out;
	}
	if (find_target(&t)) {
		snprintf(err, sizeof(err), "no PCI function without a driver has a memory BAR");
		goto out;
	}
	snprintf(path, sizeof(path), PCI_DEVICES "/%s/config", t.dev);
	cfg = open(path, O_RDWR);
	snprintf(path, sizeof(path), PCI_DEVICES "/%s/resource%d", t.dev, t.bar);
	res = open(path, O_RDWR | O_SYNC);
	if (cfg < 0 || res < 0 || pread(cfg, &cmd, 2, PCI_COMMAND) != 2) {
		snprintf(err, sizeof(err), "cannot open %s's config or BAR %d: %s", t.dev, t.bar,
			 strerror(errno));
		goto out;
	}
	cmd_read = true;
	bar = mmap(NULL, 4096, PROT_READ, MAP_SHARED, res, 0);
	counts = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (bar == MAP_FAILED || counts == MAP_FAILED) {
		snprintf(err, sizeof(err), "cannot map BAR %d of %s: %s", t.bar, t.dev, strerror(errno));
		goto out;
	}
	/* Decoding on: the first register that reads neither 0 nor all ones. */
	if (!set_command(cfg, cmd | PCI_COMMAND_MEMORY)) {
		snprintf(err, sizeof(err), "cannot enable memory decoding of %s: %s", t.dev, strerror(errno));
		goto out;
	}
	for (off = 0; off < 4096; off += 4) {
		expect = bar[off / 4];
		if (expect && expect != 0xffffffff)
			break;
	}
	if (off >= 4096) {
		snprintf(err, sizeof(err), "BAR %d of %s reads only 0 or all ones", t.bar, t.dev);
		goto out;
	}
	if (sched_getaffinity(0, sizeof(saved), &saved) || !pin_to(0)) {
		snprintf(err, sizeof(err), "cannot pin the agent to CPU 0: %s", strerror(errno));
		goto out;
	}
	pinned = true;
	ctl_send(a, "# %s BAR %d (%llu bytes): register 0x%x reads 0x%08x; CPU 0 switches decoding, CPU 1 reads",
		 t.dev, t.bar, t.size, off, expect);
	pid = fork();
	if (pid == 0)
		reader(bar + off / 4, expect, counts);
	if (pid < 0) {
		fork_errno = errno;
		snprintf(err, sizeof(err), "fork: %s", strerror(fork_errno));
		goto out;
	}
	deadline = now_ms() + RACE_SECONDS * 1000;
	while (now_ms() < deadline) {
		if (!set_command(cfg, toggles & 1 ? cmd | PCI_COMMAND_MEMORY : cmd & ~PCI_COMMAND_MEMORY)) {
			snprintf(err, sizeof(err), "switching %s's memory decoding: %s", t.dev, strerror(errno));
			goto out;
		}
		toggles++;
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	pid = -1;
	ctl_send(a, "# %lu decode switches, %llu reads, %llu wrong", toggles,
		 (unsigned long long)counts[0], (unsigned long long)counts[1]);
	if (!counts[3] || toggles < 100 || counts[0] < 100) {
		snprintf(err, sizeof(err), "the race did not run (reader pinned to CPU 1: %s, %lu switches, %llu reads)",
			 counts[3] ? "yes" : "no", toggles, (unsigned long long)counts[0]);
		goto out;
	}
	if (counts[1]) {
		ctl_send(a, "reader %s mmio fail %llu of %llu reads returned neither 0x%08x nor 0 nor all ones (last 0x%08llx): MMIO went to another region",
			 name, (unsigned long long)counts[1], (unsigned long long)counts[0], expect,
			 (unsigned long long)counts[2]);
	} else {
		ctl_send(a, "reader %s mmio pass every read hit %s's register or unassigned space", name, t.dev);
		rc = 0;
	}
	ctl_send(a, "end %s %s", name, rc ? "fail" : "pass");
out:
	if (pid > 0) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
	}
	if (cmd_read && !set_command(cfg, cmd))
		ctl_send(a, "# could not restore %s's PCI command register: %s", t.dev, strerror(errno));
	if (pinned)
		sched_setaffinity(0, sizeof(saved), &saved);
	if (bar != MAP_FAILED)
		munmap((void *)bar, 4096);
	if (counts != MAP_FAILED)
		munmap((void *)counts, 4096);
	if (cfg >= 0)
		close(cfg);
	if (res >= 0)
		close(res);
	if (err[0])
		ctl_send(a, "end %s error %s", name, err);
	return err[0] ? -1 : rc;
}
