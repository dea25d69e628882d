// SPDX-License-Identifier: Apache-2.0
/* Rendering of the OPTIONS help reply (POLYCUBE.md 1.6) and of completions. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "help.h"
#include "print.h"
#include "request.h"

#define HELP_COLS 3

struct help_rows {
	char **cells;		/* n x HELP_COLS, NULL = empty */
	size_t n;
	int err;		/* sticky: first allocation failure */
	struct strbuf example;	/* "polycubectl ... " for add/del */
};

static const char *const root_words[] = {
	"add", "del", "show", "set", "connect", "disconnect", "attach", "detach",
	"services", "cubes", "topology", "netdevs", "version",
};

static void row(struct help_rows *h, const char *a, const char *b, const char *c)
{
	const char *src[HELP_COLS] = { a, b, c };
	char **p;
	int i;

	if (h->err)
		return;
	p = realloc(h->cells, (h->n + 1) * HELP_COLS * sizeof(*p));
	if (!p) {
		h->err = -ENOMEM;
		return;
	}
	h->cells = p;
	p += h->n * HELP_COLS;
	for (i = 0; i < HELP_COLS; i++) {
		p[i] = NULL;
		if (src[i] && *src[i] && !(p[i] = strdup(src[i])))
			h->err = -ENOMEM;
	}
	h->n++;
}

static void rows_free(struct help_rows *h)
{
	size_t i;

	for (i = 0; i < h->n * HELP_COLS; i++)
		free(h->cells[i]);
	free(h->cells);
	sb_release(&h->example);
}

static const char *str_field(const json_t *obj, const char *key)
{
	const char *s = json_string_value(json_object_get(obj, key));

	return s ? s : "";
}

static bool is_scalar_json(const json_t *v)
{
	return v && !json_is_object(v) && !json_is_array(v);
}

static bool is_key(const json_t *param)
{
	return !strcmp(str_field(param, "type"), "key");
}

static const char *type_str(const json_t *param)
{
	const char *type = str_field(param, "type");

	if (!*type || !strcmp(type, "leaf") || !strcmp(type, "key"))
		return str_field(param, "simpletype");
	if (!strcmp(type, "complex"))
		return "container";
	return type;
}

static const char *verb_desc(const char *verb)
{
	if (!strcmp(verb, "add"))
		return "Add entry to a list";
	if (!strcmp(verb, "set"))
		return "Set a value";
	if (!strcmp(verb, "del"))
		return "Delete entry of a list";
	if (!strcmp(verb, "show"))
		return "Show entry or list [-normal | -brief | -verbose | -json | -yaml]";
	return "";
}

enum param_style { AS_NAME, AS_KEY, AS_ASSIGN };

/* One row per param; @keys: -1 only non-keys, 1 only keys, 0 all. */
static void param_rows(struct help_rows *h, const json_t *params, int keys,
		       enum param_style style, bool example)
{
	struct strbuf name = STRBUF_INIT;
	const char *key, *ex;
	json_t *p;

	json_object_foreach((json_t *)params, key, p) {
		if ((keys < 0 && is_key(p)) || (keys > 0 && !is_key(p)))
			continue;
		sb_reset(&name);
		if (sb_addf(&name, style == AS_KEY ? "<%s>" : style == AS_ASSIGN ?
			    "%s=value" : "%s", key))
			h->err = -ENOMEM;
		row(h, sb_str(&name), type_str(p), str_field(p, "description"));
		ex = str_field(p, "example");
		if (example && *ex && sb_addf(&h->example, style == AS_ASSIGN ?
					      "%s=%s " : "%.0s%s ", key, ex))
			h->err = -ENOMEM;
	}
	sb_release(&name);
}

