import Foundation
import RegionRiskBase

/// SHA-256 computed on another thread from copies of the chunks the parser reads, so hashing
/// (a fifth of a 1M-row ingest's CPU time, a tenth of `flag`'s) overlaps parsing and the hash is of exactly the
/// bytes parsed. At most 16 chunks (16 MiB) wait at once.
package final class BackgroundSHA256: @unchecked Sendable {
    private var hash = SHA256()  // touched only on `queue`
    private let queue = DispatchQueue(label: "regionrisk.read.sha256")
    private let slots = DispatchSemaphore(value: 16)

    package init() {}

    package func update(_ chunk: UnsafeRawBufferPointer) {
        let copy = Data(chunk)
        slots.wait()
        queue.async {
            self.hash.update(copy)
            self.slots.signal()
        }
    }

    /// Waits for the queued chunks and returns the digest, hex.
    package func finish() -> String { queue.sync { hash.finalizeHex() } }
}
