/* SPDX-License-Identifier: Apache-2.0 */
/* One logging module for the library, the daemon and libbpf's own messages. */
#ifndef BPFNET_LOG_H
#define BPFNET_LOG_H

#include <stdarg.h>

enum bn_log_level {
	BN_LOG_TRACE = 0,
	BN_LOG_DEBUG,
	BN_LOG_INFO,
	BN_LOG_WARN,
	BN_LOG_ERR,
	BN_LOG_CRITICAL,
	BN_LOG_OFF,
};

/* Levels by Polycube's names (TRACE..OFF); -1 if unknown (case-insensitive). */
int bn_log_level_parse(const char *s);
const char *bn_log_level_name(int level); /* "TRACE", ... */

void bn_log_set_level(int level);
int bn_log_get_level(void);
void bn_log_set_syslog(int on);

/* "[YYYY-MM-DD HH:MM:SS.mmm] [<service>] [<cube>] [<level>] text" on stderr
 * (or syslog). service/cube may be NULL for framework messages. */
void bn_logv(int level, const char *service, const char *cube, const char *fmt, va_list ap);
/* The same without the daemon's level filter (cube messages: the cube's level decides). */
void bn_log_emitv(int level, const char *service, const char *cube, const char *fmt, va_list ap);
void bn_log_at(int level, const char *service, const char *cube, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#define bn_log(level, ...) bn_log_at(level, NULL, NULL, __VA_ARGS__)
#define pr_err(...)   bn_log(BN_LOG_ERR, __VA_ARGS__)
#define pr_warn(...)  bn_log(BN_LOG_WARN, __VA_ARGS__)
#define pr_info(...)  bn_log(BN_LOG_INFO, __VA_ARGS__)
#define pr_debug(...) bn_log(BN_LOG_DEBUG, __VA_ARGS__)

/* Route libbpf's messages through bn_logv, one level lower than libbpf's. */
void bn_log_hook_libbpf(void);

#endif
