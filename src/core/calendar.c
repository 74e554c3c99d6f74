#include "core/calendar.h"

#include "core/cjk.h"

#include <stdio.h>
#include <string.h>

/* The State Council's holiday notices, one row per announced span, sorted and
 * non-overlapping (tests check both). Dates are packed as YYYYMMDD so the table
 * reads like the notices. Sources, 国务院办公厅关于…年部分节假日安排的通知:
 *   2020 国办发明电〔2019〕16号, extended by 国办发明电〔2020〕1号 (春节 to 2/2, which
 *        cancelled the 2/1 make-up day);
 *   2021 国办发明电〔2020〕27号; 2022 国办发明电〔2021〕11号;
 *   2023 国办发明电〔2022〕16号 (元旦 runs from 2022-12-31);
 *   2024 国办发明电〔2023〕7号; 2025 国办发明电〔2024〕12号; 2026 国办发明电〔2025〕7号.
 * 2024–2026 are exactly DESIGN.md §4. */
typedef struct {
    int from, to; /* inclusive, YYYYMMDD */
    bool working;
    const char *name;
} span;

#define WORK "调休上班"

static const span builtin[] = {
    /* 2020 */
    {20200101, 20200101, false, "元旦"},
    {20200119, 20200119, true, WORK},
    {20200124, 20200202, false, "春节"},
    {20200404, 20200406, false, "清明节"},
    {20200426, 20200426, true, WORK},
    {20200501, 20200505, false, "劳动节"},
    {20200509, 20200509, true, WORK},
    {20200625, 20200627, false, "端午节"},
    {20200628, 20200628, true, WORK},
    {20200927, 20200927, true, WORK},
    {20201001, 20201008, false, "国庆节、中秋节"},
    {20201010, 20201010, true, WORK},
    /* 2021 */
    {20210101, 20210103, false, "元旦"},
    {20210207, 20210207, true, WORK},
    {20210211, 20210217, false, "春节"},
    {20210220, 20210220, true, WORK},
    {20210403, 20210405, false, "清明节"},
    {20210425, 20210425, true, WORK},
    {20210501, 20210505, false, "劳动节"},
    {20210508, 20210508, true, WORK},
    {20210612, 20210614, false, "端午节"},
    {20210918, 20210918, true, WORK},
    {20210919, 20210921, false, "中秋节"},
    {20210926, 20210926, true, WORK},
    {20211001, 20211007, false, "国庆节"},
    {20211009, 20211009, true, WORK},
    /* 2022 */
    {20220101, 20220103, false, "元旦"},
    {20220129, 20220130, true, WORK},
    {20220131, 20220206, false, "春节"},
    {20220402, 20220402, true, WORK},
    {20220403, 20220405, false, "清明节"},
    {20220424, 20220424, true, WORK},
    {20220430, 20220504, false, "劳动节"},
    {20220507, 20220507, true, WORK},
    {20220603, 20220605, false, "端午节"},
    {20220910, 20220912, false, "中秋节"},
    {20221001, 20221007, false, "国庆节"},
    {20221008, 20221009, true, WORK},
    {20221231, 20221231, false, "元旦"},
    /* 2023 */
    {20230101, 20230102, false, "元旦"},
    {20230121, 20230127, false, "春节"},
    {20230128, 20230129, true, WORK},
    {20230405, 20230405, false, "清明节"},
    {20230423, 20230423, true, WORK},
    {20230429, 20230503, false, "劳动节"},
    {20230506, 20230506, true, WORK},
    {20230622, 20230624, false, "端午节"},
    {20230625, 20230625, true, WORK},
    {20230929, 20231006, false, "中秋节、国庆节"},
    {20231007, 20231008, true, WORK},
    /* 2024 */
    {20240101, 20240101, false, "元旦"},
    {20240204, 20240204, true, WORK},
    {20240210, 20240217, false, "春节"},
    {20240218, 20240218, true, WORK},
    {20240404, 20240406, false, "清明节"},
    {20240407, 20240407, true, WORK},
    {20240428, 20240428, true, WORK},
    {20240501, 20240505, false, "劳动节"},
    {20240511, 20240511, true, WORK},
    {20240610, 20240610, false, "端午节"},
    {20240914, 20240914, true, WORK},
    {20240915, 20240917, false, "中秋节"},
    {20240929, 20240929, true, WORK},
    {20241001, 20241007, false, "国庆节"},
    {20241012, 20241012, true, WORK},
    /* 2025 */
    {20250101, 20250101, false, "元旦"},
    {20250126, 20250126, true, WORK},
    {20250128, 20250204, false, "春节"},
    {20250208, 20250208, true, WORK},
    {20250404, 20250406, false, "清明节"},
    {20250427, 20250427, true, WORK},
    {20250501, 20250505, false, "劳动节"},
    {20250531, 20250602, false, "端午节"},
    {20250928, 20250928, true, WORK},
    {20251001, 20251008, false, "国庆节、中秋节"},
    {20251011, 20251011, true, WORK},
    /* 2026 */
    {20260101, 20260103, false, "元旦"},
    {20260104, 20260104, true, WORK},
    {20260214, 20260214, true, WORK},
    {20260215, 20260223, false, "春节"},
    {20260228, 20260228, true, WORK},
    {20260404, 20260406, false, "清明节"},
    {20260501, 20260505, false, "劳动节"},
    {20260509, 20260509, true, WORK},
    {20260619, 20260621, false, "端午节"},
    {20260920, 20260920, true, WORK},
    {20260925, 20260927, false, "中秋节"},
    {20261001, 20261007, false, "国庆节"},
    {20261010, 20261010, true, WORK},
};

