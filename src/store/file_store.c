#include "store/file_store.h"
#include "util/clock.h"
#include "util/xmalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char files_dir[1024];

static int mkdir_p(const char *path)
{
    char tmp[1024];
    snprintf(tmp, sizeof tmp, "%s", path);
    for (char *p = tmp + 1; *p; p++)
        if (*p == '/') {
            *p = 0;
            if (mkdir(tmp, 0700) != 0 && errno != EEXIST)
                return -1;
            *p = '/';
        }
    return mkdir(tmp, 0700) != 0 && errno != EEXIST ? -1 : 0;
}

int file_store_init(const char *dir, tj_err *err)
{
    snprintf(files_dir, sizeof files_dir, "%s", dir);
    if (mkdir_p(files_dir) != 0)
        return err_set(err, 500, "files_dir", NULL, "无法创建文件目录 %s：%s", dir,
                       strerror(errno));
    return 0;
}

const char *file_store_sniff(const void *data, size_t n)
{
    const unsigned char *p = data;
    if (n >= 5 && memcmp(p, "%PDF-", 5) == 0)
        return "application/pdf";
    if (n >= 8 && memcmp(p, "\x89PNG\r\n\x1a\n", 8) == 0)
        return "image/png";
    if (n >= 3 && p[0] == 0xff && p[1] == 0xd8 && p[2] == 0xff)
        return "image/jpeg";
    return NULL;
}

static void path_of(const char *sha, char *out, size_t cap)
{
    snprintf(out, cap, "%s/%.2s/%s", files_dir, sha, sha);
}

static void sha256_hex(const void *data, size_t n, char out[FILE_SHA_HEX])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, data, n);
    sodium_bin2hex(out, FILE_SHA_HEX, h, sizeof h);
}

static int write_file(const char *sha, const void *data, size_t n, tj_err *err)
{
    char path[1200], dir[1100], tmp[1300];
    path_of(sha, path, sizeof path);
    struct stat st;
    if (stat(path, &st) == 0 && (size_t)st.st_size == n)
        return 0; /* the same content is already stored */
    snprintf(dir, sizeof dir, "%s/%.2s", files_dir, sha);
    if (mkdir(dir, 0700) != 0 && errno != EEXIST)
        return err_set(err, 500, "internal", NULL, "无法创建目录：%s", strerror(errno));
    snprintf(tmp, sizeof tmp, "%s.tmp.%ld.%lld", path, (long)getpid(), (long long)clock_mono_ns());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return err_set(err, 500, "internal", NULL, "无法写入文件：%s", strerror(errno));
    const char *p = data;
    size_t left = n;
    while (left) {
        ssize_t w = write(fd, p, left);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            close(fd);
            unlink(tmp);
            return err_set(err, 500, "internal", NULL, "写入文件失败：%s", strerror(errno));
        }
        p += w;
        left -= (size_t)w;
    }
    if (fsync(fd) != 0 || close(fd) != 0 || rename(tmp, path) != 0) {
        unlink(tmp);
        return err_set(err, 500, "internal", NULL, "保存文件失败：%s", strerror(errno));
    }
    return 0;
}

int file_store_put(db *d, int64_t created_by, const void *data, size_t n, const char *name,
                   file_row *out, tj_err *err)
{
    const char *mime = file_store_sniff(data, n);
    if (!mime)
        return err_set(err, 415, "unsupported_media_type", "file",
                       "只能上传 PDF、PNG 或 JPEG 文件");
    memset(out, 0, sizeof *out);
    sha256_hex(data, n, out->sha256);
    snprintf(out->mime, sizeof out->mime, "%s", mime);
    /* keep the user's name but never a path */
    size_t j = 0, chars = 0;
    for (const char *s = name && *name ? name : "file"; *s && j + 4 < sizeof out->name; s++) {
        if (((unsigned char)*s & 0xc0) != 0x80 && ++chars > 200)
            break;
        out->name[j++] = (*s == '/' || *s == '\\' || (unsigned char)*s < 0x20) ? '_' : *s;
    }
    out->name[j] = 0;
    out->size = (int64_t)n;
    out->created_by = created_by;
    clock_iso(clock_unix(), out->created_at);
    if (write_file(out->sha256, data, n, err) != 0)
        return -1;
    return db_scalar_int(d, &out->id, NULL, err,
                         "INSERT INTO files(sha256, size, mime, name, created_by, created_at)"
                         " VALUES (?,?,?,?,?,?) RETURNING id",
                         "sissIs", out->sha256, out->size, out->mime, out->name, created_by,
                         out->created_at);
}

int file_store_get(db *d, int64_t id, file_row *f, bool *found, tj_err *err)
{
    db_stmt *s;
    if (db_query(
            d, &s, err,
            "SELECT id, sha256, size, mime, name, COALESCE(created_by, 0), created_at FROM files"
            " WHERE id = ?",
            "i", id) != 0)
        return -1;
    int rc = db_step(s, err);
    *found = rc == 1;
    if (rc == 1) {
        f->id = db_col_int(s, 0);
        snprintf(f->sha256, sizeof f->sha256, "%s", db_col_text(s, 1));
        f->size = db_col_int(s, 2);
        snprintf(f->mime, sizeof f->mime, "%s", db_col_text(s, 3));
        snprintf(f->name, sizeof f->name, "%s", db_col_text(s, 4));
        f->created_by = db_col_int(s, 5);
        snprintf(f->created_at, sizeof f->created_at, "%s", db_col_text(s, 6));
    }
    db_done(s);
    return rc < 0 ? -1 : 0;
}

int file_store_read(const file_row *f, void **data, size_t *n, tj_err *err)
{
    char path[1200];
    path_of(f->sha256, path, sizeof path);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return err_set(err, 500, "internal", NULL, "文件丢失：%s", f->name);
    char *bytes = xmalloc((size_t)f->size + 1);
    size_t got = 0;
    while (got < (size_t)f->size) {
        ssize_t r = read(fd, bytes + got, (size_t)f->size - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    close(fd);
    char sha[FILE_SHA_HEX];
    sha256_hex(bytes, got, sha);
    if (got != (size_t)f->size || strcmp(sha, f->sha256) != 0) {
        free(bytes);
        return err_set(err, 500, "internal", NULL, "文件校验失败：%s", f->name);
    }
    *data = bytes;
    *n = got;
    return 0;
}

int file_store_visible(db *d, const principal *who, int64_t id, bool *visible, tj_err *err)
{
    char hi[256];
    scope_upper(who->org_path, hi, sizeof hi);
    int64_t n = 0;
    if (db_scalar_int(d, &n, NULL, err,
                      "SELECT COUNT(*) FROM files f WHERE f.id = ? AND (f.created_by = ? OR EXISTS"
                      " (SELECT 1 FROM case_attachments a JOIN cases c ON c.id = a.case_id WHERE"
                      " a.file_id = f.id AND ((c.org_path >= ? AND c.org_path < ?) OR"
                      " (c.registered_org_path >= ? AND c.registered_org_path < ?))))",
                      "iissss", id, who->user_id ? who->user_id : (int64_t)-1, who->org_path, hi,
                      who->org_path, hi) != 0)
        return -1;
    *visible = n > 0;
    return 0;
}

json_t *file_store_json(const file_row *f)
{
    return json_pack("{s:I,s:s,s:I,s:s,s:s,s:s}", "id", (json_int_t)f->id, "sha256", f->sha256,
                     "size", (json_int_t)f->size, "mime", f->mime, "name", f->name, "created_at",
                     f->created_at);
}
