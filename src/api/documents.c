/* documents.c — generated documents (文书), the case file (卷宗) with its review
 * (考评审核), the subsidy settings and the subsidy ledger (以案定补台账).
 * Rendering and exports run on worker threads (ROUTE_SLOW in routes.c); the render
 * happens outside any transaction, and the stored result is written in one. */
#include "api/api.h"
#include "core/dict.h"
#include "render/case_file_pdf.h"
#include "render/docs.h"
#include "render/xlsx.h"
#include "store/doc_store.h"
#include "store/org_store.h"
#include "util/clock.h"

#include <stdlib.h>
#include <string.h>

static tj_date today(void)
{
    return date_today_shanghai(clock_unix());
}

/* Writes need the handling org inside the caller's subtree (as for case events). */
static int require_writable(http_req *r, const case_row *c)
{
    if (perm_partner_side(r->who->role))
        return http_fail(r, 403, "forbidden", NULL, "对接单位不能制作调解文书");
    if (!scope_contains(r->who, c->org_path))
        return http_fail(r, 403, "forbidden", NULL, "该案件已由%s办理，您只能查看", c->org_name);
    return 0;
}

/* The filed parts with their bytes, for render_case_file. */
typedef struct parts {
    cf_source *src;
    cf_part *p;
    void **bytes;
    int n;
} parts;

static void parts_free(parts *ps)
{
    for (int i = 0; i < ps->n; i++)
        free(ps->bytes ? ps->bytes[i] : NULL);
    free(ps->bytes);
    free(ps->p);
    free(ps->src);
}

static int parts_load(db *d, const case_row *c, parts *ps, tj_err *err)
{
    memset(ps, 0, sizeof *ps);
    int n;
    if (case_file_sources(d, c, &ps->src, &n, err) != 0)
        return -1;
    ps->p = calloc((size_t)n + 1, sizeof *ps->p);
    ps->bytes = calloc((size_t)n + 1, sizeof *ps->bytes);
    if (!ps->p || !ps->bytes) {
        parts_free(ps);
        return err_set(err, 500, "internal", NULL, "内存不足");
    }
    for (int i = 0; i < n; i++) {
        size_t len;
        if (file_store_read(&ps->src[i].f, &ps->bytes[i], &len, err) != 0) {
            ps->n = i;
            parts_free(ps);
            return -1;
        }
        ps->n = i + 1;
        ps->p[i] =
            (cf_part){ps->src[i].title, ps->src[i].note, ps->src[i].f.mime, ps->bytes[i], len};
    }
    return 0;
}

/* ---- documents ---- */

int api_documents_list(http_req *r)
{
    int64_t id;
    db *d;
    case_row c;
    json_t *out;
    if (http_param_id(r, 0, &id) != 0 || api_db(r, &d) != 0 ||
        case_get(d, r->who, id, &c, &r->err) != 0 || doc_list(d, &c, &out, &r->err) != 0)
        return -1;
    json_object_set_new(out, "case_id", json_integer(id));
    json_object_set_new(out, "doc_no", json_string(c.case_no));
    return http_json(r, 200, out);
}

