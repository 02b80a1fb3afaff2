# SPDX-License-Identifier: GPL-2.0
#
# guest-image/guest.mk - the guest image: libbpf and bpftool from the pinned
# tree, the BPF programs and their skeletons, the agent with its generated
# test table, the series' selftests, the initramfs.
# Included by the top Makefile, which sets B, C, Q, msg, DEPFLAGS and the
# configuration (build/config.mk, build/sources.mk).

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

# (tests/cases itself too: its time changes when a definition is removed.)
$(G)/test_table.c: $(TEST_CASES) tests/cases scripts/gen-test-table.sh guest-image/agent/agent.h
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
