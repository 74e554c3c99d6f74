/* router.h — routes by method and path pattern ("/api/orgs/:id/move"). */
#ifndef TJ_HTTP_ROUTER_H
#define TJ_HTTP_ROUTER_H
#include "http/http.h"

enum route_flags {
    ROUTE_PUBLIC = 1 << 0,  /* no sign-in needed */
    ROUTE_SLOW = 1 << 1,    /* runs on a worker thread, off libmicrohttpd's polling threads */
    ROUTE_NO_CSRF = 1 << 2, /* state-changing but exempt from the CSRF header (login) */
    ROUTE_UPLOAD = 1 << 3,  /* raw body (a file) up to TIAOJIE_MAX_UPLOAD, not JSON */
    ROUTE_CACHE = 1 << 4    /* GET whose answer depends only on the data, the caller, the
                             * date and the URL: kept by http/cache.h */
};

typedef int (*route_fn)(http_req *r);

typedef struct route {
    const char *method;
    const char *pattern;
    route_fn fn;
    int flags;
    int perm; /* enum perm the caller must hold, or -1 */
} route;

/* Find the route for method+path, filling r->params. Returns the route, or NULL and
 * sets *path_known when the path exists under another method (→ 405). */
const route *router_match(http_req *r, const char *method, const char *path, bool *path_known);

/* The table, defined in api/routes.c. */
extern const route api_routes[];

#endif
