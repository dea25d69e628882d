// SPDX-License-Identifier: Apache-2.0
/* transparenthelloworld: control plane. */
#include <errno.h>
#include <string.h>
#include <bpf/bpf.h>

#include "cube.h"
#include "log.h"
#include "transparenthelloworld.h"
#include "transparenthelloworld.skel.h"

static const char *const thw_action_enum[] = { "drop", "pass", "slowpath", NULL };

static const struct bn_node thw_nodes[] = {
	{ .name = "ingress-action", .kind = BN_LEAF, .type = BN_T_ENUM, .enums = thw_action_enum,
	  .def = "pass", .desc = "action on packets entering the attachment point" },
	{ .name = "egress-action", .kind = BN_LEAF, .type = BN_T_ENUM, .enums = thw_action_enum,
	  .def = "pass", .desc = "action on packets leaving the attachment point" },
	{ .name = "ingress-pkts", .kind = BN_LEAF, BN_U64, .flags = BN_RO,
	  .desc = "packets seen in the ingress direction" },
	{ .name = "egress-pkts", .kind = BN_LEAF, BN_U64, .flags = BN_RO,
	  .desc = "packets seen in the egress direction" },
	{ 0 }
};

static const char *const thw_log_msgs[] = {
	[THW_LOG_PASS] = "passing packet",
	[THW_LOG_DROP] = "dropping packet",
	[THW_LOG_SLOWPATH] = "sending packet to slow path",
	NULL,
};

static int thw_open(struct bn_cube *c)
{
	struct transparenthelloworld_bpf *skel = transparenthelloworld_bpf__open();

	if (!skel)
		return -errno;
	c->skel = skel;
	BN_BPF_TRANSPARENT(&c->bpf, skel);
	return 0;
}

static void thw_close(struct bn_cube *c)
{
	transparenthelloworld_bpf__destroy(c->skel);
	c->skel = NULL;
}

static __u32 thw_action(const json_t *cfg, const char *key)
{
	const char *a = json_string_value(json_object_get(cfg, key));

	if (a && !strcmp(a, "drop"))
		return THW_DROP;
	if (a && !strcmp(a, "slowpath"))
		return THW_SLOWPATH;
	return THW_PASS;
}

static int thw_apply(struct bn_cube *c, const json_t *cfg, struct bn_err *err)
{
	struct transparenthelloworld_bpf *skel = c->skel;
	struct thw_cfg v;
	__u32 zero = 0;

	v.action[BN_DIR_INGRESS] = thw_action(cfg, "ingress-action");
	v.action[BN_DIR_EGRESS] = thw_action(cfg, "egress-action");
	if (bpf_map_update_elem(bpf_map__fd(skel->maps.thw_cfg), &zero, &v, BPF_ANY))
		return bn_err_set(err, 500, "cannot update configuration: %s", strerror(errno));
	return 0;
}

static int thw_state(struct bn_cube *c, const json_t *cfg, json_t *state)
{
	struct transparenthelloworld_bpf *skel = c->skel;
	__u64 v[2] = { 0, 0 };

	bn_percpu_sum_u64(skel->maps.thw_stats, 0, v, 2);
	json_object_set_new(state, "ingress-pkts", json_integer(v[BN_DIR_INGRESS]));
	json_object_set_new(state, "egress-pkts", json_integer(v[BN_DIR_EGRESS]));
	return 0;
}

/* Polycube's semantics: the control plane receives the packet and puts it
 * back where it was, going on in the same direction. */
static void thw_slowpath(struct bn_cube *c, const struct bn_event *ev)
{
	const char *dir = ev->port == BN_NEXT_INGRESS ? "INGRESS" : "EGRESS";
	int err;

	if (ev->cap_len < ev->pkt_len) {
		bn_cube_log(c, BN_LOG_WARN, "[%s] packet of %u bytes too large for the slow path, dropped",
			    dir, ev->pkt_len);
		return;
	}
	err = bn_cube_continue(c, ev->port, ev->pkt, ev->cap_len);
	if (err)
		bn_cube_log(c, BN_LOG_WARN, "[%s] cannot re-inject a packet: %s", dir, strerror(-err));
	else
		bn_cube_log(c, BN_LOG_DEBUG, "[%s] packet re-injected from the slow path (%u bytes)",
			    dir, ev->pkt_len);
}

const struct bn_service bn_svc_transparenthelloworld = {
	.name = "transparenthelloworld",
	.description = "Transparent helloworld: pass, drop or slow path, per direction",
	.transparent = true,
	.nodes = thw_nodes,
	.log_msgs = thw_log_msgs,
	.open = thw_open,
	.apply = thw_apply,
	.state = thw_state,
	.slowpath = thw_slowpath,
	.close = thw_close,
};
