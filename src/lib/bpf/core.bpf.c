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

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, BN_INJECT_SLOTS);
	__type(key, __u32);
	__type(value, struct bn_inject);
} bn_inject SEC(".maps");

SEC("xdp")
int bn_xdp_entry(struct xdp_md *ctx)
{
	__u32 ifindex = ctx->ingress_ifindex;
	struct bn_iface *i = bpf_map_lookup_elem(&bn_ifaces, &ifindex);

	struct bn_md *md;

	if (!i)
		return XDP_PASS;
	md = bn_xdp_md(ctx);
	if (md && md->skip_ifindex == ifindex) {	/* re-injected, chain done */
		md->skip_ifindex = 0;
		return XDP_PASS;
	}
	return bn_xdp_hop(ctx, &i->ingress);
}

SEC("tc")
int bn_tc_ingress_entry(struct __sk_buff *skb)
{
	__u32 ifindex = skb->ifindex;
	struct bn_iface *i;

	if (skb->mark == BN_MARK_STACK) {	/* re-injected after its ingress chain */
		skb->mark = 0;
		return TC_ACT_OK;
	}
	i = bpf_map_lookup_elem(&bn_ifaces, &ifindex);
	if (!i)
		return TC_ACT_OK;
	return bn_tc_hop(skb, &i->ingress);
}

SEC("tc")
int bn_tc_egress_entry(struct __sk_buff *skb)
{
	__u32 ifindex = skb->ifindex;
	struct bn_iface *i;

	if (skb->mark == BN_MARK_WIRE) {	/* re-injected after its egress chain */
		skb->mark = 0;
		return TC_ACT_OK;
	}
	i = bpf_map_lookup_elem(&bn_ifaces, &ifindex);
	if (!i)
		return TC_ACT_OK;
	return bn_tc_hop(skb, &i->egress);
}

/* Packets from the control plane (slow path re-injection, packet-out). */
SEC("xdp")
int bn_xdp_inject(struct xdp_md *ctx)
{
	struct bn_inject *inj = (void *)(long)ctx->data_meta;

	struct bn_md *md = bn_xdp_md(ctx);

	if ((void *)(inj + 1) > (void *)(long)ctx->data || !md)
		return XDP_DROP;
	/* PASS: the frame goes up the stack of the run's ingress_ifindex, on
	 * this CPU right away, where a generic XDP hook would see it again */
	if (inj->hop.kind == BN_HOP_PASS && (inj->flags & BN_INJ_GENERIC))
		md->skip_ifindex = inj->pass_ifindex;
	return bn_xdp_hop(ctx, &inj->hop);
}

SEC("tc")
int bn_tc_inject(struct __sk_buff *skb)
{
	__u32 slot = skb->mark - BN_MARK_INJECT;
	struct bn_inject *inj;

	if (slot >= BN_INJECT_SLOTS)
		return TC_ACT_SHOT;
	inj = bpf_map_lookup_elem(&bn_inject, &slot);
	if (!inj)
		return TC_ACT_SHOT;
	skb->mark = 0;
	if (inj->hop.kind != BN_HOP_PASS)
		return bn_tc_hop(skb, &inj->hop);
	if (inj->flags & BN_INJ_WIRE) {
		skb->mark = BN_MARK_WIRE;
		return bpf_redirect(inj->pass_ifindex, 0);
	}
	skb->mark = BN_MARK_STACK;
	return bpf_redirect(inj->pass_ifindex, BPF_F_INGRESS);
}
