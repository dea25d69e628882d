/* SPDX-License-Identifier: Apache-2.0 */
/* Listening sockets for bpfnetd: the Unix control socket and an optional TCP one. */
#ifndef BPFNETD_SOCK_H
#define BPFNETD_SOCK_H

#include <stdbool.h>
#include <sys/socket.h>
#include <sys/stat.h>

/* mkdir -p of the directory holding @path (mode 0755). 0 or -errno. */
int bn_mkdir_parent(const char *path);

/* Create the parent directory, remove a stale socket file (one nobody
 * answers on), bind with mode 0600 and listen. -EADDRINUSE if another
 * server answers on @path. @st receives the socket file's identity, for
 * bn_sock_unlink_unix(). */
int bn_sock_listen_unix(const char *path, int *fd, struct stat *st);

/* Remove @path if it is still the socket file described by @st. */
void bn_sock_unlink_unix(const char *path, const struct stat *st);

/* "ADDR:PORT" or "[V6ADDR]:PORT" -> socket address. -EINVAL on bad syntax,
 * -EADDRNOTAVAIL if ADDR does not resolve. Logs nothing. */
int bn_sock_parse_addr(const char *spec, struct sockaddr_storage *ss, socklen_t *len);

/* 127.0.0.0/8, ::1 or ::ffff:127.0.0.0/104 */
bool bn_sock_is_loopback(const struct sockaddr_storage *ss);

/* Bind and listen on a resolved address; @spec names it in log messages. */
int bn_sock_listen_tcp(const char *spec, const struct sockaddr_storage *ss, socklen_t len, int *fd);

#endif
