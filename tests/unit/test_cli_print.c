// SPDX-License-Identifier: Apache-2.0
/* Pretty printer, -json, -yaml, error lines and help of the CLI (POLYCUBE.md 1.5, 1.6). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "help.h"
#include "print.h"
#include "yaml.h"

static const char hw0_json[] =
	"{\"name\":\"hw0\",\"uuid\":\"1a7c\",\"service-name\":\"helloworld\","
	"\"type\":\"TC\",\"loglevel\":\"INFO\","
	"\"ports\":[{\"name\":\"port1\",\"uuid\":\"5e0b\",\"status\":\"UP\",\"peer\":\"veth1\"},"
	"{\"name\":\"port2\",\"uuid\":\"77c2\",\"status\":\"DOWN\",\"peer\":\"\"}],"
	"\"shadow\":false,\"span\":false,\"action\":\"forward\","
	"\"_links\":[{\"rel\":\"self\",\"href\":\"//127.0.0.1:9000/polycube/v1/helloworld/hw0/\"}]}";

struct out {
	char *buf;
	size_t len;
	FILE *f;
};

static void out_open(struct out *o)
{
	o->buf = NULL;
	o->len = 0;
	o->f = open_memstream(&o->buf, &o->len);
	assert_non_null(o->f);
}

static char *out_close(struct out *o)
{
	fclose(o->f);
	return o->buf;
}

static json_t *load(const char *text)
{
	json_t *j = json_loads(text, JSON_DECODE_ANY, NULL);

	assert_non_null(j);
	return j;
}

/* Pretty print @json at @depth hiding @hide (comma list or NULL). */
static void expect_pretty(const char *json, int depth, const char *hide,
			  const char *want)
{
	char *keys[8], *copy = hide ? strdup(hide) : NULL, *save = NULL, *k;
	struct print_opts o = { .depth = depth, .hide = keys };
	json_t *j = load(json);
	struct out out;
	char *got;

	for (k = copy ? strtok_r(copy, ",", &save) : NULL; k;
	     k = strtok_r(NULL, ",", &save))
		keys[o.nhide++] = k;
	out_open(&out);
	assert_int_equal(cli_print_pretty(out.f, j, &o), 0);
	got = out_close(&out);
	assert_string_equal(got, want);
	free(got);
	free(copy);
	json_decref(j);
}

static void test_scalar(void **state)
{
	expect_pretty("\"veth1\"", CLI_DEPTH_NORMAL, NULL, "veth1\n\n");
	expect_pretty("2", CLI_DEPTH_NORMAL, NULL, "2\n\n");
	expect_pretty("196", CLI_DEPTH_BRIEF, NULL, "196\n\n");
	expect_pretty("true", CLI_DEPTH_NORMAL, NULL, "true\n\n");
	expect_pretty("null", CLI_DEPTH_NORMAL, NULL, "<nil>\n\n");
	expect_pretty("\"\"", CLI_DEPTH_NORMAL, NULL, "\n\n");
}

static void test_numbers(void **state)
{
	expect_pretty("{\"a\":1234567,\"b\":1.5,\"c\":2.0,\"d\":-3,\"e\":18446744073709551}",
		      CLI_DEPTH_NORMAL, NULL,
		      "a: 1234567\nb: 1.500000\nc: 2\nd: -3\ne: 18446744073709551\n\n");
}

static void test_hw0_normal(void **state)
{
	expect_pretty(hw0_json, CLI_DEPTH_NORMAL, NULL,
		      "name: hw0\n"
		      "uuid: 1a7c\n"
		      "service-name: helloworld\n"
		      "type: TC\n"
		      "loglevel: INFO\n"
		      "shadow: false\n"
		      "span: false\n"
		      "action: forward\n"
		      "\n"
		      "ports:\n"
		      " name   uuid  status  peer\n"
		      " port1  5e0b  UP      veth1\n"
		      " port2  77c2  DOWN\n"
		      "\n");
}

static void test_hw0_brief(void **state)
{
	expect_pretty(hw0_json, CLI_DEPTH_BRIEF, NULL,
		      "name: hw0\n"
		      "uuid: 1a7c\n"
		      "service-name: helloworld\n"
		      "type: TC\n"
		      "loglevel: INFO\n"
		      "shadow: false\n"
		      "span: false\n"
		      "action: forward\n"
		      "ports: [2 items]\n"
		      "\n");
}

