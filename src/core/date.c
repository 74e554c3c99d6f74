#include "core/date.h"

#include <string.h>

/* Asia/Shanghai is UTC+8 all year; hard-coding it keeps core/ free of tzdata and
 * of the process-global TZ state that localtime_r() depends on. */
#define SHANGHAI_OFFSET_SECONDS (8 * 3600)
#define SECONDS_PER_DAY         86400

bool date_is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int date_days_in_month(int y, int m)
{
    static const int len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12)
        return 0;
    if (m == 2 && date_is_leap(y))
        return 29;
    return len[m - 1];
}

bool date_valid(tj_date d)
{
    return d.y >= DATE_MIN_YEAR && d.y <= DATE_MAX_YEAR && d.m >= 1 && d.m <= 12 && d.d >= 1 &&
           d.d <= date_days_in_month(d.y, d.m);
}

/* Howard Hinnant's days_from_civil: exact for the proleptic Gregorian calendar and
 * free of tables; the year is shifted so that February ends the "year". */
int date_to_days(tj_date d)
{
    long y = (long)d.y - (d.m <= 2);
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153L * (d.m + (d.m > 2 ? -3 : 9)) + 2) / 5 + d.d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (int)(era * 146097 + doe - 719468);
}

int date_min_days(void)
{
    return date_to_days((tj_date){DATE_MIN_YEAR, 1, 1});
}

int date_max_days(void)
{
    return date_to_days((tj_date){DATE_MAX_YEAR, 12, 31});
}

tj_date date_from_days(int days)
{
    if (days < date_min_days())
        days = date_min_days();
    if (days > date_max_days())
        days = date_max_days();
    long z = (long)days + 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long y = yoe + era * 400;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    int d = (int)(doy - (153 * mp + 2) / 5 + 1);
    int m = (int)(mp < 10 ? mp + 3 : mp - 9);
    return (tj_date){(int)(y + (m <= 2)), m, d};
}

static int digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

int date_parse(const char *s, tj_date *out, const char *field, tj_err *err)
{
    if (!s || !*s)
        return err_set(err, 400, "validation_failed", field, "日期不能为空");
    /* strnlen, not strlen: a very long string is rejected after 11 bytes. */
    if (strnlen(s, DATE_STR_SIZE) != DATE_STR_SIZE - 1 || s[4] != '-' || s[7] != '-')
        return err_set(err, 400, "validation_failed", field, "日期格式应为YYYY-MM-DD");
    tj_date d = {digits(s, 4), digits(s + 5, 2), digits(s + 8, 2)};
    if (d.y < 0 || d.m < 0 || d.d < 0)
        return err_set(err, 400, "validation_failed", field, "日期格式应为YYYY-MM-DD");
    if (!date_valid(d))
        return err_set(err, 400, "validation_failed", field, "日期不存在：%s", s);
    if (out)
        *out = d;
    return 0;
}

int date_format(tj_date d, char out[DATE_STR_SIZE])
{
    if (!date_valid(d)) {
        out[0] = '\0';
        return -1;
    }
    /* By hand rather than snprintf: GCC cannot see that a valid date's fields
     * fit and warns (-Wformat-truncation) at -O2. */
    int v[3] = {d.y, d.m, d.d}, w[3] = {4, 2, 2}, pos = 0;
    for (int f = 0; f < 3; f++) {
        if (f)
            out[pos++] = '-';
        for (int i = w[f] - 1; i >= 0; i--, v[f] /= 10)
            out[pos + i] = (char)('0' + v[f] % 10);
        pos += w[f];
    }
    out[pos] = '\0';
    return 0;
}

int date_weekday_of_days(int days)
{
    /* 1970-01-01 was a Thursday (3 when Monday is 0). */
    int r = (days % 7 + 7) % 7;
    return (r + 3) % 7;
}

int date_weekday(tj_date d)
{
    return date_weekday_of_days(date_to_days(d));
}

int date_compare(tj_date a, tj_date b)
{
    if (a.y != b.y)
        return a.y < b.y ? -1 : 1;
    if (a.m != b.m)
        return a.m < b.m ? -1 : 1;
    if (a.d != b.d)
        return a.d < b.d ? -1 : 1;
    return 0;
}

int date_days_between(tj_date a, tj_date b)
{
    return date_to_days(b) - date_to_days(a);
}

int date_add_days(tj_date d, int n, tj_date *out, tj_err *err)
{
    if (!date_valid(d))
        return err_set(err, 400, "validation_failed", NULL, "日期无效");
    /* Compare in long long so that n near INT_MIN/INT_MAX cannot overflow. */
    long long r = (long long)date_to_days(d) + n;
    if (r < date_min_days() || r > date_max_days())
        return err_set(err, 400, "validation_failed", NULL, "日期超出范围");
    *out = date_from_days((int)r);
    return 0;
}

int date_add_months(tj_date d, int n, tj_date *out, tj_err *err)
{
    if (!date_valid(d))
        return err_set(err, 400, "validation_failed", NULL, "日期无效");
    long long idx = (long long)d.y * 12 + (d.m - 1) + n;
    long long y = idx >= 0 ? idx / 12 : -((-idx + 11) / 12);
    int m = (int)(idx - y * 12) + 1;
    if (y < DATE_MIN_YEAR || y > DATE_MAX_YEAR)
        return err_set(err, 400, "validation_failed", NULL, "日期超出范围");
    int last = date_days_in_month((int)y, m);
    *out = (tj_date){(int)y, m, d.d > last ? last : d.d};
    return 0;
}

tj_date date_from_unix_shanghai(int64_t unix_seconds)
{
    /* Clamp before the arithmetic so that INT64 extremes cannot overflow. */
    int64_t lo = (int64_t)date_min_days() * SECONDS_PER_DAY - SHANGHAI_OFFSET_SECONDS;
    int64_t hi = (int64_t)date_max_days() * SECONDS_PER_DAY + (SECONDS_PER_DAY - 1) -
                 SHANGHAI_OFFSET_SECONDS;
    if (unix_seconds < lo)
        unix_seconds = lo;
    if (unix_seconds > hi)
        unix_seconds = hi;
    int64_t local = unix_seconds + SHANGHAI_OFFSET_SECONDS;
    int64_t days = local / SECONDS_PER_DAY;
    if (local % SECONDS_PER_DAY < 0)
        days--; /* floor division for instants before 1970 */
    return date_from_days((int)days);
}

tj_date date_today_shanghai(int64_t now)
{
    return date_from_unix_shanghai(now);
}
