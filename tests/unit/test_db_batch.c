/* Batched writes (db/sqlite.c): the write transactions of many threads share
 * commits, yet each is kept or undone on its own, and a writer that hears success
 * finds its write in any other connection at once. And what is deleted is gone from
 * the files, not only from the tables. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>

#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db/db.h"

#define THREADS 32
#define WRITES  24

static char path[256];

typedef struct worker {
    int no;
    int committed, refused, lost_reads, own_reads;
} worker;

static int count_where(db *d, const char *sql, int64_t a, int64_t b)
{
    int64_t n = -1;
    tj_err e = {0};
    if (db_scalar_int(d, &n, NULL, &e, sql, "ii", a, b) != 0)
        return -1;
    return (int)n;
}

/* Every third write also inserts the sentinel's key, which breaks the UNIQUE
 * constraint after its first row is in: the whole write must be undone and nothing
 * else with it. */
static void *work(void *arg)
{
    worker *w = arg;
    db *d;
    tj_err e = {0};
    if (db_open(&d, path, &e) != 0)
        return NULL;
    for (int i = 0; i < WRITES; i++) {
        bool bad = i % 3 == 0;
        e = (tj_err){0};
        if (db_begin(d, true, &e) != 0)
            continue;
        int rc = db_run(d, NULL, &e, "INSERT INTO t(k, who, n) VALUES (?, ?, ?)", "iii",
                        (int64_t)(w->no * 1000 + i), (int64_t)w->no, (int64_t)i);
        /* inside the transaction the write sees itself */
        if (rc == 0 &&
            count_where(d, "SELECT COUNT(*) FROM t WHERE who = ? AND n = ?", w->no, i) == 1)
            w->own_reads++;
        if (rc == 0 && bad)
            rc = db_run(d, NULL, &e, "INSERT INTO t(k, who, n) VALUES (0, ?, ?)", "ii",
                        (int64_t)w->no, (int64_t)i);
        if (rc != 0) {
            db_rollback(d);
            w->refused++;
            continue;
        }
        if (db_commit(d, &e) != 0)
            continue;
        w->committed++;
        /* another connection sees a write as soon as its writer hears of success */
        db *o;
        tj_err e2 = {0};
        if (db_open(&o, path, &e2) == 0) {
            if (count_where(o, "SELECT COUNT(*) FROM t WHERE who = ? AND n = ?", w->no, i) != 1)
                w->lost_reads++;
            db_close(o);
        }
    }
    db_close(d);
    return NULL;
}

