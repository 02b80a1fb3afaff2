// SPDX-License-Identifier: GPL-2.0
/*
 * kvm-probe.c - can this host's /dev/kvm run an ordinary x86 guest?
 *
 * Opening /dev/kvm and creating a VM is not enough: some hosts (nested or
 * sandboxed ones, e.g. a PVM-style kvm module) accept every ioctl and then
 * never run a normal guest.  So the probe runs one: a few real-mode
 * instructions that enter 32-bit protected mode, then 64-bit long mode with
 * identity paging, and write a value to an I/O port from there.  Only if that
 * value arrives, within a second or two, is KVM usable.
 *
 * Exit status: 0 usable, 1 not usable (reason on stdout), 2 probe error.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#define MEM_SIZE	0x10000
#define CODE_ADDR	0x1000
#define PML4_ADDR	0x2000
#define PDPT_ADDR	0x3000
#define PD_ADDR		0x4000
#define GDT_ADDR	0x5000
#define PROBE_PORT	0x10
#define PROBE_VALUE	0x4b

static void on_alarm(int sig)
{
	(void)sig;
}

static int fail(const char *what)
{
	printf("%s: %s\n", what, strerror(errno));
	return 1;
}

/*
 * Real mode at 0x1000: load GDT, set CR4.PAE, CR3, EFER.LME, CR0.PE|PG, far
 * jump into a 64-bit code segment, then `mov al, 0x4b; out 0x10, al; hlt`.
 */
static const uint8_t code[] = {
	0x0f, 0x01, 0x16, 0x00, 0x50,		/* lgdt [0x5000] */
	0x66, 0xb8, 0x20, 0x00, 0x00, 0x00,	/* mov eax, 0x20 (PAE) */
	0x0f, 0x22, 0xe0,			/* mov cr4, eax */
	0x66, 0xb8, 0x00, 0x20, 0x00, 0x00,	/* mov eax, PML4_ADDR */
	0x0f, 0x22, 0xd8,			/* mov cr3, eax */
	0x66, 0xb9, 0x80, 0x00, 0x00, 0xc0,	/* mov ecx, 0xc0000080 (EFER) */
	0x0f, 0x32,				/* rdmsr */
	0x66, 0x0d, 0x00, 0x01, 0x00, 0x00,	/* or eax, 0x100 (LME) */
	0x0f, 0x30,				/* wrmsr */
	0x0f, 0x20, 0xc0,			/* mov eax, cr0 */
	0x66, 0x0d, 0x01, 0x00, 0x00, 0x80,	/* or eax, 0x80000001 (PG|PE) */
	0x0f, 0x22, 0xc0,			/* mov cr0, eax */
	0x66, 0xea, 0x40, 0x10, 0x00, 0x00, 0x08, 0x00, /* jmp far 0x08:0x1040 */
};

static const uint8_t code64[] = {
	0xb0, PROBE_VALUE,			/* mov al, PROBE_VALUE */
	0xe6, PROBE_PORT,			/* out PROBE_PORT, al */
	0xf4,					/* hlt */
};

int main(void)
{
	struct kvm_userspace_memory_region region;
	struct kvm_run *run;
	struct kvm_sregs sregs;
	struct kvm_regs regs;
	uint8_t *mem;
	uint64_t *pt;
	int kvm, vm, vcpu, run_size;

	kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (kvm < 0)
		return fail("open /dev/kvm");
	if (ioctl(kvm, KVM_GET_API_VERSION, 0) != KVM_API_VERSION) {
		printf("unexpected KVM API version\n");
		return 1;
	}
	vm = ioctl(kvm, KVM_CREATE_VM, 0);
	if (vm < 0)
		return fail("KVM_CREATE_VM");
	mem = mmap(NULL, MEM_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		return 2;
	memcpy(mem + CODE_ADDR, code, sizeof(code));
	memcpy(mem + CODE_ADDR + 0x40, code64, sizeof(code64));
	/* GDT pointer at 0x5000 (limit, base), descriptors at 0x5010. */
	*(uint16_t *)(mem + GDT_ADDR) = 3 * 8 - 1;
	*(uint32_t *)(mem + GDT_ADDR + 2) = GDT_ADDR + 0x10;
	*(uint64_t *)(mem + GDT_ADDR + 0x18) = 0x00209a0000000000ULL; /* 64-bit code */
	*(uint64_t *)(mem + GDT_ADDR + 0x20) = 0x0000920000000000ULL; /* data */
	/* Identity map the first 2 MiB with one large page. */
	pt = (uint64_t *)(mem + PML4_ADDR);
	pt[0] = PDPT_ADDR | 3;
	pt = (uint64_t *)(mem + PDPT_ADDR);
	pt[0] = PD_ADDR | 3;
	pt = (uint64_t *)(mem + PD_ADDR);
	pt[0] = 0x83;

	region = (struct kvm_userspace_memory_region){
		.slot = 0, .guest_phys_addr = 0, .memory_size = MEM_SIZE,
		.userspace_addr = (uintptr_t)mem,
	};
	if (ioctl(vm, KVM_SET_USER_MEMORY_REGION, &region) < 0)
		return fail("KVM_SET_USER_MEMORY_REGION");
	vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);
	if (vcpu < 0)
		return fail("KVM_CREATE_VCPU");
	run_size = ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	run = mmap(NULL, run_size, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0);
	if (run == MAP_FAILED)
		return fail("mmap kvm_run");

	if (ioctl(vcpu, KVM_GET_SREGS, &sregs) < 0)
		return fail("KVM_GET_SREGS");
	sregs.cs.base = 0;
	sregs.cs.selector = 0;
	sregs.ds.base = 0;
	sregs.ds.selector = 0;
	if (ioctl(vcpu, KVM_SET_SREGS, &sregs) < 0)
		return fail("KVM_SET_SREGS");
	memset(&regs, 0, sizeof(regs));
	regs.rip = CODE_ADDR;
	regs.rflags = 2;
	if (ioctl(vcpu, KVM_SET_REGS, &regs) < 0)
		return fail("KVM_SET_REGS");

	/* No SA_RESTART: the alarm must interrupt a KVM_RUN that never returns. */
	sigaction(SIGALRM, &(struct sigaction){ .sa_handler = on_alarm }, NULL);
	alarm(2);
	for (int exits = 0; exits < 100; exits++) {
		if (ioctl(vcpu, KVM_RUN, 0) < 0) {
			if (errno == EINTR) {
				printf("guest did not reach long mode within 2 s\n");
				return 1;
			}
			return fail("KVM_RUN");
		}
		if (run->exit_reason == KVM_EXIT_IO && run->io.port == PROBE_PORT &&
		    run->io.direction == KVM_EXIT_IO_OUT &&
		    *((uint8_t *)run + run->io.data_offset) == PROBE_VALUE)
			return 0;
		if (run->exit_reason != KVM_EXIT_IO) {
			printf("guest stopped with KVM exit reason %u before reaching long mode\n",
			       run->exit_reason);
			return 1;
		}
	}
	printf("guest never reached long mode\n");
	return 1;
}
