#!/bin/sh
# build-qemu.sh - build nicrig's QEMU: the pinned tree plus qemu-device/.
#
# usage: build-qemu.sh [--fuzz] PRISTINE_SRC OUT_DIR [NINJA_TARGET...]
#
# Targets default to qemu-system-x86_64; `make qtest` adds
# tests/qtest/qos-test.
# --fuzz configures the fuzzing build instead (`make fuzz`): clang-14 with
# libFuzzer, ASan and UBSan (--enable-fuzzing --enable-asan --enable-ubsan:
# QEMU 10.0 has no --enable-sanitizers), KVM as
# the only accelerator (the fuzzer runs its machine under qtest; TCG is the
# largest part of a build and never runs), target qemu-fuzz-x86_64.
# The pristine tree is never written to.  OUT_DIR/src is a copy of it with our
# device glue applied; OUT_DIR/build is the meson build directory.  Both persist
# in the cache, so a second build only recompiles what changed.
set -eu

fuzz=0
if [ "${1:-}" = --fuzz ]; then
	fuzz=1
	shift
fi
src=$1
out=$2
shift 2
if [ $fuzz = 1 ]; then
	targets=${*:-qemu-fuzz-x86_64}
else
	targets=${*:-qemu-system-x86_64}
fi
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

NICRIG_PRISTINE_QEMU=$src sh "$top/qemu-device/glue.sh" "$out/src" ||
	die "applying qemu-device/ to $out/src failed"

export PATH="$meson_root/usr/bin:$PATH"
export PYTHONPATH="$meson_root/usr/lib/python3/dist-packages${PYTHONPATH:+:$PYTHONPATH}"
cc=gcc
command -v ccache >/dev/null 2>&1 && cc="ccache gcc"
export CCACHE_DIR="${CCACHE_DIR:-$cache/ccache}"

flags="--python=/usr/bin/python3 --target-list=x86_64-softmmu --disable-install-blobs
	--disable-docs --without-default-features --enable-tcg --enable-kvm
	--disable-werror --disable-download"
if [ $fuzz = 1 ]; then
	command -v clang-14 >/dev/null 2>&1 ||
		die "no clang-14 for the fuzzing build; run ./configure --install-deps (packages clang-14, libclang-rt-14-dev)"
	cc=clang-14
	command -v ccache >/dev/null 2>&1 && cc="ccache clang-14"
	flags="--python=/usr/bin/python3 --target-list=x86_64-softmmu --disable-install-blobs
	--disable-docs --without-default-features --disable-tcg --enable-kvm
	--disable-werror --disable-download --enable-fuzzing --enable-asan --enable-ubsan"
	cxx=${cc%clang-14}clang++-14
fi
stamp=$out/build/.nicrig-configure
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$flags $cc" ]; then
	echo "  CONFIGURE qemu"
	mkdir -p "$out/build"
	# shellcheck disable=SC2086
	(cd "$out/build" && if [ $fuzz = 1 ]; then "$out/src/configure" $flags --cc="$cc" --cxx="$cxx"
		else "$out/src/configure" $flags --cc="$cc"; fi >configure.log 2>&1) ||
		{ tail -n 20 "$out/build/configure.log" >&2; die "QEMU configure failed; full log: $out/build/configure.log"; }
	echo "$flags $cc" > "$stamp"
fi

# Progress: ninja's own "[done/total]" counter, from its last status line.
ninja_progress() {
	n=$(grep -o '^\[[0-9]*/[0-9]*\]' "$1" 2>/dev/null | tail -n 1 | tr -d '[]')
	echo "${n:-0/?} build steps"
}
. "$top/scripts/progress.sh"
echo "  NINJA   $targets (log: $out/build/ninja.log)"
# shellcheck disable=SC2086
run_with_progress "qemu" "$out/build/ninja.log" ninja_progress \
	ninja -C "$out/build" ${NINJA_JOBS:+-j"$NINJA_JOBS"} $targets ||
	{ tail -n 30 "$out/build/ninja.log" >&2; die "QEMU build failed; full log: $out/build/ninja.log"; }

# Debian's "+ds" source ships no firmware; qtests look for it in the build's
# bundle directory.  Point that at bookworm's seabios, qemu-system-data and
# ipxe-qemu, as the rigs do with -L.
bundle=$out/build/qemu-bundle/usr/local/share/qemu
mkdir -p "$bundle"
for f in /usr/share/seabios/*.bin /usr/share/qemu/*.bin /usr/lib/ipxe/qemu/*.rom; do
	[ -e "$f" ] && [ ! -e "$bundle/${f##*/}" ] && ln -s "$f" "$bundle/${f##*/}"
done
true
