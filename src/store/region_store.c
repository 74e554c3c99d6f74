#include "store/region_store.h"

#include <stdio.h>
#include <string.h>

int region_list(db *d, const char *parent_code, json_t **items, tj_err *err)
{
    db_stmt *s;
    if (db_query(d, &s, err,
                 "SELECT code, name, level, parent_code FROM regions"
                 " WHERE (? IS NULL AND parent_code IS NULL) OR parent_code = ? ORDER BY code",
                 "ss", parent_code, parent_code) != 0)
        return -1;
    return db_rows_json(s, items, err);
}

int region_level(db *d, const char *code, char level[16], bool *found, tj_err *err)
{
    db_stmt *s;
    if (db_query(d, &s, err, "SELECT level FROM regions WHERE code = ?", "s", code) != 0)
        return -1;
    int rc = db_step(s, err);
    *found = rc == 1;
    if (rc == 1)
        snprintf(level, 16, "%s", db_col_text(s, 0));
    db_done(s);
    return rc < 0 ? -1 : 0;
}

int region_insert(db *d, const char *code, const char *name, const char *level,
                  const char *parent_code, tj_err *err)
{
    if (db_run(d, NULL, err, "INSERT INTO regions(code, name, level, parent_code) VALUES (?,?,?,?)",
               "ssss", code, name, level, parent_code) != 0) {
        if (err && err->status == 409)
            err_set(err, 409, "conflict", "code", "行政区划代码 %s 已存在", code);
        return -1;
    }
    return 0;
}

int region_code_of_org(db *d, int64_t org_id, char out[16], tj_err *err)
{
    db_stmt *s;
    out[0] = 0;
    if (db_query(d, &s, err, "SELECT COALESCE(region_code, '') FROM orgs WHERE id = ?", "i",
                 org_id) != 0)
        return -1;
    int rc = db_step(s, err);
    if (rc == 1)
        snprintf(out, 16, "%s", db_col_text(s, 0));
    db_done(s);
    return rc < 0 ? -1 : 0;
}

/* Codes are digits, and ':' sorts right after '9', so [prefix, prefix":") holds
 * exactly the codes starting with prefix: an index range scan on the primary key. */
#define UNDER "r.code >= ? AND r.code < ? AND r.level IN ('village','community')"
#define COVERED                                                                                    \
    "EXISTS (SELECT 1 FROM orgs o WHERE o.kind = 'committee' AND o.dissolved_on IS NULL"           \
    " AND o.region_code = r.code)"

int region_coverage(db *d, const char *region_code, int64_t *total, int64_t *covered,
                    json_t **uncovered, tj_err *err)
{
    char hi[32];
    snprintf(hi, sizeof hi, "%s:", region_code);
    db_stmt *s;
    if (db_query(d, &s, err,
                 "SELECT COUNT(*), COALESCE(SUM(CASE WHEN " COVERED " THEN 1 ELSE 0 END), 0)"
                 " FROM regions r WHERE " UNDER,
                 "ss", region_code, hi) != 0)
        return -1;
    int rc = db_step(s, err);
    if (rc == 1) {
        *total = db_col_int(s, 0);
        *covered = db_col_int(s, 1);
    }
    db_done(s);
    if (rc < 0)
        return -1;
    if (!uncovered)
        return 0;
    if (db_query(d, &s, err,
                 "SELECT r.code AS region_code, r.name, t.name AS township FROM regions r"
                 " LEFT JOIN regions t ON t.code = r.parent_code WHERE " UNDER " AND NOT " COVERED
                 " ORDER BY r.code",
                 "ss", region_code, hi) != 0)
        return -1;
    json_t *arr = json_array();
    while ((rc = db_step(s, err)) == 1)
        json_array_append_new(arr, db_row_json(s));
    db_done(s);
    if (rc < 0) {
        json_decref(arr);
        return -1;
    }
    *uncovered = arr;
    return 0;
}
