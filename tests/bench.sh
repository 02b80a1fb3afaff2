#!/bin/sh
# bench.sh - `make bench`: receive rate into XDP_DROP and into AF_XDP
# zero-copy sockets, for each NIC model, on the same accelerator, in one run.
#
# usage: bench.sh [RIG...]        (default: igb ixgbe)
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
out=$top/results/bench-$(date +%Y%m%d-%H%M%S)
mkdir -p "$out"
rigs=${*:-igb ixgbe}
rc=0

for rig in $rigs; do
	echo "== $rig" >&2
	"$top/build/bin/nicrig" test "$rig" bench_xdp_drop bench_xsk_zc --out "$out/$rig" \
		> "$out/$rig.ktap" || rc=1
	grep -E '^# run failed|^not ok' "$out/$rig.ktap" >&2
done

accel=$(sed -n 's/^ACCEL=//p' "$top/build/config.mk")
printf '\nreceive rate, 64-byte UDP probes, 4096 per run, accelerator %s\n' "$accel"
printf '%-8s %24s %24s\n' "nic" "XDP_DROP" "AF_XDP zero-copy"
for rig in $rigs; do
	drop=$(sed -n 's/.*# bench-rate [a-z]* xdp_drop \([0-9]*\) frames\/s, \([0-9.]*\)%.*/\1 f\/s (\2% rx)/p' "$out/$rig.ktap")
	xsk=$(sed -n 's/.*# bench-rate [a-z]* xsk_zc \([0-9]*\) frames\/s, \([0-9.]*\)%.*/\1 f\/s (\2% rx)/p' "$out/$rig.ktap")
	printf '%-8s %24s %24s\n' "$rig" "${drop:-failed}" "${xsk:-failed}"
done
echo "(results in $out)"
exit $rc
