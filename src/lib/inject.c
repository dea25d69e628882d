// SPDX-License-Identifier: Apache-2.0
/*
 * Packet-out: the control plane puts a packet back into the data path at a
 * given hop (a transparent cube's slow path re-injects in its direction; a
 * cube sends out of one of its ports).
 *
 * XDP: a BPF_PROG_TEST_RUN of the core's bn_xdp_inject with live frames; the
 * hop travels as the frame's metadata and the kernel really redirects, tail
 * calls or passes the frame up the stack of the run's ingress netdev. A hop
 * straight out of a netdev is an AF_PACKET send instead (see send_out).
 * TC: needs an skb, so the frame is sent with AF_PACKET on a private veth
 * pair whose far end runs bn_tc_inject at TCX ingress; the hop waits in the
 * core's bn_inject map, in the slot skb->mark names.
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_link.h>
#include <linux/if_packet.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <sys/socket.h>
#include <bpf/bpf.h>

#include "internal.h"
#include "log.h"

#ifndef BPF_TCX_INGRESS
#define BPF_TCX_INGRESS 46
#endif

struct nlreq {
	struct nlmsghdr nh;
	struct ifinfomsg ifi;
	char buf[512];
};

static struct rtattr *nla_put(struct nlreq *req, int type, const void *data, size_t len)
{
	struct nlmsghdr *nh = &req->nh;
	struct rtattr *a = (void *)((char *)req + NLMSG_ALIGN(nh->nlmsg_len));

	a->rta_type = type;
	a->rta_len = RTA_LENGTH(len);
	if (len)
		memcpy(RTA_DATA(a), data, len);
	nh->nlmsg_len = NLMSG_ALIGN(nh->nlmsg_len) + RTA_ALIGN(a->rta_len);
	return a;
}

static void nla_end(struct nlreq *req, struct rtattr *a)
{
	a->rta_len = (char *)req + req->nh.nlmsg_len - (char *)a;
}

/* Send one request and wait for its ack. */
static int nl_talk(struct nlmsghdr *nh)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	char buf[4096];
	int fd, err = 0;
	ssize_t n;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0)
		return -errno;
	nh->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	if (sendto(fd, nh, nh->nlmsg_len, 0, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		err = -errno;
		goto out;
	}
	n = recv(fd, buf, sizeof(buf), 0);
	if (n < 0) {
		err = -errno;
		goto out;
	}
	for (struct nlmsghdr *r = (void *)buf; NLMSG_OK(r, (size_t)n); r = NLMSG_NEXT(r, n))
		if (r->nlmsg_type == NLMSG_ERROR)
			err = ((struct nlmsgerr *)NLMSG_DATA(r))->error;
out:
	close(fd);
	return err;
}

static int veth_create(const char *a, const char *b)
{
	struct nlreq req = {
		.nh = { .nlmsg_len = NLMSG_LENGTH(sizeof(struct ifinfomsg)), .nlmsg_type = RTM_NEWLINK,
			.nlmsg_flags = NLM_F_CREATE | NLM_F_EXCL },
		.ifi = { .ifi_family = AF_UNSPEC },	/* up later: no peer yet */
	};
	struct rtattr *info, *data, *peer;
	struct ifinfomsg pifi = { .ifi_family = AF_UNSPEC };

	nla_put(&req, IFLA_IFNAME, a, strlen(a) + 1);
	info = nla_put(&req, IFLA_LINKINFO, NULL, 0);
	nla_put(&req, IFLA_INFO_KIND, "veth", 5);
	data = nla_put(&req, IFLA_INFO_DATA, NULL, 0);
	peer = nla_put(&req, VETH_INFO_PEER, &pifi, sizeof(pifi));
	nla_put(&req, IFLA_IFNAME, b, strlen(b) + 1);
	nla_end(&req, peer);
	nla_end(&req, data);
	nla_end(&req, info);
	return nl_talk(&req.nh);
}

static int link_up(int ifindex)
{
	struct nlreq req = {
		.nh = { .nlmsg_len = NLMSG_LENGTH(sizeof(struct ifinfomsg)), .nlmsg_type = RTM_NEWLINK },
		.ifi = { .ifi_family = AF_UNSPEC, .ifi_index = ifindex, .ifi_flags = IFF_UP,
			 .ifi_change = IFF_UP },
	};

	return nl_talk(&req.nh);
}

