// SPDX-License-Identifier: GPL-2.0
/* test_cli.c - the one option parser and the help it generates (cli.c). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "harness.h"

#define VAL(field) offsetof(struct cli_args, field)

static int noop(struct cli_args *a)
{
	(void)a;
	return 0;
}

static const struct cli_opt o_kernel = { "kernel", 'k', CLI_VALUE, "VARIANT", "a kernel\nvariant",
					 VAL(kernel), 0, false };
static const struct cli_opt o_dry = { "dry-run", 0, CLI_FLAG, NULL, "print only", 0, VAL(dry_run), false };
static const struct cli_opt o_gdb = { "gdb", 0, CLI_OPTIONAL, "PORT", "gdb stub", VAL(gdb), VAL(gdb_set), false };
static const struct cli_opt o_from = { "from", 0, CLI_VALUE, "V", "old", VAL(from), 0, true };

static const struct cli_cmd cmds[] = {
	{ "test", noop, "RIG [TEST...]", 1, 3, "Runs tests.",
	  (const struct cli_opt *const[]){ &o_kernel, &o_dry, &o_gdb, NULL } },
	{ "bisect", noop, "RIG TEST", 2, 2, "Bisects.", (const struct cli_opt *const[]){ &o_from, NULL } },
	{ "boot", noop, "RIG", 1, 1, "Boots.", NULL },
};

/* Parses a NULL-terminated argument list (the command's name first). */
static int parse(const struct cli_cmd *c, struct cli_args *a, char *err, size_t len, ...)
{
	static char *argv[16];
	int argc = 0;
	va_list ap;

	va_start(ap, len);
	for (char *s; argc < 15 && (s = va_arg(ap, char *)); )
		argv[argc++] = s;
	va_end(ap);
	argv[argc] = NULL;
	err[0] = '\0';
	return cli_parse(c, argc, argv, a, err, len);
}

TEST(cli_parses_options_anywhere_and_positionals_in_order)
{
	struct cli_args a;
	char err[256];

	EXPECT_EQ(0, parse(&cmds[0], &a, err, sizeof(err), "test", "igb", "--kernel", "series", "t1",
			   "--dry-run", "t2", NULL));
	EXPECT_STR_EQ("series", a.kernel);
	EXPECT_TRUE(a.dry_run);
	EXPECT_TRUE(!a.gdb_set);
	EXPECT_EQ(3, a.npos);
	EXPECT_STR_EQ("igb", a.pos[0]);
	EXPECT_STR_EQ("t2", a.pos[2]);
	/* A second parse in the same process starts afresh (getopt's state). */
	EXPECT_EQ(0, parse(&cmds[0], &a, err, sizeof(err), "test", "-k", "core-only", "ixgbe", NULL));
	EXPECT_STR_EQ("core-only", a.kernel);
	EXPECT_TRUE(!a.dry_run);
	EXPECT_EQ(1, a.npos);
	EXPECT_EQ(0, parse(&cmds[0], &a, err, sizeof(err), "test", "igb", "--gdb", NULL));
	EXPECT_TRUE(a.gdb_set);
	EXPECT_TRUE(a.gdb == NULL);
	EXPECT_EQ(0, parse(&cmds[0], &a, err, sizeof(err), "test", "igb", "--gdb=4321", NULL));
	EXPECT_STR_EQ("4321", a.gdb);
	EXPECT_EQ(0, parse(&cmds[0], &a, err, sizeof(err), "test", "--help", NULL));
	EXPECT_TRUE(a.help);
}

TEST(cli_errors_name_the_command_and_the_cause)
{
	struct cli_args a;
	char err[256];

	EXPECT_EQ(-1, parse(&cmds[0], &a, err, sizeof(err), "test", "igb", "--bogus", NULL));
	EXPECT_STR_EQ("nicrig test: unknown option '--bogus'; 'nicrig help test' lists them", err);
	EXPECT_EQ(-1, parse(&cmds[0], &a, err, sizeof(err), "test", "igb", "--kernel", NULL));
	EXPECT_STR_EQ("nicrig test: --kernel needs a value", err);
	/* An option another command has is unknown here. */
	EXPECT_EQ(-1, parse(&cmds[2], &a, err, sizeof(err), "boot", "igb", "--dry-run", NULL));
	EXPECT_CONTAINS(err, "unknown option '--dry-run'");
	EXPECT_EQ(-1, parse(&cmds[0], &a, err, sizeof(err), "test", NULL));
	EXPECT_STR_EQ("nicrig test takes RIG [TEST...]; usage: nicrig test RIG [TEST...]", err);
	EXPECT_EQ(-1, parse(&cmds[0], &a, err, sizeof(err), "test", "a", "b", "c", "d", NULL));
	EXPECT_STR_EQ("nicrig test takes RIG [TEST...]; unexpected argument 'd'", err);
	EXPECT_EQ(-1, parse(&cmds[1], &a, err, sizeof(err), "bisect", "igb", "t", NULL));
	EXPECT_STR_EQ("nicrig bisect needs --from V", err);
	EXPECT_EQ(0, parse(&cmds[1], &a, err, sizeof(err), "bisect", "igb", "t", "--from", "x", NULL));
}

TEST(cli_help_is_generated_from_the_table)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	ASSERT_TRUE(f != NULL);
	cli_usage(f, &cmds[0]);
	fputc('|', f);
	cli_usage(f, &cmds[1]);
	fputc('|', f);
	cli_help(f, &cmds[0]);
	fclose(f);
	EXPECT_CONTAINS(buf, "test RIG [TEST...] [--kernel VARIANT] [--dry-run] [--gdb[=PORT]]|");
	EXPECT_CONTAINS(buf, "|bisect RIG TEST --from V|");
	EXPECT_CONTAINS(buf, "usage: nicrig test RIG [TEST...]");
	EXPECT_CONTAINS(buf, "\n\nRuns tests.\n");
	/* Aligned, with continuation lines under the text. */
	EXPECT_CONTAINS(buf, "\n  -k, --kernel VARIANT  a kernel\n                        variant\n");
	EXPECT_CONTAINS(buf, "\n  --dry-run             print only\n");
	EXPECT_CONTAINS(buf, "\n  --gdb[=PORT]          gdb stub\n");
	EXPECT_CONTAINS(buf, "\n  -h, --help            this help\n");
	free(buf);
}

TEST(cli_find_takes_unique_prefixes)
{
	char err[256];

	EXPECT_TRUE(cli_find(cmds, 3, "test", err, sizeof(err)) == &cmds[0]);
	EXPECT_TRUE(cli_find(cmds, 3, "bi", err, sizeof(err)) == &cmds[1]);
	EXPECT_TRUE(cli_find(cmds, 3, "bo", err, sizeof(err)) == &cmds[2]);
	EXPECT_TRUE(cli_find(cmds, 3, "b", err, sizeof(err)) == NULL);
	EXPECT_STR_EQ("'b' is ambiguous (bisect, boot, ...)", err);
	EXPECT_TRUE(cli_find(cmds, 3, "x", err, sizeof(err)) == NULL);
	EXPECT_STR_EQ("no command 'x'; 'nicrig help' lists them", err);
}
