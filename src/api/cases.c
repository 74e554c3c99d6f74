#include "api/api.h"
#include "core/case_flow.h"
#include "core/cjk.h"
#include "core/date.h"
#include "core/dict.h"
#include "store/calendar_store.h"
#include "store/case_store.h"
#include "store/referral_store.h"
#include "store/settings_store.h"
#include "util/clock.h"

#include <stdlib.h>
#include <string.h>

#define I64MAX INT64_MAX
/* a list page or the to-do list as JSON text: 100 rows of short columns fit many times over */
#define LIST_ANSWER_MAX (8u * 1024 * 1024)

/* Shared with api/referrals.c: a referral carries the parties of its future case. */
const jv_field party_spec[] = {
    {"role", JV_ENUM, true, "当事人身份", 0, "party_role"},
    {"kind", JV_ENUM, false, "当事人类型", 0, "party_kind"},
    {"name", JV_STRING, true, "姓名/名称", 100},
    {"sex", JV_ENUM, false, "性别", 0, "sex"},
    {"ethnicity", JV_ENUM, false, "民族", 0, "ethnicity"},
    {"birth_date", JV_DATE, false, "出生日期"},
    {"occupation", JV_STRING, false, "职业", 50},
    {"id_number", JV_STRING, false, "身份证号", 18},
    {"credit_code", JV_STRING, false, "统一社会信用代码", 18},
    {"legal_rep", JV_STRING, false, "法定代表人", 50},
    {"phone", JV_STRING, false, "联系电话", 20},
    {"address", JV_STRING, false, "住址", 200},
    {"agent_name", JV_STRING, false, "代理人", 50},
    {"agent_phone", JV_STRING, false, "代理人电话", 20},
    {"agent_relation", JV_STRING, false, "代理人身份", 50},
    {NULL},
};

static const jv_field case_spec[] = {
    {"title", JV_STRING, true, "案件名称", 100},
    {"source", JV_ENUM, true, "纠纷来源", 0, "source"},
    {"dispute_type", JV_ENUM, true, "纠纷类型", 0, "dispute_type"},
    {"flags", JV_ENUM_ARRAY, false, "特殊标记", 4, "case_flag"},
    {"facts", JV_STRING, true, "纠纷事实", 5000},
    {"claims", JV_STRING, false, "当事人诉求", 2000},
    {"amount", JV_INT, false, "涉案金额（分）", 0, NULL, 0, 100000000000000LL},
    {"people_involved", JV_INT, false, "涉及人数", 0, NULL, 1, 1000000},
    {"place", JV_STRING, false, "纠纷发生地点", 200},
    {"occurred_on", JV_DATE, false, "纠纷发生日期"},
    {"org_id", JV_INT, false, "受理机构", 0, NULL, 1, I64MAX},
    {"parties", JV_OBJECT_ARRAY, true, "当事人", 50, NULL, 2, 0, party_spec},
    {NULL},
};

/* One body table per event; fields match case_flow_required_fields(). */
static const jv_field ev_accept[] = {{"accepted_on", JV_DATE, false, "受理日期"}, {NULL}};
static const jv_field ev_reason[] = {{"reason", JV_STRING, true, "理由", 500}, {NULL}};
static const jv_field ev_assign[] = {{"mediator_id", JV_INT, true, "主调解员", 0, NULL, 1, I64MAX},
                                     {"co_mediator_ids", JV_ID_ARRAY, false, "协助调解员", 10},
                                     {NULL}};
static const jv_field ev_session[] = {{"kind", JV_ENUM, false, "记录类型", 0, "record_kind"},
                                      {"held_on", JV_DATE, true, "日期"},
                                      {"place", JV_STRING, false, "地点", 200},
                                      {"participants", JV_STRING, false, "参加人员", 500},
                                      {"content", JV_STRING, true, "记录内容", 20000},
                                      {NULL}};
static const jv_field ev_extend[] = {{"due_on", JV_DATE, true, "延长至"},
                                     {"reason", JV_STRING, true, "延长理由", 500},
                                     {"parties_consent", JV_BOOL, false, "双方当事人同意"},
                                     {NULL}};
static const jv_field ev_agree[] = {
    {"form", JV_ENUM, true, "协议形式", 0, "agreement_form"},
    {"terms", JV_STRING, true, "协议内容", 20000},
    {"has_payment", JV_BOOL, false, "具有给付内容"},
    {"amount", JV_INT, false, "给付金额（分）", 0, NULL, 0, 100000000000000LL},
    {"performance_due", JV_DATE, false, "履行期限"},
    {"effective_on", JV_DATE, false, "协议生效日期"},
    {NULL}};
