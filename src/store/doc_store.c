#include "store/doc_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/dict.h"
#include "store/org_store.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/xmalloc.h"

#define COPY(dst, src) snprintf((dst), sizeof(dst), "%s", (src))

/* ---- facts ---- */

static int counts_by_kind(db *d, const char *sql, int64_t case_id,
                          void (*put)(void *, const char *, int), void *ctx, tj_err *err)
{
    db_stmt *s;
    if (db_query(d, &s, err, sql, "i", case_id) != 0)
        return -1;
    int rc;
    while ((rc = db_step(s, err)) == 1)
        put(ctx, db_col_text(s, 0), (int)db_col_int(s, 1));
    db_done(s);
    return rc < 0 ? -1 : 0;
}

static void put_doc(void *ctx, const char *kind, int n)
{
    cf_doc k;
    if (cf_doc_parse(kind, &k) == 0)
        ((cf_facts *)ctx)->docs[k] = n;
}

static void put_att(void *ctx, const char *kind, int n)
{
    cf_att k;
    if (cf_att_parse(kind, &k) == 0)
        ((cf_facts *)ctx)->attachments[k] = n;
}

static void put_record(void *ctx, const char *kind, int n)
{
    cf_facts *f = ctx;
    if (strcmp(kind, "investigation") == 0)
        f->investigations = n;
    else
        f->sessions += n;
}

/* The latest referral of the case with the partner's and target's names, or NULL when
 * there is none (or no referrals table in this schema). */
static json_t *referral_of(db *d, int64_t case_id)
{
    db_stmt *s;
    tj_err ignore;
    if (db_query(
            d, &s, &ignore,
            "SELECT r.*, p.name AS partner_org_name, t.name AS target_org_name FROM referrals r"
            " JOIN orgs p ON p.id = r.partner_org_id JOIN orgs t ON t.id = r.target_org_id"
            " WHERE r.case_id = ? ORDER BY r.id DESC LIMIT 1",
            "i", case_id) != 0)
        return NULL;
    json_t *o = db_step(s, &ignore) == 1 ? db_row_json(s) : NULL;
    db_done(s);
    /* the dispute as the partner wrote it is stored as JSON: {facts, claims, parties …} */
    json_t *dj = json_object_get(o, "dispute");
    if (json_is_string(dj)) {
        json_t *parsed = json_loads(json_string_value(dj), 0, NULL);
        if (json_is_object(parsed))
            json_object_set_new(o, "dispute", parsed);
        else
            json_decref(parsed);
    }
    return o;
}

int doc_facts(db *d, const case_row *c, cf_facts *f, tj_err *err)
{
    memset(f, 0, sizeof *f);
    f->accepted = c->accepted_on[0] != 0;
    db_stmt *s;
    if (db_query(d, &s, err,
                 "SELECT form, has_payment, COALESCE(performance, ''),"
                 " confirmation_applied_on IS NOT NULL FROM case_agreements WHERE case_id = ?",
                 "i", c->id) != 0)
        return -1;
    int rc = db_step(s, err);
    if (rc == 1) {
        f->agreed = true;
        f->written = strcmp(db_col_text(s, 0), "written") == 0;
        f->has_payment = db_col_int(s, 1) != 0;
        const char *p = db_col_text(s, 2);
        f->performed = strcmp(p, "performed") == 0 || strcmp(p, "partly_performed") == 0;
        f->confirmation_applied = db_col_int(s, 3) != 0;
    }
    db_done(s);
    if (rc < 0)
        return -1;
    int64_t n;
    if (db_scalar_int(d, &n, NULL, err, "SELECT COUNT(*) FROM case_terminations WHERE case_id = ?",
                      "i", c->id) != 0)
        return -1;
    f->terminated = n > 0;
    if (db_scalar_int(
            d, &n, NULL, err,
            "SELECT COUNT(*) FROM case_parties WHERE case_id = ? AND agent_name IS NOT NULL"
            " AND agent_name <> ''",
            "i", c->id) != 0)
        return -1;
    f->has_agent = n > 0;
    if (db_scalar_int(d, &n, NULL, err, "SELECT COUNT(*) FROM case_follow_ups WHERE case_id = ?",
                      "i", c->id) != 0)
        return -1;
    f->follow_ups = (int)n;
    if (counts_by_kind(d, "SELECT kind, COUNT(*) FROM case_records WHERE case_id = ? GROUP BY kind",
                       c->id, put_record, f, err) != 0 ||
        counts_by_kind(d,
                       "SELECT kind, COUNT(*) FROM case_documents WHERE case_id = ? GROUP BY kind",
                       c->id, put_doc, f, err) != 0 ||
        counts_by_kind(
            d, "SELECT kind, COUNT(*) FROM case_attachments WHERE case_id = ? GROUP BY kind", c->id,
            put_att, f, err) != 0)
        return -1;
    json_t *r = referral_of(d, c->id);
    f->has_referral = r != NULL;
    json_decref(r);
    return 0;
}

