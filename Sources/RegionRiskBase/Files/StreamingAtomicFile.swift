import Foundation

/// `AtomicFile`'s guarantee (a reader sees the old file or the new one, never half) for files
/// too big to build in memory first: a 1M-row export or generated benchmark input. Text is
/// buffered to a temporary file beside the target and renamed over it by `commit()`; dropping
/// the writer without committing removes the temporary file. A device or FIFO is written
/// through in place, and a symlink's target is the file replaced (see `OutputPath`).
package final class StreamingAtomicFile {
    package let url: URL
    /// The temporary file and the file it replaces; nil when writing through to a device.
    private let pending: (tmp: URL, target: URL)?
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var finished = false
    private static let flushSize = 1 << 20

    package init(url: URL) throws {
        self.url = url
        let target: URL
        switch try OutputPath.resolve(url) {
        case let .writeThrough(device):
            guard let h = FileHandle(forWritingAtPath: device.path) else {
                throw OutputError(path: url.path, reason: "cannot open it for writing: \(String(cString: strerror(errno)))")
            }
            handle = h
            pending = nil
            return
        case let .atomic(resolved): target = resolved
        }
        let dir = target.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        } catch {
            throw OutputError(path: url.path, reason: "cannot create folder \(dir.path): \(error.localizedDescription)")
        }
        let tmp = dir.appendingPathComponent(".\(target.lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        guard FileManager.default.createFile(atPath: tmp.path, contents: nil),
            let h = try? FileHandle(forWritingTo: tmp)
        else {
            throw OutputError(path: url.path, reason: "cannot create a temporary file in \(dir.path)")
        }
        handle = h
        pending = (tmp, target)
        buffer.reserveCapacity(Self.flushSize + 4096)
    }

    deinit {
        if !finished {
            try? handle.close()
            if let pending { try? FileManager.default.removeItem(at: pending.tmp) }
        }
    }

    package func write(_ text: String) throws {
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
    package func commit() throws {
        try flush()
        do {
            if pending != nil { try handle.synchronize() }
            try handle.close()
        } catch {
            throw OutputError(path: url.path, reason: "cannot write: \(error.localizedDescription)")
        }
        finished = true
        guard let (tmp, target) = pending else { return }
        if rename(tmp.path, target.path) != 0 {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: tmp)
            throw OutputError(path: url.path, reason: "cannot rename the temporary file into place: \(reason)")
        }
    }
}
