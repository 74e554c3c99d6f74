/* routes.c — the API's route table: method, path pattern, handler, flags and the
 * permission (core/perm.h) the caller must hold. Scope checks happen in store/. */
#include "api/api.h"
#include "http/router.h"

#define P(x) PERM_##x
const route api_routes[] = {
    {"GET", "/api/health", api_health, ROUTE_PUBLIC, -1},
    {"GET", "/api/dicts", api_dicts, ROUTE_PUBLIC, -1},
    {"POST", "/api/auth/login", api_auth_login, ROUTE_PUBLIC | ROUTE_NO_CSRF | ROUTE_SLOW, -1},
    {"POST", "/api/auth/logout", api_auth_logout, 0, -1},
    {"GET", "/api/auth/me", api_auth_me, 0, -1},
    {"POST", "/api/auth/password", api_auth_password, ROUTE_SLOW, -1},

    {"GET", "/api/orgs", api_orgs_list, 0, P(ORG_READ)},
    {"POST", "/api/orgs", api_orgs_create, 0, P(ORG_WRITE)},
    {"GET", "/api/orgs/:id", api_orgs_get, 0, P(ORG_READ)},
    {"PATCH", "/api/orgs/:id", api_orgs_update, 0, P(ORG_WRITE)},
    {"POST", "/api/orgs/:id/move", api_orgs_move, 0, P(ORG_WRITE)},
    {"POST", "/api/orgs/:id/dissolve", api_orgs_dissolve, 0, P(ORG_WRITE)},
    {"GET", "/api/coverage", api_coverage, 0, P(ORG_READ)},
    {"GET", "/api/regions", api_regions_list, 0, P(ORG_READ)},
    {"POST", "/api/regions", api_regions_create, 0, P(ORG_WRITE)},

    {"GET", "/api/people", api_people_list, 0, P(PERSON_READ)},
    {"POST", "/api/people", api_people_create, 0, P(PERSON_WRITE)},
    {"GET", "/api/people/:id", api_people_get, 0, P(PERSON_READ)},
    {"PATCH", "/api/people/:id", api_people_update, 0, P(PERSON_WRITE)},
    {"POST", "/api/people/:id/unmask", api_people_unmask, 0, P(PERSON_UNMASK)},

    {"GET", "/api/users", api_users_list, 0, P(USER_MANAGE)},
    {"POST", "/api/users", api_users_create, ROUTE_SLOW, P(USER_MANAGE)},
    {"PATCH", "/api/users/:id", api_users_update, 0, P(USER_MANAGE)},
    {"POST", "/api/users/:id/password", api_users_password, ROUTE_SLOW, P(USER_MANAGE)},
    {"GET", "/api/tokens", api_tokens_list, 0, P(TOKEN_MANAGE)},
    {"POST", "/api/tokens", api_tokens_create, 0, P(TOKEN_MANAGE)},
    {"DELETE", "/api/tokens/:id", api_tokens_revoke, 0, P(TOKEN_MANAGE)},

    {"GET", "/api/audit", api_audit_list, 0, P(AUDIT_READ)},
    {"GET", "/api/audit/export", api_audit_export, ROUTE_SLOW, P(AUDIT_READ)},
    {"GET", "/api/stats/overview", api_stats_overview, 0, -1},
    {"GET", "/api/calendar/add-workdays", api_calendar_add_workdays, 0, -1},
    {"GET", "/api/calendar/year/:year", api_calendar_year, 0, -1},
    {"POST", "/api/calendar/overrides", api_calendar_override_set, 0, P(CALENDAR_WRITE)},
    {"DELETE", "/api/calendar/overrides/:date", api_calendar_override_delete, 0, P(CALENDAR_WRITE)},

    {"GET", "/api/cases", api_cases_list, 0, P(CASE_READ)},
    {"POST", "/api/cases", api_cases_create, 0, P(CASE_WRITE)},
    {"GET", "/api/cases/:id", api_cases_get, 0, P(CASE_READ)},
    {"GET", "/api/cases/:id/suggest-mediators", api_cases_suggest, 0, P(CASE_READ)},
    {"POST", "/api/cases/:id/recuse", api_cases_recuse, 0, P(CASE_WRITE)},
    {"POST", "/api/cases/:id/events/:event", api_cases_event, 0, P(CASE_WRITE)},
    {"GET", "/api/todo", api_todo, 0, P(CASE_READ)},
    {"POST", "/api/cases/:id/attachments", api_cases_attach, 0, P(CASE_WRITE)},
    {"POST", "/api/files", api_files_upload, ROUTE_UPLOAD | ROUTE_SLOW, P(CASE_WRITE)},
    {"GET", "/api/files/:id", api_files_get, ROUTE_SLOW, P(CASE_READ)},
    {"GET", "/api/settings/deadlines", api_settings_deadlines_get, 0, -1},
    {"PUT", "/api/settings/deadlines", api_settings_deadlines_put, 0, P(CALENDAR_WRITE)},
    {NULL, NULL, NULL, 0, -1},
};
