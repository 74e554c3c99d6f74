/* users.c — /api/users: account administration inside the admin's org subtree.
 * Passwords pass the policy (core/password.h) and are stored as Argon2id hashes; no
 * password or hash ever reaches a response or the audit log. */
#include "api/api.h"
#include "app/crypto.h"
#include "core/idcheck.h"
#include "core/password.h"
#include "store/account_store.h"
#include "store/org_store.h"
#include "store/user_store.h"

#include <ctype.h>
#include <string.h>

static int respond_user(http_req *r, db *d, int64_t id, int status)
{
    json_t *u;
    if (account_get_json(d, r->who, id, &u, &r->err) != 0)
        return -1;
    return http_json(r, status, u);
}

/* Logins are ASCII letters, digits and . _ - @, 2–63 characters, starting with a letter
 * or digit: easy to type on any keyboard, and never "token:…" (how API tokens appear
 * in the audit log). */
static int check_login(http_req *r, const char *login)
{
    size_t n = strlen(login);
    bool ok = n >= 2 && n <= 63 && isalnum((unsigned char)login[0]);
    for (size_t i = 0; ok && i < n; i++)
        ok = isalnum((unsigned char)login[i]) || strchr("._-@", login[i]);
    if (!ok)
        return http_fail(r, 400, "validation_failed", "login",
                         "登录名应为 2–63 个英文字母、数字或 . _ - @，并以字母或数字开头");
    return 0;
}

/* The audit log keeps what was asked, never a password. */
static json_t *without_password(json_t *b)
{
    json_t *c = json_deep_copy(b);
    json_object_del(c, "password");
    return c;
}

static int check_phone(http_req *r, const char *phone)
{
    return phone && *phone ? idcheck_phone(phone, &r->err) : 0;
}

