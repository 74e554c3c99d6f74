#include "core/case_flow.h"

#include <string.h>

static const char *const state_names[CASE_FLOW_STATE_COUNT] = {
    "registered", "accepted",   "refused", "withdrawn", "mediating",
    "agreed",     "terminated", "closed",  "archived",
};

static const char *const state_labels[CASE_FLOW_STATE_COUNT] = {
    "已登记", "已受理", "不予受理", "已撤回", "调解中", "调解成功", "调解终止", "已结案", "已归档",
};

static const char *const event_names[CASE_FLOW_EVENT_COUNT] = {
    "accept",
    "refuse",
    "withdraw",
    "assign",
    "record_session",
    "extend",
    "agree",
    "terminate",
    "escalate",
    "apply_confirmation",
    "record_confirmation",
    "record_performance",
    "follow_up",
    "close",
    "archive",
};

static const char *const event_labels[CASE_FLOW_EVENT_COUNT] = {
    "受理",     "不予受理", "撤回", "指派调解员",   "记录调解",         "延长调解期限",
    "达成协议", "终止调解", "上报", "申请司法确认", "登记司法确认结果", "登记履行情况",
    "回访",     "结案",     "归档",
};

/* Cells hold next state + 1 so that the zero of an omitted initializer means
 * "refused"; the header draws the same table. */
#define TO(st) (CASE_FLOW_STATE_##st + 1)
#define EV(ev) [CASE_FLOW_EVENT_##ev]

static const unsigned char table[CASE_FLOW_STATE_COUNT][CASE_FLOW_EVENT_COUNT] = {
    [CASE_FLOW_STATE_REGISTERED] =
        {
            EV(ACCEPT) = TO(ACCEPTED),
            EV(REFUSE) = TO(REFUSED),
            EV(WITHDRAW) = TO(WITHDRAWN),
            EV(ASSIGN) = TO(REGISTERED),
            EV(ESCALATE) = TO(REGISTERED),
        },
    [CASE_FLOW_STATE_ACCEPTED] =
        {
            EV(WITHDRAW) = TO(WITHDRAWN),
            EV(ASSIGN) = TO(ACCEPTED),
            EV(RECORD_SESSION) = TO(MEDIATING),
            EV(EXTEND) = TO(ACCEPTED),
            EV(TERMINATE) = TO(TERMINATED),
            EV(ESCALATE) = TO(ACCEPTED),
        },
    [CASE_FLOW_STATE_REFUSED] = {EV(ARCHIVE) = TO(ARCHIVED)},
    [CASE_FLOW_STATE_WITHDRAWN] = {EV(ARCHIVE) = TO(ARCHIVED)},
    [CASE_FLOW_STATE_MEDIATING] =
        {
            EV(WITHDRAW) = TO(WITHDRAWN),
            EV(ASSIGN) = TO(MEDIATING),
            EV(RECORD_SESSION) = TO(MEDIATING),
            EV(EXTEND) = TO(MEDIATING),
            EV(AGREE) = TO(AGREED),
            EV(TERMINATE) = TO(TERMINATED),
            EV(ESCALATE) = TO(MEDIATING),
        },
    [CASE_FLOW_STATE_AGREED] =
        {
            EV(APPLY_CONFIRMATION) = TO(AGREED),
            EV(RECORD_CONFIRMATION) = TO(AGREED),
            EV(RECORD_PERFORMANCE) = TO(AGREED),
            EV(FOLLOW_UP) = TO(AGREED),
            EV(CLOSE) = TO(CLOSED),
        },
    [CASE_FLOW_STATE_TERMINATED] =
        {
            EV(FOLLOW_UP) = TO(TERMINATED),
            EV(CLOSE) = TO(CLOSED),
        },
    [CASE_FLOW_STATE_CLOSED] =
        {
            EV(FOLLOW_UP) = TO(CLOSED),
            EV(ARCHIVE) = TO(ARCHIVED),
        },
    [CASE_FLOW_STATE_ARCHIVED] = {0},
};

/* Field names are the API's JSON members; see the docs table in the header. */
static const char *const f_none[] = {NULL};
static const char *const f_reason[] = {"reason", NULL};
static const char *const f_assign[] = {"mediator_id", NULL};
static const char *const f_session[] = {"held_on", "content", NULL};
static const char *const f_extend[] = {"due_on", "reason", NULL};
static const char *const f_agree[] = {"form", "terms", NULL};
static const char *const f_terminate[] = {"reason_code", "reason_text", "guidance", NULL};
static const char *const f_escalate[] = {"org_id", "reason", NULL};
static const char *const f_apply[] = {"court", "applied_on", NULL};
static const char *const f_confirm[] = {"result", NULL};
static const char *const f_perform[] = {"performance", NULL};
static const char *const f_follow_up[] = {"visited_on", "content", NULL};

