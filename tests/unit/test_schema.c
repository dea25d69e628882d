// SPDX-License-Identifier: Apache-2.0
/* Unit tests of the schema engine (src/lib/schema.c) on a realistic cube. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "schema.h"

/* ------------------------------------------------------------------ */
/* the test schema: a bridge-like standard cube                        */

static const char *const cube_types[] = { "TC", "XDP_SKB", "XDP_DRV", NULL };
static const char *const log_levels[] = { "TRACE", "DEBUG", "INFO", "WARN", "ERR", "CRITICAL",
					  "OFF", NULL };
static const char *const up_down[] = { "UP", "DOWN", NULL };
static const char *const port_keys[] = { "name", NULL };
static const char *const entry_keys[] = { "address", NULL };
static const char *const route_keys[] = { "network", "nexthop", NULL };
static const char *const stp_keys[] = { "vlan", NULL };
static const char *const ip_keys[] = { "ip", NULL };

static const struct bn_node secip_nodes[] = {
	{ .name = "ip", .kind = BN_LEAF, .type = BN_T_IPV4_PREFIX, .flags = BN_KEY },
	{ NULL },
};

static const struct bn_node port_nodes[] = {
	{ .name = "name", .kind = BN_LEAF, .type = BN_T_STRING, .flags = BN_KEY,
	  .desc = "Port name" },
	{ .name = "uuid", .kind = BN_LEAF, .type = BN_T_UUID, .flags = BN_RO },
	{ .name = "status", .kind = BN_LEAF, .type = BN_T_ENUM, .flags = BN_RO, .enums = up_down },
	{ .name = "peer", .kind = BN_LEAF, .type = BN_T_STRING, .def = "" },
	{ .name = "mac", .kind = BN_LEAF, .type = BN_T_MAC, .flags = BN_INIT },
	{ .name = "tcubes", .kind = BN_LEAF_LIST, .type = BN_T_STRING, .flags = BN_INIT },
	{ .name = "secondaryip", .kind = BN_LIST, .keys = ip_keys, .children = secip_nodes },
	{ NULL },
};

static const struct bn_node entry_nodes[] = {
	{ .name = "address", .kind = BN_LEAF, .type = BN_T_MAC, .flags = BN_KEY },
	{ .name = "port", .kind = BN_LEAF, .type = BN_T_STRING, .flags = BN_MAND },
	{ .name = "age", .kind = BN_LEAF, BN_U32, .flags = BN_RO },
	{ NULL },
};

static int flush_fn(struct bn_cube *c, const json_t *keys, const json_t *in, json_t **out,
		    struct bn_err *err)
{
	*out = json_pack("{s:b, s:O}", "flushed", 1, "in", in);
	return 0;
}

static const struct bn_node flush_input[] = {
	{ .name = "port", .kind = BN_LEAF, .type = BN_T_STRING, .desc = "only this port" },
	{ NULL },
};

static const struct bn_node fdb_nodes[] = {
	{ .name = "aging-time", .kind = BN_LEAF, BN_U32, .def = "300" },
	{ .name = "entry", .kind = BN_LIST, .keys = entry_keys, .children = entry_nodes },
	{ .name = "flush", .kind = BN_ACTION, .action = flush_fn, .children = flush_input },
	{ NULL },
};

static const struct bn_node route_nodes[] = {
	{ .name = "network", .kind = BN_LEAF, .type = BN_T_IPV4_PREFIX, .flags = BN_KEY },
	{ .name = "nexthop", .kind = BN_LEAF, .type = BN_T_IPV4, .flags = BN_KEY },
	{ .name = "interface", .kind = BN_LEAF, .type = BN_T_STRING, .flags = BN_INIT },
	{ .name = "pathcost", .kind = BN_LEAF, BN_U32, .def = "1" },
	{ NULL },
};

static const struct bn_node stp_nodes[] = {
	{ .name = "vlan", .kind = BN_LEAF, BN_U16, .flags = BN_KEY },
	{ .name = "priority", .kind = BN_LEAF, BN_U16, .def = "32768" },
	{ NULL },
};

static const struct bn_node stats_nodes[] = {
	{ .name = "pkts", .kind = BN_LEAF, BN_U64 }, /* read-only through "stats" */
	{ NULL },
};

static const struct bn_node cube_nodes[] = {
	{ .name = "name", .kind = BN_LEAF, .type = BN_T_STRING, .flags = BN_KEY },
	{ .name = "uuid", .kind = BN_LEAF, .type = BN_T_UUID, .flags = BN_RO },
	{ .name = "type", .kind = BN_LEAF, .type = BN_T_ENUM, .flags = BN_INIT, .def = "TC",
	  .enums = cube_types },
	{ .name = "loglevel", .kind = BN_LEAF, .type = BN_T_ENUM, .def = "INFO",
	  .enums = log_levels, .desc = "Logging level" },
	{ .name = "ports", .kind = BN_LIST, .keys = port_keys, .children = port_nodes,
	  .max_elems = 2 },
	{ .name = "shadow", .kind = BN_LEAF, .type = BN_T_BOOL, .flags = BN_INIT, .def = "false" },
	{ .name = "span", .kind = BN_LEAF, .type = BN_T_BOOL, .def = "false" },
	{ .name = "mtu", .kind = BN_LEAF, .type = BN_T_INT, .min = 68, .max = 9000, .def = "1500" },
	{ .name = "description", .kind = BN_LEAF, .type = BN_T_STRING },
	{ .name = "dns", .kind = BN_LEAF_LIST, .type = BN_T_IPV4, .max_elems = 3 },
	{ .name = "fdb", .kind = BN_CONTAINER, .children = fdb_nodes },
	{ .name = "route", .kind = BN_LIST, .keys = route_keys, .children = route_nodes },
	{ .name = "stp", .kind = BN_LIST, .keys = stp_keys, .children = stp_nodes },
	{ .name = "stats", .kind = BN_CONTAINER, .flags = BN_RO, .children = stats_nodes },
	{ NULL },
};

/* The configuration of a cube created with {"name":"c1"}. */
#define DEF_HEAD "{\"name\":\"c1\",\"type\":\"TC\",\"loglevel\":\"INFO\""
#define DEF_TAIL "\"shadow\":false,\"span\":false,\"mtu\":1500,\"fdb\":{\"aging-time\":300}"
#define DEF_CFG	 DEF_HEAD "," DEF_TAIL "}"

/* ------------------------------------------------------------------ */
/* helpers                                                             */

static json_t *J(const char *text)
{
	json_error_t jerr;
	json_t *v = json_loads(text, JSON_DECODE_ANY, &jerr);

	if (!v)
		fail_msg("bad JSON in test: %s: %s", text, jerr.text);
	return v;
}

static void assert_json(const json_t *v, const char *expect)
{
	char *s;

	assert_non_null(v);
	s = json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
	assert_non_null(s);
	assert_string_equal(s, expect);
	free(s);
}

/* Resolve a path given as space-separated (already decoded) segments. */
static int resolve(const char *path, struct bn_target *t, struct bn_err *err)
{
	char *copy = strdup(path), *save = NULL, *tok;
	const char *segs[16];
	int n = 0, ret;

	for (tok = strtok_r(copy, " ", &save); tok && n < 16; tok = strtok_r(NULL, " ", &save))
		segs[n++] = tok;
	ret = bn_schema_resolve(cube_nodes, segs, n, t, err);
	free(copy);
	return ret;
}

/* Resolve path and apply op with body (JSON text or NULL) to cfg. */
static int apply(json_t *cfg, const char *path, enum bn_op op, const char *body,
		 struct bn_err *err)
{
	struct bn_target t;
	json_t *b = body ? J(body) : NULL;
	int ret;

	memset(err, 0, sizeof(*err));
	ret = resolve(path, &t, err);
	if (!ret)
		ret = bn_schema_apply(cube_nodes, cfg, &t, op, b, err);
	bn_target_clear(&t);
	json_decref(b);
	return ret;
}

static void apply_ok(json_t *cfg, const char *path, enum bn_op op, const char *body)
{
	struct bn_err err;
	int ret = apply(cfg, path, op, body, &err);

	if (ret)
		fail_msg("%s: %d %s", path, err.status, err.msg);
}

/* Expect apply to fail with status, message and errno. */
static void apply_fails(json_t *cfg, const char *path, enum bn_op op, const char *body,
			int status, const char *msg, int ret)
{
	struct bn_err err;

	assert_int_equal(apply(cfg, path, op, body, &err), ret);
	assert_int_equal(err.status, status);
	assert_string_equal(err.msg, msg);
}

static json_t *new_cube(void)
{
	struct bn_err err;
	json_t *cfg = J("{\"name\":\"c1\"}");

	assert_int_equal(bn_schema_check(cube_nodes, cfg, BN_OP_CREATE, &err), 0);
	return cfg;
}

/* Check body (JSON text) for children; expect 400 and msg (or success: msg NULL). */
static void check_fails(const struct bn_node *children, const char *body, enum bn_op op,
			const char *msg)
{
	struct bn_err err = { 0 };
	json_t *b = J(body);

	assert_int_equal(bn_schema_check(children, b, op, &err), -EINVAL);
	assert_int_equal(err.status, 400);
	assert_string_equal(err.msg, msg);
	json_decref(b);
}

static void check_gives(const struct bn_node *children, const char *body, enum bn_op op,
			const char *expect)
{
	struct bn_err err = { 0 };
	json_t *b = J(body);

	if (bn_schema_check(children, b, op, &err))
		fail_msg("%s: %d %s", body, err.status, err.msg);
	assert_json(b, expect);
	json_decref(b);
}

static const struct bn_node *node(const char *name)
{
	const struct bn_node *n = bn_schema_child(cube_nodes, name);

	assert_non_null(n);
	return n;
}

/* Convert (JSON text in) for leaf; expect the JSON text out. */
static void value_gives(const struct bn_node *leaf, const char *in, const char *out)
{
	struct bn_err err = { 0 };
	json_t *i = J(in), *v = bn_schema_value(leaf, i, &err);

	if (!v)
		fail_msg("%s: %s", in, err.msg);
	assert_json(v, out);
	json_decref(v);
	json_decref(i);
}

