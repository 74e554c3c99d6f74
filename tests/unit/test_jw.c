/* util/jw.c: the JSON text written for list answers must be what jansson's
 * JSON_COMPACT dump of the same values gives (the answers were built with jansson
 * before), and stay valid JSON for any bytes a column may hold. */
#include "util/jw.h"

#include <jansson.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static void same_as_jansson(const char *text, json_t *v)
{
    char *want = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
    assert_non_null(want);
    assert_string_equal(text, want);
    free(want);
    json_decref(v);
}

static void test_object_like_jansson(void **state)
{
    (void)state;
    buf b;
    jw w;
    buf_init(&b, 1 << 20);
    jw_init(&w, &b);
    jw_obj(&w);
    jw_key(&w, "id");
    jw_int(&w, 956488);
    jw_key(&w, "title");
    jw_str(&w, "赵文萍与金雪丹排水纠纷");
    jw_key(&w, "neg");
    jw_int(&w, INT64_MIN);
    jw_key(&w, "max");
    jw_int(&w, INT64_MAX);
    jw_key(&w, "zero");
    jw_int(&w, 0);
    jw_key(&w, "none");
    jw_str(&w, NULL);
    jw_key(&w, "yes");
    jw_bool(&w, true);
    jw_key(&w, "no");
    jw_bool(&w, false);
    jw_key(&w, "empty");
    jw_arr(&w);
    jw_arr_end(&w);
    jw_key(&w, "nested");
    jw_arr(&w);
    jw_int(&w, 1);
    jw_obj(&w);
    jw_obj_end(&w);
    jw_str(&w, "");
    jw_arr_end(&w);
    jw_obj_end(&w);
    assert_true(jw_ok(&w));
    json_t *v = json_pack("{s:I,s:s,s:I,s:I,s:i,s:n,s:b,s:b,s:[],s:[i,{},s]}", "id",
                          (json_int_t)956488, "title", "赵文萍与金雪丹排水纠纷", "neg",
                          (json_int_t)INT64_MIN, "max", (json_int_t)INT64_MAX, "zero", 0, "none",
                          "yes", 1, "no", 0, "empty", "nested", 1, "");
    same_as_jansson(b.data, v);
    buf_free(&b);
}

static void test_escapes_like_jansson(void **state)
{
    (void)state;
    /* quotes, backslashes, every control character, DEL, 2-, 3- and 4-byte UTF-8,
     * the edges of the 3-byte fast path (U+D7FF, U+E000, U+FFFF) */
    char s[256];
    size_t n = 0;
    const char *fixed = "a\"b\\c/d\x7f 中文 é 𠀀 \xed\x9f\xbf \xee\x80\x80 \xef\xbf\xbf";
    memcpy(s, fixed, strlen(fixed));
    n = strlen(fixed);
    for (int c = 1; c < 0x20; c++)
        s[n++] = (char)c;
    s[n] = 0;
    buf b;
    jw w;
    buf_init(&b, 4096);
    jw_init(&w, &b);
    jw_strn(&w, s, n);
    assert_true(jw_ok(&w));
    same_as_jansson(b.data, json_stringn(s, n));
    buf_free(&b);
    /* keys: plain ones are copied, others escaped as values are */
    buf_init(&b, 4096);
    jw_init(&w, &b);
    jw_obj(&w);
    jw_key(&w, "plain_key");
    jw_int(&w, 1);
    jw_key(&w, s);
    jw_int(&w, 2);
    jw_key(&w, "名称");
    jw_int(&w, 3);
    jw_obj_end(&w);
    assert_true(jw_ok(&w));
    json_t *o = json_object();
    json_object_set_new(o, "plain_key", json_integer(1));
    json_object_set_new(o, s, json_integer(2));
    json_object_set_new(o, "名称", json_integer(3));
    same_as_jansson(b.data, o);
    buf_free(&b);
}

static void test_tree_like_jansson(void **state)
{
    (void)state;
    /* every type, nesting, CJK, escapes in keys and values, reals in every form jansson
     * writes (an integral value, exponents with and without sign, tiny and huge) */
    json_t *v = json_pack(
        "{s:s,s:I,s:I,s:f,s:f,s:f,s:f,s:f,s:f,s:b,s:b,s:n,s:{},s:[],s:[s,i,[f,{s:[s]}]],s:s}",
        "案号", "（2026）城关镇人调字第1号", "zero", (json_int_t)0, "neg", (json_int_t)INT64_MIN,
        "r1", 2.0, "r2", 1e20, "r3", 1e-5, "r4", -1.5e300, "r5", 0.1, "r6", 123456.789, "t", 1, "f",
        0, "null", "obj", "arr", "nested", "a\"b", 7, 2.5e-300, "深", "层", "k\u00e9y\n",
        "v\t\x01");
    assert_non_null(v);
    buf b;
    jw w;
    buf_init(&b, 1 << 16);
    jw_init(&w, &b);
    jw_json(&w, v);
    assert_true(jw_ok(&w));
    char *want = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
    assert_string_equal(b.data, want);
    free(want);
    buf_free(&b);
    /* scalars alone, as JSON_ENCODE_ANY writes them */
    json_t *scalars[] = {json_string("单"), json_integer(-42), json_real(3e-7), json_null()};
    for (size_t i = 0; i < sizeof scalars / sizeof *scalars; i++) {
        buf_init(&b, 256);
        jw_init(&w, &b);
        jw_json(&w, scalars[i]);
        same_as_jansson(b.data, scalars[i]);
        buf_free(&b);
    }
    /* nesting deeper than the writer tracks fails it instead of writing bad JSON */
    json_t *deep = json_array(), *cur = deep;
    for (int i = 0; i < JW_DEPTH + 2; i++) {
        json_t *inner = json_array();
        json_array_append_new(cur, inner);
        cur = inner;
    }
    buf_init(&b, 4096);
    jw_init(&w, &b);
    jw_json(&w, deep);
    assert_false(jw_ok(&w));
    buf_free(&b);
    json_decref(deep);
    json_decref(v);
}

