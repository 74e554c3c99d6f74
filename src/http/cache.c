/* cache.c — a 4-way set-associative table of answers: a key hashes to a set of four
 * slots; a new answer takes a free or outdated slot of its set, else the oldest.
 * Lookups copy the body under the set's striped lock, so a hit costs a hash, a few
 * string compares and a memcpy. */
#include "http/cache.h"
#include "util/hash.h"
#include "util/clock.h"
#include "util/xmalloc.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#define WAYS      4
#define SETS      4096 /* power of two */
#define SLOTS     (SETS * WAYS)
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

static entry *set_of(const char *key, pthread_mutex_t **mu)
{
    unsigned h = hash_str(key) & (SETS - 1);
    *mu = &stripes[h % STRIPES];
    return &slots[h * WAYS];
}

bool http_cache_get(const char *key, uint64_t gen, char **body, size_t *len)
{
    if (!enabled)
        return false;
    pthread_mutex_t *mu;
    entry *set = set_of(key, &mu);
    bool hit = false;
    int64_t now = clock_mono_ns();
    pthread_mutex_lock(mu);
    for (int i = 0; i < WAYS; i++) {
        entry *e = &set[i];
        if (!e->key)
            continue;
        if (e->gen != gen) {
            drop(e); /* outdated for good: the generation never goes back */
            continue;
        }
        if (strcmp(e->key, key) == 0 && now - e->born_ns <= max_age_ns) {
            *body = xmalloc(e->len ? e->len : 1);
            memcpy(*body, e->body, e->len);
            *len = e->len;
            hit = true;
            break;
        }
    }
    pthread_mutex_unlock(mu);
    atomic_fetch_add(hit ? &n_hits : &n_misses, 1);
    return hit;
}

/* Over budget: a clock hand walks the sets (at most SWEEP of them, skipping any whose
 * lock is busy) dropping outdated answers first, then each set's oldest, until need
 * bytes fit. Without it a full budget would refuse every new answer for good. */
#define SWEEP 512
static atomic_uint hand;

static void make_room(size_t need, uint64_t gen)
{
    for (int n = 0; n < SWEEP && atomic_load(&held) + need > budget; n++) {
        unsigned h = atomic_fetch_add(&hand, 1) & (SETS - 1);
        pthread_mutex_t *mu = &stripes[h % STRIPES];
        if (pthread_mutex_trylock(mu) != 0)
            continue;
        entry *set = &slots[h * WAYS];
        entry *oldest = NULL;
        for (int i = 0; i < WAYS; i++) {
            if (set[i].key && set[i].gen != gen)
                drop(&set[i]);
            else if (set[i].key && (!oldest || set[i].born_ns < oldest->born_ns))
                oldest = &set[i];
        }
        if (oldest && atomic_load(&held) + need > budget)
            drop(oldest);
        pthread_mutex_unlock(mu);
    }
}

void http_cache_put(const char *key, uint64_t gen, const char *body, size_t len)
{
    if (!enabled || len > ENTRY_MAX)
        return;
    size_t need = len + strlen(key);
    if (atomic_load(&held) + need > budget)
        make_room(need, gen);
    pthread_mutex_t *mu;
    entry *set = set_of(key, &mu);
    pthread_mutex_lock(mu);
    /* the same key, else a free or outdated slot, else the oldest */
    entry *e = NULL;
    for (int i = 0; i < WAYS && !e; i++)
        if (set[i].key && strcmp(set[i].key, key) == 0)
            e = &set[i];
    for (int i = 0; i < WAYS && !e; i++)
        if (!set[i].key || set[i].gen != gen)
            e = &set[i];
    if (!e) {
        e = &set[0];
        for (int i = 1; i < WAYS; i++)
            if (set[i].born_ns < e->born_ns)
                e = &set[i];
    }
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
        pthread_mutex_t *mu = &stripes[(i / WAYS) % STRIPES];
        pthread_mutex_lock(mu);
        drop(&slots[i]);
        pthread_mutex_unlock(mu);
    }
}
