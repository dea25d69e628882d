// SPDX-License-Identifier: Apache-2.0
/*
 * The REST API (POLYCUBE.md 2): framework endpoints, and the schema-derived
 * tree of every service under /<service>/<cube>/..., also reachable with
 * the cube name alone. Every change goes through one transaction.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "log.h"

#define MAX_SEGS 32

static const char *const reserved[] = { "cubes", "services", "netdevs", "topology", "connect",
					"disconnect", "attach", "detach", "version", "metrics", NULL };

struct req {
	struct bn_ctx *ctx;
	const struct bn_request *in;
	struct bn_reply *rep;
	char *segs[MAX_SEGS];
	int nseg;
	json_t *body;		/* parsed body or NULL */
	struct bn_err err;
};

/* ----------------------------------------------------------- replies --- */

static void reply(struct req *r, int status, json_t *body)
{
	r->rep->status = status;
	r->rep->body = body;
}

static void reply_err(struct req *r)
{
	int status = r->err.status ? r->err.status : 500;

	reply(r, status, json_pack("{s:s}", "error", r->err.msg[0] ? r->err.msg : "internal error"));
}

static void fail(struct req *r, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void fail(struct req *r, int status, const char *fmt, ...)
{
	va_list ap;

	r->err.status = status;
	va_start(ap, fmt);
	vsnprintf(r->err.msg, sizeof(r->err.msg), fmt, ap);
	va_end(ap);
	reply_err(r);
}

static bool is_method(struct req *r, const char *m)
{
	return !strcmp(r->in->method, m);
}

/* ------------------------------------------------------------ parsing --- */

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static char *pct_decode(const char *s, size_t n)
{
	char *out = malloc(n + 1), *o = out;

	if (!out)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '%' && i + 2 < n && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
			*o++ = (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
			i += 2;
		} else {
			*o++ = s[i];
		}
	}
	*o = '\0';
	return out;
}

static bool utf8_ok(const char *s)
{
	json_t *j = json_string(s);	/* jansson refuses invalid UTF-8 */

	json_decref(j);
	return j != NULL;
}

static int split_path(struct req *r)
{
	const char *p = r->in->path ? r->in->path : "";

	while (*p) {
		size_t n = strcspn(p, "/");

		if (n) {
			if (r->nseg == MAX_SEGS)
				return bn_err_set(&r->err, 404, "path too long");
			r->segs[r->nseg] = pct_decode(p, n);
			if (!r->segs[r->nseg])
				return bn_err_set(&r->err, 500, "out of memory");
			if (!utf8_ok(r->segs[r->nseg++]))
				return bn_err_set(&r->err, 400, "a path segment is not valid UTF-8");
		}
		p += n;
		if (*p == '/')
			p++;
	}
	return 0;
}

static int parse_body(struct req *r)
{
	json_error_t jerr;

	if (!r->in->body || !r->in->body_len)
		return 0;
	if (r->in->body_len > BN_MAX_BODY)
		return bn_err_set(&r->err, 413, "request body too large");
	r->body = json_loadb(r->in->body, r->in->body_len, JSON_DECODE_ANY, &jerr);
	if (!r->body)
		return bn_err_set(&r->err, 400, "malformed JSON body: %s (line %d, column %d)", jerr.text,
				  jerr.line, jerr.column);
	return 0;
}

/* the body as an object ({} if none); NULL + error if it is something else */
static json_t *body_object(struct req *r)
{
	if (!r->body)
		return json_object();
	if (!json_is_object(r->body)) {
		bn_err_set(&r->err, 400, "the body must be a JSON object");
		return NULL;
	}
	return json_incref(r->body);
}

static int commit(struct req *r, struct bn_txn *t)
{
	return bn_txn_commit(t, &r->err);
}

/* --------------------------------------------------------- framework --- */

static json_t *cubes_by_service(struct bn_ctx *ctx)
{
	json_t *out = json_object();

	for (struct bn_cube *c = ctx->cubes; c; c = c->next) {
		json_t *list = json_object_get(out, c->svc->name);

		if (!list) {
			list = json_array();
			json_object_set_new(out, c->svc->name, list);
		}
		json_array_append_new(list, bn_cube_summary(c));
	}
	return out;
}

