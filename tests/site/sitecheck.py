"""The checks behind the browser tests of the built site (tests/site/): the pages to visit,
what each page's source says it must show, and the visit itself (Playwright driving Debian's
Chromium against the site served on 127.0.0.1, every other request blocked and recorded).

Each page of the table of contents is visited ONCE (:class:`SiteVisitor` caches the
:class:`PageReport`); the tests in ``test_pages.py`` and ``test_a11y.py`` assert on the report.
What a page must show (formulas, figures, demos, solutions) is read from its source file, so the
tests get stronger as the chapters grow and fail loudly when a page shows less than its source.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import os
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import yaml

ROOT = Path(__file__).resolve().parents[2]
# the built book; MLECOURSE_SITE_DIR points the tests at another build (e.g. a fresh one)
SITE = Path(os.environ.get("MLECOURSE_SITE_DIR", ROOT / "_build" / "html"))
AXE_JS = ROOT / "_build" / "site-test-vendor" / "axe-core" / "axe.min.js"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PAGE_TIMEOUT_MS = 30_000


# -- what the sources say each page must show -----------------------------------------------------


def toc_docnames(toc_path: Path = ROOT / "_toc.yml") -> list[str]:
    """Every page of the book, in reading order, as docnames ("intro", "chapters/01_likelihood")."""
    toc = yaml.safe_load(toc_path.read_text(encoding="utf-8"))
    names = [toc["root"]]

    def walk(entries: list[dict]) -> None:
        for entry in entries or []:
            if "file" in entry:
                names.append(str(Path(entry["file"]).with_suffix("")))
            for key in ("parts", "chapters", "sections"):
                walk(entry.get(key, []))

    for key in ("parts", "chapters", "sections"):
        walk(toc.get(key, []))
    return names


def source_of(docname: str) -> Path:
    """The source file of a page (.ipynb or .md)."""
    for suffix in (".ipynb", ".md"):
        path = ROOT / f"{docname}{suffix}"
        if path.exists():
            return path
    raise FileNotFoundError(f"no .ipynb or .md source for the page {docname!r} of _toc.yml")


_MATH_RE = re.compile(r"\$[^$\n]+\$|\$\$|\\begin\{(equation|align|gather|multline)")
# The mime types myst-nb renders in preference to an image (our priority list, see _config.yml).
_BEFORE_IMAGES = ("text/html", "application/vnd.jupyter.widget-view+json", "application/javascript")
_IMAGES = ("image/svg+xml", "image/png", "image/gif", "image/jpeg")


@dataclass(frozen=True)
class Expected:
    """What a page's source says the page must show."""

    is_notebook: bool
    math: bool  # the source has formulas
    images: int  # notebook outputs rendered as an <img>
    demos: int  # mlecourse.widgets.demo outputs (static HTML slider)
    solutions: int  # {solution} directives


def expected_for(docname: str) -> Expected:
    src = source_of(docname)
    text = src.read_text(encoding="utf-8")
    if src.suffix != ".ipynb":
        prose = re.sub(r"```.*?```", "", text, flags=re.S)  # fenced code is not math
        return Expected(
            False, bool(_MATH_RE.search(prose)), 0, 0, len(re.findall(r"[`:]{3,}\{solution\}", text))
        )
    nb = json.loads(text)
    math = images = demos = solutions = 0
    for cell in nb["cells"]:
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        if cell["cell_type"] == "markdown":
            math += bool(_MATH_RE.search(re.sub(r"```.*?```", "", source, flags=re.S)))
            solutions += len(re.findall(r"[`:]{3,}\{solution\}", source))
            continue
        if cell["cell_type"] != "code":
            continue
        tags = cell.get("metadata", {}).get("tags", [])
        if {"remove-output", "remove-cell"} & set(tags):
            continue
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            html = data.get("text/html", "")
            html = "".join(html) if isinstance(html, list) else html
            if 'class="mlecourse-demo"' in html:
                demos += 1
            elif not any(m in data for m in _BEFORE_IMAGES) and any(m in data for m in _IMAGES):
                images += 1
    return Expected(True, math > 0, images, demos, solutions)


# -- the page report ----------------------------------------------------------------------------


@dataclass
class PageReport:
    """Everything one visit of a page found (filled by :meth:`SiteVisitor.visit`)."""

    docname: str
    url: str
    console_errors: list[str] = field(default_factory=list)
    external_requests: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    math: dict = field(default_factory=dict)
    images: list[dict] = field(default_factory=list)
    raw_tex: list[str] = field(default_factory=list)
    headings: list[dict] = field(default_factory=list)
    solutions: list[dict] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    demos: list[dict] = field(default_factory=list)
    axe: dict = field(default_factory=dict)
    html_bytes: int = 0
    image_file_bytes: int = 0
    transferred_bytes: int = 0  # everything a first visit downloads (scripts, fonts, ...)
    seconds: float = 0.0


