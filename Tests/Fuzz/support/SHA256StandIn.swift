import Foundation

/// Stand-in for RegionRiskBase's SHA-256 in fuzz builds, which compile the readers' sources with
/// swiftc and have no swift-crypto (BoringSSL) to link: the same interface, counting bytes instead
/// of hashing them. No harness checks a digest; the file hash is not what the targets fuzz.
package struct SHA256: Sendable {
    private var length: UInt64 = 0

    package init() {}

    package mutating func update(_ bytes: UnsafeRawBufferPointer) { length &+= UInt64(bytes.count) }

    package mutating func update(_ data: Data) { length &+= UInt64(data.count) }

    /// Not a digest: the byte count, padded to 64 hex digits.
    package func finalizeHex() -> String {
        let s = String(length, radix: 16)
        return String(repeating: "0", count: 64 - s.count) + s
    }
}
