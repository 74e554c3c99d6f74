#include "http/auth.h"
#include "app/config.h"
#include "app/crypto.h"
#include "store/user_store.h"
#include "util/clock.h"

#include <string.h>
#include <strings.h>

int auth_resolve(http_req *r, db *d)
{
    r->who = NULL;
    const char *authz = http_header_in(r, "Authorization");
    char hash[CRYPTO_HASH_HEX];
    bool found;
    principal *who = arena_calloc(&r->a, sizeof *who);
    if (authz && strncasecmp(authz, "Bearer ", 7) == 0) {
        const char *tok = authz + 7;
        if (strlen(tok) > 200)
            return http_fail(r, 401, "unauthenticated", NULL, "API 令牌无效");
        crypto_sha256_hex(tok, hash);
        if (token_resolve(d, hash, clock_unix(), who, &found, &r->err) != 0)
            return -1;
        if (!found)
            return http_fail(r, 401, "unauthenticated", NULL, "API 令牌无效或已吊销");
        r->who = who;
        return 0;
    }
    const char *cookie = http_cookie(r, AUTH_COOKIE);
    if (!cookie || !*cookie || strlen(cookie) > 200)
        return 0;
    crypto_sha256_hex(cookie, hash);
    if (session_resolve(d, hash, clock_unix(), (int64_t)g_config.session_idle_min * 60,
                        (int64_t)g_config.session_max_hours * 3600, who, &found, &r->err) != 0)
        return -1;
    if (found)
        r->who = who;
    return 0;
}

const char *auth_cookie(http_req *r, const char *token)
{
    if (!token)
        return arena_printf(&r->a, "%s=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0%s",
                            AUTH_COOKIE, r->secure ? "; Secure" : "");
    return arena_printf(&r->a, "%s=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%d%s",
                        AUTH_COOKIE, token, g_config.session_max_hours * 3600,
                        r->secure ? "; Secure" : "");
}
