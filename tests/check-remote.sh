#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# check-remote.sh [OUT [DIRECT]] - `make check-remote`: the libvirt engine on
# a host that is not this machine (README, "libvirt"), here the namespaced
# libvirtd of tests/libvirtd-remote.sh (its own network and filesystem):
#   1. igb on the remote host: every cell as in the direct run
#   2. a matrix over two hosts, qemu:///system and the remote one, one boot
#      on each: every cell as in the direct matrix
#   3. failures are one clear line, fast: a wire address the host cannot
#      reach, a libvirt host that is not there, a storage pool that is not
# DIRECT: a direct matrix's results (RIG-VARIANT/cells.tsv) over rigs igb,ixgbe
# and the tests below; without it, one is run first.  Ends with one line,
# "N passed, N failed"; exits non-zero on any failure.  Needs root.
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
nicrig=$top/build/bin/nicrig
out=${1:-$top/results/check-remote-$(date +%Y%m%d-%H%M%S)}
direct=${2:-}
lv_tests=${NICRIG_CHECK_LIBVIRT_TESTS:-xdp_pass_meta,udp_echo}
lv_rigs=igb,ixgbe
passed=0
failed=0
summary=
mkdir -p "$out"
out=$(cd "$out" && pwd)

. "$top/tests/check-lib.sh"

# igb also runs a link fault there: set_link through libvirt's monitor passthrough
rt_tests=$lv_tests,fault_link
t0=$(date +%s)
if [ -z "$direct" ]; then
	echo "== direct matrix: rigs $lv_rigs, tests $rt_tests (to compare with)"
	"$nicrig" matrix --no-build --rigs "$lv_rigs" --kernels baseline --tests "$rt_tests" \
		--out "$out/direct" > "$out/direct.txt" 2>&1
	direct=$out/direct
	faults=$direct
else
	faults=$(dirname "$direct")/faults	# make check's fault matrix, beside its matrix
fi
t1=$(date +%s)

echo "== remote libvirt host: tests/libvirtd-remote.sh"
uri=$("$top/tests/libvirtd-remote.sh" start "$out/libvirtd-remote")
if [ -z "$uri" ]; then
	tally "remote libvirt host" 0 1
else
	net=${uri#qemu+tcp://}
	net=${net%.*}

	echo "== rig igb on $uri; tests $rt_tests"
	r0=$(date +%s)
	"$nicrig" test igb $(echo "$rt_tests" | tr ',' ' ') --engine "libvirt=$uri" \
		--out "$out/remote-igb" > "$out/remote-igb.ktap" 2> "$out/remote-igb.err"
	r1=$(date +%s)
	ck_tests=$rt_tests cells_key "$direct/igb-baseline/cells.tsv" "$faults/igb-baseline/cells.tsv" \
		> "$out/remote-igb.direct"
	ck_tests=$rt_tests cells_key "$out/remote-igb/cells.tsv" > "$out/remote-igb.cells"
	cells_compare "remote host (igb)" "$out/remote-igb.direct" "$out/remote-igb.cells"
	grep '^libvirt: staged' "$out/remote-igb/qemu.log" | sed 's/^/# /'

	echo "== matrix over qemu:///system and $uri: rigs $lv_rigs"
	if ! virsh -q -c qemu:///system uri >/dev/null 2>&1; then
		echo "# libvirtd does not answer on qemu:///system: run ./configure --install-deps (as root)"
		tally "remote matrix, two hosts" 0 1
	else
		m0=$(date +%s)
		"$nicrig" matrix --no-build --rigs "$lv_rigs" --kernels baseline --tests "$lv_tests" \
			--hosts "qemu:///system,$uri" --out "$out/remote-matrix" > "$out/remote-matrix.txt" 2>&1
		m1=$(date +%s)
		sed 's/^/# /' "$out/remote-matrix/hosts.txt" 2>/dev/null
		matrix_compare "remote matrix, two hosts" "$direct" "$out/remote-matrix"
	fi

	# expect_fatal LABEL SECS PATTERN ARGS...: the run fails within SECS with
	# one fatal line containing PATTERN (grep -F)
	expect_fatal() {
		label=$1 secs=$2 pattern=$3
		shift 3
		f0=$(date +%s)
		"$nicrig" test igb xdp_pass_meta --engine "libvirt=$uri" "$@" \
			--out "$out/fail-$label" > "$out/fail-$label.ktap" 2>&1
		rc=$?
		took=$(($(date +%s) - f0))
		fatal=$(status_get "$out/fail-$label/status" FATAL)
		if [ $rc -ne 0 ] && [ "$took" -le "$secs" ] && [ -n "$fatal" ] &&
			printf '%s' "$fatal" | grep -qF -- "$pattern"; then
			echo "ok $label: ${took} s: $fatal"
			tally "remote failure: $label" 1 0
		else
			echo "not ok $label: exit $rc after ${took} s (at most $secs); FATAL='$fatal'"
			echo "#   wanted it to contain: $pattern"
			tally "remote failure: $label" 0 1
		fi
	}
	echo "== failures: one clear line each, never a hang"
	# the host's QEMU connects to its own loopback: refused at once
	expect_fatal wire-addr 30 "is --wire-addr 127.0.0.1 reachable from that host?" --wire-addr 127.0.0.1
	# a pool named but missing (the default one is created when missing)
	export NICRIG_POOL=nicrig-missing
	expect_fatal no-pool 30 "has no storage pool 'nicrig-missing'"
	unset NICRIG_POOL
	# nobody at .3 on the host's network
	uri_keep=$uri
	uri="qemu+tcp://$net.3/system"
	expect_fatal no-host 30 "cannot reach libvirt host $net.3"
	uri=$uri_keep

	"$top/tests/libvirtd-remote.sh" stop "$out/libvirtd-remote"
	echo "# remote section: $(($(date +%s) - t1)) s: igb $((r1 - r0)) s, two-host matrix $((${m1:-0} - ${m0:-0})) s"
fi

echo
echo "== summary (results in $out)"
printf '%s' "$summary"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
