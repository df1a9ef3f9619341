import Foundation
import Logging
import RegionRisk

/// The lines `flag` and `report` log about a detection: one `detection_finished` line (as-of
/// date, window counts), one `region_flagged` line per region of interest with its `region_id`
/// (the `id` of regions.geojson, so two regions named after the same place are told apart) and
/// `category`, and the region counts per category, which also go into `run_finished`.
enum DetectionLog {
    static func report(_ d: ChangeDetectionResult, regionsOfInterest: (FlaggedRegion) -> Bool, log: Console = .standard) {
        for note in d.notes { log.warning(note, event: "detection_note") }
        let p = d.parameters
        log.info("as of \(d.asOf): \(d.eventsInRecentWindow) events in the last \(p.recentDays) days, \(d.eventsInBaselineWindow) in the \(p.baselineDays) before; \(d.episodesTested) episodes tested",
                 event: "detection_finished",
                 ["as_of": .string(d.asOf.description), "events_recent": .stringConvertible(d.eventsInRecentWindow),
                  "events_baseline": .stringConvertible(d.eventsInBaselineWindow), "episodes_tested": .stringConvertible(d.episodesTested)])
        for r in d.regions where regionsOfInterest(r) {
            log.info("\(r.category.rawValue)\(r.significant ? " (significant)" : ""): \(r.summary)", event: "region_flagged",
                     ["region_id": .stringConvertible(r.id), "category": .string(r.category.rawValue),
                      "significant": .stringConvertible(r.significant), "q_value": .stringConvertible(r.qValue),
                      "events_recent": .stringConvertible(r.recentEvents), "events_baseline": .stringConvertible(r.baselineEvents),
                      "places": .array(r.places.map { .string($0) }), "admin1": .array(r.admin1.map { .string($0) })])
        }
        let counts = Dictionary(grouping: d.regions, by: \.category).mapValues(\.count)
        let categories = ChangeCategory.allCases.filter { $0 != .quiet }
        var fields: Logger.Metadata = [:]
        for c in categories {
            let key = "regions_" + c.rawValue.replacingOccurrences(of: "-", with: "_")
            fields[key] = .stringConvertible(counts[c] ?? 0)
            Console.run.count(key, counts[c] ?? 0)
        }
        Console.run.count("events_recent", d.eventsInRecentWindow)
        log.info("regions: " + categories.map { "\(counts[$0] ?? 0) \($0.rawValue)" }.joined(separator: ", "), event: "regions_counted", fields)
    }
}
