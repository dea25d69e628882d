/* SPDX-License-Identifier: Apache-2.0 */
/* A small HTTP/1.1 client over a Unix or TCP socket, one request per connection. */
#ifndef CLI_HTTP_H
#define CLI_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/un.h>

#include "common.h"

#define CLI_DEFAULT_SOCKET "/run/bpfnet/bpfnetd.sock"
#define CLI_BASE_PATH "/polycube/v1/"
#define CLI_TIMEOUT_MS 30000

struct http_target {
	bool unix_socket;
	char sock_path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	char host[256];		/* TCP: IP literal or "localhost" */
	char port[8];
	char base[512];		/* base path, starts and ends with '/' */
	int timeout_ms;
};

struct http_response {
	int status;
	char *reason;		/* "Not Found" */
	char *location;		/* Location header or NULL */
	char *body;		/* NUL-terminated, may hold NULs */
	size_t body_len;
};

/* From POLYCUBECTL_URL / BPFNET_SOCKET values (either may be NULL). */
int http_target_init(struct http_target *t, const char *url, const char *sock,
		     struct cli_error *e);

/* "unix:/path" or "http://host:port" for messages. */
void http_target_describe(const struct http_target *t, char *buf, size_t len);

/*
 * Send @method base+@path with @body (may be NULL) and wait for the reply.
 * @token: bearer token or NULL. Follows 307/308 redirects (same method and body).
 */
int http_request(const struct http_target *t, const char *method,
		 const char *path, const char *body, const char *token,
		 struct http_response *resp, struct cli_error *e);
void http_response_free(struct http_response *r);

/*
 * Parse a complete or partial reply in @buf. 0 when complete, -EAGAIN when
 * more bytes are needed (or, with @eof, -EPROTO), -EPROTO when malformed.
 */
int http_parse_response(const char *buf, size_t len, bool eof,
			struct http_response *r);

#endif
