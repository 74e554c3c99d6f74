/* sqlite_append.c — see sqlite_append.h. This unit is the vendored SQLite
 * amalgamation (included through the system include path, so its own code keeps
 * SQLite's warning settings) followed by the appender, which uses its b-tree layer. */
#include <sqlite3.c>

#include "db/sqlite_append.h"

/* A record's header holds one varint per column: 9 bytes at most each. */
#define APPEND_MAX_COLS 64

typedef struct bulk_tree bulk_tree;

typedef struct append_index {
    Index *ix;
    KeyInfo *ki;
    BtCursor *cur;
    UnpackedRecord *probe; /* a unique index's key columns, to look for the same key */
    bulk_tree *tree;       /* bulk mode: the index being built */
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
    /* bulk mode (sqlite_append_open_bulk) */
    BtShared *bt;
    bulk_tree *tree; /* the table being built, or NULL: not in bulk mode */
    u8 *ovfl;        /* an overflow page being written */
};

static void tree_free(sqlite3 *db, bulk_tree *t);

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
        tree_free(a->db, a->idx[i].tree);
        cursor_free(a->idx[i].cur);
        if (a->idx[i].probe)
            sqlite3DbFree(a->db, a->idx[i].probe);
        sqlite3KeyInfoUnref(a->idx[i].ki);
    }
    sqlite3_free(a->idx);
    tree_free(a->db, a->tree);
    sqlite3_free(a->ovfl);
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

/* INSERT's message for a key a unique index already holds. */
static int unique_failed(sqlite_append *a, Index *ix)
{
    char cols[256] = "";
    size_t w = 0;
    for (int j = 0; j < ix->nKeyCol && w < sizeof cols; j++) {
        int c = ix->aiColumn[j];
        w += (size_t)snprintf(cols + w, sizeof cols - w, "%s%s.%s", j ? ", " : "", a->tab->zName,
                              c < 0 ? "rowid" : a->tab->aCol[c].zCnName);
    }
    return fail(a->db, SQLITE_CONSTRAINT_UNIQUE, "UNIQUE constraint failed: %s%s", cols, "");
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
    if (res == 0)
        return unique_failed(a, ix);
    *seek = res;
    return 0;
}

/* ---- Bulk mode: the b-trees written page by page ----------------------------------
 *
 * Rows arrive in rowid order and each index's entries in its key order, so every tree
 * is built bottom-up: a page is filled, written once at the end of the file, and its
 * key handed to the level above; at the end the top page of each tree goes into the
 * root page CREATE made for it. No page passes through SQLite's page cache. Pages are
 * numbered as SQLite's own allocator would number new pages (the btree's page count
 * and the pager's database size grow together), so SQLite's later allocations, in the
 * same transaction or the next, land after them. */

#define BULK_LEVELS 24 /* a tree of 4 KB pages is never deeper than ~10 */

typedef struct blevel {
    u8 *d;      /* page image, pageSize bytes */
    u8 *mv;     /* index: the cell last taken off this level, on its way up */
    int n, top; /* cells, start of their content */
    Pgno pend;  /* table interior: the child not yet given a cell, or 0 */
    i64 pend_key;
} blevel;

struct bulk_tree {
    int index; /* an index b-tree (entries are keys), else a table b-tree */
    Pgno root;
    int nlev;
    blevel lev[BULK_LEVELS];
    i64 leaf_max; /* table: the largest rowid on the leaf being filled */
    u8 *cell;     /* the cell being built */
    u8 *prev;     /* index: the previous entry, for the order check */
    int nprev;
    size_t prev_cap;
    UnpackedRecord *u;
};

static int hdr_of(const bulk_tree *t, int k)
{
    return k ? 12 : 8;
}

static void lev_init(sqlite_append *a, bulk_tree *t, int k)
{
    blevel *l = &t->lev[k];
    memset(l->d, 0, a->bt->pageSize);
    l->d[0] = t->index ? (k ? 0x02 : 0x0a) : (k ? 0x05 : 0x0d);
    l->n = 0;
    l->top = (int)a->bt->usableSize;
    l->pend = 0;
}

static int lev_fits(const bulk_tree *t, int k, int sz)
{
    const blevel *l = &t->lev[k];
    return hdr_of(t, k) + 2 * (l->n + 1) <= l->top - sz;
}

static void lev_add(bulk_tree *t, int k, const u8 *cell, int sz)
{
    blevel *l = &t->lev[k];
    l->top -= sz;
    memcpy(l->d + l->top, cell, (size_t)sz);
    put2byte(l->d + hdr_of(t, k) + 2 * l->n, l->top);
    l->n++;
}

