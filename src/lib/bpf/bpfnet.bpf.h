/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The framework side of every cube's data plane.
 *
 * A cube writes one function, `int fn(struct bn_pkt *p)`, returning a
 * verdict: a port index (>= 0) to send the packet out of, or BN_V_DROP,
 * BN_V_PASS (transparent cubes: go on in their direction) or BN_V_SLOWPATH (to the
 * daemon; p->code says why). BN_STANDARD_CUBE(fn) / BN_TRANSPARENT_CUBE(fn)
 * generate the XDP and TC programs around it; user space loads the ones of
 * the cube's type. Programs are linked into chains by struct bn_hop
 * descriptors that user space writes into each cube's bn_ports map.
 */
#ifndef BPFNET_BPF_H
#define BPFNET_BPF_H

#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>
#include "bpfnet_shared.h"

#define BN_V_DROP     (-1)
#define BN_V_PASS     (-2)
#define BN_V_SLOWPATH (-3)

/* Framework maps shared by all cubes (the loader reuses the core's). */
struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, BN_PROG_SLOTS);
	__type(key, __u32);
	__type(value, __u32);
} bn_xdp_progs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, BN_PROG_SLOTS);
	__type(key, __u32);
	__type(value, __u32);
} bn_tc_progs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 20);
} bn_events SEC(".maps");

/* XDP metadata travels in a per-CPU slot, not in the packet's metadata
 * area: that needs headroom a frame may not have (veth frames from
 * ndo_xdp_xmit often do not), and a chain of XDP programs runs to its end
 * on one CPU without nesting. TC uses skb->cb, which travels with the skb. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct bn_md);
} bn_xdp_md_slot SEC(".maps");

/* Per-cube maps: where each port leads (transparent cubes: index = enum
 * bn_tnext), and run-time settings. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, BN_MAX_PORTS);
	__type(key, __u32);
	__type(value, struct bn_hop);
} bn_ports SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct bn_cube_cfg);
} bn_cfg SEC(".maps");

struct bn_pkt {
	void *data;
	void *data_end;
	__u32 len;	/* whole packet length */
	__u32 in_port;	/* standard cubes: input port; transparent: enum bn_tnext */
	__u32 dir;	/* transparent cubes: enum bn_dir */
	__u32 code;	/* BN_V_SLOWPATH: reason for the control plane */
};

static __always_inline struct bn_cube_cfg *bn_cube_cfg(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&bn_cfg, &zero);
}

/* Data-path log line, shown by the daemon if the cube's loglevel admits it.
 * code indexes the service's message table; arg fills its %u. */
static __always_inline void bn_dp_log(__u32 level, __u32 code, __u32 arg)
{
	struct bn_cube_cfg *cfg = bn_cube_cfg();
	struct bn_event *ev;

	if (!cfg || level < cfg->loglevel)
		return;
	ev = bpf_ringbuf_reserve(&bn_events, offsetof(struct bn_event, pkt), 0);
	if (!ev)
		return;
	ev->kind = BN_EV_LOG;
	ev->cube = cfg->id;
	ev->port = 0;
	ev->code = code;
	ev->level = level;
	ev->arg = arg;
	ev->pkt_len = 0;
	ev->cap_len = 0;
	bpf_ringbuf_submit(ev, 0);
}

#define BN_LL_TRACE 0
#define BN_LL_DEBUG 1
#define BN_LL_INFO  2

/* Bytes of a packet to copy: 1..BN_EV_PKT_MAX in a form the verifier
 * can bound (the barrier stops clang from checking a copy). */
static __always_inline __u64 bn_cap(__u32 len)
{
	__u64 cap = len;

	if (cap > BN_EV_PKT_MAX)
		cap = BN_EV_PKT_MAX;
	asm volatile("" : "+r"(cap));
	if (cap > BN_EV_PKT_MAX)
		return 0;
	return cap;
}

static __always_inline struct bn_event *bn_slowpath_reserve(struct bn_pkt *p)
{
	struct bn_cube_cfg *cfg = bn_cube_cfg();
	struct bn_event *ev;

	if (!cfg)
		return NULL;
	ev = bpf_ringbuf_reserve(&bn_events, sizeof(*ev), 0);
	if (!ev)
		return NULL;
	ev->kind = BN_EV_SLOWPATH;
	ev->cube = cfg->id;
	ev->port = p->in_port;
	ev->code = p->code;
	ev->level = 0;
	ev->arg = 0;
	ev->pkt_len = p->len;
	ev->cap_len = p->len < BN_EV_PKT_MAX ? p->len : BN_EV_PKT_MAX;
	return ev;
}

