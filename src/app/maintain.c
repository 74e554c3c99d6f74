/* maintain.c — see maintain.h. */
#include "app/maintain.h"
#include "util/clock.h"
#include "util/log.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define STEP_PAGES 128 /* pages written by one merge step: a few ms of write lock */
#define TICK_MS    500

static struct {
    pthread_t th;
    bool started;
    atomic_bool stop;
    const char *url;
} mt;

/* The index's structure record (FTS5 keeps it at id 10 of the data table): a merge
 * that did anything rewrites it. NULL when the table is missing (PostgreSQL). */
static int structure(db *d, char **out, size_t *len, tj_err *err)
{
    db_stmt *s;
    *out = NULL;
    *len = 0;
    if (db_query(d, &s, err, "SELECT block FROM case_fts_data WHERE id = 10", "") != 0)
        return -1;
    int rc = db_step(s, err);
    if (rc == 1) {
        size_t n;
        const void *p = db_col_blob(s, 0, &n);
        *out = malloc(n ? n : 1);
        if (!*out)
            abort();
        memcpy(*out, p, n);
        *len = n;
    }
    db_done(s);
    return rc < 0 ? -1 : 0;
}

int maintain_merge(db *d, int budget, tj_err *err)
{
    int merged = 0;
    if (db_engine_of(d) != DB_SQLITE)
        return 0;
    for (int i = 0; i < budget; i++) {
        char *before = NULL, *after = NULL;
        size_t nb, na;
        if (db_begin(d, true, err) != 0)
            return -1;
        if (structure(d, &before, &nb, err) != 0 ||
            db_run(d, NULL, err, "INSERT INTO case_fts(case_fts, rank) VALUES ('merge', ?)", "i",
                   (int64_t)STEP_PAGES) != 0 ||
            structure(d, &after, &na, err) != 0) {
            free(before);
            free(after);
            db_rollback(d);
            return -1;
        }
        bool changed = nb != na || (nb && memcmp(before, after, nb) != 0);
        free(before);
        free(after);
        if (db_commit(d, err) != 0)
            return -1;
        if (!changed)
            break;
        merged++;
    }
    return merged;
}

/* A commit by another process (the CLI disabling an account, say) does not pass
 * through this process's update hooks, so the answer cache and the signed-in callers
 * would keep what they hold until their age limit. SQLite's data_version moves with
 * any other connection's commit; when it moved while this process committed nothing
 * (the local count read first: a local commit in between only costs an invalidation),
 * the change came from outside and the generations move. When both moved in one tick
 * the age limit still bounds what is missed. The thread's own merges would make every
 * tick after a burst of writes look like both: after them, the current values are
 * taken as they stand (compare false). */
static void foreign_commits(db *d, bool compare, uint64_t *local, int64_t *version)
{
    if (db_engine_of(d) != DB_SQLITE)
        return;
    uint64_t c = db_local_commits();
    int64_t v;
    tj_err err = {0};
    if (db_scalar_int(d, &v, NULL, &err, "PRAGMA data_version", "") != 0) {
        log_warn("data version: %s", err.msg);
        return;
    }
    if (compare && *version >= 0 && v != *version && c == *local) {
        log_debug("a change by another process: cached answers dropped");
        db_generation_bump();
    }
    *version = v;
    *local = c;
}

static void *run(void *arg)
{
    (void)arg;
    tj_err err = {0};
    db *d = NULL;
    uint64_t seen = 0, local = db_local_commits();
    int64_t version = -1;
    while (!atomic_load(&mt.stop)) {
        struct timespec ts = {0, TICK_MS * 1000000L};
        nanosleep(&ts, NULL);
        if (!d && db_open(&d, mt.url, &err) != 0) {
            log_warn("index upkeep: %s", err.msg);
            d = NULL;
            continue;
        }
        foreign_commits(d, true, &local, &version);
        uint64_t g = db_generation();
        if (g == seen)
            continue;
        /* steps until the index is tidy, a stop, or 250 ms of work in this tick */
        int64_t until = clock_mono_ns() + 250 * 1000000LL;
        int n, steps = 0;
        while ((n = maintain_merge(d, 1, &err)) > 0 && !atomic_load(&mt.stop) &&
               clock_mono_ns() < until)
            steps++;
        if (n < 0)
            log_warn("index upkeep: %s", err.msg);
        else if (steps > 0)
            log_debug("index upkeep: %d merge steps", steps);
        /* copy the WAL into the database here rather than inside a request; PASSIVE
         * never waits for readers or writers */
        if (db_engine_of(d) == DB_SQLITE && db_exec(d, "PRAGMA wal_checkpoint(PASSIVE)", &err) != 0)
            log_warn("checkpoint: %s", err.msg);
        /* our own commits moved the generation; the next change moves it again */
        seen = db_generation();
        foreign_commits(d, false, &local, &version);
    }
    db_close(d);
    return NULL;
}

int maintain_start(const config *cfg, tj_err *err)
{
    if (mt.started)
        return 0;
    mt.url = cfg->db_url;
    atomic_store(&mt.stop, false);
    if (pthread_create(&mt.th, NULL, run, NULL) != 0)
        return err_set(err, 500, "internal", NULL, "无法启动数据库维护线程");
    mt.started = true;
    return 0;
}

void maintain_stop(void)
{
    if (!mt.started)
        return;
    atomic_store(&mt.stop, true);
    pthread_join(mt.th, NULL);
    mt.started = false;
}
