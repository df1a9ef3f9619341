import Foundation
import RegionRiskBase
import RegionRiskData

/// The reports root: dated folders published whole, a `latest` pointer, a run history, and a
/// lock so that overlapping cron runs never interleave.
///
/// Layout: `ROOT/2025-07-08/…`, `ROOT/latest` → `2025-07-08`, `ROOT/history.json`, `ROOT/.lock`.
/// A run writes into a hidden staging folder and renames it into place, then repoints `latest`
/// with an atomic rename: a crash at any point leaves the previous `latest` intact and complete.
public final class ReportFolder {
    public let root: URL
    private var lockDescriptor: Int32 = -1

    public init(root: URL) throws {
        self.root = root
        do { try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true) } catch {
            throw OutputError(path: root.path, reason: "cannot create the reports folder: \(error.localizedDescription)")
        }
    }

    deinit { unlock() }

    /// Takes the exclusive lock, waiting up to `timeoutSeconds` for a running report to finish.
    public func lock(timeoutSeconds: Double) throws {
        let path = root.appendingPathComponent(".lock").path
        let fd = open(path, O_CREAT | O_RDWR, 0o644)
        guard fd >= 0 else { throw OutputError(path: path, reason: "cannot open the lock file: \(String(cString: strerror(errno)))") }
        let deadline = Date().addingTimeInterval(max(0, timeoutSeconds))
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR, Date() < deadline else {
                close(fd)
                throw ReportLockedError(path: path, timeoutSeconds: timeoutSeconds)
            }
            usleep(100_000)
        }
        lockDescriptor = fd
    }

    public func unlock() {
        if lockDescriptor >= 0 {
            flock(lockDescriptor, LOCK_UN)
            close(lockDescriptor)
            lockDescriptor = -1
        }
    }

    /// A fresh hidden staging folder for one run's files.
    public func makeStaging() throws -> URL {
        let staging = root.appendingPathComponent(".staging-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
        return staging
    }

    /// Moves a complete staging folder to `ROOT/<name>` (replacing an earlier run for the same
    /// name) and points `latest` at it.
    @discardableResult
    public func publish(staging: URL, as name: String) throws -> URL {
        let target = root.appendingPathComponent(name)
        let fm = FileManager.default
        if fm.fileExists(atPath: target.path) {
            let old = root.appendingPathComponent(".replaced-\(name)-\(getpid())")
            try? fm.removeItem(at: old)
            guard rename(target.path, old.path) == 0 else {
                throw OutputError(path: target.path, reason: "cannot replace the earlier report: \(String(cString: strerror(errno)))")
            }
            guard rename(staging.path, target.path) == 0 else {
                _ = rename(old.path, target.path)
                throw OutputError(path: target.path, reason: "cannot publish the report: \(String(cString: strerror(errno)))")
            }
            try? fm.removeItem(at: old)
        } else {
            guard rename(staging.path, target.path) == 0 else {
                throw OutputError(path: target.path, reason: "cannot publish the report: \(String(cString: strerror(errno)))")
            }
        }
        let link = root.appendingPathComponent("latest"), tmp = root.appendingPathComponent(".latest-\(getpid())")
        try? fm.removeItem(at: tmp)
        guard symlink(name, tmp.path) == 0, rename(tmp.path, link.path) == 0 else {
            throw OutputError(path: link.path, reason: "cannot point latest at \(name): \(String(cString: strerror(errno)))")
        }
        return target
    }

    /// Removes staging folders left by crashed runs (only while holding the lock).
    public func removeStaleStaging() {
        let items = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        for item in items where item.hasPrefix(".staging-") || item.hasPrefix(".replaced-") {
            try? FileManager.default.removeItem(at: root.appendingPathComponent(item))
        }
    }
}

/// Another report holds the lock.
public struct ReportLockedError: LocalizedError, Sendable {
    public let path: String
    public let timeoutSeconds: Double
    public var errorDescription: String? {
        "another regionrisk report is running (lock \(path) held for more than \(Int(timeoutSeconds)) s); not starting a second one"
    }
}

/// `history.json` beside the dated report folders, written atomically.
public struct RunHistoryFile: RunHistoryStore {
    public let url: URL
    public init(url: URL) { self.url = url }
    public func loadHistory() throws -> RunHistory {
        guard FileManager.default.fileExists(atPath: url.path) else { return RunHistory(runs: []) }
        do { return try RunHistory.parse(try Data(contentsOf: url)) } catch {
            throw OutputError(path: url.path, reason: "unreadable run history (\(error.localizedDescription)); move it aside to start afresh")
        }
    }
    public func appendHistory(_ entry: RunHistory.Entry) throws {
        try AtomicFile.write(try loadHistory().appending(entry).json.serialized() + "\n", to: url)
    }
}
