#include "CLineCut.h"
#include <stdatomic.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <cpuid.h>
#include <immintrin.h>
#define PP_HAVE_AVX2_PATH 1
#endif

/* Appends field [s, e) with spaces and tabs around it dropped; 0 when bounds are full. */
static inline int add_field(const uint8_t *p, ptrdiff_t s, ptrdiff_t e, ptrdiff_t *bounds, ptrdiff_t capacity, ptrdiff_t *count) {
    while (s < e && (p[s] == ' ' || p[s] == '\t')) s++;
    while (e > s && (p[e - 1] == ' ' || p[e - 1] == '\t')) e--;
    if (*count >= capacity) return 0;
    bounds[2 * *count] = s;
    bounds[2 * *count + 1] = e;
    (*count)++;
    return 1;
}

/* The line's end once a quote or stray carriage return is met at `from`. */
static pp_line quoted_line(const uint8_t *p, ptrdiff_t from, ptrdiff_t available) {
    pp_line r = { PP_LINE_QUOTED, -1, 0, 0, 0 };
    const uint8_t *hit = memchr(p + from, '\n', (size_t)(available - from));
    if (!hit) { r.status = PP_LINE_UNENDED; return r; }
    r.end = hit - p;
    r.length = r.end;
    return r;
}

/* Finishes a line whose line feed is at `end`, after the fields before `start` were cut. */
static pp_line finish_line(const uint8_t *p, ptrdiff_t start, ptrdiff_t end, ptrdiff_t *bounds, ptrdiff_t capacity,
                           ptrdiff_t count, int ascii) {
    pp_line r = { PP_LINE_CUT, end, end, 0, ascii };
    if (end > 0 && p[end - 1] == '\r') r.length = end - 1;
    if (!add_field(p, start, r.length, bounds, capacity, &count)) { r.status = PP_LINE_FULL; return r; }
    r.fields = count;
    return r;
}

/* The masks of one block of `width` bytes at `i` (bit k: byte i + k is a line feed, a comma, a
   quote, a carriage return, or non-ASCII or NUL). Cuts the block's fields into `bounds`; returns 1
   with `*out` set when the line is decided within it (cut, quoted or full), 0 to go on.
   Always inlined: called, it kept its state in memory (the 10M-row police.uk count took 1.67 s, not 1.60). */
static inline __attribute__((always_inline)) int cut_block(
    const uint8_t *p, ptrdiff_t available, ptrdiff_t *bounds, ptrdiff_t capacity, ptrdiff_t i, unsigned width, uint64_t lf,
    uint64_t commas, uint64_t quotes, uint64_t crs, uint64_t odd, ptrdiff_t *start, ptrdiff_t *count, int *ascii, pp_line *out) {
    uint64_t within = ~(uint64_t)0;
    if (lf) {
        unsigned at = (unsigned)__builtin_ctzll(lf);
        within = (1ull << at) - 1;
        /* A carriage return just before the line feed ends the line. */
        if (at > 0) crs &= ~(1ull << (at - 1));
    } else if (crs == 1ull << (width - 1) && i + width < available && p[i + width] == '\n') {
        crs = 0;   /* the block ends with the carriage return of a CR LF */
    }
    if (((quotes | crs) & within) != 0) { *out = quoted_line(p, i, available); return 1; }
    if ((odd & within) != 0) *ascii = 0;
    commas &= within;
    while (commas) {
        ptrdiff_t k = i + __builtin_ctzll(commas);
        if (!add_field(p, *start, k, bounds, capacity, count)) {
            pp_line full = { PP_LINE_FULL, -1, 0, 0, 0 };
            *out = full;
            return 1;
        }
        *start = k + 1;
        commas &= commas - 1;
    }
    if (lf) { *out = finish_line(p, *start, i + __builtin_ctzll(lf), bounds, capacity, *count, *ascii); return 1; }
    return 0;
}

/* Cuts on from byte `i` of the line, its fields before `start` already cut (`count` of them). */
static pp_line cut_from(const uint8_t *p, ptrdiff_t available, ptrdiff_t *bounds, ptrdiff_t capacity, ptrdiff_t i,
                        ptrdiff_t start, ptrdiff_t count, int ascii) {
    pp_line full = { PP_LINE_FULL, -1, 0, 0, 0 };
#if defined(__SSE2__)
    const __m128i nl = _mm_set1_epi8('\n'), comma = _mm_set1_epi8(','), quote = _mm_set1_epi8('"');
    const __m128i cr = _mm_set1_epi8('\r'), zero = _mm_setzero_si128();
    while (i + 16 <= available) {
        __m128i v = _mm_loadu_si128((const __m128i *)(p + i));
        uint64_t lf = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, nl));
        uint64_t commas = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, comma));
        uint64_t quotes = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, quote));
        uint64_t crs = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, cr));
        uint64_t odd = (unsigned)_mm_movemask_epi8(v) | (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, zero));
        pp_line out;
        if (cut_block(p, available, bounds, capacity, i, 16, lf, commas, quotes, crs, odd, &start, &count, &ascii, &out)) return out;
        i += 16;
    }
