#!/bin/sh
# mkinitramfs.sh - pack the guest's initramfs.
#
# usage: mkinitramfs.sh OUT.cpio.gz AGENT BPFTOOL [TEST_PROGS [XSKXCEIVER]]
#
# busybox (static) provides the coreutils; /bin/sh, ip, ethtool and bpftool
# come from the host, with the shared libraries they need copied beside them,
# so a person in `nicrig boot` has the real tools.  The agent is static.
# TEST_PROGS, the kernel BPF selftests' runner (scripts/build-selftests.sh),
# goes to /usr/lib/kselftest/bpf/test_progs, stripped; XSKXCEIVER, the AF_XDP
# suite (same script), beside it.
#
# bpftool and the agent go in stripped too (their symbols stay in the
# build directory's copies): 4 MB less for the guest kernel to unpack on a
# TCG vCPU.  (An uncompressed archive unpacked no faster: the copying
# costs a TCG vCPU about what gunzip does.)
set -eu

out=$1
agent=$2
bpftool=$3
test_progs=${4:-}
xskxceiver=${5:-}
here=$(cd "$(dirname "$0")" && pwd)
root=$(mktemp -d "${TMPDIR:-/tmp}/nicrig-initramfs.XXXXXX")
trap 'rm -rf "$root"' EXIT

die() { echo "Error: $*" >&2; exit 1; }

mkdir -p "$root/bin" "$root/sbin" "$root/usr/bin" "$root/usr/sbin" "$root/lib64" \
	"$root/proc" "$root/sys" "$root/dev" "$root/tmp" "$root/etc" "$root/root" \
	"$root/run" "$root/var"
# iproute2 keeps named network namespaces in /var/run/netns.
ln -s ../run "$root/var/run"

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

rm -f "$root/bin/ip" "$root/bin/tc" "$root/sbin/tc"
copy_with_libs /sbin/ip /sbin/ip
# iproute2's tc: busybox tc knows no clsact, matchall or mirred (the BPF
# selftests' clone_* cases use them).
copy_with_libs /sbin/tc /sbin/tc
# /bin/sh is dash, not busybox: busybox's shell runs its own applets before
# anything in PATH, so `ip` in a script or a system() call (the BPF selftests
# call `ip netns add`, `ip link add ... type vlan proto 802.1ad`, `... type
# gretap`) would get busybox ip, which knows none of these.  dash looks `ip`
# up in PATH and finds the real one; busybox's shell is still there as `ash`.
rm -f "$root/bin/sh"
copy_with_libs /bin/dash /bin/sh
copy_with_libs "$(command -v ethtool)" /usr/sbin/ethtool
copy_with_libs "$bpftool" /usr/sbin/bpftool
${STRIP:-strip} "$root/usr/sbin/bpftool"
${STRIP:-strip} -o "$root/usr/bin/nicrig-agent" "$agent"
if [ -n "$test_progs" ]; then
	[ -x "$test_progs" ] || die "$test_progs missing; run scripts/build-selftests.sh"
	mkdir -p "$root/usr/lib/kselftest/bpf"
	${STRIP:-strip} -o "$root/usr/lib/kselftest/bpf/test_progs" "$test_progs"
fi
if [ -n "$xskxceiver" ]; then
	[ -x "$xskxceiver" ] || die "$xskxceiver missing; run scripts/build-selftests.sh"
	mkdir -p "$root/usr/lib/kselftest/bpf"
	${STRIP:-strip} -o "$root/usr/lib/kselftest/bpf/xskxceiver" "$xskxceiver"
fi
cp "$here/init" "$root/init"
chmod 755 "$root/init"
echo "root:x:0:0:root:/root:/bin/sh" > "$root/etc/passwd"

(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) | gzip -6 > "$out.tmp"
mv "$out.tmp" "$out"
