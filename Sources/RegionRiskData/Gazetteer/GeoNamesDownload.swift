import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
import RegionRiskBase
#endif

/// Fetches GeoNames country dumps (https://download.geonames.org/export/dump/, CC BY 4.0) for
/// users who are online; everything else in RegionRisk works offline.
package enum GeoNamesDownload {
    /// Where GeoNames publishes `<CC>.zip`.
    package static let baseURL = URL(string: "https://download.geonames.org/export/dump/")!

    /// The dump's address for an ISO 3166-1 alpha-2 code ("ML").
    package static func url(countryCode: String) throws -> URL {
        let cc = countryCode.uppercased()
        guard cc.count == 2, cc.unicodeScalars.allSatisfy({ $0.value >= 65 && $0.value <= 90 }) else {
            throw GazetteerError.download(url: baseURL.absoluteString,
                                          reason: "'\(countryCode)' is not a two-letter country code such as ML")
        }
        return baseURL.appendingPathComponent("\(cc).zip")
    }

    /// Downloads `<CC>.zip` and extracts `<CC>.txt` into `directory`; returns the text file.
    /// Unzipping uses the system's `unzip`, or Python's zipfile module when `unzip` is missing
    /// (Foundation on Linux has no zip reader).
    package static func download(countryCode: String, into directory: URL, timeout: TimeInterval = 300) throws -> URL {
        let source = try url(countryCode: countryCode)
        let cc = countryCode.uppercased()
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw OutputError(path: directory.path, reason: "cannot create the folder: \(error.localizedDescription)")
        }
        let zip = directory.appendingPathComponent("\(cc).zip")
        try fetch(source, to: zip, timeout: timeout)
        defer { try? FileManager.default.removeItem(at: zip) }
        let text = directory.appendingPathComponent("\(cc).txt")
        try extract("\(cc).txt", from: zip, into: directory, sourceURL: source)
        guard FileManager.default.fileExists(atPath: text.path) else {
            throw GazetteerError.download(url: source.absoluteString, reason: "the archive holds no \(cc).txt")
        }
        return text
    }

    private final class Box: @unchecked Sendable {
        var error: Error?
        var status = 0
    }

    private static func fetch(_ url: URL, to target: URL, timeout: TimeInterval) throws {
        let box = Box()
        let done = DispatchSemaphore(value: 0)
        var request = URLRequest(url: url)
        request.timeoutInterval = timeout
        let task = URLSession.shared.downloadTask(with: request) { location, response, error in
            defer { done.signal() }
            box.status = (response as? HTTPURLResponse)?.statusCode ?? 0
            if let error { box.error = error; return }
            guard let location, box.status == 200 else { return }
            do {
                try? FileManager.default.removeItem(at: target)
                try FileManager.default.moveItem(at: location, to: target)
            } catch { box.error = error }
        }
        task.resume()
        if done.wait(timeout: .now() + timeout + 5) == .timedOut {
            task.cancel()
            throw GazetteerError.download(url: url.absoluteString, reason: "no answer within \(Int(timeout)) s")
        }
        if let error = box.error {
            throw GazetteerError.download(url: url.absoluteString, reason: error.localizedDescription)
        }
        guard box.status == 200 else {
            throw GazetteerError.download(url: url.absoluteString, reason: "server answered HTTP \(box.status)")
        }
    }

    private static func extract(_ member: String, from zip: URL, into directory: URL, sourceURL: URL) throws {
        let attempts: [(String, [String])] = [
            ("/usr/bin/unzip", ["-o", "-q", zip.path, member, "-d", directory.path]),
            ("/usr/bin/env", ["python3", "-c",
                              "import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extract(sys.argv[2], sys.argv[3])",
                              zip.path, member, directory.path]),
        ]
        var reasons: [String] = []
        for (tool, arguments) in attempts where FileManager.default.isExecutableFile(atPath: tool) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: tool)
            process.arguments = arguments
            process.standardOutput = FileHandle.nullDevice
            let errors = Pipe()
            process.standardError = errors
            do { try process.run() } catch {
                reasons.append("\(tool): \(error.localizedDescription)")
                continue
            }
            let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            if process.terminationStatus == 0 { return }
            reasons.append("\(tool) \(arguments.first ?? ""): \(message.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        throw GazetteerError.download(
            url: sourceURL.absoluteString,
            reason: "cannot unzip \(zip.path) (install unzip or python3): " + reasons.joined(separator: "; "))
    }
}
