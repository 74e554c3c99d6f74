/* account_store.h — managing accounts (users) and partner-system API tokens, scoped to
 * the manager's org subtree: a user or token is visible when its org lies in who's
 * subtree, and anything else is "not found" (404). Sign-in, sessions and token
 * resolution live in user_store.h; this module is the administration side. */
#ifndef TJ_STORE_ACCOUNT_STORE_H
#define TJ_STORE_ACCOUNT_STORE_H
#include <jansson.h>
#include <stdbool.h>

#include "db/db.h"
#include "store/scope.h"

typedef struct account_filter {
    const char *org_path; /* only this org's subtree (NULL = who's; an ancestor = who's) */
    const char *role, *q; /* NULL = any; q matches login or name */
    int disabled;         /* -1 = any, 0 or 1 */
    int64_t before_id;    /* keyset cursor: ids below it; 0 = from the newest */
    int limit;            /* 1..100 */
} account_filter;

typedef struct account_row {
    int64_t id, org_id;
    char login[64], role[24];
    bool disabled;
} account_row;

/* A page of users visible to who, newest first, as user objects (docs/api.md); *total
 * counts all matches, *next is the following page's cursor or 0. An org_path neither
 * inside who's subtree nor above it is 400 on field "org_id". */
int account_list(db *d, const principal *who, const account_filter *f, json_t **items,
                 int64_t *total, int64_t *next, tj_err *err);
/* One visible user as a user object; 404 otherwise. */
int account_get_json(db *d, const principal *who, int64_t id, json_t **out, tj_err *err);
/* Row of a visible user (for writes); 404 otherwise. */
int account_get_writable(db *d, const principal *who, int64_t id, account_row *out, tj_err *err);
/* Update the non-NULL fields among name, role, org_id (0 = keep) and phone ("" clears). */
int account_update(db *d, int64_t id, const char *name, const char *role, int64_t org_id,
                   const char *phone, tj_err *err);

/* Where an account or token may be placed: org_id inside who's subtree (400 on field
 * "org_id" otherwise: the addressed resource is the account, not the org), not
 * dissolved unless allow_dissolved (an account staying where it is), and role fitting
 * the org: a partner agency's accounts act for the agency (referrals, feedback) and
 * nothing else, so the partner role goes with partner orgs and only there; mixing them
 * would blur the two sides of a referral (400 on field "role"). */
int account_check_placement(db *d, const principal *who, int64_t org_id, const char *role,
                            bool allow_dissolved, tj_err *err);

/* API tokens of orgs in who's subtree, newest first:
 * [{"id","name","org_id","org_name","role","created_at","last_used_at","revoked_at"}]. */
int account_token_list(db *d, const principal *who, json_t **items, tj_err *err);
/* Store a new token by the SHA-256 hex of its value (the value itself is never stored). */
int account_token_insert(db *d, const char *name, int64_t org_id, const char *role,
                         const char *token_hash, int64_t created_by, int64_t *id, tj_err *err);
/* Revoke a token visible to who: 404 when not visible, 409 when already revoked.
 * Requests with it are refused (401) from the next request on. */
int account_token_revoke(db *d, const principal *who, int64_t id, tj_err *err);

#endif
