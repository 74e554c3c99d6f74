/* sqlite_append.c — see sqlite_append.h. This unit is the vendored SQLite
 * amalgamation (included through the system include path, so its own code keeps
 * SQLite's warning settings) followed by the appender, which uses its b-tree layer. */
#include <sqlite3.c>

#include "db/sqlite_append.h"

/* A record's header holds one varint per column: 9 bytes at most each. */
#define APPEND_MAX_COLS 64

typedef struct append_index {
    Index *ix;
    KeyInfo *ki;
    BtCursor *cur;
    UnpackedRecord *probe; /* a unique index's key columns, to look for the same key */
} append_index;

struct sqlite_append {
    sqlite3 *db;
    Table *tab;
    int nval;                    /* values per row given to sqlite_append_row */
    int of_col[APPEND_MAX_COLS]; /* table column -> value index, or -1 */
    int rowid_val;               /* value index of the INTEGER PRIMARY KEY, or -1 */
    int file_format;             /* 4: the integers 0 and 1 take no body bytes */
    BtCursor *cur;
    i64 last; /* the largest rowid in the table */
    int nidx;
    append_index *idx;
    unsigned char *rec; /* the record being built */
    size_t cap;
    char num[APPEND_MAX_COLS][24]; /* integers given for TEXT columns, as text */
};

static int fail(sqlite3 *db, int rc, const char *fmt, const char *a, const char *b)
{
    sqlite3ErrorWithMsg(db, rc, fmt, a, b);
    return -1;
}

static BtCursor *cursor_new(void)
{
    BtCursor *c = sqlite3MallocZero(sqlite3BtreeCursorSize());
    if (c)
        sqlite3BtreeCursorZero(c);
    return c;
}

static void cursor_free(BtCursor *c)
{
    if (c) {
        sqlite3BtreeCloseCursor(c);
        sqlite3_free(c);
    }
}

void sqlite_append_close(sqlite_append *a)
{
    if (!a)
        return;
    for (int i = 0; i < a->nidx; i++) {
        cursor_free(a->idx[i].cur);
        if (a->idx[i].probe)
            sqlite3DbFree(a->db, a->idx[i].probe);
        sqlite3KeyInfoUnref(a->idx[i].ki);
    }
    sqlite3_free(a->idx);
    cursor_free(a->cur);
    sqlite3_free(a->rec);
    sqlite3_free(a);
}

/* The column list of an INSERT: names separated by commas, blanks around them. */
static int map_columns(sqlite_append *a, const char *cols)
{
    Table *t = a->tab;
    for (int i = 0; i < t->nCol; i++)
        a->of_col[i] = -1;
    a->rowid_val = -1;
    const char *p = cols;
    for (a->nval = 0;; a->nval++) {
        while (*p == ' ')
            p++;
        const char *name = p;
        while (*p && *p != ',' && *p != ' ')
            p++;
        int n = (int)(p - name);
        int col = -1;
        for (int i = 0; i < t->nCol && n; i++)
            if (sqlite3_strnicmp(t->aCol[i].zCnName, name, n) == 0 && t->aCol[i].zCnName[n] == 0)
                col = i;
        if (col < 0 || a->of_col[col] >= 0 || a->nval >= APPEND_MAX_COLS)
            return fail(a->db, SQLITE_ERROR, "appender: no column or a column twice in %s (%s)",
                        t->zName, cols);
        a->of_col[col] = a->nval;
        if (col == t->iPKey)
            a->rowid_val = a->nval;
        while (*p == ' ')
            p++;
        if (*p == 0)
            break;
        if (*p != ',')
            return fail(a->db, SQLITE_ERROR, "appender: bad column list for %s (%s)", t->zName,
                        cols);
        p++;
    }
    a->nval++;
    for (int i = 0; i < t->nCol; i++) {
        Column *c = &t->aCol[i];
        if (a->of_col[i] < 0 && i != t->iPKey && (c->iDflt || c->notNull))
            return fail(a->db, SQLITE_ERROR, "appender: column %s.%s has a default or NOT NULL",
                        t->zName, c->zCnName);
        if (c->affinity == SQLITE_AFF_REAL)
            return fail(a->db, SQLITE_ERROR, "appender: REAL column %s.%s", t->zName, c->zCnName);
    }
    return 0;
}

