#include "render/xlsx.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "util/xmalloc.h"

static const char *js(json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    return json_is_string(v) ? json_string_value(v) : "";
}

static double yuan(json_t *o, const char *k)
{
    return (double)json_integer_value(json_object_get(o, k)) / 100.0;
}

/* Read a whole file into memory. */
static int slurp(const char *path, void **out, size_t *n, tj_err *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return err_set(err, 500, "internal", NULL, "无法读取导出文件：%s", strerror(errno));
    struct stat st;
    if (fstat(fileno(f), &st) != 0 || st.st_size <= 0) {
        fclose(f);
        return err_set(err, 500, "internal", NULL, "导出文件为空");
    }
    char *buf = xmalloc((size_t)st.st_size);
    size_t got = fread(buf, 1, (size_t)st.st_size, f);
    fclose(f);
    if (got != (size_t)st.st_size) {
        free(buf);
        return err_set(err, 500, "internal", NULL, "读取导出文件失败");
    }
    *out = buf;
    *n = got;
    return 0;
}

int render_subsidy_xlsx(json_t *ledger, void **out, size_t *n, tj_err *err)
{
    const char *tmpdir = getenv("TMPDIR") && *getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    char path[1024];
    snprintf(path, sizeof path, "%s/tiaojie-ledger-XXXXXX", tmpdir);
    int fd = mkstemp(path);
    if (fd < 0)
        return err_set(err, 500, "internal", NULL, "无法创建临时文件：%s", strerror(errno));
    close(fd);
    lxw_workbook_options opt = {.constant_memory = LXW_FALSE, .tmpdir = (char *)tmpdir};
    lxw_workbook *wb = workbook_new_opt(path, &opt);
    if (!wb) {
        unlink(path);
        return err_set(err, 500, "internal", NULL, "无法创建 Excel 文件");
    }
    lxw_format *title = workbook_add_format(wb);
    format_set_bold(title);
    format_set_font_size(title, 14);
    format_set_align(title, LXW_ALIGN_CENTER);
    lxw_format *head = workbook_add_format(wb);
    format_set_bold(head);
    format_set_border(head, LXW_BORDER_THIN);
    format_set_align(head, LXW_ALIGN_CENTER);
    format_set_bg_color(head, 0xDDEBF7);
    lxw_format *cell = workbook_add_format(wb);
    format_set_border(cell, LXW_BORDER_THIN);
    lxw_format *money = workbook_add_format(wb);
    format_set_border(money, LXW_BORDER_THIN);
    format_set_num_format(money, "#,##0.00");
    lxw_format *bold_money = workbook_add_format(wb);
    format_set_border(bold_money, LXW_BORDER_THIN);
    format_set_bold(bold_money);
    format_set_num_format(bold_money, "#,##0.00");
    lxw_format *bold = workbook_add_format(wb);
    format_set_border(bold, LXW_BORDER_THIN);
    format_set_bold(bold);

    char heading[512];
    snprintf(heading, sizeof heading, "%s以案定补补贴台账（%s 至 %s）", js(ledger, "org_name"),
             *js(ledger, "from") ? js(ledger, "from") : "起始",
             *js(ledger, "to") ? js(ledger, "to") : "今");

    /* detail */
    lxw_worksheet *ws = workbook_add_worksheet(wb, "明细");
    static const char *const cols[] = {"序号",     "发放期间",       "审核日期",      "案号",
                                       "案件名称", "调解组织",       "调解员",        "角色",
                                       "难易档次", "案件补贴（元）", "分配金额（元）"};
    static const double widths[] = {6, 10, 12, 36, 36, 30, 10, 8, 10, 14, 14};
    const int nc = (int)(sizeof cols / sizeof *cols);
    worksheet_merge_range(ws, 0, 0, 0, (lxw_col_t)(nc - 1), heading, title);
    for (int i = 0; i < nc; i++) {
        worksheet_set_column(ws, (lxw_col_t)i, (lxw_col_t)i, widths[i], NULL);
        worksheet_write_string(ws, 1, (lxw_col_t)i, cols[i], head);
    }
    json_t *it;
    size_t i;
    lxw_row_t row = 2;
    json_array_foreach(json_object_get(ledger, "items"), i, it)
    {
        char tier[16];
        snprintf(tier, sizeof tier, "%lld档",
                 (long long)json_integer_value(json_object_get(it, "tier")));
        worksheet_write_number(ws, row, 0, (double)(i + 1), cell);
        worksheet_write_string(ws, row, 1, js(it, "period"), cell);
        worksheet_write_string(ws, row, 2, js(it, "granted_on"), cell);
        worksheet_write_string(ws, row, 3, js(it, "case_no"), cell);
        worksheet_write_string(ws, row, 4, js(it, "case_title"), cell);
        worksheet_write_string(ws, row, 5, js(it, "org_name"), cell);
        worksheet_write_string(ws, row, 6, js(it, "person_name"), cell);
        worksheet_write_string(ws, row, 7,
                               json_is_true(json_object_get(it, "lead")) ? "主调" : "协调", cell);
        worksheet_write_string(ws, row, 8, tier, cell);
        worksheet_write_number(ws, row, 9, yuan(it, "case_amount"), money);
        worksheet_write_number(ws, row, 10, yuan(it, "amount"), money);
        row++;
    }
    worksheet_write_string(ws, row, 0, "合计", bold);
    for (int c = 1; c < 10; c++)
        worksheet_write_blank(ws, row, (lxw_col_t)c, bold);
    worksheet_write_number(ws, row, 10, yuan(ledger, "total_amount"), bold_money);
    worksheet_freeze_panes(ws, 2, 0);

    /* summary per mediator */
    lxw_worksheet *sum = workbook_add_worksheet(wb, "汇总");
    static const char *const scols[] = {"序号", "调解员", "调解组织", "案件数", "补贴合计（元）"};
    static const double swidths[] = {6, 12, 36, 10, 16};
    worksheet_merge_range(sum, 0, 0, 0, 4, heading, title);
    for (int k = 0; k < 5; k++) {
        worksheet_set_column(sum, (lxw_col_t)k, (lxw_col_t)k, swidths[k], NULL);
        worksheet_write_string(sum, 1, (lxw_col_t)k, scols[k], head);
    }
    row = 2;
    long long cases = 0;
    json_array_foreach(json_object_get(ledger, "by_person"), i, it)
    {
        long long nc2 = (long long)json_integer_value(json_object_get(it, "cases"));
        cases += nc2;
        worksheet_write_number(sum, row, 0, (double)(i + 1), cell);
        worksheet_write_string(sum, row, 1, js(it, "person_name"), cell);
        worksheet_write_string(sum, row, 2, js(it, "org_name"), cell);
        worksheet_write_number(sum, row, 3, (double)nc2, cell);
        worksheet_write_number(sum, row, 4, yuan(it, "amount"), money);
        row++;
    }
    worksheet_write_string(sum, row, 0, "合计", bold);
    worksheet_write_blank(sum, row, 1, bold);
    worksheet_write_blank(sum, row, 2, bold);
    worksheet_write_number(sum, row, 3, (double)cases, bold);
    worksheet_write_number(sum, row, 4, yuan(ledger, "total_amount"), bold_money);

    lxw_error e = workbook_close(wb);
    if (e != LXW_NO_ERROR) {
        unlink(path);
        return err_set(err, 500, "internal", NULL, "生成 Excel 失败：%s", lxw_strerror(e));
    }
    int rc = slurp(path, out, n, err);
    unlink(path);
    return rc;
}
