#include "http/server.h"
#include "app/maintain.h"
#include "app/outbox.h"
#include "db/db.h"
#include "core/date.h"
#include "http/auth.h"
#include "http/cache.h"
#include "http/http.h"
#include "http/router.h"
#include "http/static.h"
#include "util/jw.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/xmalloc.h"

#include <arpa/inet.h>
#include <malloc.h>
#include <microhttpd.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#define MAX_DISCARD (64u * 1024 * 1024) /* past this, an oversized upload is cut off */
#define QUEUE_MAX   1024

static const config *cfg;
static atomic_long in_flight;
static atomic_ulong req_counter;
static unsigned boot_tag;

static const char *CSP = "default-src 'self'; img-src 'self' data: blob:; style-src 'self' "
                         "'unsafe-inline'; script-src 'self'; connect-src 'self'; font-src 'self' "
                         "data:; object-src 'none'; base-uri 'self'; form-action 'self'; "
                         "frame-ancestors 'none'";

/* ---- response helpers used by handlers ---- */

/* the largest answer written with util/jw (an export or a big report); past it, or
 * nested deeper than jw tracks, jansson writes it */
#define JSON_TEXT_MAX (256u * 1024 * 1024)

int http_json(http_req *r, int status, json_t *v)
{
    /* jw writes the bytes json_dumps would, in a fraction of its time (tests/unit/test_jw.c) */
    buf b;
    jw w;
    buf_init(&b, JSON_TEXT_MAX);
    jw_init(&w, &b);
    jw_json(&w, v);
    if (jw_ok(&w) && (json_is_object(v) || json_is_array(v))) {
        json_decref(v);
        return http_json_text(r, status, &b);
    }
    buf_free(&b);
    char *s = json_dumps(v, JSON_COMPACT);
    json_decref(v);
    if (!s)
        abort();
    free(r->resp_body);
    r->resp_body = s;
    r->resp_len = strlen(s);
    r->resp_type = "application/json; charset=utf-8";
    r->status = status;
    return 0;
}

int http_json_text(http_req *r, int status, buf *b)
{
    free(r->resp_body);
    r->resp_len = b->len;
    r->resp_body = b->data ? b->data : xcalloc(1, 1);
    b->data = NULL;
    b->len = b->cap = 0;
    r->resp_type = "application/json; charset=utf-8";
    r->status = status;
    return 0;
}

int http_no_content(http_req *r)
{
    free(r->resp_body);
    r->resp_body = NULL;
    r->resp_len = 0;
    r->resp_type = NULL;
    r->status = 204;
    return 0;
}

int http_bytes(http_req *r, int status, const char *content_type, const void *p, size_t n)
{
    free(r->resp_body);
    r->resp_body = xmalloc(n ? n : 1);
    memcpy(r->resp_body, p, n);
    r->resp_len = n;
    r->resp_type = content_type;
    r->status = status;
    return 0;
}

void http_header(http_req *r, const char *name, const char *value)
{
    if (r->nresp_headers == 8)
        return;
    r->resp_headers[r->nresp_headers][0] = arena_strdup(&r->a, name);
    r->resp_headers[r->nresp_headers][1] = arena_strdup(&r->a, value);
    r->nresp_headers++;
}

int http_fail(http_req *r, int status, const char *code, const char *field, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return err_set(&r->err, status, code, field, "%s", msg);
}

const char *http_query(http_req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *http_header_in(http_req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

const char *http_cookie(http_req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, name);
}

int http_body_object(http_req *r, json_t **out)
{
    if (r->body_json) {
        *out = r->body_json;
        return 0;
    }
    if (r->body.len == 0)
        return http_fail(r, 400, "bad_json", NULL, "请求体为空，应为 JSON 对象");
    json_error_t je;
    json_t *v = json_loadb(r->body.data, r->body.len, JSON_REJECT_DUPLICATES, &je);
    if (!v) {
        enum json_error_code c = json_error_code(&je);
        if (c == json_error_duplicate_key)
            return http_fail(r, 400, "bad_json", NULL, "JSON 中有重复的字段：%s", je.text);
        if (c == json_error_invalid_utf8)
            return http_fail(r, 400, "bad_json", NULL, "请求体不是有效的 UTF-8 编码");
        return http_fail(r, 400, "bad_json", NULL, "JSON 格式错误（第 %d 行第 %d 列）：%s", je.line,
                         je.column, je.text);
    }
    if (!json_is_object(v)) {
        json_decref(v);
        return http_fail(r, 400, "bad_json", NULL, "请求体应为 JSON 对象");
    }
    r->body_json = v;
    *out = v;
    return 0;
}

int http_param_id(http_req *r, int i, int64_t *out)
{
    const char *s = i < r->nparams ? r->params[i] : NULL;
    int64_t v = 0;
    if (!s || !*s || strlen(s) > 15)
        goto bad;
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9')
            goto bad;
        v = v * 10 + (*p - '0');
    }
    if (v <= 0)
        goto bad;
    *out = v;
    return 0;
bad:
    return http_fail(r, 404, "not_found", NULL, "记录不存在");
}

