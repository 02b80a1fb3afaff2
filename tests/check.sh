#!/bin/sh
# check.sh - `make check`: host unit tests, then the driver-path tests on the
# igb and veth rigs for each kernel variant in NICRIG_CHECK_VARIANTS, then a
# negative control (the same test with a
# deliberately wrong metadata check must fail).  Ends with one line,
# "N passed, N failed", and exits non-zero on any failure.
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
nicrig=$top/build/bin/nicrig
out=$top/results/check-$(date +%Y%m%d-%H%M%S)
passed=0
failed=0
summary=

mkdir -p "$out"

# count KTAPFILE LABEL: adds the top-level ok / not ok lines of a KTAP file.
count() {
	p=$(grep -c '^ok ' "$1" || true)
	f=$(grep -c '^not ok ' "$1" || true)
	passed=$((passed + p))
	failed=$((failed + f))
	summary="$summary$(printf '%-34s %3d passed %3d failed' "$2" "$p" "$f")
"
}

echo "== host unit tests"
NICRIG_TOP=$top "$top/build/bin/unit-tests" | tee "$out/unit.ktap"
count "$out/unit.ktap" "unit tests"

for variant in ${NICRIG_CHECK_VARIANTS:-baseline}; do
	for rig in ${NICRIG_CHECK_RIGS:-igb veth}; do
		echo "== rig $rig, kernel $variant"
		"$nicrig" test "$rig" --kernel "$variant" --out "$out/$rig-$variant" |
			tee "$out/$rig-$variant.ktap"
		count "$out/$rig-$variant.ktap" "rig $rig, kernel $variant"
	done
done

# The check must be able to fail: with the TC readers expecting another
# pattern, both readers must report a failure (and nothing else may break).
echo "== negative control: igb xdp_pass_meta --break-check"
"$nicrig" test igb xdp_pass_meta --break-check --out "$out/igb-broken" > "$out/igb-broken.ktap"
rc=$?
k=$out/igb-broken.ktap
if [ $rc -ne 0 ] &&
	grep -q '# data_meta: expected pass, observed fail: expected 64 intact, got 0 intact, 64 wrong' "$k" &&
	grep -q '# dynptr: expected pass, observed fail: expected 64 intact, got 0 intact, 64 wrong' "$k" &&
	grep -q '^ok 2 kernel_log_clean' "$k"; then
	echo "ok 1 negative_control_break_check"
	passed=$((passed + 1))
	summary="$summary$(printf '%-34s %3d passed %3d failed' "negative control" 1 0)
"
else
	echo "not ok 1 negative_control_break_check"
	echo "# expected both readers to fail on all 64 probes with a clean kernel log; got (exit $rc):"
	sed 's/^/#   /' "$k"
	failed=$((failed + 1))
	summary="$summary$(printf '%-34s %3d passed %3d failed' "negative control" 0 1)
"
fi

echo
echo "== summary (results in $out)"
printf '%s' "$summary"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