/* Takes the last cell off level k's page into out; returns its size. */
static int lev_pop(sqlite_append *a, bulk_tree *t, int k, u8 *out)
{
    blevel *l = &t->lev[k];
    int end = l->n > 1 ? get2byte(l->d + hdr_of(t, k) + 2 * (l->n - 2)) : (int)a->bt->usableSize;
    int sz = end - l->top;
    memcpy(out, l->d + l->top, (size_t)sz);
    memset(l->d + l->top, 0, (size_t)sz);
    put2byte(l->d + hdr_of(t, k) + 2 * (l->n - 1), 0);
    l->top = end;
    l->n--;
    return sz;
}

static void lev_seal(bulk_tree *t, int k, Pgno right)
{
    blevel *l = &t->lev[k];
    put2byte(l->d + 3, l->n);
    put2byte(l->d + 5, l->top);
    if (k)
        put4byte(l->d + 8, right);
}

static int bulk_alloc(sqlite_append *a, Pgno *out)
{
    BtShared *bt = a->bt;
    if (sqlite3BtreeTxnState(a->db->aDb[0].pBt) != SQLITE_TXN_WRITE)
        return fail(a->db, SQLITE_MISUSE, "appender: %s%s", "no write transaction is open", "");
    Pgno p = bt->nPage + 1;
    if (p == PENDING_BYTE_PAGE(bt))
        p++;
    if (p > sqlite3PagerMaxPageCount(bt->pPager, 0))
        return fail(a->db, SQLITE_FULL, "appender: %s%s", "database or disk is full", "");
    /* as allocateBtreePage: the header's page count (which the next transaction
     * believes) and the pager's size follow the btree's */
    int rc = sqlite3PagerWrite(bt->pPage1->pDbPage);
    if (rc != SQLITE_OK)
        return fail(a->db, rc, "appender: %s%s", sqlite3ErrStr(rc), "");
    bt->nPage = p;
    put4byte(28 + (u8 *)bt->pPage1->aData, p);
    Pager *pg = bt->pPager;
    if (pg->dbSize < p)
        pg->dbSize = p;
    *out = p;
    return 0;
}

static int bulk_write(sqlite_append *a, Pgno p, const u8 *d)
{
    int rc = sqlite3OsWrite(sqlite3PagerFile(a->bt->pPager), d, (int)a->bt->pageSize,
                            (i64)(p - 1) * a->bt->pageSize);
    return rc == SQLITE_OK ? 0 : fail(a->db, rc, "appender: %s%s", sqlite3ErrStr(rc), "");
}

static int bulk_new_page(sqlite_append *a, const u8 *d, Pgno *out)
{
    return bulk_alloc(a, out) == 0 && bulk_write(a, *out, d) == 0 ? 0 : -1;
}

/* The top page of a tree into its root, through the pager (which may hold the root). */
static int bulk_root(sqlite_append *a, bulk_tree *t, const u8 *d)
{
    DbPage *pg = NULL;
    int rc = sqlite3PagerGet(a->bt->pPager, t->root, &pg, 0);
    if (rc == SQLITE_OK)
        rc = sqlite3PagerWrite(pg);
    if (rc == SQLITE_OK) {
        memcpy(sqlite3PagerGetData(pg), d, a->bt->pageSize);
        ((MemPage *)sqlite3PagerGetExtra(pg))->isInit = 0;
    }
    if (pg)
        sqlite3PagerUnref(pg);
    return rc == SQLITE_OK ? 0 : fail(a->db, rc, "appender: %s%s", sqlite3ErrStr(rc), "");
}

/* The payload part of a cell at c (header bytes already there, h of them): what stays
 * on the page, and the rest in a chain of overflow pages written now. Returns the
 * cell's size (4 at least, as SQLite's), or -1. */
