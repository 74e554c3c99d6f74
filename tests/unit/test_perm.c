/* The permission matrix, the password policy and the org rules, cell by cell. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/org_rules.h"
#include "core/password.h"
#include "core/perm.h"

/* The expected matrix, written out independently of src/core/perm.c. */
static const char *const expected[ROLE__COUNT] = {
    /* org.r org.w p.r p.w unmask user token audit cal stats case.r case.w
     * referral.read referral.write referral.approve webhook.manage case.review */
    [ROLE_ADMIN] = "11111111111111111",        [ROLE_BUREAU_STAFF] = "11111001111111001",
    [ROLE_OFFICE_STAFF] = "11111001011111001", [ROLE_MEDIATOR] = "10100000011111000",
    [ROLE_INFORMANT] = "10000000001100000",    [ROLE_PARTNER] = "10000000001111000",
    [ROLE_PARTNER_LEAD] = "10000000001111110", [ROLE_AUDITOR] = "10100001011010000",
};

static void every_cell(void **state)
{
    (void)state;
    for (int r = 0; r < ROLE__COUNT; r++)
        for (int p = 0; p < PERM__COUNT; p++) {
            bool want = expected[r][p] == '1';
            if (perm_allows((enum role)r, (enum perm)p) != want)
                fail_msg("role %s perm %s: want %d", perm_role_name((enum role)r),
                         perm_name((enum perm)p), want);
            assert_int_equal(!!(perm_mask((enum role)r) & (1u << p)), want);
        }
}

static void auditor_writes_nothing(void **state)
{
    (void)state;
    assert_true(perm_read_only(ROLE_AUDITOR));
    assert_false(perm_read_only(ROLE_ADMIN));
    static const enum perm writes[] = {
        PERM_ORG_WRITE,        PERM_PERSON_WRITE,   PERM_USER_MANAGE,   PERM_TOKEN_MANAGE,
        PERM_CALENDAR_WRITE,   PERM_CASE_WRITE,     PERM_PERSON_UNMASK, PERM_REFERRAL_WRITE,
        PERM_REFERRAL_APPROVE, PERM_WEBHOOK_MANAGE, PERM_CASE_REVIEW};
    for (size_t i = 0; i < sizeof writes / sizeof *writes; i++)
        assert_false(perm_allows(ROLE_AUDITOR, writes[i]));
}

static void names_round_trip(void **state)
{
    (void)state;
    for (int r = 0; r < ROLE__COUNT; r++)
        assert_int_equal(perm_role_parse(perm_role_name((enum role)r)), r);
    assert_int_equal(perm_role_parse("root"), -1);
    assert_int_equal(perm_role_parse(NULL), -1);
    assert_int_equal(perm_role_parse("Admin"), -1);
    assert_false(perm_allows((enum role)99, PERM_ORG_READ));
    assert_false(perm_allows(ROLE_ADMIN, (enum perm)99));
    assert_string_equal(perm_role_label(ROLE_OFFICE_STAFF), "司法所工作人员");
    assert_string_equal(perm_role_name(ROLE_PARTNER_LEAD), "partner_lead");
    assert_string_equal(perm_role_label(ROLE_PARTNER_LEAD), "对接单位负责人");
    assert_string_equal(perm_name(PERM_REFERRAL_APPROVE), "referral.approve");
}

/* Only the partner agency's roles are on the partner side; only its lead approves. */
static void partner_side(void **state)
{
    (void)state;
    for (int r = 0; r < ROLE__COUNT; r++)
        assert_int_equal(perm_partner_side((enum role)r),
                         r == ROLE_PARTNER || r == ROLE_PARTNER_LEAD);
    assert_false(perm_allows(ROLE_PARTNER, PERM_REFERRAL_APPROVE));
    assert_true(perm_allows(ROLE_PARTNER_LEAD, PERM_REFERRAL_APPROVE));
    /* the lead holds everything the partner holds */
    assert_int_equal(perm_mask(ROLE_PARTNER) & ~perm_mask(ROLE_PARTNER_LEAD), 0);
}

