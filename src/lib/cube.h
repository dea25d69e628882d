/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What a cube type (service) implements, and what the framework offers it.
 *
 * A service declares its schema (struct bn_node arrays) and four hooks:
 * open (its skeleton, not loaded), apply (push a validated config into its
 * maps; idempotent; validates service rules first and changes nothing on
 * error), state (read-only values for GET) and close (free user-space
 * memory; never touches pinned kernel objects). Everything else (REST,
 * validation, ports, chaining, pinning, persistence) is the framework's.
 */
#ifndef BPFNET_CUBE_H
#define BPFNET_CUBE_H

#include <stdbool.h>
#include <bpf/libbpf.h>
#include <jansson.h>

#include "bpfnet_shared.h"
#include "schema.h"

struct bn_ctx;
struct bn_event;

enum bn_cube_type {
	BN_TYPE_TC = 0,
	BN_TYPE_XDP_SKB,
	BN_TYPE_XDP_DRV,
};

enum bn_mode {
	BN_MODE_XDP = 0,
	BN_MODE_TC = 1,
};

/* The framework's view of a cube's BPF object, filled from its skeleton. */
struct bn_bpf {
	struct bpf_object_skeleton *skel;
	struct bpf_object *obj;
	struct bpf_program *prog[2][BN_SLOTS_PER_CUBE]; /* [enum bn_mode][enum bn_slot] */
	struct bpf_program *stack_egress; /* transparent, XDP type: TC program for the host's egress */
	struct bpf_map *ports, *cfg, *xdp_progs, *tc_progs, *events, *xdp_md;
};

#define BN_BPF_COMMON(b, s)						\
	do {								\
		(b)->skel = (s)->skeleton;				\
		(b)->obj = (s)->obj;					\
		(b)->ports = (s)->maps.bn_ports;			\
		(b)->cfg = (s)->maps.bn_cfg;				\
		(b)->xdp_progs = (s)->maps.bn_xdp_progs;		\
		(b)->tc_progs = (s)->maps.bn_tc_progs;			\
		(b)->events = (s)->maps.bn_events;			\
		(b)->xdp_md = (s)->maps.bn_xdp_md_slot;			\
	} while (0)

/* For skeletons of BN_STANDARD_CUBE() data planes. */
#define BN_BPF_STANDARD(b, s)						\
	do {								\
		BN_BPF_COMMON(b, s);					\
		(b)->prog[BN_MODE_XDP][BN_SLOT_RX] = (s)->progs.bn_xdp_rx; \
		(b)->prog[BN_MODE_TC][BN_SLOT_RX] = (s)->progs.bn_tc_rx; \
	} while (0)

/* For skeletons of BN_TRANSPARENT_CUBE() data planes. */
#define BN_BPF_TRANSPARENT(b, s)					\
	do {								\
		BN_BPF_COMMON(b, s);					\
		(b)->prog[BN_MODE_XDP][BN_SLOT_INGRESS] = (s)->progs.bn_xdp_ingress; \
		(b)->prog[BN_MODE_XDP][BN_SLOT_EGRESS] = (s)->progs.bn_xdp_egress; \
		(b)->prog[BN_MODE_TC][BN_SLOT_INGRESS] = (s)->progs.bn_tc_ingress; \
		(b)->prog[BN_MODE_TC][BN_SLOT_EGRESS] = (s)->progs.bn_tc_egress; \
		(b)->stack_egress = (s)->progs.bn_tc_stack_egress;	\
	} while (0)

struct bn_cube {
	char name[64];
	char uuid[40];
	char build[17];			/* build id of its BPF object (pin adoption) */
	unsigned id;			/* owns program slots id*BN_SLOTS_PER_CUBE.. */
	enum bn_cube_type type;
	const struct bn_service *svc;
	struct bn_ctx *ctx;
	struct bn_bpf bpf;
	void *skel;			/* the service's skeleton */
	void *priv;			/* the service's own data */
	json_t *cfg;			/* current config (schema shape) */
	json_t *portids;		/* {port: {"index": n, "uuid": s}} */
	int prog_fd[BN_SLOTS_PER_CUBE];	/* loaded programs of its mode, -1 if none */
	int stack_fd;			/* its stack_egress program, -1 if none */
	bool dying;			/* being deleted: out of the topology */
	json_t *old_cfg;		/* during a transaction: the committed config */
	struct bn_cube *next;
};

struct bn_service {
	const char *name;
	const char *description;
	bool transparent;
	unsigned max_ports;		/* 0: BN_MAX_PORTS */
	const struct bn_node *nodes;	/* service config, after the common ones */
	const struct bn_node *port_nodes; /* extra members of ports[] */
	const char *const *log_msgs;	/* data-path log messages by code ("%u" = arg) */

	int (*open)(struct bn_cube *c);	/* open skeleton into c->skel, fill c->bpf */
	int (*apply)(struct bn_cube *c, const json_t *cfg, struct bn_err *err);
	int (*state)(struct bn_cube *c, const json_t *cfg, json_t *state);
	void (*slowpath)(struct bn_cube *c, const struct bn_event *ev);
	void (*close)(struct bn_cube *c);
};

static inline enum bn_mode bn_cube_mode(const struct bn_cube *c)
{
	return c->type == BN_TYPE_TC ? BN_MODE_TC : BN_MODE_XDP;
}

/* Index of a port by name (-ENOENT if the cube has no such port). */
int bn_cube_port_index(const struct bn_cube *c, const char *port);
/* Name of the port with that index, or NULL. */
const char *bn_cube_port_name(const struct bn_cube *c, unsigned index);

/* Packet-out: send pkt out of a standard cube's port, or let a transparent
 * cube's packet go on to its next hop `next` (slow-path re-injection). */
int bn_cube_send(struct bn_cube *c, unsigned port, const void *pkt, size_t len);
int bn_cube_continue(struct bn_cube *c, unsigned next, const void *pkt, size_t len); /* bn_tnext */

/* Log on behalf of a cube: "[<Service>] [<cube>] [level] ...". */
void bn_cube_log(const struct bn_cube *c, int level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Sum a per-CPU array value of `size` bytes made of __u64 counters. */
int bn_percpu_sum_u64(struct bpf_map *map, __u32 key, __u64 *out, unsigned n);

#endif
