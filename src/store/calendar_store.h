/* calendar_store.h — administrator overrides of the working-day calendar (table
 * calendar_overrides), on top of the built-in State Council notices of core/calendar.h:
 * a new year's notice, or a local change, is entered here and wins over the built-in
 * data. */
#ifndef TJ_STORE_CALENDAR_STORE_H
#define TJ_STORE_CALENDAR_STORE_H
#include <stdbool.h>

#include "core/calendar.h"
#include "db/db.h"

/* Initialise cal and add every stored override (about 100 KB: not on a thread's stack). */
int calendar_store_load(db *d, calendar *cal, tj_err *err);
/* Insert or replace the override of date (YYYY-MM-DD; the caller validated it, e.g. with
 * calendar_set_override on a loaded calendar). */
int calendar_store_set(db *d, const char *date, bool working, const char *note, int64_t updated_by,
                       tj_err *err);
/* Remove the override of date; *found tells whether there was one. */
int calendar_store_delete(db *d, const char *date, bool *found, tj_err *err);

#endif
