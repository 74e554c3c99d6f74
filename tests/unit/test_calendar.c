/* Unit tests for core/calendar: built-in holiday notices, 调休, overrides,
 * working-day and rolling arithmetic. Expected values are worked out by hand
 * from the State Council notices, not from the code's table. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/calendar.h"

#define D(y, m, d) ((tj_date){(y), (m), (d)})

static void assert_date(tj_date got, int y, int m, int d)
{
    if (got.y != y || got.m != m || got.d != d)
        fail_msg("got %04d-%02d-%02d, want %04d-%02d-%02d", got.y, got.m, got.d, y, m, d);
}

static tj_date add_wd(const calendar *cal, tj_date from, int n)
{
    tj_date out = D(0, 0, 0);
    tj_err err;
    if (calendar_add_working_days(cal, from, n, &out, &err))
        fail_msg("add_working_days: %s", err.msg);
    return out;
}

static tj_date add_roll(const calendar *cal, tj_date from, int n)
{
    tj_date out = D(0, 0, 0);
    tj_err err;
    if (calendar_add_days_rolling(cal, from, n, &out, &err))
        fail_msg("add_days_rolling: %s", err.msg);
    return out;
}

static int setup_cal(void **state)
{
    calendar *cal = malloc(sizeof *cal);
    if (!cal)
        return -1;
    calendar_init(cal);
    *state = cal;
    return 0;
}

static int teardown_cal(void **state)
{
    free(*state);
    return 0;
}

/* Every day of a range must have the given status. */
static void assert_range(const calendar *cal, tj_date from, tj_date to, bool working)
{
    for (int day = date_to_days(from); day <= date_to_days(to); day++) {
        tj_date d = date_from_days(day);
        if (calendar_is_working_day(cal, d) != working)
            fail_msg("%04d-%02d-%02d should be %s", d.y, d.m, d.d,
                     working ? "a working day" : "a day off");
    }
}

static void test_national_day_2025(void **state)
{
    (void)state;
    assert_true(calendar_is_working_day(NULL, D(2025, 9, 26)));  /* Fri */
    assert_false(calendar_is_working_day(NULL, D(2025, 9, 27))); /* Sat */
    assert_true(calendar_is_working_day(NULL, D(2025, 9, 28)));  /* Sun, 调休上班 */
    assert_true(calendar_is_working_day(NULL, D(2025, 9, 30)));
    assert_range(NULL, D(2025, 10, 1), D(2025, 10, 8), false);
    assert_true(calendar_is_working_day(NULL, D(2025, 10, 9)));
    assert_true(calendar_is_working_day(NULL, D(2025, 10, 10)));
    assert_true(calendar_is_working_day(NULL, D(2025, 10, 11)));  /* Sat, 调休上班 */
    assert_false(calendar_is_working_day(NULL, D(2025, 10, 12))); /* Sun */
    assert_true(calendar_is_working_day(NULL, D(2025, 10, 13)));

    /* The brief's example: 5 working days after 9/30 are 10/9, 10/10, 10/11 (Sat,
     * make-up), 10/13, 10/14 — so 10/14, not 10/15. */
    assert_date(add_wd(NULL, D(2025, 9, 30), 5), 2025, 10, 14);
    assert_date(add_wd(NULL, D(2025, 9, 30), 1), 2025, 10, 9);
    assert_date(add_wd(NULL, D(2025, 9, 30), 3), 2025, 10, 11);
    assert_date(add_wd(NULL, D(2025, 9, 30), 4), 2025, 10, 13);
    assert_date(add_wd(NULL, D(2025, 9, 26), 1), 2025, 9, 28); /* the make-up Sunday */
    assert_date(add_wd(NULL, D(2025, 9, 26), 2), 2025, 9, 29);
    assert_date(add_wd(NULL, D(2025, 10, 3), 1), 2025, 10, 9); /* from inside the holiday */
    assert_date(add_wd(NULL, D(2025, 9, 30), 0), 2025, 9, 30);
    assert_date(add_wd(NULL, D(2025, 10, 4), 0), 2025, 10, 4); /* n = 0: the date itself */

    const char *note;
    bool working = false;
    note = calendar_builtin_note(D(2025, 10, 5), &working);
    assert_non_null(note);
    assert_string_equal(note, "国庆节、中秋节");
    assert_false(working);
    note = calendar_builtin_note(D(2025, 9, 28), &working);
    assert_string_equal(note, "调休上班");
    assert_true(working);
    assert_null(calendar_builtin_note(D(2025, 9, 29), &working));
    assert_null(calendar_builtin_note(D(2025, 2, 30), &working));
}

