# SPDX-License-Identifier: GPL-2.0
#
# nicrig - one entry point.
#
#   make                 sources, QEMU, kernel (VARIANT), guest image, host tools
#   make run             all of that, then `nicrig test igb` (the default rig)
#   make check           unit tests, qtests, then the expectation matrix
#   make check-series    the kernel builds at every prefix of the series
#   make bench           receive rates (XDP_DROP, AF_XDP zero-copy) on igb and ixgbe
#   make bench-boot      boot to agent hello over BOOTS=10 boots of RIG=igb
#   make fuzz            FUZZ_TIME=60 s of QEMU's generic-fuzz per FUZZ_MODELS=ixgbe
#   make kernel VARIANT=series
#   make own-kernel KSRC=~/src/linux   a tree of your own, with the rig's config
#   make sources | qemu | guest | tools | unit | clean
#
# Large things (sources, QEMU and kernel builds, ccache) live in the cache
# directory chosen by ./configure (default ~/.cache/nicrig); the checkout's
# build/ holds only small products (host tools, the guest image).
# V=1 shows full commands.

TOP := $(CURDIR)
B := $(TOP)/build

ifeq ($(filter clean help,$(MAKECMDGOALS)),)
ifeq ($(wildcard $(B)/config.mk),)
$(error build/config.mk missing: run ./configure (or ./configure --install-deps as root) first)
endif
include $(B)/config.mk
# The C compiler configure found (CC=, build/config.mk), not make's default.
ifeq ($(origin CC),default)
$(error build/config.mk names no compiler (CC=): it predates this Makefile; re-run ./configure with the options you gave it)
endif
endif

VARIANT ?= baseline
RIG ?= igb
# The kernel variants `make check` runs the rigs on (see kernel-patches/variants).
CHECK_VARIANTS ?= baseline core-only series
JOBS ?= 2
C := $(CACHE_DIR)
# KOUT may be given on the command line (nicrig bisect builds into linux-bisect).
KOUT = $(C)/build/linux-$(VARIANT)
# libbpf and bpftool always come from the baseline kernel's tools/ (the series
# does not touch them), and vmlinux.h from the baseline build's BTF.
KBASE := $(C)/build/linux-baseline
BPFT := $(C)/build/bpf-tools
BPFTOOL := $(BPFT)/bpftool/bpftool
LIBBPF_ROOT := $(BPFT)/libbpf/root
LIBBPF_A := $(LIBBPF_ROOT)/usr/lib64/libbpf.a

export NICRIG_CACHE := $(C)
export CCACHE_DIR := $(C)/ccache

ifeq ($(V),1)
Q :=
msg = @true
else
Q := @
msg = @printf '  %-8s %s\n' '$(1)' '$(2)'
MAKEFLAGS += --no-print-directory
endif

.DELETE_ON_ERROR:
.SECONDARY:

# Header dependencies, written by the compiler beside each object (-MMD -MP:
# a removed header is no error); read back at the end of this file.
DEPFLAGS = -MMD -MP
# The goals run one at a time: each large build (QEMU, a kernel) already uses
# JOBS cores, and `kernel` and the guest's need for the baseline vmlinux
# would otherwise run two builds in one kernel worktree under make -j.
.NOTPARALLEL:
.PHONY: all run check check-series bench bench-boot fuzz fuzz-build unit qtest qtest-build sources qemu kernel own-kernel kernels guest tools bpf-tools clean help

all: qemu kernel guest tools

help:
	@sed -n '3,/^$$/p' Makefile | sed 's/^# \{0,1\}//'

# ---- sources -------------------------------------------------------------