static void get_services(struct req *r)
{
	json_t *out = json_array();

	for (unsigned i = 0; i < r->ctx->nsvcs; i++) {
		const struct bn_service *s = r->ctx->svcs[i].svc;

		if (r->nseg > 1 && strcmp(r->segs[1], s->name))
			continue;
		json_array_append_new(out, json_pack("{s:s, s:s, s:s, s:s}", "name", s->name,
						     "servicecontroller", s->name, "description",
						     s->description, "version", BPFNET_VERSION));
	}
	if (r->nseg > 1 && !json_array_size(out)) {
		json_decref(out);
		return fail(r, 404, "Service Controller does not exist");
	}
	reply(r, 200, out);
}

static const char *body_str(json_t *b, const char *key)
{
	return json_string_value(json_object_get(b, key));
}

/* Polycube-style "cube:port" -> cube and port, if it names an existing port. */
static struct bn_cube *cube_port(struct bn_ctx *ctx, const char *s, char *port, size_t len)
{
	const char *colon = strchr(s, ':');
	char name[64];

	if (!colon || (size_t)(colon - s) >= sizeof(name))
		return NULL;
	snprintf(name, sizeof(name), "%.*s", (int)(colon - s), s);
	snprintf(port, len, "%s", colon + 1);
	return bn_cube_find(ctx, name);
}

static json_t *port_elem(json_t *cfg, const char *port)
{
	json_t *p;
	size_t i;

	json_array_foreach(json_object_get(cfg, "ports"), i, p)
		if (!strcmp(json_string_value(json_object_get(p, "name")), port))
			return p;
	return NULL;
}

/* Stage peer of c:port := peer in transaction t. */
static int stage_peer(struct req *r, struct bn_txn *t, struct bn_cube *c, const char *port,
		      const char *peer)
{
	json_t *cfg = json_deep_copy(bn_txn_cfg(t, c));
	json_t *p = port_elem(cfg, port);

	if (!p) {
		json_decref(cfg);
		return bn_err_set(&r->err, 400, "Port %s:%s does not exist", c->name, port);
	}
	json_object_set_new(p, "peer", json_string(peer));
	return bn_txn_set(t, c, cfg);
}

static const char *current_peer(struct bn_cube *c, const char *port)
{
	json_t *p = port_elem(c->cfg, port);

	return p ? json_string_value(json_object_get(p, "peer")) ?: "" : NULL;
}

static void post_connect(struct req *r, bool connect)
{
	json_t *b = body_object(r);
	const char *p1 = body_str(b, "peer1"), *p2 = body_str(b, "peer2");
	const char *ends[2] = { p1, p2 };
	struct bn_cube *c[2];
	char port[2][64];
	struct bn_txn *t;
	int ret = 0;

	if (!b)
		return reply_err(r);
	if (!p1 || !p2) {
		json_decref(b);
		return fail(r, 400, "Peer %d is missing", p1 ? 2 : 1);
	}
	for (int i = 0; i < 2; i++) {
		c[i] = cube_port(r->ctx, ends[i], port[i], sizeof(port[i]));
		if (c[i] && !current_peer(c[i], port[i]))
			c[i] = NULL;
	}
	if (!c[0] && !c[1]) {
		json_decref(b);
		return fail(r, 400, "Error setting peer: neither %s nor %s is a cube port", p1, p2);
	}
	for (int i = 0; i < 2; i++) {
		const char *cur = c[i] ? current_peer(c[i], port[i]) : NULL;

		if (!c[i])
			continue;
		if (connect && *cur && strcmp(cur, ends[!i])) {
			json_decref(b);
			return fail(r, 400, "%s already has a peer %s", ends[i], cur);
		}
		if (!connect && strcmp(cur, ends[!i])) {
			json_decref(b);
			return fail(r, 400, "%s is not connected to %s", ends[i], ends[!i]);
		}
	}
	t = bn_txn_begin(r->ctx);
	for (int i = 0; i < 2 && !ret; i++)
		if (c[i])
			ret = stage_peer(r, t, c[i], port[i], connect ? ends[!i] : "");
	json_decref(b);
	if (ret) {
		bn_txn_abort(t);
		return reply_err(r);
	}
	if (commit(r, t))
		return reply_err(r);
	reply(r, 200, NULL);
}

