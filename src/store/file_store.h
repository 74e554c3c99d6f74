/* file_store.h — uploaded scans and generated documents. The bytes live on disk,
 * content-addressed by SHA-256 under the files directory (<dir>/ab/abcdef…), written
 * to a temporary name, fsynced and renamed so a crash never leaves a half file; the
 * `files` table records name, type, size, checksum, who and when. Only PDF, PNG and
 * JPEG are accepted, recognised by their first bytes, not by what the client claims. */
#ifndef TJ_STORE_FILE_STORE_H
#define TJ_STORE_FILE_STORE_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "db/db.h"
#include "store/scope.h"

#define FILE_SHA_HEX 65

typedef struct file_row {
    int64_t id, size, created_by;
    char sha256[FILE_SHA_HEX], mime[32], name[256], created_at[21];
} file_row;

/* Set the directory (created if missing). Called once at start. */
int file_store_init(const char *dir, tj_err *err);
/* The MIME type of data judged by its magic bytes ("application/pdf", "image/png",
 * "image/jpeg"), or NULL when it is none of them. */
const char *file_store_sniff(const void *data, size_t n);
/* Write data and record it; *out gets the row. name is the user's file name (kept for
 * downloads, at most 200 characters, path separators replaced). */
int file_store_put(db *d, int64_t created_by, const void *data, size_t n, const char *name,
                   file_row *out, tj_err *err);
/* The row of a file id (no scope check). */
int file_store_get(db *d, int64_t id, file_row *out, bool *found, tj_err *err);
/* Read the bytes of a stored file, verifying the checksum; free() *data. */
int file_store_read(const file_row *f, void **data, size_t *n, tj_err *err);
/* Whether who may read file id: it uploaded it, or the file is attached to a case
 * visible to who. */
int file_store_visible(db *d, const principal *who, int64_t id, bool *visible, tj_err *err);
/* JSON of a row. */
json_t *file_store_json(const file_row *f);

#endif
