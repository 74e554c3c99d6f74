/* referrals.c — /api/referrals: referral docking between partner agencies and
 * mediation committees (docs/referrals.md). Thin: validate with jv tables → rules in
 * core/referral → store/referral_store, one transaction per request, audited; events
 * the partner's system should hear about are queued to its webhooks in the same
 * transaction and the outbox thread is woken after the commit. */
#include "api/api.h"
#include "app/outbox.h"
#include "core/date.h"
#include "core/dict.h"
#include "core/idcheck.h"
#include "core/referral.h"
#include "store/calendar_store.h"
#include "store/file_store.h"
#include "store/referral_store.h"
#include "store/settings_store.h"
#include "store/webhook_store.h"
#include "util/clock.h"

#include <stdlib.h>
#include <string.h>

#define I64MAX INT64_MAX

static tj_date today(void)
{
    return date_today_shanghai(clock_unix());
}

static const jv_field attachment_spec[] = {
    {"file_id", JV_INT, true, "文件", 0, NULL, 1, I64MAX},
    {"kind", JV_ENUM, true, "材料类别", 0, "referral_attachment_kind"},
    {"title", JV_STRING, true, "材料名称", 100},
    {NULL},
};

/* The draft: the partner's covering letter and the dispute (the future case body). */
#define REFERRAL_FIELDS(req)                                                                       \
    {"letter_no", JV_STRING, req, "移送函号", 64}, {"letter_date", JV_DATE, false, "移送函日期"},  \
        {"channel", JV_ENUM, false, "对接渠道", 0, "referral_channel"},                            \
        {"target_org_id", JV_INT, req, "接收调解组织", 0, NULL, 1, I64MAX},                        \
        {"title", JV_STRING, req, "纠纷名称", 100},                                                \
        {"dispute_type", JV_ENUM, req, "纠纷类型", 0, "dispute_type"},                             \
        {"flags", JV_ENUM_ARRAY, false, "特殊标记", 4, "case_flag"},                               \
        {"facts", JV_STRING, req, "纠纷事实", 5000},                                               \
        {"claims", JV_STRING, false, "当事人诉求", 2000},                                          \
        {"amount", JV_INT, false, "涉案金额（分）", 0, NULL, 0, 100000000000000LL},                \
        {"people_involved", JV_INT, false, "涉及人数", 0, NULL, 1, 1000000},                       \
        {"place", JV_STRING, false, "纠纷发生地点", 200},                                          \
        {"occurred_on", JV_DATE, false, "纠纷发生日期"},                                           \
        {"parties", JV_OBJECT_ARRAY, req, "当事人", 50, NULL, 2, 0, party_spec},                   \
        {"note", JV_STRING, false, "移送意见", 1000},                                              \
        {"contact_name", JV_STRING, false, "联系人", 50},                                          \
    {                                                                                              \
        "contact_phone", JV_STRING, false, "联系电话", 20                                          \
    }

static const jv_field create_spec[] = {
    REFERRAL_FIELDS(true),
    {"attachments", JV_OBJECT_ARRAY, false, "附件", 20, NULL, 0, 0, attachment_spec},
    {NULL},
};
static const jv_field update_spec[] = {REFERRAL_FIELDS(false), {NULL}};

/* Bodies of the events, by API name. "consult" stands for the three consultation
 * outcomes of core/referral.h. */
static const jv_field ev_none[] = {{NULL}};
static const jv_field ev_comment[] = {{"comment", JV_STRING, false, "审签意见", 500}, {NULL}};
static const jv_field ev_reject[] = {{"comment", JV_STRING, true, "退回修改意见", 500}, {NULL}};
static const jv_field ev_cancel[] = {{"reason", JV_STRING, false, "撤销理由", 500}, {NULL}};
static const jv_field ev_receipt[] = {{"received_on", JV_DATE, false, "收到日期"},
                                      {"note", JV_STRING, false, "签收说明", 500},
                                      {NULL}};
static const jv_field ev_accept[] = {{"accepted_on", JV_DATE, false, "受理日期"}, {NULL}};
static const jv_field ev_return[] = {{"reason_code", JV_ENUM, true, "退回原因", 0, "return_reason"},
                                     {"reason_text", JV_STRING, true, "退回理由", 1000},
                                     {"returned_on", JV_DATE, false, "退回日期"},
                                     {NULL}};