static void test_hide(void **state)
{
	expect_pretty(hw0_json, CLI_DEPTH_NORMAL, "uuid,ports.uuid,shadow",
		      "name: hw0\n"
		      "service-name: helloworld\n"
		      "type: TC\n"
		      "loglevel: INFO\n"
		      "span: false\n"
		      "action: forward\n"
		      "\n"
		      "ports:\n"
		      " name   status  peer\n"
		      " port1  UP      veth1\n"
		      " port2  DOWN\n"
		      "\n");
	/* a top-level list: column names are the paths */
	expect_pretty("[{\"name\":\"hw0\",\"uuid\":\"u1\",\"type\":\"TC\"},"
		      "{\"name\":\"fw\",\"uuid\":\"u2\",\"type\":\"XDP_SKB\"}]",
		      CLI_DEPTH_VERBOSE, "uuid",
		      "name  type\n"
		      "hw0   TC\n"
		      "fw    XDP_SKB\n"
		      "\n");
	/* hiding a whole array */
	expect_pretty(hw0_json, CLI_DEPTH_NORMAL, "ports",
		      "name: hw0\n"
		      "uuid: 1a7c\n"
		      "service-name: helloworld\n"
		      "type: TC\n"
		      "loglevel: INFO\n"
		      "shadow: false\n"
		      "span: false\n"
		      "action: forward\n"
		      "\n");
}

static const char nested_json[] =
	"{\"name\":\"b1\",\"stats\":{\"pkts\":2,\"bytes\":196,\"last\":null},"
	"\"ports\":[{\"name\":\"p1\",\"access\":{\"vlanid\":1},"
	"\"stp\":[{\"instance\":1,\"state\":\"forwarding\"},{\"instance\":2,\"state\":\"blocking\"}]},"
	"{\"name\":\"p2\"}],"
	"\"tags\":[\"a\",\"bb\"],\"mode\":\"on\"}";

static void test_nested_normal(void **state)
{
	expect_pretty(nested_json, CLI_DEPTH_NORMAL, NULL,
		      "name: b1\n"
		      "mode: on\n"
		      "stats:\n"
		      " pkts: 2\n"
		      " bytes: 196\n"
		      " last: <nil>\n"
		      "\n"
		      "ports:\n"
		      " name  stp\n"
		      " p1    [2 items]\n"
		      " p2\n"
		      "\n"
		      "tags:\n"
		      " a\n"
		      " bb\n"
		      "\n");
}

static void test_nested_verbose(void **state)
{
	expect_pretty(nested_json, CLI_DEPTH_VERBOSE, "stats.bytes",
		      "name: b1\n"
		      "mode: on\n"
		      "stats:\n"
		      " pkts: 2\n"
		      " last: <nil>\n"
		      "\n"
		      "ports:\n"
		      " name  instance (stp)  state (stp)\n"
		      " p1    1               forwarding\n"
		      "       2               blocking\n"
		      " p2\n"
		      "\n"
		      "tags:\n"
		      " a\n"
		      " bb\n"
		      "\n");
}

static void test_lists(void **state)
{
	/* columns in first-seen order; missing cells empty */
	expect_pretty("[{\"network\":\"10.0.0.0/24\",\"nexthop\":\"local\",\"interface\":\"p1\"},"
		      "{\"network\":\"0.0.0.0/0\",\"nexthop\":\"10.1.0.2\",\"pathcost\":5}]",
		      CLI_DEPTH_NORMAL, NULL,
		      "network      nexthop   interface  pathcost\n"
		      "10.0.0.0/24  local     p1\n"
		      "0.0.0.0/0    10.1.0.2             5\n"
		      "\n");
	/* -brief on a list still shows the elements' own fields */
	expect_pretty("[{\"name\":\"eth0\",\"addresses\":[\"10.0.0.1/24\"]}]",
		      CLI_DEPTH_BRIEF, NULL,
		      "name  addresses\n"
		      "eth0  [1 items]\n"
		      "\n");
	expect_pretty("[]", CLI_DEPTH_NORMAL, NULL, "\n\n");
	/* cubes: an object of lists */
	expect_pretty("{\"helloworld\":[{\"name\":\"hw0\",\"type\":\"TC\",\"ports\":"
		      "[{\"name\":\"port1\",\"peer\":\"veth1\"}]}]}",
		      CLI_DEPTH_NORMAL, NULL,
		      "\n"
		      "helloworld:\n"
		      " name  type  ports\n"
		      " hw0   TC    [1 items]\n"
		      "\n");
	/* UTF-8 cells align on characters */
	expect_pretty("[{\"a\":\"\xc3\xa9t\xc3\xa9\",\"b\":1},{\"a\":\"x\",\"b\":2}]",
		      CLI_DEPTH_NORMAL, NULL,
		      "a    b\n"
		      "\xc3\xa9t\xc3\xa9  1\n"
		      "x    2\n"
		      "\n");
}

