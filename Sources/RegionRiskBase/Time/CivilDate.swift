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

    /// ISO 8601, `2025-07-01`: the text `String(format: "%04d-%02d-%02d", year, month, day)`
    /// gives (a year below 0 as `-005`, past 9999 in full), written directly: Foundation's
    /// formatter was 5% of `report` on 1M events, which writes two dates per incident exported.
    public var description: String {
        let c = components
        let negative = c.year < 0, year = c.year.magnitude
        var yearDigits = 1, rest = year
        while rest >= 10 { rest /= 10; yearDigits += 1 }
        let yearWidth = max(yearDigits, negative ? 3 : 4)
        let count = (negative ? 1 : 0) + yearWidth + 6
        return String(unsafeUninitializedCapacity: count) { text in
            var at = 0
            if negative { text[0] = 0x2D; at = 1 }
            var v = year
            for k in stride(from: at + yearWidth - 1, through: at, by: -1) { text[k] = UInt8(v % 10) + 0x30; v /= 10 }
            at += yearWidth
            // Month 1...12 and day 1...31: two digits each.
            text[at] = 0x2D
            text[at + 1] = UInt8(c.month / 10) + 0x30; text[at + 2] = UInt8(c.month % 10) + 0x30
            text[at + 3] = 0x2D
            text[at + 4] = UInt8(c.day / 10) + 0x30; text[at + 5] = UInt8(c.day % 10) + 0x30
            return count
        }
    }

    public static func < (a: CivilDate, b: CivilDate) -> Bool { a.dayNumber < b.dayNumber }

    public func adding(days: Int) -> CivilDate { CivilDate(dayNumber: dayNumber + days) }

    /// Parses `2025-07-01`, `2025/07/01`, `01 July 2025`, `1 Jul 2025` and `01-July-2025`
    /// (ACLED's formats), and an ISO timestamp's date part (`2025-07-01T12:00:00Z`, `2025-07-01 00:00:00`).
    ///
    /// The same reader as `parse(utf8:)`, which ingest runs on every cell, so that a date
    /// accepted in a file is accepted on the command line too (the fuzzer found `2023-02-9`
    /// read by one and refused by the other).
    public init?(parsing text: String) {
        let s = text.trimmingCharacters(in: .whitespaces)
        guard !s.isEmpty, s.utf8.count <= 40 else { return nil }
        guard case let .date(date) = CivilDate.parse(utf8: Array(s.utf8)) else { return nil }
        self = date
    }

    static func monthNumber(_ name: String) -> Int? {
        let names = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
        let lower = name.lowercased()
        guard lower.count >= 3 else { return nil }
        return names.firstIndex(where: { lower.hasPrefix($0) }).map { $0 + 1 }
    }
}
