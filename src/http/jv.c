#include "http/jv.h"
#include "core/dict.h"

#include <stdio.h>
#include <string.h>

size_t jv_utf8_len(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xc0) != 0x80)
            n++;
    return n;
}

bool jv_valid_date(const char *s)
{
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return false;
    int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    int m = (s[5] - '0') * 10 + (s[6] - '0');
    int d = (s[8] - '0') * 10 + (s[9] - '0');
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1)
        return false;
    int md = mdays[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
    return d <= md;
}

static int check_one(json_t *v, const jv_field *f, const char *path, tj_err *err)
{
    const char *lb = f->label ? f->label : f->name;
    switch (f->type) {
    case JV_STRING:
    case JV_DATE:
    case JV_ENUM: {
        if (!json_is_string(v))
            return err_set(err, 400, "validation_failed", path, "「%s」应为字符串", lb);
        const char *s = json_string_value(v);
        if (f->required && !*s)
            return err_set(err, 400, "validation_failed", path, "「%s」不能为空", lb);
        if (f->type == JV_STRING) {
            int max = f->max ? f->max : 200;
            if (jv_utf8_len(s) > (size_t)max)
                return err_set(err, 400, "validation_failed", path, "「%s」最多 %d 个字", lb, max);
            if (strlen(s) != json_string_length(v))
                return err_set(err, 400, "validation_failed", path, "「%s」含有非法字符", lb);
        } else if (f->type == JV_DATE) {
            if (*s && !jv_valid_date(s))
                return err_set(err, 400, "validation_failed", path,
                               "「%s」日期无效，应为 YYYY-MM-DD", lb);
        } else if (*s && !dict_has(f->dict, s)) {
            return err_set(err, 400, "validation_failed", path, "「%s」取值无效：%.60s", lb, s);
        }
        return 0;
    }
    case JV_INT: {
        if (!json_is_integer(v))
            return err_set(err, 400, "validation_failed", path, "「%s」应为整数", lb);
        json_int_t n = json_integer_value(v);
        if ((f->min || f->maxv) && (n < f->min || n > f->maxv))
            return err_set(err, 400, "validation_failed", path, "「%s」应在 %lld 到 %lld 之间", lb,
                           (long long)f->min, (long long)f->maxv);
        return 0;
    }
    case JV_BOOL:
        if (!json_is_boolean(v))
            return err_set(err, 400, "validation_failed", path, "「%s」应为 true 或 false", lb);
        return 0;
    case JV_ENUM_ARRAY: {
        if (!json_is_array(v))
            return err_set(err, 400, "validation_failed", path, "「%s」应为数组", lb);
        size_t n = json_array_size(v);
        if (f->max && n > (size_t)f->max)
            return err_set(err, 400, "validation_failed", path, "「%s」最多 %d 项", lb, f->max);
        for (size_t i = 0; i < n; i++) {
            char ip[200];
            snprintf(ip, sizeof ip, "%s[%zu]", path, i);
            json_t *e = json_array_get(v, i);
            if (!json_is_string(e) || !dict_has(f->dict, json_string_value(e)))
                return err_set(err, 400, "validation_failed", ip, "「%s」第 %zu 项取值无效", lb,
                               i + 1);
            for (size_t j = 0; j < i; j++)
                if (json_equal(e, json_array_get(v, j)))
                    return err_set(err, 400, "validation_failed", ip, "「%s」有重复项", lb);
        }
        return 0;
    }
    case JV_ID_ARRAY: {
        if (!json_is_array(v))
            return err_set(err, 400, "validation_failed", path, "「%s」应为数组", lb);
        size_t n = json_array_size(v);
        if (f->max && n > (size_t)f->max)
            return err_set(err, 400, "validation_failed", path, "「%s」最多 %d 项", lb, f->max);
        for (size_t i = 0; i < n; i++) {
            char ip[200];
            snprintf(ip, sizeof ip, "%s[%zu]", path, i);
            json_t *e = json_array_get(v, i);
            if (!json_is_integer(e) || json_integer_value(e) <= 0)
                return err_set(err, 400, "validation_failed", ip, "「%s」第 %zu 项应为正整数编号",
                               lb, i + 1);
            for (size_t j = 0; j < i; j++)
                if (json_equal(e, json_array_get(v, j)))
                    return err_set(err, 400, "validation_failed", ip, "「%s」有重复项", lb);
        }
        return 0;
    }
    case JV_OBJECT_ARRAY: {
        if (!json_is_array(v))
            return err_set(err, 400, "validation_failed", path, "「%s」应为数组", lb);
        size_t n = json_array_size(v);
        if ((int64_t)n < f->min)
            return err_set(err, 400, "validation_failed", path, "「%s」至少 %lld 项", lb,
                           (long long)f->min);
        if (f->max && n > (size_t)f->max)
            return err_set(err, 400, "validation_failed", path, "「%s」最多 %d 项", lb, f->max);
        for (size_t i = 0; i < n; i++) {
            char ip[200];
            snprintf(ip, sizeof ip, "%s[%zu].", path, i);
            json_t *e = json_array_get(v, i);
            if (!json_is_object(e)) {
                ip[strlen(ip) - 1] = 0;
                return err_set(err, 400, "validation_failed", ip, "「%s」第 %zu 项应为对象", lb,
                               i + 1);
            }
            if (jv_check(e, f->items, ip, err) != 0)
                return -1;
        }
        return 0;
    }
    }
    return 0;
}

int jv_check(json_t *obj, const jv_field *spec, const char *prefix, tj_err *err)
{
    const char *key;
    json_t *v;
    char path[200];
    json_object_foreach(obj, key, v)
    {
        const jv_field *f = spec;
        while (f->name && strcmp(f->name, key) != 0)
            f++;
        snprintf(path, sizeof path, "%s%s", prefix, key);
        if (!f->name)
            return err_set(err, 400, "unknown_field", path, "未知字段：%.80s", path);
    }
    for (const jv_field *f = spec; f->name; f++) {
        snprintf(path, sizeof path, "%s%s", prefix, f->name);
        v = json_object_get(obj, f->name);
        if (!v || json_is_null(v)) {
            if (f->required)
                return err_set(err, 400, "validation_failed", path, "「%s」不能为空",
                               f->label ? f->label : f->name);
            continue;
        }
        if (check_one(v, f, path, err) != 0)
            return -1;
    }
    return 0;
}

const char *jv_str(json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

int64_t jv_int(json_t *o, const char *k, int64_t def)
{
    json_t *v = json_object_get(o, k);
    return json_is_integer(v) ? (int64_t)json_integer_value(v) : def;
}

bool jv_bool(json_t *o, const char *k, bool def)
{
    json_t *v = json_object_get(o, k);
    return json_is_boolean(v) ? json_is_true(v) : def;
}

bool jv_has(json_t *o, const char *k)
{
    return json_object_get(o, k) != NULL;
}
