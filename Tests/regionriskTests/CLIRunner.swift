import Foundation
import XCTest

struct CLIResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// The folder holding the built products (the test bundle sits beside the executable).
func productsDirectory() -> URL {
    for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
        return bundle.bundleURL.deletingLastPathComponent()
    }
    return Bundle.main.bundleURL
}

/// A data folder for the CLI under test, empty at the start of the test run.
let isolatedDataDirectory: URL = {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("regionrisk-tests-data-\(getpid())")
    try? FileManager.default.removeItem(at: url)
    try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}()

/// Runs `regionrisk` with `arguments`, optional standard input and environment additions.
func runCLI(_ arguments: [String], stdin: String? = nil, environment: [String: String] = [:],
            currentDirectory: URL? = nil) throws -> CLIResult {
    try runProcess([productsDirectory().appendingPathComponent("regionrisk").path] + arguments, stdin: stdin,
                   environment: environment, currentDirectory: currentDirectory)
}

/// Runs `command[0]` with the other elements as arguments, in the same hermetic environment as `runCLI`.
func runProcess(_ command: [String], stdin: String? = nil, environment: [String: String] = [:],
                currentDirectory: URL? = nil) throws -> CLIResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: command[0])
    process.arguments = Array(command.dropFirst())
    var env = ProcessInfo.processInfo.environment
    // Hermetic: never the user's imported gazetteers or default store (tests may override).
    env["REGIONRISK_DATA_DIR"] = isolatedDataDirectory.path
    env["XDG_DATA_HOME"] = isolatedDataDirectory.appendingPathComponent("xdg").path
    env["REGIONRISK_DB"] = nil
    for (k, v) in environment { env[k] = v }
    process.environment = env
    if let currentDirectory { process.currentDirectoryURL = currentDirectory }
    let out = Pipe(), err = Pipe(), inp = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = inp
    try process.run()
    if let stdin { inp.fileHandleForWriting.write(Data(stdin.utf8)) }
    try inp.fileHandleForWriting.close()
    // Read both pipes concurrently so a chatty child cannot block on a full pipe.
    final class Box: @unchecked Sendable { var data = Data() }
    let outBox = Box()
    let group = DispatchGroup()
    group.enter()
    DispatchQueue.global().async { outBox.data = out.fileHandleForReading.readDataToEndOfFile(); group.leave() }
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    let outData = outBox.data
    process.waitUntilExit()
    return CLIResult(status: process.terminationStatus,
                     stdout: String(decoding: outData, as: UTF8.self),
                     stderr: String(decoding: errData, as: UTF8.self))
}
