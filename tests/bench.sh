#!/bin/sh
# bench.sh - `make bench`: receive rate into XDP_DROP and into AF_XDP
# zero-copy sockets, for each NIC model, on the same accelerator, in one run.
#
# usage: bench.sh [RIG...]        (default: igb ixgbe)
#
# BENCH_ROUNDS=N (default 3) boots each rig N times, alternating the order
# of the rigs from round to round so that neither always runs first on a
# warm or a loaded host; it prints every round and the median per NIC.
# Rates under TCG vary several-fold between runs: compare medians.
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
out=$top/results/bench-$(date +%Y%m%d-%H%M%S)
mkdir -p "$out"
rigs=${*:-igb ixgbe}
rounds=${BENCH_ROUNDS:-3}
rc=0

case $rounds in ''|*[!0-9]*|0) echo "Error: BENCH_ROUNDS must be a positive number" >&2; exit 2 ;; esac

# rate RIG ROUND MODE: "frames/s percent" from that run's KTAP, or nothing
rate() {
	sed -n "s/.*# bench-rate [a-z]* $3 \([0-9]*\) frames\/s, \([0-9.]*\)%.*/\1 \2/p" "$out/$1-$2.ktap" 2>/dev/null
}

r=1
while [ "$r" -le "$rounds" ]; do
	order=$rigs
	[ $((r % 2)) -eq 0 ] && order=$(echo "$rigs" | tr ' ' '\n' | awk '{ l[NR] = $0 } END { for (i = NR; i; i--) printf "%s ", l[i] }')
	for rig in $order; do
		echo "== round $r/$rounds: $rig" >&2
		"$top/build/bin/nicrig" test "$rig" bench_xdp_drop bench_xsk_zc --out "$out/$rig-$r" \
			> "$out/$rig-$r.ktap" || rc=1
		grep -E '^# run failed|^not ok' "$out/$rig-$r.ktap" >&2
	done
	r=$((r + 1))
done

accel=$(sed -n 's/^ACCEL=//p' "$top/build/config.mk")
printf '\nreceive rate, 64-byte UDP probes, 4096 per run, accelerator %s, %s round(s)\n' "$accel" "$rounds"
printf '%-8s %-6s %24s %24s\n' "nic" "round" "XDP_DROP" "AF_XDP zero-copy"
for rig in $rigs; do
	r=1
	while [ "$r" -le "$rounds" ]; do
		printf '%-8s %-6s %24s %24s\n' "$rig" "$r" \
			"$(rate "$rig" "$r" xdp_drop | awk '{ printf "%d f/s (%s%% rx)", $1, $2 }')" \
			"$(rate "$rig" "$r" xsk_zc | awk '{ printf "%d f/s (%s%% rx)", $1, $2 }')"
		r=$((r + 1))
	done
done
# median MODE RIG: the median rate over the rounds that produced one
median() {
	r=1
	while [ "$r" -le "$rounds" ]; do
		rate "$2" "$r" "$1"
		r=$((r + 1))
	done | sort -n | awk '{ v[NR] = $1 } END { if (!NR) print "failed"; else if (NR % 2) print v[(NR + 1) / 2] " f/s"; else print int((v[NR / 2] + v[NR / 2 + 1]) / 2) " f/s" }'
}
for rig in $rigs; do
	printf '%-8s %-6s %24s %24s\n' "$rig" "median" "$(median xdp_drop "$rig")" "$(median xsk_zc "$rig")"
done
echo "(results in $out)"
exit $rc
