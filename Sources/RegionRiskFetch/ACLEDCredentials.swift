import Foundation

/// An ACLED account's e-mail and password, for the OAuth password grant.
///
/// The password never leaves this value except in the token request's body: `description`
/// and every error message leave it out, so it cannot reach a log by accident.
public struct ACLEDCredentials: Sendable, CustomStringConvertible {
    public var email: String
    public var password: String

    public init(email: String, password: String) {
        self.email = email
        self.password = password
    }

    /// `ACLED account <email>` (never the password).
    public var description: String { "ACLED account \(email)" }

    /// The environment variables read when no credentials file is given.
    public static let emailVariable = "ACLED_EMAIL", passwordVariable = "ACLED_PASSWORD"

    /// From `ACLED_EMAIL` and `ACLED_PASSWORD`.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws -> ACLEDCredentials {
        guard let email = environment[emailVariable], !email.isEmpty,
              let password = environment[passwordVariable], !password.isEmpty
        else { throw ACLEDFetchError.credentials("set \(emailVariable) and \(passwordVariable), or give --credentials FILE (mode 0600)") }
        return ACLEDCredentials(email: email, password: password)
    }

    /// From a file readable by its owner only (mode 0600 or 0400), holding `ACLED_EMAIL=…` and
    /// `ACLED_PASSWORD=…` lines (blank lines and `#` comments allowed, as in a shell env file).
    public static func load(from url: URL) throws -> ACLEDCredentials {
        var info = stat()
        guard stat(url.path, &info) == 0 else {
            throw ACLEDFetchError.credentials("\(url.path): cannot read the credentials file (\(String(cString: strerror(errno))))")
        }
        let mode = info.st_mode & 0o777
        guard mode & 0o077 == 0 else {
            throw ACLEDFetchError.credentials(
                "\(url.path): the credentials file is readable by others (mode \(String(mode, radix: 8))); run chmod 600 \(url.path)")
        }
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw ACLEDFetchError.credentials("\(url.path): cannot read the credentials file (\(error.localizedDescription))")
        }
        var values: [String: String] = [:]
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let eq = line.firstIndex(of: "=") else {
                throw ACLEDFetchError.credentials("\(url.path):\(n + 1): expected NAME=value (ACLED_EMAIL=… or ACLED_PASSWORD=…)")
            }
            let key = line[..<eq].trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "export ", with: "")
            var value = line[line.index(after: eq)...].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, let q = value.first, q == "\"" || q == "'", value.last == q { value = String(value.dropFirst().dropLast()) }
            values[key] = value
        }
        guard let email = values[emailVariable], !email.isEmpty else {
            throw ACLEDFetchError.credentials("\(url.path): no \(emailVariable)=… line")
        }
        guard let password = values[passwordVariable], !password.isEmpty else {
            throw ACLEDFetchError.credentials("\(url.path): no \(passwordVariable)=… line")
        }
        return ACLEDCredentials(email: email, password: password)
    }
}
