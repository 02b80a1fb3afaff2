#!/bin/sh
# check-series.sh - prove the series is bisectable: build the rig kernel at
# every prefix of kernel-patches/series (the base, then patch 1, 1-2, ...),
# and run checkpatch --strict on each patch.  The kernel config is the rig's
# plus kernel-patches/series-check.config: the drivers the series touches
# that the rig kernels leave out, so that every patch's code is compiled.
#
# usage: check-series.sh PRISTINE_SRC OUT_DIR [FROM [TO]]
#
# All prefixes share one worktree and build directory (OUT_DIR): each step
# applies one more patch with `git am` and rebuilds incrementally, so a step
# costs what its patch touches.  A failing step does not stop the walk; the
# table at the end names every failing prefix, and the exit status is 1 if
# any build failed or checkpatch complained.
set -eu

src=${1:?usage: check-series.sh PRISTINE_SRC OUT_DIR [FROM [TO]]}
out=${2:?usage: check-series.sh PRISTINE_SRC OUT_DIR [FROM [TO]]}
top=$(cd "$(dirname "$0")/.." && pwd)
series=$("$top/scripts/kernel-variant.sh" series) || exit 2
total=$(printf '%s' "$series" | grep -c . || true)
from=${3:-0}
to=${4:-$total}

case $from$to in *[!0-9]*) echo "Error: FROM and TO must be patch numbers (0..$total)" >&2; exit 2 ;; esac
[ "$to" -le "$total" ] && [ "$from" -le "$to" ] ||
	{ echo "Error: need 0 <= FROM <= TO <= $total" >&2; exit 2; }

table=$out/series-check.tsv
mkdir -p "$out"
printf 'n\tpatch\tbuild\tseconds\tcheckpatch\n' > "$table"
bad=0
n=$from
while [ "$n" -le "$to" ]; do
	if [ "$n" -eq 0 ]; then
		name="(base)"
		patch=
	else
		patch=$(printf '%s\n' "$series" | sed -n "${n}p")
		name=${patch##*/}
	fi
	echo "  PREFIX  $n/$total $name"
	t0=$(date +%s)
	if RIG_CONFIG="$top/kernel-patches/series-check.config" \
		"$top/scripts/build-kernel.sh" "$src" "first-$n" "$out" >"$out/step.log" 2>&1; then
		build=ok
	else
		build=FAILED
		bad=1
		cp "$out/build/build.log" "$out/build-first-$n.log" 2>/dev/null || true
		sed 's/^/          /' "$out/step.log" | tail -n 20
	fi
	secs=$(($(date +%s) - t0))
	cp=-
	if [ -n "$patch" ]; then
		if perl "$out/src/scripts/checkpatch.pl" --strict -q "$patch" >"$out/checkpatch-$n.log" 2>&1; then
			cp=clean
		else
			cp="see checkpatch-$n.log"
			bad=1
		fi
	fi
	printf '%s\t%s\t%s\t%s\t%s\n' "$n" "$name" "$build" "$secs" "$cp" >> "$table"
	n=$((n + 1))
done

echo
awk -F'\t' '{ printf "  %-3s %-62.62s %-7s %7s  %s\n", $1, $2, $3, ($4 == "seconds" ? $4 : $4 " s"), $5 }' "$table"
if [ "$bad" -ne 0 ]; then
	echo "Error: the series is not clean at every prefix (logs in $out)" >&2
	exit 1
fi
echo "every prefix $from..$to builds; checkpatch --strict is clean on each patch"
