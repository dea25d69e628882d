/* SPDX-License-Identifier: Apache-2.0 */
/* bpfnetd's REST front end: libmicrohttpd over already-listening sockets. */
#ifndef BPFNETD_HTTP_H
#define BPFNETD_HTTP_H

#include <pthread.h>

struct bn_ctx;
struct bn_http;

struct bn_http_cfg {
	struct bn_ctx *ctx;
	pthread_mutex_t *lock;	/* held around every call into the library */
	const char *token;	/* required "Authorization: Bearer" token, or NULL */
	int fds[2];		/* listening sockets (unix, tcp); -1 = unused */
};

/* Serve /polycube/v1/ on each listening socket, one MHD thread per socket.
 * The fds stay the caller's (MHD gets duplicates): close them after the
 * call either way. @cfg's pointers must outlive the server. */
int bn_http_start(const struct bn_http_cfg *cfg, struct bn_http **out);

/* Stop serving; waits for in-flight requests. Safe on NULL. */
void bn_http_stop(struct bn_http **h);

#endif
