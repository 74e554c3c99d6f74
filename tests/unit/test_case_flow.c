/* Unit tests for core/case_flow: every (state, event) pair against a table
 * written here independently, by name, from what a committee does. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/case_flow.h"

static const char *const states[] = {
    "registered", "accepted",   "refused", "withdrawn", "mediating",
    "agreed",     "terminated", "closed",  "archived",
};
#define NSTATES (sizeof states / sizeof *states)

static const char *const events[] = {
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
#define NEVENTS (sizeof events / sizeof *events)

/* state, event -> next state; every pair not listed must be refused with 409. */
static const struct {
    const char *from, *event, *to;
} allowed[] = {
    {"registered", "accept", "accepted"},
    {"registered", "refuse", "refused"},
    {"registered", "withdraw", "withdrawn"},
    {"registered", "assign", "registered"},
    {"registered", "escalate", "registered"},

    {"accepted", "withdraw", "withdrawn"},
    {"accepted", "assign", "accepted"},
    {"accepted", "record_session", "mediating"},
    {"accepted", "extend", "accepted"},
    {"accepted", "terminate", "terminated"},
    {"accepted", "escalate", "accepted"},

    {"refused", "archive", "archived"},
    {"withdrawn", "archive", "archived"},

    {"mediating", "withdraw", "withdrawn"},
    {"mediating", "assign", "mediating"},
    {"mediating", "record_session", "mediating"},
    {"mediating", "extend", "mediating"},
    {"mediating", "agree", "agreed"},
    {"mediating", "terminate", "terminated"},
    {"mediating", "escalate", "mediating"},

    {"agreed", "apply_confirmation", "agreed"},
    {"agreed", "record_confirmation", "agreed"},
    {"agreed", "record_performance", "agreed"},
    {"agreed", "follow_up", "agreed"},
    {"agreed", "close", "closed"},

    {"terminated", "follow_up", "terminated"},
    {"terminated", "close", "closed"},

    {"closed", "follow_up", "closed"},
    {"closed", "archive", "archived"},
};
#define NALLOWED (sizeof allowed / sizeof *allowed)

static const char *const state_labels[] = {
    "已登记", "已受理", "不予受理", "已撤回", "调解中", "调解成功", "调解终止", "已结案", "已归档",
};
static const char *const event_labels[] = {
    "受理",     "不予受理", "撤回", "指派调解员",   "记录调解",         "延长调解期限",
    "达成协议", "终止调解", "上报", "申请司法确认", "登记司法确认结果", "登记履行情况",
    "回访",     "结案",     "归档",
};

static const char *expected_next(const char *from, const char *ev)
{
    for (size_t i = 0; i < NALLOWED; i++)
        if (strcmp(allowed[i].from, from) == 0 && strcmp(allowed[i].event, ev) == 0)
            return allowed[i].to;
    return NULL;
}

static void test_enum_matches_names(void **state)
{
    (void)state;
    assert_int_equal(CASE_FLOW_STATE_COUNT, NSTATES);
    assert_int_equal(CASE_FLOW_EVENT_COUNT, NEVENTS);
    for (size_t i = 0; i < NSTATES; i++) {
        case_flow_state st;
        assert_int_equal(case_flow_state_parse(states[i], &st, "state", NULL), 0);
        assert_int_equal(st, (case_flow_state)i);
        assert_string_equal(case_flow_state_name(st), states[i]);
        assert_string_equal(case_flow_state_label(st), state_labels[i]);
    }
    for (size_t i = 0; i < NEVENTS; i++) {
        case_flow_event ev;
        assert_int_equal(case_flow_event_parse(events[i], &ev, "event", NULL), 0);
        assert_int_equal(ev, (case_flow_event)i);
        assert_string_equal(case_flow_event_name(ev), events[i]);
        assert_string_equal(case_flow_event_label(ev), event_labels[i]);
    }
    assert_int_equal(CASE_FLOW_INITIAL_STATE, CASE_FLOW_STATE_REGISTERED);
    assert_string_equal(case_flow_state_name(CASE_FLOW_STATE_MEDIATING), "mediating");
    assert_string_equal(case_flow_event_name(CASE_FLOW_EVENT_FOLLOW_UP), "follow_up");
}