static int open_indexes(sqlite_append *a, Btree *bt)
{
    Table *t = a->tab;
    int n = 0;
    for (Index *ix = t->pIndex; ix; ix = ix->pNext)
        n++;
    a->idx = sqlite3MallocZero(sizeof *a->idx * (n ? n : 1));
    if (!a->idx)
        return fail(a->db, SQLITE_NOMEM, "%s%s", "out of memory", "");
    for (Index *ix = t->pIndex; ix; ix = ix->pNext) {
        if (ix->pPartIdxWhere || ix->nColumn > APPEND_MAX_COLS)
            return fail(a->db, SQLITE_ERROR, "appender: index %s is partial", ix->zName, "");
        for (int j = 0; j < ix->nKeyCol; j++)
            if (ix->aiColumn[j] == XN_EXPR)
                return fail(a->db, SQLITE_ERROR, "appender: index %s is on an expression",
                            ix->zName, "");
        Parse parse;
        sqlite3ParseObjectInit(&parse, a->db);
        KeyInfo *ki = sqlite3KeyInfoOfIndex(&parse, ix);
        sqlite3ParseObjectReset(&parse);
        append_index *e = &a->idx[a->nidx];
        if (!ki)
            return fail(a->db, SQLITE_ERROR, "appender: no key of index %s", ix->zName, "");
        e->ix = ix;
        e->ki = ki;
        a->nidx++;
        if (ix->onError != OE_None && !(e->probe = sqlite3VdbeAllocUnpackedRecord(ki)))
            return fail(a->db, SQLITE_NOMEM, "%s%s", "out of memory", "");
        e->cur = cursor_new();
        if (!e->cur)
            return fail(a->db, SQLITE_NOMEM, "%s%s", "out of memory", "");
        int rc = sqlite3BtreeCursor(bt, ix->tnum, BTREE_WRCSR, ki, e->cur);
        if (rc != SQLITE_OK) {
            sqlite3_free(e->cur);
            e->cur = NULL;
            return fail(a->db, rc, "appender: index %s: %s", ix->zName, sqlite3ErrStr(rc));
        }
    }
    return 0;
}

int sqlite_append_open(sqlite3 *db, const char *table, const char *cols, sqlite_append **out)
{
    *out = NULL;
    sqlite3_mutex_enter(db->mutex);
    sqlite_append *a = sqlite3MallocZero(sizeof *a);
    int rc = -1;
    if (!a) {
        fail(db, SQLITE_NOMEM, "%s%s", "out of memory", "");
        goto done;
    }
    a->db = db;
    Btree *bt = db->aDb[0].pBt;
    if (db->autoCommit || !bt || sqlite3BtreeTxnState(bt) != SQLITE_TXN_WRITE) {
        fail(db, SQLITE_MISUSE, "appender: %s%s", "no write transaction is open", "");
        goto done;
    }
    if (ENC(db) != SQLITE_UTF8) {
        fail(db, SQLITE_MISUSE, "appender: %s%s", "the database is not UTF-8", "");
        goto done;
    }
    Table *t = sqlite3FindTable(db, table, "main");
    /* triggers on UPDATE or DELETE do not fire; any TEMP trigger is refused */
    int insert_trigger = sqliteHashFirst(&db->aDb[1].pSchema->trigHash) != NULL;
    for (Trigger *tr = t ? t->pTrigger : NULL; tr; tr = tr->pNext)
        insert_trigger |= tr->op == TK_INSERT;
    if (!t || !IsOrdinaryTable(t) || !HasRowid(t) ||
        (t->tabFlags & (TF_Strict | TF_HasGenerated)) || t->pCheck || insert_trigger ||
        t->nCol > APPEND_MAX_COLS || ((db->flags & SQLITE_ForeignKeys) && t->u.tab.pFKey)) {
        fail(db, SQLITE_ERROR,
             "appender: %s is not a plain rowid table without checks, insert triggers or"
             " enforced foreign keys%s",
             table, "");
        goto done;
    }
    a->tab = t;
    a->file_format = t->pSchema->file_format;
    if (map_columns(a, cols) != 0)
        goto done;
    a->cur = cursor_new();
    if (!a->cur) {
        fail(db, SQLITE_NOMEM, "%s%s", "out of memory", "");
        goto done;
    }
    int src = sqlite3BtreeCursor(bt, t->tnum, BTREE_WRCSR, NULL, a->cur);
    if (src != SQLITE_OK) {
        sqlite3_free(a->cur);
        a->cur = NULL;
        fail(db, src, "appender: %s: %s", table, sqlite3ErrStr(src));
        goto done;
    }
    int empty = 0;
    src = sqlite3BtreeLast(a->cur, &empty);
    if (src != SQLITE_OK) {
        fail(db, src, "appender: %s: %s", table, sqlite3ErrStr(src));
        goto done;
    }
    a->last = empty ? 0 : sqlite3BtreeIntegerKey(a->cur);
    if (open_indexes(a, bt) != 0)
        goto done;
    *out = a;
    a = NULL;
    rc = 0;
done:
    sqlite_append_close(a);
    sqlite3_mutex_leave(db->mutex);
    return rc;
}