/* ---- document data ---- */

int doc_data(db *d, const principal *who, const case_row *c, tj_date today, const char *note,
             json_t **out, tj_err *err)
{
    json_t *cj;
    if (case_detail(d, who, c->id, today, &cj, err) != 0)
        return -1;
    char t[DATE_STR_SIZE];
    date_format(today, t);
    json_t *o = json_pack("{s:s,s:s,s:s,s:o}", "doc_no", c->case_no, "today", t, "user_name",
                          who->name, "case", cj);
    if (note && *note)
        json_object_set_new(o, "note", json_string(note));
    db_stmt *s;
    if (db_query(
            d, &s, err,
            "SELECT o.name, o.address, o.phone, p.name AS parent_name FROM orgs o LEFT JOIN orgs p"
            " ON p.id = o.parent_id WHERE o.id = ?",
            "i", c->org_id) != 0)
        goto fail;
    if (db_step(s, err) == 1)
        json_object_set_new(o, "org", db_row_json(s));
    db_done(s);
    json_t *r = referral_of(d, c->id);
    json_object_set_new(o, "referral", r ? r : json_null());
    *out = o;
    return 0;
fail:
    json_decref(o);
    return -1;
}

/* ---- versions ---- */

#define DOC_COLS                                                                                   \
    "d.id, d.case_id, d.kind, d.version, d.file_id, f.sha256, f.size, d.pages, d.doc_no, d.note,"  \
    " d.created_at, d.created_by_name"

static json_t *doc_json(db_stmt *s)
{
    json_t *o = db_row_json(s);
    cf_doc k;
    if (cf_doc_parse(json_string_value(json_object_get(o, "kind")), &k) == 0)
        json_object_set_new(o, "label", json_string(cf_doc_label(k)));
    return o;
}

int doc_put(db *d, const principal *who, const case_row *c, cf_doc kind, const void *pdf, size_t n,
            int pages, const char *doc_no, const char *note, json_t **out, tj_err *err)
{
    char name[400];
    snprintf(name, sizeof name, "%s-%s.pdf", cf_doc_label(kind), c->case_no);
    file_row f;
    if (file_store_put(d, who->user_id, pdf, n, name, &f, err) != 0)
        return -1;
    int64_t version, id;
    if (db_scalar_int(d, &version, NULL, err,
                      "SELECT COALESCE(MAX(version), 0) + 1 FROM case_documents WHERE case_id = ?"
                      " AND kind = ?",
                      "is", c->id, cf_doc_name(kind)) != 0)
        return -1;
    char now[21];
    clock_iso(clock_unix(), now);
    if (db_scalar_int(
            d, &id, NULL, err,
            "INSERT INTO case_documents(case_id, kind, version, file_id, pages, doc_no, note,"
            " created_by, created_by_name, created_at) VALUES (?,?,?,?,?,?,?,?,?,?)"
            " RETURNING id",
            "isiiissIss", c->id, cf_doc_name(kind), version, f.id, (int64_t)pages,
            doc_no ? doc_no : c->case_no, note && *note ? note : NULL, who->user_id, who->name,
            now) != 0)
        return -1;
    if (out)
        *out = json_pack("{s:I,s:I,s:s,s:s,s:I,s:I,s:s,s:I,s:i,s:s,s:o,s:s,s:s}", "id",
                         (json_int_t)id, "case_id", (json_int_t)c->id, "kind", cf_doc_name(kind),
                         "label", cf_doc_label(kind), "version", (json_int_t)version, "file_id",
                         (json_int_t)f.id, "sha256", f.sha256, "size", (json_int_t)f.size, "pages",
                         pages, "doc_no", doc_no ? doc_no : c->case_no, "note",
                         note && *note ? json_string(note) : json_null(), "created_at", now,
                         "created_by_name", who->name);
    return 0;
}

