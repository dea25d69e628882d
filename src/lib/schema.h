/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Schema engine: a cube type declares its configuration once, as a tree of
 * struct bn_node. Everything generic is driven from that tree: REST path
 * resolution, validation with precise errors, defaults, JSON rendering in
 * declaration order, CLI help and completion, persistence.
 *
 * A cube's configuration is a jansson object ("cfg") holding only config
 * nodes (never BN_RO ones). Read-only values ("state") are produced on
 * demand by the cube type in an object of the same shape and merged by
 * bn_schema_render().
 *
 * JSON shapes: container -> object; list -> array of objects, each holding
 * its key leaves; leaf-list -> array of scalars; leaf -> scalar.
 * Enum values are stored in their canonical spelling (as declared).
 */
#ifndef BPFNET_SCHEMA_H
#define BPFNET_SCHEMA_H

#include <stdbool.h>
#include <stdint.h>
#include <jansson.h>

enum bn_kind {
	BN_LEAF = 1,
	BN_LEAF_LIST,
	BN_CONTAINER,
	BN_LIST,
	BN_ACTION,
};

enum bn_type {
	BN_T_NONE = 0,	/* containers, lists, actions */
	BN_T_STRING,	/* JSON string; a JSON integer is accepted as its text */
	BN_T_BOOL,	/* JSON true/false; strings "true"/"false" accepted */
	BN_T_INT,	/* JSON integer within [min, max]; a string of digits accepted */
	BN_T_ENUM,	/* JSON string, one of .enums, matched case-insensitively */
	BN_T_MAC,	/* "xx:xx:xx:xx:xx:xx", stored lower case */
	BN_T_IPV4,	/* "a.b.c.d" */
	BN_T_IPV4_PREFIX, /* "a.b.c.d/n"; "a.b.c.d" alone accepted as /32 */
	BN_T_UUID,	/* read-only uuid text */
};

/* flags */
#define BN_RO	(1u << 0) /* read-only state: never in cfg, refused in input */
#define BN_INIT (1u << 1) /* settable only when its parent is created */
#define BN_MAND (1u << 2) /* must be present when its parent is created */
#define BN_KEY	(1u << 3) /* key leaf of the enclosing list */

struct bn_node;
struct bn_cube;

/* Error: an HTTP status (400, 404, 409, 500...) and one readable line. */
struct bn_err {
	int status;
	char msg[256];
};

/* Set *e (if not NULL) and return -EINVAL (400/404), -EEXIST (409 exists),
 * -ENOENT (409 missing) or -EIO (other), derived from status. */
