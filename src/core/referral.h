/* referral.h — the pure rules of referral docking (访调/公调/诉调/检调对接, 委托调解):
 * a partner agency (petition bureau, police station, court, procuratorate,
 * administrative department) sends a dispute to a mediation committee and must hear
 * back. No I/O; labels come from core/dict.
 *
 * Life of a referral
 *
 * | state | 状态 | meaning |
 * |---|---|---|
 * | draft | 草稿 | a partner user is preparing it; only the partner org sees it |
 * | awaiting_approval | 待审签 | submitted to the partner's lead; still private |
 * | sent | 已移送 | approved and delivered to the target committee; the 3-day period runs |
 * | received | 已签收 | the committee recorded its receipt (回执) |
 * | accepted | 已受理 | the committee accepted it: a case (source referral) exists |
 * | returned | 已退回 | the committee returned it with a reason |
 * | disputed | 会商中 | the partner disagrees with the return; the judicial office consults |
 * | feedback_sent | 已反馈 | the committee sent the outcome to the partner |
 * | acknowledged | 已确认 | the partner acknowledged the feedback, or accepted a return |
 * | cancelled | 已撤销 | the partner cancelled it before sending |
 *
 * | event | 操作 | side | allowed in | result |
 * |---|---|---|---|---|
 * | submit | 提交审签 | partner | draft | awaiting_approval |
 * | approve | 审签并移送 | approver (referral.approve) | draft, awaiting_approval | sent |
 * | reject | 退回修改 | approver | awaiting_approval | draft |
 * | cancel | 撤销 | partner | draft, awaiting_approval | cancelled |
 * | receipt | 签收（回执） | committee | sent | received |
 * | accept | 受理 | committee | sent, received | accepted |
 * | return | 退回 | committee | sent, received | returned |
 * | dispute | 提出异议 | partner | returned | disputed |
 * | consult_accept | 会商：由原调委会受理 | supervisor | disputed | received |
 * | consult_transfer | 会商：改由其他调解组织受理 | supervisor | disputed | sent |
 * | consult_uphold | 会商：维持退回 | supervisor | disputed | returned |
 * | feedback | 反馈 | committee | accepted | feedback_sent |
 * | acknowledge | 确认（反馈或退回） | partner | feedback_sent, returned | acknowledged |
 *
 * Sides: "partner" is any account or API token of the referring org; "approver" a
 * partner account holding referral.approve (the partner's lead, 负责人审签);
 * "committee" an account whose subtree holds the target (or, after acceptance, the
 * case's handling org); "supervisor" a judicial office or bureau above the target.
 *
 * Periods (DESIGN §4, lengths from deadline_settings):
 *   accept or return    3 days from receipt (the day it reached the committee),
 *                       a last day that is a day off moves to the next working day
 *   feedback            5 working days after an agreement, 3 after a termination;
 *                       none after a withdrawal (feedback is still sent, untimed)
 * A period is "on_time" when done on or before its due date, "late" when done
 * after it, "pending" while not done and not yet past due, "overdue" when not done
 * and past due.
 */
#ifndef TJ_CORE_REFERRAL_H
#define TJ_CORE_REFERRAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/calendar.h"
#include "core/date.h"
#include "core/deadline.h"
#include "core/err.h"

typedef enum {
    REFERRAL_DRAFT,
    REFERRAL_AWAITING_APPROVAL,
    REFERRAL_SENT,
    REFERRAL_RECEIVED,
    REFERRAL_ACCEPTED,
    REFERRAL_RETURNED,
    REFERRAL_DISPUTED,
    REFERRAL_FEEDBACK_SENT,
    REFERRAL_ACKNOWLEDGED,
    REFERRAL_CANCELLED,
    REFERRAL_STATE_COUNT
} referral_state;

typedef enum {
    REFERRAL_EV_SUBMIT,
    REFERRAL_EV_APPROVE,
    REFERRAL_EV_REJECT,
    REFERRAL_EV_CANCEL,
    REFERRAL_EV_RECEIPT,
    REFERRAL_EV_ACCEPT,
    REFERRAL_EV_RETURN,
    REFERRAL_EV_DISPUTE,
    REFERRAL_EV_CONSULT_ACCEPT,
    REFERRAL_EV_CONSULT_TRANSFER,
    REFERRAL_EV_CONSULT_UPHOLD,
    REFERRAL_EV_FEEDBACK,
    REFERRAL_EV_ACKNOWLEDGE,
    REFERRAL_EVENT_COUNT
} referral_event;

