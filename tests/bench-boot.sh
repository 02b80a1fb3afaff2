#!/bin/sh
# bench-boot.sh - `make bench-boot`: how long a rig takes from QEMU's start
# to the guest agent's hello, over several boots (min / median / max).
#
# usage: bench-boot.sh [RIG] [BOOTS]      (default: igb 10)
#
# Each boot runs one short test (xdp_pass_meta) so that the boot is a real
# rig boot, judged as usual; the figure is the runner's "boot to agent
# hello" (QEMU spawned -> hello on the control channel).  Beside it, from
# the guest's console, the kernel's clock when it ran /init: the total is
# roughly that plus what comes before the kernel's clock starts (QEMU's
# start, firmware, decompressing the kernel) plus /init to the hello
# (the init script and the agent).
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
rig=${1:-igb}
boots=${2:-10}
case $boots in ''|*[!0-9]*|0) echo "Error: BOOTS must be a positive number" >&2; exit 2 ;; esac
out=$top/results/bench-boot-$(date +%Y%m%d-%H%M%S)
mkdir -p "$out"
rc=0

i=1
while [ "$i" -le "$boots" ]; do
	"$top/build/bin/nicrig" test "$rig" xdp_pass_meta --out "$out/$i" > "$out/$i.ktap" 2>"$out/$i.err" || {
		echo "Error: boot $i of rig $rig failed; see $out/$i.ktap and $out/$i.err" >&2
		rc=1
	}
	total=$(sed -n 's/^# boot to agent hello: \([0-9.]*\) s$/\1/p' "$out/$i.ktap")
	init=$(sed -n 's/^\[ *\([0-9.]*\)\] Run \/init as init process.*/\1/p' "$out/$i/console.log" 2>/dev/null | head -n 1)
	[ -z "$total" ] || echo "$i $total ${init:--}" >> "$out/boots.txt"
	i=$((i + 1))
done

[ -s "$out/boots.txt" ] || { echo "Error: no boot reported its time (results in $out)" >&2; exit 1; }
awk 'function sort(a, n,   i, j, x) {
	for (i = 2; i <= n; i++) { x = a[i]; for (j = i - 1; j >= 1 && a[j] > x; j--) a[j + 1] = a[j]; a[j + 1] = x }
}
function med(a, n) { return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
BEGIN { printf "%-5s %10s %18s\n", "boot", "to hello", "kernel clock at /init" }
{
	n++; t[n] = $2
	if ($3 != "-") { k[++kn] = $3; printf "%-5s %9.2fs %17.2fs\n", $1, $2, $3 }
	else printf "%-5s %9.2fs %18s\n", $1, $2, "-"
}
END {
	sort(t, n)
	printf "\nboot to agent hello, %s, %d boots: min %.2f s, median %.2f s, max %.2f s\n", rig, n, t[1], med(t, n), t[n]
	if (kn) { sort(k, kn); printf "kernel clock at /init: min %.2f s, median %.2f s, max %.2f s\n", k[1], med(k, kn), k[kn] }
}' rig="$rig" "$out/boots.txt"
echo "(results in $out)"
exit $rc
