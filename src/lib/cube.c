// SPDX-License-Identifier: Apache-2.0
/*
 * A cube's life in the kernel: load its programs (or adopt the pinned ones
 * of a previous daemon), pin them, own its program-array slots, and remove
 * everything when it is deleted.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <bpf/bpf.h>

#include "internal.h"
#include "log.h"

struct bn_cube *bn_cube_find(struct bn_ctx *ctx, const char *name)
{
	for (struct bn_cube *c = ctx->cubes; c; c = c->next)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

int bn_cube_type_parse(const char *s)
{
	for (int i = 0; s && bn_type_enum[i]; i++)
		if (!strcmp(s, bn_type_enum[i]))
			return i;
	return BN_TYPE_TC;
}

void bn_cube_log(const struct bn_cube *c, int level, const char *fmt, ...)
{
	const char *ll = json_string_value(json_object_get(c->cfg, "loglevel"));
	int min = ll ? bn_log_level_parse(ll) : BN_LOG_INFO;
	char svc[64];
	va_list ap;

	if (level < min)
		return;
	snprintf(svc, sizeof(svc), "%s", c->svc->name);
	svc[0] = (char)(svc[0] >= 'a' && svc[0] <= 'z' ? svc[0] - 32 : svc[0]);
	va_start(ap, fmt);
	bn_log_emitv(level, svc, c->name, fmt, ap);
	va_end(ap);
}

static bool has_port(const struct bn_cube *c, const char *port)
{
	json_t *p;
	size_t i;

	json_array_foreach(json_object_get(c->cfg, "ports"), i, p)
		if (!strcmp(json_string_value(json_object_get(p, "name")) ?: "", port))
			return true;
	return false;
}

/* Ports of the current (possibly staged) config only: ids of ports being
 * deleted are kept until the change commits, but no longer resolve. */
int bn_cube_port_index(const struct bn_cube *c, const char *port)
{
	json_t *p = port && has_port(c, port) ? json_object_get(c->portids, port) : NULL;

	return p ? (int)json_integer_value(json_object_get(p, "index")) : -ENOENT;
}

const char *bn_cube_port_name(const struct bn_cube *c, unsigned index)
{
	const char *name;
	json_t *p;

	json_object_foreach(c->portids, name, p)
		if (json_integer_value(json_object_get(p, "index")) == index)
			return name;
	return NULL;
}

int bn_percpu_sum_u64(struct bpf_map *map, __u32 key, __u64 *out, unsigned n)
{
	int ncpu = libbpf_num_possible_cpus();
	__u64 *vals;

	if (ncpu <= 0)
		return -EINVAL;
	vals = calloc((size_t)ncpu * n, sizeof(__u64));
	if (!vals)
		return -ENOMEM;
	if (bpf_map_lookup_elem(bpf_map__fd(map), &key, vals)) {
		free(vals);
		return -errno;
	}
	for (unsigned j = 0; j < n; j++)
		out[j] = 0;
	for (int cpu = 0; cpu < ncpu; cpu++)
		for (unsigned j = 0; j < n; j++)
			out[j] += vals[cpu * n + j];
	free(vals);
	return 0;
}

/* Give every port of cfg an index (lowest free) and a uuid. */
int bn_cube_sync_ports(struct bn_cube *c, const json_t *cfg)
{
	json_t *ports = json_object_get(cfg, "ports"), *p;
	size_t i;

	json_array_foreach(ports, i, p) {
		const char *name = json_string_value(json_object_get(p, "name"));
		bool used[BN_MAX_PORTS] = { false };
		const char *k;
		char uuid[40];
		json_t *v;
		int idx;

		if (!name || json_object_get(c->portids, name))
			continue;
		json_object_foreach(c->portids, k, v) {
			json_int_t n = json_integer_value(json_object_get(v, "index"));

			if (n >= 0 && n < BN_MAX_PORTS)
				used[n] = true;
		}
		for (idx = 0; idx < BN_MAX_PORTS && used[idx]; idx++)
			;
		if (idx == BN_MAX_PORTS)
			return -ENOSPC;
		bn_uuid(uuid);
		json_object_set_new(c->portids, name, json_pack("{s:i, s:s}", "index", idx, "uuid", uuid));
	}
	return 0;
}

/* The ids of the ports cfg has (new ref). */
static json_t *live_portids(const struct bn_cube *c)
{
	json_t *ports = json_object_get(c->cfg, "ports"), *p, *keep = json_object();
	const char *name;
	size_t i;

	json_array_foreach(ports, i, p) {
		name = json_string_value(json_object_get(p, "name"));
		if (name && json_object_get(c->portids, name))
			json_object_set(keep, name, json_object_get(c->portids, name));
	}
	return keep;
}

