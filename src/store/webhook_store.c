#include "store/webhook_store.h"
#include "app/crypto.h"
#include "core/dict.h"
#include "core/referral.h"
#include "store/org_store.h"
#include "util/clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COPY(dst, src) snprintf((dst), sizeof(dst), "%s", (src))

static void iso_ms(int64_t ms, char out[21])
{
    clock_iso(ms / 1000, out);
}

static int64_t now_ms(void)
{
    return clock_unix() * 1000;
}

/* ---- endpoints ---- */

#define EP_COLS                                                                                    \
    "w.id, w.org_id, o.name AS org_name, w.url, w.description, w.created_at,"                      \
    " w.secret_rotated_at, w.disabled_at,"                                                         \
    " (SELECT COUNT(*) FROM webhook_deliveries x WHERE x.endpoint_id = w.id AND"                   \
    " x.status = 'pending') AS pending,"                                                           \
    " (SELECT COUNT(*) FROM webhook_deliveries x WHERE x.endpoint_id = w.id AND"                   \
    " x.status = 'failed') AS failed,"                                                             \
    " (SELECT MAX(delivered_at) FROM webhook_deliveries x WHERE x.endpoint_id = w.id) AS"          \
    " last_delivered_at"

int webhook_list(db *d, const principal *who, json_t **items, tj_err *err)
{
    scope_range r;
    scope_range_of(who->org_path, &r);
    db_stmt *s;
    if (db_query(d, &s, err,
                 "SELECT " EP_COLS " FROM webhook_endpoints w JOIN orgs o ON o.id = w.org_id"
                 " WHERE w.org_path >= ? AND w.org_path < ? ORDER BY w.id DESC",
                 "ss", r.lo, r.hi) != 0)
        return -1;
    return db_rows_json(s, items, err);
}

int webhook_get_json(db *d, const principal *who, int64_t id, json_t **out, tj_err *err)
{
    scope_range r;
    scope_range_of(who->org_path, &r);
    db_stmt *s;
    if (db_query(d, &s, err,
                 "SELECT " EP_COLS " FROM webhook_endpoints w JOIN orgs o ON o.id = w.org_id"
                 " WHERE w.id = ? AND w.org_path >= ? AND w.org_path < ?",
                 "iss", id, r.lo, r.hi) != 0)
        return -1;
    int rc = db_step(s, err);
    if (rc == 1)
        *out = db_row_json(s);
    db_done(s);
    if (rc < 0)
        return -1;
    if (rc == 0)
        return err_set(err, 404, "not_found", NULL, "推送地址不存在");
    return 0;
}

/* The endpoint's disabled flag if visible to who, else 404. */
static int endpoint_visible(db *d, const principal *who, int64_t id, bool *disabled, tj_err *err)
{
    scope_range r;
    scope_range_of(who->org_path, &r);
    db_stmt *s;
    if (db_query(d, &s, err,
                 "SELECT disabled_at IS NOT NULL FROM webhook_endpoints WHERE id = ? AND"
                 " org_path >= ? AND org_path < ?",
                 "iss", id, r.lo, r.hi) != 0)
        return -1;
    int rc = db_step(s, err);
    if (rc == 1)
        *disabled = db_col_int(s, 0) != 0;
    db_done(s);
    if (rc < 0)
        return -1;
    if (rc == 0)
        return err_set(err, 404, "not_found", NULL, "推送地址不存在");
    return 0;
}

int webhook_create(db *d, const principal *who, int64_t org_id, const char *url,
                   const char *description, char secret[WEBHOOK_SECRET_SIZE], int64_t *id,
                   tj_err *err)
{
    char host[256], path[520];
    int port;
    if (referral_webhook_url_parse(url, host, sizeof host, &port, path, sizeof path, err) != 0)
        return -1;
    org_row o;
    bool found;
    if (!org_id)
        org_id = who->org_id;
    if (org_get_row(d, org_id, &o, &found, err) != 0)
        return -1;
    if (!found || !scope_contains(who, o.path))
        return err_set(err, 400, "validation_failed", "org_id", "机构不存在或不在您的管辖范围内");
    if (strcmp(o.kind, "partner") != 0)
        return err_set(err, 400, "validation_failed", "org_id", "推送地址只能登记给对接单位");
    if (o.dissolved)
        return err_set(err, 400, "validation_failed", "org_id", "「%s」已撤销", o.name);
    crypto_token("whsec_", secret, WEBHOOK_SECRET_SIZE);
    char *sealed = crypto_seal(secret);
    char now[21];
    clock_iso(clock_unix(), now);
    int rc = db_scalar_int(d, id, NULL, err,
                           "INSERT INTO webhook_endpoints(org_id, org_path, url, description,"
                           " secret_sealed, created_by, created_at) VALUES (?,?,?,?,?,?,?)"
                           " RETURNING id",
                           "issssIs", o.id, o.path, url, description, sealed, who->user_id, now);
    free(sealed);
    return rc;
}