int doc_list(db *d, const case_row *c, json_t **out, tj_err *err)
{
    cf_facts f;
    if (doc_facts(d, c, &f, err) != 0)
        return -1;
    db_stmt *s;
    if (db_query(d, &s, err,
                 "SELECT " DOC_COLS " FROM case_documents d JOIN files f ON f.id = d.file_id"
                 " WHERE d.case_id = ? ORDER BY d.kind, d.version DESC",
                 "i", c->id) != 0)
        return -1;
    json_t *versions[CF_DOC__COUNT];
    for (int k = 0; k < CF_DOC__COUNT; k++)
        versions[k] = json_array();
    int rc;
    while ((rc = db_step(s, err)) == 1) {
        cf_doc k;
        if (cf_doc_parse(db_col_text(s, 2), &k) == 0)
            json_array_append_new(versions[k], doc_json(s));
    }
    db_done(s);
    json_t *items = json_array();
    for (int k = 0; k < CF_DOC__COUNT; k++) {
        const char *why;
        bool ok = cf_doc_available(&f, (cf_doc)k, &why);
        json_array_append_new(items,
                              json_pack("{s:s,s:s,s:b,s:s?,s:o}", "kind", cf_doc_name((cf_doc)k),
                                        "label", cf_doc_label((cf_doc)k), "available", ok, "reason",
                                        why, "versions", versions[k]));
    }
    if (rc < 0) {
        json_decref(items);
        return -1;
    }
    *out = json_pack("{s:o}", "items", items);
    return 0;
}

int doc_get(db *d, const principal *who, int64_t id, json_t **meta, file_row *f, tj_err *err)
{
    db_stmt *s;
    if (db_query(d, &s, err,
                 "SELECT " DOC_COLS " FROM case_documents d JOIN files f ON f.id = d.file_id"
                 " WHERE d.id = ?",
                 "i", id) != 0)
        return -1;
    int rc = db_step(s, err);
    json_t *o = rc == 1 ? doc_json(s) : NULL;
    int64_t case_id = rc == 1 ? db_col_int(s, 1) : 0, file_id = rc == 1 ? db_col_int(s, 4) : 0;
    db_done(s);
    if (rc < 0)
        return -1;
    case_row c;
    tj_err e2;
    if (rc == 0 || case_get(d, who, case_id, &c, &e2) != 0) {
        json_decref(o);
        return err_set(err, 404, "not_found", NULL, "文书不存在");
    }
    bool found = false;
    if (f && file_store_get(d, file_id, f, &found, err) != 0) {
        json_decref(o);
        return -1;
    }
    if (f && !found) {
        json_decref(o);
        return err_set(err, 404, "not_found", NULL, "文书文件不存在");
    }
    if (meta)
        *meta = o;
    else
        json_decref(o);
    return 0;
}

/* ---- case file ---- */

typedef struct file_state {
    char status[16], retention[32];
    char submitted_at[24], submitted_on[16], submitted_by_name[64];
    int tier;
} file_state;

static int file_state_get(db *d, int64_t case_id, file_state *st, tj_err *err)
{
    memset(st, 0, sizeof *st);
    COPY(st->status, "draft");
    db_stmt *s;
    if (db_query(d, &s, err,
                 "SELECT status, COALESCE(submitted_at, ''), COALESCE(submitted_on, ''),"
                 " COALESCE(submitted_by_name, ''), COALESCE(tier, 0), COALESCE(retention, '')"
                 " FROM case_files WHERE case_id = ?",
                 "i", case_id) != 0)
        return -1;
    int rc = db_step(s, err);
    if (rc == 1) {
        COPY(st->status, db_col_text(s, 0));
        COPY(st->submitted_at, db_col_text(s, 1));
        COPY(st->submitted_on, db_col_text(s, 2));
        COPY(st->submitted_by_name, db_col_text(s, 3));
        st->tier = (int)db_col_int(s, 4);
        COPY(st->retention, db_col_text(s, 5));
    }
    db_done(s);
    return rc < 0 ? -1 : 0;
}

/* The latest version of each document kind and every attachment, as sources. */
typedef struct sources {
    json_t *latest[CF_DOC__COUNT]; /* {id, kind, title, version, pages, file_id, created_at} */
    json_t *atts;                  /* [{id, kind, title, file_id, mime, size, created_at}] */
} sources;

static void sources_free(sources *src)
{
    for (int k = 0; k < CF_DOC__COUNT; k++)
        json_decref(src->latest[k]);
    json_decref(src->atts);
}

