// SPDX-License-Identifier: Apache-2.0
/* Listening sockets for bpfnetd. */
#include "sock.h"

#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>
#include <unistd.h>

#include "log.h"

#define LISTEN_BACKLOG 64

static int mkdir_one(const char *dir)
{
	int err;

	if (!mkdir(dir, 0755) || errno == EEXIST)
		return 0;
	err = -errno;
	pr_err("cannot create directory %s: %s", dir, strerror(-err));
	return err;
}

int bn_mkdir_parent(const char *path)
{
	char *dir, *p;
	int err = 0;

	dir = strdup(path);
	if (!dir)
		return -ENOMEM;
	p = strrchr(dir, '/');
	if (!p || p == dir)
		goto out;
	*p = '\0';
	for (p = dir + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		err = mkdir_one(dir);
		*p = '/';
		if (err)
			goto out;
	}
	err = mkdir_one(dir);
out:
	free(dir);
	return err;
}

static int unix_addr(const char *path, struct sockaddr_un *sa)
{
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sa->sun_path)) {
		pr_err("socket path too long: %s", path);
		return -ENAMETOOLONG;
	}
	strcpy(sa->sun_path, path);
	return 0;
}

/* 1 if a server accepts connections on @sa, 0 if not, -errno if unknown. */
static int unix_answers(const struct sockaddr_un *sa)
{
	int fd, ret;

	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (!connect(fd, (const struct sockaddr *)sa, sizeof(*sa)))
		ret = 1;
	else if (errno == EAGAIN || errno == EINPROGRESS)
		ret = 1;	/* listening, backlog full */
	else if (errno == ECONNREFUSED)
		ret = 0;
	else
		ret = -errno;
	close(fd);
	return ret;
}

static int clear_stale(const char *path, const struct sockaddr_un *sa)
{
	struct stat st;
	int ret;

	if (lstat(path, &st)) {
		ret = -errno;
		if (ret == -ENOENT)
			return 0;
		pr_err("cannot stat %s: %s", path, strerror(-ret));
		return ret;
	}
	if (!S_ISSOCK(st.st_mode)) {
		pr_err("%s exists and is not a socket", path);
		return -EEXIST;
	}
	ret = unix_answers(sa);
	if (ret > 0) {
		pr_err("another daemon is already listening on %s", path);
		return -EADDRINUSE;
	}
	if (ret < 0) {
		pr_err("cannot probe %s: %s", path, strerror(-ret));
		return ret;
	}
	if (unlink(path) && errno != ENOENT) {
		ret = -errno;
		pr_err("cannot remove stale socket %s: %s", path, strerror(-ret));
		return ret;
	}
	pr_info("removed stale socket %s", path);
	return 0;
}

int bn_sock_listen_unix(const char *path, int *out, struct stat *st)
{
	struct sockaddr_un sa;
	mode_t old_umask;
	int fd = -1, err;

	err = unix_addr(path, &sa);
	if (err)
		return err;
	err = bn_mkdir_parent(path);
	if (err)
		return err;
	err = clear_stale(path, &sa);
	if (err)
		return err;

	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		err = -errno;
		pr_err("socket(AF_UNIX): %s", strerror(errno));
		goto out;
	}
	/* no window where the socket file is more open than 0600 */
	old_umask = umask(0177);
	err = bind(fd, (struct sockaddr *)&sa, sizeof(sa)) ? -errno : 0;
	umask(old_umask);
	if (err) {
		pr_err("cannot bind %s: %s", path, strerror(-err));
		goto out;
	}
	if (listen(fd, LISTEN_BACKLOG) || stat(path, st)) {
		err = -errno;
		pr_err("cannot listen on %s: %s", path, strerror(errno));
		unlink(path);
		goto out;
	}
	*out = fd;
	fd = -1;
out:
	if (fd >= 0)
		close(fd);
	return err;
}

void bn_sock_unlink_unix(const char *path, const struct stat *st)
{
	struct stat now;

	if (lstat(path, &now) || now.st_dev != st->st_dev || now.st_ino != st->st_ino)
		return;
	if (unlink(path))
		pr_warn("cannot remove %s: %s", path, strerror(errno));
}

int bn_sock_parse_addr(const char *spec, struct sockaddr_storage *ss, socklen_t *len)
{
	struct addrinfo hints = {
		.ai_family = AF_UNSPEC,
		.ai_socktype = SOCK_STREAM,
		.ai_flags = AI_PASSIVE | AI_NUMERICSERV,
	};
	struct addrinfo *res = NULL;
	char *host, *port, *end;
	long pnum;
	int err = -EINVAL;

	host = strdup(spec);
	if (!host)
		return -ENOMEM;
	if (host[0] == '[') {
		end = strchr(host, ']');
		if (!end || end[1] != ':')
			goto out;
		*end = '\0';
		port = end + 2;
		memmove(host, host + 1, strlen(host));
	} else {
		port = strrchr(host, ':');
		if (!port || strchr(host, ':') != port)
			goto out;	/* no port, or bare IPv6 */
		*port++ = '\0';
	}
	pnum = strtol(port, &end, 10);
	if (!*host || !*port || *end || pnum < 1 || pnum > 65535)
		goto out;
	if (getaddrinfo(host, port, &hints, &res) || !res) {
		err = -EADDRNOTAVAIL;
		goto out;
	}
	memcpy(ss, res->ai_addr, res->ai_addrlen);
	*len = res->ai_addrlen;
	err = 0;
out:
	if (res)
		freeaddrinfo(res);
	free(host);
	return err;
}

bool bn_sock_is_loopback(const struct sockaddr_storage *ss)
{
	const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)ss;
	const struct sockaddr_in *s4 = (const struct sockaddr_in *)ss;

	if (ss->ss_family == AF_INET)
		return (ntohl(s4->sin_addr.s_addr) >> 24) == 127;
	if (ss->ss_family != AF_INET6)
		return false;
	if (IN6_IS_ADDR_LOOPBACK(&s6->sin6_addr))
		return true;
	return IN6_IS_ADDR_V4MAPPED(&s6->sin6_addr) && s6->sin6_addr.s6_addr[12] == 127;
}

int bn_sock_listen_tcp(const char *spec, const struct sockaddr_storage *ss, socklen_t len, int *out)
{
	int fd, one = 1, err = 0;

	fd = socket(ss->ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		err = -errno;
		pr_err("socket for %s: %s", spec, strerror(-err));
		return err;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	/* [::1] means ::1 only; a v4-mapped address cannot be V6ONLY */
	if (ss->ss_family == AF_INET6 &&
	    !IN6_IS_ADDR_V4MAPPED(&((const struct sockaddr_in6 *)ss)->sin6_addr))
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if (bind(fd, (const struct sockaddr *)ss, len) || listen(fd, LISTEN_BACKLOG)) {
		err = -errno;
		pr_err("cannot listen on %s: %s", spec, strerror(errno));
		close(fd);
		return err;
	}
	*out = fd;
	return 0;
}
