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

/// A value handed once from one thread to another that waits for it: the report gives its
/// background GeoPackage build the layers known only after the detection.
///
/// The first `put` or `cancel` wins; later calls do nothing. `take` waits for either and returns
/// the value, or throws `CancellationError` when the giver cancelled (it failed first).
final class Handoff<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value?  // guarded by `lock`
    private var settled = false  // guarded by `lock`
    private let ready = DispatchSemaphore(value: 0)

    func put(_ value: Value) { settle(value) }

    func cancel() { settle(nil) }

    private func settle(_ value: Value?) {
        lock.lock()
        defer { lock.unlock() }
        guard !settled else { return }
        settled = true
        self.value = value
        ready.signal()
    }

    func take() throws -> Value {
        ready.wait()
        ready.signal()  // leave it signalled for the next caller
        lock.lock()
        defer { lock.unlock() }
        guard let value else { throw CancellationError() }
        return value
    }
}
