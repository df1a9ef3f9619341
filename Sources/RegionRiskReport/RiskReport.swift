import Foundation
import RegionRiskAnalysis
import RegionRiskBase
import RegionRiskData
import RegionRiskGeoJSON
import RegionRiskGrid

/// The whole pipeline, as cron runs it: detection, density, per-region table, maps and the
/// report, written into a dated folder of the reports root.
public struct RiskReportRequest: Sendable {
    public var incidents: [Incident]
    /// Input descriptions for the manifest (file, SHA-256, rows).
    public var inputs: [JSONValue]
    /// The area and the CRS of every grid of the report.
    public var analysis: AnalysisRun
    public var area: AreaOfInterest { analysis.area }
    /// Admin-1 regions for naming and the per-region table (nil for areas without them).
    public var adminRegions: AdminRegions?
    public var namer: RegionNamer?
    public var detection: ChangeDetectionParameters
    /// Density map settings (the as-of date and windows come from `detection`).
    public var densityCellKm: Double = 5
    public var densityBandwidthKm: Double = 50
    public var densityKernel: KernelShape = .quartic
    /// Density class breaks (default: fixed, the same every night, so that maps compare).
    public var densityBreaks: DensityClassBreaks = .default
    /// The unit every density output and legend states (default: events per 1,000 km²).
    public var densityUnit: DensityUnit = .per1000Km2
    public var title: String?
    /// Also forecast the next `forecastHorizonDays` days (risk layer, at-risk watch list, risk.csv); nil: no forecast.
    public var forecastHorizonDays: Int?
    public var forecastCellKm: Double = 10
    /// Notes about the input for the report's notes (e.g. how many events fell outside the area).
    public var inputNotes: [String] = []

    public init(incidents: [Incident], inputs: [JSONValue], analysis: AnalysisRun, adminRegions: AdminRegions?,
                namer: RegionNamer?, detection: ChangeDetectionParameters) {
        self.incidents = incidents
        self.inputs = inputs
        self.analysis = analysis
        self.adminRegions = adminRegions
        self.namer = namer
        self.detection = detection
    }
}

/// What a report run produced.
public struct RiskReportOutcome: Sendable {
    public var folder: URL
    public var asOf: CivilDate
    public var detection: ChangeDetectionResult
    /// Labels of new/escalating regions that were not flagged in the previous run.
    public var newSincePreviousRun: [String]
    public var continuing: [String]
    public var ended: [String]
    public var previousAsOf: String?
    /// Seconds per stage, in order.
    public var stageSeconds: [(String, Double)]
}

public enum RiskReport {
    /// How many stages `run` reports through `progress` for `request` (detection, density,
    /// admin-1 table, the forecast when asked for, history, render, publish).
    public static func stageCount(for request: RiskReportRequest) -> Int { request.forecastHorizonDays == nil ? 6 : 7 }

