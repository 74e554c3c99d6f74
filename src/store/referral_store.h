/* referral_store.h — referrals from partner agencies (移送, core/referral.h): drafts,
 * approval, delivery to a committee with its receipt (回执), acceptance (which
 * registers the case through case_store) or return, consultation (会商) when the
 * partner disputes a return, feedback (反馈) when the case ends, the partner's
 * acknowledgement, the to-do items of every side, and per-channel statistics.
 *
 * Scope: a partner account or token sees the referrals of its own org, drafts
 * included; everyone else sees only delivered referrals (sent on), and only those
 * whose target committee or referring org lies in their subtree. Anything else is
 * 404. Inside the scope, an action for another side (a committee approving, a
 * partner accepting) is 403.
 *
 * The dispute is kept as the case body it will become (title, dispute_type, facts,
 * parties …); identity numbers are validated (GB 11643) and sealed at once
 * (app/crypto), reads show them masked, and acceptance unseals them into
 * case_register. Attachments are files of file_store, linked to the referral: the
 * partner's (consent, letter, evidence) and the committee's (feedback materials). */
#ifndef TJ_STORE_REFERRAL_STORE_H
#define TJ_STORE_REFERRAL_STORE_H
#include <jansson.h>
#include <stdbool.h>

#include "core/calendar.h"
#include "core/date.h"
#include "core/deadline.h"
#include "core/referral.h"
#include "db/db.h"
#include "store/scope.h"
#include "util/jw.h"

/* The states in which a referral can be on someone's to-do list (SQL, for the partial
 * indexes of migration 11 and referral_todo's queries, which must repeat them word
 * for word for SQLite to use those indexes): for the referring partner, every state
 * from submission to feedback; for the committees and supervising offices, a letter
 * to accept or return, a dispute to consult on, an accepted case to report back on. */
#define REFERRAL_TODO_PARTNER_SQL                                                                  \
    "status IN ('awaiting_approval','sent','received','returned','disputed','accepted',"           \
    "'feedback_sent')"
#define REFERRAL_TODO_SCOPE_SQL "status IN ('sent','received','disputed','accepted')"

/* Timeline summaries (referral_events.summary) as printf formats: the generator
 * (store/gen.c) writes the same timeline for the history it simulates. */
#define REFERRAL_SUM_CREATE         "起草移送函 %s，拟移送%s" /* letter_no, target */
#define REFERRAL_SUM_SUBMIT         "提交负责人审签"
#define REFERRAL_SUM_APPROVE        "%s审签，移送至%s，应于 %s 前受理或退回" /* lead, target, due */
#define REFERRAL_SUM_RECEIPT        "%s签收（回执），收到日期 %s，应于 %s 前受理或退回"
#define REFERRAL_SUM_ACCEPT         "%s于 %s 受理，登记为案件 %s" /* target, date, case_no */
#define REFERRAL_SUM_RETURN         "%s退回：%s（%s）"            /* target, reason, text */
#define REFERRAL_SUM_DISPUTE        "对退回提出异议，提请司法行政机关会商：%s"
#define REFERRAL_SUM_CONSULT_UPHOLD "会商（%s）：维持退回。%s" /* held_on, opinion */
#define REFERRAL_SUM_FEEDBACK       "向%s反馈调处结果：%s%s"   /* partner, outcome, late */
#define REFERRAL_SUM_FEEDBACK_LATE  "（超过反馈期限）"
#define REFERRAL_SUM_ACKNOWLEDGE    "%s%s%s%s" /* partner, what, "：" and the note or "" */
#define REFERRAL_SUM_ACK_RETURN     "对退回无异议"
#define REFERRAL_SUM_ACK_FEEDBACK   "确认收到反馈"

typedef struct referral_row {
    int64_t id, partner_org_id, target_org_id, case_id;
    referral_state state;
    char letter_no[128], letter_date[11], channel[16];
    char partner_org_path[256], partner_org_name[256];
    char target_org_path[256], target_org_name[256];
    char title[512];
    char sent_on[11], received_on[11], accept_due_on[11], decided_on[11];
} referral_row;

/* The referral if visible to who, else 404. */
int referral_get(db *d, const principal *who, int64_t id, referral_row *out, tj_err *err);

/* The full referral as JSON for who (docs/api.md): the dispute with masked identity
 * numbers, attachments, the accept and feedback periods with their state as of
 * today, the linked case, consultations, the timeline and allowed_actions — the
 * events who may take now. */
int referral_detail(db *d, const principal *who, int64_t id, tj_date today, json_t **out,
                    tj_err *err);

/* Draft a referral from a body validated by api/referrals.c (partner side only, 403
 * otherwise). Checks what needs the database: the partner org and its channel, the
 * target (a committee or dispatched room the partner may refer to, not dissolved),
 * the letter number unique within the partner org (409), dates not in the future,
 * parties (an applicant and a respondent; identity numbers, credit codes, phones),
 * and the attachments listed in the body (files the caller uploaded). *id gets the
 * new id. */