# Resolved once per configuration; scripts/fetch-sources.sh is a no-op when
# the cache already has the pinned trees.
$(B)/sources.mk: $(B)/config.mk scripts/fetch-sources.sh scripts/apt-private.sh
	$(call msg,SOURCES,linux qemu meson)
	$(Q)l=$$(scripts/fetch-sources.sh linux "$(KERNEL_SRC)") && \
	  q=$$(scripts/fetch-sources.sh qemu "$(QEMU_SRC)") && \
	  m=$$(scripts/fetch-sources.sh meson) && \
	  printf 'LINUX_TREE=%s\nQEMU_TREE=%s\nMESON_ROOT=%s\n' "$$l" "$$q" "$$m" > $@.tmp && mv $@.tmp $@

ifeq ($(filter clean help,$(MAKECMDGOALS)),)
-include $(B)/sources.mk
endif

sources: $(B)/sources.mk

# ---- QEMU and the kernel: incremental builds in the cache ----------------

QEMU_BUILD := $(QEMU_DIR)/build

qemu: $(B)/sources.mk
	$(Q)NINJA_JOBS=$(JOBS) scripts/build-qemu.sh "$(QEMU_TREE)" "$(QEMU_DIR)"

# The device models' qtests (qemu-device/tests/qtest), run under QEMU's qos-test.
qtest-build: $(B)/sources.mk
	$(Q)NINJA_JOBS=$(JOBS) scripts/build-qemu.sh "$(QEMU_TREE)" "$(QEMU_DIR)" \
	  qemu-system-x86_64 tests/qtest/qos-test

qtest: qtest-build
	$(Q)tests/qtest.sh $(QEMU_BUILD)

# The fuzzing build: clang-14, libFuzzer, ASan + UBSan, target
# qemu-fuzz-x86_64, in a build directory of its own (FUZZ_DIR=: a checkout
# with another qemu-device/ gives its own, as with --qemu-dir).  `make
# fuzz` runs FUZZ_TIME seconds of generic-fuzz-MODEL per model; corpus and
# crash artifacts stay in $(C)/fuzz/MODEL (tests/fuzz.sh).
FUZZ_DIR ?= $(C)/build/qemu-fuzz
FUZZ_TIME ?= 60
FUZZ_MODELS ?= ixgbe

fuzz-build: $(B)/sources.mk
	$(Q)NINJA_JOBS=$(JOBS) scripts/build-qemu.sh --fuzz "$(QEMU_TREE)" "$(FUZZ_DIR)"

fuzz: fuzz-build
	$(Q)tests/fuzz.sh "$(FUZZ_DIR)/build" "$(FUZZ_TIME)" $(FUZZ_MODELS)

kernel: $(B)/sources.mk
	$(Q)JOBS=$(JOBS) scripts/build-kernel.sh "$(LINUX_TREE)" "$(VARIANT)" "$(KOUT)"

# Bisectability: the kernel builds at every prefix of the series, and
# checkpatch --strict is clean on every patch (one shared incremental tree).
check-series: $(B)/sources.mk
	$(Q)JOBS=$(JOBS) scripts/check-series.sh "$(LINUX_TREE)" "$(C)/build/linux-prefix"

# A kernel tree of one's own (say net-next with a driver change), built as it
# is, out of tree, with the rig's config; nicrig test boots it with
# --kernel $(OWN_BUILD) --expect VARIANT.
OWN_BUILD ?= $(C)/build/own-$(notdir $(abspath $(KSRC)))

own-kernel:
	@test -n "$(KSRC)" || { echo "Error: usage: make own-kernel KSRC=/path/to/linux [OWN_BUILD=DIR]" >&2; exit 2; }
	$(Q)JOBS=$(JOBS) scripts/build-kernel.sh --own "$(KSRC)" "$(OWN_BUILD)"
	@echo "  boot it: build/bin/nicrig test $(RIG) --kernel $(OWN_BUILD) --expect series"

kernels: $(B)/sources.mk
	$(Q)for v in $(CHECK_VARIANTS); do \
	  JOBS=$(JOBS) scripts/build-kernel.sh "$(LINUX_TREE)" "$$v" "$(C)/build/linux-$$v" || exit 1; \
	done