/* ---- worker pools: slow routes, and writes ---- */

/* Slow work (password hashing, exports, PDF) and writes run on pools so a polling
 * thread never waits on them (house rule 10). Writes have their own, larger pool: a
 * write waits for its batch to be committed and synced (db/sqlite.c, "Batched
 * writes"), and the more writers wait together, the more share one commit. */
typedef struct pool_t {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    http_req *q[QUEUE_MAX];
    int head, len;
    bool stop;
    pthread_t *threads;
    int n;
} pool_t;

static pool_t slow = {.mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER};
static pool_t writes = {.mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER};

static void run_handler(http_req *r);

static void *worker_main(void *arg)
{
    pool_t *pool = arg;
    for (;;) {
        pthread_mutex_lock(&pool->mu);
        while (!pool->len && !pool->stop)
            pthread_cond_wait(&pool->cv, &pool->mu);
        if (!pool->len && pool->stop) {
            pthread_mutex_unlock(&pool->mu);
            break;
        }
        http_req *r = pool->q[pool->head];
        pool->head = (pool->head + 1) % QUEUE_MAX;
        pool->len--;
        pthread_mutex_unlock(&pool->mu);
        run_handler(r);
        r->async_ready = true;
        MHD_resume_connection(r->conn);
    }
    db_thread_close();
    return NULL;
}

static bool pool_push(pool_t *pool, http_req *r)
{
    pthread_mutex_lock(&pool->mu);
    bool ok = pool->len < QUEUE_MAX && !pool->stop;
    if (ok) {
        pool->q[(pool->head + pool->len) % QUEUE_MAX] = r;
        pool->len++;
        pthread_cond_signal(&pool->cv);
    }
    pthread_mutex_unlock(&pool->mu);
    return ok;
}

static void pool_start(pool_t *pool, int n)
{
    pool->n = n;
    pool->stop = false;
    pool->threads = xcalloc((size_t)n, sizeof *pool->threads);
    for (int i = 0; i < n; i++)
        pthread_create(&pool->threads[i], NULL, worker_main, pool);
}

/* Lets the queued requests finish, then joins the threads. */
static void pool_stop(pool_t *pool)
{
    pthread_mutex_lock(&pool->mu);
    pool->stop = true;
    pthread_cond_broadcast(&pool->cv);
    pthread_mutex_unlock(&pool->mu);
    for (int i = 0; i < pool->n; i++)
        pthread_join(pool->threads[i], NULL);
    free(pool->threads);
    pool->threads = NULL;
    pool->n = 0;
}

/* ---- request lifecycle ---- */

static void error_body(http_req *r)
{
    json_t *e = json_object();
    json_object_set_new(e, "code", json_string(r->err.code[0] ? r->err.code : "internal"));
    json_object_set_new(e, "message", json_string(r->err.msg[0] ? r->err.msg : "服务器内部错误"));
    if (r->err.field[0])
        json_object_set_new(e, "field", json_string(r->err.field));
    if (r->err_state)
        json_object_set_new(e, "state", json_string(r->err_state));
    int status = r->err.status >= 400 ? r->err.status : 500;
    http_json(r, status, json_pack("{s:o}", "error", e));
}

