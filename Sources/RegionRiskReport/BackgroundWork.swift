import Foundation

/// A computation run on a thread of its own, whose value is collected later: the report builds
/// one output while it renders another.
///
/// `value()` waits for it and returns its result or rethrows its error; `wait()` only waits.
/// Both may be called any number of times, from any thread. The work must not touch what the
/// calling thread changes meanwhile: give it values (copies), not shared state.
final class BackgroundWork<Value: Sendable>: @unchecked Sendable {
    // Written once by the worker before `done` is signalled, read only after waiting on it.
    private var result: Result<Value, any Error>?
    private let done = DispatchSemaphore(value: 0)

    init(_ work: @escaping @Sendable () throws -> Value) {
        let thread = Thread { [self] in
            result = Result(catching: work)
            done.signal()
        }
        thread.name = "regionrisk.report.background"
        // The main thread's 8 MiB rather than a secondary thread's default 512 KiB: serialising
        // nested GeoJSON recurses, and an output must not depend on the thread that built it.
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// Blocks until the work has finished.
    func wait() {
        done.wait()
        done.signal()  // leave it signalled for the next caller
    }

    /// The work's value, or its error rethrown.
    func value() throws -> Value {
        wait()
        guard let result else { throw CancellationError() }  // unreachable: set before `done` is signalled
        return try result.get()
    }
}