/* A change committed: forget the ids of ports it removed. */
void bn_cube_prune_ports(struct bn_cube *c)
{
	json_t *keep = live_portids(c);

	json_decref(c->portids);
	c->portids = keep;
}

int bn_cube_set_loglevel(struct bn_cube *c, int level)
{
	struct bn_cube_cfg v = { .id = c->id, .loglevel = level < 0 ? BN_LOG_INFO : level };
	__u32 zero = 0;

	if (bpf_map_update_elem(bpf_map__fd(c->bpf.cfg), &zero, &v, BPF_ANY))
		return -errno;
	return 0;
}

static void cube_dir(const struct bn_cube *c, char *buf, size_t len)
{
	snprintf(buf, len, "%s/cubes/%s", c->ctx->pin_dir, c->name);
}

/* maps of the framework the cube shares (created by the core) */
static void shared_maps(const struct bn_cube *c, struct bpf_map *out[6])
{
	out[0] = c->bpf.xdp_progs;
	out[1] = c->bpf.tc_progs;
	out[2] = c->bpf.events;
	out[3] = c->bpf.xdp_md;
	out[4] = NULL;
}

static int reuse_shared(struct bn_cube *c)
{
	struct bn_ctx *ctx = c->ctx;

	if (bpf_map__reuse_fd(c->bpf.xdp_progs, ctx->xdp_progs_fd) ||
	    bpf_map__reuse_fd(c->bpf.tc_progs, ctx->tc_progs_fd) ||
	    bpf_map__reuse_fd(c->bpf.events, ctx->events_fd) ||
	    bpf_map__reuse_fd(c->bpf.xdp_md, ctx->xdp_md_fd))
		return -errno;
	return 0;
}

/* Only the programs of the cube's mode are loaded. */
static void select_programs(struct bn_cube *c)
{
	enum bn_mode mode = bn_cube_mode(c);

	for (int m = 0; m < 2; m++)
		for (int s = 0; s < BN_SLOTS_PER_CUBE; s++)
			if (c->bpf.prog[m][s])
				bpf_program__set_autoload(c->bpf.prog[m][s], m == (int)mode);
	if (c->bpf.stack_egress)
		bpf_program__set_autoload(c->bpf.stack_egress, mode == BN_MODE_XDP);
}

/* Its loaded programs' fds: the slots of its mode, then stack_egress. */
static int cube_prog_fds(struct bn_cube *c, const char *dir, bool pin)
{
	struct bpf_program *progs[BN_SLOTS_PER_CUBE + 1], *se = c->bpf.stack_egress;
	int fds[BN_SLOTS_PER_CUBE + 1], err;

	memcpy(progs, c->bpf.prog[bn_cube_mode(c)], sizeof(c->bpf.prog[0]));
	progs[BN_SLOTS_PER_CUBE] = se && bpf_program__autoload(se) ? se : NULL;
	err = bn_prog_fds(progs, BN_SLOTS_PER_CUBE + 1, dir, pin, fds);
	memcpy(c->prog_fd, fds, sizeof(c->prog_fd));
	c->stack_fd = fds[BN_SLOTS_PER_CUBE];
	return err;
}

/* Adopt the pinned maps and programs of a previous daemon. */
static int adopt(struct bn_cube *c, const char *dir)
{
	struct bpf_map *skip[6];
	int err;

	shared_maps(c, skip);
	err = bn_adopt_maps(c->bpf.obj, dir, skip);
	return err ? err : cube_prog_fds(c, dir, false);
}

static int load_and_pin(struct bn_cube *c, const char *dir)
{
	struct bpf_map *skip[6];
	int err;

	shared_maps(c, skip);
	err = bpf_object__load_skeleton(c->bpf.skel);
	if (!err)
		err = bn_pin_maps(c->bpf.obj, dir, skip);
	return err ? err : cube_prog_fds(c, dir, true);
}

static int progs_fd(const struct bn_cube *c)
{
	return bn_cube_mode(c) == BN_MODE_XDP ? c->ctx->xdp_progs_fd : c->ctx->tc_progs_fd;
}

static int set_slots(struct bn_cube *c)
{
	__u32 slot;

	for (int s = 0; s < BN_SLOTS_PER_CUBE; s++) {
		slot = c->id * BN_SLOTS_PER_CUBE + s;
		if (c->prog_fd[s] < 0)
			continue;
		if (bpf_map_update_elem(progs_fd(c), &slot, &c->prog_fd[s], BPF_ANY))
			return -errno;
	}
	/* an XDP cube's TC egress program: same slot, in the TC array */
	slot = c->id * BN_SLOTS_PER_CUBE + BN_SLOT_EGRESS;
	if (c->stack_fd >= 0 &&
	    bpf_map_update_elem(c->ctx->tc_progs_fd, &slot, &c->stack_fd, BPF_ANY))
		return -errno;
	return 0;
}

