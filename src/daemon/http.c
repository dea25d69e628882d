// SPDX-License-Identifier: Apache-2.0
/* REST front end: accumulate a request, authorise it, hand it to the library,
 * send back its reply. Every library call is made under cfg.lock. */
#include "http.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <microhttpd.h>

#include "bpfnet.h"
#include "log.h"

#define API_PREFIX	"/polycube/v1"
#define CONN_TIMEOUT_S	60
#define ALLOWED_METHODS	"GET, POST, PUT, PATCH, DELETE, OPTIONS"

struct bn_http {
	struct bn_http_cfg cfg;
	struct MHD_Daemon *mhd[2];
};

/* One request in flight: its upload so far. */
struct req {
	char *body;		/* NUL-terminated; len excludes the NUL */
	size_t len, cap;
	bool too_large;
	bool nomem;
};

static const char *const methods[] = { "GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS" };

/* The path below /polycube/v1/ ("" for the root), or NULL if @url is elsewhere. */
static const char *api_path(const char *url)
{
	size_t n = strlen(API_PREFIX);

	if (strncmp(url, API_PREFIX, n))
		return NULL;
	if (!url[n])
		return url + n;
	return url[n] == '/' ? url + n + 1 : NULL;
}

static bool method_allowed(const char *method)
{
	for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++)
		if (!strcmp(method, methods[i]))
			return true;
	return false;
}

/* Constant-time in the token's content. */
static bool token_equal(const char *got, const char *want)
{
	size_t lg = strlen(got), lw = strlen(want);
	unsigned char diff = lg != lw;

	for (size_t i = 0; i < lw; i++)
		diff |= (unsigned char)want[i] ^ (unsigned char)got[i < lg ? i : 0];
	return !diff;
}

static bool authorized(const struct bn_http *h, struct MHD_Connection *conn)
{
	const char *v;

	if (!h->cfg.token)
		return true;
	v = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
	if (!v || strncasecmp(v, "Bearer ", 7))
		return false;
	for (v += 7; *v == ' '; v++)
		;
	return token_equal(v, h->cfg.token);
}

static bool body_too_large(struct MHD_Connection *conn)
{
	const char *v;

	v = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
	return v && strtoull(v, NULL, 10) > BN_MAX_BODY;
}

static bool has_arg(struct MHD_Connection *conn, const char *key)
{
	return MHD_lookup_connection_value_n(conn, MHD_GET_ARGUMENT_KIND, key, strlen(key),
					     NULL, NULL) == MHD_YES;
}

/* ?help=VALUE, percent-decoded (MHD leaves it raw, see keep_raw()); "" for a
 * bare ?help; NULL when absent. 0 or -ENOMEM. */
static int help_arg(struct MHD_Connection *conn, char **out)
{
	const char *v = NULL;

	*out = NULL;
	if (MHD_lookup_connection_value_n(conn, MHD_GET_ARGUMENT_KIND, "help", 4, &v, NULL) != MHD_YES)
		return 0;
	*out = strdup(v ? v : "");
	if (!*out)
		return -ENOMEM;
	MHD_http_unescape(*out);
	return 0;
}

/* {"error": msg} as compact JSON text (malloc'd); NULL only when out of memory. */
static char *error_text(const char *msg)
{
	json_t *j = json_pack("{s:s}", "error", msg);
	char *text = NULL;

	if (j)
		text = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	if (!text)	/* msg was not UTF-8 (a raw path can be anything) */
		text = strdup("{\"error\":\"invalid request\"}");
	return text;
}

