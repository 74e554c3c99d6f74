#include "util/jw.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

void jw_init(jw *w, buf *b)
{
    memset(w, 0, sizeof *w);
    w->b = b;
    w->first[0] = true;
}

bool jw_ok(const jw *w)
{
    return !w->failed;
}

/* Room for n more bytes at the end of the buf, or NULL once past its maximum. */
static inline char *reserve(jw *w, size_t n)
{
    if (w->failed)
        return NULL;
    buf *b = w->b;
    /* the common case, room already there, without the call */
    if (b->cap > b->len && n < b->cap - b->len && b->len + n <= b->max)
        return b->data + b->len;
    char *o = buf_reserve(b, n);
    if (!o)
        w->failed = true;
    return o;
}

static void advance(jw *w, size_t n)
{
    w->b->len += n;
    w->b->data[w->b->len] = 0;
}

static void put(jw *w, const void *p, size_t n)
{
    char *o = reserve(w, n);
    if (o) {
        memcpy(o, p, n);
        advance(w, n);
    }
}

/* Before any value: the comma that separates it from the previous one. */
static void sep(jw *w)
{
    if (w->after_key) {
        w->after_key = false;
        return;
    }
    if (!w->first[w->depth])
        put(w, ",", 1);
    w->first[w->depth] = false;
}

static void nest(jw *w, char c)
{
    sep(w);
    put(w, &c, 1);
    if (w->depth + 1 >= JW_DEPTH) {
        w->failed = true;
        return;
    }
    w->first[++w->depth] = true;
}

static void unnest(jw *w, char c)
{
    put(w, &c, 1);
    if (w->depth > 0)
        w->depth--;
}

void jw_obj(jw *w)
{
    nest(w, '{');
}

void jw_obj_end(jw *w)
{
    unnest(w, '}');
}

void jw_arr(jw *w)
{
    nest(w, '[');
}

void jw_arr_end(jw *w)
{
    unnest(w, ']');
}

