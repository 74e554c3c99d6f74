/* password.h — the password policy (pure rule). */
#ifndef TJ_CORE_PASSWORD_H
#define TJ_CORE_PASSWORD_H
#include "core/err.h"

#define PASSWORD_MIN_CHARS 10
#define PASSWORD_MAX_BYTES 256

/* Accept a new password for login: at least 10 characters, at most 256 bytes, not
 * containing the login, not one repeated character, and not digits only. Errors name
 * field (e.g. "new_password") with a Chinese message. */
int password_policy_check(const char *login, const char *pw, const char *field, tj_err *err);

#endif
