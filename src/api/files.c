#include "api/api.h"
#include "store/case_store.h"
#include "store/file_store.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/date.h"

int api_files_upload(http_req *r)
{
    db *d;
    if (r->body.len == 0)
        return http_fail(r, 400, "validation_failed", "file", "上传的文件为空");
    const char *ct = http_header_in(r, "Content-Type");
    const char *sniffed = file_store_sniff(r->body.data, r->body.len);
    if (!sniffed)
        return http_fail(r, 415, "unsupported_media_type", "file",
                         "只能上传 PDF、PNG 或 JPEG 文件");
    if (ct && strncmp(ct, sniffed, strlen(sniffed)) != 0 &&
        strncmp(ct, "application/octet-stream", 24) != 0)
        return http_fail(r, 415, "unsupported_media_type", "file",
                         "文件内容（%s）与声明的类型（%.40s）不符", sniffed, ct);
    const char *name = http_upload_filename(r);
    if (!name)
        name = "file";
    if (!jv_utf8_len(name) || strlen(name) > 1000)
        name = "file";
    file_row f;
    audit_ctx ac = api_audit(r);
    if (api_db(r, &d) != 0 || api_begin(r, d) != 0)
        return -1;
    if (file_store_put(d, r->who->user_id, r->body.data, r->body.len, name, &f, &r->err) != 0 ||
        audit_write(d, &ac, "create", "file", arena_printf(&r->a, "%lld", (long long)f.id),
                    json_pack("{s:s,s:s,s:I}", "name", f.name, "sha256", f.sha256, "size",
                              (json_int_t)f.size),
                    &r->err) != 0 ||
        api_commit(r, d) != 0) {
        db_rollback(d);
        return -1;
    }
    return http_json(r, 201, file_store_json(&f));
}

int api_files_get(http_req *r)
{
    int64_t id;
    db *d;
    bool visible, found;
    file_row f;
    if (http_param_id(r, 0, &id) != 0 || api_db(r, &d) != 0 ||
        file_store_visible(d, r->who, id, &visible, &r->err) != 0)
        return -1;
    if (!visible || file_store_get(d, id, &f, &found, &r->err) != 0 || !found)
        return r->err.status ? -1 : http_fail(r, 404, "not_found", NULL, "文件不存在");
    return api_send_file(r, &f);
}

int api_cases_attach(http_req *r)
{
    static const jv_field spec[] = {
        {"file_id", JV_INT, true, "文件", 0, NULL, 1, INT64_MAX},
        {"kind", JV_ENUM, true, "材料类别", 0, "attachment_kind"},
        {"title", JV_STRING, true, "材料名称", 100},
        {NULL},
    };
    int64_t id;
    db *d;
    json_t *b;
    if (http_param_id(r, 0, &id) != 0 || http_body_object(r, &b) != 0 ||
        jv_check(b, spec, "", &r->err) != 0 || api_db(r, &d) != 0)
        return -1;
    case_row c;
    file_row f;
    bool found, visible;
    audit_ctx ac = api_audit(r);
    if (api_begin(r, d) != 0)
        return -1;
    if (case_get(d, r->who, id, &c, &r->err) != 0)
        goto fail;
    if (!scope_contains(r->who, c.org_path) || perm_partner_side(r->who->role)) {
        http_fail(r, 403, "forbidden", NULL, "您只能查看该案件");
        goto fail;
    }
    if (c.state == CASE_FLOW_STATE_ARCHIVED) {
        http_fail(r, 409, "conflict", "state", "案件已归档，不能再添加材料");
        goto fail;
    }
    if (file_store_visible(d, r->who, jv_int(b, "file_id", 0), &visible, &r->err) != 0 ||
        file_store_get(d, jv_int(b, "file_id", 0), &f, &found, &r->err) != 0)
        goto fail;
    if (!visible || !found) {
        http_fail(r, 400, "validation_failed", "file_id", "文件不存在");
        goto fail;
    }
    if (case_attach(d, r->who, &c, f.id, jv_str(b, "kind"), jv_str(b, "title"), &r->err) != 0 ||
        audit_write(d, &ac, "attach", "case", arena_printf(&r->a, "%lld", (long long)id),
                    json_incref(b), &r->err) != 0 ||
        api_commit(r, d) != 0)
        goto fail;
    json_t *o;
    if (case_detail(d, r->who, id, date_today_shanghai(time(NULL)), &o, &r->err) != 0)
        return -1;
    return http_json(r, 200, o);
fail:
    db_rollback(d);
    return -1;
}