int webhook_rotate(db *d, const principal *who, int64_t id, char secret[WEBHOOK_SECRET_SIZE],
                   tj_err *err)
{
    bool disabled = false;
    if (endpoint_visible(d, who, id, &disabled, err) != 0)
        return -1;
    if (disabled)
        return err_set(err, 409, "conflict", NULL, "推送地址已停用");
    crypto_token("whsec_", secret, WEBHOOK_SECRET_SIZE);
    char *sealed = crypto_seal(secret);
    char now[21];
    clock_iso(clock_unix(), now);
    int rc =
        db_run(d, NULL, err,
               "UPDATE webhook_endpoints SET secret_sealed = ?, secret_rotated_at = ? WHERE id = ?",
               "ssi", sealed, now, id);
    free(sealed);
    return rc;
}

int webhook_disable(db *d, const principal *who, int64_t id, tj_err *err)
{
    bool disabled = false;
    if (endpoint_visible(d, who, id, &disabled, err) != 0)
        return -1;
    if (disabled)
        return err_set(err, 409, "conflict", NULL, "推送地址已停用");
    char now[21];
    clock_iso(clock_unix(), now);
    if (db_run(d, NULL, err, "UPDATE webhook_endpoints SET disabled_at = ? WHERE id = ?", "si", now,
               id) != 0)
        return -1;
    return db_run(d, NULL, err,
                  "UPDATE webhook_deliveries SET status = 'cancelled', last_error = ?,"
                  " updated_at = ? WHERE endpoint_id = ? AND status = 'pending'",
                  "ssi", "推送地址已停用", now, id);
}

/* ---- queueing ---- */

static int insert_delivery(db *d, int64_t endpoint_id, int64_t org_id, const char *org_path,
                           const char *event, int64_t referral_id, const char *payload, int64_t *id,
                           tj_err *err)
{
    char now[21];
    clock_iso(clock_unix(), now);
    return db_scalar_int(d, id, NULL, err,
                         "INSERT INTO webhook_deliveries(endpoint_id, org_id, org_path, event,"
                         " referral_id, payload, status, attempts, next_attempt_ms, created_at,"
                         " updated_at) VALUES (?,?,?,?,?,?,'pending',0,?,?,?) RETURNING id",
                         "iissIsiss", endpoint_id, org_id, org_path, event, referral_id, payload,
                         now_ms(), now, now);
}

static char *payload_of(const char *event, json_t *data)
{
    char now[21];
    clock_iso(clock_unix(), now);
    json_t *p = json_pack("{s:s,s:s,s:o}", "event", event, "occurred_at", now, "data",
                          data ? data : json_object());
    char *s = json_dumps(p, JSON_COMPACT);
    json_decref(p);
    return s;
}

int webhook_enqueue(db *d, int64_t org_id, const char *event, json_t *data, int64_t referral_id,
                    int64_t *queued, tj_err *err)
{
    char *payload = payload_of(event, data);
    if (queued)
        *queued = 0;
    db_stmt *s;
    json_t *eps;
    if (db_query(
            d, &s, err,
            "SELECT id, org_path FROM webhook_endpoints WHERE org_id = ? AND disabled_at IS NULL",
            "i", org_id) != 0 ||
        db_rows_json(s, &eps, err) != 0) {
        free(payload);
        return -1;
    }
    int rc = 0;
    json_t *e;
    size_t i;
    json_array_foreach(eps, i, e)
    {
        int64_t id;
        if (insert_delivery(d, json_integer_value(json_object_get(e, "id")), org_id,
                            json_string_value(json_object_get(e, "org_path")), event, referral_id,
                            payload, &id, err) != 0) {
            rc = -1;
            break;
        }
        if (queued)
            (*queued)++;
    }
    json_decref(eps);
    free(payload);
    return rc;
}

