#ifndef CMEMORY_H
#define CMEMORY_H
#include <stddef.h>

/// Makes malloc serve blocks of at least `bytes` with their own mappings, returned to the kernel
/// when freed (glibc's M_MMAP_THRESHOLD, fixed so that it is not raised after the first large
/// free). Returns 1 when the setting was applied, 0 where the C library has no such setting.
int pp_map_large_blocks(size_t bytes);

/// Makes malloc grow (and keep, when it trims) its heaps by `bytes` more than each request needs
/// (glibc's M_TOP_PAD), so that the many blocks under the mapping threshold do not take the heap
/// through a cycle of growing, trimming and faulting its pages in again. Returns 1 when applied.
int pp_keep_heap_pad(size_t bytes);

/// The executable's allocation guard (glibc only): malloc, calloc, realloc and the aligned
/// allocators are wrapped so that a request the system refuses (an address-space limit, memory
/// exhausted) ends the process cleanly instead of letting the Swift runtime trap: one line on
/// standard error saying how much was asked, in use and allowed, the staging folder named by
/// `pp_set_staging_folder` removed, and exit status `pp_set_out_of_memory_exit` (default 4).
/// No signal handler is involved; nothing that allocates runs after the failure.
void pp_set_out_of_memory_exit(int status);

/// The folder to remove if memory runs out (a build's staging folder), or NULL for none.
/// The path is copied (at most 4095 bytes).
void pp_set_staging_folder(const char *path);

#endif
