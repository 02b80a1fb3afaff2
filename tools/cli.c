// SPDX-License-Identifier: GPL-2.0
/* cli.c - one option parser and the generated help for every command (see cli.h). */
#include <getopt.h>
#include <string.h>

#include "cli.h"
#include "util.h"

static const struct cli_opt opt_help = {
	"help", 'h', CLI_FLAG, NULL, "this help", 0, offsetof(struct cli_args, help), false
};

#define MAX_OPTS 32

/* The command's options, --help last; their number. */
static int all_opts(const struct cli_cmd *c, const struct cli_opt **out)
{
	int n = 0;

	for (const struct cli_opt *const *o = c->opts; o && *o && n < MAX_OPTS - 1; o++)
		out[n++] = *o;
	out[n++] = &opt_help;
	return n;
}

int cli_parse(const struct cli_cmd *c, int argc, char **argv, struct cli_args *a,
	      char *err, size_t errlen)
{
	const struct cli_opt *opts[MAX_OPTS];
	struct option lopts[MAX_OPTS + 1];
	char shorts[3 * MAX_OPTS + 2] = ":";
	int n = all_opts(c, opts), ch, idx, max;

	memset(a, 0, sizeof(*a));
	for (int i = 0; i < n; i++) {
		lopts[i] = (struct option){ opts[i]->name,
			opts[i]->kind == CLI_FLAG ? no_argument :
			opts[i]->kind == CLI_VALUE ? required_argument : optional_argument,
			NULL, 256 + i };
		if (opts[i]->short_name) {
			size_t l = strlen(shorts);

			shorts[l] = opts[i]->short_name;
			shorts[l + 1] = opts[i]->kind == CLI_VALUE ? ':' : '\0';
			shorts[l + 2] = '\0';
		}
	}
	lopts[n] = (struct option){ NULL, 0, NULL, 0 };
	optind = 0;	/* glibc: start afresh, also for a second parse in one process */
	opterr = 0;
	while ((ch = getopt_long(argc, argv, shorts, lopts, &idx)) != -1) {
		const struct cli_opt *o = NULL;

		if (ch == '?')
			return set_error(err, errlen, "nicrig %s: unknown option '%s'; 'nicrig help %s' lists them",
					 c->name, argv[optind - 1], c->name);
		if (ch == ':')
			return set_error(err, errlen, "nicrig %s: %s needs a value", c->name, argv[optind - 1]);
		if (ch >= 256)
			o = opts[ch - 256];
		for (int i = 0; !o && i < n; i++)
			if (opts[i]->short_name == ch)
				o = opts[i];
		if (!o)
			return set_error(err, errlen, "nicrig %s: option parser out of step at '%s'", c->name,
					 argv[optind - 1]);
		if (o->kind != CLI_VALUE)
			*(bool *)((char *)a + o->flag) = true;
		if (o->kind != CLI_FLAG && optarg)
			*(const char **)((char *)a + o->value) = optarg;
	}
	if (a->help)
		return 0;
	for (int i = 0; i < n; i++)
		if (opts[i]->required && !*(const char **)((char *)a + opts[i]->value))
			return set_error(err, errlen, "nicrig %s needs --%s %s", c->name, opts[i]->name,
					 opts[i]->metavar);
	max = c->max_pos < 0 ? CLI_MAX_POS : c->max_pos;
	for (; optind < argc; optind++) {
		if (a->npos == max)
			return set_error(err, errlen, "nicrig %s takes %s%s; unexpected argument '%s'", c->name,
					 c->args && *c->args ? c->args : "no arguments",
					 a->npos == CLI_MAX_POS ? " (at most 64)" : "", argv[optind]);
		a->pos[a->npos++] = argv[optind];
	}
	if (a->npos < c->min_pos)
		return set_error(err, errlen, "nicrig %s takes %s; usage: nicrig %s %s", c->name, c->args,
				 c->name, c->args);
	return 0;
}

static int opt_label(char *buf, size_t len, const struct cli_opt *o)
{
	char s[8] = "";

	if (o->short_name)
		snprintf(s, sizeof(s), "-%c, ", o->short_name);
	if (o->kind == CLI_VALUE)
		return snprintf(buf, len, "%s--%s %s", s, o->name, o->metavar);
	if (o->kind == CLI_OPTIONAL)
		return snprintf(buf, len, "%s--%s[=%s]", s, o->name, o->metavar);
	return snprintf(buf, len, "%s--%s", s, o->name);
}

void cli_usage(FILE *f, const struct cli_cmd *c)
{
	const struct cli_opt *opts[MAX_OPTS];
	int n = all_opts(c, opts);

	fprintf(f, "%s%s%s", c->name, c->args && *c->args ? " " : "", c->args ? c->args : "");
	for (int i = 0; i < n - 1; i++) {	/* --help goes without saying */
		if (opts[i]->kind == CLI_VALUE && opts[i]->required)
			fprintf(f, " --%s %s", opts[i]->name, opts[i]->metavar);
		else if (opts[i]->kind == CLI_VALUE)
			fprintf(f, " [--%s %s]", opts[i]->name, opts[i]->metavar);
		else if (opts[i]->kind == CLI_OPTIONAL)
			fprintf(f, " [--%s[=%s]]", opts[i]->name, opts[i]->metavar);
		else
			fprintf(f, " [--%s]", opts[i]->name);
	}
}

void cli_help(FILE *f, const struct cli_cmd *c)
{
	const struct cli_opt *opts[MAX_OPTS];
	int n = all_opts(c, opts), width = 0;
	char label[128];

	fprintf(f, "usage: nicrig ");
	cli_usage(f, c);
	fprintf(f, "\n\n%s\n", c->help);
	for (int i = 0; i < n; i++) {
		int w = opt_label(label, sizeof(label), opts[i]);

		if (w > width)
			width = w;
	}
	fprintf(f, "\noptions:\n");
	for (int i = 0; i < n; i++) {
		const char *h = opts[i]->help;

		opt_label(label, sizeof(label), opts[i]);
		fprintf(f, "  %-*s  ", width, label);
		for (const char *nl; (nl = strchr(h, '\n')); h = nl + 1)
			fprintf(f, "%.*s\n  %-*s  ", (int)(nl - h), h, width, "");
		fprintf(f, "%s\n", h);
	}
}

const struct cli_cmd *cli_find(const struct cli_cmd *cmds, size_t n, const char *name,
			       char *err, size_t errlen)
{
	const struct cli_cmd *hit = NULL;

	for (size_t i = 0; i < n; i++) {
		if (!strcmp(cmds[i].name, name))
			return &cmds[i];
		if (*name && !strncmp(cmds[i].name, name, strlen(name))) {
			if (hit) {
				set_error(err, errlen, "'%s' is ambiguous (%s, %s, ...)", name, hit->name,
					  cmds[i].name);
				return NULL;
			}
			hit = &cmds[i];
		}
	}
	if (!hit)
		set_error(err, errlen, "no command '%s'; 'nicrig help' lists them", name);
	return hit;
}