#define NBUILTIN (sizeof builtin / sizeof builtin[0])

static int packed(tj_date d)
{
    return d.y * 10000 + d.m * 100 + d.d;
}

static const span *find_builtin(int ymd)
{
    size_t lo = 0, hi = NBUILTIN;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (builtin[mid].to < ymd)
            lo = mid + 1;
        else if (builtin[mid].from > ymd)
            hi = mid;
        else
            return &builtin[mid];
    }
    return NULL;
}

/* Index of the first override with day >= `day` (the insertion point). */
static size_t lower_bound(const calendar *cal, int day)
{
    size_t lo = 0, hi = cal->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cal->items[mid].day < day)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static const calendar_override *find_override(const calendar *cal, int day)
{
    if (!cal)
        return NULL;
    size_t i = lower_bound(cal, day);
    return i < cal->count && cal->items[i].day == day ? &cal->items[i] : NULL;
}

void calendar_init(calendar *cal)
{
    cal->count = 0;
}

int calendar_set_override(calendar *cal, tj_date date, bool working, const char *note, tj_err *err)
{
    if (!date_valid(date))
        return err_set(err, 400, "validation_failed", "date", "日期无效");
    if (!note)
        note = "";
    size_t len = strnlen(note, CALENDAR_NOTE_SIZE);
    if (len >= CALENDAR_NOTE_SIZE)
        return err_set(err, 400, "validation_failed", "note", "备注过长，最多%d字节",
                       CALENDAR_NOTE_SIZE - 1);
    if (!cjk_utf8_valid(note, len))
        return err_set(err, 400, "validation_failed", "note", "备注不是有效的UTF-8编码");
    int day = date_to_days(date);
    size_t i = lower_bound(cal, day);
    bool replace = i < cal->count && cal->items[i].day == day;
    if (!replace) {
        if (cal->count >= CALENDAR_MAX_OVERRIDES)
            return err_set(err, 400, "validation_failed", "date",
                           "自定义工作日/休息日已达上限（%d条）", CALENDAR_MAX_OVERRIDES);
        memmove(&cal->items[i + 1], &cal->items[i], (cal->count - i) * sizeof cal->items[0]);
        cal->count++;
    }
    calendar_override *o = &cal->items[i];
    o->day = day;
    o->working = working;
    memcpy(o->note, note, len + 1);
    return 0;
}

bool calendar_remove_override(calendar *cal, tj_date date)
{
    if (!date_valid(date))
        return false;
    int day = date_to_days(date);
    size_t i = lower_bound(cal, day);
    if (i >= cal->count || cal->items[i].day != day)
        return false;
    memmove(&cal->items[i], &cal->items[i + 1], (cal->count - i - 1) * sizeof cal->items[0]);
    cal->count--;
    return true;
}

