/* pdf.h — page layout for the generated documents: A4 pages of Chinese text set in
 * "Noto Serif CJK SC" (fonts-noto-cjk) with cairo + pango, laid out top to bottom
 * with a cursor.
 *
 * Paragraphs and table rows that do not fit on the page flow onto the next one line
 * by line, so no text is ever cut off or drawn over other text. Pages are kept as
 * cairo recording surfaces until the document is finished; then every page gets a
 * footer with the document number and "第 i 页 共 n 页" (the total is known by then),
 * and the pages can be written as a PDF (fonts embedded as subsets) or replayed into
 * a larger PDF (a case file, render/case_file_pdf.h).
 *
 * Text arguments are Pango markup: build it with pdf_m(), which escapes every string
 * argument, so data from the database can never inject markup. Strings pdf_m()
 * returns belong to the document and live until pdf_doc_free().
 *
 * A document is used by one thread; documents on different threads are independent
 * (each thread uses its own default pango font map). */
#ifndef TJ_RENDER_PDF_H
#define TJ_RENDER_PDF_H
#include <cairo.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"

#define PDF_W  595.2756 /* A4 in points */
#define PDF_H  841.8898
#define PDF_MM 2.8346457
/* Text area: binding margin on the left (case files are bound on the left). */
#define PDF_LEFT_MARGIN  (28 * PDF_MM)
#define PDF_RIGHT_MARGIN (24 * PDF_MM)
#define PDF_TOP_MARGIN   (24 * PDF_MM)
#define PDF_BOTTOM_EDGE  (PDF_H - 24 * PDF_MM) /* text never goes below this */
#define PDF_TEXT_W       (PDF_W - PDF_LEFT_MARGIN - PDF_RIGHT_MARGIN)
#define PDF_FONT_FAMILY  "Noto Serif CJK SC"
#define PDF_BODY_PT      12.0 /* 小四 */

enum pdf_flags {
    PDF_LEFT = 0,
    PDF_CENTER = 1 << 0,
    PDF_RIGHT = 1 << 1,
    PDF_INDENT = 1 << 2, /* first line indented two characters */
    PDF_BOLD = 1 << 3,
    PDF_SMALL = 1 << 4,   /* 五号 10.5 pt */
    PDF_TITLE = 1 << 5,   /* 二号 22 pt bold, centred */
    PDF_HEADING = 1 << 6, /* 四号 14 pt bold */
    PDF_JUSTIFY = 1 << 7,
    PDF_VCENTER = 1 << 8, /* table cell: centred vertically when the row is not split */
    PDF_KEEP = 1 << 9,    /* paragraph: move it whole to the next page rather than split it */
    PDF_HANG = 1 << 10,   /* paragraph: lines after the first indented two characters */
    PDF_LARGE = 1 << 11,  /* 三号 16 pt */
};

typedef struct pdf_doc pdf_doc;

typedef struct pdf_cell {
    const char *markup; /* NULL = empty */
    int span;           /* columns covered, 0 = 1 */
    int flags;          /* PDF_CENTER, PDF_RIGHT, PDF_BOLD, PDF_SMALL, PDF_VCENTER */
} pdf_cell;

/* Whether the CJK serif font is installed (fontconfig resolves PDF_FONT_FAMILY to a
 * Noto CJK face); 500 naming the package otherwise. Checked once per process. */
int pdf_font_check(tj_err *err);

/* A new document with page 1 started. doc_no (may be NULL or "") goes in every footer. */
pdf_doc *pdf_doc_new(const char *doc_no);
/* No footers at all (a case file's cover and contents list). */
void pdf_doc_no_footer(pdf_doc *d);
void pdf_doc_free(pdf_doc *d);

/* Markup from a printf format whose %s arguments are escaped; owned by d. */
const char *pdf_m(pdf_doc *d, const char *fmt, ...);

/* A paragraph across the text width (flags: alignment, size, indent, keep). */
void pdf_text(pdf_doc *d, const char *markup, int flags);
/* The same paragraph in a box of width w starting at x (from the left edge of the
 * text area), without moving the cursor; returns its height. Used for side-by-side
 * blocks such as signature columns. It must fit on the current page. */
double pdf_text_at(pdf_doc *d, double x, double w, const char *markup, int flags);
/* Height the paragraph would take across width w (PDF_TEXT_W for full width). */
double pdf_text_height(pdf_doc *d, double w, const char *markup, int flags);
/* Vertical space; at the top of a page it is dropped. */
void pdf_gap(pdf_doc *d, double pt);
/* Start a new page unless pt points remain above the bottom margin. */
void pdf_need(pdf_doc *d, double pt);
/* Points left on the current page. */
double pdf_remaining(const pdf_doc *d);
/* Move the cursor down by pt (after pdf_text_at blocks). */
void pdf_advance(pdf_doc *d, double pt);
/* Start a new page (no-op on an empty page). */
void pdf_page_break(pdf_doc *d);
/* A horizontal line across the text area (thick: 1.5 pt, else 0.6 pt). */
void pdf_rule(pdf_doc *d, bool thick);
/* An unfilled circle of diameter dia centred at x (from the text area's left) on the
 * cursor line plus dy, dashed: where a seal goes. */
void pdf_seal_mark(pdf_doc *d, double x, double dy, double dia);

/* Tables: column widths as fractions of the text width (summing to 1). Rows are drawn
 * with borders; a row taller than the space left is split line by line onto the next
 * page, where the header row (if set) is repeated. */
void pdf_table_begin(pdf_doc *d, int ncols, const double *fractions);
void pdf_table_header(pdf_doc *d, const pdf_cell *cells, int n);
void pdf_table_row(pdf_doc *d, const pdf_cell *cells, int n, double min_height);
void pdf_table_end(pdf_doc *d);

/* Draw every page's footer; further drawing is refused. Returns the page count. */
int pdf_doc_finish(pdf_doc *d);
int pdf_doc_pages(const pdf_doc *d);
/* Page i (0-based) as a recording surface of PDF_W × PDF_H, owned by d. */
cairo_surface_t *pdf_doc_page(const pdf_doc *d, int i);

/* A PDF being written page by page into memory. */
typedef struct pdf_writer pdf_writer;
/* title goes in the document information (may be NULL). */
pdf_writer *pdf_writer_new(const char *title);
/* Start a new A4 page (the previous one is complete) and return its context (points,
 * origin top left), owned by the writer. */
cairo_t *pdf_writer_page(pdf_writer *w);
/* The context of the current page (after pdf_writer_page or pdf_writer_add). */
cairo_t *pdf_writer_page_cr(pdf_writer *w);
/* Start a new page and paint a recording surface (a pdf_doc page) on it. */
void pdf_writer_add(pdf_writer *w, cairo_surface_t *page);
/* Finish: *out (free()) gets the PDF bytes. The writer is freed either way. */
int pdf_writer_finish(pdf_writer *w, void **out, size_t *n, tj_err *err);

/* Finish d and write it as one PDF. */
int pdf_doc_write(pdf_doc *d, const char *title, void **out, size_t *n, tj_err *err);

/* Draw a small line of text at (x, y baseline) on any context, in the body font at
 * size pt (footers, page stamps). align: 0 left, 1 centre, 2 right of x. */
void pdf_draw_label(cairo_t *cr, double x, double y, double pt, int align, const char *utf8);

#endif
