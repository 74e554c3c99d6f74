/* migrate.h — numbered schema migrations. Each migration runs in its own write
 * transaction and records its number in schema_version, so a crash half-way leaves
 * the database at the previous version. */
#ifndef TJ_STORE_MIGRATE_H
#define TJ_STORE_MIGRATE_H
#include "db/db.h"

/* Highest migration number this binary knows. */
int migrate_latest(void);
/* Current version recorded in the database (0 for an empty database). */
int migrate_current(db *d, int *out, tj_err *err);
/* The version of a database that has been migrated (no DDL: a cached SELECT, for the
 * health check on every probe). */
int migrate_applied(db *d, int *out, tj_err *err);
/* Apply every pending migration; *applied (may be NULL) gets how many ran. Fails if
 * the database is newer than this binary. */
int migrate_up(db *d, int *applied, tj_err *err);

#endif
