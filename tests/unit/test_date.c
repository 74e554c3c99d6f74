/* Unit tests for core/date: civil dates, day numbers, parsing, month arithmetic. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "core/date.h"

#define D(y, m, d) ((tj_date){(y), (m), (d)})

static void assert_date(tj_date got, int y, int m, int d)
{
    assert_int_equal(got.y, y);
    assert_int_equal(got.m, m);
    assert_int_equal(got.d, d);
}

static void test_leap_and_month_length(void **state)
{
    (void)state;
    assert_true(date_is_leap(2000));
    assert_true(date_is_leap(2024));
    assert_true(date_is_leap(1600));
    assert_false(date_is_leap(1900));
    assert_false(date_is_leap(2100));
    assert_false(date_is_leap(2025));
    static const int len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    for (int m = 1; m <= 12; m++) {
        assert_int_equal(date_days_in_month(2025, m), len[m - 1]);
        assert_int_equal(date_days_in_month(2024, m), m == 2 ? 29 : len[m - 1]);
    }
    assert_int_equal(date_days_in_month(2025, 0), 0);
    assert_int_equal(date_days_in_month(2025, 13), 0);
}

static void test_valid(void **state)
{
    (void)state;
    assert_true(date_valid(D(2024, 2, 29)));
    assert_true(date_valid(D(1, 1, 1)));
    assert_true(date_valid(D(9999, 12, 31)));
    assert_false(date_valid(D(2025, 2, 29)));
    assert_false(date_valid(D(2025, 4, 31)));
    assert_false(date_valid(D(0, 1, 1)));
    assert_false(date_valid(D(10000, 1, 1)));
    assert_false(date_valid(D(2025, 0, 1)));
    assert_false(date_valid(D(2025, 13, 1)));
    assert_false(date_valid(D(2025, 1, 0)));
    assert_false(date_valid(D(2025, 1, 32)));
    assert_false(date_valid(D(-5, 1, 1)));
}

static void test_day_numbers_known(void **state)
{
    (void)state;
    assert_int_equal(date_to_days(D(1970, 1, 1)), 0);
    assert_int_equal(date_to_days(D(1969, 12, 31)), -1);
    assert_int_equal(date_to_days(D(2000, 3, 1)), 11017);
    assert_int_equal(date_to_days(D(2025, 1, 1)), 20089);
    assert_int_equal(date_to_days(D(1, 1, 1)), -719162);
    assert_int_equal(date_to_days(D(9999, 12, 31)), 2932896);
    assert_int_equal(date_min_days(), -719162);
    assert_int_equal(date_max_days(), 2932896);
    assert_date(date_from_days(0), 1970, 1, 1);
    assert_date(date_from_days(11017), 2000, 3, 1);
    assert_date(date_from_days(-719162), 1, 1, 1);
    assert_date(date_from_days(2932896), 9999, 12, 31);
    /* clamped */
    assert_date(date_from_days(-800000), 1, 1, 1);
    assert_date(date_from_days(3000000), 9999, 12, 31);
}

/* Walk every date from 0001-01-01 to 9999-12-31 with a plain odometer and check
 * that day numbers go up by one, round-trip, and weekdays cycle. */
static void test_day_numbers_exhaustive(void **state)
{
    (void)state;
    tj_date d = D(1, 1, 1);
    int expect = -719162;
    int wd = 0; /* 0001-01-01 was a Monday (proleptic Gregorian) */
    long n = 0;
    for (;;) {
        int days = date_to_days(d);
        if (days != expect)
            fail_msg("%04d-%02d-%02d: %d != %d", d.y, d.m, d.d, days, expect);
        tj_date back = date_from_days(days);
        if (date_compare(back, d) != 0)
            fail_msg("round trip of %04d-%02d-%02d", d.y, d.m, d.d);
        if (date_weekday(d) != wd)
            fail_msg("weekday of %04d-%02d-%02d", d.y, d.m, d.d);
        n++;
        if (d.y == 9999 && d.m == 12 && d.d == 31)
            break;
        expect++;
        wd = (wd + 1) % 7;
        if (++d.d > date_days_in_month(d.y, d.m)) {
            d.d = 1;
            if (++d.m > 12) {
                d.m = 1;
                d.y++;
            }
        }
    }
    assert_int_equal(n, 2932896 + 719162 + 1);
}