int referral_create(db *d, const principal *who, json_t *body, tj_date today, int64_t *id,
                    tj_err *err);

/* Change a draft (partner side, state draft: 409 otherwise): the members present in
 * body replace the stored ones, `parties` as a whole. A party whose id_number is the
 * masked form stored at the same position keeps its stored number. */
int referral_update(db *d, const principal *who, referral_row *r, json_t *body, tj_date today,
                    tj_err *err);

/* Link a stored file to a draft (partner side): kind from dict
 * referral_attachment_kind. check_owner: the file must be one who uploaded (400 on
 * field "file_id" otherwise); false when the caller stored it in this request. */
int referral_attach(db *d, const principal *who, const referral_row *r, int64_t file_id,
                    const char *kind, const char *title, bool check_owner, tj_err *err);
/* Remove an attachment of a draft (partner side); 404 when it is not the referral's. */
int referral_detach(db *d, const principal *who, const referral_row *r, int64_t attachment_id,
                    tj_err *err);
/* Whether file_id is attached to referral r (as a partner's or committee's file). */
int referral_has_file(db *d, const referral_row *r, int64_t file_id, bool *found, tj_err *err);

/* Take event ev with its validated body (see docs/api.md): the side check (403), the
 * state machine (409 naming the state), the event's data and rules, a timeline entry.
 * accept registers the case (source referral, referrer_org_id = the partner) and
 * applies its accept event with cal and ds; feedback stops the case's feedback
 * deadline. summary (cap ≥ 512) gets the timeline text. */
int referral_apply(db *d, const principal *who, referral_row *r, referral_event ev, json_t *body,
                   const calendar *cal, const deadline_settings *ds, tj_date today, char *summary,
                   size_t cap, tj_err *err);

/* The feedback the system drafts from the case (committee side, state accepted,
 * the case ended; 409 otherwise): {"outcome","outcome_label","text","due_on",
 * "state","days_left","written_agreement","files":[{"file_id","title","kind",
 * "suggested"}]} — files are the case's attachments, the signed agreement suggested. */
int referral_feedback_draft(db *d, const principal *who, const referral_row *r, tj_date today,
                            json_t **out, tj_err *err);

typedef struct referral_filter {
    const char *status;                  /* comma-separated referral_status names, or NULL */
    const char *channel, *q, *from, *to; /* from/to: sent_on dates */
    int64_t target_org_id, partner_org_id, cursor_id;
    bool overdue; /* accept period past due and undecided */
    int limit;
    tj_date today;
} referral_filter;

/* A page of referrals visible to who, newest first; *next gets the cursor ("" on
 * the last page, next_cap ≥ 32). */
int referral_list(db *d, const principal *who, const referral_filter *f, json_t **items,
                  int64_t *total, char *next, size_t next_cap, tj_err *err);

#define TODO_REFERRALS_MAX 500 /* referral tasks listed, the most urgent */
/* Letters read to find the tasks, the oldest first: a bound on memory, far above any
 * province (at 1M cases the root has 1,451 tasks); beyond it totals and counts would
 * leave out the newest letters. */
#define TODO_REFERRALS_READ_MAX 100000

/* To-do items of every side for who, written to out as one JSON object value:
 * {"total","own_total","items":[{"id","letter_no","title","status","task","task_label",
 * "own","partner_org_name","target_org_name","status_label","due_on"[,"state",
 * "state_label","days_left"]}],"counts":{"overdue","due_today","due_soon"}} —
 * approvals for a lead, accept-or-return with the 3-day countdown and feedback due for
 * committees, returns to review and feedback to acknowledge for partners,
 * consultations for judicial offices and bureaus; most urgent first, at most limit
 * (≥ 0) and TODO_REFERRALS_MAX of them; total (all tasks), own_total (the caller's own, not
 * the other side's it waits on) and counts (the own dated ones) are of every task.
 * On -1 out may hold part of it. */
int referral_todo(db *d, const principal *who, tj_date today, int soon_days, int limit, jw *out,
                  tj_err *err);

/* Statistics per channel of the referrals visible to who sent between from and to
 * (inclusive dates), optionally narrowed to the targets in org_id's subtree (0 =
 * all): referred, accepted, returned, in_consultation, pending, agreed, terminated,
 * withdrawn, accept_on_time, accept_late, feedback_on_time, feedback_late,
 * feedback_pending, and the on-time rates. */
int referral_stats(db *d, const principal *who, const char *from, const char *to, int64_t org_id,
                   tj_date today, json_t **out, tj_err *err);

/* The referral as partner systems receive it in notifications (no parties, no
 * identity data): id, letter_no, channel, status, dates, return reason, case and
 * feedback with its files. */
int referral_notice_json(db *d, int64_t id, json_t **out, tj_err *err);

#endif
