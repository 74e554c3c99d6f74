#include "store/case_store.h"
#include "app/crypto.h"
#include "core/case_no.h"
#include "core/cjk.h"
#include "core/deadline.h"
#include "core/dict.h"
#include "core/idcheck.h"
#include "store/org_store.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/xmalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COPY(dst, src) snprintf((dst), sizeof(dst), "%s", (src))

/* Visibility of a case row `c` (5 parameters, see scope_args). */
#define CASE_VISIBLE                                                                               \
    "((c.org_path >= ? AND c.org_path < ?) OR (c.registered_org_path >= ? AND"                     \
    " c.registered_org_path < ?) OR c.referrer_org_id = ?)"

static int scope_args(const principal *who, db_arg *a, char *hi, size_t hicap)
{
    scope_upper(who->org_path, hi, hicap);
    a[0] = (db_arg){'s', 0, who->org_path};
    a[1] = (db_arg){'s', 0, hi};
    a[2] = (db_arg){'s', 0, who->org_path};
    a[3] = (db_arg){'s', 0, hi};
    a[4] = (db_arg){'i', perm_partner_side(who->role) ? who->org_id : -1, NULL};
    return 5;
}

/* The set of case ids visible to who, as a subquery with one column "id" (5
 * parameters, see scope_args); the root org sees every case and needs none. Lists and the
 * to-do list start from this set: a township sees a few hundred of a province's million
 * cases, and walking a status or date index over all of them and testing each row's
 * scope is what made lists slow at scale (docs/performance.md). */
#define CASE_VISIBLE_SET                                                                           \
    "(SELECT id FROM cases WHERE org_path >= ? AND org_path < ? UNION"                             \
    " SELECT id FROM cases WHERE registered_org_path >= ? AND registered_org_path < ? UNION"       \
    " SELECT id FROM cases WHERE referrer_org_id = ?)"

/* The same for callers that are not partners (nobody refers to them): two disjoint
 * arms, so no de-duplication, each answered from its index alone (cases_reg_org
 * holds org_path). 6 parameters: the caller's range three times. */
#define CASE_VISIBLE_SET_ORGS                                                                      \
    "(SELECT id FROM cases WHERE org_path >= ? AND org_path < ? UNION ALL"                         \
    " SELECT id FROM cases WHERE registered_org_path >= ? AND registered_org_path < ?"             \
    " AND NOT (org_path >= ? AND org_path < ?))"

/* The visible set for who as a FROM source and its arguments; returns their number. */
static int visible_set(const principal *who, const char **sql, db_arg *a, char *hi, size_t hicap)
{
    int n = scope_args(who, a, hi, hicap);
    if (perm_partner_side(who->role)) {
        *sql = CASE_VISIBLE_SET;
        return n;
    }
    *sql = CASE_VISIBLE_SET_ORGS;
    a[4] = a[0];
    a[5] = a[1];
    return 6;
}

static void fmt_date(tj_date t, char out[DATE_STR_SIZE])
{
    date_format(t, out);
}

static const char *jstr(json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    return json_is_string(v) && *json_string_value(v) ? json_string_value(v) : NULL;
}

static int64_t jint(json_t *o, const char *k, int64_t def)
{
    json_t *v = json_object_get(o, k);
    return json_is_integer(v) ? (int64_t)json_integer_value(v) : def;
}

int case_get(db *d, const principal *who, int64_t id, case_row *c, tj_err *err)
{
    db_arg a[6];
    char hi[256];
    a[0] = (db_arg){'i', id, NULL};
    int n = 1 + scope_args(who, a + 1, hi, sizeof hi);
    db_stmt *s;
    if (db_query_args(
            d, &s, err,
            "SELECT c.id, c.org_id, c.registered_org_id, COALESCE(c.lead_mediator_id, 0),"
            " COALESCE(c.referrer_org_id, 0), c.status, c.case_no, c.title, c.org_path,"
            " o.name, o.level, o.kind, c.dispute_type, c.source,"
            " COALESCE(c.accepted_on, ''), COALESCE(c.due_on, ''), c.is_referral"
            " FROM cases c JOIN orgs o ON o.id = c.org_id WHERE c.id = ? AND " CASE_VISIBLE,
            a, n) != 0)
        return -1;
    int rc = db_step(s, err);
    if (rc == 1) {
        memset(c, 0, sizeof *c);
        c->id = db_col_int(s, 0);
        c->org_id = db_col_int(s, 1);
        c->registered_org_id = db_col_int(s, 2);
        c->lead_mediator_id = db_col_int(s, 3);
        c->referrer_org_id = db_col_int(s, 4);
        case_flow_state st;
        if (case_flow_state_parse(db_col_text(s, 5), &st, NULL, NULL) != 0)
            st = CASE_FLOW_STATE_ARCHIVED;
        c->state = st;
        COPY(c->case_no, db_col_text(s, 6));
        COPY(c->title, db_col_text(s, 7));
        COPY(c->org_path, db_col_text(s, 8));
        COPY(c->org_name, db_col_text(s, 9));
        COPY(c->org_level, db_col_text(s, 10));
        COPY(c->org_kind, db_col_text(s, 11));
        COPY(c->dispute_type, db_col_text(s, 12));
        COPY(c->source, db_col_text(s, 13));
        COPY(c->accepted_on, db_col_text(s, 14));
        COPY(c->due_on, db_col_text(s, 15));
        c->is_referral = db_col_int(s, 16) != 0;
    }
    db_done(s);
    if (rc < 0)
        return -1;
    if (rc == 0)
        return err_set(err, 404, "not_found", NULL, "案件不存在");
    return 0;
}

/* ---- timeline and deadlines ---- */

static int add_event(db *d, const principal *who, int64_t case_id, const char *event,
                     const char *from, const char *to, int64_t org_id, const char *summary,
                     json_t *detail, tj_err *err)
{
    char now[21];
    clock_iso(clock_unix(), now);
    /* detail is stolen, like audit_write's */
    char *dj = detail ? json_dumps(detail, JSON_COMPACT) : NULL;
    json_decref(detail);
    int rc = db_run(d, NULL, err,
                    "INSERT INTO case_events(case_id, event, state_from, state_to, at, actor_id,"
                    " actor_name, org_id, summary, detail) VALUES (?,?,?,?,?,?,?,?,?,?)",
                    "issssIsiss", case_id, event, from, to, now, who->user_id, who->name, org_id,
                    summary, dj);
    free(dj);
    return rc;
}

static int deadline_start(db *d, int64_t case_id, deadline_kind k, tj_date start, tj_date due,
                          tj_err *err)
{
    char s1[DATE_STR_SIZE], s2[DATE_STR_SIZE];
    fmt_date(start, s1);
    fmt_date(due, s2);
    return db_run(d, NULL, err,
                  "INSERT INTO case_deadlines(case_id, kind, started_on, due_on, stopped_on)"
                  " VALUES (?,?,?,?,NULL) ON CONFLICT (case_id, kind) DO UPDATE SET"
                  " started_on = excluded.started_on, due_on = excluded.due_on, stopped_on = NULL",
                  "isss", case_id, deadline_kind_name(k), s1, s2);
}

static int deadlines_stop(db *d, int64_t case_id, unsigned flags, tj_date today, tj_err *err)
{
    char t[DATE_STR_SIZE];
    fmt_date(today, t);
    for (int k = 0; k < DEADLINE_KIND_COUNT; k++)
        if ((flags & DEADLINE_FLAG(k)) &&
            db_run(d, NULL, err,
                   "UPDATE case_deadlines SET stopped_on = ? WHERE case_id = ? AND kind = ?"
                   " AND stopped_on IS NULL",
                   "sis", t, case_id, deadline_kind_name((deadline_kind)k)) != 0)
            return -1;
    return 0;
}

/* ---- search index ---- */

int case_reindex(db *d, int64_t case_id, tj_err *err)
{
    buf text;
    buf_init(&text, 4u << 20);
    db_stmt *s;
    int rc = -1;
    if (db_query(
            d, &s, err,
            "SELECT case_no, title, facts, claims, COALESCE(place, '') FROM cases WHERE id = ?",
            "i", case_id) != 0)
        goto done;
    if (db_step(s, err) == 1)
        for (int i = 0; i < 5; i++) {
            buf_puts(&text, db_col_text(s, i));
            buf_puts(&text, "\n");
        }
    db_done(s);
    if (db_query(d, &s, err,
                 "SELECT name, COALESCE(agent_name, ''), COALESCE(address, '') FROM case_parties"
                 " WHERE case_id = ?",
                 "i", case_id) != 0)
        goto done;
    while (db_step(s, err) == 1)
        for (int i = 0; i < 3; i++) {
            buf_puts(&text, db_col_text(s, i));
            buf_puts(&text, "\n");
        }
    db_done(s);
    if (db_query(d, &s, err, "SELECT content FROM case_records WHERE case_id = ?", "i", case_id) !=
        0)
        goto done;
    while (db_step(s, err) == 1) {
        buf_puts(&text, db_col_text(s, 0));
        buf_puts(&text, "\n");
    }
    db_done(s);
    size_t cap = cjk_tokenize_bound(text.len);
    char *tokens = xmalloc(cap);
    if (cjk_tokenize(text.data ? text.data : "", tokens, cap, err) != 0) {
        free(tokens);
        goto done;
    }
    rc = db_run(d, NULL, err,
                "INSERT INTO case_search(case_id, tokens, scope) SELECT ?, ?, " CASE_SCOPE_SQL(
                    "c") " FROM cases c WHERE c.id = ? ON CONFLICT (case_id) DO UPDATE SET"
                         " tokens = excluded.tokens, scope = excluded.scope",
                "isi", case_id, tokens, case_id);
    free(tokens);
done:
    buf_free(&text);
    return rc;
}