static void value_fails(const struct bn_node *leaf, const char *in, const char *msg)
{
	struct bn_err err = { 0 };
	json_t *i = J(in), *v = bn_schema_value(leaf, i, &err);

	assert_null(v);
	assert_int_equal(err.status, 400);
	if (msg)
		assert_string_equal(err.msg, msg);
	json_decref(i);
}

/* "k1,k2,...": the member names of an object, in order. */
static void assert_keys(const json_t *obj, const char *expect)
{
	char buf[512] = "";
	const char *k;
	json_t *v;

	assert_true(json_is_object(obj));
	json_object_foreach((json_t *)obj, k, v) {
		if (buf[0])
			strcat(buf, ",");
		strcat(buf, k);
	}
	assert_string_equal(buf, expect);
}

static json_t *help(const char *path, const json_t *doc, const char *cmd, bool completion)
{
	struct bn_target t;
	struct bn_err err;
	json_t *h;

	if (resolve(path, &t, &err))
		fail_msg("%s: %s", path, err.msg);
	h = bn_schema_help(cube_nodes, &t, doc, cmd, completion);
	bn_target_clear(&t);
	return h;
}

static void help_gives(const char *path, const json_t *doc, const char *cmd, bool completion,
		       const char *expect)
{
	json_t *h = help(path, doc, cmd, completion);

	assert_json(h, expect);
	json_decref(h);
}

/* ------------------------------------------------------------------ */
/* errors, lookups, scalar values                                      */

static void test_err_set(void **state)
{
	struct bn_err e;
	char longmsg[400];

	assert_int_equal(bn_err_set(&e, 400, "bad %d", 1), -EINVAL);
	assert_int_equal(e.status, 400);
	assert_string_equal(e.msg, "bad 1");
	assert_int_equal(bn_err_set(&e, 404, "no such element 'x'"), -EINVAL);
	assert_int_equal(bn_err_set(&e, 409, "ports p1 already exists"), -EEXIST);
	assert_int_equal(bn_err_set(&e, 409, "ports p1 does not exist"), -ENOENT);
	assert_int_equal(bn_err_set(&e, 500, "boom"), -EIO);
	assert_int_equal(e.status, 500);
	assert_int_equal(bn_err_set(NULL, 503, "nobody listens"), -EIO);
	memset(longmsg, 'x', sizeof(longmsg) - 1);
	longmsg[sizeof(longmsg) - 1] = '\0';
	bn_err_set(&e, 400, "%s", longmsg);
	assert_int_equal(strlen(e.msg), sizeof(e.msg) - 1);
}

static void test_child(void **state)
{
	assert_ptr_equal(bn_schema_child(cube_nodes, "fdb"), &cube_nodes[10]);
	assert_ptr_equal(bn_schema_child(fdb_nodes, "flush"), &fdb_nodes[2]);
	assert_null(bn_schema_child(cube_nodes, "nope"));
	assert_null(bn_schema_child(cube_nodes, NULL));
	assert_null(bn_schema_child(NULL, "fdb"));
}

static void test_value_int(void **state)
{
	const struct bn_node *mtu = node("mtu"), *aging = &fdb_nodes[0];

	value_gives(mtu, "1500", "1500");
	value_gives(mtu, "\"1400\"", "1400");
	value_gives(mtu, "\"+1400\"", "1400");
	value_gives(mtu, "1e3", "1000");
	value_gives(mtu, "9000", "9000");
	value_gives(mtu, "68", "68");
	value_fails(mtu, "10.5", "'mtu': 10.5 is not an integer");
	value_fails(mtu, "true", "'mtu': true is not an integer");
	value_fails(mtu, "\"abc\"", "'mtu': 'abc' is not an integer");
	value_fails(mtu, "\"12 \"", "'mtu': '12 ' is not an integer");
	value_fails(mtu, "\"\"", "'mtu': '' is not an integer");
	value_fails(mtu, "67", "'mtu': 67 is out of range 68..9000");
	value_fails(mtu, "9001", "'mtu': 9001 is out of range 68..9000");
	value_fails(mtu, "\"99999999999999999999\"",
		    "'mtu': 99999999999999999999 is out of range 68..9000");
	value_fails(aging, "9999999999", "'aging-time': 9999999999 is out of range 0..4294967295");
	value_fails(aging, "\"-5\"", "'aging-time': -5 is out of range 0..4294967295");
	value_gives(aging, "4294967295", "4294967295");
}

static void test_value_string_bool(void **state)
{
	const struct bn_node *peer = &port_nodes[3], *shadow = node("shadow");

	value_gives(peer, "\"veth1\"", "\"veth1\"");
	value_gives(peer, "\"\"", "\"\"");
	value_gives(peer, "123", "\"123\"");
	value_gives(peer, "-7", "\"-7\"");
	value_fails(peer, "true", "'peer': true is not a string");
	value_fails(peer, "{}", "'peer': {} is not a string");
	value_gives(shadow, "true", "true");
	value_gives(shadow, "false", "false");
	value_gives(shadow, "\"TRUE\"", "true");
	value_gives(shadow, "\"False\"", "false");
	value_fails(shadow, "\"yes\"", "'shadow': 'yes' is not a boolean");
	value_fails(shadow, "1", "'shadow': 1 is not a boolean");
}

static void test_value_enum(void **state)
{
	const struct bn_node *type = node("type");

	value_gives(type, "\"xdp_skb\"", "\"XDP_SKB\"");
	value_gives(type, "\"Tc\"", "\"TC\"");
	value_gives(type, "\"XDP_DRV\"", "\"XDP_DRV\"");
	value_fails(type, "\"JUMP\"", "'type': 'JUMP' is not one of TC, XDP_SKB, XDP_DRV");
	value_fails(type, "5", "'type': 5 is not one of TC, XDP_SKB, XDP_DRV");
	value_fails(type, "\"TC \"", NULL);
}

static void test_value_mac(void **state)
{
	const struct bn_node *addr = &entry_nodes[0];

	value_gives(addr, "\"AA:BB:CC:00:11:2f\"", "\"aa:bb:cc:00:11:2f\"");
	value_gives(addr, "\"00:00:00:00:00:00\"", "\"00:00:00:00:00:00\"");
	value_fails(addr, "\"aa-bb-cc-00-11-22\"",
		    "'address': 'aa-bb-cc-00-11-22' is not a MAC address (xx:xx:xx:xx:xx:xx)");
	value_fails(addr, "\"aa:bb:cc:00:11\"", NULL);
	value_fails(addr, "\"aa:bb:cc:00:11:2\"", NULL);
	value_fails(addr, "\"gg:bb:cc:00:11:22\"", NULL);
	value_fails(addr, "\"aa:bb:cc:00:11:223\"", NULL);
	value_fails(addr, "5", NULL);
}

static void test_value_ipv4(void **state)
{
	const struct bn_node *nh = &route_nodes[1];

	value_gives(nh, "\"10.1.0.2\"", "\"10.1.0.2\"");
	value_gives(nh, "\"0.0.0.0\"", "\"0.0.0.0\"");
	value_gives(nh, "\"255.255.255.255\"", "\"255.255.255.255\"");
	value_fails(nh, "\"1.2.3\"", "'nexthop': '1.2.3' is not an IPv4 address");
	value_fails(nh, "\"256.1.1.1\"", NULL);
	value_fails(nh, "\"1.2.3.4.5\"", NULL);
	value_fails(nh, "\"01.2.3.4\"", NULL);
	value_fails(nh, "\"1..2.3\"", NULL);
	value_fails(nh, "\"1.2.3.4 \"", NULL);
	value_fails(nh, "\"1.2.3.4/32\"", NULL);
	value_fails(nh, "\"a.b.c.d\"", NULL);
	value_fails(nh, "\"\"", NULL);
	value_fails(nh, "167772161", NULL);
}

static void test_value_prefix_uuid(void **state)
{
	const struct bn_node *net = &route_nodes[0], *uuid = node("uuid");
	struct bn_err err = { 0 };
	json_t *in = J("1");

	value_gives(net, "\"10.0.0.0/24\"", "\"10.0.0.0/24\"");
	value_gives(net, "\"10.0.0.1\"", "\"10.0.0.1/32\"");
	value_gives(net, "\"0.0.0.0/0\"", "\"0.0.0.0/0\"");
	value_gives(net, "\"192.168.1.1/32\"", "\"192.168.1.1/32\"");
	value_fails(net, "\"10.0.0.0/33\"", "'network': '10.0.0.0/33' is not an IPv4 prefix (a.b.c.d/n)");
	value_fails(net, "\"10.0.0.0/\"", NULL);
	value_fails(net, "\"10.0.0.0/024\"", NULL);
	value_fails(net, "\"10.0.0/8\"", NULL);
	value_fails(net, "\"/24\"", NULL);
	value_fails(net, "\"10.0.0.0/8/8\"", NULL);
	value_gives(uuid, "\"1A7C0000-0000-4000-8000-0000000000AB\"",
		    "\"1a7c0000-0000-4000-8000-0000000000ab\"");
	value_fails(uuid, "\"1a7c0000\"", "'uuid': '1a7c0000' is not a UUID");
	/* not a leaf, no value */
	assert_null(bn_schema_value(node("fdb"), in, &err));
	assert_int_equal(err.status, 400);
	assert_string_equal(err.msg, "'fdb' does not hold a value");
	assert_null(bn_schema_value(node("mtu"), NULL, &err));
	assert_string_equal(err.msg, "'mtu': missing value");
	json_decref(in);
}

/* ------------------------------------------------------------------ */
/* resolve                                                             */

