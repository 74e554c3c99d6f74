#include "app/outbox.h"
#include "core/referral.h"
#include "db/db.h"
#include "store/webhook_store.h"
#include "util/clock.h"
#include "util/log.h"

#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH         16
#define LEASE_MS      (5 * 60 * 1000) /* longer than any attempt; another instance waits */
#define CONNECT_MS    5000
#define POLL_SLICE_MS 100
#define IDLE_MS       1000 /* look for work at least this often */
#define STOP_WAIT_MS  2000

/* The condition variable lives as long as the process (initialised once, never
 * destroyed), so a request's late outbox_kick() during shutdown is harmless. */
static struct {
    pthread_t th;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    pthread_once_t cv_once;
    bool done, kicked; /* under mu */
    atomic_bool started, stop;
    int64_t backoff_ms, timeout_ms;
} ob = {.mu = PTHREAD_MUTEX_INITIALIZER, .cv_once = PTHREAD_ONCE_INIT};

static void cv_init(void)
{
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&ob.cv, &ca);
    pthread_condattr_destroy(&ca);
}

static int64_t wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int64_t mono_ms(void)
{
    return clock_mono_ns() / 1000000;
}

static bool stopping(void)
{
    return atomic_load(&ob.stop);
}

void outbox_sign(const char *secret, const char *ts, const char *body, size_t n,
                 char out[OUTBOX_SIGNATURE_SIZE])
{
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, (const unsigned char *)secret, strlen(secret));
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)ts, strlen(ts));
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)".", 1);
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)body, n);
    crypto_auth_hmacsha256_final(&st, mac);
    memcpy(out, "sha256=", 7);
    sodium_bin2hex(out + 7, OUTBOX_SIGNATURE_SIZE - 7, mac, sizeof mac);
    sodium_memzero(&st, sizeof st);
}

/* ---- a minimal HTTP/1.1 client ---- */

enum { POST_OK = 0, POST_FAILED = -1, POST_STOPPED = -2 };

/* Wait until fd is ready for events or the deadline (monotonic ms) passes, in
 * slices so a stop request is noticed. */
static int wait_fd(int fd, short events, int64_t deadline, char *why, size_t cap)
{
    for (;;) {
        if (stopping())
            return POST_STOPPED;
        int64_t left = deadline - mono_ms();
        if (left <= 0) {
            snprintf(why, cap, "超时");
            return POST_FAILED;
        }
        struct pollfd p = {fd, events, 0};
        int r = poll(&p, 1, (int)(left < POLL_SLICE_MS ? left : POLL_SLICE_MS));
        if (r > 0)
            return POST_OK;
        if (r < 0 && errno != EINTR) {
            snprintf(why, cap, "poll: %s", strerror(errno));
            return POST_FAILED;
        }
    }
}

static int connect_to(const char *host, int port, int64_t deadline, int *out, char *why, size_t cap)
{
    char ps[8];
    snprintf(ps, sizeof ps, "%d", port);
    struct addrinfo hints = {0}, *res = NULL;
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV;
    int g = getaddrinfo(host, ps, &hints, &res);
    if (g != 0) {
        snprintf(why, cap, "无法解析主机 %s：%s", host, gai_strerror(g));
        return POST_FAILED;
    }
    int rc = POST_FAILED;
    snprintf(why, cap, "无法连接 %s:%d", host, port);
    for (struct addrinfo *a = res; a; a = a->ai_next) {
        int fd =
            socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
        if (fd < 0)
            continue;
        if (connect(fd, a->ai_addr, a->ai_addrlen) != 0 && errno != EINPROGRESS) {
            snprintf(why, cap, "连接 %s:%d 失败：%s", host, port, strerror(errno));
            close(fd);
            continue;
        }
        int64_t cd = mono_ms() + CONNECT_MS;
        rc = wait_fd(fd, POLLOUT, cd < deadline ? cd : deadline, why, cap);
        if (rc == POST_OK) {
            int e = 0;
            socklen_t el = sizeof e;
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &el);
            if (e == 0) {
                *out = fd;
                break;
            }
            snprintf(why, cap, "连接 %s:%d 失败：%s", host, port, strerror(e));
            rc = POST_FAILED;
        } else if (rc == POST_FAILED) {
            snprintf(why, cap, "连接 %s:%d 超时", host, port);
        }
        close(fd);
        if (rc == POST_STOPPED)
            break;
    }
    freeaddrinfo(res);
    return rc;
}

static int send_all(int fd, const char *p, size_t n, int64_t deadline, char *why, size_t cap)
{
    while (n) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w > 0) {
            p += w;
            n -= (size_t)w;
            continue;
        }
        if (w < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
            snprintf(why, cap, "发送失败：%s", strerror(errno));
            return POST_FAILED;
        }
        int rc = wait_fd(fd, POLLOUT, deadline, why, cap);
        if (rc != POST_OK)
            return rc;
    }
    return POST_OK;
}

