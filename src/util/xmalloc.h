/* xmalloc.h — allocation that never returns NULL (house rule 4): on failure the
 * process logs and aborts, so callers never check. */
#ifndef TJ_UTIL_XMALLOC_H
#define TJ_UTIL_XMALLOC_H
#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

#endif
