/* static.h — the built web UI from a directory: MIME types, ETag/304, long-lived
 * caching for Vite's hashed /assets/, no-cache for index.html, SPA fallback (a path
 * without a file extension that is not a file gets index.html), and refusal of any
 * path that tries to climb out of the root. */
#ifndef TJ_HTTP_STATIC_H
#define TJ_HTTP_STATIC_H
#include "http/http.h"

struct MHD_Response;
/* Build the response for r->path under root. Returns the status to send and sets *out;
 * on an error status *out is NULL and r->err is filled. */
int static_serve(http_req *r, const char *root, struct MHD_Response **out);

#endif
