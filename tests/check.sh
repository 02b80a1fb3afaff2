#!/bin/sh
# check.sh - `make check`:
#   1. host unit tests (runner, wire, config parsers; a fake QEMU for bad guests),
#      and the test definitions' build check (tests/test-defs-check.sh)
#   2. the device models' qtests (qemu-device/, under QEMU's qos-test)
#   3. `nicrig matrix` over NICRIG_CHECK_RIGS x NICRIG_CHECK_VARIANTS
#   4. negative controls: the metadata check with a deliberately wrong
#      expected pattern must fail on every probe, for both readers; the
#      AF_XDP suite behind a loopback cable that drops every 10th frame
#      must fail
# Ends with one line, "N passed, N failed", and exits non-zero on any failure.
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
nicrig=$top/build/bin/nicrig
out=$top/results/check-$(date +%Y%m%d-%H%M%S)
# No rigs given: nicrig matrix's own default (MATRIX_DEFAULT_RIGS, tools/matrix.h).
rigs=${NICRIG_CHECK_RIGS:-}
variants=${NICRIG_CHECK_VARIANTS:-baseline}
passed=0
failed=0
summary=

mkdir -p "$out"

# status_get FILE KEY: the value of KEY in a status file the runner wrote.
status_get() {
	sed -n "s/^$2=//p" "$1" 2>/dev/null
}

# totals_get FILE FIELD: FIELD (pass, fail, ...) of the last kselftest
# "# Totals:" line in a KTAP file; empty if there is none.
totals_get() {
	sed -n "s/^# Totals: .*\<$2:\([0-9]*\).*/\1/p" "$1" 2>/dev/null | tail -n 1
}

# tally_ktap LABEL FILE: the totals of a KTAP file; no totals line is a failure.
tally_ktap() {
	tp=$(totals_get "$2" pass)
	tf=$(totals_get "$2" fail)
	te=$(totals_get "$2" error)
	if [ -z "$tp" ] || [ -z "$tf" ] || [ -z "$te" ]; then
		echo "# $2 has no '# Totals:' line: the run did not finish"
		tally "$1" 0 1
	else
		tally "$1" "$tp" $((tf + te))
	fi
}

tally() {
	# tally LABEL PASSED FAILED
	passed=$((passed + $2))
	failed=$((failed + $3))
	summary="$summary$(printf '%-40s %4d passed %4d failed' "$1" "$2" "$3")
"
}

echo "== host unit tests"
NICRIG_TOP=$top "$top/build/bin/unit-tests" | tee "$out/unit.ktap"
tally_ktap "unit tests" "$out/unit.ktap"

echo "== test definitions: the agent's table is generated, a mismatch fails the build"
"$top/tests/test-defs-check.sh" | tee "$out/test-defs.ktap"
tally_ktap "test definitions" "$out/test-defs.ktap"

echo "== device model qtests"
qemu_build=$(sed -n 's/^QEMU_DIR=//p' "$top/build/config.mk")/build
"$top/tests/qtest.sh" "$qemu_build" > "$out/qtest.tap" 2>&1
qrc=$?
grep -E '^(not )?ok ' "$out/qtest.tap"
qp=$(grep -c '^ok ' "$out/qtest.tap")
qf=$(grep -c '^not ok ' "$out/qtest.tap")
if [ $qrc -ne 0 ] || [ "$qp" -eq 0 ]; then
	# A crash or a run that found no test is a failure, not zero tests.
	[ "$qf" -gt 0 ] || qf=1
	tail -n 20 "$out/qtest.tap" | sed 's/^/# /'
fi
tally "qtests (ixgbe, igc)" "$qp" "$qf"

echo "== matrix: rigs ${rigs:-(nicrig's default)}, kernels $(echo "$variants" | tr ' ' ',')"
"$nicrig" matrix --no-build ${rigs:+--rigs "$rigs"} --kernels "$(echo "$variants" | tr ' ' ',')" \
	--out "$out/matrix" | tee "$out/matrix.txt"
# The matrix's status file, not its table: MATCHED and MISMATCHED cells.
mp=$(status_get "$out/matrix/status" MATCHED)
mf=$(status_get "$out/matrix/status" MISMATCHED)
[ -n "$mp" ] || mp=0
[ -n "$mf" ] || mf=0
[ "$mp" -gt 0 ] || [ "$mf" -gt 0 ] || mf=1	# no status: the matrix itself failed
tally "matrix cells" "$mp" "$mf"

# The check must be able to fail: with the TC readers expecting another
# pattern, both readers must report a failure (and nothing else may break).
echo "== negative control: igb xdp_pass_meta --break-check"
"$nicrig" test igb xdp_pass_meta --break-check --out "$out/igb-broken" > "$out/igb-broken.ktap"
rc=$?
k=$out/igb-broken.ktap
# From the run's cells.tsv (rig nic variant test reader expected observed
# seconds matched detail): both readers expected to pass, observed to fail on
# every probe (the agent's counts in the detail), the kernel log clean; and
# the status file: no fatal error, the two reader cells the only mismatches.
cells=$out/igb-broken/cells.tsv
broken=$(awk -F '\t' '$4 == "xdp_pass_meta" && ($5 == "data_meta" || $5 == "dynptr") &&
	$6 == "pass" && $7 == "fail" && $9 == 0 &&
	index($10, "expected 64 intact, got 0 intact, 64 wrong") { n++ } END { print n + 0 }' "$cells" 2>/dev/null)
clean=$(awk -F '\t' '$4 == "-" && $5 == "kernel_log" && $7 == "pass" { n++ } END { print n + 0 }' "$cells" 2>/dev/null)
if [ $rc -ne 0 ] && [ "$broken" = 2 ] && [ "$clean" = 1 ] &&
	[ "$(status_get "$out/igb-broken/status" MISMATCHED)" = 2 ] &&
	[ -z "$(status_get "$out/igb-broken/status" FATAL)" ]; then
	echo "ok 1 negative_control_break_check"
	tally "negative control" 1 0
else
	echo "not ok 1 negative_control_break_check"
	echo "# expected both readers to fail on all 64 probes with a clean kernel log; got (exit $rc):"
	sed 's/^/#   /' "$k"
	tally "negative control" 0 1
fi

# The loopback cable must be able to fail the suite behind it: with every
# 10th frame dropped, an upstream subtest that passes on a good cable fails.
echo "== negative control: igb xskxceiver/zc_SEND_RECEIVE --break-reflect"
"$nicrig" test igb xskxceiver/zc_SEND_RECEIVE --break-reflect --out "$out/igb-broken-reflect" \
	> "$out/igb-broken-reflect.ktap"
rc=$?
k=$out/igb-broken-reflect.ktap
if [ $rc -ne 0 ] &&
	grep -q '# zc_SEND_RECEIVE: expected pass, observed fail: FAIL: ZC SEND_RECEIVE' "$k" &&
	grep -Eq '# wire: --break-reflect dropped [1-9][0-9]* frames \(every 10th' "$k" &&
	grep -q '^ok 2 kernel_log_clean' "$k"; then
	echo "ok 2 negative_control_break_reflect"
	tally "negative control (reflect)" 1 0
else
	echo "not ok 2 negative_control_break_reflect"
	echo "# expected zc_SEND_RECEIVE to fail behind a cable dropping every 10th frame, with a clean kernel log; got (exit $rc):"
	sed 's/^/#   /' "$k"
	tally "negative control (reflect)" 0 1
fi

echo
echo "== summary (results in $out)"
printf '%s' "$summary"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
