/* Unit tests for core/deadline. Every expected date is worked out by hand on the
 * 2024–2026 holiday notices (see the comment next to each). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/deadline.h"

#define D(y, m, d) ((tj_date){(y), (m), (d)})

static void assert_date(tj_date got, int y, int m, int d)
{
    if (got.y != y || got.m != m || got.d != d)
        fail_msg("got %04d-%02d-%02d, want %04d-%02d-%02d", got.y, got.m, got.d, y, m, d);
}

static void test_names(void **state)
{
    (void)state;
    static const char *const names[] = {"accept_referral", "mediation", "feedback", "follow_up",
                                        "judicial_confirmation"};
    static const char *const labels[] = {"移送受理期限", "调解期限", "反馈期限", "回访期限",
                                         "司法确认申请期限"};
    assert_int_equal(DEADLINE_KIND_COUNT, 5);
    for (int k = 0; k < DEADLINE_KIND_COUNT; k++) {
        assert_string_equal(deadline_kind_name((deadline_kind)k), names[k]);
        assert_string_equal(deadline_kind_label((deadline_kind)k), labels[k]);
        deadline_kind parsed;
        assert_int_equal(deadline_kind_parse(names[k], &parsed, "kind", NULL), 0);
        assert_int_equal(parsed, k);
        assert_int_equal(DEADLINE_FLAG(k), 1u << k);
    }
    deadline_kind parsed = DEADLINE_FEEDBACK;
    tj_err err;
    assert_int_equal(deadline_kind_parse("Mediation", &parsed, "kind", &err), -1);
    assert_int_equal(err.status, 400);
    assert_string_equal(err.field, "kind");
    assert_int_equal(deadline_kind_parse(NULL, &parsed, "kind", &err), -1);
    assert_int_equal(parsed, DEADLINE_FEEDBACK);
    assert_null(deadline_kind_name(DEADLINE_KIND_COUNT));
    assert_null(deadline_kind_label((deadline_kind)-1));

    assert_string_equal(deadline_state_name(DEADLINE_STATE_OPEN), "open");
    assert_string_equal(deadline_state_name(DEADLINE_STATE_DUE_SOON), "due_soon");
    assert_string_equal(deadline_state_name(DEADLINE_STATE_DUE_TODAY), "due_today");
    assert_string_equal(deadline_state_name(DEADLINE_STATE_OVERDUE), "overdue");
    assert_string_equal(deadline_state_label(DEADLINE_STATE_OPEN), "未到期");
    assert_string_equal(deadline_state_label(DEADLINE_STATE_DUE_SOON), "即将到期");
    assert_string_equal(deadline_state_label(DEADLINE_STATE_DUE_TODAY), "今日到期");
    assert_string_equal(deadline_state_label(DEADLINE_STATE_OVERDUE), "已逾期");
    assert_null(deadline_state_name(DEADLINE_STATE_COUNT));
    assert_null(deadline_state_label(DEADLINE_STATE_COUNT));
}

static void test_settings(void **state)
{
    (void)state;
    deadline_settings s;
    memset(&s, 0xff, sizeof s);
    deadline_settings_default(&s);
    assert_int_equal(s.accept_referral_days, 3);
    assert_int_equal(s.mediation_referral_days, 15);
    assert_int_equal(s.mediation_referral_max_days, 30);
    assert_int_equal(s.mediation_other_months, 1);
    assert_int_equal(s.feedback_agreed_working_days, 5);
    assert_int_equal(s.feedback_terminated_working_days, 3);
    assert_int_equal(s.follow_up_months, 1);
    assert_int_equal(s.judicial_confirmation_days, 30);
    assert_int_equal(s.due_soon_days, 3);
    assert_int_equal(deadline_settings_validate(&s, NULL), 0);

    static const struct {
        size_t off;
        int bad, good;
        const char *field;
    } cases[] = {
        {offsetof(deadline_settings, accept_referral_days), 0, 365, "accept_referral_days"},
        {offsetof(deadline_settings, accept_referral_days), 366, 1, "accept_referral_days"},
        {offsetof(deadline_settings, mediation_referral_days), -1, 30, "mediation_referral_days"},
        {offsetof(deadline_settings, mediation_referral_max_days), 400, 30,
         "mediation_referral_max_days"},
        {offsetof(deadline_settings, mediation_other_months), 13, 12, "mediation_other_months"},
        {offsetof(deadline_settings, mediation_other_months), 0, 1, "mediation_other_months"},
        {offsetof(deadline_settings, feedback_agreed_working_days), 61, 60,
         "feedback_agreed_working_days"},
        {offsetof(deadline_settings, feedback_terminated_working_days), 0, 1,
         "feedback_terminated_working_days"},
        {offsetof(deadline_settings, follow_up_months), 0, 12, "follow_up_months"},
        {offsetof(deadline_settings, judicial_confirmation_days), 0, 365,
         "judicial_confirmation_days"},
        {offsetof(deadline_settings, due_soon_days), 31, 0, "due_soon_days"},
        {offsetof(deadline_settings, due_soon_days), -1, 30, "due_soon_days"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        deadline_settings t;
        deadline_settings_default(&t);
        int *field = (int *)((char *)&t + cases[i].off);
        *field = cases[i].bad;
        tj_err err;
        assert_int_equal(deadline_settings_validate(&t, &err), -1);
        assert_int_equal(err.status, 400);
        assert_string_equal(err.field, cases[i].field);
        *field = cases[i].good;
        assert_int_equal(deadline_settings_validate(&t, &err), 0);
    }
    deadline_settings t;
    deadline_settings_default(&t);
    t.mediation_referral_days = 20;
    t.mediation_referral_max_days = 19;
    tj_err err;
    assert_int_equal(deadline_settings_validate(&t, &err), -1);
    assert_string_equal(err.field, "mediation_referral_max_days");
}

typedef int (*start_fn)(const calendar *, const deadline_settings *, tj_date, tj_date *, tj_err *);

static tj_date call(start_fn fn, const calendar *cal, const deadline_settings *s, tj_date from)
{
    tj_date out = D(0, 0, 0);
    tj_err err;
    if (fn(cal, s, from, &out, &err))
        fail_msg("%s", err.msg);
    return out;
}

static tj_date mediation(bool referral, tj_date from)
{
    tj_date out = D(0, 0, 0);
    tj_err err;
    if (deadline_mediation(NULL, NULL, referral, from, &out, &err))
        fail_msg("%s", err.msg);
    return out;
}

static tj_date feedback(bool agreed, tj_date from)
{
    tj_date out = D(0, 0, 0);
    tj_err err;
    if (deadline_feedback(NULL, NULL, agreed, from, &out, &err))
        fail_msg("%s", err.msg);
    return out;
}

static void test_accept_referral(void **state)
{
    (void)state;
    /* Fri 9/26 + 3 = Mon 9/29 */
    assert_date(call(deadline_accept_referral, NULL, NULL, D(2025, 9, 26)), 2025, 9, 29);
    /* 9/28 + 3 = 10/1, National Day: 10/9 */
    assert_date(call(deadline_accept_referral, NULL, NULL, D(2025, 9, 28)), 2025, 10, 9);
    /* 4/28 + 3 = 5/1, Labour Day 2024: 5/6 */
    assert_date(call(deadline_accept_referral, NULL, NULL, D(2024, 4, 28)), 2024, 5, 6);
    /* Wed 6/4 + 3 = Sat 6/7: Mon 6/9 */
    assert_date(call(deadline_accept_referral, NULL, NULL, D(2025, 6, 4)), 2025, 6, 9);
    /* 2/11 + 3 = 2/14, a make-up Saturday in 2026: stays */
    assert_date(call(deadline_accept_referral, NULL, NULL, D(2026, 2, 11)), 2026, 2, 14);
    /* 2/12 + 3 = 2/15, Spring Festival 2026: 2/24 */
    assert_date(call(deadline_accept_referral, NULL, NULL, D(2026, 2, 12)), 2026, 2, 24);
}

