#include "render/docs.h"

#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/dict.h"

/* ---- data access ---- */

typedef struct ctx {
    pdf_doc *d;
    json_t *data, *c, *org;
    const char *today, *doc_no, *org_name;
} ctx;

static const char *js(json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    return json_is_string(v) && *json_string_value(v) ? json_string_value(v) : NULL;
}

static const char *jsd(json_t *o, const char *k, const char *def)
{
    const char *s = js(o, k);
    return s ? s : def;
}

static long long ji(json_t *o, const char *k, long long def)
{
    json_t *v = json_object_get(o, k);
    return json_is_integer(v) ? (long long)json_integer_value(v) : def;
}

static bool jb(json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    return json_is_true(v) || (json_is_integer(v) && json_integer_value(v));
}

static const char *label(const char *dname, const char *v)
{
    const char *l = v ? dict_label(dname, v) : NULL;
    return l ? l : v;
}

/* "2026-11-23" → "2026年11月23日"; "" for NULL or malformed. */
static const char *cn_date(ctx *x, const char *iso)
{
    int y, m, d;
    if (!iso || sscanf(iso, "%4d-%2d-%2d", &y, &m, &d) != 3)
        return "";
    return pdf_m(x->d, "%d年%d月%d日", y, m, d);
}

#define BLANK_DATE "　　　　年　　月　　日"
#define SIGN_LINE  "<u>　　　　　　　　</u>"

static int age_on(const char *birth, const char *today)
{
    int by, bm, bd, ty, tm, td;
    if (!birth || !today || sscanf(birth, "%4d-%2d-%2d", &by, &bm, &bd) != 3 ||
        sscanf(today, "%4d-%2d-%2d", &ty, &tm, &td) != 3)
        return -1;
    int a = ty - by - ((tm < bm || (tm == bm && td < bd)) ? 1 : 0);
    return a >= 0 && a < 150 ? a : -1;
}

static bool is_person(json_t *p)
{
    const char *k = js(p, "kind");
    return !k || strcmp(k, "person") == 0;
}

/* 张三，女，汉族，1949年12月31日出生（76岁），农民，住…，联系电话：…
 * 某某公司，住所：…，统一社会信用代码：…，法定代表人：王五，联系电话：… */
static void particulars(ctx *x, json_t *p, GString *g)
{
    g_string_append(g, jsd(p, "name", "（姓名不详）"));
    if (is_person(p)) {
        if (js(p, "sex"))
            g_string_append_printf(g, "，%s", label("sex", js(p, "sex")));
        if (js(p, "ethnicity"))
            g_string_append_printf(g, "，%s", js(p, "ethnicity"));
        if (js(p, "birth_date")) {
            g_string_append_printf(g, "，%s出生", cn_date(x, js(p, "birth_date")));
            int a = age_on(js(p, "birth_date"), x->today);
            if (a >= 0)
                g_string_append_printf(g, "（%d岁）", a);
        }
        if (js(p, "occupation"))
            g_string_append_printf(g, "，%s", js(p, "occupation"));
        if (js(p, "address"))
            g_string_append_printf(g, "，住%s", js(p, "address"));
    } else {
        g_string_append_printf(g, "（%s）", label("party_kind", js(p, "kind")));
        if (js(p, "address"))
            g_string_append_printf(g, "，住所：%s", js(p, "address"));
        if (js(p, "credit_code"))
            g_string_append_printf(g, "，统一社会信用代码：%s", js(p, "credit_code"));
        if (js(p, "legal_rep"))
            g_string_append_printf(g, "，%s：%s",
                                   strcmp(jsd(p, "kind", ""), "legal_person") == 0 ? "法定代表人"
                                                                                   : "负责人",
                                   js(p, "legal_rep"));
    }
    if (js(p, "phone"))
        g_string_append_printf(g, "，联系电话：%s", js(p, "phone"));
    g_string_append(g, "。");
}

static const char *role_of(json_t *p)
{
    return jsd(p, "role", "")[0] ? label("party_role", js(p, "role")) : "当事人";
}

/* One paragraph per party ("申请人：…") and one per agent. */
static void party_paragraphs(ctx *x)
{
    json_t *p;
    size_t i;
    json_array_foreach(json_object_get(x->c, "parties"), i, p)
    {
        GString *g = g_string_new(NULL);
        particulars(x, p, g);
        pdf_text(x->d, pdf_m(x->d, "<b>%s：</b>%s", role_of(p), g->str), PDF_HANG);
        g_string_free(g, TRUE);
        if (js(p, "agent_name")) {
            GString *a = g_string_new(js(p, "agent_name"));
            if (js(p, "agent_relation"))
                g_string_append_printf(a, "，%s", js(p, "agent_relation"));
            if (js(p, "agent_phone"))
                g_string_append_printf(a, "，联系电话：%s", js(p, "agent_phone"));
            g_string_append(a, "。");
            pdf_text(x->d, pdf_m(x->d, "<b>委托代理人：</b>%s", a->str), PDF_HANG);
            g_string_free(a, TRUE);
        }
    }
}

/* "张三（申请人）、李四（被申请人）" */
static char *party_list(json_t *c, bool roles)
{
    GString *g = g_string_new(NULL);
    json_t *p;
    size_t i;
    json_array_foreach(json_object_get(c, "parties"), i, p)
    {
        if (i)
            g_string_append(g, "、");
        g_string_append(g, jsd(p, "name", ""));
        if (roles)
            g_string_append_printf(g, "（%s）", role_of(p));
    }
    return g_string_free(g, FALSE);
}

static char *mediator_list(json_t *c, bool lead_mark)
{
    GString *g = g_string_new(NULL);
    json_t *m;
    size_t i;
    json_array_foreach(json_object_get(c, "mediators"), i, m)
    {
        if (g->len)
            g_string_append(g, "、");
        g_string_append(g, jsd(m, "name", ""));
        if (lead_mark && jb(m, "lead") && json_array_size(json_object_get(c, "mediators")) > 1)
            g_string_append(g, "（主持）");
    }
    return g_string_free(g, FALSE);
}

/* Free text: each line of the input a paragraph, first line indented. */
static void body_text(ctx *x, const char *text, int flags)
{
    if (!text || !*text) {
        pdf_text(x->d, "（无）", PDF_INDENT | flags);
        return;
    }
    char **lines = g_strsplit(text, "\n", -1);
    for (char **l = lines; *l; l++) {
        char *t = g_strstrip(*l);
        if (*t)
            pdf_text(x->d, pdf_m(x->d, "%s", t), PDF_INDENT | flags);
    }
    g_strfreev(lines);
}

static void heading(ctx *x, const char *text)
{
    pdf_gap(x->d, 4);
    pdf_need(x->d, 60); /* keep a heading with the start of what follows */
    pdf_text(x->d, pdf_m(x->d, "%s", text), PDF_BOLD);
}

static void title(ctx *x, const char *t, bool number)
{
    pdf_text(x->d, pdf_m(x->d, "<span letter_spacing=\"3072\">%s</span>", t), PDF_TITLE);
    pdf_gap(x->d, 4);
    if (number && x->doc_no && *x->doc_no)
        pdf_text(x->d, pdf_m(x->d, "编号：%s", x->doc_no), PDF_RIGHT | PDF_SMALL);
    pdf_gap(x->d, 10);
}

