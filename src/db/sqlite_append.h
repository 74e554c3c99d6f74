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

/* Closes the appender (NULL is fine). */
void sqlite_append_close(sqlite_append *a);

#endif
