#include "api/api.h"

#include <stdlib.h>
#include <string.h>

int api_db(http_req *r, db **out)
{
    *out = db_thread(&r->err);
    return *out ? 0 : -1;
}

audit_ctx api_audit(http_req *r)
{
    return (audit_ctx){.who = r->who,
                       .login = r->who ? r->who->login : NULL,
                       .request_id = r->request_id,
                       .client_ip = http_client_ip(r)};
}

int api_begin(http_req *r, db *d)
{
    return db_begin(d, true, &r->err);
}

int api_commit(http_req *r, db *d)
{
    return db_commit(d, &r->err);
}

static int parse_pos(const char *s, int64_t *out)
{
    if (!s || !*s || strlen(s) > 15)
        return -1;
    char *end;
    long long v = strtoll(s, &end, 10);
    if (*end || v <= 0)
        return -1;
    *out = v;
    return 0;
}

int api_limit(http_req *r, int def, int max, int *out)
{
    const char *s = http_query(r, "limit");
    int64_t v = def;
    if (s && parse_pos(s, &v) != 0)
        return http_fail(r, 400, "validation_failed", "limit", "limit 应为正整数");
    *out = v > max ? max : (int)v;
    return 0;
}

int api_cursor(http_req *r, int64_t *out)
{
    return api_query_id(r, "cursor", out);
}

int api_query_id(http_req *r, const char *name, int64_t *out)
{
    const char *s = http_query(r, name);
    *out = 0;
    if (s && *s && parse_pos(s, out) != 0)
        return http_fail(r, 400, "validation_failed", name, "参数 %s 无效", name);
    return 0;
}

int api_send_file(http_req *r, const file_row *f)
{
    void *data;
    size_t n;
    if (file_store_read(f, &data, &n, &r->err) != 0)
        return -1;
    http_bytes(r, 200, f->mime, data, n);
    free(data);
    http_disposition(r, "inline", "file", f->name);
    http_header(r, "X-Checksum-SHA256", f->sha256);
    return 0;
}

const char *api_id_str(http_req *r, int64_t id)
{
    return arena_printf(&r->a, "%lld", (long long)id);
}

int api_body_or_empty(http_req *r, json_t **out)
{
    if (r->body.len == 0) {
        r->body_json = json_object();
        *out = r->body_json;
        return 0;
    }
    return http_body_object(r, out);
}