static int bulk_payload(sqlite_append *a, bulk_tree *t, u8 *c, int h, const u8 *rec, int n)
{
    BtShared *bt = a->bt;
    int maxl = t->index ? bt->maxLocal : bt->maxLeaf;
    int minl = t->index ? bt->minLocal : bt->minLeaf;
    int local = n;
    if (n > maxl) {
        local = minl + (n - minl) % (int)(bt->usableSize - 4);
        if (local > maxl)
            local = minl;
    }
    memcpy(c + h, rec, (size_t)local);
    int sz = h + local;
    if (local < n) {
        Pgno cur;
        if (bulk_alloc(a, &cur) != 0)
            return -1;
        put4byte(c + sz, cur);
        sz += 4;
        int at = local, chunk = (int)bt->usableSize - 4;
        while (at < n) {
            int m = n - at < chunk ? n - at : chunk;
            Pgno next = 0;
            if (at + m < n && bulk_alloc(a, &next) != 0)
                return -1;
            memset(a->ovfl, 0, bt->pageSize);
            put4byte(a->ovfl, next);
            memcpy(a->ovfl + 4, rec + at, (size_t)m);
            if (bulk_write(a, cur, a->ovfl) != 0)
                return -1;
            at += m;
            cur = next;
        }
    }
    if (sz < 4) {
        memset(c + sz, 0, (size_t)(4 - sz));
        sz = 4;
    }
    return sz;
}

/* Level k of a tree, started if it is the first page of a new level above the top. */
static int lev_open(sqlite_append *a, bulk_tree *t, int k)
{
    if (k >= BULK_LEVELS)
        return fail(a->db, SQLITE_FULL, "appender: %s%s", "tree too deep", "");
    if (k == t->nlev) {
        lev_init(a, t, k);
        t->nlev = k + 1;
    }
    return 0;
}

/* Table trees: level k (>= 1) is given child p, whose subtree's largest rowid is key.
 * A child gets its cell when the next one arrives (the last is the right pointer); a
 * full page keeps its last cell's child as its right pointer and hands that cell on,
 * so that every page, the last of each level too, has a cell. */
static int table_child(sqlite_append *a, bulk_tree *t, int k, Pgno p, i64 key)
{
    if (lev_open(a, t, k) != 0)
        return -1;
    blevel *l = &t->lev[k];
    if (!l->pend) {
        l->pend = p;
        l->pend_key = key;
        return 0;
    }
    u8 cell[13];
    put4byte(cell, l->pend);
    int sz = 4 + sqlite3PutVarint(cell + 4, (u64)l->pend_key);
    if (!lev_fits(t, k, sz)) {
        u8 out[16];
        lev_pop(a, t, k, out);
        Pgno last = get4byte(out), pg;
        u64 lkey;
        sqlite3GetVarint(out + 4, &lkey);
        lev_seal(t, k, last);
        if (bulk_new_page(a, l->d, &pg) != 0 || table_child(a, t, k + 1, pg, (i64)lkey) != 0)
            return -1;
        lev_init(a, t, k);
    }
    lev_add(t, k, cell, sz);
    l->pend = p;
    l->pend_key = key;
    return 0;
}

static int table_row(sqlite_append *a, bulk_tree *t, i64 rowid, const u8 *rec, int n)
{
    u8 *c = t->cell;
    int h = sqlite3PutVarint(c, (u64)n);
    h += sqlite3PutVarint(c + h, (u64)rowid);
    int sz = bulk_payload(a, t, c, h, rec, n);
    if (sz < 0)
        return -1;
    if (!lev_fits(t, 0, sz)) {
        Pgno pg;
        lev_seal(t, 0, 0);
        if (bulk_new_page(a, t->lev[0].d, &pg) != 0)
            return -1;
        lev_init(a, t, 0);
        if (table_child(a, t, 1, pg, t->leaf_max) != 0)
            return -1;
    }
    lev_add(t, 0, c, sz);
    t->leaf_max = rowid;
    return 0;
}

/* The size of an index cell's body (payload size, local payload, overflow pointer) at
 * c, without the padding a leaf cell may carry. */
static int idx_body(sqlite_append *a, const u8 *c)
{
    BtShared *bt = a->bt;
    u32 n;
    int h = getVarint32(c, n);
    int local = (int)n;
    if ((int)n > bt->maxLocal) {
        local = bt->minLocal + ((int)n - bt->minLocal) % (int)(bt->usableSize - 4);
        if (local > bt->maxLocal)
            local = bt->minLocal;
        return h + local + 4;
    }
    return h + local;
}

/* Index trees: level k (>= 1) is given child p and the entry that follows all of p's
 * (body: an index cell without its child pointer). A full page keeps its last cell's
 * child as its right pointer and hands that cell's entry on, so that the entry passed
 * up always has pages on both sides. */