/* ---- registration ---- */

static bool mediation_org_kind(const char *kind)
{
    return strcmp(kind, "committee") == 0 || strcmp(kind, "dispatched_room") == 0 ||
           strcmp(kind, "studio") == 0 || strcmp(kind, "judicial_office") == 0;
}

static int insert_party(db *d, int64_t case_id, int pos, json_t *p, tj_date today, tj_err *err)
{
    char field[64];
    const char *kind = jstr(p, "kind") ? jstr(p, "kind") : "person";
    const char *idn = jstr(p, "id_number");
    char masked[32] = "", index[CRYPTO_HASH_HEX] = "";
    char *sealed = NULL;
    char birth[DATE_STR_SIZE] = "";
    const char *sex = jstr(p, "sex");
    if (idn) {
        snprintf(field, sizeof field, "parties[%d].id_number", pos);
        if (strcmp(kind, "person") != 0)
            return err_set(err, 400, "validation_failed", field, "只有自然人填写身份证号");
        idcheck_id_info info;
        if (idcheck_id_number(idn, today, &info, err) != 0) {
            snprintf(err->field, sizeof err->field, "%s", field);
            return -1;
        }
        idcheck_mask_id(info.id_number, masked, sizeof masked);
        crypto_blind_index(info.id_number, index);
        sealed = crypto_seal(info.id_number);
        fmt_date(info.birth, birth);
        if (!sex)
            sex = info.sex == IDCHECK_MALE ? "male" : "female";
    }
    char credit[IDCHECK_CREDIT_CODE_SIZE] = "";
    if (jstr(p, "credit_code")) {
        snprintf(field, sizeof field, "parties[%d].credit_code", pos);
        if (strcmp(kind, "person") == 0) {
            free(sealed);
            return err_set(err, 400, "validation_failed", field, "自然人无需填写统一社会信用代码");
        }
        if (idcheck_credit_code(jstr(p, "credit_code"), credit, err) != 0) {
            free(sealed);
            snprintf(err->field, sizeof err->field, "%s", field);
            return -1;
        }
    }
    const char *phones[] = {"phone", "agent_phone"};
    for (int i = 0; i < 2; i++)
        if (jstr(p, phones[i]) && idcheck_phone(jstr(p, phones[i]), err) != 0) {
            free(sealed);
            snprintf(err->field, sizeof err->field, "parties[%d].%s", pos, phones[i]);
            return -1;
        }
    int rc = db_run(d, NULL, err,
                    "INSERT INTO case_parties(case_id, position, role, kind, name, sex, ethnicity,"
                    " birth_date, occupation, id_cipher, id_masked, id_index, credit_code,"
                    " legal_rep, phone, address, agent_name, agent_phone, agent_relation)"
                    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    "iisssssssssssssssss", case_id, (int64_t)pos, jstr(p, "role"), kind,
                    jstr(p, "name"), sex, jstr(p, "ethnicity"),
                    birth[0] ? birth : jstr(p, "birth_date"), jstr(p, "occupation"), sealed,
                    masked[0] ? masked : NULL, index[0] ? index : NULL, credit[0] ? credit : NULL,
                    jstr(p, "legal_rep"), jstr(p, "phone"), jstr(p, "address"),
                    jstr(p, "agent_name"), jstr(p, "agent_phone"), jstr(p, "agent_relation"));
    free(sealed);
    return rc;
}

int case_register(db *d, const principal *who, json_t *body, tj_date today, int64_t *id,
                  tj_err *err)
{
    int64_t org_id = jint(body, "org_id", who->org_id);
    org_row org;
    bool found;
    if (org_get_row(d, org_id, &org, &found, err) != 0)
        return -1;
    if (!found || !scope_contains(who, org.path))
        return err_set(err, 400, "validation_failed", "org_id",
                       "受理机构不存在或不在您的管辖范围内");
    if (!mediation_org_kind(org.kind))
        return err_set(err, 400, "validation_failed", "org_id",
                       "受理机构应为人民调解委员会、派驻调解室、调解工作室或司法所");
    if (org.dissolved)
        return err_set(err, 409, "conflict", "org_id", "该机构已撤销，不能登记案件");
    json_t *parties = json_object_get(body, "parties");
    int applicants = 0, respondents = 0;
    for (size_t i = 0; i < json_array_size(parties); i++) {
        const char *role = jstr(json_array_get(parties, i), "role");
        applicants += role && strcmp(role, "applicant") == 0;
        respondents += role && strcmp(role, "respondent") == 0;
    }
    if (!applicants || !respondents)
        return err_set(err, 400, "validation_failed", "parties",
                       "当事人中至少应有一名申请人和一名被申请人");
    const char *occurred = jstr(body, "occurred_on");
    if (occurred) {
        tj_date od;
        if (date_parse(occurred, &od, "occurred_on", err) != 0)
            return -1;
        if (date_compare(od, today) > 0)
            return err_set(err, 400, "validation_failed", "occurred_on",
                           "纠纷发生日期不能晚于今天");
    }
    int64_t no;
    if (db_scalar_int(d, &no, NULL, err,
                      "INSERT INTO case_numbers(org_id, year, last_no) VALUES (?, ?, 1)"
                      " ON CONFLICT (org_id, year) DO UPDATE SET last_no = case_numbers.last_no + 1"
                      " RETURNING last_no",
                      "ii", org.id, (int64_t)today.y) != 0)
        return -1;
    char case_no[160];
    if (case_no_format(org.name, today.y, no, case_no, sizeof case_no, err) != 0)
        return -1;
    /* party names for lists: applicants first, then the others */
    buf names;
    buf_init(&names, 4096);
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < json_array_size(parties); i++) {
            json_t *p = json_array_get(parties, i);
            bool app = strcmp(jstr(p, "role"), "applicant") == 0;
            if (app != (pass == 0))
                continue;
            if (names.len)
                buf_puts(&names, "、");
            buf_puts(&names, jstr(p, "name"));
        }
    char now[21], t[DATE_STR_SIZE];
    clock_iso(clock_unix(), now);
    fmt_date(today, t);
    json_t *flags = json_object_get(body, "flags");
    int64_t fl[4] = {0};
    static const char *const flag_names[] = {"mass", "military", "petition", "litigation"};
    for (size_t i = 0; i < json_array_size(flags); i++)
        for (int k = 0; k < 4; k++)
            if (strcmp(json_string_value(json_array_get(flags, i)), flag_names[k]) == 0)
                fl[k] = 1;
    const char *source = jstr(body, "source");
    int rc = db_scalar_int(
        d, id, NULL, err,
        "INSERT INTO cases(case_no, title, party_names, org_id, org_path, registered_org_id,"
        " registered_org_path, status, source, dispute_type, flag_mass, flag_military,"
        " flag_petition, flag_litigation, facts, claims, amount, people_involved, place,"
        " occurred_on, registered_on, is_referral, created_by, created_at, updated_at)"
        " VALUES (?,?,?,?,?,?,?,'registered',?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
        "sssisisssiiiissiisssiIss", case_no, jstr(body, "title"), names.data ? names.data : "",
        org.id, org.path, org.id, org.path, source, jstr(body, "dispute_type"), fl[0], fl[1], fl[2],
        fl[3], jstr(body, "facts"), jstr(body, "claims") ? jstr(body, "claims") : "",
        jint(body, "amount", 0), jint(body, "people_involved", 2), jstr(body, "place"), occurred, t,
        (int64_t)(strcmp(source, "referral") == 0), who->user_id, now, now);
    buf_free(&names);
    if (rc != 0)
        return -1;
    for (size_t i = 0; i < json_array_size(parties); i++)
        if (insert_party(d, *id, (int)i, json_array_get(parties, i), today, err) != 0)
            return -1;
    char summary[512];
    snprintf(summary, sizeof summary, "登记案件 %s（来源：%s）", case_no,
             dict_label("source", source) ? dict_label("source", source) : source);
    if (add_event(d, who, *id, "register", NULL, "registered", org.id, summary, NULL, err) != 0)
        return -1;
    return case_reindex(d, *id, err);
}

/* ---- lifecycle events ---- */

static int parse_date_field(json_t *body, const char *k, tj_date def, tj_date *out, tj_err *err)
{
    const char *s = jstr(body, k);
    if (!s) {
        *out = def;
        return 0;
    }
    return date_parse(s, out, k, err);
}

/* A date a person reports having happened: not in the future. */
static int past_date(json_t *body, const char *k, tj_date today, tj_date *out, tj_err *err)
{
    if (parse_date_field(body, k, today, out, err) != 0)
        return -1;
    if (date_compare(*out, today) > 0)
        return err_set(err, 400, "validation_failed", k, "日期不能晚于今天");
    return 0;
}