static void test_spring_festival_2026(void **state)
{
    (void)state;
    assert_true(calendar_is_working_day(NULL, D(2026, 2, 13))); /* Fri */
    assert_true(calendar_is_working_day(NULL, D(2026, 2, 14))); /* Sat, 调休上班 */
    assert_range(NULL, D(2026, 2, 15), D(2026, 2, 23), false);
    assert_range(NULL, D(2026, 2, 24), D(2026, 2, 27), true);
    assert_true(calendar_is_working_day(NULL, D(2026, 2, 28))); /* Sat, 调休上班 */
    assert_false(calendar_is_working_day(NULL, D(2026, 3, 1))); /* Sun */
    assert_false(calendar_is_working_day(NULL, D(2026, 2, 7))); /* ordinary Sat */

    assert_date(add_wd(NULL, D(2026, 2, 13), 1), 2026, 2, 14);
    assert_date(add_wd(NULL, D(2026, 2, 13), 2), 2026, 2, 24);
    assert_date(add_wd(NULL, D(2026, 2, 12), 5), 2026, 2, 26);
    assert_date(add_wd(NULL, D(2026, 2, 27), 1), 2026, 2, 28);
    assert_date(add_wd(NULL, D(2026, 2, 27), 2), 2026, 3, 2);
    /* a 15-day period from 2/5 ends 2/20, inside the holiday: rolls to 2/24 */
    assert_date(add_roll(NULL, D(2026, 2, 5), 15), 2026, 2, 24);
    assert_string_equal(calendar_builtin_note(D(2026, 2, 17), NULL), "春节");
    /* 元旦 2026: 1/1–3 off, Sunday 1/4 working */
    assert_range(NULL, D(2026, 1, 1), D(2026, 1, 3), false);
    assert_true(calendar_is_working_day(NULL, D(2026, 1, 4)));
}

static void test_labour_day_2024(void **state)
{
    (void)state;
    assert_true(calendar_is_working_day(NULL, D(2024, 4, 28))); /* Sun, 调休上班 */
    assert_range(NULL, D(2024, 5, 1), D(2024, 5, 5), false);
    assert_true(calendar_is_working_day(NULL, D(2024, 5, 11))); /* Sat, 调休上班 */
    /* agreement on Fri 4/26: 5 working days are 4/28, 4/29, 4/30, 5/6, 5/7 */
    assert_date(add_wd(NULL, D(2024, 4, 26), 5), 2024, 5, 7);
    /* 3 working days after 4/30: 5/6, 5/7, 5/8 */
    assert_date(add_wd(NULL, D(2024, 4, 30), 3), 2024, 5, 8);
    /* 5 working days after Wed 5/8: 5/9, 5/10, 5/11 (Sat), 5/13, 5/14 */
    assert_date(add_wd(NULL, D(2024, 5, 8), 5), 2024, 5, 14);
    /* a 3-day period from 4/28 ends 5/1: rolls to 5/6 */
    assert_date(add_roll(NULL, D(2024, 4, 28), 3), 2024, 5, 6);
}

