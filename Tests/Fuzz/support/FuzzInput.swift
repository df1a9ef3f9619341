import Foundation
import RegionRiskBase
import RegionRiskGeoJSON
@testable import RegionRiskData

/// The row and geojson targets fuzz the file readers, so their input is written to one scratch
/// file (on tmpfs where fuzz.sh can) and read back; csv reads from memory.
enum FuzzInput {
    static let url: URL = {
        let dir = ProcessInfo.processInfo.environment["REGIONRISK_FUZZ_SCRATCH"] ?? NSTemporaryDirectory()
        return URL(fileURLWithPath: dir).appendingPathComponent("input-\(getpid())")
    }()

    static func file(_ data: UnsafePointer<UInt8>, _ size: Int) -> URL {
        let fd = open(url.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        fuzzCheck(fd >= 0, "cannot write the scratch input \(url.path)")
        var written = 0
        while written < size {
            let n = write(fd, data + written, size - written)
            fuzzCheck(n > 0, "cannot write the scratch input")
            written += n
        }
        close(fd)
        return url
    }
}