static void test_mediation(void **state)
{
    (void)state;
    /* referred: 15 days */
    assert_date(mediation(true, D(2025, 6, 2)), 2025, 6, 17);
    assert_date(mediation(true, D(2025, 9, 20)), 2025, 10, 9); /* 10/5 -> 10/9 */
    assert_date(mediation(true, D(2025, 9, 13)), 2025, 9, 28); /* make-up Sunday */
    assert_date(mediation(true, D(2024, 12, 17)), 2025, 1, 2); /* 1/1 -> 1/2 */
    /* other cases: one month, month-end clamped, then rolled */
    assert_date(mediation(false, D(2025, 1, 31)), 2025, 2, 28); /* Fri */
    assert_date(mediation(false, D(2024, 1, 31)), 2024, 2, 29); /* leap year, Thu */
    assert_date(mediation(false, D(2025, 3, 31)), 2025, 4, 30);
    assert_date(mediation(false, D(2025, 9, 1)), 2025, 10, 9);  /* 10/1 -> 10/9 */
    assert_date(mediation(false, D(2025, 12, 31)), 2026, 2, 2); /* 1/31 Sat -> 2/2 */
    assert_date(mediation(false, D(2026, 1, 15)), 2026, 2, 24); /* 2/15 -> 2/24 */
    assert_date(mediation(false, D(2025, 5, 31)), 2025, 6, 30); /* accepted on a holiday */
    assert_date(mediation(false, D(2024, 3, 30)), 2024, 4, 30); /* 4/30 Tue */
    assert_date(mediation(false, D(2024, 4, 1)), 2024, 5, 6);   /* 5/1 -> 5/6 */

    deadline_settings s;
    deadline_settings_default(&s);
    s.mediation_referral_days = 10;
    s.mediation_other_months = 2;
    tj_date out;
    assert_int_equal(deadline_mediation(NULL, &s, true, D(2025, 9, 21), &out, NULL), 0);
    assert_date(out, 2025, 10, 9); /* 10/1 -> 10/9 */
    assert_int_equal(deadline_mediation(NULL, &s, false, D(2024, 12, 31), &out, NULL), 0);
    assert_date(out, 2025, 2, 28);

    tj_err err;
    assert_int_equal(deadline_mediation(NULL, NULL, false, D(2025, 2, 29), &out, &err), -1);
    assert_int_equal(err.status, 400);
    assert_int_equal(deadline_mediation(NULL, NULL, true, D(2025, 2, 29), &out, &err), -1);
    assert_int_equal(deadline_mediation(NULL, NULL, false, D(9999, 12, 15), &out, &err), -1);
}

