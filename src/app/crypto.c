#include "app/crypto.h"
#include "util/xmalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <semaphore.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static unsigned char field_key[crypto_secretbox_KEYBYTES];
static unsigned char index_key[crypto_generichash_KEYBYTES];
static sem_t hash_slots;

int crypto_setup(const char *key_file, bool create, tj_err *err)
{
    if (sodium_init() < 0)
        return err_set(err, 500, "crypto", NULL, "libsodium 初始化失败");
    sem_init(&hash_slots, 0, 2);
    unsigned char master[32];
    int fd = open(key_file, O_RDONLY | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT && create) {
        randombytes_buf(master, sizeof master);
        fd = open(key_file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd < 0 || write(fd, master, sizeof master) != (ssize_t)sizeof master) {
            if (fd >= 0)
                close(fd);
            sodium_memzero(master, sizeof master);
            return err_set(err, 500, "key_file", NULL, "无法创建密钥文件 %s：%s", key_file,
                           strerror(errno));
        }
        fsync(fd);
        close(fd);
        fd = open(key_file, O_RDONLY | O_CLOEXEC);
    }
    if (fd < 0)
        return err_set(
            err, 500, "key_file", NULL,
            "无法读取密钥文件 %s：%s（该文件与数据库一起备份，丢失后已加密的身份证号无法解密）",
            key_file, strerror(errno));
    ssize_t n = read(fd, master, sizeof master);
    close(fd);
    if (n != (ssize_t)sizeof master) {
        sodium_memzero(master, sizeof master);
        return err_set(err, 500, "key_file", NULL, "密钥文件 %s 已损坏（应为32字节）", key_file);
    }
    crypto_kdf_derive_from_key(field_key, sizeof field_key, 1, "tjfield_", master);
    crypto_kdf_derive_from_key(index_key, sizeof index_key, 2, "tjindex_", master);
    sodium_memzero(master, sizeof master);
    return 0;
}

int crypto_password_hash(const char *pw, char out[CRYPTO_PWHASH_LEN], tj_err *err)
{
    sem_wait(&hash_slots);
    int rc = crypto_pwhash_str(out, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                               crypto_pwhash_MEMLIMIT_INTERACTIVE);
    sem_post(&hash_slots);
    if (rc != 0)
        return err_set(err, 500, "internal", NULL, "密码哈希失败（内存不足）");
    return 0;
}

int crypto_password_verify(const char *hash, const char *pw)
{
    sem_wait(&hash_slots);
    int rc = crypto_pwhash_str_verify(hash, pw, strlen(pw));
    sem_post(&hash_slots);
    return rc == 0 ? 1 : 0;
}

bool crypto_password_needs_rehash(const char *hash)
{
    return crypto_pwhash_str_needs_rehash(hash, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0;
}

void crypto_token(const char *prefix, char *out, size_t outlen)
{
    unsigned char raw[32];
    randombytes_buf(raw, sizeof raw);
    size_t pl = prefix ? strlen(prefix) : 0;
    char b64[64];
    sodium_bin2base64(b64, sizeof b64, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    snprintf(out, outlen, "%s%s", pl ? prefix : "", b64);
    sodium_memzero(raw, sizeof raw);
    sodium_memzero(b64, sizeof b64);
}

void crypto_sha256_hex(const char *s, char out[CRYPTO_HASH_HEX])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)s, strlen(s));
    sodium_bin2hex(out, CRYPTO_HASH_HEX, h, sizeof h);
}

static char *seal(const char *plain, bool derived)
{
    size_t n = strlen(plain);
    size_t clen = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + n;
    unsigned char *c = xmalloc(clen);
    if (derived) {
        /* the whole plaintext goes into the hash: no two plaintexts share a nonce */
        size_t ln = n + sizeof "seal-nonce:";
        char *label = xmalloc(ln);
        char h[CRYPTO_HASH_HEX];
        snprintf(label, ln, "seal-nonce:%s", plain);
        crypto_blind_index(label, h);
        sodium_hex2bin(c, crypto_secretbox_NONCEBYTES, h, 2 * crypto_secretbox_NONCEBYTES, NULL,
                       NULL, NULL);
        sodium_memzero(label, ln);
        free(label);
        sodium_memzero(h, sizeof h);
    } else {
        randombytes_buf(c, crypto_secretbox_NONCEBYTES);
    }
    crypto_secretbox_easy(c + crypto_secretbox_NONCEBYTES, (const unsigned char *)plain, n, c,
                          field_key);
    size_t blen = sodium_base64_ENCODED_LEN(clen, sodium_base64_VARIANT_ORIGINAL);
    char *out = xmalloc(blen);
    sodium_bin2base64(out, blen, c, clen, sodium_base64_VARIANT_ORIGINAL);
    free(c);
    return out;
}

char *crypto_seal(const char *plain)
{
    return seal(plain, false);
}

char *crypto_seal_derived(const char *plain)
{
    return seal(plain, true);
}

char *crypto_open(const char *sealed)
{
    size_t slen = strlen(sealed);
    unsigned char *c = xmalloc(slen + 1);
    size_t clen;
    if (sodium_base642bin(c, slen + 1, sealed, slen, NULL, &clen, NULL,
                          sodium_base64_VARIANT_ORIGINAL) != 0 ||
        clen < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES) {
        free(c);
        return NULL;
    }
    size_t n = clen - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES;
    char *p = xmalloc(n + 1);
    if (crypto_secretbox_open_easy((unsigned char *)p, c + crypto_secretbox_NONCEBYTES,
                                   clen - crypto_secretbox_NONCEBYTES, c, field_key) != 0) {
        free(c);
        free(p);
        return NULL;
    }
    p[n] = 0;
    free(c);
    return p;
}

void crypto_blind_index(const char *s, char out[CRYPTO_HASH_HEX])
{
    unsigned char h[32];
    crypto_generichash(h, sizeof h, (const unsigned char *)s, strlen(s), index_key,
                       sizeof index_key);
    sodium_bin2hex(out, CRYPTO_HASH_HEX, h, sizeof h);
}

void crypto_wipe(void *p, size_t n)
{
    sodium_memzero(p, n);
}
