// SPDX-License-Identifier: GPL-2.0
/*
 * session_key.c - lets the kernel selftests' test_progs start on a kernel
 * without key retention (CONFIG_KEYS unset, as in every nicrig rig kernel).
 *
 * test_progs' main() adds its signing certificate to the session keyring
 * (add_key "asymmetric" "libbpf_session_key") and exits when that fails.  Only
 * the signed-loader tests use the key; the tests nicrig builds
 * (xdp_context_test_run.c) do not.  Linked with -Wl,--wrap=syscall, this
 * forwards every syscall() unchanged and turns only that one add_key, when the
 * kernel lacks the key type or keyrings altogether, into a success with a note
 * on stderr.  A kernel that has them gets the real call and its real result.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>

long __real_syscall(long nr, ...);

long __wrap_syscall(long nr, ...)
{
	long arg[6];
	va_list ap;
	long ret;

	/* syscall(2) takes up to six word-sized arguments: pass all six on. */
	va_start(ap, nr);
	for (int i = 0; i < 6; i++)
		arg[i] = va_arg(ap, long);
	va_end(ap);

	ret = __real_syscall(nr, arg[0], arg[1], arg[2], arg[3], arg[4], arg[5]);
	if (ret < 0 && nr == __NR_add_key && (errno == ENOSYS || errno == ENODEV) &&
	    arg[1] && !strcmp((const char *)arg[1], "libbpf_session_key")) {
		fprintf(stderr, "nicrig: kernel has no %s; skipping test_progs' session key (signed-program tests would fail)\n",
			errno == ENOSYS ? "key retention (CONFIG_KEYS)" : "asymmetric key type");
		errno = 0;
		return 0;
	}
	return ret;
}
