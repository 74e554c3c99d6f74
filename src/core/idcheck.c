#include "core/idcheck.h"

#include <string.h>

#define F_ID    "id_number"
#define F_PHONE "phone"
#define F_CODE  "credit_code"

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!is_digit(s[i]))
            return false;
    return true;
}

static int num(const char *s, size_t n)
{
    int v = 0;
    for (size_t i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

char idcheck_id_check_char(const char *first17)
{
    /* GB 11643-1999: weight of position i is 2^(17-i) mod 11. */
    static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    static const char map[] = "10X98765432";
    int sum = 0;
    for (int i = 0; i < 17; i++) {
        if (!is_digit(first17[i]))
            return 0;
        sum += (first17[i] - '0') * w[i];
    }
    return map[sum % 11];
}

/* Province-level prefixes of GB/T 2260, plus 81–83 (HK/Macau/Taiwan residence
 * permits, 2018) and 91–96 (foreigners' permanent residence cards, 2023: 9 then
 * the first digit of the issuing province). */
static bool province_ok(int p)
{
    return (p >= 11 && p <= 15) || (p >= 21 && p <= 23) || (p >= 31 && p <= 37) ||
           (p >= 41 && p <= 46) || (p >= 50 && p <= 54) || (p >= 61 && p <= 65) || p == 71 ||
           (p >= 81 && p <= 83) || (p >= 91 && p <= 96);
}

int idcheck_id_number(const char *s, tj_date today, idcheck_id_info *info, tj_err *err)
{
    if (!s || !*s)
        return err_set(err, 400, "validation_failed", F_ID, "身份证号不能为空");
    if (strnlen(s, 19) != 18)
        return err_set(err, 400, "validation_failed", F_ID, "身份证号长度应为18位");
    if (!all_digits(s, 17))
        return err_set(err, 400, "validation_failed", F_ID, "身份证号前17位应为数字");
    char last = s[17] == 'x' ? 'X' : s[17];
    if (!is_digit(last) && last != 'X')
        return err_set(err, 400, "validation_failed", F_ID, "身份证号最后一位应为数字或X");
    if (num(s, 6) == 0 || !province_ok(num(s, 2)))
        return err_set(err, 400, "validation_failed", F_ID, "身份证号地区码无效");
    tj_date birth = {num(s + 6, 4), num(s + 10, 2), num(s + 12, 2)};
    if (!date_valid(birth) || birth.y < 1900 || date_compare(birth, today) > 0)
        return err_set(err, 400, "validation_failed", F_ID, "身份证号出生日期无效");
    if (idcheck_id_check_char(s) != last)
        return err_set(err, 400, "validation_failed", F_ID, "身份证号校验位错误，请核对");
    if (info) {
        memcpy(info->id_number, s, 17);
        info->id_number[17] = last;
        info->id_number[18] = '\0';
        memcpy(info->region_code, s, 6);
        info->region_code[6] = '\0';
        info->birth = birth;
        info->sex = (s[16] - '0') % 2 ? IDCHECK_MALE : IDCHECK_FEMALE;
    }
    return 0;
}

static bool mobile_ok(const char *s)
{
    return strnlen(s, 12) == 11 && all_digits(s, 11) && s[0] == '1' && s[1] >= '3';
}

/* Length of a valid area code at s: 010 and 020–029 are the only three-digit
 * codes (Beijing, and the 2x block of the largest cities); every other code has
 * four digits, so the split is unambiguous even without a dash. */
static size_t area_code_len(const char *s)
{
    if (s[0] != '0' || !is_digit(s[1]) || !is_digit(s[2]))
        return 0;
    if (s[1] == '1')
        return s[2] == '0' ? 3 : 0;
    if (s[1] == '2')
        return 3;
    if (s[1] == '0' || !is_digit(s[3]))
        return 0;
    return 4;
}

static size_t digit_run(const char *s)
{
    size_t n = 0;
    while (is_digit(s[n]))
        n++;
    return n;
}

static bool landline_ok(const char *s)
{
    size_t a = area_code_len(s);
    if (!a)
        return false;
    const char *p = s + a;
    if (*p == '-')
        p++;
    /* Three-digit areas are the largest cities: all their numbers have 8 digits. */
    size_t n = digit_run(p);
    if (!(n == 8 || (n == 7 && a == 4)) || p[0] < '2')
        return false;
    p += n;
    if (*p == '\0')
        return true;
    if (*p != '-')
        return false;
    n = digit_run(++p);
    return n >= 1 && n <= 6 && p[n] == '\0';
}

int idcheck_mobile(const char *s, tj_err *err)
{
    if (!s || !*s)
        return err_set(err, 400, "validation_failed", F_PHONE, "手机号不能为空");
    if (!mobile_ok(s))
        return err_set(err, 400, "validation_failed", F_PHONE, "手机号应为以1开头的11位数字");
    return 0;
}

int idcheck_landline(const char *s, tj_err *err)
{
    if (!s || !*s)
        return err_set(err, 400, "validation_failed", F_PHONE, "电话号码不能为空");
    if (!landline_ok(s))
        return err_set(err, 400, "validation_failed", F_PHONE,
                       "固定电话格式应为区号-号码，如010-62345678或0755-2345678");
    return 0;
}

int idcheck_phone(const char *s, tj_err *err)
{
    if (!s || !*s)
        return err_set(err, 400, "validation_failed", F_PHONE, "联系电话不能为空");
    if (!mobile_ok(s) && !landline_ok(s))
        return err_set(err, 400, "validation_failed", F_PHONE,
                       "联系电话应为11位手机号或带区号的固定电话");
    return 0;
}

/* GB 32100-2015 code characters: digits and capitals without I, O, S, V, Z. */
static const char code_chars[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

static int code_value(char c)
{
    if (c >= 'a' && c <= 'z')
        c = (char)(c - 32);
    const char *p = c ? strchr(code_chars, c) : NULL;
    return p ? (int)(p - code_chars) : -1;
}

int idcheck_credit_code(const char *s, char normalized[IDCHECK_CREDIT_CODE_SIZE], tj_err *err)
{
    static const int w[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
    if (!s || !*s)
        return err_set(err, 400, "validation_failed", F_CODE, "统一社会信用代码不能为空");
    if (strnlen(s, 19) != 18)
        return err_set(err, 400, "validation_failed", F_CODE, "统一社会信用代码长度应为18位");
    int v[18];
    for (int i = 0; i < 18; i++) {
        v[i] = code_value(s[i]);
        if (v[i] < 0)
            return err_set(err, 400, "validation_failed", F_CODE,
                           "统一社会信用代码含有无效字符（不使用I、O、S、V、Z）");
    }
    if (!all_digits(s + 2, 6))
        return err_set(err, 400, "validation_failed", F_CODE,
                       "统一社会信用代码第3至8位应为行政区划代码");
    int sum = 0;
    for (int i = 0; i < 17; i++)
        sum += v[i] * w[i];
    if ((31 - sum % 31) % 31 != v[17])
        return err_set(err, 400, "validation_failed", F_CODE, "统一社会信用代码校验位错误，请核对");
    if (normalized) {
        for (int i = 0; i < 18; i++)
            normalized[i] = code_chars[v[i]];
        normalized[18] = '\0';
    }
    return 0;
}

static int fits(size_t len, char *out, size_t cap)
{
    if (len + 1 > cap) {
        if (cap > 0)
            out[0] = '\0';
        return -1;
    }
    return 0;
}

int idcheck_mask_id(const char *id, char *out, size_t cap)
{
    if (!id)
        id = "";
    size_t len = strlen(id);
    if (fits(len, out, cap))
        return -1;
    bool ascii = true;
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)id[i] >= 0x80)
            ascii = false;
    for (size_t i = 0; i < len; i++)
        out[i] = ascii && len >= 11 && (i < 6 || i >= len - 4) ? id[i] : '*';
    out[len] = '\0';
    return 0;
}

int idcheck_mask_phone(const char *phone, char *out, size_t cap)
{
    if (!phone)
        phone = "";
    size_t len = strlen(phone);
    if (fits(len, out, cap))
        return -1;
    size_t head = 3;
    if (phone[0] == '0') {
        const char *dash = strchr(phone, '-');
        if (dash && dash - phone <= 4) /* an area code's dash, not an extension's */
            head = (size_t)(dash - phone) + 1;
        else
            head = (phone[1] == '1' || phone[1] == '2') ? 3 : 4;
    }
    size_t starred = 0;
    for (size_t i = head; i + 4 < len; i++)
        starred += is_digit(phone[i]);
    bool keep = len >= head + 4 && starred >= 3;
    for (size_t i = 0; i < len; i++) {
        bool edge = i < head || i >= len - 4;
        out[i] = is_digit(phone[i]) && !(keep && edge) ? '*' : phone[i];
    }
    out[len] = '\0';
    return 0;
}
