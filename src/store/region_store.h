/* region_store.h — administrative divisions (行政区划: county 6 digits, township 9,
 * village/community 12) and the coverage check built on them (人民调解组织全覆盖: every
 * village and community has an undissolved committee). A region's code starts with its
 * parent's, so "the regions under X" is a prefix range on the code. Regions are public
 * reference data: no data scope applies. */
#ifndef TJ_STORE_REGION_STORE_H
#define TJ_STORE_REGION_STORE_H
#include <jansson.h>
#include <stdbool.h>

#include "db/db.h"

/* Children of parent_code (NULL: the roots) ordered by code, as
 * [{"code","name","level","parent_code"}]. */
int region_list(db *d, const char *parent_code, json_t **items, tj_err *err);
/* Level of a region into level[16]; *found false when there is none. */
int region_level(db *d, const char *code, char level[16], bool *found, tj_err *err);
/* Insert a region (the caller validated it); 409 on field "code" when it exists. */
int region_insert(db *d, const char *code, const char *name, const char *level,
                  const char *parent_code, tj_err *err);
/* The region_code of an org into out[16] ("" when it has none). */
int region_code_of_org(db *d, int64_t org_id, char out[16], tj_err *err);
/* Coverage of the villages and communities whose code starts with region_code: *total of
 * them, *covered by an undissolved committee whose region_code is theirs; when uncovered
 * is not NULL, the others as [{"region_code","name","township"}] in code order. */
int region_coverage(db *d, const char *region_code, int64_t *total, int64_t *covered,
                    json_t **uncovered, tj_err *err);

#endif