static void password_policy(void **state)
{
    (void)state;
    tj_err e;
    assert_int_equal(password_policy_check("wang", "Tiaojie@2026", "pw", &e), 0);
    assert_int_equal(password_policy_check("wang", "short1!", "pw", &e), -1);
    assert_string_equal(e.field, "pw");
    assert_int_equal(e.status, 400);
    /* ten Chinese characters are ten characters, not thirty bytes too many */
    assert_int_equal(password_policy_check("wang", "人民调解委员会调解员", "pw", &e), 0);
    assert_int_equal(password_policy_check("wang", "调解员密码123", "pw", &e), -1);
    assert_int_equal(password_policy_check("wangwu", "my-WANGWU-pass", "pw", &e), -1);
    assert_non_null(strstr(e.msg, "登录名"));
    assert_int_equal(password_policy_check("x", "aaaaaaaaaaaa", "pw", &e), -1);
    assert_int_equal(password_policy_check("x", "123456789012", "pw", &e), -1);
    char big[300];
    memset(big, 'a', sizeof big - 2);
    big[0] = 'B';
    big[sizeof big - 2] = '1';
    big[sizeof big - 1] = 0;
    assert_int_equal(password_policy_check("x", big, "pw", &e), -1);
}

static void org_rules(void **state)
{
    (void)state;
    tj_err e;
    assert_int_equal(org_rules_check("bureau", "county", NULL, NULL, NULL, NULL, &e), 0);
    assert_int_equal(org_rules_check("bureau", "village", NULL, NULL, NULL, NULL, &e), -1);
    assert_string_equal(e.field, "level");
    assert_int_equal(org_rules_check("judicial_office", "township", "", "", "", "bureau", &e), 0);
    assert_int_equal(
        org_rules_check("judicial_office", "township", NULL, NULL, NULL, "judicial_office", &e),
        -1);
    assert_string_equal(e.field, "parent_id");
    assert_int_equal(
        org_rules_check("committee", "village", NULL, NULL, NULL, "judicial_office", &e), 0);
    assert_int_equal(org_rules_check("committee", "county", "medical", NULL, NULL, "bureau", &e),
                     0);
    assert_int_equal(org_rules_check("committee", "village", "spaceship", NULL, NULL, "bureau", &e),
                     -1);
    assert_string_equal(e.field, "field");
    assert_int_equal(org_rules_check("committee", "village", NULL, "court", NULL, "bureau", &e),
                     -1);
    assert_string_equal(e.field, "host");
    assert_int_equal(org_rules_check("committee", "village", NULL, NULL, NULL, "committee", &e),
                     -1);
    assert_int_equal(org_rules_check("dispatched_room", "county", NULL, NULL, NULL, "bureau", &e),
                     -1);
    assert_string_equal(e.field, "host");
    assert_int_equal(
        org_rules_check("dispatched_room", "county", NULL, "court", NULL, "bureau", &e), 0);
    assert_int_equal(org_rules_check("partner", "county", NULL, NULL, NULL, "bureau", &e), -1);
    assert_string_equal(e.field, "partner_type");
    assert_int_equal(org_rules_check("partner", "county", NULL, NULL, "police", "bureau", &e), 0);
    assert_int_equal(org_rules_check("partner", "county", "medical", NULL, "police", "bureau", &e),
                     -1);
    assert_int_equal(org_rules_check("studio", "township", NULL, NULL, NULL, "committee", &e), 0);
    assert_int_equal(org_rules_check("studio", "township", NULL, NULL, NULL, NULL, &e), -1);
    assert_int_equal(org_rules_check("castle", "township", NULL, NULL, NULL, "bureau", &e), -1);
    assert_string_equal(e.field, "kind");
    assert_int_equal(org_rules_parent_ok("committee", "bureau", &e), 0);
    assert_int_equal(org_rules_parent_ok("bureau", "judicial_office", &e), -1);
    assert_true(org_rules_region_code_ok("341899"));
    assert_true(org_rules_region_code_ok("341899101"));
    assert_true(org_rules_region_code_ok("341899101201"));
    assert_false(org_rules_region_code_ok("3418991"));
    assert_false(org_rules_region_code_ok("34189a"));
    assert_false(org_rules_region_code_ok(""));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_cell),       cmocka_unit_test(auditor_writes_nothing),
        cmocka_unit_test(names_round_trip), cmocka_unit_test(password_policy),
        cmocka_unit_test(org_rules),        cmocka_unit_test(partner_side),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