static int sources_load(db *d, int64_t case_id, sources *src, tj_err *err)
{
    memset(src, 0, sizeof *src);
    db_stmt *s;
    if (db_query(
            d, &s, err,
            "SELECT d.id, d.kind, d.version, d.pages, d.file_id, d.created_at FROM case_documents d"
            " WHERE d.case_id = ? AND d.version = (SELECT MAX(x.version) FROM case_documents x"
            " WHERE x.case_id = d.case_id AND x.kind = d.kind)",
            "i", case_id) != 0)
        return -1;
    int rc;
    while ((rc = db_step(s, err)) == 1) {
        cf_doc k;
        if (cf_doc_parse(db_col_text(s, 1), &k) != 0)
            continue;
        json_t *o = db_row_json(s);
        json_object_set_new(o, "type", json_string("document"));
        json_object_set_new(o, "title", json_string(cf_doc_label(k)));
        src->latest[k] = o;
    }
    db_done(s);
    if (rc < 0)
        return -1;
    if (db_query(d, &s, err,
                 "SELECT a.id, a.kind, a.title, a.file_id, f.mime, f.size, a.created_at FROM"
                 " case_attachments a JOIN files f ON f.id = a.file_id WHERE a.case_id = ?"
                 " ORDER BY a.id",
                 "i", case_id) != 0 ||
        db_rows_json(s, &src->atts, err) != 0) {
        sources_free(src);
        return -1;
    }
    json_t *a;
    size_t i;
    json_array_foreach(src->atts, i, a) json_object_set_new(a, "type", json_string("attachment"));
    return 0;
}

/* The sources of one checklist item in filing order: documents first (an uploaded
 * signed agreement replaces the unsigned generated one), then uploads. */
static json_t *item_sources(const cf_item_state *it, const sources *src)
{
    json_t *arr = json_array();
    bool signed_scan = false;
    json_t *a;
    size_t i;
    for (int k = 0; k < it->natts; k++)
        json_array_foreach(src->atts, i,
                           a) if (it->atts[k] == CF_ATT_SIGNED_AGREEMENT &&
                                  strcmp(json_string_value(json_object_get(a, "kind")),
                                         "signed_agreement") == 0) signed_scan = true;
    for (int k = 0; k < it->ndocs; k++)
        if (src->latest[it->docs[k]] && !(signed_scan && it->docs[k] == CF_DOC_AGREEMENT))
            json_array_append(arr, src->latest[it->docs[k]]);
    if (it->extra_doc != CF_DOC__COUNT && src->latest[it->extra_doc])
        json_array_append(arr, src->latest[it->extra_doc]);
    for (int k = 0; k < it->natts; k++)
        json_array_foreach(src->atts, i,
                           a) if (strcmp(json_string_value(json_object_get(a, "kind")),
                                         cf_att_name(it->atts[k])) == 0) json_array_append(arr, a);
    return arr;
}

