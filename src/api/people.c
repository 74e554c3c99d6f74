/* people.c — /api/people: mediators, informants, volunteers, experts and legal
 * advisors. Identity numbers are validated (GB 11643), sealed, masked and blind-indexed
 * here and never leave the server in clear except through /unmask, which is audited in
 * the same transaction as it is read. */
#include "api/api.h"
#include "app/crypto.h"
#include "core/date.h"
#include "core/dict.h"
#include "core/idcheck.h"
#include "store/org_store.h"
#include "store/person_store.h"
#include "util/clock.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LINKS 20

static const jv_field link_items[] = {
    {"id", JV_INT, true, "所属组织", 0, NULL, 1, INT64_MAX},
    {"duty", JV_STRING, false, "职务", 20},
    {NULL},
};

/* Create and update take the same fields; update makes every one optional (and refuses
 * null for the ones a person cannot lack: name, kind, orgs, active). */
#define PERSON_FIELDS(req)                                                                         \
    {"name", JV_STRING, req, "姓名", 30}, {"sex", JV_ENUM, false, "性别", 0, "sex"},               \
        {"kind", JV_ENUM, req, "人员类别", 0, "person_kind"},                                      \
        {"employment", JV_ENUM, false, "专兼职", 0, "employment"},                                 \
        {"profession", JV_ENUM, false, "职业身份", 0, "profession"},                               \
        {"background", JV_STRING, false, "工作经历", 500},                                         \
        {"specialties", JV_ENUM_ARRAY, false, "擅长纠纷类型", 20, "dispute_type"},                 \
        {"phone", JV_STRING, false, "联系电话", 30},                                               \
        {"id_number", JV_STRING, false, "身份证号", 20},                                           \
        {"grade", JV_INT, false, "调解员等级", 0, NULL, 1, 4},                                     \
        {"active", JV_BOOL, false, "在岗状态"},                                                    \
        {"orgs", JV_OBJECT_ARRAY, req, "所属组织", MAX_LINKS, NULL, 1, 0, link_items},             \
    {                                                                                              \
        NULL                                                                                       \
    }

static const jv_field create_spec[] = {PERSON_FIELDS(true)};
static const jv_field patch_spec[] = {PERSON_FIELDS(false)};