#define REFERRAL_EVENT_BIT(ev) (1u << (ev))

typedef enum {
    REFERRAL_SIDE_PARTNER,
    REFERRAL_SIDE_APPROVER,
    REFERRAL_SIDE_COMMITTEE,
    REFERRAL_SIDE_SUPERVISOR
} referral_side;

/* How a referral's case ended, for the feedback. */
typedef enum {
    REFERRAL_OUTCOME_NONE, /* the case has not ended */
    REFERRAL_OUTCOME_AGREED,
    REFERRAL_OUTCOME_TERMINATED,
    REFERRAL_OUTCOME_WITHDRAWN
} referral_outcome;

typedef enum {
    REFERRAL_PENDING, /* not done, not past due */
    REFERRAL_OVERDUE, /* not done, past due */
    REFERRAL_ON_TIME, /* done on or before the due date */
    REFERRAL_LATE,    /* done after the due date */
    REFERRAL_TIMELINESS_COUNT
} referral_timeliness;

/* Identifiers ("draft", "submit", …) and Chinese labels (dict referral_status /
 * referral_event); NULL when out of range. */
const char *referral_state_name(referral_state st);
const char *referral_state_label(referral_state st);
const char *referral_event_name(referral_event ev);
const char *referral_event_label(referral_event ev);
/* Parse a name; 0, or -1 (400 validation_failed on field, which may be NULL). */
int referral_state_parse(const char *s, referral_state *out, const char *field, tj_err *err);
int referral_event_parse(const char *s, referral_event *out, const char *field, tj_err *err);

/* Who may take ev (see the table above). */
referral_side referral_event_side(referral_event ev);
/* Whether ev is allowed in st, and the events allowed in st as REFERRAL_EVENT_BIT()s. */
bool referral_allowed(referral_state st, referral_event ev);
uint32_t referral_allowed_events(referral_state st);
/* The state after ev; -1 (409 "conflict", message naming the current state's label)
 * when st does not allow ev. *next is untouched on error. */
int referral_next(referral_state st, referral_event ev, referral_state *next, tj_err *err);
/* Whether the partner's draft can still be edited (draft only). */
bool referral_editable(referral_state st);
/* Whether the committee side sees st (everything from sent on; drafts, approvals
 * and cancelled referrals stay with the partner). */
bool referral_delivered(referral_state st);

/* Channels: petition 访调, police 公调, court 诉调, procuratorate 检调, admin 行政委托. */
bool referral_channel_valid(const char *channel);
/* The channel a partner of partner_type refers through by default; NULL for a type
 * without one (party_gov assigns cases, it does not refer them). */
const char *referral_channel_for_partner(const char *partner_type);

/* Return reasons: out_of_scope 不属于人民调解范围, party_refused 当事人不同意调解,
 * already_mediated 已经调解或处理, other 其他. A return needs a code and an
 * explanation: -1 (400 on field "reason_code" / "reason_text") otherwise. */
bool referral_return_reason_valid(const char *code);
int referral_check_return(const char *code, const char *text, tj_err *err);

/* Consultation outcomes: accept → consult_accept, transfer → consult_transfer,
 * uphold → consult_uphold; -1 (400 on field "outcome") for anything else. */
int referral_consult_event(const char *outcome, referral_event *out, tj_err *err);

/* Due date to accept or return a referral received on received_on. */
int referral_accept_due(const calendar *cal, const deadline_settings *s, tj_date received_on,
                        tj_date *due, tj_err *err);
/* Due date of the feedback for a case that ended on ended_on with outcome: sets
 * *has = false (and leaves *due) for a withdrawal, which has no period. -1 (400) for
 * REFERRAL_OUTCOME_NONE or an invalid date. */
int referral_feedback_due(const calendar *cal, const deadline_settings *s, referral_outcome outcome,
                          tj_date ended_on, tj_date *due, bool *has, tj_err *err);