static void test_rolling(void **state)
{
    (void)state;
    /* lands on a holiday */
    assert_date(add_roll(NULL, D(2025, 9, 21), 10), 2025, 10, 9);
    /* lands on a make-up working Sunday: stays */
    assert_date(add_roll(NULL, D(2025, 9, 18), 10), 2025, 9, 28);
    /* lands on an ordinary Saturday */
    assert_date(add_roll(NULL, D(2025, 9, 3), 10), 2025, 9, 15);
    /* lands on a working day */
    assert_date(add_roll(NULL, D(2025, 9, 1), 15), 2025, 9, 16);
    /* Spring Festival 2025: 1/28–2/4 off, 2/8 Sat working */
    assert_date(add_roll(NULL, D(2025, 1, 20), 10), 2025, 2, 5);
    assert_date(add_roll(NULL, D(2025, 1, 29), 10), 2025, 2, 8);
    /* n = 0 rolls the date itself */
    assert_date(add_roll(NULL, D(2025, 10, 1), 0), 2025, 10, 9);

    tj_date out;
    assert_int_equal(calendar_roll_forward(NULL, D(2025, 10, 1), &out, NULL), 0);
    assert_date(out, 2025, 10, 9);
    assert_int_equal(calendar_roll_forward(NULL, D(2025, 10, 9), &out, NULL), 0);
    assert_date(out, 2025, 10, 9);
    assert_int_equal(calendar_next_working_day(NULL, D(2025, 10, 9), &out, NULL), 0);
    assert_date(out, 2025, 10, 10);
    assert_int_equal(calendar_next_working_day(NULL, D(2025, 10, 10), &out, NULL), 0);
    assert_date(out, 2025, 10, 11);
    assert_int_equal(calendar_next_working_day(NULL, D(2025, 9, 30), &out, NULL), 0);
    assert_date(out, 2025, 10, 9);
}

static void test_errors(void **state)
{
    (void)state;
    tj_date out = D(7, 7, 7);
    tj_err err;
    assert_int_equal(calendar_add_working_days(NULL, D(2025, 2, 29), 1, &out, &err), -1);
    assert_int_equal(err.status, 400);
    assert_string_equal(err.code, "validation_failed");
    assert_string_equal(err.field, "date");
    assert_int_equal(calendar_add_working_days(NULL, D(2025, 1, 1), -1, &out, &err), -1);
    assert_string_equal(err.field, "days");
    assert_int_equal(
        calendar_add_working_days(NULL, D(2025, 1, 1), CALENDAR_MAX_SPAN + 1, &out, &err), -1);
    assert_int_equal(calendar_add_days_rolling(NULL, D(2025, 1, 1), -3, &out, &err), -1);
    assert_int_equal(calendar_add_days_rolling(NULL, D(2025, 13, 1), 3, &out, &err), -1);
    assert_int_equal(calendar_add_working_days(NULL, D(9999, 12, 30), 2, &out, &err), -1);
    assert_int_equal(calendar_add_days_rolling(NULL, D(9999, 12, 30), 2, &out, &err), -1);
    /* 9999-12-31 is a Friday; 9999-12-25 Sat + 6 = 12-31 fine, +7 out of range */
    assert_int_equal(calendar_add_days_rolling(NULL, D(9999, 12, 25), 6, &out, &err), 0);
    assert_date(out, 9999, 12, 31);
    out = D(7, 7, 7);
    assert_int_equal(calendar_add_days_rolling(NULL, D(9999, 12, 25), 7, &out, &err), -1);
    assert_int_equal(calendar_next_working_day(NULL, D(9999, 12, 31), &out, &err), -1);
    assert_date(out, 7, 7, 7);
    assert_false(calendar_is_working_day(NULL, D(2025, 2, 29)));
    /* the largest span is accepted */
    assert_int_equal(calendar_add_working_days(NULL, D(2000, 1, 1), CALENDAR_MAX_SPAN, &out, NULL),
                     0);
    assert_int_equal(calendar_add_days_rolling(NULL, D(2000, 1, 1), CALENDAR_MAX_SPAN, &out, NULL),
                     0);
}