static int link_del(int ifindex)
{
	struct nlreq req = {
		.nh = { .nlmsg_len = NLMSG_LENGTH(sizeof(struct ifinfomsg)), .nlmsg_type = RTM_DELLINK },
		.ifi = { .ifi_family = AF_UNSPEC, .ifi_index = ifindex },
	};

	return nl_talk(&req.nh);
}

/* veth names from the pin dir, so daemons side by side do not collide */
static void inject_names(struct bn_ctx *ctx, char a[IFNAMSIZ], char b[IFNAMSIZ])
{
	unsigned h = 5381;

	for (const char *p = ctx->pin_dir; *p; p++)
		h = h * 33 + (unsigned char)*p;
	snprintf(a, IFNAMSIZ, "bninj%07xa", h & 0xfffffff);
	snprintf(b, IFNAMSIZ, "bninj%07xb", h & 0xfffffff);
}

/* The injection program at the veth's TC ingress. The first TC hook the
 * daemon makes: where the kernel has no TCX, TC mode falls back to clsact. */
static int attach_inject(struct bn_ctx *ctx, int ifindex)
{
	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifindex, .attach_point = BPF_TC_INGRESS);
	LIBBPF_OPTS(bpf_tc_opts, opts, .prog_fd = ctx->entry_fd[BN_ENTRY_TC_INJECT]);
	int err;

	if (ctx->tc_hook == BN_TC_HOOK_TCX) {
		ctx->inj_link = bpf_link_create(ctx->entry_fd[BN_ENTRY_TC_INJECT], ifindex,
						BPF_TCX_INGRESS, NULL);
		if (ctx->inj_link >= 0)
			return 0;
		err = -errno;
		if (err != -EINVAL && err != -EOPNOTSUPP)
			return err;
		pr_info("no TCX in this kernel: TC hooks are clsact filters");
		ctx->tc_hook = BN_TC_HOOK_CLSACT;
	}
	err = bpf_tc_hook_create(&hook);	/* the veth is ours: it goes with its qdisc */
	if (err && err != -EEXIST)
		return err;
	return bpf_tc_attach(&hook, &opts);
}

int bn_inject_open(struct bn_ctx *ctx)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL) };
	char a[IFNAMSIZ], b[IFNAMSIZ];
	int ia, ib, err;

	ctx->inj_sock = ctx->inj_link = -1;
	inject_names(ctx, a, b);
	ia = if_nametoindex(a);
	if (ia)
		link_del(ia);	/* left by a daemon that crashed */
	err = veth_create(a, b);
	if (err) {
		pr_err("cannot create the injection veth %s: %s", a, strerror(-err));
		return err;
	}
	ia = if_nametoindex(a);
	ib = if_nametoindex(b);
	if (!ia || !ib || link_up(ia) || link_up(ib))
		return -ENODEV;
	ctx->inj_ifindex = ia;
	err = attach_inject(ctx, ib);
	if (err) {
		pr_err("cannot attach the injection program: %s", strerror(-err));
		return err;
	}
	ctx->inj_sock = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	if (ctx->inj_sock < 0)
		return -errno;
	sll.sll_ifindex = ia;
	if (bind(ctx->inj_sock, (struct sockaddr *)&sll, sizeof(sll)))
		return -errno;
	return 0;
}

void bn_inject_close(struct bn_ctx *ctx)
{
	if (ctx->inj_sock >= 0)
		close(ctx->inj_sock);
	if (ctx->inj_link >= 0)
		close(ctx->inj_link);
	if (ctx->inj_ifindex > 0)
		link_del(ctx->inj_ifindex);
	ctx->inj_sock = ctx->inj_link = -1;
	ctx->inj_ifindex = 0;
}

/* Straight out of a netdev: in XDP mode the egress chain already ran (there
 * is no egress hook), and the skb path works for every device, where a live
 * frame's redirect needs a driver that takes XDP frames (veth: a NAPI peer). */
