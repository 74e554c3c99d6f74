#include "store/user_store.h"
#include "util/clock.h"

#include <stdio.h>
#include <string.h>

#define COPY(dst, src) snprintf((dst), sizeof(dst), "%s", (src))

int user_by_login(db *d, const char *login, user_row *u, bool *found, tj_err *err)
{
    db_stmt *s;
    memset(u, 0, sizeof *u);
    if (db_query(d, &s, err,
                 "SELECT id, org_id, login, name, role, COALESCE(phone,''), pw_hash, disabled"
                 " FROM users WHERE login = ?",
                 "s", login) != 0)
        return -1;
    int rc = db_step(s, err);
    *found = rc == 1;
    if (rc == 1) {
        u->id = db_col_int(s, 0);
        u->org_id = db_col_int(s, 1);
        COPY(u->login, db_col_text(s, 2));
        COPY(u->name, db_col_text(s, 3));
        COPY(u->role, db_col_text(s, 4));
        COPY(u->phone, db_col_text(s, 5));
        COPY(u->pw_hash, db_col_text(s, 6));
        u->disabled = db_col_int(s, 7) != 0;
    }
    db_done(s);
    return rc < 0 ? -1 : 0;
}

int user_insert(db *d, const user_row *u, const char *pw_hash, int64_t *id, tj_err *err)
{
    char now[21];
    clock_iso(clock_unix(), now);
    bool found;
    if (db_scalar_int(d, id, &found, err,
                      "INSERT INTO users(login, name, org_id, role, phone, pw_hash, disabled,"
                      " pw_changed_at, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?)"
                      " RETURNING id",
                      "ssisssisss", u->login, u->name, u->org_id, u->role,
                      u->phone[0] ? u->phone : NULL, pw_hash, (int64_t)u->disabled, now, now,
                      now) != 0) {
        if (err && err->status == 409)
            err_set(err, 409, "conflict", "login", "登录名「%s」已被使用", u->login);
        return -1;
    }
    return 0;
}

int user_set_password(db *d, int64_t user_id, const char *pw_hash, int64_t keep_session,
                      tj_err *err)
{
    char now[21];
    clock_iso(clock_unix(), now);
    if (db_run(d, NULL, err,
               "UPDATE users SET pw_hash = ?, pw_changed_at = ?, updated_at = ? WHERE id = ?",
               "sssi", pw_hash, now, now, user_id) != 0)
        return -1;
    return db_run(d, NULL, err, "DELETE FROM sessions WHERE user_id = ? AND id <> ?", "ii", user_id,
                  keep_session);
}

int user_set_disabled(db *d, int64_t user_id, bool disabled, tj_err *err)
{
    char now[21];
    clock_iso(clock_unix(), now);
    if (db_run(d, NULL, err, "UPDATE users SET disabled = ?, updated_at = ? WHERE id = ?", "isi",
               (int64_t)disabled, now, user_id) != 0)
        return -1;
    if (disabled)
        return db_run(d, NULL, err, "DELETE FROM sessions WHERE user_id = ?", "i", user_id);
    return 0;
}

int user_touch_login(db *d, int64_t user_id, tj_err *err)
{
    char now[21];
    clock_iso(clock_unix(), now);
    return db_run(d, NULL, err, "UPDATE users SET last_login_at = ? WHERE id = ?", "si", now,
                  user_id);
}

int session_insert(db *d, int64_t user_id, const char *token_hash, const char *csrf, const char *ip,
                   const char *user_agent, int64_t now, int64_t *id, tj_err *err)
{
    char ua[256];
    snprintf(ua, sizeof ua, "%s", user_agent ? user_agent : "");
    return db_scalar_int(d, id, NULL, err,
                         "INSERT INTO sessions(token_hash, user_id, csrf_token, created_at,"
                         " last_seen, client_ip, user_agent) VALUES (?,?,?,?,?,?,?) RETURNING id",
                         "sisiiss", token_hash, user_id, csrf, now, now, ip, ua);
}

static void fill_principal(db_stmt *s, int base, principal *who)
{
    who->user_id = db_col_int(s, base);
    COPY(who->login, db_col_text(s, base + 1));
    COPY(who->name, db_col_text(s, base + 2));
    int r = perm_role_parse(db_col_text(s, base + 3));
    who->role = r < 0 ? ROLE_AUDITOR : (enum role)r;
    who->org_id = db_col_int(s, base + 4);
    COPY(who->org_name, db_col_text(s, base + 5));
    COPY(who->org_kind, db_col_text(s, base + 6));
    COPY(who->org_path, db_col_text(s, base + 7));
}

int principal_load(db *d, int64_t user_id, principal *who, bool *found, tj_err *err)
{
    db_stmt *s;
    if (db_query(d, &s, err,
                 "SELECT u.id, u.login, u.name, u.role, o.id, o.name, o.kind, o.path"
                 " FROM users u JOIN orgs o ON o.id = u.org_id WHERE u.id = ?",
                 "i", user_id) != 0)
        return -1;
    int rc = db_step(s, err);
    *found = rc == 1;
    if (rc == 1)
        fill_principal(s, 0, who);
    db_done(s);
    return rc < 0 ? -1 : 0;
}

