import XCTest
@testable import RegionRiskBase


final class CivilDateParsingTests: XCTestCase {
    private func parse(_ s: String) -> CivilDate.ParseOutcome { CivilDate.parse(utf8: Array(s.utf8)) }

    func testACLEDAndISOForms() {
        let d = CivilDate(year: 2025, month: 7, day: 1)!
        for s in ["2025-07-01", "2025/07/01", "2025-7-1", "2025-07-01T12:00:00Z", "2025-07-01 00:00:00.000",
                  "01 July 2025", "1 Jul 2025", "01-July-2025", "1 JULY 2025"] {
            XCTAssertEqual(parse(s), .date(d), s)
        }
    }

    func testImpossibleDatesAreToldFromNonDates() {
        for s in ["2025-02-29", "2025-02-30", "2025-13-01", "2024-04-31", "31 April 2024", "00 May 2024"] {
            XCTAssertEqual(parse(s), .impossible, s)
        }
        XCTAssertEqual(parse("2024-02-29"), .date(CivilDate(year: 2024, month: 2, day: 29)!))
        for s in ["yesterday", "2025-07", "07/01/2025", "1 Juk 2025", "2025-07-01x", "1 July 25", "20250701", ""] {
            XCTAssertEqual(parse(s), .unrecognized, s)
        }
    }

    /// Every day from 1900 to 2100, written both ways, parses back to itself, and agrees with
    /// the String-based `CivilDate(parsing:)`.
    /// The description is the text `String(format: "%04d-%02d-%02d")` gives, also for years
    /// below 0 and past 9999 (day numbers far from today, which `CivilDate(dayNumber:)` allows).
    func testDescriptionIsTheZeroPaddedFormat() {
        var days = Array(stride(from: -800_000, through: 3_700_000, by: 997))
        days += [-719_468 - 366, -719_468, -719_468 + 1, -1, 0, 1, 20_270, 2_932_896, 2_932_897, 400_000_000]
        for n in days {
            let d = CivilDate(dayNumber: n), c = d.components
            XCTAssertEqual(d.description, String(format: "%04d-%02d-%02d", c.year, c.month, c.day), "day \(n)")
        }
    }

    func testEveryDayRoundTripsAndAgreesWithStringParser() {
        let months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
        let first = CivilDate(year: 1900, month: 1, day: 1)!.dayNumber, last = CivilDate(year: 2100, month: 12, day: 31)!.dayNumber
        for n in stride(from: first, through: last, by: 1) {
            let d = CivilDate(dayNumber: n)
            let c = d.components
            let long = "\(c.day) \(months[c.month - 1]) \(c.year)"
            XCTAssertEqual(parse(d.description), .date(d))
            XCTAssertEqual(parse(long), .date(d))
            XCTAssertEqual(CivilDate(parsing: long), d)
        }
    }

    /// `today`/`yesterday` read against the clock given, across month, year and leap-day edges;
    /// in files (no clock) they stay unrecognized.
    func testTodayAndYesterdayFollowTheGivenDay() {
        let cases: [(String, (Int, Int, Int), (Int, Int, Int))] = [
            ("today", (2025, 7, 8), (2025, 7, 8)), ("yesterday", (2025, 7, 8), (2025, 7, 7)),
            ("Yesterday", (2025, 1, 1), (2024, 12, 31)), (" YESTERDAY ", (2024, 3, 1), (2024, 2, 29)),
            ("yesterday", (2100, 3, 1), (2100, 2, 28)), ("2025-06-30", (2025, 7, 8), (2025, 6, 30)),
        ]
        for (text, today, expected) in cases {
            let t = CivilDate(year: today.0, month: today.1, day: today.2)!
            XCTAssertEqual(CivilDate(parsing: text, today: t), CivilDate(year: expected.0, month: expected.1, day: expected.2), text)
        }
        XCTAssertNil(CivilDate(parsing: "tomorrow", today: CivilDate(year: 2025, month: 7, day: 8)!))
        XCTAssertNil(CivilDate(parsing: "yesterday"))
        // The real clock: today is the UTC day of now (checked against Foundation's UTC calendar).
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day], from: Date())
        let now = CivilDate(year: c.year!, month: c.month!, day: c.day!)!
        XCTAssertTrue([now, now.adding(days: 1)].contains(CivilDate(parsing: "today", today: .today)!))
    }
}
