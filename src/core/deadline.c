#include "core/deadline.h"

#include <stddef.h>
#include <string.h>

static const char *const kind_names[DEADLINE_KIND_COUNT] = {
    "accept_referral", "mediation", "feedback", "follow_up", "judicial_confirmation",
};

static const char *const kind_labels[DEADLINE_KIND_COUNT] = {
    "移送受理期限", "调解期限", "反馈期限", "回访期限", "司法确认申请期限",
};

static const char *const state_names[DEADLINE_STATE_COUNT] = {
    "open",
    "due_soon",
    "due_today",
    "overdue",
};

static const char *const state_labels[DEADLINE_STATE_COUNT] = {
    "未到期",
    "即将到期",
    "今日到期",
    "已逾期",
};

static const deadline_settings defaults = {
    .accept_referral_days = 3,
    .mediation_referral_days = 15,
    .mediation_referral_max_days = 30,
    .mediation_other_months = 1,
    .feedback_agreed_working_days = 5,
    .feedback_terminated_working_days = 3,
    .follow_up_months = 1,
    .judicial_confirmation_days = 30,
    .due_soon_days = 3,
};

const char *deadline_kind_name(deadline_kind k)
{
    return (unsigned)k < DEADLINE_KIND_COUNT ? kind_names[k] : NULL;
}

const char *deadline_kind_label(deadline_kind k)
{
    return (unsigned)k < DEADLINE_KIND_COUNT ? kind_labels[k] : NULL;
}

int deadline_kind_parse(const char *s, deadline_kind *out, const char *field, tj_err *err)
{
    for (int k = 0; s && k < DEADLINE_KIND_COUNT; k++) {
        if (strcmp(s, kind_names[k]) == 0) {
            *out = (deadline_kind)k;
            return 0;
        }
    }
    return err_set(err, 400, "validation_failed", field, "未知的期限类型");
}

const char *deadline_state_name(deadline_state st)
{
    return (unsigned)st < DEADLINE_STATE_COUNT ? state_names[st] : NULL;
}

const char *deadline_state_label(deadline_state st)
{
    return (unsigned)st < DEADLINE_STATE_COUNT ? state_labels[st] : NULL;
}

void deadline_settings_default(deadline_settings *s)
{
    *s = defaults;
}

static int in_range(int v, int lo, int hi, const char *field, const char *what, tj_err *err)
{
    if (v < lo || v > hi)
        return err_set(err, 400, "validation_failed", field, "%s应在%d到%d之间", what, lo, hi);
    return 0;
}

int deadline_settings_validate(const deadline_settings *s, tj_err *err)
{
    if (in_range(s->accept_referral_days, 1, 365, "accept_referral_days", "移送受理期限天数",
                 err) ||
        in_range(s->mediation_referral_days, 1, 365, "mediation_referral_days",
                 "移送案件调解期限天数", err) ||
        in_range(s->mediation_referral_max_days, 1, 365, "mediation_referral_max_days",
                 "移送案件调解最长天数", err) ||
        in_range(s->mediation_other_months, 1, 12, "mediation_other_months", "其他案件调解期限月数",
                 err) ||
        in_range(s->feedback_agreed_working_days, 1, 60, "feedback_agreed_working_days",
                 "调解成功后反馈工作日数", err) ||
        in_range(s->feedback_terminated_working_days, 1, 60, "feedback_terminated_working_days",
                 "调解终止后反馈工作日数", err) ||
        in_range(s->follow_up_months, 1, 12, "follow_up_months", "回访期限月数", err) ||
        in_range(s->judicial_confirmation_days, 1, 365, "judicial_confirmation_days",
                 "司法确认申请期限天数", err) ||
        in_range(s->due_soon_days, 0, 30, "due_soon_days", "即将到期提醒天数", err))
        return -1;
    if (s->mediation_referral_max_days < s->mediation_referral_days)
        return err_set(err, 400, "validation_failed", "mediation_referral_max_days",
                       "移送案件调解最长天数不能少于调解期限天数");
    return 0;
}

static const deadline_settings *settings(const deadline_settings *s)
{
    return s ? s : &defaults;
}