/* The committee's seal area: name and date (or a blank date) on the right, with a
 * dashed circle over the date where the seal goes (the seal covers the date). */
static void seal_block(ctx *x, const char *date_iso)
{
    pdf_need(x->d, 130);
    pdf_gap(x->d, 40);
    pdf_text(x->d, pdf_m(x->d, "%s（印）", x->org_name), PDF_RIGHT);
    pdf_seal_mark(x->d, PDF_TEXT_W - 60, 8, 42 * PDF_MM);
    pdf_text(x->d, date_iso ? pdf_m(x->d, "%s", cn_date(x, date_iso)) : BLANK_DATE, PDF_RIGHT);
    pdf_gap(x->d, 30);
}

/* ---- terms ---- */

static const char *const cn_digits[] = {"一", "二", "三", "四", "五", "六", "七",
                                        "八", "九", "十", "百", "〇", "零"};

/* Bytes of a run of Chinese numerals at s. */
static size_t cn_run(const char *s)
{
    size_t n = 0;
    for (;;) {
        bool hit = false;
        for (size_t i = 0; i < sizeof cn_digits / sizeof *cn_digits; i++)
            if (strncmp(s + n, cn_digits[i], 3) == 0) {
                n += 3;
                hit = true;
                break;
            }
        if (!hit)
            return n;
    }
}

/* Length of an enumerator at s ("一、", "十二、", "1、", "2.", "（三）", "(4)"), or 0. */
static size_t enumerator(const char *s)
{
    size_t n = cn_run(s);
    if (n && strncmp(s + n, "、", 3) == 0)
        return n + 3;
    if (n == 0) {
        size_t k = 0;
        while (s[k] >= '0' && s[k] <= '9')
            k++;
        if (k && k < 4) {
            if (strncmp(s + k, "、", 3) == 0 || strncmp(s + k, "．", 3) == 0)
                return k + 3;
            if (s[k] == '.' && !(s[k + 1] >= '0' && s[k + 1] <= '9'))
                return k + 1;
        }
    }
    if (strncmp(s, "（", 3) == 0) {
        size_t m = cn_run(s + 3);
        if (m && strncmp(s + 3 + m, "）", 3) == 0)
            return 3 + m + 3;
    }
    if (s[0] == '(') {
        size_t k = 1;
        while (s[k] >= '0' && s[k] <= '9')
            k++;
        if (k > 1 && s[k] == ')')
            return k + 1;
    }
    return 0;
}

static void add_item(GPtrArray *a, const char *s, size_t n)
{
    char *t = g_strndup(s, n);
    char *st = g_strstrip(t);
    size_t e;
    while ((e = enumerator(st)) > 0)
        st = g_strchug(st + e);
    if (*st)
        g_ptr_array_add(a, g_strdup(st));
    g_free(t);
}

char **doc_split_terms(const char *terms)
{
    GPtrArray *a = g_ptr_array_new();
    char **lines = g_strsplit(terms ? terms : "", "\n", -1);
    for (char **l = lines; *l; l++) {
        const char *s = *l, *start = s;
        for (const char *p = s; *p; p++) {
            /* a new item starts at an enumerator after "；" "。" ";" */
            size_t sep = strncmp(p, "；", 3) == 0 || strncmp(p, "。", 3) == 0 ? 3
                         : *p == ';'                                          ? 1
                                                                              : 0;
            if (!sep)
                continue;
            const char *q = p + sep;
            while (*q == ' ' || strncmp(q, "　", 3) == 0)
                q += *q == ' ' ? 1 : 3;
            if (enumerator(q)) {
                add_item(a, start, (size_t)(p + sep - start));
                start = q;
                p = q - 1;
            }
        }
        add_item(a, start, strlen(start));
    }
    g_strfreev(lines);
    g_ptr_array_add(a, NULL);
    return (char **)g_ptr_array_free(a, FALSE);
}

static void numbered_terms(ctx *x, const char *terms)
{
    char **items = doc_split_terms(terms);
    int n = 0;
    for (char **t = items; *t; t++) {
        char num[32];
        cf_cn_number(++n, num, sizeof num);
        pdf_text(x->d, pdf_m(x->d, "%s、%s", num, *t), PDF_INDENT);
    }
    if (!n)
        pdf_text(x->d, "（协议内容未填写）", PDF_INDENT);
    g_strfreev(items);
}

/* ---- signature blocks ---- */

/* Keep a closing block of n signature lines (and the seal area) together on one page
 * when it fits, so a page never holds nothing but a seal. */
static void keep_signatures(ctx *x, size_t n, bool seal)
{
    double h = (double)n * 36 + (seal ? 140 : 0);
    pdf_need(x->d, h < 640 ? h : 640);
}

static size_t n_parties(ctx *x)
{
    return json_array_size(json_object_get(x->c, "parties"));
}

static size_t n_mediators(ctx *x)
{
    size_t n = json_array_size(json_object_get(x->c, "mediators"));
    return n ? n : 1;
}

/* "申请人 张三（签名或按指印）：____" for every party; legal persons sign and seal. */
static void party_signatures(ctx *x, bool date_each)
{
    json_t *p;
    size_t i;
    json_array_foreach(json_object_get(x->c, "parties"), i, p)
    {
        const char *how = is_person(p) ? "（签名或按指印）" : "（盖章）";
        const char *m = pdf_m(x->d, "%s %s%s：", role_of(p), jsd(p, "name", ""), how);
        const char *line =
            is_person(p)
                ? pdf_m(x->d, "%s" SIGN_LINE "%s", m, date_each ? "　　" BLANK_DATE : "")
                : pdf_m(x->d, "%s" SIGN_LINE "　法定代表人或代理人（签名）：" SIGN_LINE, m);
        pdf_gap(x->d, 6);
        pdf_text(x->d, line, PDF_KEEP | PDF_HANG);
    }
}

static void mediator_signatures(ctx *x, const char *what, bool recorder)
{
    json_t *m;
    size_t i;
    json_t *ms = json_object_get(x->c, "mediators");
    if (!json_array_size(ms)) {
        pdf_gap(x->d, 6);
        pdf_text(x->d, pdf_m(x->d, "%s（签名）：" SIGN_LINE, what), PDF_KEEP);
    }
    json_array_foreach(ms, i, m)
    {
        pdf_gap(x->d, 6);
        pdf_text(x->d, pdf_m(x->d, "%s %s（签名）：" SIGN_LINE, what, jsd(m, "name", "")),
                 PDF_KEEP);
    }
    if (recorder) {
        pdf_gap(x->d, 6);
        pdf_text(x->d, "记录人（签名）：" SIGN_LINE, PDF_KEEP);
    }
}

/* ---- documents ---- */

