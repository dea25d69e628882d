// SPDX-License-Identifier: Apache-2.0
/*
 * The library context: bpffs, the core object (entry programs and shared
 * maps, adopted from pins when a previous daemon left them), services and
 * the restored configuration.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <bpf/bpf.h>

#include "internal.h"
#include "log.h"
#include "core.skel.h"

static void core_progs(struct core_bpf *skel, struct bpf_program *progs[BN_ENTRY_MAX])
{
	progs[BN_ENTRY_XDP] = skel->progs.bn_xdp_entry;
	progs[BN_ENTRY_TC_INGRESS] = skel->progs.bn_tc_ingress_entry;
	progs[BN_ENTRY_TC_EGRESS] = skel->progs.bn_tc_egress_entry;
	progs[BN_ENTRY_XDP_INJECT] = skel->progs.bn_xdp_inject;
	progs[BN_ENTRY_TC_INJECT] = skel->progs.bn_tc_inject;
}

static int core_adopt(struct bn_ctx *ctx, struct core_bpf *skel, const char *dir)
{
	struct bpf_program *progs[BN_ENTRY_MAX];
	int err = bn_adopt_maps(skel->obj, dir, NULL);

	core_progs(skel, progs);
	return err ? err : bn_prog_fds(progs, BN_ENTRY_MAX, dir, false, ctx->entry_fd);
}

static int core_load(struct bn_ctx *ctx, struct core_bpf *skel, const char *dir)
{
	struct bpf_program *progs[BN_ENTRY_MAX];
	int err = core_bpf__load(skel);

	if (!err)
		err = bn_pin_maps(skel->obj, dir, NULL);
	core_progs(skel, progs);
	return err ? err : bn_prog_fds(progs, BN_ENTRY_MAX, dir, true, ctx->entry_fd);
}

/* Adopt the pinned core if it is this build's, else start from scratch: the
 * cubes' programs reference the core's maps, so they reload with it. */
static int core_open(struct bn_ctx *ctx, const char *pinned_build)
{
	char dir[PATH_MAX];
	struct stat st;
	int err;

	snprintf(dir, sizeof(dir), "%s/core", ctx->pin_dir);
	ctx->core = core_bpf__open();
	if (!ctx->core)
		return -errno;
	bn_build_id(ctx->core->skeleton, ctx->core_build);
	if (!stat(dir, &st)) {
		err = strcmp(pinned_build ?: "", ctx->core_build) ? -ESTALE
								 : core_adopt(ctx, ctx->core, dir);
		if (!err) {
			pr_info("adopted the pinned core in %s", dir);
			goto fds;
		}
		pr_warn("not adopting the pinned data plane (%s): reloading everything",
			err == -ESTALE ? "another build" : strerror(-err));
		core_bpf__destroy(ctx->core);
		for (int i = 0; i < BN_ENTRY_MAX; i++) {
			if (ctx->entry_fd[i] >= 0)
				close(ctx->entry_fd[i]);
			ctx->entry_fd[i] = -1;
		}
		bn_hooks_detach_links(ctx);
		bn_rm_rf(ctx->pin_dir);
		bn_mkdir_p(ctx->pin_dir, 0700);
		ctx->core = core_bpf__open();
		if (!ctx->core)
			return -errno;
	}
	err = core_load(ctx, ctx->core, dir);
	if (err)
		return err;
fds:
	ctx->xdp_progs_fd = bpf_map__fd(ctx->core->maps.bn_xdp_progs);
	ctx->tc_progs_fd = bpf_map__fd(ctx->core->maps.bn_tc_progs);
	ctx->ifaces_fd = bpf_map__fd(ctx->core->maps.bn_ifaces);
	ctx->events_fd = bpf_map__fd(ctx->core->maps.bn_events);
	ctx->xdp_md_fd = bpf_map__fd(ctx->core->maps.bn_xdp_md_slot);
	ctx->inject_fd = bpf_map__fd(ctx->core->maps.bn_inject);
	return 0;
}

