#include "store/person_store.h"
#include "util/clock.h"

#include <stdio.h>
#include <string.h>

#define COLS                                                                                       \
    "p.id, p.name, p.sex, p.kind, p.employment, p.profession, p.background, p.specialties,"        \
    " p.phone, p.id_masked, p.grade, p.active, p.created_at, p.updated_at"

/* Visible: linked to an org whose path lies in [lo, hi) (parameters lo, hi). */
#define IN_SCOPE                                                                                   \
    "EXISTS (SELECT 1 FROM person_orgs po JOIN orgs o ON o.id = po.org_id"                         \
    " WHERE po.person_id = p.id AND o.path >= ? AND o.path < ?)"

/* The list filter; unset filters compare to NULL / 0 / -1 and drop out, so every
 * combination shares one statement (14 parameters, fmt FILTER_FMT). */
#define FILTER                                                                                     \
    IN_SCOPE " AND (? IS NULL OR p.kind = ?) AND (? IS NULL OR p.name LIKE ? ESCAPE '\\')"         \
             " AND (? IS NULL OR p.employment = ?) AND (? IS NULL OR p.specialties LIKE ?)"        \
             " AND (? = 0 OR p.grade = ?) AND (? < 0 OR p.active = ?)"
#define FILTER_FMT "ssssssssssiiii"

static json_t *text_or_null(db_stmt *s, int i)
{
    return db_col_null(s, i) ? json_null() : json_string(db_col_text(s, i));
}

/* ",a,b," → ["a","b"] */
static json_t *specialties_json(const char *stored)
{
    json_t *arr = json_array();
    const char *p = stored;
    while (*p) {
        const char *e = strchr(p, ',');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n)
            json_array_append_new(arr, json_stringn(p, n));
        p += n + (e ? 1 : 0);
    }
    return arr;
}

static json_t *person_json(db_stmt *s)
{
    return json_pack("{s:I,s:s,s:o,s:s,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:b,s:s,s:s,s:[]}", "id",
                     (json_int_t)db_col_int(s, 0), "name", db_col_text(s, 1), "sex",
                     text_or_null(s, 2), "kind", db_col_text(s, 3), "employment",
                     text_or_null(s, 4), "profession", text_or_null(s, 5), "background",
                     text_or_null(s, 6), "specialties", specialties_json(db_col_text(s, 7)),
                     "phone", text_or_null(s, 8), "id_number_masked", text_or_null(s, 9), "grade",
                     db_col_null(s, 10) ? json_null() : json_integer(db_col_int(s, 10)), "active",
                     db_col_int(s, 11) != 0, "created_at", db_col_text(s, 12), "updated_at",
                     db_col_text(s, 13), "orgs");
}

static json_t *link_json(db_stmt *s, int base)
{
    return json_pack("{s:I,s:s,s:o}", "id", (json_int_t)db_col_int(s, base), "name",
                     db_col_text(s, base + 1), "duty", text_or_null(s, base + 2));
}

/* LIKE pattern for a substring search with %, _ and \ taken literally. */
int person_list(db *d, const principal *who, const person_filter *f, json_t **items, int64_t *total,
                int64_t *next, tj_err *err)
{
    scope_range fr, own;
    if (scope_narrow(who, f->org_path, &fr, err) != 0)
        return -1;
    scope_range_of(who->org_path, &own);
    char like[320], spec[64];
    if (f->q)
        scope_like_pattern(f->q, like, sizeof like);
    if (f->specialty)
        snprintf(spec, sizeof spec, "%%,%s,%%", f->specialty);
    const char *lk = f->q ? like : NULL, *sp = f->specialty ? spec : NULL;
    int64_t active = f->active;
#define FILTER_ARGS                                                                                \
    fr.lo, fr.hi, f->kind, f->kind, lk, lk, f->employment, f->employment, sp, sp, f->grade,        \
        f->grade, active, active
    if (db_scalar_int(d, total, NULL, err, "SELECT COUNT(*) FROM persons p WHERE " FILTER,
                      FILTER_FMT, FILTER_ARGS) != 0)
        return -1;
    db_stmt *s;
    /* one row more than the page tells whether there is a next page */
    if (db_query(d, &s, err,
                 "SELECT " COLS " FROM persons p WHERE " FILTER " AND (? = 0 OR p.id < ?)"
                 " ORDER BY p.id DESC LIMIT ?",
                 FILTER_FMT "iii", FILTER_ARGS, f->before_id, f->before_id,
                 (int64_t)f->limit + 1) != 0)
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
        json_array_append_new(arr, person_json(s));
        n++;
    }
    db_done(s);
    if (rc < 0)
        goto fail;
    if (n == 0) {
        *items = arr;
        return 0;
    }
    /* The orgs of the whole page in one query: the same filter and keyset select the
     * page's ids, so no per-person round trip (N+1). */
    if (db_query(d, &s, err,
                 "SELECT po.person_id, o.id, o.name, po.duty FROM person_orgs po"
                 " JOIN orgs o ON o.id = po.org_id WHERE o.path >= ? AND o.path < ?"
                 " AND po.person_id IN (SELECT p.id FROM persons p WHERE " FILTER
                 " AND (? = 0 OR p.id < ?) ORDER BY p.id DESC LIMIT ?)"
                 " ORDER BY po.person_id, o.path",
                 "ss" FILTER_FMT "iii", own.lo, own.hi, FILTER_ARGS, f->before_id, f->before_id,
                 (int64_t)f->limit) != 0)
        goto fail;