static void test_resolve_basic(void **state)
{
	struct bn_target t;
	struct bn_err err;

	assert_int_equal(resolve("", &t, &err), 0);
	assert_null(t.node);
	assert_false(t.whole_list);
	assert_json(t.keys, "{}");
	assert_json(t.steps, "[]");
	bn_target_clear(&t);

	assert_int_equal(resolve("loglevel", &t, &err), 0);
	assert_ptr_equal(t.node, node("loglevel"));
	assert_json(t.steps, "[{\"n\":\"loglevel\"}]");
	bn_target_clear(&t);

	assert_int_equal(resolve("fdb aging-time", &t, &err), 0);
	assert_ptr_equal(t.node, &fdb_nodes[0]);
	assert_json(t.steps, "[{\"n\":\"fdb\"},{\"n\":\"aging-time\"}]");
	bn_target_clear(&t);

	assert_int_equal(resolve("fdb", &t, &err), 0);
	assert_ptr_equal(t.node, node("fdb"));
	bn_target_clear(&t);

	assert_int_equal(resolve("ports", &t, &err), 0);
	assert_ptr_equal(t.node, node("ports"));
	assert_true(t.whole_list);
	assert_json(t.keys, "{}");
	bn_target_clear(&t);

	assert_int_equal(resolve("ports p1", &t, &err), 0);
	assert_ptr_equal(t.node, node("ports"));
	assert_false(t.whole_list);
	assert_json(t.keys, "{\"name\":\"p1\"}");
	bn_target_clear(&t);

	assert_int_equal(resolve("ports p1 peer", &t, &err), 0);
	assert_ptr_equal(t.node, &port_nodes[3]);
	assert_json(t.keys, "{\"name\":\"p1\"}");
	assert_json(t.steps, "[{\"n\":\"ports\",\"k\":{\"name\":\"p1\"}},{\"n\":\"peer\"}]");
	bn_target_clear(&t);
	assert_null(t.keys);
	assert_null(t.steps);
}

static void test_resolve_typed_keys(void **state)
{
	struct bn_target t;
	struct bn_err err;

	assert_int_equal(resolve("fdb entry AA:BB:CC:DD:EE:FF", &t, &err), 0);
	assert_ptr_equal(t.node, &fdb_nodes[1]);
	assert_json(t.keys, "{\"address\":\"aa:bb:cc:dd:ee:ff\"}");
	assert_json(t.steps, "[{\"n\":\"fdb\"},"
			     "{\"n\":\"entry\",\"k\":{\"address\":\"aa:bb:cc:dd:ee:ff\"}}]");
	bn_target_clear(&t);

	assert_int_equal(resolve("stp 10 priority", &t, &err), 0);
	assert_json(t.keys, "{\"vlan\":10}");
	bn_target_clear(&t);

	assert_int_equal(resolve("route 10.0.0.0/24 10.1.0.2", &t, &err), 0);
	assert_ptr_equal(t.node, node("route"));
	assert_false(t.whole_list);
	assert_json(t.keys, "{\"network\":\"10.0.0.0/24\",\"nexthop\":\"10.1.0.2\"}");
	assert_json(t.steps,
		    "[{\"n\":\"route\",\"k\":{\"network\":\"10.0.0.0/24\",\"nexthop\":\"10.1.0.2\"}}]");
	bn_target_clear(&t);

	assert_int_equal(resolve("route 10.0.0.1 10.1.0.2 pathcost", &t, &err), 0);
	assert_ptr_equal(t.node, &route_nodes[3]);
	assert_json(t.keys, "{\"network\":\"10.0.0.1/32\",\"nexthop\":\"10.1.0.2\"}");
	bn_target_clear(&t);
}

static void resolve_fails(const char *path, int status, const char *msg)
{
	struct bn_target t;
	struct bn_err err = { 0 };

	assert_int_equal(resolve(path, &t, &err), -EINVAL);
	assert_int_equal(err.status, status);
	assert_string_equal(err.msg, msg);
	assert_null(t.node);
	assert_null(t.keys);
	assert_null(t.steps);
}

static void test_resolve_errors(void **state)
{
	resolve_fails("foo", 404, "unknown path segment 'foo'");
	resolve_fails("loglevel x", 404, "unknown path segment 'x'");
	resolve_fails("ports p1 bogus", 404, "unknown path segment 'bogus'");
	resolve_fails("fdb entry aa:bb:cc:dd:ee:ff port x", 404, "unknown path segment 'x'");
	resolve_fails("route 10.0.0.0/24", 404, "missing key 'nexthop' for 'route'");
	resolve_fails("stp abc", 400, "'vlan': 'abc' is not an integer");
	resolve_fails("stp 70000", 400, "'vlan': 70000 is out of range 0..65535");
	resolve_fails("fdb entry zz", 400,
		      "'address': 'zz' is not a MAC address (xx:xx:xx:xx:xx:xx)");
	resolve_fails("fdb flush x", 404, "'x' follows action 'flush'");
	resolve_fails("fdb name", 404, "unknown path segment 'name'");
}

static void test_resolve_action(void **state)
{
	struct bn_target t;
	struct bn_err err;
	json_t *in = J("{\"port\":\"p1\"}"), *out = NULL;

	assert_int_equal(resolve("fdb flush", &t, &err), 0);
	assert_int_equal(t.node->kind, BN_ACTION);
	assert_non_null(t.node->action);
	assert_int_equal(t.node->action(NULL, t.keys, in, &out, &err), 0);
	assert_json(out, "{\"flushed\":true,\"in\":{\"port\":\"p1\"}}");
	json_decref(out);
	json_decref(in);
	bn_target_clear(&t);
}

/* ------------------------------------------------------------------ */
/* check                                                               */

static void test_check_create_defaults(void **state)
{
	check_gives(cube_nodes, "{\"name\":\"c1\"}", BN_OP_CREATE, DEF_CFG);
	check_gives(cube_nodes, "{\"loglevel\":\"debug\",\"name\":\"c1\",\"type\":\"xdp_drv\"}",
		    BN_OP_CREATE,
		    "{\"name\":\"c1\",\"type\":\"XDP_DRV\",\"loglevel\":\"DEBUG\"," DEF_TAIL "}");
	check_gives(cube_nodes,
		    "{\"name\":\"c1\",\"ports\":[{\"peer\":\"veth1\",\"name\":\"p1\"},{\"name\":\"p2\"}]}",
		    BN_OP_CREATE,
		    DEF_HEAD ",\"ports\":[{\"name\":\"p1\",\"peer\":\"veth1\"},{\"name\":\"p2\",\"peer\":\"\"}],"
		    DEF_TAIL "}");
	check_gives(cube_nodes,
		    "{\"name\":\"c1\",\"fdb\":{\"entry\":[{\"port\":\"p1\",\"address\":\"AA:BB:CC:DD:EE:01\"}]}}",
		    BN_OP_CREATE,
		    DEF_HEAD ",\"shadow\":false,\"span\":false,\"mtu\":1500,\"fdb\":{\"aging-time\":300,"
		    "\"entry\":[{\"address\":\"aa:bb:cc:dd:ee:01\",\"port\":\"p1\"}]}}");
	/* REPLACE is a create as well */
	check_gives(fdb_nodes, "{}", BN_OP_REPLACE, "{\"aging-time\":300}");
	check_gives(route_nodes, "{\"nexthop\":\"10.1.0.2\",\"network\":\"10.0.0.1\"}", BN_OP_CREATE,
		    "{\"network\":\"10.0.0.1/32\",\"nexthop\":\"10.1.0.2\",\"pathcost\":1}");
}

static void test_check_mandatory(void **state)
{
	check_fails(entry_nodes, "{\"address\":\"aa:bb:cc:dd:ee:01\"}", BN_OP_CREATE,
		    "missing mandatory attribute 'port'");
	check_fails(cube_nodes, "{\"fdb\":{\"entry\":[{\"address\":\"aa:bb:cc:dd:ee:01\"}]}}",
		    BN_OP_CREATE, "missing mandatory attribute 'port'");
	check_fails(cube_nodes, "{\"fdb\":{\"entry\":[{\"port\":\"p1\"}]}}", BN_OP_CREATE,
		    "'entry': missing key attribute 'address'");
	check_fails(cube_nodes, "{\"route\":[{\"network\":\"10.0.0.0/8\"}]}", BN_OP_CREATE,
		    "'route': missing key attribute 'nexthop'");
	/* an update does not need mandatory attributes */
	check_gives(entry_nodes, "{}", BN_OP_UPDATE, "{}");
}

static void test_check_refused(void **state)
{
	check_fails(cube_nodes, "{\"foo\":1}", BN_OP_CREATE, "unknown attribute 'foo'");
	check_fails(cube_nodes, "{\"uuid\":\"1a7c0000-0000-4000-8000-0000000000ab\"}",
		    BN_OP_CREATE, "'uuid' is read-only");
	check_fails(cube_nodes, "{\"stats\":{}}", BN_OP_UPDATE, "'stats' is read-only");
	check_fails(cube_nodes, "{\"fdb\":{\"flush\":{}}}", BN_OP_UPDATE,
		    "unknown attribute 'flush'");
	check_fails(cube_nodes, "{\"ports\":[{\"name\":\"p1\",\"status\":\"UP\"}]}", BN_OP_CREATE,
		    "'status' is read-only");
	check_fails(cube_nodes, "{\"ports\":{\"name\":\"p1\"}}", BN_OP_CREATE,
		    "'ports': expected a JSON array");
	check_fails(cube_nodes, "{\"ports\":[\"p1\"]}", BN_OP_CREATE,
		    "'ports': elements must be JSON objects");
	check_fails(cube_nodes, "{\"fdb\":5}", BN_OP_CREATE, "'fdb': expected a JSON object");
	check_fails(cube_nodes, "\"x\"", BN_OP_CREATE, "expected a JSON object");
	check_fails(cube_nodes, "{}", BN_OP_DELETE, "operation takes no body");
}

static void test_check_types(void **state)
{
	check_fails(cube_nodes, "{\"mtu\":\"big\"}", BN_OP_UPDATE, "'mtu': 'big' is not an integer");
	check_fails(cube_nodes, "{\"fdb\":{\"aging-time\":9999999999}}", BN_OP_UPDATE,
		    "'aging-time': 9999999999 is out of range 0..4294967295");
	check_fails(cube_nodes, "{\"span\":\"maybe\"}", BN_OP_UPDATE,
		    "'span': 'maybe' is not a boolean");
	check_fails(cube_nodes, "{\"loglevel\":\"LOUD\"}", BN_OP_UPDATE,
		    "'loglevel': 'LOUD' is not one of TRACE, DEBUG, INFO, WARN, ERR, CRITICAL, OFF");
	check_fails(cube_nodes, "{\"description\":[1]}", BN_OP_UPDATE,
		    "'description': [1] is not a string");
	check_fails(cube_nodes, "{\"stp\":[{\"vlan\":-1}]}", BN_OP_UPDATE,
		    "'vlan': -1 is out of range 0..65535");
}

