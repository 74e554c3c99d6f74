#include "http/router.h"

#include <string.h>

/* Match one pattern against a path segment by segment; ":name" takes one
 * non-empty segment. Linear over the table: a few dozen routes cost less than a
 * hash of the path would. */
static bool match(http_req *r, const char *pat, const char *path)
{
    int np = 0;
    const char *params[HTTP_MAX_PARAMS];
    size_t lens[HTTP_MAX_PARAMS];
    while (*pat && *path) {
        if (*pat == ':') {
            const char *seg = path;
            while (*path && *path != '/')
                path++;
            if (path == seg || np == HTTP_MAX_PARAMS)
                return false;
            params[np] = seg;
            lens[np++] = (size_t)(path - seg);
            while (*pat && *pat != '/')
                pat++;
            continue;
        }
        if (*pat != *path)
            return false;
        pat++;
        path++;
    }
    if (*pat || *path)
        return false;
    for (int i = 0; i < np; i++)
        r->params[i] = arena_strndup(&r->a, params[i], lens[i]);
    r->nparams = np;
    return true;
}

const route *router_match(http_req *r, const char *method, const char *path, bool *path_known)
{
    *path_known = false;
    /* every pattern starts "/api/": most routes differ from the path at the next
     * character already, so test it before walking the pattern */
    bool api = strncmp(path, "/api/", 5) == 0;
    for (const route *rt = api_routes; rt->method; rt++) {
        if (api && rt->pattern[5] != path[5] && rt->pattern[5] != ':')
            continue;
        if (!match(r, rt->pattern, path))
            continue;
        if (strcmp(rt->method, method) == 0)
            return rt;
        *path_known = true;
    }
    r->nparams = 0;
    return NULL;
}
