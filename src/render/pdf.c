#include "render/pdf.h"

#include <cairo-pdf.h>
#include <fontconfig/fontconfig.h>
#include <glib.h>
#include <pango/pangocairo.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "util/xmalloc.h"

#define S         ((double)PANGO_SCALE)
#define MAX_COLS  16
#define CELL_PADX 4.0
#define CELL_PADY 3.5

typedef struct table {
    bool active;
    int ncols;
    double x[MAX_COLS + 1]; /* column edges from the text area's left */
    pdf_cell header[MAX_COLS];
    int nheader;
} table;

struct pdf_doc {
    char doc_no[256];
    cairo_surface_t **pages;
    int npages, cap;
    cairo_t *cr;
    double y;        /* cursor, points from the top of the page */
    bool page_empty; /* nothing drawn below the top margin yet */
    bool finished, no_footer;
    PangoContext *pc;
    GPtrArray *strings;
    table t;
};

/* ---- fonts ---- */

static PangoContext *new_context(void)
{
    PangoContext *pc = pango_font_map_create_context(pango_cairo_font_map_get_default());
    cairo_font_options_t *fo = cairo_font_options_create();
    /* unhinted metrics: positions are exact in the PDF, whatever the resolution */
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    pango_cairo_context_set_font_options(pc, fo);
    cairo_font_options_destroy(fo);
    pango_cairo_context_set_resolution(pc, 72.0);
    pango_context_set_round_glyph_positions(pc, FALSE);
    return pc;
}

static pthread_once_t font_once = PTHREAD_ONCE_INIT;
static char font_found[128];

/* At exit, after the worker threads (and their per-thread font maps) are gone: drop
 * the process-wide font and cairo caches so leak checkers see only real leaks. */
static void render_atexit(void)
{
    pango_cairo_font_map_set_default(NULL);
    cairo_debug_reset_static_data();
    FcFini();
}

static void font_probe(void)
{
    atexit(render_atexit);
    PangoContext *pc = new_context();
    PangoFontDescription *fd = pango_font_description_from_string(PDF_FONT_FAMILY " 12");
    PangoFont *f = pango_context_load_font(pc, fd);
    if (f) {
        PangoFontDescription *got = pango_font_describe(f);
        const char *fam = pango_font_description_get_family(got);
        snprintf(font_found, sizeof font_found, "%s", fam ? fam : "");
        pango_font_description_free(got);
        g_object_unref(f);
    }
    pango_font_description_free(fd);
    g_object_unref(pc);
}

int pdf_font_check(tj_err *err)
{
    pthread_once(&font_once, font_probe);
    if (!strstr(font_found, "Noto Serif CJK"))
        return err_set(err, 500, "font_missing", NULL,
                       "未找到中文字体 %s（请安装 Debian 软件包 fonts-noto-cjk），当前为“%s”",
                       PDF_FONT_FAMILY, font_found);
    return 0;
}

static double size_of(int flags)
{
    if (flags & PDF_TITLE)
        return 22.0;
    if (flags & PDF_LARGE)
        return 16.0;
    if (flags & PDF_HEADING)
        return 14.0;
    if (flags & PDF_SMALL)
        return 10.5;
    return PDF_BODY_PT;
}

static void set_text(PangoLayout *l, const char *markup)
{
    if (!markup)
        markup = "";
    if (pango_parse_markup(markup, -1, 0, NULL, NULL, NULL, NULL))
        pango_layout_set_markup(l, markup, -1);
    else
        pango_layout_set_text(l, markup, -1); /* never silently drop text */
}

