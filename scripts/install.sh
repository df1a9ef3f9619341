#!/usr/bin/env bash
# Installs regionrisk and its embedded data so that it runs without the build folder or the
# Swift toolchain:
#   PREFIX/bin/regionrisk            release build, Swift runtime linked statically
#                                    (--static-swift-stdlib); links only Debian's libproj,
#                                    libgeos, libgdal and libsqlite3 dynamically
#   PREFIX/share/regionrisk/mali/    the embedded Mali data (boundary, regions, gazetteer, sample)
#   PREFIX/share/regionrisk/africa/  Africa's outline, for continent-scale benchmarks
# The binary finds its data in $REGIONRISK_GEODATA, else beside itself (a build folder), else
# in ../share/regionrisk from its own folder.
#
# Usage: scripts/install.sh [--prefix DIR]    (default /usr/local)
set -euo pipefail
cd "$(dirname "$0")/.."
prefix=/usr/local
while (($#)); do
  case "$1" in
    --prefix) prefix="${2:?--prefix needs a folder}"; shift 2 ;;
    --prefix=*) prefix="${1#--prefix=}"; shift ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "install: unknown argument '$1' (usage: scripts/install.sh [--prefix DIR])" >&2; exit 64 ;;
  esac
done
scripts/bootstrap.sh
# A build folder of its own: static linking changes every product's link step.
swift build -c release --product regionrisk --static-swift-stdlib --scratch-path .build-install
bin="$(swift build -c release --static-swift-stdlib --scratch-path .build-install --show-bin-path)"
mkdir -p "$prefix/bin" "$prefix/share/regionrisk"
install -m 0755 "$bin/regionrisk" "$prefix/bin/regionrisk.new"
mv -f "$prefix/bin/regionrisk.new" "$prefix/bin/regionrisk"
# Each data set (mali/, africa/) replaces its previous copy whole: staged beside it, then swapped in.
share="$prefix/share/regionrisk"
for set in Geodata/*/; do
  name="$(basename "$set")"
  [[ "$name" == scripts ]] && continue
  rm -rf "$share/.$name.new" "$share/$name.old"
  cp -R "Geodata/$name" "$share/.$name.new"
  if [[ -d "$share/$name" ]]; then mv "$share/$name" "$share/$name.old"; fi
  mv "$share/.$name.new" "$share/$name"
  rm -rf "$share/$name.old"
done
echo "installed $prefix/bin/regionrisk and $share/{$(cd "$share" && ls -d */ | tr -d / | paste -sd, -)}"
