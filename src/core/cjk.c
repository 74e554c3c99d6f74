#include "core/cjk.h"

#include <stdint.h>
#include <string.h>

enum { C_SEP, C_WORD, C_CJK };

/* Strict UTF-8 decoding per RFC 3629 / Unicode Table 3-7: the second-byte ranges
 * for E0, ED, F0 and F4 are what exclude overlong forms, surrogates and code
 * points above U+10FFFF. Returns the sequence length, or 0 if malformed. */
static size_t decode(const unsigned char *s, size_t len, size_t i, uint32_t *cp)
{
    unsigned b0 = s[i];
    if (b0 < 0x80) {
        *cp = b0;
        return 1;
    }
    size_t n;
    unsigned lo = 0x80, hi = 0xBF;
    if (b0 >= 0xC2 && b0 <= 0xDF) {
        n = 2;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
        n = 3;
        if (b0 == 0xE0)
            lo = 0xA0;
        else if (b0 == 0xED)
            hi = 0x9F;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
        n = 4;
        if (b0 == 0xF0)
            lo = 0x90;
        else if (b0 == 0xF4)
            hi = 0x8F;
    } else {
        return 0;
    }
    if (len - i < n)
        return 0;
    if (s[i + 1] < lo || s[i + 1] > hi)
        return 0;
    uint32_t v = b0 & (n == 2 ? 0x1F : n == 3 ? 0x0F : 0x07);
    for (size_t k = 1; k < n; k++) {
        if ((s[i + k] & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (s[i + k] & 0x3F);
    }
    *cp = v;
    return n;
}

bool cjk_utf8_valid(const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    uint32_t cp;
    for (size_t i = 0; i < len;) {
        size_t n = decode(u, len, i, &cp);
        if (!n)
            return false;
        i += n;
    }
    return true;
}

static bool is_cjk(uint32_t c)
{
    return c == 0x3007                        /* 〇, as in 二〇二五年 */
           || (c >= 0x3041 && c <= 0x3096)    /* hiragana */
           || (c >= 0x309D && c <= 0x309F)    /* hiragana iteration marks */
           || (c >= 0x30A1 && c <= 0x30FA)    /* katakana (not ・) */
           || (c >= 0x30FC && c <= 0x30FF)    /* ー and iteration marks */
           || (c >= 0x3400 && c <= 0x4DBF)    /* extension A */
           || (c >= 0x4E00 && c <= 0x9FFF)    /* unified ideographs */
           || (c >= 0xAC00 && c <= 0xD7A3)    /* Hangul syllables */
           || (c >= 0xF900 && c <= 0xFAFF)    /* compatibility ideographs */
           || (c >= 0x20000 && c <= 0x2FA1F)  /* extensions B–F, compat suppl. */
           || (c >= 0x30000 && c <= 0x323AF); /* extensions G, H */
}

/* Classify c; for word characters *norm is the code point to emit (lowercased,
 * full-width folded to ASCII so that ＡＢＣ１２３ and abc123 index alike). */
static int classify(uint32_t c, uint32_t *norm)
{
    *norm = c;
    if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z'))
        return C_WORD;
    if (c >= 'A' && c <= 'Z') {
        *norm = c + 32;
        return C_WORD;
    }
    if (c >= 0xFF10 && c <= 0xFF19) {
        *norm = '0' + (c - 0xFF10);
        return C_WORD;
    }
    if (c >= 0xFF21 && c <= 0xFF3A) {
        *norm = 'a' + (c - 0xFF21);
        return C_WORD;
    }
    if (c >= 0xFF41 && c <= 0xFF5A) {
        *norm = 'a' + (c - 0xFF41);
        return C_WORD;
    }
    if (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7) {
        if (c <= 0xDE)
            *norm = c + 32; /* Latin-1 capitals: À..Þ -> à..þ */
        return C_WORD;
    }
    return is_cjk(c) ? C_CJK : C_SEP;
}

/* Output with sticky overflow: writers never check, the caller checks once. */
typedef struct {
    char *p;
    size_t cap, len;
    bool full;
    unsigned ntok; /* tokens written since the last reset: decides the separator */
} wr;

static void put(wr *w, const void *s, size_t n)
{
    if (w->full)
        return;
    if (w->cap == 0 || n > w->cap - 1 - w->len) {
        w->full = true;
        return;
    }
    memcpy(w->p + w->len, s, n);
    w->len += n;
}

static void put_cp(wr *w, uint32_t c)
{
    char b[2];
    if (c < 0x80) {
        b[0] = (char)c;
        put(w, b, 1);
    } else { /* word characters are all below U+0800 */
        b[0] = (char)(0xC0 | (c >> 6));
        b[1] = (char)(0x80 | (c & 0x3F));
        put(w, b, 2);
    }
}

static void begin_token(wr *w)
{
    if (w->ntok++)
        put(w, " ", 1);
}

/* Tokenize already-validated UTF-8. A CJK bigram is emitted when its second
 * character arrives; a one-character run is emitted as a unigram when it ends. */
static void tokenize_span(wr *w, const unsigned char *s, size_t len)
{
    int run = C_SEP;
    size_t prev = 0, prev_n = 0, run_chars = 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp = 0, norm;
        size_t n = decode(s, len, i, &cp);
        if (!n) /* input is validated first; never loop on a bad byte regardless */
            break;
        int cls = classify(cp, &norm);
        if (run == C_CJK && cls != C_CJK && run_chars == 1) {
            begin_token(w);
            put(w, s + prev, prev_n);
        }
        if (cls == C_WORD) {
            if (run != C_WORD)
                begin_token(w);
            put_cp(w, norm);
        } else if (cls == C_CJK) {
            if (run != C_CJK)
                run_chars = 0;
            if (run_chars) {
                begin_token(w);
                put(w, s + prev, prev_n);
                put(w, s + i, n);
            }
            prev = i;
            prev_n = n;
            run_chars++;
        }
        run = cls;
        i += n;
    }
    if (run == C_CJK && run_chars == 1) {
        begin_token(w);
        put(w, s + prev, prev_n);
    }
}

size_t cjk_tokenize_bound(size_t len)
{
    if (len > (SIZE_MAX - 1) / 3)
        return SIZE_MAX;
    return 3 * len + 1;
}

int cjk_tokenize(const char *text, char *out, size_t cap, tj_err *err)
{
    if (cap > 0)
        out[0] = '\0';
    if (!text)
        return err_set(err, 400, "validation_failed", NULL, "文本不能为空");
    size_t len = strlen(text);
    if (!cjk_utf8_valid(text, len))
        return err_set(err, 400, "validation_failed", NULL, "文本不是有效的UTF-8编码");
    wr w = {out, cap, 0, false, 0};
    tokenize_span(&w, (const unsigned char *)text, len);
    if (w.full || cap == 0) {
        if (cap > 0)
            out[0] = '\0';
        return err_set(err, 400, "validation_failed", NULL, "文本过长，无法建立检索索引");
    }
    out[w.len] = '\0';
    return 0;
}

int cjk_query(const char *q, char *out, size_t cap, tj_err *err)
{
    if (cap > 0)
        out[0] = '\0';
    if (!q)
        return err_set(err, 400, "validation_failed", "q", "请输入搜索词");
    size_t len = strlen(q);
    if (!cjk_utf8_valid(q, len))
        return err_set(err, 400, "validation_failed", "q", "搜索词不是有效的UTF-8编码");
    const unsigned char *s = (const unsigned char *)q;
    wr w = {out, cap, 0, false, 0};
    unsigned terms = 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp = 0, norm;
        size_t n = decode(s, len, i, &cp);
        if (!n)
            break;
        int cls = classify(cp, &norm);
        if (cls == C_SEP) {
            i += n;
            continue;
        }
        /* A term is the maximal run of token characters starting here. */
        size_t end = i + n, chars = 1;
        while (end < len) {
            size_t m = decode(s, len, end, &cp);
            if (!m || classify(cp, &norm) == C_SEP)
                break;
            end += m;
            chars++;
        }
        if (terms++)
            put(&w, " AND ", 5);
        if (chars == 1 && cls == C_CJK) {
            put(&w, s + i, n);
            put(&w, "*", 1);
        } else {
            put(&w, "\"", 1);
            w.ntok = 0;
            tokenize_span(&w, s + i, end - i);
            put(&w, "\"", 1);
        }
        i = end;
    }
    if (terms == 0)
        return err_set(err, 400, "validation_failed", "q", "搜索词为空，请输入文字或数字");
    if (w.full || cap == 0) {
        if (cap > 0)
            out[0] = '\0';
        return err_set(err, 400, "validation_failed", "q", "搜索词过长");
    }
    out[w.len] = '\0';
    return 0;
}