/* Index where position/after/before puts a cube in list (or -1 + error). */
static int attach_index(struct req *r, json_t *b, json_t *list, const char *point)
{
	const char *pos = body_str(b, "position"), *after = body_str(b, "after");
	const char *before = body_str(b, "before"), *rel = after ? after : before;
	size_t n = json_array_size(list), i;

	if ((pos ? 1 : 0) + (after ? 1 : 0) + (before ? 1 : 0) > 1)
		return bn_err_set(&r->err, 400, "position, after and before cannot be used together");
	if (rel) {
		for (i = 0; i < n; i++)
			if (!strcmp(json_string_value(json_array_get(list, i)), rel))
				return after ? (int)i + 1 : (int)i;
		return bn_err_set(&r->err, 400, "Cube %s is not attached to %s", rel, point);
	}
	if (!pos || !strcasecmp(pos, "auto") || !strcasecmp(pos, "last"))
		return (int)n;
	if (!strcasecmp(pos, "first"))
		return 0;
	return bn_err_set(&r->err, 400, "%s is not valid for position argument", pos);
}

static int check_attach_target(struct req *r, const char *name, const char *point)
{
	struct bn_cube *c = bn_cube_find(r->ctx, name), *pc;
	char port[64];

	if (!c)
		return bn_err_set(&r->err, 400, "Cube %s does not exist", name);
	if (!c->svc->transparent)
		return bn_err_set(&r->err, 400, "Cube %s is not transparent", name);
	if (strchr(point, ':')) {
		pc = cube_port(r->ctx, point, port, sizeof(port));
		if (!pc)
			return bn_err_set(&r->err, 400, "Cube of %s does not exist", point);
		if (!current_peer(pc, port))
			return bn_err_set(&r->err, 400, "Port %s does not exist", point);
	} else if (bn_netdev_index(point) < 0) {
		return bn_err_set(&r->err, 400, "netdev %s not found", point);
	}
	return 0;
}

/* New attachment list: every point as now, with `name` inserted or removed at point. */
static json_t *attach_edit(struct bn_ctx *ctx, const char *point, const char *name, int index)
{
	json_t *out = json_deep_copy(ctx->attach), *e, *list = NULL;
	size_t i;

	json_array_foreach(out, i, e)
		if (!strcmp(json_string_value(json_object_get(e, "point")), point))
			list = json_object_get(e, "cubes");
	if (index < 0) {
		json_t *n;

		json_array_foreach(list, i, n) {
			if (!strcmp(json_string_value(n), name)) {
				json_array_remove(list, i);
				break;
			}
		}
		return out;
	}
	if (!list) {
		list = json_array();
		json_array_append_new(out, json_pack("{s:s, s:o}", "point", point, "cubes", list));
	}
	json_array_insert_new(list, index, json_string(name));
	return out;
}

static void post_attach(struct req *r, bool attach)
{
	json_t *b = body_object(r);
	const char *name = body_str(b, "cube"), *point = body_str(b, "port"), *parent;
	struct bn_txn *t;
	int index = -1;

	if (!b)
		return reply_err(r);
	if (!name || !point) {
		json_decref(b);
		return fail(r, 400, "'cube' and 'port' are required");
	}
	if (check_attach_target(r, name, point))
		goto err;
	parent = bn_cube_parent(r->ctx, name);
	if (attach && parent) {
		bn_err_set(&r->err, 400, "Cube %s is already attached to %s", name, parent);
		goto err;
	}
	if (!attach && (!parent || strcmp(parent, point))) {
		bn_err_set(&r->err, 400, "Cube %s is not attached to %s", name, point);
		goto err;
	}
	if (attach) {
		index = attach_index(r, b, bn_attach_list(r->ctx, point), point);
		if (index < 0)
			goto err;
	}
	t = bn_txn_begin(r->ctx);
	bn_txn_set_attach(t, attach_edit(r->ctx, point, name, index));
	json_decref(b);
	if (commit(r, t))
		return reply_err(r);
	return reply(r, 200, NULL);
err:
	json_decref(b);
	reply_err(r);
}

