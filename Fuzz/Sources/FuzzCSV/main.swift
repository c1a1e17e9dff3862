import FuzzSupport

// libFuzzer runs LLVMFuzzerTestOneInput (fuzzCSV) on each input.
runFuzzer { fuzzCSV($0, $1) }
