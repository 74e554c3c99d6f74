#include "store/account_store.h"
#include "store/org_store.h"
#include "util/clock.h"

#include <stdio.h>
#include <string.h>

#define USER_COLS                                                                                  \
    "u.id, u.login, u.name, u.role, u.org_id, o.name AS org_name, u.phone, u.disabled,"            \
    " u.last_login_at, u.created_at"

/* 9 parameters: lo, hi, role, role, q, like, like, disabled, disabled */
#define USER_FILTER                                                                                \
    "o.path >= ? AND o.path < ? AND (? IS NULL OR u.role = ?)"                                     \
    " AND (? IS NULL OR u.login LIKE ? ESCAPE '\\' OR u.name LIKE ? ESCAPE '\\')"                  \
    " AND (? < 0 OR u.disabled = ?)"
#define USER_FILTER_FMT "sssssssii"

static json_t *user_json(db_stmt *s)
{
    json_t *u = db_row_json(s);
    json_object_set_new(u, "disabled", json_boolean(db_col_int(s, 7) != 0));
    return u;
}

int account_list(db *d, const principal *who, const account_filter *f, json_t **items,
                 int64_t *total, int64_t *next, tj_err *err)
{
    scope_range r;
    if (scope_narrow(who, f->org_path, &r, err) != 0)
        return -1;
    char like[320];
    if (f->q)
        scope_like_pattern(f->q, like, sizeof like);
    const char *lk = f->q ? like : NULL;
    int64_t dis = f->disabled;
    if (db_scalar_int(d, total, NULL, err,
                      "SELECT COUNT(*) FROM users u JOIN orgs o ON o.id = u.org_id"
                      " WHERE " USER_FILTER,
                      USER_FILTER_FMT, r.lo, r.hi, f->role, f->role, lk, lk, lk, dis, dis) != 0)
        return -1;
    db_stmt *s;
    if (db_query(d, &s, err,
                 "SELECT " USER_COLS " FROM users u JOIN orgs o ON o.id = u.org_id"
                 " WHERE " USER_FILTER " AND (? = 0 OR u.id < ?) ORDER BY u.id DESC LIMIT ?",
                 USER_FILTER_FMT "iii", r.lo, r.hi, f->role, f->role, lk, lk, lk, dis, dis,
                 f->before_id, f->before_id, (int64_t)f->limit + 1) != 0)
        return -1;
    json_t *arr = json_array();
    int rc, n = 0;
    *next = 0;
    while ((rc = db_step(s, err)) == 1) {
        if (n == f->limit) {
            *next = json_integer_value(
                json_object_get(json_array_get(arr, json_array_size(arr) - 1), "id"));
            break;
        }
        json_array_append_new(arr, user_json(s));
        n++;
    }
    db_done(s);
    if (rc < 0) {
        json_decref(arr);
        return -1;
    }
    *items = arr;
    return 0;
}

int account_get_json(db *d, const principal *who, int64_t id, json_t **out, tj_err *err)
{
    scope_range r;
    scope_range_of(who->org_path, &r);
    db_stmt *s;
    if (db_query(d, &s, err,
                 "SELECT " USER_COLS " FROM users u JOIN orgs o ON o.id = u.org_id"
                 " WHERE u.id = ? AND o.path >= ? AND o.path < ?",
                 "iss", id, r.lo, r.hi) != 0)
        return -1;
    int rc = db_step(s, err);
    if (rc == 1)
        *out = user_json(s);
    db_done(s);
    if (rc < 0)
        return -1;
    if (rc == 0)
        return err_set(err, 404, "not_found", NULL, "账号不存在");
    return 0;
}

int account_get_writable(db *d, const principal *who, int64_t id, account_row *out, tj_err *err)
{
    scope_range r;
    scope_range_of(who->org_path, &r);
    db_stmt *s;
    memset(out, 0, sizeof *out);
    if (db_query(d, &s, err,
                 "SELECT u.id, u.org_id, u.login, u.role, u.disabled FROM users u"
                 " JOIN orgs o ON o.id = u.org_id WHERE u.id = ? AND o.path >= ? AND o.path < ?",
                 "iss", id, r.lo, r.hi) != 0)
        return -1;
    int rc = db_step(s, err);
    if (rc == 1) {
        out->id = db_col_int(s, 0);
        out->org_id = db_col_int(s, 1);
        snprintf(out->login, sizeof out->login, "%s", db_col_text(s, 2));
        snprintf(out->role, sizeof out->role, "%s", db_col_text(s, 3));
        out->disabled = db_col_int(s, 4) != 0;
    }
    db_done(s);
    if (rc < 0)
        return -1;
    if (rc == 0)
        return err_set(err, 404, "not_found", NULL, "账号不存在");
    return 0;
}

