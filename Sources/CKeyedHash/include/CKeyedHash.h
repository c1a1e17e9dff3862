#ifndef CKEYEDHASH_H
#define CKEYEDHASH_H
#include <stddef.h>
#include <stdint.h>

/// HMAC-SHA256 (RFC 2104) for many short messages under one key, on the SHA-256 of the BoringSSL
/// that swift-crypto builds (its `CCryptoBoringSSL_SHA256_*` functions, linked through the Crypto
/// product). The key's inner and outer pads are absorbed once; each MAC then copies two hash
/// states on the stack and runs two short updates, with no allocation (swift-crypto's `SHA256`
/// value allocates a state object per copy).
///
/// A hash state is held as opaque bytes, larger than BoringSSL's 112-byte `SHA256_CTX` and holding
/// no pointers, so copying it is copying the bytes. The Swift tests check every MAC against
/// swift-crypto's `HMAC<SHA256>`.
typedef struct {
    _Alignas(16) unsigned char inner[128];
    _Alignas(16) unsigned char outer[128];
} pp_hmac_sha256_pads;

/// Absorbs `key` (hashed first when longer than the 64-byte block) into the two pads.
void pp_hmac_sha256_prepare(pp_hmac_sha256_pads *pads, const uint8_t *key, size_t key_length);

/// The 32-byte MAC of `message` under the prepared key, into `mac`.
void pp_hmac_sha256(const pp_hmac_sha256_pads *pads, const uint8_t *message, size_t length, uint8_t mac[32]);

#endif
