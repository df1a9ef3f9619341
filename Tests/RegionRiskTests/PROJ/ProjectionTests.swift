import XCTest
@testable import RegionRiskBase
@testable import RegionRiskGeometry

final class ProjectionTests: XCTestCase {
    struct CS2CS: Decodable {
        struct Point: Decodable { let lonlat: [Double], xy: [Double] }
        let crs: String
        let points: [Point]
        let inverse: [Point]
    }

    let mali = LonLat(-2, 17)

    func testLAEAMatchesCs2cs() throws {
        // Fixtures/proj/laea-cs2cs.json: PROJ's cs2cs fed latitude-first EPSG:4326 (make_fixtures.py).
        let ref = try JSONDecoder().decode(CS2CS.self, from: Data(contentsOf: Fixtures.url("proj/laea-cs2cs.json")))
        XCTAssertEqual(ref.crs, Projection.laeaDefinition(centeredOn: mali))
        let proj = try Projection(from: "EPSG:4326", to: Projection.laeaDefinition(centeredOn: mali))
        var x = ref.points.map { $0.lonlat[0] }, y = ref.points.map { $0.lonlat[1] }
        try proj.forward(x: &x, y: &y)
        for (n, p) in ref.points.enumerated() {
            // cs2cs printed 6 decimals.
            XCTAssertEqual(x[n], p.xy[0], accuracy: 1e-5, "point \(n)")
            XCTAssertEqual(y[n], p.xy[1], accuracy: 1e-5, "point \(n)")
            let single = try proj.forward(LonLat(p.lonlat[0], p.lonlat[1]))
            XCTAssertEqual(single.x, p.xy[0], accuracy: 1e-5)
            XCTAssertEqual(single.y, p.xy[1], accuracy: 1e-5)
        }
    }

    func testInverseMatchesCs2cs() throws {
        let ref = try JSONDecoder().decode(CS2CS.self, from: Data(contentsOf: Fixtures.url("proj/laea-cs2cs.json")))
        let proj = try Projection(from: "EPSG:4326", to: ref.crs)
        XCTAssertFalse(ref.inverse.isEmpty)
        for p in ref.inverse {
            let ll = try proj.inverse(x: p.xy[0], y: p.xy[1])
            // cs2cs printed 12 decimals.
            XCTAssertEqual(ll.lon, p.lonlat[0], accuracy: 1e-11)
            XCTAssertEqual(ll.lat, p.lonlat[1], accuracy: 1e-11)
        }
    }

    func testRoundTripWithinTwoMillimetres() throws {
        // PROJ 9.1's ellipsoidal LAEA inverts the authalic latitude with a truncated series, so a
        // round trip drifts by up to ~1.6 mm (cs2cs shows the same); far below any grid cell.
        let proj = try Projection(from: "EPSG:4326", to: Projection.laeaDefinition(centeredOn: mali))
        var lon: [Double] = [], lat: [Double] = []
        for i in 0..<40 {
            for j in 0..<40 {
                lon.append(-12.5 + Double(i) * 0.43)
                lat.append(10 + Double(j) * 0.38)
            }
        }
        var x = lon, y = lat
        try proj.forward(x: &x, y: &y)
        let projected = (x, y)
        try proj.inverse(x: &x, y: &y)
        var worst = 0.0
        for k in lon.indices {
            worst = max(worst, Geodesic.wgs84.inverse(from: LonLat(lon[k], lat[k]), to: LonLat(x[k], y[k])).distanceMeters)
        }
        XCTAssertLessThan(worst, 0.002)
        try proj.forward(x: &x, y: &y)
        for k in lon.indices {
            XCTAssertEqual(x[k], projected.0[k], accuracy: 0.002)
            XCTAssertEqual(y[k], projected.1[k], accuracy: 0.002)
        }
        // Longitude alone goes through exactly.
        let back = try proj.inverse(x: projected.0[5], y: projected.1[5])
        XCTAssertEqual(back.lon, lon[5], accuracy: 1e-9)
    }