int case_file_view(db *d, const principal *who, const case_row *c, json_t **out, tj_err *err)
{
    (void)who;
    cf_facts f;
    file_state st;
    sources src;
    if (doc_facts(d, c, &f, err) != 0 || file_state_get(d, c->id, &st, err) != 0 ||
        sources_load(d, c->id, &src, err) != 0)
        return -1;
    cf_item_state items[CF_ITEM__COUNT];
    int missing = cf_checklist(&f, items);
    json_t *arr = json_array(), *miss = json_array();
    for (int i = 0; i < CF_ITEM__COUNT; i++) {
        cf_item_state *it = &items[i];
        json_array_append_new(arr,
                              json_pack("{s:s,s:s,s:b,s:b,s:s,s:o}", "key", it->key, "label",
                                        it->label, "required", it->required, "present", it->present,
                                        "rule", it->rule, "sources", item_sources(it, &src)));
        if (it->required && !it->present)
            json_array_append_new(miss, json_string(it->label));
    }
    sources_free(&src);
    int64_t mediators = 0;
    if (db_scalar_int(d, &mediators, NULL, err,
                      "SELECT COUNT(*) FROM case_mediators WHERE case_id = ?", "i", c->id) != 0)
        goto fail;
    bool closed = c->state == CASE_FLOW_STATE_CLOSED || c->state == CASE_FLOW_STATE_ARCHIVED;
    bool open = strcmp(st.status, "draft") == 0 || strcmp(st.status, "unqualified") == 0;
    json_t *o = json_pack(
        "{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:b,s:b,s:o,s:o,s:I}", "case_id", (json_int_t)c->id,
        "file_no", c->case_no, "title", c->title, "case_status", case_flow_state_name(c->state),
        "case_status_label", case_flow_state_label(c->state), "status", st.status, "status_label",
        dict_label("case_file_status", st.status) ? dict_label("case_file_status", st.status)
                                                  : st.status,
        "complete", missing == 0, "can_submit", missing == 0 && closed && open && mediators > 0,
        "items", arr, "missing", miss, "mediators", (json_int_t)mediators);
    arr = miss = NULL;
    json_object_set_new(o, "submitted_at",
                        st.submitted_at[0] ? json_string(st.submitted_at) : json_null());
    json_object_set_new(o, "submitted_by_name",
                        st.submitted_by_name[0] ? json_string(st.submitted_by_name) : json_null());
    json_object_set_new(o, "tier", st.tier ? json_integer(st.tier) : json_null());
    db_stmt *s;
    json_t *rows;
    if (db_query(d, &s, err,
                 "SELECT id, result, reasons, tier, reviewer_name, reviewed_on, created_at FROM"
                 " case_file_reviews WHERE case_id = ? ORDER BY id DESC",
                 "i", c->id) != 0 ||
        db_rows_json(s, &rows, err) != 0) {
        json_decref(o);
        return -1;
    }
    json_t *r;
    size_t i;
    json_array_foreach(rows, i, r)
    {
        const char *res = json_string_value(json_object_get(r, "result"));
        json_object_set_new(r, "result_label",
                            json_string(res && dict_label("file_review_result", res)
                                            ? dict_label("file_review_result", res)
                                            : ""));
    }
    json_object_set_new(o, "reviews", rows);
    if (db_query(
            d, &s, err,
            "SELECT person_id, person_name, lead, tier, case_amount, amount, period, granted_on"
            " FROM subsidies WHERE case_id = ? ORDER BY lead DESC, id",
            "i", c->id) != 0 ||
        db_rows_json(s, &rows, err) != 0) {
        json_decref(o);
        return -1;
    }
    json_array_foreach(rows, i, r) json_object_set_new(
        r, "lead", json_boolean(json_integer_value(json_object_get(r, "lead"))));
    json_object_set_new(o, "subsidies", rows);
    *out = o;
    return 0;
fail:
    json_decref(arr);
    json_decref(miss);
    return -1;
}

int case_file_sources(db *d, const case_row *c, cf_source **out, int *n, tj_err *err)
{
    cf_facts f;
    sources src;
    if (doc_facts(d, c, &f, err) != 0 || sources_load(d, c->id, &src, err) != 0)
        return -1;
    cf_item_state items[CF_ITEM__COUNT];
    cf_checklist(&f, items);
    int cap = 16, len = 0, rc = -1;
    cf_source *v = xmalloc((size_t)cap * sizeof *v);
    for (int i = 0; i < CF_ITEM__COUNT; i++) {
        if (items[i].item == CF_ITEM_BACK_COVER)
            continue; /* laid out afresh with the file's counts */
        json_t *arr = item_sources(&items[i], &src), *s;
        size_t k;
        json_array_foreach(arr, k, s)
        {
            if (len == cap) {
                cap *= 2;
                v = xrealloc(v, (size_t)cap * sizeof *v);
            }
            cf_source *x = &v[len];
            memset(x, 0, sizeof *x);
            x->item = items[i].item;
            COPY(x->title, json_string_value(json_object_get(s, "title")));
            bool doc = strcmp(json_string_value(json_object_get(s, "type")), "document") == 0;
            if (doc)
                snprintf(x->note, sizeof x->note, "第%lld版",
                         (long long)json_integer_value(json_object_get(s, "version")));
            else
                COPY(x->note,
                     dict_label("attachment_kind", json_string_value(json_object_get(s, "kind")))
                         ? dict_label("attachment_kind",
                                      json_string_value(json_object_get(s, "kind")))
                         : "");
            bool found;
            if (file_store_get(d, json_integer_value(json_object_get(s, "file_id")), &x->f, &found,
                               err) != 0) {
                json_decref(arr);
                goto done;
            }
            if (found)
                len++;
        }
        json_decref(arr);
    }
    *out = v;
    *n = len;
    v = NULL;
    rc = 0;
done:
    free(v);
    sources_free(&src);
    return rc;
}

int case_file_cover_data(db *d, const principal *who, const case_row *c, tj_date today,
                         json_t *data, tj_err *err)
{
    file_state st;
    if (file_state_get(d, c->id, &st, err) != 0)
        return -1;
    char t[DATE_STR_SIZE];
    date_format(today, t);
    bool sub = st.submitted_on[0] != 0;
    json_object_set_new(data, "file",
                        json_pack("{s:s,s:s}", "filed_by", sub ? st.submitted_by_name : who->name,
                                  "filed_on", sub ? st.submitted_on : t));
    if (st.retention[0] && !json_object_get(data, "retention"))
        json_object_set_new(data, "retention", json_string(st.retention));
    return 0;
}