/* POST body to url; *status gets the HTTP status of the answer. */
static int http_post(const webhook_job *job, const char *ts, const char *sig, int *status,
                     char *why, size_t cap)
{
    char host[256], path[520];
    int port;
    tj_err e;
    *status = 0;
    if (referral_webhook_url_parse(job->url, host, sizeof host, &port, path, sizeof path, &e) !=
        0) {
        snprintf(why, cap, "%s", e.msg);
        return POST_FAILED;
    }
    int64_t deadline = mono_ms() + ob.timeout_ms;
    int fd = -1;
    int rc = connect_to(host, port, deadline, &fd, why, cap);
    if (rc != POST_OK)
        return rc;
    size_t blen = strlen(job->payload);
    bool v6 = strchr(host, ':') != NULL;
    char portpart[8] = "";
    if (port != 80)
        snprintf(portpart, sizeof portpart, ":%d", port);
    char head[2048];
    int hn = snprintf(head, sizeof head,
                      "POST %s HTTP/1.1\r\nHost: %s%s%s%s\r\n"
                      "Content-Type: application/json; charset=utf-8\r\nContent-Length: %zu\r\n"
                      "User-Agent: tiaojie/%s\r\nX-Tiaojie-Event: %s\r\n"
                      "X-Tiaojie-Delivery: %lld\r\nX-Tiaojie-Timestamp: %s\r\n"
                      "X-Tiaojie-Signature: %s\r\nConnection: close\r\n\r\n",
                      path, v6 ? "[" : "", host, v6 ? "]" : "", portpart, blen, TJ_VERSION,
                      job->event, (long long)job->id, ts, sig);
    if (hn < 0 || (size_t)hn >= sizeof head) {
        close(fd);
        snprintf(why, cap, "请求头过长");
        return POST_FAILED;
    }
    rc = send_all(fd, head, (size_t)hn, deadline, why, cap);
    if (rc == POST_OK)
        rc = send_all(fd, job->payload, blen, deadline, why, cap);
    /* read the status line (and what follows of the head, politely) */
    char in[4096];
    size_t got = 0;
    while (rc == POST_OK) {
        ssize_t r = recv(fd, in + got, sizeof in - 1 - got, 0);
        if (r > 0) {
            got += (size_t)r;
            in[got] = 0;
            if (strstr(in, "\r\n\r\n") || got == sizeof in - 1)
                break;
            continue;
        }
        if (r == 0)
            break;
        if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
            snprintf(why, cap, "接收失败：%s", strerror(errno));
            rc = POST_FAILED;
            break;
        }
        rc = wait_fd(fd, POLLIN, deadline, why, cap);
        if (rc == POST_FAILED)
            snprintf(why, cap, "等待应答超时");
    }
    close(fd);
    if (rc != POST_OK)
        return rc;
    in[got] = 0;
    int code = 0;
    if (got < 12 || strncmp(in, "HTTP/1.", 7) != 0 || sscanf(in + 9, "%3d", &code) != 1 ||
        code < 100 || code > 599) {
        snprintf(why, cap, "应答不是有效的 HTTP 响应");
        return POST_FAILED;
    }
    *status = code;
    return POST_OK;
}

/* ---- the thread ---- */

static void deliver(db *d, int64_t id)
{
    tj_err err = {0};
    webhook_job job;
    bool claimed;
    if (webhook_claim(d, id, wall_ms(), LEASE_MS, &claimed, &job, &err) != 0) {
        log_error("outbox: claiming delivery %lld failed: %s", (long long)id, err.msg);
        return;
    }
    if (!claimed)
        return;
    char ts[24], sig[OUTBOX_SIGNATURE_SIZE], why[300] = "";
    snprintf(ts, sizeof ts, "%lld", (long long)clock_unix());
    outbox_sign(job.secret, ts, job.payload, strlen(job.payload), sig);
    int status = 0;
    int64_t t0 = mono_ms();
    int rc = http_post(&job, ts, sig, &status, why, sizeof why);
    int64_t dur = mono_ms() - t0;
    if (rc == POST_STOPPED) {
        if (webhook_release(d, job.id, &err) != 0)
            log_warn("outbox: releasing delivery %lld: %s", (long long)job.id, err.msg);
        webhook_job_free(&job);
        return;
    }
    const char *e = NULL;
    if (rc == POST_OK && (status < 200 || status > 299)) {
        snprintf(why, sizeof why, "对方返回 HTTP %d", status);
        e = why;
    } else if (rc != POST_OK) {
        e = why;
    }
    if (webhook_record(d, &job, status, e, dur, wall_ms(), ob.backoff_ms, &err) != 0)
        log_error("outbox: recording delivery %lld failed: %s", (long long)job.id, err.msg);
    if (e)
        log_warn("outbox: delivery %lld (%s) to %s failed (attempt %d): %s", (long long)job.id,
                 job.event, job.url, job.attempts + 1, e);
    else
        log_info("outbox: delivery %lld (%s) to %s: HTTP %d in %lldms", (long long)job.id,
                 job.event, job.url, status, (long long)dur);
    webhook_job_free(&job);
}

