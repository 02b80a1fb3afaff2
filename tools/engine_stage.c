// SPDX-License-Identifier: GPL-2.0
/*
 * engine_stage.c - the files a remote libvirt host boots from, put there
 * through libvirt itself: volumes of a directory storage pool, uploaded
 * with virStorageVolUpload, so the host needs no shared filesystem, no scp
 * and no account but libvirt's.
 *
 * A file's volume is named by the SHA-256 of its content (nicrig-HASH16-
 * NAME), so the cells of a matrix, and later runs, find it there and
 * upload nothing: one upload per host and kernel build.  A second, empty
 * volume NAME.ok says the upload finished; a volume without it (a run that
 * died mid-upload) is deleted and uploaded again.  Uploads from this
 * machine take turns on a lock file, so two boots on one host do not both
 * upload one file.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "engine.h"
#include "sha256.h"
#include "util.h"

#define POOL_DEFAULT		"nicrig"
#define POOL_DIR		"/var/lib/libvirt/nicrig"

static const char *lv_error(void)
{
	const char *m = virGetLastErrorMessage();

	return m && *m ? m : "unknown error";
}

/* The pool, started; the default one is defined (persistent, autostart) if missing. */
static virStoragePoolPtr stage_pool(virConnectPtr conn, const char *uri, char *err, size_t errlen)
{
	const char *name = getenv("NICRIG_POOL") && *getenv("NICRIG_POOL") ? getenv("NICRIG_POOL")
									 : POOL_DEFAULT;
	virStoragePoolPtr pool = virStoragePoolLookupByName(conn, name);
	char xml[512];

	if (!pool && strcmp(name, POOL_DEFAULT)) {
		(void)set_error(err, errlen, "%s has no storage pool '%s' (NICRIG_POOL): %s", uri, name, lv_error());
		return NULL;
	}
	if (!pool) {
		snprintf(xml, sizeof(xml), "<pool type='dir'><name>%s</name><target><path>%s</path>"
			 "<permissions><mode>0755</mode></permissions></target></pool>", name, POOL_DIR);
		pool = virStoragePoolDefineXML(conn, xml, 0);
		if (!pool || virStoragePoolBuild(pool, 0) < 0) {
			(void)set_error(err, errlen, "%s has no storage pool '%s' and defining one at %s failed: "
					"%s", uri, name, POOL_DIR, lv_error());
			if (pool) {
				virStoragePoolUndefine(pool);
				virStoragePoolFree(pool);
			}
			return NULL;
		}
		virStoragePoolSetAutostart(pool, 1);
	}
	if (virStoragePoolIsActive(pool) != 1 && virStoragePoolCreate(pool, 0) < 0) {
		(void)set_error(err, errlen, "%s: storage pool '%s' cannot be started: %s", uri, name, lv_error());
		virStoragePoolFree(pool);
		return NULL;
	}
	return pool;
}

static virStorageVolPtr vol_create(virStoragePoolPtr pool, const char *name, unsigned long long size)
{
	char xml[512];

	snprintf(xml, sizeof(xml), "<volume><name>%s</name><capacity unit='bytes'>%llu</capacity>"
		 "<target><format type='raw'/><permissions><mode>0644</mode></permissions></target>"
		 "</volume>", name, size);
	return virStorageVolCreateXML(pool, xml, 0);
}

/* Uploads path into vol: 0, or -1 with err. */
static int vol_upload(virConnectPtr conn, virStorageVolPtr vol, const char *path, unsigned long long size,
		      char *err, size_t errlen)
{
	static char buf[1 << 18];
	virStreamPtr st = virStreamNew(conn, 0);
	int fd = open(path, O_RDONLY | O_CLOEXEC), rc = -1;
	ssize_t n = 0;

	if (fd < 0) {
		(void)set_error(err, errlen, "%s: %s", path, strerror(errno));
		goto out;
	}
	if (!st || virStorageVolUpload(vol, st, 0, size, 0) < 0) {
		(void)set_error(err, errlen, "upload refused: %s", lv_error());
		goto out;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		for (ssize_t off = 0; off < n;) {
			int w = virStreamSend(st, buf + off, n - off);

			if (w < 0) {
				(void)set_error(err, errlen, "upload failed: %s", lv_error());
				virStreamAbort(st);
				goto out;
			}
			off += w;
		}
	}
	if (n < 0 || virStreamFinish(st) < 0) {
		(void)set_error(err, errlen, "upload failed: %s", n < 0 ? strerror(errno) : lv_error());
		if (n < 0)
			virStreamAbort(st);
		goto out;
	}
	rc = 0;
out:
	if (st)
		virStreamFree(st);
	if (fd >= 0)
		close(fd);
	return rc;
}

/*
 * The file's SHA-256, remembered by its identity and modification time in
 * the cache's stage-sha256/: hashing a 169 MB vmlinux takes about 2 s here,
 * for every boot.
 */
