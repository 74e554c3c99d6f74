/* calendar.h — working days in mainland China.
 *
 * A day is a working day unless it is a Saturday or Sunday, EXCEPT as the State
 * Council's yearly holiday notice (国务院办公厅关于…部分节假日安排的通知) says:
 * statutory days off (放假) on weekdays and adjusted working weekends (调休上班).
 * The notices for 2020–2026 are built in (see calendar.c for the table and its
 * sources); later years fall back to the plain Monday–Friday rule until an
 * administrator enters the new notice as overrides. Overrides always win.
 *
 * Every function taking `const calendar *cal` accepts NULL for "built-in data,
 * no overrides".
 */
#ifndef TJ_CORE_CALENDAR_H
#define TJ_CORE_CALENDAR_H

#include <stdbool.h>
#include <stddef.h>

#include "core/date.h"
#include "core/err.h"

/* Hard limit on administrator overrides: ~30 special days a year for 30+ years. */
#define CALENDAR_MAX_OVERRIDES 1024
/* Bytes of an override note including the NUL: 31 CJK characters. */
#define CALENDAR_NOTE_SIZE 96
/* Largest n accepted by calendar_add_working_days / calendar_add_days_rolling. */
#define CALENDAR_MAX_SPAN 36600

/* First and last year whose holiday notice is built in. */
#define CALENDAR_BUILTIN_FIRST_YEAR 2020
#define CALENDAR_BUILTIN_LAST_YEAR  2026

typedef struct {
    int day; /* date_to_days() of the date */
    bool working;
    char note[CALENDAR_NOTE_SIZE];
} calendar_override;

/* Built-in data plus overrides kept sorted by day. About 100 KB: allocate it
 * statically or on the heap, not on a worker thread's stack. */
typedef struct {
    size_t count;
    calendar_override items[CALENDAR_MAX_OVERRIDES];
} calendar;

/* One day in a year listing (calendar_list_year). */
typedef struct {
    tj_date date;
    bool working;
    bool overridden;               /* from an administrator override, not the built-in notice */
    char note[CALENDAR_NOTE_SIZE]; /* holiday name, "调休上班", or the override note */
} calendar_day;

/* Make cal an empty override set (built-in data only). */
void calendar_init(calendar *cal);

/* Record that `date` is (working = true) or is not a working day, with a note
 * (may be NULL or ""; valid UTF-8, at most CALENDAR_NOTE_SIZE-1 bytes). Replaces an
 * existing override of the same date. Returns -1 (400 "validation_failed") for an
 * invalid date (field "date"), a bad note (field "note") or when
 * CALENDAR_MAX_OVERRIDES are already set (field "date"); cal is then unchanged. */
int calendar_set_override(calendar *cal, tj_date date, bool working, const char *note, tj_err *err);

/* Remove the override of date if there is one; returns true if one was removed. */
bool calendar_remove_override(calendar *cal, tj_date date);

/* True if date is a working day (override, else built-in notice, else Mon–Fri).
 * An invalid date is not a working day. */
bool calendar_is_working_day(const calendar *cal, tj_date date);

/* The built-in notice's entry for date, if any: sets *working and returns the
 * holiday name or "调休上班"; NULL when the notice says nothing about the date. */
const char *calendar_builtin_note(tj_date date, bool *working);

/* *out = the n-th working day AFTER date (n = 0 gives date itself, working or not):
 * 2025-09-30 + 5 = 2025-10-14 (10/1–8 off, 10/9, 10/10, 10/11 调休, 10/13, 10/14).
 * -1 (400) if date is invalid or n is outside 0..CALENDAR_MAX_SPAN or the result
 * would pass 9999-12-31. */
int calendar_add_working_days(const calendar *cal, tj_date date, int n, tj_date *out, tj_err *err);

/* *out = date + n calendar days, moved to the next working day if that is a day
 * off (期间届满日遇节假日顺延). Same errors as calendar_add_working_days. */
int calendar_add_days_rolling(const calendar *cal, tj_date date, int n, tj_date *out, tj_err *err);

/* *out = date if it is a working day, else the first working day after it. */
int calendar_roll_forward(const calendar *cal, tj_date date, tj_date *out, tj_err *err);

/* *out = the first working day strictly after date. */
int calendar_next_working_day(const calendar *cal, tj_date date, tj_date *out, tj_err *err);

/* List the special days of `year` in date order: every day the built-in notice or
 * an override mentions (an override replaces the built-in entry of its date).
 * Writes at most cap entries to out and their number to *count; 366 always
 * suffices. -1 (400) if year is outside DATE_MIN_YEAR..DATE_MAX_YEAR or cap is too
 * small (*count is then the number needed). */
int calendar_list_year(const calendar *cal, int year, calendar_day *out, size_t cap, size_t *count,
                       tj_err *err);

#endif