int webhook_ping(db *d, const principal *who, int64_t endpoint_id, int64_t *delivery_id,
                 tj_err *err)
{
    bool disabled = false;
    if (endpoint_visible(d, who, endpoint_id, &disabled, err) != 0)
        return -1;
    if (disabled)
        return err_set(err, 409, "conflict", NULL, "推送地址已停用");
    int64_t org_id = 0;
    char path[256] = "";
    db_stmt *s;
    if (db_query(d, &s, err, "SELECT org_id, org_path FROM webhook_endpoints WHERE id = ?", "i",
                 endpoint_id) != 0)
        return -1;
    if (db_step(s, err) == 1) {
        org_id = db_col_int(s, 0);
        COPY(path, db_col_text(s, 1));
    }
    db_done(s);
    char *payload =
        payload_of("ping", json_pack("{s:I,s:s}", "endpoint_id", (json_int_t)endpoint_id, "message",
                                     "tiaojie 推送测试"));
    int rc = insert_delivery(d, endpoint_id, org_id, path, "ping", 0, payload, delivery_id, err);
    free(payload);
    return rc;
}

/* ---- the outbox view ---- */

static void delivery_extras(json_t *row)
{
    json_t *n = json_object_get(row, "next_attempt_ms");
    const char *st = json_string_value(json_object_get(row, "status"));
    if (json_is_integer(n) && st && strcmp(st, "pending") == 0) {
        char iso[21];
        iso_ms(json_integer_value(n), iso);
        json_object_set_new(row, "next_attempt_at", json_string(iso));
    } else {
        json_object_set_new(row, "next_attempt_at", json_null());
    }
    json_object_del(row, "next_attempt_ms");
    const char *l = st ? dict_label("webhook_delivery_status", st) : NULL;
    json_object_set_new(row, "status_label", l ? json_string(l) : json_null());
}

#define DL_COLS                                                                                    \
    "x.id, x.endpoint_id, w.url, x.org_id, o.name AS org_name, x.event, x.referral_id,"            \
    " x.status, x.attempts, x.next_attempt_ms, x.last_status, x.last_error, x.created_at,"         \
    " x.updated_at, x.delivered_at"

int webhook_deliveries(db *d, const principal *who, const webhook_filter *f, json_t **items,
                       int64_t *total, int64_t *next, tj_err *err)
{
    scope_range r;
    scope_range_of(who->org_path, &r);
    const char *where = " WHERE x.org_path >= ? AND x.org_path < ? AND (? IS NULL OR x.status = ?)"
                        " AND (? = 0 OR x.endpoint_id = ?) AND (? = 0 OR x.referral_id = ?)";
    char sql[2048];
    db_arg a[12] = {
        {'s', 0, r.lo},           {'s', 0, r.hi},           {'s', 0, f->status},
        {'s', 0, f->status},      {'i', f->endpoint_id, 0}, {'i', f->endpoint_id, 0},
        {'i', f->referral_id, 0}, {'i', f->referral_id, 0},
    };
    db_stmt *s;
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM webhook_deliveries x%s", where);
    if (db_query_args(d, &s, err, sql, a, 8) != 0)
        return -1;
    if (db_step(s, err) == 1)
        *total = db_col_int(s, 0);
    db_done(s);
    a[8] = (db_arg){'i', f->cursor_id, NULL};
    a[9] = (db_arg){'i', f->cursor_id, NULL};
    a[10] = (db_arg){'i', f->limit + 1, NULL};
    snprintf(sql, sizeof sql,
             "SELECT " DL_COLS " FROM webhook_deliveries x JOIN webhook_endpoints w ON w.id ="
             " x.endpoint_id JOIN orgs o ON o.id = x.org_id%s AND (? = 0 OR x.id < ?)"
             " ORDER BY x.id DESC LIMIT ?",
             where);
    if (db_query_args(d, &s, err, sql, a, 11) != 0)
        return -1;
    json_t *arr;
    if (db_rows_json(s, &arr, err) != 0)
        return -1;
    *next = 0;
    if (json_array_size(arr) > (size_t)f->limit) {
        json_array_remove(arr, (size_t)f->limit);
        *next =
            json_integer_value(json_object_get(json_array_get(arr, (size_t)f->limit - 1), "id"));
    }
    json_t *row;
    size_t i;
    json_array_foreach(arr, i, row) delivery_extras(row);
    *items = arr;
    return 0;
}

