/* bulkvfs.c — a SQLite VFS for bulk loads (tiaojie gen): the default unix VFS with
 * the main database file's writes gathered into large sequential writes.
 *
 * SQLite writes a database one 4 KB page per pwrite. On the 2-core virtual machines
 * this project is measured on, the kernel's buffered write path costs ~3 µs of CPU per
 * 4 KB call (copying into fresh page-cache folios, dirty accounting), so the 6.4 GB of
 * a million generated cases cost ~20 s of system time: `dd bs=4k` of 3 GB took 9.7 s
 * of system time, `bs=1M` 3.3 s. SQLite's pager writes the dirty pages of a commit in
 * page order, and a bulk load appends, so most writes continue the previous one: they
 * are gathered in a buffer of BULK_BUF bytes and written with one call when a write
 * does not continue the run, when the buffer is full, and before anything that must
 * see the file (a read of the run, the file size, truncate, sync, unlock, close).
 * 200,000 generated cases: 16.3–17.6 s → 14.3–14.7 s wall, 6.8–7.3 → 4.3–4.4 s of
 * system time. (Writing the runs with O_DIRECT costs less CPU still, but the pages
 * are then not in the page cache, and building the indexes reads them back from the
 * disk: 17.4–19.3 s.)
 *
 * Only the main database file is wrapped; every other file (journals, temporary
 * files, WAL) is the unix VFS's own. The wrapped file offers no memory mapping
 * (xFetch): mapped reads would not see the gathered run. Not for a database other
 * connections use at the same time: it is meant for a file one connection owns. */
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db/db.h"

#include "util/xmalloc.h"

#include <sqlite3.h>

#define BULK_BUF  (4u << 20) /* the gathered run: 4 MB */
#define BULK_PAGE 4096u      /* only whole, aligned pages are gathered */

typedef struct bfile {
    sqlite3_file base;
    sqlite3_file *real; /* the unix VFS's file, allocated right after this struct */
    int wfd;            /* the same file opened for writing: the unix VFS writes at most
                         * 128 KB a call */
    unsigned char *buf; /* BULK_BUF bytes */
    sqlite3_int64 off;  /* file offset of buf[0] */
    size_t len;         /* bytes gathered */
} bfile;

static sqlite3_vfs bulk_vfs;
static sqlite3_vfs *unix_vfs;
static sqlite3_io_methods bulk_io;
static pthread_once_t bulk_once = PTHREAD_ONCE_INIT;

static sqlite3_int64 bulk_max(sqlite3_int64 a, sqlite3_int64 b)
{
    return a > b ? a : b;
}