# ---- libbpf and bpftool from the pinned kernel tree ----------------------
# bpftool is linked statically and without a disassembler (LLVM/libbfd would
# pull ~60 MB of shared libraries into the guest); `bpftool prog dump xlated`
# still works in the guest.

bpf-tools: $(LIBBPF_A) $(BPFTOOL)

# Built once per cache: the sources are pinned.  After changing the flags
# below, remove $(BPFT) to rebuild.  (Their makes leave an up-to-date product
# untouched, hence the touch: else a newer sources.mk reruns them every time.)
$(LIBBPF_A): $(B)/sources.mk
	$(call msg,LIBBPF,$(LIBBPF_A))
	$(Q)mkdir -p $(BPFT)/libbpf
	$(Q)$(MAKE) -s -C "$(LINUX_TREE)/tools/lib/bpf" OUTPUT=$(BPFT)/libbpf/ \
	  BUILD_STATIC_ONLY=1 DESTDIR=$(LIBBPF_ROOT) prefix=/usr -j$(JOBS) install \
	  >$(BPFT)/libbpf.log 2>&1 || { tail -n 20 $(BPFT)/libbpf.log; exit 1; }
	$(Q)touch $@

$(BPFTOOL): $(B)/sources.mk
	$(call msg,BPFTOOL,$(BPFTOOL))
	$(Q)mkdir -p $(BPFT)/bpftool
	$(Q)$(MAKE) -s -C "$(LINUX_TREE)/tools/bpf/bpftool" OUTPUT=$(BPFT)/bpftool/ \
	  CLANG=$(CLANG) LLVM_STRIP=$(LLVM_STRIP) SKIP_LLVM=1 SKIP_LIBBFD=1 EXTRA_LDFLAGS=-static -j$(JOBS) \
	  >$(BPFT)/bpftool.log 2>&1 || { tail -n 20 $(BPFT)/bpftool.log; exit 1; }
	$(Q)touch $@

# ---- guest image ---------------------------------------------------------