static void test_invalid_utf8_replaced(void **state)
{
    (void)state;
    /* a stray continuation byte, a truncated sequence, an overlong '/', a surrogate,
     * a code point past U+10FFFF, a string cut inside a character, an embedded NUL */
    static const struct {
        const char *in;
        size_t n;
        const char *want;
    } cases[] = {
        {"a\x80z", 3, "\"a\xEF\xBF\xBDz\""},
        {"\xe4\xb8", 2, "\"\xEF\xBF\xBD\xEF\xBF\xBD\""},
        {"\xc0\xaf", 2, "\"\xEF\xBF\xBD\xEF\xBF\xBD\""},
        {"\xed\xa0\x80", 3, "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\""},
        {"\xf4\x90\x80\x80", 4, "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\""},
        {"中\xe6\x96", 5, "\"中\xEF\xBF\xBD\xEF\xBF\xBD\""},
        {"a\0b", 3, "\"a\\u0000b\""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        buf b;
        jw w;
        buf_init(&b, 4096);
        jw_init(&w, &b);
        jw_strn(&w, cases[i].in, cases[i].n);
        assert_true(jw_ok(&w));
        assert_string_equal(b.data, cases[i].want);
        /* and it parses back as JSON */
        json_error_t je;
        json_t *v = json_loads(b.data, JSON_DECODE_ANY | JSON_ALLOW_NUL, &je);
        assert_non_null(v);
        json_decref(v);
        buf_free(&b);
    }
}

static void test_reals(void **state)
{
    (void)state;
    buf b;
    jw w;
    buf_init(&b, 4096);
    jw_init(&w, &b);
    jw_arr(&w);
    jw_real(&w, 1.5);
    jw_real(&w, 2.0);
    jw_real(&w, -0.1);
    jw_real(&w, 1.0 / 0.0);
    jw_arr_end(&w);
    assert_true(jw_ok(&w));
    json_error_t je;
    json_t *v = json_loads(b.data, 0, &je);
    assert_non_null(v);
    assert_true(json_is_real(json_array_get(v, 0)));
    assert_true(json_real_value(json_array_get(v, 0)) == 1.5);
    assert_true(json_is_real(json_array_get(v, 1))); /* "2.0", not the integer 2 */
    assert_true(json_real_value(json_array_get(v, 2)) == -0.1);
    assert_true(json_is_null(json_array_get(v, 3)));
    json_decref(v);
    buf_free(&b);
}

static void test_maximum(void **state)
{
    (void)state;
    /* past the buf's maximum: failed, the buf never grows past it, and nothing more
     * is written once failed (the caller discards the text) */
    buf b;
    jw w;
    buf_init(&b, 64);
    jw_init(&w, &b);
    jw_arr(&w);
    jw_int(&w, 42);
    char big[100];
    memset(big, 'x', sizeof big);
    jw_strn(&w, big, sizeof big);
    assert_false(jw_ok(&w));
    assert_true(b.len <= 64);
    assert_memory_equal(b.data, "[42", 3);
    size_t after = b.len;
    jw_int(&w, 7);
    jw_str(&w, "x");
    assert_int_equal(b.len, after);
    buf_free(&b);
    /* nesting deeper than JW_DEPTH fails too */
    buf_init(&b, 4096);
    jw_init(&w, &b);
    for (int i = 0; i < JW_DEPTH + 1; i++)
        jw_arr(&w);
    assert_false(jw_ok(&w));
    buf_free(&b);
}

static void test_tree_inside_and_append(void **state)
{
    (void)state;
    buf b;
    jw w;
    buf_init(&b, 4096);
    jw_init(&w, &b);
    jw_obj(&w);
    jw_key(&w, "referrals");
    json_t *refs = json_pack("{s:[i,i]}", "items", 1, 2);
    jw_json(&w, refs);
    json_decref(refs);
    jw_key(&w, "scope");
    jw_str(&w, "org");
    jw_obj_end(&w);
    assert_true(jw_ok(&w));
    assert_string_equal(b.data, "{\"referrals\":{\"items\":[1,2]},\"scope\":\"org\"}");
    buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_object_like_jansson),    cmocka_unit_test(test_escapes_like_jansson),
        cmocka_unit_test(test_invalid_utf8_replaced),  cmocka_unit_test(test_reals),
        cmocka_unit_test(test_tree_like_jansson),      cmocka_unit_test(test_maximum),
        cmocka_unit_test(test_tree_inside_and_append),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
