// SPDX-License-Identifier: Apache-2.0
/* The stdin body of the CLI: YAML/JSON parsing and when stdin is read at all. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "request.h"
#include "yaml.h"

static void expect_yaml(const char *text, const char *json)
{
	struct cli_error e = { { 0 } };
	json_t *out = NULL;
	char *s;

	assert_int_equal(cli_yaml_to_json(text, strlen(text), &out, &e), 0);
	if (!json) {
		assert_null(out);
		return;
	}
	assert_non_null(out);
	s = json_dumps(out, CLI_JSON_FLAGS);
	assert_string_equal(s, json);
	free(s);
	json_decref(out);
}

static void test_flow_batch(void **state)
{
	expect_yaml("{\"rules\":[{'operation': 'append', 'src': '10.1.0.0/31', 'sport': 0,},]}",
		    "{\"rules\":[{\"operation\":\"append\",\"src\":\"10.1.0.0/31\",\"sport\":0}]}");
	expect_yaml("{\"rules\":[{'operation': 'insert', 'id': 0, 'l4proto': 'TCP',"
		    " 'action': 'DROP',}, {'operation': 'delete', 'id': 1,},]}\n",
		    "{\"rules\":[{\"operation\":\"insert\",\"id\":0,\"l4proto\":\"TCP\","
		    "\"action\":\"DROP\"},{\"operation\":\"delete\",\"id\":1}]}");
	expect_yaml("{'a': 1, }", "{\"a\":1}");
}

static void test_json_text(void **state)
{
	expect_yaml("{\"a\": \"0\", \"b\": 0, \"c\": true, \"d\": null, \"e\": [1.5, \"x\"],"
		    " \"f\": {\"g\": \"\"}}",
		    "{\"a\":\"0\",\"b\":0,\"c\":true,\"d\":null,\"e\":[1.5,\"x\"],\"f\":{\"g\":\"\"}}");
	expect_yaml("[]", "[]");
	expect_yaml("\"veth1\"", "\"veth1\"");
}

static void test_block_yaml(void **state)
{
	expect_yaml("- name: br1\n"
		    "  service-name: simplebridge\n"
		    "  loglevel: DEBUG\n"
		    "  shadow: false\n"
		    "  ports:\n"
		    "  - name: port1\n"
		    "    peer: veth1\n"
		    "  - name: port2\n"
		    "    peer: 'br2:port1'\n"
		    "  fdb:\n"
		    "    agingtime: 300\n"
		    "    entry: ~\n"
		    "    note:\n"
		    "    yes: on\n",
		    "[{\"name\":\"br1\",\"service-name\":\"simplebridge\",\"loglevel\":\"DEBUG\","
		    "\"shadow\":false,\"ports\":[{\"name\":\"port1\",\"peer\":\"veth1\"},"
		    "{\"name\":\"port2\",\"peer\":\"br2:port1\"}],"
		    "\"fdb\":{\"agingtime\":300,\"entry\":null,\"note\":null,\"yes\":\"on\"}}]");
}

static void test_empty_and_errors(void **state)
{
	struct cli_error e = { { 0 } };
	json_t *out = NULL;
	const char *bad = "{a: [1, 2}";

	expect_yaml("", NULL);
	expect_yaml("   \n\n", NULL);
	expect_yaml("# only a comment\n", NULL);
	assert_int_equal(cli_yaml_to_json(bad, strlen(bad), &out, &e), -EINVAL);
	assert_null(out);
	assert_non_null(strstr(e.msg, "stdin is not valid YAML"));
	assert_null(strchr(e.msg, '\n'));
}

/* Parse whatever waits on @fd as the stdin body. */
static json_t *body_from(int fd)
{
	struct cli_error e = { { 0 } };
	json_t *out = NULL;

	assert_int_equal(cli_read_stdin_body(fd, &out, &e), 0);
	return out;
}

static void test_stdin_pipe(void **state)
{
	const char text[] = "{'a': 1}";
	int p[2];
	json_t *j;

	/* data ready: read */
	assert_int_equal(pipe(p), 0);
	assert_int_equal(write(p[1], text, strlen(text)), strlen(text));
	close(p[1]);
	j = body_from(p[0]);
	assert_non_null(j);
	assert_int_equal(json_integer_value(json_object_get(j, "a")), 1);
	json_decref(j);
	close(p[0]);

	/* idle pipe, writer still open: no body and no blocking */
	assert_int_equal(pipe(p), 0);
	assert_null(body_from(p[0]));
	close(p[0]);
	close(p[1]);

	/* empty pipe, writer gone */
	assert_int_equal(pipe(p), 0);
	close(p[1]);
	assert_null(body_from(p[0]));
	close(p[0]);
}

static void test_stdin_files(void **state)
{
	char path[] = "/tmp/bpfnet-cli-yaml-XXXXXX";
	int fd = mkstemp(path), devnull;
	json_t *j;

	assert_true(fd >= 0);
	unlink(path);
	/* empty regular file */
	assert_null(body_from(fd));
	assert_int_equal(write(fd, "- a\n- 2\n", 8), 8);
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	j = body_from(fd);
	assert_true(json_is_array(j));
	assert_int_equal(json_array_size(j), 2);
	json_decref(j);
	close(fd);

	devnull = open("/dev/null", O_RDONLY);
	assert_true(devnull >= 0);
	assert_null(body_from(devnull));
	close(devnull);

	/* a closed descriptor */
	assert_null(body_from(devnull));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_flow_batch),
		cmocka_unit_test(test_json_text),
		cmocka_unit_test(test_block_yaml),
		cmocka_unit_test(test_empty_and_errors),
		cmocka_unit_test(test_stdin_pipe),
		cmocka_unit_test(test_stdin_files),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
