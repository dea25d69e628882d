// SPDX-License-Identifier: Apache-2.0
/* A small HTTP/1.1 client over a Unix or TCP socket, one request per connection. */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "http.h"
#include "strbuf.h"

#define MAX_REDIRECTS 5
#define MAX_REPLY (256 << 20)

static int set_str(char *dst, size_t len, const char *src, size_t n)
{
	if (n >= len)
		return -ENAMETOOLONG;
	memcpy(dst, src, n);
	dst[n] = '\0';
	return 0;
}

static bool valid_host(const char *host)
{
	struct in6_addr a6;
	struct in_addr a4;

	return !strcmp(host, "localhost") || inet_pton(AF_INET, host, &a4) == 1 ||
	       inet_pton(AF_INET6, host, &a6) == 1;
}

/* host[:port] or [v6]:port, then the base path. */
static int parse_http_url(struct http_target *t, const char *url,
			  struct cli_error *e)
{
	const char *auth = url + strlen("http://"), *slash, *colon, *hend;
	const char *path;

	slash = strchrnul(auth, '/');
	path = *slash ? slash : CLI_BASE_PATH;
	if (*auth == '[') {
		hend = memchr(auth, ']', slash - auth);
		if (!hend)
			goto bad;
		colon = hend + 1 < slash && hend[1] == ':' ? hend + 1 : NULL;
		if (set_str(t->host, sizeof(t->host), auth + 1, hend - auth - 1))
			goto bad;
	} else {
		colon = memchr(auth, ':', slash - auth);
		hend = colon ? colon : slash;
		if (set_str(t->host, sizeof(t->host), auth, hend - auth))
			goto bad;
	}
	if (colon && set_str(t->port, sizeof(t->port), colon + 1, slash - colon - 1))
		goto bad;
	if (!colon)
		strcpy(t->port, "80");
	if (!t->port[0] || strspn(t->port, "0123456789") != strlen(t->port))
		goto bad;
	if (!valid_host(t->host))
		return cli_seterr(e, EINVAL, "POLYCUBECTL_URL: host %s must be an IP address or localhost",
				  t->host);
	if (snprintf(t->base, sizeof(t->base), "%s%s", path,
		     path[strlen(path) - 1] == '/' ? "" : "/") >= (int)sizeof(t->base))
		goto bad;
	return 0;
bad:
	return cli_seterr(e, EINVAL, "POLYCUBECTL_URL %s is not a valid http://HOST:PORT/polycube/v1/ URL",
			  url);
}

static int set_socket(struct http_target *t, const char *path, const char *what,
		      struct cli_error *e)
{
	t->unix_socket = true;
	strcpy(t->base, CLI_BASE_PATH);
	if (!*path || set_str(t->sock_path, sizeof(t->sock_path), path, strlen(path)))
		return cli_seterr(e, EINVAL, "%s: socket path '%s' is not valid", what, path);
	return 0;
}

int http_target_init(struct http_target *t, const char *url, const char *sock,
		     struct cli_error *e)
{
	memset(t, 0, sizeof(*t));
	t->timeout_ms = CLI_TIMEOUT_MS;
	if (url && *url) {
		if (!strncmp(url, "unix:", 5))
			return set_socket(t, url + 5, "POLYCUBECTL_URL", e);
		if (!strncmp(url, "http://", 7))
			return parse_http_url(t, url, e);
		if (!strncmp(url, "https://", 8))
			return cli_seterr(e, EINVAL, "POLYCUBECTL_URL: https is not supported, use http://HOST:PORT/polycube/v1/ or unix:/path");
		return cli_seterr(e, EINVAL, "POLYCUBECTL_URL %s must be http://HOST:PORT/polycube/v1/ or unix:/path",
				  url);
	}
	if (sock && *sock)
		return set_socket(t, sock, "BPFNET_SOCKET", e);
	return set_socket(t, CLI_DEFAULT_SOCKET, "default", e);
}

void http_target_describe(const struct http_target *t, char *buf, size_t len)
{
	if (t->unix_socket)
		snprintf(buf, len, "unix:%s", t->sock_path);
	else if (strchr(t->host, ':'))
		snprintf(buf, len, "http://[%s]:%s", t->host, t->port);
	else
		snprintf(buf, len, "http://%s:%s", t->host, t->port);
}

/* ---- connection ---- */

