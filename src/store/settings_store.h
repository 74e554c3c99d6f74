/* settings_store.h — administrator settings kept in the `settings` table
 * (key → text value). The deadline lengths of DESIGN §4 live here under keys
 * "deadline.<member>"; absent keys keep the defaults. */
#ifndef TJ_STORE_SETTINGS_STORE_H
#define TJ_STORE_SETTINGS_STORE_H
#include <jansson.h>

#include "core/deadline.h"
#include "db/db.h"

/* Defaults overlaid with stored values. */
int settings_deadlines_load(db *d, deadline_settings *s, tj_err *err);
/* Store every member of s (the caller validated it with deadline_settings_validate). */
int settings_deadlines_save(db *d, const deadline_settings *s, tj_err *err);
/* s as a JSON object keyed by member name. */
json_t *settings_deadlines_json(const deadline_settings *s);
/* Apply the members present in obj to s; 400 naming the member for a non-integer or
 * unknown key. */
int settings_deadlines_from_json(json_t *obj, deadline_settings *s, tj_err *err);

#endif