    func testEPSG4326IsLonLatOrder() throws {
        // EPSG:4326 is latitude-first by authority; the normalised operation must take lon first.
        // Web Mercator by its textbook formula: x = a·λ, y = a·ln tan(π/4 + φ/2).
        let proj = try Projection(from: "EPSG:4326", to: "EPSG:3857")
        let p = try proj.forward(LonLat(lon: -8, lat: 12.6))
        let a = 6_378_137.0
        XCTAssertEqual(p.x, a * -8 * .pi / 180, accuracy: 1e-6)
        XCTAssertEqual(p.y, a * log(tan(.pi / 4 + 12.6 * .pi / 360)), accuracy: 1e-6)
        let back = try proj.inverse(x: p.x, y: p.y)
        XCTAssertEqual(back.lon, -8, accuracy: 1e-12)
        XCTAssertEqual(back.lat, 12.6, accuracy: 1e-12)
    }

    func testLAEAPreservesArea() throws {
        // A Mali-sized box with a hole, edges densified every 0.05°: the planar area in LAEA
        // metres must equal the ellipsoidal area (checked against GeographicLib in GeodesicTests).
        func densified(_ corners: [LonLat]) -> [LonLat] {
            var out: [LonLat] = []
            for k in 0..<corners.count {
                let a = corners[k], b = corners[(k + 1) % corners.count]
                let steps = Int((max(abs(b.lon - a.lon), abs(b.lat - a.lat)) / 0.05).rounded(.up))
                for s in 0..<steps {
                    let t = Double(s) / Double(steps)
                    out.append(LonLat(a.lon + (b.lon - a.lon) * t, a.lat + (b.lat - a.lat) * t))
                }
            }
            return out + [out[0]]
        }
        let rings = [
            densified([LonLat(-12, 10), LonLat(4, 10), LonLat(4, 25), LonLat(-12, 25)]),
            densified([LonLat(-5, 14), LonLat(-5, 16), LonLat(-3, 16), LonLat(-3, 14)]),
        ]
        let geodesicKm2 = Geodesic.wgs84.areaKm2(rings: rings)
        let proj = try Projection(from: "EPSG:4326", to: Projection.laeaDefinition(centeredOn: mali))
        let projected = try Geometry(geoJSON: .polygon(rings)).transformed { try proj.forward(x: &$0, y: &$1) }
        let planarKm2 = try projected.area() / 1e6
        XCTAssertEqual(planarKm2, geodesicKm2, accuracy: geodesicKm2 * 1e-5)
        // A non-equal-area projection is far off, so the check can fail.
        let mercator = try Projection(from: "EPSG:4326", to: "EPSG:3857")
        let mercatorKm2 = try Geometry(geoJSON: .polygon(rings)).transformed { try mercator.forward(x: &$0, y: &$1) }.area() / 1e6
        XCTAssertGreaterThan(abs(mercatorKm2 - geodesicKm2), geodesicKm2 * 0.01)
    }

    func testUnknownCRSCarriesPROJMessage() {
        XCTAssertThrowsError(try Projection(from: "EPSG:4326", to: "EPSG:999999")) { e in
            let message = (e as? PROJError)?.message ?? ""
            XCTAssertTrue(message.contains("EPSG:999999"), message)
            XCTAssertTrue(message.contains("crs not found"), message)
        }
        XCTAssertThrowsError(try Projection(from: "+proj=nonsense +type=crs", to: "EPSG:4326")) { e in
            let message = e.localizedDescription
            XCTAssertTrue(message.contains("+proj=nonsense"), message)
            XCTAssertFalse(message.hasSuffix("PROJ gave no reason"), message)
        }
    }