/* Copy of s without surrounding ASCII whitespace. */
static const char *trimmed(http_req *r, const char *s)
{
    if (!s)
        return NULL;
    while (*s && isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    return arena_strndup(&r->a, s, n);
}

/* Overlay the body's fields on p (all of them for a create, the sent ones for an update)
 * and validate the result. *masked gets the masked identity number when one was sent. */
static int apply_body(http_req *r, json_t *b, person_rec *p, const char **masked)
{
    *masked = NULL;
    static const char *const required[] = {"name", "kind", "orgs", "active"};
    static const char *const labels[] = {"姓名", "人员类别", "所属组织", "在岗状态"};
    for (int i = 0; i < 4; i++)
        if (jv_has(b, required[i]) && json_is_null(json_object_get(b, required[i])))
            return http_fail(r, 400, "validation_failed", required[i], "「%s」不能为空", labels[i]);
    if (jv_has(b, "name")) {
        p->name = trimmed(r, jv_str(b, "name"));
        if (!*p->name)
            return http_fail(r, 400, "validation_failed", "name", "「姓名」不能为空");
    }
    if (jv_has(b, "kind")) {
        p->kind = jv_str(b, "kind");
        if (!*p->kind) /* jv accepts "" for an optional enum: not for this one */
            return http_fail(r, 400, "validation_failed", "kind", "「人员类别」不能为空");
    }
    /* optional text: absent keeps, null or "" clears */
    static const char *const keys[] = {"sex", "employment", "profession", "background"};
    const char **slots[] = {&p->sex, &p->employment, &p->profession, &p->background};
    for (int i = 0; i < 4; i++)
        if (jv_has(b, keys[i]))
            *slots[i] = trimmed(r, jv_str(b, keys[i]));
    if (jv_has(b, "phone")) {
        p->phone = trimmed(r, jv_str(b, "phone"));
        if (p->phone && *p->phone && idcheck_phone(p->phone, &r->err) != 0)
            return -1;
    }
    if (jv_has(b, "specialties")) {
        json_t *arr = json_object_get(b, "specialties");
        buf sb;
        buf_init(&sb, 4096);
        for (size_t i = 0; i < json_array_size(arr); i++)
            buf_printf(&sb, "%s%s,", i ? "" : ",", json_string_value(json_array_get(arr, i)));
        p->specialties = arena_strdup(&r->a, sb.len ? sb.data : "");
        buf_free(&sb);
    }
    if (jv_has(b, "grade"))
        p->grade = jv_int(b, "grade", 0);
    if (jv_has(b, "active"))
        p->active = jv_bool(b, "active", true);
    const char *idn = jv_has(b, "id_number") ? trimmed(r, jv_str(b, "id_number")) : NULL;
    if (idn && *idn) {
        idcheck_id_info info;
        if (idcheck_id_number(idn, date_today_shanghai(clock_unix()), &info, &r->err) != 0)
            return -1;
        char m[IDCHECK_ID_SIZE], idx[CRYPTO_HASH_HEX];
        idcheck_mask_id(info.id_number, m, sizeof m);
        crypto_blind_index(info.id_number, idx);
        char *sealed = crypto_seal(info.id_number);
        const char *sex = info.sex == IDCHECK_MALE ? "male" : "female";
        crypto_wipe(&info, sizeof info);
        if (!sealed)
            return http_fail(r, 500, "internal", NULL, "身份证号加密失败");
        p->id_cipher = arena_strdup(&r->a, sealed);
        free(sealed);
        p->id_masked = *masked = arena_strdup(&r->a, m);
        p->id_index = arena_strdup(&r->a, idx);
        /* the number says the sex: refuse a contradiction, else take it from there */
        const char *given = jv_str(b, "sex");
        if (given && *given && strcmp(given, sex) != 0)
            return http_fail(r, 400, "validation_failed", "sex", "性别与身份证号不符");
        p->sex = sex;
    } else if (jv_has(b, "id_number")) {
        p->id_cipher = p->id_masked = p->id_index = NULL;
    }
    if (p->grade && strcmp(p->kind, "mediator") != 0)
        return http_fail(r, 400, "validation_failed", "grade", "只有调解员才评定等级");
    return 0;
}

/* Check the orgs of the body (each inside the caller's subtree, no repeats, not
 * dissolved unless already linked) and collect them. person_id 0 for a new person. */
static int collect_links(http_req *r, db *d, json_t *b, int64_t person_id, person_link *links,
                         size_t *n)
{
    json_t *arr = json_object_get(b, "orgs");
    *n = json_array_size(arr);
    for (size_t i = 0; i < *n; i++) {
        json_t *e = json_array_get(arr, i);
        char field[40];
        snprintf(field, sizeof field, "orgs[%zu].id", i);
        links[i].org_id = jv_int(e, "id", 0);
        links[i].duty = trimmed(r, jv_str(e, "duty"));
        for (size_t j = 0; j < i; j++)
            if (links[j].org_id == links[i].org_id)
                return http_fail(r, 400, "validation_failed", field, "所属组织重复");
        org_row o;
        if (org_get_writable(d, r->who, links[i].org_id, &o, &r->err) != 0) {
            if (r->err.status != 404)
                return -1;
            return http_fail(r, 400, "validation_failed", field,
                             "所属组织不存在或不在您的管辖范围内");
        }
        bool linked = false;
        if (o.dissolved && person_id && person_has_link(d, person_id, o.id, &linked, &r->err) != 0)
            return -1;
        if (o.dissolved && !linked)
            return http_fail(r, 400, "validation_failed", field, "「%s」已撤销", o.name);
    }
    return 0;
}

/* What the audit log keeps of a body: everything but the identity number, which is
 * replaced by its masked form. */
static json_t *audit_detail(json_t *b, const char *masked)
{
    json_t *c = json_deep_copy(b);
    if (json_object_get(c, "id_number"))
        json_object_set_new(c, "id_number", masked ? json_string(masked) : json_null());
    return c;
}

static int check_unique_id(http_req *r, db *d, const person_rec *p, int64_t except_id)
{
    bool taken = false;
    if (!p->id_index)
        return 0;
    if (person_index_taken(d, p->id_index, except_id, &taken, &r->err) != 0)
        return -1;
    if (taken)
        return http_fail(r, 409, "conflict", "id_number",
                         "该身份证号已登记，请在原有人员记录中增加所属组织");
    return 0;
}

/* Optional enum query parameter. */
static int q_enum(http_req *r, const char *name, const char *dict_name, const char **out)
{
    const char *v = http_query(r, name);
    *out = v && *v ? v : NULL;
    if (*out && !dict_has(dict_name, *out))
        return http_fail(r, 400, "validation_failed", name, "参数 %s 取值无效", name);
    return 0;
}

int api_people_list(http_req *r)
{
    person_filter f = {.active = -1};
    int64_t org_id, grade;
    const char *act = http_query(r, "active");
    db *d;
    if (q_enum(r, "kind", "person_kind", &f.kind) != 0 ||
        q_enum(r, "employment", "employment", &f.employment) != 0 ||
        q_enum(r, "specialty", "dispute_type", &f.specialty) != 0 ||
        api_query_id(r, "org_id", &org_id) != 0 || api_query_id(r, "grade", &grade) != 0 ||
        api_limit(r, 20, 100, &f.limit) != 0 || api_cursor(r, &f.before_id) != 0)
        return -1;
    if (grade > 4)
        return http_fail(r, 400, "validation_failed", "grade", "等级应为 1 到 4");
    f.grade = grade;
    f.q = http_query(r, "q");
    if (f.q && !*f.q)
        f.q = NULL;
    if (f.q && jv_utf8_len(f.q) > 50)
        return http_fail(r, 400, "validation_failed", "q", "搜索词最多 50 个字");
    if (act && *act) {
        if (!strcmp(act, "1") || !strcmp(act, "true"))
            f.active = 1;
        else if (!strcmp(act, "0") || !strcmp(act, "false"))
            f.active = 0;
        else
            return http_fail(r, 400, "validation_failed", "active", "参数 active 应为 1 或 0");
    }
    if (api_db(r, &d) != 0)
        return -1;
    org_row o;
    if (org_id) {
        bool found;
        if (org_get_row(d, org_id, &o, &found, &r->err) != 0)
            return -1;
        if (!found)
            return http_fail(r, 400, "validation_failed", "org_id",
                             "机构不存在或不在您的管辖范围内");
        f.org_path = o.path;
    }
    json_t *items;
    int64_t total, next;
    if (person_list(d, r->who, &f, &items, &total, &next, &r->err) != 0)
        return -1;
    json_t *res = json_pack("{s:o,s:I}", "items", items, "total", (json_int_t)total);
    if (next)
        json_object_set_new(res, "next_cursor", json_string(api_id_str(r, next)));
    return http_json(r, 200, res);
}

int api_people_get(http_req *r)
{
    int64_t id;
    db *d;
    json_t *p;
    if (http_param_id(r, 0, &id) != 0 || api_db(r, &d) != 0 ||
        person_get_json(d, r->who, id, &p, &r->err) != 0)
        return -1;
    return http_json(r, 200, p);
}

int api_people_create(http_req *r)
{
    json_t *b, *p;
    db *d;
    person_rec rec = {.active = true};
    const char *masked;
    if (http_body_object(r, &b) != 0 || jv_check(b, create_spec, "", &r->err) != 0 ||
        apply_body(r, b, &rec, &masked) != 0 || api_db(r, &d) != 0)
        return -1;
    person_link links[MAX_LINKS];
    size_t n;
    int64_t id;
    audit_ctx ac = api_audit(r);
    if (api_begin(r, d) != 0)
        return -1;
    if (collect_links(r, d, b, 0, links, &n) != 0 || check_unique_id(r, d, &rec, 0) != 0 ||
        person_insert(d, &rec, &id, &r->err) != 0 ||
        person_set_links(d, r->who, id, links, n, &r->err) != 0 ||
        audit_write(d, &ac, "create", "person", api_id_str(r, id), audit_detail(b, masked),
                    &r->err) != 0 ||
        api_commit(r, d) != 0)
        goto fail;
    if (person_get_json(d, r->who, id, &p, &r->err) != 0)
        return -1;
    return http_json(r, 201, p);
fail:
    db_rollback(d);
    return -1;
}

int api_people_update(http_req *r)
{
    json_t *b, *p;
    db *d;
    int64_t id;
    if (http_param_id(r, 0, &id) != 0 || http_body_object(r, &b) != 0 ||
        jv_check(b, patch_spec, "", &r->err) != 0 || api_db(r, &d) != 0)
        return -1;
    if (json_object_size(b) == 0)
        return http_fail(r, 400, "validation_failed", NULL, "没有要修改的字段");
    person_rec rec;
    person_link links[MAX_LINKS];
    size_t n = 0;
    const char *masked;
    audit_ctx ac = api_audit(r);
    if (api_begin(r, d) != 0)
        return -1;
    /* load first: a person outside the caller's scope is 404 before any field error */
    if (person_load(d, r->who, id, &r->a, &rec, &r->err) != 0 ||
        apply_body(r, b, &rec, &masked) != 0 ||
        (jv_has(b, "orgs") && collect_links(r, d, b, id, links, &n) != 0) ||
        check_unique_id(r, d, &rec, id) != 0 || person_update(d, id, &rec, &r->err) != 0 ||
        (jv_has(b, "orgs") && person_set_links(d, r->who, id, links, n, &r->err) != 0) ||
        audit_write(d, &ac, "update", "person", api_id_str(r, id), audit_detail(b, masked),
                    &r->err) != 0 ||
        api_commit(r, d) != 0)
        goto fail;
    if (person_get_json(d, r->who, id, &p, &r->err) != 0)
        return -1;
    return http_json(r, 200, p);
fail:
    db_rollback(d);
    return -1;
}

int api_people_unmask(http_req *r)
{
    int64_t id;
    db *d;
    const char *sealed;
    if (http_param_id(r, 0, &id) != 0 || api_db(r, &d) != 0)
        return -1;
    audit_ctx ac = api_audit(r);
    if (api_begin(r, d) != 0)
        return -1;
    if (person_id_cipher(d, r->who, id, &r->a, &sealed, &r->err) != 0)
        goto fail;
    if (!sealed) {
        http_fail(r, 404, "not_found", "id_number", "该人员未登记身份证号");
        goto fail;
    }
    char *plain = crypto_open(sealed);
    if (!plain) {
        http_fail(r, 500, "internal", NULL, "身份证号无法解密（密钥不匹配？）");
        goto fail;
    }
    /* the entry commits before the number is sent: no unaudited disclosure */
    if (audit_write(d, &ac, "unmask", "person", api_id_str(r, id), NULL, &r->err) != 0 ||
        api_commit(r, d) != 0) {
        crypto_wipe(plain, strlen(plain));
        free(plain);
        goto fail;
    }
    json_t *res = json_pack("{s:s}", "id_number", plain);
    crypto_wipe(plain, strlen(plain));
    free(plain);
    return http_json(r, 200, res);
fail:
    db_rollback(d);
    return -1;
}