static void run_handler(http_req *r)
{
    const route *rt = r->route;
    if (rt->fn(r) != 0) {
        db *d = db_thread(NULL);
        if (d)
            db_rollback(d);
        if (r->err.status >= 500)
            log_error("request %s %s %s failed: %s %s", r->request_id, r->method, r->path,
                      r->err.code, r->err.msg);
        error_body(r);
    } else {
        db *d = db_thread(NULL);
        if (d && db_in_tx(d)) {
            /* a handler must commit or roll back itself; leaving a transaction open is a bug */
            log_error("request %s left a transaction open; rolled back", r->request_id);
            db_rollback(d);
        }
    }
}

static void add_common_headers(http_req *r, struct MHD_Response *resp, bool api)
{
    MHD_add_response_header(resp, "X-Request-Id", r->request_id);
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
    if (api) {
        /* JSON is never a document: the short policy for APIs (OWASP REST guidance) */
        MHD_add_response_header(resp, "Content-Security-Policy",
                                "default-src 'none'; frame-ancestors 'none'");
        MHD_add_response_header(resp, "Cache-Control", "no-store");
    } else {
        MHD_add_response_header(resp, "X-Frame-Options", "DENY");
        MHD_add_response_header(resp, "Content-Security-Policy", CSP);
    }
    for (int i = 0; i < r->nresp_headers; i++)
        MHD_add_response_header(resp, r->resp_headers[i][0], r->resp_headers[i][1]);
}

static enum MHD_Result send_api(http_req *r)
{
    struct MHD_Response *resp;
    if (r->resp_body) {
        resp = MHD_create_response_from_buffer(r->resp_len, r->resp_body, MHD_RESPMEM_MUST_FREE);
        r->resp_body = NULL;
    } else {
        resp = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
    }
    if (!resp)
        return MHD_NO;
    if (r->resp_type)
        MHD_add_response_header(resp, "Content-Type", r->resp_type);
    add_common_headers(r, resp, true);
    enum MHD_Result ok = MHD_queue_response(r->conn, (unsigned)r->status, resp);
    MHD_destroy_response(resp);
    return ok;
}

static enum MHD_Result send_error(http_req *r, int status, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static enum MHD_Result send_error(http_req *r, int status, const char *code, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    err_set(&r->err, status, code, NULL, "%s", msg);
    error_body(r);
    return send_api(r);
}

static bool is_write_method(const char *m)
{
    return strcmp(m, "GET") != 0 && strcmp(m, "HEAD") != 0;
}

static bool valid_utf8(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        if (*p < 0x80) {
            p++;
            continue;
        }
        int n = (*p >= 0xf0 && *p <= 0xf4)  ? 3
                : (*p >= 0xe0)              ? 2
                : (*p >= 0xc2 && *p < 0xe0) ? 1
                                            : -1;
        if (n < 0)
            return false;
        p++;
        while (n--) {
            if ((*p & 0xc0) != 0x80)
                return false;
            p++;
        }
    }
    return true;
}

typedef struct key_buf {
    buf b;
    bool overflow;
} key_buf;

/* Each argument length-prefixed, so no value can pass for another argument list. */
static enum MHD_Result add_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                               const char *value)
{
    (void)kind;
    key_buf *k = cls;
    if (!value)
        value = "";
    if (buf_printf(&k->b, "\x1f%zu:%s=%zu:%s", strlen(key), key, strlen(value), value) != 0)
        k->overflow = true;
    return MHD_YES;
}

/* Look the answer up; on a miss leave r->cache_key set so the handler's answer is
 * kept. The key: caller, Shanghai date, path and decoded query arguments in order; a
 * key over 8 KiB is not cached at all. */
static bool cached_answer(http_req *r)
{
    char today[DATE_STR_SIZE];
    date_format(date_today_shanghai(clock_unix()), today);
    key_buf k = {.overflow = false};
    buf_init(&k.b, 8192);
    if (buf_printf(&k.b, "%lld:%lld\x1f%s\x1f%s", (long long)r->who->user_id,
                   (long long)r->who->token_id, today, r->path) != 0)
        k.overflow = true;
    MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, add_arg, &k);
    bool hit = false;
    if (!k.overflow && k.b.data) {
        r->cache_key = arena_strdup(&r->a, k.b.data);
        char *body;
        size_t len;
        if (http_cache_get(r->cache_key, r->gen, &body, &len)) {
            free(r->resp_body);
            r->resp_body = body;
            r->resp_len = len;
            r->resp_type = "application/json; charset=utf-8";
            r->status = 200;
            r->cache_key = NULL;
            hit = true;
        }
    }
    buf_free(&k.b);
    http_header(r, "X-Cache", hit ? "hit" : "miss");
    return hit;
}

