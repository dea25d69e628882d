// SPDX-License-Identifier: Apache-2.0
/* Small file-system helpers. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/magic.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <bpf/libbpf.h>

#include "internal.h"
#include "log.h"

int bn_mkdir_p(const char *path, mode_t mode)
{
	char buf[PATH_MAX];
	size_t len = strlen(path);

	if (len >= sizeof(buf))
		return -ENAMETOOLONG;
	memcpy(buf, path, len + 1);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, mode) && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(buf, mode) && errno != EEXIST)
		return -errno;
	return 0;
}

int bn_rm_rf(const char *path)
{
	struct dirent *de;
	struct stat st;
	DIR *d;
	int err = 0;

	if (lstat(path, &st))
		return errno == ENOENT ? 0 : -errno;
	if (!S_ISDIR(st.st_mode))
		return unlink(path) ? -errno : 0;
	d = opendir(path);
	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		char sub[PATH_MAX];

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", path, de->d_name);
		if (bn_rm_rf(sub))
			err = -EIO;
	}
	closedir(d);
	if (rmdir(path))
		return -errno;
	return err;
}

/* temp file in the same directory, fsync, rename, fsync the directory */
int bn_write_atomic(const char *path, const char *data, size_t len)
{
	char tmp[PATH_MAX], dir[PATH_MAX], *slash;
	int fd, dfd, err = 0;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	while (len) {
		ssize_t n = write(fd, data, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			err = -errno;
			goto out;
		}
		data += n;
		len -= n;
	}
	if (fsync(fd))
		err = -errno;
out:
	close(fd);
	if (!err && rename(tmp, path))
		err = -errno;
	if (err) {
		unlink(tmp);
		return err;
	}
	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (slash) {
		*slash = '\0';
		dfd = open(dir[0] ? dir : "/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dfd >= 0) {
			fsync(dfd);
			close(dfd);
		}
	}
	return 0;
}

void bn_uuid(char out[40])
{
	unsigned char b[16];
	FILE *f = fopen("/proc/sys/kernel/random/uuid", "r");

	if (f && fgets(out, 40, f)) {
		out[strcspn(out, "\n")] = '\0';
		fclose(f);
		return;
	}
	if (f)
		fclose(f);
	for (int i = 0; i < 16; i++)
		b[i] = rand();
	snprintf(out, 40, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12],
		 b[13], b[14], b[15]);
}

static bool is_bpffs(const char *path)
{
	struct statfs st;

	return !statfs(path, &st) && st.f_type == BPF_FS_MAGIC;
}

/* Make sure dir is on a bpffs: mount one on /sys/fs/bpf if needed. */
int bn_bpffs_ensure(const char *dir)
{
	int err;

	if (!is_bpffs("/sys/fs/bpf")) {
		if (mount("bpf", "/sys/fs/bpf", "bpf", 0, "mode=0700")) {
			err = -errno;
			pr_err("cannot mount bpffs on /sys/fs/bpf: %s", strerror(-err));
			return err;
		}
		pr_info("mounted bpffs on /sys/fs/bpf");
	}
	err = bn_mkdir_p(dir, 0700);
	if (err) {
		pr_err("cannot create %s: %s", dir, strerror(-err));
		return err;
	}
	if (!is_bpffs(dir)) {
		pr_err("%s is not on a bpf file system", dir);
		return -EINVAL;
	}
	return 0;
}

/* Identity of a compiled BPF object: FNV-1a over its ELF bytes. Pins are
 * adopted only by a daemon carrying the same object; another build reloads. */
void bn_build_id(const struct bpf_object_skeleton *s, char out[17])
{
	const unsigned char *p = s->data;
	uint64_t h = 0xcbf29ce484222325ULL;

	for (size_t i = 0; i < s->data_sz; i++)
		h = (h ^ p[i]) * 0x100000001b3ULL;
	snprintf(out, 17, "%016llx", (unsigned long long)h);
}