static void doc_application(ctx *x)
{
    title(x, "人民调解申请书", true);
    party_paragraphs(x);
    heading(x, "纠纷简要情况：");
    body_text(x, js(x->c, "facts"), PDF_JUSTIFY);
    heading(x, "当事人申请事项：");
    body_text(x, js(x->c, "claims"), PDF_JUSTIFY);
    pdf_gap(x->d, 8);
    pdf_text(x->d,
             pdf_m(x->d,
                   "%s已将人民调解的性质、原则和效力，以及当事人在调解活动中享有的权利和承担的"
                   "义务告知我（单位）。人民调解不收取任何费用。现自愿申请人民调解委员会进行调解。",
                   x->org_name),
             PDF_INDENT);
    keep_signatures(x, 3 + n_parties(x), false);
    pdf_text(x->d, "此致", PDF_INDENT);
    pdf_text(x->d, pdf_m(x->d, "%s", x->org_name), PDF_LEFT);
    pdf_gap(x->d, 10);
    json_t *p;
    size_t i;
    json_array_foreach(json_object_get(x->c, "parties"), i, p)
    {
        if (strcmp(jsd(p, "role", ""), "applicant") != 0)
            continue;
        pdf_gap(x->d, 6);
        pdf_text(x->d, pdf_m(x->d, "申请人 %s（签名或按指印）：" SIGN_LINE, jsd(p, "name", "")),
                 PDF_RIGHT | PDF_KEEP);
    }
    pdf_gap(x->d, 6);
    pdf_text(x->d, js(x->c, "registered_on") ? cn_date(x, js(x->c, "registered_on")) : BLANK_DATE,
             PDF_RIGHT);
}

/* Columns of the party grid used by the forms. */
static const double party_cols[8] = {0.12, 0.17, 0.06, 0.07, 0.06, 0.11, 0.18, 0.23};

static void party_grid(ctx *x)
{
    pdf_doc *d = x->d;
    const int H = PDF_CENTER | PDF_BOLD | PDF_VCENTER | PDF_SMALL;
    pdf_cell head[] = {{"身份", 0, H},     {"姓名（名称）", 0, H}, {"性别", 0, H},
                       {"民族", 0, H},     {"年龄", 0, H},         {"职业", 0, H},
                       {"联系方式", 0, H}, {"住址（住所）", 0, H}};
    pdf_table_header(d, head, 8);
    json_t *p;
    size_t i;
    const int C = PDF_SMALL | PDF_VCENTER | PDF_CENTER, L = PDF_SMALL | PDF_VCENTER;
    json_array_foreach(json_object_get(x->c, "parties"), i, p)
    {
        int a = age_on(js(p, "birth_date"), x->today);
        const char *name =
            is_person(p)
                ? pdf_m(x->d, "%s", jsd(p, "name", ""))
                : pdf_m(x->d, "%s\n（%s：%s）", jsd(p, "name", ""),
                        strcmp(jsd(p, "kind", ""), "legal_person") == 0 ? "法定代表人" : "负责人",
                        jsd(p, "legal_rep", "　　"));
        pdf_cell row[] = {
            {pdf_m(d, "%s", role_of(p)), 0, C},
            {name, 0, C},
            {pdf_m(d, "%s",
                   is_person(p) ? jsd(p, "sex", "")[0] ? label("sex", js(p, "sex")) : "" : "—"),
             0, C},
            {pdf_m(d, "%s", is_person(p) ? jsd(p, "ethnicity", "") : "—"), 0, C},
            {a >= 0 ? pdf_m(d, "%d", a) : (is_person(p) ? "" : "—"), 0, C},
            {pdf_m(d, "%s", is_person(p) ? jsd(p, "occupation", "") : "—"), 0, C},
            {pdf_m(d, "%s", jsd(p, "phone", "")), 0, C},
            {pdf_m(d, "%s", jsd(p, "address", "")), 0, L},
        };
        pdf_table_row(d, row, 8, 26);
        if (js(p, "agent_name")) {
            pdf_cell ag[] = {
                {"代理人", 0, C},
                {pdf_m(d, "%s", js(p, "agent_name")), 0, C},
                {pdf_m(d, "%s的代理人%s%s", jsd(p, "name", ""), js(p, "agent_relation") ? "，" : "",
                       jsd(p, "agent_relation", "")),
                 4, L},
                {pdf_m(d, "%s", jsd(p, "agent_phone", "")), 0, C},
                {"", 0, L},
            };
            pdf_table_row(d, ag, 5, 26);
        }
    }
}

/* The 4-column grid under the party grid: label, value, label, value. */
static const double form_cols[4] = {0.18, 0.32, 0.18, 0.32};

/* A label cell and a value cell spanning the other three columns. */
static void grid_line(ctx *x, const char *lab, const char *markup, double min_h)
{
    pdf_cell r[] = {{pdf_m(x->d, "%s", lab), 1, PDF_CENTER | PDF_VCENTER | PDF_BOLD},
                    {markup, 3, PDF_JUSTIFY}};
    pdf_table_row(x->d, r, 2, min_h);
}

static void grid_pair(ctx *x, const char *l1, const char *v1, const char *l2, const char *v2)
{
    const int LB = PDF_CENTER | PDF_VCENTER | PDF_BOLD, V = PDF_CENTER | PDF_VCENTER;
    pdf_cell r[] = {{pdf_m(x->d, "%s", l1), 1, LB},
                    {pdf_m(x->d, "%s", v1 ? v1 : ""), 1, V},
                    {pdf_m(x->d, "%s", l2), 1, LB},
                    {pdf_m(x->d, "%s", v2 ? v2 : ""), 1, V}};
    pdf_table_row(x->d, r, 4, 26);
}

/* Long text as table markup: lines joined with breaks, each indented. */
static const char *cell_text(ctx *x, const char *text)
{
    if (!text || !*text)
        return "";
    return pdf_m(x->d, "%s", text);
}

static const char *money(ctx *x, long long fen)
{
    char w[256], dg[64];
    cf_money_words(fen, w, sizeof w);
    cf_money_digits(fen, dg, sizeof dg);
    return pdf_m(x->d, "人民币%s（¥%s）", w, dg);
}

static const char *registrar(ctx *x)
{
    json_t *t = json_array_get(json_object_get(x->c, "timeline"), 0);
    return jsd(t, "actor_name", "");
}

static void doc_acceptance_register(ctx *x)
{
    title(x, "人民调解受理登记表", true);
    pdf_table_begin(x->d, 8, party_cols);
    party_grid(x);
    pdf_table_end(x->d);
    pdf_table_begin(x->d, 4, form_cols);
    grid_pair(x, "纠纷类型", label("dispute_type", js(x->c, "dispute_type")), "纠纷来源",
              label("source", js(x->c, "source")));
    long long amount = ji(x->c, "amount", 0);
    grid_pair(x, "涉案金额", amount ? money(x, amount) : "无", "涉及人数",
              pdf_m(x->d, "%lld人", ji(x->c, "people_involved", 2)));
    grid_pair(x, "纠纷发生时间", cn_date(x, js(x->c, "occurred_on")), "纠纷发生地点",
              js(x->c, "place"));
    grid_line(x, "纠纷简要情况", cell_text(x, js(x->c, "facts")), 90);
    grid_line(x, "当事人申请事项", cell_text(x, js(x->c, "claims")), 50);
    const char *src = jsd(x->c, "source", "");
    bool applied = strcmp(src, "walk_in") == 0 || strcmp(src, "online") == 0;
    bool referred = strcmp(src, "referral") == 0;
    grid_line(x, "受理方式",
              pdf_m(x->d, "%s当事人申请　%s人民调解委员会主动调解　%s有关部门移送",
                    applied ? "☑" : "☐", !applied && !referred ? "☑" : "☐", referred ? "☑" : "☐"),
              26);
    grid_pair(x, "受理日期", cn_date(x, js(x->c, "accepted_on")), "调解期限至",
              cn_date(x, js(x->c, "due_on")));
    char *ms = mediator_list(x->c, true);
    grid_line(x, "调解员", pdf_m(x->d, "%s", ms), 26);
    g_free(ms);
    grid_pair(x, "登记人", registrar(x), "登记日期", cn_date(x, js(x->c, "registered_on")));
    grid_line(x, "受理意见",
              pdf_m(x->d, "%s\n\n负责人（签名）：" SIGN_LINE "\n%s",
                    js(x->c, "accepted_on") ? "同意受理。" : "", BLANK_DATE),
              70);
    pdf_table_end(x->d);
}

