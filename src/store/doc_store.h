/* doc_store.h — generated documents, the case file (卷宗) and its review, and the case
 * subsidy ledger (以案定补).
 *
 * Documents: each generation of a kind stores the PDF through file_store (checksum,
 * who, when) and adds a version row (case_documents); older versions are kept. The
 * case file is computed from the case's facts (core/case_file.h): the latest version
 * of each generated document and the uploaded attachments fill its items. A complete
 * file of a closed case is submitted; the judicial office or bureau above the
 * committee reviews it as qualified or not, and a qualified file with a difficulty
 * tier earns the case subsidy, split among the case's mediators into the ledger.
 *
 * Every function taking a case_row expects it from case_get (so the caller's scope
 * was checked); functions that write expect the caller's write transaction. */
#ifndef TJ_STORE_DOC_STORE_H
#define TJ_STORE_DOC_STORE_H
#include <jansson.h>

#include "core/case_file.h"
#include "core/date.h"
#include "db/db.h"
#include "store/case_store.h"
#include "store/file_store.h"
#include "store/scope.h"

/* What the case holds, for the rules of core/case_file.h. */
int doc_facts(db *d, const case_row *c, cf_facts *f, tj_err *err);

/* The data object render/docs.h lays out (case detail, handling org, referral).
 * note may be NULL. *out is new. */
int doc_data(db *d, const principal *who, const case_row *c, tj_date today, const char *note,
             json_t **out, tj_err *err);

/* Record a rendered PDF as the next version of kind for the case; *out (may be NULL)
 * gets the version as JSON ({id, kind, label, version, file_id, sha256, size, pages,
 * doc_no, note, created_at, created_by_name}). */
int doc_put(db *d, const principal *who, const case_row *c, cf_doc kind, const void *pdf, size_t n,
            int pages, const char *doc_no, const char *note, json_t **out, tj_err *err);

/* Every document kind with whether it can be generated now (and why not) and its
 * versions, newest first: {"items":[{kind, label, available, reason, versions:[…]}]}. */
int doc_list(db *d, const case_row *c, json_t **out, tj_err *err);

/* A document version visible to who (through its case); 404 otherwise. *meta (may be
 * NULL) gets its JSON, *f its file row. */
int doc_get(db *d, const principal *who, int64_t id, json_t **meta, file_row *f, tj_err *err);

/* ---- case file ---- */

/* One filed part: a generated document's latest version or an upload. */
typedef struct cf_source {
    cf_item item;
    char title[256], note[64];
    file_row f;
} cf_source;

/* The case file view: status, checklist (items with their sources), missing labels,
 * reviews and subsidy shares. */
int case_file_view(db *d, const principal *who, const case_row *c, json_t **out, tj_err *err);

/* The parts of the merged file in filing order (without the cover, contents list and
 * back cover, which are laid out afresh). *out is malloc'd (free()). */
int case_file_sources(db *d, const case_row *c, cf_source **out, int *n, tj_err *err);

/* Extra data for the cover and back cover: filed_by / filed_on (the submission, or
 * who and today when not yet submitted), set into data.file. */
int case_file_cover_data(db *d, const principal *who, const case_row *c, tj_date today,
                         json_t *data, tj_err *err);

/* Remember the retention period (保管期限) chosen for the cover. */
int case_file_set_retention(db *d, const case_row *c, const char *retention, tj_err *err);

/* Submit the file for review: the case is closed or archived, has a mediator, every
 * required item is present, and the file is not under review or already qualified
 * (409 naming what is wrong, the missing items by name). */
int case_file_submit(db *d, const principal *who, const case_row *c, tj_date today, tj_err *err);

/* Review a submitted file. who must belong to a judicial office or bureau above the
 * handling committee (403 otherwise). result "qualified" needs tier 1…4 and writes the
 * subsidy shares of settings s; "unqualified" needs reasons and returns the file to
 * the committee. */
int case_file_review(db *d, const principal *who, const case_row *c, const char *result,
                     const char *reasons, int tier, const subsidy_settings *s, tj_date today,
                     tj_err *err);

/* ---- subsidy ---- */

/* Defaults overlaid with the stored settings (keys subsidy.tier1…4, subsidy.lead_percent). */
int subsidy_settings_load(db *d, subsidy_settings *s, tj_err *err);
int subsidy_settings_save(db *d, const subsidy_settings *s, tj_err *err);
json_t *subsidy_settings_json(const subsidy_settings *s);
/* Apply {tier_amounts?:[4 fen amounts], lead_percent?} to s; 400 naming the member. */
int subsidy_settings_from_json(json_t *body, subsidy_settings *s, tj_err *err);

typedef struct subsidy_filter {
    const char *org_path;  /* NULL: the caller's subtree */
    const char *from, *to; /* granted_on, inclusive, may be NULL */
    int64_t person_id;     /* 0: everyone */
} subsidy_filter;

/* The ledger in who's scope: {items:[…], by_person:[…], total_amount, count}. */
int subsidy_ledger(db *d, const principal *who, const subsidy_filter *f, json_t **out, tj_err *err);

#endif
