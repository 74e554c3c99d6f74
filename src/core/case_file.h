/* case_file.h — the rules of documents and case files (卷宗): which documents a case
 * can produce, which items a closed case's file must contain and in what order, the
 * difficulty tiers' subsidy amounts (以案定补) and how a subsidy is split among the
 * case's mediators, and amounts in Chinese capital numerals (大写金额). Pure: libc only.
 *
 * Checklist (order = the order of the bound file, after the cover and contents list):
 *
 *   item                    | required when                      | filled by
 *   application 申请书/登记表 | always                             | documents application,
 * acceptance_register; upload application rights_notice 权利义务告知书 | always | document
 * rights_notice id_proof 身份证明         | always                             | upload id_proof
 *   authorization 授权委托书  | a party has an agent               | upload authorization
 *   investigation 调查记录    | an investigation was recorded      | document investigation_record
 *   evidence 证据材料         | (only when uploaded)               | upload evidence
 *   session_record 调解记录   | always                             | document session_record
 *   agreement 协议书          | always: written → 调解协议书 (document agreement or the signed
 *                             | scan), oral → 口头协议登记表, terminated → 终止人民调解告知书
 *   performance_proof 履行凭证 | an agreement with payment is recorded as (partly) performed |
 * upload performance_proof follow_up 回访记录        | a follow-up visit was recorded     |
 * document follow_up_record confirmation 司法确认材料  | judicial confirmation was applied for |
 * upload confirmation (the guidance sheet goes in the slot but does not count) other 其他材料 |
 * (only when uploaded)               | upload other file_note 卷宗情况说明     | (only when
 * written)                | document file_note back_cover 封底（备考表）  | always | document
 * back_cover
 */
#ifndef TJ_CORE_CASE_FILE_H
#define TJ_CORE_CASE_FILE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

typedef enum cf_doc {
    CF_DOC_APPLICATION,
    CF_DOC_ACCEPTANCE_REGISTER,
    CF_DOC_RIGHTS_NOTICE,
    CF_DOC_INVESTIGATION_RECORD,
    CF_DOC_SESSION_RECORD,
    CF_DOC_AGREEMENT,
    CF_DOC_ORAL_AGREEMENT_REGISTER,
    CF_DOC_TERMINATION_NOTICE,
    CF_DOC_FOLLOW_UP_RECORD,
    CF_DOC_CONFIRMATION_GUIDE,
    CF_DOC_REFERRAL_LETTER,
    CF_DOC_REFERRAL_RECEIPT,
    CF_DOC_COVER,
    CF_DOC_BACK_COVER,
    CF_DOC_FILE_NOTE,
    CF_DOC__COUNT
} cf_doc;

/* Uploaded attachment kinds (dict attachment_kind) that a case file uses. */
typedef enum cf_att {
    CF_ATT_APPLICATION,
    CF_ATT_ID_PROOF,
    CF_ATT_AUTHORIZATION,
    CF_ATT_EVIDENCE,
    CF_ATT_SIGNED_AGREEMENT,
    CF_ATT_PERFORMANCE_PROOF,
    CF_ATT_CONFIRMATION,
    CF_ATT_OTHER,
    CF_ATT__COUNT
} cf_att;

typedef enum cf_item {
    CF_ITEM_APPLICATION,
    CF_ITEM_RIGHTS_NOTICE,
    CF_ITEM_ID_PROOF,
    CF_ITEM_AUTHORIZATION,
    CF_ITEM_INVESTIGATION,
    CF_ITEM_EVIDENCE,
    CF_ITEM_SESSION_RECORD,
    CF_ITEM_AGREEMENT,
    CF_ITEM_PERFORMANCE_PROOF,
    CF_ITEM_FOLLOW_UP,
    CF_ITEM_CONFIRMATION,
    CF_ITEM_OTHER,
    CF_ITEM_FILE_NOTE,
    CF_ITEM_BACK_COVER,
    CF_ITEM__COUNT
} cf_item;