/* Sleep until ms (monotonic) or a kick or stop. */
static void sleep_until(int64_t wake_mono)
{
    pthread_mutex_lock(&ob.mu);
    while (!stopping() && !ob.kicked) {
        int64_t left = wake_mono - mono_ms();
        if (left <= 0)
            break;
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        ts.tv_sec += left / 1000;
        ts.tv_nsec += (left % 1000) * 1000000;
        if (ts.tv_nsec >= 1000000000) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000;
        }
        pthread_cond_timedwait(&ob.cv, &ob.mu, &ts);
    }
    ob.kicked = false;
    pthread_mutex_unlock(&ob.mu);
}

static void *run(void *arg)
{
    (void)arg;
    while (!stopping()) {
        tj_err err = {0};
        db *d = db_thread(&err);
        int64_t ids[BATCH], next = 0;
        int n = 0;
        if (!d || webhook_due(d, wall_ms(), ids, BATCH, &n, &next, &err) != 0) {
            log_error("outbox: %s", err.msg);
            sleep_until(mono_ms() + IDLE_MS);
            continue;
        }
        for (int i = 0; i < n && !stopping(); i++)
            deliver(d, ids[i]);
        if (n)
            continue; /* look again at once: more may be due */
        int64_t wait = IDLE_MS;
        if (next) {
            int64_t until = next - wall_ms();
            if (until < wait)
                wait = until < 1 ? 1 : until;
        }
        sleep_until(mono_ms() + wait);
    }
    db_thread_close();
    pthread_mutex_lock(&ob.mu);
    ob.done = true;
    pthread_cond_broadcast(&ob.cv);
    pthread_mutex_unlock(&ob.mu);
    return NULL;
}

static int64_t env_ms(const char *name, int64_t def, int64_t min, int64_t max)
{
    const char *s = getenv(name);
    if (!s || !*s)
        return def;
    char *end;
    long long v = strtoll(s, &end, 10);
    if (*end || v < min || v > max) {
        log_warn("%s=%s ignored (allowed %lld..%lld)", name, s, (long long)min, (long long)max);
        return def;
    }
    return v;
}

int outbox_start(const config *cfg, tj_err *err)
{
    (void)cfg;
    if (atomic_load(&ob.started))
        return 0;
    ob.backoff_ms = env_ms("TIAOJIE_WEBHOOK_BACKOFF_MS", 30000, 10, 3600 * 1000);
    ob.timeout_ms = env_ms("TIAOJIE_WEBHOOK_TIMEOUT_MS", 10000, 100, 120000);
    pthread_once(&ob.cv_once, cv_init);
    atomic_store(&ob.stop, false);
    pthread_mutex_lock(&ob.mu);
    ob.done = ob.kicked = false;
    pthread_mutex_unlock(&ob.mu);
    if (pthread_create(&ob.th, NULL, run, NULL) != 0)
        return err_set(err, 500, "outbox", NULL, "无法启动推送线程");
    atomic_store(&ob.started, true);
    return 0;
}

void outbox_kick(void)
{
    if (!atomic_load(&ob.started))
        return;
    pthread_mutex_lock(&ob.mu);
    ob.kicked = true;
    pthread_cond_broadcast(&ob.cv);
    pthread_mutex_unlock(&ob.mu);
}

void outbox_stop(void)
{
    if (!atomic_load(&ob.started))
        return;
    atomic_store(&ob.stop, true);
    pthread_mutex_lock(&ob.mu);
    pthread_cond_broadcast(&ob.cv);
    int64_t until = mono_ms() + STOP_WAIT_MS;
    while (!ob.done) {
        int64_t left = until - mono_ms();
        if (left <= 0)
            break;
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        ts.tv_sec += left / 1000;
        ts.tv_nsec += (left % 1000) * 1000000;
        if (ts.tv_nsec >= 1000000000) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000;
        }
        pthread_cond_timedwait(&ob.cv, &ob.mu, &ts);
    }
    bool done = ob.done;
    pthread_mutex_unlock(&ob.mu);
    if (done) {
        pthread_join(ob.th, NULL);
    } else {
        /* a name lookup that ignores our slices (getaddrinfo): let it go */
        log_warn("outbox: delivery thread still busy after %d ms; not waiting", STOP_WAIT_MS);
        pthread_detach(ob.th);
    }
    atomic_store(&ob.started, false);
}