static int person_is_mediator_in_scope(db *d, const principal *who, int64_t pid, char *name,
                                       size_t cap, const char *field, tj_err *err)
{
    char hi[256];
    scope_upper(who->org_path, hi, sizeof hi);
    db_stmt *s;
    if (db_query(d, &s, err,
                 "SELECT p.name FROM persons p WHERE p.id = ? AND p.kind = 'mediator'"
                 " AND p.active = 1 AND EXISTS (SELECT 1 FROM person_orgs po JOIN orgs o"
                 " ON o.id = po.org_id WHERE po.person_id = p.id AND o.path >= ? AND o.path < ?)",
                 "iss", pid, who->org_path, hi) != 0)
        return -1;
    int rc = db_step(s, err);
    if (rc == 1)
        snprintf(name, cap, "%s", db_col_text(s, 0));
    db_done(s);
    if (rc < 0)
        return -1;
    if (rc == 0)
        return err_set(err, 400, "validation_failed", field, "调解员不存在或不在您的管辖范围内");
    return 0;
}

static int ev_assign(db *d, const principal *who, case_row *c, json_t *b, char *sum, size_t cap,
                     tj_err *err)
{
    int64_t lead = jint(b, "mediator_id", 0);
    json_t *co = json_object_get(b, "co_mediator_ids");
    char name[128];
    if (person_is_mediator_in_scope(d, who, lead, name, sizeof name, "mediator_id", err) != 0)
        return -1;
    if (db_run(d, NULL, err, "DELETE FROM case_mediators WHERE case_id = ?", "i", c->id) != 0 ||
        db_run(d, NULL, err, "INSERT INTO case_mediators(case_id, person_id, lead) VALUES (?,?,1)",
               "ii", c->id, lead) != 0 ||
        db_run(d, NULL, err, "UPDATE cases SET lead_mediator_id = ? WHERE id = ?", "ii", lead,
               c->id) != 0)
        return -1;
    int w = snprintf(sum, cap, "指派调解员：%s（主调）", name);
    for (size_t i = 0; i < json_array_size(co); i++) {
        int64_t pid = (int64_t)json_integer_value(json_array_get(co, i));
        char field[48];
        snprintf(field, sizeof field, "co_mediator_ids[%zu]", i);
        if (pid == lead)
            return err_set(err, 400, "validation_failed", field, "主调解员不能同时列为协助调解员");
        if (person_is_mediator_in_scope(d, who, pid, name, sizeof name, field, err) != 0)
            return -1;
        if (db_run(d, NULL, err,
                   "INSERT INTO case_mediators(case_id, person_id, lead) VALUES (?,?,0)", "ii",
                   c->id, pid) != 0)
            return -1;
        if (w > 0 && (size_t)w < cap)
            w += snprintf(sum + w, cap - (size_t)w, "、%s", name);
    }
    c->lead_mediator_id = lead;
    return 0;
}

static const char *level_of(const char *org_level)
{
    if (strcmp(org_level, "village") == 0 || strcmp(org_level, "community") == 0)
        return "village";
    if (strcmp(org_level, "township") == 0 || strcmp(org_level, "street") == 0)
        return "township";
    return "county";
}

