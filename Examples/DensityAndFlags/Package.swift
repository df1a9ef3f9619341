// swift-tools-version: 6.1
import PackageDescription

// A program that uses RegionRisk as a library: built in CI (`.ci/run`) so the public API stays usable.
let package = Package(
    name: "DensityAndFlags",
    dependencies: [.package(name: "RegionRisk", path: "../..")],
    targets: [
        .executableTarget(name: "DensityAndFlags", dependencies: [.product(name: "RegionRisk", package: "RegionRisk")]),
    ]
)
