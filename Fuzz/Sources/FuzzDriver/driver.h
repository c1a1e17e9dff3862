#include <stddef.h>
#include <stdint.h>

// libFuzzer's entry for programs with their own main (linked in by -sanitize=fuzzer):
// SwiftPM gives every executable a main of its own, so each fuzz target calls this from it.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*UserCb)(const uint8_t *Data, size_t Size));
