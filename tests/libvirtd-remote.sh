#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# libvirtd-remote.sh start|stop DIR - a libvirt host that is "remote" as far
# as the network and the filesystem go, on this machine, for the remote
# engine's checks (make check-remote, README "libvirt"):
#
#   - its own network namespace (nicrig-remote), joined to this one by a
#     veth pair: this machine is 10.77.0.1, the host 10.77.0.2
#     (NICRIG_REMOTE_NET=10.77.0 to change the /24); libvirtd listens on
#     TCP there only (auth_tcp none: a test daemon, root only reaches it);
#   - its own mount namespace, with its own /run/libvirt, /var/lib/libvirt,
#     /var/cache/libvirt, /var/log/libvirt, /etc/libvirt/storage and, empty,
#     /tmp, /work and ~/.cache/nicrig, but for nicrig's QEMU build (the one
#     thing a remote host must have installed): the runner's sockets, the
#     results, the kernels and the initramfs are not there, so a boot works
#     only if nicrig stages the files through libvirt and the channels reach
#     back over the network.
#
#   URI: qemu+tcp://10.77.0.2/system
#
# `start` prints the URI; `stop` ends its daemons and removes the namespace.
# Needs root.
set -eu

cmd=${1:-}
dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: $0 start|stop DIR" >&2; exit 2; }
net=${NICRIG_REMOTE_NET:-10.77.0}
ns=nicrig-remote
top=$(cd "$(dirname "$0")/.." && pwd)

stop() {
	# the daemons by their pid files in DIR, as for the second local daemon
	"$top/tests/libvirtd-second.sh" stop "$dir"
	# what a daemon killed outright left in there (its QEMUs), by pid
	[ -e "/run/netns/$ns" ] && ip netns pids "$ns" | xargs -r kill 2>/dev/null
	ip netns del "$ns" 2>/dev/null || true
	ip link del nicrig-r0 2>/dev/null || true
}

case $cmd in
start)
	mkdir -p "$dir"
	dir=$(cd "$dir" && pwd)
	qemu_dir=$(sed -n 's/^QEMU_DIR=//p' "$top/build/config.mk")
	cache_dir=$(sed -n 's/^CACHE_DIR=//p' "$top/build/config.mk")
	[ -d "$qemu_dir" ] || { echo "libvirtd-remote.sh: no QEMU build (build/config.mk: QEMU_DIR)" >&2; exit 1; }
	ip netns list | grep -qw "$ns" && stop
	ip netns add "$ns"
	ip link add nicrig-r0 type veth peer name nicrig-r1
	ip link set nicrig-r1 netns "$ns"
	ip addr add "$net.1/24" dev nicrig-r0
	ip link set nicrig-r0 up
	ip -n "$ns" addr add "$net.2/24" dev nicrig-r1
	ip -n "$ns" link set nicrig-r1 up
	ip -n "$ns" link set lo up
	cat > "$dir/libvirtd.conf" <<EOF
listen_tls = 0
listen_tcp = 1
listen_addr = "$net.2"
auth_tcp = "none"
EOF
	cp "$top/build/bin/subreaper" "$dir/subreaper" 2>/dev/null || true
	# The pid files go out through fd 3 and 4: DIR is not visible in there.
	# ip netns exec gives a mount namespace of its own (private propagation).
	ip netns exec "$ns" sh -c '
		set -e
		exec 3>"$1/libvirtd.pid" 4>"$1/virtlogd.pid"
		for d in /run/libvirt /var/lib/libvirt /var/cache/libvirt /var/log/libvirt /etc/libvirt/storage; do
			mkdir -p "$d"
			mount -t tmpfs -o mode=0755 nicrig-remote "$d"
		done
		mkdir -p /var/lib/libvirt/qemu /var/cache/libvirt/qemu /var/log/libvirt/qemu
		cp "$1/libvirtd.conf" /var/lib/libvirt/libvirtd.conf
		[ -x "$1/subreaper" ] && cp "$1/subreaper" /var/lib/libvirt/subreaper
		# nicrig QEMU stays; the rest of the cache, the checkouts and /tmp go
		mkdir -p /var/cache/libvirt/qemu-stash
		mount --bind "$2" /var/cache/libvirt/qemu-stash
		mount -t tmpfs nicrig-remote "$3"
		mkdir -p "$2"
		mount --move /var/cache/libvirt/qemu-stash "$2"
		mount -t tmpfs nicrig-remote /tmp
		[ -d /work ] && mount -t tmpfs nicrig-remote /work
		virtlogd -d -p /run/libvirt/virtlogd.pid
		if [ -x /var/lib/libvirt/subreaper ]; then
			setsid /var/lib/libvirt/subreaper libvirtd -l -f /var/lib/libvirt/libvirtd.conf \
				-p /run/libvirt/libvirtd.pid </dev/null >/dev/null 2>&1 &
		else
			libvirtd -d -l -f /var/lib/libvirt/libvirtd.conf -p /run/libvirt/libvirtd.pid
		fi
		i=0
		while [ $i -lt 40 ] && ! [ -s /run/libvirt/libvirtd.pid ]; do sleep 0.25; i=$((i + 1)); done
		cat /run/libvirt/libvirtd.pid >&3
		cat /run/libvirt/virtlogd.pid >&4
	' sh "$dir" "$qemu_dir" "$cache_dir"
	uri="qemu+tcp://$net.2/system"
	i=0
	while [ $i -lt 40 ] && ! virsh -q -c "$uri" uri >/dev/null 2>&1; do
		sleep 0.25
		i=$((i + 1))
	done
	if ! virsh -q -c "$uri" uri >/dev/null 2>&1; then
		echo "libvirtd-remote.sh: the namespaced libvirtd did not answer on $uri" >&2
		stop
		exit 1
	fi
	echo "$uri"
	;;
stop)
	stop
	;;
*)
	echo "usage: $0 start|stop DIR" >&2
	exit 2
	;;
esac
