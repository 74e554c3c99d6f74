#include "store/referral_store.h"
#include "app/crypto.h"
#include "core/case_flow.h"
#include "core/dict.h"
#include "core/idcheck.h"
#include "store/case_store.h"
#include "store/file_store.h"
#include "store/org_store.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/jw.h"
#include "util/xmalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COPY(dst, src) snprintf((dst), sizeof(dst), "%s", (src))

/* Visibility of a referral row `r`: a partner sees its own org's referrals, drafts
 * included; others see delivered ones (sent_on set) whose target or referring org lies
 * in their subtree. The side is decided here (vis_split_args binds it): each half
 * alone lets the planner drive a query from referrals' own indexes (the partner's
 * letters, or the union of the target and referring subtree ranges) instead of
 * walking every org and probing its referrals. */
#define REF_VISIBLE_PARTNER "r.partner_org_id = ?"
#define REF_VISIBLE_SCOPE                                                                          \
    "(r.sent_on IS NOT NULL AND ((r.target_org_path >= ? AND r.target_org_path < ?) OR"            \
    " (r.partner_org_path >= ? AND r.partner_org_path < ?)))"

static const char *vis_split_sql(const principal *who)
{
    return perm_partner_side(who->role) ? REF_VISIBLE_PARTNER : REF_VISIBLE_SCOPE;
}

static int vis_split_args(const principal *who, db_arg *a, scope_range *sr)
{
    if (perm_partner_side(who->role)) {
        a[0] = (db_arg){'i', who->org_id, NULL};
        return 1;
    }
    scope_range_of(who->org_path, sr);
    a[0] = (db_arg){'s', 0, sr->lo};
    a[1] = (db_arg){'s', 0, sr->hi};
    a[2] = (db_arg){'s', 0, sr->lo};
    a[3] = (db_arg){'s', 0, sr->hi};
    return 4;
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

static void today_str(tj_date t, char out[DATE_STR_SIZE])
{
    date_format(t, out);
}

/* A date member of body: def when absent, 400 naming it when invalid. */
static int body_date(json_t *b, const char *k, tj_date def, tj_date *out, tj_err *err)
{
    const char *s = jstr(b, k);
    if (!s) {
        *out = def;
        return 0;
    }
    return date_parse(s, out, k, err);
}

/* ---- rows ---- */

#define ROW_COLS                                                                                   \
    "r.id, r.partner_org_id, r.target_org_id, COALESCE(r.case_id, 0), r.status, r.letter_no,"      \
    " r.letter_date, r.channel, r.partner_org_path, po.name, r.target_org_path, tg.name,"          \
    " r.title, COALESCE(r.sent_on, ''), COALESCE(r.received_on, ''),"                              \
    " COALESCE(r.accept_due_on, ''), COALESCE(r.decided_on, '')"
#define ROW_FROM                                                                                   \
    " FROM referrals r JOIN orgs po ON po.id = r.partner_org_id JOIN orgs tg ON tg.id ="           \
    " r.target_org_id"

static void row_read(db_stmt *s, referral_row *r)
{
    memset(r, 0, sizeof *r);
    r->id = db_col_int(s, 0);
    r->partner_org_id = db_col_int(s, 1);
    r->target_org_id = db_col_int(s, 2);
    r->case_id = db_col_int(s, 3);
    referral_state st;
    r->state =
        referral_state_parse(db_col_text(s, 4), &st, NULL, NULL) == 0 ? st : REFERRAL_CANCELLED;
    COPY(r->letter_no, db_col_text(s, 5));
    COPY(r->letter_date, db_col_text(s, 6));
    COPY(r->channel, db_col_text(s, 7));
    COPY(r->partner_org_path, db_col_text(s, 8));
    COPY(r->partner_org_name, db_col_text(s, 9));
    COPY(r->target_org_path, db_col_text(s, 10));
    COPY(r->target_org_name, db_col_text(s, 11));
    COPY(r->title, db_col_text(s, 12));
    COPY(r->sent_on, db_col_text(s, 13));
    COPY(r->received_on, db_col_text(s, 14));
    COPY(r->accept_due_on, db_col_text(s, 15));
    COPY(r->decided_on, db_col_text(s, 16));
}

int referral_get(db *d, const principal *who, int64_t id, referral_row *out, tj_err *err)
{
    db_arg a[8];
    scope_range sr;
    a[0] = (db_arg){'i', id, NULL};
    int n = 1 + vis_split_args(who, a + 1, &sr);
    db_stmt *s;
    char sql[4096];
    snprintf(sql, sizeof sql, "SELECT " ROW_COLS ROW_FROM " WHERE r.id = ? AND %s",
             vis_split_sql(who));
    if (db_query_args(d, &s, err, sql, a, n) != 0)
        return -1;
    int rc = db_step(s, err);
    if (rc == 1)
        row_read(s, out);
    db_done(s);
    if (rc < 0)
        return -1;
    if (rc == 0)
        return err_set(err, 404, "not_found", NULL, "移送不存在");
    return 0;
}

/* ---- sides ---- */

static bool is_partner_of(const principal *who, const referral_row *r)
{
    return perm_partner_side(who->role) && who->org_id == r->partner_org_id;
}

/* The committee side: an account (not a partner's, not read-only) whose subtree
 * holds path — the target, or after acceptance the case's handling org. */
static bool is_committee_for(const principal *who, const char *path)
{
    return !perm_partner_side(who->role) && !perm_read_only(who->role) && path && *path &&
           scope_contains(who, path);
}

static bool is_supervisor_for(const principal *who, const referral_row *r)
{
    return !perm_partner_side(who->role) && !perm_read_only(who->role) &&
           (strcmp(who->org_kind, "judicial_office") == 0 ||
            strcmp(who->org_kind, "bureau") == 0) &&
           scope_contains(who, r->target_org_path);
}

static bool side_ok(const principal *who, const referral_row *r, referral_side side,
                    const char *case_path)
{
    switch (side) {
    case REFERRAL_SIDE_PARTNER:
        return is_partner_of(who, r);
    case REFERRAL_SIDE_APPROVER:
        return is_partner_of(who, r) && perm_allows(who->role, PERM_REFERRAL_APPROVE);
    case REFERRAL_SIDE_COMMITTEE:
        return is_committee_for(who, case_path && *case_path ? case_path : r->target_org_path);
    case REFERRAL_SIDE_SUPERVISOR:
        return is_supervisor_for(who, r);
    }
    return false;
}

static int side_fail(referral_side side, tj_err *err)
{
    switch (side) {
    case REFERRAL_SIDE_PARTNER:
        return err_set(err, 403, "forbidden", NULL, "只有移送单位可以执行此操作");
    case REFERRAL_SIDE_APPROVER:
        return err_set(err, 403, "forbidden", NULL, "只有移送单位的负责人可以审签移送");
    case REFERRAL_SIDE_COMMITTEE:
        return err_set(err, 403, "forbidden", NULL, "只有接收移送的调解组织可以执行此操作");
    default:
        return err_set(err, 403, "forbidden", NULL,
                       "只有接收移送的调解组织所属的司法所或司法局可以组织会商");
    }
}

/* The handling org's path of the referral's case ("" when none or not visible). */
static int case_path_of(db *d, int64_t case_id, char *out, size_t cap, tj_err *err)
{
    out[0] = 0;
    if (!case_id)
        return 0;
    db_stmt *s;
    if (db_query(d, &s, err, "SELECT org_path FROM cases WHERE id = ?", "i", case_id) != 0)
        return -1;
    int rc = db_step(s, err);
    if (rc == 1)
        snprintf(out, cap, "%s", db_col_text(s, 0));
    db_done(s);
    return rc < 0 ? -1 : 0;
}

/* ---- timeline ---- */

static int add_event(db *d, const principal *who, int64_t rid, const char *event, const char *from,
                     const char *to, const char *summary, tj_err *err)
{
    char now[21];
    clock_iso(clock_unix(), now);
    return db_run(d, NULL, err,
                  "INSERT INTO referral_events(referral_id, event, state_from, state_to, at,"
                  " actor_id, actor_name, org_id, org_name, summary) VALUES (?,?,?,?,?,?,?,?,?,?)",
                  "issssIsiss", rid, event, from, to, now, who->user_id, who->name, who->org_id,
                  who->org_name, summary);
}

/* ---- drafting ---- */

/* The orgs a partner may refer to: committees and dispatched rooms in its parent's
 * subtree (the same set org_store shows a partner), not dissolved. */
static int check_target(db *d, const char *partner_path, int64_t target_id, org_row *t, tj_err *err)
{
    bool found;
    if (org_get_row(d, target_id, t, &found, err) != 0)
        return -1;
    char parent[256];
    snprintf(parent, sizeof parent, "%s", partner_path);
    size_t n = strlen(parent);
    if (n > 1) {
        parent[n - 1] = 0;
        char *slash = strrchr(parent, '/');
        if (slash)
            slash[1] = 0;
    }
    if (!found || strncmp(t->path, parent, strlen(parent)) != 0 ||
        (strcmp(t->kind, "committee") != 0 && strcmp(t->kind, "dispatched_room") != 0))
        return err_set(err, 400, "validation_failed", "target_org_id",
                       "接收机构应为本辖区的人民调解委员会或派驻调解室");
    if (t->dissolved)
        return err_set(err, 409, "conflict", "target_org_id", "「%s」已撤销，不能接收移送",
                       t->name);
    return 0;
}

/* Validate the parties of a dispute (as case_register will) and seal identity
 * numbers: *out gets a copy of parties where each id_number is replaced by
 * id_sealed and id_number_masked. old (may be NULL) is the stored array: a masked
 * id_number equal to the one stored at the same position keeps that sealed value.
 * names gets the party names for lists, applicants first. */
static int seal_parties(json_t *parties, json_t *old, tj_date today, json_t **out, buf *names,
                        tj_err *err)
{
    int applicants = 0, respondents = 0;
    json_t *arr = json_array();
    for (size_t i = 0; i < json_array_size(parties); i++) {
        json_t *p = json_deep_copy(json_array_get(parties, i));
        json_array_append_new(arr, p);
        const char *role = jstr(p, "role");
        const char *kind = jstr(p, "kind") ? jstr(p, "kind") : "person";
        applicants += role && strcmp(role, "applicant") == 0;
        respondents += role && strcmp(role, "respondent") == 0;
        char field[64];
        const char *idn = jstr(p, "id_number");
        if (idn) {
            snprintf(field, sizeof field, "parties[%zu].id_number", i);
            if (strcmp(kind, "person") != 0) {
                err_set(err, 400, "validation_failed", field, "只有自然人填写身份证号");
                goto fail;
            }
            if (strchr(idn, '*')) {
                json_t *o = json_array_get(old, i);
                const char *om = o ? jstr(o, "id_number_masked") : NULL;
                if (!om || strcmp(om, idn) != 0 || !jstr(o, "id_sealed")) {
                    err_set(err, 400, "validation_failed", field, "请填写完整的身份证号");
                    goto fail;
                }
                json_object_set_new(p, "id_sealed", json_string(jstr(o, "id_sealed")));
                json_object_set_new(p, "id_number_masked", json_string(om));
                json_object_del(p, "id_number");
            } else {
                idcheck_id_info info;
                if (idcheck_id_number(idn, today, &info, err) != 0) {
                    snprintf(err->field, sizeof err->field, "%s", field);
                    goto fail;
                }
                char masked[32];
                idcheck_mask_id(info.id_number, masked, sizeof masked);
                char *sealed = crypto_seal(info.id_number);
                json_object_set_new(p, "id_sealed", json_string(sealed));
                json_object_set_new(p, "id_number_masked", json_string(masked));
                free(sealed);
                json_object_del(p, "id_number");
            }
        }
        if (jstr(p, "credit_code")) {
            char credit[IDCHECK_CREDIT_CODE_SIZE];
            snprintf(field, sizeof field, "parties[%zu].credit_code", i);
            if (strcmp(kind, "person") == 0) {
                err_set(err, 400, "validation_failed", field, "自然人无需填写统一社会信用代码");
                goto fail;
            }
            if (idcheck_credit_code(jstr(p, "credit_code"), credit, err) != 0) {
                snprintf(err->field, sizeof err->field, "%s", field);
                goto fail;
            }
        }
        static const char *const phones[] = {"phone", "agent_phone"};
        for (int k = 0; k < 2; k++)
            if (jstr(p, phones[k]) && idcheck_phone(jstr(p, phones[k]), err) != 0) {
                snprintf(err->field, sizeof err->field, "parties[%zu].%s", i, phones[k]);
                goto fail;
            }
    }
    if (!applicants || !respondents) {
        err_set(err, 400, "validation_failed", "parties",
                "当事人中至少应有一名申请人和一名被申请人");
        goto fail;
    }
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < json_array_size(arr); i++) {
            json_t *p = json_array_get(arr, i);
            bool app = strcmp(jstr(p, "role"), "applicant") == 0;
            if (app != (pass == 0))
                continue;
            if (names->len)
                buf_puts(names, "、");
            buf_puts(names, jstr(p, "name"));
        }
    *out = arr;
    return 0;
fail:
    json_decref(arr);
    return -1;
}