static void test_feedback(void **state)
{
    (void)state;
    /* 5 working days after 9/30/2025: 10/9, 10/10, 10/11, 10/13, 10/14 */
    assert_date(feedback(true, D(2025, 9, 30)), 2025, 10, 14);
    /* 3 working days after 9/30/2025: 10/9, 10/10, 10/11 (make-up Sat) */
    assert_date(feedback(false, D(2025, 9, 30)), 2025, 10, 11);
    /* Fri 4/26/2024: 4/28 (Sun), 4/29, 4/30, 5/6, 5/7 */
    assert_date(feedback(true, D(2024, 4, 26)), 2024, 5, 7);
    assert_date(feedback(false, D(2024, 4, 26)), 2024, 4, 30);
    /* Thu 2/12/2026: 2/13, 2/14 (Sat), 2/24 */
    assert_date(feedback(false, D(2026, 2, 12)), 2026, 2, 24);
    /* on a holiday: counting starts after it */
    assert_date(feedback(false, D(2025, 10, 3)), 2025, 10, 11);
    /* month end: Fri 2025-01-24: 1/26 (Sun make-up), 1/27, 2/5, 2/6, 2/7 */
    assert_date(feedback(true, D(2025, 1, 24)), 2025, 2, 7);

    calendar *cal = malloc(sizeof *cal);
    assert_non_null(cal);
    calendar_init(cal);
    assert_int_equal(calendar_set_override(cal, D(2025, 10, 10), false, "停电", NULL), 0);
    tj_date out;
    assert_int_equal(deadline_feedback(cal, NULL, false, D(2025, 9, 30), &out, NULL), 0);
    assert_date(out, 2025, 10, 13); /* 10/9, 10/11, 10/13 */
    free(cal);
}