/* The serial type of an integer and the bytes it takes, as SQLite's record writer
 * chooses them (sqlite3VdbeSerialType). */
static u32 int_type(i64 i, int file_format, u32 *len)
{
    u64 u = i < 0 ? ~(u64)i : (u64)i;
    if (u <= 127) {
        if ((i & 1) == i && file_format >= 4) {
            *len = 0;
            return 8 + (u32)u;
        }
        *len = 1;
        return 1;
    }
    if (u <= 32767)
        return *len = 2, 2;
    if (u <= 8388607)
        return *len = 3, 3;
    if (u <= 2147483647)
        return *len = 4, 4;
    if (u <= ((((i64)0x00008000) << 32) - 1))
        return *len = 6, 5;
    return *len = 8, 6;
}

typedef struct field {
    u32 type, len;
    i64 i;
    const char *s;
} field;

static int grow(sqlite_append *a, size_t need)
{
    if (need <= a->cap)
        return 0;
    size_t cap = a->cap ? a->cap : 1024;
    while (cap < need)
        cap *= 2;
    if (cap > SQLITE_MAX_LENGTH)
        return fail(a->db, SQLITE_TOOBIG, "appender: a row of %s is too big%s", a->tab->zName, "");
    unsigned char *p = sqlite3Realloc(a->rec, cap);
    if (!p)
        return fail(a->db, SQLITE_NOMEM, "%s%s", "out of memory", "");
    a->rec = p;
    a->cap = cap;
    return 0;
}

/* Writes the record of n fields into a->rec; returns its size, or -1. */
static int record(sqlite_append *a, const field *f, int n)
{
    u64 hdr = 0, body = 0;
    for (int i = 0; i < n; i++) {
        hdr += (u64)sqlite3VarintLen(f[i].type);
        body += f[i].len;
    }
    /* the header's size counts its own varint (OP_MakeRecord) */
    int vl = sqlite3VarintLen(hdr);
    hdr += (u64)vl;
    if (vl < sqlite3VarintLen(hdr))
        hdr++;
    if (hdr + body > (u64)SQLITE_MAX_LENGTH || grow(a, (size_t)(hdr + body)) != 0)
        return -1;
    unsigned char *h = a->rec, *b = a->rec + hdr;
    h += sqlite3PutVarint(h, hdr);
    for (int i = 0; i < n; i++) {
        h += sqlite3PutVarint(h, f[i].type);
        if (f[i].type >= 12) {
            memcpy(b, f[i].s, f[i].len);
        } else {
            u64 v = (u64)f[i].i;
            for (u32 k = f[i].len; k > 0; k--) {
                b[k - 1] = (unsigned char)(v & 0xff);
                v >>= 8;
            }
        }
        b += f[i].len;
    }
    return (int)(hdr + body);
}

/* A unique index: whether an entry has the same key columns (the new key is in
 * a->rec), as INSERT's check does; NULL in a key column is never the same. On no
 * conflict *seek tells sqlite3BtreeInsert where the cursor was left. */
static int unique_probe(sqlite_append *a, append_index *e, const field *key, int kn, int *seek)
{
    Index *ix = e->ix;
    for (int j = 0; j < ix->nKeyCol; j++)
        if (key[j].type == 0)
            return 0;
    UnpackedRecord *u = e->probe;
    u->nField = ix->nKeyCol;
    sqlite3VdbeRecordUnpack(kn, a->rec, u);
    u->nField = ix->nKeyCol;
    u->default_rc = 0;
    u->eqSeen = 0;
    u->errCode = 0;
    int res = 0;
    int rc = sqlite3BtreeIndexMoveto(e->cur, u, &res);
    if (rc != SQLITE_OK)
        return fail(a->db, rc, "appender: index %s: %s", ix->zName, sqlite3ErrStr(rc));
    if (res == 0) {
        char cols[256] = "";
        size_t w = 0;
        for (int j = 0; j < ix->nKeyCol && w < sizeof cols; j++) {
            int c = ix->aiColumn[j];
            w += (size_t)snprintf(cols + w, sizeof cols - w, "%s%s.%s", j ? ", " : "",
                                  a->tab->zName, c < 0 ? "rowid" : a->tab->aCol[c].zCnName);
        }
        return fail(a->db, SQLITE_CONSTRAINT_UNIQUE, "UNIQUE constraint failed: %s%s", cols, "");
    }
    *seek = res;
    return 0;
}

