/* user_store.h — accounts, sessions, API tokens and sign-in attempts. */
#ifndef TJ_STORE_USER_STORE_H
#define TJ_STORE_USER_STORE_H
#include <jansson.h>
#include <stdbool.h>

#include "db/db.h"
#include "store/scope.h"

typedef struct user_row {
    int64_t id, org_id;
    char login[64], name[64], role[24], phone[32];
    char pw_hash[128];
    bool disabled;
} user_row;

/* Look up an account by login; *found false when there is none. */
int user_by_login(db *d, const char *login, user_row *u, bool *found, tj_err *err);
/* Create an account (the caller validated fields and hashed the password). */
int user_insert(db *d, const user_row *u, const char *pw_hash, int64_t *id, tj_err *err);
/* Replace the password hash; ends every session of the user except keep_session (0 = all). */
int user_set_password(db *d, int64_t user_id, const char *pw_hash, int64_t keep_session,
                      tj_err *err);
/* Enable/disable; disabling ends the user's sessions. */
int user_set_disabled(db *d, int64_t user_id, bool disabled, tj_err *err);
int user_touch_login(db *d, int64_t user_id, tj_err *err);

/* Sessions: token_hash is the SHA-256 hex of the cookie value (the token itself is
 * never stored). */
int session_insert(db *d, int64_t user_id, const char *token_hash, const char *csrf, const char *ip,
                   const char *user_agent, int64_t now, int64_t *id, tj_err *err);
/* Resolve a session into who. *found is false for an unknown, expired (idle_s since
 * last use or max_s since creation) or disabled-user session; expired ones are
 * deleted. last_seen is refreshed at most once a minute. */
int session_resolve(db *d, const char *token_hash, int64_t now, int64_t idle_s, int64_t max_s,
                    principal *who, bool *found, tj_err *err);
int session_delete(db *d, int64_t session_id, tj_err *err);

/* API tokens: resolve a bearer token's hash into who (role and org of the token);
 * last_used_at refreshed at most once a minute. */
int token_resolve(db *d, const char *token_hash, int64_t now, principal *who, bool *found,
                  tj_err *err);

/* Sign-in attempts for rate limiting: failures for the login since its last success
 * within window_s, and failures from ip within window_s; *retry_s gets the seconds
 * until the oldest counted failure leaves the window. */
int attempts_count(db *d, const char *login, const char *ip, int64_t now, int64_t window_s,
                   int64_t *login_fails, int64_t *ip_fails, int64_t *login_oldest,
                   int64_t *ip_oldest, tj_err *err);
int attempts_record(db *d, const char *login, const char *ip, int64_t now, bool ok, tj_err *err);

/* Fill who from a user id (org, role, names). */
int principal_load(db *d, int64_t user_id, principal *who, bool *found, tj_err *err);

#endif