static int index_sep(sqlite_append *a, bulk_tree *t, int k, Pgno p, const u8 *body, int bn)
{
    if (lev_open(a, t, k) != 0)
        return -1;
    blevel *l = &t->lev[k];
    u8 *c = l->mv + a->bt->pageSize; /* the second half: the cell being added */
    put4byte(c, p);
    memcpy(c + 4, body, (size_t)bn);
    if (!lev_fits(t, k, 4 + bn)) {
        lev_pop(a, t, k, l->mv);
        Pgno pg;
        lev_seal(t, k, get4byte(l->mv));
        if (bulk_new_page(a, l->d, &pg) != 0 ||
            index_sep(a, t, k + 1, pg, l->mv + 4, idx_body(a, l->mv + 4)) != 0)
            return -1;
        lev_init(a, t, k);
    }
    lev_add(t, k, c, 4 + bn);
    return 0;
}

static int index_entry(sqlite_append *a, bulk_tree *t, const u8 *rec, int n)
{
    u8 *c = t->cell;
    int h = sqlite3PutVarint(c, (u64)n);
    int sz = bulk_payload(a, t, c, h, rec, n);
    if (sz < 0)
        return -1;
    if (!lev_fits(t, 0, sz)) {
        blevel *l = &t->lev[0];
        lev_pop(a, t, 0, l->mv);
        Pgno pg;
        lev_seal(t, 0, 0);
        if (bulk_new_page(a, l->d, &pg) != 0 ||
            index_sep(a, t, 1, pg, l->mv, idx_body(a, l->mv)) != 0)
            return -1;
        lev_init(a, t, 0);
    }
    lev_add(t, 0, c, sz);
    return 0;
}

/* Writes what is left of each level, the top page into the root. */
static int tree_finish(sqlite_append *a, bulk_tree *t)
{
    Pgno child = 0;
    for (int k = 0; k < t->nlev; k++) {
        blevel *l = &t->lev[k];
        if (k && !t->index)
            child = l->pend; /* a table level's last child: its right pointer */
        if (k && l->n == 0)
            return fail(a->db, SQLITE_INTERNAL, "appender: %s%s", "interior page without cells",
                        "");
        lev_seal(t, k, child);
        if (k == t->nlev - 1)
            return bulk_root(a, t, l->d);
        if (bulk_new_page(a, l->d, &child) != 0)
            return -1;
        if (!t->index && table_child(a, t, k + 1, child, k ? l->pend_key : t->leaf_max) != 0)
            return -1;
    }
    return 0;
}

static void tree_free(sqlite3 *db, bulk_tree *t)
{
    if (!t)
        return;
    for (int k = 0; k < BULK_LEVELS; k++) {
        sqlite3_free(t->lev[k].d);
        sqlite3_free(t->lev[k].mv);
    }
    sqlite3_free(t->cell);
    sqlite3_free(t->prev);
    if (t->u)
        sqlite3DbFree(db, t->u);
    sqlite3_free(t);
}

static bulk_tree *tree_new(sqlite_append *a, int index, Pgno root)
{
    bulk_tree *t = sqlite3MallocZero(sizeof *t);
    if (!t)
        return NULL;
    t->index = index;
    t->root = root;
    u32 ps = a->bt->pageSize;
    int ok = (t->cell = sqlite3MallocZero(ps)) != NULL;
    for (int k = 0; k < BULK_LEVELS && ok; k++)
        ok = (t->lev[k].d = sqlite3MallocZero(ps)) &&
             (!index || (t->lev[k].mv = sqlite3MallocZero(2 * ps)));
    if (!ok) {
        tree_free(a->db, t);
        return NULL;
    }
    lev_init(a, t, 0);
    t->nlev = 1;
    return t;
}

/* Whether the b-tree at cursor c holds nothing. */
static int tree_empty(sqlite_append *a, BtCursor *c, int *empty)
{
    int rc = sqlite3BtreeFirst(c, empty);
    return rc == SQLITE_OK ? 0 : fail(a->db, rc, "appender: %s%s", sqlite3ErrStr(rc), "");
}

