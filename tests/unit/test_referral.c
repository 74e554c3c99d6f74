/* Unit tests for core/referral: the referral state machine cell by cell, return
 * reasons, consultation outcomes, the accept and feedback periods across the
 * 2024–2026 holiday notices (worked out by hand next to each), on-time judgement,
 * the webhook retry schedule and endpoint URLs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/referral.h"

#define D(y, m, d) ((tj_date){(y), (m), (d)})

static void assert_date(tj_date got, int y, int m, int d)
{
    if (got.y != y || got.m != m || got.d != d)
        fail_msg("got %04d-%02d-%02d, want %04d-%02d-%02d", got.y, got.m, got.d, y, m, d);
}

static void names_and_labels(void **state)
{
    (void)state;
    static const char *const states[] = {
        "draft",    "awaiting_approval", "sent",          "received",     "accepted",
        "returned", "disputed",          "feedback_sent", "acknowledged", "cancelled"};
    assert_int_equal(REFERRAL_STATE_COUNT, 10);
    for (int i = 0; i < REFERRAL_STATE_COUNT; i++) {
        assert_string_equal(referral_state_name((referral_state)i), states[i]);
        assert_non_null(referral_state_label((referral_state)i));
        referral_state st;
        assert_int_equal(referral_state_parse(states[i], &st, "status", NULL), 0);
        assert_int_equal(st, i);
    }
    for (int e = 0; e < REFERRAL_EVENT_COUNT; e++) {
        referral_event ev;
        assert_non_null(referral_event_label((referral_event)e));
        assert_int_equal(
            referral_event_parse(referral_event_name((referral_event)e), &ev, NULL, NULL), 0);
        assert_int_equal(ev, e);
    }
    assert_string_equal(referral_state_label(REFERRAL_AWAITING_APPROVAL), "待审签");
    assert_string_equal(referral_event_label(REFERRAL_EV_APPROVE), "审签并移送");
    tj_err err;
    referral_state st = REFERRAL_SENT;
    assert_int_equal(referral_state_parse("Sent", &st, "status", &err), -1);
    assert_int_equal(err.status, 400);
    assert_string_equal(err.field, "status");
    assert_int_equal(st, REFERRAL_SENT);
    assert_null(referral_state_name(REFERRAL_STATE_COUNT));
    assert_null(referral_event_name(REFERRAL_EVENT_COUNT));
}

/* The whole table, written out independently: for each event the states it is
 * allowed in (one letter per state in enum order: d a s r A R D f k c) and where it
 * leads. */