/* ---------------------------------------------------------------- XDP --- */

static __always_inline struct bn_md *bn_xdp_md(struct xdp_md *ctx)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&bn_xdp_md_slot, &zero);
}

static __always_inline int bn_xdp_hop(struct xdp_md *ctx, const struct bn_hop *h)
{
	struct bn_md *md;

	switch (h->kind) {
	case BN_HOP_PROG:
		md = bn_xdp_md(ctx);
		if (!md)
			return XDP_ABORTED;
		md->port = h->port;
		bpf_tail_call(ctx, &bn_xdp_progs, h->slot);
		return XDP_DROP;
	case BN_HOP_NETDEV:
		return bpf_redirect(h->ifindex, 0);
	case BN_HOP_PASS:
		md = bn_xdp_md(ctx);
		/* a re-injected frame at the end of its chain goes up the stack
		 * right away, on this CPU, meeting the generic hook once more */
		if (md && (md->inject & BN_INJ_GENERIC))
			md->inject |= BN_INJ_ARMED;
		return XDP_PASS;
	default:
		return XDP_DROP;
	}
}

static __always_inline int bn_xdp_out(struct xdp_md *ctx, __u32 port)
{
	struct bn_hop *h = bpf_map_lookup_elem(&bn_ports, &port);

	if (!h)
		return XDP_DROP;
	return bn_xdp_hop(ctx, h);
}

static __always_inline int bn_xdp_slowpath(struct xdp_md *ctx, struct bn_pkt *p)
{
	struct bn_event *ev = bn_slowpath_reserve(p);
	__u64 cap;

	if (!ev)
		return XDP_DROP;
	cap = bn_cap(p->len);
	if (!cap || bpf_xdp_load_bytes(ctx, 0, ev->pkt, cap) < 0) {
		bpf_ringbuf_discard(ev, 0);
		return XDP_DROP;
	}
	bpf_ringbuf_submit(ev, 0);
	return XDP_DROP;
}

/* Linear length; the barrier keeps the packet pointers 64-bit (clang would
 * otherwise spill a truncated copy, which the verifier refuses). */
static __always_inline __u32 bn_xdp_len(struct xdp_md *ctx)
{
	__u64 data = ctx->data, end = ctx->data_end;

	asm volatile("" : "+r"(data), "+r"(end));
	return end - data;
}

static __always_inline void bn_xdp_pkt(struct xdp_md *ctx, struct bn_pkt *p)
{
	p->data = (void *)(long)ctx->data;
	p->data_end = (void *)(long)ctx->data_end;
	p->len = bn_xdp_len(ctx);
	p->in_port = 0;
	p->dir = 0;
	p->code = 0;
}

/* ----------------------------------------------------------------- TC --- */

/* A re-injected packet that ends its chain: to its netdev's stack, or out
 * of it, past the hook that would run the chain again. */
static __always_inline int bn_tc_inject_pass(struct __sk_buff *skb)
{
	__u32 tag = skb->cb[1];

	skb->cb[1] = 0;
	if (tag & BN_INJ_WIRE) {
		skb->mark = BN_MARK_WIRE;
		return bpf_redirect(bn_inject_ifindex(tag), 0);
	}
	skb->mark = BN_MARK_STACK;
	return bpf_redirect(bn_inject_ifindex(tag), BPF_F_INGRESS);
}

static __always_inline int bn_tc_hop(struct __sk_buff *skb, const struct bn_hop *h)
{
	switch (h->kind) {
	case BN_HOP_PROG:
		skb->cb[0] = h->port;
		bpf_tail_call(skb, &bn_tc_progs, h->slot);
		return TC_ACT_SHOT;
	case BN_HOP_NETDEV:
		return bpf_redirect(h->ifindex, 0);
	case BN_HOP_PASS:
		return skb->cb[1] ? bn_tc_inject_pass(skb) : TC_ACT_OK;
	default:
		return TC_ACT_SHOT;
	}
}

static __always_inline int bn_tc_out(struct __sk_buff *skb, __u32 port)
{
	struct bn_hop *h = bpf_map_lookup_elem(&bn_ports, &port);

	if (!h)
		return TC_ACT_SHOT;
	return bn_tc_hop(skb, h);
}

