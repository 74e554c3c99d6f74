#include "core/referral.h"
#include "core/dict.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char *const state_names[REFERRAL_STATE_COUNT] = {
    "draft",    "awaiting_approval", "sent",          "received",     "accepted",
    "returned", "disputed",          "feedback_sent", "acknowledged", "cancelled",
};

static const char *const event_names[REFERRAL_EVENT_COUNT] = {
    "submit",         "approve",  "reject",      "cancel",         "receipt",
    "accept",         "return",   "dispute",     "consult_accept", "consult_transfer",
    "consult_uphold", "feedback", "acknowledge",
};

#define S(x) REFERRAL_##x

/* One row per event: the side that takes it, the states it is allowed in (as a
 * bit set over referral_state) and the state it leads to. */
static const struct {
    referral_side side;
    uint32_t from;
    referral_state to;
} table[REFERRAL_EVENT_COUNT] = {
    [REFERRAL_EV_SUBMIT] = {REFERRAL_SIDE_PARTNER, 1u << S(DRAFT), S(AWAITING_APPROVAL)},
    [REFERRAL_EV_APPROVE] = {REFERRAL_SIDE_APPROVER, 1u << S(DRAFT) | 1u << S(AWAITING_APPROVAL),
                             S(SENT)},
    [REFERRAL_EV_REJECT] = {REFERRAL_SIDE_APPROVER, 1u << S(AWAITING_APPROVAL), S(DRAFT)},
    [REFERRAL_EV_CANCEL] = {REFERRAL_SIDE_PARTNER, 1u << S(DRAFT) | 1u << S(AWAITING_APPROVAL),
                            S(CANCELLED)},
    [REFERRAL_EV_RECEIPT] = {REFERRAL_SIDE_COMMITTEE, 1u << S(SENT), S(RECEIVED)},
    [REFERRAL_EV_ACCEPT] = {REFERRAL_SIDE_COMMITTEE, 1u << S(SENT) | 1u << S(RECEIVED),
                            S(ACCEPTED)},
    [REFERRAL_EV_RETURN] = {REFERRAL_SIDE_COMMITTEE, 1u << S(SENT) | 1u << S(RECEIVED),
                            S(RETURNED)},
    [REFERRAL_EV_DISPUTE] = {REFERRAL_SIDE_PARTNER, 1u << S(RETURNED), S(DISPUTED)},
    [REFERRAL_EV_CONSULT_ACCEPT] = {REFERRAL_SIDE_SUPERVISOR, 1u << S(DISPUTED), S(RECEIVED)},
    [REFERRAL_EV_CONSULT_TRANSFER] = {REFERRAL_SIDE_SUPERVISOR, 1u << S(DISPUTED), S(SENT)},
    [REFERRAL_EV_CONSULT_UPHOLD] = {REFERRAL_SIDE_SUPERVISOR, 1u << S(DISPUTED), S(RETURNED)},
    [REFERRAL_EV_FEEDBACK] = {REFERRAL_SIDE_COMMITTEE, 1u << S(ACCEPTED), S(FEEDBACK_SENT)},
    [REFERRAL_EV_ACKNOWLEDGE] = {REFERRAL_SIDE_PARTNER, 1u << S(FEEDBACK_SENT) | 1u << S(RETURNED),
                                 S(ACKNOWLEDGED)},
};

const char *referral_state_name(referral_state st)
{
    return (unsigned)st < REFERRAL_STATE_COUNT ? state_names[st] : NULL;
}

const char *referral_state_label(referral_state st)
{
    return dict_label("referral_status", referral_state_name(st));
}

const char *referral_event_name(referral_event ev)
{
    return (unsigned)ev < REFERRAL_EVENT_COUNT ? event_names[ev] : NULL;
}

const char *referral_event_label(referral_event ev)
{
    return dict_label("referral_event", referral_event_name(ev));
}

