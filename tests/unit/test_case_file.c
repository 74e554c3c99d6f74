/* Case-file rules: document availability, the checklist of a closed case's file,
 * subsidy tiers and their split, amounts in capital numerals. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/case_file.h"

static const cf_item_state *item(const cf_item_state *l, cf_item k)
{
    for (int i = 0; i < CF_ITEM__COUNT; i++)
        if (l[i].item == k)
            return &l[i];
    fail_msg("item %d missing", k);
    return NULL;
}

static void names_round_trip(void **state)
{
    (void)state;
    for (int k = 0; k < CF_DOC__COUNT; k++) {
        cf_doc out;
        assert_non_null(cf_doc_name((cf_doc)k));
        assert_non_null(cf_doc_label((cf_doc)k));
        assert_int_equal(cf_doc_parse(cf_doc_name((cf_doc)k), &out), 0);
        assert_int_equal(out, k);
    }
    cf_doc d;
    assert_int_equal(cf_doc_parse("Agreement", &d), -1);
    assert_int_equal(cf_doc_parse(NULL, &d), -1);
    assert_null(cf_doc_name(CF_DOC__COUNT));
    for (int k = 0; k < CF_ATT__COUNT; k++) {
        cf_att a;
        assert_int_equal(cf_att_parse(cf_att_name((cf_att)k), &a), 0);
        assert_int_equal(a, k);
    }
    assert_string_equal(cf_doc_label(CF_DOC_AGREEMENT), "人民调解协议书");
    assert_string_equal(cf_item_name(CF_ITEM_BACK_COVER), "back_cover");
}

static void availability(void **state)
{
    (void)state;
    cf_facts f = {0};
    const char *why;
    assert_true(cf_doc_available(&f, CF_DOC_APPLICATION, &why));
    assert_null(why);
    assert_true(cf_doc_available(&f, CF_DOC_RIGHTS_NOTICE, NULL));
    assert_true(cf_doc_available(&f, CF_DOC_COVER, NULL));
    assert_false(cf_doc_available(&f, CF_DOC_ACCEPTANCE_REGISTER, &why));
    assert_string_equal(why, "案件尚未受理");
    assert_false(cf_doc_available(&f, CF_DOC_AGREEMENT, &why));
    assert_false(cf_doc_available(&f, CF_DOC_SESSION_RECORD, NULL));
    assert_false(cf_doc_available(&f, CF_DOC_REFERRAL_LETTER, NULL));
    f.accepted = true;
    f.sessions = 1;
    f.agreed = true;
    f.written = true;
    assert_true(cf_doc_available(&f, CF_DOC_ACCEPTANCE_REGISTER, NULL));
    assert_true(cf_doc_available(&f, CF_DOC_SESSION_RECORD, NULL));
    assert_true(cf_doc_available(&f, CF_DOC_AGREEMENT, NULL));
    assert_true(cf_doc_available(&f, CF_DOC_CONFIRMATION_GUIDE, NULL));
    assert_false(cf_doc_available(&f, CF_DOC_ORAL_AGREEMENT_REGISTER, NULL));
    assert_false(cf_doc_available(&f, CF_DOC_TERMINATION_NOTICE, NULL));
    assert_false(cf_doc_available(&f, CF_DOC_INVESTIGATION_RECORD, NULL));
    f.written = false;
    assert_false(cf_doc_available(&f, CF_DOC_AGREEMENT, NULL));
    assert_false(cf_doc_available(&f, CF_DOC_CONFIRMATION_GUIDE, NULL));
    assert_true(cf_doc_available(&f, CF_DOC_ORAL_AGREEMENT_REGISTER, NULL));
    f.has_referral = true;
    assert_true(cf_doc_available(&f, CF_DOC_REFERRAL_RECEIPT, NULL));
    assert_false(cf_doc_available(&f, CF_DOC__COUNT, &why));
}

static void checklist_minimal_written(void **state)
{
    (void)state;
    cf_facts f = {.accepted = true, .agreed = true, .written = true, .sessions = 1};
    cf_item_state l[CF_ITEM__COUNT];
    /* nothing generated: application, rights notice, id proof, session record,
     * agreement and back cover are missing */
    assert_int_equal(cf_checklist(&f, l), 6);
    for (int i = 0; i < CF_ITEM__COUNT; i++)
        assert_int_equal(l[i].item, i); /* filing order */
    assert_true(item(l, CF_ITEM_APPLICATION)->required);
    assert_false(item(l, CF_ITEM_AUTHORIZATION)->required);
    assert_false(item(l, CF_ITEM_INVESTIGATION)->required);
    assert_false(item(l, CF_ITEM_EVIDENCE)->required);
    assert_false(item(l, CF_ITEM_FILE_NOTE)->required);
    assert_string_equal(item(l, CF_ITEM_AGREEMENT)->label, "人民调解协议书");
    /* the acceptance register stands in for the application */
    f.docs[CF_DOC_ACCEPTANCE_REGISTER] = 1;
    f.docs[CF_DOC_RIGHTS_NOTICE] = 2;
    f.attachments[CF_ATT_ID_PROOF] = 1;
    f.docs[CF_DOC_SESSION_RECORD] = 1;
    f.docs[CF_DOC_BACK_COVER] = 1;
    assert_int_equal(cf_checklist(&f, l), 1);
    assert_false(item(l, CF_ITEM_AGREEMENT)->present);
    /* a signed scan of the agreement counts as the agreement */
    f.attachments[CF_ATT_SIGNED_AGREEMENT] = 1;
    assert_int_equal(cf_checklist(&f, l), 0);
    assert_true(item(l, CF_ITEM_AGREEMENT)->present);
    assert_true(item(l, CF_ITEM_APPLICATION)->present);
    /* optional items show as present when they exist */
    f.attachments[CF_ATT_EVIDENCE] = 3;
    assert_int_equal(cf_checklist(&f, l), 0);
    assert_true(item(l, CF_ITEM_EVIDENCE)->present);
    assert_false(item(l, CF_ITEM_EVIDENCE)->required);
}