static void test_fallback_years(void **state)
{
    (void)state;
    /* Years without a built-in notice follow Monday–Friday. */
    assert_true(calendar_is_working_day(NULL, D(2027, 1, 1)));   /* Fri */
    assert_false(calendar_is_working_day(NULL, D(2027, 1, 2)));  /* Sat */
    assert_true(calendar_is_working_day(NULL, D(2019, 10, 1)));  /* Tue, no data */
    assert_false(calendar_is_working_day(NULL, D(2019, 9, 29))); /* Sun */
    assert_date(add_wd(NULL, D(2027, 1, 1), 1), 2027, 1, 4);
    assert_date(add_wd(NULL, D(2030, 5, 31), 5), 2030, 6, 7);
    assert_null(calendar_builtin_note(D(2027, 1, 1), NULL));
}

/* A year's number of working days is its weekdays minus the statutory holidays
 * that fall on weekdays net of make-up days, which by construction of the notices
 * equals weekdays minus the statutory holiday count: 11 days a year until 2024,
 * 13 from 2025 (国务院令第795号 added 除夕 and 5/2). 2020 lost two more working days
 * (1/31 and the cancelled 2/1 make-up) to the epidemic extension. */
static void test_working_days_per_year(void **state)
{
    (void)state;
    static const struct {
        int year, working;
    } want[] = {
        {2020, 249}, {2021, 250}, {2022, 249}, {2023, 249}, {2024, 251}, {2025, 248}, {2026, 248},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        int y = want[i].year, n = 0, weekdays = 0;
        for (int day = date_to_days(D(y, 1, 1)); day <= date_to_days(D(y, 12, 31)); day++) {
            n += calendar_is_working_day(NULL, date_from_days(day));
            weekdays += date_weekday_of_days(day) < 5;
        }
        if (n != want[i].working)
            fail_msg("%d: %d working days, want %d", y, n, want[i].working);
        int statutory = y >= 2025 ? 13 : 11;
        assert_int_equal(n, weekdays - statutory - (y == 2020 ? 2 : 0));
    }
}

static void test_builtin_consistency(void **state)
{
    (void)state;
    calendar_day days[400];
    for (int y = CALENDAR_BUILTIN_FIRST_YEAR; y <= CALENDAR_BUILTIN_LAST_YEAR; y++) {
        size_t n = 0;
        assert_int_equal(calendar_list_year(NULL, y, days, 400, &n, NULL), 0);
        assert_true(n > 20);
        for (size_t i = 0; i < n; i++) {
            const calendar_day *e = &days[i];
            int wd = date_weekday(e->date);
            assert_int_equal(e->date.y, y);
            assert_false(e->overridden);
            if (i)
                assert_true(date_compare(days[i - 1].date, e->date) < 0);
            if (e->working) {
                /* make-up working days are always weekends */
                if (wd < 5)
                    fail_msg("%04d-%02d-%02d 调休 on a weekday", y, e->date.m, e->date.d);
                assert_string_equal(e->note, "调休上班");
            } else {
                assert_true(strcmp(e->note, "调休上班") != 0);
                assert_true(strlen(e->note) > 0);
            }
            assert_int_equal(calendar_is_working_day(NULL, e->date), e->working);
        }
    }
}

