/* The appender (db/sqlite_append.c): rows appended through it and the same rows
 * through INSERT leave the same values of the same types, the same index entries and
 * the same database file byte for byte; what it cannot do as INSERT would, it refuses
 * and leaves the table as it was. */
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

static char dir[] = "/tmp/tj_append_XXXXXX";

static sqlite3 *open_db(const char *name)
{
    sqlite3 *h = open_fresh(dir, name);
    /* a tiny cache: pages spill and are read back in the middle of the load */
    exec(h, "PRAGMA journal_mode=OFF; PRAGMA cache_size=16;");
    return h;
}

static const char schema[] =
    "CREATE TABLE ev(id INTEGER PRIMARY KEY, k INTEGER NOT NULL, name TEXT NOT NULL,"
    " note TEXT, n INTEGER, code TEXT, later INTEGER);"
    "CREATE INDEX ev_k ON ev(k, id);"
    "CREATE INDEX ev_name ON ev(name COLLATE NOCASE);"
    "CREATE INDEX ev_code ON ev(code DESC, n);"
    "CREATE TABLE byk(kid INTEGER PRIMARY KEY, body TEXT NOT NULL, grp INTEGER, tag TEXT,"
    " UNIQUE (grp, tag));"
    "CREATE TABLE log(n INTEGER);"
    /* a trigger that does not fire on INSERT does not stop the appender */
    "CREATE TRIGGER byk_au AFTER UPDATE ON byk BEGIN INSERT INTO log VALUES (1); END;";

static uint64_t rng = 88172645463325252ull;
static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static const int64_t edges[] = {0,
                                1,
                                -1,
                                2,
                                127,
                                128,
                                -128,
                                -129,
                                32767,
                                32768,
                                8388607,
                                8388608,
                                2147483647,
                                2147483648,
                                140737488355327LL,
                                140737488355328LL,
                                INT64_MAX,
                                INT64_MIN};

#define ROWS 6000

/* Row i of the load (k, name, note, n, code): values of every size and type the
 * appender encodes, the empty string among them. */
static void row_of(int i, sqlite_append_val v[5], char *name, char *note, size_t cap)
{
    uint64_t r = next();
    v[0] = (sqlite_append_val){'i', 0, (int64_t)(r % 500), NULL}; /* k: out of order */
    snprintf(name, 64, "%s%d", (r >> 9) % 3 ? "调解员" : "Mediator", (int)(r >> 20) % 97);
    v[1] = (sqlite_append_val){'s', (int)strlen(name), 0, name};
    size_t n = (size_t)((r >> 30) % 5 ? (r >> 33) % 300 : (r >> 33) % (cap - 1)); /* overflow */
    for (size_t j = 0; j < n; j++)
        note[j] = (char)('a' + (j + (size_t)i) % 26);
    note[n] = 0;
    v[2] = (r >> 40) % 7 ? (sqlite_append_val){'s', (int)n, 0, note}
                         : (sqlite_append_val){'n', 0, 0, NULL};
    v[3] = (r >> 44) % 3 ? (sqlite_append_val){'i', 0, edges[i % 18], NULL}
                         : (sqlite_append_val){'n', 0, 0, NULL};
    /* an integer for a TEXT column is stored as its text, as by INSERT */
    v[4] = (r >> 50) % 2 ? (sqlite_append_val){'i', 0, edges[(i + 5) % 18], NULL}
                         : (sqlite_append_val){'s', 3, 0, "甲"};
}

static void bind_row(sqlite3_stmt *s, const sqlite_append_val *v, int n)
{
    for (int j = 0; j < n; j++) {
        if (v[j].type == 'i')
            sqlite3_bind_int64(s, j + 1, v[j].i);
        else if (v[j].type == 's')
            sqlite3_bind_text(s, j + 1, v[j].s, v[j].len, SQLITE_TRANSIENT);
        else
            sqlite3_bind_null(s, j + 1);
    }
}

