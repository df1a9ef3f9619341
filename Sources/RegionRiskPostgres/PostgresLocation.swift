import Foundation

/// Where a PostgreSQL store is and how to log in, from a `--db` value such as
/// `postgresql://analyst@db.example.org:5432/incidents?service=team` with libpq's fallbacks:
/// the service file (`service=`, `$PGSERVICEFILE` or `~/.pg_service.conf`), then `$PGHOST`,
/// `$PGPORT`, `$PGUSER`, `$PGDATABASE`, `$PGPASSWORD`, then the password file
/// (`$PGPASSFILE` or `~/.pgpass`, ignored unless its mode is 0600 or stricter, as libpq does).
///
/// The password never appears in `displayName` nor in any message.
public struct PostgresLocation: Sendable, Equatable {
    public var host: String
    public var port: Int
    public var user: String
    public var database: String
    /// Never printed.
    var password: String?
    /// `disable`, `prefer` (the default: TLS when the server offers it), `require`, `verify-full`.
    public var sslMode: String
    /// What the credential lookup found worth saying (a password file with loose permissions).
    public var notes: [String] = []

    /// True for `postgresql://…` and `postgres://…`.
    public static func isPostgresURL(_ text: String) -> Bool {
        let lower = text.lowercased()
        return lower.hasPrefix("postgresql://") || lower.hasPrefix("postgres://")
    }

    /// `postgresql://user@host:port/database`: the URL without password or query.
    public var displayName: String { "postgresql://\(user)@\(host):\(port)/\(database)" }

    /// `text` with any password in it replaced by `***` (for messages about a URL that did not parse).
    public static func redacted(_ text: String) -> String {
        guard isPostgresURL(text), let at = text.range(of: "@"), let scheme = text.range(of: "://") else { return text }
        let userInfo = text[scheme.upperBound..<at.lowerBound]
        guard let colon = userInfo.firstIndex(of: ":") else { return text }
        return String(text[..<colon]) + ":***" + String(text[at.lowerBound...])
    }

    /// Parses `url` and fills what it leaves out from the service file, the environment and the
    /// password file.
    public init(url: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        guard Self.isPostgresURL(url), let c = URLComponents(string: url) else {
            throw PostgresLocationError.malformed(Self.redacted(url))
        }
        let query = Dictionary((c.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { _, b in b })
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        var service: [String: String] = [:]
        if let name = query["service"] ?? environment["PGSERVICE"] {
            let file = environment["PGSERVICEFILE"] ?? (home + "/.pg_service.conf")
            guard let found = try Self.serviceEntry(name, file: file) else {
                throw PostgresLocationError.unknownService(name, file: file)
            }
            service = found
        }
        func pick(_ fromURL: String?, _ key: String, _ env: String) -> String? {
            if let v = fromURL, !v.isEmpty { return v }
            if let v = query[key], !v.isEmpty { return v }
            if let v = service[key], !v.isEmpty { return v }
            if let v = environment[env], !v.isEmpty { return v }
            return nil
        }
        host = pick(c.host, "host", "PGHOST") ?? "localhost"
        let portText = pick(c.port.map(String.init), "port", "PGPORT") ?? "5432"
        guard let p = Int(portText), (1...65_535).contains(p) else { throw PostgresLocationError.badPort(portText) }
        port = p
        user = pick(c.user?.removingPercentEncoding, "user", "PGUSER") ?? (environment["USER"] ?? NSUserName())
        let path = c.path.hasPrefix("/") ? String(c.path.dropFirst()) : c.path
        database = pick(path.removingPercentEncoding, "dbname", "PGDATABASE") ?? user
        sslMode = pick(nil, "sslmode", "PGSSLMODE") ?? "prefer"
        guard ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"].contains(sslMode) else {
            throw PostgresLocationError.badSSLMode(sslMode)
        }
        password = pick(c.password?.removingPercentEncoding, "password", "PGPASSWORD")
        if password == nil {
            let file = environment["PGPASSFILE"] ?? (home + "/.pgpass")
            password = lookUpPassword(file: file)
        }
    }

    /// The password file's entry for this host, port, database and user (libpq's rules:
    /// `host:port:db:user:password`, `*` matches anything, `\` escapes `:` and `\`); nil when
    /// there is none, or when the file can be read by group or others (noted in `notes`).
    private mutating func lookUpPassword(file: String) -> String? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: file),
            attributes[.type] as? FileAttributeType == .typeRegular, let mode = attributes[.posixPermissions] as? Int
        else { return nil }
        if mode & 0o077 != 0 {
            notes.append("password file \(file) has group or world access and was ignored; its permissions should be u=rw (0600) or less")
            return nil
        }
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { return nil }
        for line in text.split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
            let fields = Self.splitPasswordLine(String(line))
            guard fields.count == 5 else { continue }
            let wanted = [host, String(port), database, user]
            // libpq: "localhost" also matches connections through a Unix socket; we use TCP only.
            if zip(fields.prefix(4), wanted).allSatisfy({ $0 == "*" || $0 == $1 }) { return fields[4] }
        }
        return nil
    }

    static func splitPasswordLine(_ line: String) -> [String] {
        var fields: [String] = [], current = "", escaped = false
        for ch in line {
            if escaped {
                current.append(ch)
                escaped = false
            } else if ch == "\\" {
                escaped = true
            } else if ch == ":", fields.count < 4 {
                fields.append(current)
                current = ""
            } else {
                current.append(ch)
            }
        }
        fields.append(current)
        return fields
    }

    /// The `[name]` section of a libpq service file as key → value; nil when the file or the
    /// section is missing.
    static func serviceEntry(_ name: String, file: String) throws -> [String: String]? {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { return nil }
        var current: String?
        var found: [String: String]?
        for raw in text.split(whereSeparator: \.isNewline) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("["), line.hasSuffix("]") {
                current = String(line.dropFirst().dropLast())
                if current == name { found = found ?? [:] }
                continue
            }
            guard current == name, let eq = line.firstIndex(of: "=") else { continue }
            found?[line[..<eq].trimmingCharacters(in: .whitespaces)] = line[line.index(after: eq)...].trimmingCharacters(in: .whitespaces)
        }
        return found
    }
}

/// A `--db` PostgreSQL URL or its service entry could not be used.
public enum PostgresLocationError: LocalizedError, Equatable {
    case malformed(String)
    case unknownService(String, file: String)
    case badPort(String)
    case badSSLMode(String)

    public var errorDescription: String? {
        switch self {
        case let .malformed(url): "\(url): not a PostgreSQL URL (expected postgresql://user@host:port/dbname)"
        case let .unknownService(name, file): "service \"\(name)\" is not in the service file \(file)"
        case let .badPort(p): "port \(p) is not a TCP port (1-65535)"
        case let .badSSLMode(m): "sslmode=\(m) is not one of disable, allow, prefer, require, verify-ca, verify-full"
        }
    }
}
