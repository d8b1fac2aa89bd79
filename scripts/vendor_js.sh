#!/usr/bin/env bash
# Fetch the site's JavaScript from the npm registry (pinned versions, checked against the
# integrity hashes in scripts/vendor.lock) and unpack what the book serves into _vendor/:
#   _vendor/mathjax/           MathJax 3 (tex-chtml-full.js + its CHTML fonts)
#   _vendor/widgets/           the ipywidgets embed manager and require.js
# The folder is added to html_static_path in _config.yml, so the site needs no CDN.
set -euo pipefail
cd "$(dirname "$0")/.."
out=_vendor
stamp=$out/.vendor.lock
if [ -f "$stamp" ] && cmp -s "$stamp" scripts/vendor.lock; then
  exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
bash scripts/npm_fetch.sh scripts/vendor.lock "$tmp"
rm -rf "$out"
mkdir -p "$out/mathjax/output/chtml" "$out/widgets"
cp "$tmp/mathjax/package/es5/tex-chtml-full.js" "$out/mathjax/"
cp -r "$tmp/mathjax/package/es5/output/chtml/fonts" "$out/mathjax/output/chtml/"
cp "$tmp/mathjax/package/LICENSE" "$out/mathjax/LICENSE"
cp "$tmp/jupyter-widgets-html-manager/package/dist/embed-amd.js" "$out/widgets/"
cp "$tmp/requirejs/package/require.js" "$out/widgets/"
cp scripts/vendor.lock "$stamp"
echo "vendor_js: $(du -sh "$out" | cut -f1) in $out"