int referral_state_parse(const char *s, referral_state *out, const char *field, tj_err *err)
{
    for (int i = 0; s && i < REFERRAL_STATE_COUNT; i++)
        if (strcmp(s, state_names[i]) == 0) {
            *out = (referral_state)i;
            return 0;
        }
    return err_set(err, 400, "validation_failed", field, "未知的移送状态");
}

int referral_event_parse(const char *s, referral_event *out, const char *field, tj_err *err)
{
    for (int i = 0; s && i < REFERRAL_EVENT_COUNT; i++)
        if (strcmp(s, event_names[i]) == 0) {
            *out = (referral_event)i;
            return 0;
        }
    return err_set(err, 400, "validation_failed", field, "未知的移送操作");
}

referral_side referral_event_side(referral_event ev)
{
    return (unsigned)ev < REFERRAL_EVENT_COUNT ? table[ev].side : REFERRAL_SIDE_SUPERVISOR;
}

bool referral_allowed(referral_state st, referral_event ev)
{
    return (unsigned)st < REFERRAL_STATE_COUNT && (unsigned)ev < REFERRAL_EVENT_COUNT &&
           (table[ev].from & (1u << st)) != 0;
}

uint32_t referral_allowed_events(referral_state st)
{
    uint32_t m = 0;
    for (int e = 0; e < REFERRAL_EVENT_COUNT; e++)
        if (referral_allowed(st, (referral_event)e))
            m |= REFERRAL_EVENT_BIT(e);
    return m;
}

int referral_next(referral_state st, referral_event ev, referral_state *next, tj_err *err)
{
    if ((unsigned)ev >= REFERRAL_EVENT_COUNT)
        return err_set(err, 400, "validation_failed", "event", "未知的移送操作");
    if (!referral_allowed(st, ev))
        return err_set(err, 409, "conflict", "state", "移送当前状态为“%s”，不能%s",
                       referral_state_label(st) ? referral_state_label(st) : "未知",
                       referral_event_label(ev));
    *next = table[ev].to;
    return 0;
}

bool referral_editable(referral_state st)
{
    return st == REFERRAL_DRAFT;
}

bool referral_delivered(referral_state st)
{
    return st != REFERRAL_DRAFT && st != REFERRAL_AWAITING_APPROVAL && st != REFERRAL_CANCELLED &&
           (unsigned)st < REFERRAL_STATE_COUNT;
}

bool referral_channel_valid(const char *channel)
{
    return channel && dict_has("referral_channel", channel);
}

const char *referral_channel_for_partner(const char *partner_type)
{
    /* the channel names are the partner types that refer (party_gov does not) */
    return referral_channel_valid(partner_type) ? partner_type : NULL;
}

bool referral_return_reason_valid(const char *code)
{
    return code && dict_has("return_reason", code);
}

int referral_check_return(const char *code, const char *text, tj_err *err)
{
    if (!code || !*code)
        return err_set(err, 400, "validation_failed", "reason_code", "请选择退回原因");
    if (!referral_return_reason_valid(code))
        return err_set(err, 400, "validation_failed", "reason_code", "退回原因无效：%.40s", code);
    if (!text || !*text)
        return err_set(err, 400, "validation_failed", "reason_text", "请说明退回的具体理由");
    return 0;
}

int referral_consult_event(const char *outcome, referral_event *out, tj_err *err)
{
    static const struct {
        const char *name;
        referral_event ev;
    } map[] = {{"accept", REFERRAL_EV_CONSULT_ACCEPT},
               {"transfer", REFERRAL_EV_CONSULT_TRANSFER},
               {"uphold", REFERRAL_EV_CONSULT_UPHOLD}};
    for (size_t i = 0; outcome && i < sizeof map / sizeof *map; i++)
        if (strcmp(outcome, map[i].name) == 0) {
            *out = map[i].ev;
            return 0;
        }
    return err_set(err, 400, "validation_failed", "outcome",
                   "会商结论应为 accept（由原调委会受理）、transfer（改由其他调解组织受理）或 "
                   "uphold（维持退回）");
}

