import Foundation
import RegionRiskBase

extension ReportFolder {
    /// What `recover()` repaired, one sentence each (for the run's log).
    package struct Recovery: Sendable, Equatable {
        package var repairs: [String] = []
    }

    /// Puts the reports root back in order after a crashed run (call only while holding the lock):
    /// a report renamed aside whose replacement never arrived is renamed back; one whose
    /// replacement is in place is removed, as are staging folders and temporary links; a
    /// `latest` that is missing or dangling is pointed at the newest complete dated folder.
    /// Never removes the only copy of a report.
    @discardableResult
    package func recover() -> Recovery {
        let fm = FileManager.default
        var recovery = Recovery()
        let items = ((try? fm.contentsOfDirectory(atPath: root.path)) ?? []).sorted()
        for item in items where item.hasPrefix(".replaced-") {
            let url = root.appendingPathComponent(item)
            // ".replaced-<name>-<pid>": the name may itself contain dashes (dates do).
            let body = item.dropFirst(".replaced-".count)
            guard let dash = body.lastIndex(of: "-") else { continue }
            let name = String(body[..<dash])
            let target = root.appendingPathComponent(name)
            if fm.fileExists(atPath: target.path) {
                try? fm.removeItem(at: url)
            } else if rename(url.path, target.path) == 0 {
                recovery.repairs.append("restored the report \(name), left aside by an interrupted run")
            }
        }
        for item in items where item.hasPrefix(".staging-") || item.hasPrefix(".latest-") {
            try? fm.removeItem(at: root.appendingPathComponent(item))
        }
        let link = root.appendingPathComponent("latest")
        let destination = try? fm.destinationOfSymbolicLink(atPath: link.path)
        let whole = destination.map { fm.fileExists(atPath: root.appendingPathComponent($0).path) } ?? false
        if !whole, let newest = datedFolders().last {
            // Only a symlink (or nothing) is replaced: a user's own file or folder named latest stays.
            if destination != nil || !fm.fileExists(atPath: link.path), (try? pointLatest(at: newest)) != nil {
                recovery.repairs.append(destination == nil ? "pointed the missing latest at \(newest)"
                                        : "latest pointed at the missing \(destination!); pointed it at \(newest)")
            }
        }
        return recovery
    }

    /// Dated report folders (YYYY-MM-DD), oldest first.
    func datedFolders() -> [String] {
        let items = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        return items.filter { name in
            var isDirectory: ObjCBool = false
            return CivilDate(parsing: name) != nil && name.count == 10
                && FileManager.default.fileExists(atPath: root.appendingPathComponent(name).path, isDirectory: &isDirectory)
                && isDirectory.boolValue
        }.sorted()
    }
}
