import Foundation

/// One fuzzer binary serves every target (one slow sanitizer build instead of five): fuzz.sh
/// names the target in REGIONRISK_FUZZ_TARGET.
let fuzzTarget: (UnsafePointer<UInt8>, Int) -> CInt = {
    switch ProcessInfo.processInfo.environment["REGIONRISK_FUZZ_TARGET"] ?? "" {
    case "csv": return csvFuzz
    case "geojson": return geoJSONFuzz
    case "row": return rowFuzz
    case "geocoder": return geocoderFuzz
    case "date": return dateFuzz
    default: fatalError("set REGIONRISK_FUZZ_TARGET to csv, geojson, row, geocoder or date (scripts/fuzz.sh does)")
    }
}()

/// Everything built once per process (the target's gazetteer, the scratch file's path) is built
/// here, before libFuzzer starts timing executions.
@_cdecl("LLVMFuzzerInitialize")
public func fuzzInitialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> CInt {
    _ = fuzzTarget
    _ = FuzzInput.url
    if ["row", "geocoder"].contains(ProcessInfo.processInfo.environment["REGIONRISK_FUZZ_TARGET"]) { _ = FuzzGazetteer.small }
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    fuzzTarget(data, size)
}

/// A property every harness checks. Unlike `precondition`, which traps without its message in
/// -O builds, a failure prints what broke before libFuzzer saves the input.
func fuzzCheck(_ condition: Bool, _ message: @autoclosure () -> String, file: StaticString = #fileID, line: UInt = #line) {
    if !condition { fatalError(message(), file: file, line: line) }
}