int api_documents_generate(http_req *r)
{
    static const jv_field spec[] = {
        {"note", JV_STRING, false, "说明", 5000},
        {"retention", JV_ENUM, false, "保管期限", 0, "retention"},
        {NULL},
    };
    int64_t id;
    db *d;
    json_t *b;
    cf_doc kind;
    if (http_param_id(r, 0, &id) != 0)
        return -1;
    if (cf_doc_parse(r->params[1], &kind) != 0)
        return http_fail(r, 404, "not_found", NULL, "未知的文书类型：%s", r->params[1]);
    if (r->body.len == 0) {
        r->body_json = json_object();
        b = r->body_json;
    } else if (http_body_object(r, &b) != 0) {
        return -1;
    }
    if (jv_check(b, spec, "", &r->err) != 0 || api_db(r, &d) != 0)
        return -1;
    const char *note = jv_str(b, "note");
    if (kind == CF_DOC_FILE_NOTE && (!note || !*note))
        return http_fail(r, 400, "validation_failed", "note", "请填写卷宗情况说明的内容");
    case_row c;
    cf_facts f;
    const char *why;
    if (case_get(d, r->who, id, &c, &r->err) != 0 || require_writable(r, &c) != 0 ||
        doc_facts(d, &c, &f, &r->err) != 0)
        return -1;
    if (c.state == CASE_FLOW_STATE_ARCHIVED)
        return http_fail(r, 409, "conflict", "state", "案件已归档，不能再制作文书");
    if (!cf_doc_available(&f, kind, &why))
        return http_fail(r, 409, "conflict", "kind", "不能制作%s：%s", cf_doc_label(kind), why);
    json_t *data;
    if (doc_data(d, r->who, &c, today(), note, &data, &r->err) != 0)
        return -1;
    if (jv_str(b, "retention"))
        json_object_set_new(data, "retention", json_string(jv_str(b, "retention")));
    void *pdf = NULL;
    size_t n = 0;
    int pages = 0, rc;
    if (kind == CF_DOC_COVER || kind == CF_DOC_BACK_COVER) {
        parts ps;
        rc = case_file_cover_data(d, r->who, &c, today(), data, &r->err);
        if (rc == 0 && (rc = parts_load(d, &c, &ps, &r->err)) == 0) {
            rc = render_case_file(data, ps.p, ps.n,
                                  kind == CF_DOC_COVER ? RENDER_FILE_COVER : RENDER_FILE_BACK, &pdf,
                                  &n, &pages, &r->err);
            parts_free(&ps);
        }
    } else {
        rc = doc_render_pdf(kind, data, &pdf, &n, &pages, &r->err);
    }
    const char *doc_no =
        json_string_value(json_object_get(json_object_get(data, "referral"), "letter_no"));
    if (kind != CF_DOC_REFERRAL_LETTER && kind != CF_DOC_REFERRAL_RECEIPT)
        doc_no = c.case_no;
    doc_no = arena_strdup(&r->a, doc_no ? doc_no : c.case_no);
    json_decref(data);
    if (rc != 0)
        return -1;
    json_t *out = NULL;
    audit_ctx ac = api_audit(r);
    if (api_begin(r, d) != 0) {
        free(pdf);
        return -1;
    }
    rc = doc_put(d, r->who, &c, kind, pdf, n, pages, doc_no, note, &out, &r->err);
    free(pdf);
    if (rc == 0 && kind == CF_DOC_COVER && jv_str(b, "retention"))
        rc = case_file_set_retention(d, &c, jv_str(b, "retention"), &r->err);
    if (rc != 0 ||
        audit_write(d, &ac, "generate", "case", api_id_str(r, id),
                    json_pack("{s:s,s:O,s:O,s:O}", "kind", cf_doc_name(kind), "version",
                              json_object_get(out, "version"), "sha256",
                              json_object_get(out, "sha256"), "pages",
                              json_object_get(out, "pages")),
                    &r->err) != 0 ||
        api_commit(r, d) != 0) {
        db_rollback(d);
        json_decref(out);
        return -1;
    }
    return http_json(r, 201, out);
}

int api_documents_get(http_req *r)
{
    int64_t id;
    db *d;
    json_t *meta;
    if (http_param_id(r, 0, &id) != 0 || api_db(r, &d) != 0 ||
        doc_get(d, r->who, id, &meta, NULL, &r->err) != 0)
        return -1;
    return http_json(r, 200, meta);
}

int api_documents_pdf(http_req *r)
{
    int64_t id;
    db *d;
    json_t *meta;
    file_row f;
    if (http_param_id(r, 0, &id) != 0 || api_db(r, &d) != 0 ||
        doc_get(d, r->who, id, &meta, &f, &r->err) != 0)
        return -1;
    void *data;
    size_t n;
    if (file_store_read(&f, &data, &n, &r->err) != 0) {
        json_decref(meta);
        return -1;
    }
    http_bytes(r, 200, "application/pdf", data, n);
    free(data);
    const char *name =
        arena_printf(&r->a, "%s-%s-第%lld版.pdf", json_string_value(json_object_get(meta, "label")),
                     json_string_value(json_object_get(meta, "doc_no")),
                     (long long)json_integer_value(json_object_get(meta, "version")));
    http_disposition(r, "inline", "document.pdf", name);
    http_header(r, "X-Checksum-SHA256", f.sha256);
    json_decref(meta);
    return 0;
}

/* ---- case file ---- */

static int respond_file(http_req *r, db *d, const case_row *c, int status)
{
    json_t *o;
    if (case_file_view(d, r->who, c, &o, &r->err) != 0)
        return -1;
    return http_json(r, status, o);
}

