#include "render/case_file_pdf.h"

#include <glib.h>
#include <poppler.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/docs.h"
#include "render/pdf.h"

#define MAX_IMAGE_SIDE   20000
#define MAX_IMAGE_PIXELS (80L * 1000 * 1000)
#define SCAN_MARGIN      (10 * PDF_MM)

typedef struct loaded {
    const cf_part *p;
    PopplerDocument *doc;
    GBytes *bytes;
    int pages;
    bool bad;
    int w, h, comps; /* images */
} loaded;

static bool is_mime(const cf_part *p, const char *m)
{
    return p->mime && strcmp(p->mime, m) == 0;
}

/* Width, height and components of a baseline or progressive JPEG from its SOF marker. */
static bool jpeg_info(const unsigned char *b, size_t n, int *w, int *h, int *comps)
{
    size_t i = 2;
    if (n < 4 || b[0] != 0xff || b[1] != 0xd8)
        return false;
    while (i + 4 <= n) {
        if (b[i] != 0xff) {
            i++;
            continue;
        }
        unsigned m = b[i + 1];
        if (m == 0xff) {
            i++;
            continue;
        }
        if (m == 0xd8 || m == 0x01 || (m >= 0xd0 && m <= 0xd7)) {
            i += 2;
            continue;
        }
        size_t len = (size_t)b[i + 2] << 8 | b[i + 3];
        if (len < 2 || i + 2 + len > n)
            return false;
        if ((m >= 0xc0 && m <= 0xc3) || (m >= 0xc5 && m <= 0xc7) || (m >= 0xc9 && m <= 0xcb) ||
            (m >= 0xcd && m <= 0xcf)) {
            if (len < 8)
                return false;
            *h = b[i + 5] << 8 | b[i + 6];
            *w = b[i + 7] << 8 | b[i + 8];
            *comps = b[i + 9];
            return *w > 0 && *h > 0 && (*comps == 1 || *comps == 3 || *comps == 4);
        }
        i += 2 + len;
    }
    return false;
}

static bool png_info(const unsigned char *b, size_t n, int *w, int *h)
{
    if (n < 24 || memcmp(b, "\x89PNG\r\n\x1a\n", 8) != 0 || memcmp(b + 12, "IHDR", 4) != 0)
        return false;
    *w = (int)((unsigned)b[16] << 24 | (unsigned)b[17] << 16 | (unsigned)b[18] << 8 | b[19]);
    *h = (int)((unsigned)b[20] << 24 | (unsigned)b[21] << 16 | (unsigned)b[22] << 8 | b[23]);
    return *w > 0 && *h > 0;
}

static bool image_size_ok(int w, int h)
{
    return w <= MAX_IMAGE_SIDE && h <= MAX_IMAGE_SIDE && (long)w * h <= MAX_IMAGE_PIXELS;
}

static void load(loaded *l, const cf_part *p)
{
    memset(l, 0, sizeof *l);
    l->p = p;
    l->pages = 1;
    if (is_mime(p, "application/pdf")) {
        l->bytes = g_bytes_new_static(p->data, p->len);
        l->doc = poppler_document_new_from_bytes(l->bytes, NULL, NULL);
        int n = l->doc ? poppler_document_get_n_pages(l->doc) : 0;
        if (n > 0)
            l->pages = n;
        else
            l->bad = true;
    } else if (is_mime(p, "image/jpeg")) {
        l->bad = !jpeg_info(p->data, p->len, &l->w, &l->h, &l->comps) || !image_size_ok(l->w, l->h);
    } else if (is_mime(p, "image/png")) {
        l->bad = !png_info(p->data, p->len, &l->w, &l->h) || !image_size_ok(l->w, l->h);
    } else {
        l->bad = true;
    }
}

static void unload(loaded *l)
{
    if (l->doc)
        g_object_unref(l->doc);
    if (l->bytes)
        g_bytes_unref(l->bytes);
}

