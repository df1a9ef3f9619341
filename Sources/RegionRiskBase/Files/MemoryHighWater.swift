import Foundation

/// The process's resident-memory high-water mark, resettable between benchmark scenarios.
///
/// Linux keeps the peak resident set as `VmHWM` in `/proc/self/status`; writing `5` to
/// `/proc/self/clear_refs` resets it to the current resident set (Linux ≥ 4.0). Elsewhere, or
/// when the reset is refused, `reset()` returns false and `peakBytes()` falls back to
/// `getrusage`'s `ru_maxrss`, a mark that never goes down — callers must then say the figure is
/// the process's peak so far, not the scenario's.
package enum MemoryHighWater {
    /// Resets the high-water mark to the current resident set. Returns whether it worked.
    @discardableResult
    package static func reset() -> Bool {
        #if os(Linux)
        guard let handle = FileHandle(forWritingAtPath: "/proc/self/clear_refs") else { return false }
        defer { try? handle.close() }
        do { try handle.write(contentsOf: Data("5".utf8)) } catch { return false }
        return true
        #else
        return false
        #endif
    }

    /// Peak resident memory since the last successful `reset()` (or process start), bytes.
    package static func peakBytes() -> Int {
        #if os(Linux)
        if let kib = statusField("VmHWM:") { return kib * 1024 }
        #endif
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Int(usage.ru_maxrss) * 1024  // Linux reports KiB
    }

    /// Current resident memory, bytes (0 when unknown).
    package static func currentBytes() -> Int {
        #if os(Linux)
        if let kib = statusField("VmRSS:") { return kib * 1024 }
        #endif
        return 0
    }

    /// A "Name:   1234 kB" line of /proc/self/status, in KiB.
    static func statusField(_ name: String) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix(name) {
            let digits = line.dropFirst(name.count).split(separator: " ").first
            return digits.flatMap { Int($0) }
        }
        return nil
    }
}