static void test_follow_up_and_confirmation(void **state)
{
    (void)state;
    assert_date(call(deadline_follow_up, NULL, NULL, D(2025, 8, 31)), 2025, 9, 30);
    assert_date(call(deadline_follow_up, NULL, NULL, D(2025, 9, 8)), 2025, 10, 9); /* 10/8 */
    assert_date(call(deadline_follow_up, NULL, NULL, D(2024, 1, 31)), 2024, 2, 29);
    assert_date(call(deadline_follow_up, NULL, NULL, D(2026, 1, 17)), 2026, 2, 24);
    assert_date(call(deadline_follow_up, NULL, NULL, D(2025, 10, 31)), 2025, 12, 1); /* 11/30 Sun */

    assert_date(call(deadline_judicial_confirmation, NULL, NULL, D(2025, 9, 1)), 2025, 10, 9);
    assert_date(call(deadline_judicial_confirmation, NULL, NULL, D(2025, 1, 15)), 2025, 2, 14);
    assert_date(call(deadline_judicial_confirmation, NULL, NULL, D(2024, 4, 1)), 2024, 5, 6);
    /* 2/1/2024 + 30 = 3/2 (Sat, leap year) -> Mon 3/4 */
    assert_date(call(deadline_judicial_confirmation, NULL, NULL, D(2024, 2, 1)), 2024, 3, 4);

    deadline_settings s;
    deadline_settings_default(&s);
    s.follow_up_months = 3;
    s.judicial_confirmation_days = 15;
    s.accept_referral_days = 7;
    /* 11/30 + 3 months = 2/28/2026, a make-up Saturday: stays */
    assert_date(call(deadline_follow_up, NULL, &s, D(2025, 11, 30)), 2026, 2, 28);
    /* 10/31 + 3 months = 1/31/2026, an ordinary Saturday: Mon 2/2 */
    assert_date(call(deadline_follow_up, NULL, &s, D(2025, 10, 31)), 2026, 2, 2);
    assert_date(call(deadline_judicial_confirmation, NULL, &s, D(2025, 9, 20)), 2025, 10, 9);
    assert_date(call(deadline_accept_referral, NULL, &s, D(2025, 9, 24)), 2025, 10, 9);

    tj_date out;
    tj_err err;
    assert_int_equal(deadline_follow_up(NULL, NULL, D(2025, 4, 31), &out, &err), -1);
    assert_int_equal(err.status, 400);
    assert_int_equal(deadline_judicial_confirmation(NULL, NULL, D(0, 1, 1), &out, &err), -1);
    assert_int_equal(deadline_accept_referral(NULL, NULL, D(2025, 1, 32), &out, &err), -1);
    assert_int_equal(deadline_feedback(NULL, NULL, true, D(2025, 13, 1), &out, &err), -1);
}

static int extend(bool referral, tj_date accepted, tj_date current, tj_date requested, bool reason,
                  bool consent, tj_date *out, tj_err *err)
{
    return deadline_extend_mediation(NULL, NULL, referral, accepted, current, requested, reason,
                                     consent, out, err);
}

static void expect_extend_error(bool referral, tj_date accepted, tj_date current, tj_date requested,
                                bool reason, bool consent, const char *field, const char *msg_part)
{
    tj_date out = D(7, 7, 7);
    tj_err err;
    err_clear(&err);
    assert_int_equal(extend(referral, accepted, current, requested, reason, consent, &out, &err),
                     -1);
    assert_int_equal(err.status, 400);
    assert_string_equal(err.code, "validation_failed");
    assert_string_equal(err.field, field);
    if (!strstr(err.msg, msg_part))
        fail_msg("\"%s\" lacks \"%s\"", err.msg, msg_part);
    assert_date(out, 7, 7, 7);
}

static void test_extend_referral(void **state)
{
    (void)state;
    tj_date out;
    /* accepted Tue 6/3/2025, due 6/18; at most 30 days: 7/3 (Thu) */
    assert_int_equal(
        extend(true, D(2025, 6, 3), D(2025, 6, 18), D(2025, 7, 3), true, false, &out, NULL), 0);
    assert_date(out, 2025, 7, 3);
    assert_int_equal(
        extend(true, D(2025, 6, 3), D(2025, 6, 18), D(2025, 6, 19), true, false, &out, NULL), 0);
    assert_date(out, 2025, 6, 19);
    expect_extend_error(true, D(2025, 6, 3), D(2025, 6, 18), D(2025, 7, 4), true, false, "due_on",
                        "最长30日");
    expect_extend_error(true, D(2025, 6, 3), D(2025, 6, 18), D(2025, 7, 4), true, false, "due_on",
                        "2025-07-03");
    expect_extend_error(true, D(2025, 6, 3), D(2025, 6, 18), D(2025, 7, 1), false, true, "reason",
                        "理由");
    expect_extend_error(true, D(2025, 6, 3), D(2025, 6, 18), D(2025, 6, 18), true, false, "due_on",
                        "晚于当前期限");
    expect_extend_error(true, D(2025, 6, 3), D(2025, 6, 18), D(2025, 6, 10), true, false, "due_on",
                        "晚于当前期限");
    /* accepted 9/1/2025: 9/1 + 30 = 10/1, rolled to 10/9, so the limit is 10/9 */
    assert_int_equal(
        extend(true, D(2025, 9, 1), D(2025, 9, 16), D(2025, 10, 9), true, false, &out, NULL), 0);
    assert_date(out, 2025, 10, 9);
    /* a requested day off rolls to the next working day, still within the limit */
    assert_int_equal(
        extend(true, D(2025, 9, 1), D(2025, 9, 16), D(2025, 10, 5), true, false, &out, NULL), 0);
    assert_date(out, 2025, 10, 9);
    assert_int_equal(
        extend(true, D(2025, 9, 1), D(2025, 9, 16), D(2025, 9, 27), true, false, &out, NULL), 0);
    assert_date(out, 2025, 9, 28); /* Sat -> the make-up Sunday */
    expect_extend_error(true, D(2025, 9, 1), D(2025, 9, 16), D(2025, 10, 10), true, false, "due_on",
                        "2025-10-09");
    /* a longer maximum from the settings */
    deadline_settings s;
    deadline_settings_default(&s);
    s.mediation_referral_max_days = 45;
    assert_int_equal(deadline_extend_mediation(NULL, &s, true, D(2025, 6, 3), D(2025, 6, 18),
                                               D(2025, 7, 18), true, false, &out, NULL),
                     0);
    assert_date(out, 2025, 7, 18);
}

