#include "store/migrate.h"
#include "store/case_store.h"
#include "store/fts_lift.h"
#include "store/referral_store.h"
#include "util/clock.h"
#include "util/log.h"

#include <stdio.h>

/* SQL is in the subset SQLite and PostgreSQL share. Times are TEXT in ISO-8601 UTC
 * ("2026-11-23T04:12:00Z"), dates TEXT YYYY-MM-DD (Asia/Shanghai), money INTEGER fen.
 * Org scope uses the materialised path ("/1/3/12/") with a range predicate, which
 * both engines serve from a plain b-tree index. Engine-specific statements (append-only
 * triggers) go in the per-engine fields. */
struct migration {
    int version;
    const char *name;
    const char *sql;
    const char *sqlite_sql;
};

/* The earliest due date among the open deadlines of the case being updated (an SQL
 * expression inside UPDATE cases), judicial confirmation aside; NULL when none is. */
#define NEXT_DUE_SQL                                                                               \
    "(SELECT MIN(dl.due_on) FROM case_deadlines dl WHERE dl.case_id = cases.id"                    \
    " AND dl.stopped_on IS NULL AND dl.kind <> 'judicial_confirmation')"

static const struct migration migrations[] = {
    {1, "organisations, accounts, people, audit",
     "CREATE TABLE regions ("
     " code TEXT PRIMARY KEY,"
     " name TEXT NOT NULL,"
     " level TEXT NOT NULL,"
     " parent_code TEXT REFERENCES regions(code));"
     "CREATE INDEX regions_parent ON regions(parent_code);"

     "CREATE TABLE orgs ("
     " id INTEGER PRIMARY KEY,"
     " parent_id INTEGER REFERENCES orgs(id),"
     " path TEXT NOT NULL,"
     " name TEXT NOT NULL,"
     " kind TEXT NOT NULL,"
     " level TEXT NOT NULL,"
     " region_code TEXT,"
     " field TEXT,"
     " host TEXT,"
     " partner_type TEXT,"
     " address TEXT,"
     " phone TEXT,"
     " founded_on TEXT,"
     " dissolved_on TEXT,"
     " created_at TEXT NOT NULL,"
     " updated_at TEXT NOT NULL);"
     "CREATE UNIQUE INDEX orgs_path ON orgs(path);"
     "CREATE INDEX orgs_parent ON orgs(parent_id);"
     "CREATE INDEX orgs_region ON orgs(region_code);"

     "CREATE TABLE users ("
     " id INTEGER PRIMARY KEY,"
     " login TEXT NOT NULL UNIQUE,"
     " name TEXT NOT NULL,"
     " org_id INTEGER NOT NULL REFERENCES orgs(id),"
     " role TEXT NOT NULL,"
     " phone TEXT,"
     " pw_hash TEXT NOT NULL,"
     " disabled INTEGER NOT NULL DEFAULT 0,"
     " pw_changed_at TEXT NOT NULL,"
     " last_login_at TEXT,"
     " created_at TEXT NOT NULL,"
     " updated_at TEXT NOT NULL);"
     "CREATE INDEX users_org ON users(org_id);"

     "CREATE TABLE sessions ("
     " id INTEGER PRIMARY KEY,"
     " token_hash TEXT NOT NULL UNIQUE,"
     " user_id INTEGER NOT NULL REFERENCES users(id),"
     " csrf_token TEXT NOT NULL,"
     " created_at INTEGER NOT NULL,"
     " last_seen INTEGER NOT NULL,"
     " client_ip TEXT,"
     " user_agent TEXT);"
     "CREATE INDEX sessions_user ON sessions(user_id);"

     "CREATE TABLE api_tokens ("
     " id INTEGER PRIMARY KEY,"
     " name TEXT NOT NULL,"
     " token_hash TEXT NOT NULL UNIQUE,"
     " org_id INTEGER NOT NULL REFERENCES orgs(id),"
     " role TEXT NOT NULL,"
     " created_by INTEGER REFERENCES users(id),"
     " created_at TEXT NOT NULL,"
     " last_used_at TEXT,"
     " revoked_at TEXT);"

     "CREATE TABLE login_attempts ("
     " id INTEGER PRIMARY KEY,"
     " login TEXT NOT NULL,"
     " client_ip TEXT NOT NULL,"
     " at INTEGER NOT NULL,"
     " ok INTEGER NOT NULL);"
     "CREATE INDEX login_attempts_login ON login_attempts(login, at);"
     "CREATE INDEX login_attempts_ip ON login_attempts(client_ip, at);"

     "CREATE TABLE persons ("
     " id INTEGER PRIMARY KEY,"
     " name TEXT NOT NULL,"
     " sex TEXT,"
     " kind TEXT NOT NULL,"
     " employment TEXT,"
     " profession TEXT,"
     " background TEXT,"
     " specialties TEXT NOT NULL DEFAULT '',"
     " phone TEXT,"
     " id_cipher TEXT,"
     " id_masked TEXT,"
     " id_index TEXT,"
     " grade INTEGER,"
     " active INTEGER NOT NULL DEFAULT 1,"
     " user_id INTEGER REFERENCES users(id),"
     " created_at TEXT NOT NULL,"
     " updated_at TEXT NOT NULL);"
     "CREATE INDEX persons_kind ON persons(kind, id);"
     "CREATE INDEX persons_id_index ON persons(id_index);"

     "CREATE TABLE person_orgs ("
     " person_id INTEGER NOT NULL REFERENCES persons(id),"
     " org_id INTEGER NOT NULL REFERENCES orgs(id),"
     " duty TEXT,"
     " PRIMARY KEY (person_id, org_id));"
     "CREATE INDEX person_orgs_org ON person_orgs(org_id);"

     "CREATE TABLE audit_log ("
     " id INTEGER PRIMARY KEY,"
     " at TEXT NOT NULL,"
     " actor_id INTEGER,"
     " actor_login TEXT,"
     " org_id INTEGER,"
     " org_path TEXT,"
     " action TEXT NOT NULL,"
     " object_type TEXT,"
     " object_id TEXT,"
     " request_id TEXT,"
     " client_ip TEXT,"
     " detail TEXT);"
     "CREATE INDEX audit_at ON audit_log(at);"
     "CREATE INDEX audit_actor ON audit_log(actor_login, id);"

     "CREATE TABLE settings ("
     " key TEXT PRIMARY KEY,"
     " value TEXT NOT NULL);"

     "CREATE TABLE calendar_overrides ("
     " day TEXT PRIMARY KEY,"
     " working INTEGER NOT NULL,"
     " note TEXT NOT NULL DEFAULT '',"
     " updated_by INTEGER REFERENCES users(id),"
     " updated_at TEXT NOT NULL);",
     /* The audit log is append-only at the storage level too. */
     "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log"
     " BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;"
     "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log"
     " BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;"},
    {2, "cases, parties, records, deadlines, timeline, full-text index",
     "CREATE TABLE case_numbers ("
     " org_id INTEGER NOT NULL REFERENCES orgs(id),"
     " year INTEGER NOT NULL,"
     " last_no INTEGER NOT NULL,"
     " PRIMARY KEY (org_id, year));"

     "CREATE TABLE cases ("
     " id INTEGER PRIMARY KEY,"
     " case_no TEXT NOT NULL,"
     " title TEXT NOT NULL,"
     " party_names TEXT NOT NULL DEFAULT '',"
     " org_id INTEGER NOT NULL REFERENCES orgs(id),"
     " org_path TEXT NOT NULL,"
     " registered_org_id INTEGER NOT NULL REFERENCES orgs(id),"
     " registered_org_path TEXT NOT NULL,"
     " status TEXT NOT NULL,"
     " source TEXT NOT NULL,"
     " dispute_type TEXT NOT NULL,"
     " flag_mass INTEGER NOT NULL DEFAULT 0,"
     " flag_military INTEGER NOT NULL DEFAULT 0,"
     " flag_petition INTEGER NOT NULL DEFAULT 0,"
     " flag_litigation INTEGER NOT NULL DEFAULT 0,"
     " facts TEXT NOT NULL,"
     " claims TEXT NOT NULL DEFAULT '',"
     " amount INTEGER NOT NULL DEFAULT 0,"
     " people_involved INTEGER NOT NULL DEFAULT 2,"
     " place TEXT,"
     " occurred_on TEXT,"
     " registered_on TEXT NOT NULL,"
     " accepted_on TEXT,"
     " due_on TEXT,"
     " is_referral INTEGER NOT NULL DEFAULT 0,"
     " extension_reason TEXT,"
     " refuse_reason TEXT,"
     " withdraw_reason TEXT,"
     " agreed_on TEXT,"
     " terminated_on TEXT,"
     " closed_on TEXT,"
     " archived_on TEXT,"
     " resolved_level TEXT,"
     " lead_mediator_id INTEGER REFERENCES persons(id),"
     " referrer_org_id INTEGER REFERENCES orgs(id),"
     " created_by INTEGER REFERENCES users(id),"
     " created_at TEXT NOT NULL,"
     " updated_at TEXT NOT NULL);"
     /* numbers are per registering committee and year; two counties may both have a
      * 医疗纠纷人民调解委员会, so the text alone is not unique across a province */
     "CREATE UNIQUE INDEX cases_no ON cases(registered_org_id, case_no);"
     "CREATE INDEX cases_org ON cases(org_path, id);"
     "CREATE INDEX cases_reg_org ON cases(registered_org_path, id);"
     "CREATE INDEX cases_status ON cases(status, id);"
     "CREATE INDEX cases_type ON cases(dispute_type, id);"
     "CREATE INDEX cases_registered_on ON cases(registered_on);"

     "CREATE TABLE case_parties ("
     " id INTEGER PRIMARY KEY,"
     " case_id INTEGER NOT NULL REFERENCES cases(id),"
     " position INTEGER NOT NULL,"
     " role TEXT NOT NULL,"
     " kind TEXT NOT NULL,"
     " name TEXT NOT NULL,"
     " sex TEXT,"
     " ethnicity TEXT,"
     " birth_date TEXT,"
     " occupation TEXT,"
     " id_cipher TEXT,"
     " id_masked TEXT,"
     " id_index TEXT,"
     " credit_code TEXT,"
     " legal_rep TEXT,"
     " phone TEXT,"
     " address TEXT,"
     " agent_name TEXT,"
     " agent_phone TEXT,"
     " agent_relation TEXT);"
     "CREATE INDEX case_parties_case ON case_parties(case_id);"
     "CREATE INDEX case_parties_id_index ON case_parties(id_index);"

     "CREATE TABLE case_mediators ("
     " case_id INTEGER NOT NULL REFERENCES cases(id),"
     " person_id INTEGER NOT NULL REFERENCES persons(id),"
     " lead INTEGER NOT NULL DEFAULT 0,"
     " PRIMARY KEY (case_id, person_id));"
     "CREATE INDEX case_mediators_person ON case_mediators(person_id);"

     "CREATE TABLE case_records ("
     " id INTEGER PRIMARY KEY,"
     " case_id INTEGER NOT NULL REFERENCES cases(id),"
     " kind TEXT NOT NULL,"
     " held_on TEXT NOT NULL,"
     " place TEXT,"
     " participants TEXT,"
     " content TEXT NOT NULL,"
     " created_by INTEGER REFERENCES users(id),"
     " created_at TEXT NOT NULL);"
     "CREATE INDEX case_records_case ON case_records(case_id);"

     "CREATE TABLE case_agreements ("
     " case_id INTEGER PRIMARY KEY REFERENCES cases(id),"
     " form TEXT NOT NULL,"
     " terms TEXT NOT NULL,"
     " has_payment INTEGER NOT NULL DEFAULT 0,"
     " amount INTEGER NOT NULL DEFAULT 0,"
     " performance_due TEXT,"
     " effective_on TEXT NOT NULL,"
     " performance TEXT,"
     " performance_note TEXT,"
     " confirmation_court TEXT,"
     " confirmation_applied_on TEXT,"
     " confirmation_result TEXT,"
     " confirmation_decided_on TEXT);"

     "CREATE TABLE case_terminations ("
     " case_id INTEGER PRIMARY KEY REFERENCES cases(id),"
     " reason_code TEXT NOT NULL,"
     " reason_text TEXT NOT NULL,"
     " guidance TEXT NOT NULL);"

     "CREATE TABLE case_follow_ups ("
     " id INTEGER PRIMARY KEY,"
     " case_id INTEGER NOT NULL REFERENCES cases(id),"
     " visited_on TEXT NOT NULL,"
     " method TEXT NOT NULL,"
     " content TEXT NOT NULL,"
     " satisfaction INTEGER,"
     " created_by INTEGER REFERENCES users(id),"
     " created_at TEXT NOT NULL);"
     "CREATE INDEX case_follow_ups_case ON case_follow_ups(case_id);"

     "CREATE TABLE case_deadlines ("
     " case_id INTEGER NOT NULL REFERENCES cases(id),"
     " kind TEXT NOT NULL,"
     " started_on TEXT NOT NULL,"
     " due_on TEXT NOT NULL,"
     " stopped_on TEXT,"
     " PRIMARY KEY (case_id, kind));"
     "CREATE INDEX case_deadlines_open ON case_deadlines(due_on) WHERE stopped_on IS NULL;"

     "CREATE TABLE case_events ("
     " id INTEGER PRIMARY KEY,"
     " case_id INTEGER NOT NULL REFERENCES cases(id),"
     " event TEXT NOT NULL,"
     " state_from TEXT,"
     " state_to TEXT NOT NULL,"
     " at TEXT NOT NULL,"
     " actor_id INTEGER,"
     " actor_name TEXT,"
     " org_id INTEGER,"
     " summary TEXT NOT NULL,"
     " detail TEXT);"
     "CREATE INDEX case_events_case ON case_events(case_id, id);"

     "CREATE TABLE case_search ("
     " case_id INTEGER PRIMARY KEY REFERENCES cases(id),"
     " tokens TEXT NOT NULL);",
     /* SQLite full-text index over the bigram token text (core/cjk.h); PostgreSQL
      * indexes case_search.tokens with a `simple` tsvector instead. */
     "CREATE VIRTUAL TABLE case_fts USING fts5(tokens, content='case_search',"
     " content_rowid='case_id', tokenize='unicode61 remove_diacritics 0');"
     "CREATE TRIGGER case_search_ai AFTER INSERT ON case_search BEGIN"
     " INSERT INTO case_fts(rowid, tokens) VALUES (new.case_id, new.tokens); END;"
     "CREATE TRIGGER case_search_ad AFTER DELETE ON case_search BEGIN"
     " INSERT INTO case_fts(case_fts, rowid, tokens) VALUES ('delete', old.case_id, old.tokens); "
     "END;"
     "CREATE TRIGGER case_search_au AFTER UPDATE ON case_search BEGIN"
     " INSERT INTO case_fts(case_fts, rowid, tokens) VALUES ('delete', old.case_id, old.tokens);"
     " INSERT INTO case_fts(rowid, tokens) VALUES (new.case_id, new.tokens); END;"},

    {3, "files and case attachments",
     "CREATE TABLE files ("
     " id INTEGER PRIMARY KEY,"
     " sha256 TEXT NOT NULL,"
     " size INTEGER NOT NULL,"
     " mime TEXT NOT NULL,"
     " name TEXT NOT NULL,"
     " created_by INTEGER REFERENCES users(id),"
     " created_at TEXT NOT NULL);"
     "CREATE INDEX files_sha ON files(sha256);"
     "CREATE TABLE case_attachments ("
     " id INTEGER PRIMARY KEY,"
     " case_id INTEGER NOT NULL REFERENCES cases(id),"
     " file_id INTEGER NOT NULL REFERENCES files(id),"
     " kind TEXT NOT NULL,"
     " title TEXT NOT NULL,"
     " created_by INTEGER REFERENCES users(id),"
     " created_at TEXT NOT NULL);"
     "CREATE INDEX case_attachments_case ON case_attachments(case_id);"
     "CREATE INDEX case_attachments_file ON case_attachments(file_id);",
     NULL},

    /* Generated documents (versions of each kind per case, the bytes in `files`),
     * the case file's submission and review (考评审核), and the case subsidy ledger
     * (以案定补), one row per mediator of a qualified file. */
    {4, "documents, reviews, subsidies",
     "CREATE TABLE case_documents ("
     " id INTEGER PRIMARY KEY,"
     " case_id INTEGER NOT NULL REFERENCES cases(id),"
     " kind TEXT NOT NULL,"
     " version INTEGER NOT NULL,"
     " file_id INTEGER NOT NULL REFERENCES files(id),"
     " pages INTEGER NOT NULL,"
     " doc_no TEXT NOT NULL,"
     " note TEXT,"
     " created_by INTEGER REFERENCES users(id),"
     " created_by_name TEXT,"
     " created_at TEXT NOT NULL);"
     "CREATE UNIQUE INDEX case_documents_version ON case_documents(case_id, kind, version);"
     "CREATE INDEX case_documents_file ON case_documents(file_id);"

     "CREATE TABLE case_files ("
     " case_id INTEGER PRIMARY KEY REFERENCES cases(id),"
     " status TEXT NOT NULL,"
     " submitted_at TEXT,"
     " submitted_on TEXT,"
     " submitted_by INTEGER REFERENCES users(id),"
     " submitted_by_name TEXT,"
     " review_id INTEGER,"
     " tier INTEGER,"
     " retention TEXT,"
     " updated_at TEXT NOT NULL);"
     "CREATE INDEX case_files_status ON case_files(status);"

     "CREATE TABLE case_file_reviews ("
     " id INTEGER PRIMARY KEY,"
     " case_id INTEGER NOT NULL REFERENCES cases(id),"
     " result TEXT NOT NULL,"
     " reasons TEXT,"
     " tier INTEGER,"
     " reviewer_id INTEGER REFERENCES users(id),"
     " reviewer_name TEXT NOT NULL,"
     " reviewer_org_id INTEGER REFERENCES orgs(id),"
     " reviewed_on TEXT NOT NULL,"
     " created_at TEXT NOT NULL);"
     "CREATE INDEX case_file_reviews_case ON case_file_reviews(case_id, id);"

     "CREATE TABLE subsidies ("
     " id INTEGER PRIMARY KEY,"
     " case_id INTEGER NOT NULL REFERENCES cases(id),"
     " review_id INTEGER NOT NULL REFERENCES case_file_reviews(id),"
     " person_id INTEGER NOT NULL REFERENCES persons(id),"
     " person_name TEXT NOT NULL,"
     " lead INTEGER NOT NULL,"
     " org_id INTEGER NOT NULL REFERENCES orgs(id),"
     " org_path TEXT NOT NULL,"
     " tier INTEGER NOT NULL,"
     " case_amount INTEGER NOT NULL,"
     " amount INTEGER NOT NULL,"
     " period TEXT NOT NULL,"
     " granted_on TEXT NOT NULL,"
     " created_at TEXT NOT NULL);"
     "CREATE UNIQUE INDEX subsidies_case_person ON subsidies(case_id, person_id);"
     "CREATE INDEX subsidies_org ON subsidies(org_path, granted_on);"
     "CREATE INDEX subsidies_person ON subsidies(person_id, granted_on);",
     NULL},

    /* Referral docking (core/referral.h, store/referral_store.h) and the partner
     * notification outbox (store/webhook_store.h, app/outbox.h). */
    {5, "referrals, consultations, feedback, webhooks and their outbox",
     "CREATE TABLE referrals ("
     " id INTEGER PRIMARY KEY,"
     " letter_no TEXT NOT NULL,"
     " letter_date TEXT NOT NULL,"
     " channel TEXT NOT NULL,"
     " partner_org_id INTEGER NOT NULL REFERENCES orgs(id),"
     " partner_org_path TEXT NOT NULL,"
     " target_org_id INTEGER NOT NULL REFERENCES orgs(id),"
     " target_org_path TEXT NOT NULL,"
     " status TEXT NOT NULL,"
     " title TEXT NOT NULL,"
     " dispute_type TEXT NOT NULL,"
     " party_names TEXT NOT NULL DEFAULT '',"
     " dispute TEXT NOT NULL,"
     " note TEXT,"
     " contact_name TEXT,"
     " contact_phone TEXT,"
     " created_by INTEGER REFERENCES users(id),"
     " created_by_name TEXT,"
     " created_at TEXT NOT NULL,"
     " updated_at TEXT NOT NULL,"
     " submitted_at TEXT,"
     " approved_by_name TEXT,"
     " approved_at TEXT,"
     " approval_comment TEXT,"
     " sent_on TEXT,"
     " received_on TEXT,"
     " receipt_at TEXT,"
     " receipt_by_name TEXT,"
     " receipt_note TEXT,"
     " accept_due_on TEXT,"
     " decided_on TEXT,"
     " return_reason_code TEXT,"
     " return_reason_text TEXT,"
     " case_id INTEGER REFERENCES cases(id),"
     " feedback_outcome TEXT,"
     " feedback_text TEXT,"
     " feedback_due_on TEXT,"
     " feedback_sent_on TEXT,"
     " feedback_sent_at TEXT,"
     " feedback_by_name TEXT,"
     " acknowledged_at TEXT,"
     " acknowledged_by_name TEXT,"
     " acknowledge_note TEXT);"
     "CREATE UNIQUE INDEX referrals_letter ON referrals(partner_org_id, letter_no);"
     "CREATE INDEX referrals_partner ON referrals(partner_org_path, id);"
     "CREATE INDEX referrals_target ON referrals(target_org_path, id);"
     "CREATE INDEX referrals_case ON referrals(case_id);"
     "CREATE INDEX referrals_sent ON referrals(sent_on);"

     "CREATE TABLE referral_attachments ("
     " id INTEGER PRIMARY KEY,"
     " referral_id INTEGER NOT NULL REFERENCES referrals(id),"
     " side TEXT NOT NULL,"
     " file_id INTEGER NOT NULL REFERENCES files(id),"
     " kind TEXT NOT NULL,"
     " title TEXT NOT NULL,"
     " created_by INTEGER REFERENCES users(id),"
     " created_at TEXT NOT NULL);"
     "CREATE INDEX referral_attachments_referral ON referral_attachments(referral_id);"
     "CREATE INDEX referral_attachments_file ON referral_attachments(file_id);"

     "CREATE TABLE referral_events ("
     " id INTEGER PRIMARY KEY,"
     " referral_id INTEGER NOT NULL REFERENCES referrals(id),"
     " event TEXT NOT NULL,"
     " state_from TEXT,"
     " state_to TEXT NOT NULL,"
     " at TEXT NOT NULL,"
     " actor_id INTEGER,"
     " actor_name TEXT,"
     " org_id INTEGER,"
     " org_name TEXT,"
     " summary TEXT NOT NULL);"
     "CREATE INDEX referral_events_referral ON referral_events(referral_id, id);"

     "CREATE TABLE referral_consultations ("
     " id INTEGER PRIMARY KEY,"
     " referral_id INTEGER NOT NULL REFERENCES referrals(id),"
     " disputed_at TEXT NOT NULL,"
     " disputed_by_name TEXT,"
     " dispute_reason TEXT NOT NULL,"
     " returned_by_org_id INTEGER REFERENCES orgs(id),"
     " held_on TEXT,"
     " participants TEXT,"
     " opinion TEXT,"
     " outcome TEXT,"
     " new_target_org_id INTEGER REFERENCES orgs(id),"
     " decided_by_name TEXT,"
     " decided_org_id INTEGER REFERENCES orgs(id),"
     " decided_at TEXT);"
     "CREATE INDEX referral_consultations_referral ON referral_consultations(referral_id, id);"

     "ALTER TABLE case_follow_ups ADD COLUMN joint_org_id INTEGER REFERENCES orgs(id);"

     "CREATE TABLE webhook_endpoints ("
     " id INTEGER PRIMARY KEY,"
     " org_id INTEGER NOT NULL REFERENCES orgs(id),"
     " org_path TEXT NOT NULL,"
     " url TEXT NOT NULL,"
     " description TEXT,"
     " secret_sealed TEXT NOT NULL,"
     " created_by INTEGER REFERENCES users(id),"
     " created_at TEXT NOT NULL,"
     " secret_rotated_at TEXT,"
     " disabled_at TEXT);"
     "CREATE INDEX webhook_endpoints_org ON webhook_endpoints(org_id);"

     "CREATE TABLE webhook_deliveries ("
     " id INTEGER PRIMARY KEY,"
     " endpoint_id INTEGER NOT NULL REFERENCES webhook_endpoints(id),"
     " org_id INTEGER NOT NULL REFERENCES orgs(id),"
     " org_path TEXT NOT NULL,"
     " event TEXT NOT NULL,"
     " referral_id INTEGER REFERENCES referrals(id),"
     " payload TEXT NOT NULL,"
     " status TEXT NOT NULL,"
     " attempts INTEGER NOT NULL DEFAULT 0,"
     " next_attempt_ms INTEGER NOT NULL,"
     " lease_until_ms INTEGER,"
     " last_status INTEGER,"
     " last_error TEXT,"
     " created_at TEXT NOT NULL,"
     " updated_at TEXT NOT NULL,"
     " delivered_at TEXT);"
     "CREATE INDEX webhook_deliveries_due ON webhook_deliveries(status, next_attempt_ms);"
     "CREATE INDEX webhook_deliveries_org ON webhook_deliveries(org_path, id);"

     "CREATE TABLE webhook_attempts ("
     " id INTEGER PRIMARY KEY,"
     " delivery_id INTEGER NOT NULL REFERENCES webhook_deliveries(id),"
     " at TEXT NOT NULL,"
     " status_code INTEGER,"
     " error TEXT,"
     " duration_ms INTEGER NOT NULL);"
     "CREATE INDEX webhook_attempts_delivery ON webhook_attempts(delivery_id, id);",
     NULL},
    {6, "index of cases by referring partner",
     "CREATE INDEX IF NOT EXISTS cases_referrer ON cases(referrer_org_id);", NULL},
    /* Search narrows by the caller's scope inside the full-text index (a township's
     * 彩礼 cases instead of the province's); list filters and county-year counts are
     * answered from indexes alone; index merges move out of requests (app/maintain.c). */
    {7, "search by scope, filter and count indexes",
     "ALTER TABLE case_search ADD COLUMN scope TEXT NOT NULL DEFAULT '';"
     "UPDATE case_search SET scope = (SELECT " CASE_SCOPE_SQL(
         "c") " FROM cases c"
              " WHERE c.id = case_search.case_id);"
              "DROP INDEX cases_org;"
              "CREATE INDEX cases_org ON cases(org_path, status, dispute_type);"
              "DROP INDEX cases_reg_org;"
              "CREATE INDEX cases_reg_org ON cases(registered_org_path, org_path);"
              "CREATE INDEX cases_org_day ON cases(org_id, registered_on, dispute_type, status);",
     "DROP TRIGGER case_search_ai;"
     "DROP TRIGGER case_search_ad;"
     "DROP TRIGGER case_search_au;"
     "DROP TABLE case_fts;"
     "CREATE VIRTUAL TABLE case_fts USING fts5(tokens, scope, content='case_search',"
     " content_rowid='case_id', tokenize='unicode61 remove_diacritics 0');"
     "INSERT INTO case_fts(case_fts, rank) VALUES ('automerge', 0);"
     "INSERT INTO case_fts(case_fts) VALUES ('rebuild');"
     "CREATE TRIGGER case_search_ai AFTER INSERT ON case_search BEGIN"
     " INSERT INTO case_fts(rowid, tokens, scope) VALUES (new.case_id, new.tokens, new.scope);"
     " END;"
     "CREATE TRIGGER case_search_ad AFTER DELETE ON case_search BEGIN"
     " INSERT INTO case_fts(case_fts, rowid, tokens, scope)"
     " VALUES ('delete', old.case_id, old.tokens, old.scope); END;"
     "CREATE TRIGGER case_search_au AFTER UPDATE ON case_search BEGIN"
     " INSERT INTO case_fts(case_fts, rowid, tokens, scope)"
     " VALUES ('delete', old.case_id, old.tokens, old.scope);"
     " INSERT INTO case_fts(rowid, tokens, scope) VALUES (new.case_id, new.tokens, new.scope);"
     " END;"
     "CREATE TRIGGER cases_scope_au AFTER UPDATE OF org_path, registered_org_path,"
     " referrer_org_id ON cases BEGIN UPDATE case_search SET scope = " CASE_SCOPE_SQL(
         "new") " WHERE case_id = new.id; END;"},
    /* The list page the benchmark names (org subtree + status + type, newest first)
     * seeks its rows instead of testing every case of the subtree; the open
     * deadlines that make a case overdue or put it on the to-do list are a small
     * index of their own instead of a row read per deadline of every case; the to-do
     * list walks a subtree's unarchived cases (a tenth of them) in a partial index. */
    {8, "list filter and open-deadline indexes",
     "CREATE INDEX cases_filter ON cases(status, dispute_type, org_path);"
     "CREATE INDEX case_deadlines_due ON case_deadlines(case_id, due_on)"
     " WHERE stopped_on IS NULL AND kind <> 'judicial_confirmation';"
     "CREATE INDEX cases_open ON cases(org_path, status) WHERE status <> 'archived';",
     NULL},
    /* The to-do list's cases awaiting acceptance: a subtree's few registered cases,
     * instead of reading every unarchived case of the subtree to test its status. */
    {9, "index of cases awaiting acceptance",
     "CREATE INDEX cases_registered ON cases(org_path) WHERE status = 'registered';", NULL},
    /* A case's earliest open deadline (judicial confirmation aside, as everywhere a
     * deadline makes a case overdue), kept on the case by triggers: a list row's
     * overdue flag is then a comparison instead of a deadline lookup per row, and the
     * to-do list reads only the subtree's cases with a deadline inside its window
     * (cases_next_due, which replaces cases_open) instead of every unarchived case's
     * deadlines. Both indexes the to-do list reads carry the columns it shows, so it
     * never reads a case's or a deadline's row (at 1M cases a case row is a seek four
     * levels deep); cases_next_due stays small: it holds only unarchived cases with an
     * open deadline (~5 % of all). */
    {10, "earliest open deadline of each case",
     "ALTER TABLE cases ADD COLUMN next_due_on TEXT;"
     "UPDATE cases SET next_due_on = " NEXT_DUE_SQL " WHERE id IN (SELECT case_id FROM"
     " case_deadlines WHERE stopped_on IS NULL AND kind <> 'judicial_confirmation');"
     "DROP INDEX cases_open;"
     "CREATE INDEX cases_next_due ON cases(org_path, next_due_on, org_id, status, case_no, title,"
     " party_names) WHERE status <> 'archived' AND next_due_on IS NOT NULL;"
     "DROP INDEX case_deadlines_due;"
     "CREATE INDEX case_deadlines_due ON case_deadlines(case_id, due_on, kind, stopped_on)"
     " WHERE stopped_on IS NULL AND kind <> 'judicial_confirmation';",
     "CREATE TRIGGER case_deadlines_next_ai AFTER INSERT ON case_deadlines BEGIN"
     " UPDATE cases SET next_due_on = " NEXT_DUE_SQL " WHERE id = new.case_id; END;"
     "CREATE TRIGGER case_deadlines_next_au AFTER UPDATE ON case_deadlines BEGIN"
     " UPDATE cases SET next_due_on = " NEXT_DUE_SQL " WHERE id IN (old.case_id, new.case_id);"
     " END;"
     "CREATE TRIGGER case_deadlines_next_ad AFTER DELETE ON case_deadlines BEGIN"
     " UPDATE cases SET next_due_on = " NEXT_DUE_SQL " WHERE id = old.case_id; END;"},
    /* The to-do list's referrals: the few letters that can still be someone's task,
     * by the side that reads them, instead of every letter a township or a partner
     * ever had (at 100k cases a township's to-do read ~80 letters for 2 tasks). */
    {11, "indexes of referrals awaiting a task",
     "CREATE INDEX referrals_todo_target ON referrals(target_org_path)"
     " WHERE " REFERRAL_TODO_SCOPE_SQL ";"
     "CREATE INDEX referrals_todo_referrer ON referrals(partner_org_path)"
     " WHERE " REFERRAL_TODO_SCOPE_SQL ";"
     "CREATE INDEX referrals_todo_partner ON referrals(partner_org_id)"
     " WHERE " REFERRAL_TODO_PARTNER_SQL ";",
     NULL},
};