static void test_list_2025(void **state)
{
    (void)state;
    static const struct {
        int m, d;
        bool working;
        const char *note;
    } want[] = {
        {1, 1, false, "元旦"},
        {1, 26, true, "调休上班"},
        {1, 28, false, "春节"},
        {1, 29, false, "春节"},
        {1, 30, false, "春节"},
        {1, 31, false, "春节"},
        {2, 1, false, "春节"},
        {2, 2, false, "春节"},
        {2, 3, false, "春节"},
        {2, 4, false, "春节"},
        {2, 8, true, "调休上班"},
        {4, 4, false, "清明节"},
        {4, 5, false, "清明节"},
        {4, 6, false, "清明节"},
        {4, 27, true, "调休上班"},
        {5, 1, false, "劳动节"},
        {5, 2, false, "劳动节"},
        {5, 3, false, "劳动节"},
        {5, 4, false, "劳动节"},
        {5, 5, false, "劳动节"},
        {5, 31, false, "端午节"},
        {6, 1, false, "端午节"},
        {6, 2, false, "端午节"},
        {9, 28, true, "调休上班"},
        {10, 1, false, "国庆节、中秋节"},
        {10, 2, false, "国庆节、中秋节"},
        {10, 3, false, "国庆节、中秋节"},
        {10, 4, false, "国庆节、中秋节"},
        {10, 5, false, "国庆节、中秋节"},
        {10, 6, false, "国庆节、中秋节"},
        {10, 7, false, "国庆节、中秋节"},
        {10, 8, false, "国庆节、中秋节"},
        {10, 11, true, "调休上班"},
    };
    size_t nwant = sizeof want / sizeof want[0];
    calendar_day days[366];
    size_t n = 0;
    assert_int_equal(calendar_list_year(NULL, 2025, days, 366, &n, NULL), 0);
    assert_int_equal(n, nwant);
    for (size_t i = 0; i < n; i++) {
        assert_date(days[i].date, 2025, want[i].m, want[i].d);
        assert_int_equal(days[i].working, want[i].working);
        assert_string_equal(days[i].note, want[i].note);
    }

    /* too small a buffer: -1 and the number needed */
    tj_err err;
    assert_int_equal(calendar_list_year(NULL, 2025, days, 10, &n, &err), -1);
    assert_int_equal(n, nwant);
    assert_int_equal(err.status, 400);
    assert_int_equal(calendar_list_year(NULL, 0, days, 366, &n, &err), -1);
    assert_string_equal(err.field, "year");
    assert_int_equal(calendar_list_year(NULL, 2030, days, 366, &n, NULL), 0);
    assert_int_equal(n, 0);
    /* 2023's 元旦 began on 2022-12-31: it belongs to the 2022 listing */
    assert_int_equal(calendar_list_year(NULL, 2022, days, 366, &n, NULL), 0);
    assert_date(days[n - 1].date, 2022, 12, 31);
    assert_string_equal(days[n - 1].note, "元旦");
}

static void test_other_years_spot(void **state)
{
    (void)state;
    /* 2020: Spring Festival extended to 2/2; the 2/1 make-up Saturday cancelled */
    assert_true(calendar_is_working_day(NULL, D(2020, 1, 19)));
    assert_range(NULL, D(2020, 1, 24), D(2020, 2, 2), false);
    assert_true(calendar_is_working_day(NULL, D(2020, 2, 3)));
    assert_range(NULL, D(2020, 10, 1), D(2020, 10, 8), false);
    assert_true(calendar_is_working_day(NULL, D(2020, 9, 27)));
    assert_true(calendar_is_working_day(NULL, D(2020, 10, 10)));
    /* 2021 中秋: 9/18 Sat working, 9/19–21 off */
    assert_true(calendar_is_working_day(NULL, D(2021, 9, 18)));
    assert_range(NULL, D(2021, 9, 19), D(2021, 9, 21), false);
    /* 2022 春节: 1/29–30 working, 1/31–2/6 off */
    assert_range(NULL, D(2022, 1, 29), D(2022, 1, 30), true);
    assert_range(NULL, D(2022, 1, 31), D(2022, 2, 6), false);
    /* 2023 中秋国庆: 9/29–10/6 off, 10/7–8 working */
    assert_range(NULL, D(2023, 9, 29), D(2023, 10, 6), false);
    assert_range(NULL, D(2023, 10, 7), D(2023, 10, 8), true);
    assert_false(calendar_is_working_day(NULL, D(2023, 1, 2)));
    /* 2024 春节: 2/4 Sun working, 2/10–17 off, 2/18 Sun working */
    assert_true(calendar_is_working_day(NULL, D(2024, 2, 4)));
    assert_range(NULL, D(2024, 2, 10), D(2024, 2, 17), false);
    assert_true(calendar_is_working_day(NULL, D(2024, 2, 18)));
    assert_false(calendar_is_working_day(NULL, D(2024, 6, 10)));
    /* 2026: 9/20 Sun working, 9/25–27 off, 10/1–7 off, 10/10 Sat working */
    assert_true(calendar_is_working_day(NULL, D(2026, 9, 20)));
    assert_range(NULL, D(2026, 9, 25), D(2026, 9, 27), false);
    assert_range(NULL, D(2026, 10, 1), D(2026, 10, 7), false);
    assert_true(calendar_is_working_day(NULL, D(2026, 10, 10)));
    assert_true(calendar_is_working_day(NULL, D(2026, 5, 9)));
}