/* The outcome of a case from its status name and whether it has an agreement
 * (agreed_on set) or a termination (terminated_on set): agreed and closed-after-
 * agreement cases are agreed, terminated and closed-after-termination are
 * terminated, withdrawn is withdrawn; anything else (still open, refused) is none. */
referral_outcome referral_outcome_of_case(const char *case_status, bool agreed, bool terminated);
/* "agreed", "terminated", "withdrawn" (NULL for none) and their labels. */
const char *referral_outcome_name(referral_outcome o);
const char *referral_outcome_label(referral_outcome o);

/* What a feedback letter (反馈函) reports: the referral, the case and how it ended.
 * Codes (performance, termination reason, guidance) are dict values; a NULL or empty
 * performance or withdraw_reason is left out. */
typedef struct referral_feedback_facts {
    const char *partner_org_name, *letter_date, *letter_no, *title;
    const char *org_name, *accepted_on, *case_no; /* the case's handling org */
    referral_outcome outcome;
    const char *agreed_on, *terms, *performance; /* agreed */
    bool written;
    const char *terminated_on, *termination_reason, *termination_text, *guidance; /* terminated */
    const char *withdraw_reason;                                                  /* withdrawn */
} referral_feedback_facts;

/* The feedback letter as the committee's draft words it, into out (cut to cap bytes,
 * always terminated when cap > 0; out may be NULL when cap is 0). Returns the length
 * of the whole text without its terminating NUL, like snprintf. */
size_t referral_feedback_text(const referral_feedback_facts *f, char *out, size_t cap);

/* What the feedback must carry: text (field "text"), and for a written agreement
 * at least one attached file — the agreement (field "file_ids"). -1 (400) else. */
int referral_check_feedback(referral_outcome o, bool written_agreement, size_t text_len,
                            size_t files, tj_err *err);

/* A decision (accept, return) dated `decided`: not before received_on (field, 400)
 * and not after today (400). */
int referral_check_decision_date(tj_date received_on, tj_date decided, tj_date today,
                                 const char *field, tj_err *err);
/* The day a referral reached the committee as stated on its receipt: not before the
 * letter's date and not after the day it was sent in the system (an earlier paper
 * delivery can be recorded, a later one cannot: the system delivered it on sent_on).
 * 400 on field "received_on". */
int referral_check_received_on(tj_date letter_date, tj_date sent_on, tj_date received_on,
                               tj_err *err);

/* On time / late / pending / overdue of a period due on `due`; done is NULL while it
 * has not been done. */
referral_timeliness referral_timeliness_of(tj_date due, const tj_date *done, tj_date today);
/* "pending", "overdue", "on_time", "late" and 办理中, 已逾期, 按时, 超期. */
const char *referral_timeliness_name(referral_timeliness t);
const char *referral_timeliness_label(referral_timeliness t);

/* ---- partner notifications (webhooks) ---- */

/* Delays between delivery attempts: base_ms after the first failure, doubling after
 * each further one, never more than REFERRAL_WEBHOOK_MAX_DELAY_MS; a delivery that has
 * failed REFERRAL_WEBHOOK_MAX_ATTEMPTS times is given up ("failed", kept for an
 * administrator to retry). With the default base of 30 s that is 30 s, 1 min,
 * 2 min … 1 h, then hourly: about three days in all. */
#define REFERRAL_WEBHOOK_MAX_DELAY_MS (3600LL * 1000)
#define REFERRAL_WEBHOOK_MAX_ATTEMPTS 72
/* Delay after the attempts-th failed attempt (attempts ≥ 1; base_ms ≥ 1). */
int64_t referral_webhook_backoff_ms(int attempts, int64_t base_ms);
/* Whether a delivery that failed `attempts` times is given up. */
bool referral_webhook_give_up(int attempts);

/* Parse a partner's endpoint "http://host[:port][/path][?query]" (at most 500
 * bytes, no user info, no fragment, no spaces or control characters; port 1..65535,
 * default 80; path default "/"). https:// is refused with its own message: partner
 * endpoints sit inside the government network and TLS is not built in (terminate
 * it at a forward proxy). -1 (400 on field "url") on anything else. host gets the
 * host name or IPv4 address or bracketed IPv6 address without brackets. */
int referral_webhook_url_parse(const char *url, char *host, size_t host_cap, int *port, char *path,
                               size_t path_cap, tj_err *err);

#endif
