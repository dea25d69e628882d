// SPDX-License-Identifier: Apache-2.0
/*
 * Transactions: every change (one attribute, a new cube, connect, attach,
 * delete) is staged as new configurations, checked as a whole, pushed to
 * the kernel and persisted; if any step fails, the kernel and the config
 * are put back as they were.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "log.h"

#define TXN_MAX 16

struct txn_item {
	struct bn_cube *c;
	json_t *cfg;		/* staged config (owned); NULL with deleted */
	bool created, deleted, applied;
};

struct bn_txn {
	struct bn_ctx *ctx;
	struct txn_item items[TXN_MAX];
	int n;
	json_t *attach;		/* staged attachments (owned), NULL: unchanged */
	json_t *old_attach;
};

struct bn_txn *bn_txn_begin(struct bn_ctx *ctx)
{
	struct bn_txn *t = calloc(1, sizeof(*t));

	if (t)
		t->ctx = ctx;
	return t;
}

static struct txn_item *item_of(struct bn_txn *t, struct bn_cube *c, bool add)
{
	for (int i = 0; i < t->n; i++)
		if (t->items[i].c == c)
			return &t->items[i];
	if (!add || t->n == TXN_MAX)
		return NULL;
	t->items[t->n].c = c;
	return &t->items[t->n++];
}

int bn_txn_set(struct bn_txn *t, struct bn_cube *c, json_t *cfg)
{
	struct txn_item *it = item_of(t, c, true);

	if (!it) {
		json_decref(cfg);
		return -E2BIG;
	}
	json_decref(it->cfg);
	it->cfg = cfg;
	it->deleted = !cfg;
	return 0;
}

int bn_txn_create(struct bn_txn *t, const struct bn_service *svc, const char *name, json_t *cfg,
		  struct bn_err *err)
{
	unsigned taken[TXN_MAX], id;
	struct bn_cube *c;
	struct txn_item *it;
	int ret, ntaken = 0;

	for (int i = 0; i < t->n; i++) {
		if (t->items[i].created && !strcmp(t->items[i].c->name, name)) {
			json_decref(cfg);
			return bn_err_set(err, 409, "Cube %s already exists", name);
		}
	}

	if (t->n == TXN_MAX) {
		json_decref(cfg);
		return bn_err_set(err, 400, "too many changes at once");
	}
	for (int i = 0; i < t->n; i++)
		if (t->items[i].created)
			taken[ntaken++] = t->items[i].c->id;
	id = bn_cube_free_id(t->ctx, taken, ntaken);
	if (!id) {
		json_decref(cfg);
		return bn_err_set(err, 400, "too many cubes (max %d)", BN_MAX_CUBES - 1);
	}
	ret = bn_cube_load(t->ctx, svc, name, cfg, NULL, id, &c, err);
	json_decref(cfg);
	if (ret)
		return ret;
	it = item_of(t, c, true);
	it->cfg = json_incref(c->cfg);
	it->created = true;
	return 0;
}

void bn_txn_set_attach(struct bn_txn *t, json_t *attach)
{
	json_decref(t->attach);
	t->attach = attach;
}

json_t *bn_txn_cfg(struct bn_txn *t, struct bn_cube *c)
{
	struct txn_item *it = item_of(t, c, false);

	return it ? it->cfg : c->cfg;
}

static void list_add(struct bn_ctx *ctx, struct bn_cube *c)
{
	struct bn_cube **pp = &ctx->cubes;

	while (*pp)
		pp = &(*pp)->next;
	c->next = NULL;
	*pp = c;
}

static void list_del(struct bn_ctx *ctx, struct bn_cube *c)
{
	for (struct bn_cube **pp = &ctx->cubes; *pp; pp = &(*pp)->next) {
		if (*pp == c) {
			*pp = c->next;
			return;
		}
	}
}

static bool port_exists(struct bn_ctx *ctx, const char *point)
{
	const char *colon = strchr(point, ':');
	char name[64];
	struct bn_cube *c;
	json_t *p;
	size_t i;

	if (!colon)
		return true; /* a netdev */
	snprintf(name, sizeof(name), "%.*s", (int)(colon - point), point);
	c = bn_cube_find(ctx, name);
	if (!c || c->dying)
		return false;
	json_array_foreach(json_object_get(c->cfg, "ports"), i, p)
		if (!strcmp(json_string_value(json_object_get(p, "name")), colon + 1))
			return true;
	return false;
}

/* Deleted cubes leave their attachment lists; lists on vanished ports go. */
json_t *bn_attach_prune(struct bn_ctx *ctx, const json_t *attach)
{
	json_t *out = json_array(), *e, *n;
	size_t i, j;

	json_array_foreach(attach, i, e) {
		const char *point = json_string_value(json_object_get(e, "point"));
		json_t *cubes;

		if (!point || !port_exists(ctx, point))
			continue;
		cubes = json_array();
		json_array_foreach(json_object_get(e, "cubes"), j, n) {
			struct bn_cube *c = json_is_string(n) ? bn_cube_find(ctx, json_string_value(n))
							      : NULL;

			if (c && !c->dying && c->svc->transparent)
				json_array_append(cubes, n);
		}
		if (json_array_size(cubes))
			json_array_append_new(out, json_pack("{s:s, s:o}", "point", point, "cubes", cubes));
		else
			json_decref(cubes);
	}
	return out;
}

