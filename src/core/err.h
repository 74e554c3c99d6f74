/* err.h — the error struct every fallible function fills.
 *
 * Convention (house rule 3): functions return 0 on success and -1 on error and,
 * on error, fill the tj_err the caller passed (which may be NULL to ignore details).
 * `status` is the HTTP status the API layer should answer with; `code` a stable
 * machine code (validation_failed, not_found, conflict, ...); `field` the JSON path
 * of the offending input when there is one; `msg` a Simplified Chinese sentence
 * shown to the user.
 */
#ifndef TJ_CORE_ERR_H
#define TJ_CORE_ERR_H

typedef struct tj_err {
    int status;
    char code[48];
    char field[160];
    char msg[512];
} tj_err;

/* Fill err (if not NULL) with status, code, field (may be NULL) and a printf-style
 * message. Always returns -1 so callers can `return err_set(...)`. */
int err_set(tj_err *err, int status, const char *code, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Reset err to "no error" (status 0, empty strings). */
void err_clear(tj_err *err);

#endif
