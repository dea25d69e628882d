/* SPDX-License-Identifier: Apache-2.0 */
/* YAML in (the stdin body) and YAML out (show -yaml), through libyaml. */
#ifndef CLI_YAML_H
#define CLI_YAML_H

#include <stdio.h>
#include <jansson.h>

#include "common.h"

/*
 * Parse YAML (JSON is a subset; single quotes and trailing commas in flow
 * collections are fine) into JSON. Plain scalars are typed like key=value
 * values (plus ~/null/empty -> null); quoted scalars stay strings.
 * *@out is NULL when the text holds no document.
 */
int cli_yaml_to_json(const char *text, size_t len, json_t **out,
		     struct cli_error *e);

/*
 * The body waiting on @fd, if any, without ever blocking on an idle input:
 * only a non-terminal regular file with data or a pipe/socket readable now.
 * *@out is NULL when there is none.
 */
int cli_read_stdin_body(int fd, json_t **out, struct cli_error *e);

/* @body as block YAML with object keys sorted, then an empty line. */
int cli_print_yaml(FILE *f, const json_t *body);

#endif
