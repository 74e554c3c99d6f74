/* Unit tests for core/idcheck. Valid identity numbers and credit codes below
 * were computed by hand with the GB 11643 / GB 32100 weights, independently of
 * the code under test; 11010519491231002X and 91350100M000100Y43 are the
 * well-known published examples. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "core/idcheck.h"

#define D(y, m, d) ((tj_date){(y), (m), (d)})

static const tj_date today = {2025, 6, 1};

static void expect_id_error(const char *s, const char *msg_part)
{
    tj_err err;
    err_clear(&err);
    idcheck_id_info info;
    memset(&info, 0x5a, sizeof info);
    assert_int_equal(idcheck_id_number(s, today, &info, &err), -1);
    assert_int_equal(err.status, 400);
    assert_string_equal(err.code, "validation_failed");
    assert_string_equal(err.field, "id_number");
    if (!strstr(err.msg, msg_part))
        fail_msg("\"%s\": message \"%s\" lacks \"%s\"", s ? s : "(null)", err.msg, msg_part);
    assert_int_equal((unsigned char)info.id_number[0], 0x5a); /* untouched */
}

static void test_check_char(void **state)
{
    (void)state;
    assert_int_equal(idcheck_id_check_char("11010519491231002"), 'X');
    assert_int_equal(idcheck_id_check_char("11010119900307123"), '3');
    assert_int_equal(idcheck_id_check_char("44030419851012001"), '1');
    assert_int_equal(idcheck_id_check_char("51010819991231999"), '5');
    assert_int_equal(idcheck_id_check_char("11010119000101003"), '0');
    assert_int_equal(idcheck_id_check_char("1101011900010100A"), 0);
}

static void test_valid_ids(void **state)
{
    (void)state;
    static const struct {
        const char *in, *norm, *region;
        tj_date birth;
        idcheck_sex sex;
    } ok[] = {
        {"11010519491231002X", "11010519491231002X", "110105", {1949, 12, 31}, IDCHECK_FEMALE},
        {"11010519491231002x", "11010519491231002X", "110105", {1949, 12, 31}, IDCHECK_FEMALE},
        {"110101199003071233", "110101199003071233", "110101", {1990, 3, 7}, IDCHECK_MALE},
        {"440304198510120011", "440304198510120011", "440304", {1985, 10, 12}, IDCHECK_MALE},
        {"310115200002290021", "310115200002290021", "310115", {2000, 2, 29}, IDCHECK_FEMALE},
        {"510108199912319995", "510108199912319995", "510108", {1999, 12, 31}, IDCHECK_MALE},
        {"330102198006154715", "330102198006154715", "330102", {1980, 6, 15}, IDCHECK_MALE},
        {"460003198808081239", "460003198808081239", "460003", {1988, 8, 8}, IDCHECK_MALE},
        {"650102197011114566", "650102197011114566", "650102", {1970, 11, 11}, IDCHECK_FEMALE},
        /* Hong Kong residents' residence permit */
        {"810000198001010014", "810000198001010014", "810000", {1980, 1, 1}, IDCHECK_MALE},
        /* foreigner's permanent residence card (2023) */
        {"931586199001010014", "931586199001010014", "931586", {1990, 1, 1}, IDCHECK_MALE},
        /* boundaries: born 1900-01-01; born today */
        {"110101190001010030", "110101190001010030", "110101", {1900, 1, 1}, IDCHECK_MALE},
        {"110101202506010015", "110101202506010015", "110101", {2025, 6, 1}, IDCHECK_MALE},
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        idcheck_id_info info;
        tj_err err;
        err_clear(&err);
        if (idcheck_id_number(ok[i].in, today, &info, &err))
            fail_msg("%s rejected: %s", ok[i].in, err.msg);
        assert_string_equal(info.id_number, ok[i].norm);
        assert_string_equal(info.region_code, ok[i].region);
        assert_int_equal(info.birth.y, ok[i].birth.y);
        assert_int_equal(info.birth.m, ok[i].birth.m);
        assert_int_equal(info.birth.d, ok[i].birth.d);
        assert_int_equal(info.sex, ok[i].sex);
    }
    /* info may be NULL */
    assert_int_equal(idcheck_id_number("11010519491231002X", today, NULL, NULL), 0);
}

