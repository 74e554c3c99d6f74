/* maintain.h — upkeep of the database on one background thread of the server.
 *
 * The full-text index (case_fts) is created with automerge=0 (migration 7): a
 * registration adds its own small segment and never merges, because a merge of the
 * large segments rewrites most of the index and once held registrations for seconds
 * (docs/performance.md). This thread merges instead, in steps of a bounded number of
 * pages, each its own short write transaction, whenever the data changed
 * (db_generation), so searches keep reading a few segments. It also checkpoints the
 * WAL into the database file (PASSIVE) after each round, which request connections
 * of the server leave to it (their automatic checkpoint starts only at ~80 MB). */
#ifndef TJ_APP_MAINTAIN_H
#define TJ_APP_MAINTAIN_H

#include "app/config.h"
#include "db/db.h"

/* Start the thread (once); 0, or -1 with err filled. */
int maintain_start(const config *cfg, tj_err *err);
/* Stop it and wait for the step in progress; safe when not started. */
void maintain_stop(void);
/* One round of index merging on d until no work is left or `budget` steps ran;
 * returns the number of steps that merged something, or -1 with err filled. */
int maintain_merge(db *d, int budget, tj_err *err);

#endif
