import Foundation
import RegionRiskBase
import RegionRiskGeoJSON
@testable import RegionRiskData

/// The readers under test take files, so each input is written to one scratch file (on tmpfs
/// where fuzz.sh can) and read back.
enum FuzzInput {
    static let url: URL = {
        let dir = ProcessInfo.processInfo.environment["REGIONRISK_FUZZ_SCRATCH"] ?? NSTemporaryDirectory()
        return URL(fileURLWithPath: dir).appendingPathComponent("input-\(getpid())")
    }()

    static func file(_ data: UnsafePointer<UInt8>, _ size: Int) -> URL {
        let fd = open(url.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        precondition(fd >= 0, "cannot write the scratch input \(url.path)")
        var written = 0
        while written < size {
            let n = write(fd, data + written, size - written)
            precondition(n > 0, "cannot write the scratch input")
            written += n
        }
        close(fd)
        return url
    }
}
