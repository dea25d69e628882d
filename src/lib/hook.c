// SPDX-License-Identifier: Apache-2.0
/*
 * Netdev hooks: the core's entry programs attached where the topology needs
 * them, so that the data path works without the daemon.
 *
 * XDP: an XDP link (generic or native), pinned under <pin>/links.
 * TC: a TCX link (pinned) or, with --tc-hook clsact (and where the kernel has
 * no TCX), a direct-action bpf filter on a clsact qdisc, which stays in the
 * kernel by itself. The qdisc is removed again only if the framework made it.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/if_link.h>
#include <bpf/bpf.h>

#include "internal.h"
#include "log.h"

#ifndef BPF_TCX_INGRESS
#define BPF_TCX_INGRESS 46
#define BPF_TCX_EGRESS	47
#endif

#define TC_HANDLE 0xb9f0	/* our clsact filters: this handle and priority */
#define TC_PRIO	  0xb9f0

/* ------------------------------------------------------------ links --- */

static void link_path(struct bn_ctx *ctx, char *buf, size_t len, int ifindex, const char *kind)
{
	snprintf(buf, len, "%s/links/%d_%s", ctx->pin_dir, ifindex, kind);
}

static int attach_link(struct bn_ctx *ctx, int ifindex, const char *kind, int prog_fd,
		       enum bpf_attach_type at, __u32 flags)
{
	LIBBPF_OPTS(bpf_link_create_opts, opts, .flags = flags);
	char path[PATH_MAX];
	int fd, err = 0;

	link_path(ctx, path, sizeof(path), ifindex, kind);
	if (!access(path, F_OK))
		return 0;
	fd = bpf_link_create(prog_fd, ifindex, at, &opts);
	if (fd < 0) {
		err = -errno;
		pr_err("cannot attach to ifindex %d (%s): %s", ifindex, kind, strerror(-err));
		return err;
	}
	if (bpf_obj_pin(fd, path)) {
		err = -errno;
		pr_err("cannot pin %s: %s", path, strerror(-err));
	}
	close(fd);
	return err;
}

/* Detach now (a link released by unpinning goes away later, and the same
 * program cannot be attached again on that hook until it has), then unpin. */
static void detach_pinned(const char *path)
{
	int fd = bpf_obj_get(path);

	if (fd >= 0) {
		if (bpf_link_detach(fd))
			pr_warn("cannot detach %s: %s", path, strerror(errno));
		close(fd);
	}
	unlink(path);
}

static const char *xdp_kind(enum bn_cube_type t)
{
	return t == BN_TYPE_XDP_DRV ? "xdpdrv" : "xdpskb";
}

/* ----------------------------------------------------------- clsact --- */

/* Attach (or replace) our filter; *made: the clsact qdisc was created now. */
static int tc_attach(int ifindex, enum bpf_tc_attach_point where, int prog_fd, bool *made)
{
	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifindex, .attach_point = where);
	LIBBPF_OPTS(bpf_tc_opts, opts, .handle = TC_HANDLE, .priority = TC_PRIO, .prog_fd = prog_fd,
		    .flags = BPF_TC_F_REPLACE);
	int err = bpf_tc_hook_create(&hook);

	if (!err)
		*made = true;
	else if (err != -EEXIST)
		return err;
	err = bpf_tc_attach(&hook, &opts);
	if (err)
		pr_err("cannot attach a clsact filter to ifindex %d: %s", ifindex, strerror(-err));
	return err;
}

static void tc_detach(int ifindex, enum bpf_tc_attach_point where)
{
	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifindex, .attach_point = where);
	LIBBPF_OPTS(bpf_tc_opts, opts, .handle = TC_HANDLE, .priority = TC_PRIO);

	bpf_tc_detach(&hook, &opts);	/* -ENOENT: not there */
}

static void tc_qdisc_destroy(int ifindex)
{
	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifindex,
		    .attach_point = BPF_TC_INGRESS | BPF_TC_EGRESS);

	bpf_tc_hook_destroy(&hook);
}

/* -------------------------------------------------------------- plan --- */

static bool clsact(struct bn_ctx *ctx)
{
	return ctx->tc_hook == BN_TC_HOOK_CLSACT;
}

static const struct bn_hook *hook_of(const struct bn_hook *hooks, int n, int ifindex)
{
	for (int i = 0; i < n; i++)
		if (hooks[i].ifindex == ifindex)
			return &hooks[i];
	return NULL;
}

static bool wants_tc_ingress(const struct bn_hook *h)
{
	return h && h->type == BN_TYPE_TC;
}

static bool wants_tc_egress(const struct bn_hook *h)
{
	return h && h->egress;
}

static bool wanted_link(struct bn_ctx *ctx, const struct bn_hook *h, const char *kind)
{
	if (!h)
		return false;
	if (!strcmp(kind, "tceg"))
		return wants_tc_egress(h) && !clsact(ctx);
	if (!strcmp(kind, "tcin"))
		return wants_tc_ingress(h) && !clsact(ctx);
	return h->type != BN_TYPE_TC && !strcmp(kind, xdp_kind(h->type));
}

