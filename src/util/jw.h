/* jw.h — JSON text written straight into a buf. The hot answers (case lists, search,
 * to-do) are a few dozen rows of a dozen columns: building them as a jansson tree
 * costs an allocation per value and a hash table per object, then a dump that walks
 * it again — a third of a computed list request (docs/performance.md). jw writes
 * the same text in one pass.
 *
 * A jw tracks only where commas go; the caller nests objects and arrays correctly.
 * Output is compact, keys in the order written, non-ASCII text as UTF-8 (as jansson's
 * JSON_COMPACT). The first append that would pass the buf's maximum sets `failed`;
 * later calls do nothing, and the caller checks jw_ok() once at the end. */
#ifndef TJ_UTIL_JW_H
#define TJ_UTIL_JW_H
#include "util/buf.h"

#include <jansson.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define JW_DEPTH 16

typedef struct jw {
    buf *b;
    int depth;
    bool first[JW_DEPTH]; /* no value written yet at this level */
    bool after_key;       /* the next value belongs to the key just written */
    bool failed;
} jw;

/* Starts writing into b (appending to what it holds). */
void jw_init(jw *w, buf *b);
/* True unless an append failed (maximum reached) or the nesting went past JW_DEPTH. */
bool jw_ok(const jw *w);

void jw_obj(jw *w);
void jw_obj_end(jw *w);
void jw_arr(jw *w);
void jw_arr_end(jw *w);
/* An object key; the next call writes its value. */
void jw_key(jw *w, const char *k);
/* A key given already quoted, with its colon ("\"id\":", n bytes): for keys fixed
 * when compiling, which need no scan. JW_KEY(w, "id") writes one from a literal. */
void jw_key_raw(jw *w, const char *quoted, size_t n);
#define JW_KEY(w, lit) jw_key_raw((w), "\"" lit "\":", sizeof("\"" lit "\":") - 1)
/* A string value (NULL writes null). Bytes that are not valid UTF-8 become U+FFFD. */
void jw_str(jw *w, const char *s);
void jw_strn(jw *w, const char *s, size_t n);
void jw_int(jw *w, int64_t v);
void jw_real(jw *w, double v);
void jw_bool(jw *w, bool v);
void jw_null(jw *w);
/* A jansson value (any type, nested at most JW_DEPTH - 1 deep) written as the text
 * json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY) gives, in one pass without jansson's
 * per-character callbacks. Deeper nesting fails the writer (jw_ok false). */
void jw_json(jw *w, const json_t *v);

#endif
