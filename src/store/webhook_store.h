/* webhook_store.h — notification endpoints of partner systems (webhooks) and the
 * durable outbox their notifications are delivered from.
 *
 * An endpoint belongs to a partner org: its http:// URL and a secret, shown once
 * when registered or rotated and kept sealed (app/crypto) because every delivery is
 * signed with it. A notification is queued as one webhook_deliveries row per active
 * endpoint of the org, in the same transaction as the change it reports, so a
 * committed change always has its notification and a rolled-back one never does;
 * app/outbox.c delivers the rows, recording every attempt, and retries failures
 * with exponential backoff (core/referral.h) until delivered or given up
 * ("failed", retryable by hand). Rows survive restarts: a delivery interrupted by
 * shutdown is simply due again.
 *
 * Scope: endpoints and deliveries of orgs in the caller's subtree (an administrator
 * sees the partners below it, a partner's lead its own org); anything else is 404. */
#ifndef TJ_STORE_WEBHOOK_STORE_H
#define TJ_STORE_WEBHOOK_STORE_H
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "db/db.h"
#include "store/scope.h"

/* Bytes of a secret ("whsec_" + 43 base64url characters + NUL). */
#define WEBHOOK_SECRET_SIZE 56

/* Endpoints visible to who, newest first, with their pending and failed counts. */
int webhook_list(db *d, const principal *who, json_t **items, tj_err *err);
/* One endpoint visible to who; 404 otherwise. */
int webhook_get_json(db *d, const principal *who, int64_t id, json_t **out, tj_err *err);
/* Register url (checked with referral_webhook_url_parse) for org_id (0 = who's org),
 * which must be a partner org in who's subtree (400 on field "org_id"). secret gets
 * the new secret, *id the endpoint. */
int webhook_create(db *d, const principal *who, int64_t org_id, const char *url,
                   const char *description, char secret[WEBHOOK_SECRET_SIZE], int64_t *id,
                   tj_err *err);
/* Replace the secret of an active endpoint; later deliveries are signed with it. */
int webhook_rotate(db *d, const principal *who, int64_t id, char secret[WEBHOOK_SECRET_SIZE],
                   tj_err *err);
/* Disable an endpoint (409 when already disabled); its pending deliveries are
 * cancelled. */
int webhook_disable(db *d, const principal *who, int64_t id, tj_err *err);

/* Queue event with data (stolen) for every active endpoint of org_id, inside the
 * caller's transaction: payload {"event","occurred_at","data"}. *queued (may be
 * NULL) gets the number of rows. */
int webhook_enqueue(db *d, int64_t org_id, const char *event, json_t *data, int64_t referral_id,
                    int64_t *queued, tj_err *err);
/* Queue a "ping" for one endpoint visible to who; *delivery_id gets the row. */
int webhook_ping(db *d, const principal *who, int64_t endpoint_id, int64_t *delivery_id,
                 tj_err *err);

typedef struct webhook_filter {
    const char *status; /* pending, delivered, failed, cancelled, or NULL */
    int64_t endpoint_id, referral_id, cursor_id;
    int limit;
} webhook_filter;

/* A page of deliveries visible to who, newest first (the outbox view). */
int webhook_deliveries(db *d, const principal *who, const webhook_filter *f, json_t **items,
                       int64_t *total, int64_t *next, tj_err *err);
/* One delivery with its payload and every attempt; 404 when not visible. */
int webhook_delivery_json(db *d, const principal *who, int64_t id, json_t **out, tj_err *err);
/* Send a delivery again now: a failed (given-up) or cancelled one from attempt one, a
 * pending one without waiting for its backoff. 409 for a delivered one or when the
 * endpoint has been disabled. A delivery being sent right now keeps its lease. */
int webhook_retry(db *d, const principal *who, int64_t id, tj_err *err);

/* ---- the delivery side (app/outbox.c; no principal) ---- */

typedef struct webhook_job {
    int64_t id, endpoint_id;
    int attempts;
    char event[64];
    char url[512];
    char *secret;  /* malloc'd, wiped and freed by webhook_job_free */
    char *payload; /* malloc'd */
} webhook_job;

/* Ids of pending deliveries due at now_ms and not leased, oldest first (at most
 * max); *next_ms gets the earliest due time of the others (0 when none). */
int webhook_due(db *d, int64_t now_ms, int64_t *ids, int max, int *n, int64_t *next_ms,
                tj_err *err);
/* Lease delivery id until now_ms + lease_ms if it is still pending and unleased;
 * *claimed tells whether it was, and job is then filled (a disabled endpoint's
 * delivery is cancelled instead and not claimed). */
int webhook_claim(db *d, int64_t id, int64_t now_ms, int64_t lease_ms, bool *claimed,
                  webhook_job *job, tj_err *err);
/* Record an attempt: status_code (0 when no HTTP answer) and error (NULL when
 * delivered, i.e. a 2xx answer). A failure is due again after the backoff of
 * core/referral.h, or given up. Releases the lease. */
int webhook_record(db *d, const webhook_job *job, int status_code, const char *error,
                   int64_t duration_ms, int64_t now_ms, int64_t backoff_base_ms, tj_err *err);
/* Release a lease without counting an attempt (delivery interrupted by shutdown). */
int webhook_release(db *d, int64_t id, tj_err *err);
void webhook_job_free(webhook_job *job);

#endif
