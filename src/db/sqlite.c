/* sqlite.c — the embedded engine. One connection per thread; WAL so readers never
 * block the writer; BEGIN IMMEDIATE for writes (db.c) plus a busy timeout so
 * concurrent writers queue instead of failing; prepared statements cached per
 * connection by SQL text. */
#include "db/db.h"
#include "util/hash.h"
#include "util/log.h"
#include "util/xmalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CACHE_SLOTS 512 /* power of two; a connection holds at most this many statements */

typedef struct sq_stmt {
    const struct db_vtab *vt; /* must be first: db.c dispatches through it */
    sqlite3_stmt *st;
    struct sq_db *owner;
    char *sql;
    bool in_use, transient;
} sq_stmt;

/* Group commit. Connections commit with synchronous=NORMAL (the WAL is written, not
 * synced); before a write request is answered its thread makes the WAL durable with
 * one fdatasync that also covers every commit written before that sync started. The
 * first waiter syncs, the others wait for it or the next one: 64 concurrent writers
 * share a handful of syncs instead of paying one each (synchronous=FULL), with the
 * same guarantee — a transaction is on disk before its client hears of it. */
typedef struct walsync {
    char *path; /* the database file; its WAL is path + "-wal" */
    int fd;     /* the WAL, opened by the syncing thread; -1 until then */
    dev_t dev;
    ino_t ino;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    pthread_mutex_t writer; /* held for the length of a write transaction */
    uint64_t written, synced;
    bool busy;
    struct walsync *next;
} walsync;

typedef struct sq_db {
    db base;
    sqlite3 *h;
    sq_stmt *cache[CACHE_SLOTS];
    int cached;
    walsync *ws;        /* NULL when the database is not in WAL mode (FULL sync then) */
    bool dirty;         /* changed rows since the last generation bump */
    bool sessions_gone; /* deleted sessions since the last session-generation bump */
} sq_db;

static atomic_uint_fast64_t generation = 1, session_generation = 1;

uint64_t db_generation(void)
{
    return atomic_load(&generation);
}

uint64_t db_session_generation(void)
{
    return atomic_load(&session_generation);
}

/* Session bookkeeping does not change what a cached answer shows (auth runs first),
 * nor do the full-text index's own tables: their content changes only with
 * case_search, and merging segments (app/maintain.c) changes no result. */
static void on_update(void *arg, int op, const char *dbname, const char *table, sqlite3_int64 rowid)
{
    (void)dbname;
    (void)rowid;
    struct sq_db *d = arg;
    if (strcmp(table, "sessions") == 0) {
        if (op == SQLITE_DELETE)
            d->sessions_gone = true;
    } else if (strcmp(table, "login_attempts") != 0 && strncmp(table, "case_fts", 8) != 0) {
        d->dirty = true;
    }
}

/* Moves the generation once the changes are committed (and so visible to readers):
 * a reader that read the old generation before its snapshot can no longer have its
 * result served. Rolled-back changes move it too, harmlessly. */
static void settle(struct sq_db *d)
{
    if (!sqlite3_get_autocommit(d->h))
        return;
    if (d->dirty) {
        d->dirty = false;
        atomic_fetch_add(&generation, 1);
    }
    if (d->sessions_gone) {
        d->sessions_gone = false;
        atomic_fetch_add(&session_generation, 1);
    }
}

static pthread_mutex_t walsyncs_mu = PTHREAD_MUTEX_INITIALIZER;
static walsync *walsyncs;

static walsync *walsync_for(const char *path)
{
    pthread_mutex_lock(&walsyncs_mu);
    walsync *w = walsyncs;
    while (w && strcmp(w->path, path) != 0)
        w = w->next;
    if (!w) {
        w = xcalloc(1, sizeof *w);
        w->path = xstrdup(path);
        w->fd = -1;
        pthread_mutex_init(&w->mu, NULL);
        pthread_cond_init(&w->cv, NULL);
        pthread_mutex_init(&w->writer, NULL);
        w->next = walsyncs;
        walsyncs = w;
    }
    pthread_mutex_unlock(&walsyncs_mu);
    return w;
}

/* Only the thread that set w->busy runs this. The WAL lives as long as a connection
 * is open; should it have been replaced, its content was checkpointed into the
 * database file, which a checkpoint syncs, so syncing the new file is still right. */
