#include "core/case_file.h"

#include <stdio.h>
#include <string.h>

static const char *const doc_names[CF_DOC__COUNT] = {
    [CF_DOC_APPLICATION] = "application",
    [CF_DOC_ACCEPTANCE_REGISTER] = "acceptance_register",
    [CF_DOC_RIGHTS_NOTICE] = "rights_notice",
    [CF_DOC_INVESTIGATION_RECORD] = "investigation_record",
    [CF_DOC_SESSION_RECORD] = "session_record",
    [CF_DOC_AGREEMENT] = "agreement",
    [CF_DOC_ORAL_AGREEMENT_REGISTER] = "oral_agreement_register",
    [CF_DOC_TERMINATION_NOTICE] = "termination_notice",
    [CF_DOC_FOLLOW_UP_RECORD] = "follow_up_record",
    [CF_DOC_CONFIRMATION_GUIDE] = "confirmation_guide",
    [CF_DOC_REFERRAL_LETTER] = "referral_letter",
    [CF_DOC_REFERRAL_RECEIPT] = "referral_receipt",
    [CF_DOC_COVER] = "cover",
    [CF_DOC_BACK_COVER] = "back_cover",
    [CF_DOC_FILE_NOTE] = "file_note",
};

static const char *const doc_labels[CF_DOC__COUNT] = {
    [CF_DOC_APPLICATION] = "人民调解申请书",
    [CF_DOC_ACCEPTANCE_REGISTER] = "人民调解受理登记表",
    [CF_DOC_RIGHTS_NOTICE] = "当事人权利义务告知书",
    [CF_DOC_INVESTIGATION_RECORD] = "人民调解调查记录",
    [CF_DOC_SESSION_RECORD] = "人民调解记录",
    [CF_DOC_AGREEMENT] = "人民调解协议书",
    [CF_DOC_ORAL_AGREEMENT_REGISTER] = "人民调解口头协议登记表",
    [CF_DOC_TERMINATION_NOTICE] = "终止人民调解告知书",
    [CF_DOC_FOLLOW_UP_RECORD] = "人民调解回访记录",
    [CF_DOC_CONFIRMATION_GUIDE] = "司法确认申请指引",
    [CF_DOC_REFERRAL_LETTER] = "移送函",
    [CF_DOC_REFERRAL_RECEIPT] = "回执",
    [CF_DOC_COVER] = "卷宗封面及卷内目录",
    [CF_DOC_BACK_COVER] = "卷宗封底（备考表）",
    [CF_DOC_FILE_NOTE] = "卷宗情况说明",
};

static const char *const att_names[CF_ATT__COUNT] = {
    [CF_ATT_APPLICATION] = "application",
    [CF_ATT_ID_PROOF] = "id_proof",
    [CF_ATT_AUTHORIZATION] = "authorization",
    [CF_ATT_EVIDENCE] = "evidence",
    [CF_ATT_SIGNED_AGREEMENT] = "signed_agreement",
    [CF_ATT_PERFORMANCE_PROOF] = "performance_proof",
    [CF_ATT_CONFIRMATION] = "confirmation",
    [CF_ATT_OTHER] = "other",
};

static const char *const item_names[CF_ITEM__COUNT] = {
    [CF_ITEM_APPLICATION] = "application",
    [CF_ITEM_RIGHTS_NOTICE] = "rights_notice",
    [CF_ITEM_ID_PROOF] = "id_proof",
    [CF_ITEM_AUTHORIZATION] = "authorization",
    [CF_ITEM_INVESTIGATION] = "investigation",
    [CF_ITEM_EVIDENCE] = "evidence",
    [CF_ITEM_SESSION_RECORD] = "session_record",
    [CF_ITEM_AGREEMENT] = "agreement",
    [CF_ITEM_PERFORMANCE_PROOF] = "performance_proof",
    [CF_ITEM_FOLLOW_UP] = "follow_up",
    [CF_ITEM_CONFIRMATION] = "confirmation",
    [CF_ITEM_OTHER] = "other",
    [CF_ITEM_FILE_NOTE] = "file_note",
    [CF_ITEM_BACK_COVER] = "back_cover",
};

const char *cf_doc_name(cf_doc k)
{
    return (unsigned)k < CF_DOC__COUNT ? doc_names[k] : NULL;
}

const char *cf_doc_label(cf_doc k)
{
    return (unsigned)k < CF_DOC__COUNT ? doc_labels[k] : NULL;
}

int cf_doc_parse(const char *s, cf_doc *out)
{
    for (int i = 0; s && i < CF_DOC__COUNT; i++)
        if (strcmp(s, doc_names[i]) == 0) {
            *out = (cf_doc)i;
            return 0;
        }
    return -1;
}

