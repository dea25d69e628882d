// SPDX-License-Identifier: Apache-2.0
/*
 * Persistence: the whole configuration in one JSON file, written atomically
 * after every accepted change and restored at start, adopting the pinned
 * data plane of each cube.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"
#include "log.h"

#define STORE_VERSION 1

static json_t *store_doc(struct bn_ctx *ctx)
{
	json_t *cubes = json_array();

	for (struct bn_cube *c = ctx->cubes; c; c = c->next)
		if (!c->dying)
			json_array_append_new(cubes, bn_cube_meta(c));
	json_array_extend(cubes, ctx->unrestored);	/* not lost: tried again next start */
	return json_pack("{s:i, s:s, s:o, s:O}", "version", STORE_VERSION, "core-build", ctx->core_build,
			 "cubes", cubes, "attachments", ctx->attach);
}

int bn_store_save(struct bn_ctx *ctx, struct bn_err *err)
{
	json_t *doc = store_doc(ctx);
	char *text = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	int ret;

	json_decref(doc);
	if (!text)
		return bn_err_set(err, 500, "out of memory");
	ret = bn_write_atomic(ctx->config_path, text, strlen(text));
	free(text);
	if (ret) {
		pr_err("cannot write %s: %s", ctx->config_path, strerror(-ret));
		return bn_err_set(err, 500, "cannot save the configuration: %s", strerror(-ret));
	}
	return 0;
}

static bool name_taken(struct bn_ctx *ctx, const char *name)
{
	return bn_cube_find(ctx, name) || bn_svc_find(ctx, name);
}

/* The saved id, unless another cube has it (a hand-edited file). */
static unsigned restore_id(struct bn_ctx *ctx, json_t *rec)
{
	json_int_t id = json_integer_value(json_object_get(rec, "id"));

	for (struct bn_cube *c = ctx->cubes; c; c = c->next)
		if (c->id == id)
			id = 0;
	return id > 0 && id < BN_MAX_CUBES ? (unsigned)id : bn_cube_free_id(ctx, NULL, 0);
}

static int restore_cube(struct bn_ctx *ctx, json_t *rec)
{
	const char *svcname = json_string_value(json_object_get(rec, "service-name"));
	const char *name = json_string_value(json_object_get(rec, "name"));
	const struct bn_svc_entry *e = svcname ? bn_svc_find(ctx, svcname) : NULL;
	json_t *cfg = json_deep_copy(json_object_get(rec, "config"));
	struct bn_cube *c;
	struct bn_err err = { 0 };
	int ret = -EINVAL;

	if (!e || !name || name_taken(ctx, name) || !json_is_object(cfg)) {
		bn_err_set(&err, 400, "bad or duplicate record");
		goto out;
	}
	ret = bn_schema_check(e->root, cfg, BN_OP_CREATE, &err);
	if (!ret)
		ret = bn_cube_load(ctx, e->svc, name, cfg, rec, restore_id(ctx, rec), &c, &err);
	if (ret)
		goto out;
	c->next = ctx->cubes;
	ctx->cubes = c;
	ret = bn_cube_sync_ports(c, c->cfg);
	if (!ret)
		ret = c->svc->apply(c, c->cfg, &err);
	if (ret)
		pr_err("config: cannot apply cube %s: %s", name, err.msg);
	ret = 0;	/* loaded: it stays, as configured */
out:
	json_decref(cfg);
	if (ret) {
		pr_err("config: cannot restore cube %s: %s (kept in the config, tried again at the next start)",
		       name ? name : "?", err.msg);
		json_array_append(ctx->unrestored, rec);
	}
	return ret;
}

/* A cube the config has but that did not restore: its name stays taken. */
bool bn_store_unrestored(struct bn_ctx *ctx, const char *name)
{
	json_t *rec;
	size_t i;

	json_array_foreach(ctx->unrestored, i, rec)
		if (!strcmp(json_string_value(json_object_get(rec, "name")) ?: "", name))
			return true;
	return false;
}

/* Pinned cubes the config does not know (a crash between pin and save). */
static void remove_orphans(struct bn_ctx *ctx)
{
	char dir[PATH_MAX], path[PATH_MAX + 256];
	struct dirent *de;
	DIR *d;

	snprintf(dir, sizeof(dir), "%s/cubes", ctx->pin_dir);
	d = opendir(dir);
	if (!d)
		return;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' || bn_cube_find(ctx, de->d_name) ||
		    bn_store_unrestored(ctx, de->d_name))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		pr_warn("removing orphan pins %s", path);
		bn_rm_rf(path);
	}
	closedir(d);
}

static void reverse_cubes(struct bn_ctx *ctx)
{
	struct bn_cube *prev = NULL, *c = ctx->cubes, *next;

	for (; c; c = next) {
		next = c->next;
		c->next = prev;
		prev = c;
	}
	ctx->cubes = prev;
}

int bn_store_load(struct bn_ctx *ctx, json_t **doc)
{
	json_error_t jerr;

	*doc = NULL;
	if (access(ctx->config_path, F_OK))
		return 0;
	*doc = json_load_file(ctx->config_path, 0, &jerr);
	if (!*doc || !json_is_object(*doc)) {
		pr_err("cannot read %s: %s (line %d)", ctx->config_path, jerr.text, jerr.line);
		json_decref(*doc);
		*doc = NULL;
		return -EINVAL;
	}
	return 0;
}

int bn_store_restore(struct bn_ctx *ctx, json_t *doc)
{
	json_t *rec, *attach;
	struct bn_err err;
	size_t i = 0;

	json_array_foreach(json_object_get(doc, "cubes"), i, rec)
		restore_cube(ctx, rec);
	reverse_cubes(ctx);
	attach = json_object_get(doc, "attachments");
	json_decref(ctx->attach);
	/* only what can be: a cube that did not restore leaves its list */
	ctx->attach = bn_attach_prune(ctx, attach);
	remove_orphans(ctx);
	if (bn_topology_apply(ctx, &err))
		pr_err("cannot restore the topology: %s", err.msg);
	if (doc)
		pr_info("restored %zu cubes from %s", i, ctx->config_path);
	/* record the builds now pinned, so that the next start adopts them */
	return doc ? bn_store_save(ctx, &err) : 0;
}