/* Existing list elements: "v1 v2" and "<k1> <k2>". */
static void element_rows(struct help_rows *h, const json_t *elements)
{
	struct strbuf vals = STRBUF_INIT, keys = STRBUF_INIT;
	const char *key;
	json_t *el, *v;
	size_t i;

	json_array_foreach(elements, i, el) {
		sb_reset(&vals);
		sb_reset(&keys);
		json_object_foreach(el, key, v) {
			if ((is_scalar_json(v) && cli_format_scalar(&vals, v)) ||
			    sb_addc(&vals, ' ') || sb_addf(&keys, "<%s> ", key))
				h->err = -ENOMEM;
		}
		if (vals.len)
			vals.buf[--vals.len] = '\0';
		if (keys.len)
			keys.buf[--keys.len] = '\0';
		row(h, sb_str(&vals), sb_str(&keys), NULL);
	}
	sb_release(&vals);
	sb_release(&keys);
}

static void list_rows(struct help_rows *h, const json_t *help)
{
	const json_t *elements = json_object_get(help, "elements");

	if (json_array_size(elements))
		element_rows(h, elements);
	else
		param_rows(h, json_object_get(help, "params"), 1, AS_KEY, false);
}

static void string_rows(struct help_rows *h, const json_t *arr, const char *type,
			bool verbs)
{
	json_t *v;
	size_t i;

	json_array_foreach(arr, i, v)
		if (json_is_string(v))
			row(h, json_string_value(v), type,
			    verbs ? verb_desc(json_string_value(v)) : NULL);
}

static void running_cubes(struct help_rows *h, const json_t *cubes)
{
	const char *service;
	json_t *list, *cube;
	size_t i;
	bool first = true;

	json_object_foreach((json_t *)cubes, service, list) {
		json_array_foreach(list, i, cube) {
			if (first) {
				row(h, NULL, NULL, NULL);
				row(h, "Running Services", "Type", NULL);
				first = false;
			}
			row(h, str_field(cube, "name"), service, "Running Service instance");
		}
	}
}

static void root_rows(struct help_rows *h, const json_t *cubes)
{
	row(h, NULL, NULL, NULL);
	row(h, "connect", "command", "Connect ports");
	row(h, "disconnect", "command", "Disconnect ports");
	row(h, "attach", "command", "Attach a transparent cube to a port or net device");
	row(h, "detach", "command", "Detach a transparent cube");
	row(h, NULL, NULL, NULL);
	row(h, "services", "command", "Show available services (e.g. bridge, router, ..)");
	row(h, "cubes", "command", "Show running service instances (e.g. br1, nat2, ..)");
	row(h, "topology", "command", "Show topology of service instances");
	row(h, "netdevs", "command", "Show net devices available");
	row(h, "version", "command", "Show the versions of the client and of the daemon");
	if (cubes)
		running_cubes(h, cubes);
}

static void none_rows(struct help_rows *h, const struct command *cmd,
		      const json_t *help, const json_t *cubes)
{
	const json_t *params = json_object_get(help, "params");

	string_rows(h, json_object_get(help, "commands"), "command", true);
	if (params)
		param_rows(h, params, -1, AS_NAME, false);
	else
		param_rows(h, json_object_get(help, "in"), -1, AS_ASSIGN, false);
	list_rows(h, help);
	string_rows(h, json_object_get(help, "actions"), "action", false);
	if (!cmd->npath)
		root_rows(h, cubes);
}

static void verb_rows(struct help_rows *h, const struct command *cmd,
		      const json_t *help, const json_t *cubes)
{
	const json_t *params = json_object_get(help, "params");
	const json_t *optional = json_object_get(help, "optional-params");

	switch (cmd->verb) {
	case CLI_VERB_ADD:
		param_rows(h, params, 0, AS_KEY, true);
		if (json_object_size(optional)) {
			row(h, NULL, NULL, NULL);
			row(h, "Other parameters:", NULL, NULL);
			param_rows(h, optional, 0, AS_ASSIGN, true);
		}
		break;
	case CLI_VERB_SHOW:
		param_rows(h, params, -1, AS_NAME, false);
		list_rows(h, help);
		break;
	case CLI_VERB_SET:
		param_rows(h, params, 0, AS_ASSIGN, false);
		break;
	case CLI_VERB_DEL:
		list_rows(h, help);
		break;
	default:
		none_rows(h, cmd, help, cubes);
	}
}