/* The members of a body that make up the dispute (the future case body). */
static const char *const dispute_keys[] = {
    "title",  "dispute_type",    "flags", "facts",       "claims",
    "amount", "people_involved", "place", "occurred_on", NULL};
/* Members that may not be cleared by a PATCH. */
static const char *const required_keys[] = {"title", "dispute_type", "facts", "letter_no", NULL};

static int check_dates(json_t *b, tj_date today, tj_err *err)
{
    static const char *const keys[] = {"occurred_on", "letter_date"};
    for (int i = 0; i < 2; i++) {
        tj_date x;
        if (!jstr(b, keys[i]))
            continue;
        if (date_parse(jstr(b, keys[i]), &x, keys[i], err) != 0)
            return -1;
        if (date_compare(x, today) > 0)
            return err_set(err, 400, "validation_failed", keys[i], "日期不能晚于今天");
    }
    return 0;
}

static int letter_no_free(db *d, int64_t partner_org_id, const char *letter_no, int64_t self,
                          tj_err *err)
{
    int64_t other = 0;
    bool found;
    if (db_scalar_int(
            d, &other, &found, err,
            "SELECT id FROM referrals WHERE partner_org_id = ? AND letter_no = ? AND id <> ?",
            "isi", partner_org_id, letter_no, self) != 0)
        return -1;
    if (found)
        return err_set(err, 409, "conflict", "letter_no",
                       "移送函号「%s」已被本单位的移送（编号 %lld）使用", letter_no,
                       (long long)other);
    return 0;
}

static int count_consent(db *d, int64_t rid, int64_t *n, tj_err *err)
{
    return db_scalar_int(d, n, NULL, err,
                         "SELECT COUNT(*) FROM referral_attachments WHERE referral_id = ? AND"
                         " side = 'partner' AND kind = 'consent'",
                         "i", rid);
}

int referral_create(db *d, const principal *who, json_t *body, tj_date today, int64_t *id,
                    tj_err *err)
{
    if (!perm_partner_side(who->role))
        return err_set(err, 403, "forbidden", NULL, "只有对接单位可以移送纠纷");
    if (check_dates(body, today, err) != 0)
        return -1;
    char ptype[32] = "", ppath[256] = "";
    bool dissolved = false;
    db_stmt *s;
    if (db_query(d, &s, err,
                 "SELECT COALESCE(partner_type, ''), path, dissolved_on IS NOT NULL FROM orgs"
                 " WHERE id = ? AND kind = 'partner'",
                 "i", who->org_id) != 0)
        return -1;
    int rc = db_step(s, err);
    if (rc == 1) {
        COPY(ptype, db_col_text(s, 0));
        COPY(ppath, db_col_text(s, 1));
        dissolved = db_col_int(s, 2) != 0;
    }
    db_done(s);
    if (rc < 0)
        return -1;
    if (rc == 0)
        return err_set(err, 403, "forbidden", NULL, "只有对接单位可以移送纠纷");
    if (dissolved)
        return err_set(err, 409, "conflict", NULL, "本单位已撤销，不能移送纠纷");
    const char *channel =
        jstr(body, "channel") ? jstr(body, "channel") : referral_channel_for_partner(ptype);
    if (!channel)
        return err_set(err, 400, "validation_failed", "channel", "请选择移送渠道");
    org_row t;
    if (check_target(d, ppath, jint(body, "target_org_id", 0), &t, err) != 0 ||
        letter_no_free(d, who->org_id, jstr(body, "letter_no"), 0, err) != 0)
        return -1;
    json_t *dispute = json_object();
    for (int i = 0; dispute_keys[i]; i++) {
        json_t *v = json_object_get(body, dispute_keys[i]);
        if (v && !json_is_null(v))
            json_object_set(dispute, dispute_keys[i], v);
    }
    json_t *sealed;
    buf names;
    buf_init(&names, 4096);
    if (seal_parties(json_object_get(body, "parties"), NULL, today, &sealed, &names, err) != 0) {
        json_decref(dispute);
        buf_free(&names);
        return -1;
    }
    json_object_set_new(dispute, "parties", sealed);
    char *dj = json_dumps(dispute, JSON_COMPACT);
    json_decref(dispute);
    char now[21], t1[DATE_STR_SIZE];
    clock_iso(clock_unix(), now);
    today_str(today, t1);
    rc = db_scalar_int(
        d, id, NULL, err,
        "INSERT INTO referrals(letter_no, letter_date, channel, partner_org_id, partner_org_path,"
        " target_org_id, target_org_path, status, title, dispute_type, party_names, dispute, note,"
        " contact_name, contact_phone, created_by, created_by_name, created_at, updated_at)"
        " VALUES (?,?,?,?,?,?,?,'draft',?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
        "sssisissssssssIsss", jstr(body, "letter_no"),
        jstr(body, "letter_date") ? jstr(body, "letter_date") : t1, channel, who->org_id, ppath,
        t.id, t.path, jstr(body, "title"), jstr(body, "dispute_type"), names.data ? names.data : "",
        dj, jstr(body, "note"), jstr(body, "contact_name"), jstr(body, "contact_phone"),
        who->user_id, who->name, now, now);
    free(dj);
    buf_free(&names);
    if (rc != 0)
        return -1;
    char sum[512];
    snprintf(sum, sizeof sum, REFERRAL_SUM_CREATE, jstr(body, "letter_no"), t.name);
    if (add_event(d, who, *id, "create", NULL, "draft", sum, err) != 0)
        return -1;
    json_t *atts = json_object_get(body, "attachments");
    referral_row r;
    if (json_array_size(atts) && referral_get(d, who, *id, &r, err) != 0)
        return -1;
    for (size_t i = 0; i < json_array_size(atts); i++) {
        json_t *a = json_array_get(atts, i);
        if (referral_attach(d, who, &r, jint(a, "file_id", 0), jstr(a, "kind"), jstr(a, "title"),
                            true, err) != 0) {
            if (strcmp(err->field, "file_id") == 0)
                snprintf(err->field, sizeof err->field, "attachments[%zu].file_id", i);
            return -1;
        }
    }
    return 0;
}

int referral_update(db *d, const principal *who, referral_row *r, json_t *body, tj_date today,
                    tj_err *err)
{
    if (!is_partner_of(who, r))
        return side_fail(REFERRAL_SIDE_PARTNER, err);
    if (!referral_editable(r->state))
        return err_set(err, 409, "conflict", "state", "移送当前状态为“%s”，不能修改",
                       referral_state_label(r->state));
    for (int i = 0; required_keys[i]; i++)
        if (json_is_null(json_object_get(body, required_keys[i])))
            return err_set(err, 400, "validation_failed", required_keys[i], "该项不能为空");
    if (json_is_null(json_object_get(body, "parties")) ||
        json_is_null(json_object_get(body, "target_org_id")))
        return err_set(err, 400, "validation_failed",
                       json_is_null(json_object_get(body, "parties")) ? "parties" : "target_org_id",
                       "该项不能为空");
    if (check_dates(body, today, err) != 0)
        return -1;
    db_stmt *s;
    json_t *dispute = NULL;
    if (db_query(d, &s, err, "SELECT dispute FROM referrals WHERE id = ?", "i", r->id) != 0)
        return -1;
    if (db_step(s, err) == 1)
        dispute = json_loads(db_col_text(s, 0), 0, NULL);
    db_done(s);
    if (!dispute)
        return err_set(err, 500, "internal", NULL, "移送数据损坏");
    int rc = -1;
    buf names;
    buf_init(&names, 4096);
    for (int i = 0; dispute_keys[i]; i++) {
        json_t *v = json_object_get(body, dispute_keys[i]);
        if (!v)
            continue;
        if (json_is_null(v))
            json_object_del(dispute, dispute_keys[i]);
        else
            json_object_set(dispute, dispute_keys[i], v);
    }
    json_t *parties = json_object_get(body, "parties");
    if (parties) {
        json_t *sealed;
        if (seal_parties(parties, json_object_get(dispute, "parties"), today, &sealed, &names,
                         err) != 0)
            goto done;
        json_object_set_new(dispute, "parties", sealed);
    }
    org_row t = {0};
    if (jint(body, "target_org_id", 0) &&
        check_target(d, r->partner_org_path, jint(body, "target_org_id", 0), &t, err) != 0)
        goto done;
    if (jstr(body, "letter_no") &&
        letter_no_free(d, r->partner_org_id, jstr(body, "letter_no"), r->id, err) != 0)
        goto done;
    char *dj = json_dumps(dispute, JSON_COMPACT);
    char now[21];
    clock_iso(clock_unix(), now);
    /* optional text members: absent keeps, null clears */
#define OPT(k) (json_object_get(body, k) ? 1 : 0), jstr(body, k)
    rc = db_run(d, NULL, err,
                "UPDATE referrals SET dispute = ?, title = COALESCE(?, title),"
                " dispute_type = COALESCE(?, dispute_type),"
                " party_names = COALESCE(?, party_names), letter_no = COALESCE(?, letter_no),"
                " letter_date = COALESCE(?, letter_date), channel = COALESCE(?, channel),"
                " target_org_id = COALESCE(?, target_org_id),"
                " target_org_path = COALESCE(?, target_org_path),"
                " note = CASE WHEN ? = 1 THEN ? ELSE note END,"
                " contact_name = CASE WHEN ? = 1 THEN ? ELSE contact_name END,"
                " contact_phone = CASE WHEN ? = 1 THEN ? ELSE contact_phone END,"
                " updated_at = ? WHERE id = ?",
                "sssssssIsisisissi", dj, jstr(body, "title"), jstr(body, "dispute_type"),
                parties ? names.data : NULL, jstr(body, "letter_no"), jstr(body, "letter_date"),
                jstr(body, "channel"), t.id, t.id ? t.path : NULL, (int64_t)OPT("note"),
                (int64_t)OPT("contact_name"), (int64_t)OPT("contact_phone"), now, r->id);
#undef OPT
    free(dj);
    if (rc != 0)
        goto done;
    rc = add_event(d, who, r->id, "update", "draft", "draft", "修改移送草稿", err);
done:
    json_decref(dispute);
    buf_free(&names);
    return rc;
}

