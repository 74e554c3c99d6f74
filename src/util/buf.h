/* buf.h — growable byte buffer with a hard maximum (house rule 6). Appends past
 * `max` fail with -1 and leave the buffer unchanged, so callers can turn the
 * overflow into a 413/400 instead of growing without bound. */
#ifndef TJ_UTIL_BUF_H
#define TJ_UTIL_BUF_H
#include <stddef.h>

typedef struct buf {
    char *data; /* always NUL-terminated when len > 0 */
    size_t len, cap, max;
} buf;

void buf_init(buf *b, size_t max);
void buf_free(buf *b);
/* Room for n more bytes (and the NUL) at the end: a pointer to write them at, then
 * add n to len and terminate. NULL if the result would exceed max. */
char *buf_reserve(buf *b, size_t n);
/* Append n bytes; -1 if the result would exceed max. */
int buf_append(buf *b, const void *p, size_t n);
int buf_puts(buf *b, const char *s);
int buf_printf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
