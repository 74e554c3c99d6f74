/* config.h — settings from flags and TIAOJIE_* environment variables (flags win). */
#ifndef TJ_APP_CONFIG_H
#define TJ_APP_CONFIG_H
#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"

typedef struct config {
    const char *db_url;    /* --db / TIAOJIE_DB (default var/tiaojie.db) */
    char listen_host[64];  /* --listen / TIAOJIE_LISTEN host part (default 127.0.0.1) */
    int port;              /* listen port (default 8080, or PORT) */
    const char *web_root;  /* --web / TIAOJIE_WEB (default web/dist) */
    const char *log_level; /* --log-level / TIAOJIE_LOG_LEVEL */
    const char *key_file;  /* --key-file / TIAOJIE_KEY_FILE (default <db>.key) */
    int threads;           /* --threads / TIAOJIE_THREADS: polling threads (default nproc) */
    int workers;           /* --workers / TIAOJIE_WORKERS: threads for slow work (default 4) */
    int writers;           /* --writers / TIAOJIE_WRITERS: threads for writes (default 32) */
    size_t max_body;       /* TIAOJIE_MAX_BODY bytes (default 1 MiB) */
    size_t max_upload;     /* TIAOJIE_MAX_UPLOAD bytes for file uploads (default 20 MiB) */
    const char
        *files_dir; /* --files / TIAOJIE_FILES: uploaded and generated files (default <db>.files) */
    bool secure_cookies;   /* TIAOJIE_SECURE_COOKIES=1: behind TLS */
    bool trust_proxy;      /* TIAOJIE_TRUST_PROXY=1: take client address from X-Forwarded-For */
    int session_idle_min;  /* TIAOJIE_SESSION_IDLE_MIN (default 120) */
    int session_max_hours; /* TIAOJIE_SESSION_MAX_HOURS (default 12) */
    int cache_mb;          /* TIAOJIE_CACHE_MB: answer cache budget, 0 = off (default 32) */
} config;

/* Defaults, then environment. */
void config_defaults(config *c);
/* Parse "host:port", ":port" or "port" into c. */
int config_set_listen(config *c, const char *s, tj_err *err);
/* The global configuration of the running process (set once at start). */
extern config g_config;

#endif
