// SPDX-License-Identifier: Apache-2.0
/* Events from the data plane: log lines and slow-path packets. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <bpf/libbpf.h>

#include "internal.h"
#include "log.h"

static struct bn_cube *cube_by_id(struct bn_ctx *ctx, __u32 id)
{
	for (struct bn_cube *c = ctx->cubes; c; c = c->next)
		if (c->id == id)
			return c;
	return NULL;
}

static unsigned count_msgs(const char *const *msgs)
{
	unsigned n = 0;

	while (msgs && msgs[n])
		n++;
	return n;
}

static void log_event(struct bn_cube *c, const struct bn_event *ev)
{
	const char *const *msgs = c->svc->log_msgs;
	char text[256];

	if (ev->code >= count_msgs(msgs))
		return;
	if (c->svc->transparent) {
		snprintf(text, sizeof(text), "[%s] %s", ev->arg == BN_DIR_EGRESS ? "EGRESS" : "INGRESS",
			 msgs[ev->code]);
	} else {
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
		snprintf(text, sizeof(text), msgs[ev->code], ev->arg);
#pragma GCC diagnostic pop
	}
	bn_cube_log(c, ev->level, "%s", text);
}

#define EVENTS_PER_ROUND 256	/* then let the API in: the ring may never run dry */

static int on_event(void *arg, void *data, size_t len)
{
	struct bn_ctx *ctx = arg;
	const struct bn_event *ev = data;
	/* enough for one round: stop the consumer after this record (libbpf
	 * has already moved past it, so it is handled first); the rest waits */
	int ret = ++ctx->ev_round >= EVENTS_PER_ROUND ? -EAGAIN : 0;
	struct bn_cube *c;

	if (len < offsetof(struct bn_event, pkt))
		return ret;
	c = cube_by_id(ctx, ev->cube);
	if (!c)
		return ret;
	if (ev->kind == BN_EV_LOG)
		log_event(c, ev);
	else if (ev->kind == BN_EV_SLOWPATH && c->svc->slowpath)
		c->svc->slowpath(c, ev);
	return ret;
}

/* ------------------------------------------------------- netdevs --- */

static int netlink_open(void)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK, .nl_groups = RTMGRP_LINK };
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, NETLINK_ROUTE);

	if (fd < 0)
		return -errno;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		close(fd);
		return -errno;
	}
	return fd;
}

static const char *link_name(struct nlmsghdr *nh)
{
	struct ifinfomsg *ifi = NLMSG_DATA(nh);
	int len = nh->nlmsg_len - NLMSG_LENGTH(sizeof(*ifi));

	for (struct rtattr *a = IFLA_RTA(ifi); RTA_OK(a, len); a = RTA_NEXT(a, len))
		if (a->rta_type == IFLA_IFNAME)
			return RTA_DATA(a);
	return NULL;
}

/* A netdev went away: ports peered with it forget it, its cubes detach
 * (as Polycube does); the change is persisted like any other. */
static void netdev_gone(struct bn_ctx *ctx, const char *name)
{
	struct bn_txn *t = bn_txn_begin(ctx);
	json_t *attach = json_array(), *e;
	struct bn_err err;
	bool changed = false;
	size_t i;

	if (!t)
		return;
	for (struct bn_cube *c = ctx->cubes; c; c = c->next) {
		json_t *cfg = json_deep_copy(c->cfg), *p;
		bool mine = false;

		json_array_foreach(json_object_get(cfg, "ports"), i, p) {
			if (!strcmp(json_string_value(json_object_get(p, "peer")) ?: "", name)) {
				json_object_set_new(p, "peer", json_string(""));
				mine = true;
			}
		}
		if (mine) {
			bn_cube_log(c, BN_LOG_INFO, "netdev %s removed: port unpeered", name);
			bn_txn_set(t, c, cfg);
			changed = true;
		} else {
			json_decref(cfg);
		}
	}
	json_array_foreach(ctx->attach, i, e) {
		if (strcmp(json_string_value(json_object_get(e, "point")), name))
			json_array_append(attach, e);
		else
			changed = true;
	}
	bn_txn_set_attach(t, attach);
	if (!changed) {
		bn_txn_abort(t);
		return;
	}
	if (bn_txn_commit(t, &err))
		pr_err("cannot forget netdev %s: %s", name, err.msg);
}

static void netlink_drain(struct bn_ctx *ctx)
{
	char buf[16384];
	bool relink = false;
	ssize_t n;

	while ((n = recv(ctx->nl_fd, buf, sizeof(buf), 0)) > 0) {
		for (struct nlmsghdr *nh = (void *)buf; NLMSG_OK(nh, (size_t)n); nh = NLMSG_NEXT(nh, n)) {
			const char *name = link_name(nh);

			if (nh->nlmsg_type == RTM_DELLINK && name)
				netdev_gone(ctx, name);
			else if (nh->nlmsg_type == RTM_NEWLINK)
				relink = true;
		}
	}
	if (relink) {
		struct bn_err err;

		/* a peered netdev may have (re)appeared: hook it */
		if (bn_topology_apply(ctx, &err))
			pr_debug("netdev change: %s", err.msg);
	}
}

int bn_events_open(struct bn_ctx *ctx)
{
	struct epoll_event ev = { .events = EPOLLIN };

	ctx->nl_fd = -1;
	ctx->rb = ring_buffer__new(ctx->events_fd, on_event, ctx, NULL);
	if (!ctx->rb)
		return -errno;
	ctx->ep_fd = epoll_create1(EPOLL_CLOEXEC);
	if (ctx->ep_fd < 0)
		return -errno;
	ev.data.fd = ring_buffer__epoll_fd(ctx->rb);
	if (epoll_ctl(ctx->ep_fd, EPOLL_CTL_ADD, ev.data.fd, &ev))
		return -errno;
	ctx->nl_fd = netlink_open();
	if (ctx->nl_fd < 0)
		return ctx->nl_fd;
	ev.data.fd = ctx->nl_fd;
	if (epoll_ctl(ctx->ep_fd, EPOLL_CTL_ADD, ev.data.fd, &ev))
		return -errno;
	return 0;
}

void bn_events_close(struct bn_ctx *ctx)
{
	ring_buffer__free(ctx->rb);
	ctx->rb = NULL;
	if (ctx->nl_fd >= 0)
		close(ctx->nl_fd);
	if (ctx->ep_fd >= 0)
		close(ctx->ep_fd);
	ctx->nl_fd = ctx->ep_fd = -1;
}

int bn_ctx_event_fd(struct bn_ctx *ctx)
{
	return ctx->ep_fd;
}

int bn_ctx_process(struct bn_ctx *ctx)
{
	int n;

	ctx->ev_round = 0;
	n = ctx->rb ? ring_buffer__consume(ctx->rb) : 0;
	if (n == -EAGAIN)
		n = 0;

	if (ctx->nl_fd >= 0)
		netlink_drain(ctx);
	return n < 0 ? n : 0;
}
