#!/bin/sh
# fuzz.sh - `make fuzz`: one libFuzzer campaign per device model with QEMU's
# generic-fuzz target (qemu-device/tests/qtest/fuzz/generic_fuzz_configs.h.frag
# names the models), and a summary per model: executions, executions/s,
# coverage (edges, libFuzzer's last "cov:" figure) and crashes.
#
# usage: fuzz.sh FUZZ_BUILD_DIR SECONDS MODEL...
#
# Per model, under $NICRIG_CACHE/fuzz/MODEL/: corpus/ (kept and grown from
# run to run; qemu-device/tests/qtest/fuzz/seeds/MODEL/ is read as a second,
# read-only corpus, and MODEL.dict there is the dictionary), artifacts/ (libFuzzer's crash-, leak-, timeout- and oom-
# files), logs/DATE.log (the campaign's full output).  Exits 1 if any
# campaign found a crash, a leak, a hang or a sanitizer report, 2 on usage
# or setup errors.
#
# Environment: FUZZ_TIMEOUT (s, default 60): an input running longer is a
# hang.  Not lower: an input that programs a 65528-descriptor TX ring and
# moves TDT a few times makes each of those MMIO writes walk the whole ring
# (bounded, as on hardware), 32 s under ASan and generic-fuzz's per-DMA
# hook, 1.25 s for the whole input replayed in the normal build; FUZZ_JOBS (default 0): 0 fuzzes in this process and stops at the
# first crash, N runs libFuzzer's -fork=N workers, which go on past crashes
# (for long campaigns: every distinct crash is kept).
#
# -len_control=0: inputs may be up to -max_len (4096) bytes from the start.
# One input costs a machine reset (tens of ms under ASan), so long inputs,
# many register accesses per reset, reach the rings far sooner than the
# default slow growth from 4 bytes: 2190 edges against 2054 in 30 s.
set -u

die() { echo "Error: $*" >&2; exit 2; }

[ $# -ge 3 ] || die "usage: $0 FUZZ_BUILD_DIR SECONDS MODEL..."
build=$1
secs=$2
shift 2
case $secs in ''|*[!0-9]*|0) die "FUZZ_TIME must be a positive number of seconds, not '$secs'" ;; esac
fuzzer=$build/qemu-fuzz-x86_64
top=$(cd "$(dirname "$0")/.." && pwd)
# A model's dictionary and seed inputs, if it has them (ixgbe-fuzz-gen.py)
fuzzdir=$top/qemu-device/tests/qtest/fuzz
[ -x "$fuzzer" ] || die "$fuzzer missing; run make fuzz-build"
cache=${NICRIG_CACHE:-$HOME/.cache/nicrig}
timeout=${FUZZ_TIMEOUT:-60}
jobs=${FUZZ_JOBS:-0}

# The targets this binary has: "generic-fuzz-NAME" lines of its target list.
targets=$("$fuzzer" 2>&1 | sed -n 's/^ *\* *\(generic-fuzz-[^ :]*\).*/\1/p')

# ASan's defaults, plus: report UBSan findings as errors (abort, so libFuzzer
# keeps the input) instead of printing and carrying on.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:abort_on_error=1:print_stacktrace=1}"
sym=$(command -v llvm-symbolizer-14 || command -v llvm-symbolizer || true)
[ -n "$sym" ] && export ASAN_SYMBOLIZER_PATH="$sym"

rc=0
summary=
for model in "$@"; do
	echo "$targets" | grep -qx "generic-fuzz-$model" ||
		die "$fuzzer has no target generic-fuzz-$model (has: $(echo $targets)); add the model to qemu-device/tests/qtest/fuzz/generic_fuzz_configs.h.frag"
	d=$cache/fuzz/$model
	mkdir -p "$d/corpus" "$d/artifacts" "$d/logs"
	log=$d/logs/$(date +%Y%m%d-%H%M%S).log
	before=$(ls "$d/artifacts")
	corpus0=$(ls "$d/corpus" | wc -l)
	echo "== fuzz $model: ${secs}s, corpus $d/corpus ($corpus0 inputs), log $log"
	forkopts=
	dict=
	seeds=
	[ -f "$fuzzdir/$model.dict" ] && dict=-dict=$fuzzdir/$model.dict
	[ -d "$fuzzdir/seeds/$model" ] && seeds=$fuzzdir/seeds/$model
	[ "$jobs" -gt 0 ] && forkopts="-fork=$jobs -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1"
	start=$(date +%s)
	# shellcheck disable=SC2086
	"$fuzzer" --fuzz-target="generic-fuzz-$model" -max_total_time="$secs" -timeout="$timeout" \
		-len_control=0 \
		-print_final_stats=1 -artifact_prefix="$d/artifacts/" $forkopts $dict "$d/corpus" $seeds > "$log" 2>&1
	frc=$?
	wall=$(($(date +%s) - start))

	# libFuzzer's figures: executions from its final stats (or the last
	# status line if it died first), coverage from the last "cov:" figure.
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	[ -n "$execs" ] || execs=$(sed -n 's/^#\([0-9][0-9]*\).*/\1/p' "$log" | tail -n 1)
	cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2)
	ft=$(grep -o 'ft: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2)
	corpus1=$(ls "$d/corpus" | wc -l)
	: "${execs:=0}" "${cov:=?}" "${ft:=?}"
	rate=$((execs / (wall > 0 ? wall : 1)))
	# libFuzzer's slow-unit- files (an input over 10 s) are reports, not
	# failures; crash-, leak-, timeout- and oom- files are.
	added=$(ls "$d/artifacts" | grep -vxF "$before" | sed "s#^#$d/artifacts/#")
	new=$(printf '%s\n' "$added" | grep -v '/slow-unit-' | sed '/^$/d')
	slow=$(printf '%s\n' "$added" | grep '/slow-unit-')
	ncrash=$(printf '%s' "$new" | grep -c .)

	echo "   executions $execs in ${wall}s ($rate/s), coverage $cov edges ($ft features), corpus $corpus0 -> $corpus1"
	[ -z "$slow" ] || { echo "   slow inputs (over 10 s, not failures):"; echo "$slow" | sed 's/^/     /'; }
	if [ "$ncrash" -gt 0 ]; then
		echo "   crashes found: $ncrash"
		echo "$new" | sed 's/^/     /'
		# The sanitizer's or libFuzzer's one-line verdict and the first
		# frames of the stack, so the cause shows without opening the log.
		grep -E '^(SUMMARY|==[0-9]+==ERROR)|runtime error|ALARM|deadly signal' "$log" | head -n 5 | sed 's/^/   /'
		grep -E '^ *#[0-9]+ 0x' "$log" | head -n 8 | sed 's/^/   /'
		echo "   reproduce: $fuzzer --fuzz-target=generic-fuzz-$model ARTIFACT"
		rc=1
	elif [ $frc -ne 0 ] || [ "$execs" -eq 0 ] || [ "$cov" = "?" ]; then
		# A fuzzer that ran nothing or printed no coverage tested nothing.
		echo "   crashes found: 0, but the fuzzer exited $frc after $execs executions; last lines of $log:"
		tail -n 15 "$log" | sed 's/^/   /'
		rc=1
	else
		echo "   crashes found: 0"
	fi
	summary="$summary$(printf '%-8s %10s execs %7s/s %7s edges %3s crashes %5ss' \
		"$model" "$execs" "$rate" "$cov" "$ncrash" "$wall")
"
done
echo
echo "== fuzz summary"
printf '%s' "$summary"
exit $rc
