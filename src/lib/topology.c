// SPDX-License-Identifier: Apache-2.0
/*
 * Topology: turn ports, peers and attachments into hops.
 *
 * Every place a packet can be is a program slot, and what comes after it is
 * a struct bn_hop that this module computes from the configuration and
 * writes into the maps: each standard cube's bn_ports[port] (where a packet
 * sent out of that port goes), each transparent cube's bn_ports[dir] (where
 * it goes after passing in that direction) and the core's bn_ifaces[netdev]
 * (where a packet from the wire, or leaving through the TC egress hook,
 * goes). Netdevs that lead somewhere get the core's entry programs attached
 * (hook.c), so the data path needs no daemon.
 *
 * Order of transparent cubes (POLYCUBE.md 2.7): on a netdev, ingress runs
 * list[0]..list[N-1] then the stack or the peered cube; egress runs
 * list[N-1]..list[0]. On a cube port, traffic entering the cube runs
 * list[N-1]..list[0] and traffic leaving it list[0]..list[N-1].
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>

#include "internal.h"
#include "log.h"

static const struct bn_hop hop_drop = { .kind = BN_HOP_DROP };
static const struct bn_hop hop_pass = { .kind = BN_HOP_PASS };

static struct bn_cube *live(struct bn_ctx *ctx, const char *name)
{
	struct bn_cube *c = bn_cube_find(ctx, name);

	return c && !c->dying ? c : NULL;
}

static json_t *port_of(const struct bn_cube *c, const char *port)
{
	json_t *ports = json_object_get(c->cfg, "ports"), *p;
	size_t i;

	json_array_foreach(ports, i, p)
		if (!strcmp(json_string_value(json_object_get(p, "name")), port))
			return p;
	return NULL;
}

static const char *peer_of(const struct bn_cube *c, const char *port)
{
	json_t *p = port_of(c, port);
	const char *peer = p ? json_string_value(json_object_get(p, "peer")) : NULL;

	return peer ? peer : "";
}

/* "cube:port" -> c and port name (pointing into the string); else false */
static bool split_point(struct bn_ctx *ctx, const char *s, struct bn_cube **c, const char **port)
{
	const char *colon = strchr(s, ':');
	char name[64];

	if (!colon || colon == s || !colon[1] || (size_t)(colon - s) >= sizeof(name))
		return false;
	memcpy(name, s, colon - s);
	name[colon - s] = '\0';
	*c = live(ctx, name);
	*port = colon + 1;
	return true;
}

json_t *bn_attach_list(struct bn_ctx *ctx, const char *point)
{
	json_t *e;
	size_t i;

	json_array_foreach(ctx->attach, i, e)
		if (!strcmp(json_string_value(json_object_get(e, "point")), point))
			return json_object_get(e, "cubes");
	return NULL;
}

const char *bn_cube_parent(struct bn_ctx *ctx, const char *cube)
{
	json_t *e, *n;
	size_t i, j;

	json_array_foreach(ctx->attach, i, e)
		json_array_foreach(json_object_get(e, "cubes"), j, n)
			if (!strcmp(json_string_value(n), cube))
				return json_string_value(json_object_get(e, "point"));
	return NULL;
}

/* The peer of c:port names c:port back (or is a present netdev). */
bool bn_port_up(struct bn_ctx *ctx, struct bn_cube *c, const char *port)
{
	const char *peer = peer_of(c, port), *pport;
	struct bn_cube *pc;
	char me[160];

	if (!*peer)
		return false;
	if (bn_netdev_index(peer) > 0)
		return true;
	if (!split_point(ctx, peer, &pc, &pport) || !pc || !port_of(pc, pport))
		return false;
	snprintf(me, sizeof(me), "%s:%s", c->name, port);
	return !strcmp(peer_of(pc, pport), me);
}

/* A tail call into c's slot with md.port = port; nothing there: drop. */
static struct bn_hop hop_prog(const struct bn_cube *c, int slot, int port)
{
	struct bn_hop h = {
		.kind = BN_HOP_PROG,
		.slot = c ? c->id * BN_SLOTS_PER_CUBE + slot : 0,
		.port = port,
	};

