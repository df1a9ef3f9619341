import CGEOS
import Foundation
import RegionRiskBase

/// A GEOS failure, carrying the message GEOS reported (e.g. "ParseException: Expected word but
/// encountered end of stream") after what RegionRisk was doing.
package struct GEOSError: LocalizedError, Sendable {
    package let message: String
    package init(_ message: String) { self.message = message }
    package var errorDescription: String? { message }
}

/// Owns one `GEOSContextHandle_t`. GEOS reentrant calls are safe only when no two threads use
/// the same handle at once, so each thread gets its own through `GEOSContext.current`.
package final class GEOSContext {
    let handle: OpaquePointer
    /// The message of the last GEOS exception, consumed by `error(_:)`.
    fileprivate var lastError: String?
    // Reused by every WKT read/write on this context (creating them is not free).
    private var reader: OpaquePointer?
    private var writer: OpaquePointer?

    private static let slot = ThreadLocalSlot { GEOSContext() }

    /// This thread's context, created on first use and released when the thread exits.
    package static var current: GEOSContext { slot.object }

    package init() {
        guard let handle = GEOS_init_r() else {
            // GEOS_init_r fails only when `new` fails; nothing sensible can continue.
            fatalError("GEOS could not allocate a context (out of memory)")
        }
        self.handle = handle
        // passUnretained: the handle never outlives self (finished in deinit). Notices are left
        // unhandled so GEOS stays silent; a library must not print.
        GEOSContext_setErrorMessageHandler_r(handle, { message, userData in
            guard let message, let userData else { return }
            Unmanaged<GEOSContext>.fromOpaque(userData).takeUnretainedValue().lastError = String(cString: message)
        }, Unmanaged.passUnretained(self).toOpaque())
    }

    deinit {
        if let reader { GEOSWKTReader_destroy_r(handle, reader) }
        if let writer { GEOSWKTWriter_destroy_r(handle, writer) }
        GEOS_finish_r(handle)
    }

    /// A GEOSError for `what`, with GEOS's message for the call that just failed.
    /// Every failed call is turned into an error at once, so the message is never stale.
    func error(_ what: String) -> GEOSError {
        defer { lastError = nil }
        return GEOSError("\(what): \(lastError ?? "GEOS gave no reason")")
    }

    func wktReader() throws -> OpaquePointer {
        if let reader { return reader }
        guard let r = GEOSWKTReader_create_r(handle) else { throw error("cannot create a WKT reader") }
        reader = r
        return r
    }

    func wktWriter() throws -> OpaquePointer {
        if let writer { return writer }
        guard let w = GEOSWKTWriter_create_r(handle) else { throw error("cannot create a WKT writer") }
        GEOSWKTWriter_setTrim_r(handle, w, 1)
        GEOSWKTWriter_setOutputDimension_r(handle, w, 2)
        writer = w
        return w
    }
}

extension GEOSContext {
    /// The GEOS library's version, e.g. "3.11.1-CAPI-1.17.1", for output metadata.
    package static var libraryVersion: String { String(cString: GEOSversion()) }
}
