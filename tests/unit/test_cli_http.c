// SPDX-License-Identifier: Apache-2.0
/* The CLI's HTTP client: reply parsing and where it connects. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "http.h"

static int parse(const char *text, bool eof, struct http_response *r)
{
	return http_parse_response(text, strlen(text), eof, r);
}

static void test_content_length(void **state)
{
	const char full[] = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
			    "content-length: 8\r\n\r\n{\"id\":3}";
	struct http_response r;
	size_t cut;

	assert_int_equal(parse(full, false, &r), 0);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.reason, "OK");
	assert_int_equal(r.body_len, 8);
	assert_string_equal(r.body, "{\"id\":3}");
	assert_null(r.location);
	http_response_free(&r);

	/* every shorter prefix needs more bytes, and is broken at EOF */
	for (cut = 0; cut < strlen(full); cut++) {
		assert_int_equal(http_parse_response(full, cut, false, &r), -EAGAIN);
		assert_int_equal(http_parse_response(full, cut, true, &r), -EPROTO);
	}
}

static void test_until_eof(void **state)
{
	struct http_response r;

	assert_int_equal(parse("HTTP/1.0 404 Not Found\r\n\r\nNo cube", false, &r), -EAGAIN);
	assert_int_equal(parse("HTTP/1.0 404 Not Found\r\n\r\nNo cube", true, &r), 0);
	assert_int_equal(r.status, 404);
	assert_string_equal(r.reason, "Not Found");
	assert_string_equal(r.body, "No cube");
	http_response_free(&r);

	/* 204 has no body even without a length */
	assert_int_equal(parse("HTTP/1.1 204 No Content\r\n\r\n", false, &r), 0);
	assert_int_equal(r.status, 204);
	assert_int_equal(r.body_len, 0);
	http_response_free(&r);

	/* bare LF line ends are tolerated */
	assert_int_equal(parse("HTTP/1.1 201 Created\nContent-Length: 2\n\n{}", false, &r), 0);
	assert_int_equal(r.status, 201);
	assert_string_equal(r.body, "{}");
	http_response_free(&r);
}

static void test_chunked(void **state)
{
	const char text[] = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
			    "5\r\n{\"a\":\r\n2;ext=1\r\n1}\r\n0\r\n\r\n";
	struct http_response r;

	assert_int_equal(parse(text, false, &r), 0);
	assert_string_equal(r.body, "{\"a\":1}");
	assert_int_equal(r.body_len, 7);
	http_response_free(&r);
	assert_int_equal(http_parse_response(text, strlen(text) - 6, false, &r), -EAGAIN);
	assert_int_equal(http_parse_response(text, strlen(text) - 6, true, &r), -EPROTO);
	assert_int_equal(parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
			       false, &r), -EPROTO);
}

static void test_interim_and_redirect(void **state)
{
	struct http_response r;

	assert_int_equal(parse("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n"
			       "Content-Length: 0\r\n\r\n", false, &r), 0);
	assert_int_equal(r.status, 200);
	http_response_free(&r);

	assert_int_equal(parse("HTTP/1.1 308 Permanent Redirect\r\nLocation:  "
			       "/polycube/v1/helloworld/hw0/ \r\nContent-Length: 0\r\n\r\n",
			       false, &r), 0);
	assert_int_equal(r.status, 308);
	assert_string_equal(r.location, "/polycube/v1/helloworld/hw0/");
	http_response_free(&r);
}

static void test_malformed(void **state)
{
	struct http_response r;

	assert_int_equal(parse("SMTP ready\r\n\r\n", false, &r), -EPROTO);
	assert_int_equal(parse("HTTP/1.1 2x0 OK\r\n\r\n", false, &r), -EPROTO);
	assert_int_equal(parse("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", false, &r),
			 -EPROTO);
}

static void test_target(void **state)
{
	struct cli_error e = { { 0 } };
	struct http_target t;
	char desc[256];

	assert_int_equal(http_target_init(&t, NULL, NULL, &e), 0);
	assert_true(t.unix_socket);
	assert_string_equal(t.sock_path, "/run/bpfnet/bpfnetd.sock");
	assert_string_equal(t.base, "/polycube/v1/");
	assert_int_equal(t.timeout_ms, 30000);

	assert_int_equal(http_target_init(&t, "", "/tmp/x.sock", &e), 0);
	assert_true(t.unix_socket);
	assert_string_equal(t.sock_path, "/tmp/x.sock");

	/* POLYCUBECTL_URL wins over BPFNET_SOCKET */
	assert_int_equal(http_target_init(&t, "unix:/tmp/y.sock", "/tmp/x.sock", &e), 0);
	assert_string_equal(t.sock_path, "/tmp/y.sock");
	assert_string_equal(t.base, "/polycube/v1/");
	http_target_describe(&t, desc, sizeof(desc));
	assert_string_equal(desc, "unix:/tmp/y.sock");

	assert_int_equal(http_target_init(&t, "http://localhost:9000/polycube/v1/", NULL, &e), 0);
	assert_false(t.unix_socket);
	assert_string_equal(t.host, "localhost");
	assert_string_equal(t.port, "9000");
	assert_string_equal(t.base, "/polycube/v1/");

	assert_int_equal(http_target_init(&t, "http://127.0.0.1:9001/polycube/v1", NULL, &e), 0);
	assert_string_equal(t.host, "127.0.0.1");
	assert_string_equal(t.port, "9001");
	assert_string_equal(t.base, "/polycube/v1/");
	http_target_describe(&t, desc, sizeof(desc));
	assert_string_equal(desc, "http://127.0.0.1:9001");

	assert_int_equal(http_target_init(&t, "http://[::1]:9000/polycube/v1/", NULL, &e), 0);
	assert_string_equal(t.host, "::1");
	assert_string_equal(t.port, "9000");

	assert_int_equal(http_target_init(&t, "http://example.com:9000/polycube/v1/", NULL, &e),
			 -EINVAL);
	assert_non_null(strstr(e.msg, "must be an IP address or localhost"));
	assert_int_equal(http_target_init(&t, "https://127.0.0.1:9000/polycube/v1/", NULL, &e),
			 -EINVAL);
	assert_int_equal(http_target_init(&t, "ftp://x", NULL, &e), -EINVAL);
	assert_int_equal(http_target_init(&t, "http://127.0.0.1:x/", NULL, &e), -EINVAL);
	assert_int_equal(http_target_init(&t, "unix:", NULL, &e), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_content_length),
		cmocka_unit_test(test_until_eof),
		cmocka_unit_test(test_chunked),
		cmocka_unit_test(test_interim_and_redirect),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_target),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
