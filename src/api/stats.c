/* stats.c — /api/stats/overview: the home page's figures for the caller's scope;
 * /api/stats/cases: case counts by type and status for an org subtree and a period. */
#include "api/api.h"
#include "core/date.h"
#include "store/stats_store.h"
#include "util/clock.h"

#include <stdio.h>

int api_stats_overview(http_req *r)
{
    db *d;
    json_t *o;
    if (api_db(r, &d) != 0 || stats_overview(d, r->who, &o, &r->err) != 0)
        return -1;
    return http_json(r, 200, o);
}

int api_stats_cases(http_req *r)
{
    int64_t org_id = 0;
    tj_date today = date_today_shanghai(clock_unix()), from, to;
    char f[DATE_STR_SIZE], t[DATE_STR_SIZE];
    const char *qf = http_query(r, "from"), *qt = http_query(r, "to");
    if (api_query_id(r, "org_id", &org_id) != 0)
        return -1;
    if (qf) {
        if (date_parse(qf, &from, "from", &r->err) != 0)
            return -1;
    } else {
        /* this year so far */
        date_format(today, f);
        snprintf(f + 4, sizeof f - 4, "-01-01");
        if (date_parse(f, &from, "from", &r->err) != 0)
            return -1;
    }
    if (qt) {
        if (date_parse(qt, &to, "to", &r->err) != 0)
            return -1;
    } else {
        to = today;
    }
    date_format(from, f);
    date_format(to, t);
    if (strcmp(f, t) > 0)
        return http_fail(r, 400, "validation_failed", "to", "结束日期不能早于开始日期");
    db *d;
    json_t *o;
    if (api_db(r, &d) != 0 || stats_cases(d, r->who, org_id, f, t, &o, &r->err) != 0)
        return -1;
    return http_json(r, 200, o);
}
