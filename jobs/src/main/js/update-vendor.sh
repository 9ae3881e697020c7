#!/usr/bin/env bash
# Refreshes the minified Vega, Vega-Lite and vega-embed builds (and their licences) that the HTML report inlines,
# from the versions pinned in package.json / package-lock.json. Needs Node.js and npm; the build does not.
set -euo pipefail
cd "$(dirname "$0")"
npm ci --ignore-scripts --no-audit --no-fund
out=../resources/io/supportroi/report/vendor
mkdir -p "$out"
for p in vega vega-lite vega-embed; do
  cp "node_modules/$p/build/$p.min.js" "$out/"
  cp "node_modules/$p/LICENSE" "$out/LICENSE-$p"
done
rm -rf node_modules
