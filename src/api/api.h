/* api.h — shared helpers of the api/ handlers: one file per resource, each thin:
 * parse and validate → core rules → store, in one transaction. */
#ifndef TJ_API_API_H
#define TJ_API_API_H
#include "db/db.h"
#include "http/http.h"
#include "http/jv.h"
#include "store/audit_store.h"
#include "store/file_store.h"

/* The calling thread's connection, or -1 with r->err filled. */
int api_db(http_req *r, db **out);
/* Audit context of the request. */
audit_ctx api_audit(http_req *r);
/* Begin a write transaction (BEGIN IMMEDIATE on SQLite). */
int api_begin(http_req *r, db *d);
/* Commit; on failure r->err is filled and the transaction rolled back. */
int api_commit(http_req *r, db *d);
/* ?limit= clamped to 1..max (default def); 400 when not a number. */
int api_limit(http_req *r, int def, int max, int *out);
/* ?cursor= as a positive id (0 when absent); 400 when malformed. */
int api_cursor(http_req *r, int64_t *out);
/* Optional ?name= as an id (0 when absent); 400 when malformed. */
int api_query_id(http_req *r, const char *name, int64_t *out);

/* The body table of one party of a case (api/cases.c), also used by referrals. */
extern const jv_field party_spec[];

/* An id as text in the request's arena (audit object ids). */
const char *api_id_str(http_req *r, int64_t id);
/* The body as a JSON object; a POST without a body is an empty object (close, archive). */
int api_body_or_empty(http_req *r, json_t **out);

/* Respond with a stored file's bytes (checksum verified), inline, with its UTF-8 name and
 * an X-Checksum-SHA256 header. */
int api_send_file(http_req *r, const file_row *f);

/* Handlers (one group per file). */
int api_health(http_req *r);
int api_dicts(http_req *r);
int api_auth_login(http_req *r);
int api_auth_logout(http_req *r);
int api_auth_me(http_req *r);
int api_auth_password(http_req *r);
int api_orgs_list(http_req *r);
int api_orgs_get(http_req *r);
int api_orgs_create(http_req *r);
int api_orgs_update(http_req *r);
int api_orgs_move(http_req *r);
int api_orgs_dissolve(http_req *r);
int api_coverage(http_req *r);
int api_regions_list(http_req *r);
int api_regions_create(http_req *r);
int api_people_list(http_req *r);
int api_people_get(http_req *r);
int api_people_create(http_req *r);
int api_people_update(http_req *r);
int api_people_unmask(http_req *r);
int api_users_list(http_req *r);
int api_users_create(http_req *r);
int api_users_update(http_req *r);
int api_users_password(http_req *r);
int api_tokens_list(http_req *r);
int api_tokens_create(http_req *r);
int api_tokens_revoke(http_req *r);
int api_audit_list(http_req *r);
int api_audit_export(http_req *r);
int api_stats_overview(http_req *r);
int api_stats_cases(http_req *r);
int api_calendar_add_workdays(http_req *r);
int api_calendar_year(http_req *r);
int api_cases_list(http_req *r);
int api_cases_create(http_req *r);
int api_cases_get(http_req *r);
int api_cases_event(http_req *r);
int api_cases_recuse(http_req *r);
int api_cases_suggest(http_req *r);
int api_todo(http_req *r);
int api_files_upload(http_req *r);
int api_files_get(http_req *r);
int api_cases_attach(http_req *r);
int api_settings_deadlines_get(http_req *r);
int api_settings_deadlines_put(http_req *r);
int api_calendar_override_set(http_req *r);
int api_calendar_override_delete(http_req *r);
int api_referrals_list(http_req *r);
int api_referrals_create(http_req *r);
int api_referrals_get(http_req *r);
int api_referrals_update(http_req *r);
int api_referrals_attach(http_req *r);
int api_referrals_upload(http_req *r);
int api_referrals_detach(http_req *r);
int api_referrals_file(http_req *r);
int api_referrals_event(http_req *r);
int api_referrals_feedback_draft(http_req *r);
int api_referrals_stats(http_req *r);
int api_webhooks_list(http_req *r);
int api_webhooks_get(http_req *r);
int api_webhooks_create(http_req *r);
int api_webhooks_rotate(http_req *r);
int api_webhooks_disable(http_req *r);
int api_webhooks_ping(http_req *r);
int api_webhook_deliveries_list(http_req *r);
int api_webhook_deliveries_get(http_req *r);
int api_webhook_deliveries_retry(http_req *r);
int api_documents_list(http_req *r);
int api_documents_generate(http_req *r);
int api_documents_get(http_req *r);
int api_documents_pdf(http_req *r);
int api_case_file_get(http_req *r);
int api_case_file_pdf(http_req *r);
int api_case_file_submit(http_req *r);
int api_case_file_review(http_req *r);
int api_settings_subsidy_get(http_req *r);
int api_settings_subsidy_put(http_req *r);
int api_subsidies_list(http_req *r);
int api_subsidies_export(http_req *r);

#endif