static void test_weekday(void **state)
{
    (void)state;
    assert_int_equal(date_weekday(D(1970, 1, 1)), 3);   /* Thursday */
    assert_int_equal(date_weekday(D(2025, 10, 1)), 2);  /* Wednesday */
    assert_int_equal(date_weekday(D(2025, 9, 28)), 6);  /* Sunday */
    assert_int_equal(date_weekday(D(2025, 10, 11)), 5); /* Saturday */
    assert_int_equal(date_weekday(D(2000, 1, 1)), 5);
    assert_int_equal(date_weekday(D(1900, 1, 1)), 0);
    assert_int_equal(date_weekday(D(2026, 2, 14)), 5);
    assert_int_equal(date_weekday_of_days(-1), 2);
    assert_int_equal(date_weekday_of_days(-7), 3);
    assert_int_equal(date_weekday_of_days(4), 0);
}

static void expect_parse_error(const char *s, const char *msg_part)
{
    tj_err err;
    err_clear(&err);
    tj_date out = D(7, 7, 7);
    assert_int_equal(date_parse(s, &out, "accepted_on", &err), -1);
    assert_int_equal(err.status, 400);
    assert_string_equal(err.code, "validation_failed");
    assert_string_equal(err.field, "accepted_on");
    if (!strstr(err.msg, msg_part))
        fail_msg("parse \"%s\": message \"%s\" lacks \"%s\"", s ? s : "(null)", err.msg, msg_part);
    assert_date(out, 7, 7, 7);
}

static void test_parse(void **state)
{
    (void)state;
    tj_date d;
    assert_int_equal(date_parse("2025-02-28", &d, NULL, NULL), 0);
    assert_date(d, 2025, 2, 28);
    assert_int_equal(date_parse("2024-02-29", &d, NULL, NULL), 0);
    assert_date(d, 2024, 2, 29);
    assert_int_equal(date_parse("0001-01-01", &d, NULL, NULL), 0);
    assert_date(d, 1, 1, 1);
    assert_int_equal(date_parse("9999-12-31", &d, NULL, NULL), 0);
    assert_date(d, 9999, 12, 31);

    expect_parse_error("2025-02-30", "日期不存在");
    expect_parse_error("2023-02-29", "日期不存在");
    expect_parse_error("2025-04-31", "日期不存在");
    expect_parse_error("2025-13-01", "日期不存在");
    expect_parse_error("2025-00-10", "日期不存在");
    expect_parse_error("2025-01-00", "日期不存在");
    expect_parse_error("0000-01-01", "日期不存在");
    expect_parse_error("2025-2-3", "格式");
    expect_parse_error("2025-02-3", "格式");
    expect_parse_error("2025-02-28x", "格式");
    expect_parse_error("2025-02-28 ", "格式");
    expect_parse_error(" 2025-02-28", "格式");
    expect_parse_error("2025/02/28", "格式");
    expect_parse_error("20250228", "格式");
    expect_parse_error("+025-01-01", "格式");
    expect_parse_error("2025-01-1a", "格式");
    expect_parse_error("2025-0a-10", "格式");
    expect_parse_error("２０２５-01-01", "格式");
    expect_parse_error("2025-02-28T00:00:00Z", "格式");
    expect_parse_error("", "不能为空");
    expect_parse_error(NULL, "不能为空");

    tj_err err;
    assert_int_equal(date_parse("bad", &d, NULL, &err), -1);
    assert_string_equal(err.field, "");
    assert_int_equal(date_parse("bad", &d, NULL, NULL), -1); /* NULL err is allowed */
}

