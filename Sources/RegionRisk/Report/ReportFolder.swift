import Foundation

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
    ///
    /// At every step some complete copy of each report exists under a name `recover()` knows:
    /// where the file system has `RENAME_EXCHANGE` (Linux ≥ 3.15 on ext4, tmpfs, xfs, btrfs) the
    /// old and new folders swap in one atomic step; elsewhere the old folder is renamed aside to
    /// `.replaced-<name>-<pid>` first, and `recover()` renames it back if a crash came before
    /// the new one was in place. `latest` is repointed with an atomic rename of a new symlink.
    @discardableResult
    public func publish(staging: URL, as name: String) throws -> URL {
        let target = root.appendingPathComponent(name)
        let fm = FileManager.default
        try FaultInjection.point("publish.before-swap")
        if fm.fileExists(atPath: target.path) {
            if !FaultInjection.isSet("publish.no-exchange"), Self.exchange(staging.path, target.path) {
                // The staging path now holds the previous report; the new one is in place.
                try FaultInjection.point("publish.after-swap")
                try? fm.removeItem(at: staging)
            } else {
                let old = root.appendingPathComponent(".replaced-\(name)-\(getpid())")
                try? fm.removeItem(at: old)
                guard rename(target.path, old.path) == 0 else {
                    throw OutputError(path: target.path, reason: "cannot replace the earlier report: \(String(cString: strerror(errno)))")
                }
                try FaultInjection.point("publish.after-aside")
                guard rename(staging.path, target.path) == 0 else {
                    _ = rename(old.path, target.path)
                    throw OutputError(path: target.path, reason: "cannot publish the report: \(String(cString: strerror(errno)))")
                }
                try FaultInjection.point("publish.after-swap")
                try? fm.removeItem(at: old)
            }
        } else {
            guard rename(staging.path, target.path) == 0 else {
                throw OutputError(path: target.path, reason: "cannot publish the report: \(String(cString: strerror(errno)))")
            }
            try FaultInjection.point("publish.after-swap")
        }
        try FaultInjection.point("publish.before-latest")
        try pointLatest(at: name)
        try FaultInjection.point("publish.after-latest")
        return target
    }

    /// Points `latest` at `name` with an atomic rename of a fresh symlink.
    func pointLatest(at name: String) throws {
        let fm = FileManager.default
        let link = root.appendingPathComponent("latest"), tmp = root.appendingPathComponent(".latest-\(getpid())")
        try? fm.removeItem(at: tmp)
        guard symlink(name, tmp.path) == 0, rename(tmp.path, link.path) == 0 else {
            throw OutputError(path: link.path, reason: "cannot point latest at \(name): \(String(cString: strerror(errno)))")
        }
    }

    /// Linux `renameat2(…, RENAME_EXCHANGE)`, looked up at run time (Glibc's Swift module does
    /// not declare it); false when it is missing or the file system refuses it.
    static func exchange(_ a: String, _ b: String) -> Bool {
        #if os(Linux)
        typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "renameat2") else { return false }
        let renameat2 = unsafeBitCast(symbol, to: RenameAt2.self)
        let renameExchange: UInt32 = 1 << 1
        return renameat2(AT_FDCWD, a, AT_FDCWD, b, renameExchange) == 0
        #else
        return false
        #endif
    }

    /// Cleans up after crashed runs (call only while holding the lock); see `recover()`.
    public func removeStaleStaging() { _ = recover() }
}

/// Another report holds the lock.
public struct ReportLockedError: LocalizedError, Sendable {
    public let path: String
    public let timeoutSeconds: Double
    public var errorDescription: String? {
        "another regionrisk report is running (lock \(path) held for more than \(Int(timeoutSeconds)) s); not starting a second one"
    }
}

/// Where a report's run history lives: the incident store when the report reads one (table
/// `report_run`), else `history.json` in the reports root.
public protocol RunHistoryStore {
    func loadHistory() throws -> RunHistory
    func appendHistory(_ entry: RunHistory.Entry) throws
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

/// What the previous runs flagged, to tell new regions from continuing and ended ones.
/// Regions are matched across runs by their outlines: a region continues when it overlaps a
/// region flagged last time.
public struct RunHistory: Sendable {
    public struct Entry: Sendable {
        public var asOf: String
        public var regions: [(label: String, category: String, geometry: GeoJSONGeometry)]
        public init(asOf: String, regions: [(label: String, category: String, geometry: GeoJSONGeometry)]) {
            self.asOf = asOf
            self.regions = regions
        }
    }

    public var runs: [Entry]

    public init(runs: [Entry]) { self.runs = runs }

    public static func parse(_ data: Data) throws -> RunHistory {
        let json = try JSONValue.parse(data)
        var runs: [Entry] = []
        for run in json["runs"]?.arrayValue ?? [] {
            var regions: [(String, String, GeoJSONGeometry)] = []
            for r in run["regions"]?.arrayValue ?? [] {
                guard let g = r["geometry"], let geometry = try? GeoJSONGeometry(json: g) else { continue }
                regions.append((r["label"]?.stringValue ?? "", r["category"]?.stringValue ?? "", geometry))
            }
            runs.append(Entry(asOf: run["as_of"]?.stringValue ?? "", regions: regions))
        }
        return RunHistory(runs: runs)
    }

    /// Keeps the last `keep` runs.
    public func appending(_ entry: Entry, keep: Int = 60) -> RunHistory {
        RunHistory(runs: Array((runs + [entry]).suffix(keep)))
    }

    public var json: JSONValue {
        .object([("runs", .array(runs.map { run in
            .object([("as_of", .string(run.asOf)), ("regions", .array(run.regions.map { r in
                .object([("label", .string(r.label)), ("category", .string(r.category)), ("geometry", r.geometry.json(decimals: 5))])
            }))])
        }))])
    }

    /// Compares this run's regions with the previous run's: indices of regions new since then,
    /// indices continuing, and labels of previous regions that ended.
    public func compare(_ current: [(label: String, category: String, geometry: GeoJSONGeometry)])
        -> (previousAsOf: String?, new: [Int], continuing: [Int], ended: [String])
    {
        guard let previous = runs.last else { return (nil, Array(current.indices), [], []) }
        func overlaps(_ a: GeoJSONGeometry, _ b: GeoJSONGeometry) -> Bool {
            guard let ga = try? Geometry(geoJSON: a), let gb = try? Geometry(geoJSON: b) else { return false }
            return (try? ga.intersects(gb)) == true
        }
        var new: [Int] = [], continuing: [Int] = []
        var matched = Set<Int>()
        for (i, r) in current.enumerated() {
            let hits = previous.regions.indices.filter { overlaps(previous.regions[$0].geometry, r.geometry) }
            if hits.isEmpty { new.append(i) } else { continuing.append(i); matched.formUnion(hits) }
        }
        let ended = previous.regions.indices.filter { !matched.contains($0) }.map { previous.regions[$0].label }
        return (previous.asOf, new, continuing, ended)
    }
}