int api_case_file_get(http_req *r)
{
    int64_t id;
    db *d;
    case_row c;
    if (http_param_id(r, 0, &id) != 0 || api_db(r, &d) != 0 ||
        case_get(d, r->who, id, &c, &r->err) != 0)
        return -1;
    return respond_file(r, d, &c, 200);
}

int api_case_file_pdf(http_req *r)
{
    int64_t id;
    db *d;
    case_row c;
    json_t *data;
    if (http_param_id(r, 0, &id) != 0 || api_db(r, &d) != 0 ||
        case_get(d, r->who, id, &c, &r->err) != 0 ||
        doc_data(d, r->who, &c, today(), NULL, &data, &r->err) != 0)
        return -1;
    parts ps;
    void *pdf = NULL;
    size_t n = 0;
    int pages = 0;
    int rc = case_file_cover_data(d, r->who, &c, today(), data, &r->err);
    if (rc == 0 && (rc = parts_load(d, &c, &ps, &r->err)) == 0) {
        rc = render_case_file(data, ps.p, ps.n, RENDER_FILE_FULL, &pdf, &n, &pages, &r->err);
        parts_free(&ps);
    }
    json_decref(data);
    if (rc != 0)
        return -1;
    http_bytes(r, 200, "application/pdf", pdf, n);
    free(pdf);
    http_disposition(r, "inline", "case-file.pdf",
                     arena_printf(&r->a, "人民调解卷宗-%s.pdf", c.case_no));
    http_header(r, "X-Pages", arena_printf(&r->a, "%d", pages));
    return 0;
}

int api_case_file_submit(http_req *r)
{
    int64_t id;
    db *d;
    case_row c;
    audit_ctx ac = api_audit(r);
    if (http_param_id(r, 0, &id) != 0 || api_db(r, &d) != 0 || api_begin(r, d) != 0)
        return -1;
    if (case_get(d, r->who, id, &c, &r->err) != 0 || require_writable(r, &c) != 0 ||
        case_file_submit(d, r->who, &c, today(), &r->err) != 0 ||
        audit_write(d, &ac, "file_submit", "case", api_id_str(r, id),
                    json_pack("{s:s}", "file_no", c.case_no), &r->err) != 0 ||
        api_commit(r, d) != 0) {
        db_rollback(d);
        return -1;
    }
    return respond_file(r, d, &c, 200);
}

int api_case_file_review(http_req *r)
{
    static const jv_field spec[] = {
        {"result", JV_ENUM, true, "审核结果", 0, "file_review_result"},
        {"reasons", JV_STRING, false, "审核意见", 2000},
        {"tier", JV_INT, false, "难易程度", 0, NULL, 1, CF_TIERS},
        {NULL},
    };
    int64_t id;
    db *d;
    json_t *b;
    case_row c;
    subsidy_settings s;
    audit_ctx ac = api_audit(r);
    if (http_param_id(r, 0, &id) != 0 || http_body_object(r, &b) != 0 ||
        jv_check(b, spec, "", &r->err) != 0 || api_db(r, &d) != 0 || api_begin(r, d) != 0)
        return -1;
    if (case_get(d, r->who, id, &c, &r->err) != 0 || subsidy_settings_load(d, &s, &r->err) != 0 ||
        case_file_review(d, r->who, &c, jv_str(b, "result"), jv_str(b, "reasons"),
                         (int)jv_int(b, "tier", 0), &s, today(), &r->err) != 0 ||
        audit_write(d, &ac, "file_review", "case", api_id_str(r, id), json_incref(b), &r->err) !=
            0 ||
        api_commit(r, d) != 0) {
        db_rollback(d);
        return -1;
    }
    return respond_file(r, d, &c, 200);
}

/* ---- subsidy settings and ledger ---- */

int api_settings_subsidy_get(http_req *r)
{
    db *d;
    subsidy_settings s;
    if (api_db(r, &d) != 0 || subsidy_settings_load(d, &s, &r->err) != 0)
        return -1;
    return http_json(r, 200, subsidy_settings_json(&s));
}

