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
while read -r spec integrity; do
  case "$spec" in ''|'#'*) continue ;; esac
  (cd "$tmp" && npm pack --silent "$spec" >/dev/null)
  tarball=$(ls -t "$tmp"/*.tgz | head -n 1)
  actual="sha512-$(python3 -c "import base64, hashlib, sys; print(base64.b64encode(hashlib.sha512(open(sys.argv[1], 'rb').read()).digest()).decode())" "$tarball")"
  if [ "$actual" != "$integrity" ]; then
    echo "vendor_test_js: integrity mismatch for $spec: expected $integrity, got $actual" >&2
    exit 1
  fi
  name=${spec%@*}; name=${name//\//-}; name=${name#@}
  mkdir -p "$tmp/$name" && tar xzf "$tarball" -C "$tmp/$name"
  rm -f "$tarball"
done < scripts/vendor-test.lock
rm -rf "$out"
mkdir -p "$out/axe-core"
cp "$tmp/axe-core/package/axe.min.js" "$tmp/axe-core/package/LICENSE" "$out/axe-core/"
cp scripts/vendor-test.lock "$stamp"
echo "vendor_test_js: $(du -sh "$out" | cut -f1) in $out"
