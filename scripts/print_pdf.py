"""Print the single-page view of the book to a PDF with headless Chromium (no LaTeX needed).

`make pdf` builds the single-page HTML (``jupyter-book build . --builder singlehtml``) and then
runs this script, which serves ``_build/singlehtml`` on 127.0.0.1, waits for MathJax, opens the
folded solutions (as the browser's own print does) and saves ``_build/pdf/mlecourse.pdf``.
Nothing is fetched from the internet: requests that leave the local server are refused.

Usage: python scripts/print_pdf.py [SINGLEHTML_DIR] [OUTPUT_PDF]
"""

from __future__ import annotations

import functools
import http.server
import sys
import threading
import time
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # the base class's signature
        pass


def main(argv: list[str]) -> int:
    from playwright.sync_api import sync_playwright

    root = Path(__file__).resolve().parents[1]
    site = Path(argv[0]) if argv else root / "_build" / "singlehtml"
    out = Path(argv[1]) if len(argv) > 1 else root / "_build" / "pdf" / "mlecourse.pdf"
    if not (site / "intro.html").exists():
        print(f"print_pdf: {site}/intro.html is missing; build it with the singlehtml builder",
              file=sys.stderr)
        return 1
    out.parent.mkdir(parents=True, exist_ok=True)
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    origin = f"http://127.0.0.1:{server.server_address[1]}"
    start = time.perf_counter()
    blocked: list[str] = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_page()

            def route(r):
                if r.request.url.startswith((origin, "data:")):
                    r.continue_()
                else:
                    blocked.append(r.request.url)
                    r.abort()

            page.route("**/*", route)
            page.goto(f"{origin}/intro.html", wait_until="load", timeout=120_000)
            page.evaluate("window.MathJax ? MathJax.startup.promise : null")
            page.evaluate("window.dispatchEvent(new Event('beforeprint'))")  # unfold solutions
            page.emulate_media(media="print")
            page.pdf(path=str(out), format="A4", print_background=True,
                     margin={"top": "15mm", "bottom": "15mm", "left": "12mm", "right": "12mm"})
            browser.close()
    finally:
        server.shutdown()
    if blocked:
        print(f"print_pdf: refused {len(blocked)} request(s) outside the site, e.g. {blocked[0]}",
              file=sys.stderr)
        return 1
    print(f"print_pdf: {out} ({out.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - start:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