    /// Runs the pipeline and publishes `root/<as-of>/`. The caller holds the folder's lock.
    /// - Parameter history: where runs are remembered; default `history.json` in the folder.
    public static func run(_ request: RiskReportRequest, folder: ReportFolder, history historyStore: RunHistoryStore? = nil,
                           progress: (String) -> Void = { _ in }) throws
        -> RiskReportOutcome
    {
        var stages: [(String, Double)] = []
        var clock = Date()
        func stage(_ name: String) {
            stages.append((name, Date().timeIntervalSince(clock)))
            clock = Date()
            progress(name)
        }

        // Every setting checked up front: a bad density setting must not cost a detection first.
        try request.detection.checkLimits()
        try DensityParameters(cellSizeKm: request.densityCellKm, bandwidthKm: request.densityBandwidthKm,
                              kernel: request.densityKernel, weighting: EventWeighting()).checkLimits()

        // 1. Detection, on the windows' events projected once for every stage below.
        let rp = request.detection
        guard let events = try request.analysis.windowedIncidents(request.incidents, asOf: rp.asOf, recentDays: rp.recentDays,
                                                                  baselineDays: rp.baselineDays) else {
            throw DetectionError("no dated events: the detection needs event dates to form its windows")
        }
        let windows = events.windows
        let windowEvents = events.inWindows.incidents
        // The GeoPackage is built on another thread, started now: its events layer needs only the
        // windows' events, so it is written, with its R-tree, while the detection runs on this
        // thread (at 1M events, 123k points and about 2.5 s of one core); the other layers are
        // handed over once they are known, below. Only the bytes are built there; they are
        // written on this thread.
        let laterLayers = Handoff<ReportLayers.LaterLayers>()
        let gpkg = BackgroundWork { [withAdmin1 = request.adminRegions != nil] in
            try ReportLayers.geoPackage(events: ReportLayers.eventFeatures(windowEvents, windows: windows), withAdmin1: withAdmin1,
                                        later: laterLayers.take)
        }
        defer {  // never left running past the report, even when it fails
            laterLayers.cancel()
            gpkg.wait()
        }
        let detection = try ChangeDetector.run(request.analysis, events: events, parameters: rp, namer: request.namer)
        let asOf = detection.asOf
        let p = detection.parameters
        stage("detection")

        // 2. Density of the events in both windows (up to the as-of date).
        let grid = try request.analysis.grid(cellSizeKm: request.densityCellKm)
        let densityParameters = DensityParameters(cellSizeKm: request.densityCellKm, bandwidthKm: request.densityBandwidthKm,
                                                  kernel: request.densityKernel,
                                                  weighting: EventWeighting(excludeRegionOnlyLocations: p.excludeRegionOnlyLocations))
        let density = try DensityAnalysis.run(events.inWindows, grid: grid, parameters: densityParameters)
        let classes = try DensityExport.classPolygons(density.grid, breaks: request.densityBreaks)
        stage("density")

        // 3. Per admin-1 table.
        let admin1 = try request.adminRegions.map {
            try Admin1Summary.compute(incidents: request.incidents, regions: $0, windows: windows)
        } ?? []
        stage("admin-1 table")

        // 3b. Forecast (optional): fitted on events up to the as-of date only.
        var forecast: RiskForecast?
        var outlook: RiskOutlook?
        if let horizon = request.forecastHorizonDays {
            let fp = RiskForecastParameters(asOf: asOf, horizonDays: horizon, cellSizeKm: request.forecastCellKm, matching: p)
            let f = try RiskForecaster.run(request.analysis, incidents: request.incidents, parameters: fp)
            forecast = f
            outlook = try RiskOutlook.make(f, namer: request.namer)
            stage("forecast")
        }

        // 4. Since the previous run.
        let historyStore = historyStore ?? RunHistoryFile(url: folder.root.appendingPathComponent("history.json"))
        let history = try historyStore.loadHistory()
        let alerting = detection.regions.filter { $0.category == .new || $0.category == .escalating }
        let current = alerting.map { (label: label(of: $0), category: $0.category.rawValue, geometry: $0.geometry) }
        let comparison = history.compare(current)
        stage("history")

        // 5. Files, into a staging folder published whole.
        let staging = try folder.makeStaging()
        do {
            let meta: [(String, JSONValue)] = [("software", RunMetadata.software), ("as_of", .string(asOf.description)),
                                               ("inputs", .array(request.inputs))]
            let regionsFC = FlaggedRegionExport.featureCollection(detection, inputs: request.inputs,
                                                                  extraMetadata: [("software", RunMetadata.software)])
            let unit = request.densityUnit
            let densityFeatures = DensityExport.classFeatures(classes, classCount: request.densityBreaks.classCount,
                                                              peak: density.grid.peak, unit: unit)
            let admin1FC = request.adminRegions.map { Admin1Summary.geoJSON(admin1, regions: $0, windows: windows, metadata: meta) }
            let admin1Features = admin1FC?.features
            // The map layers for GIS: one GeoPackage, and a QGIS style beside each layer file.
            let bounds = request.densityBreaks.lowerBounds(peak: density.grid.peak)
            let classLabels = bounds.indices.map { k in
                DensityExport.label(lower: bounds[k], upper: k + 1 < bounds.count ? bounds[k + 1] : nil, unit: unit)
            }
            var styles: [(layer: String, qml: String)] = [("regions", QGISStyle.regions()), ("density", QGISStyle.density(labels: classLabels))]
            if admin1Features != nil { styles.append(("admin1", QGISStyle.admin1())) }
            styles.append(("events", QGISStyle.events()))
            // The rest of the GeoPackage is built while this thread writes the other files and
            // renders the HTML and the Markdown.
            laterLayers.put(ReportLayers.LaterLayers(regions: regionsFC.features, density: densityFeatures, admin1: admin1Features,
                                                     styles: styles, updateTime: asOf.endOfDayUTC))
            try AtomicFile.write(regionsFC.serialized(), to: staging.appendingPathComponent("regions.geojson"))
            let densityMeta = RunMetadata.density(density, area: grid, inputs: request.inputs, unit: unit)
                + [("period", .object([("start", .string(windows.baselineStart.startOfDayUTC)), ("end", .string(windows.recentEnd.endOfDayUTC))]))]
            try AtomicFile.write(GeoJSONFeatureCollection(features: densityFeatures, foreignMembers: densityMeta).serialized(),
                                 to: staging.appendingPathComponent("density.geojson"))
            let ascii = try DensityExport.esriASCII(density.grid, unit: unit)
            try AtomicFile.write(ascii.grid, to: staging.appendingPathComponent("density.asc"))
            try AtomicFile.write(ascii.prj, to: staging.appendingPathComponent("density.prj"))
            if let admin1FC {
                try AtomicFile.write(Admin1Summary.csv(admin1), to: staging.appendingPathComponent("admin1.csv"))
                try AtomicFile.write(admin1FC.serialized(), to: staging.appendingPathComponent("admin1.geojson"))
            }
            for style in styles { try AtomicFile.write(style.qml, to: staging.appendingPathComponent("\(style.layer).qml")) }
            if let forecast {
                try AtomicFile.write(try RiskForecastExport.csv(forecast), to: staging.appendingPathComponent("risk.csv"))
                try AtomicFile.write(RiskForecastExport.sidecar(metadata: [("software", RunMetadata.software)] + forecast.metadata),
                                     to: staging.appendingPathComponent("risk.csv.json"))
            }
            var document = makeDocument(request: request, detection: detection, windows: windows, windowEvents: windowEvents,
                                        densityClasses: classes,
                                        admin1: admin1, comparison: comparison, current: current,
                                        excludedFromDensity: density.excluded.count, breaks: request.densityBreaks,
                                        peak: density.grid.peak, unit: request.densityUnit)
            document.riskOutlook = outlook
            if let forecast { document.notes += forecast.notes.map { "forecast: " + $0 } }
            document.notes = request.inputNotes + document.notes
            try AtomicFile.write(HTMLReport.render(document), to: staging.appendingPathComponent("report.html"))
            try AtomicFile.write(MarkdownReport.render(document), to: staging.appendingPathComponent("report.md"))
            try AtomicFile.write(try gpkg.value(), to: staging.appendingPathComponent("report.gpkg"))
            stage("render")
            // The files as written (admin-1 tables only with regions, risk.csv only with a forecast).
            let written = try FileManager.default.contentsOfDirectory(atPath: staging.path).filter { !$0.hasPrefix(".") }
            let manifest = makeManifest(request: request, detection: detection, density: density, grid: grid, stages: stages,
                                        newCount: comparison.new.count, files: (written + ["manifest.json"]).sorted())
            try AtomicFile.write(manifest.serialized(pretty: true) + "\n", to: staging.appendingPathComponent("manifest.json"))
        } catch {
            try? FileManager.default.removeItem(at: staging)
            throw error
        }
        let published = try folder.publish(staging: staging, as: asOf.description)
        var historyError: (any Error)?
        do {
            try FaultInjection.point("report.history")
            try historyStore.appendHistory(RunHistory.Entry(asOf: asOf.description, regions: current))
        } catch { historyError = error }
        stage("publish")

        let outcome = RiskReportOutcome(folder: published, asOf: asOf, detection: detection,
                                        newSincePreviousRun: comparison.new.map { current[$0].label },
                                        continuing: comparison.continuing.map { current[$0].label }, ended: comparison.ended,
                                        previousAsOf: comparison.previousAsOf, stageSeconds: stages)
        if let historyError { throw RiskReportHistoryError(outcome: outcome, reason: historyError.localizedDescription) }
        return outcome
    }

