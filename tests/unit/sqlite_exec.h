/* sqlite_exec.h — the unit tests' helpers for SQL on a raw SQLite handle and for a
 * test program's scratch directory. Include after <cmocka.h>, <sqlite3.h>, <stdio.h>,
 * <stdlib.h>, <string.h> and <unistd.h>. */
#ifndef TJ_TESTS_SQLITE_EXEC_H
#define TJ_TESTS_SQLITE_EXEC_H

/* Runs sql (any number of statements); a failure fails the test with SQLite's message. */
static void exec(sqlite3 *h, const char *sql)
{
    char *msg = NULL;
    int rc = sqlite3_exec(h, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK)
        fail_msg("%s: %s", sql, msg ? msg : "?");
}

/* Fails the test unless h's last error message contains why. */
static inline void says(sqlite3 *h, const char *why)
{
    if (!strstr(sqlite3_errmsg(h), why))
        fail_msg("\"%s\" does not say \"%s\"", sqlite3_errmsg(h), why);
}

/* A new, empty database file `name` in directory dir (any old one removed). */
static inline sqlite3 *open_fresh(const char *dir, const char *name)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    unlink(path);
    sqlite3 *h;
    assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
    return h;
}

/* The first column of sql's first row as a new string ("(null)" for NULL); free it. */
static inline char *query_text(sqlite3 *h, const char *sql)
{
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &s, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    const char *v = (const char *)sqlite3_column_text(s, 0);
    char *out = strdup(v ? v : "(null)");
    sqlite3_finalize(s);
    return out;
}

/* Runs n tests with dir (a mkdtemp template) made for them, and removes it after;
 * returns the number of failures, for main. */
static inline int run_in_tmpdir(char *dir, const struct CMUnitTest *tests, size_t n)
{
    if (!mkdtemp(dir))
        return 1;
    int failed = _cmocka_run_group_tests("tests", tests, n, NULL, NULL);
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        failed++;
    return failed;
}

#endif
