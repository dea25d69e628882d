// SPDX-License-Identifier: Apache-2.0
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "common.h"

int cli_seterr(struct cli_error *e, int errnum, const char *fmt, ...)
{
	va_list ap;

	if (e) {
		va_start(ap, fmt);
		vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
		va_end(ap);
	}
	return -errnum;
}

bool cli_parse_bool_word(const char *s, bool *out)
{
	static const char *const yes[] = { "t", "T", "true", "True", "TRUE" };
	static const char *const no[] = { "f", "F", "false", "False", "FALSE" };
	size_t i;

	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (!strcmp(s, yes[i])) {
			*out = true;
			return true;
		}
		if (!strcmp(s, no[i])) {
			*out = false;
			return true;
		}
	}
	return false;
}

bool cli_env_flag(const char *value)
{
	static const char *const yes[] = { "1", "t", "true", "yes", "y", "on" };
	size_t i;

	if (!value)
		return false;
	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		if (!strcasecmp(value, yes[i]))
			return true;
	return false;
}
