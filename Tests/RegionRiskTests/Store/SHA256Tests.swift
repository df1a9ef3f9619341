import Foundation
import XCTest
@testable import RegionRiskBase


final class SHA256Tests: XCTestCase {
    private func hex(_ s: String) -> String {
        var h = SHA256()
        h.update(Data(s.utf8))
        return h.finalizeHex()
    }

    /// FIPS 180-2 appendix B test vectors.
    func testStandardVectors() {
        XCTAssertEqual(hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(
            hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        XCTAssertEqual(hex(String(repeating: "a", count: 1_000_000)), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    /// Fed in pieces of every size up to 130 bytes (crossing block boundaries), the digest is
    /// the same as fed at once.
    func testIncrementalFeedingMatchesOneShot() {
        let data = Data((0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) })
        var whole = SHA256()
        whole.update(data)
        let expected = whole.finalizeHex()
        for step in 1...130 {
            var h = SHA256()
            var i = 0
            while i < data.count {
                h.update(data[i..<min(i + step, data.count)])
                i += step
            }
            XCTAssertEqual(h.finalizeHex(), expected, "step \(step)")
        }
    }

    /// Agrees with coreutils' sha256sum on a fixture file.
    func testAgreesWithSha256sum() throws {
        let tool = URL(fileURLWithPath: "/usr/bin/sha256sum")
        guard FileManager.default.isExecutableFile(atPath: tool.path) else { throw XCTSkip("no sha256sum") }
        let file = Fixtures.url("events/in/acled-classic.csv")
        let p = Process()
        p.executableURL = tool
        p.arguments = [file.path]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        XCTAssertEqual(try FileFingerprint.sha256Hex(of: file), String(text.prefix(64)))
    }
}