/* Cubes outside the transaction: their committed config is their config. */
static void snapshot_all(struct bn_ctx *ctx)
{
	for (struct bn_cube *c = ctx->cubes; c; c = c->next)
		if (!c->old_cfg)
			c->old_cfg = json_incref(c->cfg);
}

static void release_all(struct bn_ctx *ctx)
{
	for (struct bn_cube *c = ctx->cubes; c; c = c->next) {
		json_decref(c->old_cfg);
		c->old_cfg = NULL;
	}
}

static void stage(struct bn_txn *t)
{
	struct bn_ctx *ctx = t->ctx;

	snapshot_all(ctx);	/* before the new cubes join: they have no past */
	for (int i = 0; i < t->n; i++) {
		struct txn_item *it = &t->items[i];

		if (it->created) {
			list_add(ctx, it->c);
			continue;
		}
		if (it->deleted) {
			it->c->dying = true;
			continue;
		}
		json_decref(it->c->cfg);
		it->c->cfg = json_incref(it->cfg);
	}
	t->old_attach = ctx->attach;
	ctx->attach = bn_attach_prune(ctx, t->attach ? t->attach : t->old_attach);
}

static void unstage(struct bn_txn *t, bool topology_touched)
{
	struct bn_ctx *ctx = t->ctx;
	struct bn_err ignored;

	for (int i = t->n - 1; i >= 0; i--) {
		struct txn_item *it = &t->items[i];
		struct bn_cube *c = it->c;

		if (it->created) {
			list_del(ctx, c);
			continue;
		}
		json_decref(c->cfg);
		c->cfg = c->old_cfg;
		c->old_cfg = NULL;
		c->dying = false;
		if (it->applied && c->svc->apply(c, c->cfg, &ignored))
			bn_cube_log(c, BN_LOG_ERR, "rollback failed: %s", ignored.msg);
		if (it->applied)
			bn_cube_set_loglevel(c, bn_log_level_parse(
						json_string_value(json_object_get(c->cfg, "loglevel")) ?: "INFO"));
	}
	release_all(ctx);
	json_decref(ctx->attach);
	ctx->attach = t->old_attach;
	t->old_attach = NULL;
	if (topology_touched && bn_topology_apply(ctx, &ignored))
		pr_err("rollback of the topology failed: %s", ignored.msg);
	for (int i = 0; i < t->n; i++)
		if (t->items[i].created)
			bn_cube_destroy(t->items[i].c);
}

static int apply_cubes(struct bn_txn *t, struct bn_err *err)
{
	for (int i = 0; i < t->n; i++) {
		struct txn_item *it = &t->items[i];
		struct bn_cube *c = it->c;
		int ret;

		if (it->deleted)
			continue;
		ret = bn_cube_sync_ports(c, c->cfg);
		if (ret)
			return bn_err_set(err, 400, "No free ports");
		it->applied = true;
		ret = c->svc->apply(c, c->cfg, err);
		if (ret)
			return ret;
		ret = bn_cube_set_loglevel(c, bn_log_level_parse(
					json_string_value(json_object_get(c->cfg, "loglevel")) ?: "INFO"));
		if (ret)
			return bn_err_set(err, 500, "cannot set loglevel: %s", strerror(-ret));
	}
	return 0;
}

static void finish(struct bn_txn *t)
{
	for (int i = 0; i < t->n; i++) {
		struct txn_item *it = &t->items[i];

		if (it->deleted) {
			list_del(t->ctx, it->c);
			bn_cube_destroy(it->c);
			continue;
		}
		bn_cube_prune_ports(it->c);
	}
	release_all(t->ctx);
	json_decref(t->old_attach);
	t->old_attach = NULL;
}

static void txn_free(struct bn_txn *t)
{
	for (int i = 0; i < t->n; i++)
		json_decref(t->items[i].cfg);
	json_decref(t->attach);
	free(t);
}

int bn_txn_commit(struct bn_txn *t, struct bn_err *err)
{
	int ret;

	stage(t);
	ret = bn_topology_check(t->ctx, err);
	if (ret) {
		unstage(t, false);
		goto out;
	}
	ret = apply_cubes(t, err);
	if (ret) {
		unstage(t, false);
		goto out;
	}
	ret = bn_topology_apply(t->ctx, err);
	if (!ret)
		ret = bn_store_save(t->ctx, err);
	if (ret) {
		unstage(t, true);
		goto out;
	}
	finish(t);
out:
	txn_free(t);
	return ret;
}

void bn_txn_abort(struct bn_txn *t)
{
	for (int i = 0; i < t->n; i++)
		if (t->items[i].created)
			bn_cube_destroy(t->items[i].c);
	txn_free(t);
}
