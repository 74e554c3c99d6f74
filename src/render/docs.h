/* docs.h — the standard people's-mediation documents (人民调解文书), laid out from the
 * case's data. Layout only: the caller (store/doc_store.c) gathers the data into one
 * JSON object and gets back the pages; nothing here reads the database.
 *
 * The data object:
 *   kind       document kind (core/case_file.h cf_doc_name)
 *   doc_no     document number printed under the title and in every footer
 *   today      "YYYY-MM-DD", the document date
 *   user_name  who generates it (registrar, filed by …)
 *   note       free text: the case-file note (卷宗情况说明) or remarks (备考表); may be absent
 *   retention  保管期限 for the cover ("30年"); may be absent
 *   org        {name, address, phone, parent_name} of the handling committee
 *   case       the case as GET /api/cases/:id returns it (parties, mediators, records,
 *              agreement, termination, follow_ups, deadlines, timeline …)
 *   referral   the referral row (letter_no, letter_date, channel, partner_org_name,
 *              target_org_name, dispute, received_on, decided_on, status …) or null
 *   file       for the cover and back cover only: {items:[{no, title, pages, note}],
 *              count, total_pages, filed_by, filed_on} (render/case_file_pdf.c fills it)
 * Any member may be missing or null: blank lines are printed where a form expects a
 * value, and prose leaves out what is unknown. */
#ifndef TJ_RENDER_DOCS_H
#define TJ_RENDER_DOCS_H
#include <jansson.h>

#include "core/case_file.h"
#include "render/pdf.h"

/* Lay out document kind from data into a new finished document (*out; pdf_doc_free
 * it). 400 for a kind this module does not render. */
int doc_render(cf_doc kind, json_t *data, pdf_doc **out, tj_err *err);

/* Lay out and write as PDF bytes (*out, free()); *pages gets the page count. */
int doc_render_pdf(cf_doc kind, json_t *data, void **out, size_t *n, int *pages, tj_err *err);

/* The agreed terms as numbered items: the text is split at line breaks and at
 * enumerators after a full stop or semicolon ("；二、"), existing numbering (一、 1. （一）)
 * is removed, and each item is returned without it. Items are g_malloc'd strings in
 * a NULL-terminated array (g_strfreev). */
char **doc_split_terms(const char *terms);

#endif