int referral_accept_due(const calendar *cal, const deadline_settings *s, tj_date received_on,
                        tj_date *due, tj_err *err)
{
    return deadline_accept_referral(cal, s, received_on, due, err);
}

int referral_feedback_due(const calendar *cal, const deadline_settings *s, referral_outcome outcome,
                          tj_date ended_on, tj_date *due, bool *has, tj_err *err)
{
    switch (outcome) {
    case REFERRAL_OUTCOME_AGREED:
    case REFERRAL_OUTCOME_TERMINATED:
        if (deadline_feedback(cal, s, outcome == REFERRAL_OUTCOME_AGREED, ended_on, due, err) != 0)
            return -1;
        *has = true;
        return 0;
    case REFERRAL_OUTCOME_WITHDRAWN:
        if (!date_valid(ended_on))
            return err_set(err, 400, "validation_failed", NULL, "日期无效");
        *has = false;
        return 0;
    default:
        return err_set(err, 400, "validation_failed", NULL, "案件尚未调结，没有反馈期限");
    }
}

referral_outcome referral_outcome_of_case(const char *case_status, bool agreed, bool terminated)
{
    if (!case_status)
        return REFERRAL_OUTCOME_NONE;
    if (strcmp(case_status, "agreed") == 0)
        return REFERRAL_OUTCOME_AGREED;
    if (strcmp(case_status, "terminated") == 0)
        return REFERRAL_OUTCOME_TERMINATED;
    if (strcmp(case_status, "withdrawn") == 0)
        return REFERRAL_OUTCOME_WITHDRAWN;
    if (strcmp(case_status, "closed") == 0 || strcmp(case_status, "archived") == 0) {
        if (agreed)
            return REFERRAL_OUTCOME_AGREED;
        if (terminated)
            return REFERRAL_OUTCOME_TERMINATED;
        /* archived straight from withdrawn carries neither */
        return strcmp(case_status, "archived") == 0 ? REFERRAL_OUTCOME_WITHDRAWN
                                                    : REFERRAL_OUTCOME_NONE;
    }
    return REFERRAL_OUTCOME_NONE;
}

const char *referral_outcome_name(referral_outcome o)
{
    switch (o) {
    case REFERRAL_OUTCOME_AGREED:
        return "agreed";
    case REFERRAL_OUTCOME_TERMINATED:
        return "terminated";
    case REFERRAL_OUTCOME_WITHDRAWN:
        return "withdrawn";
    default:
        return NULL;
    }
}

const char *referral_outcome_label(referral_outcome o)
{
    return dict_label("feedback_outcome", referral_outcome_name(o));
}

int referral_check_feedback(referral_outcome o, bool written_agreement, size_t text_len,
                            size_t files, tj_err *err)
{
    if (o == REFERRAL_OUTCOME_NONE)
        return err_set(err, 409, "conflict", "state", "案件尚未调结，暂不能反馈");
    if (text_len == 0)
        return err_set(err, 400, "validation_failed", "text", "请填写反馈内容");
    if (o == REFERRAL_OUTCOME_AGREED && written_agreement && files == 0)
        return err_set(err, 400, "validation_failed", "file_ids",
                       "达成书面调解协议的，反馈时应附调解协议书");
    return 0;
}

/* Append to out[*n..cap) like snprintf, counting what would not fit. */
__attribute__((format(printf, 4, 5))) static void text_add(char *out, size_t cap, size_t *n,
                                                           const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(*n < cap ? out + *n : NULL, *n < cap ? cap - *n : 0, fmt, ap);
    va_end(ap);
    if (k > 0)
        *n += (size_t)k;
}

static const char *label_or_empty(const char *dict_name, const char *value)
{
    const char *l = value ? dict_label(dict_name, value) : NULL;
    return l ? l : "";
}

