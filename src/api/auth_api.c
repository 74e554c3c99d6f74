#include "api/api.h"
#include "app/crypto.h"
#include "core/password.h"
#include "http/auth.h"
#include "store/user_store.h"
#include "util/clock.h"

#include <string.h>

#define WINDOW_S        (15 * 60)
#define MAX_LOGIN_FAILS 5
#define MAX_IP_FAILS    20

/* A hash of a random password: verifying against it when the login does not exist
 * costs the same as a real check, so response time does not reveal which logins exist. */
static char dummy_hash[CRYPTO_PWHASH_LEN];

static json_t *me_json(const principal *w)
{
    json_t *perms = json_array();
    for (int p = 0; p < PERM__COUNT; p++)
        if (perm_allows(w->role, (enum perm)p))
            json_array_append_new(perms, json_string(perm_name((enum perm)p)));
    return json_pack("{s:{s:I,s:s,s:s,s:s,s:s,s:I,s:s,s:s},s:o,s:s}", "user", "id",
                     (json_int_t)w->user_id, "login", w->login, "name", w->name, "role",
                     perm_role_name(w->role), "role_label", perm_role_label(w->role), "org_id",
                     (json_int_t)w->org_id, "org_name", w->org_name, "org_kind", w->org_kind,
                     "permissions", perms, "csrf_token", w->csrf);
}

int api_auth_login(http_req *r)
{
    static const jv_field spec[] = {
        {"login", JV_STRING, true, "登录名", 64},
        {"password", JV_STRING, true, "密码", 256},
        {NULL},
    };
    json_t *body;
    db *d;
    if (http_body_object(r, &body) != 0 || jv_check(body, spec, "", &r->err) != 0 ||
        api_db(r, &d) != 0)
        return -1;
    const char *login = jv_str(body, "login");
    const char *pw = jv_str(body, "password");
    int64_t now = clock_unix();
    int64_t lf, ipf, lo, io;
    if (attempts_count(d, login, http_client_ip(r), now, WINDOW_S, &lf, &ipf, &lo, &io, &r->err) !=
        0)
        return -1;
    if (lf >= MAX_LOGIN_FAILS || ipf >= MAX_IP_FAILS) {
        int64_t oldest = lf >= MAX_LOGIN_FAILS ? lo : io;
        int64_t wait = oldest + WINDOW_S - now;
        int minutes = (int)((wait + 59) / 60);
        if (minutes < 1)
            minutes = 1;
        char ra[16];
        snprintf(ra, sizeof ra, "%lld", (long long)(wait > 0 ? wait : 60));
        http_header(r, "Retry-After", ra);
        return http_fail(r, 429, "rate_limited", NULL,
                         lf >= MAX_LOGIN_FAILS
                             ? "该账号连续登录失败次数过多，已临时锁定，请 %d 分钟后再试"
                             : "该地址登录失败次数过多，请 %d 分钟后再试",
                         minutes);
    }
    user_row u;
    bool found;
    if (user_by_login(d, login, &u, &found, &r->err) != 0)
        return -1;
    if (!dummy_hash[0] && crypto_password_hash("tiaojie-not-a-password", dummy_hash, NULL) != 0)
        dummy_hash[0] = 0;
    int ok = crypto_password_verify(found ? u.pw_hash : dummy_hash, pw) == 1 && found;
    audit_ctx ac = api_audit(r);
    ac.login = login;
    if (!ok) {
        if (api_begin(r, d) != 0 ||
            attempts_record(d, login, http_client_ip(r), now, false, &r->err) ||
            audit_write(d, &ac, "login_failed", "session", NULL, NULL, &r->err) != 0 ||
            api_commit(r, d) != 0)
            return -1;
        crypto_wipe(&u, sizeof u);
        return http_fail(r, 401, "login_failed", NULL, "登录名或密码错误");
    }
    if (u.disabled) {
        crypto_wipe(&u, sizeof u);
        return http_fail(r, 403, "account_disabled", NULL, "该账号已停用，请联系管理员");
    }
    char token[CRYPTO_TOKEN_LEN], hash[CRYPTO_HASH_HEX], csrf[CRYPTO_TOKEN_LEN];
    crypto_token(NULL, token, sizeof token);
    crypto_token(NULL, csrf, sizeof csrf);
    crypto_sha256_hex(token, hash);
    char newhash[CRYPTO_PWHASH_LEN] = "";
    if (crypto_password_needs_rehash(u.pw_hash) && crypto_password_hash(pw, newhash, &r->err) != 0)
        return -1;
    principal *w = arena_calloc(&r->a, sizeof *w);
    int64_t sid;
    if (api_begin(r, d) != 0)
        return -1;
    if ((newhash[0] && db_run(d, NULL, &r->err, "UPDATE users SET pw_hash = ? WHERE id = ?", "si",
                              newhash, u.id) != 0) ||
        attempts_record(d, login, http_client_ip(r), now, true, &r->err) != 0 ||
        session_insert(d, u.id, hash, csrf, http_client_ip(r), http_header_in(r, "User-Agent"), now,
                       &sid, &r->err) != 0 ||
        user_touch_login(d, u.id, &r->err) != 0 || principal_load(d, u.id, w, &found, &r->err) != 0)
        goto fail;
    w->session_id = sid;
    snprintf(w->csrf, sizeof w->csrf, "%s", csrf);
    r->who = w;
    ac = api_audit(r);
    if (audit_write(d, &ac, "login", "session", NULL, NULL, &r->err) != 0 || api_commit(r, d) != 0)
        goto fail;
    http_header(r, "Set-Cookie", auth_cookie(r, token));
    crypto_wipe(token, sizeof token);
    crypto_wipe(&u, sizeof u);
    return http_json(r, 200, me_json(w));
fail:
    db_rollback(d);
    crypto_wipe(token, sizeof token);
    crypto_wipe(&u, sizeof u);
    return -1;
}

