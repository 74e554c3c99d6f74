/* db.h — the one database interface store/ is written against.
 *
 * SQL is written once with `?` placeholders in the subset SQLite and PostgreSQL
 * share (RETURNING for generated ids); an engine translates placeholders if it
 * must. A `db` is one connection and is used by one thread at a time: the server
 * gives each worker thread its own (db_thread()). Statements are prepared once
 * per connection and cached by their SQL text, so store/ can call db_query() on
 * every request without re-parsing.
 *
 * Engines live beside this file (sqlite.c; pg.c later) and fill the vtable below.
 */
#ifndef TJ_DB_DB_H
#define TJ_DB_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "core/err.h"
#include "util/jw.h"

typedef struct db db;
typedef struct db_stmt db_stmt;

enum db_engine { DB_SQLITE = 1, DB_POSTGRES = 2 };

/* Open a connection. `url` is a file path (SQLite) or postgres://… (not yet built:
 * answers an error). Applies connection settings (WAL, foreign keys, busy timeout). */
int db_open(db **out, const char *url, tj_err *err);
void db_close(db *d);
enum db_engine db_engine_of(const db *d);
const char *db_engine_name(const db *d);
/* The version of the SQLite library built in (third_party/sqlite), e.g. "3.53.2". */
const char *db_sqlite_version(void);
/* The name of a SQLite VFS for a bulk load into a file one connection owns
 * (tiaojie gen): the unix VFS with the main database file's page writes gathered
 * into large sequential writes (bulkvfs.c).
 * Registered on first call; NULL if SQLite has no unix VFS. */
const char *db_sqlite_bulk_vfs(void);

/* Transactions. db_begin(d, true) takes the write lock at once (SQLite BEGIN
 * IMMEDIATE) so a write transaction never fails half-way with "database is locked";
 * db_begin(d, false) is a read snapshot. Nested begin is an error.
 * An engine may run the write transactions of several threads in one commit (SQLite
 * does: sqlite.c, "Batched writes"): inside its transaction a writer sees the writes
 * of those committed with it as if they had committed before it began. */
int db_begin(db *d, bool write, tj_err *err);
/* Returns 0 once the transaction is committed and, for a write, durable: only then
 * may the caller report success. On -1 nothing of it was kept. */
int db_commit(db *d, tj_err *err);
/* Roll back if a transaction is open; safe to call when none is. */
void db_rollback(db *d);
bool db_in_tx(const db *d);

/* Execute SQL without parameters and without results (may hold several statements). */
int db_exec(db *d, const char *sql, tj_err *err);

/* Prepare (or fetch from the cache) a statement and bind arguments described by fmt:
 *   'i' int64_t   'I' int64_t, binding NULL when 0 (optional foreign keys)
 *   's' const char* (NULL binds NULL)   'b' const void*, size_t (blob)   'n' NULL (no arg)
 *   'd' double
 * The returned statement must be finished with db_done() before the connection runs
 * another statement with the same SQL. */
int db_query(db *d, db_stmt **out, tj_err *err, const char *sql, const char *fmt, ...);

/* One argument for db_query_args, for SQL assembled at run time (optional filters). */
typedef struct db_arg {
    char type; /* 'i' int64, 's' text (NULL binds NULL), 'n' NULL */
    int64_t i;
    const char *s;
} db_arg;

/* Like db_query with an argument array. */
int db_query_args(db *d, db_stmt **out, tj_err *err, const char *sql, const db_arg *args, int n);

/* Step: 1 = a row is ready, 0 = done, -1 = error (err filled; status 500, or 409
 * code "conflict" for a uniqueness violation). */
int db_step(db_stmt *s, tj_err *err);
/* Reset the statement and clear its bindings (returns it to the cache). */
void db_done(db_stmt *s);

int db_col_count(db_stmt *s);
bool db_col_null(db_stmt *s, int i);
int64_t db_col_int(db_stmt *s, int i);
double db_col_double(db_stmt *s, int i);
/* Text valid until the next step/done; "" for NULL. */
const char *db_col_text(db_stmt *s, int i);
const void *db_col_blob(db_stmt *s, int i, size_t *len);
const char *db_col_name(db_stmt *s, int i);
enum db_kind { DB_NULL, DB_INT, DB_FLOAT, DB_TEXT, DB_BLOB };
enum db_kind db_col_kind(db_stmt *s, int i);
/* The current row as a JSON object keyed by column name: integers stay integers,
 * NULL becomes null, everything else a string. */
