// SPDX-License-Identifier: Apache-2.0
/* Events from the data plane: log lines and slow-path packets. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
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

static int on_event(void *arg, void *data, size_t len)
{
	struct bn_ctx *ctx = arg;
	const struct bn_event *ev = data;
	struct bn_cube *c;

	if (len < offsetof(struct bn_event, pkt))
		return 0;
	c = cube_by_id(ctx, ev->cube);
	if (!c)
		return 0;
	if (ev->kind == BN_EV_LOG)
		log_event(c, ev);
	else if (ev->kind == BN_EV_SLOWPATH && c->svc->slowpath)
		c->svc->slowpath(c, ev);
	return 0;
}

int bn_events_open(struct bn_ctx *ctx)
{
	ctx->rb = ring_buffer__new(ctx->events_fd, on_event, ctx, NULL);
	if (!ctx->rb)
		return -errno;
	return 0;
}

void bn_events_close(struct bn_ctx *ctx)
{
	ring_buffer__free(ctx->rb);
	ctx->rb = NULL;
}

int bn_ctx_event_fd(struct bn_ctx *ctx)
{
	return ctx->rb ? ring_buffer__epoll_fd(ctx->rb) : -1;
}

int bn_ctx_process(struct bn_ctx *ctx)
{
	int n = ctx->rb ? ring_buffer__consume(ctx->rb) : 0;

	return n < 0 ? n : 0;
}
