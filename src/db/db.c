#include "db/db.h"

#include <pthread.h>
#include <stdarg.h>
#include <string.h>

int db_open(db **out, const char *url, tj_err *err)
{
    *out = NULL;
    if (!url || !*url)
        return err_set(err, 500, "config", NULL, "未配置数据库（--db 或 TIAOJIE_DB）");
    if (strncmp(url, "postgres://", 11) == 0 || strncmp(url, "postgresql://", 13) == 0)
        return err_set(err, 500, "config", NULL,
                       "本版本尚未包含 PostgreSQL 引擎，请使用 SQLite 数据库文件路径");
    return db_sqlite_open(out, url, err);
}

void db_close(db *d)
{
    if (d)
        d->vt->close(d);
}

enum db_engine db_engine_of(const db *d)
{
    return d->vt->engine;
}

const char *db_engine_name(const db *d)
{
    return d->vt->name;
}

bool db_in_tx(const db *d)
{
    return d->in_tx;
}

int db_begin(db *d, bool write, tj_err *err)
{
    if (d->in_tx)
        return err_set(err, 500, "internal", NULL, "事务嵌套");
    int rc;
    if (write)
        rc = d->vt->write_begin(d, err);
    else
        rc = d->vt->exec(d,
                         d->vt->engine == DB_SQLITE ? "BEGIN DEFERRED"
                                                    : "BEGIN ISOLATION LEVEL REPEATABLE READ",
                         err);
    if (rc != 0)
        return -1;
    d->in_tx = true;
    d->in_write = write;
    return 0;
}

int db_commit(db *d, tj_err *err)
{
    if (!d->in_tx)
        return err_set(err, 500, "internal", NULL, "没有进行中的事务");
    bool write = d->in_write;
    d->in_tx = d->in_write = false;
    if (write)
        return d->vt->write_end(d, true, err);
    if (d->vt->exec(d, "COMMIT", err) != 0) {
        d->vt->exec(d, "ROLLBACK", NULL);
        return -1;
    }
    return 0;
}

void db_rollback(db *d)
{
    if (!d->in_tx)
        return;
    bool write = d->in_write;
    d->in_tx = d->in_write = false;
    if (write)
        d->vt->write_end(d, false, NULL);
    else
        d->vt->exec(d, "ROLLBACK", NULL);
}

int db_exec(db *d, const char *sql, tj_err *err)
{
    return d->vt->exec(d, sql, err);
}

static int bind_va(db *d, db_stmt *s, const char *fmt, va_list ap)
{
    int idx = 1;
    for (const char *f = fmt; f && *f; f++, idx++) {
        int rc;
        switch (*f) {
        case 'i':
            rc = d->vt->bind_int(s, idx, va_arg(ap, int64_t));
            break;
        case 'I': {
            int64_t v = va_arg(ap, int64_t);
            rc = v ? d->vt->bind_int(s, idx, v) : d->vt->bind_null(s, idx);
            break;
        }
        case 'd':
            rc = d->vt->bind_double(s, idx, va_arg(ap, double));
            break;
        case 's': {
            const char *v = va_arg(ap, const char *);
            rc = v ? d->vt->bind_text(s, idx, v) : d->vt->bind_null(s, idx);
            break;
        }
        case 'b': {
            const void *p = va_arg(ap, const void *);
            size_t n = va_arg(ap, size_t);
            rc = d->vt->bind_blob(s, idx, p, n);
            break;
        }
        case 'n':
            rc = d->vt->bind_null(s, idx);
            break;
        default:
            rc = -1;
        }
        if (rc != 0)
            return -1;
    }
    return 0;
}

static int query_va(db *d, db_stmt **out, tj_err *err, const char *sql, const char *fmt, va_list ap)
{
    db_stmt *s;
    if (d->vt->prepare(d, sql, &s, err) != 0)
        return -1;
    if ((size_t)d->vt->param_count(s) != strlen(fmt ? fmt : "")) {
        d->vt->reset(s);
        return err_set(err, 500, "internal", NULL, "SQL 参数个数与格式不符：%s", sql);
    }
    if (bind_va(d, s, fmt, ap) != 0) {
        d->vt->reset(s);
        return err_set(err, 500, "internal", NULL, "参数绑定失败：%s", sql);
    }
    *out = s;
    return 0;
}

int db_query(db *d, db_stmt **out, tj_err *err, const char *sql, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = query_va(d, out, err, sql, fmt, ap);
    va_end(ap);
    return rc;
}

int db_query_args(db *d, db_stmt **out, tj_err *err, const char *sql, const db_arg *args, int n)
{
    db_stmt *s;
    if (d->vt->prepare(d, sql, &s, err) != 0)
        return -1;
    if (d->vt->param_count(s) != n) {
        d->vt->reset(s);
        return err_set(err, 500, "internal", NULL, "SQL 参数个数不符：%s", sql);
    }
    for (int i = 0; i < n; i++) {
        int rc;
        if (args[i].type == 'i')
            rc = d->vt->bind_int(s, i + 1, args[i].i);
        else if (args[i].type == 's' && args[i].s)
            rc = d->vt->bind_text(s, i + 1, args[i].s);
        else
            rc = d->vt->bind_null(s, i + 1);
        if (rc != 0) {
            d->vt->reset(s);
            return err_set(err, 500, "internal", NULL, "参数绑定失败：%s", sql);
        }
    }
    *out = s;
    return 0;
}

