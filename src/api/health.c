#include "api/api.h"
#include "core/dict.h"
#include "store/migrate.h"
#include "util/clock.h"

int api_health(http_req *r)
{
    char now[21];
    clock_iso(clock_unix(), now);
    tj_err e = {0};
    db *d = db_thread(&e);
    int version = 0;
    if (!d || migrate_current(d, &version, &e) != 0)
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
    return http_json(r, 200, out);
}