/* What the case holds, as far as documents and its file are concerned. */
typedef struct cf_facts {
    bool accepted;             /* has been accepted (an acceptance register makes sense) */
    bool agreed;               /* an agreement was reached */
    bool written;              /* … in writing (else oral) */
    bool has_payment;          /* the agreement has payment content */
    bool performed;            /* performance recorded as performed or partly performed */
    bool confirmation_applied; /* judicial confirmation applied for */
    bool terminated;           /* mediation was terminated */
    bool has_agent;            /* some party has an agent */
    bool has_referral;         /* a referral record exists (移送函/回执 can be rendered) */
    int investigations, sessions, follow_ups;
    int docs[CF_DOC__COUNT];        /* generated versions of each document */
    int attachments[CF_ATT__COUNT]; /* uploads of each kind */
} cf_facts;

/* "agreement" ↔ CF_DOC_AGREEMENT; labels are the documents' Chinese titles. */
const char *cf_doc_name(cf_doc k);
const char *cf_doc_label(cf_doc k);
int cf_doc_parse(const char *s, cf_doc *out);
const char *cf_att_name(cf_att k);
int cf_att_parse(const char *s, cf_att *out);
const char *cf_item_name(cf_item k);

/* Whether document k can be generated for the case; when not, *why (may be NULL) gets
 * a Chinese reason. */
bool cf_doc_available(const cf_facts *f, cf_doc k, const char **why);

typedef struct cf_item_state {
    cf_item item;
    const char *key; /* cf_item_name */
    const char *label; /* Chinese, depends on the case (协议书 / 口头协议登记表 / 终止告知书) */
    bool required;
    bool present;
    const char *rule; /* why it is required, or when it would be; Chinese */
    /* the documents and uploads that fill it (counting) and that are filed in its slot
     * without counting (the confirmation guidance sheet) */
    cf_doc docs[3];
    int ndocs;
    cf_att atts[2];
    int natts;
    cf_doc extra_doc; /* CF_DOC__COUNT when none */
} cf_item_state;

/* Fill out[CF_ITEM__COUNT] in filing order; returns how many required items are
 * missing. */
int cf_checklist(const cf_facts *f, cf_item_state out[CF_ITEM__COUNT]);

/* ---- subsidy (以案定补) ---- */

#define CF_TIERS 4

typedef struct subsidy_settings {
    int64_t tier_amount[CF_TIERS]; /* fen, tier 1..4 */
    int lead_percent;              /* the lead mediator's share when there are co-mediators */
} subsidy_settings;

/* 100 / 200 / 300 / 400 yuan; lead 60 %, co-mediators share 40 %. */
void subsidy_settings_default(subsidy_settings *s);
/* Amounts 0 … 1,000,000 yuan and not decreasing with the tier; lead_percent 0…100. */
int subsidy_settings_validate(const subsidy_settings *s, tj_err *err);
/* The subsidy of a case of tier (1…4) among n mediators (n ≥ 1, the lead first):
 * with co-mediators, they share (100 − lead_percent) % of it equally, rounded down to
 * the fen, and the lead gets the rest (so the parts always add up to the tier
 * amount); alone, the lead gets it all. amounts[n] receives the parts. */
int subsidy_split(const subsidy_settings *s, int tier, int n, int64_t *amounts, tj_err *err);

/* An amount in fen in Chinese capital numerals as written on agreements and
 * receipts: 5000000 → "伍万元整", 105 → "壹元零伍分", 0 → "零元整". Negative amounts
 * are prefixed "负". Returns -1 when out does not hold it (cap ≥ 128 always does). */
int cf_money_words(int64_t fen, char *out, size_t cap);
/* 1234567 fen → "12,345.67". */
void cf_money_digits(int64_t fen, char *out, size_t cap);
/* 1 → "一", 12 → "十二", 20 → "二十", 105 → "一百零五" (1…999): term numbers 一、二、. */
void cf_cn_number(int n, char *out, size_t cap);

#endif
