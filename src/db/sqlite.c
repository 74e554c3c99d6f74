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
    struct sq_conn *owner;
    char *sql;
    bool in_use, transient;
} sq_stmt;

/* Transaction control of the writer connection, prepared once. */
enum { TX_BEGIN, TX_SAVEPOINT, TX_RELEASE, TX_ROLLBACK_TO, TX_COMMIT, TX_ROLLBACK, TX__N };
static const char *const tx_sql[TX__N] = {"BEGIN IMMEDIATE", "SAVEPOINT w", "RELEASE w",
                                          "ROLLBACK TO w",   "COMMIT",      "ROLLBACK"};

/* One SQLite connection with its statement cache. */
typedef struct sq_conn {
    sqlite3 *h;
    sqlite3_stmt *tx[TX__N];
    sq_stmt *cache[CACHE_SLOTS];
    int cached;
    bool dirty;         /* changed rows since the last generation bump */
    bool sessions_gone; /* deleted sessions since the last session-generation bump */
} sq_conn;

/* Group commit. Connections commit with synchronous=NORMAL (the WAL is written, not
 * synced); before a write request is answered its thread makes the WAL durable with
 * one fdatasync that also covers every commit written before that sync started. The
 * first waiter syncs, the others wait for it or the next one: 64 concurrent writers
 * share a handful of syncs instead of paying one each (synchronous=FULL), with the
 * same guarantee — a transaction is on disk before its client hears of it.
 *
 * Batched writes. Every write transaction of this process runs on one shared
 * writer connection, in turn (the `writer` mutex), each inside a savepoint of a
 * batch transaction. A writer that finishes while others are queued leaves the
 * batch open and waits; the last of a run commits it for all (or at BATCH_MAX
 * writes or BATCH_NS of age). Changed pages — the table and index leaves every
 * registration touches, a full-text segment — reach the WAL once per batch rather
 * than once per write, and the writer connection's page cache stays valid because
 * no other connection of the process writes. A write that fails is rolled back to
 * its savepoint alone; if the batch cannot commit, every writer in it is told so.
 * Nobody hears of success before the batch is committed and synced. */
#define BATCH_MAX 32
#define BATCH_NS  (10 * 1000 * 1000)

typedef struct bwaiter {
    bool done, failed; /* guarded by walsync.mu */
    struct bwaiter *next;
} bwaiter;

typedef struct walsync {
    char *path; /* the database file; its WAL is path + "-wal" */
    int fd;     /* the WAL, opened by the syncing thread; -1 until then */
    dev_t dev;
    ino_t ino;
    pthread_mutex_t mu; /* guards written, synced, busy, done and failed */
    pthread_cond_t cv;
    pthread_mutex_t writer; /* held by the writer using wconn */
    uint64_t written, synced;
    bool busy;
    int users;         /* open sq_db on this file (guarded by walsyncs_mu) */
    sq_conn *wconn;    /* the shared writer connection, opened on first write */
    atomic_int queued; /* threads waiting for `writer` */
    bool open;         /* a batch transaction is open on wconn */
    int members;       /* successful writes in the open batch */
    bwaiter *list;     /* their writers, waiting for the outcome */
    int64_t opened_ns; /* when the open batch began */
    struct walsync *next;
} walsync;

typedef struct sq_db {
    db base;
    sq_conn own;
    sq_conn *cur; /* own, or the shared writer connection during a write transaction */
    walsync *ws;  /* NULL when the database is not in WAL mode (FULL sync then) */
} sq_db;

static atomic_uint_fast64_t generation = 1, session_generation = 1;
static atomic_uint_fast64_t stat_writes, stat_commits, local_commits;

uint64_t db_local_commits(void)
{
    return atomic_load(&local_commits);
}

void db_generation_bump(void)
{
    atomic_fetch_add(&generation, 1);
    atomic_fetch_add(&session_generation, 1);
}

static int on_commit(void *arg)
{
    (void)arg;
    atomic_fetch_add(&local_commits, 1);
    return 0;
}

void db_write_stats(uint64_t *writes, uint64_t *commits)
{
    *writes = atomic_load(&stat_writes);
    *commits = atomic_load(&stat_commits);
}

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
    sq_conn *c = arg;
    if (strcmp(table, "sessions") == 0) {
        if (op == SQLITE_DELETE)
            c->sessions_gone = true;
    } else if (strcmp(table, "login_attempts") != 0 && strncmp(table, "case_fts", 8) != 0) {
        c->dirty = true;
    }
}