static void print_example(FILE *f, const struct command *cmd,
			  const struct help_rows *h)
{
	size_t i;

	if (cmd->verb != CLI_VERB_ADD && cmd->verb != CLI_VERB_DEL)
		return;
	fputs("\nExample:\n polycubectl ", f);
	for (i = 0; i < cmd->npath; i++)
		fprintf(f, "%s ", cmd->path[i]);
	fprintf(f, "%s %s\n", cli_verb_name(cmd->verb), sb_str(&h->example));
}

int cli_print_help(FILE *f, const struct command *cmd, const json_t *help,
		   const json_t *cubes)
{
	struct help_rows h = { 0 };
	size_t i;
	int err;

	if (!cmd->npath && cmd->verb == CLI_VERB_NONE)
		fputs("For help on keywords use '?'\n", f);
	row(&h, "Keyword", "Type", "Description");
	verb_rows(&h, cmd, help, cubes);
	err = h.err;
	if (err)
		goto out;
	fputc('\n', f);
	if (h.n == 1) {
		fputs("There is not help for this command\n", f);
		goto out;
	}
	/* Entries are indented by one space under the header. */
	for (i = HELP_COLS; i < h.n * HELP_COLS; i++) {
		char *cell = h.cells[i], *p;

		if (!cell)
			continue;
		p = malloc(strlen(cell) + 2);
		if (!p) {
			err = -ENOMEM;
			goto out;
		}
		sprintf(p, " %s", cell);
		free(cell);
		h.cells[i] = p;
	}
	err = cli_print_columns(f, 0, (const char *const *)h.cells, h.n, HELP_COLS);
	if (!err)
		print_example(f, cmd, &h);
out:
	rows_free(&h);
	return err;
}

/* ---- completion ---- */

static bool is_verb_word(const char *w)
{
	return !strcmp(w, "add") || !strcmp(w, "del") || !strcmp(w, "show") ||
	       !strcmp(w, "set");
}

int cli_completion_path(int nwords, char *const words[], struct strbuf *path,
			bool *root)
{
	const char *verb = NULL, *cur = nwords ? words[nwords - 1] : "";
	const char *eq = strchr(cur, '=');
	char *key;
	int i, err = 0, nseg = 0;

	for (i = 0; i < nwords - 1 && !err; i++) {
		const char *w = words[i];

		if (is_verb_word(w)) {
			verb = w;
			continue;
		}
		if (!*w || w[0] == '-' || strchr(w, '=') || !strcmp(w, "?"))
			continue;
		err = cli_escape_segment(path, w);
		if (!err)
			err = sb_addc(path, '/');
		nseg++;
	}
	if (!err && eq) {
		/* completing the value of key=: ask about the key itself */
		key = strndup(cur, eq - cur);
		err = key ? cli_escape_segment(path, key) : -ENOMEM;
		free(key);
		nseg++;
	} else if (!err && path->len) {
		path->buf[--path->len] = '\0';
	}
	*root = !nseg && !verb;
	if (!err)
		err = sb_adds(path, "?help=");
	for (; !err && verb && *verb; verb++)
		err = sb_addc(path, toupper((unsigned char)*verb));
	if (!err)
		err = sb_adds(path, verb ? "&completion" : "NONE&completion");
	return err;
}

static bool has_word(const json_t *words, const char *word)
{
	const json_t *w;
	size_t i;

	json_array_foreach(words, i, w)
		if (json_is_string(w) && !strcmp(json_string_value(w), word))
			return true;
	return false;
}

int cli_print_completion(FILE *f, const json_t *words, bool root)
{
	json_t *w;
	size_t i;

	json_array_foreach(words, i, w)
		if (json_is_string(w))
			fprintf(f, "%s\n", json_string_value(w));
	if (!root)
		return 0;
	for (i = 0; i < sizeof(root_words) / sizeof(root_words[0]); i++)
		if (!has_word(words, root_words[i]))	/* the daemon may list it too */
			fprintf(f, "%s\n", root_words[i]);
	return 0;
}