int sqlite_append_open_bulk(sqlite3 *db, const char *table, const char *cols, sqlite_append **out)
{
    if (sqlite_append_open(db, table, cols, out) != 0)
        return -1;
    sqlite_append *a = *out;
    sqlite3_mutex_enter(db->mutex);
    a->bt = db->aDb[0].pBt->pBt;
    int empty = 0;
    if (a->bt->autoVacuum) {
        fail(db, SQLITE_MISUSE, "appender: %s is in an auto-vacuum database%s", table, "");
        goto fail;
    }
    if (tree_empty(a, a->cur, &empty) != 0)
        goto fail;
    if (!empty) {
        fail(db, SQLITE_MISUSE, "appender: %s is not empty%s", table, "");
        goto fail;
    }
    for (int k = 0; k < a->nidx; k++) {
        append_index *e = &a->idx[k];
        if (tree_empty(a, e->cur, &empty) != 0)
            goto fail;
        if (!empty) {
            fail(db, SQLITE_MISUSE, "appender: index %s is not empty%s", e->ix->zName, "");
            goto fail;
        }
        /* no cursor stays open: the appender lives across commits */
        cursor_free(e->cur);
        e->cur = NULL;
        if (!(e->tree = tree_new(a, 1, e->ix->tnum)) ||
            !(e->tree->u = sqlite3VdbeAllocUnpackedRecord(e->ki))) {
            fail(db, SQLITE_NOMEM, "%s%s", "out of memory", "");
            goto fail;
        }
    }
    cursor_free(a->cur);
    a->cur = NULL;
    if (!(a->tree = tree_new(a, 0, a->tab->tnum)) ||
        !(a->ovfl = sqlite3MallocZero(a->bt->pageSize))) {
        fail(db, SQLITE_NOMEM, "%s%s", "out of memory", "");
        goto fail;
    }
    sqlite3_mutex_leave(db->mutex);
    return 0;
fail:
    sqlite3_mutex_leave(db->mutex);
    sqlite_append_close(a);
    *out = NULL;
    return -1;
}

/* Bulk mode: an index's entry (in a->rec, n bytes; key its columns) after the one
 * before it, or -1. In order, a unique index's key can only repeat the one before. */
static int bulk_index(sqlite_append *a, append_index *e, const field *key, int n)
{
    bulk_tree *t = e->tree;
    if (t->nprev) {
        UnpackedRecord *u = t->u;
        u->nField = e->ix->nColumn; /* the fields unpacked, then those compared */
        sqlite3VdbeRecordUnpack(n, a->rec, u);
        u->nField = e->ix->nColumn;
        u->default_rc = 0;
        u->eqSeen = 0;
        u->errCode = 0;
        if (sqlite3VdbeRecordCompare(t->nprev, t->prev, u) >= 0)
            return fail(a->db, SQLITE_MISUSE, "appender: index %s: entries not in order%s",
                        e->ix->zName, "");
        int nulls = 0;
        for (int j = 0; j < e->ix->nKeyCol; j++)
            nulls |= key[j].type == 0;
        if (e->ix->onError != OE_None && !nulls) {
            u->nField = e->ix->nKeyCol;
            if (sqlite3VdbeRecordCompare(t->nprev, t->prev, u) == 0)
                return unique_failed(a, e->ix);
        }
    }
    if ((size_t)n > t->prev_cap) {
        u8 *p = sqlite3Realloc(t->prev, (u64)n * 2);
        if (!p)
            return fail(a->db, SQLITE_NOMEM, "%s%s", "out of memory", "");
        t->prev = p;
        t->prev_cap = (size_t)n * 2;
    }
    memcpy(t->prev, a->rec, (size_t)n);
    t->nprev = n;
    return index_entry(a, t, a->rec, n);
}

int sqlite_append_finish(sqlite_append *a)
{
    if (!a->tree)
        return 0;
    sqlite3_mutex_enter(a->db->mutex);
    int rc = 0;
    for (int k = 0; k < a->nidx && rc == 0; k++)
        rc = tree_finish(a, a->idx[k].tree);
    if (rc == 0)
        rc = tree_finish(a, a->tree);
    for (int k = 0; k < a->nidx; k++) {
        tree_free(a->db, a->idx[k].tree);
        a->idx[k].tree = NULL;
    }
    tree_free(a->db, a->tree);
    a->tree = NULL;
    sqlite3_mutex_leave(a->db->mutex);
    return rc;
}

int sqlite_append_row(sqlite_append *a, const sqlite_append_val *v)
{
    Table *t = a->tab;
    sqlite3 *db = a->db;
    field col[APPEND_MAX_COLS], key[APPEND_MAX_COLS + 1];
    int rc = -1;
    sqlite3_mutex_enter(db->mutex);
    if (a->bt && !a->tree) {
        fail(db, SQLITE_MISUSE, "appender: %s is finished%s", t->zName, "");
        goto done;
    }
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
        if (a->tree) {
            if (bulk_index(a, &a->idx[k], key, kn) != 0)
                goto done;
            continue;
        }
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
    if (a->tree) {
        if (table_row(a, a->tree, rowid, a->rec, n) != 0)
            goto done;
        a->last = rowid;
        rc = 0;
        goto done;
    }
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