int account_update(db *d, int64_t id, const char *name, const char *role, int64_t org_id,
                   const char *phone, tj_err *err)
{
    char now[21];
    clock_iso(clock_unix(), now);
    /* COALESCE keeps a column whose field was not sent (NULL); NULLIF clears on "" */
    return db_run(d, NULL, err,
                  "UPDATE users SET name = COALESCE(?, name), role = COALESCE(?, role),"
                  " org_id = COALESCE(?, org_id),"
                  " phone = CASE WHEN ? IS NULL THEN phone ELSE NULLIF(?, '') END,"
                  " updated_at = ? WHERE id = ?",
                  "ssIsssi", name, role, org_id, phone, phone, now, id);
}

int account_check_placement(db *d, const principal *who, int64_t org_id, const char *role,
                            bool allow_dissolved, tj_err *err)
{
    org_row o;
    bool found;
    if (org_get_row(d, org_id, &o, &found, err) != 0)
        return -1;
    if (!found || !scope_contains(who, o.path))
        return err_set(err, 400, "validation_failed", "org_id", "机构不存在或不在您的管辖范围内");
    if (o.dissolved && !allow_dissolved)
        return err_set(err, 400, "validation_failed", "org_id", "「%s」已撤销", o.name);
    bool partner_role = strcmp(role, "partner") == 0 || strcmp(role, "partner_lead") == 0;
    bool partner_org = strcmp(o.kind, "partner") == 0;
    if (partner_role && !partner_org)
        return err_set(err, 400, "validation_failed", "role",
                       "「对接单位」「对接单位负责人」角色只能用于对接单位的账号");
    if (!partner_role && partner_org)
        return err_set(err, 400, "validation_failed", "role",
                       "对接单位的账号只能使用「对接单位」或「对接单位负责人」角色");
    return 0;
}

int account_token_list(db *d, const principal *who, json_t **items, tj_err *err)
{
    scope_range r;
    scope_range_of(who->org_path, &r);
    db_stmt *s;
    if (db_query(d, &s, err,
                 "SELECT t.id, t.name, t.org_id, o.name AS org_name, t.role, t.created_at,"
                 " t.last_used_at, t.revoked_at FROM api_tokens t JOIN orgs o ON o.id = t.org_id"
                 " WHERE o.path >= ? AND o.path < ? ORDER BY t.id DESC",
                 "ss", r.lo, r.hi) != 0)
        return -1;
    return db_rows_json(s, items, err);
}

int account_token_insert(db *d, const char *name, int64_t org_id, const char *role,
                         const char *token_hash, int64_t created_by, int64_t *id, tj_err *err)
{
    char now[21];
    clock_iso(clock_unix(), now);
    return db_scalar_int(d, id, NULL, err,
                         "INSERT INTO api_tokens(name, token_hash, org_id, role, created_by,"
                         " created_at) VALUES (?,?,?,?,?,?) RETURNING id",
                         "ssisIs", name, token_hash, org_id, role, created_by, now);
}

int account_token_revoke(db *d, const principal *who, int64_t id, tj_err *err)
{
    scope_range r;
    scope_range_of(who->org_path, &r);
    db_stmt *s;
    if (db_query(d, &s, err,
                 "SELECT t.revoked_at FROM api_tokens t JOIN orgs o ON o.id = t.org_id"
                 " WHERE t.id = ? AND o.path >= ? AND o.path < ?",
                 "iss", id, r.lo, r.hi) != 0)
        return -1;
    int rc = db_step(s, err);
    char revoked[32] = "";
    if (rc == 1)
        snprintf(revoked, sizeof revoked, "%s", db_col_text(s, 0));
    db_done(s);
    if (rc < 0)
        return -1;
    if (rc == 0)
        return err_set(err, 404, "not_found", NULL, "令牌不存在");
    if (revoked[0])
        return err_set(err, 409, "conflict", NULL, "该令牌已于 %s 吊销", revoked);
    char now[21];
    clock_iso(clock_unix(), now);
    return db_run(d, NULL, err, "UPDATE api_tokens SET revoked_at = ? WHERE id = ?", "si", now, id);
}
