import Foundation

extension CivilDate {
    /// What a date field holds.
    public enum ParseOutcome: Sendable, Equatable {
        case date(CivilDate)
        /// Shaped like a date but not one on the calendar (`2025-02-30`, `2025-13-01`).
        case impossible
        /// Not a date in a format RegionRisk reads.
        case unrecognized
    }

    /// Reads the formats `init?(parsing:)` reads (`2025-07-01`, `2025/07/01`, an ISO timestamp's
    /// date part, `01 July 2025`, `1 Jul 2025`, `01-July-2025`), plus one-digit months and days
    /// in the numeric form, straight from bytes: ingest parses a million of these, and going
    /// through String costs more than the rest of the row. Unlike `init?(parsing:)` it tells an
    /// impossible date from text that is not a date, so rejection messages can say which.
    /// Inlinable so that each caller compiles it for its own collection type: called across
    /// modules unspecialised, every byte went through the generic witnesses (about 13,000
    /// instructions for "13 December 2024", 9% of `flag` on a 100k-row ACLED export).
    @inlinable
    public static func parse<C: Collection>(utf8 s: C) -> ParseOutcome where C.Element == UInt8, C.Index == Int {
        var i = s.startIndex
        let end = s.endIndex
        func digits(max: Int) -> (value: Int, count: Int) {
            var v = 0, n = 0
            while i < end, n < max, (0x30...0x39).contains(s[i]) {
                v = v * 10 + Int(s[i] - 0x30)
                i += 1
                n += 1
            }
            return (v, n)
        }
        let first = digits(max: 4)
        if first.count == 4 {
            // Numeric: YYYY-MM-DD or YYYY/MM/DD, optionally followed by a time.
            guard i < end, s[i] == 0x2D || s[i] == 0x2F else { return .unrecognized }
            let sep = s[i]
            i += 1
            let m = digits(max: 2)
            guard m.count > 0, i < end, s[i] == sep else { return .unrecognized }
            i += 1
            let d = digits(max: 2)
            guard d.count > 0 else { return .unrecognized }
            if i < end {
                guard s[i] == 0x54 || s[i] == 0x20 else { return .unrecognized }  // 'T' or ' '
                guard i + 1 < end, (0x30...0x39).contains(s[i + 1]) else { return .unrecognized }
            }
            guard let date = CivilDate(year: first.value, month: m.value, day: d.value) else { return .impossible }
            return .date(date)
        }
        // Day, month name, four-digit year, separated by spaces or hyphens.
        guard first.count >= 1, first.count <= 2, i < end else { return .unrecognized }
        func separator() -> Bool {
            guard i < end, s[i] == 0x20 || s[i] == 0x2D else { return false }
            while i < end, s[i] == 0x20 || s[i] == 0x2D { i += 1 }
            return true
        }
        guard separator() else { return .unrecognized }
        // The month: three letters or more; its first three name it (as `monthNumber` does).
        var key: UInt32 = 0
        var letters = 0
        while i < end, letters < 12, (0x61...0x7A).contains(s[i] | 0x20) {
            if letters < 3 { key = key << 8 | UInt32(s[i] | 0x20) }
            letters += 1
            i += 1
        }
        guard letters >= 3, separator() else { return .unrecognized }
        let y = digits(max: 4)
        guard y.count == 4, i == end else { return .unrecognized }
        guard let month = monthKeys.firstIndex(of: key).map({ $0 + 1 }) else { return .unrecognized }
        guard let date = CivilDate(year: y.value, month: month, day: first.value) else { return .impossible }
        return .date(date)
    }

    @usableFromInline static let monthKeys: [UInt32] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
        .map { $0.utf8.reduce(0) { $0 << 8 | UInt32($1) } }

    /// Today in UTC.
    public static var today: CivilDate {
        CivilDate(dayNumber: Int((Date().timeIntervalSince1970 / 86_400).rounded(.down)))
    }
}

extension CivilDate {
    /// Reads a date option: `today` or `yesterday` (case-insensitive; the UTC calendar day
    /// `today` gives, and the day before it), or any date `init?(parsing:)` reads.
    ///
    /// `today` is a parameter so that callers choose the clock (the CLI lets tests fix it):
    /// `CivilDate(parsing: "yesterday", today: CivilDate(year: 2025, month: 7, day: 1)!)` is 2025-06-30.
    public init?(parsing text: String, today: @autoclosure () -> CivilDate) {
        switch text.trimmingCharacters(in: .whitespaces).lowercased() {
        case "today": self = today()
        case "yesterday": self = today().adding(days: -1)
        default: self.init(parsing: text)
        }
    }
}
