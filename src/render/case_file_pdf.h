/* case_file_pdf.h — the bound case file (卷宗) as one PDF: cover, contents list
 * (卷内目录), then every filed part in order, then the back cover (备考表).
 *
 * Parts are stored files: generated documents (PDF) and uploaded scans (PDF, PNG,
 * JPEG). PDF pages are drawn with poppler-glib onto the same cairo PDF surface
 * (scaled to fit A4 if needed, text stays text); images are scaled to fit the page
 * (JPEG embedded as it is, not re-encoded). A part that cannot be read becomes one
 * page saying so, never a failure of the whole file. Pages after the contents list
 * carry the file's page number in the top right corner (卷内页号), and the contents
 * list gives each part's page range.
 *
 * data is the document data of render/docs.h; this module adds its "file" member
 * (items, count, total_pages) before laying out the cover and back cover. */
#ifndef TJ_RENDER_CASE_FILE_PDF_H
#define TJ_RENDER_CASE_FILE_PDF_H
#include <jansson.h>
#include <stddef.h>

#include "core/err.h"

typedef struct cf_part {
    const char *title; /* 文书名称 in the contents list */
    const char *note;  /* 备注 (e.g. "第2版", "上传扫描件"), may be NULL */
    const char *mime;  /* application/pdf, image/png, image/jpeg */
    const void *data;
    size_t len;
} cf_part;

enum render_file_mode {
    RENDER_FILE_FULL,  /* the whole file */
    RENDER_FILE_COVER, /* the cover and contents list only */
    RENDER_FILE_BACK   /* the back cover only */
};

/* Lay out the case file of parts (in filing order). *out (free()) gets the PDF,
 * *pages its page count. */
int render_case_file(json_t *data, const cf_part *parts, int nparts, enum render_file_mode mode,
                     void **out, size_t *n, int *pages, tj_err *err);

/* Pages of a stored file (PDF: its page count, 0 when unreadable; images: 1). */
int render_count_pages(const char *mime, const void *data, size_t len);

#endif