static const jv_field ev_dispute[] = {{"reason", JV_STRING, true, "异议理由", 1000}, {NULL}};
static const jv_field ev_consult[] = {
    {"outcome", JV_ENUM, true, "会商结论", 0, "consultation_outcome"},
    {"held_on", JV_DATE, true, "会商日期"},
    {"participants", JV_STRING, true, "参加单位和人员", 500},
    {"opinion", JV_STRING, true, "会商意见", 2000},
    {"target_org_id", JV_INT, false, "改由受理的调解组织", 0, NULL, 1, I64MAX},
    {NULL}};
static const jv_field ev_feedback[] = {{"text", JV_STRING, true, "反馈内容", 10000},
                                       {"file_ids", JV_ID_ARRAY, false, "附件", 20},
                                       {NULL}};
static const jv_field ev_ack[] = {{"note", JV_STRING, false, "确认意见", 500}, {NULL}};

static const struct {
    const char *name;
    referral_event ev;
    const jv_field *spec;
    const char *notify; /* webhook event, or NULL */
} events[] = {
    {"submit", REFERRAL_EV_SUBMIT, ev_none, NULL},
    {"approve", REFERRAL_EV_APPROVE, ev_comment, "referral.sent"},
    {"reject", REFERRAL_EV_REJECT, ev_reject, NULL},
    {"cancel", REFERRAL_EV_CANCEL, ev_cancel, NULL},
    {"receipt", REFERRAL_EV_RECEIPT, ev_receipt, "referral.received"},
    {"accept", REFERRAL_EV_ACCEPT, ev_accept, "referral.accepted"},
    {"return", REFERRAL_EV_RETURN, ev_return, "referral.returned"},
    {"dispute", REFERRAL_EV_DISPUTE, ev_dispute, NULL},
    {"consult", REFERRAL_EV_CONSULT_ACCEPT, ev_consult, "referral.consultation"},
    {"feedback", REFERRAL_EV_FEEDBACK, ev_feedback, "referral.feedback"},
    {"acknowledge", REFERRAL_EV_ACKNOWLEDGE, ev_ack, NULL},
};

static int respond(http_req *r, db *d, int64_t id, int status)
{
    json_t *o;
    if (referral_detail(d, r->who, id, today(), &o, &r->err) != 0)
        return -1;
    return http_json(r, status, o);
}

/* Roll back a failed write; a 409 names the referral's current state as "state". */
static int fail(http_req *r, db *d, const referral_row *rr)
{
    if (r->err.status == 409 && rr->id)
        r->err_state = referral_state_name(rr->state);
    db_rollback(d);
    return -1;
}

/* Queue the notification of event for the referral's partner org. */
static int notify(db *d, const referral_row *rr, const char *event, tj_err *err)
{
    json_t *data;
    if (referral_notice_json(d, rr->id, &data, err) != 0)
        return -1;
    return webhook_enqueue(d, rr->partner_org_id, event, json_pack("{s:o}", "referral", data),
                           rr->id, NULL, err);
}

static int check_contact_phone(http_req *r, json_t *b)
{
    const char *p = jv_str(b, "contact_phone");
    if (p && *p && idcheck_phone(p, &r->err) != 0) {
        snprintf(r->err.field, sizeof r->err.field, "contact_phone");
        return -1;
    }
    return 0;
}

/* The audit detail of a body: identity numbers never leave in clear. */
static json_t *audit_body(json_t *b)
{
    json_t *detail = json_deep_copy(b);
    json_t *p;
    size_t i;
    json_array_foreach(json_object_get(detail, "parties"), i,
                       p) if (json_object_get(p, "id_number"))
        json_object_set_new(p, "id_number", json_string("（已加密）"));
    return detail;
}

