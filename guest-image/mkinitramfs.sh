#!/bin/sh
# mkinitramfs.sh - pack the guest's initramfs.
#
# usage: mkinitramfs.sh OUT.cpio.gz AGENT BPFTOOL
#
# busybox (static) provides the shell and coreutils; ip, ethtool and bpftool
# come from the host, with the shared libraries they need copied beside them,
# so a person in `nicrig boot` has the real tools.  The agent is static.
set -eu

out=$1
agent=$2
bpftool=$3
here=$(cd "$(dirname "$0")" && pwd)
root=$(mktemp -d "${TMPDIR:-/tmp}/nicrig-initramfs.XXXXXX")
trap 'rm -rf "$root"' EXIT

die() { echo "Error: $*" >&2; exit 1; }

mkdir -p "$root/bin" "$root/sbin" "$root/usr/bin" "$root/usr/sbin" "$root/lib64" \
	"$root/proc" "$root/sys" "$root/dev" "$root/tmp" "$root/etc" "$root/root"

[ -x /bin/busybox ] || die "/bin/busybox missing; install busybox-static"
cp /bin/busybox "$root/bin/busybox"
for app in $(/bin/busybox --list); do
	[ -e "$root/bin/$app" ] || ln -s busybox "$root/bin/$app"
done

# Copies a dynamically linked program and the libraries ldd names.
copy_with_libs() {
	src=$1 dst=$2
	[ -x "$src" ] || die "$src missing"
	cp "$src" "$root$dst"
	ldd "$src" 2>/dev/null | awk '/=>/ { print $3 } /^\t\/lib/ { print $1 }' | while read -r lib; do
		[ -f "$lib" ] || continue
		mkdir -p "$root$(dirname "$lib")"
		[ -e "$root$lib" ] || cp -L "$lib" "$root$lib"
	done
}

rm -f "$root/bin/ip"
copy_with_libs /sbin/ip /sbin/ip
copy_with_libs "$(command -v ethtool)" /usr/sbin/ethtool
copy_with_libs "$bpftool" /usr/sbin/bpftool
cp "$agent" "$root/usr/bin/nicrig-agent"
cp "$here/init" "$root/init"
chmod 755 "$root/init"
echo "root:x:0:0:root:/root:/bin/sh" > "$root/etc/passwd"

(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) | gzip -6 > "$out.tmp"
mv "$out.tmp" "$out"