static int write_all(int fd, const unsigned char *p, size_t n, sqlite3_int64 off)
{
    size_t done = 0;
    while (done < n) {
        ssize_t w = pwrite(fd, p + done, n - done, off + (off_t)done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return w < 0 && errno != ENOSPC ? SQLITE_IOERR_WRITE : SQLITE_FULL;
        done += (size_t)w;
    }
    return SQLITE_OK;
}

/* Writes the gathered run and forgets it. */
static int flush(bfile *f)
{
    if (!f->len)
        return SQLITE_OK;
    int rc = write_all(f->wfd, f->buf, f->len, f->off);
    f->len = 0;
    return rc;
}

/* Whether [ofst, ofst+amt) meets the gathered run. */
static int overlaps(const bfile *f, sqlite3_int64 ofst, int amt)
{
    return f->len && ofst < f->off + (sqlite3_int64)f->len && ofst + amt > f->off;
}

static int b_close(sqlite3_file *pf)
{
    bfile *f = (bfile *)pf;
    int rc = flush(f);
    int rc2 = f->real->pMethods ? f->real->pMethods->xClose(f->real) : SQLITE_OK;
    if (f->wfd >= 0)
        close(f->wfd);
    free(f->buf);
    f->buf = NULL;
    f->wfd = -1;
    return rc != SQLITE_OK ? rc : rc2;
}

static int b_read(sqlite3_file *pf, void *out, int amt, sqlite3_int64 ofst)
{
    bfile *f = (bfile *)pf;
    if (overlaps(f, ofst, amt)) {
        if (ofst >= f->off && ofst + amt <= f->off + (sqlite3_int64)f->len) {
            memcpy(out, f->buf + (ofst - f->off), (size_t)amt);
            return SQLITE_OK;
        }
        int rc = flush(f);
        if (rc != SQLITE_OK)
            return rc;
    }
    return f->real->pMethods->xRead(f->real, out, amt, ofst);
}

static int b_write(sqlite3_file *pf, const void *data, int amt, sqlite3_int64 ofst)
{
    bfile *f = (bfile *)pf;
    sqlite3_int64 end = f->off + (sqlite3_int64)f->len;
    /* a page of the run written again (a cache spill, then the commit) */
    if (f->len && ofst >= f->off && ofst + amt <= end) {
        memcpy(f->buf + (ofst - f->off), data, (size_t)amt);
        return SQLITE_OK;
    }
    bool aligned = ofst % BULK_PAGE == 0 && amt % BULK_PAGE == 0 && (size_t)amt <= BULK_BUF;
    if (f->len &&
        (ofst != end || !aligned || f->len + (size_t)amt > BULK_BUF || overlaps(f, ofst, amt))) {
        int rc = flush(f);
        if (rc != SQLITE_OK)
            return rc;
    }
    if (!aligned)
        return f->real->pMethods->xWrite(f->real, data, amt, ofst);
    if (!f->len)
        f->off = ofst;
    memcpy(f->buf + f->len, data, (size_t)amt);
    f->len += (size_t)amt;
    return SQLITE_OK;
}

static int b_truncate(sqlite3_file *pf, sqlite3_int64 size)
{
    bfile *f = (bfile *)pf;
    int rc = flush(f);
    return rc != SQLITE_OK ? rc : f->real->pMethods->xTruncate(f->real, size);
}

static int b_sync(sqlite3_file *pf, int flags)
{
    bfile *f = (bfile *)pf;
    int rc = flush(f);
    return rc != SQLITE_OK ? rc : f->real->pMethods->xSync(f->real, flags);
}

static int b_file_size(sqlite3_file *pf, sqlite3_int64 *size)
{
    bfile *f = (bfile *)pf;
    int rc = f->real->pMethods->xFileSize(f->real, size);
    if (rc == SQLITE_OK && f->len)
        *size = bulk_max(*size, f->off + (sqlite3_int64)f->len);
    return rc;
}

static int b_lock(sqlite3_file *pf, int lock)
{
    bfile *f = (bfile *)pf;
    return f->real->pMethods->xLock(f->real, lock);
}

static int b_unlock(sqlite3_file *pf, int lock)
{
    bfile *f = (bfile *)pf;
    /* another process may read once the lock is gone: it must see every page */
    int rc = flush(f);
    int rc2 = f->real->pMethods->xUnlock(f->real, lock);
    return rc != SQLITE_OK ? rc : rc2;
}

static int b_check_reserved(sqlite3_file *pf, int *out)
{
    bfile *f = (bfile *)pf;
    return f->real->pMethods->xCheckReservedLock(f->real, out);
}

static int b_file_control(sqlite3_file *pf, int op, void *arg)
{
    bfile *f = (bfile *)pf;
    if (op == SQLITE_FCNTL_MMAP_SIZE) /* no mapping: see the top of the file */
        return SQLITE_NOTFOUND;
    int rc = flush(f);
    return rc != SQLITE_OK ? rc : f->real->pMethods->xFileControl(f->real, op, arg);
}

static int b_sector_size(sqlite3_file *pf)
{
    bfile *f = (bfile *)pf;
    return f->real->pMethods->xSectorSize(f->real);
}

static int b_device_characteristics(sqlite3_file *pf)
{
    bfile *f = (bfile *)pf;
    return f->real->pMethods->xDeviceCharacteristics(f->real);
}

static int b_shm_map(sqlite3_file *pf, int pg, int pgsz, int extend, void volatile **pp)
{
    bfile *f = (bfile *)pf;
    return f->real->pMethods->xShmMap(f->real, pg, pgsz, extend, pp);
}

static int b_shm_lock(sqlite3_file *pf, int offset, int n, int flags)
{
    bfile *f = (bfile *)pf;
    return f->real->pMethods->xShmLock(f->real, offset, n, flags);
}

static void b_shm_barrier(sqlite3_file *pf)
{
    bfile *f = (bfile *)pf;
    f->real->pMethods->xShmBarrier(f->real);
}

static int b_shm_unmap(sqlite3_file *pf, int del)
{
    bfile *f = (bfile *)pf;
    return f->real->pMethods->xShmUnmap(f->real, del);
}

static int b_open(sqlite3_vfs *vfs, sqlite3_filename name, sqlite3_file *pf, int flags,
                  int *out_flags)
{
    (void)vfs;
    if (!(flags & SQLITE_OPEN_MAIN_DB) || (flags & SQLITE_OPEN_READONLY) || !name)
        return unix_vfs->xOpen(unix_vfs, name, pf, flags, out_flags);
    bfile *f = (bfile *)pf;
    memset(f, 0, sizeof *f);
    f->wfd = -1;
    f->real = (sqlite3_file *)(f + 1);
    int rc = unix_vfs->xOpen(unix_vfs, name, f->real, flags, out_flags);
    if (rc != SQLITE_OK) {
        f->real->pMethods = NULL;
        return rc;
    }
    f->wfd = open(name, O_WRONLY | O_CLOEXEC);
    if (f->wfd < 0) {
        f->real->pMethods->xClose(f->real);
        f->real->pMethods = NULL;
        return SQLITE_CANTOPEN;
    }
    f->buf = xmalloc(BULK_BUF);
    f->base.pMethods = &bulk_io;
    return SQLITE_OK;
}

static void setup(void)
{
    unix_vfs = sqlite3_vfs_find("unix");
    if (!unix_vfs)
        return;
    bulk_vfs = *unix_vfs;
    bulk_vfs.pNext = NULL;
    bulk_vfs.zName = "tj_bulk";
    bulk_vfs.szOsFile = (int)sizeof(bfile) + unix_vfs->szOsFile;
    bulk_vfs.xOpen = b_open;
    bulk_io = (sqlite3_io_methods){
        .iVersion = 2,
        .xClose = b_close,
        .xRead = b_read,
        .xWrite = b_write,
        .xTruncate = b_truncate,
        .xSync = b_sync,
        .xFileSize = b_file_size,
        .xLock = b_lock,
        .xUnlock = b_unlock,
        .xCheckReservedLock = b_check_reserved,
        .xFileControl = b_file_control,
        .xSectorSize = b_sector_size,
        .xDeviceCharacteristics = b_device_characteristics,
        .xShmMap = b_shm_map,
        .xShmLock = b_shm_lock,
        .xShmBarrier = b_shm_barrier,
        .xShmUnmap = b_shm_unmap,
    };
    if (sqlite3_vfs_register(&bulk_vfs, 0) != SQLITE_OK)
        unix_vfs = NULL;
}

const char *db_sqlite_bulk_vfs(void)
{
    pthread_once(&bulk_once, setup);
    return unix_vfs ? bulk_vfs.zName : NULL;
}
