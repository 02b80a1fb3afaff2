// SPDX-License-Identifier: GPL-2.0
/* kv.c - KEY=value data files and their schema checks (see kv.h). */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kv.h"
#include "util.h"

static char *trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

static int valid_key(const char *k)
{
	if (!isupper((unsigned char)*k))
		return 0;
	for (; *k; k++)
		if (!isupper((unsigned char)*k) && !isdigit((unsigned char)*k) && *k != '_')
			return 0;
	return 1;
}

int kv_load(struct kv_file *f, const char *path, char *err, size_t errlen)
{
	char buf[KV_KEY_MAX + KV_VALUE_MAX + 64];
	size_t cap = 0;
	int line = 0;
	FILE *fp;

	memset(f, 0, sizeof(*f));
	snprintf(f->path, sizeof(f->path), "%s", path);
	fp = fopen(path, "r");
	if (!fp)
		return set_error(err, errlen, "%s: %s", path, strerror(errno));

	while (fgets(buf, sizeof(buf), fp)) {
		char *s, *eq, *key, *val;
		size_t len = strlen(buf);

		line++;
		if (len == sizeof(buf) - 1 && buf[len - 1] != '\n') {
			fclose(fp);
			kv_free(f);
			return set_error(err, errlen, "%s:%d: line too long", path, line);
		}
		s = trim(buf);
		if (!*s || *s == '#')
			continue;
		eq = strchr(s, '=');
		if (!eq) {
			fclose(fp);
			kv_free(f);
			return set_error(err, errlen, "%s:%d: expected KEY=value, got '%.60s'", path, line, s);
		}
		*eq = '\0';
		key = trim(s);
		val = trim(eq + 1);
		len = strlen(val);
		if (len >= 2 && val[0] == '"' && val[len - 1] == '"') {
			val[len - 1] = '\0';
			val++;
		}
		if (!valid_key(key) || strlen(key) >= KV_KEY_MAX) {
			fclose(fp);
			kv_free(f);
			return set_error(err, errlen, "%s:%d: '%.60s' is not a valid key (use A-Z, 0-9, _)",
					 path, line, key);
		}
		if (strlen(val) >= KV_VALUE_MAX) {
			fclose(fp);
			kv_free(f);
			return set_error(err, errlen, "%s:%d: %s: value longer than %d bytes",
					 path, line, key, KV_VALUE_MAX - 1);
		}
		if (kv_find(f, key)) {
			int first = kv_find(f, key)->line;

			fclose(fp);
			kv_free(f);
			return set_error(err, errlen, "%s:%d: %s given twice (first on line %d)",
					 path, line, key, first);
		}
		if (f->n == cap) {
			struct kv_entry *n;

			cap = cap ? 2 * cap : 16;
			n = realloc(f->entries, cap * sizeof(*n));
			if (!n) {
				fclose(fp);
				kv_free(f);
				return set_error(err, errlen, "%s: out of memory", path);
			}
			f->entries = n;
		}
		snprintf(f->entries[f->n].key, KV_KEY_MAX, "%s", key);
		snprintf(f->entries[f->n].value, KV_VALUE_MAX, "%s", val);
		f->entries[f->n].line = line;
		f->n++;
	}
	fclose(fp);
	return 0;
}

void kv_free(struct kv_file *f)
{
	free(f->entries);
	f->entries = NULL;
	f->n = 0;
}

const struct kv_entry *kv_find(const struct kv_file *f, const char *key)
{
	for (size_t i = 0; i < f->n; i++)
		if (!strcmp(f->entries[i].key, key))
			return &f->entries[i];
	return NULL;
}

static int apply_one(const struct kv_field *fd, const char *value, void *dst,
		     const char *where, char *err, size_t errlen)
{
	unsigned long v;

	switch (fd->type) {
	case KV_STRING:
		if (strlen(value) >= fd->size)
			return set_error(err, errlen, "%s: %s: value longer than %zu bytes",
					 where, fd->key, fd->size - 1);
		snprintf((char *)dst + fd->offset, fd->size, "%s", value);
		return 0;
	case KV_UINT:
		/* Any number first, then the range: the two errors say different things. */
		if (parse_ulong(value, 0, ULONG_MAX, &v))
			return set_error(err, errlen, "%s: %s: '%s' is not a number", where, fd->key, value);
		if (v < fd->min || v > fd->max)
			return set_error(err, errlen, "%s: %s: %lu is out of range %lu..%lu",
					 where, fd->key, v, fd->min, fd->max);
		*(unsigned int *)((char *)dst + fd->offset) = v;
		return 0;
	case KV_ENUM: {
		char known[256] = "";

		for (int i = 0; fd->choices[i]; i++) {
			if (!strcmp(fd->choices[i], value)) {
				*(int *)((char *)dst + fd->offset) = i;
				return 0;
			}
			snprintf(known + strlen(known), sizeof(known) - strlen(known), "%s%s",
				 i ? ", " : "", fd->choices[i]);
		}
		return set_error(err, errlen, "%s: %s: '%s' is not one of %s", where, fd->key, value, known);
	}
	}
	return set_error(err, errlen, "%s: %s: bad schema", where, fd->key);
}

int kv_apply(const struct kv_file *f, const struct kv_field *fields, size_t nfields,
	     void *dst, char *err, size_t errlen)
{
	char where[600];

	for (size_t i = 0; i < f->n; i++) {
		size_t j;

		for (j = 0; j < nfields; j++)
			if (!strcmp(fields[j].key, f->entries[i].key))
				break;
		if (j == nfields) {
			char known[512] = "";

			for (j = 0; j < nfields; j++)
				snprintf(known + strlen(known), sizeof(known) - strlen(known), "%s%s",
					 j ? " " : "", fields[j].key);
			return set_error(err, errlen, "%s:%d: unknown key %s (known: %s)",
					 f->path, f->entries[i].line, f->entries[i].key, known);
		}
	}
	for (size_t j = 0; j < nfields; j++) {
		const struct kv_entry *e = kv_find(f, fields[j].key);

		if (e) {
			snprintf(where, sizeof(where), "%s:%d", f->path, e->line);
			if (apply_one(&fields[j], e->value, dst, where, err, errlen))
				return -1;
		} else if (fields[j].def) {
			snprintf(where, sizeof(where), "%s (default)", f->path);
			if (apply_one(&fields[j], fields[j].def, dst, where, err, errlen))
				return -1;
		} else {
			return set_error(err, errlen, "%s: required key %s is missing", f->path, fields[j].key);
		}
	}
	return 0;
}