int api_users_list(http_req *r)
{
    account_filter f = {.disabled = -1};
    int64_t org_id;
    db *d;
    if (api_query_id(r, "org_id", &org_id) != 0 || api_limit(r, 20, 100, &f.limit) != 0 ||
        api_cursor(r, &f.before_id) != 0)
        return -1;
    f.role = http_query(r, "role");
    if (f.role && !*f.role)
        f.role = NULL;
    if (f.role && perm_role_parse(f.role) < 0)
        return http_fail(r, 400, "validation_failed", "role", "参数 role 取值无效");
    f.q = http_query(r, "q");
    if (f.q && !*f.q)
        f.q = NULL;
    if (f.q && jv_utf8_len(f.q) > 50)
        return http_fail(r, 400, "validation_failed", "q", "搜索词最多 50 个字");
    const char *dis = http_query(r, "disabled");
    if (dis && *dis) {
        if (!strcmp(dis, "1") || !strcmp(dis, "true"))
            f.disabled = 1;
        else if (!strcmp(dis, "0") || !strcmp(dis, "false"))
            f.disabled = 0;
        else
            return http_fail(r, 400, "validation_failed", "disabled", "参数 disabled 应为 1 或 0");
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
    if (account_list(d, r->who, &f, &items, &total, &next, &r->err) != 0)
        return -1;
    json_t *res = json_pack("{s:o,s:I}", "items", items, "total", (json_int_t)total);
    if (next)
        json_object_set_new(res, "next_cursor", json_string(api_id_str(r, next)));
    return http_json(r, 200, res);
}

int api_users_create(http_req *r)
{
    static const jv_field spec[] = {
        {"login", JV_STRING, true, "登录名", 63},
        {"name", JV_STRING, true, "姓名", 30},
        {"org_id", JV_INT, true, "所属机构", 0, NULL, 1, INT64_MAX},
        {"role", JV_ENUM, true, "角色", 0, "role"},
        {"phone", JV_STRING, false, "联系电话", 30},
        {"password", JV_STRING, true, "密码", 256},
        {NULL},
    };
    json_t *b;
    db *d;
    if (http_body_object(r, &b) != 0 || jv_check(b, spec, "", &r->err) != 0 ||
        check_login(r, jv_str(b, "login")) != 0 || check_phone(r, jv_str(b, "phone")) != 0 ||
        password_policy_check(jv_str(b, "login"), jv_str(b, "password"), "password", &r->err) !=
            0 ||
        api_db(r, &d) != 0)
        return -1;
    user_row u = {0};
    snprintf(u.login, sizeof u.login, "%s", jv_str(b, "login"));
    snprintf(u.name, sizeof u.name, "%s", jv_str(b, "name"));
    snprintf(u.role, sizeof u.role, "%s", jv_str(b, "role"));
    snprintf(u.phone, sizeof u.phone, "%s", jv_str(b, "phone") ? jv_str(b, "phone") : "");
    u.org_id = jv_int(b, "org_id", 0);
    /* hash before taking the write lock: Argon2id takes a while */
    char hash[CRYPTO_PWHASH_LEN];
    if (crypto_password_hash(jv_str(b, "password"), hash, &r->err) != 0)
        return -1;
    int64_t id;
    audit_ctx ac = api_audit(r);
    if (api_begin(r, d) != 0)
        goto fail;
    if (account_check_placement(d, r->who, u.org_id, u.role, false, &r->err) != 0 ||
        user_insert(d, &u, hash, &id, &r->err) != 0 ||
        audit_write(d, &ac, "create", "user", api_id_str(r, id), without_password(b), &r->err) !=
            0 ||
        api_commit(r, d) != 0)
        goto fail;
    crypto_wipe(hash, sizeof hash);
    return respond_user(r, d, id, 201);
fail:
    crypto_wipe(hash, sizeof hash);
    db_rollback(d);
    return -1;
}

int api_users_update(http_req *r)
{
    static const jv_field spec[] = {
        {"name", JV_STRING, false, "姓名", 30},
        {"role", JV_ENUM, false, "角色", 0, "role"},
        {"org_id", JV_INT, false, "所属机构", 0, NULL, 1, INT64_MAX},
        {"phone", JV_STRING, false, "联系电话", 30},
        {"disabled", JV_BOOL, false, "停用"},
        {NULL},
    };
    json_t *b;
    db *d;
    int64_t id;
    if (http_param_id(r, 0, &id) != 0 || http_body_object(r, &b) != 0 ||
        jv_check(b, spec, "", &r->err) != 0 || check_phone(r, jv_str(b, "phone")) != 0 ||
        api_db(r, &d) != 0)
        return -1;
    if (json_object_size(b) == 0)
        return http_fail(r, 400, "validation_failed", NULL, "没有要修改的字段");
    static const char *const required[] = {"name", "role", "org_id", "disabled"};
    static const char *const labels[] = {"姓名", "角色", "所属机构", "停用"};
    for (int i = 0; i < 4; i++)
        if (jv_has(b, required[i]) && json_is_null(json_object_get(b, required[i])))
            return http_fail(r, 400, "validation_failed", required[i], "「%s」不能为空", labels[i]);
    const char *name = jv_str(b, "name"), *role = jv_str(b, "role");
    const char *phone = jv_has(b, "phone") ? (jv_str(b, "phone") ? jv_str(b, "phone") : "") : NULL;
    int64_t org_id = jv_int(b, "org_id", 0);
    if (name && !*name)
        return http_fail(r, 400, "validation_failed", "name", "「姓名」不能为空");
    if (role && !*role)
        return http_fail(r, 400, "validation_failed", "role", "「角色」不能为空");
    account_row u;
    audit_ctx ac = api_audit(r);
    if (api_begin(r, d) != 0)
        return -1;
    if (account_get_writable(d, r->who, id, &u, &r->err) != 0)
        goto fail;
    /* an administrator cannot lock themselves out or shrink their own powers: another
     * administrator has to do it */
    if (u.id == r->who->user_id) {
        const char *why = jv_bool(b, "disabled", false)       ? "停用自己的账号"
                          : role && strcmp(role, u.role) != 0 ? "修改自己的角色"
                          : org_id && org_id != u.org_id      ? "修改自己的所属机构"
                                                              : NULL;
        if (why) {
            http_fail(r, 403, "forbidden", NULL, "不能%s，请由其他管理员操作", why);
            goto fail;
        }
    }
    /* a move or a new role must fit the target org; staying put in an org dissolved
     * since is allowed */
    if (((org_id && org_id != u.org_id) || role) &&
        account_check_placement(d, r->who, org_id ? org_id : u.org_id, role ? role : u.role,
                                !org_id || org_id == u.org_id, &r->err) != 0)
        goto fail;
    if (account_update(d, id, name, role, org_id, phone, &r->err) != 0 ||
        (jv_has(b, "disabled") &&
         user_set_disabled(d, id, jv_bool(b, "disabled", false), &r->err) != 0) ||
        audit_write(d, &ac, "update", "user", api_id_str(r, id), json_incref(b), &r->err) != 0 ||
        api_commit(r, d) != 0)
        goto fail;
    return respond_user(r, d, id, 200);
fail:
    db_rollback(d);
    return -1;
}

int api_users_password(http_req *r)
{
    static const jv_field spec[] = {
        {"password", JV_STRING, true, "新密码", 256},
        {NULL},
    };
    json_t *b;
    db *d;
    int64_t id;
    account_row u;
    if (http_param_id(r, 0, &id) != 0 || http_body_object(r, &b) != 0 ||
        jv_check(b, spec, "", &r->err) != 0 || api_db(r, &d) != 0 ||
        account_get_writable(d, r->who, id, &u, &r->err) != 0 ||
        password_policy_check(u.login, jv_str(b, "password"), "password", &r->err) != 0)
        return -1;
    char hash[CRYPTO_PWHASH_LEN];
    if (crypto_password_hash(jv_str(b, "password"), hash, &r->err) != 0)
        return -1;
    audit_ctx ac = api_audit(r);
    /* every session of the account ends; resetting one's own keeps the current one */
    int64_t keep = id == r->who->user_id ? r->who->session_id : 0;
    if (api_begin(r, d) != 0)
        goto fail;
    if (account_get_writable(d, r->who, id, &u, &r->err) != 0 ||
        user_set_password(d, id, hash, keep, &r->err) != 0 ||
        audit_write(d, &ac, "password_reset", "user", api_id_str(r, id), NULL, &r->err) != 0 ||
        api_commit(r, d) != 0)
        goto fail;
    crypto_wipe(hash, sizeof hash);
    return http_no_content(r);
fail:
    crypto_wipe(hash, sizeof hash);
    db_rollback(d);
    return -1;
}
