/* The appender's bulk mode (db/sqlite_append.c): a table and its indexes written page
 * by page hold the same rows and index entries as the same rows INSERTed, pass
 * SQLite's integrity check at every size (an empty table, one leaf, trees of three and
 * more levels, rows and keys on overflow pages), across commits and beside another
 * table INSERTed at the same time, never use the page of the pending byte, and take
 * ordinary writes afterwards; rows out of an index's order, or repeating a unique
 * index's key, are refused. */
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

#include "db/sqlite_append.h"

#include "sqlite_exec.h"

static char dir[] = "/tmp/tj_bulk_XXXXXX";
static int side_rows; /* rows INSERTed into side during the last load */

static sqlite3 *open_db(const char *name)
{
    sqlite3 *h = open_fresh(dir, name);
    exec(h, "PRAGMA journal_mode=OFF; PRAGMA cache_size=64;"
            "CREATE TABLE side(id INTEGER PRIMARY KEY, v TEXT);"
            "CREATE TABLE ev(id INTEGER PRIMARY KEY, case_id INTEGER NOT NULL, kind TEXT NOT NULL,"
            " body TEXT, n INTEGER);"
            "CREATE INDEX ev_case ON ev(case_id, id);"
            "CREATE INDEX ev_kind ON ev(case_id, kind);");
    return h;
}

static void integrity_ok(sqlite3 *h)
{
    char *r = query_text(h, "PRAGMA integrity_check");
    assert_string_equal(r, "ok");
    free(r);
}

/* Row i of a load: case ids that never fall, kinds in order within a case, bodies
 * from empty to 20 KB (overflow pages), and kinds up to 3 KB (index overflow). */
static uint64_t rng;
static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

typedef struct row {
    int64_t id, case_id, n;
    char kind[3200];
    char body[20001];
    int kind_len, body_len, body_null;
} row;

static void make_row(row *r, int64_t id, int64_t *case_id, int *seq)
{
    if (next() % 4 == 0) {
        *case_id += 1 + (int64_t)(next() % 3);
        *seq = 0;
    }
    (*seq)++;
    r->id = id;
    r->case_id = *case_id;
    r->n = (int64_t)(next() % 2000000) - 1000000;
    uint64_t pick = next() % 100;
    int extra = pick < 2 ? 1100 + (int)(next() % 2000) : (int)(next() % 30);
    r->kind_len = snprintf(r->kind, 16, "k%05d", *seq);
    for (int i = 0; i < extra; i++)
        r->kind[r->kind_len++] = (char)('a' + (i * 5 + *seq) % 26);
    r->kind[r->kind_len] = 0;
    r->body_null = pick == 50;
    pick = next() % 100;
    r->body_len = pick < 3 ? 4000 + (int)(next() % 16000) : pick < 10 ? 0 : (int)(next() % 300);
    for (int i = 0; i < r->body_len; i++)
        r->body[i] = "事件正文abc"[(i + (int)id) % 13];
    r->body[r->body_len] = 0;
}

/* Loads n rows into ev of both databases: a through INSERT, b through the bulk
 * appender, with a commit every `every` rows and a side row INSERTed in b between. */
