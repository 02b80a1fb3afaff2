#!/bin/sh
# build-qemu.sh - build nicrig's QEMU: the pinned tree plus qemu-device/.
#
# usage: build-qemu.sh PRISTINE_SRC OUT_DIR
#
# The pristine tree is never written to.  OUT_DIR/src is a copy of it with our
# device glue applied; OUT_DIR/build is the meson build directory.  Both persist
# in the cache, so a second build only recompiles what changed.
set -eu

src=$1
out=$2
top=$(cd "$(dirname "$0")/.." && pwd)
cache=${NICRIG_CACHE:-$HOME/.cache/nicrig}
meson_root=$cache/tools/meson

die() { echo "Error: $*" >&2; exit 1; }

[ -f "$src/VERSION" ] || die "$src is not a QEMU source tree (no VERSION file)"
case $(cat "$src/VERSION") in
10.0.*) ;;
*) die "$src is QEMU $(cat "$src/VERSION"); nicrig pins 10.0.y" ;;
esac
[ -x "$meson_root/usr/bin/meson" ] || die "meson 1.7 not unpacked in $meson_root; run 'make sources'"

mkdir -p "$out"
if [ ! -f "$out/src/VERSION" ] || [ "$(cat "$out/src/.nicrig-pristine" 2>/dev/null)" != "$src" ]; then
	echo "  COPY    $src -> $out/src"
	rm -rf "$out/src" "$out/build"
	cp -a "$src" "$out/src.tmp"
	echo "$src" > "$out/src.tmp/.nicrig-pristine"
	mv "$out/src.tmp" "$out/src"
fi

if [ -x "$top/qemu-device/glue.sh" ] || [ -f "$top/qemu-device/glue.sh" ]; then
	sh "$top/qemu-device/glue.sh" "$out/src"
fi

export PATH="$meson_root/usr/bin:$PATH"
export PYTHONPATH="$meson_root/usr/lib/python3/dist-packages${PYTHONPATH:+:$PYTHONPATH}"
cc=gcc
command -v ccache >/dev/null 2>&1 && cc="ccache gcc"
export CCACHE_DIR="${CCACHE_DIR:-$cache/ccache}"

flags="--python=/usr/bin/python3 --target-list=x86_64-softmmu --disable-install-blobs
	--disable-docs --without-default-features --enable-tcg --enable-kvm
	--disable-werror --disable-download"
stamp=$out/build/.nicrig-configure
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$flags $cc" ]; then
	echo "  CONFIGURE qemu"
	mkdir -p "$out/build"
	# shellcheck disable=SC2086
	(cd "$out/build" && "$out/src/configure" $flags --cc="$cc" >configure.log 2>&1) ||
		{ tail -n 20 "$out/build/configure.log" >&2; die "QEMU configure failed; full log: $out/build/configure.log"; }
	echo "$flags $cc" > "$stamp"
fi

echo "  NINJA   qemu-system-x86_64"
ninja -C "$out/build" ${NINJA_JOBS:+-j"$NINJA_JOBS"} qemu-system-x86_64 >"$out/build/ninja.log" 2>&1 ||
	{ tail -n 30 "$out/build/ninja.log" >&2; die "QEMU build failed; full log: $out/build/ninja.log"; }