int case_file_set_retention(db *d, const case_row *c, const char *retention, tj_err *err)
{
    char now[21];
    clock_iso(clock_unix(), now);
    return db_run(
        d, NULL, err,
        "INSERT INTO case_files(case_id, status, retention, updated_at) VALUES (?, 'draft', ?, ?)"
        " ON CONFLICT (case_id) DO UPDATE SET retention = excluded.retention,"
        " updated_at = excluded.updated_at",
        "iss", c->id, retention, now);
}

int case_file_submit(db *d, const principal *who, const case_row *c, tj_date today, tj_err *err)
{
    if (c->state != CASE_FLOW_STATE_CLOSED && c->state != CASE_FLOW_STATE_ARCHIVED)
        return err_set(err, 409, "conflict", "state", "案件当前状态为“%s”，结案后才能提交卷宗",
                       case_flow_state_label(c->state));
    file_state st;
    if (file_state_get(d, c->id, &st, err) != 0)
        return -1;
    if (strcmp(st.status, "submitted") == 0)
        return err_set(err, 409, "conflict", "status", "卷宗已提交，正在等待审核");
    if (strcmp(st.status, "qualified") == 0)
        return err_set(err, 409, "conflict", "status", "卷宗已审核合格，不能重复提交");
    int64_t mediators;
    if (db_scalar_int(d, &mediators, NULL, err,
                      "SELECT COUNT(*) FROM case_mediators WHERE case_id = ?", "i", c->id) != 0)
        return -1;
    if (!mediators)
        return err_set(err, 409, "conflict", NULL, "案件没有调解员，不能提交卷宗");
    cf_facts f;
    if (doc_facts(d, c, &f, err) != 0)
        return -1;
    cf_item_state items[CF_ITEM__COUNT];
    if (cf_checklist(&f, items) > 0) {
        buf b;
        buf_init(&b, 4000);
        for (int i = 0; i < CF_ITEM__COUNT; i++)
            if (items[i].required && !items[i].present)
                buf_printf(&b, "%s%s", b.len ? "、" : "", items[i].label);
        err_set(err, 409, "conflict", "items", "卷宗材料不齐全，缺少：%s", b.data ? b.data : "");
        buf_free(&b);
        return -1;
    }
    char now[21], t[DATE_STR_SIZE];
    clock_iso(clock_unix(), now);
    date_format(today, t);
    return db_run(
        d, NULL, err,
        "INSERT INTO case_files(case_id, status, submitted_at, submitted_on, submitted_by,"
        " submitted_by_name, updated_at) VALUES (?, 'submitted', ?, ?, ?, ?, ?)"
        " ON CONFLICT (case_id) DO UPDATE SET status = 'submitted', submitted_at ="
        " excluded.submitted_at, submitted_on = excluded.submitted_on, submitted_by ="
        " excluded.submitted_by, submitted_by_name = excluded.submitted_by_name,"
        " review_id = NULL, tier = NULL, updated_at = excluded.updated_at",
        "issIss", c->id, now, t, who->user_id, who->name, now);
}