/* A month period ends on the same day number (clamped to the month's end), then
 * rolls off a day off like any other period. */
static int add_months_rolling(const calendar *cal, tj_date from, int months, tj_date *due,
                              tj_err *err)
{
    tj_date end;
    if (!date_valid(from))
        return err_set(err, 400, "validation_failed", "date", "日期无效");
    if (date_add_months(from, months, &end, err))
        return -1;
    return calendar_roll_forward(cal, end, due, err);
}

int deadline_accept_referral(const calendar *cal, const deadline_settings *s, tj_date received_on,
                             tj_date *due, tj_err *err)
{
    return calendar_add_days_rolling(cal, received_on, settings(s)->accept_referral_days, due, err);
}

int deadline_mediation(const calendar *cal, const deadline_settings *s, bool is_referral,
                       tj_date accepted_on, tj_date *due, tj_err *err)
{
    s = settings(s);
    if (is_referral)
        return calendar_add_days_rolling(cal, accepted_on, s->mediation_referral_days, due, err);
    return add_months_rolling(cal, accepted_on, s->mediation_other_months, due, err);
}

int deadline_feedback(const calendar *cal, const deadline_settings *s, bool agreed,
                      tj_date ended_on, tj_date *due, tj_err *err)
{
    s = settings(s);
    int n = agreed ? s->feedback_agreed_working_days : s->feedback_terminated_working_days;
    return calendar_add_working_days(cal, ended_on, n, due, err);
}

int deadline_follow_up(const calendar *cal, const deadline_settings *s, tj_date closed_on,
                       tj_date *due, tj_err *err)
{
    return add_months_rolling(cal, closed_on, settings(s)->follow_up_months, due, err);
}

int deadline_judicial_confirmation(const calendar *cal, const deadline_settings *s,
                                   tj_date effective_on, tj_date *due, tj_err *err)
{
    return calendar_add_days_rolling(cal, effective_on, settings(s)->judicial_confirmation_days,
                                     due, err);
}

int deadline_extend_mediation(const calendar *cal, const deadline_settings *s, bool is_referral,
                              tj_date accepted_on, tj_date current_due, tj_date requested_due,
                              bool has_reason, bool parties_consent, tj_date *out, tj_err *err)
{
    s = settings(s);
    if (!date_valid(accepted_on) || !date_valid(current_due) || !date_valid(requested_due))
        return err_set(err, 400, "validation_failed", "due_on", "日期无效");
    if (date_compare(current_due, accepted_on) < 0)
        return err_set(err, 400, "validation_failed", "due_on", "当前调解期限早于受理日期");
    if (date_compare(requested_due, current_due) <= 0)
        return err_set(err, 400, "validation_failed", "due_on", "延长后的期限应晚于当前期限");
    if (is_referral) {
        if (!has_reason)
            return err_set(err, 400, "validation_failed", "reason",
                           "移送案件延长调解期限须说明理由");
    } else if (!parties_consent) {
        return err_set(err, 400, "validation_failed", "parties_consent",
                       "延长调解期限须经双方当事人同意并记录在案");
    }
    tj_date due;
    if (calendar_roll_forward(cal, requested_due, &due, err))
        return -1;
    if (is_referral) {
        tj_date limit;
        if (calendar_add_days_rolling(cal, accepted_on, s->mediation_referral_max_days, &limit,
                                      err))
            return -1;
        if (date_compare(due, limit) > 0) {
            char buf[DATE_STR_SIZE];
            date_format(limit, buf);
            return err_set(err, 400, "validation_failed", "due_on",
                           "移送案件调解期限自受理之日起最长%d日，最迟为%s",
                           s->mediation_referral_max_days, buf);
        }
    }
    *out = due;
    return 0;
}

deadline_state deadline_status(const deadline_settings *s, tj_date due, tj_date today)
{
    int left = date_days_between(today, due);
    if (left < 0)
        return DEADLINE_STATE_OVERDUE;
    if (left == 0)
        return DEADLINE_STATE_DUE_TODAY;
    if (left <= settings(s)->due_soon_days)
        return DEADLINE_STATE_DUE_SOON;
    return DEADLINE_STATE_OPEN;
}
