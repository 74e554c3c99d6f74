/* demo.h — a realistic demo county for `tiaojie init --demo`: a county judicial
 * bureau, ten townships (judicial office + township committee + 8–15 villages or
 * communities with committees, a few left uncovered), industry committees,
 * dispatched rooms, a studio, partner agencies, 200+ mediators with Chinese names
 * and valid (encrypted) identity numbers, and one account per role. Deterministic. */
#ifndef TJ_STORE_DEMO_H
#define TJ_STORE_DEMO_H
#include "db/db.h"

#define DEMO_PASSWORD "Tiaojie@2026"

/* Fill an empty, migrated database. Runs in one transaction. */
int demo_build(db *d, tj_err *err);
/* Create just a root bureau and an admin account (non-demo init). */
int demo_minimal(db *d, const char *org_name, const char *region_code, const char *admin_login,
                 const char *admin_password, tj_err *err);
/* The demo accounts as "login  role  org" lines, or NULL when the database holds no
 * demo data. free() the result. */
char *demo_accounts_text(db *d, tj_err *err);

#endif
