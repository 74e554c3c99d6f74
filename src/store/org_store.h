/* org_store.h — the organisation tree. Reads see the caller's subtree, its
 * ancestors (to draw the path to the root) and, for partners, the committees and
 * dispatched rooms under their parent (their referral targets). Writes need the
 * target inside the caller's subtree; anything else is "not found" (404). */
#ifndef TJ_STORE_ORG_STORE_H
#define TJ_STORE_ORG_STORE_H
#include <jansson.h>
#include <stdbool.h>

#include "db/db.h"
#include "store/scope.h"

typedef struct org_row {
    int64_t id, parent_id;
    char path[256], kind[24], level[16], name[256];
    bool dissolved;
} org_row;

typedef struct org_fields {
    const char *name, *kind, *level, *region_code, *field, *host, *partner_type, *address, *phone,
        *founded_on;
} org_fields;

/* Orgs visible to who, ordered by path. q filters by name substring, kind by kind. */
int org_list(db *d, const principal *who, const char *q, const char *kind, bool include_dissolved,
             json_t **items, tj_err *err);
/* One org visible to who as JSON with parent_name and counts; 404 otherwise. */
int org_get_json(db *d, const principal *who, int64_t id, json_t **out, tj_err *err);
/* Row of an org inside who's subtree (for writes); 404 when outside or missing. */
int org_get_writable(db *d, const principal *who, int64_t id, org_row *out, tj_err *err);
/* Row of any org by id with no scope check (internal use: CLI, demo). */
int org_get_row(db *d, int64_t id, org_row *out, bool *found, tj_err *err);
/* Insert under parent (the caller checked scope and rules); *id gets the new id. */
int org_insert(db *d, const org_row *parent, const org_fields *f, int64_t *id, tj_err *err);
/* Update the given non-NULL fields (empty string clears an optional one). */
int org_update(db *d, int64_t id, const org_fields *f, tj_err *err);
/* Re-parent org (and its subtree's paths). */
int org_move(db *d, const org_row *org, const org_row *new_parent, tj_err *err);
/* Set dissolved_on; 409 when it has undissolved children. */
int org_dissolve(db *d, const org_row *org, const char *date, tj_err *err);

#endif
