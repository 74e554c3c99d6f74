#include "core/case_no.h"

#include <stdio.h>
#include <string.h>

static int ends_with(const char *s, size_t n, const char *suffix)
{
    size_t k = strlen(suffix);
    return n >= k && memcmp(s + n - k, suffix, k) == 0;
}

/* Bytes of the first `chars` UTF-8 characters of s (or all of s). */
static size_t prefix_bytes(const char *s, int chars)
{
    size_t i = 0;
    while (s[i] && chars > 0) {
        i++;
        while (((unsigned char)s[i] & 0xc0) == 0x80)
            i++;
        chars--;
    }
    return i;
}

static size_t count_chars(const char *s, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xc0) != 0x80)
            c++;
    return c;
}

int case_no_short_name(const char *org_name, char *out, size_t cap, tj_err *err)
{
    static const char *const suffixes[] = {"人民调解委员会", "调解委员会", "人民调解室",
                                           "调解工作室",     "调解室",     "工作室"};
    if (!org_name || !*org_name)
        return err_set(err, 400, "validation_failed", NULL, "机构名称为空");
    const char *s = org_name;
    size_t n = strlen(s);
    for (size_t i = 0; i < sizeof suffixes / sizeof *suffixes; i++)
        if (ends_with(s, n, suffixes[i]) && n > strlen(suffixes[i])) {
            n -= strlen(suffixes[i]);
            break;
        }
    /* drop a county prefix ("青山县") when enough remains to tell committees apart */
    for (int k = 2; k <= 4; k++) {
        size_t b = prefix_bytes(s, k);
        if (b >= n)
            break;
        const char *last = s + prefix_bytes(s, k - 1);
        if ((strncmp(last, "县", 3) == 0 || strncmp(last, "区", 3) == 0 ||
             strncmp(last, "市", 3) == 0) &&
            count_chars(s + b, n - b) > 2) {
            s += b;
            n -= b;
            break;
        }
    }
    if (n + 1 > cap)
        return err_set(err, 400, "validation_failed", NULL, "机构名称过长");
    memcpy(out, s, n);
    out[n] = 0;
    return 0;
}

int case_no_format(const char *org_name, int year, long long n, char *out, size_t cap, tj_err *err)
{
    char shortname[256];
    if (year < 1900 || year > 9999 || n < 1)
        return err_set(err, 400, "validation_failed", NULL, "案号年份或序号无效");
    if (case_no_short_name(org_name, shortname, sizeof shortname, err) != 0)
        return -1;
    int w = snprintf(out, cap, "（%d）%s人调字第%lld号", year, shortname, n);
    if (w < 0 || (size_t)w >= cap)
        return err_set(err, 400, "validation_failed", NULL, "案号过长");
    return 0;
}