static void test_format(void **state)
{
    (void)state;
    char buf[DATE_STR_SIZE];
    assert_int_equal(date_format(D(2025, 10, 1), buf), 0);
    assert_string_equal(buf, "2025-10-01");
    assert_int_equal(date_format(D(1, 1, 1), buf), 0);
    assert_string_equal(buf, "0001-01-01");
    assert_int_equal(date_format(D(9999, 12, 31), buf), 0);
    assert_string_equal(buf, "9999-12-31");
    assert_int_equal(date_format(D(2025, 2, 29), buf), -1);
    assert_string_equal(buf, "");
    assert_int_equal(date_format(D(100000, 1, 1), buf), -1);
    assert_string_equal(buf, "");
    /* parse(format(x)) == x */
    tj_date back;
    date_format(D(2024, 2, 29), buf);
    assert_int_equal(date_parse(buf, &back, NULL, NULL), 0);
    assert_date(back, 2024, 2, 29);
}

static void test_compare_between(void **state)
{
    (void)state;
    assert_int_equal(date_compare(D(2025, 1, 1), D(2025, 1, 1)), 0);
    assert_int_equal(date_compare(D(2025, 1, 1), D(2025, 1, 2)), -1);
    assert_int_equal(date_compare(D(2025, 2, 1), D(2025, 1, 31)), 1);
    assert_int_equal(date_compare(D(2024, 12, 31), D(2025, 1, 1)), -1);
    assert_int_equal(date_days_between(D(2025, 1, 1), D(2025, 12, 31)), 364);
    assert_int_equal(date_days_between(D(2024, 1, 1), D(2025, 1, 1)), 366);
    assert_int_equal(date_days_between(D(2025, 3, 1), D(2025, 2, 28)), -1);
    assert_int_equal(date_days_between(D(2025, 10, 1), D(2025, 10, 1)), 0);
}

static void test_add_days(void **state)
{
    (void)state;
    tj_date out;
    tj_err err;
    assert_int_equal(date_add_days(D(2025, 12, 31), 1, &out, NULL), 0);
    assert_date(out, 2026, 1, 1);
    assert_int_equal(date_add_days(D(2024, 2, 28), 1, &out, NULL), 0);
    assert_date(out, 2024, 2, 29);
    assert_int_equal(date_add_days(D(2025, 2, 28), 1, &out, NULL), 0);
    assert_date(out, 2025, 3, 1);
    assert_int_equal(date_add_days(D(2025, 3, 1), -1, &out, NULL), 0);
    assert_date(out, 2025, 2, 28);
    assert_int_equal(date_add_days(D(2025, 10, 1), 0, &out, NULL), 0);
    assert_date(out, 2025, 10, 1);
    assert_int_equal(date_add_days(D(2025, 1, 1), 365, &out, NULL), 0);
    assert_date(out, 2026, 1, 1);
    assert_int_equal(date_add_days(D(2025, 9, 30), 15, &out, NULL), 0);
    assert_date(out, 2025, 10, 15);

    out = D(7, 7, 7);
    assert_int_equal(date_add_days(D(9999, 12, 31), 1, &out, &err), -1);
    assert_int_equal(err.status, 400);
    assert_date(out, 7, 7, 7);
    assert_int_equal(date_add_days(D(1, 1, 1), -1, &out, &err), -1);
    assert_int_equal(date_add_days(D(2025, 1, 1), 2147483647, &out, &err), -1);
    assert_int_equal(date_add_days(D(2025, 1, 1), -2147483647 - 1, &out, &err), -1);
    assert_int_equal(date_add_days(D(2025, 2, 30), 1, &out, &err), -1);
    assert_string_equal(err.code, "validation_failed");
}