static enum MHD_Result dispatch_api(http_req *r)
{
    bool known;
    const route *rt = router_match(r, r->method, r->path, &known);
    if (!rt) {
        if (known)
            return send_error(r, 405, "method_not_allowed", "该地址不支持 %s 方法", r->method);
        return send_error(r, 404, "not_found", "接口不存在：%s", r->path);
    }
    r->route = rt;
    if (r->body_too_large)
        return send_error(r, 413, "payload_too_large", "请求体过大（上限 %zu 字节）", r->body.max);
    if (r->body.len && !(rt->flags & ROUTE_UPLOAD)) {
        const char *ct = http_header_in(r, "Content-Type");
        if (!ct || strncasecmp(ct, "application/json", 16) != 0)
            return send_error(r, 415, "unsupported_media_type",
                              "请求体应为 JSON（Content-Type: application/json）");
    }
    db *d = db_thread(&r->err);
    if (!d) {
        error_body(r);
        return send_api(r);
    }
    if (auth_resolve(r, d) != 0) {
        error_body(r);
        return send_api(r);
    }
    if (!(rt->flags & ROUTE_PUBLIC)) {
        if (!r->who)
            return send_error(r, 401, "unauthenticated", "请先登录");
        if (is_write_method(r->method) && r->who->token_id == 0 && !(rt->flags & ROUTE_NO_CSRF)) {
            const char *h = http_header_in(r, "X-CSRF-Token");
            if (!h || strcmp(h, r->who->csrf) != 0)
                return send_error(r, 403, "csrf_failed",
                                  "安全校验失败（缺少或错误的 CSRF 令牌），请刷新页面后重试");
        }
        if (rt->perm >= 0 && !perm_allows(r->who->role, (enum perm)rt->perm))
            return send_error(r, 403, "forbidden", "您的角色（%s）无权执行此操作：%s",
                              perm_role_label(r->who->role), perm_label((enum perm)rt->perm));
    }
    if ((rt->flags & ROUTE_CACHE) && http_cache_enabled() && strcmp(r->method, "GET") == 0 &&
        cached_answer(r))
        return send_api(r);
    pool_t *pool = (rt->flags & ROUTE_SLOW) ? &slow : is_write_method(r->method) ? &writes : NULL;
    if (pool) {
        MHD_suspend_connection(r->conn);
        r->suspended = true;
        if (!pool_push(pool, r)) {
            MHD_resume_connection(r->conn);
            r->suspended = false;
            return send_error(r, 503, "unavailable", "服务器繁忙，请稍后重试");
        }
        return MHD_YES;
    }
    run_handler(r);
    if (r->cache_key && r->status == 200 && r->resp_body)
        http_cache_put(r->cache_key, r->gen, r->resp_body, r->resp_len);
    return send_api(r);
}

static enum MHD_Result dispatch_static(http_req *r)
{
    if (strcmp(r->method, "GET") != 0 && strcmp(r->method, "HEAD") != 0)
        return send_error(r, 405, "method_not_allowed", "该地址不支持 %s 方法", r->method);
    struct MHD_Response *resp = NULL;
    int status = static_serve(r, cfg->web_root, &resp);
    if (!resp) {
        error_body(r);
        return send_api(r);
    }
    add_common_headers(r, resp, false);
    enum MHD_Result ok = MHD_queue_response(r->conn, (unsigned)status, resp);
    MHD_destroy_response(resp);
    r->status = status;
    return ok;
}

/* "%08x%08x" of tag and n, without printf on every request */
static void request_id(char out[17], uint32_t tag, uint32_t n)
{
    static const char hex[] = "0123456789abcdef";
    for (int i = 0; i < 8; i++) {
        out[i] = hex[(tag >> (28 - 4 * i)) & 0xf];
        out[8 + i] = hex[(n >> (28 - 4 * i)) & 0xf];
    }
    out[16] = 0;
}