static void get_topology(struct req *r)
{
	json_t *out;

	if (r->nseg > 1)
		return reply(r, 200, bn_topology_netdev(r->ctx, r->segs[1]));
	out = json_array();
	for (struct bn_cube *c = r->ctx->cubes; c; c = c->next)
		json_array_append_new(out, bn_cube_summary(c));
	reply(r, 200, out);
}

/* ----------------------------------------------------------- cubes --- */

static bool valid_name(struct bn_ctx *ctx, const char *name)
{
	size_t n = strlen(name);

	if (!n || n > 63 || name[0] == '.')	/* not ".", "..": names are pin dirs */
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)name[i]) && !strchr("-_.", name[i]))
			return false;
	for (int i = 0; reserved[i]; i++)
		if (!strcmp(name, reserved[i]))
			return false;
	return !bn_svc_find(ctx, name);
}

/* Validate a creation body for service e; returns the config (new ref). */
static json_t *create_cfg(struct req *r, const struct bn_svc_entry *e, const char *name, json_t *b)
{
	const char *sn = body_str(b, "service-name"), *bn = body_str(b, "name");
	json_t *cfg = json_deep_copy(b);

	if (sn && strcmp(sn, e->svc->name)) {
		bn_err_set(&r->err, 400, "service-name '%s' does not match service '%s'", sn, e->svc->name);
		goto err;
	}
	if (bn && strcmp(bn, name)) {
		bn_err_set(&r->err, 400, "name '%s' does not match the path ('%s')", bn, name);
		goto err;
	}
	json_object_del(cfg, "service-name");
	json_object_del(cfg, "name");
	if (bn_schema_check(e->root, cfg, BN_OP_CREATE, &r->err))
		goto err;
	if (json_is_true(json_object_get(cfg, "shadow"))) {
		bn_err_set(&r->err, 400, "shadow mode is not supported");
		goto err;
	}
	if (json_is_true(json_object_get(cfg, "span"))) {
		bn_err_set(&r->err, 400, "Span mode is not present in no-shadow services");
		goto err;
	}
	return cfg;
err:
	json_decref(cfg);
	return NULL;
}

static int stage_create(struct req *r, struct bn_txn *t, const struct bn_svc_entry *e,
			const char *name, json_t *b)
{
	json_t *cfg;

	if (bn_cube_find(r->ctx, name))
		return bn_err_set(&r->err, 409, "Cube %s already exists", name);
	if (bn_store_unrestored(r->ctx, name))
		return bn_err_set(&r->err, 409, "Cube %s is configured but could not be restored (see the log)",
				  name);
	if (!valid_name(r->ctx, name))
		return bn_err_set(&r->err, 400, "invalid cube name '%s' (letters, digits, '-', '_', '.'; not a reserved word)",
				  name);
	cfg = create_cfg(r, e, name, b);
	if (!cfg)
		return -EINVAL;
	return bn_txn_create(t, e->svc, name, cfg, &r->err);
}

static void create_cube(struct req *r, const struct bn_svc_entry *e, const char *name)
{
	json_t *b = body_object(r);
	struct bn_txn *t;

	if (!b)
		return reply_err(r);
	t = bn_txn_begin(r->ctx);
	if (stage_create(r, t, e, name, b)) {
		json_decref(b);
		bn_txn_abort(t);
		return reply_err(r);
	}
	json_decref(b);
	if (commit(r, t))
		return reply_err(r);
	reply(r, 201, NULL);
}

