// swift-tools-version:6.0
// The partnership profiles engine. Targets follow the data flow:
// ingest -> columnar core -> profiles -> benchmarking -> disclosure control -> export,
// with the definitions loader beside them and a thin `profiler` executable on top.
import PackageDescription

let package = Package(
    name: "PartnershipProfiles",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "profiler", targets: ["profiler"]),
        // The definitions and ingest modules (and Profiles, whose measures the definitions name) as a library, for the fuzz targets (Fuzz/Package.swift).
        .library(name: "PartnershipIngest", targets: ["Definitions", "Columnar", "CSVText", "Reference", "Ingest", "Profiles"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        // C libraries, each from its Debian package.
        .systemLibrary(name: "CCSV", providers: [.apt(["libcsv-dev"])]),
        .systemLibrary(name: "CZlib", providers: [.apt(["zlib1g-dev"])]),
        // libdeflate: a gzip file of a few megabytes (police.uk's street files) inflated whole, about
        // twice as fast as zlib's stream.
        .systemLibrary(name: "CDeflate", providers: [.apt(["libdeflate-dev"])]),
        .systemLibrary(name: "CSQLite", providers: [.apt(["libsqlite3-dev"])]),
        // GLPK's simplex, for disclosure control's linear programmes (the intruder's audit).
        .systemLibrary(name: "CGLPK", providers: [.apt(["libglpk-dev"])]),

        // Declarative definitions (sources, later profiles and groups): YAML with file/line/key errors.
        .target(name: "Definitions", dependencies: [.product(name: "Yams", package: "Yams")]),
        // Streaming CSV text: libcsv over zlib, lines without quotes cut at their commas, large
        // files split into parts read at once.
        .target(name: "CSVText", dependencies: ["CCSV", "CZlib", "CDeflate", "CLineCut", "Columnar"]),
        // The reference data every stage shares: the area geography (LSOA to ward, locality,
        // deprivation decile), the comparator areas with their populations, published comparator values.
        .target(name: "Reference", dependencies: ["Columnar", "CSVText", "CZlib", "Statistics"]),
        // Ingest: an extract's typed columns from its definition, people pseudonymised and linked.
        .target(
            name: "Ingest",
            dependencies: [
                "CSVText", "CKeyedHash", "CPrefetch", "Definitions", "Columnar", "Reference",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // HMAC-SHA256 over many short messages, on the SHA-256 of swift-crypto's BoringSSL (no
        // allocation per MAC); tested against swift-crypto's HMAC.
        .target(name: "CKeyedHash"),
        // Cuts lines without quotes at their commas, sixteen bytes at a time (SSE2).
        .target(name: "CLineCut"),
        // Columnar core: immutable typed column tables and the aggregation kernels.
        .target(name: "Columnar"),
        // Profiles: the seven priority profiles computed over the column tables.
        .target(name: "Profiles", dependencies: ["Columnar", "Definitions", "Statistics"]),
        // The public health profiles' statistics: intervals, comparisons, ranks, trends (no dependencies).
        .target(name: "Statistics"),
        // Benchmarking: comparator data and how the area compares.
        .target(name: "Benchmarking", dependencies: ["Columnar", "Definitions", "Profiles", "Reference", "Statistics"]),
        // Disclosure control: one linear model per audience of every published figure, primary and
        // secondary suppression chosen across linked tables, and an intruder's LP audit (GLPK).
        .target(name: "Disclosure", dependencies: ["Columnar", "Definitions", "Profiles", "CGLPK"]),
        // Export: CSV, SQLite, JSON and HTML per group.
        .target(
            name: "Export",
            dependencies: [
                "CSVText", "Columnar", "Disclosure", "Profiles", "Statistics", "CSQLite", .product(name: "Crypto", package: "swift-crypto"),
            ]),
        // The synthetic partnership: a deterministic generator of realistic agency extracts (and, when
        // asked, the linkage truth, each extract named by its SHA-256).
        .target(
            name: "SyntheticDrop",
            dependencies: ["Columnar", "CSVText", "CZlib", "Reference", "Statistics", .product(name: "Crypto", package: "swift-crypto")]),
        // A build from options to published outputs (definitions, ingest, profiles, benchmark,
        // disclosure control, export): what the command line, the tests and the benchmarks run.
        .target(
            name: "Pipeline",
            dependencies: [
                "Benchmarking", "Columnar", "CSVText", "Definitions", "Disclosure", "Export", "Ingest", "Profiles", "Reference",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The command-line verbs, as a library so tests can drive them.
        .target(
            name: "ProfilerCLI",
            dependencies: [
                "Benchmarking", "Columnar", "CSVText", "Definitions", "Disclosure", "Export", "Ingest", "Pipeline", "Profiles", "Reference",
                "SyntheticDrop",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // One C call the executable makes at start: how malloc serves large blocks.
        .target(name: "CMemory"),
        // A prefetch hint for loops over hash-table probes (not CMemory: that target replaces malloc
        // in whatever links it, which only the executable may).
        .target(name: "CPrefetch"),
        .executableTarget(name: "profiler", dependencies: ["ProfilerCLI", "CMemory"]),

        // Helpers every test target shares: fixture paths, ingest of a drop, the command line run
        // in process or as the built binary, the bundled drop's tables.
        .target(
            name: "TestSupport",
            dependencies: [
                "Benchmarking", "Columnar", "CSVText", "Definitions", "Ingest", "Pipeline", "Profiles", "ProfilerCLI", "Reference",
            ],
            path: "Tests/TestSupport"
        ),
        // A test target per module (or stage), each in its folder under Tests/ProfilerTests.
        .testTarget(name: "ColumnarTests", dependencies: ["Columnar"], path: "Tests/ProfilerTests/Columnar"),
        .testTarget(name: "StatisticsTests", dependencies: ["Statistics"], path: "Tests/ProfilerTests/Statistics"),
        .testTarget(name: "CSVTextTests", dependencies: ["CSVText", "TestSupport"], path: "Tests/ProfilerTests/CSVText"),
        .testTarget(name: "ReferenceTests", dependencies: ["Columnar", "Reference", "TestSupport"], path: "Tests/ProfilerTests/Reference"),
        .testTarget(name: "DefinitionsTests", dependencies: ["Definitions", "TestSupport"], path: "Tests/ProfilerTests/Definitions"),
        .testTarget(
            name: "IngestTests",
            dependencies: [
                "Columnar", "Definitions", "Ingest", "Pipeline", "ProfilerCLI", "TestSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Tests/ProfilerTests/Ingest"
        ),
        .testTarget(
            name: "ProfilesTests",
            dependencies: ["Columnar", "Definitions", "Ingest", "Pipeline", "Profiles", "Statistics", "SyntheticDrop", "TestSupport"],
            path: "Tests/ProfilerTests/Profiles"
        ),
        .testTarget(
            name: "BenchmarkingTests",
            dependencies: [
                "Benchmarking", "Columnar", "Definitions", "Ingest", "ProfilerCLI", "Profiles", "Statistics", "TestSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Tests/ProfilerTests/Benchmarking"
        ),
        .testTarget(
            name: "DisclosureTests",
            dependencies: ["Benchmarking", "Definitions", "Disclosure", "Ingest", "Pipeline", "Profiles", "SyntheticDrop", "TestSupport"],
            path: "Tests/ProfilerTests/Disclosure"
        ),
        .testTarget(
            name: "ExportTests",
            dependencies: [
                "Benchmarking", "Definitions", "Disclosure", "Export", "Ingest", "ProfilerCLI", "Profiles", "Statistics", "TestSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Tests/ProfilerTests/Export"
        ),
        .testTarget(
            name: "PipelineTests",
            dependencies: ["Pipeline", "SyntheticDrop", "TestSupport", .product(name: "Logging", package: "swift-log")],
            path: "Tests/ProfilerTests/Pipeline"
        ),
        .testTarget(
            name: "CLITests",
            dependencies: ["Export", "ProfilerCLI", "TestSupport", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Tests/ProfilerTests/CLI"
        ),
        .testTarget(
            name: "HostileTests",
            dependencies: ["Columnar", "Definitions", "Export", "Ingest", "TestSupport"],
            path: "Tests/ProfilerTests/Hostile"
        ),
        .testTarget(
            name: "SyntheticDropTests",
            dependencies: [
                "CSVText", "Definitions", "Ingest", "Pipeline", "SyntheticDrop", "TestSupport",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Tests/ProfilerTests/SyntheticDrop"
        ),
    ],
    swiftLanguageModes: [.v6]
)
