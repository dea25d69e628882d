/* SPDX-License-Identifier: Apache-2.0 */
/* struct command -> method, URL path and JSON body (POLYCUBE.md 1.3). */
#ifndef CLI_REQUEST_H
#define CLI_REQUEST_H

#include <stdbool.h>
#include <jansson.h>

#include "strbuf.h"
#include "tokenize.h"

/* Flags for every JSON text the CLI sends or prints compactly. */
#define CLI_JSON_FLAGS (JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY)

struct request {
	const char *method;	/* static */
	char *path;		/* below the base path, escaped, may end in "?help=X" */
	char *body;		/* JSON text or NULL */
};

/* Percent-escape @seg as one URL path segment and append it to @out. */
int cli_escape_segment(struct strbuf *out, const char *seg);

/* key=value typing: integer, float, bool, else string. New reference. */
json_t *cli_typed_value(const char *s);

/* The JSON object of the body args, dotted keys nested. */
int cli_body_object(const struct command *cmd, json_t **out, struct cli_error *e);

/* True if the command takes its body from stdin when stdin holds data. */
bool cli_wants_stdin(const struct command *cmd);

/* @stdin_body (borrowed, may be NULL) replaces the key=value args. */
int cli_build_request(const struct command *cmd, const json_t *stdin_body,
		      struct request *req, struct cli_error *e);
void cli_request_free(struct request *req);

#endif
