#!/bin/sh
# build-selftests.sh - build the kernel BPF selftests' test_progs runner with
# only prog_tests/xdp_context_test_run.c in it (the series' L2-decap tests and
# their neighbours), and the AF_XDP suite's xskxceiver, statically linked for
# the guest.
#
# usage: build-selftests.sh PRISTINE_SRC VARIANT KERNEL_BUILD BPF_TOOLS OUT_DIR
#
#   PRISTINE_SRC  the pinned kernel tree (never modified)
#   VARIANT       whose patches' tools/ parts make the selftests' sources
#                 (kernel-patches/variants; `series` for the series' tests)
#   KERNEL_BUILD  a kernel build directory: vmlinux (BTF) for vmlinux.h and
#                 include/generated
#   BPF_TOOLS     nicrig's bpf-tools directory (libbpf/root, bpftool/bpftool)
#   OUT_DIR       where everything goes; OUT_DIR/test_progs and
#                 OUT_DIR/xskxceiver are the products
#
# The sources are OUT_DIR/src/tools: a copy of the pristine tools/ with the
# variant's patches applied to it (only their tools/ files, `git apply
# --include`; with the few kernel files that tools/ links to).  The selftests
# need nothing else, so this never
# touches a kernel worktree, and works when the rest of a patch no longer
# applies.  The copy is redone only when the patches change (their patch-ids);
# it keeps the pristine files' times, so only what a patch touches rebuilds.
#
# Environment: CLANG (clang-19), CC (cc), V=1 for full commands.
#
# This is the subset of tools/testing/selftests/bpf/Makefile's test_progs rules
# that one test file needs, with the same flags: the BPF objects it embeds
# (progs/test_xdp_meta.c, progs/test_xdp_context_test_run.c) against the
# kernel's own vmlinux.h, their skeletons from bpftool, a tests.h listing only
# this file's tests, test_progs.c and the helpers the link needs.  The whole
# test_progs wants a newer toolchain (and hours).  Differences from upstream:
# static link against nicrig's libbpf.a; no libpcap (no --traffic-monitor);
# guest-image/selftests/session_key.c wrapped around syscall() so that the
# runner starts on kernels without CONFIG_KEYS (see that file).
#
# xskxceiver is the Makefile's own rule for it (xskxceiver.c, xsk.c,
# network_helpers.c, tools/lib/find_bit.c, prog_tests/test_xsk.c and the
# xsk_xdp_progs skeleton, same CFLAGS), linked statically against the same
# libbpf.a; test_xsk.sh, which only passes -i/-m/-t on to it and needs bash,
# is left out: the guest agent runs xskxceiver itself.
#
# Every step is skipped when its output is newer than its inputs; vmlinux.h is
# only replaced when its content changes, so a kernel rebuild that leaves the
# BTF alone rebuilds nothing here.
set -eu

die() { echo "Error: $*" >&2; exit 1; }
absdir() { [ -d "$1" ] || die "$1: no such directory"; (cd "$1" && pwd); }

