"""Accessibility of every page: axe-core (pinned in scripts/vendor-test.lock) run in Chromium.

Serious and critical violations fail (missing alt text, contrast below WCAG AA, unlabelled
controls, ...); moderate and minor ones are listed in the failure message of a failing page
only. Headings in order and alt texts that are real descriptions are checked in test_pages.py.
"""

from __future__ import annotations

from sitecheck import AXE_JS, CHROMIUM, CHROMIUM_ARGS, expected_for, toc_docnames

FAILING_IMPACTS = ("serious", "critical")


def _describe(v: dict) -> str:
    nodes = "\n".join(
        f"      at {n['target']} {n['html']}: {n['summary']}".replace("\n", " ") for n in v["nodes"]
    )
    return f"  - [{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})\n{nodes}"


def test_axe_no_serious_violations(visitor, docname):
    assert AXE_JS.exists(), (
        f"{AXE_JS} is missing: run `bash scripts/vendor_test_js.sh` (make site-test does)"
    )
    r = visitor.visit(docname)
    assert "violations" in r.axe, f"{docname}: axe-core did not run"
    serious = [v for v in r.axe["violations"] if v["impact"] in FAILING_IMPACTS]
    if serious:
        others = [v for v in r.axe["violations"] if v["impact"] not in FAILING_IMPACTS]
        raise AssertionError(
            f"{docname}: {len(serious)} serious/critical accessibility violation(s):\n"
            + "\n".join(_describe(v) for v in serious)
            + ("\n  (also moderate/minor:\n" + "\n".join(_describe(v) for v in others) + ")"
               if others else "")
        )


JS_CONTRAST = """async () => (await axe.run(document, {
  runOnly: {type: "rule", values: ["color-contrast", "link-in-text-block"]},
  resultTypes: ["violations"]})).violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    helpUrl: v.helpUrl, nodes: v.nodes.slice(0, 5).map(n => ({target: n.target.join(" "),
    html: n.html.slice(0, 200), summary: n.failureSummary}))}))"""


def _dark_mode_sample() -> list[str]:
    """Pages that show every kind of component (contrast depends on the CSS of a component, and
    the CSS is the same on every page): the first chapter with a demo and solutions, the glossary."""
    chapters = [d for d in toc_docnames() if d.startswith("chapters/")]
    rich = [d for d in chapters if expected_for(d).demos and expected_for(d).solutions]
    return (rich or chapters)[:1] + [d for d in toc_docnames() if d == "glossary"]


def test_dark_mode_contrast(origin):
    """The theme's dark mode (readers whose system asks for it get it): text contrast."""
    assert AXE_JS.exists(), f"{AXE_JS} is missing: run `bash scripts/vendor_test_js.sh`"
    from playwright.sync_api import sync_playwright

    problems = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for docname in _dark_mode_sample():
                context = browser.new_context(color_scheme="dark")
                context.route("**/*", lambda r: r.continue_() if r.request.url.startswith(
                    (origin, "data:")) else r.abort())
                page = context.new_page()
                page.goto(f"{origin}/{docname}.html", wait_until="load")
                assert page.evaluate("document.documentElement.dataset.theme") == "dark"
                page.evaluate("window.MathJax ? MathJax.startup.promise : null")
                page.add_script_tag(path=str(AXE_JS))
                problems += [(docname, v) for v in page.evaluate(JS_CONTRAST)
                             if v["impact"] in FAILING_IMPACTS]
                context.close()
        finally:
            browser.close()
    assert not problems, "contrast violations in dark mode:\n" + "\n".join(
        f"{d}:\n{_describe(v)}" for d, v in problems
    )
