import Foundation

/// `AtomicFile`'s guarantee (a reader sees the old file or the new one, never half) for files
/// too big to build in memory first: a 1M-row export or generated benchmark input. Text is
/// buffered to a temporary file beside the target and renamed over it by `commit()`; dropping
/// the writer without committing removes the temporary file.
public final class StreamingAtomicFile {
    public let url: URL
    private let tmp: URL
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var finished = false
    private static let flushSize = 1 << 20

    public init(url: URL) throws {
        self.url = url
        let dir = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        } catch {
            throw OutputError(path: url.path, reason: "cannot create folder \(dir.path): \(error.localizedDescription)")
        }
        tmp = dir.appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        guard FileManager.default.createFile(atPath: tmp.path, contents: nil),
            let h = try? FileHandle(forWritingTo: tmp)
        else {
            throw OutputError(path: url.path, reason: "cannot create a temporary file in \(dir.path)")
        }
        handle = h
        buffer.reserveCapacity(Self.flushSize + 4096)
    }

    deinit {
        if !finished {
            try? handle.close()
            try? FileManager.default.removeItem(at: tmp)
        }
    }

    public func write(_ text: String) throws {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= Self.flushSize { try flush() }
    }

    private func flush() throws {
        do { try handle.write(contentsOf: buffer) } catch {
            throw OutputError(path: url.path, reason: "cannot write: \(error.localizedDescription)")
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes, syncs and renames the file into place.
    public func commit() throws {
        try flush()
        do {
            try handle.synchronize()
            try handle.close()
        } catch {
            throw OutputError(path: url.path, reason: "cannot write: \(error.localizedDescription)")
        }
        finished = true
        if rename(tmp.path, url.path) != 0 {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: tmp)
            throw OutputError(path: url.path, reason: "cannot rename the temporary file into place: \(reason)")
        }
    }
}
