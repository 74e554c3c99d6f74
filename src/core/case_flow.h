/* clang-format off */
/* case_flow.h — the case state machine (案件流程), table-driven.
 *
 * Transition table: row = current state, column = event, cell = next state
 * ("=" keeps the state, "." refuses with 409). The same table, independently
 * written, is asserted cell by cell in tests/unit/test_case_flow.c.
 *
 *                 acc ref wdr asg ses ext agr ter esc apc rcc rpf fup cls arc
 *   registered    ACC REF WDR  =   .   .   .   .   =   .   .   .   .   .   .
 *   accepted       .   .  WDR  =  MED  =   .  TER  =   .   .   .   .   .   .
 *   refused        .   .   .   .   .   .   .   .   .   .   .   .   .   .  ARC
 *   withdrawn      .   .   .   .   .   .   .   .   .   .   .   .   .   .  ARC
 *   mediating      .   .  WDR  =   =   =  AGR TER  =   .   .   .   .   .   .
 *   agreed         .   .   .   .   .   .   .   .   .   =   =   =   =  CLS  .
 *   terminated     .   .   .   .   .   .   .   .   .   .   .   .   =  CLS  .
 *   closed         .   .   .   .   .   .   .   .   .   .   .   .   =   .  ARC
 *   archived       .   .   .   .   .   .   .   .   .   .   .   .   .   .   .
 *
 * Docs-ready text (copy into docs/):
 *
 * ## Case lifecycle
 *
 * | state | 状态 | meaning |
 * |---|---|---|
 * | registered | 已登记 | the dispute is in the register; not yet accepted |
 * | accepted | 已受理 | the committee accepted it; the mediation period runs |
 * | refused | 不予受理 | not accepted (a partner's referral is returned this way) |
 * | withdrawn | 已撤回 | the applicant withdrew before the mediation ended |
 * | mediating | 调解中 | at least one mediation session has been recorded |
 * | agreed | 调解成功 | a written or oral agreement was reached |
 * | terminated | 调解终止 | mediation ended without agreement; parties told of other channels |
 * | closed | 已结案 | the case is concluded (结案) |
 * | archived | 已归档 | the case file is in the archive; nothing changes any more |
 *
 * | event | 操作 | allowed in | result | required fields | deadlines |
 * |---|---|---|---|---|---|
 * | accept | 受理 | registered | accepted | – | starts mediation; stops accept_referral |
 * | refuse | 不予受理 | registered | refused | reason | stops accept_referral |
 * | withdraw | 撤回 | registered, accepted, mediating | withdrawn | reason | stops accept_referral, mediation |
 * | assign | 指派调解员 | registered, accepted, mediating | unchanged | mediator_id | – |
 * | record_session | 记录调解 | accepted, mediating | mediating | held_on, content | – |
 * | extend | 延长调解期限 | accepted, mediating | unchanged | due_on, reason | restarts mediation with the new due date |
 * | agree | 达成协议 | mediating | agreed | form, terms | starts feedback, judicial_confirmation; stops mediation |
 * | terminate | 终止调解 | accepted, mediating | terminated | reason_code, reason_text, guidance | starts feedback; stops mediation |
 * | escalate | 上报 | registered, accepted, mediating | unchanged (the case moves to org_id) | org_id, reason | – |
 * | apply_confirmation | 申请司法确认 | agreed | unchanged | court, applied_on | stops judicial_confirmation |
 * | record_confirmation | 登记司法确认结果 | agreed | unchanged | result | – |
 * | record_performance | 登记履行情况 | agreed | unchanged | performance | – |
 * | follow_up | 回访 | agreed, terminated, closed | unchanged | visited_on, content | stops follow_up |
 * | close | 结案 | agreed, terminated | closed | – | starts follow_up |
 * | archive | 归档 | closed, refused, withdrawn | archived | – | stops every deadline |
 *
 * Decisions: assigning a mediator does not by itself start mediation — a case is
 * "mediating" from its first recorded session, so 已受理 vs 调解中 shows whether
 * anyone has actually met the parties. An agreement needs a recorded session
 * first; a same-day walk-in records the session and the agreement together.
 * Escalation hands the case to a higher-level org without resetting its state or
 * its running deadlines. Performance is recorded while the case is agreed; once
 * closed, what the follow-up visit learns about performance goes on the visit.
 * A deadline an event starts is set only where it applies: feedback only for
 * referred cases, judicial_confirmation only for written agreements; the
 * accept_referral deadline belongs to the referral (docs/referrals.md): it starts when
 * the partner's lead approves the referral and ends when the committee accepts or returns it.
 * Whether record_confirmation has a prior apply_confirmation is a data check for
 * the API, not a state.
 */
