/* tokens.c — /api/tokens: API tokens for partner systems (Authorization: Bearer). A
 * token acts as a role at an org, like an account without a password. Its value is
 * shown once, in the 201 response; only its SHA-256 is stored. */
#include "api/api.h"
#include "app/crypto.h"
#include "store/account_store.h"

#include <string.h>

int api_tokens_list(http_req *r)
{
    db *d;
    json_t *items;
    if (api_db(r, &d) != 0 || account_token_list(d, r->who, &items, &r->err) != 0)
        return -1;
    return http_json(
        r, 200,
        json_pack("{s:o,s:I}", "items", items, "total", (json_int_t)json_array_size(items)));
}

int api_tokens_create(http_req *r)
{
    static const jv_field spec[] = {
        {"name", JV_STRING, true, "令牌名称", 50},
        {"org_id", JV_INT, true, "所属机构", 0, NULL, 1, INT64_MAX},
        {"role", JV_ENUM, true, "角色", 0, "role"},
        {NULL},
    };
    json_t *b;
    db *d;
    if (http_body_object(r, &b) != 0 || jv_check(b, spec, "", &r->err) != 0 || api_db(r, &d) != 0)
        return -1;
    const char *role = jv_str(b, "role");
    /* a token has no second factor and no session timeout: it never administers */
    if (strcmp(role, "admin") == 0)
        return http_fail(r, 400, "validation_failed", "role", "API 令牌不能使用「系统管理员」角色");
    char token[CRYPTO_TOKEN_LEN + 8], hash[CRYPTO_HASH_HEX];
    crypto_token("tj_", token, sizeof token);
    crypto_sha256_hex(token, hash);
    int64_t id, org_id = jv_int(b, "org_id", 0);
    audit_ctx ac = api_audit(r);
    if (api_begin(r, d) != 0)
        goto fail;
    if (account_check_placement(d, r->who, org_id, role, false, &r->err) != 0 ||
        account_token_insert(d, jv_str(b, "name"), org_id, role, hash, r->who->user_id, &id,
                             &r->err) != 0 ||
        audit_write(d, &ac, "token_create", "token", api_id_str(r, id), json_incref(b), &r->err) !=
            0 ||
        api_commit(r, d) != 0)
        goto fail;
    json_t *res = json_pack("{s:I,s:s,s:s,s:I,s:s}", "id", (json_int_t)id, "token", token, "name",
                            jv_str(b, "name"), "org_id", (json_int_t)org_id, "role", role);
    crypto_wipe(token, sizeof token);
    return http_json(r, 201, res);
fail:
    crypto_wipe(token, sizeof token);
    db_rollback(d);
    return -1;
}

int api_tokens_revoke(http_req *r)
{
    int64_t id;
    db *d;
    if (http_param_id(r, 0, &id) != 0 || api_db(r, &d) != 0)
        return -1;
    audit_ctx ac = api_audit(r);
    if (api_begin(r, d) != 0)
        return -1;
    if (account_token_revoke(d, r->who, id, &r->err) != 0 ||
        audit_write(d, &ac, "token_revoke", "token", api_id_str(r, id), NULL, &r->err) != 0 ||
        api_commit(r, d) != 0) {
        db_rollback(d);
        return -1;
    }
    return http_no_content(r);
}