#undef FILTER_ARGS
    while ((rc = db_step(s, err)) == 1) {
        int64_t pid = db_col_int(s, 0);
        for (size_t i = 0; i < json_array_size(arr); i++) {
            json_t *p = json_array_get(arr, i);
            if (json_integer_value(json_object_get(p, "id")) == pid) {
                json_array_append_new(json_object_get(p, "orgs"), link_json(s, 1));
                break;
            }
        }
    }
    db_done(s);
    if (rc < 0)
        goto fail;
    *items = arr;
    return 0;
fail:
    json_decref(arr);
    return -1;
}

int person_get_json(db *d, const principal *who, int64_t id, json_t **out, tj_err *err)
{
    scope_range own;
    scope_range_of(who->org_path, &own);
    db_stmt *s;
    if (db_query(d, &s, err, "SELECT " COLS " FROM persons p WHERE p.id = ? AND " IN_SCOPE, "iss",
                 id, own.lo, own.hi) != 0)
        return -1;
    int rc = db_step(s, err);
    json_t *p = rc == 1 ? person_json(s) : NULL;
    db_done(s);
    if (rc < 0)
        return -1;
    if (rc == 0)
        return err_set(err, 404, "not_found", NULL, "人员不存在");
    if (db_query(d, &s, err,
                 "SELECT o.id, o.name, po.duty FROM person_orgs po JOIN orgs o ON o.id = po.org_id"
                 " WHERE po.person_id = ? AND o.path >= ? AND o.path < ? ORDER BY o.path",
                 "iss", id, own.lo, own.hi) != 0)
        goto fail;
    while ((rc = db_step(s, err)) == 1)
        json_array_append_new(json_object_get(p, "orgs"), link_json(s, 0));
    db_done(s);
    if (rc < 0)
        goto fail;
    *out = p;
    return 0;
fail:
    json_decref(p);
    return -1;
}

static const char *col_dup(arena *a, db_stmt *s, int i)
{
    return db_col_null(s, i) ? NULL : arena_strdup(a, db_col_text(s, i));
}

int person_load(db *d, const principal *who, int64_t id, arena *a, person_rec *p, tj_err *err)
{
    scope_range own;
    scope_range_of(who->org_path, &own);
    db_stmt *s;
    memset(p, 0, sizeof *p);
    if (db_query(d, &s, err,
                 "SELECT name, sex, kind, employment, profession, background, specialties, phone,"
                 " id_cipher, id_masked, id_index, grade, active FROM persons p"
                 " WHERE p.id = ? AND " IN_SCOPE,
                 "iss", id, own.lo, own.hi) != 0)
        return -1;
    int rc = db_step(s, err);
    if (rc == 1) {
        const char **cols[] = {&p->name,       &p->sex,        &p->kind,        &p->employment,
                               &p->profession, &p->background, &p->specialties, &p->phone,
                               &p->id_cipher,  &p->id_masked,  &p->id_index};
        for (int i = 0; i < 11; i++)
            *cols[i] = col_dup(a, s, i);
        p->grade = db_col_null(s, 11) ? 0 : db_col_int(s, 11);
        p->active = db_col_int(s, 12) != 0;
    }
    db_done(s);
    if (rc < 0)
        return -1;
    if (rc == 0)
        return err_set(err, 404, "not_found", NULL, "人员不存在");
    return 0;
}

