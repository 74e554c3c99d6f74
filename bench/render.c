/* bench_render — time to lay out and write one agreement (人民调解协议书) and a
 * 30-page case file (卷宗) with cover, contents list, generated documents and scans.
 * No database, no HTTP: the render/ functions the API calls, on synthetic data.
 *
 *   bench_render [iterations]      (default 20)
 *
 * Prints one line per measurement: name, iterations, mean and min milliseconds, pages. */
#include <cairo.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "render/case_file_pdf.h"
#include "render/docs.h"

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static char *repeat(const char *s, int n)
{
    size_t len = strlen(s);
    char *out = malloc(len * (size_t)n + 1);
    for (int i = 0; i < n; i++)
        memcpy(out + len * (size_t)i, s, len);
    out[len * (size_t)n] = 0;
    return out;
}

static json_t *data_for(const char *kind)
{
    char *facts =
        repeat("申请人在被申请人承建的安置房项目务工，被申请人以工程款未结算为由拖欠工资，"
               "双方多次协商未果。",
               6);
    char *content = repeat(
        "调解员向双方释明劳动报酬相关法律规定，双方各自陈述意见，被申请人表示愿意分期支付。", 12);
    json_t *parties = json_array();
    static const char *const names[] = {"欧阳娜娜", "张三丰", "李小龙", "孙悟空"};
    for (int i = 0; i < 4; i++)
        json_array_append_new(parties, json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "role",
                                                 i < 2 ? "applicant" : "respondent", "kind",
                                                 "person", "name", names[i], "sex",
                                                 i % 2 ? "male" : "female", "ethnicity", "汉族",
                                                 "birth_date", "1970-05-04", "phone", "13800138000",
                                                 "address", "青山县城关镇东关社区幸福路18号"));
    json_array_append_new(parties, json_pack("{s:s,s:s,s:s,s:s,s:s}", "role", "respondent", "kind",
                                             "legal_person", "name",
                                             "青山县某某建筑工程有限责任公司", "legal_rep",
                                             "王大锤", "address", "青山县经济开发区创业大道88号"));
    json_t *records = json_array();
    for (int i = 0; i < 3; i++)
        json_array_append_new(records, json_pack("{s:s,s:s,s:s,s:s,s:s}", "kind",
                                                 i ? "session" : "investigation", "held_on",
                                                 "2025-09-25", "place", "东关社区调解室", "content",
                                                 content, "created_by_name", "王德明"));
    json_t *c = json_pack(
        "{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:I,s:o,s:o,s:[{s:s,s:b},{s:s,s:b}],"
        "s:{s:s,s:s,s:b,s:I,s:s,s:s},s:[{s:s,s:s,s:s,s:i}],s:[{s:s}]}",
        "case_no", "（2026）城关镇东关社区人调字第1号", "title",
        "欧阳娜娜等与某某建筑公司劳务费纠纷", "facts", facts, "claims", "请求支付拖欠的工资。",
        "dispute_type", "wage_arrears", "source", "walk_in", "registered_on", "2025-09-22",
        "accepted_on", "2025-09-22", "agreed_on", "2025-09-28", "amount", (json_int_t)10500000,
        "parties", parties, "records", records, "mediators", "name", "曾建国", "lead", 1, "name",
        "马翠花", "lead", 0, "agreement", "form", "written", "terms",
        "一、被申请人于2025年10月10日前支付申请人工资五万元；二、被申请人于2025年10月23日前支付余款"
        "五万五千元；"
        "三、以银行转账方式支付；四、逾期未付的，按日加付万分之五的违约金；五、申请人放弃其他请求；"
        "六、双方再无其他纠纷。",
        "has_payment", 1, "amount", (json_int_t)10500000, "effective_on", "2025-09-28",
        "performance_due", "2025-10-23", "follow_ups", "visited_on", "2025-10-30", "method",
        "phone", "content", "电话回访，款项已付清。", "satisfaction", 5, "timeline", "actor_name",
        "王德明");
    free(facts);
    free(content);
    return json_pack("{s:s,s:s,s:s,s:s,s:{s:s},s:o,s:n}", "kind", kind, "doc_no",
                     "（2026）城关镇东关社区人调字第1号", "today", "2025-11-01", "user_name",
                     "王德明", "org", "name", "城关镇东关社区人民调解委员会", "case", c,
                     "referral");
}

typedef struct blob {
    unsigned char *p;
    size_t n, cap;
} blob;

static cairo_status_t png_write(void *closure, const unsigned char *data, unsigned int len)
{
    blob *b = closure;
    if (b->n + len > b->cap) {
        b->cap = (b->n + len) * 2;
        b->p = realloc(b->p, b->cap);
    }
    memcpy(b->p + b->n, data, len);
    b->n += len;
    return CAIRO_STATUS_SUCCESS;
}

