#include "store/scope.h"

#include <stdio.h>

void scope_range_of(const char *path, scope_range *r)
{
    snprintf(r->lo, sizeof r->lo, "%s", path);
    scope_upper(path, r->hi, sizeof r->hi);
}

int scope_narrow(const principal *who, const char *path, scope_range *r, tj_err *err)
{
    if (!path || strncmp(who->org_path, path, strlen(path)) == 0) {
        scope_range_of(who->org_path, r);
        return 0;
    }
    if (!scope_contains(who, path))
        return err_set(err, 400, "validation_failed", "org_id", "机构不存在或不在您的管辖范围内");
    scope_range_of(path, r);
    return 0;
}

void scope_like_pattern(const char *q, char *out, size_t cap)
{
    size_t n = 0;
    out[n++] = '%';
    for (const char *p = q; *p && n + 3 < cap; p++) {
        if (*p == '%' || *p == '_' || *p == '\\')
            out[n++] = '\\';
        out[n++] = *p;
    }
    out[n++] = '%';
    out[n] = 0;
}

int scope_sees_everything(db *d, const principal *who, bool *all, tj_err *err)
{
    int64_t v = 0;
    *all = false;
    if (perm_partner_side(who->role) || !scope_top_level(who))
        return 0;
    if (db_scalar_int(d, &v, NULL, err,
                      "SELECT COUNT(*) = 1 AND MAX(path) = ? FROM orgs WHERE parent_id IS NULL",
                      "s", who->org_path) != 0)
        return -1;
    *all = v != 0;
    return 0;
}
