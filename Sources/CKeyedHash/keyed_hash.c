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

static int has_sha_extensions(void);
static void prepare_words(pp_hmac_sha256_pads *pads, const uint8_t inner_pad[64], const uint8_t outer_pad[64]);

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
    uint8_t pad[64], outer_pad[64];
    for (int i = 0; i < 64; i++) pad[i] = block[i] ^ 0x36;
    CCryptoBoringSSL_SHA256_Init(pads->inner);
    CCryptoBoringSSL_SHA256_Update(pads->inner, pad, sizeof pad);
    for (int i = 0; i < 64; i++) outer_pad[i] = block[i] ^ 0x5C;
    CCryptoBoringSSL_SHA256_Init(pads->outer);
    CCryptoBoringSSL_SHA256_Update(pads->outer, outer_pad, sizeof outer_pad);
    pads->pairs = has_sha_extensions();
    memset(pads->inner_words, 0, sizeof pads->inner_words);
    memset(pads->outer_words, 0, sizeof pads->outer_words);
    if (pads->pairs) prepare_words(pads, pad, outer_pad);
    wipe(block, sizeof block);
    wipe(pad, sizeof pad);
    wipe(outer_pad, sizeof outer_pad);
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

static uint64_t leading64(const uint8_t mac[32]) {
    uint64_t v = 0;
    for (int i = 0; i < 8; i++) v = (v << 8) | mac[i];
    return v;
}

/* The message as the words of its one padded block after the 64-byte pad (length at most 55). */
__attribute__((unused)) static void padded_words(const uint8_t *m, size_t n, uint32_t w[16]) {
    uint8_t block[64] = {0};
    memcpy(block, m, n);
    block[n] = 0x80;
    uint64_t bits = (uint64_t)(64 + n) * 8;
    for (int i = 0; i < 8; i++) block[63 - i] = (uint8_t)(bits >> (8 * i));
    for (int i = 0; i < 16; i++) {
        w[i] = (uint32_t)block[4 * i] << 24 | (uint32_t)block[4 * i + 1] << 16 | (uint32_t)block[4 * i + 2] << 8 | block[4 * i + 3];
    }
    wipe(block, sizeof block);
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <cpuid.h>
#include <immintrin.h>

static int has_sha_extensions(void) {
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
    if (!(c & (1u << 9)) || !(c & (1u << 19))) return 0; /* SSSE3, SSE4.1 */
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return 0;
    return (b & (1u << 29)) != 0; /* SHA */
}

static const uint32_t K256[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

#define SHA_TARGET __attribute__((target("sha,sse4.1,ssse3")))

/* One block into each of two states (eight words each), the two compressions interleaved. */
SHA_TARGET static void compress_pair(uint32_t sa[8], const uint32_t wa[16], uint32_t sb[8], const uint32_t wb[16]) {
    __m128i t, a0, a1, b0, b1;
    /* The state as the instructions hold it: ABEF and CDGH. */
    t = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&sa[0]), 0xB1);
    a1 = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&sa[4]), 0x1B);
    a0 = _mm_alignr_epi8(t, a1, 8);
    a1 = _mm_blend_epi16(a1, t, 0xF0);
    t = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&sb[0]), 0xB1);
    b1 = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&sb[4]), 0x1B);
    b0 = _mm_alignr_epi8(t, b1, 8);
    b1 = _mm_blend_epi16(b1, t, 0xF0);
    const __m128i a0_in = a0, a1_in = a1, b0_in = b0, b1_in = b1;
    __m128i ma[4], mb[4];
    for (int g = 0; g < 16; g++) {
        __m128i xa, xb;
        if (g < 4) {
            xa = _mm_loadu_si128((const __m128i *)&wa[4 * g]);
            xb = _mm_loadu_si128((const __m128i *)&wb[4 * g]);
        } else {
            /* W[t] = s1(W[t-2]) + W[t-7] + s0(W[t-15]) + W[t-16], four words at a time. */
            xa = _mm_sha256msg2_epu32(_mm_add_epi32(_mm_sha256msg1_epu32(ma[g & 3], ma[(g + 1) & 3]),
                                                    _mm_alignr_epi8(ma[(g + 3) & 3], ma[(g + 2) & 3], 4)), ma[(g + 3) & 3]);
            xb = _mm_sha256msg2_epu32(_mm_add_epi32(_mm_sha256msg1_epu32(mb[g & 3], mb[(g + 1) & 3]),
                                                    _mm_alignr_epi8(mb[(g + 3) & 3], mb[(g + 2) & 3], 4)), mb[(g + 3) & 3]);
        }
        ma[g & 3] = xa;
        mb[g & 3] = xb;
        const __m128i k = _mm_loadu_si128((const __m128i *)&K256[4 * g]);
        xa = _mm_add_epi32(xa, k);
        xb = _mm_add_epi32(xb, k);
        a1 = _mm_sha256rnds2_epu32(a1, a0, xa);
        b1 = _mm_sha256rnds2_epu32(b1, b0, xb);
        a0 = _mm_sha256rnds2_epu32(a0, a1, _mm_shuffle_epi32(xa, 0x0E));
        b0 = _mm_sha256rnds2_epu32(b0, b1, _mm_shuffle_epi32(xb, 0x0E));
    }
    a0 = _mm_add_epi32(a0, a0_in);
    a1 = _mm_add_epi32(a1, a1_in);
    b0 = _mm_add_epi32(b0, b0_in);
    b1 = _mm_add_epi32(b1, b1_in);
    /* Back to A..H. */
    t = _mm_shuffle_epi32(a0, 0x1B);
    a1 = _mm_shuffle_epi32(a1, 0xB1);
    _mm_storeu_si128((__m128i *)&sa[0], _mm_blend_epi16(t, a1, 0xF0));
    _mm_storeu_si128((__m128i *)&sa[4], _mm_alignr_epi8(a1, t, 8));
    t = _mm_shuffle_epi32(b0, 0x1B);
    b1 = _mm_shuffle_epi32(b1, 0xB1);
    _mm_storeu_si128((__m128i *)&sb[0], _mm_blend_epi16(t, b1, 0xF0));
    _mm_storeu_si128((__m128i *)&sb[4], _mm_alignr_epi8(b1, t, 8));
}

