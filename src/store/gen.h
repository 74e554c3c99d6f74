/* gen.h — synthetic data at scale (`tiaojie gen`) and the demo county's cases
 * (`tiaojie init --demo`).
 *
 * gen_network builds a province slice at realistic proportions: a provincial
 * bureau, cities, counties (one per ~4,000 cases a year), each with its partner
 * agencies, industry committees and dispatched rooms, 8–20 townships (judicial
 * office, township committee, a police-station room in some, a studio in a few)
 * and 8–20 villages or communities with committees (a few left uncovered), with
 * mediators, informants, volunteers and experts carrying valid (encrypted)
 * identity numbers, and one account per role (logins as in the demo county).
 *
 * The cases are simulated one by one through the case state machine of
 * core/case_flow.h: registered on a day drawn from a working-day-weighted
 * calendar over the years up to today, accepted or refused, assigned, mediated in
 * recorded sessions, extended, agreed or terminated or withdrawn, confirmed by a
 * court, performed, closed, visited and archived — each step only if its day has
 * come. The rows are exactly what the API writes for those events (case_store.c):
 * the case and its parties, mediators, records, agreement, termination,
 * follow-ups, deadlines with their stop dates, the timeline and the search
 * tokens; numbers per org and year continue in case_numbers. Facts, claims and
 * records come from per-type templates, so 彩礼, 宅基 and the like find cases.
 * Events are written as by an API token of the handling org (actor_id NULL,
 * actor_name the lead mediator), except the demo mediator's own cases. No audit
 * log rows are written: nobody acted.
 *
 * In the bulk load a referral case comes with its partner's letter (referrals,
 * referral_events, as referral_store.c writes them): one of the county's partners,
 * chosen by the kind of committee, drafts, approves and sends it a few days before;
 * the committee accepts it when it registers the case (the case's referrer_org_id,
 * and "p<partner>" in its search scope), sends the feedback when the case ends
 * (stopping the case's feedback deadline: mostly on time, some late, the latest not
 * yet) and the partner mostly acknowledges it. A few letters never become cases:
 * returned (acknowledged, disputed and consulted on, or not yet reviewed) or, sent
 * in the last days, still awaiting the committee's decision. Letters carry no
 * attachments (no files are generated); the demo county gets no letters, its
 * partners' referral lists stay empty for the hand-made workflows.
 *
 * Everything is a function of the seed and of `today`: the same seed on the same
 * day gives the same data (gen simulates up to the start of `today`, Asia/Shanghai;
 * the demo up to now). */
#ifndef TJ_STORE_GEN_H
#define TJ_STORE_GEN_H
#include <stdbool.h>
#include <stdint.h>

#include "core/date.h"
#include "db/db.h"

/* Cases `init --demo` adds to the demo county. */
#define GEN_DEMO_CASES 3000

typedef struct gen_opts {
    int64_t cases; /* 1 … 100,000,000 */
    uint64_t seed;
    int years;     /* 1 … 6: registrations spread over this many years up to today */
    tj_date today; /* the last day of activity (exclusive for gen: data up to its start) */
    bool progress; /* a progress line on stderr */
} gen_opts;

typedef struct gen_report {
    int64_t counties, orgs, persons, cases, parties, events, referrals, fts_tokens;
    int64_t by_status[9]; /* indexed by case_flow_state */
    double network_s, cases_s, index_s, total_s;
} gen_report;

/* Fill an empty, migrated database (no orgs yet) with the org network, people
 * and accounts sized for o->cases over o->years. One transaction. */
int gen_network(db *d, const gen_opts *o, gen_report *rep, tj_err *err);

/* Generate o->cases cases into the database file at path (after gen_network, with
 * no other connection open): bulk load with a second thread building the
 * full-text index, then the indexes; the result is an ordinary WAL database. */
int gen_cases_bulk(const char *path, const gen_opts *o, gen_report *rep, tj_err *err);

/* The demo county's cases, inside the caller's transaction on d: n cases over the
 * last two years up to now, in every state, and the demo `mediator` account
 * linked to a mediator of its committee who leads a good number of open cases. */
int gen_demo_cases(db *d, int n, tj_err *err);

#endif