/* POST cubes: an array of full cube objects, created together. */
static void post_cubes(struct req *r)
{
	struct bn_txn *t;
	json_t *e;
	size_t i;

	if (!json_is_array(r->body))
		return fail(r, 400, "the body must be an array of cubes");
	t = bn_txn_begin(r->ctx);
	json_array_foreach(r->body, i, e) {
		const char *sn = json_string_value(json_object_get(e, "service-name"));
		const char *name = json_string_value(json_object_get(e, "name"));
		const struct bn_svc_entry *se = sn ? bn_svc_find(r->ctx, sn) : NULL;

		if (!json_is_object(e) || !name || !se) {
			bn_err_set(&r->err, 400, "cube %zu: 'name' and a known 'service-name' are required", i);
			goto err;
		}
		if (stage_create(r, t, se, name, e))
			goto err;
	}
	if (commit(r, t))
		return reply_err(r);
	return reply(r, 201, NULL);
err:
	bn_txn_abort(t);
	reply_err(r);
}

static void delete_cube(struct req *r, struct bn_cube *c)
{
	struct bn_txn *t = bn_txn_begin(r->ctx);

	bn_txn_set(t, c, NULL);
	if (commit(r, t))
		return reply_err(r);
	reply(r, 200, NULL);
}

static enum bn_op op_of(struct req *r)
{
	if (is_method(r, "POST"))
		return BN_OP_CREATE;
	if (is_method(r, "PUT"))
		return BN_OP_REPLACE;
	if (is_method(r, "PATCH"))
		return BN_OP_UPDATE;
	if (is_method(r, "DELETE"))
		return BN_OP_DELETE;
	return BN_OP_GET;
}

static void run_action(struct req *r, struct bn_cube *c, const struct bn_target *tg)
{
	json_t *in = body_object(r), *out = NULL;

	if (!in)
		return reply_err(r);
	if (!is_method(r, "POST")) {
		json_decref(in);
		return fail(r, 405, "actions are run with POST");
	}
	if (tg->node->children && bn_schema_check(tg->node->children, in, BN_OP_CREATE, &r->err)) {
		json_decref(in);
		return reply_err(r);
	}
	if (tg->node->action(c, tg->keys, in, &out, &r->err)) {
		json_decref(in);
		return reply_err(r);
	}
	json_decref(in);
	reply(r, out ? 201 : 200, out);
}

static void cube_subtree(struct req *r, const struct bn_svc_entry *e, struct bn_cube *c, int first)
{
	struct bn_target tg = { 0 };
	enum bn_op op = op_of(r);
	struct bn_txn *t;
	json_t *cfg, *doc, *v;

	if (bn_schema_resolve(e->root, (const char *const *)r->segs + first, r->nseg - first, &tg,
			      &r->err))
		return reply_err(r);
	if (tg.node && tg.node->kind == BN_ACTION) {
		run_action(r, c, &tg);
		goto out;
	}
	if (op == BN_OP_GET) {
		doc = bn_cube_render(c);
		v = bn_schema_get(doc, &tg, &r->err);
		if (!v) {
			/* an empty list is an empty array, not a missing element */
			if (tg.whole_list) {
				reply(r, 200, json_array());
				json_decref(doc);
				goto out;
			}
			json_decref(doc);
			reply_err(r);
			goto out;
		}
		reply(r, 200, json_incref(v));
		json_decref(doc);
		goto out;
	}
	cfg = json_deep_copy(c->cfg);
	if (bn_schema_apply(e->root, cfg, &tg, op, r->body, &r->err)) {
		json_decref(cfg);
		reply_err(r);
		goto out;
	}
	t = bn_txn_begin(r->ctx);
	bn_txn_set(t, c, cfg);
	if (commit(r, t)) {
		reply_err(r);
		goto out;
	}
	if (op == BN_OP_DELETE)
		reply(r, tg.whole_list ? 200 : 204, NULL);
	else if (op == BN_OP_UPDATE && (!tg.node || tg.node->kind == BN_LEAF))
		reply(r, 200, NULL);	/* cube-level and leaf PATCH (POLYCUBE.md 2.2) */
	else
		reply(r, 201, NULL);
out:
	bn_target_clear(&tg);
}

