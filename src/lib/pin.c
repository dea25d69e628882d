// SPDX-License-Identifier: Apache-2.0
/*
 * Pinning and adoption of a BPF object's maps and programs under one
 * directory, named as the object names them. Adoption makes an opened (not
 * loaded) object use the pinned maps, so a restarted daemon reaches the live
 * data plane through the same skeleton.
 */
#include <errno.h>
#include <stdio.h>
#include <unistd.h>
#include <bpf/bpf.h>

#include "internal.h"

/* dir/name, with '.' (refused by bpffs: ".rodata", ".bss") made '_' */
static void pin_path(char *buf, size_t len, const char *dir, const char *name)
{
	size_t n = (size_t)snprintf(buf, len, "%s/", dir);

	for (; *name && n + 1 < len; name++)
		buf[n++] = *name == '.' ? '_' : *name;
	buf[n < len ? n : len - 1] = '\0';
}

static bool skipped(const struct bpf_map *m, struct bpf_map *const *skip)
{
	for (; skip && *skip; skip++)
		if (*skip == m)
			return true;
	return false;
}

int bn_pin_maps(struct bpf_object *obj, const char *dir, struct bpf_map *const *skip)
{
	char path[PATH_MAX];
	struct bpf_map *m;
	int err = bn_mkdir_p(dir, 0700);

	if (err)
		return err;
	bpf_object__for_each_map(m, obj) {
		if (skipped(m, skip))
			continue;
		pin_path(path, sizeof(path), dir, bpf_map__name(m));
		err = bpf_map__pin(m, path);
		if (err)
			return err;
	}
	return 0;
}

int bn_adopt_maps(struct bpf_object *obj, const char *dir, struct bpf_map *const *skip)
{
	char path[PATH_MAX];
	struct bpf_map *m;
	int fd, err;

	bpf_object__for_each_map(m, obj) {
		if (skipped(m, skip))
			continue;
		pin_path(path, sizeof(path), dir, bpf_map__name(m));
		fd = bpf_obj_get(path);
		if (fd < 0)
			return -errno;
		err = bpf_map__reuse_fd(m, fd);
		close(fd);
		if (err)
			return err;
	}
	return 0;
}

static int pin_prog(struct bpf_program *p, const char *dir)
{
	char path[PATH_MAX];
	int err, fd;

	pin_path(path, sizeof(path), dir, bpf_program__name(p));
	err = bpf_program__pin(p, path);
	if (err)
		return err;
	fd = dup(bpf_program__fd(p));
	return fd < 0 ? -errno : fd;
}

static int adopt_prog(struct bpf_program *p, const char *dir)
{
	char path[PATH_MAX];
	int fd;

	pin_path(path, sizeof(path), dir, bpf_program__name(p));
	fd = bpf_obj_get(path);
	return fd < 0 ? -errno : fd;
}

int bn_prog_fds(struct bpf_program *const *progs, int n, const char *dir, bool pin, int *fds)
{
	int err = 0;

	for (int i = 0; i < n; i++)
		fds[i] = -1;
	for (int i = 0; i < n && !err; i++) {
		if (!progs[i])
			continue;
		fds[i] = pin ? pin_prog(progs[i], dir) : adopt_prog(progs[i], dir);
		if (fds[i] < 0) {
			err = fds[i];
			fds[i] = -1;
		}
	}
	return err;
}
