#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (c) 2026 nicrig developers
#
# glue.sh QEMU_TREE: install nicrig's device models and qtests into a copy
# of a QEMU 10.0 source tree, and apply nicrig's fixes to QEMU (fixes/).
#
# Sources are copied only when they differ (cmp), so an unchanged file keeps
# its mtime and ninja does not rebuild it.  Build-file fragments live next to
# this script as *.frag files; each one starts with a header line naming where
# it goes:
#     # nicrig-anchor: after <exact line of the target file>
#     # nicrig-anchor: end
# and is inserted between "# nicrig:begin" / "# nicrig:end" marker lines
# ("/* nicrig:begin */" / "/* nicrig:end */" in a C file), replacing an
# earlier block, so running the script twice is a no-op.

set -eu

here=$(cd "$(dirname "$0")" && pwd)

die() {
    echo "Error: $*" >&2
    exit 1
}

[ $# -eq 1 ] || die "usage: $0 QEMU_TREE (a copy of a QEMU 10.0 source tree)"
tree=$1

[ -d "$tree" ] || die "$tree is not a directory; pass a copy of the QEMU 10.0 source tree"
[ -f "$tree/VERSION" ] || die "$tree/VERSION missing: $tree does not look like a QEMU source tree"
case $(cat "$tree/VERSION") in
10.0.*) ;;
*) die "$tree is QEMU $(cat "$tree/VERSION"), expected 10.0.x" ;;
esac
for f in hw/net/meson.build hw/net/Kconfig hw/net/trace-events \
         hw/net/net_tx_pkt.h hw/net/net_rx_pkt.h \
         tests/qtest/meson.build tests/qtest/libqos/meson.build \
         tests/qtest/fuzz/generic_fuzz_configs.h; do
    [ -f "$tree/$f" ] || die "$tree/$f missing: $tree does not look like QEMU 10.0"
done

# Refuse to modify the pristine tree that Makefile copies from.
if [ -n "${NICRIG_PRISTINE_QEMU:-}" ] &&
   [ "$(cd "$tree" && pwd)" = "$(cd "$NICRIG_PRISTINE_QEMU" && pwd)" ]; then
    die "$tree is the pristine QEMU tree; run glue.sh on a copy"
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/nicrig-glue.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

# install_file SRC DST: copy only if the content differs.
install_file() {
    if ! cmp -s "$1" "$2"; then
        cp "$1" "$2.nicrig-tmp"
        mv "$2.nicrig-tmp" "$2"
        echo "  GLUE    ${2#"$tree"/}"
    fi
}

# parse_anchor FRAG: sets mode and anchor from the fragment's first line
parse_anchor() {
    [ -f "$1" ] || die "fragment $1 missing; is qemu-device/ complete?"
    header=$(sed -n 1p "$1")
    case $header in
    "# nicrig-anchor: after "*)
        mode=after
        anchor=${header#"# nicrig-anchor: after "}
        ;;
    "# nicrig-anchor: end")
        mode=end
        anchor=
        ;;
    *)
        die "$1: first line must be '# nicrig-anchor: after LINE' or '# nicrig-anchor: end'"
        ;;
    esac
}

# check_anchor FRAG TARGET: fail before anything is modified
check_anchor() {
    parse_anchor "$1"
    if [ $mode = after ] && ! grep -qxF -- "$anchor" "$2"; then
        die "anchor line '$anchor' (from ${1#"$here"/}) not found in $2; is this QEMU 10.0?"
    fi
}

