/* Unit tests for core/cjk: bigram tokenizer and FTS5 query builder. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/cjk.h"

static void expect_tokens(const char *in, const char *want)
{
    char out[512];
    tj_err err;
    err_clear(&err);
    if (cjk_tokenize(in, out, sizeof out, &err))
        fail_msg("tokenize \"%s\": %s", in, err.msg);
    if (strcmp(out, want) != 0)
        fail_msg("tokenize \"%s\": got \"%s\", want \"%s\"", in, out, want);
    /* the documented bound always suffices */
    size_t cap = cjk_tokenize_bound(strlen(in));
    char *big = malloc(cap);
    assert_non_null(big);
    assert_int_equal(cjk_tokenize(in, big, cap, NULL), 0);
    assert_string_equal(big, want);
    free(big);
}

static void expect_query(const char *in, const char *want)
{
    char out[512];
    tj_err err;
    err_clear(&err);
    if (cjk_query(in, out, sizeof out, &err))
        fail_msg("query \"%s\": %s", in, err.msg);
    if (strcmp(out, want) != 0)
        fail_msg("query \"%s\": got \"%s\", want \"%s\"", in, out, want);
}

static void expect_query_error(const char *in, const char *msg_part)
{
    char out[64] = "junk";
    tj_err err;
    err_clear(&err);
    assert_int_equal(cjk_query(in, out, sizeof out, &err), -1);
    assert_int_equal(err.status, 400);
    assert_string_equal(err.code, "validation_failed");
    assert_string_equal(err.field, "q");
    assert_string_equal(out, "");
    if (!strstr(err.msg, msg_part))
        fail_msg("query: \"%s\" lacks \"%s\"", err.msg, msg_part);
}

static void test_tokenize_examples(void **state)
{
    (void)state;
    expect_tokens("张三彩礼纠纷ABC 123", "张三 三彩 彩礼 礼纠 纠纷 abc 123");
    expect_tokens("彩礼", "彩礼");
    expect_tokens("宅基地纠纷", "宅基 基地 地纠 纠纷");
    expect_tokens("张", "张");
    expect_tokens("张 三", "张 三");
    expect_tokens("我a你", "我 a 你");
    expect_tokens("彩礼ABC纠纷", "彩礼 abc 纠纷");
    expect_tokens("宅基地，纠纷。", "宅基 基地 纠纷");
    expect_tokens("（2025）某调字第12号", "2025 某调 调字 字第 12 号");
    expect_tokens("李四欠款3.5万元", "李四 四欠 欠款 3 5 万元");
    expect_tokens("", "");
    expect_tokens("！？、…  \t\n", "");
    expect_tokens("Hello, World_2025", "hello world 2025");
    expect_tokens("MiXeD CaSe", "mixed case");
}

static void test_tokenize_unicode(void **state)
{
    (void)state;
    /* full-width letters and digits fold to ASCII */
    expect_tokens("ＡＢＣ１２３", "abc123");
    expect_tokens("ａｂｃ", "abc");
    expect_tokens("Ｈｅｌｌｏ，世界", "hello 世界");
    expect_tokens("张三ＡＢＣ", "张三 abc");
    /* ideographic space and full-width punctuation separate */
    expect_tokens("彩礼\u3000纠纷", "彩礼 纠纷");
    expect_tokens("彩礼＃纠纷", "彩礼 纠纷");
    /* Latin-1 letters are word characters, capitals lowercased; × and ÷ separate */
    expect_tokens("Müller", "müller");
    expect_tokens("ÀÉÎ", "àéî");
    expect_tokens("3×4÷2", "3 4 2");
    expect_tokens("Łódź", "Łódź"); /* Latin Extended-A kept as written */
    /* 〇, kana and Hangul are bigrammed like Han */
    expect_tokens("二〇二五年", "二〇 〇二 二五 五年");
    expect_tokens("ひらがな", "ひら らが がな");
    expect_tokens("カタカナ・テスト", "カタ タカ カナ テス スト");
    expect_tokens("한국어", "한국 국어");
    /* extension B (4-byte) and compatibility ideographs */
    expect_tokens("\xf0\xa0\x80\x80中", "\xf0\xa0\x80\x80中");
    expect_tokens("𠮷野家", "𠮷野 野家");
    expect_tokens("\xef\xa4\x80", "\xef\xa4\x80"); /* U+F900 */
    /* emoji, Greek, Cyrillic, symbols separate */
    expect_tokens("彩礼😀纠纷", "彩礼 纠纷");
    expect_tokens("αβγ彩礼", "彩礼");
    expect_tokens("Иван彩礼", "彩礼");
    expect_tokens("€100", "100");
}