/* ---- attachments ---- */

int referral_attach(db *d, const principal *who, const referral_row *r, int64_t file_id,
                    const char *kind, const char *title, bool check_owner, tj_err *err)
{
    if (!is_partner_of(who, r))
        return side_fail(REFERRAL_SIDE_PARTNER, err);
    if (!referral_editable(r->state))
        return err_set(err, 409, "conflict", "state", "移送当前状态为“%s”，不能再添加材料",
                       referral_state_label(r->state));
    bool found = false, visible = !check_owner;
    file_row f;
    if ((check_owner && file_store_visible(d, who, file_id, &visible, err) != 0) ||
        file_store_get(d, file_id, &f, &found, err) != 0)
        return -1;
    if (!visible || !found)
        return err_set(err, 400, "validation_failed", "file_id", "文件不存在");
    char now[21];
    clock_iso(clock_unix(), now);
    if (db_run(d, NULL, err,
               "INSERT INTO referral_attachments(referral_id, side, file_id, kind, title,"
               " created_by, created_at) VALUES (?,'partner',?,?,?,?,?)",
               "iissIs", r->id, file_id, kind, title, who->user_id, now) != 0)
        return -1;
    char sum[512];
    snprintf(sum, sizeof sum, "添加材料：%s（%s）", title,
             dict_label("referral_attachment_kind", kind));
    const char *st = referral_state_name(r->state);
    return add_event(d, who, r->id, "attach", st, st, sum, err);
}

int referral_detach(db *d, const principal *who, const referral_row *r, int64_t attachment_id,
                    tj_err *err)
{
    if (!is_partner_of(who, r))
        return side_fail(REFERRAL_SIDE_PARTNER, err);
    if (!referral_editable(r->state))
        return err_set(err, 409, "conflict", "state", "移送当前状态为“%s”，不能删除材料",
                       referral_state_label(r->state));
    char title[256] = "";
    db_stmt *s;
    if (db_query(d, &s, err,
                 "SELECT title FROM referral_attachments WHERE id = ? AND referral_id = ? AND"
                 " side = 'partner'",
                 "ii", attachment_id, r->id) != 0)
        return -1;
    int rc = db_step(s, err);
    if (rc == 1)
        COPY(title, db_col_text(s, 0));
    db_done(s);
    if (rc < 0)
        return -1;
    if (rc == 0)
        return err_set(err, 404, "not_found", NULL, "材料不存在");
    char sum[512];
    snprintf(sum, sizeof sum, "删除材料：%s", title);
    if (db_run(d, NULL, err, "DELETE FROM referral_attachments WHERE id = ?", "i", attachment_id) !=
        0)
        return -1;
    return add_event(d, who, r->id, "detach", "draft", "draft", sum, err);
}

int referral_has_file(db *d, const referral_row *r, int64_t file_id, bool *found, tj_err *err)
{
    int64_t n = 0;
    if (db_scalar_int(
            d, &n, NULL, err,
            "SELECT COUNT(*) FROM referral_attachments WHERE referral_id = ? AND file_id = ?", "ii",
            r->id, file_id) != 0)
        return -1;
    *found = n > 0;
    return 0;
}

/* ---- events ---- */

static int set_status(db *d, const referral_row *r, referral_state to, tj_err *err)
{
    char now[21];
    clock_iso(clock_unix(), now);
    return db_run(d, NULL, err, "UPDATE referrals SET status = ?, updated_at = ? WHERE id = ?",
                  "ssi", referral_state_name(to), now, r->id);
}

/* Record the receipt (回执) if none is recorded yet: an accept or return without an
 * explicit receipt acknowledges receipt too. */
static int implicit_receipt(db *d, const principal *who, const referral_row *r, tj_err *err)
{
    char now[21];
    clock_iso(clock_unix(), now);
    return db_run(d, NULL, err,
                  "UPDATE referrals SET receipt_at = ?, receipt_by_name = ? WHERE id = ? AND"
                  " receipt_at IS NULL",
                  "ssi", now, who->name, r->id);
}

static const char *case_attachment_kind(const char *referral_kind)
{
    static const struct {
        const char *from, *to;
    } map[] = {{"consent", "consent"},
               {"referral_letter", "referral_letter"},
               {"evidence", "evidence"},
               {"id_proof", "id_proof"},
               {"agreement", "signed_agreement"}};
    for (size_t i = 0; i < sizeof map / sizeof *map; i++)
        if (strcmp(referral_kind, map[i].from) == 0)
            return map[i].to;
    return "other";
}

/* Accept: register the case from the stored dispute at the target, accept it on
 * accepted_on, link it to the partner and copy the partner's materials to it. */
static int ev_accept(db *d, const principal *who, referral_row *r, json_t *b, const calendar *cal,
                     const deadline_settings *ds, tj_date today, char *sum, size_t cap, tj_err *err)
{
    tj_date rec, acc;
    if (date_parse(r->received_on, &rec, NULL, err) != 0 ||
        body_date(b, "accepted_on", today, &acc, err) != 0 ||
        referral_check_decision_date(rec, acc, today, "accepted_on", err) != 0)
        return -1;
    char accs[DATE_STR_SIZE];
    today_str(acc, accs);
    json_t *body = NULL;
    db_stmt *s;
    if (db_query(d, &s, err, "SELECT dispute FROM referrals WHERE id = ?", "i", r->id) != 0)
        return -1;
    if (db_step(s, err) == 1)
        body = json_loads(db_col_text(s, 0), 0, NULL);
    db_done(s);
    if (!body)
        return err_set(err, 500, "internal", NULL, "移送数据损坏");
    int rc = -1;
    json_t *p;
    size_t i;
    json_array_foreach(json_object_get(body, "parties"), i, p)
    {
        const char *sealed = jstr(p, "id_sealed");
        if (sealed) {
            char *plain = crypto_open(sealed);
            if (!plain) {
                err_set(err, 500, "internal", NULL, "无法解密当事人身份证号（密钥不匹配）");
                goto done;
            }
            json_object_set_new(p, "id_number", json_string(plain));
            crypto_wipe(plain, strlen(plain));
            free(plain);
        }
        json_object_del(p, "id_sealed");
        json_object_del(p, "id_number_masked");
    }
    json_object_set_new(body, "source", json_string("referral"));
    json_object_set_new(body, "org_id", json_integer(r->target_org_id));
    int64_t case_id;
    case_row c;
    char csum[512];
    json_t *ab = json_pack("{s:s}", "accepted_on", accs);
    int arc = case_register(d, who, body, today, &case_id, err);
    if (arc == 0)
        arc = db_run(d, NULL, err, "UPDATE cases SET referrer_org_id = ? WHERE id = ?", "ii",
                     r->partner_org_id, case_id);
    if (arc == 0)
        arc = case_get(d, who, case_id, &c, err);
    if (arc == 0)
        arc = case_apply(d, who, &c, CASE_FLOW_EVENT_ACCEPT, ab, cal, ds, today, csum, sizeof csum,
                         err);
    json_decref(ab);
    if (arc != 0)
        goto done;
    if (db_query(d, &s, err,
                 "SELECT file_id, kind, title FROM referral_attachments WHERE referral_id = ? AND"
                 " side = 'partner' ORDER BY id",
                 "i", r->id) != 0)
        goto done;
    json_t *files;
    if (db_rows_json(s, &files, err) != 0)
        goto done;
    json_t *f;
    json_array_foreach(files, i, f)
    {
        if (case_attach(d, who, &c, jint(f, "file_id", 0), case_attachment_kind(jstr(f, "kind")),
                        jstr(f, "title"), err) != 0) {
            json_decref(files);
            goto done;
        }
    }
    json_decref(files);
    if (implicit_receipt(d, who, r, err) != 0 ||
        db_run(d, NULL, err, "UPDATE referrals SET decided_on = ?, case_id = ? WHERE id = ?", "sii",
               accs, case_id, r->id) != 0)
        goto done;
    r->case_id = case_id;
    COPY(r->decided_on, accs);
    snprintf(sum, cap, REFERRAL_SUM_ACCEPT, r->target_org_name, accs, c.case_no);
    rc = 0;
done:
    json_decref(body);
    return rc;
}

