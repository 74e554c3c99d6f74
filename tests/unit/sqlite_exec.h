/* sqlite_exec.h — the unit tests' one helper for running SQL on a raw SQLite handle.
 * Include after <cmocka.h> and <sqlite3.h>. */
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

#endif
