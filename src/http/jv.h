/* jv.h — validation of JSON request bodies against a field table. Checks presence,
 * type, length (in characters), enum membership (core/dict), integer ranges, date
 * format and rejects unknown fields, naming the offending field in the error
 * (status 400, code validation_failed / unknown_field, Chinese message). */
#ifndef TJ_HTTP_JV_H
#define TJ_HTTP_JV_H
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"

enum jv_type {
    JV_STRING, /* max = characters */
    JV_INT,    /* min..maxv */
    JV_BOOL,
    JV_DATE,         /* "YYYY-MM-DD" */
    JV_ENUM,         /* string in dict `dict` */
    JV_ENUM_ARRAY,   /* array of strings in dict, at most max items, no repeats */
    JV_OBJECT_ARRAY, /* array of objects checked against `items`, min..max items */
    JV_ID_ARRAY      /* array of positive integer ids, at most max items, no repeats */
};

typedef struct jv_field {
    const char *name;
    enum jv_type type;
    bool required;
    const char *label; /* Chinese field name used in messages */
    int max;
    const char *dict;
    int64_t min, maxv;
    const struct jv_field *items;
} jv_field;

/* Validate obj against spec (terminated by {NULL}). prefix is prepended to field
 * paths ("parties[0]."), may be "". Nulls are accepted for optional fields. */
int jv_check(json_t *obj, const jv_field *spec, const char *prefix, tj_err *err);

/* Accessors for validated objects: NULL / def when absent or null. */
const char *jv_str(json_t *o, const char *k);
int64_t jv_int(json_t *o, const char *k, int64_t def);
bool jv_bool(json_t *o, const char *k, bool def);
/* Whether k is present (even as null): PATCH semantics. */
bool jv_has(json_t *o, const char *k);
/* Whether s is a valid YYYY-MM-DD calendar date. */
bool jv_valid_date(const char *s);
/* Number of UTF-8 characters in s. */
size_t jv_utf8_len(const char *s);

#endif