/* spacing: extra space between lines, in ems of the font size */
static PangoLayout *make_layout(PangoContext *pc, const char *markup, double w, int flags,
                                double spacing)
{
    PangoLayout *l = pango_layout_new(pc);
    double pt = size_of(flags);
    PangoFontDescription *fd = pango_font_description_from_string(PDF_FONT_FAMILY);
    pango_font_description_set_absolute_size(fd, pt * S);
    if (flags & (PDF_BOLD | PDF_TITLE | PDF_HEADING))
        pango_font_description_set_weight(fd, PANGO_WEIGHT_BOLD);
    pango_layout_set_font_description(l, fd);
    pango_font_description_free(fd);
    pango_layout_set_width(l, (int)(w * S));
    pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_alignment(l, (flags & (PDF_CENTER | PDF_TITLE)) ? PANGO_ALIGN_CENTER
                                  : (flags & PDF_RIGHT)              ? PANGO_ALIGN_RIGHT
                                                                     : PANGO_ALIGN_LEFT);
    if (flags & (PDF_JUSTIFY | PDF_INDENT))
        pango_layout_set_justify(l, TRUE);
    if (flags & PDF_INDENT)
        pango_layout_set_indent(l, (int)(2 * pt * S));
    else if (flags & PDF_HANG)
        pango_layout_set_indent(l, (int)(-2 * pt * S));
    pango_layout_set_spacing(l, (int)(spacing * pt * S));
    set_text(l, markup);
    return l;
}

/* Extra space between the lines of a paragraph, in ems; the same space follows the
 * paragraph, so the line pitch is even across paragraphs. */
static double para_spacing(int flags)
{
    return (flags & PDF_TITLE) ? 0.25 : 0.5;
}

/* ---- pages ---- */

static void page_new(pdf_doc *d)
{
    if (d->cr)
        cairo_destroy(d->cr);
    if (d->npages == d->cap) {
        d->cap = d->cap ? d->cap * 2 : 8;
        d->pages = xrealloc(d->pages, (size_t)d->cap * sizeof *d->pages);
    }
    cairo_rectangle_t ext = {0, 0, PDF_W, PDF_H};
    cairo_surface_t *s = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, &ext);
    d->pages[d->npages++] = s;
    d->cr = cairo_create(s);
    cairo_set_source_rgb(d->cr, 0, 0, 0);
    cairo_set_line_width(d->cr, 0.6);
    d->y = PDF_TOP_MARGIN;
    d->page_empty = true;
}

static void draw_row_cells(pdf_doc *d, const pdf_cell *cells, int n, double min_h);

static void break_page(pdf_doc *d)
{
    page_new(d);
    if (d->t.active && d->t.nheader) {
        int nh = d->t.nheader;
        d->t.nheader = 0; /* the header row itself never repeats */
        draw_row_cells(d, d->t.header, nh, 0);
        d->t.nheader = nh;
    }
}

pdf_doc *pdf_doc_new(const char *doc_no)
{
    pdf_doc *d = xcalloc(1, sizeof *d);
    snprintf(d->doc_no, sizeof d->doc_no, "%s", doc_no ? doc_no : "");
    d->pc = new_context();
    d->strings = g_ptr_array_new_with_free_func(g_free);
    page_new(d);
    return d;
}

void pdf_doc_no_footer(pdf_doc *d)
{
    d->no_footer = true;
}

void pdf_doc_free(pdf_doc *d)
{
    if (!d)
        return;
    if (d->cr)
        cairo_destroy(d->cr);
    for (int i = 0; i < d->npages; i++)
        cairo_surface_destroy(d->pages[i]);
    free(d->pages);
    g_object_unref(d->pc);
    g_ptr_array_free(d->strings, TRUE);
    free(d);
}

const char *pdf_m(pdf_doc *d, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = g_markup_vprintf_escaped(fmt, ap);
    va_end(ap);
    g_ptr_array_add(d->strings, s);
    return s;
}

double pdf_remaining(const pdf_doc *d)
{
    return PDF_BOTTOM_EDGE - d->y;
}

void pdf_need(pdf_doc *d, double pt)
{
    if (d->finished)
        return;
    if (pdf_remaining(d) < pt && !d->page_empty)
        break_page(d);
}

void pdf_gap(pdf_doc *d, double pt)
{
    if (d->finished || d->page_empty)
        return;
    if (d->y + pt > PDF_BOTTOM_EDGE)
        break_page(d);
    else
        d->y += pt;
}

void pdf_advance(pdf_doc *d, double pt)
{
    if (d->finished)
        return;
    d->y += pt;
    d->page_empty = false;
    if (d->y > PDF_BOTTOM_EDGE)
        break_page(d);
}

