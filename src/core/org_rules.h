/* org_rules.h — what makes an organisation well-formed in the network. */
#ifndef TJ_CORE_ORG_RULES_H
#define TJ_CORE_ORG_RULES_H
#include "core/err.h"

/* Check the kind-dependent fields and the parent's kind:
 * - committee: field optional (industry/professional committees set it); host and
 *   partner_type must be empty; parent is a bureau or judicial office.
 * - dispatched_room: host required (police, court, petition, procuratorate, admin);
 *   parent is a bureau or judicial office.
 * - studio: parent is a bureau, judicial office or committee.
 * - partner: partner_type required; parent is a bureau or judicial office.
 * - judicial_office: parent is a bureau. bureau: parent is a bureau or none (root).
 * - level must be one of the org_level values, and agree with the kind (a judicial
 *   office is township/street level; a bureau county or above).
 * parent_kind is NULL for a root org. Empty strings count as absent. */
int org_rules_check(const char *kind, const char *level, const char *field, const char *host,
                    const char *partner_type, const char *parent_kind, tj_err *err);

/* Only the parent rule of org_rules_check (used when moving an org). */
int org_rules_parent_ok(const char *kind, const char *parent_kind, tj_err *err);

/* Whether region_code is 6, 9 or 12 digits (county, township, village codes of the
 * national administrative division scheme). */
int org_rules_region_code_ok(const char *code);

#endif
