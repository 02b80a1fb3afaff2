#!/bin/sh
# qtest.sh - run the device models' qtests under QEMU's qos-test and print
# their KTAP summary.  glib's test runner prints TAP; each test is one
# "ok"/"not ok" line under its model's node (ixgbe-tests, igc-tests).
#
# usage: qtest.sh QEMU_BUILD_DIR
set -u
b=${1:?usage: qtest.sh QEMU_BUILD_DIR}
[ -x "$b/tests/qtest/qos-test" ] || { echo "Error: $b/tests/qtest/qos-test missing; run make qtest" >&2; exit 1; }
cd "$b" || exit 1
QTEST_QEMU_BINARY=./qemu-system-x86_64 timeout 600 tests/qtest/qos-test --tap -k \
	-p /x86_64/pc/i440FX-pcihost/pci-bus-pc/pci-bus/ixgbe/ixgbe-tests \
	-p /x86_64/pc/i440FX-pcihost/pci-bus-pc/pci-bus/igc/igc-tests