const char *calendar_builtin_note(tj_date date, bool *working)
{
    if (!date_valid(date))
        return NULL;
    const span *s = find_builtin(packed(date));
    if (!s)
        return NULL;
    if (working)
        *working = s->working;
    return s->name;
}

/* Working-day test on a day number, the form every loop below walks in. */
static bool working_day(const calendar *cal, int day)
{
    const calendar_override *o = find_override(cal, day);
    if (o)
        return o->working;
    const span *s = find_builtin(packed(date_from_days(day)));
    if (s)
        return s->working;
    return date_weekday_of_days(day) < 5;
}

bool calendar_is_working_day(const calendar *cal, tj_date date)
{
    return date_valid(date) && working_day(cal, date_to_days(date));
}

/* The first working day at or after `day`; -1 if none before 9999-12-31. An
 * override can mark at most CALENDAR_MAX_OVERRIDES weekdays off and the built-in
 * notices never close more than nine days in a row, so the loop is short. */
static int roll(const calendar *cal, int day, int *out, tj_err *err)
{
    int max = date_max_days();
    while (!working_day(cal, day)) {
        if (day >= max)
            return err_set(err, 400, "validation_failed", NULL, "日期超出范围");
        day++;
    }
    *out = day;
    return 0;
}

static int check_args(tj_date date, int n, tj_err *err)
{
    if (!date_valid(date))
        return err_set(err, 400, "validation_failed", "date", "日期无效");
    if (n < 0 || n > CALENDAR_MAX_SPAN)
        return err_set(err, 400, "validation_failed", "days", "天数应在0到%d之间",
                       CALENDAR_MAX_SPAN);
    return 0;
}

int calendar_add_working_days(const calendar *cal, tj_date date, int n, tj_date *out, tj_err *err)
{
    if (check_args(date, n, err))
        return -1;
    int day = date_to_days(date), max = date_max_days();
    for (int left = n; left > 0;) {
        if (day >= max)
            return err_set(err, 400, "validation_failed", NULL, "日期超出范围");
        day++;
        if (working_day(cal, day))
            left--;
    }
    *out = date_from_days(day);
    return 0;
}

int calendar_add_days_rolling(const calendar *cal, tj_date date, int n, tj_date *out, tj_err *err)
{
    if (check_args(date, n, err))
        return -1;
    int day = date_to_days(date);
    if (day > date_max_days() - n)
        return err_set(err, 400, "validation_failed", NULL, "日期超出范围");
    if (roll(cal, day + n, &day, err))
        return -1;
    *out = date_from_days(day);
    return 0;
}

int calendar_roll_forward(const calendar *cal, tj_date date, tj_date *out, tj_err *err)
{
    return calendar_add_days_rolling(cal, date, 0, out, err);
}

int calendar_next_working_day(const calendar *cal, tj_date date, tj_date *out, tj_err *err)
{
    return calendar_add_working_days(cal, date, 1, out, err);
}

int calendar_list_year(const calendar *cal, int year, calendar_day *out, size_t cap, size_t *count,
                       tj_err *err)
{
    *count = 0;
    if (year < DATE_MIN_YEAR || year > DATE_MAX_YEAR)
        return err_set(err, 400, "validation_failed", "year", "年份无效");
    int first = date_to_days((tj_date){year, 1, 1});
    int last = date_to_days((tj_date){year, 12, 31});
    size_t n = 0;
    for (int day = first; day <= last; day++) {
        tj_date d = date_from_days(day);
        const calendar_override *o = find_override(cal, day);
        const span *s = o ? NULL : find_builtin(packed(d));
        if (!o && !s)
            continue;
        if (n < cap) {
            calendar_day *e = &out[n];
            e->date = d;
            e->working = o ? o->working : s->working;
            e->overridden = o != NULL;
            /* Both sources fit: notes are bounded on entry, built-in names are short. */
            snprintf(e->note, sizeof e->note, "%s", o ? o->note : s->name);
        }
        n++;
    }
    *count = n;
    if (n > cap)
        return err_set(err, 400, "validation_failed", NULL, "列表容量不足，需要%zu条", n);
    return 0;
}