static int walsync_run(walsync *w)
{
    char wal[4096];
    snprintf(wal, sizeof wal, "%s-wal", w->path);
    struct stat st;
    if (stat(wal, &st) != 0) {
        /* no WAL: everything is in the database file */
        int fd = open(w->path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            return -1;
        int rc = fdatasync(fd);
        close(fd);
        return rc;
    }
    if (w->fd < 0 || st.st_dev != w->dev || st.st_ino != w->ino) {
        if (w->fd >= 0)
            close(w->fd);
        w->fd = open(wal, O_RDONLY | O_CLOEXEC);
        if (w->fd < 0)
            return -1;
        w->dev = st.st_dev;
        w->ino = st.st_ino;
    }
    return fdatasync(w->fd);
}

/* SQLite's busy handler sleeps 1, 2, 5, 10 … ms between tries: a writer that finds
 * the lock taken by another thread of this process would sleep through several of
 * the other's sub-millisecond transactions. A mutex wakes it the moment the lock is
 * free. Other processes (the CLI) still meet the busy timeout. */
static void sq_write_lock(db *base, bool on)
{
    sq_db *d = (sq_db *)base;
    if (!d->ws)
        return;
    if (on)
        pthread_mutex_lock(&d->ws->writer);
    else
        pthread_mutex_unlock(&d->ws->writer);
}

static int sq_sync(db *base, tj_err *err)
{
    sq_db *d = (sq_db *)base;
    walsync *w = d->ws;
    if (!w)
        return 0;
    pthread_mutex_lock(&w->mu);
    uint64_t ticket = ++w->written;
    int rc = 0;
    while (w->synced < ticket) {
        if (w->busy) {
            pthread_cond_wait(&w->cv, &w->mu);
            continue;
        }
        w->busy = true;
        uint64_t target = w->written;
        pthread_mutex_unlock(&w->mu);
        rc = walsync_run(w);
        int e = errno;
        pthread_mutex_lock(&w->mu);
        w->busy = false;
        if (rc == 0 && target > w->synced)
            w->synced = target;
        pthread_cond_broadcast(&w->cv);
        if (rc != 0) {
            log_error("sync of %s-wal failed: %s", w->path, strerror(e));
            break;
        }
    }
    pthread_mutex_unlock(&w->mu);
    if (rc != 0)
        return err_set(err, 500, "internal", NULL, "数据写入磁盘失败");
    return 0;
}

static const struct db_vtab sq_vt;

static int fail(sq_db *d, tj_err *err, const char *what)
{
    int code = sqlite3_extended_errcode(d->h);
    const char *m = sqlite3_errmsg(d->h);
    if ((code & 0xff) == SQLITE_CONSTRAINT) {
        if (code == SQLITE_CONSTRAINT_UNIQUE || code == SQLITE_CONSTRAINT_PRIMARYKEY)
            return err_set(err, 409, "conflict", NULL, "数据重复：%s", m);
        if (code == SQLITE_CONSTRAINT_FOREIGNKEY)
            return err_set(err, 409, "conflict", NULL, "关联数据不存在或仍被引用");
        return err_set(err, 400, "validation_failed", NULL, "数据不符合约束：%s", m);
    }
    if ((code & 0xff) == SQLITE_BUSY || (code & 0xff) == SQLITE_LOCKED) {
        log_warn("sqlite busy during %s: %s", what, m);
        return err_set(err, 503, "unavailable", NULL, "数据库繁忙，请稍后重试");
    }
    log_error("sqlite %s: %s (%d)", what, m, code);
    return err_set(err, 500, "internal", NULL, "数据库错误");
}

static void sq_close(db *base)
{
    sq_db *d = (sq_db *)base;
    for (int i = 0; i < CACHE_SLOTS; i++)
        if (d->cache[i]) {
            sqlite3_finalize(d->cache[i]->st);
            free(d->cache[i]->sql);
            free(d->cache[i]);
        }
    /* keeps the query planner's statistics fresh; cheap when nothing changed */
    sqlite3_exec(d->h, "PRAGMA optimize", NULL, NULL, NULL);
    sqlite3_close_v2(d->h);
    free(d);
}

static int sq_exec(db *base, const char *sql, tj_err *err)
{
    sq_db *d = (sq_db *)base;
    int rc = sqlite3_exec(d->h, sql, NULL, NULL, NULL);
    settle(d);
    if (rc != SQLITE_OK)
        return fail(d, err, sql);
    return 0;
}

static int sq_prepare(db *base, const char *sql, db_stmt **out, tj_err *err)
{
    sq_db *d = (sq_db *)base;
    unsigned h = hash_str(sql) & (CACHE_SLOTS - 1);
    unsigned slot = CACHE_SLOTS;
    for (unsigned i = 0; i < CACHE_SLOTS; i++) {
        unsigned j = (h + i) & (CACHE_SLOTS - 1);
        sq_stmt *c = d->cache[j];
        if (!c) {
            slot = j;
            break;
        }
        if (strcmp(c->sql, sql) == 0) {
            if (!c->in_use) {
                c->in_use = true;
                *out = (db_stmt *)c;
                return 0;
            }
            break; /* same SQL already running (nested use): prepare a transient one */
        }
    }
    sqlite3_stmt *st;
    if (sqlite3_prepare_v3(d->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK)
        return fail(d, err, sql);
    sq_stmt *s = xcalloc(1, sizeof *s);
    s->vt = &sq_vt;
    s->st = st;
    s->owner = d;
    s->sql = xstrdup(sql);
    s->in_use = true;
    if (slot < CACHE_SLOTS && d->cached < CACHE_SLOTS * 3 / 4) {
        d->cache[slot] = s;
        d->cached++;
    } else {
        s->transient = true;
    }
    *out = (db_stmt *)s;
    return 0;
}

static int sq_bind_int(db_stmt *s, int i, int64_t v)
{
    return sqlite3_bind_int64(((sq_stmt *)s)->st, i, v) == SQLITE_OK ? 0 : -1;
}
static int sq_bind_double(db_stmt *s, int i, double v)
{
    return sqlite3_bind_double(((sq_stmt *)s)->st, i, v) == SQLITE_OK ? 0 : -1;
}
static int sq_bind_text(db_stmt *s, int i, const char *v)
{
    return sqlite3_bind_text(((sq_stmt *)s)->st, i, v, -1, SQLITE_TRANSIENT) == SQLITE_OK ? 0 : -1;
}
static int sq_bind_blob(db_stmt *s, int i, const void *p, size_t n)
{
    return sqlite3_bind_blob64(((sq_stmt *)s)->st, i, p, n, SQLITE_TRANSIENT) == SQLITE_OK ? 0 : -1;
}
static int sq_bind_null(db_stmt *s, int i)
{
    return sqlite3_bind_null(((sq_stmt *)s)->st, i) == SQLITE_OK ? 0 : -1;
}

static int sq_param_count(db_stmt *s)
{
    return sqlite3_bind_parameter_count(((sq_stmt *)s)->st);
}

static int sq_step(db_stmt *s_, tj_err *err)
{
    sq_stmt *s = (sq_stmt *)s_;
    int rc = sqlite3_step(s->st);
    if (rc == SQLITE_ROW)
        return 1;
    settle(s->owner);
    if (rc == SQLITE_DONE)
        return 0;
    return fail(s->owner, err, s->sql);
}

static void sq_reset(db_stmt *s_)
{
    sq_stmt *s = (sq_stmt *)s_;
    sqlite3_reset(s->st);
    sqlite3_clear_bindings(s->st);
    s->in_use = false;
    if (s->transient) {
        sqlite3_finalize(s->st);
        free(s->sql);
        free(s);
    }
}

static int64_t sq_changes(db *base)
{
    return sqlite3_changes64(((sq_db *)base)->h);
}
static int sq_col_count(db_stmt *s)
{
    return sqlite3_column_count(((sq_stmt *)s)->st);
}
static bool sq_col_null(db_stmt *s, int i)
{
    return sqlite3_column_type(((sq_stmt *)s)->st, i) == SQLITE_NULL;
}
static int64_t sq_col_int(db_stmt *s, int i)
{
    return sqlite3_column_int64(((sq_stmt *)s)->st, i);
}
static double sq_col_double(db_stmt *s, int i)
{
    return sqlite3_column_double(((sq_stmt *)s)->st, i);
}
static const char *sq_col_text(db_stmt *s, int i)
{
    const unsigned char *t = sqlite3_column_text(((sq_stmt *)s)->st, i);
    return t ? (const char *)t : "";
}
static const void *sq_col_blob(db_stmt *s, int i, size_t *len)
{
    const void *p = sqlite3_column_blob(((sq_stmt *)s)->st, i);
    *len = (size_t)sqlite3_column_bytes(((sq_stmt *)s)->st, i);
    return p;
}
static const char *sq_col_name(db_stmt *s, int i)
{
    return sqlite3_column_name(((sq_stmt *)s)->st, i);
}

static enum db_kind sq_col_kind(db_stmt *s, int i)
{
    switch (sqlite3_column_type(((sq_stmt *)s)->st, i)) {
    case SQLITE_NULL:
        return DB_NULL;
    case SQLITE_INTEGER:
        return DB_INT;
    case SQLITE_FLOAT:
        return DB_FLOAT;
    case SQLITE_BLOB:
        return DB_BLOB;
    default:
        return DB_TEXT;
    }
}

static const struct db_vtab sq_vt = {
    .engine = DB_SQLITE,
    .name = "sqlite",
    .close = sq_close,
    .exec = sq_exec,
    .prepare = sq_prepare,
    .bind_int = sq_bind_int,
    .bind_double = sq_bind_double,
    .bind_text = sq_bind_text,
    .bind_blob = sq_bind_blob,
    .bind_null = sq_bind_null,
    .param_count = sq_param_count,
    .step = sq_step,
    .reset = sq_reset,
    .changes = sq_changes,
    .col_count = sq_col_count,
    .col_null = sq_col_null,
    .col_int = sq_col_int,
    .col_double = sq_col_double,
    .col_text = sq_col_text,
    .col_blob = sq_col_blob,
    .col_name = sq_col_name,
    .col_kind = sq_col_kind,
    .sync = sq_sync,
    .write_lock = sq_write_lock,
};

static pthread_once_t config_once = PTHREAD_ONCE_INIT;

/* Before the library initialises: no global memory statistics, whose mutex every
 * allocation of every connection would otherwise take. */
static void configure(void)
{
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

int db_sqlite_open(db **out, const char *path, tj_err *err)
{
    pthread_once(&config_once, configure);
    sq_db *d = xcalloc(1, sizeof *d);
    d->base.vt = &sq_vt;
    int rc = sqlite3_open_v2(
        path, &d->h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        err_set(err, 500, "db_open", NULL, "无法打开数据库 %s：%s", path,
                d->h ? sqlite3_errmsg(d->h) : "内存不足");
        sqlite3_close_v2(d->h);
        free(d);
        return -1;
    }
    sqlite3_busy_timeout(d->h, 10000);
    sqlite3_extended_result_codes(d->h, 1);
    sqlite3_update_hook(d->h, on_update, d);
    /* synchronous=NORMAL only with the WAL and the group commit above; FULL otherwise */
    sqlite3_stmt *jm;
    bool wal = false;
    if (sqlite3_prepare_v2(d->h, "PRAGMA journal_mode=WAL", -1, &jm, NULL) == SQLITE_OK) {
        if (sqlite3_step(jm) == SQLITE_ROW)
            wal = strcmp((const char *)sqlite3_column_text(jm, 0), "wal") == 0;
        sqlite3_finalize(jm);
    }
    const char *file = sqlite3_db_filename(d->h, "main");
    if (wal && file && *file)
        d->ws = walsync_for(file);
    /* mmap is bounded to 64 MiB: mapped pages count in the process's RSS */
    if (sq_exec(&d->base,
                d->ws ? "PRAGMA synchronous=NORMAL; PRAGMA journal_size_limit=67108864;"
                        "PRAGMA foreign_keys=ON;"
                        "PRAGMA temp_store=MEMORY; PRAGMA cache_size=-20000;"
                        "PRAGMA mmap_size=67108864;"
                      : "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
                        "PRAGMA temp_store=MEMORY; PRAGMA cache_size=-20000;"
                        "PRAGMA mmap_size=67108864;",
                err) != 0) {
        sq_close(&d->base);
        return -1;
    }
    *out = &d->base;
    return 0;
}
