/* auth.h — who is calling: the tj_session cookie (browser) or an
 * "Authorization: Bearer" API token (partner systems). */
#ifndef TJ_HTTP_AUTH_H
#define TJ_HTTP_AUTH_H
#include "db/db.h"
#include "http/http.h"

#define AUTH_COOKIE "tj_session"

/* Set r->who when the request carries a valid session or token (NULL otherwise).
 * A bad bearer token is 401 (a machine should hear it is misconfigured); a stale
 * cookie just means "not signed in". */
int auth_resolve(http_req *r, db *d);
/* The Set-Cookie value for a new session token (or an expired one when token is NULL). */
const char *auth_cookie(http_req *r, const char *token);

#endif