static const char *record_result(ctx *x, bool last)
{
    if (!last)
        return "继续调解。";
    json_t *a = json_object_get(x->c, "agreement");
    if (json_is_object(a))
        return strcmp(jsd(a, "form", ""), "oral") == 0 ? "达成口头调解协议。"
                                                       : "达成书面调解协议。";
    if (json_is_object(json_object_get(x->c, "termination")))
        return "调解终止。";
    return "继续调解。";
}

static void doc_records(ctx *x, const char *kind)
{
    bool inv = strcmp(kind, "investigation") == 0;
    json_t *r;
    size_t i;
    int n = 0, total = 0;
    json_array_foreach(json_object_get(x->c, "records"), i, r) total +=
        strcmp(jsd(r, "kind", "session"), kind) == 0;
    json_array_foreach(json_object_get(x->c, "records"), i, r)
    {
        if (strcmp(jsd(r, "kind", "session"), kind) != 0)
            continue;
        if (n++)
            pdf_page_break(x->d);
        title(x, inv ? "人民调解调查记录" : "人民调解记录", true);
        if (total > 1)
            pdf_text(x->d, pdf_m(x->d, "（第 %d 次，共 %d 次）", n, total), PDF_CENTER | PDF_SMALL);
        pdf_text(x->d,
                 pdf_m(x->d, "<b>时　　间：</b>%s　　　<b>地　　点：</b>%s",
                       cn_date(x, js(r, "held_on")), jsd(r, "place", "　　　　　　")),
                 PDF_HANG);
        char *parties = party_list(x->c, true);
        pdf_text(x->d, pdf_m(x->d, inv ? "<b>调查对象：</b>%s" : "<b>当 事 人：</b>%s", parties),
                 PDF_HANG);
        g_free(parties);
        if (js(r, "participants"))
            pdf_text(x->d, pdf_m(x->d, "<b>参 加 人：</b>%s", js(r, "participants")), PDF_HANG);
        char *ms = mediator_list(x->c, true);
        pdf_text(
            x->d,
            pdf_m(x->d, inv ? "<b>调 查 人：</b>%s" : "<b>调 解 员：</b>%s", *ms ? ms : "　　"),
            PDF_HANG);
        g_free(ms);
        pdf_text(x->d, pdf_m(x->d, "<b>记 录 人：</b>%s", jsd(r, "created_by_name", "")), PDF_HANG);
        pdf_rule(x->d, false);
        heading(x, inv ? "调查情况：" : "调解记录：");
        body_text(x, js(r, "content"), PDF_JUSTIFY);
        if (!inv) {
            heading(x, "调解结果：");
            pdf_text(x->d, pdf_m(x->d, "%s", record_result(x, n == total)), PDF_INDENT);
        }
        pdf_gap(x->d, 6);
        keep_signatures(x, 2 + (inv ? 1 : n_parties(x)) + n_mediators(x), false);
        pdf_text(x->d, "以上记录已向当事人宣读（或经当事人阅看），与所述一致。", PDF_INDENT);
        if (inv)
            pdf_text(x->d, "被调查人（签名或按指印）：" SIGN_LINE, PDF_KEEP);
        else
            party_signatures(x, false);
        mediator_signatures(x, inv ? "调查人" : "调解员", true);
    }
}

static void doc_agreement(ctx *x)
{
    title(x, "人民调解协议书", true);
    party_paragraphs(x);
    heading(x, "纠纷主要事实、争议事项：");
    body_text(x, js(x->c, "facts"), PDF_JUSTIFY);
    if (js(x->c, "claims"))
        pdf_text(x->d, pdf_m(x->d, "争议事项：%s", js(x->c, "claims")), PDF_INDENT | PDF_JUSTIFY);
    json_t *a = json_object_get(x->c, "agreement");
    heading(x, "经调解，当事人自愿达成如下协议：");
    numbered_terms(x, js(a, "terms"));
    heading(x, "履行方式、时限：");
    GString *g = g_string_new(NULL);
    if (jb(a, "has_payment") && ji(a, "amount", 0) > 0) {
        g_string_append_printf(g, "本协议给付金额共计%s", money(x, ji(a, "amount", 0)));
        g_string_append(g, js(a, "performance_due") ? "，" : "，按上述协议条款约定的方式履行。");
    }
    if (js(a, "performance_due"))
        g_string_append_printf(g, "%s当事人应于%s前按上述协议条款履行完毕。", g->len ? "" : "",
                               cn_date(x, js(a, "performance_due")));
    else if (!g->len)
        g_string_append(g, "当事人按上述协议条款约定的方式和期限履行。");
    pdf_text(x->d, pdf_m(x->d, "%s", g->str), PDF_INDENT | PDF_JUSTIFY);
    g_string_free(g, TRUE);
    size_t np = json_array_size(json_object_get(x->c, "parties"));
    pdf_gap(x->d, 4);
    pdf_text(
        x->d,
        pdf_m(
            x->d,
            "本协议自各方当事人签名、盖章或者按指印，人民调解员签名并加盖人民调解委员会印章之日起"
            "生效。经人民调解委员会调解达成的调解协议，具有法律约束力，当事人应当按照约定履行"
            "（《中华人民共和国人民调解法》第三十一条）。双方当事人可以自调解协议生效之日起三十日内"
            "共同向人民法院申请司法确认。"),
        PDF_INDENT | PDF_JUSTIFY);
    pdf_text(x->d,
             pdf_m(x->d, "本协议书一式%zu份，当事人各执一份，人民调解委员会留存一份。", np + 1),
             PDF_INDENT);
    pdf_gap(x->d, 8);
    keep_signatures(x, 3 + n_parties(x) + n_mediators(x), true);
    pdf_text(x->d, "<b>当事人：</b>", PDF_LEFT);
    party_signatures(x, false);
    pdf_gap(x->d, 8);
    pdf_text(x->d, "<b>人民调解员：</b>", PDF_KEEP);
    mediator_signatures(x, "人民调解员", true);
    seal_block(x, js(a, "effective_on"));
}

