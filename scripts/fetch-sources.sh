#!/bin/sh
# fetch-sources.sh - resolve a pinned source tree and print its path.
#
# usage: fetch-sources.sh linux|qemu|meson [USER_PATH]
#
# Order (DESIGN.md, "Pinned sources"): the path the user gave to configure;
# the cache; Debian's package through a private apt configuration that reuses
# the host's own mirror (scripts/apt-private.sh).  apt verifies what it
# downloads against Debian's signed release files, and the exact versions
# below are pinned: a different version is refused.
#
# Upstream tarballs (kernel.org, qemu.org) would come before Debian, but this
# project's machines reach no host but Debian's archive, so that step is not
# implemented; see README ("Sources").
set -eu

what=${1:?usage: fetch-sources.sh linux|qemu|meson [PATH]}
user=${2:-}
top=$(cd "$(dirname "$0")/.." && pwd)
cache=${NICRIG_CACHE:-$HOME/.cache/nicrig}
dl=$cache/dl
src=$cache/src

LINUX_PKG=linux-source-7.3
LINUX_VERSION=7.3.4
QEMU_VERSION=10.0.13
QEMU_DEB=1:10.0.13+ds-0+deb13u1
MESON_DEB=1.7.0-1

die() { echo "Error: $*" >&2; exit 1; }
say() { echo "  SOURCE  $*" >&2; }

apt_private() { "$top/scripts/apt-private.sh" "$@" >"$dl/apt.log" 2>&1 || { tail -n 5 "$dl/apt.log" >&2; return 1; }; }

apt_updated=
apt_update_once() {
	[ -n "$apt_updated" ] && return 0
	say "apt lists (private: trixie, trixie-backports)"
	apt_private update || die "private apt update failed; log: $dl/apt.log"
	apt_updated=1
}

mkdir -p "$dl" "$src"
cd "$dl"

case $what in
linux)
	if [ -n "$user" ]; then
		[ -f "$user/Makefile" ] || die "--kernel-src=$user: no Makefile there"
		v=$(make -s -C "$user" kernelversion 2>/dev/null) || die "--kernel-src=$user is not a kernel tree"
		case $v in 7.3.*) ;; *) die "--kernel-src=$user is Linux $v; nicrig pins 7.3.y" ;; esac
		echo "$user"; exit 0
	fi
	tree=$src/$LINUX_PKG
	if [ -f "$tree/.nicrig-ok" ]; then echo "$tree"; exit 0; fi
	deb=$(ls "$dl"/${LINUX_PKG}_${LINUX_VERSION}-*_all.deb 2>/dev/null | head -n 1 || true)
	if [ -z "$deb" ]; then
		apt_update_once
		say "$LINUX_PKG (Debian, trixie-backports)"
		apt_private download "$LINUX_PKG" || die "could not download $LINUX_PKG; log: $dl/apt.log"
		deb=$(ls "$dl"/${LINUX_PKG}_*_all.deb | head -n 1)
		case $deb in *_${LINUX_VERSION}-*) ;; *) die "Debian now ships $(basename "$deb"), not $LINUX_VERSION: update the pin in $0" ;; esac
	fi
	say "unpacking $(basename "$deb")"
	rm -rf "$tree.tmp" && mkdir -p "$tree.tmp"
	dpkg-deb --fsys-tarfile "$deb" | tar -xO "./usr/src/$LINUX_PKG.tar.xz" | tar -xJ -C "$tree.tmp" ||
		die "unpacking $deb failed"
	v=$(make -s -C "$tree.tmp/$LINUX_PKG" kernelversion)
	[ "$v" = "$LINUX_VERSION" ] || die "$deb holds Linux $v, expected $LINUX_VERSION"
	rm -rf "$tree" && mv "$tree.tmp/$LINUX_PKG" "$tree" && rmdir "$tree.tmp"
	touch "$tree/.nicrig-ok"
	echo "$tree"
	;;
qemu)
	if [ -n "$user" ]; then
		[ -f "$user/VERSION" ] || die "--qemu-src=$user: no VERSION file there"
		case $(cat "$user/VERSION") in 10.0.*) ;; *) die "--qemu-src=$user is QEMU $(cat "$user/VERSION"); nicrig pins 10.0.y" ;; esac
		echo "$user"; exit 0
	fi
	tree=$src/qemu-$QEMU_VERSION
	if [ -f "$tree/.nicrig-ok" ]; then echo "$tree"; exit 0; fi
	dsc=$dl/qemu_${QEMU_DEB#*:}.dsc
	if [ ! -f "$dsc" ]; then
		apt_update_once
		say "qemu $QEMU_DEB source (Debian, trixie)"
		apt_private source "qemu=$QEMU_DEB" || die "could not download the qemu source package; log: $dl/apt.log"
	fi
	say "dpkg-source -x $(basename "$dsc")"
	rm -rf "$tree"
	dpkg-source -q -x "$dsc" "$tree" >"$dl/dpkg-source.log" 2>&1 ||
		{ tail -n 5 "$dl/dpkg-source.log" >&2; die "dpkg-source -x $dsc failed"; }
	[ "$(cat "$tree/VERSION")" = "$QEMU_VERSION" ] || die "$dsc unpacked to QEMU $(cat "$tree/VERSION")"
	touch "$tree/.nicrig-ok"
	echo "$tree"
	;;
meson)
	root=$cache/tools/meson
	if [ -x "$root/usr/bin/meson" ] && [ -d "$root/usr/lib/python3/dist-packages/pycotap" ]; then
		echo "$root"; exit 0
	fi
	if ! ls "$dl"/meson_${MESON_DEB}_all.deb >/dev/null 2>&1 || ! ls "$dl"/python3-pycotap_*_all.deb >/dev/null 2>&1; then
		apt_update_once
		say "meson $MESON_DEB, python3-pycotap (Debian, trixie)"
		apt_private download "meson=$MESON_DEB" python3-pycotap || die "could not download meson; log: $dl/apt.log"
	fi
	rm -rf "$root.tmp"
	mkdir -p "$cache/tools"	# dpkg-deb -x makes the last directory only
	for d in "$dl"/meson_${MESON_DEB}_all.deb "$dl"/python3-pycotap_*_all.deb; do
		dpkg-deb -x "$d" "$root.tmp" || die "unpacking $d failed"
	done
	rm -rf "$root" && mv "$root.tmp" "$root"
	echo "$root"
	;;
*)
	die "unknown source '$what' (linux, qemu, meson)"
	;;
esac