static void clear_slots(struct bn_cube *c)
{
	for (int s = 0; s < BN_SLOTS_PER_CUBE; s++) {
		__u32 slot = c->id * BN_SLOTS_PER_CUBE + s;

		bpf_map_delete_elem(c->ctx->xdp_progs_fd, &slot);
		bpf_map_delete_elem(c->ctx->tc_progs_fd, &slot);
	}
}

/* Lowest id no cube has and not in taken[] (cubes of a pending change). */
unsigned bn_cube_free_id(struct bn_ctx *ctx, const unsigned *taken, int ntaken)
{
	for (unsigned id = 1; id < BN_MAX_CUBES; id++) {
		bool used = false;

		for (struct bn_cube *c = ctx->cubes; c && !used; c = c->next)
			used = c->id == id;
		for (int i = 0; i < ntaken && !used; i++)
			used = taken[i] == id;
		if (!used)
			return id;
	}
	return 0;
}

static struct bn_cube *cube_alloc(struct bn_ctx *ctx, const struct bn_service *svc,
				  const char *name, json_t *cfg, json_t *meta, unsigned id)
{
	struct bn_cube *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	snprintf(c->name, sizeof(c->name), "%s", name);
	c->svc = svc;
	c->ctx = ctx;
	c->cfg = json_incref(cfg);
	c->type = bn_cube_type_parse(json_string_value(json_object_get(cfg, "type")));
	for (int s = 0; s < BN_SLOTS_PER_CUBE; s++)
		c->prog_fd[s] = -1;
	c->stack_fd = -1;
	c->id = id;
	if (meta) {
		snprintf(c->uuid, sizeof(c->uuid), "%s",
			 json_string_value(json_object_get(meta, "uuid")) ?: "");
		snprintf(c->build, sizeof(c->build), "%s",
			 json_string_value(json_object_get(meta, "build")) ?: "");
		c->portids = json_deep_copy(json_object_get(meta, "ports"));
	} else {
		bn_uuid(c->uuid);
	}
	if (!c->portids)
		c->portids = json_object();
	return c;
}

static void close_object(struct bn_cube *c)
{
	for (int s = 0; s < BN_SLOTS_PER_CUBE; s++) {
		if (c->prog_fd[s] >= 0)
			close(c->prog_fd[s]);
		c->prog_fd[s] = -1;
	}
	if (c->stack_fd >= 0)
		close(c->stack_fd);
	c->stack_fd = -1;
	c->svc->close(c);
}

static void cube_free(struct bn_cube *c)
{
	if (c->skel)
		close_object(c);
	json_decref(c->cfg);
	json_decref(c->old_cfg);
	json_decref(c->portids);
	free(c);
}

/* The service's skeleton, opened (not loaded) and bound to the shared maps. */
static int open_object(struct bn_cube *c)
{
	int err = c->svc->open(c);

	if (err)
		return err;
	select_programs(c);
	return reuse_shared(c);
}


/* Restoring: adopt the pins of the same build; otherwise load and pin. */
static int cube_kernel_setup(struct bn_cube *c, bool restoring)
{
	char dir[PATH_MAX], build[17];
	struct stat st;
	int err;

	err = open_object(c);
	if (err)
		return err;
	cube_dir(c, dir, sizeof(dir));
	bn_build_id(c->bpf.skel, build);
	if (restoring && strcmp(build, c->build)) {
		bn_cube_log(c, BN_LOG_INFO, "new build of its data plane: reloading");
	} else if (restoring && !stat(dir, &st)) {
		err = adopt(c, dir);
		if (!err) {
			bn_cube_log(c, BN_LOG_INFO, "adopted pinned data plane");
			return set_slots(c);
		}
		bn_cube_log(c, BN_LOG_WARN, "cannot adopt pinned objects (%s), reloading",
			    strerror(-err));
		close_object(c);
		err = open_object(c);
		if (err)
			return err;
	}
	bn_rm_rf(dir);
	snprintf(c->build, sizeof(c->build), "%s", build);
	err = load_and_pin(c, dir);
	if (err)
		return err;
	return set_slots(c);
}