# apply_fragment FRAG TARGET
apply_fragment() {
    frag=$1
    target=$2
    parse_anchor "$frag"
    case $target in
    *.c|*.h) begin="/* nicrig:begin */" end="/* nicrig:end */" ;;
    *)       begin="# nicrig:begin" end="# nicrig:end" ;;
    esac

    # Drop an old nicrig block, if any.
    awk -v begin="$begin" -v end="$end" '
        $0 == begin { skip = 1; next }
        $0 == end   { skip = 0; next }
        !skip { print }
    ' "$target" > "$tmp/stripped"

    { echo "$begin"; sed 1d "$frag"; echo "$end"; } > "$tmp/block"

    if [ $mode = end ]; then
        cat "$tmp/stripped" "$tmp/block" > "$tmp/new"
    else
        if ! grep -qxF -- "$anchor" "$tmp/stripped"; then
            die "anchor line '$anchor' (from ${frag#"$here"/}) not found in $target; is this QEMU 10.0?"
        fi
        awk -v anchor="$anchor" -v block="$tmp/block" '
            { print }
            $0 == anchor && !done {
                while ((getline line < block) > 0) print line
                done = 1
            }
        ' "$tmp/stripped" > "$tmp/new"
    fi
    install_file "$tmp/new" "$target"
}

fragments="hw/net/meson.build hw/net/Kconfig hw/net/trace-events
           tests/qtest/meson.build tests/qtest/libqos/meson.build
           tests/qtest/fuzz/generic_fuzz_configs.h"
for f in $fragments; do
    check_anchor "$here/$f.frag" "$tree/$f"
done

mkdir -p "$tree/tests/qtest/libqos"

for f in "$here"/hw/net/*.c "$here"/hw/net/*.h; do
    [ -f "$f" ] && install_file "$f" "$tree/hw/net/$(basename "$f")"
done
for f in "$here"/tests/qtest/*.c; do
    [ -f "$f" ] && install_file "$f" "$tree/tests/qtest/$(basename "$f")"
done
for f in "$here"/tests/qtest/libqos/*.c "$here"/tests/qtest/libqos/*.h; do
    [ -f "$f" ] && install_file "$f" "$tree/tests/qtest/libqos/$(basename "$f")"
done

for f in $fragments; do
    apply_fragment "$here/$f.frag" "$tree/$f"
done

# Fixes to QEMU itself (fixes/NNNN-*.patch, applied with patch -p1 in name
# order, no fuzz).  The tree records which set it carries.  A tree without
# that record is taken to be an untouched copy and patched as it is; when
# the set changes, the files the old and the new set touch first come back
# from the pristine tree ($NICRIG_PRISTINE_QEMU), so only those files change.
patches=$(find "$here/fixes" -name '*.patch' 2>/dev/null | sort)
stamp=$tree/.nicrig-fixes
want=$(for p in $patches; do basename "$p"; cat "$p"; done | sha256sum | cut -d' ' -f1)
if [ "$(sed -n 1p "$stamp" 2>/dev/null)" != "$want" ]; then
    files=$(sed 1d "$stamp" 2>/dev/null || true)
    for p in $patches; do
        files="$files $(sed -n 's#^+++ b/\([^[:space:]]*\).*#\1#p' "$p")"
    done
    if [ -f "$stamp" ]; then
        [ -n "${NICRIG_PRISTINE_QEMU:-}" ] ||
            die "QEMU fixes changed since $tree was patched: set NICRIG_PRISTINE_QEMU to the pristine tree"
        for f in $(echo "$files" | tr ' ' '\n' | sort -u); do
            [ -f "$NICRIG_PRISTINE_QEMU/$f" ] || die "fixes touch $f, which the pristine tree lacks"
            cp "$NICRIG_PRISTINE_QEMU/$f" "$tree/$f"
        done
    fi
    for p in $patches; do
        echo "  PATCH   ${p#"$here"/}"
        patch -p1 -s -f --fuzz=0 --no-backup-if-mismatch -d "$tree" < "$p" >"$tmp/patch.log" 2>&1 ||
            { cat "$tmp/patch.log" >&2; die "${p#"$here"/} does not apply to $tree; is this QEMU 10.0.13?"; }
    done
    { echo "$want"; echo "$files" | tr ' ' '\n' | sort -u | sed '/^$/d'; } > "$stamp"
fi
exit 0