static int ev_feedback(db *d, const principal *who, referral_row *r, json_t *b, tj_date today,
                       char *sum, size_t cap, tj_err *err)
{
    db_stmt *s;
    char status[24] = "", form[16] = "", due[DATE_STR_SIZE] = "";
    bool agreed = false, terminated = false;
    if (db_query(d, &s, err,
                 "SELECT c.status, c.agreed_on IS NOT NULL, c.terminated_on IS NOT NULL,"
                 " COALESCE(a.form, ''), COALESCE(dl.due_on, '') FROM cases c LEFT JOIN"
                 " case_agreements a ON a.case_id = c.id LEFT JOIN case_deadlines dl ON"
                 " dl.case_id = c.id AND dl.kind = 'feedback' WHERE c.id = ?",
                 "i", r->case_id) != 0)
        return -1;
    int rc = db_step(s, err);
    if (rc == 1) {
        COPY(status, db_col_text(s, 0));
        agreed = db_col_int(s, 1) != 0;
        terminated = db_col_int(s, 2) != 0;
        COPY(form, db_col_text(s, 3));
        COPY(due, db_col_text(s, 4));
    }
    db_done(s);
    if (rc < 0)
        return -1;
    referral_outcome o = referral_outcome_of_case(status, agreed, terminated);
    json_t *ids = json_object_get(b, "file_ids");
    const char *text = jstr(b, "text");
    if (referral_check_feedback(o, strcmp(form, "written") == 0, text ? strlen(text) : 0,
                                json_array_size(ids), err) != 0) {
        if (o == REFERRAL_OUTCOME_NONE)
            err_set(err, 409, "conflict", "state", "案件当前状态为“%s”，尚未调结，暂不能反馈",
                    dict_label("case_status", status) ? dict_label("case_status", status) : status);
        return -1;
    }
    char now[21], t[DATE_STR_SIZE];
    clock_iso(clock_unix(), now);
    today_str(today, t);
    for (size_t i = 0; i < json_array_size(ids); i++) {
        int64_t fid = (int64_t)json_integer_value(json_array_get(ids, i));
        char field[48], title[256] = "", ckind[32] = "";
        snprintf(field, sizeof field, "file_ids[%zu]", i);
        /* a file of the case, or one the caller uploaded */
        if (db_query(d, &s, err,
                     "SELECT title, kind FROM case_attachments WHERE case_id = ? AND file_id = ?"
                     " ORDER BY id LIMIT 1",
                     "ii", r->case_id, fid) != 0)
            return -1;
        rc = db_step(s, err);
        if (rc == 1) {
            COPY(title, db_col_text(s, 0));
            COPY(ckind, db_col_text(s, 1));
        }
        db_done(s);
        if (rc < 0)
            return -1;
        if (rc == 0) {
            bool visible = false, found = false;
            file_row f;
            if (who->user_id && (file_store_visible(d, who, fid, &visible, err) != 0 ||
                                 file_store_get(d, fid, &f, &found, err) != 0))
                return -1;
            if (!visible || !found)
                return err_set(err, 400, "validation_failed", field, "文件不存在");
            COPY(title, f.name);
        }
        const char *kind = strcmp(ckind, "signed_agreement") == 0      ? "agreement"
                           : o == REFERRAL_OUTCOME_TERMINATED          ? "termination"
                           : o == REFERRAL_OUTCOME_AGREED && !ckind[0] ? "agreement"
                                                                       : "other";
        if (db_run(d, NULL, err,
                   "INSERT INTO referral_attachments(referral_id, side, file_id, kind, title,"
                   " created_by, created_at) VALUES (?,'committee',?,?,?,?,?)",
                   "iissIs", r->id, fid, kind, title, who->user_id, now) != 0)
            return -1;
    }
    if (db_run(d, NULL, err,
               "UPDATE referrals SET feedback_outcome = ?, feedback_text = ?, feedback_due_on = ?,"
               " feedback_sent_on = ?, feedback_sent_at = ?, feedback_by_name = ? WHERE id = ?",
               "ssssssi", referral_outcome_name(o), text, due[0] ? due : NULL, t, now, who->name,
               r->id) != 0 ||
        db_run(d, NULL, err,
               "UPDATE case_deadlines SET stopped_on = ? WHERE case_id = ? AND kind = 'feedback'"
               " AND stopped_on IS NULL",
               "si", t, r->case_id) != 0)
        return -1;
    tj_date dd;
    bool late = due[0] && date_parse(due, &dd, NULL, NULL) == 0 &&
                referral_timeliness_of(dd, &today, today) == REFERRAL_LATE;
    snprintf(sum, cap, REFERRAL_SUM_FEEDBACK, r->partner_org_name, referral_outcome_label(o),
             late ? REFERRAL_SUM_FEEDBACK_LATE : "");
    return 0;
}

int referral_apply(db *d, const principal *who, referral_row *r, referral_event ev, json_t *b,
                   const calendar *cal, const deadline_settings *ds, tj_date today, char *sum,
                   size_t cap, tj_err *err)
{
    referral_state next;
    char cpath[256] = "";
    if (ev == REFERRAL_EV_FEEDBACK && case_path_of(d, r->case_id, cpath, sizeof cpath, err) != 0)
        return -1;
    referral_side side = referral_event_side(ev);
    if (!side_ok(who, r, side, cpath))
        return side_fail(side, err);
    if (referral_next(r->state, ev, &next, err) != 0)
        return -1;
    char now[21], t[DATE_STR_SIZE], d1[DATE_STR_SIZE], d2[DATE_STR_SIZE];
    clock_iso(clock_unix(), now);
    today_str(today, t);
    tj_date x, due;
    int64_t n;
    sum[0] = 0;
    switch (ev) {
    case REFERRAL_EV_SUBMIT:
    case REFERRAL_EV_APPROVE:
        if (count_consent(d, r->id, &n, err) != 0)
            return -1;
        if (!n)
            return err_set(err, 409, "conflict", "attachments",
                           "请先上传当事人同意调解的书面材料（当事人同意调解书）");
        if (ev == REFERRAL_EV_SUBMIT) {
            if (db_run(d, NULL, err, "UPDATE referrals SET submitted_at = ? WHERE id = ?", "si",
                       now, r->id) != 0)
                return -1;
            snprintf(sum, cap, REFERRAL_SUM_SUBMIT);
            break;
        }
        {
            org_row tg;
            bool found;
            if (org_get_row(d, r->target_org_id, &tg, &found, err) != 0)
                return -1;
            if (!found || tg.dissolved)
                return err_set(err, 409, "conflict", "target_org_id",
                               "接收机构已撤销，请修改后再移送");
        }
        if (referral_accept_due(cal, ds, today, &due, err) != 0)
            return -1;
        today_str(due, d2);
        if (db_run(
                d, NULL, err,
                "UPDATE referrals SET approved_by_name = ?, approved_at = ?, approval_comment = ?,"
                " submitted_at = COALESCE(submitted_at, ?), sent_on = ?, received_on = ?,"
                " accept_due_on = ? WHERE id = ?",
                "sssssssi", who->name, now, jstr(b, "comment"), now, t, t, d2, r->id) != 0)
            return -1;
        COPY(r->sent_on, t);
        COPY(r->received_on, t);
        COPY(r->accept_due_on, d2);
        snprintf(sum, cap, REFERRAL_SUM_APPROVE, who->name, r->target_org_name, d2);
        break;
    case REFERRAL_EV_REJECT:
        if (db_run(d, NULL, err,
                   "UPDATE referrals SET approval_comment = ?, submitted_at = NULL WHERE id = ?",
                   "si", jstr(b, "comment"), r->id) != 0)
            return -1;
        snprintf(sum, cap, "退回修改：%s", jstr(b, "comment"));
        break;
    case REFERRAL_EV_CANCEL:
        snprintf(sum, cap, "撤销移送%s%s", jstr(b, "reason") ? "：" : "",
                 jstr(b, "reason") ? jstr(b, "reason") : "");
        break;
    case REFERRAL_EV_RECEIPT: {
        tj_date letter, sent;
        if (date_parse(r->letter_date, &letter, NULL, err) != 0 ||
            date_parse(r->sent_on, &sent, NULL, err) != 0 ||
            body_date(b, "received_on", sent, &x, err) != 0 ||
            referral_check_received_on(letter, sent, x, err) != 0 ||
            referral_accept_due(cal, ds, x, &due, err) != 0)
            return -1;
        today_str(x, d1);
        today_str(due, d2);
        if (db_run(d, NULL, err,
                   "UPDATE referrals SET received_on = ?, accept_due_on = ?, receipt_at = ?,"
                   " receipt_by_name = ?, receipt_note = ? WHERE id = ?",
                   "sssssi", d1, d2, now, who->name, jstr(b, "note"), r->id) != 0)
            return -1;
        COPY(r->received_on, d1);
        COPY(r->accept_due_on, d2);
        snprintf(sum, cap, REFERRAL_SUM_RECEIPT, r->target_org_name, d1, d2);
        break;
    }
    case REFERRAL_EV_ACCEPT:
        if (ev_accept(d, who, r, b, cal, ds, today, sum, cap, err) != 0)
            return -1;
        break;
    case REFERRAL_EV_RETURN: {
        tj_date rec;
        if (referral_check_return(jstr(b, "reason_code"), jstr(b, "reason_text"), err) != 0 ||
            date_parse(r->received_on, &rec, NULL, err) != 0 ||
            body_date(b, "returned_on", today, &x, err) != 0 ||
            referral_check_decision_date(rec, x, today, "returned_on", err) != 0)
            return -1;
        today_str(x, d1);
        if (implicit_receipt(d, who, r, err) != 0 ||
            db_run(d, NULL, err,
                   "UPDATE referrals SET decided_on = ?, return_reason_code = ?,"
                   " return_reason_text = ? WHERE id = ?",
                   "sssi", d1, jstr(b, "reason_code"), jstr(b, "reason_text"), r->id) != 0)
            return -1;
        COPY(r->decided_on, d1);
        snprintf(sum, cap, REFERRAL_SUM_RETURN, r->target_org_name,
                 dict_label("return_reason", jstr(b, "reason_code")), jstr(b, "reason_text"));
        break;
    }
    case REFERRAL_EV_DISPUTE:
        if (db_run(d, NULL, err,
                   "INSERT INTO referral_consultations(referral_id, disputed_at, disputed_by_name,"
                   " dispute_reason, returned_by_org_id) VALUES (?,?,?,?,?)",
                   "isssi", r->id, now, who->name, jstr(b, "reason"), r->target_org_id) != 0)
            return -1;
        snprintf(sum, cap, REFERRAL_SUM_DISPUTE, jstr(b, "reason"));
        break;
    case REFERRAL_EV_CONSULT_ACCEPT:
    case REFERRAL_EV_CONSULT_TRANSFER:
    case REFERRAL_EV_CONSULT_UPHOLD: {
        tj_date dec;
        if (date_parse(r->decided_on, &dec, NULL, err) != 0 ||
            body_date(b, "held_on", today, &x, err) != 0 ||
            referral_check_decision_date(dec, x, today, "held_on", err) != 0)
            return -1;
        today_str(x, d1);
        int64_t cid = 0;
        if (db_scalar_int(d, &cid, NULL, err,
                          "SELECT COALESCE(MAX(id), 0) FROM referral_consultations WHERE"
                          " referral_id = ? AND decided_at IS NULL",
                          "i", r->id) != 0)
            return -1;
        org_row nt = {0};
        if (ev == REFERRAL_EV_CONSULT_TRANSFER) {
            if (!jint(b, "target_org_id", 0))
                return err_set(err, 400, "validation_failed", "target_org_id",
                               "改由其他调解组织受理时，请选择接收机构");
            if (check_target(d, r->partner_org_path, jint(b, "target_org_id", 0), &nt, err) != 0)
                return -1;
            if (nt.id == r->target_org_id)
                return err_set(err, 400, "validation_failed", "target_org_id",
                               "新的接收机构应不同于原接收机构");
            if (!scope_contains(who, nt.path))
                return err_set(err, 400, "validation_failed", "target_org_id",
                               "新的接收机构不在您的管辖范围内");
        }
        const char *outcome = ev == REFERRAL_EV_CONSULT_ACCEPT     ? "accept"
                              : ev == REFERRAL_EV_CONSULT_TRANSFER ? "transfer"
                                                                   : "uphold";
        if (db_run(d, NULL, err,
                   "UPDATE referral_consultations SET held_on = ?, participants = ?, opinion = ?,"
                   " outcome = ?, new_target_org_id = ?, decided_by_name = ?, decided_org_id = ?,"
                   " decided_at = ? WHERE id = ?",
                   "ssssIsisi", d1, jstr(b, "participants"), jstr(b, "opinion"), outcome, nt.id,
                   who->name, who->org_id, now, cid) != 0)
            return -1;
        if (ev == REFERRAL_EV_CONSULT_UPHOLD) {
            snprintf(sum, cap, REFERRAL_SUM_CONSULT_UPHOLD, d1, jstr(b, "opinion"));
            break;
        }
        /* back to a committee: a new period runs from the consultation */
        if (referral_accept_due(cal, ds, x, &due, err) != 0)
            return -1;
        today_str(due, d2);
        if (db_run(d, NULL, err,
                   "UPDATE referrals SET received_on = ?, accept_due_on = ?, decided_on = NULL,"
                   " return_reason_code = NULL, return_reason_text = NULL,"
                   " receipt_at = CASE WHEN ? = 1 THEN NULL ELSE receipt_at END,"
                   " receipt_by_name = CASE WHEN ? = 1 THEN NULL ELSE receipt_by_name END,"
                   " target_org_id = COALESCE(?, target_org_id),"
                   " target_org_path = COALESCE(?, target_org_path) WHERE id = ?",
                   "ssiiIsi", d1, d2, (int64_t)(nt.id != 0), (int64_t)(nt.id != 0), nt.id,
                   nt.id ? nt.path : NULL, r->id) != 0)
            return -1;
        if (nt.id) {
            r->target_org_id = nt.id;
            COPY(r->target_org_path, nt.path);
            COPY(r->target_org_name, nt.name);
        }
        COPY(r->received_on, d1);
        COPY(r->accept_due_on, d2);
        r->decided_on[0] = 0;
        snprintf(sum, cap, "会商（%s）：%s%s，应于 %s 前受理。%s", d1, nt.id ? "改由" : "由",
                 r->target_org_name, d2, jstr(b, "opinion"));
        break;
    }
    case REFERRAL_EV_FEEDBACK:
        if (ev_feedback(d, who, r, b, today, sum, cap, err) != 0)
            return -1;
        break;
    case REFERRAL_EV_ACKNOWLEDGE:
        if (db_run(d, NULL, err,
                   "UPDATE referrals SET acknowledged_at = ?, acknowledged_by_name = ?,"
                   " acknowledge_note = ? WHERE id = ?",
                   "sssi", now, who->name, jstr(b, "note"), r->id) != 0)
            return -1;
        snprintf(sum, cap, REFERRAL_SUM_ACKNOWLEDGE, r->partner_org_name,
                 r->state == REFERRAL_RETURNED ? REFERRAL_SUM_ACK_RETURN
                                               : REFERRAL_SUM_ACK_FEEDBACK,
                 jstr(b, "note") ? "：" : "", jstr(b, "note") ? jstr(b, "note") : "");
        break;
    default:
        return err_set(err, 400, "validation_failed", "event", "未知的移送操作");
    }
    if (set_status(d, r, next, err) != 0 ||
        add_event(d, who, r->id, referral_event_name(ev), referral_state_name(r->state),
                  referral_state_name(next), sum, err) != 0)
        return -1;
    r->state = next;
    return 0;
}

