/* audit.c — /api/audit: reading and exporting the audit log of the caller's subtree.
 * An export is itself audited (who took which slice of the log home). */
#include "api/api.h"
#include "core/dict.h"
#include "store/org_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define EXPORT_MAX       10000
#define EXPORT_MAX_BYTES (64u << 20)

/* The filter of ?from=&to=&actor=&action=&object_type= (empty = unset). */
static int parse_filter(http_req *r, audit_filter *f)
{
    memset(f, 0, sizeof *f);
    static const char *const dates[] = {"from", "to"};
    const char **dslot[] = {&f->from, &f->to};
    for (int i = 0; i < 2; i++) {
        const char *v = http_query(r, dates[i]);
        if (v && *v && !jv_valid_date(v))
            return http_fail(r, 400, "validation_failed", dates[i], "日期无效，应为 YYYY-MM-DD");
        *dslot[i] = v && *v ? v : NULL;
    }
    if (f->from && f->to && strcmp(f->from, f->to) > 0)
        return http_fail(r, 400, "validation_failed", "to", "结束日期不能早于开始日期");
    static const char *const texts[] = {"actor", "action", "object_type"};
    const char **tslot[] = {&f->actor, &f->action, &f->object_type};
    for (int i = 0; i < 3; i++) {
        const char *v = http_query(r, texts[i]);
        if (v && jv_utf8_len(v) > 64)
            return http_fail(r, 400, "validation_failed", texts[i], "参数 %s 过长", texts[i]);
        *tslot[i] = v && *v ? v : NULL;
    }
    return 0;
}

int api_audit_list(http_req *r)
{
    audit_filter f;
    db *d;
    int limit;
    if (parse_filter(r, &f) != 0 || api_limit(r, 20, 100, &limit) != 0 ||
        api_cursor(r, &f.before_id) != 0 || api_db(r, &d) != 0)
        return -1;
    f.limit = limit + 1; /* one more tells whether a next page exists */
    json_t *items;
    int64_t total;
    if (audit_list(d, r->who, &f, &items, &total, &r->err) != 0)
        return -1;
    json_t *res = json_object();
    if (json_array_size(items) > (size_t)limit) {
        json_array_remove(items, (size_t)limit);
        json_int_t last =
            json_integer_value(json_object_get(json_array_get(items, (size_t)limit - 1), "id"));
        json_object_set_new(res, "next_cursor",
                            json_string(arena_printf(&r->a, "%lld", (long long)last)));
    }
    json_object_set_new(res, "items", items);
    json_object_set_new(res, "total", json_integer(total));
    return http_json(r, 200, res);
}

/* One CSV cell: quoted when it holds a separator, quote or line break; a cell that
 * Excel would read as a formula (= + - @, tab, CR first) gets a leading apostrophe,
 * since logins of failed sign-ins are whatever someone typed. */
static int csv_cell(buf *b, const char *s, bool last)
{
    if (!s)
        s = "";
    bool formula = s[0] && strchr("=+-@\t\r", s[0]);
    bool quote = formula || strpbrk(s, ",\"\r\n") != NULL;
    int rc = 0;
    if (quote)
        rc |= buf_puts(b, "\"");
    if (formula)
        rc |= buf_puts(b, "'");
    for (const char *p = s; *p;) {
        size_t n = strcspn(p, "\"");
        rc |= buf_append(b, p, n);
        p += n;
        if (*p == '"') {
            rc |= buf_puts(b, "\"\"");
            p++;
        }
    }
    if (quote)
        rc |= buf_puts(b, "\"");
    rc |= buf_puts(b, last ? "\r\n" : ",");
    return rc ? -1 : 0;
}

/* "2026-11-23T04:12:00Z" → "2026-11-23 12:12:00" (Asia/Shanghai, UTC+8 all year). */
static void beijing_time(const char *iso, char out[20])
{
    struct tm tm = {0};
    if (sscanf(iso, "%d-%d-%dT%d:%d:%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
               &tm.tm_min, &tm.tm_sec) != 6) {
        snprintf(out, 20, "%s", iso);
        return;
    }
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    time_t t = timegm(&tm) + 8 * 3600;
    gmtime_r(&t, &tm);
    strftime(out, 20, "%Y-%m-%d %H:%M:%S", &tm);
}