	if (!c || port < 0 || port >= BN_MAX_PORTS)
		return hop_drop;
	return h;
}

static struct bn_cube *tcube_at(struct bn_ctx *ctx, json_t *list, size_t i)
{
	return live(ctx, json_string_value(json_array_get(list, i)));
}

static struct bn_hop towards_wire(struct bn_ctx *ctx, const char *ifname, enum bn_mode mode);

/* A packet reaches c:port from its peer. */
static struct bn_hop entering(struct bn_ctx *ctx, struct bn_cube *c, const char *port)
{
	char point[160];
	json_t *tl;
	size_t k;

	snprintf(point, sizeof(point), "%s:%s", c->name, port);
	tl = bn_attach_list(ctx, point);
	k = json_array_size(tl);
	if (k)
		return hop_prog(tcube_at(ctx, tl, k - 1), BN_SLOT_INGRESS, 0);
	return hop_prog(c, BN_SLOT_RX, bn_cube_port_index(c, port));
}

/* A packet has left c:port and its transparent cubes: hand it to the peer. */
static struct bn_hop arrival(struct bn_ctx *ctx, struct bn_cube *c, const char *port)
{
	const char *peer = peer_of(c, port), *pport;
	struct bn_cube *pc;

	if (!bn_port_up(ctx, c, port))
		return hop_drop;
	if (bn_netdev_index(peer) > 0)
		return towards_wire(ctx, peer, bn_cube_mode(c));
	if (!split_point(ctx, peer, &pc, &pport) || !pc)
		return hop_drop;
	return entering(ctx, pc, pport);
}

/* A packet is to leave through netdev ifname. */
static struct bn_hop towards_wire(struct bn_ctx *ctx, const char *ifname, enum bn_mode mode)
{
	json_t *tl = bn_attach_list(ctx, ifname);
	size_t m = json_array_size(tl);
	struct bn_hop h = { .kind = BN_HOP_NETDEV, .ifindex = bn_netdev_index(ifname) };

	/* TC: the netdev's egress hook runs its transparent cubes */
	if (mode == BN_MODE_XDP && m)
		return hop_prog(tcube_at(ctx, tl, m - 1), BN_SLOT_EGRESS, 0);
	return h;
}

/* The standard cube c:port whose peer is netdev ifname, if any. */
static struct bn_cube *netdev_owner(struct bn_ctx *ctx, const char *ifname, const char **port)
{
	for (struct bn_cube *c = ctx->cubes; c; c = c->next) {
		json_t *p;
		size_t i;

		if (c->dying || c->svc->transparent)
			continue;
		json_array_foreach(json_object_get(c->cfg, "ports"), i, p) {
			if (!strcmp(json_string_value(json_object_get(p, "peer")) ?: "", ifname)) {
				*port = json_string_value(json_object_get(p, "name"));
				return c;
			}
		}
	}
	return NULL;
}

/* After the ingress chain of netdev ifname: the peered cube or the stack. */
static struct bn_hop netdev_inside(struct bn_ctx *ctx, const char *ifname)
{
	const char *port;
	struct bn_cube *c = netdev_owner(ctx, ifname, &port);

	return c ? entering(ctx, c, port) : hop_pass;
}

/* ------------------------------------------------------------ checks --- */

