// SPDX-License-Identifier: Apache-2.0
/*
 * Schema engine (see schema.h): scalar validation, REST path resolution,
 * body checks with defaults, applying operations to a cube's cfg, rendering
 * cfg + state in declaration order, and OPTIONS help / completion.
 *
 * Conventions: every function returns 0 or -errno with *err set through
 * bn_err_set(); objects touched by an operation are rebuilt in declaration
 * order (list elements: key leaves first), so JSON key order never depends
 * on the order of requests.
 */
#include "schema.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define TXT_MAX 64 /* longest value quoted in a message */

/* ------------------------------------------------------------------ */
/* errors and message helpers                                          */

static int status_errno(int status, const char *msg)
{
	if (status == 409)
		return strstr(msg, "does not exist") ? -ENOENT : -EEXIST;
	if (status >= 400 && status < 500)
		return -EINVAL;
	return -EIO;
}

int bn_err_set(struct bn_err *e, int status, const char *fmt, ...)
{
	char msg[sizeof((struct bn_err){ 0 }.msg)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (e) {
		e->status = status;
		memcpy(e->msg, msg, sizeof(msg));
	}
	return status_errno(status, msg);
}

/* After a helper returned NULL with err set: the matching -errno. */
static int err_ret(const struct bn_err *err)
{
	return err ? status_errno(err->status, err->msg) : -EINVAL;
}

static int err_nomem(struct bn_err *err)
{
	bn_err_set(err, 500, "out of memory");
	return -ENOMEM;
}

/* A value as quoted in messages: strings in '', everything else as JSON. */
static const char *val_text(const json_t *v, char *buf, size_t len)
{
	char *s;

	if (json_is_string(v)) {
		snprintf(buf, len, "'%.*s'", TXT_MAX, json_string_value(v));
		return buf;
	}
	s = v ? json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
	snprintf(buf, len, "%.*s", TXT_MAX, s ? s : "null");
	free(s);
	return buf;
}

/* A scalar as plain text (strings unquoted), for keys and completion. */
static const char *scalar_text(const json_t *v, char *buf, size_t len)
{
	if (json_is_string(v))
		snprintf(buf, len, "%s", json_string_value(v));
	else if (json_is_integer(v))
		snprintf(buf, len, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
	else if (json_is_boolean(v))
		snprintf(buf, len, "%s", json_is_true(v) ? "true" : "false");
	else
		val_text(v, buf, len);
	return buf;
}

/* "<v1> <v2>": the key values of a list element, for messages. */
static const char *keys_text(const json_t *keys, char *buf, size_t len)
{
	const char *k;
	json_t *v;
	char one[TXT_MAX + 8];
	size_t off = 0;

	buf[0] = '\0';
	json_object_foreach((json_t *)keys, k, v) {
		if (off >= len)
			break;
		scalar_text(v, one, sizeof(one));
		off += snprintf(buf + off, len - off, "%s%s", off ? " " : "", one);
	}
	return buf;
}

/* ------------------------------------------------------------------ */
/* schema lookups                                                      */

const struct bn_node *bn_schema_child(const struct bn_node *nodes, const char *name)
{
	const struct bn_node *n;

	if (!name)
		return NULL;
	for (n = nodes; n && n->name; n++)
		if (!strcmp(n->name, name))
			return n;
	return NULL;
}

/* Is n a key leaf of list (the list whose element holds n)? */
static bool is_key(const struct bn_node *list, const struct bn_node *n)
{
	const char *const *k;

	if (!list)
		return false;
	if (n->flags & BN_KEY)
		return true;
	for (k = list->keys; k && *k; k++)
		if (!strcmp(*k, n->name))
			return true;
	return false;
}

/* May n never change once its parent exists (a key, wherever it sits)? */
static bool is_fixed_key(const struct bn_node *list, const struct bn_node *n)
{
	return (n->flags & BN_KEY) || is_key(list, n);
}

static bool is_leafy(const struct bn_node *n)
{
	return n->kind == BN_LEAF || n->kind == BN_LEAF_LIST;
}

/* ------------------------------------------------------------------ */
/* scalar values                                                       */

/* Decimal integer text with optional sign; -EINVAL if not digits, -ERANGE. */
static int parse_int_text(const char *s, int64_t *out)
{
	const char *p = s;
	char *end;
	long long v;

	if (*p == '+' || *p == '-')
		p++;
	if (!isdigit((unsigned char)*p))
		return -EINVAL;
	for (; *p; p++)
		if (!isdigit((unsigned char)*p))
			return -EINVAL;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno == ERANGE)
		return -ERANGE;
	*out = v;
	return 0;
}

/* An integral real within int64; -EINVAL with a fraction, -ERANGE if huge. */
static int real_to_int(double d, int64_t *out)
{
	if (!(d >= -9223372036854775808.0 && d < 9223372036854775808.0))
		return -ERANGE;
	if ((double)(int64_t)d != d)
		return -EINVAL;
	*out = (int64_t)d;
	return 0;
}

static json_t *conv_int(const struct bn_node *leaf, const json_t *in, struct bn_err *err)
{
	char buf[TXT_MAX + 8];
	int64_t v = 0;
	int ret = -EINVAL;

	if (json_is_integer(in)) {
		v = json_integer_value(in);
		ret = 0;
	} else if (json_is_string(in)) {
		ret = parse_int_text(json_string_value(in), &v);
	} else if (json_is_real(in)) {
		ret = real_to_int(json_real_value(in), &v);
	}
	if (ret == -ERANGE) {
		scalar_text(in, buf, sizeof(buf));
		goto range;
	}
	if (ret) {
		bn_err_set(err, 400, "'%s': %s is not an integer", leaf->name,
			   val_text(in, buf, sizeof(buf)));
		return NULL;
	}
	if (v >= leaf->min && v <= leaf->max)
		return json_integer(v);
	snprintf(buf, sizeof(buf), "%" PRId64, v);
range:
	bn_err_set(err, 400, "'%s': %s is out of range %" PRId64 "..%" PRId64, leaf->name, buf,
		   leaf->min, leaf->max);
	return NULL;
}

static json_t *conv_string(const struct bn_node *leaf, const json_t *in, struct bn_err *err)
{
	char buf[TXT_MAX + 8];

	if (json_is_string(in))
		return json_stringn(json_string_value(in), json_string_length(in));
	if (json_is_integer(in))
		return json_string(scalar_text(in, buf, sizeof(buf)));
	bn_err_set(err, 400, "'%s': %s is not a string", leaf->name,
		   val_text(in, buf, sizeof(buf)));
	return NULL;
}

static json_t *conv_bool(const struct bn_node *leaf, const json_t *in, struct bn_err *err)
{
	char buf[TXT_MAX + 8];
	const char *s = json_string_value(in);

	if (json_is_boolean(in))
		return json_boolean(json_is_true(in));
	if (s && !strcasecmp(s, "true"))
		return json_true();
	if (s && !strcasecmp(s, "false"))
		return json_false();
	bn_err_set(err, 400, "'%s': %s is not a boolean", leaf->name,
		   val_text(in, buf, sizeof(buf)));
	return NULL;
}

static const char *enum_list(const struct bn_node *leaf, char *buf, size_t len)
{
	const char *const *e;
	size_t off = 0;

	buf[0] = '\0';
	for (e = leaf->enums; e && *e && off < len; e++)
		off += snprintf(buf + off, len - off, "%s%s", off ? ", " : "", *e);
	return buf;
}

static json_t *conv_enum(const struct bn_node *leaf, const json_t *in, struct bn_err *err)
{
	char buf[TXT_MAX + 8], list[160];
	const char *s = json_string_value(in);
	const char *const *e;

	for (e = leaf->enums; s && e && *e; e++)
		if (!strcasecmp(s, *e))
			return json_string(*e);
	bn_err_set(err, 400, "'%s': %s is not one of %s", leaf->name,
		   val_text(in, buf, sizeof(buf)), enum_list(leaf, list, sizeof(list)));
	return NULL;
}

/* "xx:xx:xx:xx:xx:xx" (hex pairs), returned lower case. */
static json_t *conv_mac(const struct bn_node *leaf, const json_t *in, struct bn_err *err)
{
	char buf[TXT_MAX + 8], mac[18];
	const char *s = json_string_value(in);
	int i;

	if (!s || strlen(s) != 17)
		goto bad;
	for (i = 0; i < 17; i++) {
		if (i % 3 == 2 ? s[i] != ':' : !isxdigit((unsigned char)s[i]))
			goto bad;
		mac[i] = (char)tolower((unsigned char)s[i]);
	}
	mac[17] = '\0';
	return json_string(mac);
bad:
	bn_err_set(err, 400, "'%s': %s is not a MAC address (xx:xx:xx:xx:xx:xx)", leaf->name,
		   val_text(in, buf, sizeof(buf)));
	return NULL;
}

/* Decimal 0..max without leading zeros, exactly s[0..len). */
static bool dec_ok(const char *s, size_t len, unsigned max)
{
	unsigned v = 0;
	size_t i;

	if (len == 0 || len > 3 || (len > 1 && s[0] == '0'))
		return false;
	for (i = 0; i < len; i++) {
		if (!isdigit((unsigned char)s[i]))
			return false;
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	return v <= max;
}

/* Strict dotted quad in s[0..len). */
static bool ipv4_ok(const char *s, size_t len)
{
	size_t start = 0, i;
	int dots = 0;

	for (i = 0; i <= len; i++) {
		if (i < len && s[i] != '.')
			continue;
		if (!dec_ok(s + start, i - start, 255))
			return false;
		if (i < len)
			dots++;
		start = i + 1;
	}
	return dots == 3;
}

static json_t *conv_ipv4(const struct bn_node *leaf, const json_t *in, struct bn_err *err)
{
	char buf[TXT_MAX + 8];
	const char *s = json_string_value(in);

	if (s && ipv4_ok(s, strlen(s)))
		return json_string(s);
	bn_err_set(err, 400, "'%s': %s is not an IPv4 address", leaf->name,
		   val_text(in, buf, sizeof(buf)));
	return NULL;
}

/* "a.b.c.d/n", or "a.b.c.d" meaning /32. */
static json_t *conv_prefix(const struct bn_node *leaf, const json_t *in, struct bn_err *err)
{
	char buf[TXT_MAX + 8], out[24];
	const char *s = json_string_value(in), *slash;

	if (!s)
		goto bad;
	slash = strchr(s, '/');
	if (!slash && ipv4_ok(s, strlen(s))) {
		snprintf(out, sizeof(out), "%s/32", s);
		return json_string(out);
	}
	if (slash && ipv4_ok(s, (size_t)(slash - s)) && dec_ok(slash + 1, strlen(slash + 1), 32))
		return json_string(s);
bad:
	bn_err_set(err, 400, "'%s': %s is not an IPv4 prefix (a.b.c.d/n)", leaf->name,
		   val_text(in, buf, sizeof(buf)));
	return NULL;
}

/* 8-4-4-4-12 hex digits, returned lower case. */
static json_t *conv_uuid(const struct bn_node *leaf, const json_t *in, struct bn_err *err)
{
	char buf[TXT_MAX + 8], u[37];
	const char *s = json_string_value(in);
	int i;

	if (!s || strlen(s) != 36)
		goto bad;
	for (i = 0; i < 36; i++) {
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;

		if (dash ? s[i] != '-' : !isxdigit((unsigned char)s[i]))
			goto bad;
		u[i] = (char)tolower((unsigned char)s[i]);
	}
	u[36] = '\0';
	return json_string(u);
bad:
	bn_err_set(err, 400, "'%s': %s is not a UUID", leaf->name, val_text(in, buf, sizeof(buf)));
	return NULL;
}

json_t *bn_schema_value(const struct bn_node *leaf, const json_t *in, struct bn_err *err)
{
	if (!leaf || !is_leafy(leaf)) {
		bn_err_set(err, 400, "'%s' does not hold a value", leaf ? leaf->name : "?");
		return NULL;
	}
	if (!in || json_is_null(in)) {
		bn_err_set(err, 400, "'%s': missing value", leaf->name);
		return NULL;
	}
	switch (leaf->type) {
	case BN_T_STRING:
		return conv_string(leaf, in, err);
	case BN_T_BOOL:
		return conv_bool(leaf, in, err);
	case BN_T_INT:
		return conv_int(leaf, in, err);
	case BN_T_ENUM:
		return conv_enum(leaf, in, err);
	case BN_T_MAC:
		return conv_mac(leaf, in, err);
	case BN_T_IPV4:
		return conv_ipv4(leaf, in, err);
	case BN_T_IPV4_PREFIX:
		return conv_prefix(leaf, in, err);
	case BN_T_UUID:
		return conv_uuid(leaf, in, err);
	default:
		bn_err_set(err, 500, "'%s' has no value type in the schema", leaf->name);
		return NULL;
	}
}

/* The parsed .def of a leaf; a default the schema cannot parse is a 500. */
static json_t *default_value(const struct bn_node *n, struct bn_err *err)
{
	json_t *s = json_string(n->def), *v;

	v = s ? bn_schema_value(n, s, NULL) : NULL;
	json_decref(s);
	if (!v)
		bn_err_set(err, 500, "schema: bad default '%s' for '%s'", n->def, n->name);
	return v;
}

/* ------------------------------------------------------------------ */
/* JSON helpers: key order, list elements                              */

static void move_members(const struct bn_node *children, const struct bn_node *list,
			 json_t *from, json_t *to, bool keys)
{
	const struct bn_node *n;
	json_t *v;

	for (n = children; n && n->name; n++) {
		if (is_key(list, n) != keys)
			continue;
		v = json_object_get(from, n->name);
		if (!v)
			continue;
		json_object_set(to, n->name, v);
		json_object_del(from, n->name);
	}
}

/*
 * Rebuild obj in declaration order: key leaves of list first, then the
 * other members; members the schema does not know keep their order last.
 */
static void reorder(const struct bn_node *children, const struct bn_node *list, json_t *obj)
{
	json_t *tmp;

	if (!json_is_object(obj) || json_object_size(obj) < 2)
		return;
	tmp = json_object();
	if (!tmp)
		return;
	move_members(children, list, obj, tmp, true);
	move_members(children, list, obj, tmp, false);
	json_object_update(tmp, obj);
	json_object_clear(obj);
	json_object_update(obj, tmp);
	json_decref(tmp);
}

/* Does element el hold every member of keys with an equal value? */
static bool elem_match(const json_t *el, const json_t *keys)
{
	const char *k;
	json_t *v;

	if (!json_is_object(el) || !json_object_size(keys))
		return false;
	json_object_foreach((json_t *)keys, k, v)
		if (!json_equal(json_object_get(el, k), v))
			return false;
	return true;
}

/* The element of array arr matching keys (borrowed), its index in *idx. */
static json_t *find_elem(const json_t *arr, const json_t *keys, size_t *idx)
{
	size_t i;
	json_t *el;

	json_array_foreach(arr, i, el) {
		if (elem_match(el, keys)) {
			if (idx)
				*idx = i;
			return el;
		}
	}
	return NULL;
}

/* New {key: value} of element el of list, or NULL if a key is missing. */
static json_t *extract_keys(const struct bn_node *list, const json_t *el)
{
	const char *const *k;
	json_t *keys, *v;

	if (!list->keys || !list->keys[0])
		return NULL;
	keys = json_object();
	for (k = list->keys; keys && *k; k++) {
		v = json_object_get(el, *k);
		if (!v) {
			json_decref(keys);
			return NULL;
		}
		json_object_set(keys, *k, v);
	}
	return keys;
}

static bool array_has(const json_t *arr, const json_t *v, size_t *idx)
{
	size_t i;
	json_t *x;

	json_array_foreach(arr, i, x) {
		if (json_equal(x, v)) {
			if (idx)
				*idx = i;
			return true;
		}
	}
	return false;
}

/* ------------------------------------------------------------------ */
/* body checks                                                         */

enum chk_mode {
	CHK_CREATE,	/* POST/PUT: defaults filled, mandatory enforced */
	CHK_UPDATE,	/* PATCH: BN_INIT refused, nothing filled */
	CHK_MERGE,	/* list elements inside a PATCH: decided when applied */
};

static int check_object(const struct bn_node *children, json_t *body, enum chk_mode mode,
			const struct bn_node *list, struct bn_err *err);

/* Absent config leaves with a default, and nested containers, filled in. */
static int fill_defaults(const struct bn_node *children, json_t *obj, struct bn_err *err)
{
	const struct bn_node *n;
	json_t *v;
	int ret;

	for (n = children; n && n->name; n++) {
		if ((n->flags & (BN_RO | BN_KEY)) || json_object_get(obj, n->name))
			continue;
		if (n->kind == BN_LEAF && n->def) {
			v = default_value(n, err);
		} else if (n->kind == BN_LEAF_LIST && n->def) {
			v = default_value(n, err);
			v = v ? json_pack("[o]", v) : NULL;
		} else if (n->kind == BN_CONTAINER) {
			v = json_object();
			if (!v)
				return err_nomem(err);
			ret = fill_defaults(n->children, v, err);
			if (ret || !json_object_size(v)) {
				json_decref(v);
				if (ret)
					return ret;
				continue;
			}
		} else {
			continue;
		}
		if (!v)
			return -EIO;
		json_object_set_new(obj, n->name, v);
	}
	return 0;
}

static int check_mandatory(const struct bn_node *children, const json_t *obj, struct bn_err *err)
{
	const struct bn_node *n;

	for (n = children; n && n->name; n++)
		if ((n->flags & BN_MAND) && !(n->flags & BN_RO) && !json_object_get(obj, n->name))
			return bn_err_set(err, 400, "missing mandatory attribute '%s'", n->name);
	return 0;
}

static int check_keys_present(const struct bn_node *list, const json_t *obj, struct bn_err *err)
{
	const char *const *k;

	for (k = list->keys; k && *k; k++)
		if (!json_object_get(obj, *k))
			return bn_err_set(err, 400, "'%s': missing key attribute '%s'", list->name,
					  *k);
	return 0;
}

static int check_access(const struct bn_node *n, const char *key, enum chk_mode mode,
			struct bn_err *err)
{
	if (!n || n->kind == BN_ACTION)
		return bn_err_set(err, 400, "unknown attribute '%s'", key);
	if (n->flags & BN_RO)
		return bn_err_set(err, 400, "'%s' is read-only", key);
	if (mode == CHK_UPDATE && (n->flags & BN_INIT))
		return bn_err_set(err, 400, "'%s' can only be set at creation", key);
	return 0;
}

/* New array of validated values: v may be an array or a single scalar. */
static json_t *check_leaf_list(const struct bn_node *n, const json_t *v, struct bn_err *err)
{
	char buf[TXT_MAX + 8];
	json_t *out, *x;
	size_t i, cnt = json_is_array(v) ? json_array_size(v) : 1;

	out = json_array();
	if (!out) {
		err_nomem(err);
		return NULL;
	}
	for (i = 0; i < cnt; i++) {
		x = bn_schema_value(n, json_is_array(v) ? json_array_get(v, i) : v, err);
		if (!x)
			goto fail;
		if (array_has(out, x, NULL)) {
			bn_err_set(err, 400, "'%s': duplicate value %s", n->name,
				   val_text(x, buf, sizeof(buf)));
			json_decref(x);
			goto fail;
		}
		json_array_append_new(out, x);
	}
	if (n->max_elems && json_array_size(out) > n->max_elems) {
		bn_err_set(err, 400, "maximum number of %s reached", n->name);
		goto fail;
	}
	return out;
fail:
	json_decref(out);
	return NULL;
}

static int check_list(const struct bn_node *n, json_t *arr, enum chk_mode mode,
		      struct bn_err *err)
{
	enum chk_mode emode = mode == CHK_CREATE ? CHK_CREATE : CHK_MERGE;
	char kt[128];
	json_t *el, *keys;
	size_t i;
	int ret;

	if (!json_is_array(arr))
		return bn_err_set(err, 400, "'%s': expected a JSON array", n->name);
	json_array_foreach(arr, i, el) {
		if (!json_is_object(el))
			return bn_err_set(err, 400, "'%s': elements must be JSON objects", n->name);
		ret = check_object(n->children, el, emode, n, err);
		if (ret)
			return ret;
		keys = extract_keys(n, el);
		if (keys && find_elem(arr, keys, NULL) != el)
			ret = bn_err_set(err, 400, "duplicate %s %s", n->name,
					 keys_text(keys, kt, sizeof(kt)));
		json_decref(keys);
		if (ret)
			return ret;
	}
	if (mode == CHK_CREATE && n->max_elems && json_array_size(arr) > n->max_elems)
		return bn_err_set(err, 400, "maximum number of %s reached", n->name);
	return 0;
}

/* Validated member value (new reference), or NULL with err set. */
static json_t *check_member(const struct bn_node *n, json_t *v, enum chk_mode mode,
			    struct bn_err *err)
{
	switch (n->kind) {
	case BN_LEAF:
		return bn_schema_value(n, v, err);
	case BN_LEAF_LIST:
		return check_leaf_list(n, v, err);
	case BN_CONTAINER:
		if (!json_is_object(v)) {
			bn_err_set(err, 400, "'%s': expected a JSON object", n->name);
			return NULL;
		}
		return check_object(n->children, v, mode, NULL, err) ? NULL : json_incref(v);
	case BN_LIST:
		return check_list(n, v, mode, err) ? NULL : json_incref(v);
	default:
		bn_err_set(err, 400, "unknown attribute '%s'", n->name);
		return NULL;
	}
}

static int check_object(const struct bn_node *children, json_t *body, enum chk_mode mode,
			const struct bn_node *list, struct bn_err *err)
{
	const struct bn_node *n;
	const char *key;
	json_t *nv;
	void *it;
	int ret;

	if (!json_is_object(body))
		return bn_err_set(err, 400, "expected a JSON object");
	for (it = json_object_iter(body); it; it = json_object_iter_next(body, it)) {
		key = json_object_iter_key(it);
		n = bn_schema_child(children, key);
		ret = check_access(n, key, mode, err);
		if (ret)
			return ret;
		nv = check_member(n, json_object_iter_value(it), mode, err);
		if (!nv)
			return err_ret(err);
		json_object_iter_set_new(body, it, nv);
	}
	if (list) {
		ret = check_keys_present(list, body, err);
		if (ret)
			return ret;
	}
	if (mode == CHK_CREATE) {
		ret = fill_defaults(children, body, err);
		if (!ret)
			ret = check_mandatory(children, body, err);
		if (ret)
			return ret;
	}
	reorder(children, list, body);
	return 0;
}

int bn_schema_check(const struct bn_node *children, json_t *body, enum bn_op op,
		    struct bn_err *err)
{
	switch (op) {
	case BN_OP_CREATE:
	case BN_OP_REPLACE:
		return check_object(children, body, CHK_CREATE, NULL, err);
	case BN_OP_UPDATE:
		return check_object(children, body, CHK_UPDATE, NULL, err);
	default:
		return bn_err_set(err, 400, "operation takes no body");
	}
}

/* ------------------------------------------------------------------ */
/* path resolution                                                     */

void bn_target_clear(struct bn_target *t)
{
	if (!t)
		return;
	json_decref(t->keys);
	json_decref(t->steps);
	memset(t, 0, sizeof(*t));
}

/* Convert the key segments of list (avail of them at segs) into step["k"]. */
static int resolve_keys(const struct bn_node *list, const char *const *segs, int avail,
			json_t *step, json_t *all, struct bn_err *err)
{
	const struct bn_node *leaf;
	json_t *keys, *in, *v;
	int j;

	keys = json_object();
	if (!keys)
		return err_nomem(err);
	json_object_set_new(step, "k", keys);
	for (j = 0; list->keys[j]; j++) {
		if (j >= avail)
			return bn_err_set(err, 404, "missing key '%s' for '%s'", list->keys[j],
					  list->name);
		leaf = bn_schema_child(list->children, list->keys[j]);
		if (!leaf)
			return bn_err_set(err, 500, "schema: key '%s' of '%s' is not declared",
					  list->keys[j], list->name);
		in = json_string(segs[j]);
		v = in ? bn_schema_value(leaf, in, err) : NULL;
		json_decref(in);
		if (!v)
			return in ? err_ret(err) : err_nomem(err);
		json_object_set_new(keys, leaf->name, v);
	}
	json_object_update(all, keys);
	return j;
}

/* Does n end a path (nothing may follow)? */
static bool is_terminal(const struct bn_node *n, bool whole_list)
{
	return n->kind != BN_CONTAINER && (n->kind != BN_LIST || whole_list);
}

int bn_schema_resolve(const struct bn_node *root, const char *const *segs, int nseg,
		      struct bn_target *t, struct bn_err *err)
{
	const struct bn_node *nodes = root, *n = NULL;
	json_t *step;
	int i = 0, ret;

	memset(t, 0, sizeof(*t));
	t->keys = json_object();
	t->steps = json_array();
	if (!t->keys || !t->steps) {
		ret = err_nomem(err);
		goto fail;
	}
	while (i < nseg) {
		if (n && n->kind == BN_ACTION) {
			ret = bn_err_set(err, 404, "'%s' follows action '%s'", segs[i], n->name);
			goto fail;
		}
		if (n && is_terminal(n, t->whole_list)) {
			ret = bn_err_set(err, 404, "unknown path segment '%s'", segs[i]);
			goto fail;
		}
		n = bn_schema_child(nodes, segs[i++]);
		if (!n) {
			ret = bn_err_set(err, 404, "unknown path segment '%s'", segs[i - 1]);
			goto fail;
		}
		step = json_pack("{s:s}", "n", n->name);
		if (!step || json_array_append_new(t->steps, step)) {
			ret = err_nomem(err);
			goto fail;
		}
		if (n->kind == BN_LIST) {
			t->whole_list = i == nseg || !n->keys || !n->keys[0];
			if (!t->whole_list) {
				ret = resolve_keys(n, segs + i, nseg - i, step, t->keys, err);
				if (ret < 0)
					goto fail;
				i += ret;
			}
		}
		nodes = n->children;
	}
	t->node = n;
	return 0;
fail:
	bn_target_clear(t);
	return ret;
}

/* ------------------------------------------------------------------ */
/* applying operations                                                 */

/* Where the target lives: its parent object (NULL: absent, on DELETE). */
struct walk {
	json_t *obj;
	const struct bn_node *nodes;	/* the array declaring the target */
	const struct bn_node *list;	/* list whose element obj is, or NULL */
};

static const char *step_name(const json_t *step)
{
	return json_string_value(json_object_get(step, "n"));
}

/* Descend into (maybe creating) container n of w->obj. */
static int walk_container(struct walk *w, const struct bn_node *n, bool create,
			  struct bn_err *err)
{
	json_t *sub = json_object_get(w->obj, n->name);
	int ret;

	if (!sub && create) {
		sub = json_object();
		if (!sub)
			return err_nomem(err);
		ret = fill_defaults(n->children, sub, err);
		if (ret) {
			json_decref(sub);
			return ret;
		}
		json_object_set_new(w->obj, n->name, sub);
		reorder(w->nodes, w->list, w->obj);
	}
	w->obj = sub;
	w->list = NULL;
	return 0;
}

static int walk_parent(const struct bn_node *root, json_t *cfg, const struct bn_target *t,
		       bool create, struct walk *w, struct bn_err *err)
{
	size_t i, nsteps = json_array_size(t->steps);
	const struct bn_node *n;
	json_t *step, *k;
	char kt[128];
	int ret;

	w->obj = cfg;
	w->nodes = root;
	w->list = NULL;
	for (i = 0; i + 1 < nsteps; i++) {
		step = json_array_get(t->steps, i);
		n = bn_schema_child(w->nodes, step_name(step));
		if (!n)
			return bn_err_set(err, 404, "unknown path segment '%s'", step_name(step));
		if (n->flags & BN_RO)
			return bn_err_set(err, 400, "'%s' is read-only", n->name);
		if (n->flags & BN_INIT)
			return bn_err_set(err, 400, "'%s' can only be set at creation", n->name);
		k = json_object_get(step, "k");
		if (n->kind == BN_LIST) {
			w->obj = find_elem(json_object_get(w->obj, n->name), k, NULL);
			if (!w->obj)
				return bn_err_set(err, 404, "%s %s not found", n->name,
						  keys_text(k, kt, sizeof(kt)));
			w->list = n;
		} else {
			ret = walk_container(w, n, create, err);
			if (ret)
				return ret;
			if (!w->obj)
				return 0;
		}
		w->nodes = n->children;
	}
	return 0;
}

static int merge_object(const struct bn_node *children, const struct bn_node *list, json_t *dst,
			const json_t *src, struct bn_err *err);

/*
 * Create or update one element of list (array arr) from body el: REPLACE
 * replaces an existing element, CREATE/UPDATE merge into it.
 */
static int upsert_elem(const struct bn_node *list, json_t *arr, const json_t *el, enum bn_op op,
		       struct bn_err *err)
{
	json_t *copy, *keys, *cur;
	size_t idx = 0;
	int ret;

	if (!json_is_object(el))
		return bn_err_set(err, 400, "'%s': elements must be JSON objects", list->name);
	copy = json_deep_copy(el);
	if (!copy)
		return err_nomem(err);
	ret = check_object(list->children, copy, CHK_MERGE, list, err);
	if (ret)
		goto out;
	keys = extract_keys(list, copy);
	cur = find_elem(arr, keys, &idx);
	json_decref(keys);
	if (cur && op != BN_OP_REPLACE) {
		ret = merge_object(list->children, list, cur, copy, err);
		goto out;
	}
	ret = check_object(list->children, copy, CHK_CREATE, list, err);
	if (ret)
		goto out;
	if (cur ? json_array_set(arr, idx, copy) : json_array_append(arr, copy))
		ret = err_nomem(err);
out:
	json_decref(copy);
	return ret;
}

/* Set member n of obj to arr, or remove it if arr is empty. */
static void set_or_drop(json_t *obj, const struct bn_node *n, json_t *arr)
{
	if (json_array_size(arr))
		json_object_set(obj, n->name, arr);
	else
		json_object_del(obj, n->name);
}

/* Merge a validated array of elements into list n held by dst. */
static int merge_list(const struct bn_node *n, json_t *dst, const json_t *src, enum bn_op op,
		      struct bn_err *err)
{
	json_t *arr = json_object_get(dst, n->name), *el;
	size_t i;
	int ret = 0;

	arr = arr ? json_incref(arr) : json_array();
	if (!arr)
		return err_nomem(err);
	json_array_foreach(src, i, el) {
		ret = upsert_elem(n, arr, el, op, err);
		if (ret)
			goto out;
	}
	if (n->max_elems && json_array_size(arr) > n->max_elems) {
		ret = bn_err_set(err, 400, "maximum number of %s reached", n->name);
		goto out;
	}
	set_or_drop(dst, n, arr);
out:
	json_decref(arr);
	return ret;
}

/* Key and init-only members may only be "set" to their current value. */
static int check_fixed(const struct bn_node *n, const struct bn_node *list, const json_t *cur,
		       const json_t *v, struct bn_err *err)
{
	bool key = is_fixed_key(list, n);

	if (!key && !(n->flags & BN_INIT))
		return 0;
	if (cur && json_equal(cur, v))
		return 1;
	if (key)
		return bn_err_set(err, 400, "'%s' is a key and cannot be changed", n->name);
	return bn_err_set(err, 400, "'%s' can only be set at creation", n->name);
}

static int merge_member(const struct bn_node *n, json_t *dst, const json_t *v,
			struct bn_err *err)
{
	json_t *cur = json_object_get(dst, n->name), *sub;
	int ret;

	switch (n->kind) {
	case BN_CONTAINER:
		if (!cur) {
			sub = json_object();
			if (!sub)
				return err_nomem(err);
			ret = fill_defaults(n->children, sub, err);
			if (ret) {
				json_decref(sub);
				return ret;
			}
			json_object_set_new(dst, n->name, sub);
			cur = sub;
		}
		return merge_object(n->children, NULL, cur, v, err);
	case BN_LIST:
		return merge_list(n, dst, v, BN_OP_UPDATE, err);
	case BN_LEAF_LIST:
		if (!json_array_size(v)) {
			json_object_del(dst, n->name);
			return 0;
		}
		/* fall through */
	default:
		return json_object_set_new(dst, n->name, json_deep_copy(v)) ? err_nomem(err) : 0;
	}
}

/* Merge validated src into dst (both objects described by children). */
static int merge_object(const struct bn_node *children, const struct bn_node *list, json_t *dst,
			const json_t *src, struct bn_err *err)
{
	const struct bn_node *n;
	const char *key;
	json_t *v;
	int ret;

	json_object_foreach((json_t *)src, key, v) {
		n = bn_schema_child(children, key);
		if (!n)
			return bn_err_set(err, 400, "unknown attribute '%s'", key);
		ret = check_fixed(n, list, json_object_get(dst, key), v, err);
		if (ret > 0)
			continue;
		if (!ret)
			ret = merge_member(n, dst, v, err);
		if (ret)
			return ret;
	}
	reorder(children, list, dst);
	return 0;
}

static int apply_leaf(struct walk *w, const struct bn_node *n, enum bn_op op, json_t *body,
		      struct bn_err *err)
{
	json_t *v;

	if (is_fixed_key(w->list, n))
		return bn_err_set(err, 400, "'%s' is a key and cannot be changed", n->name);
	if (n->flags & BN_INIT)
		return bn_err_set(err, 400, "'%s' can only be set at creation", n->name);
	if (op == BN_OP_DELETE) {
		if (n->flags & BN_MAND)
			return bn_err_set(err, 400, "'%s' is mandatory", n->name);
		if (!json_object_get(w->obj, n->name))
			return bn_err_set(err, 409, "'%s' does not exist", n->name);
		if (!n->def) {
			json_object_del(w->obj, n->name);
			return 0;
		}
		v = default_value(n, err);
	} else {
		v = bn_schema_value(n, body, err);
	}
	if (!v)
		return err_ret(err);
	json_object_set_new(w->obj, n->name, v);
	reorder(w->nodes, w->list, w->obj);
	return 0;
}

/* DELETE on a leaf-list: all values, or those listed in the body. */
static int leaf_list_delete(struct walk *w, const struct bn_node *n, json_t *body,
			    struct bn_err *err)
{
	json_t *cur = json_object_get(w->obj, n->name), *vals, *v;
	char buf[TXT_MAX + 8];
	size_t i, idx;
	int ret = 0;

	if (!body || (json_is_object(body) && !json_object_size(body)) ||
	    (json_is_array(body) && !json_array_size(body))) {
		json_object_del(w->obj, n->name);
		return 0;
	}
	vals = check_leaf_list(n, body, err);
	if (!vals)
		return err_ret(err);
	json_array_foreach(vals, i, v) {
		if (!array_has(cur, v, &idx)) {
			ret = bn_err_set(err, 409, "'%s': value %s does not exist", n->name,
					 val_text(v, buf, sizeof(buf)));
			break;
		}
		json_array_remove(cur, idx);
	}
	if (!ret && !json_array_size(cur))
		json_object_del(w->obj, n->name);
	json_decref(vals);
	return ret;
}

static int apply_leaf_list(struct walk *w, const struct bn_node *n, enum bn_op op, json_t *body,
			   struct bn_err *err)
{
	json_t *cur, *vals, *v;
	char buf[TXT_MAX + 8];
	size_t i;
	int ret = 0;

	if (n->flags & BN_INIT)
		return bn_err_set(err, 400, "'%s' can only be set at creation", n->name);
	if (op == BN_OP_DELETE)
		return leaf_list_delete(w, n, body, err);
	vals = check_leaf_list(n, body, err);
	if (!vals)
		return err_ret(err);
	cur = json_object_get(w->obj, n->name);
	if (op == BN_OP_CREATE && cur) {
		json_array_foreach(vals, i, v) {
			if (array_has(cur, v, NULL)) {
				ret = bn_err_set(err, 409, "'%s': value %s already exists", n->name,
						 val_text(v, buf, sizeof(buf)));
				goto out;
			}
		}
		json_array_extend(cur, vals);
		json_decref(vals);
		vals = json_incref(cur);
	}
	if (n->max_elems && json_array_size(vals) > n->max_elems) {
		ret = bn_err_set(err, 400, "maximum number of %s reached", n->name);
		goto out;
	}
	set_or_drop(w->obj, n, vals);
	reorder(w->nodes, w->list, w->obj);
out:
	json_decref(vals);
	return ret;
}

/* A container reset to its defaults (dropped if it has none). */
static int container_reset(struct walk *w, const struct bn_node *n, struct bn_err *err)
{
	json_t *sub;
	int ret;

	if (!json_object_get(w->obj, n->name))
		return bn_err_set(err, 409, "'%s' does not exist", n->name);
	sub = json_object();
	if (!sub)
		return err_nomem(err);
	ret = fill_defaults(n->children, sub, err);
	if (!ret && json_object_size(sub))
		json_object_set(w->obj, n->name, sub);
	else if (!ret)
		json_object_del(w->obj, n->name);
	json_decref(sub);
	reorder(w->nodes, w->list, w->obj);
	return ret;
}

/* A private, validated copy of body (NULL body: {}) for children. */
static json_t *checked_copy(const struct bn_node *children, const struct bn_node *list,
			    const json_t *body, enum chk_mode mode, struct bn_err *err)
{
	json_t *own = body ? json_deep_copy(body) : json_object();

	if (!own) {
		err_nomem(err);
		return NULL;
	}
	if (check_object(children, own, mode, list, err)) {
		json_decref(own);
		return NULL;
	}
	return own;
}

static int apply_container(struct walk *w, const struct bn_node *n, enum bn_op op, json_t *body,
			   struct bn_err *err)
{
	json_t *own;
	int ret = 0;

	if (n->flags & BN_INIT)
		return bn_err_set(err, 400, "'%s' can only be set at creation", n->name);
	if (op == BN_OP_DELETE)
		return container_reset(w, n, err);
	own = checked_copy(n->children, NULL, body, op == BN_OP_UPDATE ? CHK_UPDATE : CHK_CREATE,
			   err);
	if (!own)
		return err_ret(err);
	if (op == BN_OP_UPDATE)
		ret = merge_member(n, w->obj, own, err);
	else
		json_object_set(w->obj, n->name, own);
	json_decref(own);
	if (!ret)
		reorder(w->nodes, w->list, w->obj);
	return ret;
}

static int apply_whole_list(struct walk *w, const struct bn_node *n, enum bn_op op, json_t *body,
			    struct bn_err *err)
{
	int ret;

	if (n->flags & BN_INIT)
		return bn_err_set(err, 400, "'%s' can only be set at creation", n->name);
	if (op == BN_OP_DELETE) {
		json_object_del(w->obj, n->name);
		return 0;
	}
	if (!body)
		return 0;
	if (!json_is_array(body))
		return bn_err_set(err, 400, "'%s': expected a JSON array", n->name);
	ret = merge_list(n, w->obj, body, op, err);
	if (!ret)
		reorder(w->nodes, w->list, w->obj);
	return ret;
}

/* Write the URL keys into body; a body key that disagrees is refused. */
static int put_url_keys(const struct bn_node *list, const json_t *keys, json_t *body,
			struct bn_err *err)
{
	const char *k;
	json_t *v, *b, *nb;
	char b1[TXT_MAX + 8], b2[TXT_MAX + 8];
	bool same;

	json_object_foreach((json_t *)keys, k, v) {
		b = json_object_get(body, k);
		if (b) {
			nb = bn_schema_value(bn_schema_child(list->children, k), b, err);
			if (!nb)
				return err_ret(err);
			same = json_equal(nb, v);
			json_decref(nb);
			if (!same)
				return bn_err_set(err, 400,
						  "'%s': %s in the body differs from %s in the URL",
						  k, val_text(b, b1, sizeof(b1)),
						  val_text(v, b2, sizeof(b2)));
		}
		json_object_set_new(body, k, json_deep_copy(v));
	}
	return 0;
}

/* Add a new, checked element to list n of w->obj. */
static int elem_append(struct walk *w, const struct bn_node *n, json_t *own, struct bn_err *err)
{
	json_t *arr = json_object_get(w->obj, n->name);

	if (n->max_elems && json_array_size(arr) >= n->max_elems)
		return bn_err_set(err, 400, "maximum number of %s reached", n->name);
	if (!arr) {
		arr = json_array();
		if (!arr || json_object_set_new(w->obj, n->name, arr))
			return err_nomem(err);
		reorder(w->nodes, w->list, w->obj);
	}
	return json_array_append(arr, own) ? err_nomem(err) : 0;
}

static int apply_elem(struct walk *w, const struct bn_node *n, const json_t *keys, enum bn_op op,
		      json_t *body, struct bn_err *err)
{
	json_t *arr = json_object_get(w->obj, n->name), *cur, *own;
	size_t idx = 0;
	char kt[128];
	int ret;

	if (n->flags & BN_INIT)
		return bn_err_set(err, 400, "'%s' can only be set at creation", n->name);
	cur = find_elem(arr, keys, &idx);
	keys_text(keys, kt, sizeof(kt));
	if (op == BN_OP_DELETE) {
		if (!cur)
			return bn_err_set(err, 409, "%s %s does not exist", n->name, kt);
		json_array_remove(arr, idx);
		set_or_drop(w->obj, n, arr);
		return 0;
	}
	if (op == BN_OP_UPDATE && !cur)
		return bn_err_set(err, 404, "%s %s not found", n->name, kt);
	if (op == BN_OP_CREATE && cur)
		return bn_err_set(err, 409, "%s %s already exists", n->name, kt);
	if (body && !json_is_object(body))
		return bn_err_set(err, 400, "'%s': expected a JSON object", n->name);
	own = body ? json_deep_copy(body) : json_object();
	if (!own)
		return err_nomem(err);
	ret = put_url_keys(n, keys, own, err);
	if (!ret)
		ret = check_object(n->children, own,
				   op == BN_OP_UPDATE ? CHK_UPDATE : CHK_CREATE, n, err);
	if (ret)
		goto out;
	if (op == BN_OP_UPDATE)
		ret = merge_object(n->children, n, cur, own, err);
	else if (cur)
		ret = json_array_set(arr, idx, own) ? err_nomem(err) : 0;
	else
		ret = elem_append(w, n, own, err);
out:
	json_decref(own);
	return ret;
}

static int apply_root(const struct bn_node *root, json_t *cfg, enum bn_op op, json_t *body,
		      struct bn_err *err)
{
	json_t *own;
	int ret = 0;

	if (op == BN_OP_DELETE)
		return bn_err_set(err, 405, "the cube itself is not deleted through its schema");
	own = checked_copy(root, NULL, body, op == BN_OP_UPDATE ? CHK_UPDATE : CHK_CREATE, err);
	if (!own)
		return err_ret(err);
	if (op == BN_OP_UPDATE) {
		ret = merge_object(root, NULL, cfg, own, err);
	} else {
		json_object_clear(cfg);
		json_object_update(cfg, own);
	}
	json_decref(own);
	return ret;
}

static int apply_op(const struct bn_node *root, json_t *cfg, const struct bn_target *t,
		    enum bn_op op, json_t *body, struct bn_err *err)
{
	const struct bn_node *n = t ? t->node : NULL;
	struct walk w;
	json_t *last;
	int ret;

	if (!n)
		return apply_root(root, cfg, op, body, err);
	if (n->flags & BN_RO)
		return bn_err_set(err, 400, "'%s' is read-only", n->name);
	if (n->kind == BN_ACTION)
		return bn_err_set(err, 405, "'%s' is an action: use POST", n->name);
	ret = walk_parent(root, cfg, t, op != BN_OP_DELETE, &w, err);
	if (ret)
		return ret;
	/* DELETE below a container that is not there: only "all of" succeeds */
	if (!w.obj && n->kind != BN_LEAF_LIST && !(n->kind == BN_LIST && t->whole_list))
		return bn_err_set(err, 409, "'%s' does not exist", n->name);
	switch (n->kind) {
	case BN_LEAF:
		return apply_leaf(&w, n, op, body, err);
	case BN_LEAF_LIST:
		return apply_leaf_list(&w, n, op, body, err);
	case BN_CONTAINER:
		return apply_container(&w, n, op, body, err);
	case BN_LIST:
		if (t->whole_list)
			return apply_whole_list(&w, n, op, body, err);
		last = json_array_get(t->steps, json_array_size(t->steps) - 1);
		return apply_elem(&w, n, json_object_get(last, "k"), op, body, err);
	default:
		return bn_err_set(err, 500, "schema: bad node kind for '%s'", n->name);
	}
}

/* All or nothing: the operation runs on a copy, committed on success. */
int bn_schema_apply(const struct bn_node *root, json_t *cfg, const struct bn_target *t,
		    enum bn_op op, json_t *body, struct bn_err *err)
{
	json_t *work;
	int ret;

	if (!json_is_object(cfg))
		return bn_err_set(err, 500, "configuration is not a JSON object");
	if (op == BN_OP_GET)
		return 0;
	work = json_deep_copy(cfg);
	if (!work)
		return err_nomem(err);
	ret = apply_op(root, work, t, op, body, err);
	if (!ret) {
		json_object_clear(cfg);
		ret = json_object_update(cfg, work) ? err_nomem(err) : 0;
	}
	json_decref(work);
	return ret;
}

/* ------------------------------------------------------------------ */
/* reading                                                             */

/* The value of the last step when absent: [] for lists, {} for containers. */
static json_t *empty_for(const struct bn_target *t, bool last)
{
	if (!last || t->node->kind == BN_CONTAINER)
		return json_object();
	if (t->whole_list || t->node->kind == BN_LEAF_LIST)
		return json_array();
	return NULL;
}

json_t *bn_schema_get(json_t *doc, const struct bn_target *t, struct bn_err *err)
{
	size_t i, nsteps;
	json_t *obj = doc, *step, *sub, *k;
	const char *name;
	char kt[128];

	if (!t || !t->node)
		return doc;
	if (t->node->kind == BN_ACTION) {
		bn_err_set(err, 405, "'%s' is an action: use POST", t->node->name);
		return NULL;
	}
	nsteps = json_array_size(t->steps);
	for (i = 0; i < nsteps; i++) {
		step = json_array_get(t->steps, i);
		name = step_name(step);
		k = json_object_get(step, "k");
		if (!json_is_object(obj))
			goto missing;
		sub = json_object_get(obj, name);
		if (k) {
			sub = find_elem(sub, k, NULL);
			if (!sub) {
				bn_err_set(err, 404, "%s %s not found", name,
					   keys_text(k, kt, sizeof(kt)));
				return NULL;
			}
		} else if (!sub) {
			/* absent == empty: lists and containers read as []/{} */
			sub = empty_for(t, i + 1 == nsteps);
			if (!sub || json_object_set_new(obj, name, sub))
				goto missing;
		}
		obj = sub;
	}
	return obj;
missing:
	bn_err_set(err, 404, "no such element '%s'", t->node->name);
	return NULL;
}

static json_t *render_object(const struct bn_node *children, const struct bn_node *list,
			     const json_t *cfg, const json_t *state);

/* Absent, {} or []: omitted from a rendering. */
static bool is_empty(const json_t *v)
{
	if (json_is_object(v))
		return !json_object_size(v);
	if (json_is_array(v))
		return !json_array_size(v);
	return !v;
}

static json_t *render_list(const struct bn_node *n, const json_t *carr, const json_t *sarr)
{
	json_t *out = json_array(), *el, *keys, *st;
	size_t i;

	json_array_foreach(carr, i, el) {
		keys = extract_keys(n, el);
		st = keys ? find_elem(sarr, keys, NULL) : NULL;
		json_decref(keys);
		json_array_append_new(out, render_object(n->children, n, el, st));
	}
	json_array_foreach(sarr, i, st) {
		keys = extract_keys(n, st);
		el = keys ? find_elem(carr, keys, NULL) : NULL;
		json_decref(keys);
		if (!el)
			json_array_append_new(out, render_object(n->children, n, NULL, st));
	}
	return out;
}

static void render_member(const struct bn_node *n, json_t *out, const json_t *cfg,
			  const json_t *state)
{
	json_t *c = json_object_get(cfg, n->name), *s = json_object_get(state, n->name), *v;

	switch (n->kind) {
	case BN_LEAF:
		v = json_deep_copy(c ? c : s);
		break;
	case BN_LEAF_LIST:
		v = json_array_size(c) ? json_deep_copy(c) : json_deep_copy(s);
		break;
	case BN_CONTAINER:
		v = render_object(n->children, NULL, c, s);
		break;
	case BN_LIST:
		v = render_list(n, c, s);
		break;
	default:
		return;
	}
	if (is_empty(v))
		json_decref(v);
	else
		json_object_set_new(out, n->name, v);
}

static json_t *render_object(const struct bn_node *children, const struct bn_node *list,
			     const json_t *cfg, const json_t *state)
{
	const struct bn_node *n;
	json_t *out = json_object();
	int pass;

	for (pass = list ? 0 : 1; out && pass < 2; pass++)
		for (n = children; n && n->name; n++)
			if (is_key(list, n) == !pass)
				render_member(n, out, cfg, state);
	return out;
}

json_t *bn_schema_render(const struct bn_node *root, const json_t *cfg, const json_t *state)
{
	return render_object(root, NULL, cfg, state);
}

/* ------------------------------------------------------------------ */
/* help and completion (POLYCUBE.md 1.6)                               */

enum help_cmd { H_NONE, H_ADD, H_SET, H_SHOW, H_DEL, H_BAD };

/* Which children a help answer lists. */
enum help_sel {
	SEL_SHOW,	/* everything readable but keys and actions */
	SEL_SET,	/* writable leaves */
	SEL_ADD,	/* writable leaves including init-only ones */
	SEL_COMPLEX,	/* containers, lists, actions */
	SEL_INPUT,	/* action input: every member */
};

static enum help_cmd help_cmd_parse(const char *s)
{
	static const char *const names[] = { "NONE", "ADD", "SET", "SHOW", "DEL" };
	unsigned i;

	if (!s || !*s)
		return H_NONE;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcasecmp(s, names[i]))
			return (enum help_cmd)i;
	return H_BAD;
}

static bool selected(const struct bn_node *n, const struct bn_node *list, enum help_sel sel)
{
	bool key = is_fixed_key(list, n);

	switch (sel) {
	case SEL_SHOW:
		return !key && n->kind != BN_ACTION;
	case SEL_SET:
		return is_leafy(n) && !key && !(n->flags & (BN_RO | BN_INIT));
	case SEL_ADD:
		return is_leafy(n) && !key && !(n->flags & BN_RO);
	case SEL_COMPLEX:
		return !key && !is_leafy(n);
	default:
		return true;
	}
}

static const char *simple_type(const struct bn_node *n)
{
	switch (n->type) {
	case BN_T_BOOL:
		return "boolean";
	case BN_T_INT:
		return "integer";
	case BN_T_ENUM:
		return "enum";
	default:
		return "string";
	}
}

static const char *help_example(const struct bn_node *n, char *buf, size_t len)
{
	if (n->def && *n->def)
		return n->def;
	switch (n->type) {
	case BN_T_ENUM:
		return enum_list(n, buf, len);
	case BN_T_INT:
		snprintf(buf, len, "%" PRId64 "..%" PRId64, n->min, n->max);
		return buf;
	case BN_T_BOOL:
		return "true";
	case BN_T_MAC:
		return "aa:bb:cc:dd:ee:ff";
	case BN_T_IPV4:
		return "10.0.0.1";
	case BN_T_IPV4_PREFIX:
		return "10.0.0.0/24";
	default:
		return "";
	}
}

static json_t *node_help(const struct bn_node *n, bool key)
{
	static const char *const kinds[] = {
		[BN_LEAF] = "leaf", [BN_LEAF_LIST] = "leaf", [BN_CONTAINER] = "complex",
		[BN_LIST] = "list", [BN_ACTION] = "action",
	};
	const char *kind = n->kind <= BN_ACTION && kinds[n->kind] ? kinds[n->kind] : "leaf";
	char buf[160];
	json_t *o;

	o = json_pack("{s:s, s:s}", "name", n->name, "type", key ? "key" : kind);
	if (o && is_leafy(n))
		json_object_set_new(o, "simpletype", json_string(simple_type(n)));
	if (o)
		json_object_set_new(o, "description", json_string(n->desc ? n->desc : ""));
	if (o)
		json_object_set_new(o, "example", json_string(help_example(n, buf, sizeof(buf))));
	return o;
}

static json_t *help_params(const struct bn_node *nodes, const struct bn_node *list,
			   enum help_sel sel)
{
	const struct bn_node *n;
	json_t *o = json_object();

	for (n = nodes; o && n && n->name; n++)
		if (selected(n, list, sel))
			json_object_set_new(o, n->name, node_help(n, false));
	return o;
}

static json_t *help_words(const struct bn_node *nodes, const struct bn_node *list,
			  enum help_sel sel, const char *suffix)
{
	const struct bn_node *n;
	json_t *a = json_array();
	char buf[256];

	for (n = nodes; a && n && n->name; n++) {
		if (!selected(n, list, sel))
			continue;
		snprintf(buf, sizeof(buf), "%s%s", n->name, suffix);
		json_array_append_new(a, json_string(buf));
	}
	return a;
}

static json_t *add_strings(json_t *a, const char *const *words)
{
	for (; a && words && *words; words++)
		json_array_append_new(a, json_string(*words));
	return a;
}

static json_t *strings(const char *const *words)
{
	return add_strings(json_array(), words);
}

/* Any node on the path read-only? */
static bool path_ro(const struct bn_node *root, const struct bn_target *t)
{
	const struct bn_node *nodes = root, *n;
	size_t i;

	for (i = 0; i < json_array_size(t->steps); i++) {
		n = bn_schema_child(nodes, step_name(json_array_get(t->steps, i)));
		if (!n)
			return false;
		if (n->flags & BN_RO)
			return true;
		nodes = n->children;
	}
	return false;
}

/* Help of the cube, a container or a list element ("addable": not a container). */
static json_t *help_object(const struct bn_node *nodes, const struct bn_node *list, bool addable,
			   bool ro, enum help_cmd c, bool completion)
{
	static const char *const cmds[] = { "set", "show", NULL };

	if (completion) {
		json_t *a;

		switch (c) {
		case H_SHOW:
			return help_words(nodes, list, SEL_SHOW, "");
		case H_SET:
			return ro ? json_array() : help_words(nodes, list, SEL_SET, "=");
		case H_ADD:
			if (!addable || ro)
				return json_array();
			return help_words(nodes, list, SEL_ADD, "=");
		case H_NONE:
			a = help_words(nodes, list, SEL_COMPLEX, "");
			return add_strings(a, ro ? cmds + 1 : cmds);
		default:
			return json_array();
		}
	}
	switch (c) {
	case H_SHOW:
		return json_pack("{s:o}", "params", help_params(nodes, list, SEL_SHOW));
	case H_SET:
		if (ro)
			return json_pack("{s:{}}", "params");
		return json_pack("{s:o}", "params", help_params(nodes, list, SEL_SET));
	case H_ADD:
		if (!addable || ro)
			return json_pack("{s:{}}", "params");
		return json_pack("{s:{}, s:o}", "params", "optional-params",
				 help_params(nodes, list, SEL_ADD));
	case H_NONE:
		return json_pack("{s:o, s:o}", "commands", strings(ro ? cmds + 1 : cmds), "params",
				 help_params(nodes, list, SEL_COMPLEX));
	default:
		return json_pack("{s:{}}", "params");
	}
}

/* The subtree of doc at the steps of t, without creating anything. */
static const json_t *doc_lookup(const json_t *doc, const struct bn_target *t)
{
	size_t i;
	const json_t *obj = doc;
	json_t *step, *k;

	for (i = 0; obj && i < json_array_size(t->steps); i++) {
		step = json_array_get(t->steps, i);
		obj = json_object_get(obj, step_name(step));
		k = json_object_get(step, "k");
		if (k)
			obj = find_elem(obj, k, NULL);
	}
	return obj;
}

/* [{key: value}] of the existing elements of list n in doc. */
static json_t *list_elements(const struct bn_node *n, const struct bn_target *t,
			     const json_t *doc)
{
	const json_t *arr = doc ? doc_lookup(doc, t) : NULL;
	json_t *out = json_array(), *el, *keys;
	size_t i;

	json_array_foreach(arr, i, el) {
		keys = extract_keys(n, el);
		if (keys)
			json_array_append_new(out, keys);
	}
	return out;
}

static json_t *list_key_params(const struct bn_node *n)
{
	const char *const *k;
	const struct bn_node *leaf;
	json_t *o = json_object();

	for (k = n->keys; o && k && *k; k++) {
		leaf = bn_schema_child(n->children, *k);
		if (leaf)
			json_object_set_new(o, *k, node_help(leaf, true));
	}
	return o;
}

/* Completion words for a whole list: the first key of each element. */
static json_t *list_completion(const struct bn_node *n, json_t *elements, bool ro,
			       enum help_cmd c)
{
	static const char *const cmds[] = { "add", "del", "show", NULL };
	char buf[256];
	json_t *a = json_array(), *el;
	size_t i;

	if (c == H_ADD) {
		snprintf(buf, sizeof(buf), "<%s>", n->keys && n->keys[0] ? n->keys[0] : "key");
		json_array_append_new(a, json_string(buf));
		return a;
	}
	json_array_foreach(elements, i, el) {
		scalar_text(json_object_get(el, n->keys[0]), buf, sizeof(buf));
		json_array_append_new(a, json_string(buf));
	}
	if (c == H_NONE)
		add_strings(a, ro ? cmds + 2 : cmds);
	return a;
}

static json_t *help_list(const struct bn_node *n, const struct bn_target *t, const json_t *doc,
			 bool ro, enum help_cmd c, bool completion)
{
	static const char *const cmds[] = { "add", "del", "show", NULL };
	json_t *elements = list_elements(n, t, doc), *out;

	if (completion) {
		out = list_completion(n, elements, ro, c);
		json_decref(elements);
		return out;
	}
	out = json_object();
	if (out && c == H_NONE)
		json_object_set_new(out, "commands", strings(ro ? cmds + 2 : cmds));
	if (out)
		json_object_set_new(out, "params", list_key_params(n));
	if (out && c == H_ADD && !ro)
		json_object_set_new(out, "optional-params", help_params(n->children, n, SEL_ADD));
	if (out && c != H_ADD)
		json_object_set(out, "elements", elements);
	json_decref(elements);
	return out;
}

static json_t *help_leaf(const struct bn_node *n, bool completion)
{
	static const char *const bools[] = { "true", "false", NULL };

	if (!completion)
		return json_pack("{s:{s:o}}", "params", n->name, node_help(n, false));
	if (n->type == BN_T_ENUM)
		return strings(n->enums);
	if (n->type == BN_T_BOOL)
		return strings(bools);
	return json_array();
}

static json_t *help_action(const struct bn_node *n, bool completion)
{
	if (completion)
		return help_words(n->children, NULL, SEL_INPUT, "=");
	return json_pack("{s:o}", "params", help_params(n->children, NULL, SEL_INPUT));
}

json_t *bn_schema_help(const struct bn_node *root, const struct bn_target *t, const json_t *doc,
		       const char *cmd, bool completion)
{
	enum help_cmd c = help_cmd_parse(cmd);
	const struct bn_node *n = t ? t->node : NULL;
	bool ro;

	if (c == H_BAD)
		return NULL;
	if (!n)
		return help_object(root, NULL, true, false, c, completion);
	ro = path_ro(root, t);
	switch (n->kind) {
	case BN_LEAF:
	case BN_LEAF_LIST:
		return help_leaf(n, completion);
	case BN_CONTAINER:
		return help_object(n->children, NULL, false, ro, c, completion);
	case BN_LIST:
		if (t->whole_list)
			return help_list(n, t, doc, ro, c, completion);
		return help_object(n->children, n, true, ro, c, completion);
	case BN_ACTION:
		return help_action(n, completion);
	default:
		return NULL;
	}
}