static void test_parse_errors(void **state)
{
    (void)state;
    static const char *const bad[] = {"",          "Registered", "REGISTERED", " registered",
                                      "accepted ", "closing",    "accept"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        case_flow_state st = CASE_FLOW_STATE_CLOSED;
        tj_err err;
        assert_int_equal(case_flow_state_parse(bad[i], &st, "state", &err), -1);
        assert_int_equal(err.status, 400);
        assert_string_equal(err.code, "validation_failed");
        assert_string_equal(err.field, "state");
        assert_int_equal(st, CASE_FLOW_STATE_CLOSED);
    }
    case_flow_state st;
    assert_int_equal(case_flow_state_parse(NULL, &st, NULL, NULL), -1);
    case_flow_event ev = CASE_FLOW_EVENT_CLOSE;
    tj_err err;
    assert_int_equal(case_flow_event_parse("registered", &ev, "event", &err), -1);
    assert_string_equal(err.field, "event");
    assert_int_equal(case_flow_event_parse("Accept", &ev, "event", &err), -1);
    assert_int_equal(case_flow_event_parse(NULL, &ev, NULL, &err), -1);
    assert_int_equal(ev, CASE_FLOW_EVENT_CLOSE);
    /* out of range enums */
    assert_null(case_flow_state_name(CASE_FLOW_STATE_COUNT));
    assert_null(case_flow_state_label((case_flow_state)-1));
    assert_null(case_flow_event_name(CASE_FLOW_EVENT_COUNT));
    assert_null(case_flow_event_label((case_flow_event)99));
}

static void test_every_pair(void **state)
{
    (void)state;
    size_t n_ok = 0;
    for (size_t s = 0; s < NSTATES; s++) {
        uint32_t mask = 0;
        for (size_t e = 0; e < NEVENTS; e++) {
            const char *want = expected_next(states[s], events[e]);
            case_flow_state next = CASE_FLOW_STATE_COUNT;
            tj_err err;
            err_clear(&err);
            int rc = case_flow_next((case_flow_state)s, (case_flow_event)e, &next, &err);
            assert_int_equal(case_flow_allowed((case_flow_state)s, (case_flow_event)e),
                             want != NULL);
            if (want) {
                n_ok++;
                mask |= UINT32_C(1) << e;
                if (rc != 0)
                    fail_msg("%s + %s refused: %s", states[s], events[e], err.msg);
                assert_string_equal(case_flow_state_name(next), want);
            } else {
                if (rc != -1)
                    fail_msg("%s + %s allowed", states[s], events[e]);
                assert_int_equal(next, CASE_FLOW_STATE_COUNT); /* untouched */
                assert_int_equal(err.status, 409);
                assert_string_equal(err.code, "conflict");
                assert_string_equal(err.field, "state");
                char msg[256];
                snprintf(msg, sizeof msg, "案件当前状态为“%s”，不能进行“%s”操作", state_labels[s],
                         event_labels[e]);
                assert_string_equal(err.msg, msg);
            }
        }
        assert_int_equal(case_flow_allowed_events((case_flow_state)s), mask);
    }
    assert_int_equal(n_ok, NALLOWED);
    assert_int_equal(case_flow_allowed_events(CASE_FLOW_STATE_ARCHIVED), 0);
    assert_int_equal(case_flow_allowed_events(CASE_FLOW_STATE_COUNT), 0);
    assert_int_equal(case_flow_allowed_events(CASE_FLOW_STATE_REGISTERED),
                     CASE_FLOW_EVENT_BIT(CASE_FLOW_EVENT_ACCEPT) |
                         CASE_FLOW_EVENT_BIT(CASE_FLOW_EVENT_REFUSE) |
                         CASE_FLOW_EVENT_BIT(CASE_FLOW_EVENT_WITHDRAW) |
                         CASE_FLOW_EVENT_BIT(CASE_FLOW_EVENT_ASSIGN) |
                         CASE_FLOW_EVENT_BIT(CASE_FLOW_EVENT_ESCALATE));
}

