import FuzzSupport

// libFuzzer runs LLVMFuzzerTestOneInput (fuzzIngest) on each input.
runFuzzer { fuzzIngest($0, $1) }
