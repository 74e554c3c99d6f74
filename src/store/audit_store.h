/* audit_store.h — the append-only audit log (who, org, when, action, object, request,
 * client address, what changed). Writes join the caller's transaction, so an
 * audited change and its audit entry commit or vanish together. There is no update
 * or delete function, and the schema refuses both. */
#ifndef TJ_STORE_AUDIT_STORE_H
#define TJ_STORE_AUDIT_STORE_H
#include <jansson.h>

#include "db/db.h"
#include "store/scope.h"

typedef struct audit_ctx {
    const principal *who; /* may be NULL (failed sign-in, CLI) */
    const char *login;    /* used when who is NULL */
    const char *request_id;
    const char *client_ip;
} audit_ctx;

/* Append an entry. detail (may be NULL) is stolen. object_id may be NULL. */
int audit_write(db *d, const audit_ctx *ctx, const char *action, const char *object_type,
                const char *object_id, json_t *detail, tj_err *err);

typedef struct audit_filter {
    const char *from, *to; /* dates YYYY-MM-DD (Asia/Shanghai), inclusive */
    const char *actor, *action, *object_type;
    int64_t before_id; /* keyset cursor: entries with id < before_id; 0 = newest */
    int limit;         /* 1..10000 */
} audit_filter;

/* Entries visible to who (its subtree's actors), newest first, as a JSON array;
 * *total (may be NULL) counts all matches. */
int audit_list(db *d, const principal *who, const audit_filter *f, json_t **items, int64_t *total,
               tj_err *err);

#endif
