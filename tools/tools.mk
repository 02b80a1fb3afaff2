# SPDX-License-Identifier: GPL-2.0
#
# tools/tools.mk - the host programs: nicrig, nicrig-wire, kvm-probe, subreaper.
# Included by the top Makefile, which sets B, C, Q, msg, DEPFLAGS and the
# configuration (build/config.mk, build/sources.mk).

# ---- host tools ----------------------------------------------------------

HOST_CFLAGS := -O2 -g -Wall -Wextra -D_GNU_SOURCE -Iguest-image/bpf -Itools \
	$(shell pkg-config --cflags libvirt 2>/dev/null)
# What the runner library links: libpcap (the wire's capture and filters),
# libvirt (--engine libvirt, engine_libvirt.c; ./configure checks for it).
RUNNER_LIBS := -lpcap $(shell pkg-config --libs libvirt libvirt-qemu 2>/dev/null || echo -lvirt-qemu -lvirt)
# Every tools/*.c but the programs' own main files is the runner library
# (linked into nicrig and the unit tests).
TOOL_MAINS := tools/nicrig.c tools/nicrig-wire.c tools/kvm-probe.c tools/subreaper.c
RUNNER_OBJS := $(patsubst tools/%.c,$(B)/obj/%.o,$(filter-out $(TOOL_MAINS),$(wildcard tools/*.c)))

tools: $(B)/bin/nicrig $(B)/bin/nicrig-wire $(B)/bin/kvm-probe $(B)/bin/subreaper

$(B)/obj/%.o: tools/%.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(B)/obj
	$(Q)$(CC) $(HOST_CFLAGS) $(DEPFLAGS) -c $< -o $@

$(B)/bin/nicrig: $(B)/obj/nicrig.o $(RUNNER_OBJS)
	$(call msg,LD,$@)
	$(Q)mkdir -p $(B)/bin
	$(Q)$(CC) -o $@ $^ $(RUNNER_LIBS)

$(B)/bin/nicrig-wire: $(B)/obj/nicrig-wire.o $(B)/obj/wire.o $(B)/obj/wire_stream.o $(B)/obj/probe.o $(B)/obj/fault.o $(B)/obj/testdef.o $(B)/obj/kv.o
	$(call msg,LD,$@)
	$(Q)mkdir -p $(B)/bin
	$(Q)$(CC) -o $@ $^ -lpcap

$(B)/bin/kvm-probe: tools/kvm-probe.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(B)/bin
	$(Q)$(CC) -O2 -Wall -Wextra -o $@ $<

$(B)/bin/subreaper: tools/subreaper.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(B)/bin
	$(Q)$(CC) -O2 -Wall -Wextra -o $@ $<
