#!/bin/sh
# bench.sh - `make bench`: receive rate into XDP_DROP and into AF_XDP
# zero-copy sockets, for each NIC model, on the same accelerator, in one run.
# Each is measured twice: with the driver's adaptive interrupt moderation
# (its default) and with rx-usecs fixed at 100 on every NIC.  Besides the
# rate, the runner reports the host CPU time QEMU spent per probe (all its
# threads, first probe to last): under TCG on a small host the rate mostly
# measures how the host schedules QEMU's threads and the wire, the cost
# mostly what the device model and its driver make the emulator do.
#
# usage: bench.sh [RIG...]        (default: igb ixgbe igc)
#        bench.sh --report DIR [RIG...]   print the tables of an earlier run
#
# BENCH_ROUNDS=N (default 3) boots each rig N times, alternating the order
# of the rigs from round to round so that neither always runs first on a
# warm or a loaded host; it prints every round and the median per NIC.
# Rates under TCG vary several-fold between runs: compare medians.
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
report=
if [ "${1:-}" = --report ]; then
	[ $# -ge 2 ] && [ -d "$2" ] || { echo "Error: --report needs the results directory of a bench run" >&2; exit 2; }
	report=$2
	shift 2
fi
rigs=${*:-igb ixgbe igc}
rounds=${BENCH_ROUNDS:-3}
rc=0
if [ -n "$report" ]; then
	out=$report
	rounds=$(ls "$out" | sed -n 's/^[a-z-]*-\([0-9]*\)\.ktap$/\1/p' | sort -n | tail -1)
	[ -n "$rounds" ] || { echo "Error: $out has no RIG-N.ktap files of a bench run" >&2; exit 2; }
else
	out=$top/results/bench-$(date +%Y%m%d-%H%M%S)
	mkdir -p "$out"
fi

case $rounds in ''|*[!0-9]*|0) echo "Error: BENCH_ROUNDS must be a positive number" >&2; exit 2 ;; esac

# rate RIG ROUND TEST: "frames/s percent" from that run's KTAP, or nothing
rate() {
	sed -n "s/^ *# bench-rate $3 [a-z-]* [a-z_]* \([0-9]*\) frames\/s, \([0-9.]*\)%.*/\1 \2/p" \
		"$out/$1-$2.ktap" 2>/dev/null
}
# cost RIG ROUND TEST: QEMU's host CPU microseconds per probe, or nothing
cost() {
	sed -n "s/^ *# host-cpu $3: \([0-9.]*\) us per probe in QEMU.*/\1/p" "$out/$1-$2.ktap" 2>/dev/null
}
tests="bench_xdp_drop bench_xsk_zc bench_xdp_drop_rx100 bench_xsk_zc_rx100"

r=1
[ -n "$report" ] && r=$((rounds + 1))
while [ "$r" -le "$rounds" ]; do
	order=$rigs
	[ $((r % 2)) -eq 0 ] && order=$(echo "$rigs" | tr ' ' '\n' | awk '{ l[NR] = $0 } END { for (i = NR; i; i--) printf "%s ", l[i] }')
	for rig in $order; do
		echo "== round $r/$rounds: $rig" >&2
		# shellcheck disable=SC2086
		"$top/build/bin/nicrig" test "$rig" $tests --out "$out/$rig-$r" \
			> "$out/$rig-$r.ktap" || rc=1
		grep -E '^# run failed|^not ok' "$out/$rig-$r.ktap" >&2
	done
	r=$((r + 1))
done

accel=$(sed -n 's/^ACCEL=//p' "$top/build/config.mk")
# cell RIG ROUND TEST: "frames/s (percent%) cost"
cell() {
	printf '%s %s' "$(rate "$1" "$2" "$3")" "$(cost "$1" "$2" "$3")" |
		awk 'NF == 3 { printf "%d (%s%%) %5.1f", $1, $2, $3 } NF == 2 { printf "%d (%s%%)", $1, $2 }'
}
# median RIG TEST FN: the median over the rounds of rate or cost
median() {
	r=1
	while [ "$r" -le "$rounds" ]; do
		"$3" "$1" "$r" "$2"
		r=$((r + 1))
	done | sort -n | awk '{ v[NR] = $1 } END { if (!NR) print "-"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
printf '\nframes/s (share of the probes received) and QEMU host CPU us per probe,\n'
printf '64-byte UDP probes, 32768 per measurement, accelerator %s, %s round(s)\n' "$accel" "$rounds"
printf '%-7s %-6s %25s %25s %25s %25s\n' "" "" "adaptive moderation" "" "rx-usecs 100" ""
printf '%-7s %-6s %25s %25s %25s %25s\n' "nic" "round" "XDP_DROP" "AF_XDP zero-copy" "XDP_DROP" "AF_XDP zero-copy"
for rig in $rigs; do
	r=1
	while [ "$r" -le "$rounds" ]; do
		printf '%-7s %-6s' "$rig" "$r"
		for t in $tests; do
			printf ' %25s' "$(cell "$rig" "$r" "$t")"
		done
		printf '\n'
		r=$((r + 1))
	done
done
for rig in $rigs; do
	printf '%-7s %-6s' "$rig" "median"
	for t in $tests; do
		printf ' %25s' "$(printf '%s f/s %s us' "$(median "$rig" "$t" rate | cut -d. -f1)" "$(median "$rig" "$t" cost)")"
	done
	printf '\n'
done
echo "(results in $out)"
exit $rc