int bn_err_set(struct bn_err *e, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * Action handler. keys: object {key-name: value} of every list element on
 * the path (e.g. {"name":"INGRESS"} for firewall chain/INGRESS/append);
 * in: the request body (object, may be empty); *out: reply object or NULL.
 * Returns 0 or a negative errno with *err set.
 */
typedef int (*bn_action_fn)(struct bn_cube *c, const json_t *keys,
			    const json_t *in, json_t **out, struct bn_err *err);

struct bn_node {
	const char *name;		/* NULL terminates an array of nodes */
	enum bn_kind kind;
	enum bn_type type;
	unsigned flags;
	const char *def;		/* default as text (parsed per type), or NULL */
	int64_t min, max;		/* BN_T_INT range (inclusive) */
	const char *const *enums;	/* BN_T_ENUM: NULL-terminated canonical values */
	const struct bn_node *children;	/* container/list members, action input */
	const char *const *keys;	/* BN_LIST: key leaf names in URL order, NULL-terminated */
	unsigned max_elems;		/* BN_LIST / BN_LEAF_LIST: 0 = unlimited */
	bn_action_fn action;		/* BN_ACTION */
	const char *desc;		/* help text */
};

/* Declaration helpers: the common integer ranges. */
#define BN_U8	.type = BN_T_INT, .min = 0, .max = UINT8_MAX
#define BN_U16	.type = BN_T_INT, .min = 0, .max = UINT16_MAX
#define BN_U32	.type = BN_T_INT, .min = 0, .max = UINT32_MAX
#define BN_U64	.type = BN_T_INT, .min = 0, .max = INT64_MAX
#define BN_I32	.type = BN_T_INT, .min = INT32_MIN, .max = INT32_MAX

/* Find a child by name in a NULL-terminated node array, or NULL. */
const struct bn_node *bn_schema_child(const struct bn_node *nodes, const char *name);

/*
 * Resolve URL path segments below a cube against its root node array.
 * Containers consume one segment (their name), leaves one, lists their name
 * and then one segment per key (in .keys order; a list segment alone
 * addresses the whole list), actions their name (must be last).
 * Key segments are converted and validated per key type.
 */
struct bn_target {
	const struct bn_node *node;	/* NULL: the cube itself */
	bool whole_list;		/* node is a BN_LIST addressed without keys */
	json_t *keys;			/* new ref: {key: typed value} of all list elements on the path */
	/* internal: the typed path used by the operations below */
	json_t *steps;			/* new ref: array of {"n": name} / {"n": name, "k": {keys}} */
};
int bn_schema_resolve(const struct bn_node *root, const char *const *segs, int nseg,
		      struct bn_target *t, struct bn_err *err);
void bn_target_clear(struct bn_target *t);

enum bn_op {
	BN_OP_GET = 1,
	BN_OP_CREATE,	/* POST */
	BN_OP_REPLACE,	/* PUT */
	BN_OP_UPDATE,	/* PATCH */
	BN_OP_DELETE,
};

/*
 * Validate a body for a container or list element (children = its members)
 * and normalise it in place (enum spelling, bool/int coercion, MAC case).
 * BN_OP_CREATE/REPLACE: unknown or RO key -> 400; missing BN_MAND -> 400;
 *   absent leaves with a default are filled in; nested containers/lists
 *   checked recursively (nested containers are created with their defaults).
 * BN_OP_UPDATE: unknown, RO or BN_INIT key -> 400; nothing filled in.
 * Error messages name the offending key, e.g.
 *   "unknown attribute 'foo'", "'action': 'JUMP' is not one of DROP, SLOWPATH, FORWARD",
 *   "'aging-time': 9999999999 is out of range 0..4294967295",
 *   "missing mandatory attribute 'action'", "'type' can only be set at creation".
 */
int bn_schema_check(const struct bn_node *children, json_t *body, enum bn_op op,
		    struct bn_err *err);

/* Validate and normalise one scalar for a leaf; returns a new reference. */
json_t *bn_schema_value(const struct bn_node *leaf, const json_t *in, struct bn_err *err);

/*
 * Apply a mutating REST operation on target t to cfg (modified in place;
 * the caller works on a copy and keeps the original for rollback).
 *  leaf: UPDATE/REPLACE sets it (body = scalar); BN_INIT/BN_RO/BN_KEY leaves -> 400.
 *        CREATE on a leaf-list element-less path appends body scalar(s).
 *  container: UPDATE merges the body (leaves replaced, containers merged,
 *        lists merged element by element by key); REPLACE/CREATE replace it.
 *  whole list: body must be an array (else 400); CREATE/REPLACE/UPDATE
 *        create-or-update each element by its keys; DELETE removes all.
 *  list element: CREATE -> 409 "<list> <keys> already exists" if present;
 *        REPLACE creates or replaces; UPDATE -> 404 if absent, else merges;
 *        DELETE -> 409 (data missing) if absent. Key values come from the
 *        URL and are written into the element; a body key that disagrees -> 400.
 *        max_elems exceeded -> 400 "maximum number of <list> reached".
 *  cube root (t->node == NULL): UPDATE merges like a container.
 * Empty lists are removed from cfg (an absent list == no elements).
 */
int bn_schema_apply(const struct bn_node *root, json_t *cfg, const struct bn_target *t,
		    enum bn_op op, json_t *body, struct bn_err *err);

/* The subtree of doc addressed by t (borrowed), or NULL (404 set in err). */
json_t *bn_schema_get(json_t *doc, const struct bn_target *t, struct bn_err *err);

/*
 * Merge cfg and state into a new object ordered as the schema declares
 * (children in declaration order; list elements in cfg order, their state
 * matched by keys; state-only list elements appended). Arrays with no
 * elements are omitted. Keys present in neither are omitted.
 */
json_t *bn_schema_render(const struct bn_node *root, const json_t *cfg, const json_t *state);

/*
 * Help for OPTIONS requests (POLYCUBE.md 1.6): for the node addressed by t
 * and a command ("ADD", "SET", "SHOW", "DEL", "NONE") build
 * {"commands":[...], "params":{name:{"name","type","simpletype","description","example"}},
 *  "elements":[{key: value}...]} where elements lists existing list entries of doc.
 * With completion=true, return a JSON array of words that may follow instead.
 */
json_t *bn_schema_help(const struct bn_node *root, const struct bn_target *t, const json_t *doc,
		       const char *cmd, bool completion);

#endif
