import Foundation

/// Why a fetch from ACLED's API failed. No case carries the password.
public enum ACLEDFetchError: LocalizedError, Sendable, Equatable {
    /// Credentials missing, unreadable, or in a file others can read.
    case credentials(String)
    /// ACLED answered 401 or 403: the e-mail/password pair (or the token) was refused.
    case unauthorized(endpoint: String, status: Int, detail: String)
    /// A status that is neither success nor worth retrying (400, 404, …).
    case http(endpoint: String, status: Int, detail: String)
    /// Still 429/5xx (or no connection) after every attempt.
    case gaveUp(endpoint: String, attempts: Int, last: String)
    /// A body that is not the JSON ACLED documents.
    case invalidResponse(endpoint: String, detail: String)

    public var errorDescription: String? {
        switch self {
        case let .credentials(message): return message
        case let .unauthorized(endpoint, status, detail):
            return "ACLED refused the credentials (HTTP \(status) from \(endpoint))\(detail.isEmpty ? "" : ": \(detail)"); check ACLED_EMAIL/ACLED_PASSWORD or the --credentials file, and that the account has API access"
        case let .http(endpoint, status, detail):
            return "ACLED's API answered HTTP \(status) from \(endpoint)\(detail.isEmpty ? "" : ": \(detail)")"
        case let .gaveUp(endpoint, attempts, last):
            return "ACLED's API did not answer \(endpoint) after \(attempts) attempts (last: \(last)); nothing was stored, try again later"
        case let .invalidResponse(endpoint, detail):
            return "ACLED's API sent an unexpected answer from \(endpoint): \(detail)"
        }
    }
}