static void state_machine_every_cell(void **state)
{
    (void)state;
    static const struct {
        referral_event ev;
        const char *allowed; /* 10 chars, '1' where allowed */
        referral_state to;
        referral_side side;
    } rows[] = {
        {REFERRAL_EV_SUBMIT, "1000000000", REFERRAL_AWAITING_APPROVAL, REFERRAL_SIDE_PARTNER},
        {REFERRAL_EV_APPROVE, "1100000000", REFERRAL_SENT, REFERRAL_SIDE_APPROVER},
        {REFERRAL_EV_REJECT, "0100000000", REFERRAL_DRAFT, REFERRAL_SIDE_APPROVER},
        {REFERRAL_EV_CANCEL, "1100000000", REFERRAL_CANCELLED, REFERRAL_SIDE_PARTNER},
        {REFERRAL_EV_RECEIPT, "0010000000", REFERRAL_RECEIVED, REFERRAL_SIDE_COMMITTEE},
        {REFERRAL_EV_ACCEPT, "0011000000", REFERRAL_ACCEPTED, REFERRAL_SIDE_COMMITTEE},
        {REFERRAL_EV_RETURN, "0011000000", REFERRAL_RETURNED, REFERRAL_SIDE_COMMITTEE},
        {REFERRAL_EV_DISPUTE, "0000010000", REFERRAL_DISPUTED, REFERRAL_SIDE_PARTNER},
        {REFERRAL_EV_CONSULT_ACCEPT, "0000001000", REFERRAL_RECEIVED, REFERRAL_SIDE_SUPERVISOR},
        {REFERRAL_EV_CONSULT_TRANSFER, "0000001000", REFERRAL_SENT, REFERRAL_SIDE_SUPERVISOR},
        {REFERRAL_EV_CONSULT_UPHOLD, "0000001000", REFERRAL_RETURNED, REFERRAL_SIDE_SUPERVISOR},
        {REFERRAL_EV_FEEDBACK, "0000100000", REFERRAL_FEEDBACK_SENT, REFERRAL_SIDE_COMMITTEE},
        {REFERRAL_EV_ACKNOWLEDGE, "0000010100", REFERRAL_ACKNOWLEDGED, REFERRAL_SIDE_PARTNER},
    };
    assert_int_equal(sizeof rows / sizeof *rows, REFERRAL_EVENT_COUNT);
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        assert_int_equal(referral_event_side(rows[i].ev), rows[i].side);
        for (int s = 0; s < REFERRAL_STATE_COUNT; s++) {
            bool want = rows[i].allowed[s] == '1';
            if (referral_allowed((referral_state)s, rows[i].ev) != want)
                fail_msg("%s in %s: want %d", referral_event_name(rows[i].ev),
                         referral_state_name((referral_state)s), want);
            assert_int_equal(
                !!(referral_allowed_events((referral_state)s) & REFERRAL_EVENT_BIT(rows[i].ev)),
                want);
            referral_state next = REFERRAL_CANCELLED;
            tj_err err;
            if (want) {
                assert_int_equal(referral_next((referral_state)s, rows[i].ev, &next, &err), 0);
                assert_int_equal(next, rows[i].to);
            } else {
                assert_int_equal(referral_next((referral_state)s, rows[i].ev, &next, &err), -1);
                assert_int_equal(err.status, 409);
                assert_string_equal(err.code, "conflict");
                assert_non_null(strstr(err.msg, referral_state_label((referral_state)s)));
                assert_int_equal(next, REFERRAL_CANCELLED);
            }
        }
    }
    /* terminal states allow nothing */
    assert_int_equal(referral_allowed_events(REFERRAL_ACKNOWLEDGED), 0);
    assert_int_equal(referral_allowed_events(REFERRAL_CANCELLED), 0);
    assert_true(referral_editable(REFERRAL_DRAFT));
    assert_false(referral_editable(REFERRAL_AWAITING_APPROVAL));
    assert_false(referral_delivered(REFERRAL_DRAFT));
    assert_false(referral_delivered(REFERRAL_AWAITING_APPROVAL));
    assert_false(referral_delivered(REFERRAL_CANCELLED));
    assert_true(referral_delivered(REFERRAL_SENT));
    assert_true(referral_delivered(REFERRAL_ACKNOWLEDGED));
    tj_err err;
    referral_state next;
    assert_int_equal(referral_next(REFERRAL_SENT, REFERRAL_EVENT_COUNT, &next, &err), -1);
    assert_int_equal(err.status, 400);
}

