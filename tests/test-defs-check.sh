#!/bin/sh
# test-defs-check.sh - a test is defined once (tests/cases/NAME.test) and the
# guest agent's table is generated from it (scripts/gen-test-table.sh): show
# that the real definitions build, and that a definition which does not match
# the agent fails the build with the .test file's name, in each way it can.
# KTAP on stdout; exits non-zero on any failure.
#
# usage: test-defs-check.sh [CC]
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
cc=${1:-${CC:-cc}}
gen=$top/scripts/gen-test-table.sh
agent_h=$top/guest-image/agent/agent.h
tmp=$(mktemp -d /tmp/nicrig-testdefs.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
n=0
failed=0

# build DIR AGENT_H: generate and compile the table; its messages in $tmp/log.
build() {
	"$gen" "$tmp/table.c" "$2" "$1"/*.test > "$tmp/log" 2>&1 &&
		$cc -fsyntax-only -Werror -Wall -D_GNU_SOURCE -I"$(dirname "$2")" "$tmp/table.c" >> "$tmp/log" 2>&1
}

# result OK NAME: one KTAP line, and the build's messages on a failure.
result() {
	n=$((n + 1))
	if [ "$1" = 1 ]; then
		echo "ok $n $2"
	else
		echo "not ok $n $2"
		sed 's/^/# /' "$tmp/log"
		failed=$((failed + 1))
	fi
}

# broken NAME WANT EDIT...: a fresh copy of the definitions, EDIT run in it
# (with $h the copy of agent.h); the build must fail saying WANT.
broken() {
	name=$1 want=$2
	shift 2
	rm -rf "$tmp/cases" "$tmp/agent"
	cp -r "$top/tests/cases" "$tmp/cases"
	mkdir "$tmp/agent" && cp "$agent_h" "$tmp/agent/agent.h"
	(cd "$tmp/cases" && h=$tmp/agent/agent.h && eval "$*")
	if build "$tmp/cases" "$tmp/agent/agent.h"; then
		echo "the build passed" >> "$tmp/log"
		result 0 "$name"
	else
		grep -q -- "$want" "$tmp/log" && result 1 "$name" ||
			{ echo "the build failed, but without '$want'" >> "$tmp/log"; result 0 "$name"; }
	fi
}

echo "KTAP version 1"
echo "1..6"
build "$top/tests/cases" "$agent_h" && result 1 test_defs_build || result 0 test_defs_build
broken test_defs_unknown_function "xdp_pass_meta.test:[0-9]*:.*test_mta" \
	"sed -i 's/^AGENT=test_meta\$/AGENT=test_mta/' xdp_pass_meta.test"
broken test_defs_unknown_flag "mq_zc_pass_meta.test:[0-9]*:.*META_SPRED" \
	"sed -i 's/^AGENT_ARG=.*/AGENT_ARG=META_ZEROCOPY | META_SPRED/' mq_zc_pass_meta.test"
broken test_defs_no_agent "xsk_zc_tx.test: no AGENT= line" \
	"sed -i '/^AGENT=/d' xsk_zc_tx.test"
broken test_defs_function_no_case_names "declares test_unlisted, but no test definition names it" \
	"echo 'int test_unlisted(struct agent *a, const char *name, int arg);' >> \$h"
broken test_defs_wrong_signature "tcp_echo.test:[0-9]*:.*incompatible pointer type" \
	"sed -i 's/^int test_tcp_echo(struct agent \*a, const char \*name, int arg);/int test_tcp_echo(struct agent *a, const char *name, int arg); int test_tcp_echo2(struct agent *a);/' \$h && sed -i 's/^AGENT=test_tcp_echo\$/AGENT=test_tcp_echo2/' tcp_echo.test"
echo "# Totals: pass:$((n - failed)) fail:$failed xfail:0 xpass:0 skip:0 error:0"
echo "# test definitions: $((n - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