json_t *db_row_json(db_stmt *s);
/* Every remaining row as db_row_json objects in an array; finishes the statement. */
int db_rows_json(db_stmt *s, json_t **out, tj_err *err);
/* Column i's value written as db_row_json would hold it (util/jw.h). */
void db_col_jw(db_stmt *s, int i, jw *w);
/* The current row's columns as key/value pairs into an object the caller opened
 * (so it can add keys of its own before closing it). */
void db_cols_jw(db_stmt *s, jw *w);
/* The current row written as the object db_row_json would build. */
void db_row_jw(db_stmt *s, jw *w);

/* Convenience: run a statement expected to return at most one row with one integer
 * column. *found (may be NULL) tells whether a row came back. */
int db_scalar_int(db *d, int64_t *out, bool *found, tj_err *err, const char *sql, const char *fmt,
                  ...);
/* Run a statement for its effect (INSERT/UPDATE/DELETE); *changes (may be NULL) gets
 * the number of rows changed. */
int db_run(db *d, int64_t *changes, tj_err *err, const char *sql, const char *fmt, ...);

/* A counter that moves after every committed change made through this process's
 * connections, except session bookkeeping (tables sessions and login_attempts). Read
 * it before a read snapshot starts: a result computed from that snapshot still
 * reflects the database for as long as db_generation() returns the same value, which
 * is what makes http/cache.c exact. Changes by another process (the CLI) are not
 * seen here; app/maintain.c moves the counter when it notices one (within ~0.5 s
 * while this process is not writing itself), and the cache's age limit bounds the
 * rest. */
uint64_t db_generation(void);
/* A counter that moves after every committed deletion of a session (sign-out,
 * password change, expiry): with db_generation() it tells when a signed-in caller
 * resolved earlier may no longer be (http/auth.c). */
uint64_t db_session_generation(void);

/* Commits of write transactions by this process's connections (any table). */
uint64_t db_local_commits(void);
/* Another process has changed the database (app/maintain.c notices): moves both
 * generations, so nothing computed or resolved before is served again. */
void db_generation_bump(void);

/* Write transactions committed by this process since it started, and the commits
 * that carried them (fewer when writes were batched: sqlite.c). */
void db_write_stats(uint64_t *writes, uint64_t *commits);

/* Per-thread connection used by the server: opened on first use from the URL set by
 * db_thread_configure(), closed by db_thread_close() (called at thread exit). */
void db_thread_configure(const char *url);
db *db_thread(tj_err *err);
void db_thread_close(void);

/* Engine vtable (internal to db/). */
struct db_vtab {
    enum db_engine engine;
    const char *name;
    void (*close)(db *d);
    int (*exec)(db *d, const char *sql, tj_err *err);
    int (*prepare)(db *d, const char *sql, db_stmt **out, tj_err *err);
    int (*bind_int)(db_stmt *s, int idx, int64_t v);
    int (*bind_double)(db_stmt *s, int idx, double v);
    int (*bind_text)(db_stmt *s, int idx, const char *v);
    int (*bind_blob)(db_stmt *s, int idx, const void *p, size_t n);
    int (*bind_null)(db_stmt *s, int idx);
    int (*param_count)(db_stmt *s);
    int (*step)(db_stmt *s, tj_err *err);
    void (*reset)(db_stmt *s);
    int64_t (*changes)(db *d);
    int (*col_count)(db_stmt *s);
    bool (*col_null)(db_stmt *s, int i);
    int64_t (*col_int)(db_stmt *s, int i);
    double (*col_double)(db_stmt *s, int i);
    const char *(*col_text)(db_stmt *s, int i);
    const void *(*col_blob)(db_stmt *s, int i, size_t *len);
    const char *(*col_name)(db_stmt *s, int i);
    enum db_kind (*col_kind)(db_stmt *s, int i);
    /* a write transaction: begin, then end it keeping (ok) or undoing its changes;
     * end returns 0 only once the kept changes are committed and durable */
    int (*write_begin)(db *d, tj_err *err);
    int (*write_end)(db *d, bool ok, tj_err *err);
};

struct db {
    const struct db_vtab *vt;
    bool in_tx, in_write;
};

int db_sqlite_open(db **out, const char *path, tj_err *err);

#endif