/* Behind a trusted proxy the forwarded address is taken now (the header lives in the
 * connection); otherwise only the peer's address is copied, and formatted when asked. */
static void client_addr(http_req *r, struct MHD_Connection *c)
{
    const char *xff = cfg->trust_proxy
                          ? MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Forwarded-For")
                          : NULL;
    if (xff && *xff) {
        size_t n = strcspn(xff, ", ");
        if (n >= sizeof r->client_ip)
            n = sizeof r->client_ip - 1;
        memcpy(r->client_ip, xff, n);
        r->client_ip[n] = 0;
        r->client_ip_set = true;
        return;
    }
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (!ci || !ci->client_addr)
        return;
    const struct sockaddr *sa = ci->client_addr;
    if (sa->sa_family == AF_INET)
        memcpy(&r->peer, sa, sizeof(struct sockaddr_in));
    else if (sa->sa_family == AF_INET6)
        memcpy(&r->peer, sa, sizeof(struct sockaddr_in6));
}

const char *http_client_ip(http_req *r)
{
    if (r->client_ip_set)
        return r->client_ip;
    r->client_ip_set = true;
    snprintf(r->client_ip, sizeof r->client_ip, "unknown");
    if (r->peer.ss_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)&r->peer)->sin_addr, r->client_ip,
                  sizeof r->client_ip);
    else if (r->peer.ss_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)&r->peer)->sin6_addr, r->client_ip,
                  sizeof r->client_ip);
    return r->client_ip;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *upload,
                                  size_t *upload_size, void **con_cls)
{
    (void)cls;
    (void)version;
    http_req *r = *con_cls;
    if (!r) {
        r = xcalloc(1, sizeof *r);
        arena_init(&r->a);
        buf_init(&r->body, cfg->max_body);
        r->conn = c;
        r->start_ns = clock_mono_ns();
        r->gen = db_generation();
        r->method = arena_strdup(&r->a, method);
        r->path = arena_strdup(&r->a, url);
        unsigned long n = atomic_fetch_add(&req_counter, 1) + 1;
        request_id(r->request_id, boot_tag, (uint32_t)(n & 0xffffffffUL));
        client_addr(r, c);
        r->secure = cfg->secure_cookies;
        if (cfg->trust_proxy) {
            const char *xfp = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Forwarded-Proto");
            if (xfp && strcmp(xfp, "https") == 0)
                r->secure = true;
        }
        atomic_fetch_add(&in_flight, 1);
        *con_cls = r;
        /* uploads (scans, attachments) have their own, larger limit */
        if (is_write_method(r->method) && strncmp(r->path, "/api/", 5) == 0) {
            bool known;
            const route *rt = router_match(r, r->method, r->path, &known);
            if (rt && (rt->flags & ROUTE_UPLOAD))
                r->body.max = cfg->max_upload;
        }
        const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
        if (cl && strtoull(cl, NULL, 10) > r->body.max) {
            r->body_too_large = true;
            return send_error(r, 413, "payload_too_large", "请求体过大（上限 %zu 字节）",
                              r->body.max);
        }
        return MHD_YES;
    }
    if (r->suspended) {
        if (!r->async_ready)
            return MHD_YES;
        r->suspended = false;
        return send_api(r);
    }
    if (*upload_size) {
        if (!r->body_too_large && buf_append(&r->body, upload, *upload_size) != 0)
            r->body_too_large = true;
        if (r->body_too_large) {
            r->discarded += *upload_size;
            if (r->discarded > MAX_DISCARD)
                return MHD_NO;
        }
        *upload_size = 0;
        return MHD_YES;
    }
    if (r->status)
        return MHD_YES; /* already answered (early 413) */
    if (!valid_utf8(r->path))
        return send_error(r, 400, "bad_request", "请求路径不是有效的 UTF-8");
    if (strncmp(r->path, "/api/", 5) == 0 || strcmp(r->path, "/api") == 0)
        return dispatch_api(r);
    return dispatch_static(r);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)c;
    http_req *r = *con_cls;
    if (!r)
        return;
    double ms = (double)(clock_mono_ns() - r->start_ns) / 1e6;
    log_info("%s %s %s %d %.1fms %s%s", r->request_id, r->method, r->path, r->status, ms,
             r->who ? r->who->login : "-",
             toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " (connection closed early)");
    free(r->resp_body);
    if (r->body_json)
        json_decref(r->body_json);
    buf_free(&r->body);
    arena_free(&r->a);
    free(r);
    *con_cls = NULL;
    atomic_fetch_sub(&in_flight, 1);
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    char line[512];
    vsnprintf(line, sizeof line, fmt, ap);
    size_t n = strlen(line);
    if (n && line[n - 1] == '\n')
        line[n - 1] = 0;
    log_warn("libmicrohttpd: %s", line);
}