/* ---- reads ---- */

/* {"due_on","state","state_label","days_left"} of an open period, or the
 * timeliness of a finished one. */
static void period_json(json_t *o, const char *due, const char *done, tj_date today)
{
    tj_date dd, dn;
    if (!due || !*due || date_parse(due, &dd, NULL, NULL) != 0) {
        json_object_set_new(o, "due_on", json_null());
        return;
    }
    json_object_set_new(o, "due_on", json_string(due));
    bool finished = done && *done && date_parse(done, &dn, NULL, NULL) == 0;
    referral_timeliness tl = referral_timeliness_of(dd, finished ? &dn : NULL, today);
    json_object_set_new(o, "timeliness", json_string(referral_timeliness_name(tl)));
    json_object_set_new(o, "timeliness_label", json_string(referral_timeliness_label(tl)));
    if (!finished) {
        deadline_state st = deadline_status(NULL, dd, today);
        json_object_set_new(o, "state", json_string(deadline_state_name(st)));
        json_object_set_new(o, "state_label", json_string(deadline_state_label(st)));
        json_object_set_new(o, "days_left", json_integer(date_days_between(today, dd)));
    }
}

static int rows_into(db *d, json_t *obj, const char *key, tj_err *err, const char *sql, int64_t id)
{
    db_stmt *s;
    json_t *arr;
    if (db_query(d, &s, err, sql, "i", id) != 0 || db_rows_json(s, &arr, err) != 0)
        return -1;
    json_object_set_new(obj, key, arr);
    return 0;
}

static void label(json_t *o, const char *key, const char *dict_name, const char *out_key)
{
    json_t *v = json_object_get(o, key);
    const char *l = json_is_string(v) ? dict_label(dict_name, json_string_value(v)) : NULL;
    json_object_set_new(o, out_key, l ? json_string(l) : json_null());
}

static json_t *take(json_t *o, const char *const *keys)
{
    json_t *sub = json_object();
    for (int i = 0; keys[i]; i++) {
        json_t *v = json_object_get(o, keys[i]);
        json_object_set(sub, keys[i], v ? v : json_null());
        json_object_del(o, keys[i]);
    }
    return sub;
}

int referral_detail(db *d, const principal *who, int64_t id, tj_date today, json_t **out,
                    tj_err *err)
{
    referral_row r;
    if (referral_get(d, who, id, &r, err) != 0)
        return -1;
    db_stmt *s;
    if (db_query(d, &s, err,
                 "SELECT r.id, r.letter_no, r.letter_date, r.channel, r.status, r.partner_org_id,"
                 " po.name AS partner_org_name, po.partner_type, r.target_org_id,"
                 " tg.name AS target_org_name, r.title, r.dispute_type, r.party_names, r.dispute,"
                 " r.note, r.contact_name, r.contact_phone, r.created_by_name, r.created_at,"
                 " r.updated_at, r.submitted_at, r.approved_by_name, r.approved_at,"
                 " r.approval_comment, r.sent_on, r.received_on, r.receipt_at, r.receipt_by_name,"
                 " r.receipt_note, r.accept_due_on, r.decided_on, r.return_reason_code,"
                 " r.return_reason_text, r.case_id, r.feedback_outcome, r.feedback_text,"
                 " r.feedback_due_on, r.feedback_sent_on, r.feedback_sent_at, r.feedback_by_name,"
                 " r.acknowledged_at, r.acknowledged_by_name, r.acknowledge_note,"
                 " c.case_no, c.status AS case_status, c.org_id AS case_org_id,"
                 " ho.name AS case_org_name, c.org_path AS case_org_path, c.accepted_on AS"
                 " case_accepted_on, c.agreed_on AS case_agreed_on, c.terminated_on AS"
                 " case_terminated_on, c.closed_on AS case_closed_on, dl.due_on AS"
                 " case_feedback_due_on"
                 " FROM referrals r JOIN orgs po ON po.id = r.partner_org_id JOIN orgs tg ON"
                 " tg.id = r.target_org_id LEFT JOIN cases c ON c.id = r.case_id LEFT JOIN orgs"
                 " ho ON ho.id = c.org_id LEFT JOIN case_deadlines dl ON dl.case_id = c.id AND"
                 " dl.kind = 'feedback' WHERE r.id = ?",
                 "i", id) != 0)
        return -1;
    if (db_step(s, err) != 1) {
        db_done(s);
        return err->status ? -1 : err_set(err, 404, "not_found", NULL, "移送不存在");
    }
    json_t *o = db_row_json(s);
    db_done(s);
    /* dispute: the stored case body, identity numbers masked */
    json_t *dispute = json_loads(json_string_value(json_object_get(o, "dispute")), 0, NULL);
    if (!dispute)
        dispute = json_object();
    json_t *p;
    size_t i;
    json_array_foreach(json_object_get(dispute, "parties"), i, p) json_object_del(p, "id_sealed");
    json_object_set_new(o, "dispute", dispute);
    label(o, "channel", "referral_channel", "channel_label");
    label(o, "status", "referral_status", "status_label");
    label(o, "dispute_type", "dispute_type", "dispute_type_label");
    label(o, "return_reason_code", "return_reason", "return_reason_label");
    /* the accept-or-return period */
    static const char *const accept_keys[] = {
        "sent_on",      "received_on",   "receipt_at", "receipt_by_name",
        "receipt_note", "accept_due_on", "decided_on", NULL};
    json_t *acc = take(o, accept_keys);
    json_object_set_new(acc, "received",
                        json_boolean(!json_is_null(json_object_get(acc, "receipt_at"))));
    period_json(acc, json_string_value(json_object_get(acc, "accept_due_on")),
                json_string_value(json_object_get(acc, "decided_on")), today);
    json_object_del(acc, "accept_due_on");
    /* the linked case */
    static const char *const case_keys[] = {"case_id",
                                            "case_no",
                                            "case_status",
                                            "case_org_id",
                                            "case_org_name",
                                            "case_org_path",
                                            "case_accepted_on",
                                            "case_agreed_on",
                                            "case_terminated_on",
                                            "case_closed_on",
                                            "case_feedback_due_on",
                                            NULL};
    json_t *cs = take(o, case_keys);
    char case_path[256] = "";
    bool case_ended = false; /* feedback is offered only once the case has an outcome */
    json_t *fb = NULL;
    static const char *const fb_keys[] = {"feedback_outcome", "feedback_text",
                                          "feedback_due_on",  "feedback_sent_on",
                                          "feedback_sent_at", "feedback_by_name",
                                          "acknowledged_at",  "acknowledged_by_name",
                                          "acknowledge_note", NULL};
    json_t *fbr = take(o, fb_keys);
    if (json_is_integer(json_object_get(cs, "case_id"))) {
        snprintf(case_path, sizeof case_path, "%s",
                 json_string_value(json_object_get(cs, "case_org_path")));
        const char *st = json_string_value(json_object_get(cs, "case_status"));
        referral_outcome oc =
            referral_outcome_of_case(st, !json_is_null(json_object_get(cs, "case_agreed_on")),
                                     !json_is_null(json_object_get(cs, "case_terminated_on")));
        case_ended = oc != REFERRAL_OUTCOME_NONE;
        json_t *c = json_pack(
            "{s:O,s:O,s:O,s:s,s:O,s:O,s:O,s:O,s:O,s:O}", "id", json_object_get(cs, "case_id"),
            "case_no", json_object_get(cs, "case_no"), "status", json_object_get(cs, "case_status"),
            "status_label", dict_label("case_status", st) ? dict_label("case_status", st) : "",
            "org_id", json_object_get(cs, "case_org_id"), "org_name",
            json_object_get(cs, "case_org_name"), "accepted_on",
            json_object_get(cs, "case_accepted_on"), "agreed_on",
            json_object_get(cs, "case_agreed_on"), "terminated_on",
            json_object_get(cs, "case_terminated_on"), "closed_on",
            json_object_get(cs, "case_closed_on"));
        json_object_set_new(o, "case", c);
        if (oc != REFERRAL_OUTCOME_NONE ||
            !json_is_null(json_object_get(fbr, "feedback_sent_on"))) {
            fb = json_object();
            const char *sent = json_string_value(json_object_get(fbr, "feedback_sent_on"));
            const char *due = sent ? json_string_value(json_object_get(fbr, "feedback_due_on"))
                                   : json_string_value(json_object_get(cs, "case_feedback_due_on"));
            json_object_set_new(fb, "outcome", json_string(referral_outcome_name(oc)));
            json_object_set_new(fb, "outcome_label", json_string(referral_outcome_label(oc)));
            json_object_set_new(fb, "sent", json_boolean(sent != NULL));
            static const char *const names[] = {"text",
                                                "sent_on",
                                                "sent_at",
                                                "by_name",
                                                "acknowledged_at",
                                                "acknowledged_by_name",
                                                "acknowledge_note"};
            static const char *const src[] = {
                "feedback_text",   "feedback_sent_on",     "feedback_sent_at", "feedback_by_name",
                "acknowledged_at", "acknowledged_by_name", "acknowledge_note"};
            for (int k = 0; k < 7; k++)
                json_object_set(fb, names[k], json_object_get(fbr, src[k]));
            period_json(fb, due, sent, today);
        }
    } else {
        json_object_set_new(o, "case", json_null());
    }
    json_decref(cs);
    json_decref(fbr);
    json_object_set_new(o, "accept", acc);
    json_object_set_new(o, "feedback", fb ? fb : json_null());
    if (rows_into(d, o, "attachments", err,
                  "SELECT a.id, a.side, a.kind, a.title, a.created_at, f.id AS file_id, f.name AS"
                  " file_name, f.mime, f.size, f.sha256 FROM referral_attachments a JOIN files f"
                  " ON f.id = a.file_id WHERE a.referral_id = ? ORDER BY a.id",
                  id) != 0 ||
        rows_into(d, o, "consultations", err,
                  "SELECT k.id, k.disputed_at, k.disputed_by_name, k.dispute_reason, k.held_on,"
                  " k.participants, k.opinion, k.outcome, k.new_target_org_id, k.decided_by_name,"
                  " o.name AS decided_org_name, k.decided_at FROM referral_consultations k LEFT"
                  " JOIN orgs o ON o.id = k.decided_org_id WHERE k.referral_id = ? ORDER BY k.id",
                  id) != 0 ||
        rows_into(d, o, "timeline", err,
                  "SELECT id, event, state_from, state_to, at, actor_name, org_name, summary FROM"
                  " referral_events WHERE referral_id = ? ORDER BY id",
                  id) != 0)
        goto fail;
    json_t *a;
    json_array_foreach(json_object_get(o, "attachments"), i, a)
        label(a, "kind", "referral_attachment_kind", "kind_label");
    json_array_foreach(json_object_get(o, "consultations"), i, a)
        label(a, "outcome", "consultation_outcome", "outcome_label");
    json_array_foreach(json_object_get(o, "timeline"), i, a)
    {
        const char *ev = json_string_value(json_object_get(a, "event"));
        const char *l = dict_label("referral_event", ev);
        l = l                           ? l
            : strcmp(ev, "create") == 0 ? "起草"
            : strcmp(ev, "update") == 0 ? "修改"
            : strcmp(ev, "attach") == 0 ? "添加材料"
            : strcmp(ev, "detach") == 0 ? "删除材料"
                                        : ev;
        json_object_set_new(a, "label", json_string(l));
    }
    /* actions as the API names them: the three consultation outcomes are "consult" */
    json_t *allowed = json_array();
    uint32_t mask = referral_allowed_events(r.state);
    for (int e = 0; e < REFERRAL_EVENT_COUNT; e++)
        if ((mask & REFERRAL_EVENT_BIT(e)) &&
            side_ok(who, &r, referral_event_side((referral_event)e), case_path) &&
            e != REFERRAL_EV_CONSULT_TRANSFER && e != REFERRAL_EV_CONSULT_UPHOLD &&
            (e != REFERRAL_EV_FEEDBACK || case_ended))
            json_array_append_new(allowed,
                                  json_string(e == REFERRAL_EV_CONSULT_ACCEPT
                                                  ? "consult"
                                                  : referral_event_name((referral_event)e)));
    json_object_set_new(o, "allowed_actions", allowed);
    json_object_set_new(o, "editable",
                        json_boolean(referral_editable(r.state) && is_partner_of(who, &r)));
    *out = o;
    return 0;
fail:
    json_decref(o);
    return -1;
}