static void load(sqlite3 *a, sqlite3 *b, int n, int every)
{
    sqlite3_stmt *ins, *side;
    assert_int_equal(sqlite3_prepare_v2(a,
                                        "INSERT INTO ev(id, case_id, kind, body, n) VALUES"
                                        " (?, ?, ?, ?, ?)",
                                        -1, &ins, NULL),
                     SQLITE_OK);
    assert_int_equal(
        sqlite3_prepare_v2(b, "INSERT INTO side(v) VALUES (printf('%0300d', ?))", -1, &side, NULL),
        SQLITE_OK);
    exec(a, "BEGIN");
    exec(b, "BEGIN IMMEDIATE");
    sqlite_append *ap = NULL;
    assert_int_equal(sqlite_append_open_bulk(b, "ev", "id, case_id, kind, body, n", &ap), 0);
    int64_t case_id = 1;
    int seq = 0;
    side_rows = 0;
    static row r;
    for (int i = 1; i <= n; i++) {
        make_row(&r, i * 3, &case_id, &seq);
        sqlite_append_val v[5] = {{'i', 0, r.id, NULL},
                                  {'i', 0, r.case_id, NULL},
                                  {'s', r.kind_len, 0, r.kind},
                                  {r.body_null ? 'n' : 's', r.body_len, 0, r.body},
                                  {'i', 0, r.n, NULL}};
        assert_int_equal(sqlite_append_row(ap, v), 0);
        sqlite3_bind_int64(ins, 1, r.id);
        sqlite3_bind_int64(ins, 2, r.case_id);
        sqlite3_bind_text(ins, 3, r.kind, r.kind_len, SQLITE_STATIC);
        if (r.body_null)
            sqlite3_bind_null(ins, 4);
        else
            sqlite3_bind_text(ins, 4, r.body, r.body_len, SQLITE_STATIC);
        sqlite3_bind_int64(ins, 5, r.n);
        assert_int_equal(sqlite3_step(ins), SQLITE_DONE);
        sqlite3_reset(ins);
        if (i % 7 == 0) {
            side_rows++;
            sqlite3_bind_int(side, 1, i);
            assert_int_equal(sqlite3_step(side), SQLITE_DONE);
            sqlite3_reset(side);
        }
        if (every && i % every == 0)
            exec(b, "COMMIT; BEGIN IMMEDIATE");
    }
    /* the table reads as empty until the end */
    char *c = query_text(b, "SELECT COUNT(*) FROM ev");
    assert_string_equal(c, "0");
    free(c);
    assert_int_equal(sqlite_append_finish(ap), 0);
    /* a finished appender takes no more rows */
    sqlite_append_val late[5] = {{'i', 0, (int64_t)n * 3 + 3, NULL},
                                 {'i', 0, case_id + 1, NULL},
                                 {'s', 1, 0, "z"},
                                 {'n', 0, 0, NULL},
                                 {'i', 0, 0, NULL}};
    assert_int_equal(sqlite_append_row(ap, late), -1);
    sqlite_append_close(ap);
    exec(b, "COMMIT");
    exec(a, "COMMIT");
    sqlite3_finalize(ins);
    sqlite3_finalize(side);
}

/* The same text from both databases for a query. */
static void same(sqlite3 *a, sqlite3 *b, const char *sql)
{
    char *x = query_text(a, sql), *y = query_text(b, sql);
    assert_string_equal(x, y);
    free(x);
    free(y);
}

static void check_same(sqlite3 *a, sqlite3 *b, int n)
{
    integrity_ok(b);
    char *c = query_text(b, "SELECT COUNT(*) FROM ev");
    assert_int_equal(atoi(c), n);
    free(c);
    /* every column of every row, through the table and through each index */
    same(a, b,
         "SELECT COUNT(*) || ':' || ifnull(sum(length(body)), 0) || ':' || ifnull(sum(n), 0) ||"
         " ':' || ifnull(sum(length(kind)), 0) || ':' || ifnull(sum(body IS NULL), 0) FROM ev");
    same(a, b,
         "SELECT group_concat(x, '|') FROM (SELECT id || ',' || case_id || ',' || length(kind) ||"
         " ',' || substr(kind, 1, 8) || ',' || ifnull(length(body), 'null') || ',' ||"
         " ifnull(substr(body, -5), '') || ',' || n AS x FROM ev ORDER BY id)");
    same(a, b,
         "SELECT group_concat(id, ',') FROM (SELECT id FROM ev INDEXED BY ev_case"
         " WHERE case_id >= 0 ORDER BY case_id, id)");
    same(a, b,
         "SELECT group_concat(id || ':' || length(kind), ',') FROM (SELECT id, kind FROM ev"
         " INDEXED BY ev_kind WHERE case_id >= 0 ORDER BY case_id, kind)");
    same(a, b,
         "SELECT group_concat(id, ',') FROM (SELECT id FROM ev INDEXED BY ev_case"
         " WHERE case_id BETWEEN 40 AND 90 ORDER BY case_id DESC, id DESC)");
    same(a, b, "SELECT MAX(id) FROM ev");
    /* the rows INSERTed into another table during the load are all there */
    c = query_text(b, "SELECT COUNT(*) || ':' || ifnull(SUM(CAST(v AS INTEGER)), 0) ||"
                      " ':' || ifnull(MIN(length(v)), 300) FROM side");
    char want[64];
    int k = side_rows;
    snprintf(want, sizeof want, "%d:%lld:300", k, 7LL * k * (k + 1) / 2);
    assert_string_equal(c, want);
    free(c);
}