static void checklist_conditional_items(void **state)
{
    (void)state;
    cf_facts f = {.accepted = true,
                  .agreed = true,
                  .written = true,
                  .sessions = 2,
                  .has_agent = true,
                  .investigations = 1,
                  .follow_ups = 1,
                  .confirmation_applied = true,
                  .has_payment = true,
                  .performed = true};
    f.docs[CF_DOC_APPLICATION] = 1;
    f.docs[CF_DOC_RIGHTS_NOTICE] = 1;
    f.attachments[CF_ATT_ID_PROOF] = 1;
    f.docs[CF_DOC_SESSION_RECORD] = 1;
    f.docs[CF_DOC_AGREEMENT] = 1;
    f.docs[CF_DOC_BACK_COVER] = 1;
    cf_item_state l[CF_ITEM__COUNT];
    assert_int_equal(cf_checklist(&f, l), 5);
    assert_true(item(l, CF_ITEM_AUTHORIZATION)->required);
    assert_true(item(l, CF_ITEM_INVESTIGATION)->required);
    assert_true(item(l, CF_ITEM_FOLLOW_UP)->required);
    assert_true(item(l, CF_ITEM_CONFIRMATION)->required);
    assert_true(item(l, CF_ITEM_PERFORMANCE_PROOF)->required);
    /* the guidance sheet is filed with the confirmation papers but does not count */
    assert_int_equal(item(l, CF_ITEM_CONFIRMATION)->extra_doc, CF_DOC_CONFIRMATION_GUIDE);
    f.docs[CF_DOC_CONFIRMATION_GUIDE] = 1;
    assert_int_equal(cf_checklist(&f, l), 5);
    f.attachments[CF_ATT_AUTHORIZATION] = 1;
    f.docs[CF_DOC_INVESTIGATION_RECORD] = 1;
    f.docs[CF_DOC_FOLLOW_UP_RECORD] = 1;
    f.attachments[CF_ATT_CONFIRMATION] = 1;
    assert_int_equal(cf_checklist(&f, l), 1);
    f.attachments[CF_ATT_PERFORMANCE_PROOF] = 1;
    assert_int_equal(cf_checklist(&f, l), 0);
    /* not performed (or no payment): no proof of performance needed */
    f.attachments[CF_ATT_PERFORMANCE_PROOF] = 0;
    f.performed = false;
    assert_int_equal(cf_checklist(&f, l), 0);
    f.performed = true;
    f.has_payment = false;
    assert_int_equal(cf_checklist(&f, l), 0);
}

