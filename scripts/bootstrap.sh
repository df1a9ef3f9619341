#!/usr/bin/env bash
# Installs the Debian packages RegionRisk builds and tests against, if any is missing.
# Usage: scripts/bootstrap.sh [--with-test-tools]
#   Build: libgdal-dev (GDAL/OGR: any vector format in; GeoPackage and GeoTIFF out) besides PROJ, GEOS, SQLite,
#   and OpenBLAS (the Gaussian density's matrix products; its threaded build, which is safe to call from the engine's threads).
#   --with-test-tools also installs gdal-bin (ogrinfo/gdalinfo/ogr2ogr check the outputs and make
#   Shapefile fixtures), chromium and python3 (scripts/check-report-in-browser.sh, run by the tests).
set -euo pipefail

packages=(pkg-config libproj-dev proj-data libgeos-dev libgdal-dev libsqlite3-dev libopenblas-pthread-dev)
if [[ "${1:-}" == "--with-test-tools" ]]; then packages+=(gdal-bin chromium python3); fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if ((${#missing[@]})); then
  echo "bootstrap: installing ${missing[*]}" >&2
  sudo=""
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null || { echo "bootstrap: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
    sudo="sudo"
  fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

command -v swift >/dev/null || { echo "bootstrap: the Swift toolchain (swift) is not on PATH" >&2; exit 1; }
