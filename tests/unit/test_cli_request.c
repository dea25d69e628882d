// SPDX-License-Identifier: Apache-2.0
/* Tokens -> HTTP method, URL path and body (POLYCUBE.md 1.3, 1.4, 1.7). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "alias.h"
#include "request.h"

#define MAX_ARGS 32

/* Tokenize @line (space separated), apply aliases, build the request. */
static void build(const char *line, const json_t *stdin_body, struct request *req)
{
	char *copy = strdup(line), *argv[MAX_ARGS], *save = NULL, *w;
	struct command cmd;
	struct cli_error e = { { 0 } };
	const char *local;
	int argc = 0;

	assert_non_null(copy);
	for (w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save))
		argv[argc++] = w;
	assert_int_equal(cli_tokenize(argc, argv, &cmd, &e), 0);
	assert_int_equal(cli_apply_aliases(&cmd, &local, &e), 0);
	assert_int_equal(cli_build_request(&cmd, stdin_body, req, &e), 0);
	cli_command_free(&cmd);
	free(copy);
}

static void expect(const char *line, const char *method, const char *path,
		   const char *body)
{
	struct request req;

	build(line, NULL, &req);
	assert_string_equal(req.method, method);
	assert_string_equal(req.path, path);
	if (body)
		assert_string_equal(req.body, body);
	else
		assert_null(req.body);
	cli_request_free(&req);
}

static void expect_escape(const char *seg, const char *want)
{
	struct strbuf sb = STRBUF_INIT;

	assert_int_equal(cli_escape_segment(&sb, seg), 0);
	assert_string_equal(sb_str(&sb), want);
	sb_release(&sb);
}

static void expect_typed(const char *value, const char *json)
{
	json_t *v = cli_typed_value(value);
	char *s = json_dumps(v, CLI_JSON_FLAGS);

	assert_non_null(s);
	assert_string_equal(s, json);
	free(s);
	json_decref(v);
}

static void test_escape(void **state)
{
	expect_escape("10.0.0.0/24", "10.0.0.0%2F24");
	expect_escape("aa:bb:cc:dd:ee:ff", "aa:bb:cc:dd:ee:ff");
	expect_escape("br1:port1", "br1:port1");
	expect_escape("a b;c,d?e%f", "a%20b%3Bc%2Cd%3Fe%25f");
	expect_escape("fe80::1/64", "fe80::1%2F64");
	expect_escape("x-y_z.w~", "x-y_z.w~");
	expect_escape("#\"'", "%23%22%27");
	expect_escape("\xc3\xa9", "%C3%A9");
}

static void test_value_typing(void **state)
{
	expect_typed("10", "10");
	expect_typed("-5", "-5");
	expect_typed("+7", "7");
	expect_typed("007", "7");
	expect_typed("9223372036854775807", "9223372036854775807");
	expect_typed("1.5", "1.5");
	expect_typed("-0.25", "-0.25");
	expect_typed("1e3", "1000.0");
	expect_typed(".5", "0.5");
	expect_typed("99999999999999999999", "1e20");
	expect_typed("true", "true");
	expect_typed("True", "true");
	expect_typed("TRUE", "true");
	expect_typed("t", "true");
	expect_typed("T", "true");
	expect_typed("false", "false");
	expect_typed("False", "false");
	expect_typed("FALSE", "false");
	expect_typed("f", "false");
	expect_typed("F", "false");
	expect_typed("1", "1");
	expect_typed("0", "0");
	expect_typed("", "\"\"");
	expect_typed("veth1", "\"veth1\"");
	expect_typed("tRUE", "\"tRUE\"");
	expect_typed("yes", "\"yes\"");
	expect_typed("10.0.0.1", "\"10.0.0.1\"");
	expect_typed("10.0.0.0/24", "\"10.0.0.0/24\"");
	expect_typed("inf", "\"inf\"");
	expect_typed("NaN", "\"NaN\"");
	expect_typed("1e400", "\"1e400\"");
	expect_typed("0x10", "\"0x10\"");
	expect_typed("1.", "1.0");
	expect_typed("-", "\"-\"");
	expect_typed("a\"b", "\"a\\\"b\"");
}

