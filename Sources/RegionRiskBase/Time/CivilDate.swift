import Foundation

/// A calendar day (proleptic Gregorian, no time zone), stored as days since 1970-01-01.
public struct CivilDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Days since 1970-01-01 (negative before).
    public var dayNumber: Int

    public init(dayNumber: Int) { self.dayNumber = dayNumber }

    /// A valid date, or nil (e.g. 2025-02-30).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), day >= 1, day <= CivilDate.daysInMonth(year: year, month: month) else { return nil }
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        dayNumber = era * 146097 + doe - 719468
    }

    public var components: (year: Int, month: Int, day: Int) {
        let z = dayNumber + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// ISO 8601, `2025-07-01`.
    public var description: String {
        let c = components
        return String(format: "%04d-%02d-%02d", c.year, c.month, c.day)
    }

    public static func < (a: CivilDate, b: CivilDate) -> Bool { a.dayNumber < b.dayNumber }

    public func adding(days: Int) -> CivilDate { CivilDate(dayNumber: dayNumber + days) }

    /// Parses `2025-07-01`, `2025/07/01`, `01 July 2025`, `1 Jul 2025` and `01-July-2025`
    /// (ACLED's formats), and an ISO timestamp's date part (`2025-07-01T12:00:00Z`, `2025-07-01 00:00:00`).
    public init?(parsing text: String) {
        let s = text.trimmingCharacters(in: .whitespaces)
        guard !s.isEmpty, s.utf8.count <= 40 else { return nil }
        let iso = s.prefix(10)
        if iso.count == 10 {
            let parts = iso.split(whereSeparator: { $0 == "-" || $0 == "/" })
            if parts.count == 3, parts[0].count == 4, let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
                s.count == 10 || s.dropFirst(10).first == "T" || s.dropFirst(10).first == " "
            {
                guard let date = CivilDate(year: y, month: m, day: d) else { return nil }
                self = date
                return
            }
        }
        let words = s.split(whereSeparator: { $0 == " " || $0 == "-" })
        if words.count == 3, let d = Int(words[0]), let y = Int(words[2]), words[2].count == 4,
            let m = CivilDate.monthNumber(String(words[1]))
        {
            guard let date = CivilDate(year: y, month: m, day: d) else { return nil }
            self = date
            return
        }
        return nil
    }

    static func monthNumber(_ name: String) -> Int? {
        let names = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
        let lower = name.lowercased()
        guard lower.count >= 3 else { return nil }
        return names.firstIndex(where: { lower.hasPrefix($0) }).map { $0 + 1 }
    }
}
