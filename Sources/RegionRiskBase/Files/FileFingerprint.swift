import Foundation

/// Content fingerprints of input files, recorded in outputs so a result can be reproduced.
package enum FileFingerprint {
    /// SHA-256 of the file's bytes, lowercase hex, read in 1 MiB chunks.
    package static func sha256Hex(of url: URL) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: url.path) else {
            throw OutputError(path: url.path, reason: "cannot open to fingerprint it")
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty { hasher.update(chunk) }
        return hasher.finalizeHex()
    }
}
