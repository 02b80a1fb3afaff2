#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# libvirtd-second.sh start|stop DIR - a second libvirt "host" on this machine,
# for `make check`'s two-connection matrix: a libvirtd of its own (and its
# virtlogd) in a private mount namespace, with its own state, cache, logs
# and capabilities (tmpfs over /run/libvirt, /var/lib/libvirt,
# /var/cache/libvirt, /var/log/libvirt), answering only on a UNIX socket in
# DIR (root only, no network):
#
#   URI: qemu+unix:///system?socket=DIR/libvirt-sock
#
# It sees the same /tmp and files as the first daemon, so the runner's
# sockets and the kernel reach its QEMU as they reach the first one's.
# `start` prints the URI; `stop` ends the two daemons it started (their pid
# files in DIR).  Needs root (a mount namespace).  libvirtd runs under
# build/bin/subreaper where there is one (see tools/subreaper.c).
set -eu

cmd=${1:-}
dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: $0 start|stop DIR" >&2; exit 2; }

case $cmd in
start)
	mkdir -p "$dir"
	chmod 0700 "$dir"
	dir=$(cd "$dir" && pwd)
	cat > "$dir/libvirtd.conf" <<EOF
unix_sock_dir = "$dir"
unix_sock_rw_perms = "0700"
unix_sock_ro_perms = "0700"
unix_sock_admin_perms = "0700"
auth_unix_rw = "none"
auth_unix_ro = "none"
listen_tls = 0
listen_tcp = 0
EOF
	rm -f "$dir/libvirt-sock"
	# unshare -m: private propagation, so the tmpfs mounts stay in there;
	# the daemons keep the namespace alive after this shell exits.
	unshare -m sh -c '
		set -e
		for d in /run/libvirt /var/lib/libvirt /var/cache/libvirt /var/log/libvirt; do
			mkdir -p "$d"
			mount -t tmpfs -o mode=0755 nicrig-libvirt2 "$d"
		done
		mkdir -p /var/lib/libvirt/qemu /var/cache/libvirt/qemu /var/log/libvirt/qemu
		virtlogd -d -p "$1/virtlogd.pid"
		if [ -x "$2" ]; then
			setsid "$2" libvirtd -f "$1/libvirtd.conf" -p "$1/libvirtd.pid" </dev/null >/dev/null 2>&1 &
		else
			libvirtd -d -f "$1/libvirtd.conf" -p "$1/libvirtd.pid"
		fi
	' sh "$dir" "$(cd "$(dirname "$0")/.." && pwd)/build/bin/subreaper"
	i=0
	while [ $i -lt 40 ] && ! virsh -q -c "qemu+unix:///system?socket=$dir/libvirt-sock" uri >/dev/null 2>&1; do
		sleep 0.25
		i=$((i + 1))
	done
	if ! virsh -q -c "qemu+unix:///system?socket=$dir/libvirt-sock" uri >/dev/null 2>&1; then
		echo "libvirtd-second.sh: the second libvirtd did not answer on $dir/libvirt-sock" >&2
		"$0" stop "$dir"
		exit 1
	fi
	echo "qemu+unix:///system?socket=$dir/libvirt-sock"
	;;
stop)
	for p in libvirtd virtlogd; do
		if [ -s "$dir/$p.pid" ]; then
			pid=$(cat "$dir/$p.pid")
			kill "$pid" 2>/dev/null || true
			i=0
			while [ $i -lt 40 ] && kill -0 "$pid" 2>/dev/null; do sleep 0.25; i=$((i + 1)); done
			rm -f "$dir/$p.pid"
		fi
	done
	;;
*)
	echo "usage: $0 start|stop DIR" >&2
	exit 2
	;;
esac