static void checklist_oral_and_terminated(void **state)
{
    (void)state;
    cf_facts f = {.accepted = true, .agreed = true, .written = false, .sessions = 1};
    cf_item_state l[CF_ITEM__COUNT];
    cf_checklist(&f, l);
    assert_string_equal(item(l, CF_ITEM_AGREEMENT)->label, "人民调解口头协议登记表");
    f.docs[CF_DOC_AGREEMENT] = 1; /* a written agreement document does not fill it */
    cf_checklist(&f, l);
    assert_false(item(l, CF_ITEM_AGREEMENT)->present);
    f.docs[CF_DOC_ORAL_AGREEMENT_REGISTER] = 1;
    cf_checklist(&f, l);
    assert_true(item(l, CF_ITEM_AGREEMENT)->present);

    cf_facts t = {.accepted = true, .terminated = true, .sessions = 1};
    cf_checklist(&t, l);
    assert_string_equal(item(l, CF_ITEM_AGREEMENT)->label, "终止人民调解告知书");
    assert_true(item(l, CF_ITEM_AGREEMENT)->required);
    assert_false(item(l, CF_ITEM_AGREEMENT)->present);
    t.docs[CF_DOC_TERMINATION_NOTICE] = 1;
    cf_checklist(&t, l);
    assert_true(item(l, CF_ITEM_AGREEMENT)->present);
}

static void subsidy_defaults_and_validation(void **state)
{
    (void)state;
    subsidy_settings s;
    subsidy_settings_default(&s);
    assert_int_equal(s.tier_amount[0], 10000);
    assert_int_equal(s.tier_amount[1], 20000);
    assert_int_equal(s.tier_amount[2], 30000);
    assert_int_equal(s.tier_amount[3], 40000);
    assert_int_equal(s.lead_percent, 60);
    tj_err e;
    assert_int_equal(subsidy_settings_validate(&s, &e), 0);
    s.tier_amount[2] = 100; /* lower than tier 2 */
    assert_int_equal(subsidy_settings_validate(&s, &e), -1);
    assert_string_equal(e.field, "tier_amounts[2]");
    subsidy_settings_default(&s);
    s.tier_amount[0] = -1;
    assert_int_equal(subsidy_settings_validate(&s, &e), -1);
    assert_string_equal(e.field, "tier_amounts[0]");
    subsidy_settings_default(&s);
    s.lead_percent = 101;
    assert_int_equal(subsidy_settings_validate(&s, &e), -1);
    assert_string_equal(e.field, "lead_percent");
    s.lead_percent = 100;
    assert_int_equal(subsidy_settings_validate(&s, &e), 0);
    s.tier_amount[3] = 100000001;
    assert_int_equal(subsidy_settings_validate(&s, &e), -1);
}

static void subsidy_splits(void **state)
{
    (void)state;
    subsidy_settings s;
    subsidy_settings_default(&s);
    int64_t a[8];
    tj_err e;
    /* alone: everything to the lead */
    assert_int_equal(subsidy_split(&s, 1, 1, a, &e), 0);
    assert_int_equal(a[0], 10000);
    /* lead 60 %, one co-mediator 40 % */
    assert_int_equal(subsidy_split(&s, 2, 2, a, &e), 0);
    assert_int_equal(a[0], 12000);
    assert_int_equal(a[1], 8000);
    /* 300 yuan, two co-mediators: 40 % = 12000 fen, 6000 each */
    assert_int_equal(subsidy_split(&s, 3, 3, a, &e), 0);
    assert_int_equal(a[0], 18000);
    assert_int_equal(a[1], 6000);
    assert_int_equal(a[2], 6000);
    /* 400 yuan, three co-mediators: 16000 / 3 = 5333 each, the odd fen to the lead */
    assert_int_equal(subsidy_split(&s, 4, 4, a, &e), 0);
    assert_int_equal(a[1], 5333);
    assert_int_equal(a[3], 5333);
    assert_int_equal(a[0], 40000 - 3 * 5333);
    /* parts always add up, whatever the amounts and share */
    for (int pct = 0; pct <= 100; pct += 7)
        for (int n = 1; n <= 7; n++)
            for (int tier = 1; tier <= 4; tier++) {
                s.lead_percent = pct;
                s.tier_amount[tier - 1] = 10007 * tier + pct;
                assert_int_equal(subsidy_split(&s, tier, n, a, &e), 0);
                int64_t sum = 0;
                for (int i = 0; i < n; i++) {
                    assert_true(a[i] >= 0);
                    sum += a[i];
                    if (i)
                        assert_true(a[0] >= 0 && a[i] == a[1]);
                }
                assert_int_equal(sum, s.tier_amount[tier - 1]);
            }
    subsidy_settings_default(&s);
    assert_int_equal(subsidy_split(&s, 0, 1, a, &e), -1);
    assert_string_equal(e.field, "tier");
    assert_int_equal(subsidy_split(&s, 5, 1, a, &e), -1);
    assert_int_equal(subsidy_split(&s, 1, 0, a, &e), -1);
    assert_int_equal(e.status, 409);
    s.lead_percent = 100; /* co-mediators get nothing */
    assert_int_equal(subsidy_split(&s, 1, 3, a, &e), 0);
    assert_int_equal(a[0], 10000);
    assert_int_equal(a[2], 0);
}