int case_apply(db *d, const principal *who, case_row *c, case_flow_event ev, json_t *b,
               const calendar *cal, const deadline_settings *ds, tj_date today, char *sum,
               size_t cap, tj_err *err)
{
    case_flow_state next;
    if (case_flow_next(c->state, ev, &next, err) != 0)
        return -1;
    char t[DATE_STR_SIZE], d1[DATE_STR_SIZE], d2[DATE_STR_SIZE];
    fmt_date(today, t);
    tj_date x, due;
    int64_t event_org = c->org_id;
    sum[0] = 0;
    switch (ev) {
    case CASE_FLOW_EVENT_ACCEPT:
        if (past_date(b, "accepted_on", today, &x, err) != 0 ||
            deadline_mediation(cal, ds, c->is_referral, x, &due, err) != 0)
            return -1;
        fmt_date(x, d1);
        fmt_date(due, d2);
        if (db_run(d, NULL, err, "UPDATE cases SET accepted_on = ?, due_on = ? WHERE id = ?", "ssi",
                   d1, d2, c->id) != 0 ||
            deadline_start(d, c->id, DEADLINE_MEDIATION, x, due, err) != 0)
            return -1;
        snprintf(sum, cap, "受理案件，调解期限至 %s", d2);
        break;
    case CASE_FLOW_EVENT_REFUSE:
        if (db_run(d, NULL, err, "UPDATE cases SET refuse_reason = ? WHERE id = ?", "si",
                   jstr(b, "reason"), c->id) != 0)
            return -1;
        snprintf(sum, cap, "不予受理：%s", jstr(b, "reason"));
        break;
    case CASE_FLOW_EVENT_WITHDRAW:
        if (db_run(d, NULL, err, "UPDATE cases SET withdraw_reason = ? WHERE id = ?", "si",
                   jstr(b, "reason"), c->id) != 0)
            return -1;
        snprintf(sum, cap, "当事人撤回：%s", jstr(b, "reason"));
        break;
    case CASE_FLOW_EVENT_ASSIGN:
        if (ev_assign(d, who, c, b, sum, cap, err) != 0)
            return -1;
        break;
    case CASE_FLOW_EVENT_RECORD_SESSION: {
        const char *kind = jstr(b, "kind") ? jstr(b, "kind") : "session";
        char now[21];
        clock_iso(clock_unix(), now);
        if (past_date(b, "held_on", today, &x, err) != 0)
            return -1;
        fmt_date(x, d1);
        if (db_run(d, NULL, err,
                   "INSERT INTO case_records(case_id, kind, held_on, place, participants, content,"
                   " created_by, created_at) VALUES (?,?,?,?,?,?,?,?)",
                   "isssssIs", c->id, kind, d1, jstr(b, "place"), jstr(b, "participants"),
                   jstr(b, "content"), who->user_id, now) != 0)
            return -1;
        snprintf(sum, cap, "%s：%s%s%s", strcmp(kind, "investigation") == 0 ? "调查" : "调解", d1,
                 jstr(b, "place") ? " 于" : "", jstr(b, "place") ? jstr(b, "place") : "");
        break;
    }
    case CASE_FLOW_EVENT_EXTEND: {
        tj_date acc, cur, req, out;
        if (!c->accepted_on[0] || !c->due_on[0])
            return err_set(err, 409, "conflict", NULL, "案件尚未受理，没有调解期限");
        if (date_parse(c->accepted_on, &acc, NULL, err) != 0 ||
            date_parse(c->due_on, &cur, NULL, err) != 0 ||
            date_parse(jstr(b, "due_on"), &req, "due_on", err) != 0)
            return -1;
        json_t *consent = json_object_get(b, "parties_consent");
        if (deadline_extend_mediation(cal, ds, c->is_referral, acc, cur, req,
                                      jstr(b, "reason") != NULL, json_is_true(consent), &out,
                                      err) != 0)
            return -1;
        fmt_date(out, d2);
        if (db_run(d, NULL, err, "UPDATE cases SET due_on = ?, extension_reason = ? WHERE id = ?",
                   "ssi", d2, jstr(b, "reason"), c->id) != 0 ||
            deadline_start(d, c->id, DEADLINE_MEDIATION, acc, out, err) != 0)
            return -1;
        snprintf(sum, cap, "延长调解期限至 %s：%s%s", d2, jstr(b, "reason"),
                 json_is_true(consent) ? "（双方当事人同意）" : "");
        break;
    }
    case CASE_FLOW_EVENT_AGREE: {
        const char *form = jstr(b, "form");
        bool written = strcmp(form, "written") == 0;
        bool pay = json_is_true(json_object_get(b, "has_payment"));
        int64_t amount = jint(b, "amount", 0);
        if (pay && amount <= 0)
            return err_set(err, 400, "validation_failed", "amount",
                           "有给付内容的协议应填写给付金额");
        if (!pay && amount)
            return err_set(err, 400, "validation_failed", "amount", "无给付内容的协议不应填写金额");
        const char *pdue = jstr(b, "performance_due");
        if (pdue && date_parse(pdue, &x, "performance_due", err) != 0)
            return -1;
        if (past_date(b, "effective_on", today, &x, err) != 0)
            return -1;
        fmt_date(x, d1);
        if (db_run(d, NULL, err,
                   "INSERT INTO case_agreements(case_id, form, terms, has_payment, amount,"
                   " performance_due, effective_on) VALUES (?,?,?,?,?,?,?)",
                   "issiiss", c->id, form, jstr(b, "terms"), (int64_t)pay, amount, pdue, d1) != 0 ||
            db_run(d, NULL, err, "UPDATE cases SET agreed_on = ?, resolved_level = ? WHERE id = ?",
                   "ssi", t, level_of(c->org_level), c->id) != 0)
            return -1;
        if (c->is_referral) {
            if (deadline_feedback(cal, ds, true, today, &due, err) != 0 ||
                deadline_start(d, c->id, DEADLINE_FEEDBACK, today, due, err) != 0)
                return -1;
        }
        if (written) {
            if (deadline_judicial_confirmation(cal, ds, x, &due, err) != 0 ||
                deadline_start(d, c->id, DEADLINE_JUDICIAL_CONFIRMATION, x, due, err) != 0)
                return -1;
        }
        snprintf(sum, cap, "达成%s%s", written ? "书面调解协议" : "口头协议",
                 pay ? "（有给付内容）" : "");
        break;
    }
    case CASE_FLOW_EVENT_TERMINATE:
        if (db_run(d, NULL, err,
                   "INSERT INTO case_terminations(case_id, reason_code, reason_text, guidance)"
                   " VALUES (?,?,?,?)",
                   "isss", c->id, jstr(b, "reason_code"), jstr(b, "reason_text"),
                   jstr(b, "guidance")) != 0 ||
            db_run(d, NULL, err, "UPDATE cases SET terminated_on = ? WHERE id = ?", "si", t,
                   c->id) != 0)
            return -1;
        if (c->is_referral && (deadline_feedback(cal, ds, false, today, &due, err) != 0 ||
                               deadline_start(d, c->id, DEADLINE_FEEDBACK, today, due, err) != 0))
            return -1;
        snprintf(sum, cap, "终止调解：%s；已告知当事人%s",
                 dict_label("termination_reason", jstr(b, "reason_code")),
                 dict_label("guidance", jstr(b, "guidance")));
        break;
    case CASE_FLOW_EVENT_ESCALATE: {
        org_row target;
        bool found;
        int64_t to = jint(b, "org_id", 0);
        if (org_get_row(d, to, &target, &found, err) != 0)
            return -1;
        size_t tl = strlen(target.path);
        if (!found || target.id == c->org_id || strncmp(c->org_path, target.path, tl) != 0)
            return err_set(err, 400, "validation_failed", "org_id",
                           "只能上报至本案受理机构的上级机构");
        if (!mediation_org_kind(target.kind) && strcmp(target.kind, "bureau") != 0)
            return err_set(err, 400, "validation_failed", "org_id",
                           "上报对象应为调解组织、司法所或司法局");
        if (target.dissolved)
            return err_set(err, 409, "conflict", "org_id", "上报对象已撤销");
        if (db_run(d, NULL, err, "UPDATE cases SET org_id = ?, org_path = ? WHERE id = ?", "isi",
                   target.id, target.path, c->id) != 0)
            return -1;
        snprintf(sum, cap, "上报至%s：%s", target.name, jstr(b, "reason"));
        event_org = target.id;
        c->org_id = target.id;
        snprintf(c->org_path, sizeof c->org_path, "%s", target.path);
        break;
    }
    case CASE_FLOW_EVENT_APPLY_CONFIRMATION: {
        char form[16] = "";
        db_stmt *s;
        if (db_query(d, &s, err, "SELECT form FROM case_agreements WHERE case_id = ?", "i",
                     c->id) != 0)
            return -1;
        if (db_step(s, err) == 1)
            snprintf(form, sizeof form, "%s", db_col_text(s, 0));
        db_done(s);
        if (strcmp(form, "written") != 0)
            return err_set(err, 409, "conflict", NULL,
                           "口头协议不能申请司法确认，请先制作书面调解协议");
        if (past_date(b, "applied_on", today, &x, err) != 0)
            return -1;
        fmt_date(x, d1);
        if (db_run(d, NULL, err,
                   "UPDATE case_agreements SET confirmation_court = ?, confirmation_applied_on = ?,"
                   " confirmation_result = NULL, confirmation_decided_on = NULL WHERE case_id = ?",
                   "ssi", jstr(b, "court"), d1, c->id) != 0)
            return -1;
        snprintf(sum, cap, "当事人于 %s 向%s申请司法确认", d1, jstr(b, "court"));
        break;
    }
    case CASE_FLOW_EVENT_RECORD_CONFIRMATION: {
        int64_t applied = 0;
        if (db_scalar_int(d, &applied, NULL, err,
                          "SELECT COUNT(*) FROM case_agreements WHERE case_id = ?"
                          " AND confirmation_applied_on IS NOT NULL",
                          "i", c->id) != 0)
            return -1;
        if (!applied)
            return err_set(err, 409, "conflict", NULL, "尚未登记司法确认申请");
        if (past_date(b, "decided_on", today, &x, err) != 0)
            return -1;
        fmt_date(x, d1);
        if (db_run(d, NULL, err,
                   "UPDATE case_agreements SET confirmation_result = ?, confirmation_decided_on = ?"
                   " WHERE case_id = ?",
                   "ssi", jstr(b, "result"), d1, c->id) != 0)
            return -1;
        snprintf(sum, cap, "司法确认结果：%s（%s）",
                 dict_label("confirmation_result", jstr(b, "result")), d1);
        break;
    }
    case CASE_FLOW_EVENT_RECORD_PERFORMANCE: {
        const char *perf = jstr(b, "performance");
        int64_t pay = 0;
        if (db_scalar_int(d, &pay, NULL, err,
                          "SELECT has_payment FROM case_agreements WHERE case_id = ?", "i",
                          c->id) != 0 ||
            db_run(d, NULL, err,
                   "UPDATE case_agreements SET performance = ?, performance_note = ? WHERE case_id "
                   "= ?",
                   "ssi", perf, jstr(b, "note"), c->id) != 0)
            return -1;
        bool guide = pay && strcmp(perf, "performed") != 0;
        snprintf(sum, cap, "履行情况：%s%s", dict_label("performance", perf),
                 guide ? "；协议具有给付内容，已告知债权人可依法向人民法院申请支付令" : "");
        break;
    }
    case CASE_FLOW_EVENT_FOLLOW_UP: {
        char now[21];
        clock_iso(clock_unix(), now);
        if (past_date(b, "visited_on", today, &x, err) != 0)
            return -1;
        fmt_date(x, d1);
        json_t *sat = json_object_get(b, "satisfaction");
        /* a referred case may be visited together with the referring agency */
        bool joint = json_is_true(json_object_get(b, "joint_with_referrer"));
        if (joint && !c->referrer_org_id)
            return err_set(err, 400, "validation_failed", "joint_with_referrer",
                           "本案不是对接单位移送的案件，不能联合回访");
        if (db_run(d, NULL, err,
                   "INSERT INTO case_follow_ups(case_id, visited_on, method, content, satisfaction,"
                   " created_by, created_at, joint_org_id) VALUES (?,?,?,?,?,?,?,?)",
                   "isssIIsI", c->id, d1, jstr(b, "method"), jstr(b, "content"),
                   json_is_integer(sat) ? (int64_t)json_integer_value(sat) : (int64_t)0,
                   who->user_id, now, joint ? c->referrer_org_id : (int64_t)0) != 0)
            return -1;
        snprintf(sum, cap, "%s %s%s%s", dict_label("follow_up_method", jstr(b, "method")), d1,
                 json_is_integer(sat) ? "，当事人满意度已记录" : "",
                 joint ? "（与移送单位联合回访）" : "");
        break;
    }
    case CASE_FLOW_EVENT_CLOSE:
        if (deadline_follow_up(cal, ds, today, &due, err) != 0 ||
            db_run(d, NULL, err, "UPDATE cases SET closed_on = ? WHERE id = ?", "si", t, c->id) !=
                0 ||
            deadline_start(d, c->id, DEADLINE_FOLLOW_UP, today, due, err) != 0)
            return -1;
        fmt_date(due, d2);
        snprintf(sum, cap, "结案，回访期限至 %s", d2);
        break;
    case CASE_FLOW_EVENT_ARCHIVE:
        if (db_run(d, NULL, err, "UPDATE cases SET archived_on = ? WHERE id = ?", "si", t, c->id) !=
            0)
            return -1;
        snprintf(sum, cap, "归档");
        break;
    default:
        return err_set(err, 400, "validation_failed", "event", "未知操作");
    }
    if (deadlines_stop(d, c->id, case_flow_deadlines_stopped(ev), today, err) != 0)
        return -1;
    char now[21];
    clock_iso(clock_unix(), now);
    const char *from = case_flow_state_name(c->state), *to = case_flow_state_name(next);
    if (db_run(d, NULL, err, "UPDATE cases SET status = ?, updated_at = ? WHERE id = ?", "ssi", to,
               now, c->id) != 0 ||
        add_event(d, who, c->id, case_flow_event_name(ev), from, to, event_org, sum, json_incref(b),
                  err) != 0)
        return -1;
    c->state = next;
    if (ev == CASE_FLOW_EVENT_RECORD_SESSION)
        return case_reindex(d, c->id, err);
    return 0;
}

int case_recuse(db *d, const principal *who, case_row *c, int64_t person_id, const char *reason,
                tj_err *err)
{
    if (c->state != CASE_FLOW_STATE_REGISTERED && c->state != CASE_FLOW_STATE_ACCEPTED &&
        c->state != CASE_FLOW_STATE_MEDIATING)
        return err_set(err, 409, "conflict", "state", "案件当前状态为“%s”，不能申请回避",
                       case_flow_state_label(c->state));
    char name[128] = "";
    db_stmt *s;
    if (db_query(d, &s, err,
                 "SELECT p.name FROM case_mediators m JOIN persons p ON p.id = m.person_id"
                 " WHERE m.case_id = ? AND m.person_id = ?",
                 "ii", c->id, person_id) != 0)
        return -1;
    int rc = db_step(s, err);
    if (rc == 1)
        snprintf(name, sizeof name, "%s", db_col_text(s, 0));
    db_done(s);
    if (rc < 0)
        return -1;
    if (rc == 0)
        return err_set(err, 400, "validation_failed", "person_id", "该调解员未参与本案调解");
    if (db_run(d, NULL, err, "DELETE FROM case_mediators WHERE case_id = ? AND person_id = ?", "ii",
               c->id, person_id) != 0 ||
        db_run(d, NULL, err,
               "UPDATE cases SET lead_mediator_id = NULL WHERE id = ? AND lead_mediator_id = ?",
               "ii", c->id, person_id) != 0)
        return -1;
    char sum[512];
    snprintf(sum, sizeof sum, "调解员%s回避：%s%s", name, reason,
             person_id == c->lead_mediator_id ? "；请重新指派主调解员" : "");
    const char *st = case_flow_state_name(c->state);
    return add_event(d, who, c->id, "recuse", st, st, c->org_id, sum, NULL, err);
}

