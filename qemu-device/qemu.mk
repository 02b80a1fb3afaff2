# SPDX-License-Identifier: GPL-2.0
#
# qemu-device/qemu.mk - nicrig's QEMU (our device models glued into the pinned
# tree), its qtests, and the fuzzing build.
# Included by the top Makefile, which sets B, C, Q, msg, DEPFLAGS and the
# configuration (build/config.mk, build/sources.mk).

# ---- QEMU: an incremental build in the cache -----------------------------

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