static void test_invalid_ids(void **state)
{
    (void)state;
    expect_id_error(NULL, "不能为空");
    expect_id_error("", "不能为空");
    expect_id_error("11010519491231002", "长度应为18位");
    expect_id_error("11010519491231002X1", "长度应为18位");
    expect_id_error("110105194912310", "长度应为18位"); /* 15-digit first-generation */
    expect_id_error("11010519491231002X ", "长度应为18位");
    expect_id_error("１１０１０５１９４９１２３１００２Ｘ", "长度应为18位");
    expect_id_error("1101051949123100AX", "前17位应为数字");
    expect_id_error("X10105194912310021", "前17位应为数字");
    expect_id_error("11010519491231002Y", "最后一位应为数字或X");
    expect_id_error("11010519491231002-", "最后一位应为数字或X");
    expect_id_error("000000199003071233", "地区码无效");
    expect_id_error("990101199003071233", "地区码无效");
    expect_id_error("190101199003071233", "地区码无效");
    expect_id_error("720101199003071233", "地区码无效");
    expect_id_error("110101199002301234", "出生日期无效"); /* 1990-02-30 */
    expect_id_error("110101200102291234", "出生日期无效"); /* not a leap year */
    expect_id_error("110101199013011234", "出生日期无效");
    expect_id_error("110101199001001234", "出生日期无效");
    expect_id_error("110101189912311234", "出生日期无效"); /* before 1900 */
    expect_id_error("110101202506020010", "出生日期无效"); /* tomorrow (check char right) */
    expect_id_error("110101299901011234", "出生日期无效");
    expect_id_error("110101199003071234", "校验位错误");
    expect_id_error("110101199003071230", "校验位错误");
    expect_id_error("110105194912310021", "校验位错误"); /* X expected */
    expect_id_error("110101199003071213", "校验位错误"); /* transposed digits */
}

static void expect_phone(int (*fn)(const char *, tj_err *), const char *s, bool valid)
{
    tj_err err;
    err_clear(&err);
    int rc = fn(s, &err);
    if (valid && rc != 0)
        fail_msg("\"%s\" rejected: %s", s, err.msg);
    if (!valid) {
        if (rc != -1)
            fail_msg("\"%s\" accepted", s ? s : "(null)");
        assert_int_equal(err.status, 400);
        assert_string_equal(err.field, "phone");
        assert_true(strlen(err.msg) > 0);
    }
}

static const char *const mobiles_ok[] = {
    "13800138000", "19912345678", "14700000000", "15012345678",
    "16612345678", "17012345678", "18612345678",
};
static const char *const mobiles_bad[] = {
    "12345678901",    "10012345678",   "1380013800",    "138001380001", "1380013800a",
    "+8613800138000", "138 0013 8000", "138-0013-8000", "23800138000",  "",
};
static const char *const landlines_ok[] = {
    "010-62345678",      "01062345678",     "020-87654321",    "02087654321",
    "0755-2345678",      "0755-23456789",   "075523456789",    "07552345678",
    "021-87654321-1234", "0371-6543210-12", "0898-66123456-1", "0571-87654321-123456",
};
static const char *const landlines_bad[] = {
    "62345678",
    "010-6234567", /* 3-digit area takes 8 digits */
    "011-62345678",
    "019-62345678",
    "0755-0234567",
    "0755-1234567", /* local 0/1 */
    "0755-234567",
    "0755-234567890",
    "0755-23456789-",
    "0755-23456789-1234567",
    "0755--23456789",
    "0755 23456789",
    "00755-2345678",
    "0055-2345678",
    "0755-23456789x",
    "0755-2345678-12a",
    "0-23456789",
    "0",
    "07",
    "075",
    "0755",
    "",
};

static void test_phones(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof mobiles_ok / sizeof *mobiles_ok; i++) {
        expect_phone(idcheck_mobile, mobiles_ok[i], true);
        expect_phone(idcheck_phone, mobiles_ok[i], true);
        expect_phone(idcheck_landline, mobiles_ok[i], false);
    }
    for (size_t i = 0; i < sizeof mobiles_bad / sizeof *mobiles_bad; i++) {
        expect_phone(idcheck_mobile, mobiles_bad[i], false);
        expect_phone(idcheck_phone, mobiles_bad[i], false);
    }
    for (size_t i = 0; i < sizeof landlines_ok / sizeof *landlines_ok; i++) {
        expect_phone(idcheck_landline, landlines_ok[i], true);
        expect_phone(idcheck_phone, landlines_ok[i], true);
        expect_phone(idcheck_mobile, landlines_ok[i], false);
    }
    for (size_t i = 0; i < sizeof landlines_bad / sizeof *landlines_bad; i++) {
        expect_phone(idcheck_landline, landlines_bad[i], false);
        expect_phone(idcheck_phone, landlines_bad[i], false);
    }
    expect_phone(idcheck_mobile, NULL, false);
    expect_phone(idcheck_landline, NULL, false);
    expect_phone(idcheck_phone, NULL, false);
    assert_int_equal(idcheck_phone("x", NULL), -1);
}

