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
	__u32 tag;

	if (!i)
		return XDP_PASS;
	md = bn_xdp_md(ctx);
	if (!md)
		return XDP_ABORTED;
	tag = md->inject;
	md->inject = 0;		/* a real frame: any injection before it is over */
	if ((tag & BN_INJ_ARMED) && bn_inject_ifindex(tag) == ifindex)
		return XDP_PASS;	/* re-injected, its chain done */
	return bn_xdp_hop(ctx, &i->ingress);
}

/* done: the mark of a re-injected packet past this hook's chain */
static __always_inline int tc_entry(struct __sk_buff *skb, __u32 done, int egress)
{
	__u32 ifindex = skb->ifindex;
	struct bn_iface *i;

	if (skb->mark == done) {
		skb->mark = 0;
		return TC_ACT_OK;
	}
	i = bpf_map_lookup_elem(&bn_ifaces, &ifindex);
	if (!i)
		return TC_ACT_OK;
	skb->cb[1] = 0;		/* not re-injected */
	return bn_tc_hop(skb, egress ? &i->egress : &i->ingress);
}

SEC("tc")
int bn_tc_ingress_entry(struct __sk_buff *skb)
{
	return tc_entry(skb, BN_MARK_STACK, 0);
}

SEC("tc")
int bn_tc_egress_entry(struct __sk_buff *skb)
{
	return tc_entry(skb, BN_MARK_WIRE, 1);
}

/* Packets from the control plane (slow path re-injection, packet-out). */
SEC("xdp")
int bn_xdp_inject(struct xdp_md *ctx)
{
	struct bn_inject *meta = (void *)(long)ctx->data_meta, inj;
	struct bn_md *md = bn_xdp_md(ctx);

	if ((void *)(meta + 1) > (void *)(long)ctx->data || !md)
		return XDP_DROP;
	inj = *meta;
	if (bpf_xdp_adjust_meta(ctx, sizeof(inj)))	/* the packet leaves clean */
		return XDP_DROP;
	/* a chain ending in PASS sends the frame up the stack of the run's
	 * ingress netdev (pass_ifindex); see bn_xdp_hop */
	md->inject = inj.pass_ifindex ? bn_inject_tag(inj.pass_ifindex, inj.flags) : 0;
	return bn_xdp_hop(ctx, &inj.hop);
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
	/* where a PASS at the end of the chain leads (bn_tc_inject_pass) */
	skb->cb[1] = inj->pass_ifindex ? bn_inject_tag(inj->pass_ifindex, inj->flags) : 0;
	return bn_tc_hop(skb, &inj->hop);
}