static const jv_field ev_terminate[] = {
    {"reason_code", JV_ENUM, true, "终止原因", 0, "termination_reason"},
    {"reason_text", JV_STRING, true, "终止情况说明", 2000},
    {"guidance", JV_ENUM, true, "告知的其他途径", 0, "guidance"},
    {NULL}};
static const jv_field ev_escalate[] = {{"org_id", JV_INT, true, "上报至", 0, NULL, 1, I64MAX},
                                       {"reason", JV_STRING, true, "上报理由", 500},
                                       {NULL}};
static const jv_field ev_apply_conf[] = {
    {"court", JV_STRING, true, "人民法院", 100}, {"applied_on", JV_DATE, true, "申请日期"}, {NULL}};
static const jv_field ev_record_conf[] = {
    {"result", JV_ENUM, true, "确认结果", 0, "confirmation_result"},
    {"decided_on", JV_DATE, true, "裁定日期"},
    {NULL}};
static const jv_field ev_performance[] = {
    {"performance", JV_ENUM, true, "履行情况", 0, "performance"},
    {"note", JV_STRING, false, "说明", 1000},
    {NULL}};
static const jv_field ev_follow_up[] = {
    {"visited_on", JV_DATE, true, "回访日期"},
    {"method", JV_ENUM, true, "回访方式", 0, "follow_up_method"},
    {"content", JV_STRING, true, "回访情况", 5000},
    {"satisfaction", JV_INT, false, "满意度", 0, NULL, 1, 5},
    {"joint_with_referrer", JV_BOOL, false, "与移送单位联合回访"},
    {NULL}};
static const jv_field ev_none[] = {{NULL}};

static const jv_field *const event_specs[CASE_FLOW_EVENT_COUNT] = {
    [CASE_FLOW_EVENT_ACCEPT] = ev_accept,
    [CASE_FLOW_EVENT_REFUSE] = ev_reason,
    [CASE_FLOW_EVENT_WITHDRAW] = ev_reason,
    [CASE_FLOW_EVENT_ASSIGN] = ev_assign,
    [CASE_FLOW_EVENT_RECORD_SESSION] = ev_session,
    [CASE_FLOW_EVENT_EXTEND] = ev_extend,
    [CASE_FLOW_EVENT_AGREE] = ev_agree,
    [CASE_FLOW_EVENT_TERMINATE] = ev_terminate,
    [CASE_FLOW_EVENT_ESCALATE] = ev_escalate,
    [CASE_FLOW_EVENT_APPLY_CONFIRMATION] = ev_apply_conf,
    [CASE_FLOW_EVENT_RECORD_CONFIRMATION] = ev_record_conf,
    [CASE_FLOW_EVENT_RECORD_PERFORMANCE] = ev_performance,
    [CASE_FLOW_EVENT_FOLLOW_UP] = ev_follow_up,
    [CASE_FLOW_EVENT_CLOSE] = ev_none,
    [CASE_FLOW_EVENT_ARCHIVE] = ev_none,
};

static tj_date today(void)
{
    return date_today_shanghai(clock_unix());
}

static int respond_case(http_req *r, db *d, int64_t id, int status)
{
    json_t *o;
    if (case_detail(d, r->who, id, today(), &o, &r->err) != 0)
        return -1;
    return http_json(r, status, o);
}

/* Commits a write to case id and answers with the case as the write left it. The
 * answer is read before the commit, on the connection that wrote the pages and
 * still holds them (after the commit this thread's own connection would read them
 * back from the WAL), and sent only if the commit succeeds. Should the caller not
 * see the case it changed, the write still stands and the answer is what a read
 * after it gives. On -1 before the commit the transaction is still open. */
static int commit_with_case(http_req *r, db *d, int64_t id, int status)
{
    json_t *o = NULL;
    if (case_detail(d, r->who, id, today(), &o, &r->err) != 0) {
        if (r->err.status >= 500)
            return -1;
        o = NULL;
        r->err = (tj_err){0};
    }
    if (api_commit(r, d) != 0) {
        json_decref(o);
        return -1;
    }
    return o ? http_json(r, status, o) : respond_case(r, d, id, status);
}

/* Writes need the case's handling org inside the caller's subtree: a village that
 * escalated a case still reads it, but the township now handles it. */
