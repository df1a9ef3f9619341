// swift-tools-version: 6.1
import PackageDescription

/// package-benchmark suites, one folder each under Benchmarks/ (run: swift package benchmark).
let benchmarkSuites = ["GridBenchmarks", "GazetteerBenchmarks", "IngestBenchmarks", "DetectionBenchmarks"]

let grdb: Target.Dependency = .product(name: "GRDB", package: "GRDB.swift")
let logging: Target.Dependency = .product(name: "Logging", package: "swift-log")

/// The pipeline's stages, each a target so that only the intended dependencies compile
/// (README, "The pipeline in code"): base → geometry → GeoJSON → grid → data → analysis → report.
/// The density core (RegionRiskGrid) cannot see incidents, the store or the report; no library
/// target can see the command line.
let libraryTargets: [Target] = [
    // Coordinates, civil dates, atomic files, hashing (swift-crypto), thread-local slots: no domain.
    .target(name: "RegionRiskBase", dependencies: [.product(name: "Crypto", package: "swift-crypto")]),
    // Owners of GEOS and PROJ handles; they speak LonLat and their own types, never GeoJSON.
    .target(name: "RegionRiskGeometry", dependencies: ["RegionRiskBase", "CPROJ", "CGEOS"]),
    // The RFC 7946 model, JSON values, and the bridge between GeoJSON and GEOS geometries.
    .target(name: "RegionRiskGeoJSON", dependencies: ["RegionRiskBase", "RegionRiskGeometry"]),
    // Owners of GDAL/OGR handles: vector files of any OGR format in (as GeoJSON values, lon/lat),
    // GeoPackage and GeoTIFF out. No domain types.
    .target(name: "RegionRiskGDAL", dependencies: ["RegionRiskBase", "RegionRiskGeoJSON", "CGDAL"]),
    // Equal-area grids, area masks, the exact density core and the statistics: arrays in and out.
    .target(name: "RegionRiskGrid", dependencies: ["RegionRiskBase", "RegionRiskGeometry", "RegionRiskGeoJSON", "RegionRiskGDAL", "RegionRiskGeodata", "COpenBLAS"]),
    // Incidents and their readers, the gazetteer and geocoder, the SQLite store.
    .target(
        name: "RegionRiskData",
        dependencies: [
            "RegionRiskBase", "RegionRiskGeometry", "RegionRiskGeoJSON", "RegionRiskGeodata", grdb,
            // The bulk upsert binds rows through SQLite's C API directly, as GRDB's docs allow.
            .product(name: "GRDBSQLite", package: "GRDB.swift"),
        ]),
    // The PostgreSQL + PostGIS store behind RegionRiskData's store protocol (postgres-nio).
    .target(
        name: "RegionRiskPostgres",
        dependencies: [
            "RegionRiskBase", "RegionRiskData", .product(name: "PostgresNIO", package: "postgres-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"), logging,
        ]),
    // One analysis run (area, grid, windows, projected events); density analyses, change detection.
    .target(name: "RegionRiskAnalysis", dependencies: ["RegionRiskGrid", "RegionRiskData"]),
    // Every file writer: GeoJSON, GeoPackage, GeoTIFF, QGIS styles, CSV, ASCII grid, HTML/SVG, Markdown, manifest, run history.
    .target(name: "RegionRiskReport", dependencies: ["RegionRiskAnalysis", "RegionRiskGDAL", logging]),
    // ACLED's API client (OAuth password grant, paged reads, deletions) feeding the store's ingest path.
    .target(
        name: "RegionRiskFetch",
        dependencies: [
            "RegionRiskData", logging,
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
        ]),
    // The umbrella product: re-exports the stages' public API.
    .target(
        name: "RegionRisk",
        dependencies: [
            "RegionRiskBase", "RegionRiskGeometry", "RegionRiskGeoJSON", "RegionRiskGDAL", "RegionRiskGrid",
            "RegionRiskData", "RegionRiskAnalysis", "RegionRiskReport",
        ]),
]

let package = Package(
    name: "RegionRisk",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "RegionRisk", targets: ["RegionRisk"]),
        // The team store (PostgreSQL + PostGIS): a product of its own, so that programs on SQLite don't build SwiftNIO.
        .library(name: "RegionRiskPostgres", targets: ["RegionRiskPostgres"]),
        .executable(name: "regionrisk", targets: ["regionrisk"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
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
        .systemLibrary(
            name: "CGDAL", path: "Sources/CGDAL", pkgConfig: "gdal",
            providers: [.apt(["libgdal-dev"])]),
        // Matrix products for the Gaussian's separable passes (GaussianTransform): OpenBLAS picks
        // its kernels for the CPU it runs on (AVX2, AVX-512), which Swift's baseline x86-64 code cannot.
        .systemLibrary(
            name: "COpenBLAS", path: "Sources/COpenBLAS", pkgConfig: "openblas",
            providers: [.apt(["libopenblas-pthread-dev"])]),
        // Embedded default data (Mali): boundary, regions, gazetteer, sample incidents.
        .target(
            name: "RegionRiskGeodata", path: "Geodata",
            exclude: ["SOURCES.md", "scripts"],
            resources: [.copy("mali"), .copy("africa")]),
    ] + libraryTargets + [
        .executableTarget(
            name: "regionrisk",
            dependencies: [
                "RegionRisk", "RegionRiskPostgres", "RegionRiskFetch",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                logging,
            ]),
        .testTarget(
            name: "RegionRiskTests", dependencies: libraryTargets.map { .target(name: $0.name) },
            resources: [.copy("Fixtures")]),
        .testTarget(
            name: "regionriskTests", dependencies: ["regionrisk"], exclude: ["Fixtures"]),
    ] + benchmarkSuites.map { suite in
        .executableTarget(
            name: suite,
            dependencies: ["RegionRisk", .product(name: "Benchmark", package: "benchmark")],
            path: "Benchmarks/\(suite)",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")])
    },
    swiftLanguageModes: [.v5]
)