static int check_peer(struct bn_ctx *ctx, struct bn_cube *c, json_t *p, struct bn_err *err)
{
	const char *peer = json_string_value(json_object_get(p, "peer")) ?: "", *pport;
	const char *name = json_string_value(json_object_get(p, "name"));
	json_t *oldp = NULL, *e;
	struct bn_cube *pc;
	size_t i;

	if (!*peer)
		return 0;
	json_array_foreach(json_object_get(c->old_cfg, "ports"), i, e)
		if (!strcmp(json_string_value(json_object_get(e, "name")), name))
			oldp = e;
	if (bn_netdev_index(peer) > 0) {
		const char *owner_port;
		struct bn_cube *owner;
		bool changed = !oldp || strcmp(json_string_value(json_object_get(oldp, "peer")) ?: "", peer);

		if (changed && bn_netdev_usable(peer))
			return bn_err_set(err, 400, "Interface  %s does not exist or is down", peer);
		for (owner = ctx->cubes; owner; owner = owner->next) {
			if (owner->dying || owner->svc->transparent)
				continue;
			json_array_foreach(json_object_get(owner->cfg, "ports"), i, e) {
				owner_port = json_string_value(json_object_get(e, "name"));
				if ((owner != c || strcmp(owner_port, name)) &&
				    !strcmp(json_string_value(json_object_get(e, "peer")) ?: "", peer))
					return bn_err_set(err, 400, "Iface already in use (%s by %s:%s)",
							  peer, owner->name, owner_port);
			}
		}
		return 0;
	}
	/* an unchanged peer that went away (netdev, cube, port): kept, port DOWN */
	if (oldp && !strcmp(json_string_value(json_object_get(oldp, "peer")) ?: "", peer))
		return 0;
	if (!split_point(ctx, peer, &pc, &pport))
		return bn_err_set(err, 400, "Interface  %s does not exist or is down", peer);
	if (!pc)
		return bn_err_set(err, 400, "Cube %.*s does not exist", (int)(pport - 1 - peer), peer);
	if (pc == c && !strcmp(pport, name))
		return bn_err_set(err, 400, "Port %s cannot be its own peer", peer);
	if (pc->svc->transparent)
		return bn_err_set(err, 400, "Bad cube type: %s is transparent", pc->name);
	if (!port_of(pc, pport))
		return bn_err_set(err, 400, "Port %s does not exist", peer);
	if (bn_cube_mode(pc) != bn_cube_mode(c))
		return bn_err_set(err, 400, "It is not possible to connect TC and XDP ports");
	return 0;
}

static int check_ports(struct bn_ctx *ctx, struct bn_err *err)
{
	for (struct bn_cube *c = ctx->cubes; c; c = c->next) {
		json_t *p;
		size_t i;
		int ret;

		if (c->dying || c->svc->transparent)
			continue;
		json_array_foreach(json_object_get(c->cfg, "ports"), i, p) {
			ret = check_peer(ctx, c, p, err);
			if (ret)
				return ret;
		}
	}
	return 0;
}

/* The cube type a point requires: the peered/owning cube's; -1: any. */
static int point_type(struct bn_ctx *ctx, const char *point, struct bn_err *err)
{
	struct bn_cube *c;
	const char *port;

	if (split_point(ctx, point, &c, &port)) {
		if (!c)
			return bn_err_set(err, 400, "Cube %.*s does not exist", (int)(port - 1 - point),
					  point);
		if (c->svc->transparent)
			return bn_err_set(err, 400, "Cube %s is transparent", c->name);
		if (!port_of(c, port))
			return bn_err_set(err, 400, "Port %s does not exist", point);
		return c->type;
	}
	c = netdev_owner(ctx, point, &port);
	return c ? (int)c->type : -1;
}

static int check_attach(struct bn_ctx *ctx, struct bn_err *err)
{
	json_t *e, *n, *seen = json_object();
	size_t i, j;
	int ret = 0;

	json_array_foreach(ctx->attach, i, e) {
		const char *point = json_string_value(json_object_get(e, "point"));
		int type = point_type(ctx, point, err);

		if (type < -1) {
			ret = type;
			goto out;
		}
		json_array_foreach(json_object_get(e, "cubes"), j, n) {
			const char *name = json_string_value(n);
			struct bn_cube *t = live(ctx, name);

			if (!t) {
				ret = bn_err_set(err, 400, "Cube %s does not exist", name);
				goto out;
			}
			if (!t->svc->transparent) {
				ret = bn_err_set(err, 400, "Cube %s is not transparent", name);
				goto out;
			}
			if (json_object_get(seen, name)) {
				ret = bn_err_set(err, 400, "Cube %s is already attached", name);
				goto out;
			}
			json_object_set_new(seen, name, json_true());
			if (type >= 0 && (int)t->type != type) {
				ret = bn_err_set(err, 400, "%s and %s have incompatible types", name, point);
				goto out;
			}
			type = t->type;
		}
	}
out:
	json_decref(seen);
	return ret;
}

