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

/* The dashboard's case counts: cases registered from `from` to `to` (inclusive
 * YYYY-MM-DD, checked by the caller) and handled by an org of org_id's subtree (who's
 * own org when org_id is 0 or an ancestor of it; outside who's subtree: 400 naming
 * "org_id"), by dispute type and by status:
 *   {org {id, name}, from, to, total, by_type [{key, label, count}],
 *    by_status [{key, label, count}], cells [{dispute_type, status, count}]}
 * Partners count the cases they referred instead. Answered from the index
 * cases_org_day alone: one date range per org of the subtree. */
int stats_cases(db *d, const principal *who, int64_t org_id, const char *from, const char *to,
                json_t **out, tj_err *err);

#endif