int case_file_review(db *d, const principal *who, const case_row *c, const char *result,
                     const char *reasons, int tier, const subsidy_settings *s, tj_date today,
                     tj_err *err)
{
    bool office =
        strcmp(who->org_kind, "judicial_office") == 0 || strcmp(who->org_kind, "bureau") == 0;
    if (!office || !scope_contains(who, c->org_path) || strcmp(who->org_path, c->org_path) == 0)
        return err_set(err, 403, "forbidden", NULL,
                       "卷宗由调解组织的上级司法所或司法局审核，%s不能审核本案卷宗", who->org_name);
    file_state st;
    if (file_state_get(d, c->id, &st, err) != 0)
        return -1;
    if (strcmp(st.status, "submitted") != 0)
        return err_set(err, 409, "conflict", "status", "卷宗当前状态为“%s”，提交后才能审核",
                       dict_label("case_file_status", st.status)
                           ? dict_label("case_file_status", st.status)
                           : st.status);
    bool ok = strcmp(result, "qualified") == 0;
    if (ok && (tier < 1 || tier > CF_TIERS))
        return err_set(err, 400, "validation_failed", "tier",
                       "审核合格时应评定难易程度（1 至 4 档）");
    if (!ok && (!reasons || !*reasons))
        return err_set(err, 400, "validation_failed", "reasons", "审核不合格时应写明理由");
    char now[21], t[DATE_STR_SIZE];
    clock_iso(clock_unix(), now);
    date_format(today, t);
    int64_t review_id;
    if (db_scalar_int(d, &review_id, NULL, err,
                      "INSERT INTO case_file_reviews(case_id, result, reasons, tier, reviewer_id,"
                      " reviewer_name, reviewer_org_id, reviewed_on, created_at) VALUES"
                      " (?,?,?,?,?,?,?,?,?) RETURNING id",
                      "issIIsiss", c->id, result, reasons && *reasons ? reasons : NULL,
                      (int64_t)(ok ? tier : 0), who->user_id, who->name, who->org_id, t,
                      now) != 0 ||
        db_run(d, NULL, err,
               "UPDATE case_files SET status = ?, review_id = ?, tier = ?, updated_at = ? WHERE"
               " case_id = ?",
               "siIsi", result, review_id, (int64_t)(ok ? tier : 0), now, c->id) != 0)
        return -1;
    if (!ok)
        return 0;
    /* the subsidy: lead first, then co-mediators by id */
    db_stmt *q;
    if (db_query(d, &q, err,
                 "SELECT m.person_id, p.name, m.lead FROM case_mediators m JOIN persons p ON p.id ="
                 " m.person_id WHERE m.case_id = ? ORDER BY m.lead DESC, m.person_id",
                 "i", c->id) != 0)
        return -1;
    int64_t ids[64], leads[64];
    char names[64][64];
    int n = 0, rc;
    while ((rc = db_step(q, err)) == 1 && n < 64) {
        ids[n] = db_col_int(q, 0);
        COPY(names[n], db_col_text(q, 1));
        leads[n] = db_col_int(q, 2);
        n++;
    }
    db_done(q);
    if (rc < 0)
        return -1;
    int64_t amounts[64];
    if (subsidy_split(s, tier, n, amounts, err) != 0)
        return -1;
    char period[8];
    snprintf(period, sizeof period, "%.7s", t);
    for (int i = 0; i < n; i++)
        if (db_run(d, NULL, err,
                   "INSERT INTO subsidies(case_id, review_id, person_id, person_name, lead, org_id,"
                   " org_path, tier, case_amount, amount, period, granted_on, created_at)"
                   " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                   "iiisiisiiisss", c->id, review_id, ids[i], names[i],
                   (int64_t)(i == 0 || leads[i]), c->org_id, c->org_path, (int64_t)tier,
                   s->tier_amount[tier - 1], amounts[i], period, t, now) != 0)
            return -1;
    return 0;
}

/* ---- subsidy settings and ledger ---- */

int subsidy_settings_load(db *d, subsidy_settings *s, tj_err *err)
{
    subsidy_settings_default(s);
    db_stmt *st;
    if (db_query(d, &st, err, "SELECT key, value FROM settings WHERE key LIKE 'subsidy.%'", "") !=
        0)
        return -1;
    int rc;
    while ((rc = db_step(st, err)) == 1) {
        const char *k = db_col_text(st, 0) + strlen("subsidy.");
        long long v = atoll(db_col_text(st, 1));
        if (strncmp(k, "tier", 4) == 0 && k[4] >= '1' && k[4] <= '0' + CF_TIERS && !k[5])
            s->tier_amount[k[4] - '1'] = v;
        else if (strcmp(k, "lead_percent") == 0)
            s->lead_percent = (int)v;
    }
    db_done(st);
    return rc < 0 ? -1 : 0;
}

int subsidy_settings_save(db *d, const subsidy_settings *s, tj_err *err)
{
    for (int i = 0; i <= CF_TIERS; i++) {
        char key[32], val[32];
        if (i < CF_TIERS) {
            snprintf(key, sizeof key, "subsidy.tier%d", i + 1);
            snprintf(val, sizeof val, "%lld", (long long)s->tier_amount[i]);
        } else {
            snprintf(key, sizeof key, "subsidy.lead_percent");
            snprintf(val, sizeof val, "%d", s->lead_percent);
        }
        if (db_run(d, NULL, err,
                   "INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE"
                   " SET value = excluded.value",
                   "ss", key, val) != 0)
            return -1;
    }
    return 0;
}