static char *reply(const struct command *cmd, const char *body)
{
	struct out out;

	out_open(&out);
	assert_int_equal(cli_print_reply(out.f, cmd, body, strlen(body)), 0);
	return out_close(&out);
}

static void test_json(void **state)
{
	struct command cmd = { .verb = CLI_VERB_SHOW, .show = CLI_SHOW_JSON };
	char *got = reply(&cmd, "{\"b\":1,\"a\":[1,{\"x\":\"y\"}],\"_links\":[]}");

	assert_string_equal(got,
			    "{\n"
			    "  \"b\": 1,\n"
			    "  \"a\": [\n"
			    "    1,\n"
			    "    {\n"
			    "      \"x\": \"y\"\n"
			    "    }\n"
			    "  ],\n"
			    "  \"_links\": []\n"
			    "}\n");
	free(got);
	got = reply(&cmd, "\"veth1\"");
	assert_string_equal(got, "\"veth1\"\n");
	free(got);
}

static void test_yaml_out(void **state)
{
	struct command cmd = { .verb = CLI_VERB_SHOW, .show = CLI_SHOW_YAML };
	char *got = reply(&cmd, "{\"name\":\"hw0\",\"ports\":[{\"peer\":\"\",\"name\":\"p1\"}],"
			  "\"id\":3,\"on\":true,\"txt\":\"10\",\"flag\":\"yes\",\"n\":null}");

	assert_string_equal(got,
			    "flag: \"yes\"\n"
			    "id: 3\n"
			    "\"n\": null\n"
			    "name: hw0\n"
			    "\"on\": true\n"
			    "ports:\n"
			    "- name: p1\n"
			    "  peer: \"\"\n"
			    "txt: \"10\"\n"
			    "\n");
	free(got);
}

static void test_reply_dispatch(void **state)
{
	struct command cmd = { .verb = CLI_VERB_ADD };
	char *got;

	/* add/set/del print nothing */
	got = reply(&cmd, "{\"id\":3}");
	assert_string_equal(got, "");
	free(got);
	/* an action (no command) prints its output */
	cmd.verb = CLI_VERB_NONE;
	got = reply(&cmd, "{\"id\":3}");
	assert_string_equal(got, "id: 3\n\n");
	free(got);
	got = reply(&cmd, "{\"flushed\":true}");
	assert_string_equal(got, "flushed: true\n\n");
	free(got);
	got = reply(&cmd, "");
	assert_string_equal(got, "");
	free(got);
	/* text that is not JSON is shown as it is */
	cmd.verb = CLI_VERB_SHOW;
	got = reply(&cmd, "pkts{cubeName=\"hw0\"} 2.000000");
	assert_string_equal(got, "pkts{cubeName=\"hw0\"} 2.000000\n");
	free(got);
}

static void expect_error_line(int status, const char *reason, const char *body,
			      bool help, const char *want)
{
	struct strbuf sb = STRBUF_INIT;

	assert_int_equal(cli_reply_error(&sb, status, reason, body, strlen(body), help), 0);
	assert_string_equal(sb_str(&sb), want);
	sb_release(&sb);
}