/* Length of the valid UTF-8 sequence at p (at most n bytes), 0 if invalid. */
static size_t utf8_len(const unsigned char *p, size_t n)
{
    unsigned c = p[0];
    /* the common case, CJK text: E1–EC and EE–EF lead bytes allow any continuation
     * bytes (no overlong forms, no surrogates) */
    if (n >= 3 && c >= 0xE1 && c <= 0xEF && c != 0xED && (p[1] & 0xC0) == 0x80 &&
        (p[2] & 0xC0) == 0x80)
        return 3;
    size_t len;
    unsigned min;
    if (c < 0xC2 || c > 0xF4)
        return 0;
    if (c < 0xE0)
        len = 2, min = 0x80;
    else if (c < 0xF0)
        len = 3, min = 0x800;
    else
        len = 4, min = 0x10000;
    if (len > n)
        return 0;
    unsigned cp = c & (0xFF >> (len + 1));
    for (size_t i = 1; i < len; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (p[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return len;
}

/* Bytes copied as they are: printable ASCII but the quote and the backslash. */
/* clang-format off */
static const bool plain[256] = {
#define R16(v) v, v, v, v, v, v, v, v, v, v, v, v, v, v, v, v
    R16(0), R16(0),
    1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x20–0x2F: '"' */
    R16(1), R16(1),
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, /* 0x50–0x5F: '\\' */
    R16(1), R16(1),
    R16(0), R16(0), R16(0), R16(0), R16(0), R16(0), R16(0), R16(0),
#undef R16
};
/* clang-format on */

/* The quoted string. Room for the worst case is taken first (every byte a \u00XX
 * escape), so a string within a few kilobytes of the maximum may fail early. */
static void str_body(jw *w, const char *s, size_t n)
{
    static const char hex[] = "0123456789ABCDEF"; /* as jansson writes them */
    if (n > (SIZE_MAX - 2) / 6) {
        w->failed = true;
        return;
    }
    char *o = reserve(w, 6 * n + 2), *start = o;
    if (!o)
        return;
    const unsigned char *p = (const unsigned char *)s, *end = p + n, *run = p;
    *o++ = '"';
    while (p < end) {
        unsigned c = *p;
        if (plain[c]) {
            p++;
            continue;
        }
        size_t u = c >= 0x80 ? utf8_len(p, (size_t)(end - p)) : 0;
        if (u) {
            p += u;
            continue;
        }
        memcpy(o, run, (size_t)(p - run));
        o += p - run;
        *o++ = '\\';
        switch (c) {
        case '"':
            *o++ = '"';
            break;
        case '\\':
            *o++ = '\\';
            break;
        case '\n':
            *o++ = 'n';
            break;
        case '\r':
            *o++ = 'r';
            break;
        case '\t':
            *o++ = 't';
            break;
        case '\b':
            *o++ = 'b';
            break;
        case '\f':
            *o++ = 'f';
            break;
        default:
            if (c < 0x20) {
                memcpy(o, "u00", 3);
                o[3] = hex[c >> 4];
                o[4] = hex[c & 15];
                o += 5;
            } else { /* not UTF-8: the replacement character instead of the backslash */
                memcpy(o - 1, "\xEF\xBF\xBD", 3);
                o += 2;
            }
        }
        run = ++p;
    }
    memcpy(o, run, (size_t)(p - run));
    o += p - run;
    *o++ = '"';
    advance(w, (size_t)(o - start));
}

void jw_key(jw *w, const char *k)
{
    sep(w);
    size_t n = 0;
    while (k[n] && plain[(unsigned char)k[n]])
        n++;
    if (k[n]) { /* a key that needs escaping */
        str_body(w, k, n + strlen(k + n));
        put(w, ":", 1);
    } else {
        char *o = reserve(w, n + 3);
        if (o) {
            o[0] = '"';
            memcpy(o + 1, k, n);
            o[n + 1] = '"';
            o[n + 2] = ':';
            advance(w, n + 3);
        }
    }
    w->after_key = true;
}

void jw_key_raw(jw *w, const char *quoted, size_t n)
{
    sep(w);
    put(w, quoted, n);
    w->after_key = true;
}

void jw_strn(jw *w, const char *s, size_t n)
{
    sep(w);
    str_body(w, s, n);
}

void jw_str(jw *w, const char *s)
{
    if (!s)
        jw_null(w);
    else
        jw_strn(w, s, strlen(s));
}

void jw_int(jw *w, int64_t v)
{
    char t[24];
    char *e = t + sizeof t, *p = e;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    do
        *--p = (char)('0' + u % 10);
    while (u /= 10);
    if (v < 0)
        *--p = '-';
    sep(w);
    put(w, p, (size_t)(e - p));
}

void jw_real(jw *w, double v)
{
    char t[32];
    /* JSON has no NaN or infinity; jansson refuses them too */
    int n = isfinite(v) ? snprintf(t, sizeof t, "%.17g", v) : 0;
    if (n <= 0) {
        jw_null(w);
        return;
    }
    /* keep it a real: "1" would read back as an integer */
    if (!strpbrk(t, ".eE") && (size_t)n + 2 < sizeof t) {
        memcpy(t + n, ".0", 3);
        n += 2;
    }
    /* the exponent as jansson writes it: no '+', no leading zeros ("1e+20" → "1e20") */
    char *e = strchr(t, 'e');
    if (e) {
        char *from = e + 1, *to = e + 1;
        if (*from == '-')
            from++, to++;
        else if (*from == '+')
            from++;
        while (*from == '0' && from[1])
            from++;
        if (from != to) {
            memmove(to, from, strlen(from) + 1);
            n = (int)strlen(t);
        }
    }
    sep(w);
    put(w, t, (size_t)n);
}

void jw_bool(jw *w, bool v)
{
    sep(w);
    put(w, v ? "true" : "false", v ? 4 : 5);
}

void jw_null(jw *w)
{
    sep(w);
    put(w, "null", 4);
}

void jw_json(jw *w, const json_t *v)
{
    const char *key;
    json_t *val;
    size_t i;
    switch (json_typeof(v)) {
    case JSON_OBJECT:
        jw_obj(w);
        json_object_foreach((json_t *)v, key, val)
        {
            jw_key(w, key);
            jw_json(w, val);
        }
        jw_obj_end(w);
        break;
    case JSON_ARRAY:
        jw_arr(w);
        json_array_foreach(v, i, val) jw_json(w, val);
        jw_arr_end(w);
        break;
    case JSON_STRING:
        jw_strn(w, json_string_value(v), json_string_length(v));
        break;
    case JSON_INTEGER:
        jw_int(w, json_integer_value(v));
        break;
    case JSON_REAL:
        jw_real(w, json_real_value(v));
        break;
    case JSON_TRUE:
        jw_bool(w, true);
        break;
    case JSON_FALSE:
        jw_bool(w, false);
        break;
    default:
        jw_null(w);
    }
}