#define N_MIGRATIONS ((int)(sizeof migrations / sizeof migrations[0]))

int migrate_latest(void)
{
    return migrations[N_MIGRATIONS - 1].version;
}

int migrate_current(db *d, int *out, tj_err *err)
{
    if (db_exec(d,
                "CREATE TABLE IF NOT EXISTS schema_version ("
                " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)",
                err) != 0)
        return -1;
    int64_t v = 0;
    if (db_scalar_int(d, &v, NULL, err, "SELECT COALESCE(MAX(version), 0) FROM schema_version",
                      "") != 0)
        return -1;
    *out = (int)v;
    return 0;
}

int migrate_applied(db *d, int *out, tj_err *err)
{
    int64_t v = 0;
    if (db_scalar_int(d, &v, NULL, err, "SELECT COALESCE(MAX(version), 0) FROM schema_version",
                      "") != 0)
        return -1;
    *out = (int)v;
    return 0;
}

int migrate_up(db *d, int *applied, tj_err *err)
{
    int cur, n = 0;
    if (applied)
        *applied = 0;
    if (migrate_current(d, &cur, err) != 0)
        return -1;
    if (cur > migrate_latest())
        return err_set(err, 500, "schema_too_new", NULL,
                       "数据库结构版本 %d 高于本程序支持的 %d，请升级 tiaojie", cur,
                       migrate_latest());
    for (int i = 0; i < N_MIGRATIONS; i++) {
        const struct migration *m = &migrations[i];
        if (m->version <= cur)
            continue;
        char now[21];
        clock_iso(clock_unix(), now);
        if (db_begin(d, true, err) != 0)
            return -1;
        if (db_exec(d, m->sql, err) != 0)
            goto fail;
        if (m->sqlite_sql && db_engine_of(d) == DB_SQLITE && db_exec(d, m->sqlite_sql, err) != 0)
            goto fail;
        /* the rebuilt index is a bulk segment on level 0 (store/fts_lift.h) */
        if (m->version == 7 && db_engine_of(d) == DB_SQLITE && fts_lift(d, "case_fts", err) != 0)
            goto fail;
        if (db_run(d, NULL, err,
                   "INSERT INTO schema_version(version, name, applied_at) VALUES (?, ?, ?)", "iss",
                   (int64_t)m->version, m->name, now) != 0)
            goto fail;
        if (db_commit(d, err) != 0)
            return -1;
        log_info("migration %d applied: %s", m->version, m->name);
        n++;
    }
    if (applied)
        *applied = n;
    return 0;
fail:
    db_rollback(d);
    return -1;
}