/* Moves the generation once the changes are committed (and so visible to readers):
 * a reader that read the old generation before its snapshot can no longer have its
 * result served. Rolled-back changes move it too, harmlessly. */
static void settle(sq_conn *c)
{
    if (!sqlite3_get_autocommit(c->h))
        return;
    if (c->dirty) {
        c->dirty = false;
        atomic_fetch_add(&generation, 1);
    }
    if (c->sessions_gone) {
        c->sessions_gone = false;
        atomic_fetch_add(&session_generation, 1);
    }
}

static int fail(sq_conn *c, tj_err *err, const char *what)
{
    int code = sqlite3_extended_errcode(c->h);
    const char *m = sqlite3_errmsg(c->h);
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

static int conn_exec(sq_conn *c, const char *sql, tj_err *err)
{
    int rc = sqlite3_exec(c->h, sql, NULL, NULL, NULL);
    settle(c);
    if (rc != SQLITE_OK)
        return fail(c, err, sql);
    return 0;
}

/* Runs transaction statement op on c (err may be NULL). */
static int tx(sq_conn *c, int op, tj_err *err)
{
    if (!c->tx[op] && sqlite3_prepare_v3(c->h, tx_sql[op], -1, SQLITE_PREPARE_PERSISTENT,
                                         &c->tx[op], NULL) != SQLITE_OK)
        return fail(c, err, tx_sql[op]);
    int rc = sqlite3_step(c->tx[op]);
    sqlite3_reset(c->tx[op]);
    settle(c);
    return rc == SQLITE_DONE ? 0 : fail(c, err, tx_sql[op]);
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
    w->users++;
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

/* Makes every commit written so far durable (see the group commit above). */
static int wal_sync(walsync *w)
{
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
    return rc;
}

static int64_t now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

/* Tells the writers of a finished batch its outcome. */
static void batch_finish(walsync *w, bwaiter *list, bool failed)
{
    pthread_mutex_lock(&w->mu);
    while (list) {
        bwaiter *next = list->next; /* list is on its owner's stack until done is seen */
        list->failed = failed;
        list->done = true;
        list = next;
    }
    pthread_cond_broadcast(&w->cv);
    pthread_mutex_unlock(&w->mu);
}

/* Called holding w->writer once the caller's savepoint is released (me: its write
 * joins the batch) or rolled back (me NULL). Commits the batch unless others are
 * queued to join it and it is young and small; releases w->writer; then waits for
 * the batch of `me` to be committed and synced. */
static int batch_leave(walsync *w, bwaiter *me, tj_err *err)
{
    bwaiter *lost = NULL;
    if (w->open && sqlite3_get_autocommit(w->wconn->h)) {
        /* an I/O or memory error rolled the whole transaction back: the writes already
         * in the batch are gone, and their writers must hear it */
        lost = w->list;
        w->list = NULL;
        w->members = 0;
        w->open = false;
        settle(w->wconn);
    }
    bool joined = me && w->open;
    if (joined) {
        me->next = w->list;
        w->list = me;
        w->members++;
    }
    bool commit = w->open && !(atomic_load(&w->queued) > 0 && w->members < BATCH_MAX &&
                               now_ns() - w->opened_ns < BATCH_NS);
    bwaiter *list = NULL;
    bool failed = false;
    if (commit) {
        if (tx(w->wconn, TX_COMMIT, NULL) != 0) {
            tx(w->wconn, TX_ROLLBACK, NULL);
            failed = true;
        } else if (w->members) {
            atomic_fetch_add(&stat_commits, 1);
            atomic_fetch_add(&stat_writes, (uint64_t)w->members);
        }
        list = w->list;
        w->list = NULL;
        w->members = 0;
        w->open = false;
    }
    pthread_mutex_unlock(&w->writer);
    if (lost)
        batch_finish(w, lost, true);
    if (commit) {
        if (!failed && list && wal_sync(w) != 0)
            failed = true;
        batch_finish(w, list, failed);
    }
    if (!me)
        return 0;
    if (!joined)
        return err_set(err, 500, "internal", NULL, "数据写入失败，请重试");
    pthread_mutex_lock(&w->mu);
    while (!me->done)
        pthread_cond_wait(&w->cv, &w->mu);
    bool f = me->failed;
    pthread_mutex_unlock(&w->mu);
    return f ? err_set(err, 500, "internal", NULL, "数据写入磁盘失败，请重试") : 0;
}

static int writer_conn(sq_db *d, tj_err *err);

/* A write transaction: the shared writer connection, a savepoint in the open batch
 * (one is begun if none is). Without a WAL (no group commit): BEGIN IMMEDIATE on the
 * thread's own connection. */
static int sq_write_begin(db *base, tj_err *err)
{
    sq_db *d = (sq_db *)base;
    walsync *w = d->ws;
    if (!w)
        return conn_exec(&d->own, "BEGIN IMMEDIATE", err);
    atomic_fetch_add(&w->queued, 1);
    pthread_mutex_lock(&w->writer);
    atomic_fetch_sub(&w->queued, 1);
    if (writer_conn(d, err) != 0)
        goto fail;
    if (!w->open) {
        if (tx(w->wconn, TX_BEGIN, err) != 0)
            goto fail;
        w->open = true;
        w->opened_ns = now_ns();
    }
    if (tx(w->wconn, TX_SAVEPOINT, err) != 0)
        goto fail;
    d->cur = w->wconn;
    return 0;
fail:
    batch_leave(w, NULL, NULL);
    return -1;
}

/* Ends the write begun by sq_write_begin: keeps it (ok) or undoes it. Returns 0 once
 * a kept write is committed and durable. */
static int sq_write_end(db *base, bool ok, tj_err *err)
{
    sq_db *d = (sq_db *)base;
    walsync *w = d->ws;
    if (!w) {
        if (ok && conn_exec(&d->own, "COMMIT", err) == 0) {
            atomic_fetch_add(&stat_commits, 1);
            atomic_fetch_add(&stat_writes, 1);
            return 0;
        }
        sqlite3_exec(d->own.h, "ROLLBACK", NULL, NULL, NULL);
        settle(&d->own);
        return ok ? -1 : 0;
    }
    d->cur = &d->own;
    sq_conn *c = w->wconn;
    if (ok && tx(c, TX_RELEASE, err) != 0)
        ok = false;
    else if (!ok)
        err = NULL;
    if (!ok) {
        tx(c, TX_ROLLBACK_TO, NULL);
        tx(c, TX_RELEASE, NULL);
    }
    bwaiter me = {0};
    int rc = batch_leave(w, ok ? &me : NULL, err);
    return ok ? rc : -1;
}

/* Opens c on path with the settings every connection gets; *wal tells whether the
 * database is in WAL mode (synchronous=NORMAL is safe only with the group commit). */
static int conn_open(sq_conn *c, const char *path, bool *wal, tj_err *err)
{
    memset(c, 0, sizeof *c);
    int rc = sqlite3_open_v2(
        path, &c->h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        err_set(err, 500, "db_open", NULL, "无法打开数据库 %s：%s", path,
                c->h ? sqlite3_errmsg(c->h) : "内存不足");
        sqlite3_close_v2(c->h);
        c->h = NULL;
        return -1;
    }
    sqlite3_busy_timeout(c->h, 10000);
    sqlite3_extended_result_codes(c->h, 1);
    sqlite3_update_hook(c->h, on_update, c);
    sqlite3_commit_hook(c->h, on_commit, NULL);
    sqlite3_stmt *jm;
    *wal = false;
    if (sqlite3_prepare_v2(c->h, "PRAGMA journal_mode=WAL", -1, &jm, NULL) == SQLITE_OK) {
        if (sqlite3_step(jm) == SQLITE_ROW)
            *wal = strcmp((const char *)sqlite3_column_text(jm, 0), "wal") == 0;
        sqlite3_finalize(jm);
    }
    /* mmap is bounded to 64 MiB: mapped pages count in the process's RSS. Deleted
     * and overwritten rows (sessions, token and password hashes) are zeroed in the
     * database file; only there: for the sorters and temporary tables of a query it
     * costs ~7 % of a to-do request and protects nothing. */
    return conn_exec(c,
                     *wal ? "PRAGMA synchronous=NORMAL; PRAGMA journal_size_limit=67108864;"
                            "PRAGMA foreign_keys=ON; PRAGMA main.secure_delete=ON;"
                            "PRAGMA temp_store=MEMORY; PRAGMA cache_size=-20000;"
                            "PRAGMA mmap_size=67108864;"
                          : "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
                            "PRAGMA main.secure_delete=ON;"
                            "PRAGMA temp_store=MEMORY; PRAGMA cache_size=-20000;"
                            "PRAGMA mmap_size=67108864;",
                     err);
}

static void conn_close(sq_conn *c)
{
    if (!c->h)
        return;
    for (int i = 0; i < TX__N; i++)
        sqlite3_finalize(c->tx[i]);
    for (int i = 0; i < CACHE_SLOTS; i++)
        if (c->cache[i]) {
            sqlite3_finalize(c->cache[i]->st);
            free(c->cache[i]->sql);
            free(c->cache[i]);
            c->cache[i] = NULL;
        }
    /* No PRAGMA optimize: since SQLite 3.46 it runs ANALYZE on large tables that have
     * no statistics, which counts every row of each (8.6 s at the first start of a
     * 1M-case database). The queries are written for the planner without statistics
     * (indexes that fit them, INDEXED BY where it would guess wrong), so plans stay the
     * same on every database, and none is gathered. */
    sqlite3_close_v2(c->h);
    c->h = NULL;
}

static void sq_close(db *base)
{
    sq_db *d = (sq_db *)base;
    conn_close(&d->own);
    if (d->ws) {
        /* the last connection to the file also closes the shared writer */
        pthread_mutex_lock(&walsyncs_mu);
        walsync *w = d->ws;
        if (--w->users == 0 && w->wconn) {
            conn_close(w->wconn);
            free(w->wconn);
            w->wconn = NULL;
            w->open = false;
        }
        pthread_mutex_unlock(&walsyncs_mu);
    }
    free(d);
}

static int sq_exec(db *base, const char *sql, tj_err *err)
{
    return conn_exec(((sq_db *)base)->cur, sql, err);
}

static const struct db_vtab sq_vt;

static int sq_prepare(db *base, const char *sql, db_stmt **out, tj_err *err)
{
    sq_conn *d = ((sq_db *)base)->cur;
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
    return sqlite3_changes64(((sq_db *)base)->cur->h);
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
    .write_begin = sq_write_begin,
    .write_end = sq_write_end,
};

static pthread_once_t config_once = PTHREAD_ONCE_INIT;

/* Before the library initialises: no global memory statistics, whose mutex every
 * allocation of every connection would otherwise take. */
static void configure(void)
{
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

/* The file's shared writer connection, opened by its first writer (holding
 * w->writer) with the checkpoint policy of that writer's own connection (the server
 * raises it: app/maintain.c checkpoints). */
static int writer_conn(sq_db *d, tj_err *err)
{
    walsync *w = d->ws;
    if (w->wconn)
        return 0;
    sq_conn *c = xcalloc(1, sizeof *c);
    bool wal;
    if (conn_open(c, w->path, &wal, err) != 0) {
        conn_close(c);
        free(c);
        return -1;
    }
    sqlite3_stmt *q;
    int every = 1000;
    if (sqlite3_prepare_v2(d->own.h, "PRAGMA wal_autocheckpoint", -1, &q, NULL) == SQLITE_OK) {
        if (sqlite3_step(q) == SQLITE_ROW)
            every = sqlite3_column_int(q, 0);
        sqlite3_finalize(q);
    }
    sqlite3_wal_autocheckpoint(c->h, every);
    w->wconn = c;
    return 0;
}

const char *db_sqlite_version(void)
{
    return sqlite3_libversion();
}

int db_sqlite_open(db **out, const char *path, tj_err *err)
{
    pthread_once(&config_once, configure);
    sq_db *d = xcalloc(1, sizeof *d);
    d->base.vt = &sq_vt;
    d->cur = &d->own;
    bool wal;
    if (conn_open(&d->own, path, &wal, err) != 0) {
        conn_close(&d->own);
        free(d);
        return -1;
    }
    const char *file = sqlite3_db_filename(d->own.h, "main");
    if (wal && file && *file)
        d->ws = walsync_for(file);
    *out = &d->base;
    return 0;
}