static void cube_help(struct req *r, const struct bn_svc_entry *e, struct bn_cube *c, int first)
{
	struct bn_target tg = { 0 };
	json_t *doc, *h;

	if (bn_schema_resolve(e->root, (const char *const *)r->segs + first, r->nseg - first, &tg,
			      &r->err))
		return reply_err(r);
	doc = bn_cube_render(c);
	h = bn_schema_help(e->root, &tg, doc, r->in->help ? r->in->help : "NONE", r->in->completion);
	json_decref(doc);
	bn_target_clear(&tg);
	if (!h)
		return fail(r, 400, "unknown help command '%s'", r->in->help);
	reply(r, 200, h);
}

static void service_root(struct req *r, const struct bn_svc_entry *e)
{
	json_t *out, *b;
	const char *name;

	if (is_method(r, "OPTIONS")) {
		out = json_array();
		for (struct bn_cube *c = r->ctx->cubes; c; c = c->next)
			if (c->svc == e->svc)
				json_array_append_new(out, json_string(c->name));
		if (!r->in->completion) {
			json_t *h = json_pack("{s:[s,s,s], s:{s:{s:s, s:s, s:s}}, s:o}", "commands", "add",
					      "del", "show", "params", "name", "name", "name", "type",
					      "key", "description", "name of the cube", "elements", out);
			return reply(r, 200, h);
		}
		return reply(r, 200, out);
	}
	if (is_method(r, "GET")) {
		out = json_array();
		for (struct bn_cube *c = r->ctx->cubes; c; c = c->next)
			if (c->svc == e->svc)
				json_array_append_new(out, bn_cube_summary(c));
		return reply(r, 200, out);
	}
	if (is_method(r, "POST") || is_method(r, "PUT")) {
		b = r->body;
		name = body_str(b, "name");
		if (!name)
			return fail(r, 400, "missing attribute 'name'");
		return create_cube(r, e, name);
	}
	fail(r, 405, "method %s not allowed on %s/", r->in->method, e->svc->name);
}

/* /<service>/<cube>/... ; first = index of the segment after the cube */
static void service_path(struct req *r, const struct bn_svc_entry *e, int cseg)
{
	struct bn_cube *c;
	const char *name;

	if (cseg >= r->nseg)
		return service_root(r, e);
	name = r->segs[cseg];
	c = bn_cube_find(r->ctx, name);
	if (c && c->svc != e->svc)
		return fail(r, 404, "Cube %s is not a %s", name, e->svc->name);
	if (is_method(r, "OPTIONS")) {
		if (!c)
			return fail(r, 404, "No cube found named %s", name);
		return cube_help(r, e, c, cseg + 1);
	}
	if (cseg + 1 == r->nseg) {
		if (is_method(r, "POST") || (is_method(r, "PUT") && !c))
			return create_cube(r, e, name);
		if (!c)
			return fail(r, is_method(r, "DELETE") ? 409 : 404, "Cube %s does not exist", name);
		if (is_method(r, "DELETE"))
			return delete_cube(r, c);
		if (is_method(r, "PUT"))
			return fail(r, 409, "Cube %s already exists", name);
	}
	if (!c)
		return fail(r, 404, "Cube %s does not exist", name);
	cube_subtree(r, e, c, cseg + 1);
}

static void root_help(struct req *r)
{
	static const char *const cmds[] = { "connect", "disconnect", "attach", "detach", "services",
					    "cubes", "topology", "netdevs", "version", NULL };
	json_t *words = json_array(), *params = json_object(), *elems = json_array();

	for (unsigned i = 0; i < r->ctx->nsvcs; i++) {
		const struct bn_service *s = r->ctx->svcs[i].svc;

		json_array_append_new(words, json_string(s->name));
		json_object_set_new(params, s->name, json_pack("{s:s, s:s, s:s}", "name", s->name, "type",
							       "service", "description", s->description));
	}
	for (int i = 0; cmds[i]; i++)
		json_array_append_new(words, json_string(cmds[i]));
	for (struct bn_cube *c = r->ctx->cubes; c; c = c->next) {
		json_array_append_new(words, json_string(c->name));
		json_array_append_new(elems, json_pack("{s:s}", "cube", c->name));
	}
	if (r->in->completion) {
		json_decref(params);
		json_decref(elems);
		return reply(r, 200, words);
	}
	json_decref(words);
	reply(r, 200, json_pack("{s:[s,s,s,s,s,s,s,s,s], s:o, s:o}", "commands", "connect",
				"disconnect", "attach", "detach", "services", "cubes", "topology",
				"netdevs", "version", "params", params, "elements", elems));
}

