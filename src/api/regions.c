/* regions.c — /api/regions (administrative divisions) and /api/coverage (人民调解组织
 * 全覆盖: which villages and communities have no committee yet). */
#include "api/api.h"
#include "core/org_rules.h"
#include "store/org_store.h"
#include "store/region_store.h"

#include <stdio.h>
#include <string.h>

int api_regions_list(http_req *r)
{
    const char *parent = http_query(r, "parent_code");
    db *d;
    json_t *items;
    if (parent && !*parent)
        parent = NULL;
    if (parent && !org_rules_region_code_ok(parent))
        return http_fail(r, 400, "validation_failed", "parent_code",
                         "行政区划代码应为 6、9 或 12 位数字");
    if (api_db(r, &d) != 0 || region_list(d, parent, &items, &r->err) != 0)
        return -1;
    return http_json(r, 200, json_pack("{s:o}", "items", items));
}

/* Whether a level goes with a code length: 6 digits name a province, city or county,
 * 9 a township or street, 12 a village or community (GB/T 2260 and the statistical
 * division codes). */
static bool level_fits(const char *level, size_t len)
{
    static const char *const by_len[3][3] = {{"province", "city", "county"},
                                             {"township", "street", NULL},
                                             {"village", "community", NULL}};
    size_t row = len == 6 ? 0 : len == 9 ? 1 : 2;
    for (int i = 0; i < 3; i++)
        if (by_len[row][i] && strcmp(by_len[row][i], level) == 0)
            return true;
    return false;
}

int api_regions_create(http_req *r)
{
    static const jv_field spec[] = {
        {"code", JV_STRING, true, "行政区划代码", 12},
        {"name", JV_STRING, true, "名称", 50},
        {"level", JV_ENUM, true, "层级", 0, "org_level"},
        {"parent_code", JV_STRING, false, "上级区划代码", 12},
        {NULL},
    };
    json_t *b;
    db *d;
    if (http_body_object(r, &b) != 0 || jv_check(b, spec, "", &r->err) != 0 || api_db(r, &d) != 0)
        return -1;
    const char *code = jv_str(b, "code"), *level = jv_str(b, "level");
    const char *parent = jv_str(b, "parent_code");
    if (parent && !*parent)
        parent = NULL;
    size_t len = strlen(code);
    if (!org_rules_region_code_ok(code))
        return http_fail(r, 400, "validation_failed", "code", "行政区划代码应为 6、9 或 12 位数字");
    if (!level_fits(level, len))
        return http_fail(
            r, 400, "validation_failed", "level",
            "层级与代码位数不符：6 位为省、市、县级，9 位为乡镇、街道，12 位为村、社区");
    /* below county level a code extends its parent's: coverage relies on it */
    if (len > 6 && (!parent || strlen(parent) != len - 3 || strncmp(code, parent, len - 3) != 0))
        return http_fail(r, 400, "validation_failed", "parent_code",
                         "上级区划代码应为本代码的前 %zu 位", len - 3);
    if (parent && len == 6 && strlen(parent) != 6)
        return http_fail(r, 400, "validation_failed", "parent_code",
                         "县级以上区划的上级代码应为 6 位");
    char own[16], plevel[16];
    bool found;
    audit_ctx ac = api_audit(r);
    if (api_begin(r, d) != 0)
        return -1;
    /* data scope: below the root org, only divisions inside one's own region */
    bool root =
        strchr(r->who->org_path + 1, '/') == r->who->org_path + strlen(r->who->org_path) - 1;
    if (region_code_of_org(d, r->who->org_id, own, &r->err) != 0)
        goto fail;
    if (!root && (!own[0] || strncmp(code, own, strlen(own)) != 0 || strcmp(code, own) == 0)) {
        http_fail(r, 400, "validation_failed", "code", "只能新增本机构辖区（%s）内的行政区划",
                  own[0] ? own : "未设置");
        goto fail;
    }
    if (parent) {
        if (region_level(d, parent, plevel, &found, &r->err) != 0)
            goto fail;
        if (!found) {
            http_fail(r, 400, "validation_failed", "parent_code", "上级区划 %s 不存在", parent);
            goto fail;
        }
    }
    if (region_insert(d, code, jv_str(b, "name"), level, parent, &r->err) != 0 ||
        audit_write(d, &ac, "create", "region", code, json_incref(b), &r->err) != 0 ||
        api_commit(r, d) != 0)
        goto fail;
    return http_json(r, 201,
                     json_pack("{s:s,s:s,s:s,s:s?}", "code", code, "name", jv_str(b, "name"),
                               "level", level, "parent_code", parent));
fail:
    db_rollback(d);
    return -1;
}

int api_coverage(http_req *r)
{
    int64_t org_id, total = 0, covered = 0;
    db *d;
    org_row o;
    char code[16];
    json_t *uncovered = NULL;
    if (api_query_id(r, "org_id", &org_id) != 0 || api_db(r, &d) != 0)
        return -1;
    if (!org_id)
        org_id = r->who->org_id;
    if (org_get_writable(d, r->who, org_id, &o, &r->err) != 0 ||
        region_code_of_org(d, org_id, code, &r->err) != 0)
        return -1;
    /* an org without a region covers nothing: zero villages, no rate */
    if (code[0] && region_coverage(d, code, &total, &covered, &uncovered, &r->err) != 0)
        return -1;
    return http_json(r, 200,
                     json_pack("{s:{s:I,s:s,s:s?},s:I,s:I,s:o,s:o}", "org", "id", (json_int_t)o.id,
                               "name", o.name, "region_code", code[0] ? code : NULL, "total",
                               (json_int_t)total, "covered", (json_int_t)covered, "rate",
                               total ? json_real((double)covered / (double)total) : json_null(),
                               "uncovered", uncovered ? uncovered : json_array()));
}
