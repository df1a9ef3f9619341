import Foundation

/// What an output path names, decided before anything is written: a regular file (or none yet)
/// is replaced atomically by a temporary file renamed over it; a device, FIFO or socket is
/// written through in place (`--out /dev/full` must not replace the device node); a symlink is
/// followed and its target written by the same rules; a folder is refused.
enum OutputPath: Equatable {
    case atomic(URL)
    case writeThrough(URL)

    static func resolve(_ url: URL) throws -> OutputPath {
        var path = url.path
        for _ in 0..<40 {
            var st = stat()
            guard lstat(path, &st) == 0 else {
                if errno == ENOENT { return .atomic(URL(fileURLWithPath: path)) }
                throw OutputError(path: url.path, reason: "cannot inspect it: \(String(cString: strerror(errno)))")
            }
            switch st.st_mode & S_IFMT {
            case S_IFLNK:
                guard let destination = try? FileManager.default.destinationOfSymbolicLink(atPath: path) else {
                    throw OutputError(path: url.path, reason: "cannot read the symbolic link")
                }
                path = destination.hasPrefix("/") ? destination
                    : URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent(destination).path
            case S_IFDIR:
                throw OutputError(path: url.path, reason: "is a folder; give a file name (e.g. \(url.path)/out.geojson)")
            case S_IFREG:
                return .atomic(URL(fileURLWithPath: path))
            default:
                return .writeThrough(URL(fileURLWithPath: path))
            }
        }
        throw OutputError(path: url.path, reason: "too many levels of symbolic links")
    }

    /// Writes `data` in place (devices, FIFOs), reporting short writes such as /dev/full's.
    static func writeThrough(_ data: Data, to url: URL, shownAs shown: String) throws {
        guard let handle = FileHandle(forWritingAtPath: url.path) else {
            throw OutputError(path: shown, reason: "cannot open it for writing: \(String(cString: strerror(errno)))")
        }
        defer { try? handle.close() }
        do { try handle.write(contentsOf: data) } catch {
            throw OutputError(path: shown, reason: "cannot write: \(error.localizedDescription)")
        }
    }
}

extension AtomicFile {
    /// Writes to the path a user gave: `-` is standard output, anything else as `write(_:to:)`.
    package static func write(_ data: Data, toPath path: String) throws {
        guard path != "-" else {
            do { try FileHandle.standardOutput.write(contentsOf: data) } catch {
                throw OutputError(path: "standard output", reason: "cannot write: \(error.localizedDescription)")
            }
            return
        }
        guard !path.isEmpty else { throw OutputError(path: "\"\"", reason: "an empty output path; give a file name or - for standard output") }
        try write(data, to: URL(fileURLWithPath: path))
    }

    /// UTF-8 text to the path a user gave (`-` for standard output).
    package static func write(_ text: String, toPath path: String) throws {
        try write(Data(text.utf8), toPath: path)
    }
}