static void doc_oral_register(ctx *x)
{
    title(x, "人民调解口头协议登记表", true);
    pdf_table_begin(x->d, 8, party_cols);
    party_grid(x);
    pdf_table_end(x->d);
    pdf_table_begin(x->d, 4, form_cols);
    json_t *a = json_object_get(x->c, "agreement");
    grid_line(x, "纠纷简要情况", cell_text(x, js(x->c, "facts")), 70);
    char **items = doc_split_terms(js(a, "terms"));
    GString *g = g_string_new(NULL);
    int n = 0;
    for (char **t = items; *t; t++) {
        char num[32];
        cf_cn_number(++n, num, sizeof num);
        g_string_append_printf(g, "%s%s、%s", n > 1 ? "\n" : "", num, *t);
    }
    g_strfreev(items);
    grid_line(x, "协议内容", pdf_m(x->d, "%s", g->str), 70);
    g_string_free(g, TRUE);
    GString *p = g_string_new(NULL);
    if (jb(a, "has_payment") && ji(a, "amount", 0) > 0)
        g_string_append_printf(p, "给付金额%s。", money(x, ji(a, "amount", 0)));
    if (js(a, "performance_due"))
        g_string_append_printf(p, "于%s前履行完毕。", cn_date(x, js(a, "performance_due")));
    if (!p->len)
        g_string_append(p, "当场履行或按协议内容履行。");
    grid_line(x, "履行方式、时限", pdf_m(x->d, "%s", p->str), 40);
    g_string_free(p, TRUE);
    grid_pair(x, "达成协议日期", cn_date(x, js(a, "effective_on")), "履行情况",
              js(a, "performance") ? label("performance", js(a, "performance")) : "");
    char *ms = mediator_list(x->c, true);
    grid_line(x, "调解员", pdf_m(x->d, "%s\n\n调解员（签名）：" SIGN_LINE, ms), 60);
    g_free(ms);
    grid_pair(x, "登记人", x->data ? jsd(x->data, "user_name", "") : "", "登记日期",
              cn_date(x, x->today));
    pdf_table_end(x->d);
}

static void doc_termination(ctx *x)
{
    title(x, "终止人民调解告知书", true);
    char *names = party_list(x->c, false);
    pdf_text(x->d, pdf_m(x->d, "%s：", names), PDF_LEFT);
    json_t *t = json_object_get(x->c, "termination");
    const char *reason = label("termination_reason", js(t, "reason_code"));
    const char *guide = js(t, "guidance");
    pdf_text(x->d,
             pdf_m(x->d, "%s（%s）一案，本委员会于%s受理。经调解，因%s%s%s，本委员会决定终止调解。",
                   jsd(x->c, "title", ""), x->doc_no ? x->doc_no : "",
                   js(x->c, "accepted_on") ? cn_date(x, js(x->c, "accepted_on")) : "　　年　月　日",
                   reason ? reason : "", js(t, "reason_text") ? "：" : "",
                   jsd(t, "reason_text", "")),
             PDF_INDENT | PDF_JUSTIFY);
    const char *gl = guide && strcmp(guide, "none") != 0 ? label("guidance", guide) : NULL;
    pdf_text(
        x->d,
        pdf_m(
            x->d,
            "根据《中华人民共和国人民调解法》第二十六条的规定，人民调解员应当告知当事人可以依法通过"
            "仲裁、行政、司法等途径维护自己的权利。%s%s%s",
            gl ? "你们可以" : "", gl ? gl : "", gl ? "，依法维护自己的合法权益。" : ""),
        PDF_INDENT | PDF_JUSTIFY);
    keep_signatures(x, 1, true);
    pdf_text(x->d, "特此告知。", PDF_INDENT);
    g_free(names);
    seal_block(x, js(x->c, "terminated_on"));
    keep_signatures(x, 1 + n_parties(x), false);
    pdf_text(x->d, "<b>送达回证：</b>本告知书已收到。", PDF_KEEP);
    party_signatures(x, false);
    pdf_gap(x->d, 6);
    pdf_text(x->d, "签收日期：" BLANK_DATE, PDF_LEFT);
}

static const char *satisfaction_label(long long s)
{
    static const char *const l[] = {"", "非常不满意", "不满意", "基本满意", "满意", "非常满意"};
    return s >= 1 && s <= 5 ? l[s] : "";
}

static void doc_follow_up(ctx *x)
{
    json_t *f;
    size_t i;
    int n = 0;
    static const double cols[4] = {0.18, 0.32, 0.18, 0.32};
    json_t *a = json_object_get(x->c, "agreement");
    json_array_foreach(json_object_get(x->c, "follow_ups"), i, f)
    {
        if (n++)
            pdf_page_break(x->d);
        title(x, "人民调解回访记录", true);
        pdf_table_begin(x->d, 4, cols);
        const int LB = PDF_CENTER | PDF_VCENTER | PDF_BOLD, V = PDF_CENTER | PDF_VCENTER;
        char *names = party_list(x->c, true);
        pdf_cell r1[] = {{"被回访当事人", 0, LB}, {pdf_m(x->d, "%s", names), 3, PDF_VCENTER}};
        pdf_table_row(x->d, r1, 2, 30);
        g_free(names);
        pdf_cell r2[] = {
            {"回访时间", 0, LB},
            {cn_date(x, js(f, "visited_on")), 0, V},
            {"回访方式", 0, LB},
            {pdf_m(x->d, "%s", label("follow_up_method", jsd(f, "method", ""))), 0, V}};
        pdf_table_row(x->d, r2, 4, 30);
        char *ms = mediator_list(x->c, false);
        pdf_cell r3[] = {{"回访人", 0, LB},
                         {pdf_m(x->d, "%s", ms), 0, V},
                         {"案件编号", 0, LB},
                         {pdf_m(x->d, "%s", x->doc_no ? x->doc_no : ""), 0, V}};
        pdf_table_row(x->d, r3, 4, 30);
        g_free(ms);
        pdf_cell r4[] = {
            {"回访事由", 0, LB},
            {"了解调解协议的履行情况和当事人对调解工作的意见，巩固调解成果，防止纠纷反复。", 3,
             PDF_JUSTIFY}};
        pdf_table_row(x->d, r4, 2, 30);
        pdf_cell r5[] = {{"回访情况", 0, LB}, {cell_text(x, js(f, "content")), 3, PDF_JUSTIFY}};
        pdf_table_row(x->d, r5, 2, 140);
        const char *perf =
            json_is_object(a) && js(a, "performance")
                ? pdf_m(x->d, "%s%s%s", label("performance", js(a, "performance")),
                        js(a, "performance_note") ? "：" : "", jsd(a, "performance_note", ""))
                : "";
        pdf_cell r6[] = {{"协议履行情况", 0, LB}, {perf, 3, PDF_VCENTER}};
        pdf_table_row(x->d, r6, 2, 30);
        long long s = ji(f, "satisfaction", 0);
        pdf_cell r7[] = {
            {"当事人满意度", 0, LB},
            {s ? pdf_m(x->d, "%lld分（%s）", s, satisfaction_label(s)) : "", 3, PDF_VCENTER}};
        pdf_table_row(x->d, r7, 2, 30);
        pdf_cell r8[] = {{"回访人签名", 0, LB}, {"", 0, V}, {"被回访人签名", 0, LB}, {"", 0, V}};
        pdf_table_row(x->d, r8, 4, 40);
        pdf_table_end(x->d);
    }
}

