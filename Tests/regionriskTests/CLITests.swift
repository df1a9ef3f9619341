import Foundation
import XCTest

/// Runs the built `regionrisk` binary as a user would.
final class CLITests: XCTestCase {
    func testVersionPrints() throws {
        let r = try runCLI(["--version"])
        XCTAssertEqual(r.status, 0)
        XCTAssertFalse(r.stdout.isEmpty)
    }

    /// Help is an answer, not a failure: every way of asking prints usage on stdout and exits 0.
    func testHelpPrintsUsageAndExitsZero() throws {
        for arguments in [["--help"], ["help"], ["help", "report"], ["report", "--help"], ["flag", "-h"], ["gazetteer"], ["gazetteer", "--help"],
                          ["help", "gazetteer", "import"], ["fetch", "acled", "--help"]] {
            let r = try runCLI(arguments)
            XCTAssertEqual(r.status, 0, "\(arguments): \(r.stderr)")
            XCTAssertTrue(r.stdout.contains("USAGE: regionrisk"), "\(arguments): \(r.stdout.prefix(200))")
            XCTAssertFalse(r.stderr.contains("error"), "\(arguments): \(r.stderr)")
        }
        XCTAssertTrue(try runCLI(["help", "report"]).stdout.contains("--as-of"))
    }
}
