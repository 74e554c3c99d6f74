#include "store/audit_store.h"
#include "util/buf.h"
#include "util/clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int audit_write(db *d, const audit_ctx *ctx, const char *action, const char *object_type,
                const char *object_id, json_t *detail, tj_err *err)
{
    char now[21];
    clock_iso(clock_unix(), now);
    char *dj = detail ? json_dumps(detail, JSON_COMPACT) : NULL;
    if (detail)
        json_decref(detail);
    const principal *w = ctx->who;
    int rc = db_run(d, NULL, err,
                    "INSERT INTO audit_log(at, actor_id, actor_login, org_id, org_path, action,"
                    " object_type, object_id, request_id, client_ip, detail)"
                    " VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                    "sIsIsssssss", now, w ? w->user_id : (int64_t)0, w ? w->login : ctx->login,
                    w ? w->org_id : (int64_t)0, w ? w->org_path : NULL, action, object_type,
                    object_id, ctx->request_id, ctx->client_ip, dj);
    free(dj);
    return rc;
}

/* Day bounds in UTC for a Shanghai date: 2026-11-23 (UTC+8) starts at
 * 2026-11-22T16:00:00Z. Stored times are ISO text, so string comparison orders them. */
static void day_start_utc(const char *date, int add_days, char out[21])
{
    struct tm tm = {0};
    sscanf(date, "%d-%d-%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday);
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    tm.tm_mday += add_days;
    time_t t = timegm(&tm) - 8 * 3600;
    clock_iso((int64_t)t, out);
}

int audit_list(db *d, const principal *who, const audit_filter *f, json_t **items, int64_t *total,
               tj_err *err)
{
    char hi[256], from[21] = "", to[21] = "";
    int64_t root = 0; /* the root org's path has one component: "/1/" */
    for (const char *p = who->org_path; *p; p++)
        root += *p == '/';
    root = root == 2;
    scope_upper(who->org_path, hi, sizeof hi);
    if (f->from)
        day_start_utc(f->from, 0, from);
    if (f->to)
        day_start_utc(f->to, 1, to);
    /* One statement text for every filter combination: unset filters compare to NULL
     * and drop out, so the statement cache holds one plan. Entries without an org
     * path (failed sign-ins of unknown logins) are visible at the root only. */
    static const char *where =
        " WHERE ((org_path >= ? AND org_path < ?) OR (org_path IS NULL AND ? = 1))"
        " AND (? = '' OR at >= ?) AND (? = '' OR at < ?)"
        " AND (? IS NULL OR actor_login = ?) AND (? IS NULL OR action = ?)"
        " AND (? IS NULL OR object_type = ?)";
    char sql[1024];
    if (total) {
        snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM audit_log%s", where);
        if (db_scalar_int(d, total, NULL, err, sql, "ssissssssssss", who->org_path, hi, root, from,
                          from, to, to, f->actor, f->actor, f->action, f->action, f->object_type,
                          f->object_type) != 0)
            return -1;
    }
    snprintf(sql, sizeof sql,
             "SELECT id, at, actor_id, actor_login, org_id, action, object_type, object_id,"
             " request_id, client_ip, detail FROM audit_log%s AND (? = 0 OR id < ?)"
             " ORDER BY id DESC LIMIT ?",
             where);
    db_stmt *s;
    if (db_query(d, &s, err, sql, "ssissssssssssiii", who->org_path, hi, root, from, from, to, to,
                 f->actor, f->actor, f->action, f->action, f->object_type, f->object_type,
                 f->before_id, f->before_id, (int64_t)f->limit) != 0)
        return -1;
    json_t *arr = json_array();
    int rc;
    while ((rc = db_step(s, err)) == 1) {
        json_t *detail = NULL;
        if (!db_col_null(s, 10))
            detail = json_loads(db_col_text(s, 10), 0, NULL);
        json_array_append_new(
            arr, json_pack("{s:I,s:s,s:o,s:s?,s:o,s:s,s:s?,s:s?,s:s?,s:s?,s:o}", "id",
                           (json_int_t)db_col_int(s, 0), "at", db_col_text(s, 1), "actor_id",
                           db_col_null(s, 2) ? json_null() : json_integer(db_col_int(s, 2)),
                           "actor_login", db_col_null(s, 3) ? NULL : db_col_text(s, 3), "org_id",
                           db_col_null(s, 4) ? json_null() : json_integer(db_col_int(s, 4)),
                           "action", db_col_text(s, 5), "object_type",
                           db_col_null(s, 6) ? NULL : db_col_text(s, 6), "object_id",
                           db_col_null(s, 7) ? NULL : db_col_text(s, 7), "request_id",
                           db_col_null(s, 8) ? NULL : db_col_text(s, 8), "client_ip",
                           db_col_null(s, 9) ? NULL : db_col_text(s, 9), "detail",
                           detail ? detail : json_null()));
    }
    db_done(s);
    if (rc < 0) {
        json_decref(arr);
        return -1;
    }
    *items = arr;
    return 0;
}
