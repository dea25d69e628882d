// SPDX-License-Identifier: Apache-2.0
/* simpleforwarder: control plane. */
#include <errno.h>
#include <string.h>
#include <bpf/bpf.h>

#include "cube.h"
#include "log.h"
#include "simpleforwarder.h"
#include "simpleforwarder.skel.h"

static const char *const sf_action_enum[] = { "drop", "slowpath", "forward", NULL };
static const char *const sf_action_keys[] = { "inport", NULL };

static const struct bn_node sf_action_nodes[] = {
	{ .name = "inport", .kind = BN_LEAF, .type = BN_T_STRING, .flags = BN_KEY,
	  .desc = "input port of the packets" },
	{ .name = "action", .kind = BN_LEAF, .type = BN_T_ENUM, .flags = BN_MAND,
	  .enums = sf_action_enum, .desc = "what to do with them" },
	{ .name = "outport", .kind = BN_LEAF, .type = BN_T_STRING,
	  .desc = "output port (action FORWARD)" },
	{ .name = "pkts", .kind = BN_LEAF, BN_U64, .flags = BN_RO,
	  .desc = "packets received on the input port" },
	{ .name = "bytes", .kind = BN_LEAF, BN_U64, .flags = BN_RO,
	  .desc = "bytes received on the input port" },
	{ 0 }
};

static const struct bn_node sf_nodes[] = {
	{ .name = "actions", .kind = BN_LIST, .children = sf_action_nodes, .keys = sf_action_keys,
	  .max_elems = BN_MAX_PORTS, .desc = "action per input port (no entry: drop)" },
	{ 0 }
};

static int sf_open(struct bn_cube *c)
{
	struct simpleforwarder_bpf *skel = simpleforwarder_bpf__open();

	if (!skel)
		return -errno;
	c->skel = skel;
	BN_BPF_STANDARD(&c->bpf, skel);
	return 0;
}

static void sf_close(struct bn_cube *c)
{
	simpleforwarder_bpf__destroy(c->skel);
	c->skel = NULL;
}

static int sf_parse_entry(struct bn_cube *c, json_t *e, __u32 *inport, struct sf_action *a,
			  struct bn_err *err)
{
	const char *in = json_string_value(json_object_get(e, "inport"));
	const char *act = json_string_value(json_object_get(e, "action"));
	const char *out = json_string_value(json_object_get(e, "outport"));
	int idx = bn_cube_port_index(c, in ? in : "");

	if (idx < 0)
		return bn_err_set(err, 400, "port '%s' does not exist", in ? in : "");
	*inport = idx;
	a->outport = 0;
	if (!strcmp(act, "forward")) {
		a->action = SF_FORWARD;
		idx = out && *out ? bn_cube_port_index(c, out) : -ENOENT;
		if (idx < 0)
			return bn_err_set(err, 400, "action forward of port '%s': output port '%s' does not exist",
					  in, out ? out : "");
		a->outport = idx;
	} else if (!strcmp(act, "slowpath")) {
		a->action = SF_SLOWPATH;
	} else {
		a->action = SF_DROP;
	}
	return 0;
}

static int sf_apply(struct bn_cube *c, const json_t *cfg, struct bn_err *err)
{
	struct simpleforwarder_bpf *skel = c->skel;
	struct sf_action table[BN_MAX_PORTS] = { 0 };
	json_t *list = json_object_get(cfg, "actions"), *e;
	int fd = bpf_map__fd(skel->maps.sf_actions), err2;
	size_t i;
	__u32 k;

	json_array_foreach(list, i, e) {
		struct sf_action a;
		__u32 in = 0;

		err2 = sf_parse_entry(c, e, &in, &a, err);
		if (err2)
			return err2;
		table[in] = a;
	}
	for (k = 0; k < BN_MAX_PORTS; k++) {
		if (bpf_map_update_elem(fd, &k, &table[k], BPF_ANY)) {
			err2 = -errno;
			return bn_err_set(err, 500, "cannot update actions: %s", strerror(-err2));
		}
	}
	return 0;
}

static int sf_state(struct bn_cube *c, const json_t *cfg, json_t *state)
{
	struct simpleforwarder_bpf *skel = c->skel;
	json_t *list = json_object_get(cfg, "actions"), *e, *out = json_array();
	size_t i;

	json_array_foreach(list, i, e) {
		const char *in = json_string_value(json_object_get(e, "inport"));
		int idx = bn_cube_port_index(c, in);
		__u64 v[2] = { 0, 0 };

		if (idx >= 0)
			bn_percpu_sum_u64(skel->maps.sf_stats, idx, v, 2);
		json_array_append_new(out, json_pack("{s:s, s:I, s:I}", "inport", in,
						     "pkts", (json_int_t)v[0], "bytes", (json_int_t)v[1]));
	}
	json_object_set_new(state, "actions", out);
	return 0;
}

static void sf_slowpath(struct bn_cube *c, const struct bn_event *ev)
{
	bn_cube_log(c, BN_LOG_INFO, "packet from port %s to the slow path (%u bytes), dropped",
		    bn_cube_port_name(c, ev->port) ?: "?", ev->pkt_len);
}

const struct bn_service bn_svc_simpleforwarder = {
	.name = "simpleforwarder",
	.description = "Simple forwarder: a static action per input port",
	.nodes = sf_nodes,
	.open = sf_open,
	.apply = sf_apply,
	.state = sf_state,
	.slowpath = sf_slowpath,
	.close = sf_close,
};