int render_count_pages(const char *mime, const void *data, size_t len)
{
    cf_part p = {.mime = mime, .data = data, .len = len};
    loaded l;
    load(&l, &p);
    int n = l.bad && is_mime(&p, "application/pdf") ? 0 : l.pages;
    unload(&l);
    return n;
}

typedef struct png_reader {
    const unsigned char *p;
    size_t left;
} png_reader;

static cairo_status_t png_read(void *closure, unsigned char *data, unsigned int len)
{
    png_reader *r = closure;
    if (len > r->left)
        return CAIRO_STATUS_READ_ERROR;
    memcpy(data, r->p, len);
    r->p += len;
    r->left -= len;
    return CAIRO_STATUS_SUCCESS;
}

static void unreadable_page(cairo_t *cr, const cf_part *p)
{
    char msg[400];
    snprintf(msg, sizeof msg, "无法读取的材料：%s", p->title ? p->title : "");
    pdf_draw_label(cr, PDF_W / 2, PDF_H / 2, 14, 1, msg);
    pdf_draw_label(cr, PDF_W / 2, PDF_H / 2 + 24, 10.5, 1,
                   "（原文件已保存于系统中，请下载原件查看）");
}

/* Draw an image surface of w × h pixels fitted inside the page margins. */
static void draw_image(cairo_t *cr, cairo_surface_t *img, int w, int h)
{
    double bw = PDF_W - 2 * SCAN_MARGIN, bh = PDF_H - 2 * SCAN_MARGIN;
    double s = bw / w < bh / h ? bw / w : bh / h;
    cairo_save(cr);
    cairo_translate(cr, (PDF_W - w * s) / 2, (PDF_H - h * s) / 2);
    cairo_scale(cr, s, s);
    cairo_set_source_surface(cr, img, 0, 0);
    cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_GOOD);
    cairo_paint(cr);
    cairo_restore(cr);
}

static void draw_part_page(cairo_t *cr, loaded *l, int i)
{
    const cf_part *p = l->p;
    if (l->bad) {
        unreadable_page(cr, p);
        return;
    }
    if (l->doc) {
        PopplerPage *pg = poppler_document_get_page(l->doc, i);
        if (!pg) {
            unreadable_page(cr, p);
            return;
        }
        double w, h;
        poppler_page_get_size(pg, &w, &h);
        cairo_save(cr);
        if (w > 0 && h > 0 &&
            (w > PDF_W + 1 || h > PDF_H + 1 || (w < PDF_W - 1 && h < PDF_H - 1))) {
            double s = PDF_W / w < PDF_H / h ? PDF_W / w : PDF_H / h;
            cairo_translate(cr, (PDF_W - w * s) / 2, (PDF_H - h * s) / 2);
            cairo_scale(cr, s, s);
        }
        cairo_rectangle(cr, 0, 0, w, h);
        cairo_clip(cr);
        poppler_page_render_for_printing(pg, cr);
        cairo_restore(cr);
        g_object_unref(pg);
        return;
    }
    if (is_mime(p, "image/png")) {
        png_reader r = {p->data, p->len};
        cairo_surface_t *img = cairo_image_surface_create_from_png_stream(png_read, &r);
        if (cairo_surface_status(img) != CAIRO_STATUS_SUCCESS)
            unreadable_page(cr, p);
        else
            draw_image(cr, img, cairo_image_surface_get_width(img),
                       cairo_image_surface_get_height(img));
        cairo_surface_destroy(img);
        return;
    }
    /* JPEG: the PDF carries the original bytes (DCTDecode); the pixel buffer of the
     * surface is never drawn into, so its memory is never touched */
    cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, l->w, l->h);
    if (cairo_surface_status(img) != CAIRO_STATUS_SUCCESS ||
        cairo_surface_set_mime_data(img, CAIRO_MIME_TYPE_JPEG, p->data, p->len, NULL, NULL) !=
            CAIRO_STATUS_SUCCESS)
        unreadable_page(cr, p);
    else
        draw_image(cr, img, l->w, l->h);
    cairo_surface_destroy(img);
}

