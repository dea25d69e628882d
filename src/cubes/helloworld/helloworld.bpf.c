// SPDX-License-Identifier: GPL-2.0
/* helloworld: forward between its two ports, drop, or hand to the slow path. */
#include "bpfnet.bpf.h"
#include "helloworld.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct hw_cfg);
} hw_cfg SEC(".maps");

static __always_inline int hw_rx(struct bn_pkt *p)
{
	__u32 zero = 0;
	struct hw_cfg *c = bpf_map_lookup_elem(&hw_cfg, &zero);

	bn_dp_log(BN_LL_TRACE, HW_LOG_RX, p->in_port);
	if (!c)
		return BN_V_DROP;
	switch (c->action) {
	case HW_FORWARD:
		if (c->nports != 2)
			break;
		bn_dp_log(BN_LL_TRACE, HW_LOG_FWD, 0);
		return p->in_port == c->port[0] ? c->port[1] : c->port[0];
	case HW_SLOWPATH:
		bn_dp_log(BN_LL_TRACE, HW_LOG_SLOWPATH, 0);
		return BN_V_SLOWPATH;
	}
	bn_dp_log(BN_LL_TRACE, HW_LOG_DROP, 0);
	return BN_V_DROP;
}

BN_STANDARD_CUBE(hw_rx)
