/* SPDX-License-Identifier: Apache-2.0 */
/* libbpfnet internals shared between its modules. */
#ifndef BPFNET_INTERNAL_H
#define BPFNET_INTERNAL_H

#include <limits.h>
#include <jansson.h>

#include "bpfnet.h"
#include "cube.h"
#include "schema.h"

/* A service with its full schema: the common nodes + its own. */
struct bn_svc_entry {
	const struct bn_service *svc;
	struct bn_node *root;		/* NULL-terminated array (allocated) */
	struct bn_node *port_children;	/* members of ports[] (allocated) */
};

enum bn_tc_hook {
	BN_TC_HOOK_TCX = 0,
	BN_TC_HOOK_CLSACT,
};

/* A netdev the framework hooks, and how (topology.c plans, hook.c does). */
struct bn_hook {
	int ifindex;
	enum bn_cube_type type;
	bool egress;		/* TC egress hook needed (transparent cubes there) */
	struct bn_iface iface;
};

enum bn_entry {
	BN_ENTRY_XDP = 0,
	BN_ENTRY_TC_INGRESS,
	BN_ENTRY_TC_EGRESS,
	BN_ENTRY_XDP_INJECT,
	BN_ENTRY_TC_INJECT,
	BN_ENTRY_MAX,
};

struct bn_ctx {
	char pin_dir[PATH_MAX];
	char state_dir[PATH_MAX];
	char config_path[PATH_MAX];
	struct bn_svc_entry *svcs;
	unsigned nsvcs;
	struct bn_cube *cubes;		/* linked list, creation order */
	json_t *attach;			/* [{"point": p, "cubes": [names]}] */
	json_t *unrestored;		/* cube records that failed to restore: kept */
	/* core object */
	struct core_bpf *core;
	int xdp_progs_fd, tc_progs_fd, ifaces_fd, events_fd, xdp_md_fd;
	int entry_fd[BN_ENTRY_MAX];	/* enum bn_entry */
	int inject_fd;			/* core's bn_inject map */
	int inj_sock, inj_link, inj_ifindex;	/* TC injection veth */
	unsigned inj_next;
	unsigned ev_round;		/* events handled in this bn_ctx_process */
	struct ring_buffer *rb;
	int lock_fd;			/* flock on <state_dir>/lock */
	enum bn_tc_hook tc_hook;
	char core_build[17];		/* build id of the core object */
	int ep_fd, nl_fd;		/* events: epoll over the ring and link changes */
};


/* services.c */
extern const struct bn_service *const bn_services[];
int bn_services_init(struct bn_ctx *ctx);
void bn_services_free(struct bn_ctx *ctx);
const struct bn_svc_entry *bn_svc_find(struct bn_ctx *ctx, const char *name);
const struct bn_svc_entry *bn_svc_of(struct bn_ctx *ctx, const struct bn_cube *c);
extern const char *const bn_type_enum[];	/* "TC", "XDP_SKB", "XDP_DRV" */

/* util.c */
int bn_mkdir_p(const char *path, mode_t mode);
int bn_rm_rf(const char *path);
int bn_write_atomic(const char *path, const char *data, size_t len);
void bn_uuid(char out[40]);
int bn_bpffs_ensure(const char *dir);
void bn_build_id(const struct bpf_object_skeleton *s, char out[17]);

/* pin.c */
int bn_pin_maps(struct bpf_object *obj, const char *dir, struct bpf_map *const *skip);
int bn_adopt_maps(struct bpf_object *obj, const char *dir, struct bpf_map *const *skip);
/* fds[i]: a new fd of progs[i], pinned now (pin) or found pinned; -1 for a
 * NULL program or after an error (the fds obtained before it are kept). */
int bn_prog_fds(struct bpf_program *const *progs, int n, const char *dir, bool pin, int *fds);

/* netdev.c */
int bn_netdev_index(const char *name);		/* ifindex, or -ENODEV */
int bn_netdev_usable(const char *name);		/* 0 if exists, up, not loopback; else -errno */
json_t *bn_netdevs_json(const char *only);	/* GET netdevs */

/* cube.c */
struct bn_cube *bn_cube_find(struct bn_ctx *ctx, const char *name);
unsigned bn_cube_free_id(struct bn_ctx *ctx, const unsigned *taken, int ntaken); /* 0: none */
int bn_cube_load(struct bn_ctx *ctx, const struct bn_service *svc, const char *name,
		 json_t *cfg, json_t *meta, unsigned id, struct bn_cube **out, struct bn_err *err);
void bn_cube_prune_ports(struct bn_cube *c);
void bn_cube_unload(struct bn_cube *c);		/* user-space only */
void bn_cube_destroy(struct bn_cube *c);	/* kernel objects too */
int bn_cube_sync_ports(struct bn_cube *c, const json_t *cfg);
int bn_cube_set_loglevel(struct bn_cube *c, int level);
int bn_cube_type_parse(const char *s);
json_t *bn_cube_render(struct bn_cube *c);
json_t *bn_cube_summary(struct bn_cube *c);
json_t *bn_cube_meta(const struct bn_cube *c);

/* topology.c */
int bn_topology_check(struct bn_ctx *ctx, struct bn_err *err);
int bn_topology_apply(struct bn_ctx *ctx, struct bn_err *err);
const char *bn_cube_parent(struct bn_ctx *ctx, const char *cube);	/* attach point or NULL */
json_t *bn_attach_list(struct bn_ctx *ctx, const char *point);	/* borrowed, may be NULL */
bool bn_port_up(struct bn_ctx *ctx, struct bn_cube *c, const char *port);
json_t *bn_topology_netdev(struct bn_ctx *ctx, const char *ifname);

/* hook.c */
int bn_hooks_apply(struct bn_ctx *ctx, const struct bn_hook *hooks, int n);
void bn_hooks_detach_links(struct bn_ctx *ctx);

/* txn.c: every change goes through one transaction */
struct bn_txn;
struct bn_txn *bn_txn_begin(struct bn_ctx *ctx);
/* stage a new config for a cube (steals cfg); cfg == NULL deletes it */
int bn_txn_set(struct bn_txn *t, struct bn_cube *c, json_t *cfg);
/* stage a new cube */
int bn_txn_create(struct bn_txn *t, const struct bn_service *svc, const char *name, json_t *cfg,
		  struct bn_err *err);
/* stage a new attachment list (steals) */
void bn_txn_set_attach(struct bn_txn *t, json_t *attach);
/* the config a cube will have (staged or current), borrowed */
json_t *bn_txn_cfg(struct bn_txn *t, struct bn_cube *c);
int bn_txn_commit(struct bn_txn *t, struct bn_err *err);	/* frees t */
void bn_txn_abort(struct bn_txn *t);
/* attachments as they can be: deleted cubes out, lists on vanished ports gone */
json_t *bn_attach_prune(struct bn_ctx *ctx, const json_t *attach);

/* store.c */
int bn_store_save(struct bn_ctx *ctx, struct bn_err *err);
int bn_store_load(struct bn_ctx *ctx, json_t **doc);	/* *doc NULL: no config yet */
int bn_store_restore(struct bn_ctx *ctx, json_t *doc);
bool bn_store_unrestored(struct bn_ctx *ctx, const char *name);

/* inject.c */
int bn_inject_open(struct bn_ctx *ctx);
void bn_inject_close(struct bn_ctx *ctx);

/* events.c */
int bn_events_open(struct bn_ctx *ctx);
void bn_events_close(struct bn_ctx *ctx);

#endif