static void stamp(cairo_t *cr, int page_no)
{
    char s[32];
    snprintf(s, sizeof s, "%d", page_no);
    pdf_draw_label(cr, PDF_W - 12 * PDF_MM, 12 * PDF_MM, 11, 2, s);
}

static const char *range(char *buf, size_t cap, int from, int n)
{
    if (n <= 1)
        snprintf(buf, cap, "%d", from);
    else
        snprintf(buf, cap, "%d-%d", from, from + n - 1);
    return buf;
}

int render_case_file(json_t *data, const cf_part *parts, int nparts, enum render_file_mode mode,
                     void **out, size_t *n, int *pages, tj_err *err)
{
    int rc = -1;
    pdf_doc *cover = NULL, *back = NULL;
    loaded *ls = calloc((size_t)(nparts > 0 ? nparts : 1), sizeof *ls);
    if (!ls)
        return err_set(err, 500, "internal", NULL, "内存不足");
    for (int i = 0; i < nparts; i++)
        load(&ls[i], &parts[i]);
    /* the file's facts for the cover, contents list and back cover */
    json_t *file = json_object_get(data, "file");
    if (!json_is_object(file)) {
        file = json_object();
        json_object_set_new(data, "file", file);
    }
    json_t *items = json_array();
    json_object_set_new(file, "items", items);
    int page = 1;
    char buf[64];
    for (int i = 0; i < nparts; i++) {
        json_array_append_new(items, json_pack("{s:i,s:s,s:s,s:s}", "no", i + 1, "title",
                                               parts[i].title ? parts[i].title : "", "pages",
                                               range(buf, sizeof buf, page, ls[i].pages), "note",
                                               ls[i].bad       ? "无法读取"
                                               : parts[i].note ? parts[i].note
                                                               : ""));
        page += ls[i].pages;
    }
    json_object_set_new(file, "count", json_integer(nparts));
    json_object_set_new(file, "total_pages", json_integer(page - 1));
    if (mode != RENDER_FILE_COVER && doc_render(CF_DOC_BACK_COVER, data, &back, err) != 0)
        goto done;
    json_array_append_new(
        items, json_pack("{s:i,s:s,s:s,s:s}", "no", nparts + 1, "title", "卷内备考表", "pages",
                         range(buf, sizeof buf, page, back ? pdf_doc_pages(back) : 1), "note", ""));
    if (mode != RENDER_FILE_BACK && doc_render(CF_DOC_COVER, data, &cover, err) != 0)
        goto done;

    char title[300];
    json_t *c = json_object_get(data, "case");
    snprintf(title, sizeof title, "人民调解卷宗 %s",
             json_string_value(json_object_get(data, "doc_no"))
                 ? json_string_value(json_object_get(data, "doc_no"))
             : json_string_value(json_object_get(c, "case_no"))
                 ? json_string_value(json_object_get(c, "case_no"))
                 : "");
    pdf_writer *w = pdf_writer_new(title);
    int written = 0, page_no = 1;
    if (cover)
        for (int i = 0; i < pdf_doc_pages(cover); i++, written++)
            pdf_writer_add(w, pdf_doc_page(cover, i));
    if (mode == RENDER_FILE_FULL)
        for (int k = 0; k < nparts; k++)
            for (int i = 0; i < ls[k].pages; i++, written++) {
                cairo_t *cr = pdf_writer_page(w);
                draw_part_page(cr, &ls[k], i);
                stamp(cr, page_no++);
            }
    if (back)
        for (int i = 0; i < pdf_doc_pages(back); i++, written++) {
            pdf_writer_add(w, pdf_doc_page(back, i));
            if (mode == RENDER_FILE_FULL)
                stamp(pdf_writer_page_cr(w), page_no++);
        }
    if (pdf_writer_finish(w, out, n, err) != 0)
        goto done;
    *pages = written;
    rc = 0;
done:
    pdf_doc_free(cover);
    pdf_doc_free(back);
    for (int i = 0; i < nparts; i++)
        unload(&ls[i]);
    free(ls);
    return rc;
}