# JavaScript run in the page. Kept here, as plain strings, so each test reads as Python.
JS_MATH = """async () => {
  const math = document.querySelectorAll("main .math, main mjx-container");
  const spans = Array.from(document.querySelectorAll("main .math"));
  const out = {mathjax: typeof window.MathJax !== "undefined"
                        && !!(MathJax.startup && MathJax.startup.promise),
               math_elements: spans.length, containers: 0, untypeset: [], tex_errors: []};
  if (out.mathjax) {
    await MathJax.startup.promise;
    for (const item of MathJax.startup.document.math) {
      const mml = MathJax.startup.toMML(item.root);
      if (mml.includes("<merror") || /<mtext[^>]*mathcolor="red"[^>]*>\\\\/.test(mml)) {
        out.tex_errors.push(item.math.slice(0, 120));
      }
    }
  }
  out.containers = document.querySelectorAll("main mjx-container").length;
  // display formulas wider than the text column (the reader has to scroll them sideways)
  out.wide = Array.from(document.querySelectorAll("main mjx-container[display=true]"))
    .filter(e => e.scrollWidth > e.clientWidth + 2)
    .map(e => `${e.scrollWidth}px in ${e.clientWidth}px: ${e.textContent.slice(0, 50)}`);
  for (const el of spans) {
    if (!el.querySelector("mjx-container")) { out.untypeset.push(el.textContent.trim().slice(0, 120)); }
  }
  return out;
}"""

JS_RAW_TEX = """() => {
  const main = document.querySelector("main").cloneNode(true);
  main.querySelectorAll("pre, code, script, style, textarea, mjx-container, .highlight")
      .forEach(e => e.remove());
  const text = main.textContent;
  const found = [];
  const patterns = [/\\$\\$/g, /\\\\\\[/g, /\\\\\\(/g, /\\\\begin\\{/g,
                    /\\$[^$\\n]*\\\\[A-Za-z]+[^$\\n]*\\$/g];
  for (const re of patterns) {
    let m; while ((m = re.exec(text)) !== null) {
      found.push(text.slice(Math.max(0, m.index - 40), m.index + 60).replace(/\\s+/g, " "));
      if (found.length > 20) return found;
    }
  }
  return found;
}"""

JS_IMAGES = """async () => {
  const imgs = Array.from(document.images);
  imgs.forEach(img => { img.loading = "eager"; });
  await Promise.all(imgs.map(img => img.decode().catch(() => null)));
  return imgs.map(img => ({
    src: img.getAttribute("src") || "",
    alt: img.getAttribute("alt"),
    in_main: !!img.closest("main"),
    in_demo: !!img.closest(".mlecourse-demo"),
    complete: img.complete,
    natural_width: img.naturalWidth,
    data_bytes: (img.getAttribute("src") || "").startsWith("data:") ? img.getAttribute("src").length : 0,
  }));
}"""

JS_HEADINGS = """() => Array.from(document.querySelectorAll(
    "main h1, main h2, main h3, main h4, main h5, main h6"))
  .filter(h => !h.closest("nav, .bd-toc, .toc, .onlyprint, #jb-print-docs-body"))
  .map(h => ({level: Number(h.tagName[1]),
              text: h.textContent.replace(/[#¶]/g, "").trim().slice(0, 80)}))"""

JS_SOLUTIONS = """() => Array.from(document.querySelectorAll("main .solution")).map(el => {
  const body = Array.from(el.children).filter(c => !c.classList.contains("admonition-title")
                                                && !c.matches("button, .toggle-button"));
  return {title: (el.querySelector(".admonition-title") || el).textContent.trim().slice(0, 80),
          dropdown: el.classList.contains("dropdown") || el.tagName === "DETAILS",
          body_visible: body.some(c => c.checkVisibility({visibilityProperty: true, opacityProperty: true}))};
})"""

JS_LINKS = """() => Array.from(document.querySelectorAll("a[href]")).map(a => a.href)"""

JS_DEMOS = """() => Array.from(document.querySelectorAll("main .mlecourse-demo")).map(d => ({
  id: d.id,
  ready: d.getAttribute("data-ready") === "1",
  inputs: Array.from(d.querySelectorAll("input[type=range]")).map(i => ({
    id: i.id, min: Number(i.min), max: Number(i.max), value: Number(i.value), disabled: i.disabled,
    label: (document.querySelector(`label[for="${i.id}"]`) || {textContent: ""}).textContent.trim(),
  })),
}))"""

