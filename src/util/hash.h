/* hash.h — FNV-1a of a NUL-terminated string: for the in-memory tables keyed by text
 * (prepared statements, cached answers, signed-in callers). Not for anything an
 * attacker could use to flood one bucket into a denial of service: every table using
 * it is bounded and keyed by what the server itself produced or a 256-bit hash. */
#ifndef TJ_UTIL_HASH_H
#define TJ_UTIL_HASH_H

static inline unsigned hash_str(const char *s)
{
    unsigned h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

#endif
