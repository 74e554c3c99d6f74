/* cjk.h — the one tokenizer behind Chinese full-text search (DESIGN §3).
 *
 * SQLite's trigram tokenizer cannot match two-character words (彩礼, 宅基), which
 * are most Chinese search terms, so text is turned into token text here, the way
 * Lucene's CJKAnalyzer does it, and that token text is what the database indexes:
 *
 *   - a run of CJK characters (Han ideographs incl. extensions and compatibility
 *     ideographs, 〇, kana, Hangul syllables) becomes its overlapping bigrams;
 *     a run of exactly one character stays a unigram;
 *   - a run of letters/digits becomes one lowercase word: ASCII, full-width
 *     ＡＢＣ１２３ (normalised to abc123) and Latin-1/Latin Extended letters
 *     (Latin-1 capitals lowercased, the rest kept as written);
 *   - everything else (spaces, punctuation, symbols, emoji) only separates.
 *
 *   "张三彩礼纠纷ABC 123" -> "张三 三彩 彩礼 礼纠 纠纷 abc 123"
 *
 * Index the output with FTS5 `tokenize='unicode61'` (SQLite) or a `simple`
 * tsvector (PostgreSQL): both split it at the spaces and nowhere else, so the
 * index holds exactly these tokens and query phrases built by cjk_query() match.
 */
#ifndef TJ_CORE_CJK_H
#define TJ_CORE_CJK_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"

/* True if s[0..len) is well-formed UTF-8: no overlong forms, no surrogates, nothing
 * above U+10FFFF, no truncated sequence. Embedded NUL bytes are allowed here. */
bool cjk_utf8_valid(const char *s, size_t len);

/* Output buffer size (including the NUL) that always suffices for
 * cjk_tokenize() of an input of len bytes: 3 * len + 1 (SIZE_MAX on overflow). */
size_t cjk_tokenize_bound(size_t len);

/* Tokenize NUL-terminated UTF-8 text into out (cap bytes including the NUL) as
 * space-separated tokens (see above); text without any token gives "". Returns 0,
 * or -1 with status 400 "validation_failed" if text is NULL or not valid UTF-8, or
 * if the tokens do not fit in cap (out is then "" when cap > 0). */
int cjk_tokenize(const char *text, char *out, size_t cap, tj_err *err);

/* Turn a user's search string into an FTS5 MATCH expression in out (cap bytes incl.
 * the NUL). Every maximal run of token characters (so any whitespace or punctuation
 * separates terms) is one term; terms are joined with " AND ":
 *
 *   彩礼            -> "彩礼"
 *   宅基地纠纷      -> "宅基 基地 地纠 纠纷"     (a phrase: the bigrams in sequence)
 *   彩              -> 彩*                      (prefix: 彩礼, 彩电, a lone 彩 …)
 *   张三 ABC-12     -> "张三" AND "abc" AND "12"
 *
 * A one-character query cannot find that character at the end of a run ("三" in
 * 张三 is indexed only inside the bigram 张三); this is the known cost of bigram
 * indexing, shared with CJKAnalyzer. Only token characters reach the output,
 * inside double quotes or as a single CJK bareword before '*', plus the literal
 * " AND " — no quote, parenthesis, colon, caret, '+', '-' or keyword from the input
 * survives, so no input can produce an FTS5 syntax error. Returns 0, or -1 with
 * status 400
 * "validation_failed" (field "q") if q is NULL or invalid UTF-8, has no token
 * characters at all (搜索词为空), or the expression does not fit in cap. */
int cjk_query(const char *q, char *out, size_t cap, tj_err *err);

#endif