static void concurrent_writes_keep_their_own_outcome(void **state)
{
    (void)state;
    snprintf(path, sizeof path, "/tmp/tj-db-batch-%d.db", (int)getpid());
    unlink(path);
    db *d;
    tj_err e = {0};
    assert_int_equal(db_open(&d, path, &e), 0);
    assert_int_equal(db_exec(d,
                             "CREATE TABLE t (k INTEGER NOT NULL UNIQUE, who INTEGER, n INTEGER);"
                             "INSERT INTO t(k, who, n) VALUES (0, 0, -5)",
                             &e),
                     0);
    uint64_t g0 = db_generation();

    pthread_t tid[THREADS];
    worker ws[THREADS];
    for (int i = 0; i < THREADS; i++) {
        ws[i] = (worker){.no = i + 1};
        assert_int_equal(pthread_create(&tid[i], NULL, work, &ws[i]), 0);
    }
    int committed = 0;
    for (int i = 0; i < THREADS; i++) {
        pthread_join(tid[i], NULL);
        assert_int_equal(ws[i].committed, WRITES - WRITES / 3);
        assert_int_equal(ws[i].refused, WRITES / 3);
        assert_int_equal(ws[i].lost_reads, 0);
        assert_int_equal(ws[i].own_reads, WRITES);
        committed += ws[i].committed;
    }
    int64_t n = 0;
    assert_int_equal(db_scalar_int(d, &n, NULL, &e, "SELECT COUNT(*) FROM t", ""), 0);
    assert_int_equal(n, committed + 1);
    /* not one row of a refused write: those are the writes with n % 3 = 0 */
    assert_int_equal(db_scalar_int(d, &n, NULL, &e, "SELECT COUNT(*) FROM t WHERE n % 3 = 0", ""),
                     0);
    assert_int_equal(n, 0);
    assert_true(db_generation() > g0);
    /* 32 writers at once: their writes shared commits */
    uint64_t writes, commits;
    db_write_stats(&writes, &commits);
    assert_int_equal(writes, (uint64_t)committed);
    assert_true(commits < writes);
    print_message("%llu writes in %llu commits\n", (unsigned long long)writes,
                  (unsigned long long)commits);

    /* a write on its own still works once every other writer is gone */
    assert_int_equal(db_begin(d, true, &e), 0);
    assert_int_equal(db_run(d, NULL, &e, "INSERT INTO t(k, who, n) VALUES (1, 0, 1)", ""), 0);
    assert_int_equal(db_commit(d, &e), 0);
    assert_int_equal(db_scalar_int(d, &n, NULL, &e, "SELECT COUNT(*) FROM t WHERE k = 1", ""), 0);
    assert_int_equal(n, 1);
    /* and a read transaction is not a write */
    assert_int_equal(db_begin(d, false, &e), 0);
    assert_int_equal(db_commit(d, &e), 0);
    db_close(d);
    char aux[300];
    unlink(path);
    snprintf(aux, sizeof aux, "%s-wal", path);
    unlink(aux);
    snprintf(aux, sizeof aux, "%s-shm", path);
    unlink(aux);
}

/* True if the file at p contains s. */
static bool file_has(const char *p, const char *s)
{
    FILE *f = fopen(p, "rb");
    if (!f)
        return false;
    static char data[1 << 20];
    size_t n = fread(data, 1, sizeof data, f);
    fclose(f);
    return memmem(data, n, s, strlen(s)) != NULL;
}

/* A deleted session's or overwritten password's hash must not stay readable in the
 * free space of a page (db/sqlite.c sets secure_delete on the database file). */
static void deleted_rows_leave_no_trace_in_the_file(void **state)
{
    (void)state;
    char p[256], wal[300];
    snprintf(p, sizeof p, "/tmp/tj-db-erase-%d.db", (int)getpid());
    snprintf(wal, sizeof wal, "%s-wal", p);
    unlink(p);
    db *d;
    tj_err e = {0};
    assert_int_equal(db_open(&d, p, &e), 0);
    assert_int_equal(db_exec(d, "CREATE TABLE s (id INTEGER PRIMARY KEY, h TEXT)", &e), 0);
    assert_int_equal(db_run(d, NULL, &e, "INSERT INTO s(h) VALUES (?), (?)", "ss",
                            "keep-this-row-0123456789", "erase-me-9f8e7d6c5b4a"),
                     0);
    assert_int_equal(db_exec(d, "PRAGMA wal_checkpoint(TRUNCATE)", &e), 0);
    assert_true(file_has(p, "erase-me-9f8e7d6c5b4a"));
    assert_int_equal(db_run(d, NULL, &e, "DELETE FROM s WHERE h LIKE 'erase%'", ""), 0);
    assert_int_equal(db_run(d, NULL, &e, "UPDATE s SET h = 'replaced' WHERE id = 1", ""), 0);
    assert_int_equal(db_exec(d, "PRAGMA wal_checkpoint(TRUNCATE)", &e), 0);
    assert_false(file_has(p, "erase-me-9f8e7d6c5b4a"));
    assert_false(file_has(p, "keep-this-row-0123456789"));
    assert_false(file_has(wal, "erase-me-9f8e7d6c5b4a"));
    assert_true(file_has(p, "replaced"));
    db_close(d);
    unlink(p);
    unlink(wal);
    char shm[300];
    snprintf(shm, sizeof shm, "%s-shm", p);
    unlink(shm);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(concurrent_writes_keep_their_own_outcome),
        cmocka_unit_test(deleted_rows_leave_no_trace_in_the_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