/* Statements remember their connection through the engine; db_step and friends
 * dispatch through a per-statement vtable pointer stored by the engine as the
 * first member of its statement struct. */
struct db_stmt_head {
    const struct db_vtab *vt;
};

int db_step(db_stmt *s, tj_err *err)
{
    return ((struct db_stmt_head *)s)->vt->step(s, err);
}

void db_done(db_stmt *s)
{
    if (s)
        ((struct db_stmt_head *)s)->vt->reset(s);
}

#define VT(s) (((struct db_stmt_head *)(s))->vt)
int db_col_count(db_stmt *s)
{
    return VT(s)->col_count(s);
}
bool db_col_null(db_stmt *s, int i)
{
    return VT(s)->col_null(s, i);
}
int64_t db_col_int(db_stmt *s, int i)
{
    return VT(s)->col_int(s, i);
}
double db_col_double(db_stmt *s, int i)
{
    return VT(s)->col_double(s, i);
}
const char *db_col_text(db_stmt *s, int i)
{
    return VT(s)->col_text(s, i);
}
const void *db_col_blob(db_stmt *s, int i, size_t *len)
{
    return VT(s)->col_blob(s, i, len);
}
const char *db_col_name(db_stmt *s, int i)
{
    return VT(s)->col_name(s, i);
}

enum db_kind db_col_kind(db_stmt *s, int i)
{
    return VT(s)->col_kind(s, i);
}

json_t *db_row_json(db_stmt *s)
{
    json_t *o = json_object();
    int n = db_col_count(s);
    for (int i = 0; i < n; i++) {
        json_t *v;
        switch (db_col_kind(s, i)) {
        case DB_NULL:
            v = json_null();
            break;
        case DB_INT:
            v = json_integer(db_col_int(s, i));
            break;
        case DB_FLOAT:
            v = json_real(db_col_double(s, i));
            break;
        default:
            v = json_string(db_col_text(s, i));
        }
        json_object_set_new(o, db_col_name(s, i), v);
    }
    return o;
}

void db_col_jw(db_stmt *s, int i, jw *w)
{
    switch (db_col_kind(s, i)) {
    case DB_NULL:
        jw_null(w);
        break;
    case DB_INT:
        jw_int(w, db_col_int(s, i));
        break;
    case DB_FLOAT:
        jw_real(w, db_col_double(s, i));
        break;
    default:
        jw_str(w, db_col_text(s, i));
    }
}

void db_cols_jw(db_stmt *s, jw *w)
{
    int n = db_col_count(s);
    for (int i = 0; i < n; i++) {
        jw_key(w, db_col_name(s, i));
        db_col_jw(s, i, w);
    }
}

void db_row_jw(db_stmt *s, jw *w)
{
    jw_obj(w);
    db_cols_jw(s, w);
    jw_obj_end(w);
}

int db_rows_json(db_stmt *s, json_t **out, tj_err *err)
{
    json_t *arr = json_array();
    int rc;
    while ((rc = db_step(s, err)) == 1)
        json_array_append_new(arr, db_row_json(s));
    db_done(s);
    if (rc < 0) {
        json_decref(arr);
        return -1;
    }
    *out = arr;
    return 0;
}

int db_scalar_int(db *d, int64_t *out, bool *found, tj_err *err, const char *sql, const char *fmt,
                  ...)
{
    db_stmt *s;
    va_list ap;
    va_start(ap, fmt);
    int rc = query_va(d, &s, err, sql, fmt, ap);
    va_end(ap);
    if (rc != 0)
        return -1;
    rc = db_step(s, err);
    if (found)
        *found = rc == 1;
    if (rc == 1)
        *out = db_col_int(s, 0);
    db_done(s);
    return rc < 0 ? -1 : 0;
}

int db_run(db *d, int64_t *changes, tj_err *err, const char *sql, const char *fmt, ...)
{
    db_stmt *s;
    va_list ap;
    va_start(ap, fmt);
    int rc = query_va(d, &s, err, sql, fmt, ap);
    va_end(ap);
    if (rc != 0)
        return -1;
    do
        rc = db_step(s, err);
    while (rc == 1);
    db_done(s);
    if (rc < 0)
        return -1;
    if (changes)
        *changes = d->vt->changes(d);
    return 0;
}

static char *thread_url;
static pthread_key_t thread_key;
static pthread_once_t thread_once = PTHREAD_ONCE_INIT;

static void thread_db_free(void *p)
{
    db_close(p);
}

static void thread_key_init(void)
{
    pthread_key_create(&thread_key, thread_db_free);
}

void db_thread_configure(const char *url)
{
    thread_url = (char *)url;
    pthread_once(&thread_once, thread_key_init);
}

db *db_thread(tj_err *err)
{
    pthread_once(&thread_once, thread_key_init);
    db *d = pthread_getspecific(thread_key);
    if (!d) {
        if (db_open(&d, thread_url, err) != 0)
            return NULL;
        /* the server checkpoints on its upkeep thread (app/maintain.c): a request
         * checkpoints only if the WAL ever reaches ~80 MB */
        if (d->vt->engine == DB_SQLITE)
            db_exec(d, "PRAGMA wal_autocheckpoint=20000", NULL);
        pthread_setspecific(thread_key, d);
    }
    return d;
}

void db_thread_close(void)
{
    db *d = pthread_getspecific(thread_key);
    if (d) {
        pthread_setspecific(thread_key, NULL);
        db_close(d);
    }
}