/* A grey 1240 × 1754 "scan" (A4 at 150 dpi) with some strokes, as PNG. */
static blob scan_png(void)
{
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 1240, 1754);
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgb(cr, 0.96, 0.96, 0.94);
    cairo_paint(cr);
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    for (int i = 0; i < 60; i++) {
        cairo_rectangle(cr, 120, 150 + i * 25, 600 + (i * 37) % 400, 6);
        cairo_fill(cr);
    }
    cairo_destroy(cr);
    blob b = {0};
    cairo_surface_write_to_png_stream(s, png_write, &b);
    cairo_surface_destroy(s);
    return b;
}

int main(int argc, char **argv)
{
    int iters = argc > 1 ? atoi(argv[1]) : 20;
    if (iters < 1)
        iters = 1;
    tj_err err;
    /* warm up: fontconfig, the font map, the font files */
    {
        json_t *d = data_for("agreement");
        void *pdf;
        size_t n;
        int pages;
        if (doc_render_pdf(CF_DOC_AGREEMENT, d, &pdf, &n, &pages, &err) != 0) {
            fprintf(stderr, "render failed: %s\n", err.msg);
            return 1;
        }
        free(pdf);
        json_decref(d);
    }
    double best = 1e9, sum = 0;
    int pages = 0;
    size_t bytes = 0;
    for (int i = 0; i < iters; i++) {
        json_t *d = data_for("agreement");
        void *pdf;
        double t0 = now_ms();
        if (doc_render_pdf(CF_DOC_AGREEMENT, d, &pdf, &bytes, &pages, &err) != 0)
            return 1;
        double t = now_ms() - t0;
        sum += t;
        best = t < best ? t : best;
        free(pdf);
        json_decref(d);
    }
    printf("agreement       iterations %3d  mean %7.1f ms  min %7.1f ms  pages %d  bytes %zu\n",
           iters, sum / iters, best, pages, bytes);

    /* the parts of a case file: generated documents (as stored PDFs) and scans */
    static const cf_doc kinds[] = {CF_DOC_APPLICATION,      CF_DOC_ACCEPTANCE_REGISTER,
                                   CF_DOC_RIGHTS_NOTICE,    CF_DOC_INVESTIGATION_RECORD,
                                   CF_DOC_SESSION_RECORD,   CF_DOC_AGREEMENT,
                                   CF_DOC_FOLLOW_UP_RECORD, CF_DOC_CONFIRMATION_GUIDE};
    enum { NK = sizeof kinds / sizeof *kinds };
    cf_part parts[NK + 8];
    void *bufs[NK];
    int doc_pages[NK];
    int np = 0, part_pages = 0;
    for (int k = 0; k < NK; k++) {
        json_t *d = data_for(cf_doc_name(kinds[k]));
        size_t n;
        int pg;
        if (doc_render_pdf(kinds[k], d, &bufs[k], &n, &pg, &err) != 0) {
            fprintf(stderr, "%s: %s\n", cf_doc_name(kinds[k]), err.msg);
            return 1;
        }
        json_decref(d);
        doc_pages[np] = pg;
        parts[np++] = (cf_part){cf_doc_label(kinds[k]), "第1版", "application/pdf", bufs[k], n};
        part_pages += pg;
    }
    blob png = scan_png();
    int gen_parts = np, gen_pages = part_pages;
    for (int variant = 0; variant < 2; variant++) {
        /* variant 0: documents and PNG scans; 1: generated documents only. Either way
         * 27 pages of parts + cover, contents list and back cover = 30 pages. */
        np = gen_parts;
        part_pages = gen_pages;
        for (int k = 0; part_pages < 27; k++) {
            if (variant == 0)
                parts[np++] =
                    (cf_part){"证据材料（扫描件）", "证据材料", "image/png", png.p, png.n};
            else
                parts[np++] = parts[k % gen_parts];
            part_pages += variant == 0 ? 1 : doc_pages[k % gen_parts];
        }
        best = 1e9;
        sum = 0;
        int file_iters = iters > 10 ? 10 : iters;
        for (int i = 0; i < file_iters; i++) {
            json_t *d = data_for("cover");
            void *pdf;
            double t0 = now_ms();
            if (render_case_file(d, parts, np, RENDER_FILE_FULL, &pdf, &bytes, &pages, &err) != 0) {
                fprintf(stderr, "case file: %s\n", err.msg);
                return 1;
            }
            double t = now_ms() - t0;
            sum += t;
            best = t < best ? t : best;
            free(pdf);
            json_decref(d);
        }
        printf("case file %-5s iterations %3d  mean %7.1f ms  min %7.1f ms  pages %d  bytes %zu  "
               "(%d parts: %d generated documents, %d PNG scans of 1240x1754)\n",
               variant == 0 ? "scans" : "docs", file_iters, sum / file_iters, best, pages, bytes,
               np, variant == 0 ? gen_parts : np, variant == 0 ? np - gen_parts : 0);
    }
    for (int k = 0; k < NK; k++)
        free(bufs[k]);
    free(png.p);
    return 0;
}