static void test_methods(void **state)
{
	expect("simpleforwarder add sf type=XDP_SKB", "POST", "simpleforwarder/sf/",
	       "{\"type\":\"XDP_SKB\"}");
	expect("sf ports add sf-p1", "POST", "sf/ports/sf-p1/", "{}");
	expect("hw0 ports add port1 peer=veth1", "POST", "hw0/ports/port1/",
	       "{\"peer\":\"veth1\"}");
	expect("br1 fdb flush", "POST", "br1/fdb/flush/", "{}");
	expect("helloworld hw0 ports port1 show peer", "GET",
	       "helloworld/hw0/ports/port1/peer/", NULL);
	expect("helloworld hw0 del ports port1", "DELETE", "helloworld/hw0/ports/port1/", NULL);
	expect("hw0 ports del port1", "DELETE", "hw0/ports/port1/", NULL);
	expect("del hw0", "DELETE", "hw0/", NULL);
	expect("fw chain EGRESS show rule 1", "GET", "fw/chain/EGRESS/rule/1/", NULL);
	expect("firewall fw chain EGRESS rule 0 add src=10.0.0.1", "POST",
	       "firewall/fw/chain/EGRESS/rule/0/", "{\"src\":\"10.0.0.1\"}");
	expect("topology show veth1", "GET", "topology/veth1/", NULL);
	expect("cubes", "GET", "cubes/", NULL);
	expect("version", "GET", "version/", NULL);
}

static void test_url_escaping_in_path(void **state)
{
	expect("r1 route add 10.0.0.0/24 10.1.0.2", "POST",
	       "r1/route/10.0.0.0%2F24/10.1.0.2/", "{}");
	expect("router r1 route add 0.0.0.0/0 10.1.0.2 pathcost=5", "POST",
	       "router/r1/route/0.0.0.0%2F0/10.1.0.2/", "{\"pathcost\":5}");
	expect("router r1 ports to_r2 secondaryip add 10.1.0.1/30", "POST",
	       "router/r1/ports/to_r2/secondaryip/10.1.0.1%2F30/", "{}");
	expect("br1 fdb entry show aa:bb:cc:dd:ee:ff", "GET",
	       "br1/fdb/entry/aa:bb:cc:dd:ee:ff/", NULL);
}

static void test_body_typing_and_dots(void **state)
{
	expect("fw chain INGRESS append l4proto=TCP conntrack=ESTABLISHED action=ACCEPT",
	       "POST", "fw/chain/INGRESS/append/",
	       "{\"l4proto\":\"TCP\",\"conntrack\":\"ESTABLISHED\",\"action\":\"ACCEPT\"}");
	expect("br1 ports add p1 access.vlanid=10 mode=access", "POST", "br1/ports/p1/",
	       "{\"access\":{\"vlanid\":10},\"mode\":\"access\"}");
	expect("x add y a.b.c=1 a.b.d=true a.e=1.5 f= g=str", "POST", "x/y/",
	       "{\"a\":{\"b\":{\"c\":1,\"d\":true},\"e\":1.5},\"f\":\"\",\"g\":\"str\"}");
	expect("sf actions sf-p2 set action=FORWARD outport=sf-p1", "PATCH",
	       "sf/actions/sf-p2/", "{\"action\":\"FORWARD\",\"outport\":\"sf-p1\"}");
}

static void test_single_parameter(void **state)
{
	expect("simpleforwarder sf set loglevel=DEBUG", "PATCH",
	       "simpleforwarder/sf/loglevel/", "\"DEBUG\"");
	expect("hw0 ports port1 set peer=veth1", "PATCH", "hw0/ports/port1/peer/",
	       "\"veth1\"");
	expect("helloworld hw0 ports port1 set peer=", "PATCH",
	       "helloworld/hw0/ports/port1/peer/", "\"\"");
	expect("br1 ports veth1 access set vlanid=10", "PATCH",
	       "br1/ports/veth1/access/vlanid/", "10");
	expect("b1 set priority=10", "PATCH", "b1/priority/", "10");
	expect("b1 set stp=True", "PATCH", "b1/stp/", "true");
	expect("b1 set stp=f", "PATCH", "b1/stp/", "false");
	expect("b1 set ratio=0.5", "PATCH", "b1/ratio/", "0.5");
	expect("b1 set description=a\"b", "PATCH", "b1/description/", "\"a\\\"b\"");
	expect("br1 ports p set access.vlanid=20", "PATCH", "br1/ports/p/access/vlanid/", "20");
	expect("r1 set ip=10.0.0.0/8", "PATCH", "r1/ip/", "\"10.0.0.0/8\"");
	/* only set: add with one arg keeps the object */
	expect("hw0 ports add port1 peer=veth1", "POST", "hw0/ports/port1/",
	       "{\"peer\":\"veth1\"}");
	/* no command: POST with the object */
	expect("fw chain INGRESS append action=DROP", "POST", "fw/chain/INGRESS/append/",
	       "{\"action\":\"DROP\"}");
}

