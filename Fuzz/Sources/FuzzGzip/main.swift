import FuzzSupport

// libFuzzer runs LLVMFuzzerTestOneInput (fuzzGzip) on each input.
runFuzzer { fuzzGzip($0, $1) }
