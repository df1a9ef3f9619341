// swift-tools-version: 6.1
import PackageDescription

/// package-benchmark suites, one folder each under Benchmarks/ (run: swift package benchmark).
let benchmarkSuites = ["GridBenchmarks", "GazetteerBenchmarks", "IngestBenchmarks", "DetectionBenchmarks"]

let package = Package(
    name: "RegionRisk",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "RegionRisk", targets: ["RegionRisk"]),
        .executable(name: "regionrisk", targets: ["regionrisk"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        // System libraries from Debian: only a modulemap and a shim header each.
        .systemLibrary(
            name: "CPROJ", path: "Sources/CPROJ", pkgConfig: "proj",
            providers: [.apt(["libproj-dev"])]),
        .systemLibrary(
            name: "CGEOS", path: "Sources/CGEOS", pkgConfig: "geos",
            providers: [.apt(["libgeos-dev"])]),
        // Embedded default data (Mali): boundary, regions, gazetteer, sample incidents.
        .target(
            name: "RegionRiskGeodata", path: "Geodata",
            exclude: ["SOURCES.md", "scripts"],
            resources: [.copy("mali"), .copy("africa")]),
        .target(
            name: "RegionRisk",
            dependencies: [
                "CPROJ", "CGEOS", "RegionRiskGeodata",
                .product(name: "GRDB", package: "GRDB.swift"),
                // The bulk upsert binds rows through SQLite's C API directly, as GRDB's docs allow.
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        .executableTarget(
            name: "regionrisk",
            dependencies: [
                "RegionRisk",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        .testTarget(
            name: "RegionRiskTests", dependencies: ["RegionRisk"],
            resources: [.copy("Fixtures")]),
        .testTarget(
            name: "regionriskTests", dependencies: ["regionrisk"]),
    ] + benchmarkSuites.map { suite in
        .executableTarget(
            name: suite,
            dependencies: ["RegionRisk", .product(name: "Benchmark", package: "benchmark")],
            path: "Benchmarks/\(suite)",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")])
    },
    swiftLanguageModes: [.v5]
)