int api_referrals_list(http_req *r)
{
    referral_filter f = {0};
    db *d;
    f.today = today();
    f.status = http_query(r, "status");
    f.channel = http_query(r, "channel");
    f.q = http_query(r, "q");
    f.from = http_query(r, "from");
    f.to = http_query(r, "to");
    const char **opt[] = {&f.status, &f.channel, &f.q, &f.from, &f.to};
    for (size_t i = 0; i < sizeof opt / sizeof *opt; i++)
        if (*opt[i] && !**opt[i])
            *opt[i] = NULL;
    if (f.status) {
        if (strlen(f.status) > 300)
            return http_fail(r, 400, "validation_failed", "status", "参数 status 无效");
        char one[32];
        for (const char *p = f.status; *p;) {
            size_t n = strcspn(p, ",");
            snprintf(one, sizeof one, "%.*s", (int)(n < 31 ? n : 31), p);
            referral_state st;
            if (n == 0 || n > 30 || referral_state_parse(one, &st, NULL, NULL) != 0)
                return http_fail(r, 400, "validation_failed", "status", "参数 status 取值无效：%s",
                                 one);
            p += n;
            if (*p == ',')
                p++;
        }
    }
    if (f.channel && !referral_channel_valid(f.channel))
        return http_fail(r, 400, "validation_failed", "channel", "参数 channel 取值无效");
    if (f.from && !jv_valid_date(f.from))
        return http_fail(r, 400, "validation_failed", "from", "开始日期无效");
    if (f.to && !jv_valid_date(f.to))
        return http_fail(r, 400, "validation_failed", "to", "结束日期无效");
    if (f.q && jv_utf8_len(f.q) > 50)
        return http_fail(r, 400, "validation_failed", "q", "搜索词最多 50 个字");
    const char *ov = http_query(r, "overdue");
    f.overdue = ov && strcmp(ov, "1") == 0;
    if (api_limit(r, 20, 100, &f.limit) != 0 || api_cursor(r, &f.cursor_id) != 0 ||
        api_query_id(r, "target_org_id", &f.target_org_id) != 0 ||
        api_query_id(r, "partner_org_id", &f.partner_org_id) != 0 || api_db(r, &d) != 0)
        return -1;
    json_t *items;
    int64_t total = 0;
    char next[32];
    if (referral_list(d, r->who, &f, &items, &total, next, sizeof next, &r->err) != 0)
        return -1;
    json_t *out = json_pack("{s:o,s:I}", "items", items, "total", (json_int_t)total);
    if (next[0])
        json_object_set_new(out, "next_cursor", json_string(next));
    return http_json(r, 200, out);
}

int api_referrals_create(http_req *r)
{
    json_t *b;
    db *d;
    if (http_body_object(r, &b) != 0 || jv_check(b, create_spec, "", &r->err) != 0 ||
        check_contact_phone(r, b) != 0 || api_db(r, &d) != 0)
        return -1;
    int64_t id;
    audit_ctx ac = api_audit(r);
    if (api_begin(r, d) != 0)
        return -1;
    if (referral_create(d, r->who, b, today(), &id, &r->err) != 0 ||
        audit_write(d, &ac, "create", "referral", api_id_str(r, id), audit_body(b), &r->err) != 0 ||
        api_commit(r, d) != 0) {
        db_rollback(d);
        return -1;
    }
    return respond(r, d, id, 201);
}

int api_referrals_get(http_req *r)
{
    int64_t id;
    db *d;
    if (http_param_id(r, 0, &id) != 0 || api_db(r, &d) != 0)
        return -1;
    return respond(r, d, id, 200);
}

int api_referrals_update(http_req *r)
{
    int64_t id;
    json_t *b;
    db *d;
    if (http_param_id(r, 0, &id) != 0 || http_body_object(r, &b) != 0 ||
        jv_check(b, update_spec, "", &r->err) != 0 || check_contact_phone(r, b) != 0 ||
        api_db(r, &d) != 0)
        return -1;
    referral_row rr = {0};
    audit_ctx ac = api_audit(r);
    if (api_begin(r, d) != 0)
        return -1;
    if (referral_get(d, r->who, id, &rr, &r->err) != 0 ||
        referral_update(d, r->who, &rr, b, today(), &r->err) != 0 ||
        audit_write(d, &ac, "update", "referral", api_id_str(r, id), audit_body(b), &r->err) != 0 ||
        api_commit(r, d) != 0)
        return fail(r, d, &rr);
    return respond(r, d, id, 200);
}

int api_referrals_attach(http_req *r)
{
    int64_t id;
    json_t *b;
    db *d;
    if (http_param_id(r, 0, &id) != 0 || http_body_object(r, &b) != 0 ||
        jv_check(b, attachment_spec, "", &r->err) != 0 || api_db(r, &d) != 0)
        return -1;
    referral_row rr = {0};
    audit_ctx ac = api_audit(r);
    if (api_begin(r, d) != 0)
        return -1;
    if (referral_get(d, r->who, id, &rr, &r->err) != 0 ||
        referral_attach(d, r->who, &rr, jv_int(b, "file_id", 0), jv_str(b, "kind"),
                        jv_str(b, "title"), true, &r->err) != 0 ||
        audit_write(d, &ac, "attach", "referral", api_id_str(r, id), json_incref(b), &r->err) !=
            0 ||
        api_commit(r, d) != 0)
        return fail(r, d, &rr);
    return respond(r, d, id, 200);
}

