import FuzzSupport

// libFuzzer runs LLVMFuzzerTestOneInput (fuzzInfer) on each input.
runFuzzer { fuzzInfer($0, $1) }