static int wait_fd(int fd, short events, int timeout_ms)
{
	struct pollfd pfd = { .fd = fd, .events = events };
	int n;

	do {
		n = poll(&pfd, 1, timeout_ms);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	return n ? 0 : -ETIMEDOUT;
}

static int connect_fd(int family, const struct sockaddr *sa, socklen_t len,
		      int timeout_ms, int *out)
{
	int fd, err = 0;
	socklen_t elen = sizeof(err);

	fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, sa, len) && errno != EINPROGRESS && errno != EAGAIN) {
		err = -errno;
		goto fail;
	}
	err = wait_fd(fd, POLLOUT, timeout_ms);
	if (err)
		goto fail;
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &elen) || err) {
		err = err ? -err : -errno;
		goto fail;
	}
	*out = fd;
	return 0;
fail:
	close(fd);
	return err;
}

static int connect_unix(const struct http_target *t, int *fd)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };

	strcpy(sun.sun_path, t->sock_path);
	return connect_fd(AF_UNIX, (struct sockaddr *)&sun, sizeof(sun),
			  t->timeout_ms, fd);
}

static int connect_tcp(const struct http_target *t, int *fd)
{
	struct addrinfo hints = {
		.ai_socktype = SOCK_STREAM,
		.ai_flags = AI_NUMERICSERV,
	}, *res, *ai;
	int err;

	err = getaddrinfo(t->host, t->port, &hints, &res);
	if (err)
		return err == EAI_SYSTEM ? -errno : -EHOSTUNREACH;
	err = -EHOSTUNREACH;
	for (ai = res; ai; ai = ai->ai_next) {
		err = connect_fd(ai->ai_family, ai->ai_addr, ai->ai_addrlen,
				 t->timeout_ms, fd);
		if (!err)
			break;
	}
	freeaddrinfo(res);
	return err;
}

static int send_all(int fd, const char *buf, size_t len, int timeout_ms)
{
	ssize_t n;
	int err;

	while (len) {
		err = wait_fd(fd, POLLOUT, timeout_ms);
		if (err)
			return err;
		n = send(fd, buf, len, MSG_NOSIGNAL);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n < 0)
			return -errno;
		buf += n;
		len -= n;
	}
	return 0;
}

/* ---- reply parsing ---- */

struct reply_head {
	int status;
	const char *reason;
	size_t reason_len;
	const char *location;
	size_t location_len;
	bool chunked;
	bool has_length;
	size_t length;
	size_t body_off;	/* first body byte */
};

static const char *find_head_end(const char *buf, size_t len, size_t *skip)
{
	const char *p;

	for (p = buf; p < buf + len; p++) {
		if (*p != '\n')
			continue;
		if (p + 1 < buf + len && p[1] == '\n') {
			*skip = 2;
			return p;
		}
		if (p + 2 < buf + len && p[1] == '\r' && p[2] == '\n') {
			*skip = 3;
			return p;
		}
	}
	return NULL;
}

static bool header_is(const char *line, size_t len, const char *name,
		      const char **val, size_t *vlen)
{
	size_t n = strlen(name);

	if (len <= n || strncasecmp(line, name, n) || line[n] != ':')
		return false;
	line += n + 1;
	len -= n + 1;
	while (len && (*line == ' ' || *line == '\t')) {
		line++;
		len--;
	}
	while (len && isspace((unsigned char)line[len - 1]))
		len--;
	*val = line;
	*vlen = len;
	return true;
}

static int parse_header(struct reply_head *h, const char *line, size_t len)
{
	const char *v;
	size_t vlen;
	char num[32];
	char *end;

	if (header_is(line, len, "Content-Length", &v, &vlen)) {
		if (!vlen || vlen >= sizeof(num))
			return -EPROTO;
		memcpy(num, v, vlen);
		num[vlen] = '\0';
		errno = 0;
		h->length = strtoull(num, &end, 10);
		if (*end || errno || !isdigit((unsigned char)num[0]))
			return -EPROTO;
		h->has_length = true;
	} else if (header_is(line, len, "Transfer-Encoding", &v, &vlen)) {
		h->chunked = vlen >= 7 && !strncasecmp(v + vlen - 7, "chunked", 7);
	} else if (header_is(line, len, "Location", &v, &vlen)) {
		h->location = v;
		h->location_len = vlen;
	}
	return 0;
}

