import ArgumentParser
import Foundation
import RegionRisk

/// The one reader of date options (`--as-of`, `--since`, `--until`): a date such as 2025-07-08,
/// or `today` / `yesterday` in UTC, so that a nightly cron line can end its window on the night
/// it runs.
enum DateOption {
    /// The environment variable that fixes "today" (YYYY-MM-DD), for tests only: with it the
    /// CLI tests of `--as-of today` do not depend on the real date.
    static let todayOverrideVariable = "REGIONRISK_TODAY"

    /// Today's UTC calendar day, or the day `REGIONRISK_TODAY` names.
    static var today: CivilDate {
        if let fixed = ProcessInfo.processInfo.environment[todayOverrideVariable], let day = CivilDate(parsing: fixed) { return day }
        return CivilDate.today
    }

    /// The day `text` names, or nil.
    static func parse(_ text: String) -> CivilDate? { CivilDate(parsing: text, today: today) }

    /// Throws a usage error naming `option` when `text` is given and is not a date.
    static func validate(_ text: String?, option: String) throws {
        if let text, parse(text) == nil {
            throw ValidationError("\(option) \"\(text)\" is not a date like 2025-07-08, today or yesterday (UTC)")
        }
    }
}
