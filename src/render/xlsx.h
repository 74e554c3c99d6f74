/* xlsx.h — Excel ledgers (台账) with libxlsxwriter: Chinese headers, money in yuan
 * with two decimals (amounts arrive as integer fen and are divided only for display). */
#ifndef TJ_RENDER_XLSX_H
#define TJ_RENDER_XLSX_H
#include <jansson.h>
#include <stddef.h>

#include "core/err.h"

/* The case-subsidy ledger (以案定补台账) as an .xlsx workbook: sheet 明细 (one row per
 * mediator and case) and sheet 汇总 (per mediator, with a total). ledger is the body of
 * GET /api/subsidies ({items, by_person, total_amount, from, to, org_name}). *out
 * (free()) gets the bytes. */
int render_subsidy_xlsx(json_t *ledger, void **out, size_t *n, tj_err *err);

#endif
