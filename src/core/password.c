#include "core/password.h"

#include <stdbool.h>
#include <string.h>
#include <strings.h>

static size_t chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xc0) != 0x80)
            n++;
    return n;
}

int password_policy_check(const char *login, const char *pw, const char *field, tj_err *err)
{
    size_t len = strlen(pw);
    if (len > PASSWORD_MAX_BYTES)
        return err_set(err, 400, "validation_failed", field, "密码过长（最多 %d 字节）",
                       PASSWORD_MAX_BYTES);
    if (chars(pw) < PASSWORD_MIN_CHARS)
        return err_set(err, 400, "validation_failed", field, "密码至少 %d 位", PASSWORD_MIN_CHARS);
    if (login && *login && strcasestr(pw, login))
        return err_set(err, 400, "validation_failed", field, "密码不能包含登录名");
    bool all_same = true, all_digits = true;
    for (size_t i = 0; i < len; i++) {
        if (pw[i] != pw[0])
            all_same = false;
        if (pw[i] < '0' || pw[i] > '9')
            all_digits = false;
    }
    if (all_same)
        return err_set(err, 400, "validation_failed", field, "密码不能由同一个字符组成");
    if (all_digits)
        return err_set(err, 400, "validation_failed", field, "密码不能全为数字，请加入字母或符号");
    return 0;
}
