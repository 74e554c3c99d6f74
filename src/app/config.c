#include "app/config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

config g_config;

static int env_int(const char *name, int def)
{
    const char *v = getenv(name);
    if (!v || !*v)
        return def;
    char *end;
    long n = strtol(v, &end, 10);
    return (*end || n <= 0 || n > 1000000) ? def : (int)n;
}

static bool env_bool(const char *name)
{
    const char *v = getenv(name);
    return v && (strcmp(v, "1") == 0 || strcmp(v, "true") == 0 || strcmp(v, "yes") == 0);
}

void config_defaults(config *c)
{
    memset(c, 0, sizeof *c);
    c->db_url = getenv("TIAOJIE_DB") ? getenv("TIAOJIE_DB") : "var/tiaojie.db";
    snprintf(c->listen_host, sizeof c->listen_host, "127.0.0.1");
    c->port = env_int("PORT", 8080);
    if (getenv("TIAOJIE_LISTEN"))
        config_set_listen(c, getenv("TIAOJIE_LISTEN"), NULL);
    c->web_root = getenv("TIAOJIE_WEB") ? getenv("TIAOJIE_WEB") : "web/dist";
    c->log_level = getenv("TIAOJIE_LOG_LEVEL") ? getenv("TIAOJIE_LOG_LEVEL") : "info";
    c->key_file = getenv("TIAOJIE_KEY_FILE");
    long np = sysconf(_SC_NPROCESSORS_ONLN);
    c->threads = env_int("TIAOJIE_THREADS", np > 0 ? (int)np : 2);
    c->workers = env_int("TIAOJIE_WORKERS", 4);
    c->writers = env_int("TIAOJIE_WRITERS", 32);
    /* the same bounds as the command-line options */
    if (c->threads > 256)
        c->threads = 256;
    if (c->workers > 256)
        c->workers = 256;
    if (c->writers > 256)
        c->writers = 256;
    c->max_body = (size_t)env_int("TIAOJIE_MAX_BODY", 1024 * 1024);
    c->max_upload = (size_t)env_int("TIAOJIE_MAX_UPLOAD", 20 * 1024 * 1024);
    c->files_dir = getenv("TIAOJIE_FILES");
    c->secure_cookies = env_bool("TIAOJIE_SECURE_COOKIES");
    c->trust_proxy = env_bool("TIAOJIE_TRUST_PROXY");
    c->session_idle_min = env_int("TIAOJIE_SESSION_IDLE_MIN", 120);
    c->session_max_hours = env_int("TIAOJIE_SESSION_MAX_HOURS", 12);
    const char *cm = getenv("TIAOJIE_CACHE_MB");
    c->cache_mb = cm && strcmp(cm, "0") == 0 ? 0 : env_int("TIAOJIE_CACHE_MB", 32);
}

int config_set_listen(config *c, const char *s, tj_err *err)
{
    const char *colon = strrchr(s, ':');
    const char *port = colon ? colon + 1 : s;
    char *end;
    long p = strtol(port, &end, 10);
    if (!*port || *end || p < 0 || p > 65535)
        return err_set(err, 400, "usage", "listen", "监听地址无效：%s（应为 主机:端口）", s);
    if (colon && colon != s) {
        size_t n = (size_t)(colon - s);
        if (n >= sizeof c->listen_host)
            return err_set(err, 400, "usage", "listen", "监听主机名过长");
        memcpy(c->listen_host, s, n);
        c->listen_host[n] = 0;
    }
    c->port = (int)p;
    return 0;
}
