#!/bin/sh
# apt-private.sh - run apt-get against newer Debian suites without touching the
# host's apt state.
#
# The host is configured for bookworm only.  Newer packages (linux-source-7.3,
# QEMU 10.0's source, meson 1.7) come from trixie and trixie-backports, through
# the same mirror the host already uses.  Everything apt writes (lists, archives,
# the sources list itself) lives under $NICRIG_CACHE/apt; only download-only
# operations are ever run through it.
#
# usage: apt-private.sh update
#        apt-private.sh download PKG...        (binary .debs into the cwd)
#        apt-private.sh source PKG             (source package into the cwd)
#        apt-private.sh uri                    (print the mirror URI in use)
set -eu

cache=${NICRIG_CACHE:-$HOME/.cache/nicrig}
dir=$cache/apt
suites=${NICRIG_APT_SUITES:-"trixie trixie-backports"}

die() { echo "Error: $*" >&2; exit 1; }

# The mirror URI the host's own apt configuration names for Debian's main
# archive (not -security).  Deb822 files first, then one-line sources.list.
host_mirror_uri() {
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -r "$f" ] || continue
		awk '
			/^[ \t]*$/ { if (uri != "" && suites !~ /security/) { print uri; exit } uri = ""; suites = ""; next }
			/^URIs:/   { uri = $2 }
			/^Suites:/ { suites = $0 }
			END        { if (uri != "" && suites !~ /security/) print uri }
		' "$f" | head -n 1
	done | head -n 1
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -r "$f" ] || continue
		awk '$1 == "deb" && $0 !~ /security/ {
			for (i = 2; i <= NF; i++) if ($i !~ /^\[/ && $i !~ /\]$/) { print $i; exit }
		}' "$f"
	done | head -n 1
}

uri=${NICRIG_APT_URI:-$(host_mirror_uri | head -n 1)}
[ -n "$uri" ] || die "no Debian mirror found in /etc/apt/sources.list{,.d}; set NICRIG_APT_URI"

keyring=/usr/share/keyrings/debian-archive-keyring.gpg
[ -r "$keyring" ] || die "$keyring missing; install package debian-archive-keyring"

mkdir -p "$dir/lists/partial" "$dir/archives/partial" "$dir/etc/parts" "$dir/etc/prefs"
list=$dir/etc/sources.list
tmp=$list.tmp.$$
: > "$tmp"
for s in $suites; do
	echo "deb [signed-by=$keyring] $uri $s main" >> "$tmp"
	echo "deb-src [signed-by=$keyring] $uri $s main" >> "$tmp"
done
mv "$tmp" "$list"

apt_private() {
	set -- -q \
		-o Dir::Etc::SourceList="$list" \
		-o Dir::Etc::SourceParts="$dir/etc/parts" \
		-o Dir::Etc::PreferencesParts="$dir/etc/prefs" \
		-o Dir::State::Lists="$dir/lists" \
		-o Dir::State::Status=/dev/null \
		-o Dir::Cache="$dir" \
		-o Dir::Cache::Archives="$dir/archives" \
		-o Dir::Cache::pkgcache="" -o Dir::Cache::srcpkgcache="" \
		-o APT::Get::List-Cleanup=0 \
		"$@"
	[ "$(id -u)" = 0 ] && set -- -o APT::Sandbox::User=root "$@"
	apt-get "$@"
}

cmd=${1:-}
[ $# -gt 0 ] && shift
case $cmd in
uri)      echo "$uri" ;;
update)   apt_private update ;;
download) apt_private download "$@" ;;
source)   apt_private source --download-only "$@" ;;
*)        die "usage: $0 update|download PKG...|source PKG|uri" ;;
esac