static void test_check_normalise(void **state)
{
	check_gives(cube_nodes,
		    "{\"dns\":\"10.0.0.53\",\"description\":42,\"mtu\":\"9000\",\"span\":\"TRUE\","
		    "\"loglevel\":\"warn\"}",
		    BN_OP_UPDATE,
		    "{\"loglevel\":\"WARN\",\"span\":true,\"mtu\":9000,\"description\":\"42\","
		    "\"dns\":[\"10.0.0.53\"]}");
	check_gives(cube_nodes, "{\"stp\":[{\"priority\":\"4096\",\"vlan\":\"10\"}]}", BN_OP_UPDATE,
		    "{\"stp\":[{\"vlan\":10,\"priority\":4096}]}");
	check_gives(port_nodes, "{\"mac\":\"AA:BB:CC:DD:EE:0F\",\"name\":\"p1\"}", BN_OP_CREATE,
		    "{\"name\":\"p1\",\"peer\":\"\",\"mac\":\"aa:bb:cc:dd:ee:0f\"}");
}

static void test_check_update(void **state)
{
	check_fails(cube_nodes, "{\"type\":\"TC\"}", BN_OP_UPDATE,
		    "'type' can only be set at creation");
	check_fails(cube_nodes, "{\"loglevel\":\"INFO\",\"shadow\":true}", BN_OP_UPDATE,
		    "'shadow' can only be set at creation");
	check_fails(port_nodes, "{\"mac\":\"aa:bb:cc:dd:ee:01\"}", BN_OP_UPDATE,
		    "'mac' can only be set at creation");
	/* nothing filled in */
	check_gives(cube_nodes, "{\"loglevel\":\"debug\"}", BN_OP_UPDATE, "{\"loglevel\":\"DEBUG\"}");
	check_gives(cube_nodes, "{\"fdb\":{\"aging-time\":10}}", BN_OP_UPDATE,
		    "{\"fdb\":{\"aging-time\":10}}");
	/* elements of a list inside an update may be new: init-only allowed here */
	check_gives(cube_nodes, "{\"ports\":[{\"name\":\"p1\",\"mac\":\"AA:BB:CC:DD:EE:01\"}]}",
		    BN_OP_UPDATE, "{\"ports\":[{\"name\":\"p1\",\"mac\":\"aa:bb:cc:dd:ee:01\"}]}");
	check_fails(cube_nodes, "{\"ports\":[{\"peer\":\"x\"}]}", BN_OP_UPDATE,
		    "'ports': missing key attribute 'name'");
}

static void test_check_list_limits(void **state)
{
	check_fails(cube_nodes, "{\"ports\":[{\"name\":\"p1\"},{\"name\":\"p1\"}]}", BN_OP_CREATE,
		    "duplicate ports p1");
	check_fails(cube_nodes, "{\"ports\":[{\"name\":\"p1\"},{\"name\":\"p2\"},{\"name\":\"p3\"}]}",
		    BN_OP_CREATE, "maximum number of ports reached");
	check_fails(cube_nodes,
		    "{\"route\":[{\"network\":\"10.0.0.1\",\"nexthop\":\"10.1.0.1\"},"
		    "{\"network\":\"10.0.0.1/32\",\"nexthop\":\"10.1.0.1\"}]}",
		    BN_OP_CREATE, "duplicate route 10.0.0.1/32 10.1.0.1");
	check_fails(cube_nodes, "{\"dns\":[\"10.0.0.1\",\"10.0.0.2\",\"10.0.0.3\",\"10.0.0.4\"]}",
		    BN_OP_UPDATE, "maximum number of dns reached");
	check_fails(cube_nodes, "{\"dns\":[\"10.0.0.1\",\"10.0.0.1\"]}", BN_OP_UPDATE,
		    "'dns': duplicate value '10.0.0.1'");
}

/* ------------------------------------------------------------------ */
/* apply                                                               */

static void test_apply_leaf(void **state)
{
	json_t *cfg = new_cube();

	apply_ok(cfg, "loglevel", BN_OP_UPDATE, "\"debug\"");
	assert_json(cfg, "{\"name\":\"c1\",\"type\":\"TC\",\"loglevel\":\"DEBUG\"," DEF_TAIL "}");
	apply_ok(cfg, "loglevel", BN_OP_REPLACE, "\"INFO\"");
	assert_json(cfg, DEF_CFG);
	apply_fails(cfg, "type", BN_OP_UPDATE, "\"XDP_SKB\"", 400,
		    "'type' can only be set at creation", -EINVAL);
	apply_fails(cfg, "name", BN_OP_UPDATE, "\"c2\"", 400,
		    "'name' is a key and cannot be changed", -EINVAL);
	apply_fails(cfg, "uuid", BN_OP_UPDATE, "\"x\"", 400, "'uuid' is read-only", -EINVAL);
	apply_fails(cfg, "stats pkts", BN_OP_UPDATE, "1", 400, "'stats' is read-only", -EINVAL);
	apply_fails(cfg, "mtu", BN_OP_UPDATE, "10", 400, "'mtu': 10 is out of range 68..9000",
		    -EINVAL);
	apply_fails(cfg, "mtu", BN_OP_UPDATE, NULL, 400, "'mtu': missing value", -EINVAL);
	apply_fails(cfg, "ports p9 peer", BN_OP_UPDATE, "\"x\"", 404, "ports p9 not found",
		    -EINVAL);
	assert_json(cfg, DEF_CFG);

	/* a new leaf lands in declaration order, not at the end */
	apply_ok(cfg, "description", BN_OP_UPDATE, "7");
	assert_json(cfg, DEF_HEAD ",\"shadow\":false,\"span\":false,\"mtu\":1500,"
			 "\"description\":\"7\",\"fdb\":{\"aging-time\":300}}");
	apply_ok(cfg, "description", BN_OP_DELETE, NULL);
	assert_json(cfg, DEF_CFG);
	apply_fails(cfg, "description", BN_OP_DELETE, NULL, 409, "'description' does not exist",
		    -ENOENT);

	/* DELETE of a leaf with a default resets it */
	apply_ok(cfg, "fdb aging-time", BN_OP_UPDATE, "\"60\"");
	assert_json(json_object_get(cfg, "fdb"), "{\"aging-time\":60}");
	apply_ok(cfg, "fdb aging-time", BN_OP_DELETE, NULL);
	assert_json(cfg, DEF_CFG);
	json_decref(cfg);
}

static void test_apply_container(void **state)
{
	json_t *cfg = new_cube();

	apply_ok(cfg, "fdb", BN_OP_UPDATE, "{\"aging-time\":\"100\"}");
	assert_json(cfg, DEF_HEAD ",\"shadow\":false,\"span\":false,\"mtu\":1500,"
			 "\"fdb\":{\"aging-time\":100}}");
	apply_ok(cfg, "fdb", BN_OP_UPDATE,
		 "{\"entry\":[{\"port\":\"p1\",\"address\":\"AA:BB:CC:DD:EE:01\"}],\"aging-time\":5}");
	assert_json(json_object_get(cfg, "fdb"),
		    "{\"aging-time\":5,\"entry\":[{\"address\":\"aa:bb:cc:dd:ee:01\",\"port\":\"p1\"}]}");
	/* lists merge element by element */
	apply_ok(cfg, "fdb", BN_OP_UPDATE,
		 "{\"entry\":[{\"address\":\"aa:bb:cc:dd:ee:02\",\"port\":\"p1\"},"
		 "{\"address\":\"aa:bb:cc:dd:ee:01\",\"port\":\"p2\"}]}");
	assert_json(json_object_get(cfg, "fdb"),
		    "{\"aging-time\":5,\"entry\":[{\"address\":\"aa:bb:cc:dd:ee:01\",\"port\":\"p2\"},"
		    "{\"address\":\"aa:bb:cc:dd:ee:02\",\"port\":\"p1\"}]}");
	apply_fails(cfg, "fdb", BN_OP_UPDATE, "{\"entry\":[{\"address\":\"aa:bb:cc:dd:ee:03\"}]}",
		    400, "missing mandatory attribute 'port'", -EINVAL);
	apply_fails(cfg, "fdb", BN_OP_UPDATE, "[]", 400, "expected a JSON object", -EINVAL);
	/* REPLACE / CREATE replace the container, defaults filled */
	apply_ok(cfg, "fdb", BN_OP_REPLACE, "{}");
	assert_json(cfg, DEF_CFG);
	apply_ok(cfg, "fdb", BN_OP_CREATE, "{\"aging-time\":7}");
	assert_json(json_object_get(cfg, "fdb"), "{\"aging-time\":7}");
	/* DELETE resets to defaults */
	apply_ok(cfg, "fdb entry aa:bb:cc:dd:ee:01", BN_OP_CREATE, "{\"port\":\"p1\"}");
	apply_ok(cfg, "fdb", BN_OP_DELETE, NULL);
	assert_json(cfg, DEF_CFG);
	apply_fails(cfg, "stats", BN_OP_UPDATE, "{}", 400, "'stats' is read-only", -EINVAL);
	json_decref(cfg);
}