json_t *subsidy_settings_json(const subsidy_settings *s)
{
    json_t *t = json_array();
    for (int i = 0; i < CF_TIERS; i++)
        json_array_append_new(t, json_integer(s->tier_amount[i]));
    return json_pack("{s:o,s:i,s:i,s:{s:s,s:s,s:s,s:[s,s,s,s]}}", "tier_amounts", t, "lead_percent",
                     s->lead_percent, "co_percent", 100 - s->lead_percent, "labels", "tier_amounts",
                     "各档次每案补贴金额（分）", "lead_percent", "主调解员分配比例（%）",
                     "co_percent", "协助调解员合计分配比例（%），平均分配", "tiers", "一档（简易）",
                     "二档（一般）", "三档（较难）", "四档（疑难复杂）");
}

int subsidy_settings_from_json(json_t *body, subsidy_settings *s, tj_err *err)
{
    const char *k;
    json_t *v;
    json_object_foreach(body, k, v)
    {
        if (strcmp(k, "tier_amounts") == 0) {
            if (!json_is_array(v) || json_array_size(v) != CF_TIERS)
                return err_set(err, 400, "validation_failed", "tier_amounts",
                               "tier_amounts 应为 4 个档次的金额（分）");
            for (int i = 0; i < CF_TIERS; i++) {
                json_t *x = json_array_get(v, (size_t)i);
                if (!json_is_integer(x)) {
                    char f[32];
                    snprintf(f, sizeof f, "tier_amounts[%d]", i);
                    return err_set(err, 400, "validation_failed", f, "金额应为整数（分）");
                }
                s->tier_amount[i] = (int64_t)json_integer_value(x);
            }
        } else if (strcmp(k, "lead_percent") == 0) {
            if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > 100)
                return err_set(err, 400, "validation_failed", "lead_percent",
                               "主调解员分配比例应为 0 至 100 的整数");
            s->lead_percent = (int)json_integer_value(v);
        } else {
            return err_set(err, 400, "unknown_field", k, "未知字段：%s", k);
        }
    }
    return 0;
}

int subsidy_ledger(db *d, const principal *who, const subsidy_filter *f, json_t **out, tj_err *err)
{
    scope_range r;
    if (scope_narrow(who, f->org_path, &r, err) != 0)
        return -1;
    db_stmt *s;
    json_t *items = NULL, *people = NULL;
    const char *from = f->from, *to = f->to;
    if (db_query(
            d, &s, err,
            "SELECT s.id, s.case_id, c.case_no, c.title AS case_title, s.person_id, s.person_name,"
            " s.lead, s.org_id, o.name AS org_name, s.tier, s.case_amount, s.amount, s.period,"
            " s.granted_on FROM subsidies s JOIN cases c ON c.id = s.case_id JOIN orgs o ON"
            " o.id = s.org_id WHERE s.org_path >= ? AND s.org_path < ? AND (? IS NULL OR"
            " s.granted_on >= ?) AND (? IS NULL OR s.granted_on <= ?) AND (? = 0 OR"
            " s.person_id = ?) ORDER BY s.granted_on, s.case_id, s.lead DESC, s.id LIMIT 20000",
            "ssssssii", r.lo, r.hi, from, from, to, to, f->person_id, f->person_id) != 0 ||
        db_rows_json(s, &items, err) != 0)
        return -1;
    json_int_t total = 0;
    json_t *it;
    size_t i;
    json_array_foreach(items, i, it)
    {
        json_object_set_new(it, "lead",
                            json_boolean(json_integer_value(json_object_get(it, "lead"))));
        total += json_integer_value(json_object_get(it, "amount"));
    }
    if (db_query(
            d, &s, err,
            "SELECT s.person_id, MAX(s.person_name) AS person_name, MAX(o.name) AS org_name,"
            " COUNT(*) AS cases, SUM(s.amount) AS amount FROM subsidies s JOIN orgs o ON o.id ="
            " s.org_id WHERE s.org_path >= ? AND s.org_path < ? AND (? IS NULL OR s.granted_on"
            " >= ?) AND (? IS NULL OR s.granted_on <= ?) AND (? = 0 OR s.person_id = ?)"
            " GROUP BY s.person_id ORDER BY SUM(s.amount) DESC, s.person_id",
            "ssssssii", r.lo, r.hi, from, from, to, to, f->person_id, f->person_id) != 0 ||
        db_rows_json(s, &people, err) != 0) {
        json_decref(items);
        return -1;
    }
    *out = json_pack("{s:o,s:o,s:I,s:I}", "items", items, "by_person", people, "total_amount",
                     total, "count", (json_int_t)json_array_size(items));
    return 0;
}