size_t referral_feedback_text(const referral_feedback_facts *f, char *out, size_t cap)
{
    size_t n = 0;
    if (cap)
        out[0] = 0;
    text_add(out, cap, &n, "%s：\n    贵单位于 %s 以%s移送的“%s”一案，%s于 %s 受理（案号：%s）。",
             f->partner_org_name, f->letter_date, f->letter_no, f->title, f->org_name,
             f->accepted_on, f->case_no);
    if (f->outcome == REFERRAL_OUTCOME_AGREED) {
        text_add(out, cap, &n, "经调解，双方当事人于 %s 自愿达成%s。协议内容如下：\n%s",
                 f->agreed_on, f->written ? "书面调解协议（协议书附后）" : "口头协议",
                 f->terms ? f->terms : "");
        if (f->performance && *f->performance)
            text_add(out, cap, &n, "\n    履行情况：%s。",
                     label_or_empty("performance", f->performance));
    } else if (f->outcome == REFERRAL_OUTCOME_TERMINATED) {
        text_add(out, cap, &n,
                 "经调解，双方未能达成协议，于 %s 终止调解。终止原因：%s；%s。已告知当事人可%s。",
                 f->terminated_on, label_or_empty("termination_reason", f->termination_reason),
                 f->termination_text ? f->termination_text : "",
                 label_or_empty("guidance", f->guidance));
    } else {
        bool why = f->withdraw_reason && *f->withdraw_reason;
        text_add(out, cap, &n, "当事人撤回调解申请%s%s，调解终结。", why ? "，理由：" : "",
                 why ? f->withdraw_reason : "");
    }
    text_add(out, cap, &n, "%s", "\n    特此反馈。");
    return n;
}

int referral_check_decision_date(tj_date received_on, tj_date decided, tj_date today,
                                 const char *field, tj_err *err)
{
    if (!date_valid(decided) || !date_valid(received_on))
        return err_set(err, 400, "validation_failed", field, "日期无效");
    if (date_compare(decided, today) > 0)
        return err_set(err, 400, "validation_failed", field, "日期不能晚于今天");
    if (date_compare(decided, received_on) < 0) {
        char r[DATE_STR_SIZE];
        date_format(received_on, r);
        return err_set(err, 400, "validation_failed", field, "日期不能早于收到移送的日期（%s）", r);
    }
    return 0;
}

int referral_check_received_on(tj_date letter_date, tj_date sent_on, tj_date received_on,
                               tj_err *err)
{
    char a[DATE_STR_SIZE], b[DATE_STR_SIZE];
    if (!date_valid(received_on))
        return err_set(err, 400, "validation_failed", "received_on", "签收日期无效");
    date_format(letter_date, a);
    date_format(sent_on, b);
    if (date_compare(received_on, letter_date) < 0)
        return err_set(err, 400, "validation_failed", "received_on",
                       "签收日期不能早于移送函日期（%s）", a);
    if (date_compare(received_on, sent_on) > 0)
        return err_set(err, 400, "validation_failed", "received_on",
                       "移送已于 %s 送达，签收日期不能晚于该日", b);
    return 0;
}

referral_timeliness referral_timeliness_of(tj_date due, const tj_date *done, tj_date today)
{
    if (done)
        return date_compare(*done, due) <= 0 ? REFERRAL_ON_TIME : REFERRAL_LATE;
    return date_compare(today, due) > 0 ? REFERRAL_OVERDUE : REFERRAL_PENDING;
}

const char *referral_timeliness_name(referral_timeliness t)
{
    static const char *const n[REFERRAL_TIMELINESS_COUNT] = {"pending", "overdue", "on_time",
                                                             "late"};
    return (unsigned)t < REFERRAL_TIMELINESS_COUNT ? n[t] : NULL;
}

const char *referral_timeliness_label(referral_timeliness t)
{
    return dict_label("referral_timeliness", referral_timeliness_name(t));
}

int64_t referral_webhook_backoff_ms(int attempts, int64_t base_ms)
{
    if (base_ms < 1)
        base_ms = 1;
    if (attempts < 1)
        attempts = 1;
    int64_t d = base_ms;
    for (int i = 1; i < attempts && d < REFERRAL_WEBHOOK_MAX_DELAY_MS; i++)
        d *= 2;
    return d > REFERRAL_WEBHOOK_MAX_DELAY_MS ? REFERRAL_WEBHOOK_MAX_DELAY_MS : d;
}

