/* perm.h — the permission matrix: which role may do what. The code asks this one
 * table (perm_allows) instead of scattering role checks; docs/permissions.md is
 * generated from the same rows (tiaojie permissions --markdown). */
#ifndef TJ_CORE_PERM_H
#define TJ_CORE_PERM_H
#include <stdbool.h>
#include <stdint.h>

enum role {
    ROLE_ADMIN,
    ROLE_BUREAU_STAFF,
    ROLE_OFFICE_STAFF,
    ROLE_MEDIATOR,
    ROLE_INFORMANT,
    ROLE_PARTNER,
    ROLE_PARTNER_LEAD, /* the partner agency's lead: approves (审签) its referrals */
    ROLE_AUDITOR,
    ROLE__COUNT
};

enum perm {
    PERM_ORG_READ,
    PERM_ORG_WRITE,
    PERM_PERSON_READ,
    PERM_PERSON_WRITE,
    PERM_PERSON_UNMASK,
    PERM_USER_MANAGE,
    PERM_TOKEN_MANAGE,
    PERM_AUDIT_READ,
    PERM_CALENDAR_WRITE,
    PERM_STATS_READ,
    PERM_CASE_READ,
    PERM_CASE_WRITE,
    PERM_REFERRAL_READ,
    PERM_REFERRAL_WRITE,
    PERM_REFERRAL_APPROVE,
    PERM_WEBHOOK_MANAGE,
    PERM_CASE_REVIEW, /* review case files (考评审核) of the committees below */
    PERM__COUNT
};

/* "admin" → ROLE_ADMIN; -1 when unknown. */
int perm_role_parse(const char *s);
/* Identifier and Chinese label of a role (role must be valid). */
const char *perm_role_name(enum role r);
const char *perm_role_label(enum role r);
/* "org.read" etc. and its Chinese description. */
const char *perm_name(enum perm p);
const char *perm_label(enum perm p);
/* Whether role r holds permission p. */
bool perm_allows(enum role r, enum perm p);
/* Bit i set when the role holds permission i. */
uint32_t perm_mask(enum role r);
/* Whether a role only reads (auditor): every write is refused whatever the table says. */
bool perm_read_only(enum role r);
/* Whether a role acts for a partner agency (partner, partner_lead): it sees only what
 * its org referred, and the committees it may refer to. */
bool perm_partner_side(enum role r);

#endif
