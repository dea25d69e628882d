// SPDX-License-Identifier: Apache-2.0
/* argv -> struct command: verb, path args, body args, flags (POLYCUBE.md 1.2). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tokenize.h"

static const struct {
	const char *flag;
	enum cli_show show;
} show_flags[] = {
	{ "-normal", CLI_SHOW_NORMAL },
	{ "-brief", CLI_SHOW_BRIEF },
	{ "-verbose", CLI_SHOW_VERBOSE },
	{ "-json", CLI_SHOW_JSON },
	{ "-yaml", CLI_SHOW_YAML },
};

static const char *const verb_names[] = {
	[CLI_VERB_NONE] = "",
	[CLI_VERB_ADD] = "add",
	[CLI_VERB_SET] = "set",
	[CLI_VERB_SHOW] = "show",
	[CLI_VERB_DEL] = "del",
};

const char *cli_verb_name(enum cli_verb v)
{
	return verb_names[v];
}

static enum cli_verb verb_of(const char *arg)
{
	int v;

	for (v = CLI_VERB_ADD; v <= CLI_VERB_DEL; v++)
		if (!strcmp(arg, verb_names[v]))
			return v;
	return CLI_VERB_NONE;
}

static const char *show_flag_name(enum cli_show s)
{
	size_t i;

	for (i = 0; i < sizeof(show_flags) / sizeof(show_flags[0]); i++)
		if (show_flags[i].show == s)
			return show_flags[i].flag;
	return "";
}

static int push_str(char ***arr, size_t *n, const char *s, size_t len)
{
	char **p = realloc(*arr, (*n + 1) * sizeof(**arr));

	if (!p)
		return -ENOMEM;
	*arr = p;
	p[*n] = strndup(s, len);
	if (!p[*n])
		return -ENOMEM;
	(*n)++;
	return 0;
}

static void free_strs(char ***arr, size_t *n)
{
	size_t i;

	for (i = 0; i < *n; i++)
		free((*arr)[i]);
	free(*arr);
	*arr = NULL;
	*n = 0;
}

void cli_command_clear_body(struct command *cmd)
{
	size_t i;

	for (i = 0; i < cmd->nbody; i++) {
		free(cmd->body[i].key);
		free(cmd->body[i].value);
	}
	free(cmd->body);
	cmd->body = NULL;
	cmd->nbody = 0;
}

void cli_command_free(struct command *cmd)
{
	free_strs(&cmd->path, &cmd->npath);
	free_strs(&cmd->hide, &cmd->nhide);
	cli_command_clear_body(cmd);
	memset(cmd, 0, sizeof(*cmd));
}

int cli_command_set_path(struct command *cmd, const char *const *segs, size_t n)
{
	char **path = NULL;
	size_t npath = 0, i;
	int err;

	for (i = 0; i < n; i++) {
		err = push_str(&path, &npath, segs[i], strlen(segs[i]));
		if (err) {
			free_strs(&path, &npath);
			return err;
		}
	}
	free_strs(&cmd->path, &cmd->npath);
	cmd->path = path;
	cmd->npath = npath;
	return 0;
}

int cli_command_add_body(struct command *cmd, const char *key, const char *value)
{
	struct cli_kv *p = realloc(cmd->body, (cmd->nbody + 1) * sizeof(*p));

	if (!p)
		return -ENOMEM;
	cmd->body = p;
	p[cmd->nbody].key = strdup(key);
	p[cmd->nbody].value = strdup(value);
	if (!p[cmd->nbody].key || !p[cmd->nbody].value) {
		free(p[cmd->nbody].key);
		free(p[cmd->nbody].value);
		return -ENOMEM;
	}
	cmd->nbody++;
	return 0;
}

static int parse_show_flag(struct command *cmd, const char *arg,
			   enum cli_show show, struct cli_error *e)
{
	if (cmd->show != CLI_SHOW_UNSPEC)
		return cli_seterr(e, EINVAL, "%s and %s cannot be used together",
				  arg, show_flag_name(cmd->show));
	if (cmd->verb != CLI_VERB_SHOW)
		return cli_seterr(e, EINVAL, "%s can only be used with show command", arg);
	if (cmd->nhide && (show == CLI_SHOW_JSON || show == CLI_SHOW_YAML))
		return cli_seterr(e, EINVAL, "-hide is not compatible with %s", arg);
	cmd->show = show;
	return 0;
}

/* -hide=k1,k2: every key non-empty. */
static int parse_hide(struct command *cmd, const char *arg, struct cli_error *e)
{
	const char *list = arg + strlen("-hide"), *p, *comma;
	int err;

	if (cmd->verb != CLI_VERB_SHOW)
		return cli_seterr(e, EINVAL, "-hide can only be used with show command");
	if (cmd->show == CLI_SHOW_JSON || cmd->show == CLI_SHOW_YAML)
		return cli_seterr(e, EINVAL, "-hide is not compatible with %s",
				  show_flag_name(cmd->show));
	if (*list != '=' || !list[1] || strchr(list + 1, '='))
		return cli_seterr(e, EINVAL, "-hide usage: -hide=key0,key1,key");
	for (p = list + 1; ; p = comma + 1) {
		comma = strchrnul(p, ',');
		if (comma == p)
			return cli_seterr(e, EINVAL, "-hide usage: -hide=key0,key1,key");
		err = push_str(&cmd->hide, &cmd->nhide, p, comma - p);
		if (err)
			return err;
		if (!*comma)
			break;
	}
	return 0;
}