void pdf_page_break(pdf_doc *d)
{
    if (!d->finished && !d->page_empty)
        break_page(d);
}

void pdf_rule(pdf_doc *d, bool thick)
{
    if (d->finished)
        return;
    pdf_need(d, 4);
    cairo_save(d->cr);
    cairo_set_line_width(d->cr, thick ? 1.5 : 0.6);
    cairo_move_to(d->cr, PDF_LEFT_MARGIN, d->y + 2);
    cairo_line_to(d->cr, PDF_LEFT_MARGIN + PDF_TEXT_W, d->y + 2);
    cairo_stroke(d->cr);
    cairo_restore(d->cr);
    d->y += 4;
    d->page_empty = false;
}

void pdf_seal_mark(pdf_doc *d, double x, double dy, double dia)
{
    if (d->finished)
        return;
    static const double dash[] = {2.0, 2.5};
    cairo_save(d->cr);
    cairo_set_source_rgb(d->cr, 0.55, 0.55, 0.55);
    cairo_set_line_width(d->cr, 0.5);
    cairo_set_dash(d->cr, dash, 2, 0);
    cairo_new_sub_path(d->cr);
    cairo_arc(d->cr, PDF_LEFT_MARGIN + x, d->y + dy, dia / 2, 0, 2 * G_PI);
    cairo_stroke(d->cr);
    cairo_restore(d->cr);
}

/* Draw a layout's lines from the cursor, moving to a new page whenever the next line
 * would cross the bottom margin. */
