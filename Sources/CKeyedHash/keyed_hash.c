#include "CKeyedHash.h"
#include <string.h>

/* Clears key-derived and message-derived bytes; a plain memset of a dead buffer may be dropped. */
static void wipe(void *p, size_t n) {
    memset(p, 0, n);
    __asm__ __volatile__("" : : "r"(p) : "memory");
}

/* BoringSSL's SHA-256 as swift-crypto vendors it (symbols prefixed CCryptoBoringSSL_). Its context
   is a plain struct of 112 bytes; it is passed here as a pointer to opaque storage of 128. */
typedef struct { _Alignas(16) unsigned char bytes[128]; } pp_sha256_state;
_Static_assert(sizeof(pp_sha256_state) >= 112, "room for BoringSSL's SHA256_CTX");
extern int CCryptoBoringSSL_SHA256_Init(void *sha);
extern int CCryptoBoringSSL_SHA256_Update(void *sha, const void *data, size_t len);
extern int CCryptoBoringSSL_SHA256_Final(uint8_t out[32], void *sha);

void pp_hmac_sha256_prepare(pp_hmac_sha256_pads *pads, const uint8_t *key, size_t key_length) {
    uint8_t block[64] = {0};
    if (key_length > sizeof block) {
        pp_sha256_state s;
        CCryptoBoringSSL_SHA256_Init(&s);
        CCryptoBoringSSL_SHA256_Update(&s, key, key_length);
        CCryptoBoringSSL_SHA256_Final(block, &s);
    } else if (key_length > 0) {
        memcpy(block, key, key_length);
    }
    uint8_t pad[64];
    for (int i = 0; i < 64; i++) pad[i] = block[i] ^ 0x36;
    CCryptoBoringSSL_SHA256_Init(pads->inner);
    CCryptoBoringSSL_SHA256_Update(pads->inner, pad, sizeof pad);
    for (int i = 0; i < 64; i++) pad[i] = block[i] ^ 0x5C;
    CCryptoBoringSSL_SHA256_Init(pads->outer);
    CCryptoBoringSSL_SHA256_Update(pads->outer, pad, sizeof pad);
    wipe(block, sizeof block);
    wipe(pad, sizeof pad);
}

void pp_hmac_sha256(const pp_hmac_sha256_pads *pads, const uint8_t *message, size_t length, uint8_t mac[32]) {
    pp_sha256_state s;
    uint8_t inner[32];
    memcpy(&s, pads->inner, sizeof s);
    CCryptoBoringSSL_SHA256_Update(&s, message, length);
    CCryptoBoringSSL_SHA256_Final(inner, &s);
    memcpy(&s, pads->outer, sizeof s);
    CCryptoBoringSSL_SHA256_Update(&s, inner, sizeof inner);
    CCryptoBoringSSL_SHA256_Final(mac, &s);
    wipe(&s, sizeof s);
    wipe(inner, sizeof inner);
}
