#include "CMemory.h"
#include <stdlib.h> /* defines __GLIBC__ on glibc systems */
#if defined(__GLIBC__)
#include <malloc.h>
/* One of glibc malloc's settings: 1 when applied. */
static int set_malloc_option(int option, size_t bytes) { return mallopt(option, (int)bytes) == 1; }
#else
/* No such settings in this C library: nothing is applied. */
#define M_MMAP_THRESHOLD 0
#define M_TOP_PAD 0
static int set_malloc_option(int option, size_t bytes) {
    (void)option;
    (void)bytes;
    return 0;
}
#endif

int pp_map_large_blocks(size_t bytes) { return set_malloc_option(M_MMAP_THRESHOLD, bytes); }

int pp_keep_heap_pad(size_t bytes) { return set_malloc_option(M_TOP_PAD, bytes); }
