#include "http/auth.h"
#include "util/hash.h"
#include "app/config.h"
#include "app/crypto.h"
#include "store/user_store.h"
#include "util/clock.h"

#include <pthread.h>
#include <string.h>
#include <strings.h>

/* Signed-in callers resolved recently, by token hash. An entry stands for at most
 * WHO_MAX_AGE and only while neither db_generation() (accounts, roles, orgs, tokens …)
 * nor db_session_generation() (sign-outs) has moved since it was resolved; so a
 * sign-out, a disabled account or a revoked token takes effect at once through the
 * server; done by another process (the CLI), within about a second (app/maintain.c
 * notices the commit and moves both generations) or at worst WHO_MAX_AGE. Each session
 * still reaches session_resolve (idle and absolute limits, last_seen) that often.
 * Saves a three-table lookup on most requests of a busy client. */
#define WHO_SLOTS   1024 /* power of two */
#define WHO_STRIPES 16
#define WHO_MAX_AGE (10LL * 1000000000)

typedef struct who_entry {
    char hash[CRYPTO_HASH_HEX];
    principal who;
    uint64_t gen, sgen;
    int64_t born_ns;
    bool used;
} who_entry;

static who_entry who_slots[WHO_SLOTS];
static pthread_mutex_t who_mu[WHO_STRIPES] = {
    PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER,
    PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER,
    PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER,
    PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER,
    PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER,
    PTHREAD_MUTEX_INITIALIZER};

static unsigned slot_of(const char *hash)
{
    return hash_str(hash) & (WHO_SLOTS - 1);
}

static bool who_get(const char *hash, uint64_t gen, uint64_t sgen, principal *out)
{
    unsigned i = slot_of(hash);
    bool hit = false;
    pthread_mutex_lock(&who_mu[i % WHO_STRIPES]);
    who_entry *e = &who_slots[i];
    if (e->used && e->gen == gen && e->sgen == sgen && strcmp(e->hash, hash) == 0 &&
        clock_mono_ns() - e->born_ns <= WHO_MAX_AGE) {
        *out = e->who;
        hit = true;
    }
    pthread_mutex_unlock(&who_mu[i % WHO_STRIPES]);
    return hit;
}

static void who_put(const char *hash, uint64_t gen, uint64_t sgen, const principal *who)
{
    unsigned i = slot_of(hash);
    pthread_mutex_lock(&who_mu[i % WHO_STRIPES]);
    who_entry *e = &who_slots[i];
    memcpy(e->hash, hash, sizeof e->hash);
    e->who = *who;
    e->gen = gen;
    e->sgen = sgen;
    e->born_ns = clock_mono_ns();
    e->used = true;
    pthread_mutex_unlock(&who_mu[i % WHO_STRIPES]);
}

int auth_resolve(http_req *r, db *d)
{
    /* both read before any statement, like the answer cache's generation */
    uint64_t gen = db_generation(), sgen = db_session_generation();
    r->who = NULL;
    const char *authz = http_header_in(r, "Authorization");
    char hash[CRYPTO_HASH_HEX];
    bool found;
    principal *who = arena_calloc(&r->a, sizeof *who);
    if (authz && strncasecmp(authz, "Bearer ", 7) == 0) {
        const char *tok = authz + 7;
        if (strlen(tok) > 200)
            return http_fail(r, 401, "unauthenticated", NULL, "API 令牌无效");
        crypto_sha256_hex(tok, hash);
        if (who_get(hash, gen, sgen, who)) {
            r->who = who;
            return 0;
        }
        if (token_resolve(d, hash, clock_unix(), who, &found, &r->err) != 0)
            return -1;
        if (!found)
            return http_fail(r, 401, "unauthenticated", NULL, "API 令牌无效或已吊销");
        /* not kept when the lookup wrote last_used_at (the generation moved): the next
         * request of the minute will be */
        if (db_generation() == gen)
            who_put(hash, gen, sgen, who);
        r->who = who;
        return 0;
    }
    const char *cookie = http_cookie(r, AUTH_COOKIE);
    if (!cookie || !*cookie || strlen(cookie) > 200)
        return 0;
    crypto_sha256_hex(cookie, hash);
    if (who_get(hash, gen, sgen, who)) {
        r->who = who;
        return 0;
    }
    if (session_resolve(d, hash, clock_unix(), (int64_t)g_config.session_idle_min * 60,
                        (int64_t)g_config.session_max_hours * 3600, who, &found, &r->err) != 0)
        return -1;
    if (found) {
        who_put(hash, gen, sgen, who);
        r->who = who;
    }
    return 0;
}

const char *auth_cookie(http_req *r, const char *token)
{
    if (!token)
        return arena_printf(&r->a, "%s=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0%s",
                            AUTH_COOKIE, r->secure ? "; Secure" : "");
    return arena_printf(&r->a, "%s=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%d%s",
                        AUTH_COOKIE, token, g_config.session_max_hours * 3600,
                        r->secure ? "; Secure" : "");
}
