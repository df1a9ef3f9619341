import XCTest
@testable import RegionRiskGeometry

final class GEOSContextTests: XCTestCase {
    func testParseErrorCarriesGEOSMessage() {
        XCTAssertThrowsError(try Geometry(wkt: "POLYGON ((0 0, 1 1")) { e in
            XCTAssertTrue(e is GEOSError)
            XCTAssertEqual(e.localizedDescription, #"cannot read WKT "POLYGON ((0 0, 1 1": ParseException: Expected word but encountered end of stream"#)
        }
    }

    func testTopologyErrorCarriesGEOSMessageAndIsNotReusedLater() throws {
        let bowTie = try Geometry(wkt: "POLYGON ((0 0, 2 2, 2 0, 0 2, 0 0))")
        let square = try Geometry.rectangle(minX: 0, minY: 0, maxX: 2, maxY: 2)
        XCTAssertThrowsError(try bowTie.intersection(square)) { e in
            XCTAssertTrue(e.localizedDescription.contains("TopologyException"), e.localizedDescription)
            XCTAssertTrue(e.localizedDescription.contains("Self-intersection"), e.localizedDescription)
        }
        // The next failure reports its own cause, not the previous one.
        XCTAssertThrowsError(try Geometry(wkt: "NONSENSE")) { e in
            XCTAssertFalse(e.localizedDescription.contains("TopologyException"), e.localizedDescription)
            XCTAssertTrue(e.localizedDescription.contains("ParseException"), e.localizedDescription)
        }
        XCTAssertEqual(try bowTie.makeValid().area(), 2)
    }

    func testEachThreadHasItsOwnContext() {
        let main = ObjectIdentifier(GEOSContext.current)
        XCTAssertEqual(main, ObjectIdentifier(GEOSContext.current), "one context per thread, reused")
        XCTAssertNotEqual(OtherThread.run { ObjectIdentifier(GEOSContext.current) }, main)
    }

    func testConcurrentUseFromSeveralThreads() {
        // Each thread works in its own context: geometry results and error messages must come
        // out right on every thread while the others are busy.
        let threads = 4, rounds = 200
        let failures = UnsafeMutableBufferPointer<Int>.allocate(capacity: threads)
        failures.initialize(repeating: 0)
        defer { failures.deallocate() }
        DispatchQueue.concurrentPerform(iterations: threads) { t in
            for r in 0..<rounds {
                do {
                    let size = Double(t + 1)
                    let a = try Geometry.rectangle(minX: 0, minY: 0, maxX: size, maxY: size)
                    let b = try Geometry.rectangle(minX: size / 2, minY: 0, maxX: size * 1.5, maxY: size)
                    if try a.union(b).area() != size * size * 1.5 { failures[t] += 1 }
                    let marker = "BROKEN\(t)x\(r)"
                    do {
                        _ = try Geometry(wkt: marker)
                        failures[t] += 1
                    } catch {
                        // The message names this thread's own input and GEOS's reason.
                        let m = error.localizedDescription
                        if !m.contains(marker) || !m.contains("ParseException") { failures[t] += 1 }
                    }
                    if try !Geometry(wkt: "POLYGON ((0 0, 2 2, 2 0, 0 2, 0 0))").repairedPolygonal().isValid() { failures[t] += 1 }
                } catch {
                    failures[t] += 1
                }
            }
        }
        XCTAssertEqual(Array(failures), [Int](repeating: 0, count: threads))
    }
}