int person_index_taken(db *d, const char *id_index, int64_t except_id, bool *taken, tj_err *err)
{
    int64_t n = 0;
    if (db_scalar_int(d, &n, NULL, err,
                      "SELECT COUNT(*) FROM persons WHERE id_index = ? AND id <> ?", "si", id_index,
                      except_id) != 0)
        return -1;
    *taken = n > 0;
    return 0;
}

int person_has_link(db *d, int64_t person_id, int64_t org_id, bool *linked, tj_err *err)
{
    int64_t n = 0;
    if (db_scalar_int(d, &n, NULL, err,
                      "SELECT COUNT(*) FROM person_orgs WHERE person_id = ? AND org_id = ?", "ii",
                      person_id, org_id) != 0)
        return -1;
    *linked = n > 0;
    return 0;
}

static const char *nz(const char *s)
{
    return s && *s ? s : NULL;
}

int person_insert(db *d, const person_rec *p, int64_t *id, tj_err *err)
{
    char now[21];
    clock_iso(clock_unix(), now);
    return db_scalar_int(
        d, id, NULL, err,
        "INSERT INTO persons(name, sex, kind, employment, profession, background, specialties,"
        " phone, id_cipher, id_masked, id_index, grade, active, created_at, updated_at)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
        "sssssssssssIiss", p->name, nz(p->sex), p->kind, nz(p->employment), nz(p->profession),
        nz(p->background), p->specialties ? p->specialties : "", nz(p->phone), nz(p->id_cipher),
        nz(p->id_masked), nz(p->id_index), p->grade, (int64_t)p->active, now, now);
}

int person_update(db *d, int64_t id, const person_rec *p, tj_err *err)
{
    char now[21];
    clock_iso(clock_unix(), now);
    return db_run(d, NULL, err,
                  "UPDATE persons SET name = ?, sex = ?, kind = ?, employment = ?, profession = ?,"
                  " background = ?, specialties = ?, phone = ?, id_cipher = ?, id_masked = ?,"
                  " id_index = ?, grade = ?, active = ?, updated_at = ? WHERE id = ?",
                  "sssssssssssIisi", p->name, nz(p->sex), p->kind, nz(p->employment),
                  nz(p->profession), nz(p->background), p->specialties ? p->specialties : "",
                  nz(p->phone), nz(p->id_cipher), nz(p->id_masked), nz(p->id_index), p->grade,
                  (int64_t)p->active, now, id);
}

int person_set_links(db *d, const principal *who, int64_t id, const person_link *links, size_t n,
                     tj_err *err)
{
    scope_range own;
    scope_range_of(who->org_path, &own);
    if (db_run(d, NULL, err,
               "DELETE FROM person_orgs WHERE person_id = ? AND org_id IN"
               " (SELECT o.id FROM orgs o WHERE o.path >= ? AND o.path < ?)",
               "iss", id, own.lo, own.hi) != 0)
        return -1;
    for (size_t i = 0; i < n; i++)
        if (db_run(d, NULL, err, "INSERT INTO person_orgs(person_id, org_id, duty) VALUES (?,?,?)",
                   "iis", id, links[i].org_id, nz(links[i].duty)) != 0)
            return -1;
    return 0;
}

int person_id_cipher(db *d, const principal *who, int64_t id, arena *a, const char **sealed,
                     tj_err *err)
{
    scope_range own;
    scope_range_of(who->org_path, &own);
    db_stmt *s;
    *sealed = NULL;
    if (db_query(d, &s, err, "SELECT p.id_cipher FROM persons p WHERE p.id = ? AND " IN_SCOPE,
                 "iss", id, own.lo, own.hi) != 0)
        return -1;
    int rc = db_step(s, err);
    if (rc == 1)
        *sealed = col_dup(a, s, 0);
    db_done(s);
    if (rc < 0)
        return -1;
    if (rc == 0)
        return err_set(err, 404, "not_found", NULL, "人员不存在");
    return 0;
}
