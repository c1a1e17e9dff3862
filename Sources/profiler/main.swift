import CMemory
import Foundation
import ProfilerCLI

// Column builders and hash tables are large and short-lived: served by their own mappings, their
// memory goes back to the kernel when freed instead of staying resident in malloc's heap
// (peak memory of an ingest: about 610 MB -> 500 MB on Benchmarks/ingest.sh's drop).
_ = pp_map_large_blocks(1 << 20)
// Smaller blocks come from heaps that grow by 4 MB at a time and keep as much when trimmed: reading
// many files otherwise grows and trims them over and over, each page faulted in again (the 10M-row
// police.uk count: 1.5 s of system time down to 0.9 s, for 12 MB more at the peak of a build; Benchmarks/RESULTS.md).
_ = pp_keep_heap_pad(4 << 20)

// Memory that runs out ends the run with exit code 4 and a message, not a trap (see CMemory.h);
// a build's staging folder goes with it.
pp_set_out_of_memory_exit(4)
// A file-size limit makes a write fail with EFBIG (reported, exit 4) instead of killing the process.
signal(SIGXFSZ, SIG_IGN)

ProfilerCommand.runAsProcess(whenStaging: { path in pp_set_staging_folder(path) })