    static func label(of r: FlaggedRegion) -> String {
        let places = r.places.isEmpty ? "region \(r.id)" : r.places.joined(separator: ", ")
        return r.admin1.isEmpty ? places : "\(places) (\(r.admin1.joined(separator: ", ")))"
    }

    static func makeDocument(request: RiskReportRequest, detection: ChangeDetectionResult, windows: AnalysisWindows,
                             windowEvents: [Incident],
                             densityClasses: [DensityClassPolygon],
                             admin1: [Admin1Summary], comparison: (previousAsOf: String?, new: [Int], continuing: [Int], ended: [String]),
                             current: [(label: String, category: String, geometry: GeoJSONGeometry)],
                             excludedFromDensity: Int, breaks: DensityClassBreaks = .default, peak: Double = 0,
                             unit: DensityUnit = .per1000Km2) -> ReportDocument {
        let p = detection.parameters
        let flagged = detection.regions.map { r in
            FlaggedRegionSummary(id: "\(r.id)", category: FlagCategory(r.category.rawValue), significant: r.significant,
                                 pValue: r.pValue, qValue: r.qValue, recentEvents: r.recentEvents, baselineEvents: r.baselineEvents,
                                 recentFatalities: ParameterLimits.roundedSaturating(r.recentFatalities), places: r.places, admin1: r.admin1,
                                 summary: r.summary, geometry: r.geometry,
                                 incidents: r.incidents.map {
                                     RegionIncidentRow(eventID: $0.sourceEventID, date: $0.date, place: $0.place, fatalities: $0.fatalities,
                                                       sourceURL: $0.sourceURL, sourceTitle: $0.sourceTitle)
                                 })
        }
        // Every class of the breaks, drawn or not, so that the legend (and its colours) is the
        // same every night; a class no cell reaches has an empty geometry and is not drawn.
        let bounds = breaks.lowerBounds(peak: peak)
        let classes = bounds.indices.map { k in
            let upper = k + 1 < bounds.count ? bounds[k + 1] : nil
            return DensityClassLayer(label: DensityExport.label(lower: bounds[k], upper: upper, unit: unit, withUnit: false),
                                     lowerBound: bounds[k] * unit.factorFromPerKm2, upperBound: upper.map { $0 * unit.factorFromPerKm2 } ?? .infinity,
                                     geometry: densityClasses.first { $0.classIndex == k }?.geometry ?? .multiPolygon([]))
        }
        let rows = admin1.map {
            Admin1Row(name: $0.name, recentEvents: $0.recentEvents, baselineEvents: $0.baselineEvents,
                      recentFatalities: ParameterLimits.roundedSaturating($0.recentFatalities),
                      baselineFatalities: ParameterLimits.roundedSaturating($0.baselineFatalities),
                      rateRatio: $0.rateRatio, score: $0.score, rank: $0.rank)
        }
        let changes = RunChanges(previousAsOf: comparison.previousAsOf.flatMap { CivilDate(parsing: $0) },
                                 new: comparison.new.map { current[$0].label },
                                 continuing: comparison.continuing.map { current[$0].label }, ended: comparison.ended)
        var notes = detection.notes
        if excludedFromDensity > 0 { notes.append("\(excludedFromDensity) events located only to a region were left out of the density map") }
        var document = ReportDocument(
            title: request.title ?? "Region risk report: \(request.area.name)", areaName: request.area.name, asOf: detection.asOf,
            generatedAt: ISO8601DateFormatter().string(from: Date()),
            windows: windows,
            outline: request.area.boundary,
            regionBorders: request.adminRegions?.regions.map { NamedGeometry(name: $0.name, geometry: $0.geometry) } ?? [],
            densityClasses: classes, flaggedRegions: flagged,
            incidents: windowEvents.map { ReportIncident(location: $0.location, isRecent: $0.date.map(windows.isRecent) ?? false) },
            admin1Rows: rows, changesSinceLastRun: changes, notes: notes,
            parameters: [
                ReportParameter("method", "quiet-to-active by episode: single linkage at the bandwidth, each episode tested against a fitted stationary self-exciting null by Monte Carlo, Benjamini–Hochberg q-values over episodes"),
                ReportParameter("Monte Carlo replicates", "\(p.monteCarloReplicates) (seed \(p.seed))"),
                ReportParameter("recent window", "\(p.recentDays) days to \(detection.asOf)"),
                ReportParameter("baseline window", "\(p.baselineDays) days before"),
                ReportParameter("cell", "\(p.cellSizeKm) km"), ReportParameter("bandwidth", "\(p.bandwidthKm) km"),
                ReportParameter("alpha", "\(p.alpha)"),
                ReportParameter("density map", "\(request.densityKernel.rawValue) kernel, \(request.densityBandwidthKm) km, \(request.densityCellKm) km cells"),
            ],
            sources: sources(of: request.incidents))
        document.densityUnitLabel = unit.label
        document.densityPeriod = windows.baselineStart...windows.recentEnd
        return document
    }