static int file_hash(const char *cache, const char *path, const struct stat *sb, char hex[65])
{
	char dir[600], memo[800];
	struct stat d;
	FILE *f;
	int rc;

	snprintf(dir, sizeof(dir), "%s/stage-sha256", cache);
	snprintf(memo, sizeof(memo), "%s/%llx-%llx-%llx-%llx.%09ld", dir, (unsigned long long)sb->st_dev,
		 (unsigned long long)sb->st_ino, (unsigned long long)sb->st_size,
		 (unsigned long long)sb->st_mtim.tv_sec, sb->st_mtim.tv_nsec);
	mkdir(dir, 0700);
	/* only a directory of our own: anyone else's could name a kernel the host does not have */
	if (lstat(dir, &d) || !S_ISDIR(d.st_mode) || d.st_uid != geteuid() || (d.st_mode & 077))
		return sha256_file(path, hex);
	f = fopen(memo, "r");
	if (f) {
		rc = fscanf(f, "%64[0-9a-f]", hex) == 1 && strlen(hex) == 64 ? 0 : -1;
		fclose(f);
		if (!rc)
			return 0;
	}
	rc = sha256_file(path, hex);
	if (rc)
		return rc;
	f = fopen(memo, "w");
	if (f) {
		fprintf(f, "%s\n", hex);
		fclose(f);
	}
	return 0;
}

/* One file: its volume's path on the host into out. */
static int stage_one(virConnectPtr conn, virStoragePoolPtr pool, const char *uri, const char *cache,
		     const char *path,
		     char *out, size_t outlen, char *err, size_t errlen)
{
	char hex[65], name[300], ok[310], sub[600];
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	virStorageVolPtr vol, okv;
	struct stat sb;
	char *p;
	int rc;

	rc = stat(path, &sb) ? -errno : file_hash(cache, path, &sb, hex);
	if (rc)
		return set_error(err, errlen, "%s: %s", path, strerror(-rc));
	snprintf(name, sizeof(name), "nicrig-%.16s-%s", hex, base);
	snprintf(ok, sizeof(ok), "%s.ok", name);
	okv = virStorageVolLookupByName(pool, ok);
	vol = virStorageVolLookupByName(pool, name);
	if (!okv || !vol) {
		if (vol) {		/* an upload that did not finish */
			virStorageVolDelete(vol, 0);
			virStorageVolFree(vol);
		}
		vol = vol_create(pool, name, sb.st_size);
		if (!vol) {
			rc = set_error(err, errlen, "%s: creating volume %s failed: %s", uri, name, lv_error());
		} else if (vol_upload(conn, vol, path, sb.st_size, sub, sizeof(sub))) {
			rc = set_error(err, errlen, "%s: %s to %s: %s", uri, path, name, sub);
			virStorageVolDelete(vol, 0);
		} else {
			if (!okv)
				okv = vol_create(pool, ok, 0);
			if (!okv)
				rc = set_error(err, errlen, "%s: creating volume %s failed: %s", uri, ok, lv_error());
			else
				fprintf(stderr, "libvirt: staged %s (%lld bytes) as volume %s on %s\n", path,
					(long long)sb.st_size, name, uri);
		}
	}
	p = !rc && vol ? virStorageVolGetPath(vol) : NULL;
	if (!rc && !p)
		rc = set_error(err, errlen, "%s: volume %s has no path: %s", uri, name, lv_error());
	if (p)
		snprintf(out, outlen, "%s", p);
	free(p);
	if (vol)
		virStorageVolFree(vol);
	if (okv)
		virStorageVolFree(okv);
	return rc;
}

int stage_files(virConnectPtr conn, const char *uri, const char *cache, const char *const *files, int n,
		char out[][600], char *err, size_t errlen)
{
	virStoragePoolPtr pool = stage_pool(conn, uri, err, errlen);
	char lockpath[600];
	int lock, rc = 0;

	snprintf(lockpath, sizeof(lockpath), "%s/stage.lock", cache);
	lock = open(lockpath, O_RDWR | O_CREAT | O_CLOEXEC, 0600);

	if (!pool) {
		if (lock >= 0)
			close(lock);
		return -1;
	}
	/* one upload at a time from this machine: the second boot finds the first's volume */
	if (lock >= 0)
		flock(lock, LOCK_EX);
	for (int i = 0; i < n && !rc; i++)
		rc = stage_one(conn, pool, uri, cache, files[i], out[i], sizeof(out[i]), err, errlen);
	if (lock >= 0)
		close(lock);
	virStoragePoolFree(pool);
	return rc;
}

int stage_emulator_check(virConnectPtr conn, const char *uri, const char *emulator, char *err, size_t errlen)
{
	char *caps = virConnectGetDomainCapabilities(conn, emulator, "x86_64", "q35", "qemu", 0);

	if (!caps)
		return set_error(err, errlen, "%s cannot run nicrig's QEMU %s: %s (install the same build at "
				 "the same path there: README, libvirt)", uri, emulator, lv_error());
	free(caps);
	return 0;
}
