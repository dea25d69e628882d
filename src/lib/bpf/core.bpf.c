// SPDX-License-Identifier: GPL-2.0
/*
 * The framework's own programs: the entry points hooked on netdevs. Each
 * looks up what the netdev leads to and starts the chain; the shared maps
 * (program arrays, event ring) are created here and reused by every cube.
 */
#include "bpfnet.bpf.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, BN_MAX_IFACES);
	__type(key, __u32);
	__type(value, struct bn_iface);
} bn_ifaces SEC(".maps");

SEC("xdp")
int bn_xdp_entry(struct xdp_md *ctx)
{
	__u32 ifindex = ctx->ingress_ifindex;
	struct bn_iface *i = bpf_map_lookup_elem(&bn_ifaces, &ifindex);

	if (!i)
		return XDP_PASS;
	return bn_xdp_hop(ctx, &i->ingress);
}

SEC("tc")
int bn_tc_ingress_entry(struct __sk_buff *skb)
{
	__u32 ifindex = skb->ifindex;
	struct bn_iface *i = bpf_map_lookup_elem(&bn_ifaces, &ifindex);

	if (!i)
		return TC_ACT_OK;
	return bn_tc_hop(skb, &i->ingress);
}

SEC("tc")
int bn_tc_egress_entry(struct __sk_buff *skb)
{
	__u32 ifindex = skb->ifindex;
	struct bn_iface *i = bpf_map_lookup_elem(&bn_ifaces, &ifindex);

	if (!i)
		return TC_ACT_OK;
	return bn_tc_hop(skb, &i->egress);
}