    func testFailingPointIsNamed() throws {
        let proj = try Projection(from: "EPSG:4326", to: Projection.laeaDefinition(centeredOn: mali))
        var x = [-2.0, -3.0, -4.0], y = [17.0, 95.0, 18.0]
        XCTAssertThrowsError(try proj.forward(x: &x, y: &y)) { e in
            let message = (e as? PROJError)?.message ?? ""
            XCTAssertTrue(message.contains("point 1 (-3.0, 95.0)"), message)
            XCTAssertNotEqual((e as? PROJError)?.code, 0)
        }
        XCTAssertThrowsError(try proj.forward(LonLat(-3, 95))) { e in
            XCTAssertTrue(e.localizedDescription.contains("Invalid latitude"), e.localizedDescription)
        }
        // Far outside the projected disc: no inverse exists.
        XCTAssertThrowsError(try proj.inverse(x: 3e7, y: 3e7)) { e in
            XCTAssertTrue(e.localizedDescription.contains("(30000000.0, 30000000.0)"), e.localizedDescription)
        }
        var a = [1.0, 2.0], b = [1.0]
        XCTAssertThrowsError(try proj.forward(x: &a, y: &b))
        var none: [Double] = [], none2: [Double] = []
        XCTAssertNoThrow(try proj.forward(x: &none, y: &none2))
        // A failure leaves no stale message behind.
        XCTAssertNoThrow(try proj.forward(LonLat(-2, 17)))
    }

    func testTargetWKTDescribesTheSameCRS() throws {
        let proj = try Projection(from: "EPSG:4326", to: Projection.laeaDefinition(centeredOn: mali))
        let esri = try proj.targetCRSWKT(esri: true)
        XCTAssertTrue(esri.hasPrefix("PROJCS["), esri)
        XCTAssertTrue(esri.contains("Lambert_Azimuthal_Equal_Area"), esri)
        XCTAssertTrue(esri.contains(#"PARAMETER["Central_Meridian",-2.0]"#), esri)
        XCTAssertFalse(esri.contains("\n"), "a .prj is one line")
        let wkt2 = try proj.targetCRSWKT(esri: false)
        XCTAssertTrue(wkt2.hasPrefix("PROJCRS["), wkt2)
        // Both texts read back by PROJ give the same projection.
        let p = LonLat(-8.0029, 12.6392)
        let expected = try proj.forward(p)
        for wkt in [esri, wkt2] {
            let reread = try Projection(from: "EPSG:4326", to: wkt).forward(p)
            XCTAssertEqual(reread.x, expected.x, accuracy: 1e-6)
            XCTAssertEqual(reread.y, expected.y, accuracy: 1e-6)
        }
    }

    func testEachThreadHasItsOwnContext() throws {
        let main = ObjectIdentifier(PROJContext.current)
        XCTAssertEqual(main, ObjectIdentifier(PROJContext.current), "one context per thread, reused")
        let other = OtherThread.run { ObjectIdentifier(PROJContext.current) }
        XCTAssertNotEqual(other, main)
    }

    func testConcurrentProjectionsOnSeparateThreads() throws {
        let reference = try Projection(from: "EPSG:4326", to: Projection.laeaDefinition(centeredOn: mali)).forward(LonLat(1, 15))
        let results = UnsafeMutableBufferPointer<Double>.allocate(capacity: 8)
        defer { results.deallocate() }
        DispatchQueue.concurrentPerform(iterations: 8) { i in
            // Each iteration builds its own Projection in its thread's context.
            let proj = try? Projection(from: "EPSG:4326", to: Projection.laeaDefinition(centeredOn: mali))
            var x = [Double](repeating: 1, count: 1000), y = [Double](repeating: 15, count: 1000)
            try? proj?.forward(x: &x, y: &y)
            results[i] = x.allSatisfy { $0 == x[0] } ? x[0] : .nan
        }
        for i in 0..<8 { XCTAssertEqual(results[i], reference.x, accuracy: 1e-9) }
    }
}

/// Runs a closure on a new thread (a fresh one, so thread-local state starts empty) and waits.
enum OtherThread {
    private final class Box<T>: @unchecked Sendable {
        // @unchecked: written by the thread before signal(), read after wait().
        var value: T?
        let done = DispatchSemaphore(value: 0)
    }

    static func run<T>(_ body: @escaping () -> T) -> T {
        let box = Box<T>()
        let thread = Thread {
            box.value = body()
            box.done.signal()
        }
        thread.start()
        box.done.wait()
        return box.value!
    }
}
