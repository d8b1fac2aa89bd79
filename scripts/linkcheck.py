"""Run LinkChecker over the built site, served on localhost.

LinkChecker drops its privileges to ``nobody`` when started as root (as in CI), and ``nobody``
may not read a checkout under a private temporary folder; over HTTP the files are read by this
process instead. Only internal links are followed (the check runs offline).

Usage: python scripts/linkcheck.py [SITE_DIR]   (default _build/html)
"""

from __future__ import annotations

import functools
import http.server
import subprocess
import sys
import threading
from pathlib import Path


class _Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


class _Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a checker closing the connection early is not a broken link


def main(argv: list[str]) -> int:
    site = Path(argv[0] if argv else "_build/html").resolve()
    if not (site / "index.html").is_file():
        print(f"linkcheck: no built site at {site} (run `make book` first)", file=sys.stderr)
        return 2
    handler = functools.partial(_Handler, directory=str(site))
    with _Server(("127.0.0.1", 0), handler) as httpd:
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{httpd.server_address[1]}/index.html"
        config = Path(__file__).resolve().parents[1] / "tests" / "site" / "linkcheckerrc"
        linkchecker = Path(sys.executable).with_name("linkchecker")
        done = subprocess.run([str(linkchecker), "--config", str(config), "--no-status", url], check=False)
        httpd.shutdown()
    return done.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