/* framework resources that are only read */
static bool is_readonly_root(const char *s0)
{
	static const char *const ro[] = { "cubes", "services", "netdevs", "topology", "version", NULL };

	for (int i = 0; ro[i]; i++)
		if (!strcmp(s0, ro[i]))
			return true;
	return false;
}

static void route(struct req *r)
{
	const struct bn_svc_entry *e;
	const char *s0;
	struct bn_cube *c;

	if (!r->nseg) {
		if (is_method(r, "OPTIONS"))
			return root_help(r);
		return reply(r, 200, json_pack("{s:[]}", "_links"));
	}
	s0 = r->segs[0];
	if (is_method(r, "OPTIONS") && r->nseg == 1 && !bn_svc_find(r->ctx, s0) &&
	    !bn_cube_find(r->ctx, s0))
		return root_help(r);
	if (!is_method(r, "GET") && !is_method(r, "OPTIONS") && is_readonly_root(s0) &&
	    !(is_method(r, "POST") && !strcmp(s0, "cubes") && r->nseg == 1))
		return fail(r, 405, "method %s not allowed on %s", r->in->method, s0);
	if (!strcmp(s0, "cubes")) {
		if (is_method(r, "POST") && r->nseg == 1)
			return post_cubes(r);
		if (r->nseg == 1)
			return reply(r, 200, cubes_by_service(r->ctx));
		c = bn_cube_find(r->ctx, r->segs[1]);
		if (!c)
			return fail(r, 404, "Cube does not exist");
		return reply(r, 200, bn_cube_render(c));
	}
	if (!strcmp(s0, "services"))
		return get_services(r);
	if (!strcmp(s0, "netdevs"))
		return reply(r, 200, bn_netdevs_json(r->nseg > 1 ? r->segs[1] : NULL));
	if (!strcmp(s0, "topology"))
		return get_topology(r);
	if (!strcmp(s0, "version"))
		return reply(r, 200, json_pack("{s:{s:s}}", "polycubed", "version", "bpfnet " BPFNET_VERSION));
	if (!strcmp(s0, "connect") || !strcmp(s0, "disconnect")) {
		if (!is_method(r, "POST"))
			return fail(r, 405, "%s is run with POST", s0);
		return post_connect(r, !strcmp(s0, "connect"));
	}
	if (!strcmp(s0, "attach") || !strcmp(s0, "detach")) {
		if (!is_method(r, "POST"))
			return fail(r, 405, "%s is run with POST", s0);
		return post_attach(r, !strcmp(s0, "attach"));
	}
	e = bn_svc_find(r->ctx, s0);
	if (e)
		return service_path(r, e, 1);
	/* short form: /<cube>/... */
	c = bn_cube_find(r->ctx, s0);
	if (c)
		return service_path(r, bn_svc_of(r->ctx, c), 0);
	fail(r, 404, "No cube found named %s", s0);
}

void bn_api_handle(struct bn_ctx *ctx, const struct bn_request *in, struct bn_reply *rep)
{
	struct req r = { .ctx = ctx, .in = in, .rep = rep };

	rep->status = 500;
	rep->body = NULL;
	if (split_path(&r) || parse_body(&r))
		reply_err(&r);
	else
		route(&r);
	pr_debug("%s /%s -> %d", in->method, in->path ? in->path : "", rep->status);
	for (int i = 0; i < r.nseg; i++)
		free(r.segs[i]);
	json_decref(r.body);
}