G := $(B)/guest
GUEST_CFLAGS := -O2 -g -Wall -Wextra -D_GNU_SOURCE -I$(G) -Iguest-image/agent -Iguest-image/bpf -I$(LIBBPF_ROOT)/usr/include
AGENT_SRCS := $(wildcard guest-image/agent/*.c)
AGENT_OBJS := $(patsubst guest-image/agent/%.c,$(G)/obj/%.o,$(AGENT_SRCS))
BPF_SRCS := $(wildcard guest-image/bpf/*.bpf.c)
BPF_OBJS := $(patsubst guest-image/bpf/%.bpf.c,$(G)/%.bpf.o,$(BPF_SRCS))
SKELS := $(patsubst guest-image/bpf/%.bpf.c,$(G)/%.skel.h,$(BPF_SRCS))

guest: $(G)/initramfs.cpio.gz

$(G)/vmlinux.h: $(KBASE)/build/vmlinux $(BPFTOOL)
	$(call msg,GEN,$@)
	$(Q)mkdir -p $(G)
	$(Q)$(BPFTOOL) btf dump file $< format c > $@

# The baseline kernel provides vmlinux.h; build it if it is not there yet.
$(KBASE)/build/vmlinux:
	$(Q)$(MAKE) kernel VARIANT=baseline

$(G)/%.bpf.o: guest-image/bpf/%.bpf.c $(wildcard guest-image/bpf/*.h) $(G)/vmlinux.h $(LIBBPF_A)
	$(call msg,CLANG,$@)
	$(Q)$(CLANG) -target bpf -mcpu=v3 -O2 -g -Wall -fms-extensions -Wno-microsoft-anon-tag -D__TARGET_ARCH_x86 -I$(G) -Iguest-image/bpf \
	  -I$(LIBBPF_ROOT)/usr/include -c $< -o $@

$(G)/%.skel.h: $(G)/%.bpf.o
	$(call msg,SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name $(subst -,_,$*)_bpf > $@

# The agent's test table, from the test definitions (a test is defined once,
# in tests/cases/NAME.test); compiled with -Werror, so that a definition
# naming a function or constant the agent lacks, or of the wrong type, fails
# the build at the .test file's line (tests/test-defs-check.sh proves it).
TEST_CASES := $(wildcard tests/cases/*.test)

$(G)/test_table.c: $(TEST_CASES) scripts/gen-test-table.sh guest-image/agent/agent.h
	$(call msg,GEN,$@)
	$(Q)mkdir -p $(G)
	$(Q)scripts/gen-test-table.sh $@ guest-image/agent/agent.h $(TEST_CASES)

$(G)/test_table.o: $(G)/test_table.c
	$(call msg,CC,$@)
	$(Q)$(CC) $(GUEST_CFLAGS) $(DEPFLAGS) -Werror -c $< -o $@

# The skeletons and libbpf's headers exist before any agent file compiles
# (order-only); after that, the .d files say which object needs which.
$(G)/obj/%.o: guest-image/agent/%.c | $(SKELS) $(LIBBPF_A)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(G)/obj
	$(Q)$(CC) $(GUEST_CFLAGS) $(DEPFLAGS) -c $< -o $@

$(G)/nicrig-agent: $(AGENT_OBJS) $(G)/test_table.o $(LIBBPF_A)
	$(call msg,LD,$@)
	$(Q)$(CC) -static -o $@ $(AGENT_OBJS) $(G)/test_table.o $(LIBBPF_A) -lelf -lz -lzstd

# The series' own BPF selftests for the guest (tests bpf_selftests*):
# test_progs with only prog_tests/xdp_context_test_run.c, and the AF_XDP
# suite's xskxceiver (test xskxceiver), built from the
# pristine tools/ plus the series' changes to it (never from a kernel
# worktree, so building the guest neither waits for nor disturbs a kernel
# build, and needs only the tools/ parts of the series to apply), against
# the baseline BTF, which the guest's other BPF programs use too.  The
# script is incremental; make runs it when its inputs change.
# (SELFTESTS may name a directory of one's own, e.g. in build/config.mk, so
# that a checkout changing build-selftests.sh does not rebuild the shared one.)
SELFTESTS ?= $(C)/build/selftests-series
TEST_PROGS := $(SELFTESTS)/test_progs
XSKXCEIVER := $(SELFTESTS)/xskxceiver
SERIES_PATCHES := $(wildcard kernel-patches/series/*.patch)

$(TEST_PROGS) $(XSKXCEIVER) &: $(KBASE)/build/vmlinux $(LIBBPF_A) $(BPFTOOL) $(SERIES_PATCHES) kernel-patches/variants \
		scripts/build-selftests.sh scripts/kernel-variant.sh guest-image/selftests/session_key.c
	$(Q)CLANG=$(CLANG) V=$(V) scripts/build-selftests.sh "$(LINUX_TREE)" series \
	  "$(KBASE)/build" "$(BPFT)" "$(SELFTESTS)"
	$(Q)touch $(TEST_PROGS) $(XSKXCEIVER)

$(G)/initramfs.cpio.gz: $(G)/nicrig-agent guest-image/init guest-image/mkinitramfs.sh $(BPFTOOL) $(TEST_PROGS) $(XSKXCEIVER)
	$(call msg,CPIO,$@)
	$(Q)guest-image/mkinitramfs.sh $@ $(G)/nicrig-agent $(BPFTOOL) $(TEST_PROGS) $(XSKXCEIVER)

# ---- host tools ----------------------------------------------------------

HOST_CFLAGS := -O2 -g -Wall -Wextra -D_GNU_SOURCE -Iguest-image/bpf -Itools
RUNNER_OBJS := $(addprefix $(B)/obj/,cli.o kv.o rig.o testdef.o expect.o wire.o tcp.o qemu.o proc.o console.o control.o pump.o verdict.o runner.o report.o matrix.o bisect.o)

tools: $(B)/bin/nicrig $(B)/bin/nicrig-wire $(B)/bin/kvm-probe

$(B)/obj/%.o: tools/%.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(B)/obj
	$(Q)$(CC) $(HOST_CFLAGS) $(DEPFLAGS) -c $< -o $@

$(B)/bin/nicrig: $(B)/obj/nicrig.o $(RUNNER_OBJS)
	$(call msg,LD,$@)
	$(Q)mkdir -p $(B)/bin
	$(Q)$(CC) -o $@ $^ -lpcap

$(B)/bin/nicrig-wire: $(B)/obj/nicrig-wire.o $(B)/obj/wire.o $(B)/obj/testdef.o $(B)/obj/kv.o
	$(call msg,LD,$@)
	$(Q)mkdir -p $(B)/bin
	$(Q)$(CC) -o $@ $^ -lpcap

$(B)/bin/kvm-probe: tools/kvm-probe.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(B)/bin
	$(Q)$(CC) -O2 -Wall -Wextra -o $@ $<

# ---- tests ---------------------------------------------------------------

UNIT_OBJS := $(patsubst tests/unit/%.c,$(B)/obj/unit/%.o,$(wildcard tests/unit/*.c))

$(B)/obj/unit/%.o: tests/unit/%.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(B)/obj/unit
	$(Q)$(CC) $(HOST_CFLAGS) $(DEPFLAGS) -Itests/unit -c $< -o $@

$(B)/bin/unit-tests: $(UNIT_OBJS) $(RUNNER_OBJS)
	$(call msg,LD,$@)
	$(Q)mkdir -p $(B)/bin
	$(Q)$(CC) -o $@ $^ -lpcap

unit: $(B)/bin/unit-tests
	$(Q)NICRIG_TOP=$(CURDIR) $(B)/bin/unit-tests

# `make run` times its steps: the kernel and QEMU builds record themselves
# (scripts/progress.sh, NICRIG_STEP_LOG), `make all` as a whole and the tests
# are timed here, and the list is printed at the end, whether the build or
# the tests pass or fail.  (Fetching the sources happens before, when make
# first reads build/sources.mk.)
STEPS := $(B)/steps.txt
run:
	$(Q)rm -f $(STEPS); : > $(STEPS); s=$$(date +%s); rc=0; \
	  NICRIG_STEP_LOG=$(STEPS) $(MAKE) all || rc=$$?; \
	  echo "$$(($$(date +%s) - s)) make all, in all$$([ $$rc = 0 ] || echo ' (failed)')" >> $(STEPS); \
	  if [ $$rc = 0 ]; then \
	    s=$$(date +%s); $(B)/bin/nicrig test $(RIG) || rc=$$?; \
	    echo "$$(($$(date +%s) - s)) nicrig test $(RIG)" >> $(STEPS); \
	  fi; \
	  echo "# step times:"; \
	  awk '{ t = $$1; sub(/^[0-9]+ /, ""); printf "#   %-32s %d:%02d\n", $$0, t / 60, t % 60 }' $(STEPS); \
	  exit $$rc

bench: all
	$(Q)tests/bench.sh

# Boot time: QEMU's start to the agent's hello, BOOTS boots of RIG.
BOOTS ?= 10
bench-boot: all
	$(Q)tests/bench-boot.sh $(RIG) $(BOOTS)

# qtest-build builds qemu-system-x86_64 too, and kernels includes baseline: no
# need for `all`, which would walk the baseline kernel tree and QEMU a second time.
check: kernels qtest-build guest tools $(B)/bin/unit-tests
	$(Q)NICRIG_CHECK_VARIANTS="$(CHECK_VARIANTS)" tests/check.sh

clean:
	rm -rf $(B) results

-include $(wildcard $(B)/obj/*.d $(B)/obj/unit/*.d $(G)/obj/*.d $(G)/*.d)
