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
#define BN_EV_PKT_MAX	   256	/* bytes of a packet copied to the slow path */

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
};

/* Per-cube run-time settings (one element). */
struct bn_cube_cfg {
	__u32 id;
	__u32 loglevel;		/* enum bn_log_level of log.h */
};

/* Per-packet metadata: XDP per-CPU slot bn_xdp_md_slot / TC skb->cb[0..1]. */
struct bn_md {
	__u32 port;
	__u32 pad;
};

enum bn_event_kind {
	BN_EV_LOG = 1,		/* data-path log line: code indexes the service's messages */
	BN_EV_SLOWPATH,		/* packet for the control plane */
};

struct bn_event {
	__u32 kind;
	__u32 cube;		/* cube id */
	__u32 port;		/* input port (or direction, transparent cubes) */
	__u32 code;
	__u32 level;
	__u32 arg;
	__u32 pkt_len;		/* original length */
	__u32 cap_len;		/* bytes in pkt */
	__u8 pkt[BN_EV_PKT_MAX];
};

#endif