static void channels_reasons_outcomes(void **state)
{
    (void)state;
    static const char *const ch[] = {"petition", "police", "court", "procuratorate", "admin"};
    for (size_t i = 0; i < 5; i++) {
        assert_true(referral_channel_valid(ch[i]));
        assert_string_equal(referral_channel_for_partner(ch[i]), ch[i]);
    }
    assert_false(referral_channel_valid("party_gov"));
    assert_null(referral_channel_for_partner("party_gov"));
    assert_null(referral_channel_for_partner(NULL));
    assert_false(referral_channel_valid(NULL));

    tj_err err;
    assert_int_equal(referral_check_return("out_of_scope", "属于刑事案件", &err), 0);
    assert_int_equal(referral_check_return("party_refused", "被申请人拒绝调解", &err), 0);
    assert_int_equal(referral_check_return("already_mediated", "已经调解", &err), 0);
    assert_int_equal(referral_check_return("other", "其他", &err), 0);
    assert_int_equal(referral_check_return("busy", "太忙", &err), -1);
    assert_string_equal(err.field, "reason_code");
    assert_int_equal(referral_check_return(NULL, "x", &err), -1);
    assert_string_equal(err.field, "reason_code");
    assert_int_equal(referral_check_return("other", "", &err), -1);
    assert_string_equal(err.field, "reason_text");
    assert_int_equal(referral_check_return("other", NULL, &err), -1);

    referral_event ev;
    assert_int_equal(referral_consult_event("accept", &ev, &err), 0);
    assert_int_equal(ev, REFERRAL_EV_CONSULT_ACCEPT);
    assert_int_equal(referral_consult_event("transfer", &ev, &err), 0);
    assert_int_equal(ev, REFERRAL_EV_CONSULT_TRANSFER);
    assert_int_equal(referral_consult_event("uphold", &ev, &err), 0);
    assert_int_equal(ev, REFERRAL_EV_CONSULT_UPHOLD);
    assert_int_equal(referral_consult_event("reject", &ev, &err), -1);
    assert_string_equal(err.field, "outcome");

    assert_int_equal(referral_outcome_of_case("agreed", true, false), REFERRAL_OUTCOME_AGREED);
    assert_int_equal(referral_outcome_of_case("terminated", false, true),
                     REFERRAL_OUTCOME_TERMINATED);
    assert_int_equal(referral_outcome_of_case("withdrawn", false, false),
                     REFERRAL_OUTCOME_WITHDRAWN);
    assert_int_equal(referral_outcome_of_case("closed", true, false), REFERRAL_OUTCOME_AGREED);
    assert_int_equal(referral_outcome_of_case("closed", false, true), REFERRAL_OUTCOME_TERMINATED);
    assert_int_equal(referral_outcome_of_case("archived", true, false), REFERRAL_OUTCOME_AGREED);
    assert_int_equal(referral_outcome_of_case("archived", false, false),
                     REFERRAL_OUTCOME_WITHDRAWN);
    assert_int_equal(referral_outcome_of_case("closed", false, false), REFERRAL_OUTCOME_NONE);
    static const char *const open[] = {"registered", "accepted", "mediating", "refused"};
    for (size_t i = 0; i < 4; i++)
        assert_int_equal(referral_outcome_of_case(open[i], false, false), REFERRAL_OUTCOME_NONE);
    assert_int_equal(referral_outcome_of_case(NULL, true, true), REFERRAL_OUTCOME_NONE);
    assert_string_equal(referral_outcome_name(REFERRAL_OUTCOME_AGREED), "agreed");
    assert_string_equal(referral_outcome_label(REFERRAL_OUTCOME_TERMINATED), "调解终止");
    assert_null(referral_outcome_name(REFERRAL_OUTCOME_NONE));

    /* what a feedback must carry */
    assert_int_equal(referral_check_feedback(REFERRAL_OUTCOME_AGREED, true, 10, 1, &err), 0);
    assert_int_equal(referral_check_feedback(REFERRAL_OUTCOME_AGREED, true, 10, 0, &err), -1);
    assert_string_equal(err.field, "file_ids");
    assert_int_equal(referral_check_feedback(REFERRAL_OUTCOME_AGREED, false, 10, 0, &err), 0);
    assert_int_equal(referral_check_feedback(REFERRAL_OUTCOME_TERMINATED, false, 10, 0, &err), 0);
    assert_int_equal(referral_check_feedback(REFERRAL_OUTCOME_TERMINATED, false, 0, 2, &err), -1);
    assert_string_equal(err.field, "text");
    assert_int_equal(referral_check_feedback(REFERRAL_OUTCOME_NONE, false, 10, 2, &err), -1);
    assert_int_equal(err.status, 409);
}

static void accept_period_across_holidays(void **state)
{
    (void)state;
    tj_date due;
    /* received Tue 2025-09-30: +3 = 10-03, inside National Day 10/1–8 → Thu 10-09 */
    assert_int_equal(referral_accept_due(NULL, NULL, D(2025, 9, 30), &due, NULL), 0);
    assert_date(due, 2025, 10, 9);
    /* received Fri 2026-02-13: +3 = 02-16, inside Spring Festival 2/15–23 → Tue 02-24 */
    assert_int_equal(referral_accept_due(NULL, NULL, D(2026, 2, 13), &due, NULL), 0);
    assert_date(due, 2026, 2, 24);
    /* received Wed 2025-09-24: +3 = Sat 09-27, an ordinary weekend → Sun 09-28 is a
     * make-up working day (调休) */
    assert_int_equal(referral_accept_due(NULL, NULL, D(2025, 9, 24), &due, NULL), 0);
    assert_date(due, 2025, 9, 28);
    /* received Mon 2026-03-02: +3 = Thu 03-05, a working day */
    assert_int_equal(referral_accept_due(NULL, NULL, D(2026, 3, 2), &due, NULL), 0);
    assert_date(due, 2026, 3, 5);
    /* an administrator's override counts: make 2026-03-05 a day off → Fri 03-06 */
    static calendar cal;
    calendar_init(&cal);
    assert_int_equal(calendar_set_override(&cal, D(2026, 3, 5), false, "临时调整", NULL), 0);
    assert_int_equal(referral_accept_due(&cal, NULL, D(2026, 3, 2), &due, NULL), 0);
    assert_date(due, 2026, 3, 6);
    /* the length is a setting */
    deadline_settings s;
    deadline_settings_default(&s);
    s.accept_referral_days = 5;
    assert_int_equal(referral_accept_due(NULL, &s, D(2026, 3, 2), &due, NULL), 0);
    assert_date(due, 2026, 3, 9);
    tj_err err;
    assert_int_equal(referral_accept_due(NULL, NULL, D(2026, 2, 30), &due, &err), -1);
    assert_int_equal(err.status, 400);
}

