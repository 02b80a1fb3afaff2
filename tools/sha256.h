/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sha256.h - SHA-256 (FIPS 180-4), for the names under which a remote
 * libvirt host keeps the kernels and initramfs nicrig staged there
 * (engine_stage.c): a file's content, not its path, says whether the host
 * has it already.
 */
#ifndef NICRIG_SHA256_H
#define NICRIG_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct sha256 {
	uint32_t h[8];
	uint64_t len;		/* bytes so far */
	uint8_t buf[64];
	size_t fill;
};

void sha256_init(struct sha256 *s);
void sha256_update(struct sha256 *s, const void *data, size_t len);
void sha256_final(struct sha256 *s, uint8_t out[32]);
/* The digest of a file's content as 64 hex digits into hex[65]: 0, or -errno. */
int sha256_file(const char *path, char hex[65]);

#endif
