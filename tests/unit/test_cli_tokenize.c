// SPDX-License-Identifier: Apache-2.0
/* Tokenizer (POLYCUBE.md 1.2) and aliases (1.4) of the CLI. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "alias.h"
#include "tokenize.h"

#define MAX_ARGS 32

/* Split @line on spaces (no quoting) and tokenize it. */
static int tok(const char *line, struct command *cmd, struct cli_error *e)
{
	char *copy = strdup(line), *argv[MAX_ARGS], *save = NULL, *w;
	int argc = 0, ret;

	assert_non_null(copy);
	for (w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save))
		argv[argc++] = w;
	memset(e, 0, sizeof(*e));
	ret = cli_tokenize(argc, argv, cmd, e);
	free(copy);
	return ret;
}

static void expect_error(const char *line, const char *msg)
{
	struct command cmd;
	struct cli_error e;

	assert_int_equal(tok(line, &cmd, &e), -EINVAL);
	assert_string_equal(e.msg, msg);
	assert_int_equal(cmd.npath, 0);
	assert_null(cmd.path);
}

/* Tokenize and apply the aliases: their return value. */
static int alias(const char *line, struct command *cmd, struct cli_error *e,
		 const char **local)
{
	assert_int_equal(tok(line, cmd, e), 0);
	return cli_apply_aliases(cmd, local, e);
}

static void expect_alias_error(const char *line, const char *msg)
{
	struct command cmd;
	struct cli_error e;
	const char *local;

	assert_int_equal(alias(line, &cmd, &e, &local), -EINVAL);
	assert_string_equal(e.msg, msg);
	cli_command_free(&cmd);
}

static void test_no_args_is_help(void **state)
{
	struct command cmd;
	struct cli_error e;

	assert_int_equal(cli_tokenize(0, NULL, &cmd, &e), 0);
	assert_true(cmd.help);
	assert_int_equal(cmd.verb, CLI_VERB_NONE);
	cli_command_free(&cmd);
}

static void test_command_anywhere(void **state)
{
	static const char *const lines[] = {
		"del helloworld hw0", "helloworld del hw0", "helloworld hw0 del",
	};
	struct command cmd;
	struct cli_error e;
	size_t i;

	for (i = 0; i < 3; i++) {
		assert_int_equal(tok(lines[i], &cmd, &e), 0);
		assert_int_equal(cmd.verb, CLI_VERB_DEL);
		assert_int_equal(cmd.npath, 2);
		assert_string_equal(cmd.path[0], "helloworld");
		assert_string_equal(cmd.path[1], "hw0");
		cli_command_free(&cmd);
	}
}

static void test_path_body_flags(void **state)
{
	struct command cmd;
	struct cli_error e;

	assert_int_equal(tok("hw0 ports add port1 peer=veth1 access.vlanid=10 x=", &cmd, &e), 0);
	assert_int_equal(cmd.verb, CLI_VERB_ADD);
	assert_int_equal(cmd.npath, 3);
	assert_string_equal(cmd.path[2], "port1");
	assert_int_equal(cmd.nbody, 3);
	assert_string_equal(cmd.body[0].key, "peer");
	assert_string_equal(cmd.body[0].value, "veth1");
	assert_string_equal(cmd.body[1].key, "access.vlanid");
	assert_string_equal(cmd.body[1].value, "10");
	assert_string_equal(cmd.body[2].key, "x");
	assert_string_equal(cmd.body[2].value, "");
	cli_command_free(&cmd);

	assert_int_equal(tok("hw0 show -verbose -hide=uuid,ports.uuid", &cmd, &e), 0);
	assert_int_equal(cmd.verb, CLI_VERB_SHOW);
	assert_int_equal(cmd.show, CLI_SHOW_VERBOSE);
	assert_int_equal(cmd.nhide, 2);
	assert_string_equal(cmd.hide[0], "uuid");
	assert_string_equal(cmd.hide[1], "ports.uuid");
	cli_command_free(&cmd);

	assert_int_equal(tok("hw0 ports show ?", &cmd, &e), 0);
	assert_true(cmd.help);
	assert_int_equal(cmd.npath, 2);
	cli_command_free(&cmd);

	assert_int_equal(tok("--help", &cmd, &e), 0);
	assert_true(cmd.help);
	cli_command_free(&cmd);

	/* flags may follow body args; '?' may follow them too */
	assert_int_equal(tok("r1 route add 0.0.0.0/0 10.1.0.2 pathcost=5 ?", &cmd, &e), 0);
	assert_true(cmd.help);
	assert_int_equal(cmd.npath, 4);
	assert_int_equal(cmd.nbody, 1);
	cli_command_free(&cmd);
}

