#!/bin/sh
# kernel-variant.sh - print the patch files a kernel variant applies, in order.
#
# usage: kernel-variant.sh NAME
#        kernel-variant.sh --names    the variants kernel-patches/variants names
#        kernel-variant.sh --matrix   the ones its @matrix line names (the
#                                     matrix's and make check's default)
#
# This script is the one reader of kernel-patches/variants: the runner asks
# it too (--names for `--expect VARIANT`, NAME for `nicrig bisect`).
#
# NAME is a variant from kernel-patches/variants, first-N for the first N
# patches of the series, patches:N,N,... for an explicit set, or
# ordered:N,N,... for a set applied in the order given (what `nicrig bisect`
# builds: its base variant's patches first, then the candidates, so that one
# step's tree is a prefix of the next one's).  One path per line, in series
# order except for ordered:; no output means the pristine base.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
series=$top/kernel-patches/series
variants=$top/kernel-patches/variants
name=${1:?usage: kernel-variant.sh NAME}

die() { echo "Error: $*" >&2; exit 1; }

patches() {
	[ -d "$series" ] || return 0
	for p in "$series"/[0-9][0-9][0-9][0-9]-*.patch; do
		[ -e "$p" ] || continue
		case ${p##*/} in 0000-*) continue ;; esac
		echo "$p"
	done
}

names() {
	[ -f "$variants" ] || { echo baseline; return 0; }
	awk '!/^[#@]/ && NF { print $1 }' "$variants"
}

matrix() {
	[ -f "$variants" ] || { echo baseline; return 0; }
	m=$(awk '$1 == "@matrix" { for (i = 2; i <= NF; i++) print $i }' "$variants")
	[ -n "$m" ] || die "$variants has no @matrix line"
	for v in $m; do
		names | grep -qx "$v" || die "$variants: @matrix names '$v', which is not a variant"
	done
	printf '%s\n' "$m"
}

case $name in
--names)
	names
	exit 0
	;;
--matrix)
	matrix
	exit 0
	;;
ordered:*)
	seen=
	list=
	for num in $(echo "${name#ordered:}" | tr ',' ' '); do
		case $num in *[!0-9]*) die "variant '$name': '$num' is not a patch number" ;; esac
		case " $seen " in *" $((num + 0)) "*) die "variant '$name': patch $num twice" ;; esac
		seen="$seen $((num + 0))"
		f=$(patches | awk -v n="$num" '{ b = $0; sub(/.*\//, "", b); if (b + 0 == n + 0) print }')
		[ -n "$f" ] || die "variant '$name': no patch $num in $series"
		list="$list$f
"
	done
	printf '%s' "$list"	# all or nothing
	exit 0
	;;
patches:*)
	want=$(echo "${name#patches:}" | tr ',' ' ')
	for num in $want; do
		case $num in *[!0-9]*) die "variant '$name': '$num' is not a patch number" ;; esac
		patches | awk -v n="$num" '{ b = $0; sub(/.*\//, "", b); if (b + 0 == n + 0) f = 1 } END { exit !f }' ||
			die "variant '$name': no patch $num in $series"
	done
	patches | while read -r p; do
		b=${p##*/}
		for num in $want; do
			if [ "$(echo "$b" | awk '{ print $0 + 0 }')" = "$((num + 0))" ]; then
				echo "$p"
			fi
		done
	done
	exit 0
	;;
first-*)
	n=${name#first-}
	case $n in ''|*[!0-9]*) die "variant '$name': N in first-N must be a number" ;; esac
	total=$(patches | wc -l)
	[ "$n" -le "$total" ] || die "variant '$name': the series has only $total patches"
	patches | head -n "$n"
	exit 0
	;;
esac

if [ "$name" = baseline ] && [ ! -f "$variants" ]; then
	exit 0
fi
[ -f "$variants" ] || die "$variants missing; only 'baseline' is available"

line=$(awk -v n="$name" '$1 == n { $1 = ""; print; found = 1; exit } END { if (!found) exit 1 }' \
	"$variants") || die "unknown kernel variant '$name' (known: $(names | tr '\n' ' ')first-N)"

for num in $line; do
	if [ "$num" = all ]; then
		patches
		continue
	fi
	case $num in *[!0-9]*) die "$variants: variant '$name': '$num' is not a patch number" ;; esac
	f=$(patches | awk -v n="$num" '{ b = $0; sub(/.*\//, "", b); if (b + 0 == n + 0) print }')
	[ -n "$f" ] || die "$variants: variant '$name' names patch $num, which is not in $series"
	echo "$f"
done