static void feedback_period(void **state)
{
    (void)state;
    tj_date due = D(2000, 1, 1);
    bool has = false;
    /* agreed Tue 2025-09-30: 5 working days → 10/9, 10/10, 10/11 (调休), 10/13, 10/14 */
    assert_int_equal(referral_feedback_due(NULL, NULL, REFERRAL_OUTCOME_AGREED, D(2025, 9, 30),
                                           &due, &has, NULL),
                     0);
    assert_true(has);
    assert_date(due, 2025, 10, 14);
    /* terminated Tue 2025-09-30: 3 working days → 10/9, 10/10, 10/11 */
    assert_int_equal(referral_feedback_due(NULL, NULL, REFERRAL_OUTCOME_TERMINATED, D(2025, 9, 30),
                                           &due, &has, NULL),
                     0);
    assert_date(due, 2025, 10, 11);
    /* agreed Fri 2026-02-13: 2/14 is a make-up Saturday (1), 2/15–23 off, 2/24 (2),
     * 2/25 (3), 2/26 (4), 2/27 (5) */
    assert_int_equal(referral_feedback_due(NULL, NULL, REFERRAL_OUTCOME_AGREED, D(2026, 2, 13),
                                           &due, &has, NULL),
                     0);
    assert_date(due, 2026, 2, 27);
    /* terminated Thu 2024-05-30: 5/31 (1), 6/3 (2), 6/4 (3) */
    assert_int_equal(referral_feedback_due(NULL, NULL, REFERRAL_OUTCOME_TERMINATED, D(2024, 5, 30),
                                           &due, &has, NULL),
                     0);
    assert_date(due, 2024, 6, 4);
    /* a withdrawal has no period */
    due = D(2000, 1, 1);
    assert_int_equal(referral_feedback_due(NULL, NULL, REFERRAL_OUTCOME_WITHDRAWN, D(2026, 3, 2),
                                           &due, &has, NULL),
                     0);
    assert_false(has);
    assert_date(due, 2000, 1, 1);
    tj_err err;
    assert_int_equal(
        referral_feedback_due(NULL, NULL, REFERRAL_OUTCOME_NONE, D(2026, 3, 2), &due, &has, &err),
        -1);
    assert_int_equal(err.status, 400);
}

static void feedback_letter(void **state)
{
    (void)state;
    referral_feedback_facts f = {.partner_org_name = "城关派出所",
                                 .letter_date = "2026-11-20",
                                 .letter_no = "城关派出所〔2026〕12号",
                                 .title = "张某与李某邻里纠纷",
                                 .org_name = "东关社区人民调解委员会",
                                 .accepted_on = "2026-11-23",
                                 .case_no = "（2026）东关人调字第7号",
                                 .outcome = REFERRAL_OUTCOME_AGREED,
                                 .agreed_on = "2026-11-30",
                                 .terms = "一、拆除围墙。",
                                 .performance = "performed",
                                 .written = true};
    char out[1024];
    size_t n = referral_feedback_text(&f, out, sizeof out);
    assert_int_equal(n, strlen(out));
    assert_string_equal(out, "城关派出所：\n    贵单位于 2026-11-20 以城关派出所〔2026〕12号移送的"
                             "“张某与李某邻里纠纷”一案，东关社区人民调解委员会于 2026-11-23 受理"
                             "（案号：（2026）东关人调字第7号）。经调解，双方当事人于 2026-11-30 "
                             "自愿达成书面调解协议（协议书附后）。协议内容如下：\n一、拆除围墙。"
                             "\n    履行情况：已履行。\n    特此反馈。");
    /* the length without room to write, and a cut that stays terminated */
    assert_int_equal(referral_feedback_text(&f, NULL, 0), n);
    char small[16];
    assert_int_equal(referral_feedback_text(&f, small, sizeof small), n);
    assert_int_equal(strlen(small), sizeof small - 1);
    f.written = false;
    f.performance = "";
    referral_feedback_text(&f, out, sizeof out);
    assert_non_null(strstr(out, "自愿达成口头协议。"));
    assert_null(strstr(out, "履行情况"));
    f.outcome = REFERRAL_OUTCOME_TERMINATED;
    f.terminated_on = "2026-12-01";
    f.termination_reason = "no_agreement";
    f.termination_text = "双方分歧较大";
    f.guidance = "litigation";
    referral_feedback_text(&f, out, sizeof out);
    assert_non_null(strstr(out,
                           "于 2026-12-01 终止调解。终止原因：经调解不能达成协议；双方分歧较大。"
                           "已告知当事人可依法向人民法院起诉。"));
    f.outcome = REFERRAL_OUTCOME_WITHDRAWN;
    f.withdraw_reason = "双方已自行和解";
    referral_feedback_text(&f, out, sizeof out);
    assert_non_null(
        strstr(out, "当事人撤回调解申请，理由：双方已自行和解，调解终结。\n    特此反馈。"));
    f.withdraw_reason = NULL;
    referral_feedback_text(&f, out, sizeof out);
    assert_non_null(strstr(out, "当事人撤回调解申请，调解终结。"));
}