int webhook_delivery_json(db *d, const principal *who, int64_t id, json_t **out, tj_err *err)
{
    scope_range r;
    scope_range_of(who->org_path, &r);
    db_stmt *s;
    if (db_query(d, &s, err,
                 "SELECT " DL_COLS ", x.payload FROM webhook_deliveries x JOIN webhook_endpoints w"
                 " ON w.id = x.endpoint_id JOIN orgs o ON o.id = x.org_id WHERE x.id = ? AND"
                 " x.org_path >= ? AND x.org_path < ?",
                 "iss", id, r.lo, r.hi) != 0)
        return -1;
    int rc = db_step(s, err);
    json_t *o = rc == 1 ? db_row_json(s) : NULL;
    db_done(s);
    if (rc < 0)
        return -1;
    if (rc == 0)
        return err_set(err, 404, "not_found", NULL, "推送记录不存在");
    delivery_extras(o);
    json_t *payload = json_loads(json_string_value(json_object_get(o, "payload")), 0, NULL);
    json_object_set_new(o, "payload", payload ? payload : json_null());
    json_t *attempts;
    if (db_query(d, &s, err,
                 "SELECT id, at, status_code, error, duration_ms FROM webhook_attempts WHERE"
                 " delivery_id = ? ORDER BY id",
                 "i", id) != 0 ||
        db_rows_json(s, &attempts, err) != 0) {
        json_decref(o);
        return -1;
    }
    json_object_set_new(o, "attempt_log", attempts);
    *out = o;
    return 0;
}

int webhook_retry(db *d, const principal *who, int64_t id, tj_err *err)
{
    scope_range r;
    scope_range_of(who->org_path, &r);
    db_stmt *s;
    char status[16] = "";
    bool disabled = false;
    if (db_query(d, &s, err,
                 "SELECT x.status, w.disabled_at IS NOT NULL FROM webhook_deliveries x JOIN"
                 " webhook_endpoints w ON w.id = x.endpoint_id WHERE x.id = ? AND"
                 " x.org_path >= ? AND x.org_path < ?",
                 "iss", id, r.lo, r.hi) != 0)
        return -1;
    int rc = db_step(s, err);
    if (rc == 1) {
        COPY(status, db_col_text(s, 0));
        disabled = db_col_int(s, 1) != 0;
    }
    db_done(s);
    if (rc < 0)
        return -1;
    if (rc == 0)
        return err_set(err, 404, "not_found", NULL, "推送记录不存在");
    if (strcmp(status, "delivered") == 0)
        return err_set(err, 409, "conflict", "status", "推送当前状态为“%s”，不需要重新推送",
                       dict_label("webhook_delivery_status", status));
    if (disabled)
        return err_set(err, 409, "conflict", NULL, "推送地址已停用，不能重新推送");
    char now[21];
    clock_iso(clock_unix(), now);
    /* a given-up delivery starts a new schedule; a pending one is just due now */
    bool restart = strcmp(status, "pending") != 0;
    return db_run(d, NULL, err,
                  "UPDATE webhook_deliveries SET status = 'pending',"
                  " attempts = CASE WHEN ? = 1 THEN 0 ELSE attempts END, next_attempt_ms = ?,"
                  " updated_at = ? WHERE id = ?",
                  "iisi", (int64_t)restart, now_ms(), now, id);
}

/* ---- delivery side ---- */

int webhook_due(db *d, int64_t now, int64_t *ids, int max, int *n, int64_t *next_ms, tj_err *err)
{
    db_stmt *s;
    *n = 0;
    *next_ms = 0;
    if (db_query(d, &s, err,
                 "SELECT id, next_attempt_ms, COALESCE(lease_until_ms, 0) FROM webhook_deliveries"
                 " WHERE status = 'pending' ORDER BY next_attempt_ms, id LIMIT ?",
                 "i", (int64_t)max * 4) != 0)
        return -1;
    int rc;
    while ((rc = db_step(s, err)) == 1) {
        int64_t due = db_col_int(s, 1), lease = db_col_int(s, 2);
        int64_t ready = due > lease ? due : lease;
        if (ready <= now) {
            if (*n < max)
                ids[(*n)++] = db_col_int(s, 0);
        } else if (!*next_ms || ready < *next_ms) {
            *next_ms = ready;
        }
    }
    db_done(s);
    return rc < 0 ? -1 : 0;
}

