import Foundation

/// One object per thread, created lazily and released when the thread exits.
///
/// PROJ and GEOS contexts must never be used from two threads at once, and creating one per
/// operation is wasteful (a PROJ context opens proj.db). A pthread key gives each thread its own
/// and costs one `pthread_getspecific` per lookup, far cheaper than `Thread.current.threadDictionary`.
package final class ThreadLocalSlot<Object: AnyObject>: @unchecked Sendable {
    // @unchecked: `key` is written once in init and only read afterwards; pthread keys are
    // designed to be shared between threads.
    private var key = pthread_key_t()
    private let hasKey: Bool
    private let make: () -> Object

    package init(make: @escaping () -> Object) {
        self.make = make
        // The destructor balances the passRetained in `object`: the thread's reference ends
        // when the thread does (objects still in use elsewhere stay alive through their own references).
        #if canImport(Darwin)
        hasKey = pthread_key_create(&key) { raw in Unmanaged<AnyObject>.fromOpaque(raw).release() } == 0
        #else
        hasKey = pthread_key_create(&key) { raw in
            if let raw { Unmanaged<AnyObject>.fromOpaque(raw).release() }
        } == 0
        #endif
    }

    /// This thread's object, created on first use.
    package var object: Object {
        // Without a key (the process ran out of them) every call gets a fresh object: slower,
        // still correct, because nothing is shared between threads.
        guard hasKey else { return make() }
        if let raw = pthread_getspecific(key) {
            return Unmanaged<Object>.fromOpaque(raw).takeUnretainedValue()
        }
        let object = make()
        let raw = Unmanaged.passRetained(object).toOpaque()
        if pthread_setspecific(key, raw) != 0 {
            Unmanaged<Object>.fromOpaque(raw).release()
        }
        return object
    }
}