static int require_writable(http_req *r, const case_row *c)
{
    if (perm_partner_side(r->who->role))
        return http_fail(r, 403, "forbidden", NULL, "对接单位不能办理调解案件");
    if (!scope_contains(r->who, c->org_path))
        return http_fail(r, 403, "forbidden", NULL, "该案件已由%s办理，您只能查看", c->org_name);
    return 0;
}

int api_cases_list(http_req *r)
{
    case_filter f = {0};
    db *d;
    f.today = today();
    f.status = http_query(r, "status");
    f.dispute_type = http_query(r, "dispute_type");
    f.source = http_query(r, "source");
    f.flag = http_query(r, "flag");
    f.q = http_query(r, "q");
    f.from = http_query(r, "from");
    f.to = http_query(r, "to");
    f.sort = http_query(r, "sort");
    f.file_status = http_query(r, "file_status");
    const char *ov = http_query(r, "overdue"), *mine = http_query(r, "mine");
    f.overdue = ov && strcmp(ov, "1") == 0;
    f.mine = mine && strcmp(mine, "1") == 0;
    /* empty query parameters (from a search form left blank) mean "no filter" */
    const char **opt[] = {&f.status, &f.dispute_type, &f.source, &f.flag,       &f.q,
                          &f.from,   &f.to,           &f.sort,   &f.file_status};
    for (size_t i = 0; i < sizeof opt / sizeof *opt; i++)
        if (*opt[i] && !**opt[i])
            *opt[i] = NULL;
    static const struct {
        const char *param, *dict;
    } enums[] = {{"status", "case_status"},
                 {"dispute_type", "dispute_type"},
                 {"source", "source"},
                 {"flag", "case_flag"},
                 {"file_status", "case_file_status"}};
    const char *vals[] = {f.status, f.dispute_type, f.source, f.flag, f.file_status};
    for (int i = 0; i < 5; i++)
        if (vals[i] && !dict_has(enums[i].dict, vals[i]))
            return http_fail(r, 400, "validation_failed", enums[i].param, "参数 %s 取值无效",
                             enums[i].param);
    if (f.from && !jv_valid_date(f.from))
        return http_fail(r, 400, "validation_failed", "from", "开始日期无效");
    if (f.to && !jv_valid_date(f.to))
        return http_fail(r, 400, "validation_failed", "to", "结束日期无效");
    if (f.q && jv_utf8_len(f.q) > 50)
        return http_fail(r, 400, "validation_failed", "q", "搜索词最多 50 个字");
    if (f.sort && strcmp(f.sort, "newest") != 0 && strcmp(f.sort, "oldest") != 0 &&
        strcmp(f.sort, "due") != 0)
        return http_fail(r, 400, "validation_failed", "sort", "排序方式应为 newest、oldest 或 due");
    const char *cur = http_query(r, "cursor");
    char due[16] = "";
    if (cur && *cur) {
        bool due_sort = f.sort && strcmp(f.sort, "due") == 0;
        char *end;
        const char *num = cur;
        if (due_sort) {
            if (strlen(cur) < 12 || cur[10] != '_')
                return http_fail(r, 400, "validation_failed", "cursor", "分页游标无效");
            memcpy(due, cur, 10);
            if (!jv_valid_date(due))
                return http_fail(r, 400, "validation_failed", "cursor", "分页游标无效");
            f.cursor_due = due;
            num = cur + 11;
        }
        long long v = strtoll(num, &end, 10);
        if (*end || v <= 0)
            return http_fail(r, 400, "validation_failed", "cursor", "分页游标无效");
        f.cursor_id = v;
    }
    if (api_limit(r, 20, 100, &f.limit) != 0 || api_query_id(r, "org_id", &f.org_id) != 0 ||
        api_query_id(r, "mediator_id", &f.mediator_id) != 0 || api_db(r, &d) != 0)
        return -1;
    int64_t total = 0;
    char next[64];
    tj_err qe = {0};
    if (f.q) {
        char probe[1024];
        if (cjk_query(f.q, probe, sizeof probe, &qe) != 0)
            return http_fail(r, 400, "validation_failed", "q", "%s", qe.msg);
    }
    /* written as text: a page is at most 100 rows of short columns */
    buf b;
    jw w;
    buf_init(&b, LIST_ANSWER_MAX);
    jw_init(&w, &b);
    jw_obj(&w);
    jw_key(&w, "items");
    if (case_list(d, r->who, &f, &w, &total, next, sizeof next, &r->err) != 0) {
        buf_free(&b);
        return -1;
    }
    jw_key(&w, "total");
    jw_int(&w, total);
    if (next[0]) {
        jw_key(&w, "next_cursor");
        jw_str(&w, next);
    }
    jw_obj_end(&w);
    if (!jw_ok(&w)) {
        buf_free(&b);
        return http_fail(r, 500, "internal", NULL, "列表过大，请缩小查询范围");
    }
    return http_json_text(r, 200, &b);
}