static void timeliness_and_dates(void **state)
{
    (void)state;
    tj_date due = D(2025, 10, 9), before = D(2025, 10, 8), after = D(2025, 10, 10);
    assert_int_equal(referral_timeliness_of(due, &due, D(2026, 1, 1)), REFERRAL_ON_TIME);
    assert_int_equal(referral_timeliness_of(due, &before, D(2026, 1, 1)), REFERRAL_ON_TIME);
    assert_int_equal(referral_timeliness_of(due, &after, D(2026, 1, 1)), REFERRAL_LATE);
    assert_int_equal(referral_timeliness_of(due, NULL, before), REFERRAL_PENDING);
    assert_int_equal(referral_timeliness_of(due, NULL, due), REFERRAL_PENDING);
    assert_int_equal(referral_timeliness_of(due, NULL, after), REFERRAL_OVERDUE);
    assert_string_equal(referral_timeliness_name(REFERRAL_ON_TIME), "on_time");
    assert_string_equal(referral_timeliness_label(REFERRAL_LATE), "超期");
    assert_null(referral_timeliness_name(REFERRAL_TIMELINESS_COUNT));

    tj_err err;
    tj_date rec = D(2025, 9, 30), today = D(2026, 3, 2);
    assert_int_equal(referral_check_decision_date(rec, rec, today, "accepted_on", &err), 0);
    assert_int_equal(referral_check_decision_date(rec, today, today, "accepted_on", &err), 0);
    assert_int_equal(referral_check_decision_date(rec, D(2025, 9, 29), today, "accepted_on", &err),
                     -1);
    assert_string_equal(err.field, "accepted_on");
    assert_non_null(strstr(err.msg, "2025-09-30"));
    assert_int_equal(referral_check_decision_date(rec, D(2026, 3, 3), today, "returned_on", &err),
                     -1);
    assert_string_equal(err.field, "returned_on");

    tj_date letter = D(2025, 9, 28), sent = D(2025, 10, 9);
    assert_int_equal(referral_check_received_on(letter, sent, D(2025, 9, 30), &err), 0);
    assert_int_equal(referral_check_received_on(letter, sent, letter, &err), 0);
    assert_int_equal(referral_check_received_on(letter, sent, sent, &err), 0);
    assert_int_equal(referral_check_received_on(letter, sent, D(2025, 9, 27), &err), -1);
    assert_string_equal(err.field, "received_on");
    assert_int_equal(referral_check_received_on(letter, sent, D(2025, 10, 10), &err), -1);
    assert_int_equal(referral_check_received_on(letter, sent, D(2025, 2, 30), &err), -1);
}