static int parse_status_line(struct reply_head *h, const char *line, size_t len)
{
	const char *p = line + 9;

	if (len < 12 || strncmp(line, "HTTP/1.", 7) || line[8] != ' ' ||
	    !isdigit((unsigned char)p[0]) || !isdigit((unsigned char)p[1]) ||
	    !isdigit((unsigned char)p[2]) || (len > 12 && p[3] != ' '))
		return -EPROTO;
	h->status = (p[0] - '0') * 100 + (p[1] - '0') * 10 + (p[2] - '0');
	h->reason = len > 13 ? p + 4 : "";
	h->reason_len = len > 13 ? len - 13 : 0;
	return 0;
}

/* Status line and headers of the head in buf[0..end). */
static int parse_head(struct reply_head *h, const char *buf, const char *end)
{
	const char *line = buf, *nl;
	size_t len;
	int err;

	memset(h, 0, sizeof(*h));
	for (; line <= end; line = nl + 1) {
		nl = memchr(line, '\n', end + 1 - line);
		len = nl - line;
		if (len && line[len - 1] == '\r')
			len--;
		err = line == buf ? parse_status_line(h, line, len) :
				    parse_header(h, line, len);
		if (err)
			return err;
	}
	return 0;
}

/* Decode a chunked body at @p; -EAGAIN if incomplete. */
static int dechunk(const char *p, size_t len, bool eof, struct strbuf *out)
{
	const char *end = p + len, *nl;
	unsigned long long size;
	char *stop;

	for (;;) {
		nl = memchr(p, '\n', end - p);
		if (!nl)
			return eof ? -EPROTO : -EAGAIN;
		errno = 0;
		size = strtoull(p, &stop, 16);
		if (stop == p || errno || (*stop != ';' && *stop != '\r' && *stop != '\n'))
			return -EPROTO;
		p = nl + 1;
		if (!size)
			return 0;	/* trailers are not needed */
		if ((size_t)(end - p) < size + 1)
			return eof ? -EPROTO : -EAGAIN;
		if (sb_add(out, p, size))
			return -ENOMEM;
		p += size;
		p += *p == '\r';
		if (p >= end)
			return eof ? -EPROTO : -EAGAIN;
		if (*p++ != '\n')
			return -EPROTO;
	}
}

static int fill_response(struct http_response *r, const struct reply_head *h,
			 struct strbuf *body)
{
	memset(r, 0, sizeof(*r));
	r->status = h->status;
	r->reason = strndup(h->reason, h->reason_len);
	if (h->location)
		r->location = strndup(h->location, h->location_len);
	r->body_len = body->len;
	r->body = sb_take(body);
	if (!r->reason || !r->body || (h->location && !r->location)) {
		http_response_free(r);
		return -ENOMEM;
	}
	return 0;
}

int http_parse_response(const char *buf, size_t len, bool eof,
			struct http_response *r)
{
	struct strbuf body = STRBUF_INIT;
	struct reply_head h;
	const char *end;
	size_t skip, avail;
	int err;

	end = find_head_end(buf, len, &skip);
	if (!end)
		return eof ? -EPROTO : -EAGAIN;
	err = parse_head(&h, buf, end);
	if (err)
		return err;
	h.body_off = end - buf + skip;
	if (h.status >= 100 && h.status < 200)	/* interim reply */
		return http_parse_response(buf + h.body_off, len - h.body_off, eof, r);
	avail = len - h.body_off;
	if (h.status == 204 || h.status == 304)
		err = 0;
	else if (h.chunked)
		err = dechunk(buf + h.body_off, avail, eof, &body);
	else if (h.has_length && avail >= h.length)
		err = sb_add(&body, buf + h.body_off, h.length);
	else if (h.has_length)
		err = eof ? -EPROTO : -EAGAIN;
	else if (eof)
		err = sb_add(&body, buf + h.body_off, avail);
	else
		err = -EAGAIN;
	if (!err)
		err = fill_response(r, &h, &body);
	sb_release(&body);
	return err;
}

void http_response_free(struct http_response *r)
{
	free(r->reason);
	free(r->location);
	free(r->body);
	memset(r, 0, sizeof(*r));
}

/* ---- one exchange ---- */

