// SPDX-License-Identifier: Apache-2.0
/* YAML in (the stdin body) and YAML out (show -yaml), through libyaml. */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

#include "request.h"
#include "strbuf.h"
#include "yaml.h"

#define YAML_MAX_DEPTH 64
#define STDIN_MAX (64 << 20)
#define STDIN_TIMEOUT_MS 30000

static bool null_word(const char *s, size_t len)
{
	static const char *const words[] = { "", "~", "null", "Null", "NULL" };
	size_t i;

	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strlen(words[i]) == len && !memcmp(words[i], s, len))
			return true;
	return false;
}

static json_t *scalar_to_json(const yaml_node_t *node)
{
	const char *s = (const char *)node->data.scalar.value;
	size_t len = node->data.scalar.length;

	if (node->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return json_stringn(s, len);
	if (null_word(s, len))
		return json_null();
	if (memchr(s, '\0', len))
		return json_stringn(s, len);
	return cli_typed_value(s);
}

static int node_to_json(yaml_document_t *doc, yaml_node_t *node, int depth,
			json_t **out, struct cli_error *e);

static int mapping_to_json(yaml_document_t *doc, yaml_node_t *node, int depth,
			   json_t **out, struct cli_error *e)
{
	yaml_node_pair_t *pair;
	yaml_node_t *key;
	json_t *obj = json_object(), *val;
	char *name;
	int err = 0;

	if (!obj)
		return cli_seterr(e, ENOMEM, "out of memory");
	for (pair = node->data.mapping.pairs.start;
	     pair < node->data.mapping.pairs.top && !err; pair++) {
		key = yaml_document_get_node(doc, pair->key);
		if (!key || key->type != YAML_SCALAR_NODE) {
			err = cli_seterr(e, EINVAL, "stdin: only scalar keys are supported (line %zu)",
					 node->start_mark.line + 1);
			break;
		}
		err = node_to_json(doc, yaml_document_get_node(doc, pair->value),
				   depth + 1, &val, e);
		if (err)
			break;
		name = strndup((const char *)key->data.scalar.value,
			       key->data.scalar.length);
		if (!name || json_object_set_new(obj, name, val))
			err = cli_seterr(e, ENOMEM, "out of memory");
		free(name);
	}
	if (err)
		json_decref(obj);
	else
		*out = obj;
	return err;
}

static int sequence_to_json(yaml_document_t *doc, yaml_node_t *node, int depth,
			    json_t **out, struct cli_error *e)
{
	yaml_node_item_t *item;
	json_t *arr = json_array(), *val;
	int err = 0;

	if (!arr)
		return cli_seterr(e, ENOMEM, "out of memory");
	for (item = node->data.sequence.items.start;
	     item < node->data.sequence.items.top && !err; item++) {
		err = node_to_json(doc, yaml_document_get_node(doc, *item),
				   depth + 1, &val, e);
		if (!err && json_array_append_new(arr, val))
			err = cli_seterr(e, ENOMEM, "out of memory");
	}
	if (err)
		json_decref(arr);
	else
		*out = arr;
	return err;
}

static int node_to_json(yaml_document_t *doc, yaml_node_t *node, int depth,
			json_t **out, struct cli_error *e)
{
	if (!node)
		return cli_seterr(e, EINVAL, "stdin: broken YAML document");
	if (depth > YAML_MAX_DEPTH)
		return cli_seterr(e, EINVAL, "stdin: YAML nested too deeply");
	switch (node->type) {
	case YAML_MAPPING_NODE:
		return mapping_to_json(doc, node, depth, out, e);
	case YAML_SEQUENCE_NODE:
		return sequence_to_json(doc, node, depth, out, e);
	case YAML_SCALAR_NODE:
		*out = scalar_to_json(node);
		return *out ? 0 : cli_seterr(e, ENOMEM, "out of memory");
	default:
		return cli_seterr(e, EINVAL, "stdin: empty YAML node");
	}
}

int cli_yaml_to_json(const char *text, size_t len, json_t **out,
		     struct cli_error *e)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	yaml_node_t *root;
	int err = 0;

	*out = NULL;
	if (!yaml_parser_initialize(&parser))
		return cli_seterr(e, ENOMEM, "out of memory");
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	if (!yaml_parser_load(&parser, &doc)) {
		err = cli_seterr(e, EINVAL, "stdin is not valid YAML: %s at line %zu column %zu",
				 parser.problem ? parser.problem : "syntax error",
				 parser.problem_mark.line + 1,
				 parser.problem_mark.column + 1);
		goto out_parser;
	}
	root = yaml_document_get_root_node(&doc);
	if (root)
		err = node_to_json(&doc, root, 0, out, e);
	yaml_document_delete(&doc);
out_parser:
	yaml_parser_delete(&parser);
	return err;
}