[ $# -eq 5 ] || { echo "usage: $0 PRISTINE_SRC VARIANT KERNEL_BUILD BPF_TOOLS OUT_DIR" >&2; exit 2; }
pristine=$(absdir "$1")
variant=$2
kbuild=$(absdir "$3")
bpft=$(absdir "$4")
out=$5
top=$(cd "$(dirname "$0")/.." && pwd)
CLANG=${CLANG:-clang-19}
CC=${CC:-cc}
msg() { [ "${V:-0}" = 1 ] || printf '  %-8s %s\n' "$1" "$2"; }
run() { [ "${V:-0}" != 1 ] || echo "$*"; "$@"; }

[ -d "$pristine/tools/testing/selftests/bpf" ] || die "$pristine has no tools/testing/selftests/bpf: not a kernel tree"
mkdir -p "$out"
out=$(cd "$out" && pwd)

# ---- the sources: pristine tools/ plus the variant's tools/ changes --------
patchlist=$("$top/scripts/kernel-variant.sh" "$variant") || exit 1
ksrc=$out/src
want=$(for p in $patchlist; do git patch-id --stable < "$p" | cut -d' ' -f1; done)
if [ ! -d "$ksrc/tools" ] || [ "$(cat "$ksrc/.nicrig-patches" 2>/dev/null)" != "$want" ] ||
   [ -n "$(find "$top/scripts/build-selftests.sh" -newer "$ksrc/.nicrig-patches")" ]; then
	msg PATCH "$ksrc/tools ($variant, tools/ only)"
	rm -rf "$ksrc" "$ksrc.tmp"
	mkdir -p "$ksrc.tmp"
	cp -a "$pristine/tools" "$ksrc.tmp/tools"
	# Some files in tools/ are symlinks into the kernel proper (the
	# selftests' disasm.c -> kernel/bpf/disasm.c): copy their targets too,
	# and let the patches change them as well.
	incl="--include=tools/*"
	for t in $(cd "$pristine" && find tools -type l -exec realpath -m --relative-to=. {} + | grep -v '^tools/' | sort -u); do
		[ -e "$pristine/$t" ] || continue
		mkdir -p "$ksrc.tmp/${t%/*}"
		cp -a "$pristine/$t" "$ksrc.tmp/$t"
		incl="$incl --include=$t"
	done
	for p in $patchlist; do
		# Outside any repository, so git apply patches the files as is.
		# shellcheck disable=SC2086
		(cd "$ksrc.tmp" && GIT_CEILING_DIRECTORIES=$out git apply -p1 $incl "$p") ||
			die "the tools/ part of ${p##*/} does not apply to $pristine/tools"
	done
	if [ -n "$want" ]; then printf '%s\n' "$want"; fi > "$ksrc.tmp/.nicrig-patches"
	mv "$ksrc.tmp" "$ksrc"
fi

st=$ksrc/tools/testing/selftests/bpf
libbpf_inc=$bpft/libbpf/root/usr/include
libbpf_a=$bpft/libbpf/root/usr/lib64/libbpf.a
bpftool=$bpft/bpftool/bpftool
shim=$top/guest-image/selftests/session_key.c
# Objects depend on this script too: it holds their flags.
self=$top/scripts/build-selftests.sh

[ -f "$st/prog_tests/xdp_context_test_run.c" ] || die "$st has no prog_tests/xdp_context_test_run.c: not a kernel tree with BPF selftests"
[ -f "$kbuild/vmlinux" ] || die "$kbuild/vmlinux missing: build the kernel first (make kernel VARIANT=...)"
if [ ! -f "$libbpf_a" ] || [ ! -x "$bpftool" ]; then
	die "libbpf.a or bpftool missing under $bpft: run make bpf-tools"
fi
command -v "$CLANG" >/dev/null || die "$CLANG not found; install clang-19 (or set CLANG)"
command -v openssl >/dev/null || die "openssl not found (test_progs embeds a signing certificate); install openssl"

mkdir -p "$out/obj" "$out/prog_tests"

# stale TARGET DEP...: true if TARGET is missing or older than a DEP.
stale() {
	t=$1
	shift
	[ -e "$t" ] || return 0
	[ -n "$(find "$@" -prune -newer "$t" 2>/dev/null | head -n1)" ]
}

# stale_dep TARGET DEPFILE DEP...: as stale, plus every prerequisite the
# compiler's -MMD file lists; a missing DEPFILE makes TARGET stale.
stale_dep() {
	t=$1 d=$2
	shift 2
	[ -f "$d" ] || return 0
	# shellcheck disable=SC2046
	stale "$t" "$@" $(sed -e 's/\\$//' -e 's/^[^:]*://' "$d")
}

# ---- vmlinux.h from the variant's BTF --------------------------------------
# (The stamp says when vmlinux was last looked at; vmlinux.h itself keeps its
# time when the dump comes out the same.)
if stale "$out/vmlinux.h.stamp" "$kbuild/vmlinux" "$bpftool"; then
	"$bpftool" btf dump file "$kbuild/vmlinux" format c > "$out/vmlinux.h.tmp" ||
		die "bpftool could not dump the BTF of $kbuild/vmlinux (CONFIG_DEBUG_INFO_BTF?)"
	if cmp -s "$out/vmlinux.h.tmp" "$out/vmlinux.h"; then
		rm -f "$out/vmlinux.h.tmp"
	else
		msg GEN "$out/vmlinux.h"
		mv "$out/vmlinux.h.tmp" "$out/vmlinux.h"
	fi
	touch "$out/vmlinux.h.stamp"
fi

# ---- BPF objects and skeletons (CLANG_BPF_BUILD_RULE, default flavour) -----
# The selftests Makefile's BPF_CFLAGS + CLANG_CFLAGS + -DENABLE_ATOMICS_TESTS;
# the prefix map makes __FILE__ progs/x.c, as upstream's build in the tree.
sys_inc=$("$CLANG" -v -E - </dev/null 2>&1 |
	sed -n '/<...> search starts here:/,/End of search list./{ s| \(/.*\)|-idirafter \1|p }')
bpf_cflags="-g -Wall -Werror -D__TARGET_ARCH_x86 -mlittle-endian
	-I$out -I$libbpf_inc -I$st -I$ksrc/tools/include/uapi -I$ksrc/tools/include
	-I$st/libarena/include -std=gnu11 -fno-strict-aliasing -Wno-microsoft-anon-tag
	-fms-extensions -Wno-compare-distinct-pointer-types -Wno-initializer-overrides
	$sys_inc -DENABLE_ATOMICS_TESTS -fmacro-prefix-map=$st/="
llvm_nm=$(echo "$CLANG" | sed 's/clang/llvm-nm/')

for prog in test_xdp_meta test_xdp_context_test_run xsk_xdp_progs; do
	o=$out/$prog.bpf.o
	if stale_dep "$o" "$o.d" "$out/vmlinux.h" "$self"; then
		msg CLNG-BPF "$o"
		# shellcheck disable=SC2086
		run "$CLANG" $bpf_cflags -MMD -MF "$o.d" -O2 --target=bpfel -c "$st/progs/$prog.c" -mcpu=v3 -o "$o" ||
			die "clang could not build $st/progs/$prog.c"
		# An out-of-line memcmp/memcpy is a call libbpf cannot resolve at
		# load time; clang-19 -O2 inlines the fixed-size ones these use.
		if command -v "$llvm_nm" >/dev/null &&
		   "$llvm_nm" -u "$o" | grep -Eqw 'memcmp|memcpy|memset|memmove'; then
			die "$o calls $("$llvm_nm" -u "$o" | grep -Eow 'memcmp|memcpy|memset|memmove' | head -n1) out of line; libbpf cannot load it"
		fi
	fi
	s=$out/$prog.skel.h
	if stale "$s" "$o" "$bpftool"; then
		msg GEN-SKEL "$s"
		# As upstream: link three times, the last two must be identical.
		if ! { run "$bpftool" gen object "$out/$prog.linked1.o" "$o" &&
		       run "$bpftool" gen object "$out/$prog.linked2.o" "$out/$prog.linked1.o" &&
		       run "$bpftool" gen object "$out/$prog.linked3.o" "$out/$prog.linked2.o" &&
		       cmp -s "$out/$prog.linked2.o" "$out/$prog.linked3.o"; }; then
			die "bpftool gen object did not link $o to a fixed point"
		fi
		"$bpftool" gen skeleton "$out/$prog.linked3.o" name "$prog" > "$s.tmp" ||
			die "bpftool gen skeleton failed for $o"
		mv "$s.tmp" "$s"
		rm -f "$out/$prog.linked1.o" "$out/$prog.linked2.o" "$out/$prog.linked3.o"
	fi
done

# ---- prog_tests/tests.h: this one file's tests, the way the Makefile lists them
tests_h=$out/prog_tests/tests.h
if stale "$tests_h" "$st/prog_tests/xdp_context_test_run.c"; then
	msg TEST-HDR "$tests_h"
	{
		echo '/* Generated header, do not edit */'
		sed -n -E 's/^void (serial_)?test_([a-zA-Z0-9_]+)\((void)?\).*/DEFINE_TEST(\2)/p' \
			"$st/prog_tests/xdp_context_test_run.c" | sort
	} > "$tests_h.tmp"
	mv "$tests_h.tmp" "$tests_h"
fi

# ---- verification_cert.h: the signing certificate test_progs embeds ---------
cert_h=$out/verification_cert.h
if [ ! -s "$cert_h" ]; then
	msg GENKEY "$cert_h"
	mkdir -p "$out/signing"
	bash "$st/verify_sig_setup.sh" genkey "$out/signing" || die "verify_sig_setup.sh genkey failed"
	der=$out/signing/signing_key.der
	{
		echo "unsigned char test_progs_verification_cert[] = {"
		od -v -t 'xC' -w12 "$der" | sed 's/ \(\S\+\)/ 0x\1,/g;s/^\S\+/ /;$d'
		echo "};"
		echo "unsigned int test_progs_verification_cert_len = $(wc -c < "$der");"
	} > "$cert_h.tmp"
	mv "$cert_h.tmp" "$cert_h"
fi

# ---- test_progs ----------------------------------------------------------
# COMMON_CFLAGS with the default OPT_FLAGS (-O0); no PCAP_CFLAGS.
cflags="-g -O0 -rdynamic -std=gnu11 -Wall -Werror -fno-omit-frame-pointer
	-Wno-unused-but-set-variable -DHAVE_GENHDR -I$out -I$st -I$libbpf_inc
	-I$kbuild/include/generated -I$ksrc/tools/lib -I$ksrc/tools/include
	-I$ksrc/tools/arch/x86/include -I$ksrc/tools/include/uapi -I$st/libarena/include"
[ -f "$kbuild/include/generated/autoconf.h" ] || cflags=$(echo "$cflags" | sed 's/-DHAVE_GENHDR//')

# The runner and the helpers its link needs (TRUNNER_EXTRA_SOURCES, cut down
# to what the linker asks for).
objs=
for src in "$st/test_progs.c" "$st/testing_helpers.c" "$st/network_helpers.c" \
	   "$st/cgroup_helpers.c" "$st/json_writer.c" \
	   "$st/prog_tests/xdp_context_test_run.c" "$shim"; do
	base=$(basename "$src" .c)
	case $src in
	*/prog_tests/*) o=$out/obj/$base.test.o ;;
	*) o=$out/obj/$base.o ;;
	esac
	objs="$objs $o"
	stale_dep "$o" "$o.d" "$src" "$self" || continue
	msg CC "$o"
	# shellcheck disable=SC2086
	run "$CC" $cflags -MMD -MF "$o.d" -c "$src" -o "$o" || die "$CC could not compile $src"
done

# shellcheck disable=SC2086
if stale "$out/test_progs" $objs "$libbpf_a"; then
	msg LD "$out/test_progs"
	# shellcheck disable=SC2086
	run "$CC" -static -o "$out/test_progs.tmp" $objs -Wl,--wrap=syscall \
		"$libbpf_a" -lelf -lz -lzstd -lrt -lpthread || die "linking test_progs failed"
	mv "$out/test_progs.tmp" "$out/test_progs"
fi

# ---- xskxceiver (the Makefile's $(OUTPUT)/xskxceiver rule) ----------------
# lib.mk's -I tools/testing/selftests (kselftest.h) comes in addition.  No
# -rdynamic: it is for test_progs' stack traces.
xcflags="$(echo "$cflags" | sed 's/-rdynamic//') -I$ksrc/tools/testing/selftests"
xobjs=
for src in "$st/xskxceiver.c" "$st/xsk.c" "$st/network_helpers.c" \
	   "$ksrc/tools/lib/find_bit.c" "$st/prog_tests/test_xsk.c"; do
	base=$(basename "$src" .c)
	o=$out/obj/xsk-$base.o
	xobjs="$xobjs $o"
	stale_dep "$o" "$o.d" "$src" "$self" || continue
	msg CC "$o"
	# shellcheck disable=SC2086
	run "$CC" $xcflags -MMD -MF "$o.d" -c "$src" -o "$o" ||
		die "$CC could not compile $src"
done

# shellcheck disable=SC2086
if stale "$out/xskxceiver" $xobjs "$libbpf_a"; then
	msg LD "$out/xskxceiver"
	# shellcheck disable=SC2086
	run "$CC" -static -o "$out/xskxceiver.tmp" $xobjs \
		"$libbpf_a" -lelf -lz -lzstd -lrt -lpthread || die "linking xskxceiver failed"
	mv "$out/xskxceiver.tmp" "$out/xskxceiver"
fi
