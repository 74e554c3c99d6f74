#include "api/api.h"
#include "core/dict.h"
#include "core/org_rules.h"
#include "store/org_store.h"

#include <string.h>

static const jv_field org_spec[] = {
    {"parent_id", JV_INT, true, "上级机构", 0, NULL, 1, INT64_MAX},
    {"name", JV_STRING, true, "机构名称", 100},
    {"kind", JV_ENUM, true, "机构类别", 0, "org_kind"},
    {"level", JV_ENUM, true, "层级", 0, "org_level"},
    {"region_code", JV_STRING, false, "行政区划代码", 12},
    {"field", JV_ENUM, false, "行业领域", 0, "committee_field"},
    {"host", JV_ENUM, false, "派驻单位", 0, "host"},
    {"partner_type", JV_ENUM, false, "对接单位类别", 0, "partner_type"},
    {"address", JV_STRING, false, "地址", 200},
    {"phone", JV_STRING, false, "联系电话", 30},
    {"founded_on", JV_DATE, false, "成立日期"},
    {NULL},
};

static const jv_field org_patch_spec[] = {
    {"name", JV_STRING, false, "机构名称", 100},
    {"level", JV_ENUM, false, "层级", 0, "org_level"},
    {"region_code", JV_STRING, false, "行政区划代码", 12},
    {"field", JV_ENUM, false, "行业领域", 0, "committee_field"},
    {"host", JV_ENUM, false, "派驻单位", 0, "host"},
    {"partner_type", JV_ENUM, false, "对接单位类别", 0, "partner_type"},
    {"address", JV_STRING, false, "地址", 200},
    {"phone", JV_STRING, false, "联系电话", 30},
    {"founded_on", JV_DATE, false, "成立日期"},
    {NULL},
};

static int respond_org(http_req *r, db *d, int64_t id, int status)
{
    json_t *o;
    if (org_get_json(d, r->who, id, &o, &r->err) != 0)
        return -1;
    return http_json(r, status, o);
}

int api_orgs_list(http_req *r)
{
    db *d;
    json_t *items;
    const char *q = http_query(r, "q"), *kind = http_query(r, "kind");
    const char *inc = http_query(r, "include_dissolved");
    if (q && !*q)
        q = NULL;
    if (q && jv_utf8_len(q) > 50)
        return http_fail(r, 400, "validation_failed", "q", "搜索词最多 50 个字");
    if (kind && !*kind)
        kind = NULL;
    if (kind && !dict_has("org_kind", kind))
        return http_fail(r, 400, "validation_failed", "kind", "机构类别无效");
    if (api_db(r, &d) != 0 ||
        org_list(d, r->who, q, kind, inc && strcmp(inc, "1") == 0, &items, &r->err) != 0)
        return -1;
    return http_json(
        r, 200,
        json_pack("{s:I,s:o}", "total", (json_int_t)json_array_size(items), "items", items));
}

int api_orgs_get(http_req *r)
{
    int64_t id;
    db *d;
    if (http_param_id(r, 0, &id) != 0 || api_db(r, &d) != 0)
        return -1;
    return respond_org(r, d, id, 200);
}

static int check_region(http_req *r, const char *code)
{
    if (code && *code && !org_rules_region_code_ok(code))
        return http_fail(r, 400, "validation_failed", "region_code",
                         "行政区划代码应为 6、9 或 12 位数字");
    return 0;
}