/* Is there something to read on @fd right now, without blocking? */
static bool stdin_has_data(int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	struct stat st;

	if (isatty(fd) || fstat(fd, &st))
		return false;
	if (S_ISREG(st.st_mode))
		return st.st_size > 0;
	if (!S_ISFIFO(st.st_mode) && !S_ISSOCK(st.st_mode))
		return false;
	return poll(&pfd, 1, 0) == 1 && (pfd.revents & POLLIN);
}

/* Read to EOF; a writer that stalls for STDIN_TIMEOUT_MS is an error. */
static int read_all(int fd, struct strbuf *sb, struct cli_error *e)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	ssize_t n;
	int err;

	for (;;) {
		err = sb_grow(sb, 4096);
		if (err)
			return cli_seterr(e, ENOMEM, "out of memory");
		n = poll(&pfd, 1, STDIN_TIMEOUT_MS);
		if (n < 0 && errno == EINTR)
			continue;
		if (n == 0)
			return cli_seterr(e, ETIMEDOUT, "timed out reading the body on stdin");
		n = read(fd, sb->buf + sb->len, 4096);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return cli_seterr(e, errno, "cannot read stdin: %s", strerror(errno));
		if (n == 0)
			return 0;
		sb->len += n;
		sb->buf[sb->len] = '\0';
		if (sb->len > STDIN_MAX)
			return cli_seterr(e, EFBIG, "stdin body is too large");
	}
}

int cli_read_stdin_body(int fd, json_t **out, struct cli_error *e)
{
	struct strbuf sb = STRBUF_INIT;
	int err = 0;

	*out = NULL;
	if (!stdin_has_data(fd))
		return 0;
	err = read_all(fd, &sb, e);
	if (!err && sb.len)
		err = cli_yaml_to_json(sb.buf, sb.len, out, e);
	sb_release(&sb);
	return err;
}

/* ---- JSON -> YAML ---- */

static int write_file(void *data, unsigned char *buf, size_t size)
{
	return fwrite(buf, 1, size, data) == size;
}

static int emit(yaml_emitter_t *em, yaml_event_t *ev, int ok)
{
	if (!ok)
		return -ENOMEM;
	return yaml_emitter_emit(em, ev) ? 0 : -EIO;
}

static int emit_plain(yaml_emitter_t *em, const char *s)
{
	yaml_event_t ev;

	return emit(em, &ev, yaml_scalar_event_initialize(&ev, NULL, NULL,
			(yaml_char_t *)s, strlen(s), 1, 1,
			YAML_PLAIN_SCALAR_STYLE));
}

/* A string a reader would take for something else goes in quotes. */
static bool needs_quotes(const char *s)
{
	static const char *const words[] = {
		"y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO",
		"on", "On", "ON", "off", "Off", "OFF",
	};
	json_t *typed;
	size_t i;
	bool ret;

	if (null_word(s, strlen(s)))
		return true;
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (!strcmp(s, words[i]))
			return true;
	typed = cli_typed_value(s);
	ret = !json_is_string(typed);
	json_decref(typed);
	return ret;
}