static void doc_rights_notice(ctx *x)
{
    title(x, "人民调解当事人权利义务告知书", true);
    static const char *const paras[] = {
        "人民调解委员会是依法设立的调解民间纠纷的群众性组织。人民调解委员会调解民间纠纷，"
        "遵循在当事人自愿、平等的基础上进行调解，不违背法律、法规和国家政策，尊重当事人的权利，"
        "不得因调解而阻止当事人依法通过仲裁、行政、司法等途径维护自己的权利的原则，不收取任何费用。"
        "根据《中华人民共和国人民调解法》第二十三条、第二十四条的规定，现将您在人民调解活动中"
        "享有的权利和承担的义务告知如下：",
        NULL};
    for (int i = 0; paras[i]; i++)
        pdf_text(x->d, paras[i], PDF_INDENT | PDF_JUSTIFY);
    heading(x, "一、当事人在人民调解活动中享有下列权利：");
    static const char *const rights[] = {
        "（一）选择或者接受人民调解员；", "（二）接受调解、拒绝调解或者要求终止调解；",
        "（三）要求调解公开进行或者不公开进行；", "（四）自主表达意愿、自愿达成调解协议。"};
    for (size_t i = 0; i < 4; i++)
        pdf_text(x->d, rights[i], PDF_INDENT);
    heading(x, "二、当事人在人民调解活动中履行下列义务：");
    static const char *const duties[] = {"（一）如实陈述纠纷事实；",
                                         "（二）遵守调解现场秩序，尊重人民调解员；",
                                         "（三）尊重对方当事人行使权利。"};
    for (size_t i = 0; i < 3; i++)
        pdf_text(x->d, duties[i], PDF_INDENT);
    heading(x, "三、调解协议的效力");
    pdf_text(x->d,
             "经人民调解委员会调解达成的调解协议，具有法律约束力，当事人应当按照约定履行。"
             "双方当事人认为有必要的，可以自调解协议生效之日起三十日内共同向人民法院申请司法确认；"
             "人民法院依法确认调解协议有效，一方当事人拒绝履行或者未全部履行的，对方当事人可以向"
             "人民法院申请强制执行（《中华人民共和国人民调解法》第三十一条、第三十三条）。",
             PDF_INDENT | PDF_JUSTIFY);
    pdf_gap(x->d, 8);
    keep_signatures(x, 2 + n_parties(x), true);
    pdf_text(x->d, pdf_m(x->d, "案件：%s", jsd(x->c, "title", "")), PDF_INDENT);
    pdf_text(x->d, "以上内容本人（单位）已知悉。", PDF_INDENT);
    party_signatures(x, false);
    pdf_gap(x->d, 6);
    pdf_text(x->d, "日期：" BLANK_DATE, PDF_LEFT);
    seal_block(x, NULL);
}

static void doc_confirmation_guide(ctx *x)
{
    title(x, "司法确认申请指引", true);
    json_t *a = json_object_get(x->c, "agreement");
    const char *due = NULL;
    json_t *dl;
    size_t i;
    json_array_foreach(json_object_get(x->c, "deadlines"), i,
                       dl) if (strcmp(jsd(dl, "kind", ""), "judicial_confirmation") == 0) due =
        js(dl, "due_on");
    char *names = party_list(x->c, false);
    pdf_text(x->d, pdf_m(x->d, "%s：", names), PDF_LEFT);
    g_free(names);
    pdf_text(x->d,
             pdf_m(x->d,
                   "你们于%s在%s主持下达成的人民调解协议（编号：%s），具有法律约束力。"
                   "为使协议获得强制执行力，双方当事人可以申请司法确认。现将有关事项告知如下：",
                   js(a, "effective_on") ? cn_date(x, js(a, "effective_on")) : "　　年　月　日",
                   x->org_name, x->doc_no ? x->doc_no : ""),
             PDF_INDENT | PDF_JUSTIFY);
    heading(x, "一、申请期限");
    pdf_text(
        x->d,
        pdf_m(x->d,
              "双方当事人应当自调解协议生效之日起三十日内共同提出申请（《中华人民共和国人民调解法》"
              "第三十三条）%s%s%s。",
              due ? "，即最迟于" : "", due ? cn_date(x, due) : "", due ? "前提出" : ""),
        PDF_INDENT | PDF_JUSTIFY);
    heading(x, "二、受理法院");
    pdf_text(
        x->d,
        "人民调解委员会自行开展调解的，向当事人住所地、标的物所在地、调解组织所在地的基层人民法院"
        "提出；调解协议所涉纠纷应当由中级人民法院管辖的，向相应的中级人民法院提出（《中华人民共和国"
        "民事诉讼法》第二百零五条）。",
        PDF_INDENT | PDF_JUSTIFY);
    heading(x, "三、应当提交的材料");
    static const char *const mats[] = {"（一）司法确认申请书（双方当事人共同签名）；",
                                       "（二）人民调解协议书原件；",
                                       "（三）双方当事人的身份证明；法人或者其他组织的营业执照复印"
                                       "件、法定代表人或者负责人身份证明；",
                                       "（四）委托代理人代为申请的，提交授权委托书；",
                                       "（五）与调解协议相关的财产权利证明等证明材料。"};
    for (size_t k = 0; k < sizeof mats / sizeof *mats; k++)
        pdf_text(x->d, mats[k], PDF_INDENT | PDF_JUSTIFY);
    heading(x, "四、法律效果");
    pdf_text(
        x->d,
        "人民法院依法确认调解协议有效，一方当事人拒绝履行或者未全部履行的，对方当事人可以向人民法院"
        "申请强制执行。人民法院依法确认调解协议无效的，当事人可以通过人民调解方式变更原调解协议或者"
        "达成新的调解协议，也可以向人民法院提起诉讼。",
        PDF_INDENT | PDF_JUSTIFY);
    if (jb(a, "has_payment"))
        pdf_text(
            x->d,
            "调解协议具有金钱或者有价证券给付内容的，债权人也可以依照《中华人民共和国民事诉讼法》"
            "的规定，向有管辖权的基层人民法院申请支付令。",
            PDF_INDENT | PDF_JUSTIFY);
    if (js(a, "confirmation_court"))
        pdf_text(x->d,
                 pdf_m(x->d, "登记情况：当事人已于%s向%s申请司法确认。",
                       cn_date(x, js(a, "confirmation_applied_on")), js(a, "confirmation_court")),
                 PDF_INDENT);
    seal_block(x, x->today);
}

/* ---- referral letter and receipt (data from the referrals table) ---- */

