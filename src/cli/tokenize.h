/* SPDX-License-Identifier: Apache-2.0 */
/* argv -> struct command (POLYCUBE.md 1.2). */
#ifndef CLI_TOKENIZE_H
#define CLI_TOKENIZE_H

#include <stdbool.h>
#include <stddef.h>

#include "common.h"

enum cli_verb {
	CLI_VERB_NONE,		/* a bare path: POST */
	CLI_VERB_ADD,
	CLI_VERB_SET,
	CLI_VERB_SHOW,
	CLI_VERB_DEL,
};

enum cli_show {
	CLI_SHOW_UNSPEC,
	CLI_SHOW_NORMAL,
	CLI_SHOW_BRIEF,
	CLI_SHOW_VERBOSE,
	CLI_SHOW_JSON,
	CLI_SHOW_YAML,
};

struct cli_kv {
	char *key;
	char *value;
};

struct command {
	enum cli_verb verb;
	enum cli_show show;
	bool help;		/* '?', -h, --help or no argument at all */
	char **path;		/* path arguments, unescaped */
	size_t npath;
	struct cli_kv *body;	/* key=value arguments, in argv order */
	size_t nbody;
	char **hide;		/* -hide=a,b.c */
	size_t nhide;
	/* Filled by the aliases (alias.c). */
	bool from_alias;	/* body fully given by the alias: never read stdin */
	const char *prologue;	/* static text printed before the reply */
};

/* Classify argv[0..argc) (program name excluded). On error @cmd is left
 * empty and @e holds the message. */
int cli_tokenize(int argc, char *const argv[], struct command *cmd,
		 struct cli_error *e);
void cli_command_free(struct command *cmd);

const char *cli_verb_name(enum cli_verb v);	/* "add", ..., "" for none */

/* Helpers the aliases use to rewrite a command. */
int cli_command_set_path(struct command *cmd, const char *const *segs, size_t n);
int cli_command_add_body(struct command *cmd, const char *key, const char *value);
void cli_command_clear_body(struct command *cmd);

#endif