JS_FRAME = """async (id) => {
  const img = document.getElementById(id).querySelector("img");
  await img.decode().catch(() => null);
  return {src_hash: img.src.length + ":" + img.src.slice(-64), natural_width: img.naturalWidth,
          alt: img.alt,
          outputs: Array.from(document.getElementById(id).querySelectorAll("output"))
                        .map(o => o.textContent)};
}"""

JS_CONTRAST = """async () => (await axe.run(document, {
  runOnly: {type: "rule", values: ["color-contrast", "link-in-text-block"]},
  resultTypes: ["violations"]})).violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    helpUrl: v.helpUrl, nodes: v.nodes.slice(0, 5).map(n => ({target: n.target.join(" "),
    html: n.html.slice(0, 200), summary: n.failureSummary}))}))"""

JS_AXE = """async () => {
  const r = await axe.run(document, {resultTypes: ["violations"]});
  return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.slice(0, 5).map(n => ({target: n.target.join(" "), html: n.html.slice(0, 200),
                                          summary: n.failureSummary}))}));
}"""


def _is_local(url: str, origin: str) -> bool:
    if url.startswith(("data:", "blob:", "about:")):
        return True
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" == origin


class SiteVisitor:
    """Visits pages of the served site in Chromium (a fresh browser context per page).

    :meth:`prefetch` visits all pages at once on a few worker threads (each with its own
    Playwright instance and browser: the sync API is not thread-safe), so the slow parts
    (MathJax, axe-core) of two pages run side by side; :meth:`visit` returns the cached report
    (or re-raises what went wrong while visiting that page).
    """

    def __init__(self, origin: str, site: Path = SITE):
        self.origin = origin
        self.site = site
        self.reports: dict[str, PageReport] = {}
        self.errors: dict[str, BaseException] = {}
        self.dark_violations: dict[str, list[dict]] = {}
        self.wall_seconds = 0.0

    def prefetch(self, docnames: list[str], workers: int = 2, dark: list[str] = ()) -> None:
        """Visit ``docnames`` (and check the contrast of ``dark`` in dark mode) on worker threads."""
        import queue
        import time

        # longest jobs first (the chapters), so that the workers finish together
        jobs = [("light", d) for d in docnames if d.startswith("chapters/")]
        jobs += [("dark", d) for d in dark]
        jobs += [("light", d) for d in docnames if not d.startswith("chapters/")]
        todo: queue.Queue[tuple[str, str]] = queue.Queue()
        for mode, d in jobs:
            if d not in (self.reports if mode == "light" else self.dark_violations):
                todo.put((mode, d))

        def work() -> None:
            from playwright.sync_api import sync_playwright

            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                try:
                    while True:
                        try:
                            mode, d = todo.get_nowait()
                        except queue.Empty:
                            return
                        try:
                            if mode == "dark":
                                self.dark_violations[d] = self._contrast_in_dark_mode(browser, d)
                            else:
                                self.reports[d] = self._visit(browser, d)
                        except Exception as exc:  # reported by the tests of that page
                            self.errors[d if mode == "light" else f"{d} (dark)"] = exc
                finally:
                    browser.close()

        start = time.perf_counter()
        threads = [threading.Thread(target=work) for _ in range(max(1, workers))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.wall_seconds += time.perf_counter() - start

    def dark(self, docname: str) -> list[dict]:
        """The axe-core contrast violations of a page in the theme's dark mode."""
        if docname not in self.dark_violations and f"{docname} (dark)" not in self.errors:
            self.prefetch([], workers=1, dark=[docname])
        if f"{docname} (dark)" in self.errors:
            raise AssertionError(f"{docname}: dark mode: {self.errors[docname + ' (dark)']!r}")
        return self.dark_violations[docname]

    def _contrast_in_dark_mode(self, browser, docname: str) -> list[dict]:
        context = browser.new_context(color_scheme="dark", service_workers="block")
        try:
            context.route("**/*", lambda r: r.continue_() if _is_local(r.request.url, self.origin)
                          else r.abort("blockedbyclient"))
            page = context.new_page()
            page.set_default_timeout(PAGE_TIMEOUT_MS)
            page.goto(f"{self.origin}/{docname}.html", wait_until="load")
            theme = page.evaluate("document.documentElement.dataset.theme")
            assert theme == "dark", f"{docname}: the theme did not switch to dark mode ({theme!r})"
            page.evaluate("window.MathJax ? MathJax.startup.promise : null")
            page.add_script_tag(path=str(AXE_JS))
            return page.evaluate(JS_CONTRAST)
        finally:
            context.close()

    def visit(self, docname: str) -> PageReport:
        if docname not in self.reports and docname not in self.errors:
            self.prefetch([docname], workers=1)
        if docname in self.errors:
            raise AssertionError(f"{docname}: visiting the page failed: {self.errors[docname]!r}")
        return self.reports[docname]

    def _visit(self, browser, docname: str) -> PageReport:
        import time

        start = time.perf_counter()
        report = PageReport(docname, f"{self.origin}/{docname}.html")
        html_file = self.site / f"{docname}.html"
        if not html_file.exists():
            raise AssertionError(f"{docname}: {html_file} was not built (is it in _toc.yml?)")
        report.html_bytes = html_file.stat().st_size
        context = browser.new_context(service_workers="block", viewport={"width": 1280, "height": 900})
        try:
            def route(r):
                if _is_local(r.request.url, self.origin):
                    r.continue_()
                else:
                    report.external_requests.append(r.request.url)
                    r.abort("blockedbyclient")

            context.route("**/*", route)
            page = context.new_page()
            page.set_default_timeout(PAGE_TIMEOUT_MS)

            def on_console(msg) -> None:
                if msg.type == "error":
                    report.console_errors.append(
                        f"console.error: {msg.text} ({msg.location.get('url', '')})"
                    )

            def on_response(resp) -> None:
                if resp.status >= 400:
                    report.failed_requests.append(f"HTTP {resp.status} {resp.url}")
                elif _is_local(resp.url, self.origin) and not resp.url.startswith("data:"):
                    report.transferred_bytes += int(resp.headers.get("content-length", 0))

            def on_request_failed(req) -> None:
                if _is_local(req.url, self.origin):
                    report.failed_requests.append(f"{req.failure} {req.url}")

            page.on("console", on_console)
            page.on("pageerror", lambda e: report.console_errors.append(f"uncaught: {e}"))
            page.on("response", on_response)
            page.on("requestfailed", on_request_failed)
            response = page.goto(report.url, wait_until="load")
            assert response is not None and response.ok, f"{docname}: {report.url} -> {response}"

            report.math = page.evaluate(JS_MATH)
            report.raw_tex = page.evaluate(JS_RAW_TEX)
            report.images = page.evaluate(JS_IMAGES)
            for img in report.images:
                src = img["src"]
                if src and not src.startswith("data:"):
                    target = (html_file.parent / src.split("?")[0].split("#")[0]).resolve()
                    if target.is_file():
                        report.image_file_bytes += target.stat().st_size
            report.headings = page.evaluate(JS_HEADINGS)
            report.solutions = page.evaluate(JS_SOLUTIONS)
            report.links = page.evaluate(JS_LINKS)
            if AXE_JS.exists():
                page.add_script_tag(path=str(AXE_JS))
                report.axe = {"violations": page.evaluate(JS_AXE)}
            report.demos = self._exercise_demos(page)
        finally:
            context.close()
        report.seconds = time.perf_counter() - start
        return report

    @staticmethod
    def _exercise_demos(page) -> list[dict]:
        """Move every slider of every static demo through all its values, recording the frames."""
        demos = page.evaluate(JS_DEMOS)
        for d in demos:
            d["moves"] = []
            d["start_frame"] = page.evaluate(JS_FRAME, d["id"])
            for k, inp in enumerate(d["inputs"]):
                if inp["disabled"]:
                    continue
                slider = page.locator(f"#{inp['id']}")
                slider.scroll_into_view_if_needed()
                slider.focus()
                slider.press("Home")  # keyboard moves fire the same input events as a drag
                previous = page.evaluate(JS_FRAME, d["id"])
                for value in range(inp["min"] + 1, inp["max"] + 1):
                    slider.press("ArrowRight")
                    frame = page.evaluate(JS_FRAME, d["id"])
                    d["moves"].append({"slider": k, "value": value,
                                       "value_now": int(slider.input_value()),
                                       "changed": frame["src_hash"] != previous["src_hash"],
                                       "output_changed": frame["outputs"] != previous["outputs"],
                                       "alt_changed": frame["alt"] != previous["alt"],
                                       "natural_width": frame["natural_width"]})
                    previous = frame
                # back to the start value, so the next slider moves from the starting frame
                slider.press("Home")
                for _ in range(inp["value"] - inp["min"]):
                    slider.press("ArrowRight")
        return demos


def dark_mode_sample() -> list[str]:
    """Pages whose contrast is also checked in dark mode: contrast depends on the CSS of each kind
    of component, which is the same on every page, so a page that has them all stands for the
    rest: the first chapter with a demo and solutions, and the glossary."""
    names = toc_docnames()
    chapters = [d for d in names if d.startswith("chapters/")]
    rich = [d for d in chapters if expected_for(d).demos and expected_for(d).solutions]
    return (rich or chapters)[:1] + [d for d in names if d == "glossary"]


# -- serving a folder --------------------------------------------------------------------------


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # the base class's signature
        pass


@contextlib.contextmanager
def serve(directory: Path):
    """Serve ``directory`` on 127.0.0.1 (a free port) from a thread; yields the origin URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