static void doc_referral_letter(ctx *x)
{
    json_t *r = json_object_get(x->data, "referral");
    title(x, "移送函", false);
    pdf_text(x->d, pdf_m(x->d, "%s", jsd(r, "letter_no", "")), PDF_CENTER);
    pdf_gap(x->d, 8);
    pdf_text(x->d, pdf_m(x->d, "%s：", jsd(r, "target_org_name", x->org_name)), PDF_LEFT);
    pdf_text(
        x->d,
        pdf_m(
            x->d,
            "%s之间的%s，经审查，适宜通过人民调解方式化解，经征得当事人同意，现移送你单位进行调解。"
            "请于收到本函之日起三日内决定是否受理，并将调解结果及时反馈我单位。",
            jsd(r, "party_names", jsd(x->c, "party_names", "")),
            jsd(r, "title", jsd(x->c, "title", ""))),
        PDF_INDENT | PDF_JUSTIFY);
    heading(x, "纠纷简要情况：");
    json_t *dispute = json_object_get(r, "dispute");
    body_text(
        x, json_is_object(dispute) ? jsd(dispute, "facts", js(x->c, "facts")) : js(x->c, "facts"),
        PDF_JUSTIFY);
    if (json_is_object(dispute) && js(dispute, "claims"))
        pdf_text(x->d, pdf_m(x->d, "当事人请求：%s", js(dispute, "claims")),
                 PDF_INDENT | PDF_JUSTIFY);
    if (js(r, "note")) {
        heading(x, "其他需要说明的情况：");
        body_text(x, js(r, "note"), PDF_JUSTIFY);
    }
    pdf_gap(x->d, 6);
    pdf_text(x->d,
             pdf_m(x->d, "联系人：%s　　联系电话：%s", jsd(r, "contact_name", "　　　　"),
                   jsd(r, "contact_phone", "　　　　　　")),
             PDF_INDENT);
    pdf_text(x->d, "附：当事人同意调解书及相关材料", PDF_INDENT);
    const char *saved = x->org_name;
    x->org_name = jsd(r, "partner_org_name", "");
    seal_block(x, jsd(r, "letter_date", NULL));
    x->org_name = saved;
    if (js(r, "approved_by_name"))
        pdf_text(x->d, pdf_m(x->d, "审签：%s", js(r, "approved_by_name")), PDF_RIGHT | PDF_SMALL);
}

static void doc_referral_receipt(ctx *x)
{
    json_t *r = json_object_get(x->data, "referral");
    title(x, "回　执", false);
    pdf_text(x->d, pdf_m(x->d, "（%s）", jsd(r, "letter_no", "")), PDF_CENTER);
    pdf_gap(x->d, 8);
    pdf_text(x->d, pdf_m(x->d, "%s：", jsd(r, "partner_org_name", "")), PDF_LEFT);
    const char *status = jsd(r, "status", "");
    const char *outcome;
    if (js(r, "case_id") || ji(r, "case_id", 0) || strcmp(status, "accepted") == 0)
        outcome = pdf_m(
            x->d, "经审查，本委员会已于%s决定受理，并依法组织调解，调解结果将及时反馈你单位。",
            js(r, "decided_on") ? cn_date(x, js(r, "decided_on"))
                                : cn_date(x, js(x->c, "accepted_on")));
    else if (strcmp(status, "returned") == 0)
        outcome = pdf_m(x->d, "经审查，本委员会决定不予受理，现予退回。理由：%s",
                        jsd(r, "return_reason_text", ""));
    else
        outcome = "本委员会将在三日内决定是否受理。";
    pdf_text(
        x->d,
        pdf_m(x->d,
              "你单位于%s移送的%s之间的%s（移送函编号：%s）及相关材料，本委员会已于%s收到。%s",
              cn_date(x, js(r, "letter_date")), jsd(r, "party_names", jsd(x->c, "party_names", "")),
              jsd(r, "title", jsd(x->c, "title", "")), jsd(r, "letter_no", ""),
              js(r, "received_on") ? cn_date(x, js(r, "received_on")) : "　　年　月　日", outcome),
        PDF_INDENT | PDF_JUSTIFY);
    if (js(r, "receipt_note"))
        pdf_text(x->d, pdf_m(x->d, "说明：%s", js(r, "receipt_note")), PDF_INDENT);
    pdf_gap(x->d, 6);
    pdf_text(x->d, pdf_m(x->d, "签收人：%s", jsd(r, "receipt_by_name", "　　　　　　")),
             PDF_INDENT);
    const char *saved = x->org_name;
    x->org_name = jsd(r, "target_org_name", x->org_name);
    seal_block(x, js(r, "received_on"));
    x->org_name = saved;
}

/* ---- case file: cover and contents, back cover, note ---- */

static const char *mediation_period(ctx *x)
{
    const char *from =
        js(x->c, "accepted_on") ? js(x->c, "accepted_on") : js(x->c, "registered_on");
    const char *to = js(x->c, "agreed_on")       ? js(x->c, "agreed_on")
                     : js(x->c, "terminated_on") ? js(x->c, "terminated_on")
                                                 : js(x->c, "closed_on");
    return pdf_m(x->d, "%s 至 %s", cn_date(x, from), to ? cn_date(x, to) : "　　年　月　日");
}

static void doc_cover(ctx *x)
{
    json_t *f = json_object_get(x->data, "file");
    pdf_gap(x->d, 0);
    pdf_advance(x->d, 40);
    pdf_text(x->d, pdf_m(x->d, "%s", x->org_name), PDF_CENTER | PDF_LARGE);
    pdf_advance(x->d, 24);
    pdf_text(x->d, "<span letter_spacing=\"12288\">人民调解卷宗</span>", PDF_TITLE);
    pdf_advance(x->d, 40);
    static const double cols[2] = {0.26, 0.74};
    pdf_table_begin(x->d, 2, cols);
    const int LB = PDF_CENTER | PDF_VCENTER | PDF_BOLD | PDF_HEADING, V = PDF_VCENTER | PDF_HEADING;
    char *ms = mediator_list(x->c, false);
    const char *rows[][2] = {
        {"调解委员会", x->org_name},
        {"卷　　名", jsd(x->c, "title", "")},
        {"卷 宗 号", x->doc_no ? x->doc_no : ""},
        {"调 解 员", ms},
        {"调解日期", mediation_period(x)},
        {"立 卷 人", jsd(f, "filed_by", jsd(x->data, "user_name", ""))},
        {"立卷日期", cn_date(x, jsd(f, "filed_on", x->today))},
        {"保管期限", jsd(x->data, "retention", "30年")},
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        pdf_cell r[] = {{pdf_m(x->d, "%s", rows[i][0]), 0, LB},
                        {pdf_m(x->d, "%s", rows[i][1] ? rows[i][1] : ""), 0, V}};
        pdf_table_row(x->d, r, 2, 40);
    }
    g_free(ms);
    pdf_table_end(x->d);
    /* contents list on its own page */
    pdf_page_break(x->d);
    pdf_text(x->d, "<span letter_spacing=\"6144\">卷内目录</span>", PDF_TITLE);
    pdf_gap(x->d, 4);
    pdf_text(x->d, pdf_m(x->d, "卷宗号：%s", x->doc_no ? x->doc_no : ""), PDF_RIGHT | PDF_SMALL);
    pdf_gap(x->d, 8);
    static const double tc[4] = {0.10, 0.52, 0.14, 0.24};
    pdf_table_begin(x->d, 4, tc);
    const int H = PDF_CENTER | PDF_VCENTER | PDF_BOLD;
    pdf_cell head[] = {{"序号", 0, H}, {"文书名称", 0, H}, {"页号", 0, H}, {"备注", 0, H}};
    pdf_table_header(x->d, head, 4);
    json_t *it;
    size_t i;
    json_array_foreach(json_object_get(f, "items"), i, it)
    {
        pdf_cell r[] = {
            {pdf_m(x->d, "%lld", ji(it, "no", (long long)i + 1)), 0, PDF_CENTER | PDF_VCENTER},
            {pdf_m(x->d, "%s", jsd(it, "title", "")), 0, PDF_VCENTER},
            {pdf_m(x->d, "%s", jsd(it, "pages", "")), 0, PDF_CENTER | PDF_VCENTER},
            {pdf_m(x->d, "%s", jsd(it, "note", "")), 0, PDF_VCENTER | PDF_SMALL}};
        pdf_table_row(x->d, r, 4, 26);
    }
    pdf_table_end(x->d);
    if (!json_array_size(json_object_get(f, "items")))
        pdf_text(x->d, "（卷内尚无材料）", PDF_CENTER);
}

