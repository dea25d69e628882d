/* SPDX-License-Identifier: Apache-2.0 */
/* Rendering of the OPTIONS help reply (POLYCUBE.md 1.6) and of completions. */
#ifndef CLI_HELP_H
#define CLI_HELP_H

#include <stdio.h>
#include <jansson.h>

#include "strbuf.h"
#include "tokenize.h"

/*
 * The help JSON as a Keyword/Type/Description table for @cmd.
 * @cubes: the GET cubes/ reply, listed as running cubes in the root help
 * (may be NULL).
 */
int cli_print_help(FILE *f, const struct command *cmd, const json_t *help,
		   const json_t *cubes);

/*
 * bpfnet --complete WORD...: the words typed so far, the last one being the
 * word under the cursor (possibly ""). Builds the OPTIONS path
 * "<path>?help=<VERB|NONE>&completion" into @path; *@root tells whether the
 * local words (verbs, aliases) belong to the answer.
 */
int cli_completion_path(int nwords, char *const words[], struct strbuf *path,
			bool *root);

/* The completion reply (a JSON array of words), one per line. */
int cli_print_completion(FILE *f, const json_t *words, bool root);

#endif
