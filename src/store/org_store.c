#include "store/org_store.h"
#include "util/clock.h"

#include <stdio.h>
#include <string.h>

#define COLS                                                                                       \
    "o.id, o.parent_id, o.name, o.kind, o.level, o.region_code, o.field, o.host,"                  \
    " o.partner_type, o.address, o.phone, o.founded_on, o.dissolved_on, o.path,"                   \
    " o.created_at, o.updated_at"

/* Visibility predicate shared by list and get (parameters: lo, hi, caller path,
 * partner parent lo, partner parent hi). For non-partners the last two are "" so the
 * third branch never matches. */
#define VISIBLE                                                                                    \
    "((o.path >= ? AND o.path < ?) OR substr(?, 1, length(o.path)) = o.path"                       \
    " OR (o.kind IN ('committee','dispatched_room') AND o.path >= ? AND o.path < ?))"

struct vis {
    char lo[256], hi[256], plo[256], phi[256];
};

static void vis_init(const principal *who, struct vis *v)
{
    snprintf(v->lo, sizeof v->lo, "%s", who->org_path);
    scope_upper(who->org_path, v->hi, sizeof v->hi);
    v->plo[0] = v->phi[0] = 0;
    if (perm_partner_side(who->role)) {
        /* parent path: drop the last component of "/1/3/40/" → "/1/3/" */
        snprintf(v->plo, sizeof v->plo, "%s", who->org_path);
        size_t n = strlen(v->plo);
        if (n > 1) {
            v->plo[n - 1] = 0;
            char *slash = strrchr(v->plo, '/');
            if (slash)
                slash[1] = 0;
        }
        scope_upper(v->plo, v->phi, sizeof v->phi);
    }
}

int org_list(db *d, const principal *who, const char *q, const char *kind, bool include_dissolved,
             json_t **items, tj_err *err)
{
    struct vis v;
    vis_init(who, &v);
    char like[300];
    snprintf(like, sizeof like, "%%%s%%", q ? q : "");
    db_stmt *s;
    if (db_query(d, &s, err,
                 "SELECT " COLS " FROM orgs o WHERE " VISIBLE
                 " AND (? IS NULL OR o.name LIKE ?) AND (? IS NULL OR o.kind = ?)"
                 " AND (? = 1 OR o.dissolved_on IS NULL) ORDER BY o.path",
                 "sssssssssi", v.lo, v.hi, who->org_path, v.plo, v.phi, q, like, kind, kind,
                 (int64_t)include_dissolved) != 0)
        return -1;
    return db_rows_json(s, items, err);
}

int org_get_json(db *d, const principal *who, int64_t id, json_t **out, tj_err *err)
{
    struct vis v;
    vis_init(who, &v);
    db_stmt *s;
    if (db_query(d, &s, err,
                 "SELECT " COLS ", p.name AS parent_name,"
                 " (SELECT COUNT(*) FROM orgs c WHERE c.parent_id = o.id) AS children_count,"
                 " (SELECT COUNT(*) FROM person_orgs po WHERE po.org_id = o.id) AS people_count,"
                 " (SELECT COUNT(*) FROM users u WHERE u.org_id = o.id) AS user_count"
                 " FROM orgs o LEFT JOIN orgs p ON p.id = o.parent_id WHERE o.id = ? AND " VISIBLE,
                 "isssss", id, v.lo, v.hi, who->org_path, v.plo, v.phi) != 0)
        return -1;
    int rc = db_step(s, err);
    if (rc == 1) {
        *out = db_row_json(s);
        bool w = scope_contains(who, db_col_text(s, 13));
        json_object_set_new(*out, "writable", json_boolean(w));
    }
    db_done(s);
    if (rc < 0)
        return -1;
    if (rc == 0)
        return err_set(err, 404, "not_found", NULL, "机构不存在");
    return 0;
}

int org_get_row(db *d, int64_t id, org_row *o, bool *found, tj_err *err)
{
    db_stmt *s;
    memset(o, 0, sizeof *o);
    if (db_query(d, &s, err,
                 "SELECT id, COALESCE(parent_id, 0), path, kind, level, name,"
                 " dissolved_on IS NOT NULL FROM orgs WHERE id = ?",
                 "i", id) != 0)
        return -1;
    int rc = db_step(s, err);
    *found = rc == 1;
    if (rc == 1) {
        o->id = db_col_int(s, 0);
        o->parent_id = db_col_int(s, 1);
        snprintf(o->path, sizeof o->path, "%s", db_col_text(s, 2));
        snprintf(o->kind, sizeof o->kind, "%s", db_col_text(s, 3));
        snprintf(o->level, sizeof o->level, "%s", db_col_text(s, 4));
        snprintf(o->name, sizeof o->name, "%s", db_col_text(s, 5));
        o->dissolved = db_col_int(s, 6) != 0;
    }
    db_done(s);
    return rc < 0 ? -1 : 0;
}

