#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# check-lib.sh - sourced by check.sh and check-remote.sh: reading status
# files and KTAP totals, the tally of passed and failed checks (in passed,
# failed, summary), and comparing two runs' cells.tsv cell by cell.

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

# tally_matrix LABEL DIR: a matrix's MATCHED and MISMATCHED cells, from its
# status file, not its table; no status file is a failed matrix.
tally_matrix() {
	mp=$(status_get "$2/status" MATCHED)
	mf=$(status_get "$2/status" MISMATCHED)
	[ -n "$mp" ] || mp=0
	[ -n "$mf" ] || mf=0
	[ "$mp" -gt 0 ] || [ "$mf" -gt 0 ] || mf=1
	tally "$1" "$mp" "$mf"
}

# cells_key FILE...: the verdict columns of cells.tsv (no seconds, no detail), sorted;
# only the tests in $lv_tests (comma-separated) and the boots' own cells
cells_key() {
	cat "$@" 2>/dev/null | awk -F '\t' -v tests=",${ck_tests:-$lv_tests}," \
		'index(tests, "," $4 ",") || $4 == "-" { print $1 "/" $3 "/" $4 "/" $5 "\t" $6 "\t" $7 "\t" $9 }' | sort -u
}
# cells_compare LABEL DIRECT LIBVIRT: one ok per cell the same under both engines
cells_compare() {
	cp=0
	cf=0
	while IFS='	' read -r cell rest; do
		other=$(awk -F '\t' -v c="$cell" '$1 == c { sub(/^[^\t]*\t/, ""); print }' "$3")
		if [ -n "$other" ] && [ "$other" = "$rest" ]; then
			cp=$((cp + 1))
		else
			cf=$((cf + 1))
			echo "# $1: $cell: direct '$rest', libvirt '${other:-(no cell)}'"
		fi
	done < "$2"
	[ -s "$2" ] || { echo "# $1: no direct cells to compare with"; cf=$((cf + 1)); }
	[ "$(wc -l < "$3")" -eq "$(wc -l < "$2")" ] || {
		echo "# $1: $(wc -l < "$3") libvirt cells, $(wc -l < "$2") direct"; cf=$((cf + 1)); }
	echo "# $1: $cp cells the same as the direct run's, $cf not"
	tally "$1" "$cp" "$cf"
}

# matrix_compare LABEL DIRECT MATRIX: a two-host matrix over rigs igb and
# ixgbe (kernel baseline) against the direct matrix, cell by cell; and each
# host ran one boot, and neither failed.
matrix_compare() {
	cells_key "$2/igb-baseline/cells.tsv" "$2/ixgbe-baseline/cells.tsv" > "$3.direct"
	cells_key "$3/igb-baseline/cells.tsv" "$3/ixgbe-baseline/cells.tsv" > "$3.cells"
	cells_compare "$1" "$3.direct" "$3.cells"
	if grep -q '^host 1 .*: 1 boot(s)$' "$3/hosts.txt" 2>/dev/null &&
		grep -q '^host 2 .*: 1 boot(s)$' "$3/hosts.txt" &&
		[ "$(status_get "$3/status" HOSTS_FAILED)" = 0 ]; then
		tally "$1: a boot on each host" 1 0
	else
		echo "# expected one boot on each host and no failed host; see $3/hosts.txt"
		tally "$1: a boot on each host" 0 1
	fi
}
