/* SPDX-License-Identifier: Apache-2.0 */
/* Things every part of the CLI shares: the version and the error slot. */
#ifndef CLI_COMMON_H
#define CLI_COMMON_H

#include <stdbool.h>

/* The one place the CLI's own version is defined. */
#define CLI_VERSION "0.1.0"

#define CLI_ERR_MAX 512

/* One readable line for the user; filled by whoever detects the problem. */
struct cli_error {
	char msg[CLI_ERR_MAX];
};

/* Format the message into @e (if @e is not NULL) and return -@errnum. */
int cli_seterr(struct cli_error *e, int errnum, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Go strconv.ParseBool spellings (without "1"/"0"), as for key=value values. */
bool cli_parse_bool_word(const char *s, bool *out);

/* An environment flag such as POLYCUBECTL_DEBUG: 1/t/true/yes/on, any case. */
bool cli_env_flag(const char *value);

#endif
