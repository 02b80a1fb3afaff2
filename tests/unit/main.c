// SPDX-License-Identifier: GPL-2.0
/*
 * main.c - runs every registered unit test and prints KTAP.
 *
 * usage: unit-tests [NAME-SUBSTRING]
 *        unit-tests --fake-qemu MODE QEMU-ARGS...   (see fake_qemu.c)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"

int fake_qemu_main(int argc, char **argv);

static struct unit_test *head, **tail = &head;
static char tmpdir[64];

void unit_register(struct unit_test *t)
{
	*tail = t;
	tail = &t->next;
}

static void cleanup(void)
{
	char cmd[128];

	if (tmpdir[0]) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
		if (system(cmd))
			fprintf(stderr, "could not remove %s\n", tmpdir);
	}
}

const char *unit_tmpdir(void)
{
	if (!tmpdir[0]) {
		snprintf(tmpdir, sizeof(tmpdir), "/tmp/nicrig-unit.XXXXXX");
		if (!mkdtemp(tmpdir)) {
			perror("mkdtemp");
			exit(2);
		}
		atexit(cleanup);
	}
	return tmpdir;
}

const char *unit_write(const char *name, const char *text)
{
	static char path[8][512];
	static int slot;
	char *p = path[slot++ % 8];
	FILE *f;

	snprintf(p, 512, "%s/%s", unit_tmpdir(), name);
	for (char *s = p + strlen(unit_tmpdir()) + 1; (s = strchr(s, '/')); s++) {
		*s = '\0';
		mkdir(p, 0755);
		*s = '/';
	}
	f = fopen(p, "w");
	if (!f) {
		perror(p);
		exit(2);
	}
	fputs(text, f);
	fclose(f);
	return p;
}

char *unit_slurp(const char *dir, const char *name)
{
	static char buf[16384];
	char path[700];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "r");
	if (!f)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	return buf;
}

int main(int argc, char **argv)
{
	int n = 0, i = 0, passed = 0, failed = 0;

	if (argc > 1 && !strcmp(argv[1], "--fake-qemu"))
		return fake_qemu_main(argc - 1, argv + 1);

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (struct unit_test *t = head; t; t = t->next)
		if (argc < 2 || strstr(t->name, argv[1]))
			n++;
	printf("KTAP version 1\n1..%d\n", n);
	for (struct unit_test *t = head; t; t = t->next) {
		if (argc >= 2 && !strstr(t->name, argv[1]))
			continue;
		t->fn(t);
		printf("%s %d %s\n", t->failed ? "not ok" : "ok", ++i, t->name);
		if (t->failed)
			failed++;
		else
			passed++;
	}
	printf("# Totals: pass:%d fail:%d xfail:0 xpass:0 skip:0 error:0\n", passed, failed);
	printf("# unit: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
