# SPDX-License-Identifier: GPL-2.0
#
# kernel-patches/kernel.mk - the rig kernels: a variant of the series, every
# prefix of it, or a tree of one's own, with the rig's config.
# Included by the top Makefile, which sets B, C, Q, msg, DEPFLAGS and the
# configuration (build/config.mk, build/sources.mk).

# ---- the kernel: incremental builds in the cache ------------------------

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
