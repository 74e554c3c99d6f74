/* scope.h — who is calling and what part of the org tree they may see (属地管理).
 * store/ functions take a principal and filter by it themselves, so no handler can
 * forget the data scope. An org's subtree is every org whose materialised path
 * starts with its path ("/1/3/" covers "/1/3/12/"). */
#ifndef TJ_STORE_SCOPE_H
#define TJ_STORE_SCOPE_H
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "core/err.h"
#include "core/perm.h"
#include "db/db.h"

typedef struct principal {
    int64_t user_id;  /* 0 for an API token */
    int64_t token_id; /* 0 for a session */
    int64_t session_id;
    int64_t org_id;
    enum role role;
    char login[64];
    char name[64];
    char org_name[128];
    char org_kind[24];
    char org_path[256];
    char csrf[64];
} principal;

/* Whether the caller's org is a top-level one ("/<id>/"): only such a caller can be
 * the single root that sees every case and referral. */
static inline bool scope_top_level(const principal *who)
{
    const char *p = who->org_path;
    return p[0] == '/' && (p = strchr(p + 1, '/')) && !p[1];
}

/* Whether path lies in the caller's subtree. */
static inline bool scope_contains(const principal *who, const char *path)
{
    return strncmp(path, who->org_path, strlen(who->org_path)) == 0;
}

/* Upper bound for a path-prefix range query: "/1/3/" → "/1/30" (the byte after '/'),
 * so `path >= lo AND path < hi` selects the subtree with an index range scan. */
static inline void scope_upper(const char *prefix, char *out, size_t outlen)
{
    size_t n = strlen(prefix);
    if (n + 1 > outlen)
        n = outlen - 1;
    memcpy(out, prefix, n);
    out[n] = 0;
    if (n && out[n - 1] == '/')
        out[n - 1] = '0';
}

/* A subtree as a path range: lo <= path < hi. */
typedef struct scope_range {
    char lo[256], hi[256];
} scope_range;

/* The range of the subtree rooted at path. */
void scope_range_of(const char *path, scope_range *r);

/* *all = whether who (not a partner) belongs to the single root org, and so sees
 * everything: the one query is made only for a top-level caller. */
int scope_sees_everything(db *d, const principal *who, bool *all, tj_err *err);
/* The subtree a list searches: who's own (path NULL), or a narrower one inside it. An
 * ancestor of who's org (visible in the org tree) means "everything I see". A path
 * outside who's scope is 400 naming field "org_id". */
int scope_narrow(const principal *who, const char *path, scope_range *r, tj_err *err);
/* A LIKE pattern matching q anywhere, with %, _ and \ escaped (use ESCAPE '\'). */
void scope_like_pattern(const char *q, char *out, size_t cap);

#endif
