/* fts_lift.c — see fts_lift.h. */
#include "store/fts_lift.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define FTS5_MAX_LEVEL 64

/* SQLite's varint: 1–9 bytes, big-endian groups of 7 bits, the 9th byte whole. */
static size_t get_varint(const unsigned char *p, size_t n, uint64_t *v)
{
    uint64_t x = 0;
    for (size_t i = 0; i < 9 && i < n; i++) {
        if (i == 8) {
            *v = (x << 8) | p[i];
            return 9;
        }
        x = (x << 7) | (p[i] & 0x7f);
        if (!(p[i] & 0x80)) {
            *v = x;
            return i + 1;
        }
    }
    return 0;
}

static size_t put_varint(unsigned char *p, uint64_t v)
{
    unsigned char tmp[10];
    if (v > 0x00ffffffffffffffULL) {
        p[8] = (unsigned char)v;
        v >>= 8;
        for (int i = 7; i >= 0; i--) {
            p[i] = (unsigned char)((v & 0x7f) | 0x80);
            v >>= 7;
        }
        return 9;
    }
    size_t n = 0;
    do {
        tmp[n++] = (unsigned char)((v & 0x7f) | 0x80);
        v >>= 7;
    } while (v);
    tmp[0] &= 0x7f;
    for (size_t i = 0; i < n; i++)
        p[i] = tmp[n - 1 - i];
    return n;
}

size_t fts_lift_record(const unsigned char *in, size_t n, int by, unsigned char *out, size_t cap)
{
    uint64_t nlevel, nseg, counter, v;
    size_t off = 4, k;
    if (n < 7 || (k = get_varint(in + off, n - off, &nlevel)) == 0)
        return 0;
    off += k;
    if ((k = get_varint(in + off, n - off, &nseg)) == 0)
        return 0;
    off += k;
    if ((k = get_varint(in + off, n - off, &counter)) == 0)
        return 0;
    off += k;
    size_t levels_at = off;
    /* check the rest is exactly nlevel levels of the known layout */
    uint64_t seen = 0;
    for (uint64_t l = 0; l < nlevel; l++) {
        uint64_t nmerge, lseg;
        if ((k = get_varint(in + off, n - off, &nmerge)) == 0)
            return 0;
        off += k;
        if ((k = get_varint(in + off, n - off, &lseg)) == 0 || nmerge > lseg)
            return 0;
        off += k;
        for (uint64_t s = 0; s < 3 * lseg; s++) {
            if ((k = get_varint(in + off, n - off, &v)) == 0)
                return 0;
            off += k;
        }
        seen += lseg;
    }
    if (off != n || seen != nseg || nlevel == 0 || nlevel >= FTS5_MAX_LEVEL)
        return 0;
    if (by > (int)(FTS5_MAX_LEVEL - nlevel))
        by = (int)(FTS5_MAX_LEVEL - nlevel);
    if (by <= 0 || cap < n + 9 + 2 * (size_t)by)
        return 0;
    size_t o = 0;
    memcpy(out, in, 4);
    o += 4;
    o += put_varint(out + o, nlevel + (uint64_t)by);
    o += put_varint(out + o, nseg);
    o += put_varint(out + o, counter);
    for (int l = 0; l < by; l++) {
        out[o++] = 0; /* nMerge */
        out[o++] = 0; /* nSeg */
    }
    memcpy(out + o, in + levels_at, n - levels_at);
    return o + n - levels_at;
}

int fts_lift(db *d, const char *table, tj_err *err)
{
    char sql[160];
    unsigned char rec[4096], lifted[4096 + 9 + 2 * FTS_LIFT_LEVELS];
    size_t n = 0;
    snprintf(sql, sizeof sql, "SELECT block FROM %s_data WHERE id = 10", table);
    db_stmt *s;
    if (db_query(d, &s, err, sql, "") != 0)
        return -1;
    int rc = db_step(s, err);
    if (rc == 1) {
        const void *p = db_col_blob(s, 0, &n);
        if (n > sizeof rec)
            n = 0; /* a structure of many segments: not a bulk-built index, leave it */
        else
            memcpy(rec, p, n);
    }
    db_done(s);
    if (rc < 0)
        return -1;
    size_t m = n ? fts_lift_record(rec, n, FTS_LIFT_LEVELS, lifted, sizeof lifted) : 0;
    if (m == 0)
        return 0;
    snprintf(sql, sizeof sql, "UPDATE %s_data SET block = ? WHERE id = 10", table);
    return db_run(d, NULL, err, sql, "b", lifted, m);
}