static void test_add_months(void **state)
{
    (void)state;
    struct {
        tj_date from;
        int n;
        tj_date want;
    } cases[] = {
        {D(2025, 1, 31), 1, D(2025, 2, 28)},   {D(2024, 1, 31), 1, D(2024, 2, 29)},
        {D(2025, 1, 30), 1, D(2025, 2, 28)},   {D(2025, 1, 28), 1, D(2025, 2, 28)},
        {D(2025, 1, 15), 1, D(2025, 2, 15)},   {D(2025, 3, 31), 1, D(2025, 4, 30)},
        {D(2025, 3, 31), -1, D(2025, 2, 28)},  {D(2025, 12, 15), 1, D(2026, 1, 15)},
        {D(2025, 12, 31), 2, D(2026, 2, 28)},  {D(2025, 1, 15), -1, D(2024, 12, 15)},
        {D(2024, 2, 29), 12, D(2025, 2, 28)},  {D(2024, 2, 29), 48, D(2028, 2, 29)},
        {D(2025, 5, 31), 0, D(2025, 5, 31)},   {D(2025, 8, 31), 1, D(2025, 9, 30)},
        {D(2025, 1, 1), -13, D(2023, 12, 1)},  {D(2025, 10, 31), 4, D(2026, 2, 28)},
        {D(9999, 11, 30), 1, D(9999, 12, 30)}, {D(1, 2, 28), -1, D(1, 1, 28)},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        tj_date out;
        assert_int_equal(date_add_months(cases[i].from, cases[i].n, &out, NULL), 0);
        if (date_compare(out, cases[i].want) != 0)
            fail_msg("case %zu: got %04d-%02d-%02d", i, out.y, out.m, out.d);
    }
    tj_date out = D(7, 7, 7);
    tj_err err;
    assert_int_equal(date_add_months(D(9999, 12, 1), 1, &out, &err), -1);
    assert_int_equal(err.status, 400);
    assert_int_equal(date_add_months(D(1, 1, 15), -1, &out, &err), -1);
    assert_int_equal(date_add_months(D(2025, 1, 15), 2147483647, &out, &err), -1);
    assert_int_equal(date_add_months(D(2025, 1, 15), -2147483647 - 1, &out, &err), -1);
    assert_int_equal(date_add_months(D(2025, 2, 29), 1, &out, &err), -1);
    assert_date(out, 7, 7, 7);
}

static void test_shanghai(void **state)
{
    (void)state;
    assert_date(date_from_unix_shanghai(0), 1970, 1, 1);
    assert_date(date_from_unix_shanghai(57599), 1970, 1, 1); /* 23:59:59 in Shanghai */
    assert_date(date_from_unix_shanghai(57600), 1970, 1, 2);
    assert_date(date_from_unix_shanghai(-28800), 1970, 1, 1);
    assert_date(date_from_unix_shanghai(-28801), 1969, 12, 31);
    /* 2025-09-30T16:00:00Z is midnight of National Day in Beijing */
    assert_date(date_from_unix_shanghai(1759248000), 2025, 10, 1);
    assert_date(date_from_unix_shanghai(1759247999), 2025, 9, 30);
    assert_date(date_today_shanghai(1759248000), 2025, 10, 1);
    assert_date(date_from_unix_shanghai(INT64_MAX), 9999, 12, 31);
    assert_date(date_from_unix_shanghai(INT64_MIN), 1, 1, 1);
    /* 9999-12-31T15:59:59Z is the last second of the range in Shanghai */
    int64_t last = (int64_t)2932896 * 86400 + 86399 - 28800;
    assert_date(date_from_unix_shanghai(last), 9999, 12, 31);
    int64_t first = (int64_t)-719162 * 86400 - 28800;
    assert_date(date_from_unix_shanghai(first), 1, 1, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_leap_and_month_length),
        cmocka_unit_test(test_valid),
        cmocka_unit_test(test_day_numbers_known),
        cmocka_unit_test(test_day_numbers_exhaustive),
        cmocka_unit_test(test_weekday),
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_compare_between),
        cmocka_unit_test(test_add_days),
        cmocka_unit_test(test_add_months),
        cmocka_unit_test(test_shanghai),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
