import Foundation
import XCTest

/// Runs the built `regionrisk` binary as a user would.
final class CLITests: XCTestCase {
    func testVersionPrints() throws {
        let r = try runCLI(["--version"])
        XCTAssertEqual(r.status, 0)
        XCTAssertFalse(r.stdout.isEmpty)
    }
}
