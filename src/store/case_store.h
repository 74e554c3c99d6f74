/* case_store.h — dispute cases: registration, the lifecycle events of core/case_flow,
 * their deadlines, the timeline, lists with keyset pagination, Chinese full-text
 * search and the to-do list.
 *
 * Scope: a case is visible when its handling org or the org that registered it
 * lies in the caller's subtree (an escalated case stays visible to the village that
 * sent it up), or — for partners — when the caller's org referred it. Outside that
 * everything is 404. Functions taking a validated JSON body expect the api/ layer
 * to have checked it with its jv table; they re-check what needs the database. */
#ifndef TJ_STORE_CASE_STORE_H
#define TJ_STORE_CASE_STORE_H
#include <jansson.h>
#include <stdbool.h>

#include "core/calendar.h"
#include "core/case_flow.h"
#include "core/date.h"
#include "core/deadline.h"
#include "db/db.h"
#include "store/scope.h"
#include "util/jw.h"

/* The scope tokens of a case in the full-text index (case_search.scope), as an SQL
 * expression over the cases row `t`: "o<id>" for every org on the handling and the
 * registering org's path, "p<id>" for the referring partner. A search narrows to what
 * the caller may see with `scope : o<caller's org>` (partners: `o<org> OR p<org>`),
 * the same rule as the visible set. Kept current by the trigger cases_scope_au. */
#define CASE_SCOPE_SQL(t)                                                                          \
    "('o' || replace(trim(" t ".org_path, '/'), '/', ' o') || ' o' ||"                             \
    " replace(trim(" t ".registered_org_path, '/'), '/', ' o') ||"                                 \
    " COALESCE(' p' || " t ".referrer_org_id, ''))"

typedef struct case_row {
    int64_t id, org_id, registered_org_id, lead_mediator_id, referrer_org_id;
    case_flow_state state;
    char case_no[128], title[512];
    char org_path[256], org_name[256], org_level[16], org_kind[24];
    char dispute_type[32], source[16];
    char accepted_on[11], due_on[11];
    bool is_referral;
} case_row;

/* The case if visible to who, else 404. */
int case_get(db *d, const principal *who, int64_t id, case_row *out, tj_err *err);
/* The full case as JSON (parties, mediators, records, agreement, termination,
 * follow-ups, deadlines with their state as of today, allowed events, timeline). */
int case_detail(db *d, const principal *who, int64_t id, tj_date today, json_t **out, tj_err *err);

/* Register a case from a validated body (see api/cases.c). *id gets the new id. */
int case_register(db *d, const principal *who, json_t *body, tj_date today, int64_t *id,
                  tj_err *err);

/* Apply a lifecycle event with its validated body: state transition (409 when the
 * state machine refuses), the event's own data, deadlines started and stopped, the
 * timeline entry and the search index. *summary (may be NULL) gets the timeline
 * text (arena-free static buffer of the caller: at least 512 bytes). */
int case_apply(db *d, const principal *who, case_row *c, case_flow_event ev, json_t *body,
               const calendar *cal, const deadline_settings *ds, tj_date today, char *summary,
               size_t summary_cap, tj_err *err);

/* Remove a mediator from a case at a party's request (回避); the timeline records it. */
int case_recuse(db *d, const principal *who, case_row *c, int64_t person_id, const char *reason,
                tj_err *err);

typedef struct case_filter {
    const char *status, *dispute_type, *source, *flag, *q, *from, *to, *sort;
    const char *file_status; /* case file review state (dict case_file_status) */
    int64_t org_id, mediator_id, cursor_id;
    const char *cursor_due;
    bool overdue, mine;
    int limit;
    tj_date today;
} case_filter;

/* A page of cases visible to who, written into items as one JSON array of row
 * objects. *next gets the cursor of the next page ("" when this is the last),
 * next_cap ≥ 32. On error items may hold part of the array: discard it. */
int case_list(db *d, const principal *who, const case_filter *f, jw *items, int64_t *total,
              char *next, size_t next_cap, tj_err *err);

/* The to-do lists' common parts (case_todo, referral_todo): for a dated task, the keys
 * "state", "state_label" and "days_left" of due on today, returning its state; and
 * the key "counts" with {"overdue","due_today","due_soon"} of counts[]. */
deadline_state case_todo_due_jw(jw *w, const deadline_settings *ds, tj_date due, tj_date today);
void case_todo_counts_jw(jw *w, const int counts[DEADLINE_STATE_COUNT]);

#define TODO_DEADLINES_MAX 500 /* open deadlines listed, the most urgent */
#define TODO_AWAITING_MAX  200 /* cases awaiting acceptance listed, the oldest */

/* Open deadlines of cases handled in who's subtree (mine: only cases where who is a
 * mediator), due within soon_days or overdue, most urgent first, plus cases there
 * waiting to be accepted. A deadline is the handling org's task: a case registered
 * here and escalated or transferred elsewhere stays visible but is not on this list;
 * nor is the parties' judicial-confirmation window. Written into out as an object
 * left open (keys today, deadlines, deadlines_total, awaiting_acceptance,
 * awaiting_total, counts): the lists hold at most limit items (≥ 0), and at most
 * TODO_DEADLINES_MAX and TODO_AWAITING_MAX; the totals and counts are of all of them. The caller
 * adds its keys and closes it. On error out may hold part of it: discard it. */
int case_todo(db *d, const principal *who, bool mine, tj_date today, int soon_days, int limit,
              jw *out, tj_err *err);

/* Mediators of the case's handling org ranked for the case: specialty matching
 * the dispute type first, then fewest open cases. */
int case_suggest_mediators(db *d, const case_row *c, json_t **out, tj_err *err);

/* Attach a stored file to the case (kind from dict attachment_kind); timeline entry. */
int case_attach(db *d, const principal *who, const case_row *c, int64_t file_id, const char *kind,
                const char *title, tj_err *err);

/* Rebuild the case's search tokens (title, facts, claims, parties, records). */
int case_reindex(db *d, int64_t case_id, tj_err *err);

#endif
