/* SPDX-License-Identifier: Apache-2.0 */
/* Aliases applied after tokenizing (POLYCUBE.md 1.4). */
#ifndef CLI_ALIAS_H
#define CLI_ALIAS_H

#include "tokenize.h"

#define CLI_VERSION_PROLOGUE "polycubectl:\n version: " CLI_VERSION "\n"

/*
 * Rewrite @cmd in place; the first matching alias wins.
 * Returns 0 when a request is to be sent, 1 when the alias answered locally
 * (*@local is static text for stdout), or -errno with @e filled.
 */
int cli_apply_aliases(struct command *cmd, const char **local,
		      struct cli_error *e);

#endif
