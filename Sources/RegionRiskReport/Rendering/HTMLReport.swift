import Foundation
import RegionRiskAnalysis
import RegionRiskBase

/// The report as one standalone HTML5 file: inline CSS, the inline SVG map, one short inline
/// script of its own (zoom and pan with the wheel and by dragging; a click on a flagged region
/// shows its incident list beside the map), no web fonts, nothing fetched from the network, so
/// it opens offline and can be mailed as is. Without the script the page reads the same, less
/// the zoom.
/// The only links are to the data sources listed in `ReportDocument.sources`. Void elements
/// are self-closed and only XML's five entities are used, so the file is also well-formed XML
/// (which the tests check with an XML parser).
///
/// Example: `try AtomicFile.write(HTMLReport.render(document), to: folder.appendingPathComponent("report.html"))`.
package enum HTMLReport {
    /// Renders the report; the map is `mapWidth` × `mapHeight` SVG pixels and scales down with the window.
    package static func render(_ doc: ReportDocument, mapWidth: Int = 1180, mapHeight: Int = 860) -> String {
        let e = ReportText.xmlEscaped
        var h = ""
        h.reserveCapacity(128 * 1024)
        h += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
        h += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
        h += "<meta name=\"generator\" content=\"RegionRisk \(e(RegionRiskVersion.string))\"/>\n"
        h += "<title>\(e(doc.title)) — \(e(doc.areaName)), as of \(doc.asOf)</title>\n"
        h += "<style>\n\(css)</style>\n</head>\n<body>\n"

        h += "<header>\n<h1>\(e(doc.title))</h1>\n"
        h += "<p class=\"meta\"><span><b>Area</b> \(e(doc.areaName))</span> <span><b>As of</b> \(doc.asOf)</span> "
        h += "<span><b>Recent window</b> \(e(ReportText.window(doc.windows.recentStart, doc.windows.recentEnd)))</span> "
        h += "<span><b>Baseline</b> \(e(ReportText.window(doc.windows.baselineStart, doc.windows.baselineEnd)))</span> "
        h += "<span><b>Generated</b> \(e(doc.generatedAt))</span></p>\n</header>\n<main>\n"

        h += "<section id=\"summary\">\n<h2>Summary</h2>\n"
        for s in ReportSummary.sentences(doc) { h += "<p>\(e(s))</p>\n" }
        h += "</section>\n"

        h += "<section id=\"map\">\n<h2>Map</h2>\n<figure>\n"
        h += "<div class=\"map-tools\"><button type=\"button\" id=\"zoom-in\" aria-label=\"Zoom in\">+</button>"
        h += "<button type=\"button\" id=\"zoom-out\" aria-label=\"Zoom out\">−</button>"
        h += "<button type=\"button\" id=\"zoom-reset\">Reset view</button>"
        h += " <span class=\"note\">Wheel to zoom, drag to pan, click a flagged region for its incidents.</span></div>\n"
        h += SVGMap.render(doc, width: mapWidth, height: mapHeight)
        h += "<figcaption>\(e(SVGMap.description(doc))) Dashed outlines: flagged, but too few events yet to rule out chance.</figcaption>\n"
        h += "</figure>\n<aside id=\"region-details\" hidden=\"hidden\" aria-live=\"polite\"></aside>\n</section>\n"

        h += "<section id=\"flagged\">\n<h2>Flagged regions</h2>\n"
        if doc.flaggedRegions.isEmpty {
            h += "<p>No region is flagged.</p>\n"
        } else {
            h += "<div class=\"scroll\"><table class=\"data\">\n<thead><tr><th>Id</th><th>Category</th><th>Significant</th><th>Places</th><th>Admin‑1</th>"
            h += "<th class=\"num\">Recent events</th><th class=\"num\">Baseline events</th><th class=\"num\">Recent fatalities</th>"
            h += "<th class=\"num\">p</th><th class=\"num\">q</th><th>Summary</th></tr></thead>\n<tbody>\n"
            for r in doc.flaggedRegions {
                let colour = MapStyle.colour(r.category)
                h += "<tr><td>\(e(r.id))</td>"
                h += "<td><span class=\"badge\" style=\"border-color:\(colour);color:\(colour)\">\(e(r.category.rawValue))</span></td>"
                h += "<td>\(r.significant ? "yes" : "not yet")</td>"
                h += "<td>\(e(r.places.joined(separator: ", ")))</td><td>\(e(r.admin1.joined(separator: ", ")))</td>"
                h += "<td class=\"num\">\(r.recentEvents)</td><td class=\"num\">\(r.baselineEvents)</td><td class=\"num\">\(r.recentFatalities)</td>"
                h += "<td class=\"num\">\(ReportText.probability(r.pValue))</td><td class=\"num\">\(ReportText.probability(r.qValue))</td>"
                h += "<td class=\"text\">\(e(r.summary))</td></tr>\n"
            }
            h += "</tbody>\n</table></div>\n"
        }
        h += "</section>\n"
        h += incidentTables(doc)

        if let outlook = doc.riskOutlook { h += outlook.htmlSection() }

        if let c = doc.changesSinceLastRun {
            h += "<section id=\"changes\">\n<h2>Changes since the last run</h2>\n"
            if let prev = c.previousAsOf { h += "<p>Previous run as of \(prev).</p>\n" }
            h += "<dl>\n"
            for (title, items) in [("New", c.new), ("Continuing", c.continuing), ("Ended", c.ended)] {
                h += "<dt>\(title) (\(items.count))</dt><dd>\(items.isEmpty ? "none" : e(items.joined(separator: "; ")))</dd>\n"
            }
            h += "</dl>\n</section>\n"
        }

        h += "<section id=\"admin1\">\n<h2>By region (admin‑1)</h2>\n"
        if doc.admin1Rows.isEmpty {
            h += "<p>No regional table.</p>\n"
        } else {
            h += "<div class=\"scroll\"><table class=\"data\">\n<thead><tr><th class=\"num\">Rank</th><th>Region</th><th class=\"num\">Recent events</th>"
            h += "<th class=\"num\">Baseline events</th><th class=\"num\">Recent fatalities</th><th class=\"num\">Baseline fatalities</th>"
            h += "<th class=\"num\">Rate change</th><th class=\"num\">Score</th></tr></thead>\n<tbody>\n"
            for r in doc.admin1Rows {
                h += "<tr><td class=\"num\">\(r.rank)</td><td>\(e(r.name))</td><td class=\"num\">\(r.recentEvents)</td>"
                h += "<td class=\"num\">\(r.baselineEvents)</td><td class=\"num\">\(r.recentFatalities)</td><td class=\"num\">\(r.baselineFatalities)</td>"
                h += "<td class=\"num\">\(e(ReportText.rateRatio(r)))</td><td class=\"num\">\(ReportText.decimal(r.score))</td></tr>\n"
            }
            h += "</tbody>\n</table></div>\n"
            h += "<p class=\"note\">Rate change: recent daily event rate over the baseline's; “new” when the baseline had no event.</p>\n"
        }
        h += "</section>\n"

        if !doc.notes.isEmpty {
            h += "<section id=\"notes\">\n<h2>Notes</h2>\n<ul>\n"
            for note in doc.notes { h += "<li>\(e(note))</li>\n" }
            h += "</ul>\n</section>\n"
        }

        if !doc.parameters.isEmpty {
            h += "<section id=\"parameters\">\n<h2>Parameters</h2>\n<table class=\"params\">\n<tbody>\n"
            for p in doc.parameters { h += "<tr><th>\(e(p.name))</th><td>\(e(p.value))</td></tr>\n" }
            h += "</tbody>\n</table>\n</section>\n"
        }

        if !doc.sources.isEmpty {
            h += "<section id=\"sources\">\n<h2>Sources</h2>\n<ul>\n"
            for s in doc.sources {
                if isWebAddress(s.url) {
                    h += "<li><a href=\"\(e(s.url))\" rel=\"noopener noreferrer\">\(e(s.title))</a></li>\n"
                } else {
                    h += "<li>\(e(s.title))\(s.url.isEmpty ? "" : " (\(e(s.url)))")</li>\n"
                }
            }
            h += "</ul>\n</section>\n"
        }

        h += "</main>\n<footer>Generated by RegionRisk \(e(RegionRiskVersion.string)) at \(e(doc.generatedAt)).</footer>\n"
        h += "<script id=\"rr-map-script\">\n\(mapScript)</script>\n"
        h += "</body>\n</html>\n"
        return h
    }

    /// One table per flagged region listing its own incidents (the regions without any are skipped).
    static func incidentTables(_ doc: ReportDocument) -> String {
        let e = ReportText.xmlEscaped
        let withIncidents = doc.flaggedRegions.filter { !$0.incidents.isEmpty }
        guard !withIncidents.isEmpty else { return "" }
        var h = "<section id=\"incidents\">\n<h2>Incidents by region</h2>\n"
        for r in withIncidents {
            h += "<h3 id=\"region-\(e(r.id))\">\(e(r.id)) · \(e(ReportSummary.regionPhrase(r))) · \(e(r.category.rawValue))</h3>\n"
            h += "<div class=\"scroll\"><table class=\"data\">\n<thead><tr><th>Date</th><th>Place as reported</th><th>Event id</th>"
            h += "<th class=\"num\">Fatalities</th><th>Source</th></tr></thead>\n<tbody>\n"
            for i in r.incidents {
                h += "<tr><td class=\"num\">\(i.date.map { "\($0)" } ?? "–")</td><td>\(e(i.place ?? "–"))</td><td>\(e(i.eventID))</td>"
                h += "<td class=\"num\">\(ReportText.fatalities(i.fatalities))</td><td class=\"text\">"
                if let url = i.sourceURL, isWebAddress(url) {
                    h += "<a href=\"\(e(url))\" rel=\"noopener noreferrer\">\(e(i.sourceTitle ?? url))</a>"
                } else {
                    h += e(i.sourceTitle ?? i.sourceURL ?? "–")
                }
                h += "</td></tr>\n"
            }
            h += "</tbody>\n</table></div>\n"
        }
        return h + "</section>\n"
    }

    /// Only http(s) addresses become links: a `javascript:` or `file:` "source" stays text.
    static func isWebAddress(_ s: String) -> Bool {
        let lower = s.lowercased()
        return (lower.hasPrefix("https://") || lower.hasPrefix("http://")) && !s.contains(where: { $0.isWhitespace })
    }

    /// Zoom, pan and the click-through to a region's incidents. It uses neither `<` nor `&`, so
    /// the page stays well-formed XML without a CDATA section; it loads nothing.
    static let mapScript = """
        (function () {
          var svg = document.querySelector('#map svg');
          var view = svg ? svg.getElementById('viewport') : null;
          if (!view) return;
          var k = 1, tx = 0, ty = 0, drag = null, moved = false;
          function apply() {
            view.setAttribute('transform', 'translate(' + tx.toFixed(2) + ' ' + ty.toFixed(2) + ') scale(' + k.toFixed(4) + ')');
            svg.setAttribute('data-zoom', k.toFixed(4));
          }
          function zoomAt(x, y, factor) {
            var nk = Math.min(32, Math.max(1, k * factor));
            var f = nk / k;
            tx = x - f * (x - tx); ty = y - f * (y - ty); k = nk;
            if (k === 1) { tx = 0; ty = 0; }
            apply();
          }
          function svgPoint(evt) {
            var p = svg.createSVGPoint();
            p.x = evt.clientX; p.y = evt.clientY;
            return p.matrixTransform(svg.getScreenCTM().inverse());
          }
          function centre() { var b = svg.viewBox.baseVal; return { x: b.width / 2, y: b.height / 2 }; }
          svg.addEventListener('wheel', function (evt) {
            evt.preventDefault();
            var p = svgPoint(evt);
            zoomAt(p.x, p.y, evt.deltaY > 0 ? 1 / 1.25 : 1.25);
          }, { passive: false });
          svg.addEventListener('pointerdown', function (evt) {
            drag = { x: evt.clientX, y: evt.clientY, tx: tx, ty: ty };
            moved = false;
          });
          window.addEventListener('pointermove', function (evt) {
            if (!drag) return;
            var scale = svg.getScreenCTM().a;
            var dx = (evt.clientX - drag.x) / scale, dy = (evt.clientY - drag.y) / scale;
            if (Math.abs(dx) + Math.abs(dy) > 3) moved = true;
            if (!moved) return;
            tx = drag.tx + dx; ty = drag.ty + dy;
            apply();
          });
          window.addEventListener('pointerup', function () { drag = null; });
          document.getElementById('zoom-in').addEventListener('click', function () { var c = centre(); zoomAt(c.x, c.y, 1.5); });
          document.getElementById('zoom-out').addEventListener('click', function () { var c = centre(); zoomAt(c.x, c.y, 1 / 1.5); });
          document.getElementById('zoom-reset').addEventListener('click', function () { k = 1; tx = 0; ty = 0; apply(); });
          var panel = document.getElementById('region-details');
          function show(id) {
            panel.textContent = '';
            var heading = document.getElementById('region-' + id);
            if (heading) {
              var h = heading.cloneNode(true);
              h.removeAttribute('id');
              panel.appendChild(h);
              var table = heading.nextElementSibling;
              if (table) panel.appendChild(table.cloneNode(true));
            } else {
              var p = document.createElement('p');
              p.textContent = 'Region ' + id + ' lists no incident.';
              panel.appendChild(p);
            }
            panel.setAttribute('data-region', id);
            panel.hidden = false;
          }
          svg.querySelectorAll('.flagged-region').forEach(function (g) {
            g.style.cursor = 'pointer';
            g.addEventListener('click', function () { if (!moved) show(g.getAttribute('data-id')); });
          });
        })();

        """

    // System fonts only: a web font would need the network.
    static let css = """
        :root { color-scheme: light; }
        body { font-family: \(MapStyle.fontFamily); color: #1a1a1a; background: #ffffff; margin: 0 auto; max-width: 1240px; padding: 16px 24px 40px; line-height: 1.45; }
        h1 { font-size: 1.6rem; margin: 0.2em 0; }
        h2 { font-size: 1.2rem; margin: 1.4em 0 0.5em; border-bottom: 1px solid #d0d0d0; padding-bottom: 0.2em; }
        .meta { color: #444444; margin: 0; }
        .meta span { margin-right: 1.2em; white-space: nowrap; }
        figure { margin: 0; }
        figure svg { max-width: 100%; height: auto; display: block; border: 1px solid #d0d0d0; touch-action: none; cursor: grab; }
        .map-tools { margin: 0 0 0.4em; }
        .map-tools button { font: inherit; min-width: 2.2em; margin-right: 0.3em; }
        #region-details { margin-top: 0.8em; padding: 0.4em 0.8em; border: 1px solid #b0b0b0; border-radius: 4px; background: #fbfbfb; }
        figcaption { font-size: 0.85rem; color: #555555; margin-top: 0.4em; }
        .scroll { overflow-x: auto; }
        table { border-collapse: collapse; font-size: 0.9rem; }
        th, td { border: 1px solid #d0d0d0; padding: 4px 8px; text-align: left; vertical-align: top; }
        table.data { width: 100%; }
        thead th { background: #f2f4f6; }
        tbody tr:nth-child(even) { background: #fafafa; }
        .num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        .badge { border: 1.5px solid; border-radius: 3px; padding: 0 4px; font-weight: bold; white-space: nowrap; }
        .params th { background: #f2f4f6; font-weight: normal; font-family: ui-monospace, 'DejaVu Sans Mono', monospace; }
        dt { font-weight: bold; }
        dd { margin: 0 0 0.4em 1.2em; }
        .note { font-size: 0.85rem; color: #555555; }
        footer { margin-top: 2em; font-size: 0.8rem; color: #666666; }
        @media print { body { max-width: none; padding: 0; } .scroll { overflow: visible; } }

        """
}
