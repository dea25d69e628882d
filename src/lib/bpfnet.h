/* SPDX-License-Identifier: Apache-2.0 */
/* libbpfnet: the public API the daemon (and tests) drive. */
#ifndef BPFNET_H
#define BPFNET_H

#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>

#define BPFNET_VERSION "0.1.0"

#define BN_DEFAULT_PIN_DIR   "/sys/fs/bpf/bpfnet"
#define BN_DEFAULT_STATE_DIR "/var/lib/bpfnet"
#define BN_DEFAULT_SOCKET    "/run/bpfnet/bpfnetd.sock"
#define BN_MAX_BODY	     (1024 * 1024)

struct bn_ctx;

struct bn_opts {
	const char *pin_dir;	/* bpffs directory for pins (default BN_DEFAULT_PIN_DIR) */
	const char *state_dir;	/* holds config.json (default BN_DEFAULT_STATE_DIR) */
	const char *tc_hook;	/* TC mode hooks: "tcx" (default; clsact where the
				 * kernel has no TCX) or "clsact" */
};

/* Mount bpffs if needed, load or adopt the core objects, restore config.json. */
int bn_ctx_open(const struct bn_opts *o, struct bn_ctx **out);
void bn_ctx_close(struct bn_ctx **c);

/* fd to poll for data-path events (slow path, logs); then call bn_ctx_process. */
int bn_ctx_event_fd(struct bn_ctx *c);
int bn_ctx_process(struct bn_ctx *c);

/* One REST request, already read in full. */
struct bn_request {
	const char *method;	/* "GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS" */
	const char *path;	/* raw (still percent-encoded) path below /polycube/v1/, e.g. "r1/route/10.0.0.0%2F24/" */
	const char *help;	/* value of ?help=, or NULL */
	bool completion;	/* ?completion present */
	const char *body;	/* may be NULL */
	size_t body_len;
};

struct bn_reply {
	int status;		/* HTTP status */
	json_t *body;		/* new ref or NULL (no body); errors: {"error": "..."} */
};

/* Never fails: every outcome is a status and a body. Not thread-safe:
 * the caller serialises calls and bn_ctx_process. */
void bn_api_handle(struct bn_ctx *c, const struct bn_request *req, struct bn_reply *rep);

#endif
