// SPDX-License-Identifier: GPL-2.0
/*
 * subreaper.c - runs a command (libvirtd) as a child subreaper:
 *
 *   subreaper COMMAND [ARG...]
 *
 * libvirtd double-forks every QEMU, so a QEMU's parent is PID 1, and libvirt
 * reports a domain stopped only once the killed QEMU is gone, zombie
 * included.  Where PID 1 is no init system (a container's), it reaps late:
 * 1.2-2 s per boot, measured.  Under this process the orphans are its own
 * and reaped at once.  It lives until the command and every orphan are
 * gone, and exits with the command's status.  ./configure builds and uses it
 * where it starts libvirtd by hand.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int st, rc = 1;
	pid_t child, pid;

	if (argc < 2) {
		fprintf(stderr, "usage: subreaper COMMAND [ARG...]\n");
		return 2;
	}
	if (prctl(PR_SET_CHILD_SUBREAPER, 1))
		fprintf(stderr, "subreaper: PR_SET_CHILD_SUBREAPER: %s (orphans go to PID 1)\n",
			strerror(errno));
	child = fork();
	if (child == 0) {
		execvp(argv[1], argv + 1);
		fprintf(stderr, "subreaper: %s: %s\n", argv[1], strerror(errno));
		_exit(127);
	}
	if (child < 0) {
		fprintf(stderr, "subreaper: fork: %s\n", strerror(errno));
		return 1;
	}
	while ((pid = wait(&st)) != -1 || errno == EINTR) {
		if (pid == child)
			rc = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	}
	return rc;
}
