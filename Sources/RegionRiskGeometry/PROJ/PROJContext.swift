import CPROJ
import Foundation
import RegionRiskBase

/// A PROJ failure, with PROJ's own explanation (from its log and `proj_context_errno_string`).
package struct PROJError: LocalizedError, Sendable {
    package let message: String
    /// PROJ's error number (`PROJ_ERR_*`), 0 when PROJ set none.
    package let code: Int32
    package init(message: String, code: Int32 = 0) {
        self.message = message
        self.code = code
    }
    package var errorDescription: String? { message }
}

/// Owns one `PJ_CONTEXT*`. A PROJ context (and every `PJ` created in it) must only be used by
/// one thread at a time; use `PROJContext.current`, which gives each thread its own.
package final class PROJContext {
    let handle: OpaquePointer
    /// The last error PROJ logged in this context, consumed by `error(_:)`.
    fileprivate var lastLogMessage: String?

    private static let slot = ThreadLocalSlot { PROJContext() }

    /// This thread's context, created on first use and released when the thread exits.
    package static var current: PROJContext { slot.object }

    package init() {
        guard let handle = proj_context_create() else {
            // Only happens when malloc fails; nothing sensible can continue.
            fatalError("PROJ could not allocate a context (out of memory)")
        }
        self.handle = handle
        // PROJ writes errors to stderr by default; a library must not print, so its messages are
        // captured here and surface in the PROJError of the call that failed.
        // passUnretained: the handle never outlives self (destroyed in deinit).
        proj_log_level(handle, PJ_LOG_ERROR)
        proj_log_func(handle, Unmanaged.passUnretained(self).toOpaque()) { userData, level, message in
            guard let userData, let message, level <= Int32(PJ_LOG_ERROR.rawValue) else { return }
            let context = Unmanaged<PROJContext>.fromOpaque(userData).takeUnretainedValue()
            context.lastLogMessage = String(cString: message)
        }
    }

    deinit {
        proj_context_destroy(handle)
    }

    /// Forgets earlier log messages so that the next error reports only its own cause.
    func clearError() {
        // PROJ 9.1 has no public context-level errno reset; `proj_errno_reset(P)` clears it
        // before each transformation, so only the captured log text needs clearing here.
        lastLogMessage = nil
    }

    /// A PROJError for `what`, with PROJ's logged message and its error text.
    func error(_ what: String) -> PROJError {
        let code = proj_context_errno(handle)
        var details: [String] = []
        if let log = lastLogMessage { details.append(log) }
        if code != 0, let text = proj_context_errno_string(handle, code) {
            // Skip texts the logged message already says, and PROJ's placeholder for codes it
            // has no words for ("Unknown error (code 4096)").
            let s = String(cString: text)
            if !s.hasPrefix("Unknown error"), !details.contains(where: { $0.contains(s) }) { details.append(s) }
        }
        lastLogMessage = nil
        let reason = details.isEmpty ? "PROJ gave no reason" : details.joined(separator: "; ")
        return PROJError(message: "\(what): \(reason)", code: code)
    }
}

extension PROJContext {
    /// The PROJ library's release, e.g. "9.1.1", for output metadata.
    package static var libraryVersion: String { String(cString: proj_info().release) }
}
