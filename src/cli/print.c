// SPDX-License-Identifier: Apache-2.0
/*
 * Pretty printer (POLYCUBE.md 1.5). An object prints its scalars, then its
 * objects, then its arrays as tables; the depth limits how far arrays nested
 * in arrays are expanded.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "print.h"
#include "request.h"
#include "yaml.h"

struct column {
	char *name;
	char **cells;		/* NULL = empty cell */
	size_t n;
};

struct table {
	struct column *cols;
	size_t ncols;
};

static int object_values(const json_t *obj, int deep, struct table *t);

int cli_format_scalar(struct strbuf *sb, const json_t *v)
{
	double d;

	switch (json_typeof(v)) {
	case JSON_STRING:
		return sb_add(sb, json_string_value(v), json_string_length(v));
	case JSON_INTEGER:
		return sb_addf(sb, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
	case JSON_REAL:
		d = json_real_value(v);
		if (d == floor(d) && fabs(d) < 1e15)
			return sb_addf(sb, "%.0f", d);
		return sb_addf(sb, "%f", d);
	case JSON_TRUE:
		return sb_adds(sb, "true");
	case JSON_FALSE:
		return sb_adds(sb, "false");
	case JSON_NULL:
		return sb_adds(sb, "<nil>");
	default:
		return -EINVAL;
	}
}

size_t cli_text_width(const char *s)
{
	size_t w = 0;

	for (; *s; s++)
		w += ((unsigned char)*s & 0xc0) != 0x80;
	return w;
}

static bool is_scalar(const json_t *v)
{
	return !json_is_object(v) && !json_is_array(v);
}

static void table_free(struct table *t)
{
	size_t i, j;

	for (i = 0; i < t->ncols; i++) {
		for (j = 0; j < t->cols[i].n; j++)
			free(t->cols[i].cells[j]);
		free(t->cols[i].cells);
		free(t->cols[i].name);
	}
	free(t->cols);
	t->cols = NULL;
	t->ncols = 0;
}

/* Find the column called @name, appending it if new. */
static struct column *table_col(struct table *t, const char *name)
{
	struct column *c;
	size_t i;

	for (i = 0; i < t->ncols; i++)
		if (!strcmp(t->cols[i].name, name))
			return &t->cols[i];
	c = realloc(t->cols, (t->ncols + 1) * sizeof(*c));
	if (!c)
		return NULL;
	t->cols = c;
	c += t->ncols;
	memset(c, 0, sizeof(*c));
	c->name = strdup(name);
	if (!c->name)
		return NULL;
	t->ncols++;
	return c;
}

/* Append @cell (taken, may be NULL) to @c. */
static int col_push(struct column *c, char *cell)
{
	char **p = realloc(c->cells, (c->n + 1) * sizeof(*p));

	if (!p) {
		free(cell);
		return -ENOMEM;
	}
	c->cells = p;
	p[c->n++] = cell;
	return 0;
}

static int col_pad(struct column *c, size_t rows)
{
	int err = 0;

	while (c->n < rows && !err)
		err = col_push(c, NULL);
	return err;
}

static int col_push_scalar(struct column *c, const json_t *v)
{
	struct strbuf sb = STRBUF_INIT;
	int err = cli_format_scalar(&sb, v);

	if (err) {
		sb_release(&sb);
		return err;
	}
	return col_push(c, sb_take(&sb));
}

/* Move every cell of @src after the @pad rows already in @dst. */
static int col_merge(struct column *dst, struct column *src, size_t pad)
{
	size_t i;
	int err = col_pad(dst, pad);

	for (i = 0; i < src->n && !err; i++) {
		err = col_push(dst, src->cells[i]);
		src->cells[i] = NULL;
	}
	return err;
}

/* Rows of an array: one per element (more if elements hold arrays). */
static int slice_values(const json_t *arr, int deep, struct table *t)
{
	size_t i, j, rows = 0, delta;
	struct table sub = { 0 };
	struct column *c;
	json_t *el;
	int err = 0;

	json_array_foreach(arr, i, el) {
		delta = 0;
		if (json_is_object(el)) {
			err = object_values(el, deep - 1, &sub);
			for (j = 0; j < sub.ncols && !err; j++) {
				c = table_col(t, sub.cols[j].name);
				err = c ? col_merge(c, &sub.cols[j], rows) : -ENOMEM;
				if (sub.cols[j].n > delta)
					delta = sub.cols[j].n;
			}
			table_free(&sub);
		} else if (is_scalar(el)) {
			c = table_col(t, "");
			err = c ? col_pad(c, rows) : -ENOMEM;
			if (!err)
				err = col_push_scalar(c, el);
			delta = 1;
		}
		if (err)
			return err;
		rows += delta;
	}
	return 0;
}

/* One array member of an element: flattened columns, or "[N items]". */
static int nested_values(const char *key, const json_t *arr, int deep,
			 struct table *t)
{
	struct table sub = { 0 };
	struct strbuf name = STRBUF_INIT;
	struct column *c;
	size_t j;
	int err;

	if (deep <= 1) {
		c = table_col(t, key);
		if (!c)
			return -ENOMEM;
		err = sb_addf(&name, "[%zu items]", json_array_size(arr));
		return err ? err : col_push(c, sb_take(&name));
	}
	err = slice_values(arr, deep, &sub);
	for (j = 0; j < sub.ncols && !err; j++) {
		sb_reset(&name);
		if (sub.cols[j].name[0])
			err = sb_addf(&name, "%s (%s)", sub.cols[j].name, key);
		else
			err = sb_adds(&name, key);
		c = err ? NULL : table_col(t, sb_str(&name));
		err = c ? col_merge(c, &sub.cols[j], 0) : -ENOMEM;
	}
	table_free(&sub);
	sb_release(&name);
	return err;
}

/* Columns of one array element: its scalars, then its arrays. */
static int object_values(const json_t *obj, int deep, struct table *t)
{
	struct column *c;
	const char *key;
	json_t *v;
	int err = 0;

	if (deep <= 0)
		return 0;
	json_object_foreach((json_t *)obj, key, v) {
		if (!is_scalar(v))
			continue;
		c = table_col(t, key);
		err = c ? col_push_scalar(c, v) : -ENOMEM;
		if (err)
			return err;
	}
	json_object_foreach((json_t *)obj, key, v) {
		if (!json_is_array(v) || !strcmp(key, "_links"))
			continue;
		err = nested_values(key, v, deep, t);
		if (err)
			return err;
	}
	return 0;
}

static bool hidden(const struct print_opts *o, const char *path, const char *key)
{
	size_t plen = strlen(path), i;

	for (i = 0; i < o->nhide; i++)
		if (!strncmp(o->hide[i], path, plen) && !strcmp(o->hide[i] + plen, key))
			return true;
	return false;
}

static void put_spaces(FILE *f, size_t n)
{
	while (n--)
		fputc(' ', f);
}

int cli_print_columns(FILE *f, int indent, const char *const *cells,
		      size_t rows, size_t cols)
{
	size_t *width, r, c, w;
	const char *s;

	if (!cols) {
		fputc('\n', f);
		return 0;
	}
	width = calloc(cols, sizeof(*width));
	if (!width)
		return -ENOMEM;
	for (r = 0; r < rows; r++)
		for (c = 0; c < cols; c++)
			if (cells[r * cols + c]) {
				w = cli_text_width(cells[r * cols + c]);
				if (w > width[c])
					width[c] = w;
			}
	for (r = 0; r < rows; r++) {
		const char *const *row = cells + r * cols;
		size_t last = cols;

		/* no padding after the last non-empty cell */
		while (last && (!row[last - 1] || !*row[last - 1]))
			last--;
		if (last)
			put_spaces(f, indent);
		for (c = 0; c < last; c++) {
			s = row[c] ? row[c] : "";
			fputs(s, f);
			if (c + 1 < last)
				put_spaces(f, width[c] - cli_text_width(s) + 2);
		}
		fputc('\n', f);
	}
	free(width);
	return 0;
}

/* The visible columns of @t as a header row plus data rows. */
static int print_table(FILE *f, int indent, const char *path,
		       const struct table *t, const struct print_opts *o)
{
	const struct column **vis;
	const char **cells = NULL;
	size_t nvis = 0, rows = 0, i, r;
	bool named = false;
	int err = -ENOMEM;

	vis = calloc(t->ncols + 1, sizeof(*vis));
	if (!vis)
		return err;
	for (i = 0; i < t->ncols; i++) {
		if (hidden(o, path, t->cols[i].name))
			continue;
		vis[nvis++] = &t->cols[i];
		if (t->cols[i].n > rows)
			rows = t->cols[i].n;
	}
	cells = calloc((rows + 1) * (nvis ? nvis : 1), sizeof(*cells));
	if (!cells)
		goto out;
	for (i = 0; i < nvis; i++) {
		cells[i] = vis[i]->name;
		if (vis[i]->name[0])
			named = true;
		for (r = 0; r < vis[i]->n; r++)
			cells[(r + 1) * nvis + i] = vis[i]->cells[r];
	}
	/* a list of plain values has no header to show */
	if (named || !nvis)
		err = cli_print_columns(f, indent, cells, rows + 1, nvis);
	else
		err = cli_print_columns(f, indent, cells + nvis, rows, nvis);
out:
	free(cells);
	free(vis);
	return err;
}

static int print_slice(FILE *f, int indent, const char *path, const json_t *arr,
		       int deep, const struct print_opts *o)
{
	struct table t = { 0 };
	int err;

	if (deep <= 0)
		return 0;
	err = slice_values(arr, deep, &t);
	if (!err)
		err = print_table(f, indent, path, &t, o);
	table_free(&t);
	return err;
}

static int print_node(FILE *f, int indent, const char *path, const json_t *v,
		      int deep, const struct print_opts *o);

static int print_scalar_line(FILE *f, int indent, const char *key,
			     const json_t *v)
{
	struct strbuf sb = STRBUF_INIT;
	int err = cli_format_scalar(&sb, v);

	if (!err) {
		put_spaces(f, indent);
		if (key)
			fprintf(f, "%s: ", key);
		fprintf(f, "%s\n", sb_str(&sb));
	}
	sb_release(&sb);
	return err;
}

static int print_child_object(FILE *f, int indent, const char *path,
			      const char *key, const json_t *v, int deep,
			      const struct print_opts *o)
{
	struct strbuf sub = STRBUF_INIT;
	int err = sb_addf(&sub, "%s%s.", path, key);

	if (!err) {
		put_spaces(f, indent);
		fprintf(f, "%s:\n", key);
		err = print_node(f, indent + 1, sb_str(&sub), v, deep, o);
	}
	sb_release(&sub);
	return err;
}

static int print_child_array(FILE *f, int indent, const char *path,
			     const char *key, const json_t *v, int deep,
			     const struct print_opts *o)
{
	struct strbuf sub = STRBUF_INIT;
	int err;

	if (deep <= 1) {
		put_spaces(f, indent);
		fprintf(f, "%s: [%zu items]\n", key, json_array_size(v));
		return 0;
	}
	err = sb_addf(&sub, "%s%s.", path, key);
	if (!err) {
		fputc('\n', f);
		put_spaces(f, indent);
		fprintf(f, "%s:\n", key);
		err = print_slice(f, indent + 1, sb_str(&sub), v, deep, o);
	}
	sb_release(&sub);
	return err;
}

/* Scalars first, then objects, then arrays (but never _links). */
static int print_object(FILE *f, int indent, const char *path, const json_t *obj,
			int deep, const struct print_opts *o)
{
	const char *key;
	json_t *v;
	int err;

	json_object_foreach((json_t *)obj, key, v)
		if (is_scalar(v) && !hidden(o, path, key)) {
			err = print_scalar_line(f, indent, key, v);
			if (err)
				return err;
		}
	json_object_foreach((json_t *)obj, key, v)
		if (json_is_object(v) && !hidden(o, path, key)) {
			err = print_child_object(f, indent, path, key, v, deep, o);
			if (err)
				return err;
		}
	json_object_foreach((json_t *)obj, key, v)
		if (json_is_array(v) && strcmp(key, "_links") && !hidden(o, path, key)) {
			err = print_child_array(f, indent, path, key, v, deep, o);
			if (err)
				return err;
		}
	return 0;
}

static int print_node(FILE *f, int indent, const char *path, const json_t *v,
		      int deep, const struct print_opts *o)
{
	if (deep <= 0)
		return 0;
	if (json_is_object(v))
		return print_object(f, indent, path, v, deep, o);
	if (json_is_array(v))
		return print_slice(f, indent, path, v, deep, o);
	return print_scalar_line(f, indent, NULL, v);
}

int cli_print_pretty(FILE *f, const json_t *body, const struct print_opts *o)
{
	int deep = o->depth;
	int err;

	/* A list shown -brief still lists its elements' own fields. */
	if (json_is_array(body) && deep < CLI_DEPTH_NORMAL)
		deep = CLI_DEPTH_NORMAL;
	err = print_node(f, 0, "", body, deep, o);
	if (!err)
		fputc('\n', f);
	return err;
}

int cli_print_json(FILE *f, const json_t *body)
{
	char *s = json_dumps(body, JSON_INDENT(2) | JSON_PRESERVE_ORDER |
			     JSON_ENCODE_ANY);

	if (!s)
		return -ENOMEM;
	fprintf(f, "%s\n", s);
	free(s);
	return 0;
}

static int depth_of(enum cli_show show)
{
	switch (show) {
	case CLI_SHOW_BRIEF:
		return CLI_DEPTH_BRIEF;
	case CLI_SHOW_VERBOSE:
		return CLI_DEPTH_VERBOSE;
	default:
		return CLI_DEPTH_NORMAL;
	}
}

static void print_raw(FILE *f, const char *body, size_t len)
{
	fwrite(body, 1, len, f);
	if (body[len - 1] != '\n')
		fputc('\n', f);
}

int cli_print_reply(FILE *f, const struct command *cmd, const char *body,
		    size_t len)
{
	struct print_opts o = {
		.depth = depth_of(cmd->show),
		.hide = cmd->hide,
		.nhide = cmd->nhide,
	};
	json_t *json;
	int err;

	if (cmd->verb != CLI_VERB_SHOW && cmd->verb != CLI_VERB_NONE)
		return 0;
	if (!len)
		return 0;
	json = json_loadb(body, len, JSON_DECODE_ANY, NULL);
	if (!json) {
		print_raw(f, body, len);
		return 0;
	}
	if (cmd->show == CLI_SHOW_JSON)
		err = cli_print_json(f, json);
	else if (cmd->show == CLI_SHOW_YAML)
		err = cli_print_yaml(f, json);
	else
		err = cli_print_pretty(f, json, &o);
	json_decref(json);
	return err;
}

/* Append @s[0..len) with line breaks folded into spaces, ends trimmed. */
static int add_one_line(struct strbuf *out, const char *s, size_t len)
{
	size_t i;
	int err = 0;

	while (len && (s[len - 1] == '\n' || s[len - 1] == '\r' ||
		       s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	for (i = 0; i < len && !err; i++)
		err = sb_addc(out, s[i] == '\n' || s[i] == '\r' ? ' ' : s[i]);
	return err;
}

int cli_reply_error(struct strbuf *out, int status, const char *reason,
		    const char *body, size_t len, bool help)
{
	size_t start = out->len;
	json_t *json, *msg;
	char *text;
	int err;

	if (!len && help)
		return sb_adds(out, "There is not help for this command");
	if (!len)
		return sb_addf(out, "%d %s", status, reason ? reason : "");
	json = json_loadb(body, len, JSON_DECODE_ANY, NULL);
	msg = json_object_get(json, "error");
	if (json_is_string(msg)) {
		err = add_one_line(out, json_string_value(msg), json_string_length(msg));
	} else if (json) {
		text = json_dumps(json, CLI_JSON_FLAGS);
		err = text ? sb_adds(out, text) : -ENOMEM;
		free(text);
	} else {
		err = add_one_line(out, body, len);
	}
	json_decref(json);
	if (!err && out->len == start)
		err = sb_addf(out, "%d %s", status, reason ? reason : "");
	return err;
}
