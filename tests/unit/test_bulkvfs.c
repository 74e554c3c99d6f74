/* The bulk-load VFS (db/bulkvfs.c): the same work through it and through SQLite's
 * own unix VFS leaves the same rows and a sound file, whether pages are written in
 * long runs, rewritten inside a gathered run, read back from it, or written out of
 * order; and another connection sees every committed page. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db/db.h"

#include "sqlite_exec.h"

static char dir[] = "/tmp/tj_bulkvfs_XXXXXX";

static int64_t scalar(sqlite3 *h, const char *sql)
{
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &s, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    int64_t v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return v;
}

/* A deterministic load with a tiny page cache, so pages spill in the middle of a
 * transaction and are read back: appends (rows of up to 6 KB, overflow pages
 * included), updates and deletes of old rows (writes behind the run), an index in
 * random order, and a commit every 1,000 rows. */
static void load(const char *path, const char *vfs, const char *journal)
{
    sqlite3 *h;
    assert_int_equal(sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, vfs),
                     SQLITE_OK);
    char pragmas[200];
    snprintf(pragmas, sizeof pragmas, "PRAGMA journal_mode=%s; PRAGMA cache_size=16;", journal);
    exec(h, pragmas);
    exec(h, "CREATE TABLE t(id INTEGER PRIMARY KEY, k INTEGER, v TEXT);"
            "CREATE INDEX t_k ON t(k)");
    sqlite3_stmt *ins, *upd, *del;
    assert_int_equal(sqlite3_prepare_v2(h, "INSERT INTO t(k, v) VALUES (?, ?)", -1, &ins, NULL),
                     SQLITE_OK);
    assert_int_equal(
        sqlite3_prepare_v2(h, "UPDATE t SET v = v || ?, k = k + 1 WHERE id = ?", -1, &upd, NULL),
        SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(h, "DELETE FROM t WHERE id = ?", -1, &del, NULL),
                     SQLITE_OK);
    static char text[6200];
    uint32_t x = 12345;
    exec(h, "BEGIN");
    for (int i = 1; i <= 12000; i++) {
        x = x * 1103515245u + 12345u;
        int len = (int)(x >> 8) % 6000 + 1;
        for (int j = 0; j < len; j++)
            text[j] = (char)('a' + (j * 7 + i) % 26);
        sqlite3_bind_int64(ins, 1, (int64_t)(x >> 4));
        sqlite3_bind_text(ins, 2, text, len, SQLITE_STATIC);
        assert_int_equal(sqlite3_step(ins), SQLITE_DONE);
        sqlite3_reset(ins);
        if (i % 7 == 0) {
            sqlite3_bind_text(upd, 1, "updated", -1, SQLITE_STATIC);
            sqlite3_bind_int64(upd, 2, (int64_t)(x % (uint32_t)i) + 1);
            assert_int_equal(sqlite3_step(upd), SQLITE_DONE);
            sqlite3_reset(upd);
        }
        if (i % 13 == 0) {
            sqlite3_bind_int64(del, 1, (int64_t)(x >> 3) % i + 1);
            assert_int_equal(sqlite3_step(del), SQLITE_DONE);
            sqlite3_reset(del);
        }
        if (i % 1000 == 0) {
            exec(h, "COMMIT");
            /* reads between transactions: every row and index entry is there */
            assert_int_equal(scalar(h, "SELECT COUNT(*) FROM t"),
                             scalar(h, "SELECT COUNT(*) FROM t INDEXED BY t_k WHERE k >= 0"));
            exec(h, "BEGIN");
        }
    }
    exec(h, "COMMIT");
    sqlite3_finalize(ins);
    sqlite3_finalize(upd);
    sqlite3_finalize(del);
    assert_int_equal(sqlite3_close(h), SQLITE_OK);
}

/* The rows of t, in id order, as one FNV-1a hash, read through the unix VFS. */
static uint64_t digest(const char *path, int64_t *rows)
{
    sqlite3 *h;
    assert_int_equal(sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, "unix"), SQLITE_OK);
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_prepare_v2(h, "PRAGMA integrity_check", -1, &s, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(s, 0), "ok");
    sqlite3_finalize(s);
    assert_int_equal(sqlite3_prepare_v2(h, "SELECT id, k, v FROM t ORDER BY id", -1, &s, NULL),
                     SQLITE_OK);
    uint64_t hash = 1469598103934665603u;
    *rows = 0;
    while (sqlite3_step(s) == SQLITE_ROW) {
        char head[64];
        int n = snprintf(head, sizeof head, "%lld:%lld:", (long long)sqlite3_column_int64(s, 0),
                         (long long)sqlite3_column_int64(s, 1));
        const unsigned char *v = sqlite3_column_text(s, 2);
        int vn = sqlite3_column_bytes(s, 2);
        for (int i = 0; i < n; i++)
            hash = (hash ^ (unsigned char)head[i]) * 1099511628211u;
        for (int i = 0; i < vn; i++)
            hash = (hash ^ v[i]) * 1099511628211u;
        (*rows)++;
    }
    sqlite3_finalize(s);
    sqlite3_close(h);
    return hash;
}

static void same_as_unix_vfs(const char *journal)
{
    const char *vfs = db_sqlite_bulk_vfs();
    assert_non_null(vfs);
    char a[300], b[300];
    snprintf(a, sizeof a, "%s/bulk-%s.db", dir, journal);
    snprintf(b, sizeof b, "%s/unix-%s.db", dir, journal);
    load(a, vfs, journal);
    load(b, "unix", journal);
    int64_t ra, rb;
    uint64_t ha = digest(a, &ra), hb = digest(b, &rb);
    assert_true(ra > 10000);
    assert_int_equal(ra, rb);
    assert_true(ha == hb);
}

static void without_a_journal(void **state)
{
    (void)state;
    same_as_unix_vfs("OFF");
}

static void with_a_rollback_journal(void **state)
{
    (void)state;
    same_as_unix_vfs("DELETE");
}

/* A reader on another connection sees each commit of the bulk connection whole. */
static void another_connection_sees_each_commit(void **state)
{
    (void)state;
    char p[300];
    snprintf(p, sizeof p, "%s/shared.db", dir);
    sqlite3 *w, *r;
    assert_int_equal(
        sqlite3_open_v2(p, &w, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, db_sqlite_bulk_vfs()),
        SQLITE_OK);
    exec(w, "PRAGMA cache_size=8; CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)");
    assert_int_equal(sqlite3_open_v2(p, &r, SQLITE_OPEN_READONLY, "unix"), SQLITE_OK);
    for (int round = 1; round <= 5; round++) {
        exec(w, "BEGIN; WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < "
                "2000) INSERT INTO t(v) SELECT printf('%0500d', i) FROM n; COMMIT");
        assert_int_equal(scalar(r, "SELECT COUNT(*) FROM t"), round * 2000);
        assert_int_equal(scalar(r, "SELECT SUM(length(v)) FROM t"), round * 2000 * 500);
    }
    sqlite3_close(r);
    assert_int_equal(sqlite3_close(w), SQLITE_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(without_a_journal),
        cmocka_unit_test(with_a_rollback_journal),
        cmocka_unit_test(another_connection_sees_each_commit),
    };
    return run_in_tmpdir(dir, tests, sizeof tests / sizeof *tests);
}
