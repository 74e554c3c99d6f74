/* fts_lift.h — where the segments of a bulk-built full-text index sit.
 *
 * FTS5 keeps its segments in levels: a merge joins segments of one level into one
 * segment on the next, so an index grown by many small commits holds its big old
 * segments on high levels, out of the way of the small new ones. An index built in
 * one go (tiaojie gen's bulk load, the 'rebuild' of migration 7) is one large segment
 * on level 0, the level every new commit writes to: the first merge of level 0 after a
 * few registrations (in a request, or on the upkeep thread) rewrites the whole index —
 * a 7 s stall at 1M cases. Lifting every level by `by` leaves the low levels empty, as
 * if the index had grown one registration at a time. The structure record's layout
 * (FTS5 of SQLite 3.40, fts5_index.c): a 4-byte cookie, varints nLevel, nSegment and
 * the write counter, then per level varints nMerge and nSeg and nSeg triples. */
#ifndef TJ_STORE_FTS_LIFT_H
#define TJ_STORE_FTS_LIFT_H

#include <stddef.h>

#include "db/db.h"

#define FTS_LIFT_LEVELS 12 /* 4^12 small commits before the bulk segment merges again */

/* Write into out (cap bytes) the structure record `in` (n bytes) with every level
 * moved up by `by` (fewer if FTS5's 64 levels would be exceeded). Returns the new
 * length, or 0 if `in` is not a record of the known layout (then nothing should be
 * written back). */
size_t fts_lift_record(const unsigned char *in, size_t n, int by, unsigned char *out, size_t cap);

/* Lift the structure record of the FTS5 table `table` (its <table>_data row 10) by
 * FTS_LIFT_LEVELS inside the caller's transaction. 0, or -1 with err. */
int fts_lift(db *d, const char *table, tj_err *err);

#endif