static void test_out_of_range(void **state)
{
    (void)state;
    case_flow_state next = CASE_FLOW_STATE_CLOSED;
    tj_err err;
    assert_int_equal(case_flow_next(CASE_FLOW_STATE_COUNT, CASE_FLOW_EVENT_ACCEPT, &next, &err),
                     -1);
    assert_int_equal(err.status, 400);
    assert_int_equal(case_flow_next((case_flow_state)-1, CASE_FLOW_EVENT_ACCEPT, &next, &err), -1);
    assert_int_equal(case_flow_next(CASE_FLOW_STATE_REGISTERED, CASE_FLOW_EVENT_COUNT, &next, &err),
                     -1);
    assert_int_equal(err.status, 400);
    assert_string_equal(err.field, "event");
    assert_int_equal(next, CASE_FLOW_STATE_CLOSED);
    assert_false(case_flow_allowed(CASE_FLOW_STATE_COUNT, CASE_FLOW_EVENT_ACCEPT));
    assert_false(case_flow_allowed(CASE_FLOW_STATE_REGISTERED, CASE_FLOW_EVENT_COUNT));
    assert_null(case_flow_required_fields(CASE_FLOW_EVENT_COUNT));
    assert_int_equal(case_flow_deadlines_started(CASE_FLOW_EVENT_COUNT), 0);
    assert_int_equal(case_flow_deadlines_stopped((case_flow_event)-1), 0);
}

/* Whole stories a committee lives through, event by event. */
static void run_story(const char *const *evs, const char *final)
{
    case_flow_state st = CASE_FLOW_INITIAL_STATE;
    for (size_t i = 0; evs[i]; i++) {
        case_flow_event ev;
        tj_err err;
        assert_int_equal(case_flow_event_parse(evs[i], &ev, NULL, NULL), 0);
        if (case_flow_next(st, ev, &st, &err))
            fail_msg("step %zu (%s): %s", i, evs[i], err.msg);
    }
    assert_string_equal(case_flow_state_name(st), final);
}

static void test_stories(void **state)
{
    (void)state;
    static const char *const agreed[] = {
        "assign",
        "accept",
        "record_session",
        "extend",
        "record_session",
        "agree",
        "apply_confirmation",
        "record_confirmation",
        "record_performance",
        "close",
        "follow_up",
        "archive",
        NULL,
    };
    run_story(agreed, "archived");
    static const char *const failed[] = {"accept", "assign",    "terminate",
                                         "close",  "follow_up", NULL};
    run_story(failed, "closed");
    static const char *const refused[] = {"refuse", "archive", NULL};
    run_story(refused, "archived");
    static const char *const withdrawn[] = {"accept", "record_session", "withdraw", "archive",
                                            NULL};
    run_story(withdrawn, "archived");
    static const char *const escalated[] = {"escalate",       "accept",   "escalate",
                                            "record_session", "escalate", NULL};
    run_story(escalated, "mediating");
}

static void assert_fields(case_flow_event ev, const char *const *want)
{
    const char *const *got = case_flow_required_fields(ev);
    assert_non_null(got);
    size_t i = 0;
    for (; want[i]; i++) {
        if (!got[i])
            fail_msg("%s: missing %s", case_flow_event_name(ev), want[i]);
        assert_string_equal(got[i], want[i]);
    }
    assert_null(got[i]);
}

