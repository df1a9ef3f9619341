import ArgumentParser
import Foundation
import Logging
import RegionRisk

struct GeocodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "geocode",
        abstract: "Resolve place names to coordinates, offline.",
        discussion: """
            Each name is printed with the place it resolved to (name, lon/lat, admin-1 region, \
            feature type, population), a confidence from 0 to 1, the alternatives considered and \
            whether it is ambiguous. Names that match nothing are listed with the closest \
            suggestions; invalid names get an error. Nothing is dropped.

            A region hint can follow a comma ("Dioura, Mopti") or come from --admin1; a cercle from \
            --admin2. Batch files have one name per line, optionally followed by tab-separated \
            admin-1, admin-2 (cercle) and free text whose proximity phrases ("~30 km from Gao", \
            "between Kidal and Anefis") locate the place; blank lines are skipped.

            Confidence: name evidence (1 exact, 0.96 alternate name, 0.92 normalised, 0.86 same \
            phonetic spelling, at most 0.80 fuzzy) times the best match's share against distinct \
            namesakes; at most 0.5 when the match lies outside the hinted region or cercle, 0.3 \
            for a fuzzy match there or to a well or wadi. ≥ 0.9: take it; 0.6–0.9: check the \
            alternatives; below: add a region or cercle hint.

            Exit status: 0 when every name resolved, 1 when some did not (the output lists them), \
            64 for usage errors.
            """)

    @Argument(help: "Place names.")
    var names: [String] = []

    @Option(name: .customLong("file"), help: ArgumentHelp("Read names from a file, one per line ('-' for standard input).", valueName: "file"))
    var batchFile: String?

    @Option(name: .customLong("text"), help: ArgumentHelp("Find the places named in a text file ('-' for standard input).", valueName: "file"))
    var textFile: String?

    @Option(name: .customLong("admin1"), help: ArgumentHelp("Region hint for every name (e.g. Mopti).", valueName: "region"))
    var admin1: String?

    @Option(name: .customLong("admin2"), help: ArgumentHelp("Cercle hint for every name (e.g. Bankass).", valueName: "cercle"))
    var admin2: String?

    @Option(name: .customLong("near"), help: ArgumentHelp("Favour places near this point.", valueName: "lat,lon"))
    var near: String?

    @Option(name: .customLong("limit"), help: "Candidates to show per name (best + alternatives).")
    var limit = 3

    @Flag(name: .customLong("json"), help: "Write JSON.")
    var json = false

    @Flag(name: .customLong("geojson"), help: "Write a GeoJSON FeatureCollection (unresolved names have a null geometry).")
    var geojson = false

    @Option(name: [.customShort("o"), .customLong("output")], help: ArgumentHelp("Write to a file instead of standard output.", valueName: "file"))
    var output: String?

    @OptionGroup var gazetteerOptions: GazetteerOptions

    func validate() throws {
        if json && geojson { throw ValidationError("choose one of --json and --geojson") }
        if limit < 1 { throw ValidationError("--limit must be at least 1") }
        let sources = (names.isEmpty ? 0 : 1) + (batchFile == nil ? 0 : 1) + (textFile == nil ? 0 : 1)
        if sources == 0 { throw ValidationError("give place names, --file FILE or --text FILE") }
        if sources > 1 { throw ValidationError("give names, --file or --text, not several") }
        if batchFile == "-" && textFile == "-" { throw ValidationError("standard input can be read once") }
        _ = try nearPoint()
    }

    func nearPoint() throws -> LonLat? {
        guard let near else { return nil }
        let parts = near.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 2, let lat = parts[0], let lon = parts[1], abs(lat) <= 90, abs(lon) <= 180 else {
            throw ValidationError("--near wants latitude,longitude in degrees, e.g. 14.48,-4.18; got '\(near)'")
        }
        return LonLat(lon: lon, lat: lat)
    }

    @OptionGroup var logging: LoggingOptions

    func run() throws {
        logging.bootstrap()
        let gazetteer = try gazetteerOptions.load()
        if let textFile {
            let data = try Self.read(textFile)
            let text = String(decoding: data, as: UTF8.self)
            let mentions = gazetteer.mentions(inText: text)
            try write(render(mentions: mentions))
            let resolved = mentions.filter { $0.result.isResolved }.count
            Console.standard.info("\(mentions.count) place mention\(mentions.count == 1 ? "" : "s") found in \(textFile), \(resolved) resolved",
                                  event: "geocode_finished",
                                  ["path": .string(textFile), "mentions": .number(mentions.count), "resolved": .number(resolved)])
            Console.run.count("mentions", mentions.count)
            Console.run.count("resolved", resolved)
            return
        }
        var queries: [BatchLine] = names.map { BatchLine(query: $0) }
        if let batchFile { queries = Self.batchLines(try Self.read(batchFile)) }
        let near = try nearPoint()
        var results: [GeocodeResult] = []
        for q in queries {
            if let error = q.error {
                results.append(.invalid(query: q.query, error: error))
            } else {
                let hints = PlaceNameHints(admin1: q.admin1 ?? admin1, admin2: q.admin2 ?? admin2, text: q.text)
                results.append(try gazetteer.geocode(q.query, hints: hints, near: near, limit: limit))
            }
        }
        try write(render(results: results))
        let failed = Self.logSummary(results, output: output)
        if failed > 0 {
            GazetteerOptions.warn("\(failed) of \(results.count) names not resolved")
            throw CommandFailure.result(ExitStatus.failure)
        }
    }

    /// Logs one `geocode_finished` line (names, resolved, ambiguous, below 0.5 confidence, not
    /// resolved) and puts the counts into `run_finished`; returns how many were not resolved.
    static func logSummary(_ results: [GeocodeResult], output: String?) -> Int {
        let resolved = results.filter(\.isResolved)
        let counts: [(String, Int)] = [
            ("names", results.count), ("resolved", resolved.count), ("ambiguous", resolved.filter(\.isAmbiguous).count),
            ("low_confidence", resolved.filter { $0.confidence < 0.5 }.count), ("not_resolved", results.count - resolved.count),
        ]
        var fields: Logger.Metadata = output.map { ["path": .string($0)] } ?? [:]
        for (name, n) in counts {
            fields[name] = .number(n)
            Console.run.count(name, n)
        }
        Console.standard.info(counts.dropFirst().map { "\($0.1) \($0.0.replacingOccurrences(of: "_", with: " "))" }.joined(separator: ", ")
                              + " of \(results.count) name\(results.count == 1 ? "" : "s")", event: "geocode_finished", fields)
        return results.count - resolved.count
    }

    // MARK: Input

    static func read(_ path: String) throws -> Data {
        if path == "-" { return FileHandle.standardInput.readDataToEndOfFile() }
        do { return try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            // An unreadable file is a failure (exit 1), not a usage error.
            throw CommandFailure.failed("cannot read \(path): \(error.localizedDescription)", status: ExitStatus.failure)
        }
    }

    /// One name to look up, with the hints its line gives.
    struct BatchLine {
        var query: String
        var admin1: String?
        var admin2: String?
        var text: String?
        var error: GeocodeInputError?
    }

    /// Lines of a batch file: name, then optionally TAB admin-1, TAB admin-2, TAB text. Each line
    /// is decoded on its own so that one undecodable line becomes one error, not a failed run.
    static func batchLines(_ data: Data) -> [BatchLine] {
        var out: [BatchLine] = []
        let bytes = [UInt8](data)
        var lineNumber = 0
        for var line in bytes.split(separator: 0x0A, omittingEmptySubsequences: false) {
            lineNumber += 1
            if line.last == 0x0D { line = line.dropLast() }
            guard let text = String(validating: line, as: UTF8.self) else {
                out.append(BatchLine(query: "line \(lineNumber): \(String(decoding: line, as: UTF8.self))", error: .invalidUTF8))
                continue
            }
            if text.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            let fields = text.split(separator: "\t", maxSplits: 3, omittingEmptySubsequences: false).map(String.init)
            func field(_ i: Int) -> String? {
                guard i < fields.count else { return nil }
                let f = fields[i].trimmingCharacters(in: .whitespaces)
                return f.isEmpty ? nil : f
            }
            out.append(BatchLine(query: fields[0], admin1: field(1), admin2: field(2), text: field(3)))
        }
        return out
    }

    // MARK: Output

    func write(_ text: String) throws {
        if let output {
            try AtomicFile.write(text, to: URL(fileURLWithPath: output))
        } else {
            FileHandle.standardOutput.write(Data(text.utf8))
        }
    }

    func render(results: [GeocodeResult]) -> String {
        if json { return JSONValue.array(results.map { $0.json() }).serialized() + "\n" }
        if geojson { return GeoJSONFeatureCollection(features: results.map { $0.geoJSONFeature() }).serialized() }
        var rows: [[String]] = [["QUERY", "MATCH", "LON", "LAT", "ADMIN-1", "TYPE", "POPULATION", "CONF", "NOTE"]]
        var extra: [Int: [String]] = [:]
        for r in results {
            rows.append(Self.row(label: Self.display(r.query), r))
            extra[rows.count - 1] = Self.details(r)
        }
        return Self.table(rows, extra: extra)
    }

    func render(mentions: [PlaceMention]) -> String {
        if json { return JSONValue.array(mentions.map { $0.json() }).serialized() + "\n" }
        if geojson { return GeoJSONFeatureCollection(features: mentions.map { $0.geoJSONFeature() }).serialized() }
        var rows: [[String]] = [["LINE:COL", "TEXT", "MATCH", "LON", "LAT", "ADMIN-1", "TYPE", "POPULATION", "CONF", "NOTE"]]
        var extra: [Int: [String]] = [:]
        for m in mentions {
            var row = Self.row(label: m.text, m.result)
            row.insert("\(m.line):\(m.column)", at: 0)
            if m.refersToRegion { row[row.count - 1] = (row[row.count - 1] + " region").trimmingCharacters(in: .whitespaces) }
            rows.append(row)
            extra[rows.count - 1] = Self.details(m.result)
        }
        if mentions.isEmpty { return "no places found\n" }
        return Self.table(rows, extra: extra)
    }

    static func row(label: String, _ r: GeocodeResult) -> [String] {
        guard let best = r.best else {
            let note = r.error.map { "error: \($0.localizedDescription)" } ?? "no match"
            return [label, "—", "", "", "", "", "", String(format: "%.2f", r.confidence), note]
        }
        let p = best.place
        var match = p.name
        if best.matchKind != .exact || best.matchedName != p.name { match += " (\(best.matchKind): \(best.matchedName))" }
        var note: [String] = []
        if r.isAmbiguous { note.append("AMBIGUOUS") }
        if let hint = r.hintApplied { note.append(hint) }
        return [label, match, String(format: "%.6f", p.location.lon), String(format: "%.6f", p.location.lat),
                p.admin1Name ?? p.admin1Code, p.featureCode.isEmpty ? p.featureClass : p.featureCode,
                String(p.population), String(format: "%.2f", r.confidence), note.joined(separator: "; ")]
    }

    static func details(_ r: GeocodeResult) -> [String] {
        var lines = r.notes.map { "note: \($0)" }
        for a in r.alternatives {
            let p = a.place
            let km = a.distanceKmFromBest.map { String(format: ", %.0f km away", $0) } ?? ""
            lines.append(String(format: "also: %@ (%@) %.5f, %.5f, %@, score %.3f%@", p.name, p.admin1Name ?? p.admin1Code,
                                p.location.lon, p.location.lat, p.featureCode.isEmpty ? p.featureClass : p.featureCode, a.score, km))
        }
        if r.best == nil, r.error == nil {
            lines.append(r.suggestions.isEmpty ? "no similar names"
                         : "closest: " + r.suggestions.map { "\($0.place.name) (\($0.place.admin1Name ?? $0.place.admin1Code))" }.joined(separator: ", "))
        }
        return lines
    }

    /// Queries as printed: control characters escaped and very long ones shortened.
    static func display(_ query: String) -> String {
        if query.isEmpty { return "(empty)" }
        var s = ""
        for u in query.unicodeScalars {
            if u.properties.generalCategory == .control { s += "\\u{\(String(u.value, radix: 16))}" } else { s.unicodeScalars.append(u) }
        }
        return s.count > 40 ? String(s.prefix(37)) + "… (\(query.unicodeScalars.count) characters)" : s
    }

    static func table(_ rows: [[String]], extra: [Int: [String]]) -> String {
        var widths = [Int](repeating: 0, count: rows[0].count)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        var out = ""
        for (n, row) in rows.enumerated() {
            var line = ""
            for (i, cell) in row.enumerated() {
                line += i == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[i] - cell.count + 2)
            }
            while line.last == " " { line.removeLast() }
            out += line + "\n"
            for e in extra[n] ?? [] { out += "    " + e + "\n" }
        }
        return out
    }
}
