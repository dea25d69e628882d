// SPDX-License-Identifier: Apache-2.0
#include "log.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <syslog.h>
#include <sys/time.h>
#include <time.h>
#include <bpf/libbpf.h>

static int log_level = BN_LOG_INFO;
static int log_syslog;

static const char *const names[] = { "TRACE", "DEBUG", "INFO", "WARN", "ERR", "CRITICAL", "OFF" };
/* spdlog's spelling, which Polycube's log lines (and scripts reading them) use */
static const char *const spd_names[] = { "trace", "debug", "info", "warning", "error", "critical", "off" };

int bn_log_level_parse(const char *s)
{
	for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcasecmp(s, names[i]))
			return (int)i;
	return -1;
}

const char *bn_log_level_name(int level)
{
	if (level < 0 || level > BN_LOG_OFF)
		return "INFO";
	return names[level];
}

void bn_log_set_level(int level) { log_level = level; }
int bn_log_get_level(void) { return log_level; }
void bn_log_set_syslog(int on) { log_syslog = on; }

void bn_logv(int level, const char *service, const char *cube, const char *fmt, va_list ap)
{
	if (level < log_level)
		return;
	bn_log_emitv(level, service, cube, fmt, ap);
}

void bn_log_emitv(int level, const char *service, const char *cube, const char *fmt, va_list ap)
{
	static const int prio[] = { LOG_DEBUG, LOG_DEBUG, LOG_INFO, LOG_WARNING, LOG_ERR, LOG_CRIT, LOG_DEBUG };
	char msg[1024], ts[32];
	struct timeval tv;
	struct tm tm;
	size_t n;

	if (level < 0 || level >= BN_LOG_OFF)
		return;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	n = strlen(msg);
	while (n && msg[n - 1] == '\n')
		msg[--n] = '\0';
	if (log_syslog) {
		syslog(prio[level], "[%s] [%s] %s", service ? service : "bpfnetd", cube ? cube : "", msg);
		return;
	}
	gettimeofday(&tv, NULL);
	localtime_r(&tv.tv_sec, &tm);
	strftime(ts, sizeof(ts), "%Y-%m-%d %H:%M:%S", &tm);
	fprintf(stderr, "[%s.%03ld] [%s] [%s] [%s] %s\n", ts, (long)(tv.tv_usec / 1000),
		service ? service : "bpfnetd", cube ? cube : "", spd_names[level], msg);
}

void bn_log_at(int level, const char *service, const char *cube, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	bn_logv(level, service, cube, fmt, ap);
	va_end(ap);
}

static int libbpf_print(enum libbpf_print_level lvl, const char *fmt, va_list ap)
{
	int level = lvl == LIBBPF_WARN ? BN_LOG_INFO : BN_LOG_DEBUG - (lvl == LIBBPF_DEBUG);

	bn_logv(level, "libbpf", NULL, fmt, ap);
	return 0;
}

void bn_log_hook_libbpf(void)
{
	libbpf_set_print(libbpf_print);
}