/* One daemon per state dir: a second one would fight over the same pins. */
static int lock_state(struct bn_ctx *ctx)
{
	char path[PATH_MAX];
	int err;

	snprintf(path, sizeof(path), "%s/lock", ctx->state_dir);
	ctx->lock_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (ctx->lock_fd < 0) {
		err = -errno;
		pr_err("cannot open %s: %s", path, strerror(-err));
		return err;
	}
	if (flock(ctx->lock_fd, LOCK_EX | LOCK_NB)) {
		err = -errno;
		pr_err("%s is in use by another bpfnetd", ctx->state_dir);
		return err == -EWOULDBLOCK ? -EBUSY : err;
	}
	return 0;
}

int bn_ctx_open(const struct bn_opts *o, struct bn_ctx **out)
{
	struct bn_ctx *ctx = calloc(1, sizeof(*ctx));
	json_t *doc = NULL;
	int err;

	if (!ctx)
		return -ENOMEM;
	for (int i = 0; i < BN_ENTRY_MAX; i++)
		ctx->entry_fd[i] = -1;
	ctx->lock_fd = ctx->ep_fd = ctx->nl_fd = ctx->inj_sock = ctx->inj_link = -1;
	snprintf(ctx->pin_dir, sizeof(ctx->pin_dir), "%s",
		 o && o->pin_dir ? o->pin_dir : BN_DEFAULT_PIN_DIR);
	snprintf(ctx->state_dir, sizeof(ctx->state_dir), "%s",
		 o && o->state_dir ? o->state_dir : BN_DEFAULT_STATE_DIR);
	snprintf(ctx->config_path, sizeof(ctx->config_path), "%s/config.json", ctx->state_dir);
	if (o && o->tc_hook && !strcmp(o->tc_hook, "clsact"))
		ctx->tc_hook = BN_TC_HOOK_CLSACT;
	else if (o && o->tc_hook && strcmp(o->tc_hook, "tcx")) {
		pr_err("unknown TC hook '%s' (tcx or clsact)", o->tc_hook);
		err = -EINVAL;
		goto fail;
	}
	ctx->attach = json_array();
	ctx->unrestored = json_array();

	err = bn_mkdir_p(ctx->state_dir, 0700);
	if (err) {
		pr_err("cannot create %s: %s", ctx->state_dir, strerror(-err));
		goto fail;
	}
	err = lock_state(ctx);
	if (err)
		goto fail;
	err = bn_bpffs_ensure(ctx->pin_dir);
	if (err)
		goto fail;
	err = bn_services_init(ctx);
	if (err)
		goto fail;
	err = bn_store_load(ctx, &doc);
	if (err)
		goto fail;
	err = core_open(ctx, json_string_value(json_object_get(doc, "core-build")));
	if (err) {
		pr_err("cannot load the core data plane: %s", strerror(-err));
		goto fail;
	}
	if (bn_inject_open(ctx))
		pr_warn("no packet-out in TC mode: slow-path re-injection disabled");
	err = bn_events_open(ctx);
	if (err) {
		pr_err("cannot open the event ring: %s", strerror(-err));
		goto fail;
	}
	err = bn_store_restore(ctx, doc);
	if (err)
		goto fail;
	json_decref(doc);
	*out = ctx;
	return 0;
fail:
	json_decref(doc);
	bn_ctx_close(&ctx);
	return err;
}

void bn_ctx_close(struct bn_ctx **pctx)
{
	struct bn_ctx *ctx = *pctx;
	struct bn_cube *c, *next;

	if (!ctx)
		return;
	for (c = ctx->cubes; c; c = next) {
		next = c->next;
		bn_cube_unload(c);
	}
	bn_events_close(ctx);
	bn_inject_close(ctx);
	for (int i = 0; i < BN_ENTRY_MAX; i++)
		if (ctx->entry_fd[i] >= 0)
			close(ctx->entry_fd[i]);
	core_bpf__destroy(ctx->core);
	bn_services_free(ctx);
	json_decref(ctx->attach);
	json_decref(ctx->unrestored);
	if (ctx->lock_fd >= 0)
		close(ctx->lock_fd);
	free(ctx);
	*pctx = NULL;
}