/* ---- reads ---- */

static int rows_into(db *d, json_t *obj, const char *key, tj_err *err, const char *sql, int64_t id)
{
    db_stmt *s;
    if (db_query(d, &s, err, sql, "i", id) != 0)
        return -1;
    json_t *arr;
    if (db_rows_json(s, &arr, err) != 0)
        return -1;
    json_object_set_new(obj, key, arr);
    return 0;
}

int case_detail(db *d, const principal *who, int64_t id, tj_date today, json_t **out, tj_err *err)
{
    case_row c;
    if (case_get(d, who, id, &c, err) != 0)
        return -1;
    db_stmt *s;
    if (db_query(d, &s, err,
                 "SELECT c.id, c.case_no, c.title, c.party_names, c.org_id, o.name AS org_name,"
                 " c.registered_org_id, r.name AS registered_org_name, c.status, c.source,"
                 " c.dispute_type, c.facts, c.claims, c.amount, c.people_involved, c.place,"
                 " c.occurred_on, c.registered_on, c.accepted_on, c.due_on, c.extension_reason,"
                 " c.refuse_reason, c.withdraw_reason, c.agreed_on, c.terminated_on, c.closed_on,"
                 " c.archived_on, c.resolved_level, c.lead_mediator_id, c.referrer_org_id,"
                 " c.created_at, c.updated_at, c.is_referral, c.flag_mass, c.flag_military,"
                 " c.flag_petition, c.flag_litigation"
                 " FROM cases c JOIN orgs o ON o.id = c.org_id JOIN orgs r ON r.id ="
                 " c.registered_org_id WHERE c.id = ?",
                 "i", id) != 0)
        return -1;
    if (db_step(s, err) != 1) {
        db_done(s);
        return -1;
    }
    json_t *o = db_row_json(s);
    db_done(s);
    json_t *flags = json_array();
    static const char *const fk[] = {"flag_mass", "flag_military", "flag_petition",
                                     "flag_litigation"};
    for (int i = 0; i < 4; i++) {
        if (json_integer_value(json_object_get(o, fk[i])))
            json_array_append_new(flags, json_string(fk[i] + 5));
        json_object_del(o, fk[i]);
    }
    json_object_set_new(o, "flags", flags);
    json_object_set_new(o, "is_referral",
                        json_boolean(json_integer_value(json_object_get(o, "is_referral"))));
    json_object_set_new(o, "status_label", json_string(case_flow_state_label(c.state)));
    if (rows_into(d, o, "parties", err,
                  "SELECT id, role, kind, name, sex, ethnicity, birth_date, occupation,"
                  " id_masked AS id_number_masked, credit_code, legal_rep, phone, address,"
                  " agent_name, agent_phone, agent_relation FROM case_parties WHERE case_id = ?"
                  " ORDER BY position",
                  id) != 0 ||
        rows_into(d, o, "mediators", err,
                  "SELECT m.person_id, p.name, p.phone, m.lead FROM case_mediators m JOIN persons p"
                  " ON p.id = m.person_id WHERE m.case_id = ? ORDER BY m.lead DESC, p.name",
                  id) != 0 ||
        rows_into(
            d, o, "records", err,
            "SELECT r.id, r.kind, r.held_on, r.place, r.participants, r.content, r.created_at,"
            " u.name AS created_by_name FROM case_records r LEFT JOIN users u ON u.id ="
            " r.created_by WHERE r.case_id = ? ORDER BY r.held_on, r.id",
            id) != 0 ||
        rows_into(d, o, "follow_ups", err,
                  "SELECT id, visited_on, method, content, satisfaction, created_at, joint_org_id"
                  " FROM case_follow_ups WHERE case_id = ? ORDER BY visited_on, id",
                  id) != 0 ||
        rows_into(d, o, "timeline", err,
                  "SELECT id, event, state_from, state_to, at, actor_name, summary FROM case_events"
                  " WHERE case_id = ? ORDER BY id",
                  id) != 0 ||
        rows_into(
            d, o, "attachments", err,
            "SELECT a.id, a.kind, a.title, a.created_at, f.id AS file_id, f.name AS file_name,"
            " f.mime, f.size, f.sha256 FROM case_attachments a JOIN files f ON f.id ="
            " a.file_id WHERE a.case_id = ? ORDER BY a.id",
            id) != 0 ||
        rows_into(
            d, o, "deadlines", err,
            "SELECT kind, started_on, due_on, stopped_on FROM case_deadlines WHERE case_id = ?"
            " ORDER BY due_on",
            id) != 0)
        goto fail;
    json_t *m;
    size_t i;
    json_array_foreach(json_object_get(o, "mediators"), i, m) json_object_set_new(
        m, "lead", json_boolean(json_integer_value(json_object_get(m, "lead"))));
    json_t *ev;
    json_array_foreach(json_object_get(o, "timeline"), i, ev)
    {
        case_flow_event e;
        const char *name = json_string_value(json_object_get(ev, "event"));
        const char *label = case_flow_event_parse(name, &e, NULL, NULL) == 0
                                ? case_flow_event_label(e)
                            : strcmp(name, "register") == 0 ? "登记"
                            : strcmp(name, "recuse") == 0   ? "回避"
                            : strcmp(name, "attach") == 0   ? "添加材料"
                                                            : name;
        json_object_set_new(ev, "label", json_string(label));
    }
    json_t *dl;
    json_array_foreach(json_object_get(o, "deadlines"), i, dl)
    {
        deadline_kind k;
        tj_date due;
        const char *kn = json_string_value(json_object_get(dl, "kind"));
        if (deadline_kind_parse(kn, &k, NULL, NULL) == 0)
            json_object_set_new(dl, "label", json_string(deadline_kind_label(k)));
        bool open = json_is_null(json_object_get(dl, "stopped_on"));
        if (open &&
            date_parse(json_string_value(json_object_get(dl, "due_on")), &due, NULL, NULL) == 0) {
            deadline_state st = deadline_status(NULL, due, today);
            json_object_set_new(dl, "state", json_string(deadline_state_name(st)));
            json_object_set_new(dl, "state_label", json_string(deadline_state_label(st)));
            json_object_set_new(dl, "days_left", json_integer(date_days_between(today, due)));
        } else {
            json_object_set_new(dl, "state", json_string("stopped"));
            json_object_set_new(dl, "state_label", json_string("已完成"));
        }
    }
    if (db_query(
            d, &s, err,
            "SELECT form, terms, has_payment, amount, performance_due, effective_on,"
            " performance, performance_note, confirmation_court, confirmation_applied_on,"
            " confirmation_result, confirmation_decided_on FROM case_agreements WHERE case_id = ?",
            "i", id) != 0)
        goto fail;
    if (db_step(s, err) == 1) {
        json_t *a = db_row_json(s);
        json_object_set_new(a, "has_payment",
                            json_boolean(json_integer_value(json_object_get(a, "has_payment"))));
        json_object_set_new(o, "agreement", a);
    } else {
        json_object_set_new(o, "agreement", json_null());
    }
    db_done(s);
    if (db_query(
            d, &s, err,
            "SELECT reason_code, reason_text, guidance FROM case_terminations WHERE case_id = ?",
            "i", id) != 0)
        goto fail;
    json_object_set_new(o, "termination", db_step(s, err) == 1 ? db_row_json(s) : json_null());
    db_done(s);
    /* the partner's referral this case came from (docs/referrals.md) */
    if (db_query(d, &s, err,
                 "SELECT r.id, r.letter_no, r.channel, r.status, r.partner_org_id, o.name AS"
                 " partner_org_name FROM referrals r JOIN orgs o ON o.id = r.partner_org_id WHERE"
                 " r.case_id = ?",
                 "i", id) != 0)
        goto fail;
    json_object_set_new(o, "referral", db_step(s, err) == 1 ? db_row_json(s) : json_null());
    db_done(s);
    json_t *allowed = json_array();
    uint32_t mask = case_flow_allowed_events(c.state);
    for (int e = 0; e < CASE_FLOW_EVENT_COUNT; e++)
        if (mask & CASE_FLOW_EVENT_BIT(e))
            json_array_append_new(allowed, json_string(case_flow_event_name((case_flow_event)e)));
    json_object_set_new(o, "allowed_events", allowed);
    json_object_set_new(o, "writable",
                        json_boolean(scope_contains(who, c.org_path) &&
                                     !perm_partner_side(who->role) &&
                                     perm_allows(who->role, PERM_CASE_WRITE)));
    *out = o;
    return 0;
fail:
    json_decref(o);
    return -1;
}

#define FTS_IDS_MAX 5000 /* more matches than this stay a subquery */

/* The ids matching an FTS5 expression as a JSON array in *out, or out left empty when
 * there are more than FTS_IDS_MAX. */