static void test_errors(void **state)
{
	expect_error("hw0 add show", "Multiple commands found: show and add");
	expect_error("hw0 add del", "Multiple commands found: del and add");
	expect_error("hw0 -json show", "-json can only be used with show command");
	expect_error("hw0 set -brief", "-brief can only be used with show command");
	expect_error("hw0 show -json -yaml", "-yaml and -json cannot be used together");
	expect_error("hw0 -hide=a show", "-hide can only be used with show command");
	expect_error("hw0 show -json -hide=a", "-hide is not compatible with -json");
	expect_error("hw0 show -hide=a -yaml", "-hide is not compatible with -yaml");
	expect_error("hw0 show -hide", "-hide usage: -hide=key0,key1,key");
	expect_error("hw0 show -hide=", "-hide usage: -hide=key0,key1,key");
	expect_error("hw0 show -hide=a,,b", "-hide usage: -hide=key0,key1,key");
	expect_error("-h hw0", "-h has to be the only argument");
	expect_error("hw0 --help", "--help has to be the only argument");
	expect_error("hw0 -1", "-1 is not a valid flag");
	expect_error("hw0 -cubeid", "-cubeid is not a valid flag");
	expect_error("hw0 set a=b=c", "a=b=c is not a valid format");
	expect_error("hw0 set =c", "=c is not a valid format");
	expect_error("hw0 set a..b=c", "a..b=c is not a valid format");
	expect_error("hw0 set k=1 k=2", "Duplicated values for k");
	expect_error("hw0 add p1 peer=veth1 p2", "p2 is not valid after peer=veth1");
	expect_error("hw0 ports port1 peer=veth1 set", "set is not valid after peer=veth1");
	expect_error("hw0 ? show", "'?' must be the last argument");
}

static void test_empty_argument(void **state)
{
	char *argv[] = { "hw0", "" };
	struct command cmd;
	struct cli_error e;

	assert_int_equal(cli_tokenize(2, argv, &cmd, &e), -EINVAL);
	assert_string_equal(e.msg, "an empty argument is not valid");
}

static void test_alias_simple(void **state)
{
	struct command cmd;
	struct cli_error e;
	const char *local;

	assert_int_equal(alias("cubes", &cmd, &e, &local), 0);
	assert_int_equal(cmd.verb, CLI_VERB_SHOW);
	cli_command_free(&cmd);

	assert_int_equal(alias("netdevs", &cmd, &e, &local), 0);
	assert_int_equal(cmd.verb, CLI_VERB_SHOW);
	cli_command_free(&cmd);

	assert_int_equal(alias("topology", &cmd, &e, &local), 0);
	assert_int_equal(cmd.verb, CLI_VERB_SHOW);
	assert_int_equal(cmd.show, CLI_SHOW_VERBOSE);
	assert_int_equal(cmd.nhide, 1);
	assert_string_equal(cmd.hide[0], "uuid");
	cli_command_free(&cmd);

	/* an explicit show is a plain show */
	assert_int_equal(alias("topology show", &cmd, &e, &local), 0);
	assert_int_equal(cmd.show, CLI_SHOW_UNSPEC);
	assert_int_equal(cmd.nhide, 0);
	cli_command_free(&cmd);

	assert_int_equal(alias("version", &cmd, &e, &local), 0);
	assert_int_equal(cmd.verb, CLI_VERB_SHOW);
	assert_string_equal(cmd.prologue, "polycubectl:\n version: " CLI_VERSION "\n");
	cli_command_free(&cmd);

	assert_int_equal(alias("version show", &cmd, &e, &local), 0);
	assert_int_equal(cmd.verb, CLI_VERB_SHOW);
	cli_command_free(&cmd);
}

static void expect_body(const struct command *cmd, const char *path,
			const char *const *kv, size_t n)
{
	size_t i;

	assert_int_equal(cmd->verb, CLI_VERB_ADD);
	assert_true(cmd->from_alias);
	assert_int_equal(cmd->npath, 1);
	assert_string_equal(cmd->path[0], path);
	assert_int_equal(cmd->nbody, n);
	for (i = 0; i < n; i++) {
		assert_string_equal(cmd->body[i].key, kv[2 * i]);
		assert_string_equal(cmd->body[i].value, kv[2 * i + 1]);
	}
}

