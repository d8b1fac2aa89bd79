"""The browser checks themselves: on a crafted page with known defects, each one must fire.

A page visit that reports nothing is only evidence if the visit can see the defects it looks
for. This page has a TeX error, raw TeX left in the text, a broken image, an image whose alt
text is its file name, an image without alt text, pale text, a request to another host, a
console error, a skipped heading level, an open solution, and two real
``mlecourse.widgets.demo`` outputs: one whose frames change with the slider, one whose do not.
"""

from __future__ import annotations

import pytest
from sitecheck import AXE_JS, CHROMIUM, CHROMIUM_ARGS, SiteVisitor, serve

PNG_1PX = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


def _demo_html(moving: bool) -> str:
    from mlecourse.widgets import demo

    def draw(ax, lam):
        ax.plot([0, 1], [0, lam if moving else 1.0])
        ax.set_ylim(0, 3)
        ax.set_title("A line")

    return demo(draw, alt="A line whose slope is lam", lam=(1.0, 3.0, 1.0)).html


@pytest.fixture(scope="module")
def report(tmp_path_factory, site_dir):
    pytest.importorskip("matplotlib")  # a test dependency of the whole suite
    d = tmp_path_factory.mktemp("crafted")
    (d / "mathjax").symlink_to(site_dir / "mathjax", target_is_directory=True)
    (d / "page.html").write_text(
        f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Crafted</title>
<script>window.MathJax = {{"options": {{"processHtmlClass": "math"}}}};</script>
<script defer src="mathjax/tex-chtml-full.js"></script></head>
<body><main>
<h1>Crafted page</h1>
<h3>A skipped level</h3>
<p>Fine: <span class="math">\\(\\alpha + 1\\)</span>.
Broken: <span class="math">\\(\\nosuchmacro x\\)</span>.</p>
<p>Left raw by the parser: $\\theta = 1$.</p>
<img src="missing.png" alt="missing.png">
<img src="https://example.org/picture.png" alt="A picture on another host">
<img src="data:image/png;base64,{PNG_1PX}">
<p style="color: #bbbbbb; background: #ffffff">Text too pale to read.</p>
<div class="solution admonition"><p class="admonition-title">Solution to Exercise 1</p><p>Open.</p></div>
{_demo_html(moving=True)}
{_demo_html(moving=False)}
<script>console.error("deliberate error");</script>
</main></body></html>""",
        encoding="utf-8",
    )
    from playwright.sync_api import sync_playwright

    with serve(d) as origin, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            return SiteVisitor(origin, site=d)._visit(browser, "page")
        finally:
            browser.close()


def test_tex_errors_and_raw_tex_are_seen(report):
    assert report.math["mathjax"] and report.math["containers"] == 2
    assert any("nosuchmacro" in e for e in report.math["tex_errors"]), report.math
    assert any("\\theta" in t for t in report.raw_tex), report.raw_tex


def test_broken_images_external_requests_and_console_errors_are_seen(report):
    broken = [i["src"] for i in report.images if i["natural_width"] == 0]
    assert "missing.png" in broken
    assert any("example.org" in u for u in report.external_requests), report.external_requests
    assert any("deliberate error" in e for e in report.console_errors), report.console_errors
    assert any("missing.png" in f for f in report.failed_requests), report.failed_requests


def test_headings_and_open_solutions_are_seen(report):
    assert [h["level"] for h in report.headings] == [1, 3]
    assert report.solutions == [
        {"title": "Solution to Exercise 1", "dropdown": False, "body_visible": True}
    ]


def test_demo_frames_are_followed(report):
    moving, still = report.demos
    assert moving["ready"] and still["ready"]
    assert len(moving["moves"]) == 2 and len(still["moves"]) == 2
    assert all(m["changed"] and m["output_changed"] and m["natural_width"] > 0 for m in moving["moves"])
    assert not any(m["changed"] for m in still["moves"])  # same picture at every value
    assert all(m["output_changed"] for m in still["moves"])  # though the readout moves


def test_axe_sees_missing_alt_text_and_low_contrast(report):
    assert AXE_JS.exists(), "run `bash scripts/vendor_test_js.sh`"
    found = {v["id"]: v for v in report.axe["violations"]}
    assert found["image-alt"]["impact"] == "critical"
    assert len(found["image-alt"]["nodes"]) == 1  # the demos' frames have alt text
    assert found["color-contrast"]["impact"] == "serious"