int api_auth_logout(http_req *r)
{
    db *d;
    if (api_db(r, &d) != 0)
        return -1;
    audit_ctx ac = api_audit(r);
    if (r->who->session_id) {
        if (api_begin(r, d) != 0 || session_delete(d, r->who->session_id, &r->err) != 0 ||
            audit_write(d, &ac, "logout", "session", NULL, NULL, &r->err) != 0 ||
            api_commit(r, d) != 0)
            return -1;
    }
    http_header(r, "Set-Cookie", auth_cookie(r, NULL));
    return http_no_content(r);
}

int api_auth_me(http_req *r)
{
    return http_json(r, 200, me_json(r->who));
}

int api_auth_password(http_req *r)
{
    static const jv_field spec[] = {
        {"old_password", JV_STRING, true, "原密码", 256},
        {"new_password", JV_STRING, true, "新密码", 256},
        {NULL},
    };
    json_t *body;
    db *d;
    if (!r->who->user_id)
        return http_fail(r, 403, "forbidden", NULL, "API 令牌不能修改密码");
    if (http_body_object(r, &body) != 0 || jv_check(body, spec, "", &r->err) != 0 ||
        api_db(r, &d) != 0)
        return -1;
    const char *oldpw = jv_str(body, "old_password"), *newpw = jv_str(body, "new_password");
    user_row u;
    bool found;
    if (user_by_login(d, r->who->login, &u, &found, &r->err) != 0)
        return -1;
    if (!found || crypto_password_verify(u.pw_hash, oldpw) != 1) {
        crypto_wipe(&u, sizeof u);
        return http_fail(r, 400, "validation_failed", "old_password", "原密码不正确");
    }
    crypto_wipe(&u, sizeof u);
    if (password_policy_check(r->who->login, newpw, "new_password", &r->err) != 0)
        return -1;
    if (strcmp(oldpw, newpw) == 0)
        return http_fail(r, 400, "validation_failed", "new_password", "新密码不能与原密码相同");
    char hash[CRYPTO_PWHASH_LEN];
    if (crypto_password_hash(newpw, hash, &r->err) != 0)
        return -1;
    audit_ctx ac = api_audit(r);
    if (api_begin(r, d) != 0 ||
        user_set_password(d, r->who->user_id, hash, r->who->session_id, &r->err) != 0 ||
        audit_write(d, &ac, "password_change", "user",
                    arena_printf(&r->a, "%lld", (long long)r->who->user_id), NULL, &r->err) != 0 ||
        api_commit(r, d) != 0)
        return -1;
    return http_no_content(r);
}
