#include "store/settings_store.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
    const char *name;
    size_t off;
    const char *label;
} members[] = {
#define M(n, l)                                                                                    \
    {                                                                                              \
#n, offsetof(deadline_settings, n), l                                                      \
    }
    M(accept_referral_days, "移送受理期限（日）"),
    M(mediation_referral_days, "移送案件调解期限（日）"),
    M(mediation_referral_max_days, "移送案件最长调解期限（日）"),
    M(mediation_other_months, "一般案件调解期限（月）"),
    M(feedback_agreed_working_days, "调解成功后反馈期限（工作日）"),
    M(feedback_terminated_working_days, "调解终止后反馈期限（工作日）"),
    M(follow_up_months, "回访期限（月）"),
    M(judicial_confirmation_days, "司法确认申请期限（日）"),
    M(due_soon_days, "即将到期提醒（日）"),
#undef M
};
#define N_MEMBERS (sizeof members / sizeof members[0])

static int *slot(deadline_settings *s, size_t i)
{
    return (int *)((char *)s + members[i].off);
}

int settings_deadlines_load(db *d, deadline_settings *s, tj_err *err)
{
    deadline_settings_default(s);
    db_stmt *st;
    if (db_query(d, &st, err, "SELECT key, value FROM settings WHERE key LIKE 'deadline.%'", "") !=
        0)
        return -1;
    int rc;
    while ((rc = db_step(st, err)) == 1) {
        const char *k = db_col_text(st, 0) + strlen("deadline.");
        for (size_t i = 0; i < N_MEMBERS; i++)
            if (strcmp(k, members[i].name) == 0)
                *slot(s, i) = atoi(db_col_text(st, 1));
    }
    db_done(st);
    return rc < 0 ? -1 : 0;
}

int settings_deadlines_save(db *d, const deadline_settings *s, tj_err *err)
{
    for (size_t i = 0; i < N_MEMBERS; i++) {
        char key[96], val[16];
        snprintf(key, sizeof key, "deadline.%s", members[i].name);
        snprintf(val, sizeof val, "%d", *slot((deadline_settings *)s, i));
        if (db_run(d, NULL, err,
                   "INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE"
                   " SET value = excluded.value",
                   "ss", key, val) != 0)
            return -1;
    }
    return 0;
}

json_t *settings_deadlines_json(const deadline_settings *s)
{
    json_t *o = json_object(), *labels = json_object();
    for (size_t i = 0; i < N_MEMBERS; i++) {
        json_object_set_new(o, members[i].name, json_integer(*slot((deadline_settings *)s, i)));
        json_object_set_new(labels, members[i].name, json_string(members[i].label));
    }
    json_object_set_new(o, "labels", labels);
    return o;
}

int settings_deadlines_from_json(json_t *obj, deadline_settings *s, tj_err *err)
{
    const char *k;
    json_t *v;
    json_object_foreach(obj, k, v)
    {
        size_t i = 0;
        while (i < N_MEMBERS && strcmp(members[i].name, k) != 0)
            i++;
        if (i == N_MEMBERS)
            return err_set(err, 400, "unknown_field", k, "未知字段：%.60s", k);
        if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > 100000)
            return err_set(err, 400, "validation_failed", k, "「%s」应为整数", members[i].label);
        *slot(s, i) = (int)json_integer_value(v);
    }
    return 0;
}