    /// Distinct source addresses carried by the incidents (the embedded sample keeps each row's).
    static func sources(of incidents: [Incident]) -> [ReportSource] {
        var seen = Set<String>()
        var out: [ReportSource] = []
        for e in incidents {
            guard let url = e.sourceURL, !url.isEmpty, seen.insert(url).inserted else { continue }
            out.append(ReportSource(title: e.sourceTitle ?? url, url: url))
        }
        return out
    }

    static func makeManifest(request: RiskReportRequest, detection: ChangeDetectionResult, density: DensityResult, grid: AreaGrid,
                             stages: [(String, Double)], newCount: Int, files written: [String]) -> JSONValue {
        let densityMeta = RunMetadata.density(density, area: grid, inputs: []).filter { ["parameters", "grid", "result"].contains($0.0) }
        let regions = detection.regions
        let counts: [(String, JSONValue)] = [
            ("incidents", .number(Double(request.incidents.count))),
            ("regions", .number(Double(regions.count))),
            ("regions_new", .number(Double(regions.filter { $0.category == .new }.count))),
            ("regions_escalating", .number(Double(regions.filter { $0.category == .escalating }.count))),
            ("regions_new_since_previous_run", .number(Double(newCount))),
            ("excluded_region_only_locations", .number(Double(detection.excludedRegionOnly))),
            ("undated_events", .number(Double(detection.undated))),
        ]
        let stageTimes: [(String, JSONValue)] = stages.map { ($0.0, .number(($0.1 * 1000).rounded() / 1000)) }
        let files: [JSONValue] = written.map { .string($0) }
        let area: JSONValue = .object([("name", .string(request.area.name)), ("source", .string(request.area.source))])
        var members: [(String, JSONValue)] = [("software", RunMetadata.software)]
        members.append(("as_of", .string(detection.asOf.description)))
        members.append(("generated_at", .string(ISO8601DateFormatter().string(from: Date()))))
        members.append(("area", area))
        members.append(("inputs", .array(request.inputs)))
        members.append(("detection", detection.parameters.json))
        members.append(("density", .object(densityMeta)))
        members.append(("counts", .object(counts)))
        members.append(("stage_seconds", .object(stageTimes)))
        members.append(("files", .array(files)))
        return .object(members)
    }
}
