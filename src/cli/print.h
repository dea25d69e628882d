/* SPDX-License-Identifier: Apache-2.0 */
/* Pretty printer for replies (POLYCUBE.md 1.5). Writes to any FILE *. */
#ifndef CLI_PRINT_H
#define CLI_PRINT_H

#include <stdbool.h>
#include <stdio.h>
#include <jansson.h>

#include "strbuf.h"
#include "tokenize.h"

#define CLI_DEPTH_BRIEF 1
#define CLI_DEPTH_NORMAL 2
#define CLI_DEPTH_VERBOSE 3

struct print_opts {
	int depth;			/* CLI_DEPTH_* */
	char *const *hide;		/* dotted paths to leave out */
	size_t nhide;
};

/* A scalar as the user sees it: strings raw, integers, true/false, <nil>. */
int cli_format_scalar(struct strbuf *sb, const json_t *v);

/* Display width of UTF-8 text (code points). */
size_t cli_text_width(const char *s);

/* Left-aligned columns joined by two spaces; @cells is rows x cols, row 0
 * the header, NULL cells empty. Every line starts with @indent spaces. */
int cli_print_columns(FILE *f, int indent, const char *const *cells,
		      size_t rows, size_t cols);

/* The "normal/brief/verbose" rendering, followed by an empty line. */
int cli_print_pretty(FILE *f, const json_t *body, const struct print_opts *o);
/* The body re-indented by two spaces, key order kept. */
int cli_print_json(FILE *f, const json_t *body);

/* A 2xx reply to @cmd (not help): nothing for add/set/del, else the body
 * in the format the command asked for. Non-JSON text is printed as is. */
int cli_print_reply(FILE *f, const struct command *cmd, const char *body,
		    size_t len);

/*
 * The one line reporting a non-2xx reply: the "error" member of a JSON
 * object body, else the body itself on one line, else the status line (or,
 * for a help request, "There is not help for this command").
 */
int cli_reply_error(struct strbuf *out, int status, const char *reason,
		    const char *body, size_t len, bool help);

#endif