static __always_inline int bn_tc_slowpath(struct __sk_buff *skb, struct bn_pkt *p)
{
	struct bn_event *ev = bn_slowpath_reserve(p);
	__u64 cap;

	if (!ev)
		return TC_ACT_SHOT;
	cap = bn_cap(p->len);
	if (!cap || bpf_skb_load_bytes(skb, 0, ev->pkt, cap) < 0) {
		bpf_ringbuf_discard(ev, 0);
		return TC_ACT_SHOT;
	}
	bpf_ringbuf_submit(ev, 0);
	return TC_ACT_SHOT;
}

static __always_inline void bn_tc_pkt(struct __sk_buff *skb, struct bn_pkt *p)
{
	p->data = (void *)(long)skb->data;
	p->data_end = (void *)(long)skb->data_end;
	p->len = skb->len;
	p->in_port = 0;
	p->dir = 0;
	p->code = 0;
}

/* ------------------------------------------------------ program makers --- */

/* A standard cube: one program per mode, entered with md.port = input port. */
#define BN_STANDARD_CUBE(fn)							\
SEC("xdp") int bn_xdp_rx(struct xdp_md *ctx)					\
{										\
	struct bn_md *md = bn_xdp_md(ctx);					\
	struct bn_pkt p;							\
	int v;									\
										\
	if (!md)								\
		return XDP_ABORTED;						\
	bn_xdp_pkt(ctx, &p);							\
	p.in_port = md->port;							\
	v = fn(&p);								\
	if (v >= 0)								\
		return bn_xdp_out(ctx, v);					\
	if (v == BN_V_SLOWPATH)							\
		return bn_xdp_slowpath(ctx, &p);				\
	return XDP_DROP;							\
}										\
SEC("tc") int bn_tc_rx(struct __sk_buff *skb)					\
{										\
	struct bn_pkt p;							\
	int v;									\
										\
	bn_tc_pkt(skb, &p);							\
	p.in_port = skb->cb[0];							\
	v = fn(&p);								\
	if (v >= 0)								\
		return bn_tc_out(skb, v);					\
	if (v == BN_V_SLOWPATH)							\
		return bn_tc_slowpath(skb, &p);					\
	return TC_ACT_SHOT;							\
}

/* A transparent cube: one program per mode and direction; BN_V_PASS goes on
 * to the next hop `next` (enum bn_tnext) of its bn_ports. */
#define BN_TRANSPARENT_PROG_XDP(fn, name, d, next)				\
SEC("xdp") int name(struct xdp_md *ctx)						\
{										\
	struct bn_pkt p;							\
	int v;									\
										\
	bn_xdp_pkt(ctx, &p);							\
	p.dir = d;								\
	p.in_port = next;							\
	v = fn(&p);								\
	if (v == BN_V_PASS)							\
		return bn_xdp_out(ctx, next);					\
	if (v == BN_V_SLOWPATH)							\
		return bn_xdp_slowpath(ctx, &p);				\
	return XDP_DROP;							\
}
#define BN_TRANSPARENT_PROG_TC(fn, name, d, next)				\
SEC("tc") int name(struct __sk_buff *skb)					\
{										\
	struct bn_pkt p;							\
	int v;									\
										\
	bn_tc_pkt(skb, &p);							\
	p.dir = d;								\
	p.in_port = next;							\
	v = fn(&p);								\
	if (v == BN_V_PASS)							\
		return bn_tc_out(skb, next);					\
	if (v == BN_V_SLOWPATH)							\
		return bn_tc_slowpath(skb, &p);					\
	return TC_ACT_SHOT;							\
}
#define BN_TRANSPARENT_CUBE(fn)							\
	BN_TRANSPARENT_PROG_XDP(fn, bn_xdp_ingress, BN_DIR_INGRESS, BN_NEXT_INGRESS) \
	BN_TRANSPARENT_PROG_XDP(fn, bn_xdp_egress, BN_DIR_EGRESS, BN_NEXT_EGRESS) \
	BN_TRANSPARENT_PROG_TC(fn, bn_tc_ingress, BN_DIR_INGRESS, BN_NEXT_INGRESS) \
	BN_TRANSPARENT_PROG_TC(fn, bn_tc_egress, BN_DIR_EGRESS, BN_NEXT_EGRESS)	\
	BN_TRANSPARENT_PROG_TC(fn, bn_tc_stack_egress, BN_DIR_EGRESS, BN_NEXT_STACK_EGRESS)

char _license[] SEC("license") = "GPL";

#endif
