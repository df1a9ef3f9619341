import Foundation
import ArgumentParser
import RegionRisk
import RegionRiskPostgres

extension BenchCommand {
    /// `--store DB --window FIRST,LAST`: times the store's date-window query, from the query
    /// sent to the last event decoded (`IncidentStoring.query`, the read every command's events
    /// go through), without writing them anywhere. Both backends are timed alike.
    func runStoreWindowBenchmark(store location: String, window: String) throws {
        let days = window.split(separator: ",").map { DateOption.parse(String($0).trimmingCharacters(in: .whitespaces)) }
        guard days.count == 2, let first = days[0], let last = days[1], first <= last else {
            throw ValidationError("--window \(window): expected FIRST,LAST days, e.g. 2024-06-01,2024-06-30")
        }
        let store = try IncidentStores.open(location, create: false, readOnly: true)
        let query = IncidentQuery(since: first, until: last)
        var wall: [Double] = [], cpu: [Double] = []
        var count = 0
        for run in 0..<(warmup + `repeat`) {
            let cpu0 = processCPUSeconds(), start = DispatchTime.now().uptimeNanoseconds
            count = try store.query(query).count
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9, cpuSeconds = processCPUSeconds() - cpu0
            if run >= warmup {
                wall.append(seconds)
                cpu.append(cpuSeconds)
            }
        }
        func median(_ v: [Double]) -> Double {
            let s = v.sorted()
            return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
        }
        if json {
            let doc: JSONValue = .object([
                ("software", RunMetadata.software),
                ("scenario", .string("store window query \(first)…\(last)")),
                ("store", .string(IncidentStores.displayName(location))),
                ("events", .number(Double(count))),
                ("median_ms", .number(median(wall) * 1000)), ("client_cpu_median_ms", .number(median(cpu) * 1000)),
                ("runs_ms", .array(wall.map { .number($0 * 1000) })),
            ])
            print(doc.serialized(pretty: true))
            return
        }
        print("store window \(first)…\(last) on \(IncidentStores.displayName(location)): \(count) events")
        print(String(format: "wall %.1f ms (median of %d after %d warm-up), client CPU %.1f ms", median(wall) * 1000, wall.count, warmup,
                     median(cpu) * 1000) + "; runs, ms: " + wall.map { String(format: "%.1f", $0 * 1000) }.joined(separator: " "))
    }

    /// User + system CPU seconds this process has used so far.
    private func processCPUSeconds() -> Double {
        var usage = rusage()
        guard getrusage(RUSAGE_SELF.rawValue, &usage) == 0 else { return 0 }
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }
}
