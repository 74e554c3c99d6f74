/* stats.c — /api/stats/overview: the home page's figures for the caller's scope. */
#include "api/api.h"
#include "store/stats_store.h"

int api_stats_overview(http_req *r)
{
    db *d;
    json_t *o;
    if (api_db(r, &d) != 0 || stats_overview(d, r->who, &o, &r->err) != 0)
        return -1;
    return http_json(r, 200, o);
}