static unsigned char *slurp(const char *name, long *len)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    *len = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *p = malloc((size_t)*len);
    assert_int_equal(fread(p, 1, (size_t)*len, f), (size_t)*len);
    fclose(f);
    return p;
}

/* The same load into two files, one by INSERT, one by the appender. */
static void test_same_as_insert(void **state)
{
    (void)state;
    sqlite3 *ins = open_db("insert.db"), *app = open_db("append.db");
    exec(ins, schema);
    exec(app, schema);
    static const char cols[] = "k, name, note, n, code, id";
    sqlite3_stmt *s, *sk;
    assert_int_equal(sqlite3_prepare_v2(ins,
                                        "INSERT INTO ev(k, name, note, n, code) VALUES (?,?,?,?,?)",
                                        -1, &s, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(ins,
                                        "INSERT INTO byk(kid, body, grp, tag) VALUES (?,?,?,?)", -1,
                                        &sk, NULL),
                     SQLITE_OK);
    char name[64], note[9000];
    for (int batch = 0; batch < ROWS / 1000; batch++) {
        exec(ins, "BEGIN IMMEDIATE");
        exec(app, "BEGIN IMMEDIATE");
        sqlite_append *a, *b;
        /* the rowid column named and given NULL: the next rowid, as INSERT does */
        assert_int_equal(sqlite_append_open(app, "ev", cols, &a), 0);
        assert_int_equal(sqlite_append_open(app, "byk", " kid ,body,grp, tag ", &b), 0);
        for (int i = batch * 1000; i < (batch + 1) * 1000; i++) {
            sqlite_append_val v[6];
            uint64_t keep = rng;
            row_of(i, v, name, note, sizeof note);
            bind_row(s, v, 5);
            assert_int_equal(sqlite3_step(s), SQLITE_DONE);
            sqlite3_reset(s);
            rng = keep;
            row_of(i, v, name, note, sizeof note);
            v[5] = (sqlite_append_val){'n', 0, 0, NULL};
            assert_int_equal(sqlite_append_row(a, v), 0);
            /* given rowids, with gaps; a unique key, NULL in it now and then (never
             * the same as another) */
            char tag[16];
            snprintf(tag, sizeof tag, "t%d", i % 97);
            sqlite_append_val kv[4] = {
                {'i', 0, 10 + 3 * (int64_t)i, NULL},
                {'s', (int)strlen(name), 0, name},
                {'i', 0, i / 97, NULL},
                i % 13 ? (sqlite_append_val){'s', (int)strlen(tag), 0, tag}
                       : (sqlite_append_val){'n', 0, 0, NULL},
            };
            if (i % 13 == 0)
                kv[2].i = 0; /* (0, NULL) many times over */
            bind_row(sk, kv, 4);
            assert_int_equal(sqlite3_step(sk), SQLITE_DONE);
            sqlite3_reset(sk);
            assert_int_equal(sqlite_append_row(b, kv), 0);
        }
        sqlite_append_close(a);
        sqlite_append_close(b);
        exec(ins, "COMMIT");
        exec(app, "COMMIT");
    }
    sqlite3_finalize(s);
    sqlite3_finalize(sk);
    static const char *const checks[] = {
        "SELECT count(*) || ' ' || sum(length(note)) FROM ev",
        "SELECT group_concat(quote(id) || quote(k) || quote(name) || quote(note) || quote(n) ||"
        " quote(code) || quote(later), '|') FROM (SELECT * FROM ev ORDER BY id)",
        "SELECT group_concat(typeof(code), '') FROM (SELECT code FROM ev ORDER BY id)",
        "SELECT group_concat(k || ',' || id) FROM (SELECT k, id FROM ev INDEXED BY ev_k"
        " ORDER BY k, id)",
        "SELECT group_concat(id) FROM (SELECT id FROM ev INDEXED BY ev_name WHERE name >= 'm'"
        " COLLATE NOCASE ORDER BY name COLLATE NOCASE, id)",
        "SELECT group_concat(id) FROM (SELECT id FROM ev INDEXED BY ev_code ORDER BY code DESC,"
        " n, id)",
        "SELECT group_concat(quote(kid) || quote(body) || quote(grp) || quote(tag)) FROM"
        " (SELECT * FROM byk ORDER BY kid)",
        "SELECT count(*) || ' ' || count(tag) FROM byk INDEXED BY sqlite_autoindex_byk_1"
        " WHERE grp >= 0",
        "PRAGMA integrity_check",
    };
    for (size_t i = 0; i < sizeof checks / sizeof *checks; i++) {
        char *x = query_text(ins, checks[i]), *y = query_text(app, checks[i]);
        assert_string_equal(x, y);
        free(x);
        free(y);
    }
    char *ok = query_text(app, "PRAGMA integrity_check");
    assert_string_equal(ok, "ok");
    free(ok);
    char *count =
        query_text(app, "SELECT count(*) || ',' || count(note) || ',' || max(id) FROM ev");
    assert_string_equal(count, "6000,5165,6000");
    free(count);
    char *text_ints =
        query_text(app, "SELECT count(*) FILTER (WHERE typeof(code) <> 'text') || ','"
                        " || (count(*) FILTER (WHERE code = '-9223372036854775808') > 0) FROM ev");
    assert_string_equal(text_ints, "0,1");
    free(text_ints);
    sqlite3_close(ins);
    sqlite3_close(app);
    /* the same b-tree operations: the same pages */
    long n1, n2;
    unsigned char *f1 = slurp("insert.db", &n1), *f2 = slurp("append.db", &n2);
    assert_int_equal(n1, n2);
    assert_memory_equal(f1, f2, (size_t)n1);
    free(f1);
    free(f2);
}

/* The connection's last error says why. */
static void expect_refused(sqlite3 *h, const char *table, const char *cols, const char *why)
{
    sqlite_append *a = (sqlite_append *)1;
    assert_int_equal(sqlite_append_open(h, table, cols, &a), -1);
    assert_null(a);
    says(h, why);
}

/* What it cannot do as INSERT would, it refuses at open. */
static void test_refused_tables(void **state)
{
    (void)state;
    sqlite3 *h = open_db("refuse.db");
    exec(h, "CREATE TABLE u(id INTEGER PRIMARY KEY, k INTEGER);"
            "CREATE UNIQUE INDEX u_k ON u(k);"
            "CREATE TABLE p(id INTEGER PRIMARY KEY, k INTEGER);"
            "CREATE INDEX p_k ON p(k) WHERE k > 0;"
            "CREATE TABLE x(id INTEGER PRIMARY KEY, k INTEGER);"
            "CREATE INDEX x_k ON x(k + 1);"
            "CREATE TABLE tr(id INTEGER PRIMARY KEY, k INTEGER);"
            "CREATE TRIGGER tr_ai AFTER INSERT ON tr BEGIN SELECT 1; END;"
            "CREATE TABLE ck(id INTEGER PRIMARY KEY, k INTEGER CHECK (k > 0));"
            "CREATE TABLE df(id INTEGER PRIMARY KEY, k INTEGER, d TEXT DEFAULT 'x');"
            "CREATE TABLE nn(id INTEGER PRIMARY KEY, k INTEGER, d TEXT NOT NULL);"
            "CREATE TABLE re(id INTEGER PRIMARY KEY, r REAL);"
            "CREATE TABLE wr(k INTEGER PRIMARY KEY, v TEXT) WITHOUT ROWID;"
            "CREATE TABLE ok(id INTEGER PRIMARY KEY, k INTEGER);");
    expect_refused(h, "ok", "k", "no write transaction");
    static const char *const cases[][3] = {
        {"p", "k", "is partial"},
        {"x", "k", "expression"},
        {"tr", "k", "insert triggers"},
        {"ck", "k", "checks"},
        {"df", "k", "has a default or NOT NULL"},
        {"nn", "k", "has a default or NOT NULL"},
        {"re", "r", "REAL"},
        {"wr", "k, v", "plain rowid table"},
        {"nope", "k", "plain rowid table"},
        {"ok", "k, nope", "no column"},
        {"ok", "k, k", "no column or a column twice"},
        {"ok", "k,", "no column"},
    };
    exec(h, "BEGIN IMMEDIATE");
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        expect_refused(h, cases[i][0], cases[i][1], cases[i][2]);
    /* a unique index is kept, not refused */
    sqlite_append *a;
    assert_int_equal(sqlite_append_open(h, "u", "k", &a), 0);
    sqlite_append_close(a);
    exec(h, "COMMIT");
    sqlite3_close(h);
}

static void expect_row_refused(sqlite3 *h, sqlite_append *a, const sqlite_append_val *v,
                               const char *why)
{
    assert_int_equal(sqlite_append_row(a, v), -1);
    says(h, why);
}

/* Rows it cannot write as INSERT would: refused, the table as it was once rolled back. */
static void test_refused_rows(void **state)
{
    (void)state;
    sqlite3 *h = open_db("rows.db");
    exec(h, "CREATE TABLE t(id INTEGER PRIMARY KEY, k INTEGER NOT NULL, v TEXT);"
            "CREATE INDEX t_k ON t(k);"
            "CREATE UNIQUE INDEX t_v ON t(v, k);"
            "INSERT INTO t(id, k, v) VALUES (5, 1, 'a');");
    exec(h, "BEGIN IMMEDIATE");
    sqlite_append *a;
    assert_int_equal(sqlite_append_open(h, "t", "id, k, v", &a), 0);
    sqlite_append_val nul[3] = {{'i', 0, 6, NULL}, {'n', 0, 0, NULL}, {'s', 1, 0, "b"}};
    expect_row_refused(h, a, nul, "NOT NULL constraint failed: t.k");
    sqlite_append_val str[3] = {{'i', 0, 6, NULL}, {'s', 1, 0, "7"}, {'s', 1, 0, "b"}};
    expect_row_refused(h, a, str, "not of the column's type");
    sqlite_append_val old[3] = {{'i', 0, 5, NULL}, {'i', 0, 2, NULL}, {'s', 1, 0, "b"}};
    expect_row_refused(h, a, old, "not above the last one");
    sqlite_append_val twin[3] = {{'i', 0, 7, NULL}, {'i', 0, 1, NULL}, {'s', 1, 0, "a"}};
    expect_row_refused(h, a, twin, "UNIQUE constraint failed: t.v, t.k");
    sqlite_append_val good[3] = {{'i', 0, 9, NULL}, {'i', 0, 2, NULL}, {'s', 1, 0, "b"}};
    assert_int_equal(sqlite_append_row(a, good), 0);
    sqlite_append_close(a);
    exec(h, "ROLLBACK");
    char *rows = query_text(h, "SELECT group_concat(id || k || v) FROM t");
    assert_string_equal(rows, "51a");
    free(rows);
    exec(h, "BEGIN IMMEDIATE");
    assert_int_equal(sqlite_append_open(h, "t", "id, k, v", &a), 0);
    assert_int_equal(sqlite_append_row(a, good), 0);
    sqlite_append_close(a);
    exec(h, "COMMIT");
    rows =
        query_text(h, "SELECT group_concat(id || k || v) || ' ' || (SELECT group_concat(id) FROM t"
                      " INDEXED BY t_k WHERE k > 0) FROM t");
    assert_string_equal(rows, "51a,92b 5,9");
    free(rows);
    sqlite3_close(h);
}

static int cleanup(void **state)
{
    (void)state;
    static const char *const names[] = {"insert.db", "append.db", "refuse.db", "rows.db"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        char path[256];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        unlink(path);
    }
    rmdir(dir);
    return 0;
}

int main(void)
{
    if (!mkdtemp(dir))
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_as_insert),
        cmocka_unit_test(test_refused_tables),
        cmocka_unit_test(test_refused_rows),
    };
    return cmocka_run_group_tests(tests, NULL, cleanup);
}
