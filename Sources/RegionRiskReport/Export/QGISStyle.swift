import Foundation

/// QGIS layer styles (`.qml`) matching the HTML map's colours (`MapStyle`): QGIS applies
/// `NAME.qml` to `NAME.geojson` when the layer is added, and `report.gpkg` carries the same
/// styles in its `layer_styles` table.
public enum QGISStyle {
    /// Flagged regions: outlined and lightly filled by `category`, dashed when `significant` is
    /// false, labelled with their places.
    public static func regions() -> String {
        let categories = FlagCategory.standard.map { c in
            (value: c.rawValue, label: "\(ReportSummary.phrase(c).prefix(1).uppercased())\(ReportSummary.phrase(c).dropFirst()) (\(c.rawValue))",
             symbol: fill(MapStyle.colour(c), alpha: 46, outline: MapStyle.colour(c), width: 0.6, dashWhenNotSignificant: true))
        }
        return document(renderer: categorized(attribute: "category", categories),
                        labeling: labels(field: "places", colour: "#1a1a1a", size: 9, bold: true, italic: false))
    }

    /// Density classes by `class` (1 = lowest), on the map's ramp, with the map's legend text.
    /// - Parameter labels: the legend text of each class, lowest first.
    public static func density(labels classLabels: [String]) -> String {
        let ramp = MapStyle.densityRamp(classLabels.count)
        let categories = classLabels.enumerated().map { k, label in
            (value: "\(k + 1)", label: label, symbol: fill(ramp[k], alpha: 217, outline: nil, width: 0, dashWhenNotSignificant: false))
        }
        return document(renderer: categorized(attribute: "class", categories), labeling: nil)
    }

    /// Admin-1 regions: the map's grey borders and italic names.
    public static func admin1() -> String {
        let symbol = fill("#ffffff", alpha: 0, outline: MapStyle.borderStroke, width: 0.3, dashWhenNotSignificant: false)
        return document(renderer: single(symbol),
                        labeling: labels(field: "admin1", colour: MapStyle.regionNameColour, size: 8, bold: false, italic: true))
    }

    /// Incidents: recent ones as black dots, earlier ones as grey rings (field `window`).
    public static func events() -> String {
        let categories = [
            (value: "recent", label: "Incident, recent window", symbol: marker(fill: "#111111", alpha: 255, outline: "#ffffff", size: 1.8)),
            (value: "baseline", label: "Incident, earlier", symbol: marker(fill: "#ffffff", alpha: 0, outline: "#5a5a5a", size: 1.4)),
        ]
        return document(renderer: categorized(attribute: "window", categories), labeling: nil)
    }

    // MARK: - QML pieces

    private static func document(renderer: String, labeling: String?) -> String {
        var out = "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
        out += "<qgis version=\"3.28.0\" styleCategories=\"Symbology|Labeling\" labelsEnabled=\"\(labeling == nil ? 0 : 1)\">\n"
        out += renderer
        if let labeling { out += labeling }
        return out + "</qgis>\n"
    }

    private static func categorized(attribute: String, _ categories: [(value: String, label: String, symbol: String)]) -> String {
        var out = "  <renderer-v2 type=\"categorizedSymbol\" attr=\"\(attribute)\" symbollevels=\"0\" enableorderby=\"0\" forceraster=\"0\">\n"
        out += "    <categories>\n"
        for (i, c) in categories.enumerated() {
            out += "      <category value=\"\(ReportText.xmlEscaped(c.value))\" symbol=\"\(i)\" label=\"\(ReportText.xmlEscaped(c.label))\" render=\"true\"/>\n"
        }
        out += "    </categories>\n    <symbols>\n"
        for (i, c) in categories.enumerated() { out += c.symbol.replacingOccurrences(of: "@NAME@", with: "\(i)") }
        return out + "    </symbols>\n  </renderer-v2>\n"
    }

    private static func single(_ symbol: String) -> String {
        "  <renderer-v2 type=\"singleSymbol\" symbollevels=\"0\" enableorderby=\"0\" forceraster=\"0\">\n    <symbols>\n"
            + symbol.replacingOccurrences(of: "@NAME@", with: "0") + "    </symbols>\n  </renderer-v2>\n"
    }