int api_orgs_create(http_req *r)
{
    json_t *b;
    db *d;
    if (http_body_object(r, &b) != 0 || jv_check(b, org_spec, "", &r->err) != 0 ||
        check_region(r, jv_str(b, "region_code")) != 0 || api_db(r, &d) != 0)
        return -1;
    org_fields f = {jv_str(b, "name"),         jv_str(b, "kind"),    jv_str(b, "level"),
                    jv_str(b, "region_code"),  jv_str(b, "field"),   jv_str(b, "host"),
                    jv_str(b, "partner_type"), jv_str(b, "address"), jv_str(b, "phone"),
                    jv_str(b, "founded_on")};
    org_row parent;
    int64_t id;
    audit_ctx ac = api_audit(r);
    if (api_begin(r, d) != 0)
        return -1;
    if (org_get_writable(d, r->who, jv_int(b, "parent_id", 0), &parent, &r->err) != 0) {
        snprintf(r->err.field, sizeof r->err.field, "parent_id");
        snprintf(r->err.msg, sizeof r->err.msg, "上级机构不存在或不在您的管辖范围内");
        r->err.status = 400;
        snprintf(r->err.code, sizeof r->err.code, "validation_failed");
        goto fail;
    }
    if (parent.dissolved) {
        http_fail(r, 409, "conflict", "parent_id", "上级机构已撤销");
        goto fail;
    }
    if (org_rules_check(f.kind, f.level, f.field, f.host, f.partner_type, parent.kind, &r->err) !=
            0 ||
        org_insert(d, &parent, &f, &id, &r->err) != 0 ||
        audit_write(d, &ac, "create", "org", api_id_str(r, id), json_incref(b), &r->err) != 0 ||
        api_commit(r, d) != 0)
        goto fail;
    return respond_org(r, d, id, 201);
fail:
    db_rollback(d);
    return -1;
}

int api_orgs_update(http_req *r)
{
    json_t *b;
    db *d;
    int64_t id;
    if (http_param_id(r, 0, &id) != 0 || http_body_object(r, &b) != 0 ||
        jv_check(b, org_patch_spec, "", &r->err) != 0 ||
        check_region(r, jv_str(b, "region_code")) != 0 || api_db(r, &d) != 0)
        return -1;
    if (json_object_size(b) == 0)
        return http_fail(r, 400, "validation_failed", NULL, "没有要修改的字段");
    org_fields f = {jv_str(b, "name"),         NULL,
                    jv_str(b, "level"),        jv_str(b, "region_code"),
                    jv_str(b, "field"),        jv_str(b, "host"),
                    jv_str(b, "partner_type"), jv_str(b, "address"),
                    jv_str(b, "phone"),        jv_str(b, "founded_on")};
    /* JSON null clears an optional field: pass "" for it */
    const char *keys[] = {"region_code", "field", "host",      "partner_type",
                          "address",     "phone", "founded_on"};
    const char **slots[] = {&f.region_code, &f.field, &f.host,      &f.partner_type,
                            &f.address,     &f.phone, &f.founded_on};
    for (int i = 0; i < 7; i++)
        if (jv_has(b, keys[i]) && json_is_null(json_object_get(b, keys[i])))
            *slots[i] = "";
    if (f.name && !*f.name)
        return http_fail(r, 400, "validation_failed", "name", "「机构名称」不能为空");
    org_row o, parent;
    bool found;
    audit_ctx ac = api_audit(r);
    if (api_begin(r, d) != 0)
        return -1;
    if (org_get_writable(d, r->who, id, &o, &r->err) != 0)
        goto fail;
    if (org_update(d, id, &f, &r->err) != 0)
        goto fail;
    /* re-check the whole record against the rules after the change */
    db_stmt *s;
    if (db_query(d, &s, &r->err,
                 "SELECT kind, level, COALESCE(field,''), COALESCE(host,''),"
                 " COALESCE(partner_type,'') FROM orgs WHERE id = ?",
                 "i", id) != 0)
        goto fail;
    if (db_step(s, &r->err) != 1) {
        db_done(s);
        goto fail;
    }
    char kind[24], level[16], field[24], host[24], pt[24];
    snprintf(kind, sizeof kind, "%s", db_col_text(s, 0));
    snprintf(level, sizeof level, "%s", db_col_text(s, 1));
    snprintf(field, sizeof field, "%s", db_col_text(s, 2));
    snprintf(host, sizeof host, "%s", db_col_text(s, 3));
    snprintf(pt, sizeof pt, "%s", db_col_text(s, 4));
    db_done(s);
    const char *pkind = NULL;
    if (o.parent_id) {
        if (org_get_row(d, o.parent_id, &parent, &found, &r->err) != 0)
            goto fail;
        pkind = parent.kind;
    }
    if (org_rules_check(kind, level, field, host, pt, pkind, &r->err) != 0 ||
        audit_write(d, &ac, "update", "org", api_id_str(r, id), json_incref(b), &r->err) != 0 ||
        api_commit(r, d) != 0)
        goto fail;
    return respond_org(r, d, id, 200);
fail:
    db_rollback(d);
    return -1;
}

