// SPDX-License-Identifier: Apache-2.0
/*
 * The service table, and the full schema of each service: the nodes every
 * cube has (name, uuid, type, loglevel, ports...) followed by its own.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

extern const struct bn_service bn_svc_simpleforwarder;
extern const struct bn_service bn_svc_helloworld;
extern const struct bn_service bn_svc_transparenthelloworld;

const struct bn_service *const bn_services[] = {
	&bn_svc_simpleforwarder,
	&bn_svc_helloworld,
	&bn_svc_transparenthelloworld,
	NULL,
};

const char *const bn_type_enum[] = { "TC", "XDP_SKB", "XDP_DRV", NULL };
static const char *const loglevel_enum[] = { "TRACE", "DEBUG", "INFO", "WARN", "ERR", "CRITICAL",
					     "OFF", NULL };
static const char *const status_enum[] = { "UP", "DOWN", NULL };
static const char *const port_keys[] = { "name", NULL };

static const struct bn_node port_base[] = {
	{ .name = "name", .kind = BN_LEAF, .type = BN_T_STRING, .flags = BN_KEY, .desc = "port name" },
	{ .name = "uuid", .kind = BN_LEAF, .type = BN_T_UUID, .flags = BN_RO, .desc = "port UUID" },
	{ .name = "status", .kind = BN_LEAF, .type = BN_T_ENUM, .flags = BN_RO, .enums = status_enum,
	  .desc = "UP if the port is linked to its peer" },
	{ .name = "peer", .kind = BN_LEAF, .type = BN_T_STRING, .def = "",
	  .desc = "netdev or cube:port the port is linked to", },
	{ .name = "tcubes", .kind = BN_LEAF_LIST, .type = BN_T_STRING, .flags = BN_RO,
	  .desc = "transparent cubes attached to the port" },
};

static const struct bn_node head[] = {
	{ .name = "name", .kind = BN_LEAF, .type = BN_T_STRING, .flags = BN_RO, .desc = "cube name" },
	{ .name = "uuid", .kind = BN_LEAF, .type = BN_T_UUID, .flags = BN_RO, .desc = "cube UUID" },
	{ .name = "service-name", .kind = BN_LEAF, .type = BN_T_STRING, .flags = BN_RO,
	  .desc = "service of the cube" },
	{ .name = "type", .kind = BN_LEAF, .type = BN_T_ENUM, .flags = BN_INIT, .enums = bn_type_enum,
	  .def = "TC", .desc = "data-path hook: TC, XDP_SKB (generic) or XDP_DRV (native)" },
	{ .name = "loglevel", .kind = BN_LEAF, .type = BN_T_ENUM, .enums = loglevel_enum,
	  .def = "INFO", .desc = "log level of the cube" },
};

static const struct bn_node standard_tail[] = {
	{ .name = "shadow", .kind = BN_LEAF, .type = BN_T_BOOL, .flags = BN_INIT, .def = "false",
	  .desc = "shadow mode (not supported)" },
	{ .name = "span", .kind = BN_LEAF, .type = BN_T_BOOL, .def = "false",
	  .desc = "span mode (shadow cubes only)" },
};

static const struct bn_node transparent_tail[] = {
	{ .name = "parent", .kind = BN_LEAF, .type = BN_T_STRING, .flags = BN_RO,
	  .desc = "netdev or cube:port the cube is attached to" },
};

static size_t nodes_len(const struct bn_node *n)
{
	size_t i = 0;

	while (n && n[i].name)
		i++;
	return i;
}

static struct bn_node *append(struct bn_node *dst, const struct bn_node *src, size_t n)
{
	memcpy(dst, src, n * sizeof(*src));
	return dst + n;
}

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

static int build_entry(struct bn_svc_entry *e, const struct bn_service *svc)
{
	size_t nsvc = nodes_len(svc->nodes), nport = nodes_len(svc->port_nodes);
	size_t total = ARRAY_LEN(head) + 1 + ARRAY_LEN(standard_tail) + ARRAY_LEN(transparent_tail) +
		       nsvc + 1;
	struct bn_node *p, ports = {
		.name = "ports", .kind = BN_LIST, .keys = port_keys,
		.max_elems = svc->max_ports ? svc->max_ports : BN_MAX_PORTS,
		.desc = "ports of the cube",
	};

	e->svc = svc;
	e->root = calloc(total, sizeof(*e->root));
	e->port_children = calloc(ARRAY_LEN(port_base) + nport + 1, sizeof(*e->port_children));
	if (!e->root || !e->port_children)
		return -ENOMEM;
	p = append(e->port_children, port_base, ARRAY_LEN(port_base));
	append(p, svc->port_nodes, nport);
	ports.children = e->port_children;

	p = append(e->root, head, ARRAY_LEN(head));
	if (svc->transparent) {
		p = append(p, transparent_tail, ARRAY_LEN(transparent_tail));
	} else {
		p = append(p, &ports, 1);
		p = append(p, standard_tail, ARRAY_LEN(standard_tail));
	}
	append(p, svc->nodes, nsvc);
	return 0;
}

int bn_services_init(struct bn_ctx *ctx)
{
	unsigned n = 0;
	int err;

	while (bn_services[n])
		n++;
	ctx->svcs = calloc(n, sizeof(*ctx->svcs));
	if (!ctx->svcs)
		return -ENOMEM;
	ctx->nsvcs = n;
	for (unsigned i = 0; i < n; i++) {
		err = build_entry(&ctx->svcs[i], bn_services[i]);
		if (err)
			return err;
	}
	return 0;
}

void bn_services_free(struct bn_ctx *ctx)
{
	for (unsigned i = 0; i < ctx->nsvcs; i++) {
		free(ctx->svcs[i].root);
		free(ctx->svcs[i].port_children);
	}
	free(ctx->svcs);
	ctx->svcs = NULL;
	ctx->nsvcs = 0;
}

const struct bn_svc_entry *bn_svc_find(struct bn_ctx *ctx, const char *name)
{
	for (unsigned i = 0; i < ctx->nsvcs; i++)
		if (!strcmp(ctx->svcs[i].svc->name, name))
			return &ctx->svcs[i];
	return NULL;
}

const struct bn_svc_entry *bn_svc_of(struct bn_ctx *ctx, const struct bn_cube *c)
{
	return bn_svc_find(ctx, c->svc->name);
}