/* Upload a file straight onto a draft (for partner systems using an API token,
 * whose uploads to /api/files cannot be told apart): raw body, ?kind=&title=. */
int api_referrals_upload(http_req *r)
{
    int64_t id;
    db *d;
    if (http_param_id(r, 0, &id) != 0)
        return -1;
    const char *kind = http_query(r, "kind");
    const char *title = http_query(r, "title");
    if (!kind || !dict_has("referral_attachment_kind", kind))
        return http_fail(r, 400, "validation_failed", "kind", "请指定有效的材料类别（kind）");
    if (r->body.len == 0)
        return http_fail(r, 400, "validation_failed", "file", "上传的文件为空");
    const char *sniffed = file_store_sniff(r->body.data, r->body.len);
    if (!sniffed)
        return http_fail(r, 415, "unsupported_media_type", "file",
                         "只能上传 PDF、PNG 或 JPEG 文件");
    const char *ct = http_header_in(r, "Content-Type");
    if (ct && strncmp(ct, sniffed, strlen(sniffed)) != 0 &&
        strncmp(ct, "application/octet-stream", 24) != 0)
        return http_fail(r, 415, "unsupported_media_type", "file",
                         "文件内容（%s）与声明的类型（%.40s）不符", sniffed, ct);
    const char *name = http_upload_filename(r);
    if (!name)
        name = "file";
    if (!jv_utf8_len(name) || strlen(name) > 1000)
        name = "file";
    if (!title || !*title)
        title = dict_label("referral_attachment_kind", kind);
    if (jv_utf8_len(title) > 100)
        return http_fail(r, 400, "validation_failed", "title", "「材料名称」最多 100 个字");
    referral_row rr = {0};
    file_row f;
    audit_ctx ac = api_audit(r);
    if (api_db(r, &d) != 0 || api_begin(r, d) != 0)
        return -1;
    if (referral_get(d, r->who, id, &rr, &r->err) != 0 ||
        file_store_put(d, r->who->user_id, r->body.data, r->body.len, name, &f, &r->err) != 0 ||
        referral_attach(d, r->who, &rr, f.id, kind, title, false, &r->err) != 0 ||
        audit_write(d, &ac, "create", "file", api_id_str(r, f.id),
                    json_pack("{s:s,s:s,s:I}", "name", f.name, "sha256", f.sha256, "size",
                              (json_int_t)f.size),
                    &r->err) != 0 ||
        audit_write(
            d, &ac, "attach", "referral", api_id_str(r, id),
            json_pack("{s:I,s:s,s:s}", "file_id", (json_int_t)f.id, "kind", kind, "title", title),
            &r->err) != 0 ||
        api_commit(r, d) != 0)
        return fail(r, d, &rr);
    return respond(r, d, id, 201);
}

int api_referrals_detach(http_req *r)
{
    int64_t id, aid;
    db *d;
    if (http_param_id(r, 0, &id) != 0 || http_param_id(r, 1, &aid) != 0 || api_db(r, &d) != 0)
        return -1;
    referral_row rr = {0};
    audit_ctx ac = api_audit(r);
    if (api_begin(r, d) != 0)
        return -1;
    if (referral_get(d, r->who, id, &rr, &r->err) != 0 ||
        referral_detach(d, r->who, &rr, aid, &r->err) != 0 ||
        audit_write(d, &ac, "detach", "referral", api_id_str(r, id),
                    json_pack("{s:I}", "attachment_id", (json_int_t)aid), &r->err) != 0 ||
        api_commit(r, d) != 0)
        return fail(r, d, &rr);
    return respond(r, d, id, 200);
}