static const char *label_or(const char *dict_name, const char *v)
{
    const char *l = v ? dict_label(dict_name, v) : NULL;
    return l ? l : v;
}

int api_audit_export(http_req *r)
{
    audit_filter f;
    db *d;
    if (parse_filter(r, &f) != 0 || api_db(r, &d) != 0)
        return -1;
    f.limit = EXPORT_MAX;
    json_t *items, *orgs;
    int64_t total;
    if (audit_list(d, r->who, &f, &items, &total, &r->err) != 0)
        return -1;
    /* names of the orgs the caller sees (one query, not one per row) */
    if (org_list(d, r->who, NULL, NULL, true, &orgs, &r->err) != 0) {
        json_decref(items);
        return -1;
    }
    json_t *names = json_object();
    size_t i;
    json_t *o;
    json_array_foreach(orgs, i, o)
    {
        char key[24];
        snprintf(key, sizeof key, "%lld", (long long)json_integer_value(json_object_get(o, "id")));
        json_object_set(names, key, json_object_get(o, "name"));
    }
    json_decref(orgs);
    buf b;
    buf_init(&b, EXPORT_MAX_BYTES);
    int bad = 0;
    buf_puts(&b, "\xEF\xBB\xBF"); /* BOM: Excel then reads the file as UTF-8 */
    static const char *const head[] = {"时间(北京时间)", "操作人",     "机构",
                                       "操作",           "对象类型",   "对象编号",
                                       "请求编号",       "客户端地址", "详情"};
    for (int k = 0; k < 9; k++)
        bad |= csv_cell(&b, head[k], k == 8);
    json_t *e;
    json_array_foreach(items, i, e)
    {
        char when[20], key[24], *detail = NULL;
        beijing_time(json_string_value(json_object_get(e, "at")), when);
        json_t *oid = json_object_get(e, "org_id");
        snprintf(key, sizeof key, "%lld", (long long)json_integer_value(oid));
        const char *org = json_string_value(json_object_get(names, key));
        json_t *det = json_object_get(e, "detail");
        if (det && !json_is_null(det))
            detail = json_dumps(det, JSON_COMPACT);
        bad |= csv_cell(&b, when, false);
        bad |= csv_cell(&b, json_string_value(json_object_get(e, "actor_login")), false);
        bad |= csv_cell(&b, org ? org : json_is_integer(oid) ? key : "", false);
        bad |= csv_cell(
            &b, label_or("audit_action", json_string_value(json_object_get(e, "action"))), false);
        bad |= csv_cell(
            &b, label_or("object_type", json_string_value(json_object_get(e, "object_type"))),
            false);
        bad |= csv_cell(&b, json_string_value(json_object_get(e, "object_id")), false);
        bad |= csv_cell(&b, json_string_value(json_object_get(e, "request_id")), false);
        bad |= csv_cell(&b, json_string_value(json_object_get(e, "client_ip")), false);
        bad |= csv_cell(&b, detail, true);
        free(detail);
    }
    size_t rows = json_array_size(items);
    json_decref(items);
    json_decref(names);
    if (bad) {
        buf_free(&b);
        return http_fail(r, 413, "payload_too_large", NULL,
                         "导出内容超过 %u MiB，请缩小日期范围后分批导出", EXPORT_MAX_BYTES >> 20);
    }
    audit_ctx ac = api_audit(r);
    if (api_begin(r, d) != 0) {
        buf_free(&b);
        return -1;
    }
    json_t *what = json_pack("{s:s?,s:s?,s:s?,s:s?,s:s?,s:I,s:I}", "from", f.from, "to", f.to,
                             "actor", f.actor, "action", f.action, "object_type", f.object_type,
                             "rows", (json_int_t)rows, "total", (json_int_t)total);
    if (audit_write(d, &ac, "export", "audit", NULL, what, &r->err) != 0 || api_commit(r, d) != 0) {
        db_rollback(d);
        buf_free(&b);
        return -1;
    }
    http_header(r, "Content-Disposition", "attachment; filename=\"audit.csv\"");
    /* more matches than one export holds: say so, the caller narrows the dates */
    http_header(r, "X-Total-Count", arena_printf(&r->a, "%lld", (long long)total));
    int rc = http_bytes(r, 200, "text/csv; charset=utf-8", b.data, b.len);
    buf_free(&b);
    return rc;
}