int api_orgs_move(http_req *r)
{
    static const jv_field spec[] = {
        {"parent_id", JV_INT, true, "新的上级机构", 0, NULL, 1, INT64_MAX},
        {NULL},
    };
    json_t *b;
    db *d;
    int64_t id;
    if (http_param_id(r, 0, &id) != 0 || http_body_object(r, &b) != 0 ||
        jv_check(b, spec, "", &r->err) != 0 || api_db(r, &d) != 0)
        return -1;
    org_row o, np;
    audit_ctx ac = api_audit(r);
    if (api_begin(r, d) != 0)
        return -1;
    if (org_get_writable(d, r->who, id, &o, &r->err) != 0)
        goto fail;
    if (o.id == r->who->org_id) {
        http_fail(r, 403, "forbidden", NULL, "不能移动本人所在的机构");
        goto fail;
    }
    if (org_get_writable(d, r->who, jv_int(b, "parent_id", 0), &np, &r->err) != 0) {
        err_set(&r->err, 400, "validation_failed", "parent_id",
                "新的上级机构不存在或不在管辖范围内");
        goto fail;
    }
    if (np.dissolved) {
        http_fail(r, 409, "conflict", "parent_id", "新的上级机构已撤销");
        goto fail;
    }
    if (strncmp(np.path, o.path, strlen(o.path)) == 0) {
        http_fail(r, 409, "conflict", "parent_id", "不能移动到本机构或其下级机构之下");
        goto fail;
    }
    if (org_rules_parent_ok(o.kind, np.kind, &r->err) != 0 || org_move(d, &o, &np, &r->err) != 0)
        goto fail;
    if (audit_write(d, &ac, "move", "org", api_id_str(r, id),
                    json_pack("{s:I,s:I}", "from_parent_id", (json_int_t)o.parent_id,
                              "to_parent_id", (json_int_t)np.id),
                    &r->err) != 0 ||
        api_commit(r, d) != 0)
        goto fail;
    return respond_org(r, d, id, 200);
fail:
    db_rollback(d);
    return -1;
}

int api_orgs_dissolve(http_req *r)
{
    static const jv_field spec[] = {
        {"dissolved_on", JV_DATE, true, "撤销日期"},
        {NULL},
    };
    json_t *b;
    db *d;
    int64_t id;
    if (http_param_id(r, 0, &id) != 0 || http_body_object(r, &b) != 0 ||
        jv_check(b, spec, "", &r->err) != 0 || api_db(r, &d) != 0)
        return -1;
    org_row o;
    audit_ctx ac = api_audit(r);
    if (api_begin(r, d) != 0)
        return -1;
    if (org_get_writable(d, r->who, id, &o, &r->err) != 0)
        goto fail;
    if (o.id == r->who->org_id) {
        http_fail(r, 403, "forbidden", NULL, "不能撤销本人所在的机构");
        goto fail;
    }
    if (org_dissolve(d, &o, jv_str(b, "dissolved_on"), &r->err) != 0 ||
        audit_write(d, &ac, "dissolve", "org", api_id_str(r, id), json_incref(b), &r->err) != 0 ||
        api_commit(r, d) != 0)
        goto fail;
    return respond_org(r, d, id, 200);
fail:
    db_rollback(d);
    return -1;
}