int sqlite_append_row(sqlite_append *a, const sqlite_append_val *v)
{
    Table *t = a->tab;
    sqlite3 *db = a->db;
    field col[APPEND_MAX_COLS], key[APPEND_MAX_COLS + 1];
    int rc = -1;
    sqlite3_mutex_enter(db->mutex);
    i64 rowid;
    if (a->rowid_val >= 0 && v[a->rowid_val].type != 'n') {
        if (v[a->rowid_val].type != 'i' || v[a->rowid_val].i <= a->last) {
            fail(db, SQLITE_CONSTRAINT, "appender: rowid of %s not above the last one%s", t->zName,
                 "");
            goto done;
        }
        rowid = v[a->rowid_val].i;
    } else {
        if (a->last == LARGEST_INT64) {
            fail(db, SQLITE_FULL, "appender: no rowid left in %s%s", t->zName, "");
            goto done;
        }
        rowid = a->last + 1;
    }
    for (int i = 0; i < t->nCol; i++) {
        Column *c = &t->aCol[i];
        int j = a->of_col[i];
        field *f = &col[i];
        *f = (field){0};
        if (i == t->iPKey) /* the rowid itself: stored as NULL */
            continue;
        if (j < 0 || v[j].type == 'n' || (v[j].type == 's' && !v[j].s)) {
            if (c->notNull) {
                fail(db, SQLITE_CONSTRAINT_NOTNULL, "NOT NULL constraint failed: %s.%s", t->zName,
                     c->zCnName);
                goto done;
            }
            continue;
        }
        if (v[j].type == 'i' && c->affinity == SQLITE_AFF_TEXT) {
            int n = snprintf(a->num[i], sizeof a->num[i], "%lld", (long long)v[j].i);
            *f = (field){13 + 2 * (u32)n, (u32)n, 0, a->num[i]};
        } else if (v[j].type == 'i') {
            f->i = v[j].i;
            f->type = int_type(f->i, a->file_format, &f->len);
        } else if (v[j].type == 's' && v[j].len >= 0 && c->affinity != SQLITE_AFF_INTEGER &&
                   c->affinity != SQLITE_AFF_NUMERIC) {
            *f = (field){13 + 2 * (u32)v[j].len, (u32)v[j].len, 0, v[j].s};
        } else {
            fail(db, SQLITE_MISMATCH, "appender: value of %s.%s is not of the column's type",
                 t->zName, c->zCnName);
            goto done;
        }
    }
    /* the indexes first, then the table, as INSERT does (sqlite3CompleteInsertion):
     * pages are allocated in the same order, so the file is the same */
    int src;
    for (int k = 0; k < a->nidx; k++) {
        Index *ix = a->idx[k].ix;
        for (int j = 0; j < ix->nKeyCol; j++) {
            int c = ix->aiColumn[j];
            if (c == XN_ROWID || c == t->iPKey) {
                key[j] = (field){0, 0, rowid, NULL};
                key[j].type = int_type(rowid, a->file_format, &key[j].len);
            } else {
                key[j] = col[c];
            }
        }
        field *r = &key[ix->nKeyCol];
        *r = (field){0, 0, rowid, NULL};
        r->type = int_type(rowid, a->file_format, &r->len);
        int kn = record(a, key, ix->nKeyCol + 1);
        if (kn < 0)
            goto done;
        int seek = 0;
        if (a->idx[k].probe && unique_probe(a, &a->idx[k], key, kn, &seek) != 0)
            goto done;
        BtreePayload y = {0};
        y.pKey = a->rec;
        y.nKey = kn;
        src = sqlite3BtreeInsert(a->idx[k].cur, &y, BTREE_APPEND, seek);
        if (src != SQLITE_OK) {
            fail(db, src, "appender: index %s: %s", ix->zName, sqlite3ErrStr(src));
            goto done;
        }
    }
    int n = record(a, col, t->nCol);
    if (n < 0)
        goto done;
    BtreePayload x = {0};
    x.nKey = rowid;
    x.pData = a->rec;
    x.nData = n;
    src = sqlite3BtreeInsert(a->cur, &x, BTREE_APPEND, 0);
    if (src != SQLITE_OK) {
        fail(db, src, "appender: %s: %s", t->zName, sqlite3ErrStr(src));
        goto done;
    }
    a->last = rowid;
    rc = 0;
done:
    sqlite3_mutex_leave(db->mutex);
    return rc;
}