static void test_utf8_valid(void **state)
{
    (void)state;
    static const char *const ok[] = {
        "",
        "a",
        "\x7f",
        "\xc2\x80",
        "\xdf\xbf",
        "\xe0\xa0\x80",
        "\xed\x9f\xbf",
        "\xee\x80\x80",
        "\xef\xbf\xbf",
        "\xf0\x90\x80\x80",
        "\xf4\x8f\xbf\xbf",
        "彩礼",
    };
    static const char *const bad[] = {
        "\x80",
        "\xbf",
        "\xc0\x80",
        "\xc1\xbf",
        "\xe0\x9f\xbf",
        "\xed\xa0\x80",
        "\xed\xbf\xbf",
        "\xf0\x8f\xbf\xbf",
        "\xf4\x90\x80\x80",
        "\xf5\x80\x80\x80",
        "\xff",
        "\xfe",
        "\xe5\xbd",
        "\xe5\x28\xa9",
        "\xe5\xbd\xa9\xe7",
        "\xf0\x90\x80",
        "\xc2",
        "a\xc2",
        "\xe5\xbd\xa9\x80",
    };
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++)
        if (!cjk_utf8_valid(ok[i], strlen(ok[i])))
            fail_msg("ok[%zu] rejected", i);
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        if (cjk_utf8_valid(bad[i], strlen(bad[i])))
            fail_msg("bad[%zu] accepted", i);
        char out[64] = "junk";
        tj_err err;
        assert_int_equal(cjk_tokenize(bad[i], out, sizeof out, &err), -1);
        assert_int_equal(err.status, 400);
        assert_non_null(strstr(err.msg, "UTF-8"));
        assert_string_equal(out, "");
        assert_int_equal(cjk_query(bad[i], out, sizeof out, &err), -1);
        assert_non_null(strstr(err.msg, "UTF-8"));
    }
    /* embedded NUL is fine for the validator; length is explicit */
    assert_true(cjk_utf8_valid("a\0b", 3));
    /* a truncated sequence at the end of the given length */
    assert_false(cjk_utf8_valid("\xe5\xbd\xa9", 2));
}

static void test_tokenize_overflow(void **state)
{
    (void)state;
    char out[64];
    tj_err err;
    /* "张三 三彩 彩礼" is 20 bytes: needs 21 */
    assert_int_equal(cjk_tokenize("张三彩礼", out, 21, &err), 0);
    assert_string_equal(out, "张三 三彩 彩礼");
    assert_int_equal(strlen(out), 20);
    assert_int_equal(cjk_tokenize("张三彩礼", out, 20, &err), -1);
    assert_string_equal(out, "");
    assert_int_equal(err.status, 400);
    assert_non_null(strstr(err.msg, "过长"));
    assert_int_equal(cjk_tokenize("张三彩礼", out, 7, &err), -1);
    assert_int_equal(cjk_tokenize("张三彩礼", out, 1, &err), -1);
    assert_string_equal(out, "");
    assert_int_equal(cjk_tokenize("", out, 1, &err), 0);
    assert_string_equal(out, "");
    assert_int_equal(cjk_tokenize("", out, 0, &err), -1);
    assert_int_equal(cjk_tokenize(NULL, out, sizeof out, &err), -1);
    assert_int_equal(cjk_tokenize_bound(0), 1);
    assert_int_equal(cjk_tokenize_bound(10), 31);
    assert_int_equal(cjk_tokenize_bound(SIZE_MAX), SIZE_MAX);
    assert_int_equal(cjk_tokenize_bound(SIZE_MAX / 3), SIZE_MAX);
}

/* Random mixes of every character class: the documented bound must hold and the
 * output must be valid UTF-8 with single spaces between tokens. */
static void test_tokenize_bound_fuzz(void **state)
{
    (void)state;
    static const char *const pieces[] = {
        "a",  "Z",  "7",  " ", ",", "\t", "中", "礼", "〇", "か",       "한", "𠮷", "\xef\xa4\x80",
        "Ａ", "１", "　", "é", "É", "Ł",  "×",  "😀",  "α",  "\xc2\xa0", "-",  "\"",
    };
    size_t np = sizeof pieces / sizeof *pieces;
    unsigned long seed = 12345;
    char in[256], *out = malloc(cjk_tokenize_bound(sizeof in));
    assert_non_null(out);
    for (int round = 0; round < 20000; round++) {
        size_t len = 0;
        in[0] = '\0';
        for (;;) {
            seed = seed * 6364136223846793005UL + 1442695040888963407UL;
            const char *p = pieces[(seed >> 33) % np];
            if (len + strlen(p) + 1 > sizeof in || (seed >> 20) % 40 == 0)
                break;
            memcpy(in + len, p, strlen(p) + 1);
            len += strlen(p);
        }
        size_t cap = cjk_tokenize_bound(len);
        if (cjk_tokenize(in, out, cap, NULL))
            fail_msg("bound %zu too small for \"%s\"", cap, in);
        size_t olen = strlen(out);
        assert_true(olen < cap);
        assert_true(cjk_utf8_valid(out, olen));
        if (olen) {
            assert_true(out[0] != ' ' && out[olen - 1] != ' ');
            assert_null(strstr(out, "  "));
        }
        /* exactly olen + 1 fits, olen does not */
        char *tight = malloc(olen + 1);
        assert_non_null(tight);
        assert_int_equal(cjk_tokenize(in, tight, olen + 1, NULL), 0);
        assert_string_equal(tight, out);
        if (olen)
            assert_int_equal(cjk_tokenize(in, tight, olen, NULL), -1);
        free(tight);
        /* every query built from the same input is either an error or safe */
        char q[1024];
        if (cjk_query(in, q, sizeof q, NULL) == 0) {
            int quotes = 0;
            for (const char *c = q; *c; c++) {
                quotes += *c == '"';
                if (strchr("():^+-{}[],;'\\", *c))
                    fail_msg("metacharacter in \"%s\"", q);
            }
            assert_int_equal(quotes % 2, 0);
        }
    }
    /* worst cases for the bound */
    static const char *const worst[] = {
        "a中a中a中a中", "中a中a中a", "中", "a", "中,中,中,", "𠮷𠮷𠮷𠮷", "é中é中", "中中中中中中",
    };
    for (size_t i = 0; i < sizeof worst / sizeof *worst; i++)
        assert_int_equal(cjk_tokenize(worst[i], out, cjk_tokenize_bound(strlen(worst[i])), NULL),
                         0);
    free(out);
}