static void doc_back_cover(ctx *x)
{
    json_t *f = json_object_get(x->data, "file");
    title(x, "卷内备考表", false);
    pdf_text(x->d, pdf_m(x->d, "卷宗号：%s", x->doc_no ? x->doc_no : ""), PDF_RIGHT | PDF_SMALL);
    pdf_gap(x->d, 6);
    static const double cols[2] = {0.22, 0.78};
    pdf_table_begin(x->d, 2, cols);
    const int LB = PDF_CENTER | PDF_VCENTER | PDF_BOLD;
    const char *count =
        json_is_object(f)
            ? pdf_m(x->d,
                    "本卷共有文件材料 %lld 件，共 %lld 页（不含卷宗封面、卷内目录和本备考表）。",
                    ji(f, "count", 0), ji(f, "total_pages", 0))
            : "本卷共有文件材料　　件，共　　页。";
    pdf_cell r1[] = {{"本卷情况", 0, LB}, {count, 0, PDF_VCENTER | PDF_JUSTIFY}};
    pdf_table_row(x->d, r1, 2, 60);
    pdf_cell r2[] = {
        {"说　　明", 0, LB},
        {js(x->data, "note") ? pdf_m(x->d, "%s", js(x->data, "note")) : "卷内材料齐全，排列有序。",
         0, PDF_JUSTIFY}};
    pdf_table_row(x->d, r2, 2, 220);
    pdf_cell r3[] = {
        {"立 卷 人", 0, LB},
        {pdf_m(x->d, "%s", jsd(f, "filed_by", jsd(x->data, "user_name", ""))), 0, PDF_VCENTER}};
    pdf_table_row(x->d, r3, 2, 40);
    pdf_cell r4[] = {{"检 查 人", 0, LB}, {"", 0, PDF_VCENTER}};
    pdf_table_row(x->d, r4, 2, 40);
    pdf_cell r5[] = {{"立卷时间", 0, LB},
                     {pdf_m(x->d, "%s", cn_date(x, jsd(f, "filed_on", x->today))), 0, PDF_VCENTER}};
    pdf_table_row(x->d, r5, 2, 40);
    pdf_table_end(x->d);
}

static void doc_file_note(ctx *x)
{
    title(x, "卷宗情况说明", true);
    pdf_text(x->d, pdf_m(x->d, "案件：%s", jsd(x->c, "title", "")), PDF_INDENT);
    body_text(x, js(x->data, "note"), PDF_JUSTIFY);
    pdf_gap(x->d, 12);
    pdf_text(x->d, pdf_m(x->d, "说明人（签名）：%s" SIGN_LINE, jsd(x->data, "user_name", "")),
             PDF_RIGHT | PDF_KEEP);
    pdf_gap(x->d, 6);
    pdf_text(x->d, pdf_m(x->d, "%s", cn_date(x, x->today)), PDF_RIGHT);
}

int doc_render(cf_doc kind, json_t *data, pdf_doc **out, tj_err *err)
{
    if (pdf_font_check(err) != 0)
        return -1;
    ctx x = {0};
    x.data = data;
    x.c = json_object_get(data, "case");
    x.org = json_object_get(data, "org");
    x.today = jsd(data, "today", NULL);
    x.doc_no = js(data, "doc_no");
    x.org_name = jsd(x.org, "name", "人民调解委员会");
    if ((kind == CF_DOC_REFERRAL_LETTER || kind == CF_DOC_REFERRAL_RECEIPT) &&
        !json_is_object(json_object_get(data, "referral")))
        return err_set(err, 409, "conflict", NULL, "本案没有移送记录");
    const char *no = x.doc_no;
    if (kind == CF_DOC_REFERRAL_LETTER || kind == CF_DOC_REFERRAL_RECEIPT)
        no = js(json_object_get(data, "referral"), "letter_no");
    x.d = pdf_doc_new(kind == CF_DOC_COVER ? NULL : no);
    if (kind == CF_DOC_COVER)
        pdf_doc_no_footer(x.d);
    switch (kind) {
    case CF_DOC_APPLICATION:
        doc_application(&x);
        break;
    case CF_DOC_ACCEPTANCE_REGISTER:
        doc_acceptance_register(&x);
        break;
    case CF_DOC_RIGHTS_NOTICE:
        doc_rights_notice(&x);
        break;
    case CF_DOC_INVESTIGATION_RECORD:
        doc_records(&x, "investigation");
        break;
    case CF_DOC_SESSION_RECORD:
        doc_records(&x, "session");
        break;
    case CF_DOC_AGREEMENT:
        doc_agreement(&x);
        break;
    case CF_DOC_ORAL_AGREEMENT_REGISTER:
        doc_oral_register(&x);
        break;
    case CF_DOC_TERMINATION_NOTICE:
        doc_termination(&x);
        break;
    case CF_DOC_FOLLOW_UP_RECORD:
        doc_follow_up(&x);
        break;
    case CF_DOC_CONFIRMATION_GUIDE:
        doc_confirmation_guide(&x);
        break;
    case CF_DOC_REFERRAL_LETTER:
        doc_referral_letter(&x);
        break;
    case CF_DOC_REFERRAL_RECEIPT:
        doc_referral_receipt(&x);
        break;
    case CF_DOC_COVER:
        doc_cover(&x);
        break;
    case CF_DOC_BACK_COVER:
        doc_back_cover(&x);
        break;
    case CF_DOC_FILE_NOTE:
        doc_file_note(&x);
        break;
    default:
        pdf_doc_free(x.d);
        return err_set(err, 400, "validation_failed", "kind", "未知的文书类型");
    }
    pdf_doc_finish(x.d);
    *out = x.d;
    return 0;
}

int doc_render_pdf(cf_doc kind, json_t *data, void **out, size_t *n, int *pages, tj_err *err)
{
    pdf_doc *d;
    if (doc_render(kind, data, &d, err) != 0)
        return -1;
    *pages = pdf_doc_pages(d);
    char title[300];
    snprintf(title, sizeof title, "%s %s", cf_doc_label(kind), jsd(data, "doc_no", ""));
    int rc = pdf_doc_write(d, title, out, n, err);
    pdf_doc_free(d);
    return rc;
}