static void test_apply_elem_create(void **state)
{
	json_t *cfg = new_cube();

	apply_ok(cfg, "ports p1", BN_OP_CREATE, NULL);
	assert_json(cfg, DEF_HEAD ",\"ports\":[{\"name\":\"p1\",\"peer\":\"\"}]," DEF_TAIL "}");
	apply_fails(cfg, "ports p1", BN_OP_CREATE, "{}", 409, "ports p1 already exists", -EEXIST);
	apply_fails(cfg, "ports p2", BN_OP_CREATE, "{\"name\":\"other\"}", 400,
		    "'name': 'other' in the body differs from 'p2' in the URL", -EINVAL);
	apply_fails(cfg, "ports p2", BN_OP_CREATE, "\"x\"", 400, "'ports': expected a JSON object",
		    -EINVAL);
	apply_fails(cfg, "ports p2", BN_OP_CREATE, "{\"status\":\"UP\"}", 400,
		    "'status' is read-only", -EINVAL);
	apply_ok(cfg, "ports p2", BN_OP_CREATE,
		 "{\"mac\":\"AA:BB:CC:DD:EE:02\",\"peer\":\"veth2\",\"name\":\"p2\"}");
	assert_json(json_object_get(cfg, "ports"),
		    "[{\"name\":\"p1\",\"peer\":\"\"},"
		    "{\"name\":\"p2\",\"peer\":\"veth2\",\"mac\":\"aa:bb:cc:dd:ee:02\"}]");
	apply_fails(cfg, "ports p3", BN_OP_CREATE, NULL, 400, "maximum number of ports reached",
		    -EINVAL);
	assert_int_equal(json_array_size(json_object_get(cfg, "ports")), 2);
	json_decref(cfg);
}

static void test_apply_elem_update_delete(void **state)
{
	json_t *cfg = new_cube();

	apply_ok(cfg, "ports p1", BN_OP_CREATE, "{\"mac\":\"aa:bb:cc:dd:ee:01\"}");
	apply_fails(cfg, "ports p9", BN_OP_UPDATE, "{\"peer\":\"x\"}", 404, "ports p9 not found",
		    -EINVAL);
	apply_ok(cfg, "ports p1", BN_OP_UPDATE, "{\"peer\":\"veth1\"}");
	apply_ok(cfg, "ports p1", BN_OP_UPDATE, "{\"name\":\"p1\"}");
	assert_json(json_object_get(cfg, "ports"),
		    "[{\"name\":\"p1\",\"peer\":\"veth1\",\"mac\":\"aa:bb:cc:dd:ee:01\"}]");
	apply_fails(cfg, "ports p1", BN_OP_UPDATE, "{\"mac\":\"aa:bb:cc:dd:ee:01\"}", 400,
		    "'mac' can only be set at creation", -EINVAL);
	apply_fails(cfg, "ports p1 mac", BN_OP_UPDATE, "\"aa:bb:cc:dd:ee:02\"", 400,
		    "'mac' can only be set at creation", -EINVAL);
	apply_fails(cfg, "ports p1 name", BN_OP_UPDATE, "\"p2\"", 400,
		    "'name' is a key and cannot be changed", -EINVAL);
	apply_ok(cfg, "ports p1 peer", BN_OP_UPDATE, "\"\"");
	assert_json(json_object_get(cfg, "ports"),
		    "[{\"name\":\"p1\",\"peer\":\"\",\"mac\":\"aa:bb:cc:dd:ee:01\"}]");
	apply_fails(cfg, "ports p9", BN_OP_DELETE, NULL, 409, "ports p9 does not exist", -ENOENT);
	apply_ok(cfg, "ports p1", BN_OP_DELETE, NULL);
	/* the list is gone, not left empty */
	assert_null(json_object_get(cfg, "ports"));
	assert_json(cfg, DEF_CFG);
	apply_fails(cfg, "ports p1", BN_OP_DELETE, NULL, 409, "ports p1 does not exist", -ENOENT);
	json_decref(cfg);
}

static void test_apply_elem_replace(void **state)
{
	json_t *cfg = new_cube();

	apply_ok(cfg, "ports p1", BN_OP_CREATE, "{\"peer\":\"veth1\",\"mac\":\"aa:bb:cc:dd:ee:01\"}");
	apply_ok(cfg, "ports p2", BN_OP_REPLACE, NULL);
	apply_ok(cfg, "ports p1", BN_OP_REPLACE, "{\"mac\":\"aa:bb:cc:dd:ee:02\"}");
	assert_json(json_object_get(cfg, "ports"),
		    "[{\"name\":\"p1\",\"peer\":\"\",\"mac\":\"aa:bb:cc:dd:ee:02\"},"
		    "{\"name\":\"p2\",\"peer\":\"\"}]");
	json_decref(cfg);
}

static void test_apply_whole_list(void **state)
{
	json_t *cfg = new_cube();

	apply_ok(cfg, "ports", BN_OP_CREATE, "[{\"name\":\"p1\"},{\"peer\":\"veth2\",\"name\":\"p2\"}]");
	assert_json(cfg, DEF_HEAD ",\"ports\":[{\"name\":\"p1\",\"peer\":\"\"},"
			 "{\"name\":\"p2\",\"peer\":\"veth2\"}]," DEF_TAIL "}");
	apply_fails(cfg, "ports", BN_OP_CREATE, "{\"name\":\"p3\"}", 400,
		    "'ports': expected a JSON array", -EINVAL);
	apply_fails(cfg, "ports", BN_OP_UPDATE, "[{\"name\":\"p3\"}]", 400,
		    "maximum number of ports reached", -EINVAL);
	apply_fails(cfg, "ports", BN_OP_UPDATE, "[{\"peer\":\"x\"}]", 400,
		    "'ports': missing key attribute 'name'", -EINVAL);
	apply_fails(cfg, "ports", BN_OP_UPDATE, "[{\"name\":\"p1\",\"mac\":\"aa:bb:cc:dd:ee:01\"}]",
		    400, "'mac' can only be set at creation", -EINVAL);
	apply_ok(cfg, "ports", BN_OP_UPDATE, "[{\"name\":\"p1\",\"peer\":\"veth1\"}]");
	apply_ok(cfg, "ports", BN_OP_REPLACE, "[{\"name\":\"p2\"}]");
	assert_json(json_object_get(cfg, "ports"),
		    "[{\"name\":\"p1\",\"peer\":\"veth1\"},{\"name\":\"p2\",\"peer\":\"\"}]");
	apply_ok(cfg, "ports", BN_OP_DELETE, NULL);
	assert_json(cfg, DEF_CFG);
	apply_ok(cfg, "ports", BN_OP_DELETE, NULL);
	apply_ok(cfg, "ports", BN_OP_CREATE, "[]");
	assert_json(cfg, DEF_CFG);

	apply_ok(cfg, "route", BN_OP_CREATE,
		 "[{\"network\":\"10.0.0.0/24\",\"nexthop\":\"10.1.0.2\"},"
		 "{\"pathcost\":5,\"nexthop\":\"10.1.0.1\",\"network\":\"0.0.0.0/0\"}]");
	assert_json(json_object_get(cfg, "route"),
		    "[{\"network\":\"10.0.0.0/24\",\"nexthop\":\"10.1.0.2\",\"pathcost\":1},"
		    "{\"network\":\"0.0.0.0/0\",\"nexthop\":\"10.1.0.1\",\"pathcost\":5}]");
	json_decref(cfg);
}

static void test_apply_nested_elem(void **state)
{
	json_t *cfg = new_cube(), *bare = J("{\"name\":\"c1\"}");

	apply_ok(cfg, "fdb entry AA:BB:CC:DD:EE:01", BN_OP_CREATE, "{\"port\":\"p1\"}");
	assert_json(json_object_get(cfg, "fdb"),
		    "{\"aging-time\":300,\"entry\":[{\"address\":\"aa:bb:cc:dd:ee:01\",\"port\":\"p1\"}]}");
	apply_fails(cfg, "fdb entry aa:bb:cc:dd:ee:01", BN_OP_CREATE, "{\"port\":\"p2\"}", 409,
		    "entry aa:bb:cc:dd:ee:01 already exists", -EEXIST);
	apply_fails(cfg, "fdb entry aa:bb:cc:dd:ee:02", BN_OP_CREATE, "{}", 400,
		    "missing mandatory attribute 'port'", -EINVAL);
	apply_fails(cfg, "fdb entry aa:bb:cc:dd:ee:02", BN_OP_CREATE,
		    "{\"port\":\"p1\",\"age\":3}", 400, "'age' is read-only", -EINVAL);
	/* the body may repeat the key in another spelling */
	apply_ok(cfg, "fdb entry aa:bb:cc:dd:ee:02", BN_OP_CREATE,
		 "{\"address\":\"AA:BB:CC:DD:EE:02\",\"port\":\"p1\"}");
	apply_ok(cfg, "fdb entry aa:bb:cc:dd:ee:01 port", BN_OP_UPDATE, "\"p2\"");
	assert_json(json_object_get(cfg, "fdb"),
		    "{\"aging-time\":300,\"entry\":[{\"address\":\"aa:bb:cc:dd:ee:01\",\"port\":\"p2\"},"
		    "{\"address\":\"aa:bb:cc:dd:ee:02\",\"port\":\"p1\"}]}");
	apply_fails(cfg, "fdb entry aa:bb:cc:dd:ee:01 port", BN_OP_DELETE, NULL, 400,
		    "'port' is mandatory", -EINVAL);
	apply_ok(cfg, "fdb entry aa:bb:cc:dd:ee:01", BN_OP_DELETE, NULL);
	apply_ok(cfg, "fdb entry aa:bb:cc:dd:ee:02", BN_OP_DELETE, NULL);
	assert_json(cfg, DEF_CFG);

	/* a missing container on the path is created with its defaults */
	apply_fails(bare, "fdb entry aa:bb:cc:dd:ee:01", BN_OP_DELETE, NULL, 409,
		    "'entry' does not exist", -ENOENT);
	apply_ok(bare, "fdb entry", BN_OP_DELETE, NULL);
	assert_json(bare, "{\"name\":\"c1\"}");
	apply_ok(bare, "fdb entry aa:bb:cc:dd:ee:01", BN_OP_CREATE, "{\"port\":\"p1\"}");
	assert_json(bare, "{\"name\":\"c1\",\"fdb\":{\"aging-time\":300,"
			  "\"entry\":[{\"address\":\"aa:bb:cc:dd:ee:01\",\"port\":\"p1\"}]}}");
	json_decref(bare);
	json_decref(cfg);
}

