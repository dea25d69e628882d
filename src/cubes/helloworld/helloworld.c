// SPDX-License-Identifier: Apache-2.0
/* helloworld: control plane. */
#include <errno.h>
#include <string.h>
#include <bpf/bpf.h>

#include "cube.h"
#include "log.h"
#include "helloworld.h"
#include "helloworld.skel.h"

static const char *const hw_action_enum[] = { "drop", "slowpath", "forward", NULL };

static const struct bn_node hw_nodes[] = {
	{ .name = "action", .kind = BN_LEAF, .type = BN_T_ENUM, .enums = hw_action_enum,
	  .def = "drop", .desc = "what to do with packets: drop, slowpath, or forward to the other port" },
	{ 0 }
};

static const char *const hw_log_msgs[] = {
	[HW_LOG_RX] = "[INGRESS] Receiving packet from port %u",
	[HW_LOG_FWD] = "Forwarding packet",
	[HW_LOG_DROP] = "Dropping packet",
	[HW_LOG_SLOWPATH] = "Sending packet to slow path",
	NULL,
};

static int hw_open(struct bn_cube *c)
{
	struct helloworld_bpf *skel = helloworld_bpf__open();

	if (!skel)
		return -errno;
	c->skel = skel;
	BN_BPF_STANDARD(&c->bpf, skel);
	return 0;
}

static void hw_close(struct bn_cube *c)
{
	helloworld_bpf__destroy(c->skel);
	c->skel = NULL;
}

static int hw_apply(struct bn_cube *c, const json_t *cfg, struct bn_err *err)
{
	struct helloworld_bpf *skel = c->skel;
	const char *act = json_string_value(json_object_get(cfg, "action"));
	json_t *ports = json_object_get(cfg, "ports"), *p;
	struct hw_cfg v = { .action = HW_DROP };
	__u32 zero = 0;
	size_t i;

	if (act && !strcmp(act, "forward"))
		v.action = HW_FORWARD;
	else if (act && !strcmp(act, "slowpath"))
		v.action = HW_SLOWPATH;
	json_array_foreach(ports, i, p) {
		int idx = bn_cube_port_index(c, json_string_value(json_object_get(p, "name")));

		if (idx < 0 || v.nports >= HW_MAX_PORTS)
			return bn_err_set(err, 400, "maximum number of ports reached");
		v.port[v.nports++] = idx;
	}
	if (bpf_map_update_elem(bpf_map__fd(skel->maps.hw_cfg), &zero, &v, BPF_ANY))
		return bn_err_set(err, 500, "cannot update configuration: %s", strerror(errno));
	return 0;
}

static void hw_slowpath(struct bn_cube *c, const struct bn_event *ev)
{
	bn_cube_log(c, BN_LOG_INFO, "packet received from port %s (%u bytes) on the slow path",
		    bn_cube_port_name(c, ev->port) ?: "?", ev->pkt_len);
}

const struct bn_service bn_svc_helloworld = {
	.name = "helloworld",
	.description = "Helloworld: forward between two ports, drop, or send to the slow path",
	.max_ports = HW_MAX_PORTS,
	.nodes = hw_nodes,
	.log_msgs = hw_log_msgs,
	.open = hw_open,
	.apply = hw_apply,
	.slowpath = hw_slowpath,
	.close = hw_close,
};
