// SPDX-License-Identifier: Apache-2.0
/* version, cubes, netdevs, topology, connect, disconnect, attach, detach, services help. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "alias.h"

#define USAGE_CONNECT "Bad syntax, usage: connect peer1 peer2"
#define USAGE_DISCONNECT "Bad syntax, usage: disconnect peer1 peer2"
#define USAGE_ATTACH "Bad syntax, usage: attach cube port [position=auto, first, last], [before=cube], [after=cube]"
#define USAGE_DETACH "Bad syntax, usage: detach peer1 peer2"

static const char help_connect[] =
	"\n"
	"Keyword  Type     Description\n"
	" peer1   string   First peer: <cube>:<port> or a net device\n"
	" peer2   string   Second peer: <cube>:<port> or a net device\n"
	"\n"
	"Example:\n"
	" polycubectl connect br1:port1 veth1\n"
	" polycubectl disconnect br1:port1 veth1\n";

static const char help_attach[] =
	"\n"
	"Keyword         Type     Description\n"
	" cube           string   Transparent cube to attach\n"
	" port           string   <cube>:<port> or net device to attach it to\n"
	" position=value string   auto, first or last (default auto)\n"
	" before=value   string   Attach just before this transparent cube\n"
	" after=value    string   Attach just after this transparent cube\n"
	"\n"
	"Example:\n"
	" polycubectl attach fw1 veth1 position=first\n";

static const char help_detach[] =
	"\n"
	"Keyword  Type     Description\n"
	" cube    string   Transparent cube to detach\n"
	" port    string   <cube>:<port> or net device it is attached to\n"
	"\n"
	"Example:\n"
	" polycubectl detach fw1 veth1\n";

static const char help_services[] =
	"\n"
	"Keyword  Type     Description\n"
	" add     command  Add a service (not supported by bpfnetd)\n"
	" del     command  Delete a service\n"
	" show    command  Show the available services [-normal | -brief | -verbose | -json | -yaml]\n"
	"\n"
	"Example:\n"
	" polycubectl services show\n";

static bool first_is(const struct command *cmd, const char *word)
{
	return cmd->npath && !strcmp(cmd->path[0], word);
}

/* cubes / netdevs / topology alone, with no verb. */
static bool bare_word(const struct command *cmd, const char *word)
{
	return cmd->npath == 1 && cmd->verb == CLI_VERB_NONE &&
	       first_is(cmd, word);
}

static int alias_version(struct command *cmd, struct cli_error *e)
{
	if (cmd->help)
		return cli_seterr(e, EINVAL, "There is not help for this command");
	if (cmd->npath != 1)
		return cli_seterr(e, EINVAL, "Bad syntax, usage: version [show]");
	cmd->verb = CLI_VERB_SHOW;
	cmd->prologue = CLI_VERSION_PROLOGUE;
	cli_command_clear_body(cmd);
	return 0;
}

static int alias_topology(struct command *cmd)
{
	char *hide = strdup("uuid");
	char **arr;

	if (!hide)
		return -ENOMEM;
	arr = realloc(cmd->hide, (cmd->nhide + 1) * sizeof(*arr));
	if (!arr) {
		free(hide);
		return -ENOMEM;
	}
	arr[cmd->nhide++] = hide;
	cmd->hide = arr;
	cmd->verb = CLI_VERB_SHOW;
	cmd->show = CLI_SHOW_VERBOSE;
	return 0;
}

/* POST <word>/ with {k1: path[1], k2: path[2], extra...}. */
static int to_post(struct command *cmd, const char *word, const char *k1,
		   const char *k2, const struct cli_kv *extra)
{
	const char *seg[] = { word };
	struct command n = { 0 };
	int err;

	err = cli_command_add_body(&n, k1, cmd->path[1]);
	if (!err)
		err = cli_command_add_body(&n, k2, cmd->path[2]);
	if (!err && extra)
		err = cli_command_add_body(&n, extra->key, extra->value);
	if (!err)
		err = cli_command_set_path(cmd, seg, 1);
	if (err) {
		cli_command_clear_body(&n);
		return err;
	}
	cli_command_clear_body(cmd);
	cmd->body = n.body;
	cmd->nbody = n.nbody;
	cmd->verb = CLI_VERB_ADD;
	cmd->from_alias = true;
	return 0;
}

static int alias_attach(struct command *cmd, struct cli_error *e)
{
	const struct cli_kv *opt = cmd->nbody ? &cmd->body[0] : NULL;

	if (cmd->npath != 3)
		return cli_seterr(e, EINVAL, USAGE_ATTACH);
	if (cmd->nbody > 1)
		return cli_seterr(e, EINVAL, "Only one parameter is supported");
	if (opt && strcmp(opt->key, "position") && strcmp(opt->key, "after") &&
	    strcmp(opt->key, "before"))
		return cli_seterr(e, EINVAL, "Parameter %s is not valid", opt->key);
	if (opt && !strcmp(opt->key, "position") && strcmp(opt->value, "auto") &&
	    strcmp(opt->value, "first") && strcmp(opt->value, "last"))
		return cli_seterr(e, EINVAL, "%s is not valid for position argument",
				  opt->value);
	return to_post(cmd, "attach", "cube", "port", opt);
}

/* Aliases that answer with fixed help text: 1 if matched. */
static int local_help(const struct command *cmd, const char **local,
		      struct cli_error *e)
{
	if (!cmd->help)
		return 0;
	if (first_is(cmd, "services") && cmd->npath == 1) {
		*local = help_services;
		return 1;
	}
	if (first_is(cmd, "connect") || first_is(cmd, "disconnect")) {
		if (cmd->npath != 1)
			return cli_seterr(e, EINVAL, first_is(cmd, "connect") ?
					  USAGE_CONNECT : USAGE_DISCONNECT);
		*local = help_connect;
		return 1;
	}
	if (first_is(cmd, "attach")) {
		*local = help_attach;
		return 1;
	}
	if (first_is(cmd, "detach")) {
		*local = help_detach;
		return 1;
	}
	return 0;
}

int cli_apply_aliases(struct command *cmd, const char **local,
		      struct cli_error *e)
{
	int ret;

	*local = NULL;
	if (first_is(cmd, "version"))
		return alias_version(cmd, e);
	ret = local_help(cmd, local, e);
	if (ret)
		return ret;
	if (bare_word(cmd, "netdevs") || bare_word(cmd, "cubes")) {
		cmd->verb = CLI_VERB_SHOW;
		return 0;
	}
	if (bare_word(cmd, "topology"))
		ret = alias_topology(cmd);
	else if (first_is(cmd, "connect"))
		ret = cmd->npath == 3 ? to_post(cmd, "connect", "peer1", "peer2", NULL) :
					cli_seterr(e, EINVAL, USAGE_CONNECT);
	else if (first_is(cmd, "disconnect"))
		ret = cmd->npath == 3 ? to_post(cmd, "disconnect", "peer1", "peer2", NULL) :
					cli_seterr(e, EINVAL, USAGE_DISCONNECT);
	else if (first_is(cmd, "attach"))
		ret = alias_attach(cmd, e);
	else if (first_is(cmd, "detach"))
		ret = cmd->npath == 3 ? to_post(cmd, "detach", "cube", "port", NULL) :
					cli_seterr(e, EINVAL, USAGE_DETACH);
	if (ret == -ENOMEM)
		cli_seterr(e, ENOMEM, "out of memory");
	return ret;
}
