#!/usr/bin/env bash
# Fetch the JavaScript the browser tests inject into the pages (pinned, checked against the
# integrity hashes in scripts/vendor-test.lock) into _build/site-test-vendor/:
#   _build/site-test-vendor/axe-core/axe.min.js   the accessibility engine (tests/site/test_a11y.py)
# Test-only: this folder is outside _build/html, so nothing here is published with the site.
set -euo pipefail
cd "$(dirname "$0")/.."
out=_build/site-test-vendor
stamp=$out/.vendor.lock
if [ -f "$stamp" ] && cmp -s "$stamp" scripts/vendor-test.lock; then
  exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
bash scripts/npm_fetch.sh scripts/vendor-test.lock "$tmp"
rm -rf "$out"
mkdir -p "$out/axe-core"
cp "$tmp/axe-core/package/axe.min.js" "$tmp/axe-core/package/LICENSE" "$out/axe-core/"
cp scripts/vendor-test.lock "$stamp"
echo "vendor_test_js: $(du -sh "$out" | cut -f1) in $out"
