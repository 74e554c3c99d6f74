#include "core/org_rules.h"
#include "core/dict.h"

#include <stdbool.h>
#include <string.h>

static bool set(const char *s)
{
    return s && *s;
}

static bool is(const char *s, const char *v)
{
    return s && strcmp(s, v) == 0;
}

static bool one_of(const char *s, const char *const *vals)
{
    for (; *vals; vals++)
        if (is(s, *vals))
            return true;
    return false;
}

int org_rules_check(const char *kind, const char *level, const char *field, const char *host,
                    const char *partner_type, const char *parent_kind, tj_err *err)
{
    if (!dict_has("org_kind", kind))
        return err_set(err, 400, "validation_failed", "kind", "机构类别无效");
    if (!dict_has("org_level", level))
        return err_set(err, 400, "validation_failed", "level", "机构层级无效");
    static const char *const high[] = {"province", "city", "county", NULL};
    static const char *const mid[] = {"township", "street", NULL};
    if (set(field) && !is(kind, "committee"))
        return err_set(err, 400, "validation_failed", "field",
                       "只有人民调解委员会可以设置行业领域");
    if (set(field) && !dict_has("committee_field", field))
        return err_set(err, 400, "validation_failed", "field", "行业领域无效");
    if (is(kind, "dispatched_room") != set(host))
        return err_set(err, 400, "validation_failed", "host",
                       is(kind, "dispatched_room") ? "派驻调解室必须注明派驻单位"
                                                   : "只有派驻调解室可以设置派驻单位");
    if (set(host) && !dict_has("host", host))
        return err_set(err, 400, "validation_failed", "host", "派驻单位类别无效");
    if (is(kind, "partner") != set(partner_type))
        return err_set(err, 400, "validation_failed", "partner_type",
                       is(kind, "partner") ? "对接单位必须注明单位类别"
                                           : "只有对接单位可以设置单位类别");
    if (set(partner_type) && !dict_has("partner_type", partner_type))
        return err_set(err, 400, "validation_failed", "partner_type", "对接单位类别无效");
    if (is(kind, "bureau") && !one_of(level, high))
        return err_set(err, 400, "validation_failed", "level", "司法局应为县级及以上");
    if (is(kind, "judicial_office") && !one_of(level, mid))
        return err_set(err, 400, "validation_failed", "level", "司法所应为乡镇或街道层级");
    return org_rules_parent_ok(kind, parent_kind, err);
}

int org_rules_parent_ok(const char *kind, const char *parent_kind, tj_err *err)
{
    static const char *const office_parents[] = {"bureau", "judicial_office", NULL};
    static const char *const studio_parents[] = {"bureau", "judicial_office", "committee", NULL};
    if (is(kind, "bureau")) {
        if (parent_kind && !is(parent_kind, "bureau"))
            return err_set(err, 400, "validation_failed", "parent_id", "司法局的上级只能是司法局");
        return 0;
    }
    if (!parent_kind)
        return err_set(err, 400, "validation_failed", "parent_id", "必须指定上级机构");
    if (is(kind, "judicial_office")) {
        if (!is(parent_kind, "bureau"))
            return err_set(err, 400, "validation_failed", "parent_id", "司法所的上级应为司法局");
        return 0;
    }
    if (!one_of(parent_kind, is(kind, "studio") ? studio_parents : office_parents))
        return err_set(err, 400, "validation_failed", "parent_id",
                       "上级机构类别不符合要求（应为司法局或司法所%s）",
                       is(kind, "studio") ? "或调委会" : "");
    return 0;
}

int org_rules_region_code_ok(const char *code)
{
    size_t n = strlen(code);
    if (n != 6 && n != 9 && n != 12)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (code[i] < '0' || code[i] > '9')
            return 0;
    return 1;
}
