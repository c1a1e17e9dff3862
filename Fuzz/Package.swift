// swift-tools-version:6.0
// libFuzzer targets for the engine's readers and parsers (see README.md). Built by scripts/fuzz
// with `swift build -Xswiftc -sanitize=fuzzer,address -Xcc -fsanitize=fuzzer-no-link,address`
// (one -sanitize flag: swiftc keeps only the last). Each target defines LLVMFuzzerTestOneInput
// and its main hands it to libFuzzer's driver.
import PackageDescription

let engine: Target.Dependency = .product(name: "PartnershipIngest", package: "PartnershipProfiles")

let package = Package(
    name: "PartnershipProfilesFuzz",
    dependencies: [
        .package(name: "PartnershipProfiles", path: "..")
    ],
    targets: [
        // zlib, to write the gzip files the gzip target reads.
        .systemLibrary(name: "FuzzZlib", path: "Sources/FuzzZlib"),
        // libFuzzer's driver, called from each target's main.
        .systemLibrary(name: "FuzzDriver", path: "Sources/FuzzDriver"),
        .target(name: "FuzzSupport", dependencies: [engine, "FuzzDriver"]),
        .executableTarget(name: "fuzz-csv", dependencies: [engine, "FuzzSupport"], path: "Sources/FuzzCSV"),
        .executableTarget(name: "fuzz-gzip", dependencies: [engine, "FuzzSupport", "FuzzZlib"], path: "Sources/FuzzGzip"),
        .executableTarget(name: "fuzz-ingest", dependencies: [engine, "FuzzSupport"], path: "Sources/FuzzIngest"),
        .executableTarget(name: "fuzz-parsers", dependencies: [engine, "FuzzSupport"], path: "Sources/FuzzParsers"),
        .executableTarget(name: "fuzz-definitions", dependencies: [engine, "FuzzSupport"], path: "Sources/FuzzDefinitions"),
        .executableTarget(name: "fuzz-infer", dependencies: [engine, "FuzzSupport"], path: "Sources/FuzzInfer"),
    ],
    swiftLanguageModes: [.v6]
)