int api_referrals_file(http_req *r)
{
    int64_t id, fid;
    db *d;
    referral_row rr;
    bool found = false;
    file_row f;
    if (http_param_id(r, 0, &id) != 0 || http_param_id(r, 1, &fid) != 0 || api_db(r, &d) != 0 ||
        referral_get(d, r->who, id, &rr, &r->err) != 0 ||
        referral_has_file(d, &rr, fid, &found, &r->err) != 0)
        return -1;
    if (!found || file_store_get(d, fid, &f, &found, &r->err) != 0 || !found)
        return r->err.status ? -1 : http_fail(r, 404, "not_found", NULL, "文件不存在");
    return api_send_file(r, &f);
}

int api_referrals_event(http_req *r)
{
    int64_t id;
    size_t k = 0;
    while (k < sizeof events / sizeof *events && strcmp(events[k].name, r->params[1]) != 0)
        k++;
    if (http_param_id(r, 0, &id) != 0)
        return -1;
    if (k == sizeof events / sizeof *events)
        return http_fail(r, 404, "not_found", NULL, "未知的移送操作：%s", r->params[1]);
    json_t *b;
    db *d;
    if (api_body_or_empty(r, &b) != 0 || jv_check(b, events[k].spec, "", &r->err) != 0 ||
        api_db(r, &d) != 0)
        return -1;
    referral_event ev = events[k].ev;
    if (ev == REFERRAL_EV_CONSULT_ACCEPT &&
        referral_consult_event(jv_str(b, "outcome"), &ev, &r->err) != 0)
        return -1;
    calendar *cal = arena_alloc(&r->a, sizeof *cal);
    deadline_settings ds;
    if (calendar_store_load(d, cal, &r->err) != 0 || settings_deadlines_load(d, &ds, &r->err) != 0)
        return -1;
    referral_row rr = {0};
    char summary[512];
    audit_ctx ac = api_audit(r);
    if (api_begin(r, d) != 0)
        return -1;
    if (referral_get(d, r->who, id, &rr, &r->err) != 0 ||
        referral_apply(d, r->who, &rr, ev, b, cal, &ds, today(), summary, sizeof summary,
                       &r->err) != 0 ||
        (events[k].notify && notify(d, &rr, events[k].notify, &r->err) != 0) ||
        audit_write(d, &ac, events[k].name, "referral", api_id_str(r, id),
                    json_pack("{s:s,s:s,s:O}", "event", referral_event_name(ev), "summary", summary,
                              "body", b),
                    &r->err) != 0 ||
        (ev == REFERRAL_EV_ACCEPT &&
         audit_write(d, &ac, "create", "case", api_id_str(r, rr.case_id),
                     json_pack("{s:s,s:I}", "source", "referral", "referral_id", (json_int_t)id),
                     &r->err) != 0) ||
        api_commit(r, d) != 0)
        return fail(r, d, &rr);
    if (events[k].notify)
        outbox_kick();
    return respond(r, d, id, 200);
}

int api_referrals_feedback_draft(http_req *r)
{
    int64_t id;
    db *d;
    referral_row rr;
    json_t *o;
    if (http_param_id(r, 0, &id) != 0 || api_db(r, &d) != 0 ||
        referral_get(d, r->who, id, &rr, &r->err) != 0 ||
        referral_feedback_draft(d, r->who, &rr, today(), &o, &r->err) != 0)
        return -1;
    return http_json(r, 200, o);
}

int api_referrals_stats(http_req *r)
{
    db *d;
    int64_t org_id;
    char from[DATE_STR_SIZE], to[DATE_STR_SIZE];
    tj_date t = today();
    snprintf(from, sizeof from, "%04d-01-01", t.y);
    date_format(t, to);
    const char *qf = http_query(r, "from"), *qt = http_query(r, "to");
    if (qf && *qf) {
        if (!jv_valid_date(qf))
            return http_fail(r, 400, "validation_failed", "from", "开始日期无效");
        snprintf(from, sizeof from, "%s", qf);
    }
    if (qt && *qt) {
        if (!jv_valid_date(qt))
            return http_fail(r, 400, "validation_failed", "to", "结束日期无效");
        snprintf(to, sizeof to, "%s", qt);
    }
    if (strcmp(from, to) > 0)
        return http_fail(r, 400, "validation_failed", "from", "开始日期不能晚于结束日期");
    json_t *out;
    if (api_query_id(r, "org_id", &org_id) != 0 || api_db(r, &d) != 0 ||
        referral_stats(d, r->who, from, to, org_id, t, &out, &r->err) != 0)
        return -1;
    return http_json(r, 200, out);
}