bool referral_webhook_give_up(int attempts)
{
    return attempts >= REFERRAL_WEBHOOK_MAX_ATTEMPTS;
}

int referral_webhook_url_parse(const char *url, char *host, size_t host_cap, int *port, char *path,
                               size_t path_cap, tj_err *err)
{
    if (!url || !*url)
        return err_set(err, 400, "validation_failed", "url", "请填写推送地址");
    size_t n = strlen(url);
    if (n > 500)
        return err_set(err, 400, "validation_failed", "url", "推送地址最多 500 个字符");
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)url[i];
        if (c <= 0x20 || c >= 0x7f)
            return err_set(err, 400, "validation_failed", "url",
                           "推送地址含有空格、控制字符或非 ASCII 字符（请先进行 URL 编码）");
    }
    if (strncmp(url, "https://", 8) == 0)
        return err_set(err, 400, "validation_failed", "url",
                       "暂不支持 https 推送地址：对接单位的接收地址应位于政务网内，请使用 http:// "
                       "地址（如需加密，请在前置代理上终止 TLS）");
    if (strncmp(url, "http://", 7) != 0)
        return err_set(err, 400, "validation_failed", "url", "推送地址应以 http:// 开头");
    const char *p = url + 7;
    const char *end = p + strcspn(p, "/?#");
    if (memchr(p, '@', (size_t)(end - p)))
        return err_set(err, 400, "validation_failed", "url", "推送地址不能包含用户名或密码");
    if (strchr(url, '#'))
        return err_set(err, 400, "validation_failed", "url", "推送地址不能包含 # 片段");
    const char *hs = p, *he, *colon = NULL;
    if (*p == '[') {
        const char *rb = memchr(p, ']', (size_t)(end - p));
        if (!rb || rb == p + 1)
            return err_set(err, 400, "validation_failed", "url", "推送地址的 IPv6 地址格式错误");
        hs = p + 1;
        he = rb;
        if (rb + 1 < end) {
            if (rb[1] != ':')
                return err_set(err, 400, "validation_failed", "url", "推送地址格式错误");
            colon = rb + 1;
        }
    } else {
        colon = memchr(p, ':', (size_t)(end - p));
        he = colon ? colon : end;
        for (const char *c = hs; c < he; c++)
            if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
                  (*c >= '0' && *c <= '9') || *c == '-' || *c == '.'))
                return err_set(err, 400, "validation_failed", "url", "推送地址的主机名无效");
    }
    if (he == hs)
        return err_set(err, 400, "validation_failed", "url", "推送地址缺少主机名");
    if ((size_t)(he - hs) >= host_cap)
        return err_set(err, 400, "validation_failed", "url", "推送地址的主机名过长");
    int pt = 80;
    if (colon) {
        const char *ds = colon + 1;
        if (ds == end || end - ds > 5)
            return err_set(err, 400, "validation_failed", "url", "推送地址的端口无效");
        pt = 0;
        for (const char *c = ds; c < end; c++) {
            if (*c < '0' || *c > '9')
                return err_set(err, 400, "validation_failed", "url", "推送地址的端口无效");
            pt = pt * 10 + (*c - '0');
        }
        if (pt < 1 || pt > 65535)
            return err_set(err, 400, "validation_failed", "url",
                           "推送地址的端口应在 1 到 65535 之间");
    }
    const char *rest = *end ? end : "/";
    if (strlen(rest) + (*rest == '?') + 1 > path_cap)
        return err_set(err, 400, "validation_failed", "url", "推送地址的路径过长");
    memcpy(host, hs, (size_t)(he - hs));
    host[he - hs] = 0;
    snprintf(path, path_cap, "%s%s", *rest == '?' ? "/" : "", rest);
    *port = pt;
    return 0;
}
