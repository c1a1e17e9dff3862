#include "CLineCut.h"
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
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

pp_line pp_cut_line(const uint8_t *p, ptrdiff_t available, ptrdiff_t *bounds, ptrdiff_t capacity) {
    ptrdiff_t i = 0, start = 0, count = 0;
    int ascii = 1;
    pp_line full = { PP_LINE_FULL, -1, 0, 0, 0 };
#if defined(__SSE2__)
    const __m128i nl = _mm_set1_epi8('\n'), comma = _mm_set1_epi8(','), quote = _mm_set1_epi8('"');
    const __m128i cr = _mm_set1_epi8('\r'), zero = _mm_setzero_si128();
    while (i + 16 <= available) {
        __m128i v = _mm_loadu_si128((const __m128i *)(p + i));
        unsigned lf = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, nl));
        unsigned commas = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, comma));
        unsigned quotes = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, quote));
        unsigned crs = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, cr));
        unsigned odd = (unsigned)_mm_movemask_epi8(v) | (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, zero));
        unsigned within = 0xFFFFu;
        if (lf) {
            unsigned at = (unsigned)__builtin_ctz(lf);
            within = (1u << at) - 1;
            /* A carriage return just before the line feed ends the line. */
            if (at > 0) crs &= ~(1u << (at - 1));
        } else if (crs == 0x8000u && i + 16 < available && p[i + 16] == '\n') {
            crs = 0;   /* the block ends with the carriage return of a CR LF */
        }
        if (((quotes | crs) & within) != 0) return quoted_line(p, i, available);
        if ((odd & within) != 0) ascii = 0;
        commas &= within;
        while (commas) {
            ptrdiff_t k = i + __builtin_ctz(commas);
            if (!add_field(p, start, k, bounds, capacity, &count)) return full;
            start = k + 1;
            commas &= commas - 1;
        }
        if (lf) return finish_line(p, start, i + __builtin_ctz(lf), bounds, capacity, count, ascii);
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