int bn_topology_check(struct bn_ctx *ctx, struct bn_err *err)
{
	int ret = check_ports(ctx, err);

	return ret ? ret : check_attach(ctx, err);
}

/* ------------------------------------------------------------- apply --- */

static int write_hop(struct bn_cube *c, __u32 index, const struct bn_hop *h)
{
	if (bpf_map_update_elem(bpf_map__fd(c->bpf.ports), &index, h, BPF_ANY))
		return -errno;
	return 0;
}

static int apply_standard(struct bn_ctx *ctx, struct bn_cube *c)
{
	struct bn_hop hops[BN_MAX_PORTS];
	char point[160];
	json_t *p, *tl;
	size_t i;
	int ret;

	for (i = 0; i < BN_MAX_PORTS; i++)
		hops[i] = hop_drop;
	json_array_foreach(json_object_get(c->cfg, "ports"), i, p) {
		const char *port = json_string_value(json_object_get(p, "name"));
		int idx = bn_cube_port_index(c, port);

		if (idx < 0)
			continue;
		snprintf(point, sizeof(point), "%s:%s", c->name, port);
		tl = bn_attach_list(ctx, point);
		hops[idx] = json_array_size(tl) ? hop_prog(tcube_at(ctx, tl, 0), BN_SLOT_EGRESS, 0)
						: arrival(ctx, c, port);
	}
	for (i = 0; i < BN_MAX_PORTS; i++) {
		ret = write_hop(c, i, &hops[i]);
		if (ret)
			return ret;
	}
	return 0;
}

/* Next hops of the transparent cubes of one attachment point. */
static int apply_point(struct bn_ctx *ctx, const char *point, json_t *tl)
{
	size_t k = json_array_size(tl), i;
	struct bn_cube *c;
	const char *port;
	bool on_port = split_point(ctx, point, &c, &port);
	int ret;

	for (i = 0; i < k; i++) {
		struct bn_cube *t = tcube_at(ctx, tl, i);
		struct bn_hop in, eg;

		ret = 0;
		if (on_port) {
			in = i ? hop_prog(tcube_at(ctx, tl, i - 1), BN_SLOT_INGRESS, 0)
			       : hop_prog(c, BN_SLOT_RX, bn_cube_port_index(c, port));
			eg = i + 1 < k ? hop_prog(tcube_at(ctx, tl, i + 1), BN_SLOT_EGRESS, 0)
				       : arrival(ctx, c, port);
		} else {
			struct bn_hop wire = { .kind = BN_HOP_NETDEV, .ifindex = bn_netdev_index(point) };
			struct bn_hop up = i ? hop_prog(tcube_at(ctx, tl, i - 1), BN_SLOT_EGRESS, 0)
					     : hop_pass;

			in = i + 1 < k ? hop_prog(tcube_at(ctx, tl, i + 1), BN_SLOT_INGRESS, 0)
				       : netdev_inside(ctx, point);
			eg = i || bn_cube_mode(t) == BN_MODE_TC ? up : wire;
			/* XDP cubes: the host's own packets, at the TC egress hook */
			if (bn_cube_mode(t) == BN_MODE_XDP)
				ret = write_hop(t, BN_NEXT_STACK_EGRESS, &up);
		}
		if (!ret)
			ret = write_hop(t, BN_NEXT_INGRESS, &in);
		if (!ret)
			ret = write_hop(t, BN_NEXT_EGRESS, &eg);
		if (ret)
			return ret;
	}
	return 0;
}

static struct bn_hook *hook_get(struct bn_hook *hooks, int *n, int ifindex)
{
	for (int i = 0; i < *n; i++)
		if (hooks[i].ifindex == ifindex)
			return &hooks[i];
	if (*n >= BN_MAX_IFACES)
		return NULL;
	memset(&hooks[*n], 0, sizeof(hooks[*n]));
	hooks[*n].ifindex = ifindex;
	return &hooks[(*n)++];
}