static void flow(pdf_doc *d, PangoLayout *l, double x)
{
    PangoLayoutIter *it = pango_layout_get_iter(l);
    double y0 = d->y;
    int off = -1, last = 0;
    do {
        int top, bot;
        pango_layout_iter_get_line_yrange(it, &top, &bot);
        if (off < 0)
            off = top;
        if (y0 + (bot - off) / S > PDF_BOTTOM_EDGE && !(top == off && d->page_empty)) {
            break_page(d);
            y0 = d->y;
            off = top;
        }
        PangoRectangle lr;
        pango_layout_iter_get_line_extents(it, NULL, &lr);
        int base = pango_layout_iter_get_baseline(it);
        cairo_move_to(d->cr, x + lr.x / S, y0 + (base - off) / S);
        pango_cairo_show_layout_line(d->cr, pango_layout_iter_get_line_readonly(it));
        last = bot;
        d->page_empty = false;
    } while (pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
    d->y = y0 + (last - off) / S;
}

void pdf_text(pdf_doc *d, const char *markup, int flags)
{
    if (d->finished)
        return;
    PangoLayout *l = make_layout(d->pc, markup, PDF_TEXT_W, flags, para_spacing(flags));
    if (flags & PDF_KEEP) {
        int h;
        pango_layout_get_size(l, NULL, &h);
        if (h / S <= PDF_BOTTOM_EDGE - PDF_TOP_MARGIN)
            pdf_need(d, h / S);
    }
    flow(d, l, PDF_LEFT_MARGIN);
    g_object_unref(l);
    pdf_gap(d, para_spacing(flags) * size_of(flags));
}

double pdf_text_height(pdf_doc *d, double w, const char *markup, int flags)
{
    PangoLayout *l = make_layout(d->pc, markup, w, flags, para_spacing(flags));
    int h;
    pango_layout_get_size(l, NULL, &h);
    g_object_unref(l);
    return h / S;
}

double pdf_text_at(pdf_doc *d, double x, double w, const char *markup, int flags)
{
    if (d->finished)
        return 0;
    PangoLayout *l = make_layout(d->pc, markup, w, flags, para_spacing(flags));
    int h;
    pango_layout_get_size(l, NULL, &h);
    PangoLayoutIter *it = pango_layout_get_iter(l);
    do {
        PangoRectangle lr;
        pango_layout_iter_get_line_extents(it, NULL, &lr);
        cairo_move_to(d->cr, PDF_LEFT_MARGIN + x + lr.x / S,
                      d->y + pango_layout_iter_get_baseline(it) / S);
        pango_cairo_show_layout_line(d->cr, pango_layout_iter_get_line_readonly(it));
    } while (pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
    g_object_unref(l);
    d->page_empty = false;
    return h / S;
}

/* ---- tables ---- */

typedef struct cellrun {
    PangoLayout *l;
    double x, w;
    int flags;
    int n, next;
    int *top, *bot, *base, *lx;
    PangoLayoutLine **lines;
} cellrun;

static void cell_lines(cellrun *c)
{
    int cap = pango_layout_get_line_count(c->l);
    c->top = xmalloc((size_t)cap * sizeof(int) * 4);
    c->bot = c->top + cap;
    c->base = c->bot + cap;
    c->lx = c->base + cap;
    c->lines = xmalloc((size_t)cap * sizeof *c->lines);
    PangoLayoutIter *it = pango_layout_get_iter(c->l);
    c->n = 0;
    do {
        if (c->n == cap)
            break;
        PangoRectangle lr;
        pango_layout_iter_get_line_yrange(it, &c->top[c->n], &c->bot[c->n]);
        pango_layout_iter_get_line_extents(it, NULL, &lr);
        c->base[c->n] = pango_layout_iter_get_baseline(it);
        c->lx[c->n] = lr.x;
        c->lines[c->n] = pango_layout_iter_get_line_readonly(it);
        c->n++;
    } while (pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
    /* an empty cell has one empty line; treat it as no lines */
    if (c->n == 1 && pango_layout_get_character_count(c->l) == 0)
        c->n = 0;
}

/* Height of the remaining lines of c (points). */
static double rest_h(const cellrun *c)
{
    return c->next >= c->n ? 0 : (c->bot[c->n - 1] - c->top[c->next]) / S;
}

static void draw_row_cells(pdf_doc *d, const pdf_cell *cells, int n, double min_h)
{
    table *t = &d->t;
    cellrun runs[MAX_COLS];
    int nr = 0, col = 0;
    for (int i = 0; i < n && col < t->ncols; i++) {
        int span = cells[i].span > 0 ? cells[i].span : 1;
        if (col + span > t->ncols)
            span = t->ncols - col;
        cellrun *c = &runs[nr++];
        memset(c, 0, sizeof *c);
        c->x = t->x[col];
        c->w = t->x[col + span] - t->x[col];
        c->flags = cells[i].flags;
        c->l = make_layout(d->pc, cells[i].markup, c->w - 2 * CELL_PADX, c->flags, 0.2);
        cell_lines(c);
        col += span;
    }
    bool first = true;
    for (;;) {
        double need = 0;
        for (int i = 0; i < nr; i++)
            if (rest_h(&runs[i]) > need)
                need = rest_h(&runs[i]);
        need += 2 * CELL_PADY;
        if (first && need < min_h)
            need = min_h;
        double avail = PDF_BOTTOM_EDGE - d->y;
        double full = PDF_BOTTOM_EDGE - PDF_TOP_MARGIN;
        bool fits = need <= avail;
        if (!fits && !d->page_empty && (need <= full * 0.6 || avail < 60)) {
            break_page(d);
            continue;
        }
        double h = fits ? need : avail;
        double inner = h - 2 * CELL_PADY;
        for (int i = 0; i < nr; i++) {
            cellrun *c = &runs[i];
            int k = c->next;
            while (k < c->n && (c->bot[k] - c->top[c->next]) / S <= inner + 0.01)
                k++;
            double dy = 0;
            if (fits && first && (c->flags & PDF_VCENTER))
                dy = (inner - rest_h(c)) / 2;
            for (int j = c->next; j < k; j++) {
                cairo_move_to(d->cr, PDF_LEFT_MARGIN + c->x + CELL_PADX + c->lx[j] / S,
                              d->y + CELL_PADY + dy + (c->base[j] - c->top[c->next]) / S);
                pango_cairo_show_layout_line(d->cr, c->lines[j]);
            }
            c->next = k;
            cairo_rectangle(d->cr, PDF_LEFT_MARGIN + c->x, d->y, c->w, h);
            cairo_stroke(d->cr);
        }
        d->y += h;
        d->page_empty = false;
        first = false;
        bool more = false;
        for (int i = 0; i < nr; i++)
            more |= runs[i].next < runs[i].n;
        if (!more)
            break;
        break_page(d);
    }
    for (int i = 0; i < nr; i++) {
        g_object_unref(runs[i].l);
        free(runs[i].top);
        free(runs[i].lines);
    }
}

void pdf_table_begin(pdf_doc *d, int ncols, const double *fractions)
{
    table *t = &d->t;
    memset(t, 0, sizeof *t);
    t->active = true;
    t->ncols = ncols > MAX_COLS ? MAX_COLS : ncols;
    double x = 0;
    for (int i = 0; i < t->ncols; i++) {
        t->x[i] = x;
        x += fractions[i] * PDF_TEXT_W;
    }
    t->x[t->ncols] = PDF_TEXT_W;
}

void pdf_table_header(pdf_doc *d, const pdf_cell *cells, int n)
{
    table *t = &d->t;
    int nh = n > MAX_COLS ? MAX_COLS : n;
    t->nheader = 0;
    for (int i = 0; i < nh; i++) {
        char *copy = g_strdup(cells[i].markup ? cells[i].markup : "");
        g_ptr_array_add(d->strings, copy); /* the caller's strings may not outlive the table */
        t->header[i] = cells[i];
        t->header[i].markup = copy;
    }
    /* never leave a header alone at the foot of a page */
    pdf_need(d, 70);
    pdf_table_row(d, t->header, nh, 0);
    t->nheader = nh;
}

void pdf_table_row(pdf_doc *d, const pdf_cell *cells, int n, double min_height)
{
    if (d->finished || !d->t.active)
        return;
    draw_row_cells(d, cells, n, min_height);
}

void pdf_table_end(pdf_doc *d)
{
    memset(&d->t, 0, sizeof d->t);
}

/* ---- finishing and writing ---- */

static void label_with(PangoContext *pc, cairo_t *cr, double x, double y, double pt, int align,
                       const char *utf8)
{
    PangoLayout *l = pango_layout_new(pc);
    PangoFontDescription *fd = pango_font_description_from_string(PDF_FONT_FAMILY);
    pango_font_description_set_absolute_size(fd, pt * S);
    pango_layout_set_font_description(l, fd);
    pango_font_description_free(fd);
    pango_layout_set_text(l, utf8, -1);
    int w;
    pango_layout_get_size(l, &w, NULL);
    double dx = align == 1 ? -w / S / 2 : align == 2 ? -w / S : 0;
    cairo_move_to(cr, x + dx, y - pango_layout_get_baseline(l) / S);
    pango_cairo_show_layout(cr, l);
    g_object_unref(l);
}

void pdf_draw_label(cairo_t *cr, double x, double y, double pt, int align, const char *utf8)
{
    PangoContext *pc = new_context();
    cairo_save(cr);
    cairo_set_source_rgb(cr, 0, 0, 0);
    label_with(pc, cr, x, y, pt, align, utf8);
    cairo_restore(cr);
    g_object_unref(pc);
}

int pdf_doc_finish(pdf_doc *d)
{
    if (d->finished)
        return d->npages;
    if (d->cr) {
        cairo_destroy(d->cr);
        d->cr = NULL;
    }
    /* a trailing page with nothing on it (a break right at the end) is dropped */
    if (d->npages > 1 && d->page_empty) {
        cairo_surface_destroy(d->pages[--d->npages]);
    }
    for (int i = 0; i < d->npages && !d->no_footer; i++) {
        cairo_t *cr = cairo_create(d->pages[i]);
        cairo_set_source_rgb(cr, 0, 0, 0);
        double y = PDF_H - 13 * PDF_MM;
        char pg[64];
        snprintf(pg, sizeof pg, "第 %d 页 共 %d 页", i + 1, d->npages);
        if (d->doc_no[0]) {
            char no[300];
            snprintf(no, sizeof no, "编号：%s", d->doc_no);
            label_with(d->pc, cr, PDF_LEFT_MARGIN, y, 9, 0, no);
            label_with(d->pc, cr, PDF_W - PDF_RIGHT_MARGIN, y, 9, 2, pg);
        } else {
            label_with(d->pc, cr, PDF_W / 2, y, 9, 1, pg);
        }
        cairo_destroy(cr);
    }
    d->finished = true;
    return d->npages;
}

int pdf_doc_pages(const pdf_doc *d)
{
    return d->npages;
}

cairo_surface_t *pdf_doc_page(const pdf_doc *d, int i)
{
    return i >= 0 && i < d->npages ? d->pages[i] : NULL;
}

struct pdf_writer {
    cairo_surface_t *s;
    cairo_t *cr;
    char *data;
    size_t len, cap;
    int pages;
    bool overflow;
};

#define PDF_MAX_BYTES ((size_t)1 << 30)

static cairo_status_t write_cb(void *closure, const unsigned char *p, unsigned int n)
{
    pdf_writer *w = closure;
    if (w->len + n > PDF_MAX_BYTES) {
        w->overflow = true;
        return CAIRO_STATUS_WRITE_ERROR;
    }
    if (w->len + n > w->cap) {
        while (w->len + n > w->cap)
            w->cap = w->cap ? w->cap * 2 : 1 << 16;
        w->data = xrealloc(w->data, w->cap);
    }
    memcpy(w->data + w->len, p, n);
    w->len += n;
    return CAIRO_STATUS_SUCCESS;
}

pdf_writer *pdf_writer_new(const char *title)
{
    pdf_writer *w = xcalloc(1, sizeof *w);
    w->s = cairo_pdf_surface_create_for_stream(write_cb, w, PDF_W, PDF_H);
    cairo_pdf_surface_restrict_to_version(w->s, CAIRO_PDF_VERSION_1_5);
    if (title && *title)
        cairo_pdf_surface_set_metadata(w->s, CAIRO_PDF_METADATA_TITLE, title);
    cairo_pdf_surface_set_metadata(w->s, CAIRO_PDF_METADATA_CREATOR, "tiaojie");
    w->cr = cairo_create(w->s);
    return w;
}

cairo_t *pdf_writer_page(pdf_writer *w)
{
    if (w->pages++)
        cairo_show_page(w->cr);
    cairo_identity_matrix(w->cr);
    cairo_reset_clip(w->cr);
    cairo_set_source_rgb(w->cr, 0, 0, 0);
    return w->cr;
}

cairo_t *pdf_writer_page_cr(pdf_writer *w)
{
    return w->cr;
}

void pdf_writer_add(pdf_writer *w, cairo_surface_t *page)
{
    cairo_t *cr = pdf_writer_page(w);
    cairo_save(cr);
    cairo_set_source_surface(cr, page, 0, 0);
    cairo_paint(cr);
    cairo_restore(cr);
}

int pdf_writer_finish(pdf_writer *w, void **out, size_t *n, tj_err *err)
{
    cairo_status_t st = cairo_status(w->cr);
    cairo_destroy(w->cr);
    cairo_surface_finish(w->s);
    if (st == CAIRO_STATUS_SUCCESS)
        st = cairo_surface_status(w->s);
    cairo_surface_destroy(w->s);
    if (st != CAIRO_STATUS_SUCCESS || w->overflow || !w->len) {
        free(w->data);
        bool big = w->overflow;
        free(w);
        return err_set(err, big ? 413 : 500, big ? "payload_too_large" : "internal", NULL,
                       big ? "生成的 PDF 过大" : "生成 PDF 失败：%s", cairo_status_to_string(st));
    }
    *out = w->data;
    *n = w->len;
    free(w);
    return 0;
}

int pdf_doc_write(pdf_doc *d, const char *title, void **out, size_t *n, tj_err *err)
{
    pdf_doc_finish(d);
    pdf_writer *w = pdf_writer_new(title);
    for (int i = 0; i < d->npages; i++)
        pdf_writer_add(w, d->pages[i]);
    return pdf_writer_finish(w, out, n, err);
}