int referral_feedback_draft(db *d, const principal *who, const referral_row *r, tj_date today,
                            json_t **out, tj_err *err)
{
    char cpath[256];
    if (case_path_of(d, r->case_id, cpath, sizeof cpath, err) != 0)
        return -1;
    if (!side_ok(who, r, REFERRAL_SIDE_COMMITTEE, cpath))
        return side_fail(REFERRAL_SIDE_COMMITTEE, err);
    if (r->state != REFERRAL_ACCEPTED)
        return err_set(err, 409, "conflict", "state", "移送当前状态为“%s”，没有待发送的反馈",
                       referral_state_label(r->state));
    db_stmt *s;
    if (db_query(d, &s, err,
                 "SELECT c.case_no, c.status, c.accepted_on, c.agreed_on, c.terminated_on,"
                 " c.withdraw_reason, a.form, a.terms, a.performance, t.reason_code, t.reason_text,"
                 " t.guidance, dl.due_on, c.title, o.name"
                 " FROM cases c JOIN orgs o ON o.id = c.org_id"
                 " LEFT JOIN case_agreements a ON a.case_id = c.id"
                 " LEFT JOIN case_terminations t ON t.case_id = c.id LEFT JOIN case_deadlines dl ON"
                 " dl.case_id = c.id AND dl.kind = 'feedback' WHERE c.id = ?",
                 "i", r->case_id) != 0)
        return -1;
    if (db_step(s, err) != 1) {
        db_done(s);
        return err->status ? -1 : err_set(err, 404, "not_found", NULL, "案件不存在");
    }
    char case_no[160], status[24], acc[11], agreed[11], term[11], form[16], due[11], org[256];
    COPY(case_no, db_col_text(s, 0));
    COPY(status, db_col_text(s, 1));
    COPY(acc, db_col_text(s, 2));
    COPY(agreed, db_col_text(s, 3));
    COPY(term, db_col_text(s, 4));
    COPY(form, db_col_text(s, 6));
    COPY(due, db_col_text(s, 12));
    COPY(org, db_col_text(s, 14));
    referral_outcome oc = referral_outcome_of_case(status, agreed[0] != 0, term[0] != 0);
    if (oc == REFERRAL_OUTCOME_NONE) {
        db_done(s);
        return err_set(err, 409, "conflict", "state", "案件当前状态为“%s”，尚未调结，暂不能反馈",
                       dict_label("case_status", status) ? dict_label("case_status", status)
                                                         : status);
    }
    referral_feedback_facts ff = {
        .partner_org_name = r->partner_org_name,
        .letter_date = r->letter_date,
        .letter_no = r->letter_no,
        .title = r->title,
        .org_name = org,
        .accepted_on = acc,
        .case_no = case_no,
        .outcome = oc,
        .agreed_on = agreed,
        .terms = db_col_text(s, 7),
        .performance = db_col_text(s, 8),
        .written = strcmp(form, "written") == 0,
        .terminated_on = term,
        .termination_reason = db_col_text(s, 9),
        .termination_text = db_col_text(s, 10),
        .guidance = db_col_text(s, 11),
        .withdraw_reason = db_col_text(s, 5),
    };
    size_t len = referral_feedback_text(&ff, NULL, 0);
    char *text = xmalloc(len + 1);
    referral_feedback_text(&ff, text, len + 1);
    db_done(s);
    json_t *o =
        json_pack("{s:s,s:s,s:s,s:b}", "outcome", referral_outcome_name(oc), "outcome_label",
                  referral_outcome_label(oc), "text", text, "written_agreement",
                  oc == REFERRAL_OUTCOME_AGREED && strcmp(form, "written") == 0);
    free(text);
    period_json(o, due, NULL, today);
    if (db_query(d, &s, err,
                 "SELECT a.file_id, a.title, a.kind, f.name AS file_name, f.mime FROM"
                 " case_attachments a JOIN files f ON f.id = a.file_id WHERE a.case_id = ?"
                 " ORDER BY a.id",
                 "i", r->case_id) != 0) {
        json_decref(o);
        return -1;
    }
    json_t *files;
    if (db_rows_json(s, &files, err) != 0) {
        json_decref(o);
        return -1;
    }
    json_t *f;
    size_t i;
    json_array_foreach(files, i, f)
    {
        const char *k = json_string_value(json_object_get(f, "kind"));
        bool suggested = strcmp(k, "signed_agreement") == 0 ||
                         (oc != REFERRAL_OUTCOME_AGREED && strcmp(k, "other") == 0);
        json_object_set_new(f, "suggested", json_boolean(suggested));
        label(f, "kind", "attachment_kind", "kind_label");
    }
    json_object_set_new(o, "files", files);
    *out = o;
    return 0;
}

/* ---- lists ---- */

#define LIST_COLS                                                                                  \
    "r.id, r.letter_no, r.letter_date, r.channel, r.status, r.title, r.party_names,"               \
    " r.dispute_type, r.partner_org_id, po.name AS partner_org_name, r.target_org_id,"             \
    " tg.name AS target_org_name, r.created_at, r.updated_at, r.submitted_at, r.sent_on,"          \
    " r.received_on, r.receipt_at, r.accept_due_on, r.decided_on, r.case_id, c.case_no,"           \
    " c.status AS case_status, r.feedback_sent_on, COALESCE(r.feedback_due_on, dl.due_on) AS"      \
    " feedback_due_on, r.acknowledged_at"
#define LIST_FROM_PAGE                                                                             \
    " referrals r ON r.id = pg.pid CROSS JOIN orgs po ON po.id = r.partner_org_id CROSS JOIN orgs" \
    " tg ON tg.id = r.target_org_id LEFT JOIN cases c ON c.id = r.case_id LEFT JOIN"               \
    " case_deadlines dl ON dl.case_id = r.case_id AND dl.kind = 'feedback'"

static void list_item_extras(json_t *row, tj_date today)
{
    label(row, "channel", "referral_channel", "channel_label");
    label(row, "status", "referral_status", "status_label");
    label(row, "case_status", "case_status", "case_status_label");
    json_t *acc = json_object();
    period_json(acc, json_string_value(json_object_get(row, "accept_due_on")),
                json_string_value(json_object_get(row, "decided_on")), today);
    json_object_set_new(row, "accept", acc);
    json_t *fb = json_object();
    period_json(fb, json_string_value(json_object_get(row, "feedback_due_on")),
                json_string_value(json_object_get(row, "feedback_sent_on")), today);
    json_object_set_new(row, "feedback", fb);
}

