# SPDX-License-Identifier: GPL-2.0
#
# tests/tests.mk - the unit tests, the benchmarks and make check.
# Included by the top Makefile, which sets B, C, Q, msg, DEPFLAGS and the
# configuration (build/config.mk, build/sources.mk).

# ---- tests ---------------------------------------------------------------

UNIT_OBJS := $(patsubst tests/unit/%.c,$(B)/obj/unit/%.o,$(wildcard tests/unit/*.c))

$(B)/obj/unit/%.o: tests/unit/%.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(B)/obj/unit
	$(Q)$(CC) $(HOST_CFLAGS) $(DEPFLAGS) -Itests/unit -c $< -o $@

$(B)/bin/unit-tests: $(UNIT_OBJS) $(RUNNER_OBJS)
	$(call msg,LD,$@)
	$(Q)mkdir -p $(B)/bin
	$(Q)$(CC) -o $@ $^ $(RUNNER_LIBS)

unit: $(B)/bin/unit-tests
	$(Q)NICRIG_TOP=$(CURDIR) $(B)/bin/unit-tests

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

# The libvirt engine on a host that is not this machine: a libvirtd in its own
# network and mount namespace (tests/libvirtd-remote.sh), compared cell by cell
# with the direct engine, and its failures.  Root; the baseline kernel built.
check-remote: guest tools
	$(Q)tests/check-remote.sh