static void test_help_url(void **state)
{
	expect("?", "OPTIONS", "?help=NONE", NULL);
	expect("-h", "OPTIONS", "?help=NONE", NULL);
	expect("hw0 ports ?", "OPTIONS", "hw0/ports?help=NONE", NULL);
	expect("hw0 ports add ?", "OPTIONS", "hw0/ports?help=ADD", NULL);
	expect("hw0 set ?", "OPTIONS", "hw0?help=SET", NULL);
	expect("hw0 show ?", "OPTIONS", "hw0?help=SHOW", NULL);
	expect("del ?", "OPTIONS", "?help=DEL", NULL);
	expect("hw0 set peer=x ?", "OPTIONS", "hw0?help=SET", NULL);
	expect("r1 route add 10.0.0.0/24 ?", "OPTIONS", "r1/route/10.0.0.0%2F24?help=ADD", NULL);
}

static void test_alias_requests(void **state)
{
	expect("connect br1:port1 veth1", "POST", "connect/",
	       "{\"peer1\":\"br1:port1\",\"peer2\":\"veth1\"}");
	expect("connect r1:to_r2 r2:to_r1", "POST", "connect/",
	       "{\"peer1\":\"r1:to_r2\",\"peer2\":\"r2:to_r1\"}");
	expect("disconnect br1:port1 veth1", "POST", "disconnect/",
	       "{\"peer1\":\"br1:port1\",\"peer2\":\"veth1\"}");
	expect("attach hwTA hw0:port1 position=first", "POST", "attach/",
	       "{\"cube\":\"hwTA\",\"port\":\"hw0:port1\",\"position\":\"first\"}");
	expect("attach fw veth1", "POST", "attach/", "{\"cube\":\"fw\",\"port\":\"veth1\"}");
	expect("attach th2 veth1 after=th1", "POST", "attach/",
	       "{\"cube\":\"th2\",\"port\":\"veth1\",\"after\":\"th1\"}");
	expect("attach th2 veth1 before=th1", "POST", "attach/",
	       "{\"cube\":\"th2\",\"port\":\"veth1\",\"before\":\"th1\"}");
	expect("detach fw veth1", "POST", "detach/", "{\"cube\":\"fw\",\"port\":\"veth1\"}");
	expect("topology", "GET", "topology/", NULL);
	expect("netdevs", "GET", "netdevs/", NULL);
}

static void test_stdin_body(void **state)
{
	json_t *body = json_pack("{s:[{s:s}]}", "rules", "operation", "append");
	struct request req;
	struct command cmd = { 0 };

	build("fw chain INGRESS batch rules=", body, &req);
	assert_string_equal(req.method, "POST");
	assert_string_equal(req.path, "fw/chain/INGRESS/batch/");
	assert_string_equal(req.body, "{\"rules\":[{\"operation\":\"append\"}]}");
	cli_request_free(&req);

	/* the single-parameter form ignores stdin */
	build("hw0 set loglevel=DEBUG", body, &req);
	assert_string_equal(req.body, "\"DEBUG\"");
	cli_request_free(&req);

	/* show and del never send a body */
	build("hw0 show", body, &req);
	assert_null(req.body);
	cli_request_free(&req);
	json_decref(body);

	cmd.verb = CLI_VERB_ADD;
	assert_true(cli_wants_stdin(&cmd));
	cmd.verb = CLI_VERB_NONE;
	assert_true(cli_wants_stdin(&cmd));
	cmd.verb = CLI_VERB_SHOW;
	assert_false(cli_wants_stdin(&cmd));
	cmd.verb = CLI_VERB_DEL;
	assert_false(cli_wants_stdin(&cmd));
	cmd.verb = CLI_VERB_ADD;
	cmd.help = true;
	assert_false(cli_wants_stdin(&cmd));
	cmd.help = false;
	cmd.from_alias = true;
	assert_false(cli_wants_stdin(&cmd));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_value_typing),
		cmocka_unit_test(test_methods),
		cmocka_unit_test(test_url_escaping_in_path),
		cmocka_unit_test(test_body_typing_and_dots),
		cmocka_unit_test(test_single_parameter),
		cmocka_unit_test(test_help_url),
		cmocka_unit_test(test_alias_requests),
		cmocka_unit_test(test_stdin_body),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
