/* outbox.h — delivers partner notifications (webhooks) from the durable outbox
 * (store/webhook_store.h) on one background thread started by the server.
 *
 * Each delivery is one HTTP/1.1 POST over a plain TCP socket to the endpoint's
 * http:// URL (partner endpoints sit inside the government network; https is
 * refused when an endpoint is registered), with a connect timeout of 5 s and a
 * whole-exchange timeout of TIAOJIE_WEBHOOK_TIMEOUT_MS (default 10000). A 2xx
 * answer is success; anything else (another status, refused, timed out) is a
 * failure retried after the backoff of core/referral.h, whose base is
 * TIAOJIE_WEBHOOK_BACKOFF_MS (default 30000).
 *
 * Request:
 *   POST <path> HTTP/1.1
 *   Content-Type: application/json; charset=utf-8
 *   User-Agent: tiaojie/<version>
 *   X-Tiaojie-Event: referral.accepted
 *   X-Tiaojie-Delivery: <delivery id; the same on every retry>
 *   X-Tiaojie-Timestamp: <unix seconds of this attempt>
 *   X-Tiaojie-Signature: sha256=<hex HMAC-SHA256(key = the secret's text,
 *                                  message = timestamp + "." + body)>
 *
 * The thread sleeps until the next delivery is due (at most 1 s, so deliveries
 * queued by another instance on the same database are found) or until
 * outbox_kick(). outbox_stop() interrupts a delivery in progress (its lease is
 * released without counting an attempt, so it is sent again after a restart) and
 * returns within about 2 s whatever the network does. */
#ifndef TJ_APP_OUTBOX_H
#define TJ_APP_OUTBOX_H
#include <stddef.h>

#include "app/config.h"

/* Start the delivery thread (once). 0, or -1 with err filled. */
int outbox_start(const config *cfg, tj_err *err);
/* Stop it and wait at most ~2 s; safe when not started. */
void outbox_stop(void);
/* Wake the thread: a request has just committed a delivery. Safe when not started. */
void outbox_kick(void);

/* Bytes of a signature header value: "sha256=" + 64 hex + NUL. */
#define OUTBOX_SIGNATURE_SIZE 72
/* The X-Tiaojie-Signature value for body sent at timestamp ts with secret. */
void outbox_sign(const char *secret, const char *ts, const char *body, size_t n,
                 char out[OUTBOX_SIGNATURE_SIZE]);

#endif