const char *cf_att_name(cf_att k)
{
    return (unsigned)k < CF_ATT__COUNT ? att_names[k] : NULL;
}

int cf_att_parse(const char *s, cf_att *out)
{
    for (int i = 0; s && i < CF_ATT__COUNT; i++)
        if (strcmp(s, att_names[i]) == 0) {
            *out = (cf_att)i;
            return 0;
        }
    return -1;
}

const char *cf_item_name(cf_item k)
{
    return (unsigned)k < CF_ITEM__COUNT ? item_names[k] : NULL;
}

bool cf_doc_available(const cf_facts *f, cf_doc k, const char **why)
{
    const char *no = NULL;
    switch (k) {
    case CF_DOC_APPLICATION:
    case CF_DOC_RIGHTS_NOTICE:
    case CF_DOC_COVER:
    case CF_DOC_BACK_COVER:
    case CF_DOC_FILE_NOTE:
        break;
    case CF_DOC_ACCEPTANCE_REGISTER:
        if (!f->accepted)
            no = "案件尚未受理";
        break;
    case CF_DOC_INVESTIGATION_RECORD:
        if (!f->investigations)
            no = "本案没有调查记录";
        break;
    case CF_DOC_SESSION_RECORD:
        if (!f->sessions)
            no = "本案没有调解记录";
        break;
    case CF_DOC_AGREEMENT:
    case CF_DOC_CONFIRMATION_GUIDE:
        if (!f->agreed || !f->written)
            no = "本案没有书面调解协议";
        break;
    case CF_DOC_ORAL_AGREEMENT_REGISTER:
        if (!f->agreed || f->written)
            no = "本案没有口头协议";
        break;
    case CF_DOC_TERMINATION_NOTICE:
        if (!f->terminated)
            no = "本案未终止调解";
        break;
    case CF_DOC_FOLLOW_UP_RECORD:
        if (!f->follow_ups)
            no = "本案没有回访记录";
        break;
    case CF_DOC_REFERRAL_LETTER:
    case CF_DOC_REFERRAL_RECEIPT:
        if (!f->has_referral)
            no = "本案没有移送记录";
        break;
    default:
        no = "未知文书";
    }
    if (why)
        *why = no;
    return no == NULL;
}

