#!/usr/bin/env bash
# Checks the package's seams from `swift package dump-package`: at least five library stage
# targets; no dependency path from the density core (RegionRiskGrid) to the store/data, analysis
# or report targets; none from any library target to the CLI or ArgumentParser.
set -euo pipefail
cd "$(dirname "$0")/.."
swift package dump-package | python3 -c '
import json, sys
d = json.load(sys.stdin)
targets = {t["name"]: t for t in d["targets"]}
def deps(name):
    out = set()
    for dep in targets[name].get("dependencies", []):
        for kind, value in dep.items():
            out.add(value[0])
    return out
def closure(name):
    seen, todo = set(), [name]
    while todo:
        for m in deps(todo.pop()):
            if m not in seen:
                seen.add(m)
                if m in targets: todo.append(m)
    return seen
library = [n for n, t in targets.items() if t["type"] == "regular" and n.startswith("RegionRisk") and n != "RegionRiskGeodata"]
problems = []
if len(library) < 5: problems.append(f"only {len(library)} library targets: {library}")
forbidden = {"RegionRiskData", "RegionRiskPostgres", "RegionRiskAnalysis", "RegionRiskReport", "RegionRisk"}
if closure("RegionRiskGrid") & forbidden:
    problems.append(f"RegionRiskGrid reaches {sorted(closure('RegionRiskGrid') & forbidden)}")
for n in library:
    bad = closure(n) & {"regionrisk", "ArgumentParser"}
    if bad: problems.append(f"{n} reaches {sorted(bad)}")
if problems:
    print("check-seams: " + "; ".join(problems), file=sys.stderr); sys.exit(1)
grid = sorted(closure("RegionRiskGrid"))
print(f"check-seams: {len(library)} library targets; RegionRiskGrid depends only on {grid}; no library target reaches the CLI")
'