int api_cases_create(http_req *r)
{
    json_t *b;
    db *d;
    if (http_body_object(r, &b) != 0 || jv_check(b, case_spec, "", &r->err) != 0 ||
        api_db(r, &d) != 0)
        return -1;
    if (perm_partner_side(r->who->role))
        return http_fail(r, 403, "forbidden", NULL, "对接单位请通过移送登记纠纷");
    int64_t id;
    audit_ctx ac = api_audit(r);
    /* the audit detail never carries identity numbers */
    json_t *detail = json_deep_copy(b);
    json_t *p;
    size_t i;
    json_array_foreach(json_object_get(detail, "parties"), i,
                       p) if (json_object_get(p, "id_number"))
        json_object_set_new(p, "id_number", json_string("（已加密）"));
    if (api_begin(r, d) != 0) {
        json_decref(detail);
        return -1;
    }
    if (case_register(d, r->who, b, today(), &id, &r->err) != 0) {
        json_decref(detail);
        goto fail;
    }
    /* audit_write takes detail whatever happens */
    if (audit_write(d, &ac, "create", "case", arena_printf(&r->a, "%lld", (long long)id), detail,
                    &r->err) != 0 ||
        commit_with_case(r, d, id, 201) != 0)
        goto fail;
    return 0;
fail:
    db_rollback(d);
    return -1;
}

int api_cases_get(http_req *r)
{
    int64_t id;
    db *d;
    if (http_param_id(r, 0, &id) != 0 || api_db(r, &d) != 0)
        return -1;
    return respond_case(r, d, id, 200);
}

int api_cases_event(http_req *r)
{
    int64_t id;
    db *d;
    json_t *b;
    case_flow_event ev;
    if (http_param_id(r, 0, &id) != 0)
        return -1;
    if (case_flow_event_parse(r->params[1], &ev, NULL, NULL) != 0)
        return http_fail(r, 404, "not_found", NULL, "未知的案件操作：%s", r->params[1]);
    if (api_body_or_empty(r, &b) != 0 || jv_check(b, event_specs[ev], "", &r->err) != 0 ||
        api_db(r, &d) != 0)
        return -1;
    case_row c = {0};
    calendar *cal = arena_alloc(&r->a, sizeof *cal);
    calendar_init(cal);
    char summary[512];
    audit_ctx ac = api_audit(r);
    deadline_settings ds;
    if (calendar_store_load(d, cal, &r->err) != 0 ||
        settings_deadlines_load(d, &ds, &r->err) != 0 || api_begin(r, d) != 0)
        return -1;
    if (case_get(d, r->who, id, &c, &r->err) != 0 || require_writable(r, &c) != 0 ||
        case_apply(d, r->who, &c, ev, b, cal, &ds, today(), summary, sizeof summary, &r->err) != 0)
        goto fail;
    json_t *detail = json_pack("{s:s,s:s,s:O}", "event", case_flow_event_name(ev), "summary",
                               summary, "body", b);
    if (audit_write(d, &ac, case_flow_event_name(ev), "case",
                    arena_printf(&r->a, "%lld", (long long)id), detail, &r->err) != 0 ||
        commit_with_case(r, d, id, 200) != 0)
        goto fail;
    return 0;
fail:
    if (r->err.status == 409 && c.id)
        r->err_state = case_flow_state_name(c.state);
    db_rollback(d);
    return -1;
}

