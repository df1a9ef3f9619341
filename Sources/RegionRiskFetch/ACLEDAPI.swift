import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import RegionRiskBase
import RegionRiskGeoJSON

/// ACLED's API as documented for its OAuth era (2025–), read through async-http-client.
///
/// Request and response shapes, as ACLED's own R client acledR uses them
/// (github.com/dtacled/acledR, `R/acled_auth.R`, `R/acled_api.R`, `R/acled_deletions_api.R`)
/// and ACLED's API guide (acleddata.com/api-documentation/getting-started, …/deleted-endpoint):
/// - token: `POST {base}/oauth/token`, form `username`, `password`, `grant_type=password`,
///   `client_id=acled` → `{"access_token": …, "token_type": "Bearer", "expires_in": …, "refresh_token": …}`;
/// - events: `GET {base}/api/acled/read?_format=json&country=Mali&limit=N&page=P` with
///   `Authorization: Bearer …`, optionally `event_date=A|B&event_date_where=BETWEEN` and
///   `timestamp=T&timestamp_where=>=` (rows added or changed at or after Unix time T) →
///   `{"status": 200, "success": true, "count": n, "data": [{"event_id_cnty": …, …}]}`, every
///   field a string; a page shorter than `limit` is the last;
/// - deletions: `GET {base}/api/deleted/read?_format=json&deleted_timestamp=T&deleted_timestamp_where=>=`
///   → `data: [{"event_id_cnty": …, "deleted_timestamp": …}]`, paged the same way.
public struct ACLEDAPI: Sendable {
    /// The API's root, `https://acleddata.com` (tests point it at a loopback stand-in).
    public var base: URL
    /// Rows per page (`limit`).
    public var pageSize: Int
    /// Attempts per request when ACLED answers 429 or 5xx, or the connection fails.
    public var maxAttempts = 5
    /// First wait between attempts, seconds; doubled each time, capped by `maximumBackoffSeconds`.
    public var initialBackoffSeconds = 2.0
    /// Longest wait between attempts, seconds (a larger `Retry-After` is capped to it).
    public var maximumBackoffSeconds = 120.0
    /// Per request, seconds.
    public var timeoutSeconds: Int64 = 300

    public static let defaultBase = URL(string: "https://acleddata.com")!

    public init(base: URL = ACLEDAPI.defaultBase, pageSize: Int = 5000) {
        self.base = base
        self.pageSize = pageSize
    }

    /// What to fetch.
    public struct Query: Sendable {
        public var country: String
        /// Only events on or after this day (`event_date`).
        public var since: CivilDate?
        /// Only rows ACLED added or changed at or after this Unix time (`timestamp`); also the
        /// lower bound of the deletions read. nil: everything, and every deletion.
        public var updatedSince: Int?

        public init(country: String, since: CivilDate? = nil, updatedSince: Int? = nil) {
            self.country = country
            self.since = since
            self.updatedSince = updatedSince
        }
    }

    /// What a fetch brought back.
    public struct Result: Sendable {
        /// Event rows as ACLED sent them (JSON objects).
        public var rows: [JSONValue] = []
        /// `event_id_cnty` of events ACLED deleted.
        public var deletedIDs: [String] = []
        public var eventPages = 0
        public var deletionPages = 0
        /// Requests repeated after a 429, a 5xx or a failed connection.
        public var retries = 0
        /// The largest `timestamp` among the rows (where the next incremental fetch starts).
        public var latestTimestamp: Int?
    }

    /// A page read: endpoint path, page number, rows on it.
    public typealias PageObserver = @Sendable (_ endpoint: String, _ page: Int, _ rows: Int) -> Void
    /// A retry: endpoint path, HTTP status (nil: no answer), seconds waited.
    public typealias RetryObserver = @Sendable (_ endpoint: String, _ status: Int?, _ seconds: Double) -> Void