int server_run(const config *c, tj_err *err)
{
    cfg = c;
    boot_tag = (unsigned)time(NULL) ^ (unsigned)getpid() << 16;
    db_thread_configure(c->db_url);

    sigset_t sigs;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGTERM);
    sigaddset(&sigs, SIGINT);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    signal(SIGPIPE, SIG_IGN);

    struct sockaddr_in sa = {0};
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)c->port);
    if (inet_pton(AF_INET, strcmp(c->listen_host, "localhost") == 0 ? "127.0.0.1" : c->listen_host,
                  &sa.sin_addr) != 1)
        return err_set(err, 400, "usage", "listen", "监听地址无效：%s（应为 IPv4 地址）",
                       c->listen_host);

    /* Requests allocate and free blocks above glibc's mmap threshold (SQLite's and
     * FTS5's buffers, answers): keep them in the heap rather than mapping and zeroing
     * fresh pages each time; the heap's top is returned above 64 MiB. */
    mallopt(M_MMAP_THRESHOLD, 4 * 1024 * 1024);
    mallopt(M_TRIM_THRESHOLD, 64 * 1024 * 1024);
    http_cache_init((size_t)(c->cache_mb > 0 ? c->cache_mb : 0) * 1024 * 1024, 10 * 1000);
    pool_start(&slow, c->workers);
    pool_start(&writes, c->writers);

    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME |
                     MHD_USE_ITC | MHD_USE_ERROR_LOG;
    struct MHD_Daemon *d = MHD_start_daemon(
        flags, (uint16_t)c->port, NULL, NULL, on_request, NULL, MHD_OPTION_EXTERNAL_LOGGER, mhd_log,
        NULL, MHD_OPTION_SOCK_ADDR, &sa, MHD_OPTION_THREAD_POOL_SIZE, (unsigned)c->threads,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30, MHD_OPTION_CONNECTION_LIMIT, (unsigned)4000,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)16 * 1024, MHD_OPTION_LISTEN_BACKLOG_SIZE,
        (unsigned)1024, MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL, MHD_OPTION_END);
    if (!d) {
        pool_stop(&slow);
        pool_stop(&writes);
        return err_set(err, 500, "listen", NULL, "无法监听 %s:%d（端口被占用或无权限）",
                       c->listen_host, c->port);
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    int port = di ? di->port : c->port;
    log_info("tiaojie %s listening on http://%s:%d/ (%d threads, %d workers, %d writers, db %s)",
             TJ_VERSION, c->listen_host, port, c->threads, c->workers, c->writers, c->db_url);
    if (outbox_start(c, err) != 0)
        log_error("partner notifications will not be delivered: %s", err->msg);
    if (maintain_start(c, err) != 0)
        log_error("the search index will not be merged: %s", err->msg);
    log_buffer_start();

    int sig = 0;
    sigwait(&sigs, &sig);
    log_info("received %s: finishing in-flight requests", sig == SIGTERM ? "SIGTERM" : "SIGINT");
    outbox_stop();
    maintain_stop();
    MHD_quiesce_daemon(d);
    int64_t until = clock_mono_ns() + 15LL * 1000000000;
    while (atomic_load(&in_flight) > 0 && clock_mono_ns() < until) {
        struct timespec ts = {0, 20 * 1000000};
        nanosleep(&ts, NULL);
    }
    pool_stop(&slow);
    pool_stop(&writes);
    MHD_stop_daemon(d);
    db_thread_close();
    http_cache_clear();
    uint64_t nwrites, ncommits;
    db_write_stats(&nwrites, &ncommits);
    log_info("stopped (%llu writes in %llu commits)", (unsigned long long)nwrites,
             (unsigned long long)ncommits);
    log_flush();
    return 0;
}
