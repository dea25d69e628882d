// SPDX-License-Identifier: Apache-2.0
/* struct command -> method, URL path and JSON body (POLYCUBE.md 1.3). */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "request.h"

/* Characters left as they are in a path segment (Go url.PathEscape). */
static bool segment_safe(unsigned char c)
{
	return isalnum(c) || strchr("-_.~$&+:=@", c);
}

int cli_escape_segment(struct strbuf *out, const char *seg)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p;
	int err = 0;

	for (p = (const unsigned char *)seg; *p && !err; p++) {
		if (segment_safe(*p)) {
			err = sb_addc(out, *p);
			continue;
		}
		err = sb_addc(out, '%');
		if (!err)
			err = sb_addc(out, hex[*p >> 4]);
		if (!err)
			err = sb_addc(out, hex[*p & 15]);
	}
	return err;
}

static const char *skip_digits(const char *p)
{
	while (isdigit((unsigned char)*p))
		p++;
	return p;
}

/* Go strconv.Atoi: optional sign, decimal digits, fits in 64 bits. */
static bool parse_int(const char *s, long long *out)
{
	const char *p = s + (*s == '+' || *s == '-');
	char *end;

	if (!isdigit((unsigned char)*p) || *skip_digits(p))
		return false;
	errno = 0;
	*out = strtoll(s, &end, 10);
	return !errno && !*end;
}

/* Decimal float: [sign] (digits [. digits] | . digits) [e [sign] digits], finite. */
static bool parse_float(const char *s, double *out)
{
	const char *p = s + (*s == '+' || *s == '-'), *q;
	char *end;

	q = skip_digits(p);
	if (*q == '.') {
		if (q == p && !isdigit((unsigned char)q[1]))
			return false;
		q = skip_digits(q + 1);
	} else if (q == p) {
		return false;
	}
	if (*q == 'e' || *q == 'E') {
		q++;
		q += (*q == '+' || *q == '-');
		if (!isdigit((unsigned char)*q))
			return false;
		q = skip_digits(q);
	}
	if (*q)
		return false;
	errno = 0;
	*out = strtod(s, &end);
	return *end == '\0' && isfinite(*out);
}

json_t *cli_typed_value(const char *s)
{
	long long i;
	double d;
	bool b;

	if (parse_int(s, &i))
		return json_integer(i);
	if (parse_float(s, &d))
		return json_real(d);
	if (cli_parse_bool_word(s, &b))
		return json_boolean(b);
	return json_string(s);
}

/* Store @val (stolen) at the dotted @key below @root. */
static int set_dotted(json_t *root, const char *key, json_t *val)
{
	char *copy = strdup(key), *name, *dot;
	json_t *obj = root, *child;
	int err = -ENOMEM;

	if (!copy)
		goto out;
	for (name = copy; (dot = strchr(name, '.')); name = dot + 1) {
		*dot = '\0';
		child = json_object_get(obj, name);
		if (!json_is_object(child)) {
			child = json_object();
			if (json_object_set_new(obj, name, child))
				goto out;
		}
		obj = child;
	}
	err = json_object_set_new(obj, name, val) ? -ENOMEM : 0;
	val = NULL;
out:
	json_decref(val);
	free(copy);
	return err;
}

int cli_body_object(const struct command *cmd, json_t **out, struct cli_error *e)
{
	json_t *obj = json_object(), *val;
	size_t i;
	int err;

	if (!obj)
		goto nomem;
	for (i = 0; i < cmd->nbody; i++) {
		val = cli_typed_value(cmd->body[i].value);
		if (!val)
			goto nomem;
		err = set_dotted(obj, cmd->body[i].key, val);
		if (err)
			goto nomem;
	}
	*out = obj;
	return 0;
nomem:
	json_decref(obj);
	return cli_seterr(e, ENOMEM, "out of memory");
}

