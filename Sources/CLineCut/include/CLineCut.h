#ifndef CLINECUT_H
#define CLINECUT_H
#include <stddef.h>
#include <stdint.h>

/// What `pp_cut_line` found.
typedef enum {
    /// The line was cut: `fields` fields, their bounds written.
    PP_LINE_CUT = 0,
    /// The line holds a double quote, or a carriage return other than one just before its line
    /// feed: libcsv must read it. `end` is still the line's line feed.
    PP_LINE_QUOTED = 1,
    /// The line has more fields than `bounds` has room for: call again with more room.
    PP_LINE_FULL = 2,
    /// No line feed within the bytes given (`end` is -1): the line goes on past them.
    PP_LINE_UNENDED = 3,
} pp_line_status;

typedef struct {
    pp_line_status status;
    /// Offset of the line feed that ends the line, or -1.
    ptrdiff_t end;
    /// Length of the line without its line feed and a carriage return just before it.
    ptrdiff_t length;
    /// Number of fields cut (status PP_LINE_CUT).
    ptrdiff_t fields;
    /// 1 when every byte of the line is ASCII and none is NUL.
    int ascii;
} pp_line;

/// Finds the line that starts at `p` (the bytes up to the first line feed within `available`)
/// and, if it holds no double quote and no carriage return but one at its end, cuts it at its
/// commas as libcsv would: field i is bytes [bounds[2i], bounds[2i+1]) of the line, with spaces
/// and tabs around it dropped. `capacity` is the number of fields `bounds` has room for. Sixty-four
/// bytes at a time where the processor runs AVX2 (checked once, by CPUID), else as
/// `pp_cut_line_portable`.
pp_line pp_cut_line(const uint8_t *p, ptrdiff_t available, ptrdiff_t *bounds, ptrdiff_t capacity);

/// The same cut without AVX2: sixteen bytes at a time where the processor has SSE2 (every
/// x86-64), a byte at a time elsewhere (tests check that both give the same).
pp_line pp_cut_line_portable(const uint8_t *p, ptrdiff_t available, ptrdiff_t *bounds, ptrdiff_t capacity);

/// Adds the line feeds and the double quotes among `n` bytes to `*line_feeds` and `*quotes`
/// (sixteen bytes at a time where the processor has SSE2).
void pp_count_line_feeds_and_quotes(const uint8_t *p, size_t n, size_t *line_feeds, size_t *quotes);

#endif