int bn_cube_load(struct bn_ctx *ctx, const struct bn_service *svc, const char *name, json_t *cfg,
		 json_t *meta, unsigned id, struct bn_cube **out, struct bn_err *err)
{
	struct bn_cube *c = cube_alloc(ctx, svc, name, cfg, meta, id);
	char dir[PATH_MAX];
	int ret;

	if (!c)
		return bn_err_set(err, 500, "out of memory");
	if (!c->id) {
		cube_free(c);
		return bn_err_set(err, 400, "too many cubes (max %d)", BN_MAX_CUBES - 1);
	}
	ret = cube_kernel_setup(c, meta != NULL);
	if (!ret)
		ret = bn_cube_set_loglevel(c, bn_log_level_parse(
						      json_string_value(json_object_get(cfg, "loglevel")) ?: "INFO"));
	if (ret) {
		bn_cube_log(c, BN_LOG_ERR, "cannot load the data plane: %s", strerror(-ret));
		clear_slots(c);
		cube_dir(c, dir, sizeof(dir));
		if (!meta)	/* a cube being restored keeps what is pinned */
			bn_rm_rf(dir);
		cube_free(c);
		return bn_err_set(err, 500, "cannot load the data plane of %s: %s", name, strerror(-ret));
	}
	*out = c;
	return 0;
}

void bn_cube_unload(struct bn_cube *c)
{
	cube_free(c);
}

void bn_cube_destroy(struct bn_cube *c)
{
	char dir[PATH_MAX];

	clear_slots(c);
	cube_dir(c, dir, sizeof(dir));
	bn_rm_rf(dir);
	cube_free(c);
}

/* What the framework persists beside a cube's config. */
json_t *bn_cube_meta(const struct bn_cube *c)
{
	return json_pack("{s:s, s:s, s:i, s:s, s:s, s:o, s:O}", "service-name", c->svc->name, "name",
			 c->name, "id", c->id, "uuid", c->uuid, "build", c->build, "ports",
			 live_portids(c), "config", c->cfg);
}

static json_t *framework_state(struct bn_cube *c)
{
	json_t *state = json_pack("{s:s, s:s, s:s}", "name", c->name, "uuid", c->uuid,
				  "service-name", c->svc->name);
	json_t *ports = json_object_get(c->cfg, "ports"), *p, *sp = json_array();
	char point[160];
	const char *parent;
	size_t i;

	json_array_foreach(ports, i, p) {
		const char *name = json_string_value(json_object_get(p, "name"));
		json_t *ids = json_object_get(c->portids, name), *tl;
		const char *uuid = json_string_value(json_object_get(ids, "uuid"));

		snprintf(point, sizeof(point), "%s:%s", c->name, name);
		tl = bn_attach_list(c->ctx, point);
		json_array_append_new(sp, json_pack("{s:s, s:s, s:s, s:o}", "name", name, "uuid",
						    uuid ? uuid : "", "status",
						    bn_port_up(c->ctx, c, name) ? "UP" : "DOWN", "tcubes",
						    tl ? json_deep_copy(tl) : json_array()));
	}
	json_object_set_new(state, "ports", sp);
	if (c->svc->transparent) {
		parent = bn_cube_parent(c->ctx, c->name);
		json_object_set_new(state, "parent", json_string(parent ? parent : ""));
	}
	return state;
}

json_t *bn_cube_render(struct bn_cube *c)
{
	const struct bn_svc_entry *e = bn_svc_of(c->ctx, c);
	json_t *state = framework_state(c), *out;

	if (c->svc->state)
		c->svc->state(c, c->cfg, state);
	out = bn_schema_render(e->root, c->cfg, state);
	json_decref(state);
	return out;
}

/* The short form used by cubes, topology and S/ (POLYCUBE.md 2.4). */
json_t *bn_cube_summary(struct bn_cube *c)
{
	json_t *s = json_pack("{s:s, s:s, s:s, s:O, s:O}", "name", c->name, "uuid", c->uuid,
			      "service-name", c->svc->name, "type", json_object_get(c->cfg, "type"),
			      "loglevel", json_object_get(c->cfg, "loglevel"));
	json_t *ports = json_object_get(c->cfg, "ports"), *p, *sp;
	const char *parent;
	size_t i;

	if (c->svc->transparent) {
		parent = bn_cube_parent(c->ctx, c->name);
		json_object_set_new(s, "parent", json_string(parent ? parent : ""));
		return s;
	}
	if (json_array_size(ports)) {
		sp = json_array();
		json_array_foreach(ports, i, p) {
			json_t *e = json_pack("{s:O}", "name", json_object_get(p, "name"));
			const char *peer = json_string_value(json_object_get(p, "peer"));

			if (peer && *peer)
				json_object_set_new(e, "peer", json_string(peer));
			json_array_append_new(sp, e);
		}
		json_object_set_new(s, "ports", sp);
	}
	json_object_set(s, "shadow", json_object_get(c->cfg, "shadow") ?: json_false());
	json_object_set(s, "span", json_object_get(c->cfg, "span") ?: json_false());
	return s;
}
