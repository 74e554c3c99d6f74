#include "util/log.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BUF_MAX (64 * 1024)

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static bool buffering;
static char pending[BUF_MAX];
static size_t used;

static void write_all(const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(2, p, n);
        if (w <= 0)
            return;
        p += w;
        n -= (size_t)w;
    }
}

/* with mu held */
static void flush_locked(void)
{
    write_all(pending, used);
    used = 0;
}

void log_flush(void)
{
    pthread_mutex_lock(&mu);
    flush_locked();
    pthread_mutex_unlock(&mu);
}

static void *flusher(void *arg)
{
    (void)arg;
    for (;;) {
        struct timespec ts = {0, 200 * 1000000};
        nanosleep(&ts, NULL);
        log_flush();
    }
    return NULL;
}

void log_buffer_start(void)
{
    pthread_mutex_lock(&mu);
    bool start = !buffering;
    buffering = true;
    pthread_mutex_unlock(&mu);
    if (start) {
        pthread_t t;
        if (pthread_create(&t, NULL, flusher, NULL) == 0)
            pthread_detach(t);
    }
}

static enum log_level min_level = LOG_INFO;
static const char *names[] = {"debug", "info", "warn", "error"};

void log_set_level(enum log_level lvl)
{
    min_level = lvl;
}

int log_parse_level(const char *s, enum log_level *out)
{
    for (int i = 0; i < 4; i++)
        if (strcmp(s, names[i]) == 0) {
            *out = (enum log_level)i;
            return 0;
        }
    return -1;
}

void log_msg(enum log_level lvl, const char *fmt, ...)
{
    if (lvl < min_level)
        return;
    char line[2048];
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    struct tm tm;
    gmtime_r(&ts.tv_sec, &tm);
    int n = snprintf(line, sizeof line, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ %s ",
                     tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                     ts.tv_nsec / 1000000, names[lvl]);
    va_list ap;
    va_start(ap, fmt);
    if (n > 0 && (size_t)n < sizeof line)
        vsnprintf(line + n, sizeof line - (size_t)n, fmt, ap);
    va_end(ap);
    size_t len = strnlen(line, sizeof line - 1);
    line[len++] = '\n';
    pthread_mutex_lock(&mu);
    bool direct = !buffering || lvl >= LOG_WARN;
    if (direct || used + len > sizeof pending)
        flush_locked();
    if (direct) {
        write_all(line, len);
    } else {
        memcpy(pending + used, line, len);
        used += len;
    }
    pthread_mutex_unlock(&mu);
}
