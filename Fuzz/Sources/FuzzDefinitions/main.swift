import FuzzSupport

// libFuzzer runs LLVMFuzzerTestOneInput (fuzzDefinitions) on each input.
runFuzzer { fuzzDefinitions($0, $1) }