int org_get_writable(db *d, const principal *who, int64_t id, org_row *o, tj_err *err)
{
    bool found;
    if (org_get_row(d, id, o, &found, err) != 0)
        return -1;
    if (!found || !scope_contains(who, o->path))
        return err_set(err, 404, "not_found", NULL, "机构不存在");
    return 0;
}

static const char *nz(const char *s)
{
    return s && *s ? s : NULL;
}

int org_insert(db *d, const org_row *parent, const org_fields *f, int64_t *id, tj_err *err)
{
    char now[21], tmp[64];
    clock_iso(clock_unix(), now);
    /* the path needs the id: insert with a unique placeholder, then set it */
    snprintf(tmp, sizeof tmp, "~new~%lld", (long long)clock_mono_ns());
    if (db_scalar_int(d, id, NULL, err,
                      "INSERT INTO orgs(parent_id, path, name, kind, level, region_code, field,"
                      " host, partner_type, address, phone, founded_on, created_at, updated_at)"
                      " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
                      "Isssssssssssss", parent ? parent->id : (int64_t)0, tmp, f->name, f->kind,
                      f->level, nz(f->region_code), nz(f->field), nz(f->host), nz(f->partner_type),
                      nz(f->address), nz(f->phone), nz(f->founded_on), now, now) != 0)
        return -1;
    char path[256];
    snprintf(path, sizeof path, "%s%lld/", parent ? parent->path : "/", (long long)*id);
    return db_run(d, NULL, err, "UPDATE orgs SET path = ? WHERE id = ?", "si", path, *id);
}

int org_update(db *d, int64_t id, const org_fields *f, tj_err *err)
{
    char now[21];
    clock_iso(clock_unix(), now);
    /* COALESCE keeps a column when its field was not sent (NULL); NULLIF turns an
     * empty string into a cleared value. */
    return db_run(d, NULL, err,
                  "UPDATE orgs SET name = COALESCE(?, name), level = COALESCE(?, level),"
                  " region_code = CASE WHEN ? IS NULL THEN region_code ELSE NULLIF(?, '') END,"
                  " field = CASE WHEN ? IS NULL THEN field ELSE NULLIF(?, '') END,"
                  " host = CASE WHEN ? IS NULL THEN host ELSE NULLIF(?, '') END,"
                  " partner_type = CASE WHEN ? IS NULL THEN partner_type ELSE NULLIF(?, '') END,"
                  " address = CASE WHEN ? IS NULL THEN address ELSE NULLIF(?, '') END,"
                  " phone = CASE WHEN ? IS NULL THEN phone ELSE NULLIF(?, '') END,"
                  " founded_on = CASE WHEN ? IS NULL THEN founded_on ELSE NULLIF(?, '') END,"
                  " updated_at = ? WHERE id = ?",
                  "sssssssssssssssssi", f->name, f->level, f->region_code, f->region_code, f->field,
                  f->field, f->host, f->host, f->partner_type, f->partner_type, f->address,
                  f->address, f->phone, f->phone, f->founded_on, f->founded_on, now, id);
}

int org_move(db *d, const org_row *org, const org_row *np, tj_err *err)
{
    if (strncmp(np->path, org->path, strlen(org->path)) == 0)
        return err_set(err, 409, "conflict", "parent_id", "不能移动到本机构或其下级机构之下");
    char newpath[256], hi[256], now[21];
    snprintf(newpath, sizeof newpath, "%s%lld/", np->path, (long long)org->id);
    scope_upper(org->path, hi, sizeof hi);
    clock_iso(clock_unix(), now);
    if (db_run(d, NULL, err, "UPDATE orgs SET parent_id = ?, updated_at = ? WHERE id = ?", "isi",
               np->id, now, org->id) != 0)
        return -1;
    return db_run(d, NULL, err,
                  "UPDATE orgs SET path = ? || substr(path, ?) WHERE path >= ? AND path < ?",
                  "siss", newpath, (int64_t)strlen(org->path) + 1, org->path, hi);
}

int org_dissolve(db *d, const org_row *org, const char *date, tj_err *err)
{
    int64_t open_children = 0;
    if (db_scalar_int(d, &open_children, NULL, err,
                      "SELECT COUNT(*) FROM orgs WHERE parent_id = ? AND dissolved_on IS NULL", "i",
                      org->id) != 0)
        return -1;
    if (open_children)
        return err_set(err, 409, "conflict", NULL,
                       "该机构还有 %lld 个未撤销的下级机构，请先撤销或移走下级机构",
                       (long long)open_children);
    if (org->dissolved)
        return err_set(err, 409, "conflict", NULL, "该机构已撤销");
    char now[21];
    clock_iso(clock_unix(), now);
    return db_run(d, NULL, err, "UPDATE orgs SET dissolved_on = ?, updated_at = ? WHERE id = ?",
                  "ssi", date, now, org->id);
}