static void test_error_lines(void **state)
{
	expect_error_line(404, "Not Found", "{\"error\":\"No cube found named x\"}", false,
			  "No cube found named x");
	expect_error_line(400, "Bad Request", "{\"error\":\"line1\\nline2\\n\"}", false,
			  "line1 line2");
	expect_error_line(404, "Not Found", "", false, "404 Not Found");
	expect_error_line(404, "Not Found", "", true, "There is not help for this command");
	expect_error_line(500, "Internal Server Error", "Port p does not exist\n", false,
			  "Port p does not exist");
	expect_error_line(409, "Conflict",
			  "{\"ietf-restconf:errors\":{\"error\":[{\"error-tag\":\"data-exists\"}]}}",
			  false,
			  "{\"ietf-restconf:errors\":{\"error\":[{\"error-tag\":\"data-exists\"}]}}");
	expect_error_line(400, "Bad Request", "{\"error\":\"\"}", false, "400 Bad Request");
}

static void test_help(void **state)
{
	json_t *help = load("{\"commands\":[\"add\",\"del\",\"show\"],"
			    "\"params\":{\"name\":{\"name\":\"name\",\"type\":\"key\","
			    "\"simpletype\":\"string\",\"description\":\"Port name\",\"example\":\"port1\"}},"
			    "\"elements\":[{\"name\":\"port1\"},{\"name\":\"port2\"}]}");
	struct command cmd = { .verb = CLI_VERB_NONE };
	char *path[] = { "hw0", "ports" };
	struct out out;
	char *got;

	cmd.path = path;
	cmd.npath = 2;
	out_open(&out);
	assert_int_equal(cli_print_help(out.f, &cmd, help, NULL), 0);
	got = out_close(&out);
	assert_string_equal(got,
			    "\n"
			    "Keyword  Type      Description\n"
			    " add      command   Add entry to a list\n"
			    " del      command   Delete entry of a list\n"
			    " show     command   Show entry or list [-normal | -brief | -verbose | -json | -yaml]\n"
			    " port1    <name>\n"
			    " port2    <name>\n");
	free(got);
	json_decref(help);

	help = load("{}");
	out_open(&out);
	assert_int_equal(cli_print_help(out.f, &cmd, help, NULL), 0);
	got = out_close(&out);
	assert_string_equal(got, "\nThere is not help for this command\n");
	free(got);
	json_decref(help);
}

static void test_completion(void **state)
{
	char *words1[] = { "hw0", "ports", "" };
	char *words2[] = { "hw0", "ports", "add", "port1", "peer=" };
	char *words3[] = { "" };
	char *words4[] = { "r1", "route", "10.0.0.0/24", "x" };
	struct strbuf sb = STRBUF_INIT;
	json_t *list = load("[\"port1\",\"port2\"]");
	struct out out;
	bool root;
	char *got;

	assert_int_equal(cli_completion_path(3, words1, &sb, &root), 0);
	assert_string_equal(sb_str(&sb), "hw0/ports?help=NONE&completion");
	assert_false(root);
	sb_reset(&sb);
	assert_int_equal(cli_completion_path(5, words2, &sb, &root), 0);
	assert_string_equal(sb_str(&sb), "hw0/ports/port1/peer?help=ADD&completion");
	sb_reset(&sb);
	assert_int_equal(cli_completion_path(1, words3, &sb, &root), 0);
	assert_string_equal(sb_str(&sb), "?help=NONE&completion");
	assert_true(root);
	sb_reset(&sb);
	assert_int_equal(cli_completion_path(4, words4, &sb, &root), 0);
	assert_string_equal(sb_str(&sb), "r1/route/10.0.0.0%2F24?help=NONE&completion");
	sb_release(&sb);

	out_open(&out);
	cli_print_completion(out.f, list, false);
	got = out_close(&out);
	assert_string_equal(got, "port1\nport2\n");
	free(got);
	out_open(&out);
	cli_print_completion(out.f, NULL, true);
	got = out_close(&out);
	assert_non_null(strstr(got, "add\ndel\nshow\nset\nconnect\n"));
	assert_non_null(strstr(got, "\nnetdevs\n"));
	free(got);
	json_decref(list);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scalar),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_hw0_normal),
		cmocka_unit_test(test_hw0_brief),
		cmocka_unit_test(test_hide),
		cmocka_unit_test(test_nested_normal),
		cmocka_unit_test(test_nested_verbose),
		cmocka_unit_test(test_lists),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_yaml_out),
		cmocka_unit_test(test_reply_dispatch),
		cmocka_unit_test(test_error_lines),
		cmocka_unit_test(test_help),
		cmocka_unit_test(test_completion),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
