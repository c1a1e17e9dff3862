#ifndef CMEMORY_H
#define CMEMORY_H
#include <stddef.h>

/// Makes malloc serve blocks of at least `bytes` with their own mappings, returned to the kernel
/// when freed (glibc's M_MMAP_THRESHOLD, fixed so that it is not raised after the first large
/// free). Returns 1 when the setting was applied, 0 where the C library has no such setting.
int pp_map_large_blocks(size_t bytes);

#endif