/* Collect the netdevs to hook: peered by a port, or carrying cubes. */
static int collect_hooks(struct bn_ctx *ctx, struct bn_hook *hooks)
{
	int n = 0;

	for (struct bn_cube *c = ctx->cubes; c; c = c->next) {
		json_t *p;
		size_t i;

		if (c->dying || c->svc->transparent)
			continue;
		json_array_foreach(json_object_get(c->cfg, "ports"), i, p) {
			const char *peer = json_string_value(json_object_get(p, "peer")) ?: "";
			int ifindex = *peer ? bn_netdev_index(peer) : -1;
			struct bn_hook *h = ifindex > 0 ? hook_get(hooks, &n, ifindex) : NULL;

			if (!h)
				continue;
			h->type = c->type;
			h->iface.ingress = netdev_inside(ctx, peer);
			h->iface.egress = hop_pass;
		}
	}
	{
		json_t *e;
		size_t i;

		json_array_foreach(ctx->attach, i, e) {
			const char *point = json_string_value(json_object_get(e, "point"));
			json_t *tl = json_object_get(e, "cubes");
			size_t m = json_array_size(tl);
			int ifindex = strchr(point, ':') ? -1 : bn_netdev_index(point);
			struct bn_hook *h = ifindex > 0 && m ? hook_get(hooks, &n, ifindex) : NULL;

			if (!h)
				continue;
			h->type = tcube_at(ctx, tl, 0)->type;
			h->egress = true;	/* the host's own packets (XDP: TC programs) */
			h->iface.ingress = hop_prog(tcube_at(ctx, tl, 0), BN_SLOT_INGRESS, 0);
			h->iface.egress = hop_prog(tcube_at(ctx, tl, m - 1), BN_SLOT_EGRESS, 0);
		}
	}
	return n;
}

int bn_topology_apply(struct bn_ctx *ctx, struct bn_err *err)
{
	struct bn_hook *hooks = calloc(BN_MAX_IFACES, sizeof(*hooks));
	json_t *e;
	size_t i;
	int n, ret = 0;

	if (!hooks)
		return bn_err_set(err, 500, "out of memory");
	for (struct bn_cube *c = ctx->cubes; c && !ret; c = c->next) {
		if (c->dying)
			continue;
		if (c->svc->transparent) {
			for (__u32 n = BN_NEXT_INGRESS; n <= BN_NEXT_STACK_EGRESS && !ret; n++)
				ret = write_hop(c, n, &hop_drop);
		} else {
			ret = apply_standard(ctx, c);
		}
	}
	json_array_foreach(ctx->attach, i, e) {
		if (ret)
			break;
		ret = apply_point(ctx, json_string_value(json_object_get(e, "point")),
				  json_object_get(e, "cubes"));
	}
	if (ret) {
		bn_err_set(err, 500, "cannot write hops: %s", strerror(-ret));
		goto out;
	}
	n = collect_hooks(ctx, hooks);
	ret = bn_hooks_apply(ctx, hooks, n);
	if (ret)
		bn_err_set(err, 400, "cannot hook a netdev: %s (does it already carry an XDP program?)",
			   strerror(-ret));
out:
	free(hooks);
	return ret;
}

static void chain_append(char *buf, size_t len, const char *name)
{
	size_t used = strlen(buf);

	snprintf(buf + used, len - used, "%s ---> ", name);
}

/* GET topology/<ifname> (POLYCUBE.md 2.4) */
json_t *bn_topology_netdev(struct bn_ctx *ctx, const char *ifname)
{
	json_t *tl = bn_attach_list(ctx, ifname), *n, *out = json_pack("{s:s}", "name", ifname);
	size_t k = json_array_size(tl), i;
	char in[2048] = "", eg[2048] = "";

	json_array_foreach(tl, i, n)
		chain_append(in, sizeof(in), json_string_value(n));
	for (i = k; i > 0; i--)
		chain_append(eg, sizeof(eg), json_string_value(json_array_get(tl, i - 1)));
	strncat(in, "stack", sizeof(in) - strlen(in) - 1);
	strncat(eg, "stack", sizeof(eg) - strlen(eg) - 1);
	json_object_set_new(out, "ingress service chain", json_string(in));
	json_object_set_new(out, "egress service chain", json_string(eg));
	return out;
}