static void test_required_fields(void **state)
{
    (void)state;
    static const char *const none[] = {NULL};
    assert_fields(CASE_FLOW_EVENT_ACCEPT, none);
    assert_fields(CASE_FLOW_EVENT_REFUSE, (const char *const[]){"reason", NULL});
    assert_fields(CASE_FLOW_EVENT_WITHDRAW, (const char *const[]){"reason", NULL});
    assert_fields(CASE_FLOW_EVENT_ASSIGN, (const char *const[]){"mediator_id", NULL});
    assert_fields(CASE_FLOW_EVENT_RECORD_SESSION,
                  (const char *const[]){"held_on", "content", NULL});
    assert_fields(CASE_FLOW_EVENT_EXTEND, (const char *const[]){"due_on", "reason", NULL});
    assert_fields(CASE_FLOW_EVENT_AGREE, (const char *const[]){"form", "terms", NULL});
    assert_fields(CASE_FLOW_EVENT_TERMINATE,
                  (const char *const[]){"reason_code", "reason_text", "guidance", NULL});
    assert_fields(CASE_FLOW_EVENT_ESCALATE, (const char *const[]){"org_id", "reason", NULL});
    assert_fields(CASE_FLOW_EVENT_APPLY_CONFIRMATION,
                  (const char *const[]){"court", "applied_on", NULL});
    assert_fields(CASE_FLOW_EVENT_RECORD_CONFIRMATION, (const char *const[]){"result", NULL});
    assert_fields(CASE_FLOW_EVENT_RECORD_PERFORMANCE, (const char *const[]){"performance", NULL});
    assert_fields(CASE_FLOW_EVENT_FOLLOW_UP, (const char *const[]){"visited_on", "content", NULL});
    assert_fields(CASE_FLOW_EVENT_CLOSE, none);
    assert_fields(CASE_FLOW_EVENT_ARCHIVE, none);
}

static void test_deadline_effects(void **state)
{
    (void)state;
    static const struct {
        case_flow_event ev;
        unsigned started, stopped;
    } want[] = {
        {CASE_FLOW_EVENT_ACCEPT, DEADLINE_F_MEDIATION, DEADLINE_F_ACCEPT_REFERRAL},
        {CASE_FLOW_EVENT_REFUSE, 0, DEADLINE_F_ACCEPT_REFERRAL},
        {CASE_FLOW_EVENT_WITHDRAW, 0, DEADLINE_F_ACCEPT_REFERRAL | DEADLINE_F_MEDIATION},
        {CASE_FLOW_EVENT_ASSIGN, 0, 0},
        {CASE_FLOW_EVENT_RECORD_SESSION, 0, 0},
        {CASE_FLOW_EVENT_EXTEND, DEADLINE_F_MEDIATION, 0},
        {CASE_FLOW_EVENT_AGREE, DEADLINE_F_FEEDBACK | DEADLINE_F_JUDICIAL_CONFIRMATION,
         DEADLINE_F_MEDIATION},
        {CASE_FLOW_EVENT_TERMINATE, DEADLINE_F_FEEDBACK, DEADLINE_F_MEDIATION},
        {CASE_FLOW_EVENT_ESCALATE, 0, 0},
        {CASE_FLOW_EVENT_APPLY_CONFIRMATION, 0, DEADLINE_F_JUDICIAL_CONFIRMATION},
        {CASE_FLOW_EVENT_RECORD_CONFIRMATION, 0, 0},
        {CASE_FLOW_EVENT_RECORD_PERFORMANCE, 0, 0},
        {CASE_FLOW_EVENT_FOLLOW_UP, 0, DEADLINE_F_FOLLOW_UP},
        {CASE_FLOW_EVENT_CLOSE, DEADLINE_F_FOLLOW_UP, 0},
        {CASE_FLOW_EVENT_ARCHIVE, 0,
         DEADLINE_F_ACCEPT_REFERRAL | DEADLINE_F_MEDIATION | DEADLINE_F_FEEDBACK |
             DEADLINE_F_FOLLOW_UP | DEADLINE_F_JUDICIAL_CONFIRMATION},
    };
    assert_int_equal(sizeof want / sizeof *want, CASE_FLOW_EVENT_COUNT);
    for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
        assert_int_equal(want[i].ev, (case_flow_event)i);
        assert_int_equal(case_flow_deadlines_started(want[i].ev), want[i].started);
        assert_int_equal(case_flow_deadlines_stopped(want[i].ev), want[i].stopped);
    }
    assert_int_equal(DEADLINE_F_ALL, 0x1f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_enum_matches_names),
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_every_pair),
        cmocka_unit_test(test_out_of_range),
        cmocka_unit_test(test_stories),
        cmocka_unit_test(test_required_fields),
        cmocka_unit_test(test_deadline_effects),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