static void test_alias_connect_attach_detach(void **state)
{
	static const char *const connect[] = { "peer1", "br1:port1", "peer2", "veth1" };
	static const char *const attach[] = { "cube", "th2", "port", "veth1", "after", "th1" };
	static const char *const attach2[] = { "cube", "hwTA", "port", "hw0:port1",
					       "position", "first" };
	static const char *const detach[] = { "cube", "fw", "port", "veth1" };
	struct command cmd;
	struct cli_error e;
	const char *local;

	assert_int_equal(alias("connect br1:port1 veth1", &cmd, &e, &local), 0);
	expect_body(&cmd, "connect", connect, 2);
	cli_command_free(&cmd);

	assert_int_equal(alias("disconnect br1:port1 veth1", &cmd, &e, &local), 0);
	expect_body(&cmd, "disconnect", connect, 2);
	cli_command_free(&cmd);

	assert_int_equal(alias("attach th2 veth1 after=th1", &cmd, &e, &local), 0);
	expect_body(&cmd, "attach", attach, 3);
	cli_command_free(&cmd);

	assert_int_equal(alias("attach hwTA hw0:port1 position=first", &cmd, &e, &local), 0);
	expect_body(&cmd, "attach", attach2, 3);
	cli_command_free(&cmd);

	assert_int_equal(alias("attach fw veth1", &cmd, &e, &local), 0);
	expect_body(&cmd, "attach", detach, 2);
	cli_command_free(&cmd);

	assert_int_equal(alias("detach fw veth1", &cmd, &e, &local), 0);
	expect_body(&cmd, "detach", detach, 2);
	cli_command_free(&cmd);
}

static void test_alias_errors(void **state)
{
	expect_alias_error("version ?", "There is not help for this command");
	expect_alias_error("version x", "Bad syntax, usage: version [show]");
	expect_alias_error("connect a", "Bad syntax, usage: connect peer1 peer2");
	expect_alias_error("connect a b c", "Bad syntax, usage: connect peer1 peer2");
	expect_alias_error("connect a ?", "Bad syntax, usage: connect peer1 peer2");
	expect_alias_error("disconnect a", "Bad syntax, usage: disconnect peer1 peer2");
	expect_alias_error("attach fw",
			   "Bad syntax, usage: attach cube port [position=auto, first, last], [before=cube], [after=cube]");
	expect_alias_error("attach fw veth1 position=first after=x",
			   "Only one parameter is supported");
	expect_alias_error("attach fw veth1 where=x", "Parameter where is not valid");
	expect_alias_error("attach fw veth1 position=middle",
			   "middle is not valid for position argument");
	expect_alias_error("detach fw", "Bad syntax, usage: detach peer1 peer2");
	expect_alias_error("detach fw veth1 x", "Bad syntax, usage: detach peer1 peer2");
}

static void test_alias_local_help(void **state)
{
	static const char *const lines[] = {
		"connect ?", "disconnect ?", "attach ?", "detach ?", "services ?",
		"services add ?", "services show ?", "services del ?",
	};
	struct command cmd;
	struct cli_error e;
	const char *local;
	size_t i;

	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		assert_int_equal(alias(lines[i], &cmd, &e, &local), 1);
		assert_non_null(local);
		assert_non_null(strstr(local, "Keyword"));
		cli_command_free(&cmd);
	}
}

static void test_no_alias(void **state)
{
	struct command cmd;
	struct cli_error e;
	const char *local;

	/* cubes with a verb or more args is a plain path */
	assert_int_equal(alias("cubes add", &cmd, &e, &local), 0);
	assert_int_equal(cmd.verb, CLI_VERB_ADD);
	assert_false(cmd.from_alias);
	cli_command_free(&cmd);

	assert_int_equal(alias("hw0 ports add port1", &cmd, &e, &local), 0);
	assert_int_equal(cmd.verb, CLI_VERB_ADD);
	assert_int_equal(cmd.npath, 3);
	assert_null(cmd.prologue);
	cli_command_free(&cmd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_args_is_help),
		cmocka_unit_test(test_command_anywhere),
		cmocka_unit_test(test_path_body_flags),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_empty_argument),
		cmocka_unit_test(test_alias_simple),
		cmocka_unit_test(test_alias_connect_attach_detach),
		cmocka_unit_test(test_alias_errors),
		cmocka_unit_test(test_alias_local_help),
		cmocka_unit_test(test_no_alias),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