#endif
    for (; i < available; i++) {
        uint8_t c = p[i];
        if (c == '\n') return finish_line(p, start, i, bounds, capacity, count, ascii);
        if (c == ',') {
            if (!add_field(p, start, i, bounds, capacity, &count)) return full;
            start = i + 1;
        } else if (c == '"' || (c == '\r' && !(i + 1 < available && p[i + 1] == '\n'))) {
            return quoted_line(p, i, available);
        } else if (c >= 0x80 || c == 0) {
            ascii = 0;
        }
    }
    pp_line unended = { PP_LINE_UNENDED, -1, 0, 0, 0 };
    return unended;
}

#if PP_HAVE_AVX2_PATH
/* The 64-bit mask of the bytes of `a` (low half) and `b` (high half) equal to `c`. */
__attribute__((target("avx2"))) static inline uint64_t eq64(__m256i a, __m256i b, __m256i c) {
    uint64_t lo = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(a, c));
    uint64_t hi = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(b, c));
    return lo | hi << 32;
}

/* As the SSE2 loop, sixty-four bytes at a time (a line of an extract is a few such blocks); the
   last bytes of the chunk, fewer than 64, go to `cut_from`. */
__attribute__((target("avx2"))) static pp_line cut_avx2(const uint8_t *p, ptrdiff_t available, ptrdiff_t *bounds,
                                                       ptrdiff_t capacity) {
    ptrdiff_t i = 0, start = 0, count = 0;
    int ascii = 1;
    const __m256i nl = _mm256_set1_epi8('\n'), comma = _mm256_set1_epi8(','), quote = _mm256_set1_epi8('"');
    const __m256i cr = _mm256_set1_epi8('\r'), zero = _mm256_setzero_si256();
    while (i + 64 <= available) {
        __m256i a = _mm256_loadu_si256((const __m256i *)(p + i)), b = _mm256_loadu_si256((const __m256i *)(p + i + 32));
        uint64_t lf = eq64(a, b, nl), commas = eq64(a, b, comma), quotes = eq64(a, b, quote), crs = eq64(a, b, cr);
        uint64_t high = (uint32_t)_mm256_movemask_epi8(a) | (uint64_t)(uint32_t)_mm256_movemask_epi8(b) << 32;
        uint64_t odd = high | eq64(a, b, zero);
        pp_line out;
        if (cut_block(p, available, bounds, capacity, i, 64, lf, commas, quotes, crs, odd, &start, &count, &ascii, &out)) return out;
        i += 64;
    }
    return cut_from(p, available, bounds, capacity, i, start, count, ascii);
}

/* Whether the processor and the system run AVX2 (CPUID leaf 7, and YMM state saved by the OS). */
static int has_avx2(void) {
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & bit_OSXSAVE) || !(c & bit_AVX)) return 0;
    unsigned lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    if ((lo & 6) != 6) return 0;
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return 0;
    return (b & bit_AVX2) != 0;
}
#endif

/* 0: not yet known; 1: AVX2; 2: SSE2 or bytes. */
static atomic_int cutter = 0;

pp_line pp_cut_line_portable(const uint8_t *p, ptrdiff_t available, ptrdiff_t *bounds, ptrdiff_t capacity) {
    return cut_from(p, available, bounds, capacity, 0, 0, 0, 1);
}

pp_line pp_cut_line(const uint8_t *p, ptrdiff_t available, ptrdiff_t *bounds, ptrdiff_t capacity) {
#if PP_HAVE_AVX2_PATH
    int which = atomic_load_explicit(&cutter, memory_order_relaxed);
    if (which == 0) {
        which = has_avx2() ? 1 : 2;
        atomic_store_explicit(&cutter, which, memory_order_relaxed);
    }
    if (which == 1) return cut_avx2(p, available, bounds, capacity);
#endif
    return cut_from(p, available, bounds, capacity, 0, 0, 0, 1);
}

void pp_count_line_feeds_and_quotes(const uint8_t *p, size_t n, size_t *line_feeds, size_t *quotes) {
    size_t lf = 0, q = 0, i = 0;
#if defined(__SSE2__)
    const __m128i nl = _mm_set1_epi8('\n'), quote = _mm_set1_epi8('"');
    for (; i + 16 <= n; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(p + i));
        lf += (size_t)__builtin_popcount((unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, nl)));
        q += (size_t)__builtin_popcount((unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, quote)));
    }
#endif
    for (; i < n; i++) {
        lf += p[i] == '\n';
        q += p[i] == '"';
    }
    *line_feeds += lf;
    *quotes += q;
}
