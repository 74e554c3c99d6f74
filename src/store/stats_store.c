#include "store/stats_store.h"
#include "core/dict.h"
#include "store/org_store.h"
#include "store/region_store.h"

#include <stdio.h>

/* Run a "SELECT key, COUNT(*) … GROUP BY key" with the subtree bounds as its two
 * parameters and add the counts to obj. A NULL key counts as "unspecified". */
static int counts(db *d, const char *sql, const char *lo, const char *hi, json_t *obj, tj_err *err)
{
    db_stmt *s;
    if (db_query(d, &s, err, sql, "ss", lo, hi) != 0)
        return -1;
    int rc;
    while ((rc = db_step(s, err)) == 1)
        json_object_set_new(obj, db_col_null(s, 0) ? "unspecified" : db_col_text(s, 0),
                            json_integer(db_col_int(s, 1)));
    db_done(s);
    return rc < 0 ? -1 : 0;
}

/* active people with a link into [lo, hi) */
#define PEOPLE_IN                                                                                  \
    " FROM persons p WHERE p.active = 1 AND EXISTS (SELECT 1 FROM person_orgs po"                  \
    " JOIN orgs o ON o.id = po.org_id WHERE po.person_id = p.id AND o.path >= ? AND o.path < ?)"

int stats_overview(db *d, const principal *who, json_t **out, tj_err *err)
{
    char hi[256], code[16];
    scope_upper(who->org_path, hi, sizeof hi);
    const char *lo = who->org_path;
    json_t *orgs = json_object(), *people = json_object();
    json_t *emp = json_pack("{s:i,s:i}", "full_time", 0, "part_time", 0);
    int64_t users = 0, total = 0, covered = 0;
    if (counts(d,
               "SELECT kind, COUNT(*) FROM orgs WHERE path >= ? AND path < ?"
               " AND dissolved_on IS NULL GROUP BY kind ORDER BY kind",
               lo, hi, orgs, err) != 0 ||
        counts(d, "SELECT p.kind, COUNT(*)" PEOPLE_IN " GROUP BY p.kind ORDER BY p.kind", lo, hi,
               people, err) != 0 ||
        counts(d,
               "SELECT p.employment, COUNT(*)" PEOPLE_IN
               " AND p.kind = 'mediator' GROUP BY p.employment ORDER BY p.employment",
               lo, hi, emp, err) != 0 ||
        db_scalar_int(d, &users, NULL, err,
                      "SELECT COUNT(*) FROM users u JOIN orgs o ON o.id = u.org_id"
                      " WHERE o.path >= ? AND o.path < ? AND u.disabled = 0",
                      "ss", lo, hi) != 0 ||
        region_code_of_org(d, who->org_id, code, err) != 0 ||
        (code[0] && region_coverage(d, code, &total, &covered, NULL, err) != 0)) {
        json_decref(orgs);
        json_decref(people);
        json_decref(emp);
        return -1;
    }
    *out = json_pack("{s:{s:I,s:s},s:o,s:o,s:o,s:I,s:{s:I,s:I,s:o}}", "org", "id",
                     (json_int_t)who->org_id, "name", who->org_name, "orgs_by_kind", orgs,
                     "people_by_kind", people, "mediators_by_employment", emp, "users",
                     (json_int_t)users, "coverage", "total", (json_int_t)total, "covered",
                     (json_int_t)covered, "rate",
                     total ? json_real((double)covered / (double)total) : json_null());
    return 0;
}

static json_t *tally_array(json_t *tally, const char *dict_name)
{
    json_t *arr = json_array();
    const char *k;
    json_t *v;
    json_object_foreach(tally, k, v)
    {
        json_array_append_new(arr, json_pack("{s:s,s:s,s:O}", "key", k, "label",
                                             dict_label(dict_name, k), "count", v));
    }
    return arr;
}

int stats_cases(db *d, const principal *who, int64_t org_id, const char *from, const char *to,
                json_t **out, tj_err *err)
{
    org_row org;
    bool found = false;
    if (org_get_row(d, org_id ? org_id : who->org_id, &org, &found, err) != 0)
        return -1;
    if (!found)
        return err_set(err, 400, "validation_failed", "org_id", "机构不存在");
    scope_range r;
    if (scope_narrow(who, org.path, &r, err) != 0)
        return -1;
    if (strcmp(r.lo, org.path) != 0 &&
        org_get_row(d, who->org_id, &org, &found, err) != 0) /* an ancestor: who's own */
        return -1;
    db_stmt *s;
    int rc;
    if (perm_partner_side(who->role))
        rc = db_query(d, &s, err,
                      "SELECT dispute_type, status, COUNT(*) FROM cases WHERE referrer_org_id = ?"
                      " AND registered_on >= ? AND registered_on <= ? GROUP BY 1, 2",
                      "iss", who->org_id, from, to);
    else
        rc = db_query(d, &s, err,
                      "SELECT c.dispute_type, c.status, COUNT(*) FROM orgs o CROSS JOIN cases c"
                      " INDEXED BY cases_org_day ON c.org_id = o.id AND c.registered_on >= ? AND"
                      " c.registered_on <= ? WHERE o.path >= ? AND o.path < ? GROUP BY 1, 2",
                      "ssss", from, to, r.lo, r.hi);
    if (rc != 0)
        return -1;
    json_t *types = json_object(), *statuses = json_object(), *cells = json_array();
    int64_t total = 0;
    while ((rc = db_step(s, err)) == 1) {
        const char *t = db_col_text(s, 0), *st = db_col_text(s, 1);
        int64_t n = db_col_int(s, 2);
        total += n;
        json_t *a = json_object_get(types, t), *b = json_object_get(statuses, st);
        json_object_set_new(types, t, json_integer((a ? json_integer_value(a) : 0) + n));
        json_object_set_new(statuses, st, json_integer((b ? json_integer_value(b) : 0) + n));
        json_array_append_new(cells, json_pack("{s:s,s:s,s:I}", "dispute_type", t, "status", st,
                                               "count", (json_int_t)n));
    }
    db_done(s);
    if (rc < 0) {
        json_decref(types);
        json_decref(statuses);
        json_decref(cells);
        return -1;
    }
    *out = json_pack("{s:{s:I,s:s},s:s,s:s,s:I,s:o,s:o,s:o}", "org", "id", (json_int_t)org.id,
                     "name", org.name, "from", from, "to", to, "total", (json_int_t)total,
                     "by_type", tally_array(types, "dispute_type"), "by_status",
                     tally_array(statuses, "case_status"), "cells", cells);
    json_decref(types);
    json_decref(statuses);
    return 0;
}
