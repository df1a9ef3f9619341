import Foundation
import XCTest

/// Access to the team's reference data in `../shared/` beside the project root.
/// Tests that use it skip cleanly when it is absent (someone cloned the project alone).
enum SharedData {
    /// The project root (the folder holding Package.swift).
    static let projectRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    }()

    /// `../shared/<relativePath>`, or an XCTSkip when it is not there.
    static func url(_ relativePath: String) throws -> URL {
        let url = projectRoot.deletingLastPathComponent().appendingPathComponent("shared").appendingPathComponent(relativePath)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw XCTSkip("../shared/\(relativePath) is absent; skipping")
        }
        return url
    }
}

/// The test bundle's committed fixtures (`Tests/RegionRiskTests/Fixtures/<stage>/{in,out}/`).
enum Fixtures {
    static func url(_ relativePath: String) -> URL {
        Bundle.module.resourceURL!.appendingPathComponent("Fixtures").appendingPathComponent(relativePath)
    }
}