static int fts_matches(db *d, const char *match, buf *out, tj_err *err)
{
    db_stmt *s;
    if (db_query(d, &s, err, "SELECT rowid FROM case_fts WHERE case_fts MATCH ?", "s", match) != 0)
        return -1;
    buf_init(out, (size_t)FTS_IDS_MAX * 21 + 2);
    buf_puts(out, "[");
    int rc, count = 0;
    while ((rc = db_step(s, err)) == 1) {
        if (++count > FTS_IDS_MAX) {
            buf_free(out);
            break;
        }
        buf_printf(out, count > 1 ? ",%lld" : "%lld", (long long)db_col_int(s, 0));
    }
    db_done(s);
    if (rc < 0) {
        buf_free(out);
        return -1;
    }
    if (out->data || count == 0) {
        if (!out->data)
            buf_puts(out, "[");
        buf_puts(out, "]");
    }
    return 0;
}

/* The columns of a list row; the statement binds today (for overdue) first. The
 * first 14 are written as db_row_json would, then overdue as a boolean: a deadline
 * other than judicial confirmation is open and past due (next_due_on, migration 10). */
#define LIST_COLS                                                                                  \
    "SELECT c.id, c.case_no, c.title, c.party_names, c.status, c.source, c.dispute_type,"          \
    " c.org_id, o.name AS org_name, c.registered_on, c.accepted_on, c.due_on, c.amount,"           \
    " p.name AS lead_mediator_name, IFNULL(c.next_due_on < ?, 0) AS overdue"
#define LIST_JOINS                                                                                 \
    " CROSS JOIN orgs o ON o.id = c.org_id LEFT JOIN persons p ON p.id = c.lead_mediator_id"

/* One list row as its JSON object, plus the status label. */
static void list_row_jw(db_stmt *s, jw *w)
{
    /* the names of LIST_COLS, in its order, as written keys */
#define K(name)                                                                                    \
    {                                                                                              \
        "\"" name "\":", sizeof("\"" name "\":") - 1                                               \
    }
    static const struct {
        const char *k;
        size_t n;
    } keys[14] = {K("id"),           K("case_no"),
                  K("title"),        K("party_names"),
                  K("status"),       K("source"),
                  K("dispute_type"), K("org_id"),
                  K("org_name"),     K("registered_on"),
                  K("accepted_on"),  K("due_on"),
                  K("amount"),       K("lead_mediator_name")};
#undef K
    jw_obj(w);
    for (int i = 0; i < 14; i++) {
        jw_key_raw(w, keys[i].k, keys[i].n);
        db_col_jw(s, i, w);
    }
    JW_KEY(w, "overdue");
    jw_bool(w, db_col_int(s, 14) != 0);
    JW_KEY(w, "status_label");
    jw_str(w, dict_label("case_status", db_col_text(s, 4)));
    jw_obj_end(w);
}

#define LIST_SMALL_MAX 2000 /* a matching set up to this size is counted and sorted here */

/* Ascending, or descending when desc. Shell sort (Ciura's gaps) inline: the set comes
 * from an index as a few ascending runs, one per org, and qsort's callback per
 * comparison cost more than the rest of the sort. */
static void sort_ids(int64_t *v, int n, bool desc)
{
    static const int gaps[] = {701, 301, 132, 57, 23, 10, 4, 1};
    for (size_t g = 0; g < sizeof gaps / sizeof gaps[0]; g++) {
        int h = gaps[g];
        for (int i = h; i < n; i++) {
            int64_t x = v[i];
            int j = i;
            for (; j >= h && (desc ? v[j - h] < x : v[j - h] > x); j -= h)
                v[j] = v[j - h];
            v[j] = x;
        }
    }
}

/* A small matching set (a township's cases, a search's matches) read once: its ids
 * give the total and, sorted here, the page, whose rows are then read by id. That
 * is one index scan instead of a COUNT and a sorted page query over the same range
 * (at 1M cases, a township's filtered list page: ~600k → ~400k instructions in
 * SQLite). Returns 1, having written nothing, when the set has more than
 * LIST_SMALL_MAX ids: the caller counts and pages in SQL. */
static int list_small(db *d, const case_filter *f, const char *from, const char *where,
                      const db_arg *a, int n, bool oldest, const char *today, jw *items,
                      int64_t *total, char *next, size_t next_cap, tj_err *err)
{
    char sql[8192];
    db_stmt *s;
    int64_t *ids = xmalloc((LIST_SMALL_MAX + 1) * sizeof *ids);
    int count = 0, rc;
    buf page;
    buf_init(&page, (size_t)LIST_SMALL_MAX * 21 + 2);
    snprintf(sql, sizeof sql, "SELECT c.id%s%s LIMIT %d", from, where, LIST_SMALL_MAX + 1);
    if (db_query_args(d, &s, err, sql, a, n) != 0) {
        rc = -1;
        goto done;
    }
    while ((rc = db_step(s, err)) == 1 && count <= LIST_SMALL_MAX)
        ids[count++] = db_col_int(s, 0);
    db_done(s);
    if (rc < 0)
        goto done;
    if (count > LIST_SMALL_MAX) {
        rc = 1;
        goto done;
    }
    if (total)
        *total = count;
    sort_ids(ids, count, !oldest);
    /* the keyset cursor: the page starts after the last id of the previous one */
    int start = 0;
    if (f->cursor_id)
        while (start < count && (oldest ? ids[start] <= f->cursor_id : ids[start] >= f->cursor_id))
            start++;
    int end = start + f->limit < count ? start + f->limit : count;
    next[0] = 0;
    if (end < count)
        snprintf(next, next_cap, "%lld", (long long)ids[end - 1]);
    buf_puts(&page, "[");
    for (int i = start; i < end; i++)
        buf_printf(&page, i > start ? ",%lld" : "%lld", (long long)ids[i]);
    buf_puts(&page, "]");
    /* rowid IN an ephemeral table walked in order: the ORDER BY costs no sort */
    snprintf(sql, sizeof sql,
             LIST_COLS " FROM cases c" LIST_JOINS
                       " WHERE c.id IN (SELECT value FROM json_each(?)) ORDER BY c.id%s",
             oldest ? "" : " DESC");
    db_arg pa[2] = {{'s', 0, today}, {'s', 0, page.data}};
    if (db_query_args(d, &s, err, sql, pa, 2) != 0) {
        rc = -1;
        goto done;
    }
    jw_arr(items);
    while ((rc = db_step(s, err)) == 1)
        list_row_jw(s, items);
    db_done(s);
    jw_arr_end(items);
    if (rc < 0)
        goto done;
    rc = 0;
done:
    free(ids);
    buf_free(&page);
    return rc;
}

