/* cache.h — answers of GET routes marked ROUTE_CACHE, kept per caller and URL.
 *
 * An entry is served only while db_generation() still has the value read when its
 * request began (before any of its statements ran), so it is exactly what the handler
 * would compute again: any committed change to the data moves the generation and
 * retires every entry. The key holds the caller (user or token), the Asia/Shanghai
 * date (lists mark overdue cases by it) and the path with its query string. Entries
 * also expire after a maximum age, which bounds how long a change made by another
 * process (the CLI) can go unseen. Memory is bounded: entries above a size limit are
 * not kept and the total never exceeds the configured budget. Thread-safe. */
#ifndef TJ_HTTP_CACHE_H
#define TJ_HTTP_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Enable with a memory budget in bytes (0 disables) and a maximum age. */
void http_cache_init(size_t budget, int max_age_ms);
bool http_cache_enabled(void);

/* A copy (malloc'd, the caller frees) of the body stored under key at generation
 * gen, if there is one younger than the maximum age. */
bool http_cache_get(const char *key, uint64_t gen, char **body, size_t *len);

/* Store a copy of body under key for generation gen (evicting the oldest answer of
 * its set when the set is full). */
void http_cache_put(const char *key, uint64_t gen, const char *body, size_t len);

/* Entries, bytes held, hits and misses since start (for /api/health and tests). */
void http_cache_stats(uint64_t *entries, uint64_t *bytes, uint64_t *hits, uint64_t *misses);

/* Drop every entry (shutdown). */
void http_cache_clear(void);

#endif
