/* date.h — civil dates (proleptic Gregorian) as used by every rule with a date in it.
 *
 * A tj_date is a calendar date in Asia/Shanghai: no time, no zone. Timestamps are
 * UTC seconds; date_from_unix_shanghai() is the one place that turns one into the
 * other (UTC+8 all year: China has had no daylight saving time since 1991).
 *
 * Valid dates run from 0001-01-01 to 9999-12-31 (the range "YYYY-MM-DD" can spell).
 * A day number counts days since 1970-01-01 (negative before it), so the difference
 * of two day numbers is the number of days between the dates.
 */
#ifndef TJ_CORE_DATE_H
#define TJ_CORE_DATE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"

typedef struct {
    int y, m, d;
} tj_date;

/* Bytes date_format() writes: "YYYY-MM-DD" and the NUL. */
#define DATE_STR_SIZE 11

#define DATE_MIN_YEAR 1
#define DATE_MAX_YEAR 9999

/* True if y is a Gregorian leap year. */
bool date_is_leap(int y);

/* Days in month m (1..12) of year y; 0 if m is out of range. */
int date_days_in_month(int y, int m);

/* True if d names a real day between 0001-01-01 and 9999-12-31. */
bool date_valid(tj_date d);

/* Day number of d (days since 1970-01-01). d must be valid; for an invalid d the
 * result is meaningless but well defined (no UB for any int fields in range ±10^6). */
int date_to_days(tj_date d);

/* Inverse of date_to_days(). days must lie within the valid range
 * (date_to_days of 0001-01-01 .. 9999-12-31); out-of-range input is clamped to it. */
tj_date date_from_days(int days);

/* Day numbers of the first and last valid date. */
int date_min_days(void);
int date_max_days(void);

/* Strictly parse "YYYY-MM-DD": exactly ten characters, zero-padded, a real date,
 * nothing before or after. On failure returns -1 with status 400, code
 * "validation_failed", the given field (may be NULL) and a Chinese message; *out is
 * left unchanged. s may be NULL (treated as missing). */
int date_parse(const char *s, tj_date *out, const char *field, tj_err *err);

/* Write d as "YYYY-MM-DD" into out (DATE_STR_SIZE bytes). Returns 0, or -1 and
 * writes "" if d is not valid. */
int date_format(tj_date d, char out[DATE_STR_SIZE]);

/* Day of the week of a valid date: 0 = Monday … 6 = Sunday (ISO 8601 order minus 1). */
int date_weekday(tj_date d);

/* Same, from a day number. */
int date_weekday_of_days(int days);

/* -1, 0 or 1 as a is before, equal to, or after b (field-wise, no validation). */
int date_compare(tj_date a, tj_date b);

/* Days from a to b (b - a): positive when b is later. Both must be valid. */
int date_days_between(tj_date a, tj_date b);

/* *out = d + n days (n may be negative). -1 (400) if d is invalid or the result
 * leaves the valid range. */
int date_add_days(tj_date d, int n, tj_date *out, tj_err *err);

/* *out = d + n months (n may be negative), the day clamped to the end of the target
 * month: 2025-01-31 + 1 = 2025-02-28, 2024-01-31 + 1 = 2024-02-29, 2025-03-31 - 1 =
 * 2025-02-28. This is how "within one month" (一个月内) periods end. -1 (400) if d is
 * invalid or the result leaves the valid range. */
int date_add_months(tj_date d, int n, tj_date *out, tj_err *err);

/* The Asia/Shanghai civil date of a UTC instant (seconds since the epoch). Instants
 * outside the valid date range are clamped to 0001-01-01 / 9999-12-31. */
tj_date date_from_unix_shanghai(int64_t unix_seconds);

/* Today's date in Asia/Shanghai given the current UTC time `now` (seconds since the
 * epoch; the caller reads the clock, core/ does not). */
tj_date date_today_shanghai(int64_t now);

#endif