int case_list(db *d, const principal *who, const case_filter *f, jw *items, int64_t *total,
              char *next, size_t next_cap, tj_err *err)
{
    db_arg a[32];
    char hi[256], ohi[256], today[DATE_STR_SIZE], fts[1024], match[1200], from[1024];
    bool all;
    if (scope_sees_everything(d, who, &all, err) != 0)
        return -1;
    bool sqlite = db_engine_of(d) == DB_SQLITE;
    /* Where the rows come from, cheapest first: every case (the root org); the full-text
     * index narrowed by the caller's scope tokens (a search); the handling-org subtree
     * when the org filter lies inside the caller's own subtree (it implies visibility);
     * otherwise the visible set. The first arguments bind the FROM source. */
    org_row org;
    bool have_org = false;
    if (f->org_id) {
        bool found;
        if (org_get_row(d, f->org_id, &org, &found, err) != 0)
            return -1;
        if (!found)
            return err_set(err, 400, "validation_failed", "org_id", "机构不存在");
        have_org = true;
    }
    bool by_fts = sqlite && f->q;
    bool implied = !all && !by_fts && have_org && !perm_partner_side(who->role) &&
                   scope_contains(who, org.path);
    /* with no filter and the default order the ids alone answer: the set itself is
     * "c" and its rows are read for the page only */
    bool bare = !have_org && !f->q && !f->status && !f->dispute_type && !f->source &&
                !f->file_status && !f->flag && !f->from && !f->to && !f->mediator_id && !f->mine &&
                !f->overdue && !(f->sort && strcmp(f->sort, "due") == 0);
    int n = 0;
    snprintf(from, sizeof from, " FROM cases c");
    if (!all && !by_fts && !implied) {
        const char *set;
        n = visible_set(who, &set, a, hi, sizeof hi);
        snprintf(from, sizeof from,
                 bare ? " FROM %s c" : " FROM %s v CROSS JOIN cases c ON c.id = v.id", set);
    }
    buf where, ids;
    buf_init(&where, 4096);
    buf_init(&ids, 0);
    buf_puts(&where, " WHERE 1 = 1");
    fmt_date(f->today, today);
    int rc = -1;
    if (have_org) {
        scope_upper(org.path, ohi, sizeof ohi);
        buf_puts(&where, " AND c.org_path >= ? AND c.org_path < ?");
        a[n++] = (db_arg){'s', 0, org.path};
        a[n++] = (db_arg){'s', 0, ohi};
    }
    /* With an org filter the subtree range of cases_org(org_path, status, dispute_type)
     * is the narrow end: the unary + keeps the planner off the province-wide status and
     * type indexes (which it prefers without statistics, to skip the sort). With both
     * a status and a type, cases_filter(status, dispute_type, org_path) seeks exactly
     * the page's candidates. */
    const char *plus = have_org && !(f->status && f->dispute_type) ? "+" : "";
#define EQ(col, val)                                                                               \
    if (val) {                                                                                     \
        buf_printf(&where, " AND %s" col " = ?", plus);                                            \
        a[n++] = (db_arg){'s', 0, val};                                                            \
    }
    /* The status goes in as a literal (a dictionary name: lower case and underscores
     * only, checked here). Bound, `c.status = ?` makes SQLite's planner read the value
     * to test it against the partial index cases_registered (status = 'registered'),
     * which marks the statement for a new prepare at every bind: at 100k cases ~86k
     * instructions of a ~750k list request. */
    if (f->status && f->status[0] &&
        strspn(f->status, "abcdefghijklmnopqrstuvwxyz_") == strlen(f->status))
        buf_printf(&where, " AND %sc.status = '%s'", plus, f->status);
    else
        EQ("c.status", f->status)
    EQ("c.dispute_type", f->dispute_type)
    EQ("c.source", f->source)
#undef EQ
    if (f->file_status) {
        buf_puts(&where, " AND EXISTS (SELECT 1 FROM case_files cf WHERE cf.case_id = c.id"
                         " AND cf.status = ?)");
        a[n++] = (db_arg){'s', 0, f->file_status};
    }
    if (f->flag) {
        /* the flag name was checked against the dict: safe to splice as a column name */
        buf_printf(&where, " AND c.flag_%s = 1", f->flag);
    }
    if (f->from) {
        buf_puts(&where, " AND c.registered_on >= ?");
        a[n++] = (db_arg){'s', 0, f->from};
    }
    if (f->to) {
        buf_puts(&where, " AND c.registered_on <= ?");
        a[n++] = (db_arg){'s', 0, f->to};
    }
    if (f->mediator_id) {
        buf_puts(&where, " AND EXISTS (SELECT 1 FROM case_mediators m WHERE m.case_id = c.id"
                         " AND m.person_id = ?)");
        a[n++] = (db_arg){'i', f->mediator_id, NULL};
    }
    if (f->mine) {
        buf_puts(&where, " AND EXISTS (SELECT 1 FROM case_mediators m JOIN persons p ON p.id ="
                         " m.person_id WHERE m.case_id = c.id AND p.user_id = ?)");
        a[n++] = (db_arg){'i', who->user_id, NULL};
    }
    if (f->overdue) {
        buf_puts(&where, " AND c.next_due_on < ?");
        a[n++] = (db_arg){'s', 0, today};
    }
    if (f->q) {
        if (cjk_query(f->q, fts, sizeof fts, err) != 0)
            goto done;
        if (sqlite) {
            /* the scope tokens make the index return only what who may see */
            if (all)
                snprintf(match, sizeof match, "tokens : (%s)", fts);
            else if (perm_partner_side(who->role))
                snprintf(match, sizeof match, "tokens : (%s) AND scope : (o%lld OR p%lld)", fts,
                         (long long)who->org_id, (long long)who->org_id);
            else
                snprintf(match, sizeof match, "tokens : (%s) AND scope : o%lld", fts,
                         (long long)who->org_id);
            /* The index is read once: its matches (a few dozen for a township) go to
             * the count and the page as a JSON array. A province-wide match list stays
             * in SQL. */
            if (fts_matches(d, match, &ids, err) != 0)
                goto done;
            if (ids.data) {
                buf_puts(&where, " AND c.id IN (SELECT value FROM json_each(?))");
                a[n++] = (db_arg){'s', 0, ids.data};
            } else {
                buf_puts(&where,
                         " AND c.id IN (SELECT rowid FROM case_fts WHERE case_fts MATCH ?)");
                a[n++] = (db_arg){'s', 0, match};
            }
        } else {
            buf_puts(&where,
                     " AND c.id IN (SELECT case_id FROM case_search WHERE"
                     " to_tsvector('simple', tokens) @@ websearch_to_tsquery('simple', ?))");
            a[n++] = (db_arg){'s', 0, fts};
        }
    }
    /* keyset pagination: newest (id DESC, default), oldest (id ASC), due (due_on, id) */
    bool due_sort = f->sort && strcmp(f->sort, "due") == 0;
    bool oldest = f->sort && strcmp(f->sort, "oldest") == 0;
    /* (a province-wide search's matches stay a subquery: no second pass over them) */
    if (!due_sort && !(by_fts && !ids.data)) {
        rc = list_small(d, f, from, where.data, a, n, oldest, today, items, total, next, next_cap,
                        err);
        if (rc != 1)
            goto done;
        rc = -1;
    }
    char sql[8192];
    if (total) {
        snprintf(sql, sizeof sql, "SELECT COUNT(*)%s%s", from, where.data);
        db_stmt *s;
        if (db_query_args(d, &s, err, sql, a, n) != 0)
            goto done;
        if (db_step(s, err) == 1)
            *total = db_col_int(s, 0);
        db_done(s);
    }
    const char *order = " ORDER BY c.id DESC";
    if (due_sort) {
        order = " ORDER BY COALESCE(c.due_on, '9999-12-31'), c.id";
        if (f->cursor_due) {
            buf_puts(&where, " AND (COALESCE(c.due_on, '9999-12-31') > ? OR"
                             " (COALESCE(c.due_on, '9999-12-31') = ? AND c.id > ?))");
            a[n++] = (db_arg){'s', 0, f->cursor_due};
            a[n++] = (db_arg){'s', 0, f->cursor_due};
            a[n++] = (db_arg){'i', f->cursor_id, NULL};
        }
    } else if (oldest) {
        order = " ORDER BY c.id";
        if (f->cursor_id) {
            buf_puts(&where, " AND c.id > ?");
            a[n++] = (db_arg){'i', f->cursor_id, NULL};
        }
    } else if (f->cursor_id) {
        buf_puts(&where, " AND c.id < ?");
        a[n++] = (db_arg){'i', f->cursor_id, NULL};
    }
    a[n++] = (db_arg){'s', 0, today};
    a[n++] = (db_arg){'i', f->limit + 1, NULL};
    /* the statement binds: today (overdue column), FROM source, WHERE, limit */
    db_arg reordered[32];
    reordered[0] = a[n - 2];
    for (int i = 0; i < n - 2; i++)
        reordered[i + 1] = a[i];
    reordered[n - 1] = a[n - 1];
    snprintf(
        sql, sizeof sql,
        LIST_COLS
        /* the page's ids first, so that only its rows are joined and checked */
        " FROM (SELECT c.id AS pid%s%s%s LIMIT ?) pg CROSS JOIN cases c ON c.id = pg.pid" LIST_JOINS
        "%s",
        from, where.data, order, order);
    db_stmt *s;
    if (db_query_args(d, &s, err, sql, reordered, n) != 0)
        goto done;
    int got = 0;
    int64_t last_id = 0;
    char last_due[DATE_STR_SIZE + 8] = "";
    next[0] = 0;
    jw_arr(items);
    while ((rc = db_step(s, err)) == 1) {
        if (got == f->limit) {
            if (due_sort)
                snprintf(next, next_cap, "%s_%lld", last_due[0] ? last_due : "9999-12-31",
                         (long long)last_id);
            else
                snprintf(next, next_cap, "%lld", (long long)last_id);
            break;
        }
        list_row_jw(s, items);
        last_id = db_col_int(s, 0);
        snprintf(last_due, sizeof last_due, "%s", db_col_null(s, 11) ? "" : db_col_text(s, 11));
        got++;
    }
    db_done(s);
    jw_arr_end(items);
    if (rc < 0)
        goto done;
    rc = 0;
done:
    buf_free(&where);
    buf_free(&ids);
    return rc;
}