static void test_apply_compound_keys(void **state)
{
	json_t *cfg = new_cube();

	apply_ok(cfg, "route 10.0.0.0/24 10.1.0.2", BN_OP_CREATE, "{\"pathcost\":5}");
	apply_ok(cfg, "route 10.0.0.0/24 10.1.0.3", BN_OP_CREATE, NULL);
	apply_fails(cfg, "route 10.0.0.0/24 10.1.0.2", BN_OP_CREATE, NULL, 409,
		    "route 10.0.0.0/24 10.1.0.2 already exists", -EEXIST);
	apply_ok(cfg, "route 10.0.0.0/24 10.1.0.2 pathcost", BN_OP_UPDATE, "\"7\"");
	apply_ok(cfg, "route 10.0.0.9 10.1.0.2", BN_OP_CREATE,
		 "{\"interface\":\"p1\",\"network\":\"10.0.0.9/32\"}");
	assert_json(json_object_get(cfg, "route"),
		    "[{\"network\":\"10.0.0.0/24\",\"nexthop\":\"10.1.0.2\",\"pathcost\":7},"
		    "{\"network\":\"10.0.0.0/24\",\"nexthop\":\"10.1.0.3\",\"pathcost\":1},"
		    "{\"network\":\"10.0.0.9/32\",\"nexthop\":\"10.1.0.2\",\"interface\":\"p1\","
		    "\"pathcost\":1}]");
	apply_fails(cfg, "route 10.0.0.9 10.1.0.2 network", BN_OP_UPDATE, "\"10.0.0.8/32\"", 400,
		    "'network' is a key and cannot be changed", -EINVAL);
	apply_fails(cfg, "route 10.0.0.9 10.1.0.2 interface", BN_OP_UPDATE, "\"p2\"", 400,
		    "'interface' can only be set at creation", -EINVAL);
	apply_ok(cfg, "route 10.0.0.0/24 10.1.0.3", BN_OP_DELETE, NULL);
	assert_int_equal(json_array_size(json_object_get(cfg, "route")), 2);

	apply_ok(cfg, "stp 10", BN_OP_CREATE, NULL);
	assert_json(json_object_get(cfg, "stp"), "[{\"vlan\":10,\"priority\":32768}]");
	json_decref(cfg);
}

static void test_apply_root(void **state)
{
	json_t *cfg = new_cube();

	apply_ok(cfg, "", BN_OP_UPDATE,
		 "{\"ports\":[{\"name\":\"p1\"}],\"fdb\":{\"aging-time\":1},\"loglevel\":\"err\"}");
	assert_json(cfg, "{\"name\":\"c1\",\"type\":\"TC\",\"loglevel\":\"ERR\","
			 "\"ports\":[{\"name\":\"p1\",\"peer\":\"\"}],\"shadow\":false,\"span\":false,"
			 "\"mtu\":1500,\"fdb\":{\"aging-time\":1}}");
	apply_ok(cfg, "", BN_OP_UPDATE, "{\"name\":\"c1\"}");
	apply_fails(cfg, "", BN_OP_UPDATE, "{\"name\":\"c2\"}", 400,
		    "'name' is a key and cannot be changed", -EINVAL);
	apply_fails(cfg, "", BN_OP_UPDATE, "{\"type\":\"XDP_SKB\"}", 400,
		    "'type' can only be set at creation", -EINVAL);
	apply_fails(cfg, "", BN_OP_UPDATE, "{\"ports\":[{\"name\":\"p1\",\"mac\":\"aa:bb:cc:dd:ee:01\"}]}",
		    400, "'mac' can only be set at creation", -EINVAL);
	/* a new element inside a merge may set init-only members */
	apply_ok(cfg, "", BN_OP_UPDATE, "{\"ports\":[{\"name\":\"p2\",\"mac\":\"aa:bb:cc:dd:ee:02\"}]}");
	assert_json(json_object_get(cfg, "ports"),
		    "[{\"name\":\"p1\",\"peer\":\"\"},"
		    "{\"name\":\"p2\",\"peer\":\"\",\"mac\":\"aa:bb:cc:dd:ee:02\"}]");
	apply_fails(cfg, "", BN_OP_DELETE, NULL, 405,
		    "the cube itself is not deleted through its schema", -EINVAL);
	apply_ok(cfg, "", BN_OP_REPLACE, "{\"name\":\"c1\",\"loglevel\":\"trace\"}");
	assert_json(cfg, "{\"name\":\"c1\",\"type\":\"TC\",\"loglevel\":\"TRACE\"," DEF_TAIL "}");
	json_decref(cfg);
}

static void test_apply_leaf_list(void **state)
{
	json_t *cfg = new_cube();

	apply_ok(cfg, "dns", BN_OP_CREATE, "\"10.0.0.1\"");
	assert_json(cfg, DEF_HEAD ",\"shadow\":false,\"span\":false,\"mtu\":1500,"
			 "\"dns\":[\"10.0.0.1\"],\"fdb\":{\"aging-time\":300}}");
	apply_ok(cfg, "dns", BN_OP_CREATE, "[\"10.0.0.2\",\"10.0.0.3\"]");
	apply_fails(cfg, "dns", BN_OP_CREATE, "\"10.0.0.1\"", 409,
		    "'dns': value '10.0.0.1' already exists", -EEXIST);
	apply_fails(cfg, "dns", BN_OP_CREATE, "\"10.0.0.4\"", 400, "maximum number of dns reached",
		    -EINVAL);
	apply_fails(cfg, "dns", BN_OP_CREATE, "\"10.0.0.256\"", 400,
		    "'dns': '10.0.0.256' is not an IPv4 address", -EINVAL);
	apply_ok(cfg, "dns", BN_OP_DELETE, "\"10.0.0.2\"");
	assert_json(json_object_get(cfg, "dns"), "[\"10.0.0.1\",\"10.0.0.3\"]");
	apply_fails(cfg, "dns", BN_OP_DELETE, "\"10.0.0.2\"", 409,
		    "'dns': value '10.0.0.2' does not exist", -ENOENT);
	apply_ok(cfg, "dns", BN_OP_UPDATE, "[\"10.0.0.9\"]");
	assert_json(json_object_get(cfg, "dns"), "[\"10.0.0.9\"]");
	apply_ok(cfg, "dns", BN_OP_DELETE, NULL);
	assert_json(cfg, DEF_CFG);
	apply_ok(cfg, "dns", BN_OP_DELETE, NULL);
	apply_ok(cfg, "dns", BN_OP_REPLACE, "[]");
	assert_json(cfg, DEF_CFG);
	json_decref(cfg);
}

static void test_apply_misc(void **state)
{
	json_t *cfg = new_cube(), *notobj = J("[]");
	struct bn_target t;
	struct bn_err err;

	apply_fails(cfg, "fdb flush", BN_OP_CREATE, "{}", 405, "'flush' is an action: use POST",
		    -EINVAL);
	apply_ok(cfg, "loglevel", BN_OP_GET, NULL);
	assert_json(cfg, DEF_CFG);
	assert_int_equal(resolve("loglevel", &t, &err), 0);
	assert_int_equal(bn_schema_apply(cube_nodes, notobj, &t, BN_OP_UPDATE, NULL, &err), -EIO);
	assert_int_equal(err.status, 500);
	/* err may be NULL */
	assert_int_equal(bn_schema_apply(cube_nodes, cfg, &t, BN_OP_UPDATE, NULL, NULL), -EINVAL);
	bn_target_clear(&t);
	json_decref(notobj);
	json_decref(cfg);
}

static void test_apply_port_members(void **state)
{
	json_t *cfg = new_cube();

	apply_ok(cfg, "ports p1", BN_OP_CREATE, "{\"tcubes\":[\"fw1\",\"fw2\"]}");
	apply_fails(cfg, "ports p1 tcubes", BN_OP_CREATE, "\"fw3\"", 400,
		    "'tcubes' can only be set at creation", -EINVAL);
	apply_fails(cfg, "ports p1", BN_OP_UPDATE, "{\"tcubes\":[]}", 400,
		    "'tcubes' can only be set at creation", -EINVAL);
	/* a list inside a list element */
	apply_ok(cfg, "ports p1 secondaryip 10.1.0.1/30", BN_OP_CREATE, NULL);
	apply_ok(cfg, "ports p1 secondaryip 10.2.0.1", BN_OP_CREATE, NULL);
	apply_fails(cfg, "ports p2 secondaryip 10.1.0.1/30", BN_OP_CREATE, NULL, 404,
		    "ports p2 not found", -EINVAL);
	assert_json(json_object_get(cfg, "ports"),
		    "[{\"name\":\"p1\",\"peer\":\"\",\"tcubes\":[\"fw1\",\"fw2\"],"
		    "\"secondaryip\":[{\"ip\":\"10.1.0.1/30\"},{\"ip\":\"10.2.0.1/32\"}]}]");
	apply_ok(cfg, "ports p1 secondaryip", BN_OP_DELETE, NULL);
	assert_json(json_object_get(cfg, "ports"),
		    "[{\"name\":\"p1\",\"peer\":\"\",\"tcubes\":[\"fw1\",\"fw2\"]}]");
	json_decref(cfg);
}

/* A failed operation leaves cfg exactly as it was. */
static void test_apply_atomic(void **state)
{
	json_t *cfg = new_cube(), *before;

	apply_ok(cfg, "ports p1", BN_OP_CREATE, NULL);
	before = json_deep_copy(cfg);
	apply_fails(cfg, "ports", BN_OP_UPDATE, "[{\"name\":\"p2\"},{\"name\":\"p3\"}]", 400,
		    "maximum number of ports reached", -EINVAL);
	apply_fails(cfg, "", BN_OP_UPDATE,
		    "{\"loglevel\":\"OFF\",\"ports\":[{\"name\":\"p1\",\"mac\":\"aa:bb:cc:dd:ee:01\"}]}",
		    400, "'mac' can only be set at creation", -EINVAL);
	apply_fails(cfg, "fdb", BN_OP_UPDATE,
		    "{\"aging-time\":1,\"entry\":[{\"address\":\"aa:bb:cc:dd:ee:03\"}]}", 400,
		    "missing mandatory attribute 'port'", -EINVAL);
	assert_true(json_equal(cfg, before));
	json_decref(before);
	json_decref(cfg);
}