    /// Authenticates, then reads every page of events and of deletions.
    public func fetch(_ query: Query, credentials: ACLEDCredentials, onPage: PageObserver? = nil,
                      onRetry: RetryObserver? = nil) async throws -> Result {
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        do {
            let result = try await Session(api: self, client: client, onRetry: onRetry).run(query, credentials: credentials, onPage: onPage)
            try await client.shutdown()
            return result
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    /// `base` + `path` (a `base` with a path of its own keeps it).
    func url(_ path: String, _ items: [(String, String)]) -> String {
        var root = base.absoluteString
        while root.hasSuffix("/") { root.removeLast() }
        return root + path + (items.isEmpty ? "" : "?" + FormEncoding.encode(items))
    }
}

/// One authenticated conversation with the API.
private final class Session: @unchecked Sendable {
    // @unchecked: used from one task at a time (the fetch awaits each request in turn).
    let api: ACLEDAPI
    let client: HTTPClient
    let onRetry: ACLEDAPI.RetryObserver?
    var retries = 0

    init(api: ACLEDAPI, client: HTTPClient, onRetry: ACLEDAPI.RetryObserver?) {
        self.api = api
        self.client = client
        self.onRetry = onRetry
    }

    func run(_ q: ACLEDAPI.Query, credentials: ACLEDCredentials, onPage: ACLEDAPI.PageObserver?) async throws -> ACLEDAPI.Result {
        let token = try await accessToken(credentials)
        var result = ACLEDAPI.Result()
        var filters: [(String, String)] = [("country", q.country)]
        if let since = q.since {
            filters += [("event_date", "\(since)|\(CivilDate.today.adding(days: 1))"), ("event_date_where", "BETWEEN")]
        }
        if let t = q.updatedSince { filters += [("timestamp", String(t)), ("timestamp_where", ">=")] }
        let events = try await pages("/api/acled/read", filters: filters, token: token, onPage: onPage)
        result.rows = events.rows
        result.eventPages = events.pages
        result.latestTimestamp = events.rows.compactMap { Self.integer($0["timestamp"]) }.max()

        var deletionFilters: [(String, String)] = []
        if let t = q.updatedSince { deletionFilters = [("deleted_timestamp", String(t)), ("deleted_timestamp_where", ">=")] }
        let deletions = try await pages("/api/deleted/read", filters: deletionFilters, token: token, onPage: onPage)
        result.deletedIDs = deletions.rows.compactMap { Self.text($0["event_id_cnty"]) }
        result.deletionPages = deletions.pages
        result.retries = retries
        return result
    }

    /// The OAuth password grant.
    func accessToken(_ c: ACLEDCredentials) async throws -> String {
        let path = "/oauth/token"
        let form = FormEncoding.encode([("username", c.email), ("password", c.password), ("grant_type", "password"), ("client_id", "acled")])
        let body = try await send(path: path) {
            var r = HTTPClientRequest(url: self.api.url(path, []))
            r.method = .POST
            r.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            r.headers.add(name: "Accept", value: "application/json")
            r.body = .bytes(ByteBuffer(string: form))
            return r
        }
        guard let token = Self.text(body["access_token"]), !token.isEmpty else {
            throw ACLEDFetchError.invalidResponse(endpoint: path, detail: "no access_token in the token response")
        }
        return token
    }

    /// Every page of `path` until a short one.
    func pages(_ path: String, filters: [(String, String)], token: String, onPage: ACLEDAPI.PageObserver?) async throws
        -> (rows: [JSONValue], pages: Int)
    {
        var rows: [JSONValue] = []
        var page = 1
        while true {
            let items = [("_format", "json")] + filters + [("limit", String(api.pageSize)), ("page", String(page))]
            let body = try await send(path: path) {
                var r = HTTPClientRequest(url: self.api.url(path, items))
                r.headers.add(name: "Authorization", value: "Bearer \(token)")
                r.headers.add(name: "Accept", value: "application/json")
                return r
            }
            if body["success"]?.boolValue == false {
                throw ACLEDFetchError.invalidResponse(endpoint: path, detail: Self.errorDetail(body))
            }
            guard let data = body["data"]?.arrayValue else {
                throw ACLEDFetchError.invalidResponse(endpoint: path, detail: "no data array on page \(page)")
            }
            rows += data
            onPage?(path, page, data.count)
            if data.count < api.pageSize { return (rows, page) }
            page += 1
        }
    }

    /// Sends a request, retrying on 429, 5xx and failed connections with exponential backoff
    /// (ACLED's `Retry-After` honoured, capped), and returns the JSON body of a 2xx answer.
    func send(path: String, _ make: () -> HTTPClientRequest) async throws -> JSONValue {
        var attempt = 0
        while true {
            attempt += 1
            let backoff = min(api.maximumBackoffSeconds, api.initialBackoffSeconds * pow(2, Double(attempt - 1)))
            let status: Int, body: ByteBuffer, retryAfter: String?
            do {
                let response = try await client.execute(make(), timeout: .seconds(api.timeoutSeconds))
                status = Int(response.status.code)
                retryAfter = response.headers.first(name: "Retry-After")
                body = try await response.body.collect(upTo: 512 << 20)
            } catch {
                guard attempt < api.maxAttempts else {
                    throw ACLEDFetchError.gaveUp(endpoint: path, attempts: attempt, last: "\(error)")
                }
                try await wait(backoff, path: path, status: nil)
                continue
            }
            switch status {
            case 200..<300:
                do { return try JSONValue.parse(Data(body.readableBytesView)) } catch {
                    throw ACLEDFetchError.invalidResponse(endpoint: path, detail: "not JSON (\(error.localizedDescription))")
                }
            case 401, 403:
                throw ACLEDFetchError.unauthorized(endpoint: path, status: status, detail: Self.errorDetail(try? JSONValue.parse(Data(body.readableBytesView))))
            case 429, 500..<600:
                guard attempt < api.maxAttempts else {
                    throw ACLEDFetchError.gaveUp(endpoint: path, attempts: attempt, last: "HTTP \(status)")
                }
                let asked = retryAfter.flatMap(Self.retryAfterSeconds)
                try await wait(min(api.maximumBackoffSeconds, asked ?? backoff), path: path, status: status)
            default:
                throw ACLEDFetchError.http(endpoint: path, status: status, detail: Self.errorDetail(try? JSONValue.parse(Data(body.readableBytesView))))
            }
        }
    }

    func wait(_ seconds: Double, path: String, status: Int?) async throws {
        retries += 1
        onRetry?(path, status, seconds)
        try await Task.sleep(nanoseconds: UInt64(max(0, seconds) * 1e9))
    }

    /// `Retry-After` as seconds: a number of seconds or an HTTP date (RFC 9110 §10.2.3).
    static func retryAfterSeconds(_ value: String) -> Double? {
        let v = value.trimmingCharacters(in: .whitespaces)
        if let s = Double(v), s.isFinite, s >= 0 { return s }
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "GMT")
        f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return f.date(from: v).map { max(0, $0.timeIntervalSinceNow) }
    }

    /// ACLED's error text (`error`/`message`/`messages`), short; never the request.
    static func errorDetail(_ body: JSONValue?) -> String {
        guard let body else { return "" }
        let candidates = [body["error_description"], body["message"], body["error"]?["message"], body["error"], body["messages"]?.arrayValue?.first]
        for c in candidates { if let s = text(c), !s.isEmpty { return String(s.prefix(300)) } }
        return ""
    }

    static func text(_ v: JSONValue?) -> String? {
        switch v {
        case let .string(s)?: return s
        case let .number(d)?: return d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : String(d)
        default: return nil
        }
    }

    static func integer(_ v: JSONValue?) -> Int? { text(v).flatMap { Int($0) } }
}

/// `application/x-www-form-urlencoded`, also used for query strings.
enum FormEncoding {
    private static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    static func encode(_ items: [(String, String)]) -> String {
        items.map { escape($0.0) + "=" + escape($0.1) }.joined(separator: "&")
    }

    static func escape(_ s: String) -> String { s.addingPercentEncoding(withAllowedCharacters: unreserved) ?? s }
}