static int read_reply(int fd, int timeout_ms, struct http_response *r)
{
	struct strbuf in = STRBUF_INIT;
	bool eof = false;
	ssize_t n;
	int err;

	do {
		err = sb_grow(&in, 16384);
		if (!err)
			err = wait_fd(fd, POLLIN, timeout_ms);
		if (err)
			break;
		n = recv(fd, in.buf + in.len, 16384, 0);
		if (n < 0 && (errno == EINTR || errno == EAGAIN)) {
			err = -EAGAIN;
			continue;
		}
		if (n < 0 && errno != ECONNRESET) {
			err = -errno;
			break;
		}
		eof = n <= 0;
		if (n > 0)
			in.len += n;
		err = in.len > MAX_REPLY ? -EFBIG :
		      http_parse_response(in.buf ? in.buf : "", in.len, eof, r);
	} while (err == -EAGAIN);
	sb_release(&in);
	return err;
}

static int format_request(struct strbuf *sb, const struct http_target *t,
			  const char *method, const char *target,
			  const char *body, const char *token,
			  const char *referer)
{
	int err;

	err = sb_addf(sb, "%s %s HTTP/1.1\r\n", method, target);
	if (!err && t->unix_socket)
		err = sb_adds(sb, "Host: localhost\r\n");
	else if (!err)
		err = sb_addf(sb, strchr(t->host, ':') ? "Host: [%s]:%s\r\n" :
			      "Host: %s:%s\r\n", t->host, t->port);
	if (!err)
		err = sb_addf(sb, "User-Agent: bpfnet/%s\r\nAccept: application/json\r\n"
			      "Connection: close\r\nContent-Type: application/json\r\n"
			      "Content-Length: %zu\r\n", CLI_VERSION, body ? strlen(body) : 0);
	if (!err && token && *token)
		err = sb_addf(sb, "Authorization: Bearer %s\r\n", token);
	if (!err && referer)
		err = sb_addf(sb, "Referer: %s\r\n", referer);
	if (!err)
		err = sb_addf(sb, "\r\n%s", body ? body : "");
	return err;
}

static int exchange(const struct http_target *t, const char *method,
		    const char *target, const char *body, const char *token,
		    const char *referer, struct http_response *r,
		    struct cli_error *e)
{
	struct strbuf req = STRBUF_INIT;
	char where[sizeof(t->sock_path) + 32];
	int fd = -1, err;

	http_target_describe(t, where, sizeof(where));
	err = format_request(&req, t, method, target, body, token, referer);
	if (err) {
		err = cli_seterr(e, ENOMEM, "out of memory");
		goto out;
	}
	err = t->unix_socket ? connect_unix(t, &fd) : connect_tcp(t, &fd);
	if (err) {
		err = cli_seterr(e, -err, "cannot connect to bpfnetd at %s: %s",
				 where, strerror(-err));
		goto out;
	}
	err = send_all(fd, req.buf, req.len, t->timeout_ms);
	if (!err)
		err = read_reply(fd, t->timeout_ms, r);
	if (err == -EPROTO)
		cli_seterr(e, EPROTO, "malformed reply from bpfnetd at %s", where);
	else if (err)
		cli_seterr(e, -err, "request to bpfnetd at %s failed: %s", where,
			   strerror(-err));
out:
	if (fd >= 0)
		close(fd);
	sb_release(&req);
	return err;
}

/* The path of an absolute or scheme-relative Location. */
static const char *location_path(const char *loc)
{
	const char *p = strstr(loc, "//");

	if (loc[0] == '/' && loc[1] != '/')
		return loc;
	if (!p)
		return NULL;
	p = strchr(p + 2, '/');
	return p;
}

int http_request(const struct http_target *t, const char *method,
		 const char *path, const char *body, const char *token,
		 struct http_response *resp, struct cli_error *e)
{
	struct strbuf target = STRBUF_INIT, referer = STRBUF_INIT;
	const char *next;
	int hops, err;

	memset(resp, 0, sizeof(*resp));
	if (sb_addf(&target, "%s%s", t->base, path))
		return cli_seterr(e, ENOMEM, "out of memory");
	for (hops = 0; ; hops++) {
		err = exchange(t, method, sb_str(&target), body, token,
			       referer.len ? sb_str(&referer) : NULL, resp, e);
		if (err || (resp->status != 307 && resp->status != 308) ||
		    !resp->location || hops == MAX_REDIRECTS)
			break;
		next = location_path(resp->location);
		if (!next)
			break;
		sb_reset(&referer);
		err = sb_adds(&referer, sb_str(&target));
		sb_reset(&target);
		if (!err)
			err = sb_adds(&target, next);
		http_response_free(resp);
		if (err) {
			err = cli_seterr(e, ENOMEM, "out of memory");
			break;
		}
	}
	sb_release(&target);
	sb_release(&referer);
	return err;
}