int referral_list(db *d, const principal *who, const referral_filter *f, json_t **items,
                  int64_t *total, char *next, size_t next_cap, tj_err *err)
{
    db_arg a[40];
    scope_range sr, tr;
    int n = vis_split_args(who, a, &sr);
    buf where;
    buf_init(&where, 4096);
    int rc = -1;
    /* A top-level caller (the province) sees nearly every letter: its newest page is
     * the first rows of a scan by id, with the ranges tested on each (the unary plus
     * keeps them off the indexes, whose union would be read and sorted whole: ~0.23 s
     * at 100k cases); the single root sees every sent letter, counted from the index
     * of sending dates. Below the top, the ranges' union is the smaller read. */
    const char *vis_count = vis_split_sql(who), *vis_page = vis_count;
    if (!perm_partner_side(who->role) && scope_top_level(who)) {
        bool sole;
        if (scope_sees_everything(d, who, &sole, err) != 0)
            goto done;
        if (sole) {
            vis_count = "r.sent_on IS NOT NULL";
            vis_page = "+r.sent_on IS NOT NULL";
            n = 0;
        } else {
            vis_count = vis_page = "(+r.sent_on IS NOT NULL AND ((+r.target_org_path >= ? AND"
                                   " +r.target_org_path < ?) OR (+r.partner_org_path >= ? AND"
                                   " +r.partner_org_path < ?)))";
        }
    }
    char today[DATE_STR_SIZE], like[300], statuses[REFERRAL_STATE_COUNT][24];
    today_str(f->today, today);
    if (f->status) {
        buf_puts(&where, " AND r.status IN (");
        const char *p = f->status;
        int k = 0;
        while (*p && k < REFERRAL_STATE_COUNT) {
            size_t len = strcspn(p, ",");
            snprintf(statuses[k], sizeof statuses[k], "%.*s", (int)(len < 23 ? len : 23), p);
            buf_puts(&where, k ? ",?" : "?");
            a[n++] = (db_arg){'s', 0, statuses[k]};
            k++;
            p += len;
            if (*p == ',')
                p++;
        }
        buf_puts(&where, ")");
    }
    if (f->channel) {
        buf_puts(&where, " AND r.channel = ?");
        a[n++] = (db_arg){'s', 0, f->channel};
    }
    if (f->target_org_id) {
        org_row t;
        bool found;
        if (org_get_row(d, f->target_org_id, &t, &found, err) != 0)
            goto done;
        if (!found) {
            err_set(err, 400, "validation_failed", "target_org_id", "机构不存在");
            goto done;
        }
        scope_range_of(t.path, &tr);
        buf_puts(&where, " AND r.target_org_path >= ? AND r.target_org_path < ?");
        a[n++] = (db_arg){'s', 0, tr.lo};
        a[n++] = (db_arg){'s', 0, tr.hi};
    }
    if (f->partner_org_id) {
        buf_puts(&where, " AND r.partner_org_id = ?");
        a[n++] = (db_arg){'i', f->partner_org_id, NULL};
    }
    if (f->from) {
        buf_puts(&where, " AND r.sent_on >= ?");
        a[n++] = (db_arg){'s', 0, f->from};
    }
    if (f->to) {
        buf_puts(&where, " AND r.sent_on <= ?");
        a[n++] = (db_arg){'s', 0, f->to};
    }
    if (f->q) {
        scope_like_pattern(f->q, like, sizeof like);
        buf_puts(&where, " AND (r.title LIKE ? ESCAPE '\\' OR r.party_names LIKE ? ESCAPE '\\'"
                         " OR r.letter_no LIKE ? ESCAPE '\\')");
        for (int k = 0; k < 3; k++)
            a[n++] = (db_arg){'s', 0, like};
    }
    if (f->overdue) {
        buf_puts(&where, " AND r.status IN ('sent','received') AND r.accept_due_on < ?");
        a[n++] = (db_arg){'s', 0, today};
    }
    char sql[8192];
    if (total) {
        snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM referrals r WHERE %s%s", vis_count,
                 where.data ? where.data : "");
        db_stmt *s;
        if (db_query_args(d, &s, err, sql, a, n) != 0)
            goto done;
        if (db_step(s, err) == 1)
            *total = db_col_int(s, 0);
        db_done(s);
    }
    if (f->cursor_id) {
        buf_puts(&where, " AND r.id < ?");
        a[n++] = (db_arg){'i', f->cursor_id, NULL};
    }
    a[n++] = (db_arg){'i', f->limit + 1, NULL};
    /* the page's ids first, then their rows and names: the joins run for the page
     * only, not for every letter the sort goes through */
    snprintf(sql, sizeof sql,
             "SELECT " LIST_COLS " FROM (SELECT r.id AS pid FROM referrals r WHERE %s%s ORDER BY"
             " r.id DESC LIMIT ?) pg CROSS JOIN" LIST_FROM_PAGE " ORDER BY r.id DESC",
             vis_page, where.data ? where.data : "");
    db_stmt *s;
    if (db_query_args(d, &s, err, sql, a, n) != 0)
        goto done;
    json_t *arr = json_array();
    int got = 0;
    next[0] = 0;
    while ((rc = db_step(s, err)) == 1) {
        json_t *row = db_row_json(s);
        if (got == f->limit) {
            json_decref(row);
            json_t *last = json_array_get(arr, json_array_size(arr) - 1);
            snprintf(next, next_cap, "%lld",
                     (long long)json_integer_value(json_object_get(last, "id")));
            break;
        }
        list_item_extras(row, f->today);
        json_array_append_new(arr, row);
        got++;
    }
    db_done(s);
    if (rc < 0) {
        json_decref(arr);
        goto done;
    }
    *items = arr;
    rc = 0;
done:
    buf_free(&where);
    return rc;
}

struct todo_item {
    int64_t id;
    char *letter_no, *title, *status, *partner, *target, *due; /* NULL: SQL NULL */
    const char *task;
    referral_state st;
    bool own;
    int seq; /* order read (by id): the tie-break */
};

/* Most urgent first: dated tasks by due date, then the undated, each in letter order. */
static int todo_item_cmp(const void *pa, const void *pb)
{
    const struct todo_item *a = pa, *b = pb;
    if (a->due && b->due) {
        int c = strcmp(a->due, b->due);
        if (c)
            return c;
    } else if (a->due || b->due)
        return a->due ? -1 : 1;
    return (a->seq > b->seq) - (a->seq < b->seq);
}

int referral_todo(db *d, const principal *who, tj_date today, int soon_days, int limit, jw *out,
                  tj_err *err)
{
    if (limit > TODO_REFERRALS_MAX)
        limit = TODO_REFERRALS_MAX;
    db_arg a[8];
    scope_range sr;
    int n = vis_split_args(who, a, &sr);
    db_stmt *s;
    char sql[3072], ids[1024];
    /* The letters that can be a task of this side, from the partial indexes of
     * migration 11 (INDEXED BY on SQLite: without statistics the planner may take the
     * full ones); a non-partner's two ranges as a union. */
    bool sqlite = db_engine_of(d) == DB_SQLITE;
    if (perm_partner_side(who->role))
        snprintf(ids, sizeof ids,
                 "SELECT id FROM referrals%s WHERE " REFERRAL_TODO_PARTNER_SQL
                 " AND partner_org_id = ?",
                 sqlite ? " INDEXED BY referrals_todo_partner" : "");
    else
        snprintf(ids, sizeof ids,
                 "SELECT id FROM referrals%s WHERE " REFERRAL_TODO_SCOPE_SQL
                 " AND target_org_path >= ? AND target_org_path < ? UNION"
                 " SELECT id FROM referrals%s WHERE " REFERRAL_TODO_SCOPE_SQL
                 " AND partner_org_path >= ? AND partner_org_path < ?",
                 sqlite ? " INDEXED BY referrals_todo_target" : "",
                 sqlite ? " INDEXED BY referrals_todo_referrer" : "");
    snprintf(sql, sizeof sql,
             "SELECT r.id, r.letter_no, r.title, r.status, r.partner_org_id,"
             " po.name AS partner_org_name, r.target_org_id, tg.name AS target_org_name,"
             " r.target_org_path, r.partner_org_path, r.accept_due_on, c.org_path AS"
             " case_org_path, c.status AS case_status, c.agreed_on IS NOT NULL AS agreed,"
             " c.terminated_on IS NOT NULL AS terminated, dl.due_on AS feedback_due_on"
             " FROM (%s) v CROSS JOIN referrals r ON r.id = v.id CROSS JOIN orgs po ON"
             " po.id = r.partner_org_id CROSS JOIN orgs tg ON tg.id = r.target_org_id"
             " LEFT JOIN cases c ON c.id = r.case_id LEFT JOIN case_deadlines dl ON"
             " dl.case_id = r.case_id AND dl.kind = 'feedback' AND dl.stopped_on IS NULL"
             " WHERE (r.status <> 'accepted' OR c.agreed_on IS NOT NULL OR c.terminated_on IS"
             " NOT NULL OR c.status IN ('withdrawn','archived'))%s ORDER BY r.id LIMIT %d",
             ids, perm_partner_side(who->role) ? "" : " AND r.sent_on IS NOT NULL",
             TODO_REFERRALS_READ_MAX);
    if (db_query_args(d, &s, err, sql, a, n) != 0)
        return -1;
    deadline_settings ds;
    deadline_settings_default(&ds);
    ds.due_soon_days = soon_days;
    int counts[DEADLINE_STATE_COUNT] = {0};
    /* the tasks, kept until they are sorted; their text is copied from the row */
    struct todo_item *it = NULL;
    int nit = 0, cap = 0, rc;
#define DUP(col) (db_col_null(s, col) ? NULL : xstrdup(db_col_text(s, col)))
    while ((rc = db_step(s, err)) == 1) {
        referral_row r = {0};
        r.id = db_col_int(s, 0);
        r.partner_org_id = db_col_int(s, 4);
        COPY(r.target_org_path, db_col_null(s, 8) ? "" : db_col_text(s, 8));
        referral_state st;
        if (db_col_null(s, 3) || referral_state_parse(db_col_text(s, 3), &st, NULL, NULL) != 0)
            continue;
        r.state = st;
        const char *cpath = db_col_null(s, 11) ? NULL : db_col_text(s, 11);
        const char *task = NULL;
        int due = -1; /* the column of the task's due date */
        bool own = true;
        switch (st) {
        case REFERRAL_AWAITING_APPROVAL:
            if (side_ok(who, &r, REFERRAL_SIDE_APPROVER, NULL))
                task = "approve";
            break;
        case REFERRAL_SENT:
        case REFERRAL_RECEIVED:
            due = 10;
            if (side_ok(who, &r, REFERRAL_SIDE_COMMITTEE, NULL))
                task = "accept_or_return";
            else if (is_partner_of(who, &r))
                task = "await_decision", own = false;
            break;
        case REFERRAL_RETURNED:
            if (is_partner_of(who, &r))
                task = "review_return";
            break;
        case REFERRAL_DISPUTED:
            if (side_ok(who, &r, REFERRAL_SIDE_SUPERVISOR, NULL))
                task = "consult";
            break;
        case REFERRAL_ACCEPTED: {
            referral_outcome oc =
                referral_outcome_of_case(db_col_null(s, 12) ? NULL : db_col_text(s, 12),
                                         db_col_int(s, 13) != 0, db_col_int(s, 14) != 0);
            if (oc == REFERRAL_OUTCOME_NONE)
                break;
            due = 15;
            if (side_ok(who, &r, REFERRAL_SIDE_COMMITTEE, cpath))
                task = "send_feedback";
            else if (is_partner_of(who, &r))
                task = "await_feedback", own = false;
            break;
        }
        case REFERRAL_FEEDBACK_SENT:
            if (is_partner_of(who, &r))
                task = "acknowledge";
            break;
        default:
            break;
        }
        if (!task)
            continue;
        if (nit == cap) {
            cap = cap ? 2 * cap : 64;
            it = xrealloc(it, (size_t)cap * sizeof *it);
        }
        it[nit++] = (struct todo_item){
            .id = r.id,
            .letter_no = DUP(1),
            .title = DUP(2),
            .status = DUP(3),
            .partner = DUP(5),
            .target = DUP(7),
            .due = due >= 0 ? DUP(due) : NULL,
            .task = task,
            .st = st,
            .own = own,
        };
    }
#undef DUP
    db_done(s);
    if (rc < 0)
        goto done;
    for (int x = 0; x < nit; x++)
        it[x].seq = x;
    if (nit > 1)
        qsort(it, (size_t)nit, sizeof *it, todo_item_cmp);
    /* the counts and totals are of every task; the list holds the most urgent */
    int own = 0;
    for (int x = 0; x < nit; x++) {
        tj_date dd;
        own += it[x].own;
        if (it[x].own && it[x].due && date_parse(it[x].due, &dd, NULL, NULL) == 0)
            counts[deadline_status(&ds, dd, today)]++;
    }
    jw_obj(out);
    JW_KEY(out, "total");
    jw_int(out, nit);
    JW_KEY(out, "own_total");
    jw_int(out, own);
    JW_KEY(out, "items");
    jw_arr(out);
    for (int x = 0; x < nit && x < limit; x++) {
        const struct todo_item *t = &it[x];
        jw_obj(out);
        JW_KEY(out, "id");
        jw_int(out, t->id);
        JW_KEY(out, "letter_no");
        jw_str(out, t->letter_no);
        JW_KEY(out, "title");
        jw_str(out, t->title);
        JW_KEY(out, "status");
        jw_str(out, t->status);
        JW_KEY(out, "task");
        jw_str(out, t->task);
        JW_KEY(out, "task_label");
        jw_str(out, dict_label("referral_task", t->task));
        JW_KEY(out, "own");
        jw_bool(out, t->own);
        JW_KEY(out, "partner_org_name");
        jw_str(out, t->partner);
        JW_KEY(out, "target_org_name");
        jw_str(out, t->target);
        JW_KEY(out, "status_label");
        jw_str(out, referral_state_label(t->st));
        tj_date dd;
        if (t->due && date_parse(t->due, &dd, NULL, NULL) == 0) {
            JW_KEY(out, "due_on");
            jw_str(out, t->due);
            case_todo_due_jw(out, &ds, dd, today);
        } else {
            JW_KEY(out, "due_on");
            jw_null(out);
        }
        jw_obj_end(out);
    }
    jw_arr_end(out);
    case_todo_counts_jw(out, counts);
    jw_obj_end(out);
    rc = 0;
done:
    for (int x = 0; x < nit; x++) {
        free(it[x].letter_no);
        free(it[x].title);
        free(it[x].status);
        free(it[x].partner);
        free(it[x].target);
        free(it[x].due);
    }
    free(it);
    return rc;
}

