# SPDX-License-Identifier: GPL-2.0
#
# nicrig - one entry point.
#
#   make                 sources, QEMU, kernel (VARIANT), guest image, host tools
#   make run             all of that, then `nicrig test igb` (the default rig)
#   make check           unit tests, qtests, then the expectation matrix
#   make check-remote    the libvirt engine on a remote host (a namespaced libvirtd)
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
# The kernel variants `make check` runs the rigs on: the @matrix line of
# kernel-patches/variants, as for `nicrig matrix`.
CHECK_VARIANTS ?= $(shell scripts/kernel-variant.sh --matrix)
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
.PHONY: all run check check-remote check-series bench bench-boot fuzz fuzz-build unit qtest qtest-build sources qemu kernel own-kernel kernels guest tools bpf-tools clean help

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

# One fragment per directory, each with its own part of the build.
include qemu-device/qemu.mk kernel-patches/kernel.mk guest-image/guest.mk tools/tools.mk tests/tests.mk

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

clean:
	rm -rf $(B) results

-include $(wildcard $(B)/obj/*.d $(B)/obj/unit/*.d $(G)/obj/*.d $(G)/*.d)
