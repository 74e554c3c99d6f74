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



    {NULL, NULL, NULL, 0, -1},
};
