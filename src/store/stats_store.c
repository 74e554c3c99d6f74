#include "store/stats_store.h"
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