int case_todo(db *d, const principal *who, bool mine, tj_date today, int soon_days, int limit,
              jw *out, tj_err *err)
{
    int dl_max = limit < TODO_DEADLINES_MAX ? limit : TODO_DEADLINES_MAX;
    int aw_max = limit < TODO_AWAITING_MAX ? limit : TODO_AWAITING_MAX;
    db_arg a[12];
    char hi[256], t[DATE_STR_SIZE], until[DATE_STR_SIZE];
    fmt_date(today, t);
    tj_date lim;
    if (date_add_days(today, soon_days, &lim, err) != 0)
        return -1;
    fmt_date(lim, until);
    bool all;
    if (scope_sees_everything(d, who, &all, err) != 0)
        return -1;
    int n = 0;
    if (!all) {
        scope_upper(who->org_path, hi, sizeof hi);
        a[n++] = (db_arg){'s', 0, who->org_path};
        a[n++] = (db_arg){'s', 0, hi};
        a[n++] = (db_arg){'s', 0, until};
    }
    a[n++] = (db_arg){'s', 0, until};
    a[n++] = (db_arg){'i', mine ? 1 : 0, NULL};
    a[n++] = (db_arg){'i', who->user_id, NULL};
    db_stmt *s;
    /* A scoped caller's open deadlines come from the cases its subtree handles whose
     * earliest open deadline falls inside the window (the range of the partial index
     * cases_next_due: unarchived cases with an open deadline, the date read from the
     * index), each case's deadlines from case_deadlines_due; the root's from the
     * partial index of open deadlines by due date. INDEXED BY as below: without
     * statistics the planner may prefer the province-wide cases_status. */
    /* the rows' source and condition, shared by the list (with the org's name) and,
     * when the list is full, the counts (without) */
    static const char dl_cond[] =
        " WHERE dl.stopped_on IS NULL AND dl.due_on <= ?"
        " AND dl.kind <> 'judicial_confirmation'"
        " AND (? = 0 OR EXISTS (SELECT 1 FROM case_mediators m JOIN persons p ON"
        " p.id = m.person_id WHERE m.case_id = c.id AND p.user_id = ?))";
    char fw[1536], sql[2048];
    snprintf(fw, sizeof fw, " FROM %s",
             all ? "case_deadlines dl JOIN cases c ON c.id = dl.case_id"
             : db_engine_of(d) == DB_SQLITE
                 ? "cases c INDEXED BY cases_next_due CROSS JOIN case_deadlines dl ON"
                   " dl.case_id = c.id AND c.org_path >= ? AND c.org_path < ? AND"
                   " c.status <> 'archived' AND c.next_due_on <= ?"
                 : "cases c CROSS JOIN case_deadlines dl ON dl.case_id = c.id AND"
                   " c.org_path >= ? AND c.org_path < ? AND c.status <> 'archived' AND"
                   " c.next_due_on <= ?");
    snprintf(sql, sizeof sql,
             "SELECT c.id, c.case_no, c.title, c.party_names, c.status, dl.kind, dl.due_on,"
             " o.name AS org_name%s CROSS JOIN orgs o ON o.id = c.org_id%s"
             " ORDER BY dl.due_on, c.id LIMIT %d",
             fw, dl_cond, dl_max);
    if (db_query_args(d, &s, err, sql, a, n) != 0)
        return -1;
    int counts[DEADLINE_STATE_COUNT] = {0};
    deadline_settings ds;
    deadline_settings_default(&ds);
    ds.due_soon_days = soon_days;
    int rc, listed = 0;
    jw_obj(out);
    jw_key(out, "today");
    jw_str(out, t);
    jw_key(out, "deadlines");
    jw_arr(out);
    while ((rc = db_step(s, err)) == 1) {
        /* the row as db_row_json would build it, then its state and labels */
        jw_obj(out);
        db_cols_jw(s, out);
        tj_date due;
        deadline_kind k;
        if (date_parse(db_col_text(s, 6), &due, NULL, NULL) == 0)
            counts[case_todo_due_jw(out, &ds, due, today)]++;
        if (deadline_kind_parse(db_col_text(s, 5), &k, NULL, NULL) == 0) {
            jw_key(out, "kind_label");
            jw_str(out, deadline_kind_label(k));
        }
        jw_obj_end(out);
        listed++;
    }
    db_done(s);
    jw_arr_end(out);
    if (rc < 0)
        return -1;
    /* A full page may not be all (a county's, a province's): the counts and the total
     * then come from every open deadline in the window, by due date. */
    int64_t total = listed;
    if (listed == dl_max) {
        snprintf(sql, sizeof sql, "SELECT dl.due_on, COUNT(*)%s%s GROUP BY dl.due_on", fw, dl_cond);
        if (db_query_args(d, &s, err, sql, a, n) != 0)
            return -1;
        memset(counts, 0, sizeof counts);
        total = 0;
        while ((rc = db_step(s, err)) == 1) {
            tj_date due;
            int64_t k = db_col_int(s, 1);
            total += k;
            if (date_parse(db_col_text(s, 0), &due, NULL, NULL) == 0)
                counts[deadline_status(&ds, due, today)] += (int)k;
        }
        db_done(s);
        if (rc < 0)
            return -1;
    }
    jw_key(out, "deadlines_total");
    jw_int(out, total);
    /* cases registered but not yet accepted or refused */
    n = all ? 0 : 2;
    a[n++] = (db_arg){'i', mine ? 1 : 0, NULL};
    a[n++] = (db_arg){'i', who->user_id, NULL};
    /* A subtree reads the range of the partial index cases_registered, the root
     * cases_status(status, id). Without statistics SQLite's planner takes the
     * province-wide cases_status for a subtree too (at 1M cases: ~1,700 rows read
     * instead of a township's few, p50 0.2 → 0.8 ms), hence INDEXED BY. */
    char cond[256];
    snprintf(fw, sizeof fw, " FROM cases c%s",
             !all && db_engine_of(d) == DB_SQLITE ? " INDEXED BY cases_registered" : "");
    snprintf(cond, sizeof cond, " WHERE %s = 'registered' AND (? = 0 OR c.created_by = ?)",
             all ? "c.status" : "c.org_path >= ? AND c.org_path < ? AND c.status");
    snprintf(sql, sizeof sql,
             "SELECT c.id, c.case_no, c.title, c.party_names, c.registered_on, o.name AS"
             " org_name%s CROSS JOIN orgs o ON o.id = c.org_id%s ORDER BY c.id LIMIT %d",
             fw, cond, aw_max);
    if (db_query_args(d, &s, err, sql, a, n) != 0)
        return -1;
    jw_key(out, "awaiting_acceptance");
    jw_arr(out);
    listed = 0;
    while ((rc = db_step(s, err)) == 1) {
        db_row_jw(s, out);
        listed++;
    }
    db_done(s);
    jw_arr_end(out);
    if (rc < 0)
        return -1;
    total = listed;
    if (listed == aw_max) {
        snprintf(sql, sizeof sql, "SELECT COUNT(*)%s%s", fw, cond);
        if (db_query_args(d, &s, err, sql, a, n) != 0)
            return -1;
        if ((rc = db_step(s, err)) == 1)
            total = db_col_int(s, 0);
        db_done(s);
        if (rc < 0)
            return -1;
    }
    jw_key(out, "awaiting_total");
    jw_int(out, total);
    case_todo_counts_jw(out, counts);
    /* the object stays open: the caller adds its own keys and closes it */
    return 0;
}

deadline_state case_todo_due_jw(jw *w, const deadline_settings *ds, tj_date due, tj_date today)
{
    deadline_state st = deadline_status(ds, due, today);
    JW_KEY(w, "state");
    jw_str(w, deadline_state_name(st));
    JW_KEY(w, "state_label");
    jw_str(w, deadline_state_label(st));
    JW_KEY(w, "days_left");
    jw_int(w, date_days_between(today, due));
    return st;
}

void case_todo_counts_jw(jw *w, const int counts[DEADLINE_STATE_COUNT])
{
    JW_KEY(w, "counts");
    jw_obj(w);
    JW_KEY(w, "overdue");
    jw_int(w, counts[DEADLINE_STATE_OVERDUE]);
    JW_KEY(w, "due_today");
    jw_int(w, counts[DEADLINE_STATE_DUE_TODAY]);
    JW_KEY(w, "due_soon");
    jw_int(w, counts[DEADLINE_STATE_DUE_SOON]);
    jw_obj_end(w);
}

int case_suggest_mediators(db *d, const case_row *c, json_t **out, tj_err *err)
{
    char like[64];
    snprintf(like, sizeof like, "%%,%s,%%", c->dispute_type);
    db_stmt *s;
    /* mediators of the handling org first, then of its parent org (a township's
     * mediators help its villages), ranked by specialty then open load */
    if (db_query(d, &s, err,
                 "SELECT p.id, p.name, p.phone, p.grade, p.employment, p.specialties,"
                 " (p.specialties LIKE ?) AS specialty_match,"
                 " (SELECT COUNT(*) FROM case_mediators m JOIN cases x ON x.id = m.case_id"
                 "  WHERE m.person_id = p.id AND x.status IN ('registered','accepted','mediating'))"
                 " AS open_cases, o.name AS org_name, (po.org_id = ?) AS same_org"
                 " FROM persons p JOIN person_orgs po ON po.person_id = p.id JOIN orgs o ON o.id ="
                 " po.org_id WHERE p.kind = 'mediator' AND p.active = 1 AND (po.org_id = ? OR"
                 " po.org_id = (SELECT parent_id FROM orgs WHERE id = ?))"
                 " ORDER BY same_org DESC, specialty_match DESC, open_cases, p.id LIMIT 30",
                 "siii", like, c->org_id, c->org_id, c->org_id) != 0)
        return -1;
    json_t *arr = json_array();
    int rc;
    while ((rc = db_step(s, err)) == 1) {
        json_t *row = db_row_json(s);
        json_object_set_new(row, "specialty_match", json_boolean(db_col_int(s, 6) != 0));
        json_t *spec = json_array();
        const char *p = db_col_text(s, 5);
        while (*p) {
            const char *e = strchr(p, ',');
            size_t n = e ? (size_t)(e - p) : strlen(p);
            if (n)
                json_array_append_new(spec, json_stringn(p, n));
            p += n + (e ? 1 : 0);
        }
        json_object_set_new(row, "specialties", spec);
        json_object_set_new(row, "same_org", json_boolean(db_col_int(s, 9) != 0));
        json_array_append_new(arr, row);
    }
    db_done(s);
    if (rc < 0) {
        json_decref(arr);
        return -1;
    }
    *out = arr;
    return 0;
}

int case_attach(db *d, const principal *who, const case_row *c, int64_t file_id, const char *kind,
                const char *title, tj_err *err)
{
    char now[21];
    clock_iso(clock_unix(), now);
    if (db_run(d, NULL, err,
               "INSERT INTO case_attachments(case_id, file_id, kind, title, created_by, created_at)"
               " VALUES (?,?,?,?,?,?)",
               "iissIs", c->id, file_id, kind, title, who->user_id, now) != 0)
        return -1;
    char sum[512];
    snprintf(sum, sizeof sum, "添加材料：%s（%s）", title, dict_label("attachment_kind", kind));
    const char *st = case_flow_state_name(c->state);
    return add_event(d, who, c->id, "attach", st, st, c->org_id, sum, NULL, err);
}