static void test_extend_other(void **state)
{
    (void)state;
    tj_date out;
    /* one month from 6/3 is 7/3; with both parties' consent any later date */
    assert_int_equal(
        extend(false, D(2025, 6, 3), D(2025, 7, 3), D(2025, 8, 15), false, true, &out, NULL), 0);
    assert_date(out, 2025, 8, 15);
    assert_int_equal(
        extend(false, D(2025, 6, 3), D(2025, 7, 3), D(2025, 12, 31), true, true, &out, NULL), 0);
    assert_date(out, 2025, 12, 31);
    assert_int_equal(
        extend(false, D(2025, 6, 3), D(2025, 7, 3), D(2025, 8, 16), false, true, &out, NULL), 0);
    assert_date(out, 2025, 8, 18); /* Sat -> Mon */
    expect_extend_error(false, D(2025, 6, 3), D(2025, 7, 3), D(2025, 8, 15), true, false,
                        "parties_consent", "双方当事人同意");
    expect_extend_error(false, D(2025, 6, 3), D(2025, 7, 3), D(2025, 7, 2), true, true, "due_on",
                        "晚于当前期限");
    expect_extend_error(false, D(2025, 6, 3), D(2025, 6, 1), D(2025, 8, 1), true, true, "due_on",
                        "早于受理日期");
    expect_extend_error(false, D(2025, 6, 31), D(2025, 7, 3), D(2025, 8, 1), true, true, "due_on",
                        "日期无效");
    expect_extend_error(true, D(2025, 6, 3), D(2025, 7, 3), D(2025, 2, 29), true, true, "due_on",
                        "日期无效");
}

static void test_status(void **state)
{
    (void)state;
    tj_date due = D(2025, 10, 9);
    assert_int_equal(deadline_status(NULL, due, D(2025, 9, 1)), DEADLINE_STATE_OPEN);
    assert_int_equal(deadline_status(NULL, due, D(2025, 10, 5)), DEADLINE_STATE_OPEN);
    assert_int_equal(deadline_status(NULL, due, D(2025, 10, 6)), DEADLINE_STATE_DUE_SOON);
    assert_int_equal(deadline_status(NULL, due, D(2025, 10, 8)), DEADLINE_STATE_DUE_SOON);
    assert_int_equal(deadline_status(NULL, due, D(2025, 10, 9)), DEADLINE_STATE_DUE_TODAY);
    assert_int_equal(deadline_status(NULL, due, D(2025, 10, 10)), DEADLINE_STATE_OVERDUE);
    assert_int_equal(deadline_status(NULL, due, D(2026, 1, 1)), DEADLINE_STATE_OVERDUE);
    /* across a month and a year end */
    assert_int_equal(deadline_status(NULL, D(2026, 1, 2), D(2025, 12, 30)),
                     DEADLINE_STATE_DUE_SOON);
    assert_int_equal(deadline_status(NULL, D(2025, 2, 28), D(2025, 3, 1)), DEADLINE_STATE_OVERDUE);
    deadline_settings s;
    deadline_settings_default(&s);
    s.due_soon_days = 0;
    assert_int_equal(deadline_status(&s, due, D(2025, 10, 8)), DEADLINE_STATE_OPEN);
    assert_int_equal(deadline_status(&s, due, D(2025, 10, 9)), DEADLINE_STATE_DUE_TODAY);
    s.due_soon_days = 7;
    assert_int_equal(deadline_status(&s, due, D(2025, 10, 2)), DEADLINE_STATE_DUE_SOON);
    assert_int_equal(deadline_status(&s, due, D(2025, 10, 1)), DEADLINE_STATE_OPEN);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names),           cmocka_unit_test(test_settings),
        cmocka_unit_test(test_accept_referral), cmocka_unit_test(test_mediation),
        cmocka_unit_test(test_feedback),        cmocka_unit_test(test_follow_up_and_confirmation),
        cmocka_unit_test(test_extend_referral), cmocka_unit_test(test_extend_other),
        cmocka_unit_test(test_status),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
