#!/usr/bin/env bash
# Fetch the npm packages a lock file names (lines "name@version sha512-..."), check each tarball
# against its registry integrity hash, and unpack it into DEST/<name>/package/.
# Usage: scripts/npm_fetch.sh LOCK DEST      (used by vendor_js.sh and vendor_test_js.sh)
set -euo pipefail
lock=$1
dest=$2
mkdir -p "$dest"
while read -r spec integrity; do
  case "$spec" in ''|'#'*) continue ;; esac
  (cd "$dest" && npm pack --silent "$spec" >/dev/null)
  tarball=$(ls -t "$dest"/*.tgz | head -n 1)
  actual="sha512-$(python3 -c "import base64, hashlib, sys; print(base64.b64encode(hashlib.sha512(open(sys.argv[1], 'rb').read()).digest()).decode())" "$tarball")"
  if [ "$actual" != "$integrity" ]; then
    echo "npm_fetch: integrity mismatch for $spec: expected $integrity, got $actual" >&2
    exit 1
  fi
  name=${spec%@*}; name=${name//\//-}; name=${name#@}
  mkdir -p "$dest/$name" && tar xzf "$tarball" -C "$dest/$name"
  rm -f "$tarball"
done < "$lock"
