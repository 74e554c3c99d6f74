/* cache.c — a direct-mapped table of answers: one slot per key hash, a colliding
 * key replaces the slot's entry. Lookups copy the body under a striped lock, so a
 * hit costs a hash, a string compare and a memcpy. */
#include "http/cache.h"
#include "util/clock.h"
#include "util/xmalloc.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#define SLOTS     4096 /* power of two */
#define STRIPES   64
#define ENTRY_MAX (512 * 1024) /* a bigger answer is not kept */

typedef struct entry {
    char *key;
    char *body;
    size_t len;
    uint64_t gen;
    int64_t born_ns;
} entry;

static entry slots[SLOTS];
static pthread_mutex_t stripes[STRIPES];
static size_t budget;
static int64_t max_age_ns;
static atomic_size_t held;
static atomic_uint_fast64_t n_entries, n_hits, n_misses;
static bool enabled;

static unsigned hash(const char *s)
{
    unsigned h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

void http_cache_init(size_t bytes, int max_age_ms)
{
    for (int i = 0; i < STRIPES; i++)
        pthread_mutex_init(&stripes[i], NULL);
    budget = bytes;
    max_age_ns = (int64_t)max_age_ms * 1000000;
    enabled = bytes > 0 && max_age_ms > 0;
}

bool http_cache_enabled(void)
{
    return enabled;
}

/* with the slot's stripe held */
static void drop(entry *e)
{
    if (!e->key)
        return;
    atomic_fetch_sub(&held, e->len + strlen(e->key));
    atomic_fetch_sub(&n_entries, 1);
    free(e->key);
    free(e->body);
    memset(e, 0, sizeof *e);
}

bool http_cache_get(const char *key, uint64_t gen, char **body, size_t *len)
{
    if (!enabled)
        return false;
    unsigned h = hash(key) & (SLOTS - 1);
    pthread_mutex_t *mu = &stripes[h % STRIPES];
    bool hit = false;
    pthread_mutex_lock(mu);
    entry *e = &slots[h];
    if (e->key && e->gen == gen && strcmp(e->key, key) == 0 &&
        clock_mono_ns() - e->born_ns <= max_age_ns) {
        *body = xmalloc(e->len ? e->len : 1);
        memcpy(*body, e->body, e->len);
        *len = e->len;
        hit = true;
    } else if (e->key && e->gen != gen) {
        drop(e); /* stale for good: the generation never goes back */
    }
    pthread_mutex_unlock(mu);
    atomic_fetch_add(hit ? &n_hits : &n_misses, 1);
    return hit;
}

void http_cache_put(const char *key, uint64_t gen, const char *body, size_t len)
{
    if (!enabled || len > ENTRY_MAX)
        return;
    size_t need = len + strlen(key);
    unsigned h = hash(key) & (SLOTS - 1);
    pthread_mutex_t *mu = &stripes[h % STRIPES];
    pthread_mutex_lock(mu);
    entry *e = &slots[h];
    drop(e);
    if (atomic_fetch_add(&held, need) + need > budget) {
        atomic_fetch_sub(&held, need);
    } else {
        e->key = xstrdup(key);
        e->body = xmalloc(len ? len : 1);
        memcpy(e->body, body, len);
        e->len = len;
        e->gen = gen;
        e->born_ns = clock_mono_ns();
        atomic_fetch_add(&n_entries, 1);
    }
    pthread_mutex_unlock(mu);
}

void http_cache_stats(uint64_t *entries, uint64_t *bytes, uint64_t *hits, uint64_t *misses)
{
    *entries = atomic_load(&n_entries);
    *bytes = atomic_load(&held);
    *hits = atomic_load(&n_hits);
    *misses = atomic_load(&n_misses);
}

void http_cache_clear(void)
{
    for (unsigned i = 0; i < SLOTS; i++) {
        pthread_mutex_t *mu = &stripes[i % STRIPES];
        pthread_mutex_lock(mu);
        drop(&slots[i]);
        pthread_mutex_unlock(mu);
    }
}
