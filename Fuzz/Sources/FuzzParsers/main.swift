import FuzzSupport

// libFuzzer runs LLVMFuzzerTestOneInput (fuzzParsers) on each input.
runFuzzer { fuzzParsers($0, $1) }
