/* arena.h — bump allocator owned by one request (house rule 5). Everything a
 * handler allocates for the request comes from here and is released at once
 * when the response completes. Blocks grow geometrically up to a hard limit;
 * exceeding the limit aborts (it signals a bug, inputs are bounded earlier). */
#ifndef TJ_UTIL_ARENA_H
#define TJ_UTIL_ARENA_H
#include <stddef.h>

#define ARENA_MAX_BYTES (64u * 1024 * 1024)

typedef struct arena_block arena_block;
typedef struct arena {
    arena_block *head;
    size_t total;
} arena;

/* Initialise an empty arena (no allocation until first use). */
void arena_init(arena *a);
/* Free every block; the arena may be reused after arena_init. */
void arena_free(arena *a);
/* n bytes aligned to 16; never NULL. */
void *arena_alloc(arena *a, size_t n);
/* Zeroed allocation. */
void *arena_calloc(arena *a, size_t n);
/* NUL-terminated copies. */
char *arena_strdup(arena *a, const char *s);
char *arena_strndup(arena *a, const char *s, size_t n);
/* printf into the arena. */
char *arena_printf(arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