static void webhook_backoff(void **state)
{
    (void)state;
    assert_int_equal(referral_webhook_backoff_ms(1, 30000), 30000);
    assert_int_equal(referral_webhook_backoff_ms(2, 30000), 60000);
    assert_int_equal(referral_webhook_backoff_ms(3, 30000), 120000);
    assert_int_equal(referral_webhook_backoff_ms(7, 30000), 1920000);
    assert_int_equal(referral_webhook_backoff_ms(8, 30000), REFERRAL_WEBHOOK_MAX_DELAY_MS);
    assert_int_equal(referral_webhook_backoff_ms(71, 30000), REFERRAL_WEBHOOK_MAX_DELAY_MS);
    assert_int_equal(referral_webhook_backoff_ms(1000000, 30000), REFERRAL_WEBHOOK_MAX_DELAY_MS);
    assert_int_equal(referral_webhook_backoff_ms(0, 100), 100);
    assert_int_equal(referral_webhook_backoff_ms(2, 0), 2);
    assert_int_equal(referral_webhook_backoff_ms(3, 100), 400);
    assert_false(referral_webhook_give_up(1));
    assert_false(referral_webhook_give_up(REFERRAL_WEBHOOK_MAX_ATTEMPTS - 1));
    assert_true(referral_webhook_give_up(REFERRAL_WEBHOOK_MAX_ATTEMPTS));
    /* the whole schedule spans about three days */
    int64_t total = 0;
    for (int a = 1; a < REFERRAL_WEBHOOK_MAX_ATTEMPTS; a++)
        total += referral_webhook_backoff_ms(a, 30000);
    assert_true(total > 2LL * 24 * 3600 * 1000 && total < 4LL * 24 * 3600 * 1000);
}

static void webhook_urls(void **state)
{
    (void)state;
    char host[256], path[600];
    int port = 0;
    tj_err err;
    assert_int_equal(referral_webhook_url_parse("http://10.1.2.3:8088/tiaojie/hook?k=1", host,
                                                sizeof host, &port, path, sizeof path, &err),
                     0);
    assert_string_equal(host, "10.1.2.3");
    assert_int_equal(port, 8088);
    assert_string_equal(path, "/tiaojie/hook?k=1");
    assert_int_equal(referral_webhook_url_parse("http://gaj.example.gov.cn", host, sizeof host,
                                                &port, path, sizeof path, &err),
                     0);
    assert_string_equal(host, "gaj.example.gov.cn");
    assert_int_equal(port, 80);
    assert_string_equal(path, "/");
    assert_int_equal(referral_webhook_url_parse("http://h?x=1", host, sizeof host, &port, path,
                                                sizeof path, &err),
                     0);
    assert_string_equal(path, "/?x=1");
    assert_int_equal(referral_webhook_url_parse("http://[fd00::1]:9000/in", host, sizeof host,
                                                &port, path, sizeof path, &err),
                     0);
    assert_string_equal(host, "fd00::1");
    assert_int_equal(port, 9000);

    assert_int_equal(referral_webhook_url_parse("https://gaj.example.gov.cn/hook", host,
                                                sizeof host, &port, path, sizeof path, &err),
                     -1);
    assert_string_equal(err.field, "url");
    assert_non_null(strstr(err.msg, "https"));
    static const char *const bad[] = {
        "",
        "ftp://x/",
        "http://",
        "http://:80/",
        "http://user:pw@host/",
        "http://host:0/",
        "http://host:65536/",
        "http://host:8a/",
        "http://host:/",
        "http://ho st/",
        "http://host/a b",
        "http://host/#frag",
        "http://ho_st/",
        "http://[::1/",
        "http://[::1]x/",
        "HTTP://host/",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        if (referral_webhook_url_parse(bad[i], host, sizeof host, &port, path, sizeof path, &err) !=
            -1)
            fail_msg("accepted %s", bad[i]);
        assert_string_equal(err.field, "url");
    }
    assert_int_equal(
        referral_webhook_url_parse(NULL, host, sizeof host, &port, path, sizeof path, &err), -1);
    char longurl[600];
    memset(longurl, 'a', sizeof longurl - 1);
    longurl[sizeof longurl - 1] = 0;
    memcpy(longurl, "http://h/", 9);
    assert_int_equal(
        referral_webhook_url_parse(longurl, host, sizeof host, &port, path, sizeof path, &err), -1);
    char small[4];
    assert_int_equal(referral_webhook_url_parse("http://example/", small, sizeof small, &port, path,
                                                sizeof path, &err),
                     -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(names_and_labels),
        cmocka_unit_test(state_machine_every_cell),
        cmocka_unit_test(channels_reasons_outcomes),
        cmocka_unit_test(accept_period_across_holidays),
        cmocka_unit_test(feedback_period),
        cmocka_unit_test(feedback_letter),
        cmocka_unit_test(timeliness_and_dates),
        cmocka_unit_test(webhook_backoff),
        cmocka_unit_test(webhook_urls),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
