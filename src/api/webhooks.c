/* webhooks.c — /api/webhooks: notification endpoints of partner systems and the
 * outbox of their deliveries (docs/referrals.md). An administrator manages the
 * partners below it, a partner's lead its own org (permission webhook.manage,
 * scope applied in store/webhook_store). The secret is shown once, when an endpoint
 * is registered or its secret rotated. */
#include "api/api.h"
#include "app/crypto.h"
#include "app/outbox.h"
#include "core/dict.h"
#include "store/webhook_store.h"

#include <string.h>

int api_webhooks_list(http_req *r)
{
    db *d;
    json_t *items;
    if (api_db(r, &d) != 0 || webhook_list(d, r->who, &items, &r->err) != 0)
        return -1;
    return http_json(
        r, 200,
        json_pack("{s:o,s:I}", "items", items, "total", (json_int_t)json_array_size(items)));
}

int api_webhooks_get(http_req *r)
{
    int64_t id;
    db *d;
    json_t *o;
    if (http_param_id(r, 0, &id) != 0 || api_db(r, &d) != 0 ||
        webhook_get_json(d, r->who, id, &o, &r->err) != 0)
        return -1;
    return http_json(r, 200, o);
}

int api_webhooks_create(http_req *r)
{
    static const jv_field spec[] = {
        {"url", JV_STRING, true, "推送地址", 500},
        {"org_id", JV_INT, false, "对接单位", 0, NULL, 1, INT64_MAX},
        {"description", JV_STRING, false, "说明", 200},
        {NULL},
    };
    json_t *b;
    db *d;
    if (http_body_object(r, &b) != 0 || jv_check(b, spec, "", &r->err) != 0 || api_db(r, &d) != 0)
        return -1;
    char secret[WEBHOOK_SECRET_SIZE] = "";
    int64_t id;
    audit_ctx ac = api_audit(r);
    if (api_begin(r, d) != 0)
        return -1;
    if (webhook_create(d, r->who, jv_int(b, "org_id", 0), jv_str(b, "url"),
                       jv_str(b, "description"), secret, &id, &r->err) != 0 ||
        audit_write(d, &ac, "create", "webhook", api_id_str(r, id), json_incref(b), &r->err) != 0 ||
        api_commit(r, d) != 0)
        goto fail;
    json_t *o;
    if (webhook_get_json(d, r->who, id, &o, &r->err) != 0)
        goto fail;
    json_object_set_new(o, "secret", json_string(secret));
    crypto_wipe(secret, sizeof secret);
    return http_json(r, 201, o);
fail:
    crypto_wipe(secret, sizeof secret);
    db_rollback(d);
    return -1;
}

int api_webhooks_rotate(http_req *r)
{
    int64_t id;
    db *d;
    if (http_param_id(r, 0, &id) != 0 || api_db(r, &d) != 0)
        return -1;
    char secret[WEBHOOK_SECRET_SIZE] = "";
    audit_ctx ac = api_audit(r);
    if (api_begin(r, d) != 0)
        return -1;
    if (webhook_rotate(d, r->who, id, secret, &r->err) != 0 ||
        audit_write(d, &ac, "secret_rotate", "webhook", api_id_str(r, id), NULL, &r->err) != 0 ||
        api_commit(r, d) != 0) {
        crypto_wipe(secret, sizeof secret);
        db_rollback(d);
        return -1;
    }
    json_t *o = json_pack("{s:I,s:s}", "id", (json_int_t)id, "secret", secret);
    crypto_wipe(secret, sizeof secret);
    return http_json(r, 200, o);
}

int api_webhooks_disable(http_req *r)
{
    int64_t id;
    db *d;
    if (http_param_id(r, 0, &id) != 0 || api_db(r, &d) != 0)
        return -1;
    audit_ctx ac = api_audit(r);
    if (api_begin(r, d) != 0)
        return -1;
    if (webhook_disable(d, r->who, id, &r->err) != 0 ||
        audit_write(d, &ac, "disable", "webhook", api_id_str(r, id), NULL, &r->err) != 0 ||
        api_commit(r, d) != 0) {
        db_rollback(d);
        return -1;
    }
    return http_no_content(r);
}

int api_webhooks_ping(http_req *r)
{
    int64_t id, did;
    db *d;
    if (http_param_id(r, 0, &id) != 0 || api_db(r, &d) != 0)
        return -1;
    audit_ctx ac = api_audit(r);
    if (api_begin(r, d) != 0)
        return -1;
    if (webhook_ping(d, r->who, id, &did, &r->err) != 0 ||
        audit_write(d, &ac, "create", "webhook_delivery", api_id_str(r, did),
                    json_pack("{s:s,s:I}", "event", "ping", "endpoint_id", (json_int_t)id),
                    &r->err) != 0 ||
        api_commit(r, d) != 0) {
        db_rollback(d);
        return -1;
    }
    outbox_kick();
    json_t *o;
    if (webhook_delivery_json(d, r->who, did, &o, &r->err) != 0)
        return -1;
    return http_json(r, 202, o);
}

int api_webhook_deliveries_list(http_req *r)
{
    webhook_filter f = {0};
    db *d;
    f.status = http_query(r, "status");
    if (f.status && !*f.status)
        f.status = NULL;
    if (f.status && !dict_has("webhook_delivery_status", f.status))
        return http_fail(r, 400, "validation_failed", "status", "参数 status 取值无效");
    if (api_limit(r, 20, 100, &f.limit) != 0 || api_cursor(r, &f.cursor_id) != 0 ||
        api_query_id(r, "endpoint_id", &f.endpoint_id) != 0 ||
        api_query_id(r, "referral_id", &f.referral_id) != 0 || api_db(r, &d) != 0)
        return -1;
    json_t *items;
    int64_t total = 0, next = 0;
    if (webhook_deliveries(d, r->who, &f, &items, &total, &next, &r->err) != 0)
        return -1;
    json_t *out = json_pack("{s:o,s:I}", "items", items, "total", (json_int_t)total);
    if (next)
        json_object_set_new(out, "next_cursor", json_string(api_id_str(r, next)));
    return http_json(r, 200, out);
}

int api_webhook_deliveries_get(http_req *r)
{
    int64_t id;
    db *d;
    json_t *o;
    if (http_param_id(r, 0, &id) != 0 || api_db(r, &d) != 0 ||
        webhook_delivery_json(d, r->who, id, &o, &r->err) != 0)
        return -1;
    return http_json(r, 200, o);
}

int api_webhook_deliveries_retry(http_req *r)
{
    int64_t id;
    db *d;
    if (http_param_id(r, 0, &id) != 0 || api_db(r, &d) != 0)
        return -1;
    audit_ctx ac = api_audit(r);
    if (api_begin(r, d) != 0)
        return -1;
    if (webhook_retry(d, r->who, id, &r->err) != 0 ||
        audit_write(d, &ac, "retry", "webhook_delivery", api_id_str(r, id), NULL, &r->err) != 0 ||
        api_commit(r, d) != 0) {
        db_rollback(d);
        return -1;
    }
    outbox_kick();
    json_t *o;
    if (webhook_delivery_json(d, r->who, id, &o, &r->err) != 0)
        return -1;
    return http_json(r, 200, o);
}