int webhook_claim(db *d, int64_t id, int64_t now, int64_t lease_ms, bool *claimed, webhook_job *job,
                  tj_err *err)
{
    int64_t changes = 0;
    *claimed = false;
    memset(job, 0, sizeof *job);
    if (db_run(
            d, &changes, err,
            "UPDATE webhook_deliveries SET lease_until_ms = ? WHERE id = ? AND status = 'pending'"
            " AND next_attempt_ms <= ? AND COALESCE(lease_until_ms, 0) <= ?",
            "iiii", now + lease_ms, id, now, now) != 0)
        return -1;
    if (changes != 1)
        return 0;
    db_stmt *s;
    if (db_query(d, &s, err,
                 "SELECT x.id, x.endpoint_id, x.attempts, x.event, w.url, w.secret_sealed,"
                 " x.payload, w.disabled_at IS NOT NULL FROM webhook_deliveries x JOIN"
                 " webhook_endpoints w ON w.id = x.endpoint_id WHERE x.id = ?",
                 "i", id) != 0)
        return -1;
    int rc = db_step(s, err);
    bool disabled = false;
    if (rc == 1) {
        job->id = db_col_int(s, 0);
        job->endpoint_id = db_col_int(s, 1);
        job->attempts = (int)db_col_int(s, 2);
        COPY(job->event, db_col_text(s, 3));
        COPY(job->url, db_col_text(s, 4));
        job->secret = crypto_open(db_col_text(s, 5));
        job->payload = strdup(db_col_text(s, 6));
        disabled = db_col_int(s, 7) != 0;
    }
    db_done(s);
    if (rc < 0) {
        webhook_job_free(job);
        return -1;
    }
    if (rc == 0)
        return 0;
    if (disabled || !job->secret || !job->payload) {
        char nowiso[21];
        clock_iso(clock_unix(), nowiso);
        const char *why = disabled ? "推送地址已停用" : "无法解密推送密钥（密钥文件不匹配）";
        webhook_job_free(job);
        return db_run(d, NULL, err,
                      "UPDATE webhook_deliveries SET status = ?, last_error = ?, updated_at = ?,"
                      " lease_until_ms = NULL WHERE id = ?",
                      "sssi", disabled ? "cancelled" : "failed", why, nowiso, id);
    }
    *claimed = true;
    return 0;
}

int webhook_record(db *d, const webhook_job *job, int status_code, const char *error,
                   int64_t duration_ms, int64_t now, int64_t backoff_base_ms, tj_err *err)
{
    char nowiso[21];
    clock_iso(now / 1000, nowiso);
    int attempts = job->attempts + 1;
    const char *status = !error                               ? "delivered"
                         : referral_webhook_give_up(attempts) ? "failed"
                                                              : "pending";
    int64_t next = error ? now + referral_webhook_backoff_ms(attempts, backoff_base_ms) : now;
    if (db_begin(d, true, err) != 0)
        return -1;
    if (db_run(d, NULL, err,
               "INSERT INTO webhook_attempts(delivery_id, at, status_code, error, duration_ms)"
               " VALUES (?,?,?,?,?)",
               "isIsi", job->id, nowiso, (int64_t)status_code, error, duration_ms) != 0 ||
        db_run(d, NULL, err,
               "UPDATE webhook_deliveries SET status = ?, attempts = ?, next_attempt_ms = ?,"
               " lease_until_ms = NULL, last_status = ?, last_error = ?, updated_at = ?,"
               " delivered_at = CASE WHEN ? = 1 THEN ? ELSE delivered_at END WHERE id = ?",
               "siiIssisi", status, (int64_t)attempts, next, (int64_t)status_code, error, nowiso,
               (int64_t)(error == NULL), nowiso, job->id) != 0 ||
        db_commit(d, err) != 0) {
        db_rollback(d);
        return -1;
    }
    return 0;
}

int webhook_release(db *d, int64_t id, tj_err *err)
{
    return db_run(d, NULL, err, "UPDATE webhook_deliveries SET lease_until_ms = NULL WHERE id = ?",
                  "i", id);
}

void webhook_job_free(webhook_job *job)
{
    if (job->secret) {
        crypto_wipe(job->secret, strlen(job->secret));
        free(job->secret);
    }
    free(job->payload);
    job->secret = job->payload = NULL;
}
