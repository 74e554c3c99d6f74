/* http.h — the request a handler sees and the responses it can give.
 *
 * A request owns an arena (house rule 5) freed when the response completes. A
 * handler returns 0 after setting a response (http_json, http_no_content, …) or -1
 * with r->err filled; the server turns that into the one error shape
 * {"error":{"code","message","field"}}. Handlers never touch libmicrohttpd.
 */
#ifndef TJ_HTTP_HTTP_H
#define TJ_HTTP_HTTP_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include <sys/socket.h>

#include "core/err.h"
#include "core/perm.h"
#include "store/scope.h"
#include "util/arena.h"
#include "util/buf.h"

#define HTTP_MAX_PARAMS 4

typedef struct http_req {
    arena a;
    const char *method;
    const char *path;
    void *conn; /* struct MHD_Connection */
    char request_id[17];
    char client_ip[64]; /* read through http_client_ip: formatted on first use */
    bool client_ip_set;
    struct sockaddr_storage peer; /* the socket's peer (peer.ss_family 0: unknown) */
    bool secure; /* behind TLS (X-Forwarded-Proto: https from a trusted proxy, or config) */
    buf body;
    bool body_too_large;
    size_t discarded;
    const char *params[HTTP_MAX_PARAMS]; /* :id etc. from the route pattern, in order */
    int nparams;
    principal *who; /* NULL when not signed in */
    tj_err err;
    const char *err_state; /* for a 409 from the case state machine: the current state */

    /* response */
    int status;
    char *resp_body; /* malloc'd, freed by the server */
    size_t resp_len;
    const char *resp_type;
    const char *resp_headers[8][2]; /* extra headers (arena strings) */
    int nresp_headers;
    int64_t start_ns;
    json_t *body_json; /* parsed body, released with the request */
    const void *route; /* matched route */
    bool async_ready;  /* a worker has finished the handler */
    bool suspended;
    uint64_t gen;    /* db_generation() when the request arrived, before any statement */
    char *cache_key; /* arena string for a ROUTE_CACHE request; NULL otherwise */
} http_req;

/* Respond with a JSON value (stolen reference). */
int http_json(http_req *r, int status, json_t *v);
/* Respond with JSON text built in b (util/jw.h); takes b's data and leaves b empty. */
int http_json_text(http_req *r, int status, buf *b);
/* Respond 204. */
int http_no_content(http_req *r);
/* Respond with raw bytes copied from p (e.g. a CSV export). */
int http_bytes(http_req *r, int status, const char *content_type, const void *p, size_t n);
/* Add a response header (name/value copied into the arena). */
void http_header(http_req *r, const char *name, const char *value);
/* Fill r->err and return -1 (for `return http_fail(r, 404, "not_found", NULL, "…")`). */
int http_fail(http_req *r, int status, const char *code, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Query-string argument or NULL. */
const char *http_query(http_req *r, const char *name);
/* Request header or NULL. */
const char *http_header_in(http_req *r, const char *name);
/* The client's address as text: the first X-Forwarded-For entry behind a trusted
 * proxy, else the socket's peer, else "unknown". Formatted on the first call (most
 * requests never need it); safe on a worker thread. */
const char *http_client_ip(http_req *r);
/* Cookie value or NULL. */
const char *http_cookie(http_req *r, const char *name);

/* Parse the body as a JSON object (duplicate keys, NUL, bad UTF-8 and non-objects are
 * 400 bad_json). The result is owned by the request. */
int http_body_object(http_req *r, json_t **out);

/* The X-Filename request header of an upload, percent-decoded UTF-8; NULL when absent. */
const char *http_upload_filename(http_req *r);
/* Content-Disposition `kind` ("inline"/"attachment") with an ASCII fallback name and the
 * UTF-8 name percent-encoded (RFC 6266 / 5987). */
void http_disposition(http_req *r, const char *kind, const char *fallback, const char *name);

/* Path parameter i as a positive integer id; 404 when it is not one. */
int http_param_id(http_req *r, int i, int64_t *out);

#endif
