/* sqlite_append.h — rows appended to a SQLite table without compiling SQL (bulk loads).
 *
 * `tiaojie gen` writes ~16 rows a case into tables that only ever grow at the end
 * (timeline, records, search rows, letters' timelines). Through an INSERT statement
 * each row costs SQLite's virtual machine: registers bound and copied, affinity
 * applied, a record built, the rowid sought, then the b-tree insert. An appender
 * builds the record itself, in SQLite's record format exactly as the INSERT would,
 * and hands it to SQLite's own b-tree insert (with its "likely an append" hint) for
 * the table and for each of its indexes: the pages, balancing, page cache and
 * journal stay SQLite's. Compiled in the same unit as the vendored amalgamation
 * (sqlite_append.c includes it), since the b-tree layer is not public API; tied to
 * that release (third_party/sqlite/README.md).
 *
 * What an appender refuses at open, rather than doing differently from INSERT:
 * virtual, WITHOUT ROWID or STRICT tables, tables with CHECK constraints, generated
 * columns, REAL columns, triggers that fire on INSERT (any TEMP trigger), or foreign
 * keys while they are enforced; partial or expression indexes; a column not named
 * that has a DEFAULT or NOT NULL. Per row it refuses NULL in a NOT NULL column, text
 * in an INTEGER or NUMERIC column, a key a unique index already holds (looked for as
 * INSERT's check does, NULLs never equal) and a rowid not above every rowid already
 * in the table (so it never replaces a row); integers given for a TEXT column are
 * stored as their decimal text, as SQLite's affinity would.
 *
 * Not for the server: one connection, one thread, inside a write transaction. */
#ifndef TJ_DB_SQLITE_APPEND_H
#define TJ_DB_SQLITE_APPEND_H

#include <sqlite3.h>

typedef struct sqlite_append sqlite_append;

/* A value of a row: type 'i' (i), 's' (s, len bytes of UTF-8, len >= 0) or 'n' (NULL). */
typedef struct sqlite_append_val {
    char type;
    int len;
    sqlite3_int64 i;
    const char *s;
} sqlite_append_val;

/* Opens an appender on table `table` of h's main database for the columns named in
 * `cols` (a comma-separated list, as in an INSERT's column list; naming the INTEGER
 * PRIMARY KEY gives each row's rowid, else a row gets the table's largest rowid + 1).
 * h must be inside a transaction that holds the write lock (BEGIN IMMEDIATE, or a
 * write done since BEGIN). Returns 0 and *out, or -1 with the reason in
 * sqlite3_errmsg(h). Close it before the transaction ends or the schema changes. */
int sqlite_append_open(sqlite3 *h, const char *table, const char *cols, sqlite_append **out);

/* Appends one row: v holds a value for each column named at open, in that order.
 * Returns 0, or -1 with the reason in sqlite3_errmsg(h); after a failure the row
 * may be half written, and the caller must roll the transaction back. */
int sqlite_append_row(sqlite_append *a, const sqlite_append_val *v);

/* Opens an appender in bulk mode, for a load that fills an empty table at once: the
 * table and each of its indexes are built as b-trees written page by page after the
 * end of the database, bypassing SQLite's page cache, and their top pages go into
 * their root pages at sqlite_append_finish. Besides sqlite_append_open's conditions:
 * the table and its indexes must be empty, the database must not auto-vacuum, and
 * each index's entries must come in its own order (the rowid order does not give it:
 * an index on (case_id, id) does when case_id never falls); a row that would put an
 * index out of order is refused, and one that repeats a unique index's key (which in
 * order can only be the key before) as INSERT would refuse it. The appender then holds no
 * cursor and lives across commits of h, but each row needs a write transaction.
 * Until sqlite_append_finish the table reads as empty, nothing else may write to it,
 * and a commit leaves pages no table uses yet. Returns as sqlite_append_open. */
int sqlite_append_open_bulk(sqlite3 *h, const char *table, const char *cols, sqlite_append **out);

/* Bulk mode: writes what is left of each tree and puts their top pages into the roots,
 * inside h's write transaction; the rows are then the table's and the appender takes
 * no more rows. Does nothing for an appender not in bulk mode. Returns 0, or -1 with
 * the reason in sqlite3_errmsg(h). */
int sqlite_append_finish(sqlite_append *a);

/* Closes the appender (NULL is fine). A bulk appender closed before
 * sqlite_append_finish leaves its pages unused: the caller discards the load. */
void sqlite_append_close(sqlite_append *a);

#endif