static const char *const *const required[CASE_FLOW_EVENT_COUNT] = {
    EV(ACCEPT) = f_none,
    EV(REFUSE) = f_reason,
    EV(WITHDRAW) = f_reason,
    EV(ASSIGN) = f_assign,
    EV(RECORD_SESSION) = f_session,
    EV(EXTEND) = f_extend,
    EV(AGREE) = f_agree,
    EV(TERMINATE) = f_terminate,
    EV(ESCALATE) = f_escalate,
    EV(APPLY_CONFIRMATION) = f_apply,
    EV(RECORD_CONFIRMATION) = f_confirm,
    EV(RECORD_PERFORMANCE) = f_perform,
    EV(FOLLOW_UP) = f_follow_up,
    EV(CLOSE) = f_none,
    EV(ARCHIVE) = f_none,
};

static const unsigned started[CASE_FLOW_EVENT_COUNT] = {
    EV(ACCEPT) = DEADLINE_F_MEDIATION,
    EV(EXTEND) = DEADLINE_F_MEDIATION,
    EV(AGREE) = DEADLINE_F_FEEDBACK | DEADLINE_F_JUDICIAL_CONFIRMATION,
    EV(TERMINATE) = DEADLINE_F_FEEDBACK,
    EV(CLOSE) = DEADLINE_F_FOLLOW_UP,
};

static const unsigned stopped[CASE_FLOW_EVENT_COUNT] = {
    EV(ACCEPT) = DEADLINE_F_ACCEPT_REFERRAL,
    EV(REFUSE) = DEADLINE_F_ACCEPT_REFERRAL,
    EV(WITHDRAW) = DEADLINE_F_ACCEPT_REFERRAL | DEADLINE_F_MEDIATION,
    EV(AGREE) = DEADLINE_F_MEDIATION,
    EV(TERMINATE) = DEADLINE_F_MEDIATION,
    EV(APPLY_CONFIRMATION) = DEADLINE_F_JUDICIAL_CONFIRMATION,
    EV(FOLLOW_UP) = DEADLINE_F_FOLLOW_UP,
    EV(ARCHIVE) = DEADLINE_F_ALL,
};

static bool state_ok(case_flow_state st)
{
    return (unsigned)st < CASE_FLOW_STATE_COUNT;
}

static bool event_ok(case_flow_event ev)
{
    return (unsigned)ev < CASE_FLOW_EVENT_COUNT;
}

const char *case_flow_state_name(case_flow_state st)
{
    return state_ok(st) ? state_names[st] : NULL;
}

const char *case_flow_state_label(case_flow_state st)
{
    return state_ok(st) ? state_labels[st] : NULL;
}

const char *case_flow_event_name(case_flow_event ev)
{
    return event_ok(ev) ? event_names[ev] : NULL;
}

const char *case_flow_event_label(case_flow_event ev)
{
    return event_ok(ev) ? event_labels[ev] : NULL;
}

static int lookup(const char *const *names, int n, const char *s)
{
    for (int i = 0; s && i < n; i++)
        if (strcmp(s, names[i]) == 0)
            return i;
    return -1;
}

int case_flow_state_parse(const char *s, case_flow_state *out, const char *field, tj_err *err)
{
    int i = lookup(state_names, CASE_FLOW_STATE_COUNT, s);
    if (i < 0)
        return err_set(err, 400, "validation_failed", field, "未知的案件状态");
    *out = (case_flow_state)i;
    return 0;
}

int case_flow_event_parse(const char *s, case_flow_event *out, const char *field, tj_err *err)
{
    int i = lookup(event_names, CASE_FLOW_EVENT_COUNT, s);
    if (i < 0)
        return err_set(err, 400, "validation_failed", field, "未知的案件操作");
    *out = (case_flow_event)i;
    return 0;
}

bool case_flow_allowed(case_flow_state st, case_flow_event ev)
{
    return state_ok(st) && event_ok(ev) && table[st][ev] != 0;
}

int case_flow_next(case_flow_state st, case_flow_event ev, case_flow_state *next, tj_err *err)
{
    if (!state_ok(st))
        return err_set(err, 400, "validation_failed", "state", "未知的案件状态");
    if (!event_ok(ev))
        return err_set(err, 400, "validation_failed", "event", "未知的案件操作");
    if (!table[st][ev])
        return err_set(err, 409, "conflict", "state", "案件当前状态为“%s”，不能进行“%s”操作",
                       state_labels[st], event_labels[ev]);
    *next = (case_flow_state)(table[st][ev] - 1);
    return 0;
}

uint32_t case_flow_allowed_events(case_flow_state st)
{
    uint32_t mask = 0;
    if (!state_ok(st))
        return 0;
    for (int ev = 0; ev < CASE_FLOW_EVENT_COUNT; ev++)
        if (table[st][ev])
            mask |= CASE_FLOW_EVENT_BIT(ev);
    return mask;
}

const char *const *case_flow_required_fields(case_flow_event ev)
{
    return event_ok(ev) ? required[ev] : NULL;
}

unsigned case_flow_deadlines_started(case_flow_event ev)
{
    return event_ok(ev) ? started[ev] : 0;
}

unsigned case_flow_deadlines_stopped(case_flow_event ev)
{
    return event_ok(ev) ? stopped[ev] : 0;
}