static void test_credit_code(void **state)
{
    (void)state;
    char norm[IDCHECK_CREDIT_CODE_SIZE];
    tj_err err;
    static const char *const ok[] = {
        "91350100M000100Y43", "91110000600037341L", "12100000400000626K",
        "52440300MJL012340A", "91440300MA5D11110P",
    };
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
        if (idcheck_credit_code(ok[i], norm, &err))
            fail_msg("%s rejected: %s", ok[i], err.msg);
        assert_string_equal(norm, ok[i]);
    }
    assert_int_equal(idcheck_credit_code("91350100m000100y43", norm, &err), 0);
    assert_string_equal(norm, "91350100M000100Y43");
    assert_int_equal(idcheck_credit_code("91350100M000100Y43", NULL, NULL), 0);

    static const struct {
        const char *s, *msg;
    } bad[] = {
        {"", "不能为空"},
        {"91350100M000100Y4", "长度应为18位"},
        {"91350100M000100Y433", "长度应为18位"},
        {"91350100I000100Y43", "无效字符"},
        {"91350100O000100Y43", "无效字符"},
        {"91350100S000100Y43", "无效字符"},
        {"91350100M000100V43", "无效字符"},
        {"91350100M000100Z43", "无效字符"},
        {"91350100M0001-0Y43", "无效字符"},
        {"91A50100M000100Y43", "行政区划"},
        {"91350100M000100Y44", "校验位错误"},
        {"91350100M000100Y4A", "校验位错误"},
        {"91530100M000100Y43", "校验位错误"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        err_clear(&err);
        memset(norm, 'Q', sizeof norm);
        assert_int_equal(idcheck_credit_code(bad[i].s, norm, &err), -1);
        assert_int_equal(err.status, 400);
        assert_string_equal(err.field, "credit_code");
        if (!strstr(err.msg, bad[i].msg))
            fail_msg("%s: \"%s\" lacks \"%s\"", bad[i].s, err.msg, bad[i].msg);
        assert_int_equal(norm[0], 'Q');
    }
    assert_int_equal(idcheck_credit_code(NULL, norm, &err), -1);
}

static void expect_mask(int (*fn)(const char *, char *, size_t), const char *in, const char *want)
{
    char out[64];
    assert_int_equal(fn(in, out, sizeof out), 0);
    assert_string_equal(out, want);
    /* exactly enough room */
    assert_int_equal(fn(in, out, strlen(in) + 1), 0);
    assert_string_equal(out, want);
    /* one byte short (for "", cap 0: nothing may be written) */
    out[0] = 'Q';
    out[1] = '\0';
    assert_int_equal(fn(in, out, strlen(in)), -1);
    assert_string_equal(out, *in ? "" : "Q");
}

static void test_masks(void **state)
{
    (void)state;
    expect_mask(idcheck_mask_id, "110101199003071234", "110101********1234");
    expect_mask(idcheck_mask_id, "11010519491231002X", "110105********002X");
    expect_mask(idcheck_mask_id, "110101900307123", "110101*****7123");
    expect_mask(idcheck_mask_id, "12345678901", "123456*8901");
    expect_mask(idcheck_mask_id, "1234567890", "**********");
    expect_mask(idcheck_mask_id, "12345", "*****");
    expect_mask(idcheck_mask_id, "", "");
    expect_mask(idcheck_mask_id, "张三李四王五", "******************");

    expect_mask(idcheck_mask_phone, "13800138000", "138****8000");
    expect_mask(idcheck_mask_phone, "010-12345678", "010-****5678");
    expect_mask(idcheck_mask_phone, "01012345678", "010****5678");
    expect_mask(idcheck_mask_phone, "0755-2345678", "0755-***5678");
    expect_mask(idcheck_mask_phone, "075523456789", "0755****6789");
    expect_mask(idcheck_mask_phone, "021-87654321-1234", "021-********-1234");
    expect_mask(idcheck_mask_phone, "1234567", "*******");
    expect_mask(idcheck_mask_phone, "123456789", "*********"); /* only 2 would be starred */
    expect_mask(idcheck_mask_phone, "1234567890", "123***7890");
    expect_mask(idcheck_mask_phone, "", "");
    expect_mask(idcheck_mask_phone, "电话13800138000", "电话*******8000");

    char out[4] = "Q";
    assert_int_equal(idcheck_mask_id("123", out, 0), -1);
    assert_string_equal(out, "Q");
    assert_int_equal(idcheck_mask_id(NULL, out, sizeof out), 0);
    assert_string_equal(out, "");
    assert_int_equal(idcheck_mask_phone(NULL, out, sizeof out), 0);
    assert_string_equal(out, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_check_char),  cmocka_unit_test(test_valid_ids),
        cmocka_unit_test(test_invalid_ids), cmocka_unit_test(test_phones),
        cmocka_unit_test(test_credit_code), cmocka_unit_test(test_masks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
