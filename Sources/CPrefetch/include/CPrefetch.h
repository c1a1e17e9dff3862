#ifndef CPREFETCH_H
#define CPREFETCH_H

/// Asks the processor to bring the cache line holding `address` in ahead of its use (a hint,
/// never a fault): a loop over a batch of hash-table probes overlaps its cache misses.
static inline void pp_prefetch(const void *address) { __builtin_prefetch(address); }

#endif