static int send_out(struct bn_ctx *ctx, int ifindex, const void *pkt, size_t len)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_ifindex = ifindex,
				   .sll_halen = ETH_ALEN };
	__u32 mark = BN_MARK_WIRE;	/* past the chain: the TC egress hook lets it by */

	if (ctx->inj_sock < 0)
		return -ENODEV;
	if (len >= ETH_ALEN)
		memcpy(sll.sll_addr, pkt, ETH_ALEN);
	if (setsockopt(ctx->inj_sock, SOL_SOCKET, SO_MARK, &mark, sizeof(mark)) ||
	    sendto(ctx->inj_sock, pkt, len, 0, (struct sockaddr *)&sll, sizeof(sll)) < 0)
		return -errno;
	return 0;
}

static int inject_xdp(struct bn_ctx *ctx, const struct bn_inject *inj, const void *pkt, size_t len)
{
	size_t total = sizeof(*inj) + len;
	struct xdp_md md = {
		.data = sizeof(*inj),
		.data_end = total,
		/* where a chain ending in PASS sends the frame up the stack */
		.ingress_ifindex = inj->pass_ifindex ? inj->pass_ifindex : 1,
	};
	char *buf = malloc(total);
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = buf, .data_size_in = total, .ctx_in = &md,
		    .ctx_size_in = sizeof(md), .repeat = 1, .flags = BPF_F_TEST_XDP_LIVE_FRAMES);
	int err;

	if (!buf)
		return -ENOMEM;
	memcpy(buf, inj, sizeof(*inj));
	memcpy(buf + sizeof(*inj), pkt, len);
	err = bpf_prog_test_run_opts(ctx->entry_fd[BN_ENTRY_XDP_INJECT], &opts);
	err = err ? -errno : 0;
	free(buf);
	return err;
}

static int inject_tc(struct bn_ctx *ctx, const struct bn_inject *inj, const void *pkt, size_t len)
{
	__u32 slot = ctx->inj_next++ % BN_INJECT_SLOTS, mark = BN_MARK_INJECT + slot;

	if (ctx->inj_sock < 0)
		return -ENODEV;
	if (bpf_map_update_elem(ctx->inject_fd, &slot, inj, BPF_ANY))
		return -errno;
	if (setsockopt(ctx->inj_sock, SOL_SOCKET, SO_MARK, &mark, sizeof(mark)))
		return -errno;
	if (send(ctx->inj_sock, pkt, len, 0) < 0)
		return -errno;
	return 0;
}

/* Run the hop in c's bn_ports[index] on pkt. The stack-egress hop of an XDP
 * transparent cube belongs to its TC program. */
static int inject_at(struct bn_cube *c, __u32 index, bool egress, const void *pkt, size_t len)
{
	bool xdp = bn_cube_mode(c) == BN_MODE_XDP && !(c->svc->transparent &&
						       index == BN_NEXT_STACK_EGRESS);
	struct bn_inject inj = { 0 };
	const char *parent;

	if (bpf_map_lookup_elem(bpf_map__fd(c->bpf.ports), &index, &inj.hop))
		return -errno;
	if (inj.hop.kind == BN_HOP_DROP)
		return 0;
	/* only a netdev's chain ends in PASS: to its stack, or its wire */
	parent = c->svc->transparent ? bn_cube_parent(c->ctx, c->name) : NULL;
	if (parent && bn_netdev_index(parent) > 0) {
		inj.pass_ifindex = bn_netdev_index(parent);
		inj.flags = egress ? BN_INJ_WIRE : 0;
		if (c->type == BN_TYPE_XDP_SKB && !egress)
			inj.flags |= BN_INJ_GENERIC;
	} else if (inj.hop.kind == BN_HOP_PASS) {
		return -ENODEV;
	}
	if (xdp && inj.hop.kind == BN_HOP_NETDEV)
		return send_out(c->ctx, inj.hop.ifindex, pkt, len);
	if (xdp)
		return inject_xdp(c->ctx, &inj, pkt, len);
	return inject_tc(c->ctx, &inj, pkt, len);
}

int bn_cube_send(struct bn_cube *c, unsigned port, const void *pkt, size_t len)
{
	if (c->svc->transparent || port >= BN_MAX_PORTS)
		return -EINVAL;
	return inject_at(c, port, false, pkt, len);
}

int bn_cube_continue(struct bn_cube *c, unsigned next, const void *pkt, size_t len)
{
	if (!c->svc->transparent || next > BN_NEXT_STACK_EGRESS)
		return -EINVAL;
	return inject_at(c, next, next != BN_NEXT_INGRESS, pkt, len);
}