static bool sends_body(const struct command *cmd)
{
	return !cmd->help && (cmd->verb == CLI_VERB_ADD ||
			      cmd->verb == CLI_VERB_SET ||
			      cmd->verb == CLI_VERB_NONE);
}

static bool single_parameter(const struct command *cmd)
{
	return sends_body(cmd) && cmd->verb == CLI_VERB_SET && cmd->nbody == 1;
}

bool cli_wants_stdin(const struct command *cmd)
{
	return sends_body(cmd) && !single_parameter(cmd) && !cmd->from_alias;
}

static const char *method_of(const struct command *cmd)
{
	if (cmd->help)
		return "OPTIONS";
	switch (cmd->verb) {
	case CLI_VERB_SET:
		return "PATCH";
	case CLI_VERB_SHOW:
		return "GET";
	case CLI_VERB_DEL:
		return "DELETE";
	default:
		return "POST";
	}
}

/* Each segment escaped and followed by '/'; dots in @key make segments. */
static int add_segments(struct strbuf *url, const char *key, bool split_dots)
{
	char *copy = strdup(key), *seg, *save = NULL;
	int err = 0;

	if (!copy)
		return -ENOMEM;
	if (!split_dots) {
		err = cli_escape_segment(url, copy);
		if (!err)
			err = sb_addc(url, '/');
		goto out;
	}
	for (seg = strtok_r(copy, ".", &save); seg && !err;
	     seg = strtok_r(NULL, ".", &save)) {
		err = cli_escape_segment(url, seg);
		if (!err)
			err = sb_addc(url, '/');
	}
out:
	free(copy);
	return err;
}

static int build_path(const struct command *cmd, struct strbuf *url)
{
	const char *verb = cli_verb_name(cmd->verb);
	size_t i;
	int err = 0;

	for (i = 0; i < cmd->npath && !err; i++)
		err = add_segments(url, cmd->path[i], false);
	if (!err && single_parameter(cmd))
		err = add_segments(url, cmd->body[0].key, true);
	if (err || !cmd->help)
		return err;
	if (url->len && url->buf[url->len - 1] == '/')
		url->buf[--url->len] = '\0';
	err = sb_adds(url, "?help=");
	for (; !err && *verb; verb++)
		err = sb_addc(url, toupper((unsigned char)*verb));
	if (!err && cmd->verb == CLI_VERB_NONE)
		err = sb_adds(url, "NONE");
	return err;
}

static int build_body(const struct command *cmd, const json_t *stdin_body,
		      char **out, struct cli_error *e)
{
	json_t *val = NULL;
	int err = 0;

	*out = NULL;
	if (!sends_body(cmd))
		return 0;
	if (single_parameter(cmd))
		val = cli_typed_value(cmd->body[0].value);
	else if (stdin_body)
		val = json_incref((json_t *)stdin_body);
	else
		err = cli_body_object(cmd, &val, e);
	if (err)
		return err;
	if (val)
		*out = json_dumps(val, CLI_JSON_FLAGS);
	json_decref(val);
	if (!*out)
		return cli_seterr(e, ENOMEM, "out of memory");
	return 0;
}

int cli_build_request(const struct command *cmd, const json_t *stdin_body,
		      struct request *req, struct cli_error *e)
{
	struct strbuf url = STRBUF_INIT;
	int err;

	memset(req, 0, sizeof(*req));
	req->method = method_of(cmd);
	err = build_path(cmd, &url);
	if (err) {
		sb_release(&url);
		return cli_seterr(e, -err, "out of memory");
	}
	req->path = sb_take(&url);
	err = build_body(cmd, stdin_body, &req->body, e);
	if (err || !req->path) {
		cli_request_free(req);
		return err ? err : cli_seterr(e, ENOMEM, "out of memory");
	}
	return 0;
}

void cli_request_free(struct request *req)
{
	free(req->path);
	free(req->body);
	req->path = NULL;
	req->body = NULL;
}