/* Queue @status with @text (malloc'd JSON, consumed) or no body if NULL. */
static enum MHD_Result send_reply(struct MHD_Connection *conn, const char *method,
				  const char *url, unsigned int status, char *text)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;

	pr_debug("%s %s -> %u", method, url, status);
	if (text)
		resp = MHD_create_response_from_buffer(strlen(text), text, MHD_RESPMEM_MUST_FREE);
	else
		resp = MHD_create_response_from_buffer(0, "", MHD_RESPMEM_PERSISTENT);
	if (!resp) {
		free(text);
		pr_err("%s %s: cannot allocate the response", method, url);
		return MHD_NO;
	}
	if (text)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
	if (status == MHD_HTTP_UNAUTHORIZED)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer");
	else if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, ALLOWED_METHODS);
	ret = MHD_queue_response(conn, status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static enum MHD_Result send_error(struct MHD_Connection *conn, const char *method,
				  const char *url, unsigned int status, const char *msg)
{
	return send_reply(conn, method, url, status, error_text(msg));
}

/* First call, headers only: reject what never reaches the library. */
static enum MHD_Result begin(struct bn_http *h, struct MHD_Connection *conn, const char *url,
			     const char *method, void **con_cls)
{
	enum MHD_Result ret;
	struct req *r;
	char *msg;

	if (!authorized(h, conn))
		return send_error(conn, method, url, MHD_HTTP_UNAUTHORIZED, "unauthorized");
	if (!method_allowed(method))
		return send_error(conn, method, url, MHD_HTTP_METHOD_NOT_ALLOWED, "method not allowed");
	if (!api_path(url)) {
		if (asprintf(&msg, "unknown path %s", url) < 0)
			return MHD_NO;
		ret = send_error(conn, method, url, MHD_HTTP_NOT_FOUND, msg);
		free(msg);
		return ret;
	}
	if (body_too_large(conn))
		return send_error(conn, method, url, MHD_HTTP_CONTENT_TOO_LARGE, "request body too large");
	r = calloc(1, sizeof(*r));
	if (!r)
		return send_error(conn, method, url, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory");
	*con_cls = r;
	return MHD_YES;
}

static void append(struct req *r, const char *data, size_t n)
{
	size_t cap;
	char *p;

	if (r->too_large || r->nomem)
		return;
	if (n > BN_MAX_BODY - r->len) {
		r->too_large = true;	/* chunked upload: keep draining, answer 413 */
		free(r->body);
		r->body = NULL;
		r->len = r->cap = 0;
		return;
	}
	if (r->len + n + 1 > r->cap) {
		for (cap = r->cap ? r->cap : 4096; cap < r->len + n + 1; cap *= 2)
			;
		if (cap > BN_MAX_BODY + 1)
			cap = BN_MAX_BODY + 1;
		p = realloc(r->body, cap);
		if (!p) {
			r->nomem = true;
			return;
		}
		r->body = p;
		r->cap = cap;
	}
	memcpy(r->body + r->len, data, n);
	r->len += n;
	r->body[r->len] = '\0';
}

/* Last call, body complete: one library call, under the lock. */
static enum MHD_Result finish(struct bn_http *h, struct MHD_Connection *conn, const char *url,
			      const char *method, struct req *r)
{
	struct bn_request q = {
		.method = method,
		.path = api_path(url),
		.body = r->len ? r->body : NULL,
		.body_len = r->len,
	};
	struct bn_reply rep = { .status = MHD_HTTP_INTERNAL_SERVER_ERROR };
	char *help, *text = NULL;
	bool had_body;

	if (r->too_large)
		return send_error(conn, method, url, MHD_HTTP_CONTENT_TOO_LARGE, "request body too large");
	if (r->nomem || help_arg(conn, &help))
		return send_error(conn, method, url, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory");
	q.help = help;
	q.completion = has_arg(conn, "completion");

	pthread_mutex_lock(h->cfg.lock);
	bn_api_handle(h->cfg.ctx, &q, &rep);
	/* the reply may share objects with library state: dump it under the lock */
	had_body = rep.body;
	if (had_body)
		text = json_dumps(rep.body, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
	json_decref(rep.body);
	pthread_mutex_unlock(h->cfg.lock);
	free(help);

	if (had_body && !text)
		return send_error(conn, method, url, MHD_HTTP_INTERNAL_SERVER_ERROR,
				  "cannot encode the reply");
	if (rep.status < 100 || rep.status > 599) {
		pr_err("%s %s: library returned HTTP status %d", method, url, rep.status);
		free(text);
		return send_error(conn, method, url, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal error");
	}
	return send_reply(conn, method, url, rep.status, text);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
				  const char *method, const char *version, const char *upload,
				  size_t *upload_size, void **con_cls)
{
	struct req *r = *con_cls;

	if (!r)
		return begin(cls, conn, url, method, con_cls);
	if (*upload_size) {
		append(r, upload, *upload_size);
		*upload_size = 0;
		return MHD_YES;
	}
	return finish(cls, conn, url, method, r);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct req *r = *con_cls;

	if (!r)
		return;
	free(r->body);
	free(r);
	*con_cls = NULL;
}

/* Polycube clients escape path segments ("10.0.0.0%2F24"): the library wants
 * them raw, so MHD must not decode the URL (nor query arguments). */
static size_t keep_raw(void *cls, struct MHD_Connection *conn, char *s)
{
	return strlen(s);
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	bn_logv(BN_LOG_WARN, "microhttpd", NULL, fmt, ap);
}

static int start_one(struct bn_http *h, int fd, struct MHD_Daemon **out)
{
	int dfd, err;

	dfd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
	if (dfd < 0) {
		err = -errno;
		pr_err("cannot duplicate the listening socket: %s", strerror(-err));
		return err;
	}
	*out = MHD_start_daemon(MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_ERROR_LOG, 0,
				NULL, NULL, on_request, h,
				MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,	/* first */
				MHD_OPTION_LISTEN_SOCKET, (MHD_socket)dfd,
				MHD_OPTION_UNESCAPE_CALLBACK, keep_raw, NULL,
				MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
				MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)CONN_TIMEOUT_S,
				MHD_OPTION_END);
	if (!*out) {
		/* dfd is left alone: MHD may have closed it already */
		pr_err("cannot start the HTTP server");
		return -EIO;
	}
	return 0;
}

int bn_http_start(const struct bn_http_cfg *cfg, struct bn_http **out)
{
	struct bn_http *h;
	int err = 0;

	h = calloc(1, sizeof(*h));
	if (!h)
		return -ENOMEM;
	h->cfg = *cfg;
	for (int i = 0; i < 2; i++) {
		if (cfg->fds[i] < 0)
			continue;
		err = start_one(h, cfg->fds[i], &h->mhd[i]);
		if (err)
			goto out;
	}
	*out = h;
	h = NULL;
out:
	bn_http_stop(&h);
	return err;
}

void bn_http_stop(struct bn_http **hp)
{
	struct bn_http *h = *hp;

	if (!h)
		return;
	for (int i = 0; i < 2; i++)
		if (h->mhd[i])
			MHD_stop_daemon(h->mhd[i]);
	free(h);
	*hp = NULL;
}