/* clang-format on */
#ifndef TJ_CORE_CASE_FLOW_H
#define TJ_CORE_CASE_FLOW_H

#include <stdbool.h>
#include <stdint.h>

#include "core/deadline.h"
#include "core/err.h"

typedef enum {
    CASE_FLOW_STATE_REGISTERED,
    CASE_FLOW_STATE_ACCEPTED,
    CASE_FLOW_STATE_REFUSED,
    CASE_FLOW_STATE_WITHDRAWN,
    CASE_FLOW_STATE_MEDIATING,
    CASE_FLOW_STATE_AGREED,
    CASE_FLOW_STATE_TERMINATED,
    CASE_FLOW_STATE_CLOSED,
    CASE_FLOW_STATE_ARCHIVED,
    CASE_FLOW_STATE_COUNT
} case_flow_state;

typedef enum {
    CASE_FLOW_EVENT_ACCEPT,
    CASE_FLOW_EVENT_REFUSE,
    CASE_FLOW_EVENT_WITHDRAW,
    CASE_FLOW_EVENT_ASSIGN,
    CASE_FLOW_EVENT_RECORD_SESSION,
    CASE_FLOW_EVENT_EXTEND,
    CASE_FLOW_EVENT_AGREE,
    CASE_FLOW_EVENT_TERMINATE,
    CASE_FLOW_EVENT_ESCALATE,
    CASE_FLOW_EVENT_APPLY_CONFIRMATION,
    CASE_FLOW_EVENT_RECORD_CONFIRMATION,
    CASE_FLOW_EVENT_RECORD_PERFORMANCE,
    CASE_FLOW_EVENT_FOLLOW_UP,
    CASE_FLOW_EVENT_CLOSE,
    CASE_FLOW_EVENT_ARCHIVE,
    CASE_FLOW_EVENT_COUNT
} case_flow_event;

/* Bit of an event in a case_flow_allowed_events() mask. */
#define CASE_FLOW_EVENT_BIT(ev) (UINT32_C(1) << (ev))

/* The state a newly registered case starts in. */
#define CASE_FLOW_INITIAL_STATE CASE_FLOW_STATE_REGISTERED

/* English identifier of a state ("registered", …); NULL if out of range. */
const char *case_flow_state_name(case_flow_state st);

/* Chinese label of a state (已登记, 已受理, …); NULL if out of range. */
const char *case_flow_state_label(case_flow_state st);

/* Parse a state identifier (exact, case-sensitive). 0, or -1 with 400
 * "validation_failed" and the given field (may be NULL). */
int case_flow_state_parse(const char *s, case_flow_state *out, const char *field, tj_err *err);

/* English identifier of an event ("accept", …); NULL if out of range. */
const char *case_flow_event_name(case_flow_event ev);

/* Chinese label of an event (受理, 不予受理, …); NULL if out of range. */
const char *case_flow_event_label(case_flow_event ev);

/* Parse an event identifier; same contract as case_flow_state_parse. */
int case_flow_event_parse(const char *s, case_flow_event *out, const char *field, tj_err *err);

/* True if ev may happen in state st (false for out-of-range values). */
bool case_flow_allowed(case_flow_state st, case_flow_event ev);

/* The state after ev in st. If the table refuses the pair: -1 with status 409,
 * code "conflict", field "state" and a message naming the current state's and the
 * event's labels (案件当前状态为“已归档”，不能进行“受理”操作); *next untouched.
 * Out-of-range st or ev: -1 with 400 "validation_failed". */
int case_flow_next(case_flow_state st, case_flow_event ev, case_flow_state *next, tj_err *err);

/* Mask of CASE_FLOW_EVENT_BIT(ev) for every event allowed in st (what the UI
 * offers); 0 for archived and for out-of-range st. */
uint32_t case_flow_allowed_events(case_flow_state st);

/* The request fields an event requires, as a NULL-terminated list of JSON field
 * names (an empty list is just {NULL}); NULL only for an out-of-range ev. */
const char *const *case_flow_required_fields(case_flow_event ev);

/* DEADLINE_F_* flags of the deadlines ev starts (or restarts with a new due
 * date: extend → mediation); 0 for out-of-range ev. */
unsigned case_flow_deadlines_started(case_flow_event ev);

/* DEADLINE_F_* flags of the deadlines ev stops (fulfils or makes moot). */
unsigned case_flow_deadlines_stopped(case_flow_event ev);

#endif
