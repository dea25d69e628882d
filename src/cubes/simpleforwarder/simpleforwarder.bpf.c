// SPDX-License-Identifier: GPL-2.0
/* simpleforwarder: a static action per input port. */
#include "bpfnet.bpf.h"
#include "simpleforwarder.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, BN_MAX_PORTS);
	__type(key, __u32);
	__type(value, struct sf_action);
} sf_actions SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, BN_MAX_PORTS);
	__type(key, __u32);
	__type(value, struct sf_stats);
} sf_stats SEC(".maps");

static __always_inline int sf_rx(struct bn_pkt *p)
{
	__u32 port = p->in_port;
	struct sf_action *a = bpf_map_lookup_elem(&sf_actions, &port);
	struct sf_stats *s = bpf_map_lookup_elem(&sf_stats, &port);

	if (!a)
		return BN_V_DROP;
	if (s) {
		s->pkts++;
		s->bytes += p->len;
	}
	switch (a->action) {
	case SF_FORWARD:
		return a->outport;
	case SF_SLOWPATH:
		return BN_V_SLOWPATH;
	default:
		return BN_V_DROP;
	}
}

BN_STANDARD_CUBE(sf_rx)