/* A cfg written before the schema grew a container or leaf-list still merges. */
static void test_apply_merge_creates(void **state)
{
	json_t *cfg = J("{\"name\":\"c1\",\"dns\":[\"10.0.0.1\"]}");

	apply_ok(cfg, "", BN_OP_UPDATE, "{\"fdb\":{\"entry\":[{\"address\":\"aa:bb:cc:dd:ee:01\","
					"\"port\":\"p1\"}]},\"dns\":[]}");
	assert_json(cfg, "{\"name\":\"c1\",\"fdb\":{\"aging-time\":300,"
			 "\"entry\":[{\"address\":\"aa:bb:cc:dd:ee:01\",\"port\":\"p1\"}]}}");
	json_decref(cfg);
}

/* Odd declarations: leaf-list default, init-only container, bad default. */
static const struct bn_node opt_nodes[] = {
	{ .name = "a", .kind = BN_LEAF, BN_U8, .def = "1" },
	{ NULL },
};

static const struct bn_node odd_nodes[] = {
	{ .name = "tags", .kind = BN_LEAF_LIST, .type = BN_T_STRING, .def = "default" },
	{ .name = "opts", .kind = BN_CONTAINER, .flags = BN_INIT, .children = opt_nodes },
	{ NULL },
};

static const struct bn_node bad_nodes[] = {
	{ .name = "small", .kind = BN_LEAF, BN_U8, .def = "300" },
	{ NULL },
};

static const struct bn_node bad_outer[] = {
	{ .name = "inner", .kind = BN_CONTAINER, .children = bad_nodes },
	{ NULL },
};

static void test_odd_schemas(void **state)
{
	const char *segs[] = { "opts", "a" };
	struct bn_target t;
	struct bn_err err;
	json_t *cfg = J("{}");

	check_gives(odd_nodes, "{}", BN_OP_CREATE, "{\"tags\":[\"default\"],\"opts\":{\"a\":1}}");
	check_fails(odd_nodes, "{\"opts\":{\"a\":2}}", BN_OP_UPDATE,
		    "'opts' can only be set at creation");
	assert_int_equal(bn_schema_resolve(odd_nodes, segs, 2, &t, &err), 0);
	assert_int_equal(bn_schema_apply(odd_nodes, cfg, &t, BN_OP_UPDATE, NULL, &err), -EINVAL);
	assert_string_equal(err.msg, "'opts' can only be set at creation");
	bn_target_clear(&t);
	assert_int_equal(bn_schema_resolve(odd_nodes, segs, 1, &t, &err), 0);
	assert_int_equal(bn_schema_apply(odd_nodes, cfg, &t, BN_OP_DELETE, NULL, &err), -EINVAL);
	bn_target_clear(&t);
	json_decref(cfg);

	cfg = J("{}");
	assert_int_equal(bn_schema_check(bad_nodes, cfg, BN_OP_CREATE, &err), -EIO);
	assert_int_equal(err.status, 500);
	assert_string_equal(err.msg, "schema: bad default '300' for 'small'");
	json_decref(cfg);
	/* the 500 comes through a nested container as -EIO too */
	cfg = J("{\"inner\":{}}");
	assert_int_equal(bn_schema_check(bad_outer, cfg, BN_OP_CREATE, &err), -EIO);
	assert_int_equal(err.status, 500);
	json_decref(cfg);
}

/* ------------------------------------------------------------------ */
/* render and get                                                      */

#define STATE "{\"uuid\":\"u-1\",\"loglevel\":\"TRACE\",\"stats\":{\"pkts\":42},\"route\":[]," \
	"\"ports\":[{\"name\":\"p2\",\"uuid\":\"u-p2\",\"status\":\"DOWN\"}," \
	"{\"status\":\"UP\",\"name\":\"p1\",\"uuid\":\"u-p1\"},{\"name\":\"p3\",\"status\":\"UP\"}]," \
	"\"fdb\":{\"entry\":[{\"age\":12,\"address\":\"aa:bb:cc:dd:ee:01\"}," \
	"{\"age\":3,\"address\":\"aa:bb:cc:dd:ee:09\",\"port\":\"p2\"}]}}"

static json_t *sample_cfg(void)
{
	json_t *cfg = new_cube();

	apply_ok(cfg, "ports p1", BN_OP_CREATE, "{\"peer\":\"veth1\"}");
	apply_ok(cfg, "ports p2", BN_OP_CREATE, NULL);
	apply_ok(cfg, "fdb entry aa:bb:cc:dd:ee:01", BN_OP_CREATE, "{\"port\":\"p1\"}");
	json_object_set_new(cfg, "junk", json_true());
	return cfg;
}

static void test_render(void **state)
{
	json_t *cfg = sample_cfg(), *st = J(STATE), *doc;

	doc = bn_schema_render(cube_nodes, cfg, st);
	assert_json(doc, "{\"name\":\"c1\",\"uuid\":\"u-1\",\"type\":\"TC\",\"loglevel\":\"INFO\","
			 "\"ports\":[{\"name\":\"p1\",\"uuid\":\"u-p1\",\"status\":\"UP\",\"peer\":\"veth1\"},"
			 "{\"name\":\"p2\",\"uuid\":\"u-p2\",\"status\":\"DOWN\",\"peer\":\"\"},"
			 "{\"name\":\"p3\",\"status\":\"UP\"}],"
			 "\"shadow\":false,\"span\":false,\"mtu\":1500,"
			 "\"fdb\":{\"aging-time\":300,\"entry\":["
			 "{\"address\":\"aa:bb:cc:dd:ee:01\",\"port\":\"p1\",\"age\":12},"
			 "{\"address\":\"aa:bb:cc:dd:ee:09\",\"port\":\"p2\",\"age\":3}]},"
			 "\"stats\":{\"pkts\":42}}");
	/* the render shares nothing mutable with cfg */
	json_object_set_new(json_object_get(doc, "fdb"), "x", json_true());
	json_array_clear(json_object_get(json_object_get(doc, "fdb"), "entry"));
	assert_int_equal(json_array_size(json_object_get(json_object_get(cfg, "fdb"), "entry")), 1);
	json_decref(doc);

	/* cfg alone */
	json_object_del(cfg, "junk");
	doc = bn_schema_render(cube_nodes, cfg, NULL);
	assert_json(doc, DEF_HEAD ",\"ports\":[{\"name\":\"p1\",\"peer\":\"veth1\"},"
			 "{\"name\":\"p2\",\"peer\":\"\"}],\"shadow\":false,\"span\":false,\"mtu\":1500,"
			 "\"fdb\":{\"aging-time\":300,\"entry\":[{\"address\":\"aa:bb:cc:dd:ee:01\","
			 "\"port\":\"p1\"}]}}");
	json_decref(doc);
	json_decref(st);
	json_decref(cfg);
}

static void test_render_empty(void **state)
{
	json_t *doc, *cfg = J("{\"fdb\":{\"entry\":[]},\"dns\":[],\"ports\":[]}");

	doc = bn_schema_render(cube_nodes, NULL, NULL);
	assert_json(doc, "{}");
	json_decref(doc);
	doc = bn_schema_render(cube_nodes, cfg, NULL);
	assert_json(doc, "{}");
	json_decref(doc);
	json_decref(cfg);
	/* state only */
	cfg = J("{\"stats\":{\"pkts\":1},\"ports\":[{\"name\":\"p1\",\"status\":\"UP\"}]}");
	doc = bn_schema_render(cube_nodes, NULL, cfg);
	assert_json(doc, "{\"ports\":[{\"name\":\"p1\",\"status\":\"UP\"}],\"stats\":{\"pkts\":1}}");
	json_decref(doc);
	json_decref(cfg);
}

static json_t *get(json_t *doc, const char *path, struct bn_err *err)
{
	struct bn_target t;
	json_t *v;

	if (resolve(path, &t, err))
		fail_msg("%s: %s", path, err->msg);
	v = bn_schema_get(doc, &t, err);
	bn_target_clear(&t);
	return v;
}

static void test_get(void **state)
{
	json_t *cfg = sample_cfg(), *st = J(STATE), *doc;
	struct bn_err err = { 0 };

	doc = bn_schema_render(cube_nodes, cfg, st);
	assert_ptr_equal(get(doc, "", &err), doc);
	assert_json(get(doc, "ports p1 peer", &err), "\"veth1\"");
	assert_json(get(doc, "ports p1", &err),
		    "{\"name\":\"p1\",\"uuid\":\"u-p1\",\"status\":\"UP\",\"peer\":\"veth1\"}");
	assert_json(get(doc, "fdb aging-time", &err), "300");
	assert_json(get(doc, "fdb entry AA:BB:CC:DD:EE:09 age", &err), "3");
	assert_json(get(doc, "stats pkts", &err), "42");
	assert_int_equal(json_array_size(get(doc, "ports", &err)), 3);
	/* absent lists read as empty */
	assert_json(get(doc, "route", &err), "[]");
	assert_json(get(doc, "dns", &err), "[]");
	assert_null(get(doc, "ports p9", &err));
	assert_int_equal(err.status, 404);
	assert_string_equal(err.msg, "ports p9 not found");
	assert_null(get(doc, "description", &err));
	assert_int_equal(err.status, 404);
	assert_string_equal(err.msg, "no such element 'description'");
	assert_null(get(doc, "fdb flush", &err));
	assert_int_equal(err.status, 405);
	json_decref(doc);
	json_decref(st);
	json_decref(cfg);
}

/* ------------------------------------------------------------------ */
/* help and completion                                                 */

