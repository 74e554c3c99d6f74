/* case_no.h — the human case number (案号) of a committee's case: "（2026）城关镇东关社区
 * 人调字第12号", numbered per registering org and year from 1. */
#ifndef TJ_CORE_CASE_NO_H
#define TJ_CORE_CASE_NO_H
#include <stddef.h>

#include "core/err.h"

/* The short name used in numbers: the org name without a trailing
 * "人民调解委员会" / "调解委员会" / "人民调解室" / "调解室" / "调解工作室" / "工作室"
 * (whichever matches first) and without a leading "XX县" of at most 4 characters
 * ending in 县/区/市 when more than 2 characters would remain. */
int case_no_short_name(const char *org_name, char *out, size_t cap, tj_err *err);
/* "（year）<short>人调字第<n>号" into out. year 1900..9999, n ≥ 1. */
int case_no_format(const char *org_name, int year, long long n, char *out, size_t cap, tj_err *err);

#endif
