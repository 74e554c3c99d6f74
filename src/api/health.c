#include "api/api.h"
#include "core/dict.h"
#include "core/perm.h"
#include "store/migrate.h"
#include "util/clock.h"

int api_health(http_req *r)
{
    char now[21];
    clock_iso(clock_unix(), now);
    tj_err e = {0};
    db *d = db_thread(&e);
    int version = 0;
    if (!d || migrate_applied(d, &version, &e) != 0)
        return http_json(r, 503,
                         json_pack("{s:s,s:s,s:s,s:s}", "status", "error", "version", TJ_VERSION,
                                   "message", "数据库不可用", "time", now));
    return http_json(r, 200,
                     json_pack("{s:s,s:s,s:i,s:s,s:s}", "status", "ok", "version", TJ_VERSION,
                               "schema_version", version, "database", db_engine_name(d), "time",
                               now));
}

int api_dicts(http_req *r)
{
    json_t *out = json_object();
    for (int i = 0; dict_all[i]; i++) {
        json_t *arr = json_array();
        for (const dict_entry *e = dict_all[i]->entries; e->value; e++)
            json_array_append_new(arr,
                                  json_pack("{s:s,s:s}", "value", e->value, "label", e->label));
        json_object_set_new(out, dict_all[i]->name, arr);
    }
    /* permission labels come from the matrix itself (core/perm.c) */
    json_t *perms = json_array();
    for (int p = 0; p < PERM__COUNT; p++)
        json_array_append_new(perms, json_pack("{s:s,s:s}", "value", perm_name((enum perm)p),
                                               "label", perm_label((enum perm)p)));
    json_object_set_new(out, "permission", perms);
    json_t *grades = json_array();
    static const char *const grade_labels[] = {"一级调解员", "二级调解员", "三级调解员",
                                               "四级调解员"};
    for (int g = 0; g < 4; g++)
        json_array_append_new(grades,
                              json_pack("{s:i,s:s}", "value", g + 1, "label", grade_labels[g]));
    json_object_set_new(out, "grade", grades);
    return http_json(r, 200, out);
}
