/* SPDX-License-Identifier: Apache-2.0 */
/* A growable, always NUL-terminated byte string. */
#ifndef CLI_STRBUF_H
#define CLI_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

struct strbuf {
	char *buf;	/* NULL until the first append */
	size_t len;
	size_t cap;
};

#define STRBUF_INIT { NULL, 0, 0 }

int sb_grow(struct strbuf *sb, size_t extra);
int sb_add(struct strbuf *sb, const void *data, size_t len);
int sb_adds(struct strbuf *sb, const char *s);
int sb_addc(struct strbuf *sb, char c);
int sb_addf(struct strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void sb_reset(struct strbuf *sb);
/* The string, "" when empty; valid until the next append. */
const char *sb_str(const struct strbuf *sb);
/* Hand the buffer over (never NULL on success) and reset @sb. */
char *sb_take(struct strbuf *sb);
void sb_release(struct strbuf *sb);

#endif