    /// "r,g,b,a" as QGIS writes colours.
    static func rgba(_ hex: String, alpha: Int) -> String {
        let digits = Array(hex.dropFirst())
        func component(_ i: Int) -> Int { Int(String(digits[i..<(i + 2)]), radix: 16) ?? 0 }
        return "\(component(0)),\(component(2)),\(component(4)),\(alpha)"
    }

    /// Options written both as QGIS ≥ 3.26 reads them (`<Option>`) and as older versions do (`<prop>`).
    private static func options(_ items: [(String, String)]) -> String {
        var out = "          <Option type=\"Map\">\n"
        for (k, v) in items { out += "            <Option type=\"QString\" name=\"\(k)\" value=\"\(ReportText.xmlEscaped(v))\"/>\n" }
        out += "          </Option>\n"
        for (k, v) in items { out += "          <prop k=\"\(k)\" v=\"\(ReportText.xmlEscaped(v))\"/>\n" }
        return out
    }

    private static func fill(_ colour: String, alpha: Int, outline: String?, width: Double, dashWhenNotSignificant: Bool) -> String {
        var out = "      <symbol type=\"fill\" name=\"@NAME@\" alpha=\"1\" clip_to_extent=\"1\" force_rhr=\"0\">\n"
        out += "        <layer class=\"SimpleFill\" enabled=\"1\" locked=\"0\" pass=\"0\">\n"
        out += options([
            ("color", rgba(colour, alpha: alpha)), ("style", alpha == 0 ? "no" : "solid"),
            ("outline_color", rgba(outline ?? colour, alpha: outline == nil ? 0 : 255)),
            ("outline_style", outline == nil ? "no" : "solid"), ("outline_width", "\(width)"), ("outline_width_unit", "MM"),
            ("joinstyle", "round"),
        ])
        if dashWhenNotSignificant { out += dashedUnlessSignificant }
        return out + "        </layer>\n      </symbol>\n"
    }

    /// Data-defined stroke style: dashed unless the region is significant, as on the HTML map.
    private static let dashedUnlessSignificant = """
                  <data_defined_properties>
                    <Option type="Map">
                      <Option type="QString" name="name" value=""/>
                      <Option type="Map" name="properties">
                        <Option type="Map" name="outlineStyle">
                          <Option type="bool" name="active" value="true"/>
                          <Option type="QString" name="expression" value="CASE WHEN &quot;significant&quot; THEN 'solid' ELSE 'dash' END"/>
                          <Option type="int" name="type" value="3"/>
                        </Option>
                      </Option>
                      <Option type="QString" name="type" value="collection"/>
                    </Option>
                  </data_defined_properties>

        """

    private static func marker(fill colour: String, alpha: Int, outline: String, size: Double) -> String {
        var out = "      <symbol type=\"marker\" name=\"@NAME@\" alpha=\"1\" clip_to_extent=\"1\" force_rhr=\"0\">\n"
        out += "        <layer class=\"SimpleMarker\" enabled=\"1\" locked=\"0\" pass=\"0\">\n"
        out += options([
            ("name", "circle"), ("color", rgba(colour, alpha: alpha)), ("outline_color", rgba(outline, alpha: 255)),
            ("outline_style", "solid"), ("outline_width", "0.2"), ("outline_width_unit", "MM"),
            ("size", "\(size)"), ("size_unit", "MM"),
        ])
        return out + "        </layer>\n      </symbol>\n"
    }

    private static func labels(field: String, colour: String, size: Double, bold: Bool, italic: Bool) -> String {
        let style = "fontSize=\"\(size)\" fontSizeUnit=\"Point\" fontWeight=\"\(bold ? 75 : 50)\" fontItalic=\"\(italic ? 1 : 0)\""
        let out = """
              <labeling type="simple">
                <settings calloutType="simple">
                  <text-style fieldName="\(field)" isExpression="0" \(style) textColor="\(rgba(colour, alpha: 255))" textOpacity="1">
                    <text-buffer bufferDraw="1" bufferSize="0.8" bufferSizeUnits="MM" bufferColor="255,255,255,255" bufferOpacity="1"/>
                  </text-style>
                  <placement placement="1" dist="1" distUnits="MM"/>

            """
        return out + "    </settings>\n  </labeling>\n"
    }
}