static void test_overrides(void **state)
{
    calendar *cal = *state;
    tj_err err;
    /* a typhoon closes offices on 2025-10-09 */
    assert_int_equal(calendar_set_override(cal, D(2025, 10, 9), false, "台风停工", &err), 0);
    assert_false(calendar_is_working_day(cal, D(2025, 10, 9)));
    assert_true(calendar_is_working_day(NULL, D(2025, 10, 9))); /* NULL: built-ins only */
    assert_date(add_wd(cal, D(2025, 9, 30), 5), 2025, 10, 15);
    assert_date(add_roll(cal, D(2025, 9, 21), 10), 2025, 10, 10);
    /* override a built-in make-up day and a built-in holiday */
    assert_int_equal(calendar_set_override(cal, D(2025, 9, 28), false, NULL, &err), 0);
    assert_false(calendar_is_working_day(cal, D(2025, 9, 28)));
    assert_int_equal(calendar_set_override(cal, D(2025, 10, 4), true, "值班", &err), 0);
    assert_true(calendar_is_working_day(cal, D(2025, 10, 4)));
    assert_date(add_wd(cal, D(2025, 9, 30), 1), 2025, 10, 4);
    /* a future year's notice entered by hand */
    assert_int_equal(calendar_set_override(cal, D(2027, 1, 1), false, "元旦", &err), 0);
    assert_false(calendar_is_working_day(cal, D(2027, 1, 1)));
    assert_int_equal(cal->count, 4);

    /* listing merges: the override replaces the built-in entry of its date */
    calendar_day days[366];
    size_t n = 0;
    assert_int_equal(calendar_list_year(cal, 2025, days, 366, &n, NULL), 0);
    assert_int_equal(n, 34); /* 33 built-in + 10/9 */
    bool seen_typhoon = false, seen_duty = false, seen_928 = false;
    for (size_t i = 0; i < n; i++) {
        if (i)
            assert_true(date_compare(days[i - 1].date, days[i].date) < 0);
        if (days[i].date.m == 10 && days[i].date.d == 9) {
            seen_typhoon = true;
            assert_true(days[i].overridden);
            assert_false(days[i].working);
            assert_string_equal(days[i].note, "台风停工");
        } else if (days[i].date.m == 10 && days[i].date.d == 4) {
            seen_duty = true;
            assert_true(days[i].overridden);
            assert_true(days[i].working);
            assert_string_equal(days[i].note, "值班");
        } else if (days[i].date.m == 9 && days[i].date.d == 28) {
            seen_928 = true;
            assert_true(days[i].overridden);
            assert_false(days[i].working);
            assert_string_equal(days[i].note, "");
        } else {
            assert_false(days[i].overridden);
        }
    }
    assert_true(seen_typhoon && seen_duty && seen_928);
    assert_int_equal(calendar_list_year(cal, 2027, days, 366, &n, NULL), 0);
    assert_int_equal(n, 1);
    assert_true(days[0].overridden);

    /* replacing keeps the count */
    assert_int_equal(calendar_set_override(cal, D(2025, 10, 9), true, "恢复上班", &err), 0);
    assert_int_equal(cal->count, 4);
    assert_true(calendar_is_working_day(cal, D(2025, 10, 9)));

    /* removing restores the built-in answer */
    assert_true(calendar_remove_override(cal, D(2025, 10, 4)));
    assert_false(calendar_remove_override(cal, D(2025, 10, 4)));
    assert_false(calendar_remove_override(cal, D(2025, 2, 30)));
    assert_false(calendar_is_working_day(cal, D(2025, 10, 4)));
    assert_int_equal(cal->count, 3);
    /* sorted storage */
    for (size_t i = 1; i < cal->count; i++)
        assert_true(cal->items[i - 1].day < cal->items[i].day);
}