int cf_checklist(const cf_facts *f, cf_item_state out[CF_ITEM__COUNT])
{
    int missing = 0;
    for (int i = 0; i < CF_ITEM__COUNT; i++) {
        cf_item_state *s = &out[i];
        memset(s, 0, sizeof *s);
        s->item = (cf_item)i;
        s->key = item_names[i];
        s->extra_doc = CF_DOC__COUNT;
        switch ((cf_item)i) {
        case CF_ITEM_APPLICATION:
            s->label = "人民调解申请书或受理登记表";
            s->required = true;
            s->rule = "每案必备";
            s->docs[s->ndocs++] = CF_DOC_APPLICATION;
            s->docs[s->ndocs++] = CF_DOC_ACCEPTANCE_REGISTER;
            s->atts[s->natts++] = CF_ATT_APPLICATION;
            break;
        case CF_ITEM_RIGHTS_NOTICE:
            s->label = "当事人权利义务告知书";
            s->required = true;
            s->rule = "每案必备";
            s->docs[s->ndocs++] = CF_DOC_RIGHTS_NOTICE;
            break;
        case CF_ITEM_ID_PROOF:
            s->label = "当事人身份证明";
            s->required = true;
            s->rule = "每案必备";
            s->atts[s->natts++] = CF_ATT_ID_PROOF;
            break;
        case CF_ITEM_AUTHORIZATION:
            s->label = "授权委托书";
            s->required = f->has_agent;
            s->rule = "当事人委托代理人时必备";
            s->atts[s->natts++] = CF_ATT_AUTHORIZATION;
            break;
        case CF_ITEM_INVESTIGATION:
            s->label = "人民调解调查记录";
            s->required = f->investigations > 0;
            s->rule = "进行过调查时必备";
            s->docs[s->ndocs++] = CF_DOC_INVESTIGATION_RECORD;
            break;
        case CF_ITEM_EVIDENCE:
            s->label = "证据材料";
            s->rule = "有证据材料时归入";
            s->atts[s->natts++] = CF_ATT_EVIDENCE;
            break;
        case CF_ITEM_SESSION_RECORD:
            s->label = "人民调解记录";
            s->required = true;
            s->rule = "每案必备";
            s->docs[s->ndocs++] = CF_DOC_SESSION_RECORD;
            break;
        case CF_ITEM_AGREEMENT:
            s->required = true;
            if (f->terminated && !f->agreed) {
                s->label = "终止人民调解告知书";
                s->rule = "调解终止的案件必备";
                s->docs[s->ndocs++] = CF_DOC_TERMINATION_NOTICE;
            } else if (f->agreed && !f->written) {
                s->label = "人民调解口头协议登记表";
                s->rule = "达成口头协议的案件必备";
                s->docs[s->ndocs++] = CF_DOC_ORAL_AGREEMENT_REGISTER;
            } else {
                s->label = "人民调解协议书";
                s->rule = "每案必备（口头协议为登记表，调解终止为终止告知书）";
                s->docs[s->ndocs++] = CF_DOC_AGREEMENT;
                s->atts[s->natts++] = CF_ATT_SIGNED_AGREEMENT;
            }
            break;
        case CF_ITEM_PERFORMANCE_PROOF:
            s->label = "履行凭证";
            s->required = f->agreed && f->has_payment && f->performed;
            s->rule = "有给付内容且已履行的协议必备";
            s->atts[s->natts++] = CF_ATT_PERFORMANCE_PROOF;
            break;
        case CF_ITEM_FOLLOW_UP:
            s->label = "人民调解回访记录";
            s->required = f->follow_ups > 0;
            s->rule = "进行过回访时必备";
            s->docs[s->ndocs++] = CF_DOC_FOLLOW_UP_RECORD;
            break;
        case CF_ITEM_CONFIRMATION:
            s->label = "司法确认材料";
            s->required = f->confirmation_applied;
            s->rule = "申请过司法确认时必备";
            s->atts[s->natts++] = CF_ATT_CONFIRMATION;
            s->extra_doc = CF_DOC_CONFIRMATION_GUIDE;
            break;
        case CF_ITEM_OTHER:
            s->label = "其他材料";
            s->rule = "有其他材料时归入";
            s->atts[s->natts++] = CF_ATT_OTHER;
            break;
        case CF_ITEM_FILE_NOTE:
            s->label = "卷宗情况说明";
            s->rule = "需要说明卷宗情况时归入";
            s->docs[s->ndocs++] = CF_DOC_FILE_NOTE;
            break;
        case CF_ITEM_BACK_COVER:
            s->label = "卷宗封底（备考表）";
            s->required = true;
            s->rule = "每案必备";
            s->docs[s->ndocs++] = CF_DOC_BACK_COVER;
            break;
        default:
            break;
        }
        for (int k = 0; k < s->ndocs; k++)
            s->present |= f->docs[s->docs[k]] > 0;
        for (int k = 0; k < s->natts; k++)
            s->present |= f->attachments[s->atts[k]] > 0;
        missing += s->required && !s->present;
    }
    return missing;
}

/* ---- subsidy ---- */

void subsidy_settings_default(subsidy_settings *s)
{
    for (int i = 0; i < CF_TIERS; i++)
        s->tier_amount[i] = (int64_t)(i + 1) * 100 * 100;
    s->lead_percent = 60;
}

int subsidy_settings_validate(const subsidy_settings *s, tj_err *err)
{
    static const char *const fields[CF_TIERS] = {"tier_amounts[0]", "tier_amounts[1]",
                                                 "tier_amounts[2]", "tier_amounts[3]"};
    for (int i = 0; i < CF_TIERS; i++) {
        if (s->tier_amount[i] < 0 || s->tier_amount[i] > 100000000LL)
            return err_set(err, 400, "validation_failed", fields[i],
                           "补贴金额应在 0 至 100 万元之间（单位：分）");
        if (i && s->tier_amount[i] < s->tier_amount[i - 1])
            return err_set(err, 400, "validation_failed", fields[i],
                           "难度越高的档次补贴金额不应越低");
    }
    if (s->lead_percent < 0 || s->lead_percent > 100)
        return err_set(err, 400, "validation_failed", "lead_percent",
                       "主调解员分配比例应在 0 至 100 之间");
    return 0;
}

int subsidy_split(const subsidy_settings *s, int tier, int n, int64_t *amounts, tj_err *err)
{
    if (tier < 1 || tier > CF_TIERS)
        return err_set(err, 400, "validation_failed", "tier", "难易程度应为 1 至 4 档");
    if (n < 1)
        return err_set(err, 409, "conflict", NULL, "案件没有调解员，无法分配补贴");
    int64_t total = s->tier_amount[tier - 1];
    if (n == 1) {
        amounts[0] = total;
        return 0;
    }
    int64_t co_total = total * (100 - s->lead_percent) / 100;
    int64_t each = co_total / (n - 1);
    for (int i = 1; i < n; i++)
        amounts[i] = each;
    amounts[0] = total - each * (n - 1);
    return 0;
}

