/* stats_store.h — figures for the home page, over the caller's org subtree. */
#ifndef TJ_STORE_STATS_STORE_H
#define TJ_STORE_STATS_STORE_H
#include <jansson.h>

#include "db/db.h"
#include "store/scope.h"

/* The overview of docs/api.md for who's subtree:
 *   org {id, name};
 *   orgs_by_kind: undissolved orgs (who's own included) by kind;
 *   people_by_kind: active people linked to an org of the subtree, each counted once;
 *   mediators_by_employment: the same for mediators, by full_time / part_time (both
 *     always present; "unspecified" when some have none);
 *   users: enabled accounts of the subtree;
 *   coverage {total, covered, rate}: villages and communities under the region of
 *     who's org (region_store.h), rate null when there are none. */
int stats_overview(db *d, const principal *who, json_t **out, tj_err *err);

#endif