static void money(void **state)
{
    (void)state;
    static const struct {
        int64_t fen;
        const char *words;
    } cases[] = {
        {0, "零元整"},
        {1, "壹分"},
        {10, "壹角整"},
        {100, "壹元整"},
        {105, "壹元零伍分"},
        {150, "壹元伍角整"},
        {1000, "壹拾元整"},
        {1050, "壹拾元伍角整"},
        {10000, "壹佰元整"},
        {5000000, "伍万元整"},
        {8000000, "捌万元整"},
        {1001000, "壹万零壹拾元整"},
        {10000000, "壹拾万元整"},
        {100100000, "壹佰万零壹仟元整"},
        {123456789, "壹佰贰拾叁万肆仟伍佰陆拾柒元捌角玖分"},
        {10000000000LL, "壹亿元整"},
        {10000010000LL, "壹亿零壹佰元整"},
        {1200003400, "壹仟贰佰万零叁拾肆元整"},
        {-250, "负贰元伍角整"},
    };
    char out[256];
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        assert_int_equal(cf_money_words(cases[i].fen, out, sizeof out), 0);
        if (strcmp(out, cases[i].words) != 0)
            fail_msg("%lld: got %s want %s", (long long)cases[i].fen, out, cases[i].words);
    }
    assert_int_equal(cf_money_words(INT64_MAX, out, sizeof out), 0);
    assert_int_equal(cf_money_words(INT64_MIN, out, sizeof out), 0);
    char small[8];
    assert_int_equal(cf_money_words(123456789, small, sizeof small), -1);
    cf_money_digits(123456789, out, sizeof out);
    assert_string_equal(out, "1,234,567.89");
    cf_money_digits(5, out, sizeof out);
    assert_string_equal(out, "0.05");
    cf_money_digits(100000, out, sizeof out);
    assert_string_equal(out, "1,000.00");
    cf_money_digits(-100, out, sizeof out);
    assert_string_equal(out, "-1.00");
}

static void numbers(void **state)
{
    (void)state;
    static const struct {
        int n;
        const char *s;
    } cases[] = {{1, "一"},         {9, "九"},         {10, "十"},         {11, "十一"},
                 {20, "二十"},      {21, "二十一"},    {99, "九十九"},     {100, "一百"},
                 {105, "一百零五"}, {110, "一百一十"}, {999, "九百九十九"}};
    char out[64];
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        cf_cn_number(cases[i].n, out, sizeof out);
        assert_string_equal(out, cases[i].s);
    }
    cf_cn_number(1000, out, sizeof out);
    assert_string_equal(out, "1000");
    cf_cn_number(0, out, sizeof out);
    assert_string_equal(out, "0");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(names_round_trip),
        cmocka_unit_test(availability),
        cmocka_unit_test(checklist_minimal_written),
        cmocka_unit_test(checklist_conditional_items),
        cmocka_unit_test(checklist_oral_and_terminated),
        cmocka_unit_test(subsidy_defaults_and_validation),
        cmocka_unit_test(subsidy_splits),
        cmocka_unit_test(money),
        cmocka_unit_test(numbers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
