// SPDX-License-Identifier: GPL-2.0
/* transparenthelloworld: pass, drop or hand to the slow path, per direction. */
#include "bpfnet.bpf.h"
#include "transparenthelloworld.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct thw_cfg);
} thw_cfg SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct thw_stats);
} thw_stats SEC(".maps");

static __always_inline int thw_rx(struct bn_pkt *p)
{
	__u32 zero = 0, dir = p->dir & 1;
	struct thw_cfg *c = bpf_map_lookup_elem(&thw_cfg, &zero);
	struct thw_stats *s = bpf_map_lookup_elem(&thw_stats, &zero);

	if (s)
		s->pkts[dir]++;
	if (!c)
		return BN_V_DROP;
	switch (c->action[dir]) {
	case THW_PASS:
		bn_dp_log(BN_LL_TRACE, THW_LOG_PASS, dir);
		return BN_V_PASS;
	case THW_SLOWPATH:
		bn_dp_log(BN_LL_TRACE, THW_LOG_SLOWPATH, dir);
		return BN_V_SLOWPATH;
	}
	bn_dp_log(BN_LL_TRACE, THW_LOG_DROP, dir);
	return BN_V_DROP;
}

BN_TRANSPARENT_CUBE(thw_rx)