static void one_size(int n, int every)
{
    rng = 88172645463325252ull + (uint64_t)n;
    sqlite3 *a = open_db("insert.db"), *b = open_db("bulk.db");
    load(a, b, n, every);
    check_same(a, b, n);
    /* the built trees take ordinary writes: rows after, between and deleted */
    const char *more = "INSERT INTO ev(case_id, kind, body, n) SELECT case_id + 1, kind || 'x',"
                       " body, n FROM ev WHERE id % 5 = 0;"
                       "DELETE FROM ev WHERE id % 11 = 0;"
                       "UPDATE ev SET kind = 'k00000' WHERE id % 13 = 0;";
    exec(a, more);
    exec(b, more);
    char *c = query_text(a, "SELECT COUNT(*) FROM ev");
    check_same(a, b, atoi(c));
    free(c);
    sqlite3_close(a);
    assert_int_equal(sqlite3_close(b), SQLITE_OK);
}

static void test_sizes(void **state)
{
    (void)state;
    one_size(0, 0);
    one_size(1, 0);
    one_size(9, 0);
    one_size(300, 100);
    one_size(20000, 3000);
}

/* With the pending byte moved to 1 MB, the load crosses its page, which no tree uses. */
static void test_pending_byte_page(void **state)
{
    (void)state;
    int old = sqlite3_test_control(SQLITE_TESTCTRL_PENDING_BYTE, 0x100000);
    one_size(6000, 1000);
    sqlite3_test_control(SQLITE_TESTCTRL_PENDING_BYTE, old);
}

static void test_refused(void **state)
{
    (void)state;
    sqlite3 *h = open_db("refused.db");
    exec(h, "PRAGMA journal_mode=DELETE;"
            "CREATE TABLE u(id INTEGER PRIMARY KEY, k INTEGER);"
            "CREATE UNIQUE INDEX u_k ON u(k);"
            "BEGIN IMMEDIATE");
    sqlite_append *ap = NULL;
    /* a unique index: NULL keys may repeat, a key may not */
    assert_int_equal(sqlite_append_open_bulk(h, "u", "id, k", &ap), 0);
    sqlite_append_val u1[2] = {{'i', 0, 1, NULL}, {'n', 0, 0, NULL}};
    sqlite_append_val u2[2] = {{'i', 0, 2, NULL}, {'n', 0, 0, NULL}};
    sqlite_append_val u3[2] = {{'i', 0, 3, NULL}, {'i', 0, 5, NULL}};
    sqlite_append_val u4[2] = {{'i', 0, 4, NULL}, {'i', 0, 5, NULL}};
    assert_int_equal(sqlite_append_row(ap, u1), 0);
    assert_int_equal(sqlite_append_row(ap, u2), 0);
    assert_int_equal(sqlite_append_row(ap, u3), 0);
    assert_int_equal(sqlite_append_row(ap, u4), -1);
    says(h, "UNIQUE constraint failed: u.k");
    sqlite_append_close(ap);
    exec(h, "INSERT INTO side(v) VALUES ('x'); INSERT INTO ev(case_id, kind) VALUES (1, 'a')");
    assert_int_equal(sqlite_append_open_bulk(h, "ev", "id, case_id, kind", &ap), -1);
    says(h, "ev is not empty");
    exec(h, "DELETE FROM ev");
    /* the index on (case_id, kind): a kind that falls within a case is refused */
    assert_int_equal(sqlite_append_open_bulk(h, "ev", "id, case_id, kind", &ap), 0);
    sqlite_append_val v1[3] = {{'i', 0, 10, NULL}, {'i', 0, 1, NULL}, {'s', 1, 0, "b"}};
    sqlite_append_val v2[3] = {{'i', 0, 11, NULL}, {'i', 0, 1, NULL}, {'s', 1, 0, "a"}};
    assert_int_equal(sqlite_append_row(ap, v1), 0);
    assert_int_equal(sqlite_append_row(ap, v2), -1);
    says(h, "index ev_kind: entries not in order");
    sqlite_append_close(ap);
    exec(h, "ROLLBACK");
    integrity_ok(h);
    sqlite3_close(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sizes),
        cmocka_unit_test(test_pending_byte_page),
        cmocka_unit_test(test_refused),
    };
    return run_in_tmpdir(dir, tests, sizeof tests / sizeof *tests);
}
