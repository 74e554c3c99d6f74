/* idcheck.h — identifiers of parties: identity numbers, phone numbers, unified
 * social credit codes, and how they are masked for display.
 *
 * Every validator returns 0, or -1 with status 400, code "validation_failed", the
 * field named below and a Chinese message saying what is wrong. Input must be
 * exactly the identifier: the API trims whitespace before calling.
 */
#ifndef TJ_CORE_IDCHECK_H
#define TJ_CORE_IDCHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "core/date.h"
#include "core/err.h"

/* 18 characters and the NUL. */
#define IDCHECK_ID_SIZE          19
#define IDCHECK_CREDIT_CODE_SIZE 19

typedef enum { IDCHECK_MALE = 1, IDCHECK_FEMALE = 2 } idcheck_sex; /* GB/T 2261.1 codes */

typedef struct {
    char id_number[IDCHECK_ID_SIZE]; /* normalised: a trailing x becomes X */
    char region_code[7];             /* first six digits (行政区划代码 at issue) */
    tj_date birth;
    idcheck_sex sex; /* 17th digit odd: male */
} idcheck_id_info;

/* GB 11643-1999 check character (MOD 11-2) for the first 17 characters of an
 * identity number: '0'..'9' or 'X'; 0 if any of the 17 is not a digit. */
char idcheck_id_check_char(const char *first17);

/* Validate a mainland resident identity number (居民身份证号码, field "id_number"):
 *   长度应为18位 — not 18 characters;
 *   前17位应为数字 / 最后一位应为数字或X — wrong characters (x is accepted);
 *   地区码无效 — first six digits all zero, or no such province (first two digits
 *                outside 11–15, 21–23, 31–37, 41–46, 50–54, 61–65, 71, 81–83, 91–96:
 *                81/82/83 are HK/Macau/Taiwan residence permits, 9x the 2023
 *                foreigners' permanent residence cards);
 *   出生日期无效 — not a real date, before 1900, or after `today`;
 *   校验位错误 — the GB 11643 check character does not match.
 * On success fills *info (may be NULL) with the normalised number, region, birth
 * date and sex. */
int idcheck_id_number(const char *s, tj_date today, idcheck_id_info *info, tj_err *err);

/* Mainland mobile number: 11 digits, 1 then 3–9 (field "phone"). */
int idcheck_mobile(const char *s, tj_err *err);

/* Landline with area code: 0AA-NNNNNNNN or 0AAA-NNNNNNN(N), optional extension
 * -N to -NNNNNN; the first dash may be left out ("01012345678"). Three-digit area
 * codes are 010 and 020–029 and take an 8-digit local number; all other area codes
 * have four digits and take 7 or 8; a local number starts with 2–9 (field
 * "phone"). */
int idcheck_landline(const char *s, tj_err *err);

/* A mobile or a landline number (field "phone"). */
int idcheck_phone(const char *s, tj_err *err);

/* Validate an 18-character unified social credit code (统一社会信用代码, GB
 * 32100-2015, field "credit_code"): characters from 0-9 and A-Z without I, O, S,
 * V, Z (lowercase accepted), digits in positions 3–8 (region), and the MOD 31
 * check character. The registration authority and category (positions 1–2) are
 * not restricted: authorities keep being added. On success
 * writes the uppercase code to normalized (may be NULL). */
int idcheck_credit_code(const char *s, char normalized[IDCHECK_CREDIT_CODE_SIZE], tj_err *err);

/* Mask an identity number for display: keep the first 6 and last 4 characters,
 * star the rest ("110101199003071234" -> "110101********1234"); shorter than 11
 * characters or not all ASCII: all stars. Returns 0, or -1 if the result
 * (strlen(id) + 1 bytes) does not fit in cap (out is then "" when cap > 0). NULL
 * is masked as "". */
int idcheck_mask_id(const char *id, char *out, size_t cap);

/* Mask a phone number: keep a head and the last 4 characters and star the digits
 * between. The head is the area code of a number starting with 0 (up to and
 * including a '-' among the first five characters; without one 3 characters for 01x/02x, else 4)
 * and the first 3 characters otherwise: "13800138000" -> "138****8000", "010-12345678" ->
 * "010-****5678", "075523456789" -> "0755****6789". If fewer than 3 digits would be starred, every
 * digit is starred. Same return contract as idcheck_mask_id. */
int idcheck_mask_phone(const char *phone, char *out, size_t cap);

#endif
