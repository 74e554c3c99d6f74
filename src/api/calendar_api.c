/* calendar_api.c — /api/calendar: working-day arithmetic for deadlines (built-in State
 * Council notices plus administrator overrides) and the overrides' maintenance. */
#include "api/api.h"
#include "core/calendar.h"
#include "store/calendar_store.h"

#include <stdlib.h>
#include <string.h>

#define MAX_DAYS 365

static int load(http_req *r, db *d, calendar **cal)
{
    /* ~100 KB: from the request's arena, not the worker's stack */
    *cal = arena_alloc(&r->a, sizeof **cal);
    return calendar_store_load(d, *cal, &r->err);
}

int api_calendar_add_workdays(http_req *r)
{
    const char *ds = http_query(r, "date"), *ns = http_query(r, "days");
    tj_date date, out;
    db *d;
    calendar *cal;
    if (date_parse(ds, &date, "date", &r->err) != 0)
        return -1;
    char *end = NULL;
    long days = ns && *ns && strlen(ns) <= 4 ? strtol(ns, &end, 10) : -1;
    if (!end || *end || days < 0 || days > MAX_DAYS)
        return http_fail(r, 400, "validation_failed", "days", "工作日数应为 0 到 %d 的整数",
                         MAX_DAYS);
    if (api_db(r, &d) != 0 || load(r, d, &cal) != 0 ||
        calendar_add_working_days(cal, date, (int)days, &out, &r->err) != 0)
        return -1;
    char res[DATE_STR_SIZE];
    date_format(out, res);
    return http_json(r, 200, json_pack("{s:s}", "date", res));
}

static json_t *day_json(const calendar_day *e)
{
    char ds[DATE_STR_SIZE];
    date_format(e->date, ds);
    return json_pack("{s:s,s:b,s:s?,s:b}", "date", ds, "working", e->working, "note",
                     e->note[0] ? e->note : NULL, "overridden", e->overridden);
}

int api_calendar_year(http_req *r)
{
    const char *ys = r->params[0];
    char *end;
    long year = strlen(ys) == 4 ? strtol(ys, &end, 10) : 0;
    if (!year || *end || year < 1900 || year > 2200)
        return http_fail(r, 400, "validation_failed", "year", "年份应为 1900 到 2200 之间的四位数");
    db *d;
    calendar *cal;
    size_t n;
    calendar_day *days = arena_alloc(&r->a, 366 * sizeof *days);
    if (api_db(r, &d) != 0 || load(r, d, &cal) != 0 ||
        calendar_list_year(cal, (int)year, days, 366, &n, &r->err) != 0)
        return -1;
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, day_json(&days[i]));
    return http_json(r, 200, json_pack("{s:i,s:o}", "year", (int)year, "days", arr));
}

int api_calendar_override_set(http_req *r)
{
    static const jv_field spec[] = {
        {"date", JV_DATE, true, "日期"},
        {"working", JV_BOOL, true, "是否上班"},
        {"note", JV_STRING, false, "说明", 31},
        {NULL},
    };
    json_t *b;
    db *d;
    calendar *cal;
    tj_date date;
    if (http_body_object(r, &b) != 0 || jv_check(b, spec, "", &r->err) != 0 ||
        date_parse(jv_str(b, "date"), &date, "date", &r->err) != 0 || api_db(r, &d) != 0)
        return -1;
    const char *note = jv_str(b, "note");
    bool working = jv_bool(b, "working", false);
    audit_ctx ac = api_audit(r);
    if (api_begin(r, d) != 0)
        return -1;
    /* validate against the whole set (note length, the overrides limit) before storing */
    if (load(r, d, &cal) != 0 || calendar_set_override(cal, date, working, note, &r->err) != 0 ||
        calendar_store_set(d, jv_str(b, "date"), working, note, r->who->user_id, &r->err) != 0 ||
        audit_write(d, &ac, "calendar_update", "calendar", jv_str(b, "date"), json_incref(b),
                    &r->err) != 0 ||
        api_commit(r, d) != 0) {
        db_rollback(d);
        return -1;
    }
    calendar_day e = {.date = date, .working = working, .overridden = true};
    snprintf(e.note, sizeof e.note, "%s", note ? note : "");
    return http_json(r, 200, day_json(&e));
}

int api_calendar_override_delete(http_req *r)
{
    const char *ds = r->params[0];
    tj_date date;
    db *d;
    calendar *cal;
    bool found;
    if (date_parse(ds, &date, "date", &r->err) != 0 || api_db(r, &d) != 0)
        return -1;
    audit_ctx ac = api_audit(r);
    if (api_begin(r, d) != 0)
        return -1;
    if (load(r, d, &cal) != 0)
        goto fail;
    /* the audit entry keeps what was removed */
    json_t *removed = NULL;
    int day = date_to_days(date);
    for (size_t i = 0; i < cal->count; i++)
        if (cal->items[i].day == day)
            removed = json_pack("{s:s,s:b,s:s}", "date", ds, "working", cal->items[i].working,
                                "note", cal->items[i].note);
    if (calendar_store_delete(d, ds, &found, &r->err) != 0) {
        json_decref(removed);
        goto fail;
    }
    if (!found) {
        json_decref(removed);
        http_fail(r, 404, "not_found", NULL, "%s 没有人工设置的调整", ds);
        goto fail;
    }
    if (audit_write(d, &ac, "calendar_update", "calendar", ds,
                    json_pack("{s:o}", "removed", removed), &r->err) != 0 ||
        api_commit(r, d) != 0)
        goto fail;
    return http_no_content(r);
fail:
    db_rollback(d);
    return -1;
}