static void test_query(void **state)
{
    (void)state;
    expect_query("彩礼", "\"彩礼\"");
    expect_query("宅基", "\"宅基\"");
    expect_query("宅基地纠纷", "\"宅基 基地 地纠 纠纷\"");
    expect_query("彩", "彩*");
    expect_query(" 彩 ", "彩*");
    expect_query("彩礼 宅基地", "\"彩礼\" AND \"宅基 基地\"");
    expect_query("彩 礼", "彩* AND 礼*");
    expect_query("张三ABC", "\"张三 abc\"");
    expect_query("张a", "\"张 a\"");
    expect_query("a", "\"a\"");
    expect_query("ＡＢＣ１２３", "\"abc123\"");
    expect_query("　彩礼　纠纷　", "\"彩礼\" AND \"纠纷\"");
    expect_query("彩礼，宅基地", "\"彩礼\" AND \"宅基 基地\"");
    expect_query("2025 张三", "\"2025\" AND \"张三\"");
    expect_query("Zhang San", "\"zhang\" AND \"san\"");
}

static void test_query_fts5_metacharacters(void **state)
{
    (void)state;
    expect_query("彩礼\" OR 1=1 --", "\"彩礼\" AND \"or\" AND \"1\" AND \"1\"");
    expect_query("NEAR(彩礼 宅基, 5)", "\"near\" AND \"彩礼\" AND \"宅基\" AND \"5\"");
    expect_query("title:彩礼", "\"title\" AND \"彩礼\"");
    expect_query("^彩礼*", "\"彩礼\"");
    expect_query("(a+b) NOT c", "\"a\" AND \"b\" AND \"not\" AND \"c\"");
    expect_query("-彩礼", "\"彩礼\"");
    expect_query("{彩礼 纠纷}: x", "\"彩礼\" AND \"纠纷\" AND \"x\"");
    expect_query("'彩礼'", "\"彩礼\"");
    expect_query("彩礼\\", "\"彩礼\"");
    expect_query("AND", "\"and\"");
    expect_query("彩*", "彩*");
    expect_query("\"彩\"", "彩*");
    expect_query_error("\"\"", "为空");
    expect_query_error("*", "为空");
    expect_query_error("   ", "为空");
    expect_query_error("", "为空");
    expect_query_error("（）！", "为空");
    expect_query_error(NULL, "搜索词");
}

static void test_query_overflow(void **state)
{
    (void)state;
    char out[64];
    tj_err err;
    /* "\"彩礼\"" is 8 bytes: needs 9 */
    assert_int_equal(cjk_query("彩礼", out, 9, &err), 0);
    assert_string_equal(out, "\"彩礼\"");
    assert_int_equal(cjk_query("彩礼", out, 8, &err), -1);
    assert_string_equal(out, "");
    assert_non_null(strstr(err.msg, "过长"));
    assert_int_equal(cjk_query("彩礼", out, 0, &err), -1);
    /* "彩* AND 礼*" is 13 bytes */
    assert_int_equal(cjk_query("彩 礼", out, 14, &err), 0);
    assert_int_equal(cjk_query("彩 礼", out, 13, &err), -1);
    assert_string_equal(out, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tokenize_examples),
        cmocka_unit_test(test_tokenize_unicode),
        cmocka_unit_test(test_utf8_valid),
        cmocka_unit_test(test_tokenize_overflow),
        cmocka_unit_test(test_tokenize_bound_fuzz),
        cmocka_unit_test(test_query),
        cmocka_unit_test(test_query_fts5_metacharacters),
        cmocka_unit_test(test_query_overflow),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