static int emit_string(yaml_emitter_t *em, const json_t *v)
{
	const char *s = json_string_value(v);
	bool quote = needs_quotes(s);
	yaml_event_t ev;

	return emit(em, &ev, yaml_scalar_event_initialize(&ev, NULL, NULL,
			(yaml_char_t *)s, json_string_length(v), !quote, 1,
			quote ? YAML_DOUBLE_QUOTED_SCALAR_STYLE :
				YAML_ANY_SCALAR_STYLE));
}

static int emit_number(yaml_emitter_t *em, const json_t *v)
{
	char buf[64];
	double d;

	if (json_is_integer(v)) {
		snprintf(buf, sizeof(buf), "%" JSON_INTEGER_FORMAT,
			 json_integer_value(v));
		return emit_plain(em, buf);
	}
	d = json_real_value(v);
	snprintf(buf, sizeof(buf), "%.15g", d);
	if (strtod(buf, NULL) != d)
		snprintf(buf, sizeof(buf), "%.17g", d);
	return emit_plain(em, buf);
}

static int emit_node(yaml_emitter_t *em, const json_t *v);

static int cmp_keys(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int emit_object(yaml_emitter_t *em, const json_t *obj)
{
	const char **keys;
	const char *key;
	yaml_event_t ev;
	size_t n = 0, i;
	json_t *v;
	int err;

	keys = calloc(json_object_size(obj) + 1, sizeof(*keys));
	if (!keys)
		return -ENOMEM;
	json_object_foreach((json_t *)obj, key, v)
		keys[n++] = key;
	qsort(keys, n, sizeof(*keys), cmp_keys);
	err = emit(em, &ev, yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1,
			YAML_ANY_MAPPING_STYLE));
	for (i = 0; i < n && !err; i++) {
		json_t *k = json_string(keys[i]);

		err = k ? emit_string(em, k) : -ENOMEM;
		json_decref(k);
		if (!err)
			err = emit_node(em, json_object_get(obj, keys[i]));
	}
	if (!err)
		err = emit(em, &ev, yaml_mapping_end_event_initialize(&ev));
	free(keys);
	return err;
}

static int emit_array(yaml_emitter_t *em, const json_t *arr)
{
	yaml_event_t ev;
	size_t i;
	json_t *v;
	int err;

	err = emit(em, &ev, yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1,
			YAML_ANY_SEQUENCE_STYLE));
	json_array_foreach(arr, i, v) {
		if (err)
			break;
		err = emit_node(em, v);
	}
	if (!err)
		err = emit(em, &ev, yaml_sequence_end_event_initialize(&ev));
	return err;
}

static int emit_node(yaml_emitter_t *em, const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return emit_object(em, v);
	case JSON_ARRAY:
		return emit_array(em, v);
	case JSON_STRING:
		return emit_string(em, v);
	case JSON_INTEGER:
	case JSON_REAL:
		return emit_number(em, v);
	case JSON_TRUE:
		return emit_plain(em, "true");
	case JSON_FALSE:
		return emit_plain(em, "false");
	default:
		return emit_plain(em, "null");
	}
}

int cli_print_yaml(FILE *f, const json_t *body)
{
	yaml_emitter_t em;
	yaml_event_t ev;
	int err;

	if (!yaml_emitter_initialize(&em))
		return -ENOMEM;
	yaml_emitter_set_output(&em, write_file, f);
	yaml_emitter_set_unicode(&em, 1);
	yaml_emitter_set_width(&em, -1);
	err = emit(&em, &ev, yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING));
	if (!err)
		err = emit(&em, &ev, yaml_document_start_event_initialize(&ev, NULL,
				NULL, NULL, 1));
	if (!err)
		err = emit_node(&em, body);
	if (!err)
		err = emit(&em, &ev, yaml_document_end_event_initialize(&ev, 1));
	if (!err)
		err = emit(&em, &ev, yaml_stream_end_event_initialize(&ev));
	if (!err && !yaml_emitter_flush(&em))
		err = -EIO;
	yaml_emitter_delete(&em);
	if (!err)
		fputc('\n', f);
	return err;
}
