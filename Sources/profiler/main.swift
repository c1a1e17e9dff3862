import CMemory
import ProfilerCLI

// Column builders and hash tables are large and short-lived: served by their own mappings, their
// memory goes back to the kernel when freed instead of staying resident in malloc's heap
// (peak memory of an ingest: about 610 MB -> 500 MB on Benchmarks/ingest.sh's drop).
_ = pp_map_large_blocks(1 << 20)

ProfilerCommand.runAsProcess()