static void test_override_errors(void **state)
{
    calendar *cal = *state;
    tj_err err;
    assert_int_equal(calendar_set_override(cal, D(2025, 2, 29), false, "x", &err), -1);
    assert_int_equal(err.status, 400);
    assert_string_equal(err.field, "date");
    char longnote[CALENDAR_NOTE_SIZE + 1];
    memset(longnote, 'a', CALENDAR_NOTE_SIZE);
    longnote[CALENDAR_NOTE_SIZE] = '\0';
    assert_int_equal(calendar_set_override(cal, D(2025, 3, 3), false, longnote, &err), -1);
    assert_string_equal(err.field, "note");
    longnote[CALENDAR_NOTE_SIZE - 1] = '\0'; /* exactly the maximum: fits */
    assert_int_equal(calendar_set_override(cal, D(2025, 3, 3), false, longnote, &err), 0);
    assert_int_equal(strlen(cal->items[0].note), CALENDAR_NOTE_SIZE - 1);
    assert_int_equal(calendar_set_override(cal, D(2025, 3, 4), false, "\xe5\xbd", &err), -1);
    assert_string_equal(err.field, "note");
    assert_int_equal(cal->count, 1);
}

static void test_override_limit(void **state)
{
    calendar *cal = *state;
    tj_err err;
    int base = date_to_days(D(2030, 1, 1));
    /* fill from the end so that every insert shifts the array (worst case) */
    for (int i = CALENDAR_MAX_OVERRIDES - 1; i >= 0; i--)
        assert_int_equal(
            calendar_set_override(cal, date_from_days(base + 2 * i), i % 2, "批量", &err), 0);
    assert_int_equal(cal->count, CALENDAR_MAX_OVERRIDES);
    assert_int_equal(calendar_set_override(cal, date_from_days(base + 1), true, "多一条", &err),
                     -1);
    assert_int_equal(err.status, 400);
    assert_string_equal(err.field, "date");
    assert_int_equal(cal->count, CALENDAR_MAX_OVERRIDES);
    /* replacing an existing date still works when full */
    assert_int_equal(calendar_set_override(cal, date_from_days(base), true, "改", &err), 0);
    assert_true(calendar_is_working_day(cal, date_from_days(base)));
    for (int i = 0; i < CALENDAR_MAX_OVERRIDES; i++) {
        assert_int_equal(cal->items[i].day, base + 2 * i);
        assert_int_equal(calendar_is_working_day(cal, date_from_days(base + 2 * i)),
                         i == 0 ? true : (bool)(i % 2));
    }
    /* many consecutive days off: working-day arithmetic still terminates */
    calendar_init(cal);
    for (int i = 0; i < CALENDAR_MAX_OVERRIDES; i++)
        assert_int_equal(calendar_set_override(cal, date_from_days(base + i), false, "", &err), 0);
    tj_date out;
    assert_int_equal(calendar_add_working_days(cal, date_from_days(base - 1), 1, &out, &err), 0);
    int want = base + CALENDAR_MAX_OVERRIDES; /* first day after the run; 2030+: Mon–Fri */
    while (date_weekday_of_days(want) >= 5)
        want++;
    assert_int_equal(date_to_days(out), want);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_national_day_2025),
        cmocka_unit_test(test_spring_festival_2026),
        cmocka_unit_test(test_labour_day_2024),
        cmocka_unit_test(test_rolling),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_fallback_years),
        cmocka_unit_test(test_working_days_per_year),
        cmocka_unit_test(test_builtin_consistency),
        cmocka_unit_test(test_list_2025),
        cmocka_unit_test(test_other_years_spot),
        cmocka_unit_test_setup_teardown(test_overrides, setup_cal, teardown_cal),
        cmocka_unit_test_setup_teardown(test_override_errors, setup_cal, teardown_cal),
        cmocka_unit_test_setup_teardown(test_override_limit, setup_cal, teardown_cal),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
