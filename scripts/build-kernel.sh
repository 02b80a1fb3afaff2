#!/bin/sh
# build-kernel.sh - build a rig kernel for one variant of the series.
#
# usage: build-kernel.sh PRISTINE_SRC VARIANT OUT_DIR
#        build-kernel.sh --own SRC BUILD_DIR
#
# The pristine tree becomes (once) a git repository in the cache; each variant
# gets a git worktree at OUT_DIR/src with its patches applied by `git am`, and
# an out-of-tree build at OUT_DIR/build.  Re-applying the same patches is
# skipped, and switching the patch set only rewrites the files the patches
# touch, so make and ccache rebuild as little as possible.
#
# --own builds a kernel tree of one's own (say net-next with a driver change)
# as it is, out of tree into BUILD_DIR, with the rig's config: what
# `nicrig test RIG --kernel BUILD_DIR --expect VARIANT` boots.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
die() { echo "Error: $*" >&2; exit 1; }
git_q() { git -c user.name=nicrig -c user.email=nicrig@example.invalid "$@"; }

# own_tree SRC BUILD_DIR: a tree of one's own, used as it is.
own_tree() {
	ksrc=$1
	b=$2
	variant="own tree $ksrc"
	[ -f "$ksrc/Makefile" ] && [ -f "$ksrc/Kbuild" ] || die "$ksrc is not a Linux source tree"
	mkdir -p "$b"
	ksrc=$(cd "$ksrc" && pwd)
	b=$(cd "$b" && pwd)
	[ "$ksrc" != "$b" ] || die "build $ksrc out of tree: BUILD_DIR must be another directory"
	ccache_base=$b
}