static void test_help_cube(void **state)
{
	json_t *h;

	h = help("", NULL, "NONE", false);
	assert_json(json_object_get(h, "commands"), "[\"set\",\"show\"]");
	assert_keys(json_object_get(h, "params"), "ports,fdb,route,stp,stats");
	assert_json(json_object_get(json_object_get(h, "params"), "fdb"),
		    "{\"name\":\"fdb\",\"type\":\"complex\",\"description\":\"\",\"example\":\"\"}");
	assert_json(json_object_get(json_object_get(h, "params"), "ports"),
		    "{\"name\":\"ports\",\"type\":\"list\",\"description\":\"\",\"example\":\"\"}");
	json_decref(h);
	/* NULL command is NONE */
	h = help("", NULL, NULL, false);
	assert_keys(h, "commands,params");
	json_decref(h);

	h = help("", NULL, "SET", false);
	assert_keys(json_object_get(h, "params"), "loglevel,span,mtu,description,dns");
	assert_json(json_object_get(json_object_get(h, "params"), "loglevel"),
		    "{\"name\":\"loglevel\",\"type\":\"leaf\",\"simpletype\":\"enum\","
		    "\"description\":\"Logging level\",\"example\":\"INFO\"}");
	assert_json(json_object_get(json_object_get(h, "params"), "mtu"),
		    "{\"name\":\"mtu\",\"type\":\"leaf\",\"simpletype\":\"integer\","
		    "\"description\":\"\",\"example\":\"1500\"}");
	json_decref(h);

	h = help("", NULL, "show", false);
	assert_keys(json_object_get(h, "params"),
		    "uuid,type,loglevel,ports,shadow,span,mtu,description,dns,fdb,route,stp,stats");
	json_decref(h);

	h = help("", NULL, "ADD", false);
	assert_keys(h, "params,optional-params");
	assert_json(json_object_get(h, "params"), "{}");
	assert_keys(json_object_get(h, "optional-params"),
		    "type,loglevel,shadow,span,mtu,description,dns");
	json_decref(h);

	assert_null(help("", NULL, "FOO", false));
}

static void test_help_nodes(void **state)
{
	json_t *cfg = sample_cfg(), *doc;

	apply_ok(cfg, "route 10.0.0.0/24 10.1.0.2", BN_OP_CREATE, NULL);
	apply_ok(cfg, "ports p1 secondaryip 10.1.0.1/30", BN_OP_CREATE, NULL);
	doc = bn_schema_render(cube_nodes, cfg, NULL);
	help_gives("ports", doc, "NONE", false,
		   "{\"commands\":[\"add\",\"del\",\"show\"],"
		   "\"params\":{\"name\":{\"name\":\"name\",\"type\":\"key\",\"simpletype\":\"string\","
		   "\"description\":\"Port name\",\"example\":\"\"}},"
		   "\"elements\":[{\"name\":\"p1\"},{\"name\":\"p2\"}]}");
	help_gives("ports", NULL, "SHOW", false,
		   "{\"params\":{\"name\":{\"name\":\"name\",\"type\":\"key\",\"simpletype\":\"string\","
		   "\"description\":\"Port name\",\"example\":\"\"}},\"elements\":[]}");
	help_gives("route", doc, "DEL", false,
		   "{\"params\":{\"network\":{\"name\":\"network\",\"type\":\"key\","
		   "\"simpletype\":\"string\",\"description\":\"\",\"example\":\"10.0.0.0/24\"},"
		   "\"nexthop\":{\"name\":\"nexthop\",\"type\":\"key\",\"simpletype\":\"string\","
		   "\"description\":\"\",\"example\":\"10.0.0.1\"}},"
		   "\"elements\":[{\"network\":\"10.0.0.0/24\",\"nexthop\":\"10.1.0.2\"}]}");
	{
		json_t *h = help("ports", doc, "ADD", false);

		assert_keys(h, "params,optional-params");
		assert_keys(json_object_get(h, "params"), "name");
		assert_keys(json_object_get(h, "optional-params"), "peer,mac,tcubes");
		json_decref(h);
	}
	help_gives("fdb entry aa:bb:cc:dd:ee:01", doc, "NONE", false,
		   "{\"commands\":[\"set\",\"show\"],\"params\":{}}");
	help_gives("fdb entry aa:bb:cc:dd:ee:01", doc, "SHOW", false,
		   "{\"params\":{\"port\":{\"name\":\"port\",\"type\":\"leaf\",\"simpletype\":\"string\","
		   "\"description\":\"\",\"example\":\"\"},\"age\":{\"name\":\"age\",\"type\":\"leaf\","
		   "\"simpletype\":\"integer\",\"description\":\"\",\"example\":\"0..4294967295\"}}}");
	{
		json_t *h = help("ports p1", doc, "SHOW", false);

		assert_keys(json_object_get(h, "params"), "uuid,status,peer,mac,tcubes,secondaryip");
		assert_json(json_object_get(json_object_get(h, "params"), "status"),
			    "{\"name\":\"status\",\"type\":\"leaf\",\"simpletype\":\"enum\","
			    "\"description\":\"\",\"example\":\"UP, DOWN\"}");
		json_decref(h);
	}
	help_gives("ports p1", doc, "SET", false,
		   "{\"params\":{\"peer\":{\"name\":\"peer\",\"type\":\"leaf\",\"simpletype\":\"string\","
		   "\"description\":\"\",\"example\":\"\"}}}");
	help_gives("ports p1 secondaryip", doc, "SHOW", false,
		   "{\"params\":{\"ip\":{\"name\":\"ip\",\"type\":\"key\",\"simpletype\":\"string\","
		   "\"description\":\"\",\"example\":\"10.0.0.0/24\"}},"
		   "\"elements\":[{\"ip\":\"10.1.0.1/30\"}]}");
	help_gives("stats", doc, "NONE", false, "{\"commands\":[\"show\"],\"params\":{}}");
	help_gives("stats", doc, "SET", false, "{\"params\":{}}");
	help_gives("fdb", doc, "ADD", false, "{\"params\":{}}");
	help_gives("span", doc, "NONE", false,
		   "{\"params\":{\"span\":{\"name\":\"span\",\"type\":\"leaf\",\"simpletype\":\"boolean\","
		   "\"description\":\"\",\"example\":\"false\"}}}");
	help_gives("fdb flush", doc, "NONE", false,
		   "{\"params\":{\"port\":{\"name\":\"port\",\"type\":\"leaf\",\"simpletype\":\"string\","
		   "\"description\":\"only this port\",\"example\":\"\"}}}");
	json_decref(doc);
	json_decref(cfg);
}

static void test_completion(void **state)
{
	json_t *cfg = sample_cfg(), *doc;

	apply_ok(cfg, "stp 10", BN_OP_CREATE, NULL);
	doc = bn_schema_render(cube_nodes, cfg, NULL);
	help_gives("", doc, "NONE", true,
		   "[\"ports\",\"fdb\",\"route\",\"stp\",\"stats\",\"set\",\"show\"]");
	help_gives("", doc, "SET", true,
		   "[\"loglevel=\",\"span=\",\"mtu=\",\"description=\",\"dns=\"]");
	help_gives("", doc, "ADD", true,
		   "[\"type=\",\"loglevel=\",\"shadow=\",\"span=\",\"mtu=\",\"description=\",\"dns=\"]");
	help_gives("fdb", doc, "NONE", true, "[\"entry\",\"flush\",\"set\",\"show\"]");
	help_gives("fdb", doc, "SHOW", true, "[\"aging-time\",\"entry\"]");
	help_gives("ports", doc, "NONE", true, "[\"p1\",\"p2\",\"add\",\"del\",\"show\"]");
	help_gives("ports", doc, "SHOW", true, "[\"p1\",\"p2\"]");
	help_gives("ports", doc, "ADD", true, "[\"<name>\"]");
	help_gives("ports", NULL, "DEL", true, "[]");
	help_gives("ports p1", doc, "ADD", true, "[\"peer=\",\"mac=\",\"tcubes=\"]");
	help_gives("ports p1", doc, "NONE", true, "[\"secondaryip\",\"set\",\"show\"]");
	help_gives("stp", doc, "NONE", true, "[\"10\",\"add\",\"del\",\"show\"]");
	help_gives("fdb entry", doc, "SHOW", true, "[\"aa:bb:cc:dd:ee:01\"]");
	help_gives("loglevel", doc, "NONE", true,
		   "[\"TRACE\",\"DEBUG\",\"INFO\",\"WARN\",\"ERR\",\"CRITICAL\",\"OFF\"]");
	help_gives("ports p1 status", doc, "NONE", true, "[\"UP\",\"DOWN\"]");
	help_gives("span", doc, "NONE", true, "[\"true\",\"false\"]");
	help_gives("mtu", doc, "NONE", true, "[]");
	help_gives("fdb flush", doc, "NONE", true, "[\"port=\"]");
	help_gives("stats", doc, "NONE", true, "[\"show\"]");
	json_decref(doc);
	json_decref(cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_err_set),
		cmocka_unit_test(test_child),
		cmocka_unit_test(test_value_int),
		cmocka_unit_test(test_value_string_bool),
		cmocka_unit_test(test_value_enum),
		cmocka_unit_test(test_value_mac),
		cmocka_unit_test(test_value_ipv4),
		cmocka_unit_test(test_value_prefix_uuid),
		cmocka_unit_test(test_resolve_basic),
		cmocka_unit_test(test_resolve_typed_keys),
		cmocka_unit_test(test_resolve_errors),
		cmocka_unit_test(test_resolve_action),
		cmocka_unit_test(test_check_create_defaults),
		cmocka_unit_test(test_check_mandatory),
		cmocka_unit_test(test_check_refused),
		cmocka_unit_test(test_check_types),
		cmocka_unit_test(test_check_normalise),
		cmocka_unit_test(test_check_update),
		cmocka_unit_test(test_check_list_limits),
		cmocka_unit_test(test_apply_leaf),
		cmocka_unit_test(test_apply_container),
		cmocka_unit_test(test_apply_elem_create),
		cmocka_unit_test(test_apply_elem_update_delete),
		cmocka_unit_test(test_apply_elem_replace),
		cmocka_unit_test(test_apply_whole_list),
		cmocka_unit_test(test_apply_nested_elem),
		cmocka_unit_test(test_apply_compound_keys),
		cmocka_unit_test(test_apply_root),
		cmocka_unit_test(test_apply_leaf_list),
		cmocka_unit_test(test_apply_misc),
		cmocka_unit_test(test_apply_port_members),
		cmocka_unit_test(test_apply_atomic),
		cmocka_unit_test(test_apply_merge_creates),
		cmocka_unit_test(test_odd_schemas),
		cmocka_unit_test(test_render),
		cmocka_unit_test(test_render_empty),
		cmocka_unit_test(test_get),
		cmocka_unit_test(test_help_cube),
		cmocka_unit_test(test_help_nodes),
		cmocka_unit_test(test_completion),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
