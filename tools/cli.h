/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cli.h - declarative command-line options: each command is a table row
 * (name, positional arguments, options), one parser fills struct cli_args,
 * and the usage line and help are generated from the same table.
 */
#ifndef NICRIG_CLI_H
#define NICRIG_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define CLI_MAX_POS	64

/* Everything any command's options can set; a command's table says which. */
struct cli_args {
	const char *kernel, *expect, *out, *trace, *gdb;
	const char *rigs, *kernels, *tests, *shard, *jobs, *from, *to;
	const char *engine, *hosts, *per_host, *wire_addr;
	bool break_check, break_reflect, dry_run, verbose, json, no_build, help;
	bool gdb_set;		/* --gdb given, with or without =PORT */
	const char *pos[CLI_MAX_POS];	/* positional arguments, in order */
	int npos;
};

enum cli_kind {
	CLI_FLAG,		/* --name: sets a bool */
	CLI_VALUE,		/* --name VALUE */
	CLI_OPTIONAL,		/* --name or --name=VALUE: sets a bool, and the value if given */
};

struct cli_opt {
	const char *name;
	char short_name;	/* 0: none */
	enum cli_kind kind;
	const char *metavar;	/* CLI_VALUE, CLI_OPTIONAL: what the value is, for help */
	const char *help;	/* lines separated by \n */
	size_t value;		/* offsetof(struct cli_args, a const char *), CLI_VALUE/OPTIONAL */
	size_t flag;		/* offsetof(struct cli_args, a bool), CLI_FLAG/OPTIONAL */
	bool required;		/* CLI_VALUE that must be given */
};

struct cli_cmd {
	const char *name;
	int (*fn)(struct cli_args *a);
	const char *args;	/* positional arguments, for the usage line: "RIG [TEST...]" */
	int min_pos, max_pos;	/* how many; max_pos -1: up to CLI_MAX_POS */
	const char *help;	/* what the command does */
	const struct cli_opt *const *opts;	/* NULL-terminated; --help is always there */
};

/* Parses argv[1..] (argv[0] is the command's name) into *a; 0, or -1 with err. */
int cli_parse(const struct cli_cmd *c, int argc, char **argv, struct cli_args *a,
	      char *err, size_t errlen);
/* "name ARGS [--opt VALUE] ...", from the table. */
void cli_usage(FILE *f, const struct cli_cmd *c);
/* The usage line, the command's help, one aligned line (or more) per option. */
void cli_help(FILE *f, const struct cli_cmd *c);
/* The command named name or by a unique prefix of it; NULL with err. */
const struct cli_cmd *cli_find(const struct cli_cmd *cmds, size_t n, const char *name,
			       char *err, size_t errlen);

#endif /* NICRIG_CLI_H */
