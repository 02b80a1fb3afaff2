/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kv.h - KEY=value data files (rigs, test definitions, build/config.mk) and a
 * schema that checks them.
 *
 * Syntax: one KEY=value per line; KEY is [A-Z][A-Z0-9_]*; blank lines and
 * lines starting with # are ignored; the value runs to the end of the line,
 * with surrounding blanks (and one pair of double quotes) removed.
 * A key given twice is an error.
 */
#ifndef NICRIG_KV_H
#define NICRIG_KV_H

#include <stddef.h>

#define KV_KEY_MAX	48
#define KV_VALUE_MAX	4096	/* a test's READERS: up to MAX_READERS names */
#define KV_ERR_MAX	512

struct kv_entry {
	char key[KV_KEY_MAX];
	char value[KV_VALUE_MAX];
	int line;
};

struct kv_file {
	char path[512];
	struct kv_entry *entries;
	size_t n;
};

/* Loads path; on error returns -1 with a "file:line: what" message in err. */
int kv_load(struct kv_file *f, const char *path, char *err, size_t errlen);
void kv_free(struct kv_file *f);
const struct kv_entry *kv_find(const struct kv_file *f, const char *key);

enum kv_type { KV_STRING, KV_UINT, KV_ENUM };

struct kv_field {
	const char *key;
	enum kv_type type;
	size_t offset;		/* into the destination struct */
	size_t size;		/* of a KV_STRING destination */
	unsigned long min, max;	/* KV_UINT range */
	const char *const *choices; /* KV_ENUM: NULL-terminated; stored as index */
	const char *def;	/* default; NULL means the key is required */
};

/*
 * Fills dst from f according to fields: unknown keys, missing required keys,
 * values of the wrong type or out of range are errors naming the file, line
 * and key.
 */
int kv_apply(const struct kv_file *f, const struct kv_field *fields, size_t nfields,
	     void *dst, char *err, size_t errlen);

#endif /* NICRIG_KV_H */
