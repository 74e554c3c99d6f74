/* crypto.h — passwords, tokens and field encryption, all on libsodium.
 * Secrets pass through caller buffers and are wiped here after use (rule 9). */
#ifndef TJ_APP_CRYPTO_H
#define TJ_APP_CRYPTO_H
#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"

#define CRYPTO_PWHASH_LEN 128 /* crypto_pwhash_STRBYTES */
#define CRYPTO_TOKEN_LEN  44  /* 43 base64url chars for 256 bits + NUL */
#define CRYPTO_HASH_HEX   65  /* SHA-256 hex + NUL */

/* sodium_init and the field-encryption key: read from key_file, created (0600) with a
 * fresh random key when absent and create is true. */
int crypto_setup(const char *key_file, bool create, tj_err *err);
/* Argon2id hash of a password; at most 2 hash/verify run at once so a login burst
 * cannot exhaust memory (each takes 64 MiB). */
int crypto_password_hash(const char *pw, char out[CRYPTO_PWHASH_LEN], tj_err *err);
/* 1 if pw matches hash, 0 if not, -1 on error. */
int crypto_password_verify(const char *hash, const char *pw);
/* Whether a stored hash uses outdated parameters and should be replaced on login. */
bool crypto_password_needs_rehash(const char *hash);
/* Random 256-bit token, base64url without padding, with an optional prefix ("tj_"). */
void crypto_token(const char *prefix, char *out, size_t outlen);
/* SHA-256 hex digest of s (for storing tokens hashed). */
void crypto_sha256_hex(const char *s, char out[CRYPTO_HASH_HEX]);
/* Encrypt plaintext with the field key (XSalsa20-Poly1305, random nonce) as base64. */
char *crypto_seal(const char *plain);
/* The same with a nonce derived from a keyed hash (the blind-index key, its own label)
 * of plain: equal inputs give equal output, which crypto_blind_index reveals anyway,
 * and no nonce ever serves two different plaintexts. For bulk generation (tiaojie
 * gen), where it keeps results reproducible and saves a getrandom per value. */
char *crypto_seal_derived(const char *plain);
/* Decrypt what crypto_seal produced; NULL when it does not authenticate. free() it. */
char *crypto_open(const char *sealed);
/* Keyed hash (BLAKE2b, separate subkey) of a value, hex: lets equal identity numbers
 * be found without decrypting. */
void crypto_blind_index(const char *s, char out[CRYPTO_HASH_HEX]);
/* Wipe a buffer. */
void crypto_wipe(void *p, size_t n);

#endif