/* ---- statistics ---- */

enum {
    ST_REFERRED,
    ST_ACCEPTED,
    ST_RETURNED,
    ST_IN_CONSULTATION,
    ST_PENDING,
    ST_AGREED,
    ST_TERMINATED,
    ST_WITHDRAWN,
    ST_ACCEPT_ON_TIME,
    ST_ACCEPT_LATE,
    ST_FEEDBACK_ON_TIME,
    ST_FEEDBACK_LATE,
    ST_FEEDBACK_PENDING,
    ST_COUNT
};
static const char *const st_names[ST_COUNT] = {
    "referred",         "accepted",      "returned",        "in_consultation", "pending",
    "agreed",           "terminated",    "withdrawn",       "accept_on_time",  "accept_late",
    "feedback_on_time", "feedback_late", "feedback_pending"};

static json_t *stats_json(const int64_t *v)
{
    json_t *o = json_object();
    for (int k = 0; k < ST_COUNT; k++)
        json_object_set_new(o, st_names[k], json_integer(v[k]));
    int64_t a = v[ST_ACCEPT_ON_TIME] + v[ST_ACCEPT_LATE];
    int64_t f = v[ST_FEEDBACK_ON_TIME] + v[ST_FEEDBACK_LATE];
    json_object_set_new(o, "accept_on_time_rate",
                        a ? json_real((double)v[ST_ACCEPT_ON_TIME] / (double)a) : json_null());
    json_object_set_new(o, "feedback_on_time_rate",
                        f ? json_real((double)v[ST_FEEDBACK_ON_TIME] / (double)f) : json_null());
    return o;
}

int referral_stats(db *d, const principal *who, const char *from, const char *to, int64_t org_id,
                   tj_date today, json_t **out, tj_err *err)
{
    db_arg a[12];
    scope_range sr, orng;
    int n = vis_split_args(who, a, &sr);
    a[n++] = (db_arg){'s', 0, from};
    a[n++] = (db_arg){'s', 0, to};
    const char *lo = "", *hi = "\x7f";
    if (org_id) {
        org_row o;
        bool found;
        if (org_get_row(d, org_id, &o, &found, err) != 0)
            return -1;
        if (!found)
            return err_set(err, 400, "validation_failed", "org_id", "机构不存在");
        scope_range_of(o.path, &orng);
        lo = orng.lo;
        hi = orng.hi;
    }
    a[n++] = (db_arg){'s', 0, lo};
    a[n++] = (db_arg){'s', 0, hi};
    db_stmt *s;
    char sql[2048];
    snprintf(sql, sizeof sql,
             "SELECT r.channel, r.status, r.accept_due_on, r.decided_on, r.case_id,"
             " r.feedback_due_on, r.feedback_sent_on, c.status, c.agreed_on IS NOT NULL,"
             " c.terminated_on IS NOT NULL, dl.due_on, dl.stopped_on"
             " FROM referrals r LEFT JOIN cases c ON c.id = r.case_id LEFT JOIN"
             " case_deadlines dl ON dl.case_id = r.case_id AND dl.kind = 'feedback'"
             " WHERE %s AND r.sent_on IS NOT NULL AND r.sent_on >= ? AND"
             " r.sent_on <= ? AND r.target_org_path >= ? AND r.target_org_path < ?",
             vis_split_sql(who));
    if (db_query_args(d, &s, err, sql, a, n) != 0)
        return -1;
    const dict *chd = dict_find("referral_channel");
    int nch = 0;
    while (chd->entries[nch].value)
        nch++;
    int64_t(*v)[ST_COUNT] = calloc((size_t)nch + 1, sizeof *v);
    if (!v) {
        db_done(s);
        return err_set(err, 500, "internal", NULL, "内存不足");
    }
    int rc;
    while ((rc = db_step(s, err)) == 1) {
        int ch = 0;
        while (ch < nch && strcmp(chd->entries[ch].value, db_col_text(s, 0)) != 0)
            ch++;
        int64_t *c = v[ch < nch ? ch : nch];
        const char *st = db_col_text(s, 1);
        c[ST_REFERRED]++;
        if (!db_col_null(s, 4))
            c[ST_ACCEPTED]++;
        if (strcmp(st, "returned") == 0 || (strcmp(st, "acknowledged") == 0 && db_col_null(s, 4)))
            c[ST_RETURNED]++;
        if (strcmp(st, "disputed") == 0)
            c[ST_IN_CONSULTATION]++;
        if (strcmp(st, "sent") == 0 || strcmp(st, "received") == 0)
            c[ST_PENDING]++;
        tj_date due, done;
        if (date_parse(db_col_text(s, 2), &due, NULL, NULL) == 0) {
            bool decided = date_parse(db_col_text(s, 3), &done, NULL, NULL) == 0;
            referral_timeliness t = referral_timeliness_of(due, decided ? &done : NULL, today);
            if (t == REFERRAL_ON_TIME)
                c[ST_ACCEPT_ON_TIME]++;
            else if (t != REFERRAL_PENDING)
                c[ST_ACCEPT_LATE]++;
        }
        if (!db_col_null(s, 4)) {
            referral_outcome oc = referral_outcome_of_case(db_col_text(s, 7), db_col_int(s, 8) != 0,
                                                           db_col_int(s, 9) != 0);
            if (oc == REFERRAL_OUTCOME_AGREED)
                c[ST_AGREED]++;
            else if (oc == REFERRAL_OUTCOME_TERMINATED)
                c[ST_TERMINATED]++;
            else if (oc == REFERRAL_OUTCOME_WITHDRAWN)
                c[ST_WITHDRAWN]++;
            bool sent = !db_col_null(s, 6);
            const char *fdue = sent ? db_col_text(s, 5) : db_col_text(s, 10);
            if (date_parse(fdue, &due, NULL, NULL) == 0) {
                bool have = sent && date_parse(db_col_text(s, 6), &done, NULL, NULL) == 0;
                referral_timeliness t = referral_timeliness_of(due, have ? &done : NULL, today);
                c[t == REFERRAL_ON_TIME   ? ST_FEEDBACK_ON_TIME
                  : t == REFERRAL_PENDING ? ST_FEEDBACK_PENDING
                                          : ST_FEEDBACK_LATE]++;
            }
        }
    }
    db_done(s);
    if (rc < 0) {
        free(v);
        return -1;
    }
    json_t *chs = json_array();
    int64_t tot[ST_COUNT] = {0};
    for (int ch = 0; ch <= nch; ch++) {
        for (int k = 0; k < ST_COUNT; k++)
            tot[k] += v[ch][k];
        if (ch == nch)
            break;
        json_t *o = stats_json(v[ch]);
        json_object_set_new(o, "channel", json_string(chd->entries[ch].value));
        json_object_set_new(o, "label", json_string(chd->entries[ch].label));
        json_array_append_new(chs, o);
    }
    free(v);
    char t[DATE_STR_SIZE];
    today_str(today, t);
    *out = json_pack("{s:s,s:s,s:s,s:o,s:o}", "from", from, "to", to, "today", t, "channels", chs,
                     "total", stats_json(tot));
    return 0;
}

/* ---- partner notifications ---- */

int referral_notice_json(db *d, int64_t id, json_t **out, tj_err *err)
{
    db_stmt *s;
    if (db_query(d, &s, err,
                 "SELECT r.id, r.letter_no, r.letter_date, r.channel, r.status, r.title,"
                 " r.partner_org_id, r.target_org_id, tg.name AS target_org_name, r.sent_on,"
                 " r.received_on, r.receipt_at, r.accept_due_on, r.decided_on,"
                 " r.return_reason_code, r.return_reason_text, r.case_id, c.case_no,"
                 " c.status AS case_status, r.feedback_outcome, r.feedback_text,"
                 " r.feedback_sent_on, r.feedback_due_on, r.updated_at FROM referrals r JOIN"
                 " orgs tg ON tg.id = r.target_org_id LEFT JOIN cases c ON c.id = r.case_id"
                 " WHERE r.id = ?",
                 "i", id) != 0)
        return -1;
    if (db_step(s, err) != 1) {
        db_done(s);
        return err->status ? -1 : err_set(err, 404, "not_found", NULL, "移送不存在");
    }
    json_t *o = db_row_json(s);
    db_done(s);
    label(o, "status", "referral_status", "status_label");
    label(o, "return_reason_code", "return_reason", "return_reason_label");
    json_t *files;
    if (db_query(d, &s, err,
                 "SELECT a.file_id, a.kind, a.title, f.name, f.mime, f.size, f.sha256 FROM"
                 " referral_attachments a JOIN files f ON f.id = a.file_id WHERE a.referral_id = ?"
                 " AND a.side = 'committee' ORDER BY a.id",
                 "i", id) != 0 ||
        db_rows_json(s, &files, err) != 0) {
        json_decref(o);
        return -1;
    }
    json_t *f;
    size_t i;
    json_array_foreach(files, i, f)
    {
        char url[96];
        snprintf(url, sizeof url, "/api/referrals/%lld/files/%lld", (long long)id,
                 (long long)json_integer_value(json_object_get(f, "file_id")));
        json_object_set_new(f, "url", json_string(url));
    }
    json_object_set_new(o, "feedback_files", files);
    *out = o;
    return 0;
}