/* ---- numerals ---- */

static const char *const cap_digits[10] = {"零", "壹", "贰", "叁", "肆",
                                           "伍", "陆", "柒", "捌", "玖"};

static int put(char *out, size_t cap, size_t *len, const char *s)
{
    size_t n = strlen(s);
    if (*len + n + 1 > cap)
        return -1;
    memcpy(out + *len, s, n + 1);
    *len += n;
    return 0;
}

int cf_money_words(int64_t fen, char *out, size_t cap)
{
    size_t len = 0;
    if (cap == 0)
        return -1;
    out[0] = 0;
    uint64_t v;
    if (fen < 0) {
        if (put(out, cap, &len, "负") != 0)
            return -1;
        v = (uint64_t)(-(fen + 1)) + 1;
    } else {
        v = (uint64_t)fen;
    }
    uint64_t yuan = v / 100;
    int jiao = (int)(v / 10 % 10), f = (int)(v % 10);
    static const char *const unit4[4] = {"", "拾", "佰", "仟"};
    static const char *const big[5] = {"", "万", "亿", "万亿", "亿亿"};
    if (yuan > 0) {
        /* digits of the yuan part, highest first, in groups of four */
        int digits[24], nd = 0;
        for (uint64_t y = yuan; y; y /= 10)
            digits[nd++] = (int)(y % 10);
        bool zero = false;
        for (int i = nd - 1; i >= 0; i--) {
            int dgt = digits[i], pos = i % 4, group = i / 4;
            if (dgt == 0) {
                zero = true;
            } else {
                if (zero && put(out, cap, &len, "零") != 0)
                    return -1;
                zero = false;
                if (put(out, cap, &len, cap_digits[dgt]) != 0 ||
                    put(out, cap, &len, unit4[pos]) != 0)
                    return -1;
            }
            if (pos == 0 && group > 0) {
                /* close a group of four that had any digit */
                bool any = false;
                for (int k = i; k < i + 4 && k < nd; k++)
                    any |= digits[k] != 0;
                if (any && put(out, cap, &len, big[group]) != 0)
                    return -1;
            }
        }
        if (put(out, cap, &len, "元") != 0)
            return -1;
    }
    if (jiao == 0 && f == 0)
        return put(out, cap, &len, yuan ? "整" : "零元整");
    if (jiao) {
        if (put(out, cap, &len, cap_digits[jiao]) != 0 || put(out, cap, &len, "角") != 0)
            return -1;
    } else if (yuan && put(out, cap, &len, "零") != 0) {
        return -1;
    }
    if (f)
        return put(out, cap, &len, cap_digits[f]) != 0 || put(out, cap, &len, "分") != 0 ? -1 : 0;
    return put(out, cap, &len, "整");
}

void cf_money_digits(int64_t fen, char *out, size_t cap)
{
    char tmp[40];
    uint64_t v = fen < 0 ? (uint64_t)(-(fen + 1)) + 1 : (uint64_t)fen;
    int n = snprintf(tmp, sizeof tmp, "%llu", (unsigned long long)(v / 100));
    char grouped[64];
    int j = 0;
    if (fen < 0)
        grouped[j++] = '-';
    for (int i = 0; i < n; i++) {
        grouped[j++] = tmp[i];
        if ((n - i - 1) % 3 == 0 && i != n - 1)
            grouped[j++] = ',';
    }
    grouped[j] = 0;
    snprintf(out, cap, "%s.%02d", grouped, (int)(v % 100));
}

void cf_cn_number(int n, char *out, size_t cap)
{
    static const char *const d[10] = {"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
    if (n <= 0 || n > 999) {
        snprintf(out, cap, "%d", n);
        return;
    }
    int h = n / 100, t = n / 10 % 10, u = n % 10;
    char buf[64] = "";
    size_t len = 0;
    if (h) {
        put(buf, sizeof buf, &len, d[h]);
        put(buf, sizeof buf, &len, "百");
        if (t == 0 && u)
            put(buf, sizeof buf, &len, "零");
    }
    if (t) {
        if (!(t == 1 && !h))
            put(buf, sizeof buf, &len, d[t]);
        put(buf, sizeof buf, &len, "十");
    }
    if (u)
        put(buf, sizeof buf, &len, d[u]);
    snprintf(out, cap, "%s", buf);
}