int api_settings_subsidy_put(http_req *r)
{
    db *d;
    json_t *b;
    subsidy_settings s;
    audit_ctx ac = api_audit(r);
    if (http_body_object(r, &b) != 0 || api_db(r, &d) != 0 || api_begin(r, d) != 0)
        return -1;
    if (subsidy_settings_load(d, &s, &r->err) != 0 ||
        subsidy_settings_from_json(b, &s, &r->err) != 0 ||
        subsidy_settings_validate(&s, &r->err) != 0 || subsidy_settings_save(d, &s, &r->err) != 0 ||
        audit_write(d, &ac, "update", "settings", "subsidy", json_incref(b), &r->err) != 0 ||
        api_commit(r, d) != 0) {
        db_rollback(d);
        return -1;
    }
    return http_json(r, 200, subsidy_settings_json(&s));
}

/* Filter of the ledger from the query string; *org_name gets the org's (or the
 * caller's) name. */
static int ledger_filter(http_req *r, db *d, subsidy_filter *f, const char **org_name)
{
    memset(f, 0, sizeof *f);
    f->from = http_query(r, "from");
    f->to = http_query(r, "to");
    if (f->from && !*f->from)
        f->from = NULL;
    if (f->to && !*f->to)
        f->to = NULL;
    if (f->from && !jv_valid_date(f->from))
        return http_fail(r, 400, "validation_failed", "from", "开始日期无效");
    if (f->to && !jv_valid_date(f->to))
        return http_fail(r, 400, "validation_failed", "to", "结束日期无效");
    if (f->from && f->to && strcmp(f->from, f->to) > 0)
        return http_fail(r, 400, "validation_failed", "to", "结束日期不能早于开始日期");
    int64_t org_id;
    if (api_query_id(r, "org_id", &org_id) != 0 || api_query_id(r, "person_id", &f->person_id) != 0)
        return -1;
    *org_name = r->who->org_name;
    if (org_id) {
        org_row o;
        bool found;
        if (org_get_row(d, org_id, &o, &found, &r->err) != 0)
            return -1;
        if (!found)
            return http_fail(r, 400, "validation_failed", "org_id", "机构不存在");
        f->org_path = arena_strdup(&r->a, o.path);
        *org_name = arena_strdup(&r->a, o.name);
    }
    return 0;
}

static void ledger_meta(json_t *o, const subsidy_filter *f, const char *org_name)
{
    json_object_set_new(o, "from", f->from ? json_string(f->from) : json_null());
    json_object_set_new(o, "to", f->to ? json_string(f->to) : json_null());
    json_object_set_new(o, "org_name", json_string(org_name));
}

int api_subsidies_list(http_req *r)
{
    db *d;
    subsidy_filter f;
    const char *org_name;
    json_t *out;
    if (api_db(r, &d) != 0 || ledger_filter(r, d, &f, &org_name) != 0 ||
        subsidy_ledger(d, r->who, &f, &out, &r->err) != 0)
        return -1;
    ledger_meta(out, &f, org_name);
    return http_json(r, 200, out);
}

int api_subsidies_export(http_req *r)
{
    db *d;
    subsidy_filter f;
    const char *org_name;
    json_t *ledger;
    if (api_db(r, &d) != 0 || ledger_filter(r, d, &f, &org_name) != 0 ||
        subsidy_ledger(d, r->who, &f, &ledger, &r->err) != 0)
        return -1;
    ledger_meta(ledger, &f, org_name);
    void *x;
    size_t n;
    int rc = render_subsidy_xlsx(ledger, &x, &n, &r->err);
    json_t *what = json_pack("{s:O,s:O,s:s,s:I}", "from", json_object_get(ledger, "from"), "to",
                             json_object_get(ledger, "to"), "org", org_name, "rows",
                             json_object_get(ledger, "count")
                                 ? json_integer_value(json_object_get(ledger, "count"))
                                 : 0);
    json_decref(ledger);
    if (rc != 0) {
        json_decref(what);
        return -1;
    }
    audit_ctx ac = api_audit(r);
    if (api_begin(r, d) != 0) {
        json_decref(what);
        free(x);
        return -1;
    }
    if (audit_write(d, &ac, "export", "subsidy", NULL, what, &r->err) != 0 ||
        api_commit(r, d) != 0) {
        db_rollback(d);
        free(x);
        return -1;
    }
    http_bytes(r, 200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", x, n);
    free(x);
    http_disposition(r, "attachment", "subsidies.xlsx", "以案定补台账.xlsx");
    return 0;
}