static void prepare_words(pp_hmac_sha256_pads *pads, const uint8_t inner_pad[64], const uint8_t outer_pad[64]) {
    static const uint32_t iv[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };
    uint32_t wi[16], wo[16];
    for (int i = 0; i < 16; i++) {
        wi[i] = (uint32_t)inner_pad[4 * i] << 24 | (uint32_t)inner_pad[4 * i + 1] << 16 | (uint32_t)inner_pad[4 * i + 2] << 8 | inner_pad[4 * i + 3];
        wo[i] = (uint32_t)outer_pad[4 * i] << 24 | (uint32_t)outer_pad[4 * i + 1] << 16 | (uint32_t)outer_pad[4 * i + 2] << 8 | outer_pad[4 * i + 3];
    }
    memcpy(pads->inner_words, iv, sizeof iv);
    memcpy(pads->outer_words, iv, sizeof iv);
    compress_pair(pads->inner_words, wi, pads->outer_words, wo);
    wipe(wi, sizeof wi);
    wipe(wo, sizeof wo);
}

void pp_hmac_sha256_leading64_pair(const pp_hmac_sha256_pads *pads, const uint8_t *a, size_t a_length,
                                   const uint8_t *b, size_t b_length, uint64_t out[2]) {
    if (!pads->pairs || a_length > PP_HMAC_PAIR_MAX_LENGTH || b_length > PP_HMAC_PAIR_MAX_LENGTH) {
        uint8_t mac[32];
        pp_hmac_sha256(pads, a, a_length, mac);
        out[0] = leading64(mac);
        pp_hmac_sha256(pads, b, b_length, mac);
        out[1] = leading64(mac);
        wipe(mac, sizeof mac);
        return;
    }
    uint32_t wa[16], wb[16], sa[8], sb[8];
    padded_words(a, a_length, wa);
    padded_words(b, b_length, wb);
    memcpy(sa, pads->inner_words, sizeof sa);
    memcpy(sb, pads->inner_words, sizeof sb);
    compress_pair(sa, wa, sb, wb);
    /* The outer hash's one block: the inner hash, then padding for 64 + 32 bytes. */
    for (int i = 0; i < 8; i++) { wa[i] = sa[i]; wb[i] = sb[i]; }
    wa[8] = wb[8] = 0x80000000u;
    for (int i = 9; i < 15; i++) wa[i] = wb[i] = 0;
    wa[15] = wb[15] = (64 + 32) * 8;
    memcpy(sa, pads->outer_words, sizeof sa);
    memcpy(sb, pads->outer_words, sizeof sb);
    compress_pair(sa, wa, sb, wb);
    out[0] = (uint64_t)sa[0] << 32 | sa[1];
    out[1] = (uint64_t)sb[0] << 32 | sb[1];
    wipe(wa, sizeof wa);
    wipe(wb, sizeof wb);
    wipe(sa, sizeof sa);
    wipe(sb, sizeof sb);
}

#else

static int has_sha_extensions(void) { return 0; }
static void prepare_words(pp_hmac_sha256_pads *pads, const uint8_t inner_pad[64], const uint8_t outer_pad[64]) {
    (void)pads; (void)inner_pad; (void)outer_pad;
}

void pp_hmac_sha256_leading64_pair(const pp_hmac_sha256_pads *pads, const uint8_t *a, size_t a_length,
                                   const uint8_t *b, size_t b_length, uint64_t out[2]) {
    uint8_t mac[32];
    pp_hmac_sha256(pads, a, a_length, mac);
    out[0] = leading64(mac);
    pp_hmac_sha256(pads, b, b_length, mac);
    out[1] = leading64(mac);
    wipe(mac, sizeof mac);
}

#endif