/* Pinned links no hook wants any more. */
static void unlink_stale(struct bn_ctx *ctx, const struct bn_hook *hooks, int n)
{
	char dir[PATH_MAX], path[PATH_MAX + 300];
	struct dirent *de;
	DIR *d;

	snprintf(dir, sizeof(dir), "%s/links", ctx->pin_dir);
	d = opendir(dir);
	if (!d)
		return;
	while ((de = readdir(d))) {
		char kind[16];
		int ifindex;

		if (sscanf(de->d_name, "%d_%15s", &ifindex, kind) != 2)
			continue;
		if (wanted_link(ctx, hook_of(hooks, n, ifindex), kind))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		detach_pinned(path);
	}
	closedir(d);
}

/* Netdevs hooked before (the iface table) that lost a clsact filter or
 * every hook: filters off, our qdisc gone, iface entry gone. */
static void unhook_stale(struct bn_ctx *ctx, const struct bn_hook *hooks, int n)
{
	__u32 key, next, *keys = calloc(BN_MAX_IFACES, sizeof(*keys));
	struct bn_iface v;
	int nkeys = 0;

	if (!keys)
		return;
	for (int err = bpf_map_get_next_key(ctx->ifaces_fd, NULL, &next);
	     !err && nkeys < BN_MAX_IFACES; err = bpf_map_get_next_key(ctx->ifaces_fd, &key, &next))
		keys[nkeys++] = key = next;
	for (int i = 0; i < nkeys; i++) {
		const struct bn_hook *h = hook_of(hooks, n, keys[i]);
		bool in = wants_tc_ingress(h) && clsact(ctx), eg = wants_tc_egress(h) && clsact(ctx);

		if (bpf_map_lookup_elem(ctx->ifaces_fd, &keys[i], &v))
			continue;
		if (!in)
			tc_detach(keys[i], BPF_TC_INGRESS);
		if (!eg)
			tc_detach(keys[i], BPF_TC_EGRESS);
		if (!in && !eg && (v.flags & BN_IFACE_OWN_QDISC)) {
			tc_qdisc_destroy(keys[i]);
			v.flags &= ~BN_IFACE_OWN_QDISC;
			bpf_map_update_elem(ctx->ifaces_fd, &keys[i], &v, BPF_EXIST);
		}
		if (!h)
			bpf_map_delete_elem(ctx->ifaces_fd, &keys[i]);
	}
	free(keys);
}

static int hook_tc(struct bn_ctx *ctx, const struct bn_hook *h, bool *made)
{
	int err = 0;

	if (wants_tc_ingress(h))
		err = clsact(ctx) ? tc_attach(h->ifindex, BPF_TC_INGRESS,
					      ctx->entry_fd[BN_ENTRY_TC_INGRESS], made)
				  : attach_link(ctx, h->ifindex, "tcin",
						ctx->entry_fd[BN_ENTRY_TC_INGRESS], BPF_TCX_INGRESS, 0);
	if (!err && wants_tc_egress(h))
		err = clsact(ctx) ? tc_attach(h->ifindex, BPF_TC_EGRESS,
					      ctx->entry_fd[BN_ENTRY_TC_EGRESS], made)
				  : attach_link(ctx, h->ifindex, "tceg",
						ctx->entry_fd[BN_ENTRY_TC_EGRESS], BPF_TCX_EGRESS, 0);
	return err;
}

static int hook_one(struct bn_ctx *ctx, const struct bn_hook *h)
{
	struct bn_iface v = h->iface, old;
	__u32 key = h->ifindex;
	bool made = false;
	int err = 0;

	/* the table first: the hook must find where to send packets */
	if (!bpf_map_lookup_elem(ctx->ifaces_fd, &key, &old))
		v.flags = old.flags;
	if (bpf_map_update_elem(ctx->ifaces_fd, &key, &v, BPF_ANY))
		return -errno;
	if (h->type != BN_TYPE_TC)
		err = attach_link(ctx, h->ifindex, xdp_kind(h->type), ctx->entry_fd[BN_ENTRY_XDP],
				  BPF_XDP,
				  h->type == BN_TYPE_XDP_DRV ? XDP_FLAGS_DRV_MODE : XDP_FLAGS_SKB_MODE);
	if (!err)
		err = hook_tc(ctx, h, &made);
	if (made) {
		v.flags |= BN_IFACE_OWN_QDISC;
		bpf_map_update_elem(ctx->ifaces_fd, &key, &v, BPF_ANY);
	}
	return err;
}

/* Before the pinned data plane is thrown away: its links off, now. */
void bn_hooks_detach_links(struct bn_ctx *ctx)
{
	unlink_stale(ctx, NULL, 0);
}

int bn_hooks_apply(struct bn_ctx *ctx, const struct bn_hook *hooks, int n)
{
	char dir[PATH_MAX];
	int err = 0;

	unlink_stale(ctx, hooks, n);
	unhook_stale(ctx, hooks, n);
	snprintf(dir, sizeof(dir), "%s/links", ctx->pin_dir);
	bn_mkdir_p(dir, 0700);
	for (int i = 0; i < n && !err; i++)
		err = hook_one(ctx, &hooks[i]);
	return err;
}