# variant_tree PRISTINE_SRC VARIANT OUT_DIR: the variant's worktree.
variant_tree() {
	src=$1
	variant=$2
	out=$3
	repo=$cache/src/linux-git

	[ -f "$src/Makefile" ] && grep -q '^VERSION = 7' "$src/Makefile" && grep -q '^PATCHLEVEL = 3' "$src/Makefile" ||
		die "$src is not a Linux 7.3 source tree"

	patchlist=$("$top/scripts/kernel-variant.sh" "$variant") || exit 1

	if [ ! -d "$repo/.git" ]; then
		echo "  GIT     importing $src (once)"
		rm -rf "$repo.tmp"
		cp -a "$src" "$repo.tmp"
		(cd "$repo.tmp" && git_q init -q && git_q add -A -f . && git_q commit -q -m "Linux $(make -s -C "$src" kernelversion 2>/dev/null || echo 7.3)" &&
			git_q tag nicrig-base) || die "could not import the kernel tree into git"
		mv "$repo.tmp" "$repo"
	fi

	mkdir -p "$out"
	if [ ! -e "$out/src/.git" ]; then
		git_q -C "$repo" worktree prune
		git_q -C "$repo" worktree add -q --detach "$out/src" nicrig-base || die "git worktree add $out/src failed"
	fi

	# What is applied is identified by the content of the patches, not their
	# names: .nicrig-patches lists the patch-ids in the order they were
	# applied, one commit each on nicrig-base.  The tree goes back only to the
	# last commit the wanted list shares with it (first-3 after first-5, or
	# bisect's next guess, drops two commits) and the rest is applied, so make
	# rebuilds only what the dropped and added patches touch.
	want=$(for p in $patchlist; do git patch-id --stable < "$p" | cut -d' ' -f1; done)
	have=$(cat "$out/.nicrig-patches" 2>/dev/null || true)
	nhave=$(printf '%s' "$have" | grep -c . || true)
	keep=$({ printf '%s\n' "$have" | grep . || true; echo --; printf '%s\n' "$want" | grep . || true; } |
		awk '$0 == "--" { s = 1; next } !s { h[++n] = $0; next } { w[++m] = $0 }
		     END { k = 0; while (k < n && k < m && h[k + 1] == w[k + 1]) k++; print k }')
	if [ ! -f "$out/.nicrig-patches" ] ||
	   [ "$(git_q -C "$out/src" rev-list --count nicrig-base..HEAD 2>/dev/null)" != "$nhave" ]; then
		# Unknown state: back to the base.
		rm -f "$out/.nicrig-patches"
		(cd "$out/src" && { git_q am --abort >/dev/null 2>&1 || true; } && git_q checkout -q -f --detach nicrig-base) ||
			die "could not reset $out/src to the base"
		nhave=0
	elif [ "$keep" -lt "$nhave" ]; then
		rm -f "$out/.nicrig-patches"
		git_q -C "$out/src" checkout -q -f --detach "HEAD~$((nhave - keep))" ||
			die "could not take $out/src back to its first $keep patches"
		printf '%s\n' "$want" | head -n "$keep" | grep . > "$out/.nicrig-patches" || : > "$out/.nicrig-patches"
		nhave=$keep
	fi
	todo=$(printf '%s\n' "$patchlist" | tail -n +"$((nhave + 1))")
	if [ -n "$todo" ] || [ ! -f "$out/.nicrig-patches" ]; then
		echo "  PATCH   $variant ($(printf '%s' "$todo" | grep -c . || true) of $(printf '%s' "$patchlist" | grep -c . || true) patches to apply)"
		rm -f "$out/.nicrig-patches"
		for p in $todo; do
			(cd "$out/src" && git_q am -q --3way "$p") >"$out/am.log" 2>&1 ||
				{ cat "$out/am.log" >&2; (cd "$out/src" && git_q am --abort) >/dev/null 2>&1; die "patch ${p##*/} does not apply to variant '$variant'"; }
		done
		if [ -n "$want" ]; then printf '%s\n' "$want"; fi > "$out/.nicrig-patches"
	fi

	ksrc=$out/src
	b=$out/build
	mkdir -p "$b"
	ccache_base=$(dirname "$out")
}

cache=${NICRIG_CACHE:-$HOME/.cache/nicrig}
jobs=${JOBS:-$(nproc)}
if [ "${1:-}" = --own ]; then
	[ $# -eq 3 ] || { echo "usage: $0 --own SRC BUILD_DIR" >&2; exit 2; }
	own_tree "$2" "$3"
else
	[ $# -eq 3 ] || { echo "usage: $0 PRISTINE_SRC VARIANT OUT_DIR | --own SRC BUILD_DIR" >&2; exit 2; }
	variant_tree "$1" "$2" "$3"
fi

frags="$top/kernel-patches/base.config $top/kernel-patches/nicrig.config ${RIG_CONFIG:-}"
fstamp=$(cat $frags | sha1sum | cut -d' ' -f1)
if [ "$(cat "$b/.nicrig-config" 2>/dev/null)" != "$fstamp" ] || [ ! -f "$b/.config" ]; then
	echo "  CONFIG  $variant"
	rm -f "$b/.nicrig-config"
	make -s -C "$ksrc" O="$b" allnoconfig >/dev/null
	# shellcheck disable=SC2086
	(cd "$b" && "$ksrc/scripts/kconfig/merge_config.sh" -m -O "$b" "$b/.config" $frags) >"$b/merge.log" 2>&1 ||
		{ cat "$b/merge.log" >&2; die "merging config fragments failed"; }
	make -s -C "$ksrc" O="$b" olddefconfig >/dev/null
	# Kconfig silently drops a symbol whose dependencies are unmet: catch it.
	missing=$(cat $frags | sed -n 's/^\(CONFIG_[A-Za-z0-9_]*\)=\(.*\)$/\1=\2/p' | while IFS= read -r want_line; do
		sym=${want_line%%=*}; val=${want_line#*=}
		if [ "$val" = n ]; then
			grep -q "^$sym=" "$b/.config" && echo "$want_line"
		else
			grep -qx "$want_line" "$b/.config" || echo "$want_line"
		fi
	done)
	[ -z "$missing" ] || die "kernel config lacks (unmet dependencies?): $(echo $missing)"
	echo "$fstamp" > "$b/.nicrig-config"
fi

cc=gcc
command -v ccache >/dev/null 2>&1 && cc="ccache gcc"
export CCACHE_DIR="${CCACHE_DIR:-$cache/ccache}"
# Variants live in different worktrees (OUT/src, OUT/build).  For ccache to
# share objects between them, paths must hash the same: base_dir makes the
# -I paths relative to the build directory, nohashdir drops the working
# directory, and -fmacro-prefix-map (which names the worktree) is left out of
# the hash; with it __FILE__ is relative, so the objects are the same anyway.
CCACHE_BASEDIR=$ccache_base
export CCACHE_BASEDIR CCACHE_NOHASHDIR=1
export CCACHE_IGNOREOPTIONS="-fmacro-prefix-map=*"
# Progress: kbuild's "  CC  file" lines so far, against the number a full
# build of the rig config took last time on this cache (any variant).
full_count=$cache/build/.kernel-full-objects
kbuild_steps() { grep -cE '^  (CC|AS|AR|LD)  ' "$1" 2>/dev/null || true; }
kernel_progress() {
	# 2235: a full build of the rig config at 7.3.4, measured 2026-12.
	_full=$(cat "$full_count" 2>/dev/null || true)
	case $_full in ''|*[!0-9]*) _full=2235 ;; esac
	[ "$_full" -ge 500 ] || _full=2235
	echo "$(kbuild_steps "$1") of about $_full compile/link steps"
}
. "$top/scripts/progress.sh"
fresh=0
[ -f "$b/vmlinux" ] || fresh=1
echo "  KERNEL  $variant (make -j$jobs bzImage, log: $b/build.log)"
# The kernel's make gets none of the caller's make flags: `make -s` (as nicrig
# bisect runs it) or V=1 would silence kbuild's "  CC" lines, which the
# progress count reads.
run_with_progress "kernel $variant" "$b/build.log" kernel_progress \
	env -u MAKEFLAGS -u MFLAGS -u MAKEOVERRIDES make -C "$ksrc" O="$b" -j"$jobs" CC="$cc" bzImage ||
	{ grep -E 'error|Error' "$b/build.log" | head -n 20 >&2; die "kernel build failed; full log: $b/build.log"; }
# A fresh build's count becomes the estimate, unless it is implausibly small
# (a build whose log lacks the step lines must not leave "about 0").
steps=$(kbuild_steps "$b/build.log")
if [ "$fresh" = 1 ] && [ "${steps:-0}" -ge 500 ]; then
	echo "$steps" > "$full_count.tmp" && mv "$full_count.tmp" "$full_count" || true
fi
