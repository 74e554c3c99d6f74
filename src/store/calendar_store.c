#include "store/calendar_store.h"
#include "util/clock.h"

int calendar_store_load(db *d, calendar *cal, tj_err *err)
{
    calendar_init(cal);
    db_stmt *s;
    if (db_query(d, &s, err, "SELECT day, working, note FROM calendar_overrides ORDER BY day",
                 "") != 0)
        return -1;
    int rc;
    while ((rc = db_step(s, err)) == 1) {
        tj_date day;
        tj_err e;
        /* a row that no longer validates is a broken database, not a bad request */
        if (date_parse(db_col_text(s, 0), &day, NULL, &e) != 0 ||
            calendar_set_override(cal, day, db_col_int(s, 1) != 0, db_col_text(s, 2), &e) != 0) {
            err_set(err, 500, "internal", NULL, "工作日历数据无效（%s）：%s", db_col_text(s, 0),
                    e.msg);
            db_done(s);
            return -1;
        }
    }
    db_done(s);
    return rc < 0 ? -1 : 0;
}

int calendar_store_set(db *d, const char *date, bool working, const char *note, int64_t updated_by,
                       tj_err *err)
{
    char now[21];
    clock_iso(clock_unix(), now);
    /* delete + insert inside the caller's transaction: an upsert both engines spell alike */
    if (db_run(d, NULL, err, "DELETE FROM calendar_overrides WHERE day = ?", "s", date) != 0)
        return -1;
    return db_run(d, NULL, err,
                  "INSERT INTO calendar_overrides(day, working, note, updated_by, updated_at)"
                  " VALUES (?,?,?,?,?)",
                  "sisIs", date, (int64_t)working, note ? note : "", updated_by, now);
}

int calendar_store_delete(db *d, const char *date, bool *found, tj_err *err)
{
    int64_t n = 0;
    if (db_run(d, &n, err, "DELETE FROM calendar_overrides WHERE day = ?", "s", date) != 0)
        return -1;
    *found = n > 0;
    return 0;
}
