#!/usr/bin/env bash
# Rebuilds RegionRisk's embedded Mali data from package-registry sources:
#   Geodata/mali/boundary.geojson                 DCW outline       (Debian gmt-dcw)
#   Geodata/mali/regions.geojson                  9 admin-1 regions (Debian qgis-common, Natural Earth)
#   Geodata/mali/samples/incidents-2024-2025.csv  copy of ../shared/seed/incidents-2024-2025.csv
#   Geodata/africa/outline.geojson                Africa's DCW outline, simplified (benchmarks only)
#   Geodata/mali/gazetteer/ML-gazetteer.tsv       compact gazetteer derived from ../shared's GeoNames dump
# Every file is written deterministically: running it twice gives identical bytes.
#
# Usage: Geodata/scripts/rebuild.sh [--check]
#   --check   build into a temporary folder and compare with the committed files;
#             exits 1 when they differ (nothing in Geodata/ is touched).
# Environment:
#   REGIONRISK_SHARED        the team's shared folder (default: <project>/../shared); optional,
#                            without it the sample is checked but not re-copied
#   REGIONRISK_GEODATA_VENV  Python venv for the scripts (default: ~/.cache/regionrisk/geodata-venv)
#   PYTHON                   interpreter that creates the venv (default: python3)
set -euo pipefail
export PYTHONDONTWRITEBYTECODE=1   # keep __pycache__ out of the source tree

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
project="$(cd "$here/../.." && pwd)"
shared="${REGIONRISK_SHARED:-$project/../shared}"
if [[ -d $shared ]]; then shared="$(cd "$shared" && pwd)"; fi
venv="${REGIONRISK_GEODATA_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/regionrisk/geodata-venv}"
python="${PYTHON:-python3}"

dcw=/usr/share/gmt-dcw/dcw-gmt.nc
dcw_countries=/usr/share/gmt-dcw/dcw-countries.txt
gpkg=/usr/share/qgis/resources/data/world_map.gpkg
seed="$shared/seed/incidents-2024-2025.csv"
geonames="$shared/geodata/mali/geonames-ML.txt"

check=0
case "${1:-}" in
  --check) check=1 ;;
  "") ;;
  *) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac

# --- system packages -------------------------------------------------------
if [[ ! -f $dcw || ! -f $gpkg ]] || ! command -v ogr2ogr >/dev/null; then
  sudo=""
  if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
  echo "installing gmt-dcw qgis-common gdal-bin with apt-get"
  $sudo apt-get install -y --no-install-recommends gmt-dcw qgis-common gdal-bin \
    || { $sudo apt-get update && $sudo apt-get install -y --no-install-recommends gmt-dcw qgis-common gdal-bin; }
fi
for pkg in gmt-dcw:2.1.1 qgis-common:3.22.16; do
  name=${pkg%%:*}; want=${pkg#*:}
  have=$(dpkg-query -W -f '${Version}' "$name" 2>/dev/null || echo "?")
  echo "$name $have"
  if [[ $have != "$want"* ]]; then
    echo "warning: SOURCES.md documents $name $want; the output will differ from the committed files" >&2
  fi
done

# --- Python packages (own venv, so the system and user site stay untouched) --
if [[ ! -x $venv/bin/python ]]; then
  mkdir -p "$(dirname "$venv")"
  "$python" -m venv "$venv" || { echo "cannot create a venv with $python (Debian: apt-get install python3-venv)" >&2; exit 1; }
fi
if ! "$venv/bin/python" -c "import netCDF4, pyproj, shapely" 2>/dev/null; then
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$here/requirements.txt"
fi
py="$venv/bin/python"

# --- build -----------------------------------------------------------------
committed="$project/Geodata/mali"
if [[ $check -eq 1 ]]; then
  out="$(mktemp -d)"
  trap 'rm -rf "$out"' EXIT
else
  out="$committed"
fi
geonames_arg=()
if [[ -f $geonames ]]; then geonames_arg=(--geonames "$geonames"); fi

cd "$here"
echo "== boundary"
"$py" build_boundary.py "$dcw" "$out/boundary.geojson"
echo "== africa"
africa_out="$project/Geodata/africa/outline.geojson"
if [[ $check -eq 1 ]]; then africa_out="$out/africa-outline.geojson"; fi
mkdir -p "$(dirname "$africa_out")"
"$py" build_africa.py "$dcw" "$dcw_countries" "$africa_out"
echo "== regions"
"$py" build_regions.py --gpkg "$gpkg" --boundary "$out/boundary.geojson" --out "$out/regions.geojson" "${geonames_arg[@]}"
echo "== sample"
if [[ -f $seed ]]; then
  "$py" build_sample.py --seed "$seed" --boundary "$out/boundary.geojson" --regions "$out/regions.geojson" \
    --out "$out/samples/incidents-2024-2025.csv" "${geonames_arg[@]}"
else
  # No seed here: check the committed copy (and, with --check, compare it with itself).
  mkdir -p "$out/samples"
  if [[ $check -eq 1 ]]; then cp "$committed/samples/incidents-2024-2025.csv" "$out/samples/"; fi
  "$py" build_sample.py --boundary "$out/boundary.geojson" --regions "$out/regions.geojson" \
    --out "$out/samples/incidents-2024-2025.csv" "${geonames_arg[@]}"
fi

echo "== gazetteer"
adm2="$shared/geodata/mali/ocha-adm2.geojson"
gazetteer_files=()
if [[ -f $geonames && -f $adm2 ]]; then
  mkdir -p "$out/gazetteer"
  "$py" build_mali_gazetteer.py --geonames "$geonames" --adm2 "$adm2" --regions "$out/regions.geojson" \
    --out "$out/gazetteer/ML-gazetteer.tsv"
  gazetteer_files=(gazetteer/ML-gazetteer.tsv)
else
  echo "no GeoNames dump or OCHA cercles under $shared: the committed gazetteer is kept"
fi

if [[ $check -eq 1 ]]; then
  status=0
  if cmp -s "$out/africa-outline.geojson" "$project/Geodata/africa/outline.geojson"; then
    echo "same: Geodata/africa/outline.geojson"
  else
    echo "DIFFERS: Geodata/africa/outline.geojson" >&2; status=1
  fi
  for f in boundary.geojson regions.geojson samples/incidents-2024-2025.csv "${gazetteer_files[@]}"; do
    if cmp -s "$out/$f" "$committed/$f"; then
      echo "same: Geodata/mali/$f"
    else
      echo "DIFFERS: Geodata/mali/$f" >&2; status=1
    fi
  done
  exit $status
fi
