#!/usr/bin/env bash
# Measures, in headless Chromium, the rendered width of sample map labels in the SVG map's
# font stack, and writes them as the fixture that TextMetrics (the label-placement width
# estimate) is tested against:
#
#   scripts/measure-text-in-chromium.sh > Tests/RegionRiskTests/Fixtures/report/out/chromium-text-widths.json
#
# Needs chromium (apt-get install -y chromium) and python3. Each row: [text, font size px, bold, width px].
set -euo pipefail
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome) || {
    echo "error: chromium not installed" >&2; exit 1; }
font_family="system-ui, 'DejaVu Sans', 'Helvetica Neue', Arial, sans-serif"   # MapStyle.fontFamily
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 - "$work/measure.html" "$font_family" <<'PY'
import html, json, sys
out, family = sys.argv[1], sys.argv[2]
samples = ["Kayes, Diboli", "Nioro du Sahel", "Sandaré", "Gogui", "Diafarabé, Dioura, Niono", "Tinzaouatène",
           "Ménaka", "Ségou", "Tombouctou", "Koulikoro", "Ansongo", "Ténenkou", "Djiguibombo", "Boulkessi",
           "Léré", "Nampala", "Ber", "Labbézanga", "Diamond Cement Factory, Karaga", "Aguelhok", "Tessalit",
           "Mali: flagged regions and event density, as of 2025-07-08", "0.001–0.01 events/km²", "≥ 0.0002 events/km²",
           "Persistently active (persistent)", "Significant (FDR-corrected)", "Scale at 17.6° N", "500 km",
           "W M i l . , ' ( ) 0123456789", "ÀÉÎÕÜ àéîõü çñ ŒœŠšŽž", "A&B <Land> \"quoted\""]
texts = []
for s in samples:
    for size in (10, 11, 12, 16):
        for bold in (False, True):
            weight = ' font-weight="bold"' if bold else ""
            texts.append(f'<text x="0" y="20" font-size="{size}"{weight}>{html.escape(s)}</text>')
page = f'''<!DOCTYPE html><html><body><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10" font-family="{html.escape(family)}">
{"".join(texts)}</svg><pre id="out"></pre><script>
const rows = [];
document.querySelectorAll("text").forEach(t => rows.push([t.textContent, Number(t.getAttribute("font-size")),
  t.getAttribute("font-weight") === "bold", Math.round(t.getComputedTextLength() * 100) / 100]));
document.getElementById("out").textContent = JSON.stringify(rows);
</script></body></html>'''
open(out, "w").write(page)
PY

"$browser" --headless --no-sandbox --disable-gpu --user-data-dir="$work/profile" --dump-dom "file://$work/measure.html" 2>/dev/null |
    python3 -c '
import html, json, re, sys
rows = json.loads(html.unescape(re.search(r"<pre id=\"out\">(.*?)</pre>", sys.stdin.read(), re.S).group(1)))
print("[")
print(",\n".join(json.dumps(r, ensure_ascii=False) for r in rows))
print("]")'