int session_resolve(db *d, const char *token_hash, int64_t now, int64_t idle_s, int64_t max_s,
                    principal *who, bool *found, tj_err *err)
{
    db_stmt *s;
    *found = false;
    if (db_query(d, &s, err,
                 "SELECT s.id, s.csrf_token, s.created_at, s.last_seen, u.disabled,"
                 " u.id, u.login, u.name, u.role, o.id, o.name, o.kind, o.path"
                 " FROM sessions s JOIN users u ON u.id = s.user_id"
                 " JOIN orgs o ON o.id = u.org_id WHERE s.token_hash = ?",
                 "s", token_hash) != 0)
        return -1;
    int rc = db_step(s, err);
    if (rc != 1) {
        db_done(s);
        return rc < 0 ? -1 : 0;
    }
    int64_t sid = db_col_int(s, 0), created = db_col_int(s, 2), last = db_col_int(s, 3);
    bool disabled = db_col_int(s, 4) != 0;
    memset(who, 0, sizeof *who);
    who->session_id = sid;
    COPY(who->csrf, db_col_text(s, 1));
    fill_principal(s, 5, who);
    db_done(s);
    if (disabled || now - last > idle_s || now - created > max_s)
        return session_delete(d, sid, err);
    if (now - last >= 60 &&
        db_run(d, NULL, err, "UPDATE sessions SET last_seen = ? WHERE id = ?", "ii", now, sid) != 0)
        return -1;
    *found = true;
    return 0;
}

int session_delete(db *d, int64_t session_id, tj_err *err)
{
    return db_run(d, NULL, err, "DELETE FROM sessions WHERE id = ?", "i", session_id);
}

int token_resolve(db *d, const char *token_hash, int64_t now, principal *who, bool *found,
                  tj_err *err)
{
    db_stmt *s;
    *found = false;
    if (db_query(d, &s, err,
                 "SELECT t.id, t.name, t.role, t.last_used_at, o.id, o.name, o.kind, o.path"
                 " FROM api_tokens t JOIN orgs o ON o.id = t.org_id"
                 " WHERE t.token_hash = ? AND t.revoked_at IS NULL",
                 "s", token_hash) != 0)
        return -1;
    int rc = db_step(s, err);
    if (rc != 1) {
        db_done(s);
        return rc < 0 ? -1 : 0;
    }
    memset(who, 0, sizeof *who);
    who->token_id = db_col_int(s, 0);
    snprintf(who->login, sizeof who->login, "token:%lld", (long long)who->token_id);
    COPY(who->name, db_col_text(s, 1));
    int r = perm_role_parse(db_col_text(s, 2));
    who->role = r < 0 ? ROLE_AUDITOR : (enum role)r;
    char last[32];
    COPY(last, db_col_text(s, 3));
    who->org_id = db_col_int(s, 4);
    COPY(who->org_name, db_col_text(s, 5));
    COPY(who->org_kind, db_col_text(s, 6));
    COPY(who->org_path, db_col_text(s, 7));
    db_done(s);
    char nowiso[21], minute_ago[21];
    clock_iso(now, nowiso);
    clock_iso(now - 60, minute_ago);
    if ((!last[0] || strcmp(last, minute_ago) < 0) &&
        db_run(d, NULL, err, "UPDATE api_tokens SET last_used_at = ? WHERE id = ?", "si", nowiso,
               who->token_id) != 0)
        return -1;
    *found = true;
    return 0;
}

int attempts_count(db *d, const char *login, const char *ip, int64_t now, int64_t window_s,
                   int64_t *login_fails, int64_t *ip_fails, int64_t *login_oldest,
                   int64_t *ip_oldest, tj_err *err)
{
    db_stmt *s;
    int64_t since = now - window_s;
    if (db_query(d, &s, err,
                 "SELECT COUNT(*), COALESCE(MIN(at), 0) FROM login_attempts"
                 " WHERE login = ? AND ok = 0 AND at > ? AND at > COALESCE("
                 "(SELECT MAX(at) FROM login_attempts WHERE login = ? AND ok = 1), 0)",
                 "sis", login, since, login) != 0)
        return -1;
    if (db_step(s, err) < 0) {
        db_done(s);
        return -1;
    }
    *login_fails = db_col_int(s, 0);
    *login_oldest = db_col_int(s, 1);
    db_done(s);
    if (db_query(d, &s, err,
                 "SELECT COUNT(*), COALESCE(MIN(at), 0) FROM login_attempts"
                 " WHERE client_ip = ? AND ok = 0 AND at > ?",
                 "si", ip, since) != 0)
        return -1;
    if (db_step(s, err) < 0) {
        db_done(s);
        return -1;
    }
    *ip_fails = db_col_int(s, 0);
    *ip_oldest = db_col_int(s, 1);
    db_done(s);
    return 0;
}

int attempts_record(db *d, const char *login, const char *ip, int64_t now, bool ok, tj_err *err)
{
    /* keep the table small: attempts older than a day no longer matter */
    if (db_run(d, NULL, err, "DELETE FROM login_attempts WHERE at < ?", "i", now - 86400) != 0)
        return -1;
    return db_run(d, NULL, err,
                  "INSERT INTO login_attempts(login, client_ip, at, ok) VALUES (?,?,?,?)", "ssii",
                  login, ip, now, (int64_t)ok);
}