int api_cases_recuse(http_req *r)
{
    static const jv_field spec[] = {
        {"person_id", JV_INT, true, "调解员", 0, NULL, 1, I64MAX},
        {"reason", JV_STRING, true, "回避理由", 500},
        {NULL},
    };
    int64_t id;
    db *d;
    json_t *b;
    if (http_param_id(r, 0, &id) != 0 || http_body_object(r, &b) != 0 ||
        jv_check(b, spec, "", &r->err) != 0 || api_db(r, &d) != 0)
        return -1;
    case_row c;
    audit_ctx ac = api_audit(r);
    if (api_begin(r, d) != 0)
        return -1;
    if (case_get(d, r->who, id, &c, &r->err) != 0 || require_writable(r, &c) != 0 ||
        case_recuse(d, r->who, &c, jv_int(b, "person_id", 0), jv_str(b, "reason"), &r->err) != 0 ||
        audit_write(d, &ac, "recuse", "case", arena_printf(&r->a, "%lld", (long long)id),
                    json_incref(b), &r->err) != 0 ||
        commit_with_case(r, d, id, 200) != 0) {
        db_rollback(d);
        return -1;
    }
    return 0;
}

int api_cases_suggest(http_req *r)
{
    int64_t id;
    db *d;
    case_row c;
    json_t *items;
    if (http_param_id(r, 0, &id) != 0 || api_db(r, &d) != 0 ||
        case_get(d, r->who, id, &c, &r->err) != 0 ||
        case_suggest_mediators(d, &c, &items, &r->err) != 0)
        return -1;
    return http_json(r, 200, json_pack("{s:o}", "items", items));
}

int api_todo(http_req *r)
{
    db *d;
    const char *scope = http_query(r, "scope");
    bool mine;
    if (!scope || !*scope)
        mine = r->who->role == ROLE_MEDIATOR;
    else if (strcmp(scope, "mine") == 0)
        mine = true;
    else if (strcmp(scope, "org") == 0)
        mine = false;
    else
        return http_fail(r, 400, "validation_failed", "scope", "scope 应为 mine 或 org");
    /* limit: items per list (0 for the counts alone, as the home page's card asks);
     * each list has its own maximum as well (TODO_*_MAX) */
    int limit = TODO_DEADLINES_MAX;
    const char *ls = http_query(r, "limit");
    if (ls) {
        char *end;
        long v = strtol(ls, &end, 10);
        if (!*ls || *end || v < 0)
            return http_fail(r, 400, "validation_failed", "limit", "limit 应为不小于 0 的整数");
        limit = v > TODO_DEADLINES_MAX ? TODO_DEADLINES_MAX : (int)v;
    }
    deadline_settings ds;
    if (api_db(r, &d) != 0 || settings_deadlines_load(d, &ds, &r->err) != 0)
        return -1;
    buf b;
    jw w;
    buf_init(&b, LIST_ANSWER_MAX);
    jw_init(&w, &b);
    if (case_todo(d, r->who, mine, today(), ds.due_soon_days, limit, &w, &r->err) != 0)
        goto fail;
    /* referral tasks of every side (approve, accept or return, feedback, …) */
    if (perm_allows(r->who->role, PERM_REFERRAL_READ)) {
        jw_key(&w, "referrals");
        if (referral_todo(d, r->who, today(), ds.due_soon_days, limit, &w, &r->err) != 0)
            goto fail;
    }
    jw_key(&w, "scope");
    jw_str(&w, mine ? "mine" : "org");
    jw_obj_end(&w);
    if (!jw_ok(&w)) {
        http_fail(r, 500, "internal", NULL, "待办列表过大");
        goto fail;
    }
    return http_json_text(r, 200, &b);
fail:
    buf_free(&b);
    return -1;
}

int api_settings_deadlines_get(http_req *r)
{
    db *d;
    deadline_settings ds;
    if (api_db(r, &d) != 0 || settings_deadlines_load(d, &ds, &r->err) != 0)
        return -1;
    return http_json(r, 200, settings_deadlines_json(&ds));
}

int api_settings_deadlines_put(http_req *r)
{
    db *d;
    json_t *b;
    deadline_settings ds;
    audit_ctx ac = api_audit(r);
    if (http_body_object(r, &b) != 0 || api_db(r, &d) != 0 || api_begin(r, d) != 0)
        return -1;
    if (settings_deadlines_load(d, &ds, &r->err) != 0 ||
        settings_deadlines_from_json(b, &ds, &r->err) != 0 ||
        deadline_settings_validate(&ds, &r->err) != 0 ||
        settings_deadlines_save(d, &ds, &r->err) != 0 ||
        audit_write(d, &ac, "update", "settings", "deadlines", json_incref(b), &r->err) != 0 ||
        api_commit(r, d) != 0) {
        db_rollback(d);
        return -1;
    }
    return http_json(r, 200, settings_deadlines_json(&ds));
}
