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
while read -r spec integrity; do
  case "$spec" in ''|'#'*) continue ;; esac
  (cd "$tmp" && npm pack --silent "$spec" >/dev/null)
  tarball=$(ls -t "$tmp"/*.tgz | head -n 1)
  actual="sha512-$(python3 -c "import base64, hashlib, sys; print(base64.b64encode(hashlib.sha512(open(sys.argv[1], 'rb').read()).digest()).decode())" "$tarball")"
  if [ "$actual" != "$integrity" ]; then
    echo "vendor_js: integrity mismatch for $spec: expected $integrity, got $actual" >&2
    exit 1
  fi
  name=${spec%@*}; name=${name//\//-}; name=${name#@}
  mkdir -p "$tmp/$name" && tar xzf "$tarball" -C "$tmp/$name"
  rm -f "$tarball"
done < scripts/vendor.lock
rm -rf "$out"
mkdir -p "$out/mathjax/output/chtml" "$out/widgets"
cp "$tmp/mathjax/package/es5/tex-chtml-full.js" "$out/mathjax/"
cp -r "$tmp/mathjax/package/es5/output/chtml/fonts" "$out/mathjax/output/chtml/"
cp "$tmp/mathjax/package/LICENSE" "$out/mathjax/LICENSE"
cp "$tmp/jupyter-widgets-html-manager/package/dist/embed-amd.js" "$out/widgets/"
cp "$tmp/requirejs/package/require.js" "$out/widgets/"
cp scripts/vendor.lock "$stamp"
echo "vendor_js: $(du -sh "$out" | cut -f1) in $out"