static int parse_flag(struct command *cmd, const char *arg, int argc,
		      struct cli_error *e)
{
	size_t i;

	for (i = 0; i < sizeof(show_flags) / sizeof(show_flags[0]); i++)
		if (!strcmp(arg, show_flags[i].flag))
			return parse_show_flag(cmd, arg, show_flags[i].show, e);
	if (!strcmp(arg, "-h") || !strcmp(arg, "--help")) {
		if (argc != 1)
			return cli_seterr(e, EINVAL, "%s has to be the only argument", arg);
		cmd->help = true;
		return 0;
	}
	if (!strncmp(arg, "-hide", 5) && (arg[5] == '\0' || arg[5] == '='))
		return parse_hide(cmd, arg, e);
	return cli_seterr(e, EINVAL, "%s is not a valid flag", arg);
}

/* A key is one or more non-empty names joined by dots. */
static bool valid_key(const char *key, size_t len)
{
	size_t i;

	if (!len || key[0] == '.' || key[len - 1] == '.')
		return false;
	for (i = 1; i < len; i++)
		if (key[i] == '.' && key[i - 1] == '.')
			return false;
	return true;
}

static int parse_body_arg(struct command *cmd, const char *arg,
			  struct cli_error *e)
{
	const char *eq = strchr(arg, '=');
	size_t klen = eq - arg, i;
	struct cli_kv *kv;

	if (strchr(eq + 1, '=') || !valid_key(arg, klen))
		return cli_seterr(e, EINVAL, "%s is not a valid format", arg);
	for (i = 0; i < cmd->nbody; i++)
		if (strlen(cmd->body[i].key) == klen &&
		    !strncmp(cmd->body[i].key, arg, klen))
			return cli_seterr(e, EINVAL, "Duplicated values for %.*s",
					  (int)klen, arg);
	kv = realloc(cmd->body, (cmd->nbody + 1) * sizeof(*kv));
	if (!kv)
		return -ENOMEM;
	cmd->body = kv;
	kv += cmd->nbody;
	kv->key = strndup(arg, klen);
	kv->value = strdup(eq + 1);
	if (!kv->key || !kv->value) {
		free(kv->key);
		free(kv->value);
		return -ENOMEM;
	}
	cmd->nbody++;
	return 0;
}

static int classify(struct command *cmd, int argc, char *const argv[], int i,
		    struct cli_error *e)
{
	const char *arg = argv[i];
	enum cli_verb verb = verb_of(arg);

	if (verb != CLI_VERB_NONE) {
		if (cmd->verb != CLI_VERB_NONE)
			return cli_seterr(e, EINVAL, "Multiple commands found: %s and %s",
					  arg, cli_verb_name(cmd->verb));
		if (cmd->nbody)
			return cli_seterr(e, EINVAL, "%s is not valid after %s",
					  arg, argv[i - 1]);
		cmd->verb = verb;
		return 0;
	}
	if (arg[0] == '-')
		return parse_flag(cmd, arg, argc, e);
	if (strchr(arg, '='))
		return parse_body_arg(cmd, arg, e);
	if (!strcmp(arg, "?")) {
		if (i != argc - 1)
			return cli_seterr(e, EINVAL, "'?' must be the last argument");
		cmd->help = true;
		return 0;
	}
	if (!arg[0])
		return cli_seterr(e, EINVAL, "an empty argument is not valid");
	if (cmd->nbody)
		return cli_seterr(e, EINVAL, "%s is not valid after %s", arg, argv[i - 1]);
	return push_str(&cmd->path, &cmd->npath, arg, strlen(arg));
}

int cli_tokenize(int argc, char *const argv[], struct command *cmd,
		 struct cli_error *e)
{
	int i, err;

	memset(cmd, 0, sizeof(*cmd));
	if (argc == 0) {
		cmd->help = true;
		return 0;
	}
	for (i = 0; i < argc; i++) {
		err = classify(cmd, argc, argv, i, e);
		if (err)
			goto fail;
	}
	return 0;
fail:
	if (err == -ENOMEM)
		cli_seterr(e, ENOMEM, "out of memory");
	cli_command_free(cmd);
	return err;
}
