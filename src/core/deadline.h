/* deadline.h — the time limits of a mediation case (DESIGN §4).
 *
 *   kind                    starts at                      default
 *   accept_referral         receipt of a partner referral  3 days
 *   mediation               acceptance                     referred: 15 days, extendable
 *                                                          with a reason to 30 days in all;
 *                                                          other: 1 month (司法部令第75号
 *                                                          第33条 "一般在一个月内调结"),
 *                                                          longer only with both parties'
 *                                                          consent, recorded
 *   feedback                agreement / termination        5 / 3 working days
 *   follow_up               closing                        1 month
 *   judicial_confirmation   agreement taking effect        30 days (人民调解法 第33条)
 *
 * Counting follows the civil-procedure rule for periods: the starting day is not
 * counted (N days from 5/1 ends on 5/(1+N)), a month ends on the same day number of
 * the next month or that month's last day, and a period whose last day is a day
 * off ends on the next working day. Working-day periods count working days after
 * the start. Every `cal` may be NULL (built-in holidays only); every `s` may be
 * NULL (deadline_settings_default values).
 */
#ifndef TJ_CORE_DEADLINE_H
#define TJ_CORE_DEADLINE_H

#include <stdbool.h>

#include "core/calendar.h"
#include "core/date.h"
#include "core/err.h"

typedef enum {
    DEADLINE_ACCEPT_REFERRAL,
    DEADLINE_MEDIATION,
    DEADLINE_FEEDBACK,
    DEADLINE_FOLLOW_UP,
    DEADLINE_JUDICIAL_CONFIRMATION,
    DEADLINE_KIND_COUNT
} deadline_kind;

/* Bit flags over deadline_kind, used by case_flow to say which deadlines an
 * event starts or stops. */
#define DEADLINE_FLAG(kind)              (1u << (kind))
#define DEADLINE_F_ACCEPT_REFERRAL       DEADLINE_FLAG(DEADLINE_ACCEPT_REFERRAL)
#define DEADLINE_F_MEDIATION             DEADLINE_FLAG(DEADLINE_MEDIATION)
#define DEADLINE_F_FEEDBACK              DEADLINE_FLAG(DEADLINE_FEEDBACK)
#define DEADLINE_F_FOLLOW_UP             DEADLINE_FLAG(DEADLINE_FOLLOW_UP)
#define DEADLINE_F_JUDICIAL_CONFIRMATION DEADLINE_FLAG(DEADLINE_JUDICIAL_CONFIRMATION)
#define DEADLINE_F_ALL                   ((1u << DEADLINE_KIND_COUNT) - 1)

/* How close a deadline is, as of a given day. */
typedef enum {
    DEADLINE_STATE_OPEN,      /* more than due_soon_days away */
    DEADLINE_STATE_DUE_SOON,  /* 1..due_soon_days days away */
    DEADLINE_STATE_DUE_TODAY, /* due today */
    DEADLINE_STATE_OVERDUE,   /* past due */
    DEADLINE_STATE_COUNT
} deadline_state;

typedef struct {
    int accept_referral_days;             /* 3 */
    int mediation_referral_days;          /* 15 */
    int mediation_referral_max_days;      /* 30, total from acceptance incl. extensions */
    int mediation_other_months;           /* 1 */
    int feedback_agreed_working_days;     /* 5 */
    int feedback_terminated_working_days; /* 3 */
    int follow_up_months;                 /* 1 */
    int judicial_confirmation_days;       /* 30 */
    int due_soon_days;                    /* 3 */
} deadline_settings;

/* English identifier ("accept_referral", …, "judicial_confirmation"); NULL if out
 * of range. */
const char *deadline_kind_name(deadline_kind k);

/* Chinese label (移送受理期限, 调解期限, 反馈期限, 回访期限, 司法确认申请期限); NULL if
 * out of range. */
const char *deadline_kind_label(deadline_kind k);

/* Parse an identifier from deadline_kind_name(); 0, or -1 (400, field may be NULL)
 * for anything else. */
int deadline_kind_parse(const char *s, deadline_kind *out, const char *field, tj_err *err);

/* "open", "due_soon", "due_today", "overdue"; NULL if out of range. */
const char *deadline_state_name(deadline_state st);

/* 未到期, 即将到期, 今日到期, 已逾期; NULL if out of range. */
const char *deadline_state_label(deadline_state st);

/* Fill s with the defaults above. */
void deadline_settings_default(deadline_settings *s);

/* Check administrator-edited settings: day counts 1..365, month counts 1..12,
 * working-day counts 1..60, due_soon_days 0..30, and
 * mediation_referral_max_days >= mediation_referral_days. -1 (400, field = the
 * struct member's name) on the first violation. */
int deadline_settings_validate(const deadline_settings *s, tj_err *err);

/* Due date to accept or return a partner's referral received on `received_on`. */
int deadline_accept_referral(const calendar *cal, const deadline_settings *s, tj_date received_on,
                             tj_date *due, tj_err *err);

/* Initial mediation due date for a case accepted on `accepted_on`: referred cases
 * mediation_referral_days calendar days, others mediation_other_months months. */
int deadline_mediation(const calendar *cal, const deadline_settings *s, bool is_referral,
                       tj_date accepted_on, tj_date *due, tj_err *err);

/* Due date for feedback to the referrer after the case ended on `ended_on`:
 * feedback_agreed_working_days working days after an agreement (agreed = true),
 * feedback_terminated_working_days after a termination. */
int deadline_feedback(const calendar *cal, const deadline_settings *s, bool agreed,
                      tj_date ended_on, tj_date *due, tj_err *err);

/* Due date of the follow-up visit for a case closed on `closed_on`. */
int deadline_follow_up(const calendar *cal, const deadline_settings *s, tj_date closed_on,
                       tj_date *due, tj_err *err);

/* Last day for the parties to apply for judicial confirmation of an agreement that
 * took effect on `effective_on`. */
int deadline_judicial_confirmation(const calendar *cal, const deadline_settings *s,
                                   tj_date effective_on, tj_date *due, tj_err *err);

/* Validate extending the mediation period from current_due to requested_due and
 * set *out to the new due date (requested_due, moved to the next working day if
 * it is a day off). Rules, each a 400 "validation_failed" with a Chinese message:
 *   - all three dates valid, current_due on or after accepted_on (field "due_on");
 *   - requested_due later than current_due (field "due_on");
 *   - referred case: has_reason (field "reason") and the new due date no later
 *     than accepted_on + mediation_referral_max_days, rolled like any period
 *     (field "due_on");
 *   - other case: parties_consent, i.e. both parties' consent is recorded
 *     (field "parties_consent"); no upper limit.
 * *out is untouched on error. */
int deadline_extend_mediation(const calendar *cal, const deadline_settings *s, bool is_referral,
                              tj_date accepted_on, tj_date current_due, tj_date requested_due,
                              bool has_reason, bool parties_consent, tj_date *out, tj_err *err);

/* Urgency of a deadline due on `due` as of `today` (both valid dates): overdue
 * after due, due_today on it, due_soon within s->due_soon_days days before it,
 * open otherwise. */
deadline_state deadline_status(const deadline_settings *s, tj_date due, tj_date today);

#endif
