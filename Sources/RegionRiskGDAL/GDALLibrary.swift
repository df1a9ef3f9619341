import CGDAL
import Foundation

/// Process-wide GDAL set-up and the helpers every owner uses to read GDAL's errors.
///
/// GDAL keeps its error state per thread (`CPLGetLastErrorMsg` reads the calling thread's
/// last error), so the pattern "reset, call, read the message" is safe on any thread.
enum GDALLibrary {
    /// Registers the drivers once and silences GDAL's default stderr handler: a library must
    /// not print, and GDAL's messages travel inside the thrown `GDALError` instead.
    private static let registered: Void = {
        CPLSetErrorHandler(CPLQuietErrorHandler)
        GDALAllRegister()
    }()

    static func ensureRegistered() { _ = registered }

    /// The calling thread's last GDAL error message, or `fallback` when GDAL left none.
    static func lastError(or fallback: String) -> String {
        guard let text = CPLGetLastErrorMsg() else { return fallback }
        let message = String(cString: text)
        return message.isEmpty ? fallback : message
    }

    /// A driver by short name (GPKG, COG, GTiff, MEM), or `GDALError.driverMissing`.
    static func driver(_ name: String) throws -> GDALDriverH {
        ensureRegistered()
        guard let driver = GDALGetDriverByName(name) else { throw GDALError.driverMissing(name) }
        return driver
    }

    /// A fresh `/vsimem/` path: outputs are built in memory and then written with `AtomicFile`,
    /// so a reader never sees a half-written GeoPackage or GeoTIFF.
    static func memoryPath(extension ext: String) -> String {
        "/vsimem/regionrisk-\(UUID().uuidString).\(ext)"
    }

    /// Takes the bytes of an in-memory file and deletes it.
    static func takeMemoryFile(_ path: String) throws -> Data {
        var length: vsi_l_offset = 0
        // bUnlinkAndSeize = TRUE: the buffer is ours to free, and the /vsimem/ file is gone.
        guard let buffer = VSIGetMemFileBuffer(path, &length, 1) else {
            throw GDALError.write(path: path, reason: "GDAL wrote no output (\(lastError(or: "no reason given")))")
        }
        defer { VSIFree(buffer) }
        return Data(bytes: buffer, count: Int(length))
    }

    /// The bytes of a file that `write` makes at a fresh `/vsimem/` path (given to it) and closes;
    /// the in-memory file is deleted either way. `what` names the output in errors. GDAL 3.6's
    /// `GDALClose` returns nothing, so a failure while flushing is read from the error state.
    static func inMemoryFile(extension ext: String, what: String, _ write: (String) throws -> Void) throws -> Data {
        let path = memoryPath(extension: ext)
        do {
            CPLErrorReset()
            try write(path)
            if CPLGetLastErrorType() == CE_Failure {
                throw GDALError.write(path: what, reason: lastError(or: "write failed"))
            }
            return try takeMemoryFile(path)
        } catch {
            _ = VSIUnlink(path)
            throw error
        }
    }

    /// Runs `body` with a NULL-terminated C string list (GDAL's `char**` options).
    static func withOptions<R>(_ options: [String], _ body: (UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) throws -> R) rethrows -> R {
        var list: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
        for o in options { list = CSLAddString(list, o) }
        defer { CSLDestroy(list) }
        return try body(list)
    }
}
