/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the framework's data plane and user space share: limits, the hop
 * descriptor that links programs into chains, per-packet metadata and the
 * event record of the slow path.
 */
#ifndef BPFNET_SHARED_H
#define BPFNET_SHARED_H

#include <linux/types.h>

#define BN_MAX_PORTS	   128	/* ports of one cube (Polycube's limit) */
#define BN_MAX_CUBES	   1024
#define BN_SLOTS_PER_CUBE  2	/* program-array slots a cube owns */
#define BN_PROG_SLOTS	   (BN_MAX_CUBES * BN_SLOTS_PER_CUBE)
#define BN_MAX_IFACES	   1024
#define BN_EV_PKT_MAX	   1536	/* bytes of a packet copied to the slow path */
#define BN_INJECT_SLOTS	   256	/* packets from the control plane in flight (TC) */

/* Slots of a cube: standard cubes use BN_SLOT_RX (packet entering on md.port);
 * transparent cubes use one per direction. */
enum bn_slot {
	BN_SLOT_RX = 0,
	BN_SLOT_INGRESS = 0,
	BN_SLOT_EGRESS = 1,
};

/* Directions of a transparent cube, also the index of its "next" hop in
 * its ports map. INGRESS: towards the attachment point (from wire or peer);
 * EGRESS: leaving it. */
enum bn_dir {
	BN_DIR_INGRESS = 0,
	BN_DIR_EGRESS = 1,
};

/* A transparent cube's next hops in its bn_ports map: one per direction, and
 * for an XDP cube on a netdev, one more for the TC program that sees the
 * host's own packets leaving (XDP has no egress hook). */
enum bn_tnext {
	BN_NEXT_INGRESS = BN_DIR_INGRESS,
	BN_NEXT_EGRESS = BN_DIR_EGRESS,
	BN_NEXT_STACK_EGRESS = 2,
};

enum bn_hop_kind {
	BN_HOP_DROP = 0,	/* nothing there (unpeered port, half-open link) */
	BN_HOP_PROG,		/* tail call slot with md.port = port */
	BN_HOP_NETDEV,		/* redirect out of ifindex */
	BN_HOP_PASS,		/* let the kernel go on: to the stack (ingress) or the wire (TC egress) */
};

/* Where a packet goes next. Written by user space, read by every program. */
struct bn_hop {
	__u32 kind;
	__u32 slot;
	__u32 ifindex;
	__u32 port;
};

/* A netdev hooked by the framework: what its entry programs do. */
struct bn_iface {
	struct bn_hop ingress;	/* packet arriving from the wire */
	struct bn_hop egress;	/* packet leaving to the wire (TC egress hook) */
	__u32 flags;		/* BN_IFACE_*, user space only */
	__u32 pad;
};

#define BN_IFACE_OWN_QDISC 1	/* the framework made the netdev's clsact qdisc */

/* Per-cube run-time settings (one element). */
struct bn_cube_cfg {
	__u32 id;
	__u32 loglevel;		/* enum bn_log_level of log.h */
};

/* Per-packet metadata: XDP per-CPU slot bn_xdp_md_slot / TC skb->cb[0..1].
 * inject: for a packet the control plane re-injected, its netdev and BN_INJ_*
 * flags (bn_inject_tag); 0 for every other packet (the entries clear it). */
struct bn_md {
	__u32 port;
	__u32 inject;
};

#define BN_INJ_ARMED	  4	/* XDP: the chain ended in PASS: the netdev's generic
				 * hook lets this one frame by */
#define bn_inject_tag(ifindex, flags) \
	(((ifindex) << 4) | ((flags) & (BN_INJ_WIRE | BN_INJ_GENERIC)) | 8)
#define bn_inject_ifindex(tag)	      ((tag) >> 4)

/* A packet the control plane puts back into the data path: the hop to run,
 * and for a PASS hop the netdev whose stack (or wire, BN_INJ_WIRE) it means.
 * XDP: carried as the packet's metadata in a BPF_PROG_TEST_RUN of
 * bn_xdp_inject; TC: in bn_inject[skb->mark - BN_MARK_INJECT] for a frame
 * sent on the injection veth, whose ingress runs bn_tc_inject. */
struct bn_inject {
	struct bn_hop hop;
	__u32 pass_ifindex;
	__u32 flags;
};

#define BN_INJ_WIRE	  1		/* PASS means: out of pass_ifindex */
#define BN_INJ_GENERIC	  2		/* pass_ifindex has a generic XDP hook */
#define BN_MARK_INJECT	  0xb9f00000	/* + slot: a frame to inject */
#define BN_MARK_WIRE	  0xb9f0fffe	/* egress chain done: skip the egress hook */
#define BN_MARK_STACK	  0xb9f0ffff	/* ingress chain done: skip the ingress hook */

enum bn_event_kind {
	BN_EV_LOG = 1,		/* data-path log line: code indexes the service's messages */
	BN_EV_SLOWPATH,		/* packet for the control plane */
};

struct bn_event {
	__u32 kind;
	__u32 cube;		/* cube id */
	__u32 port;		/* input port; transparent cubes: enum bn_tnext */
	__u32 code;
	__u32 level;
	__u32 arg;
	__u32 pkt_len;		/* original length */
	__u32 cap_len;		/* bytes in pkt */
	__u8 pkt[BN_EV_PKT_MAX];
};

#endif
