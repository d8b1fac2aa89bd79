"""Accessibility of every page: axe-core (pinned in scripts/vendor-test.lock) run in Chromium.

Serious and critical violations fail (missing alt text, contrast below WCAG AA, unlabelled
controls, ...); moderate and minor ones are listed in the failure message of a failing page
only. Headings in order and alt texts that are real descriptions are checked in test_pages.py.
"""

from __future__ import annotations

from sitecheck import AXE_JS, dark_mode_sample

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



def test_dark_mode_contrast(visitor):
    """The theme's dark mode (readers whose system asks for it get it): text contrast."""
    assert AXE_JS.exists(), f"{AXE_JS} is missing: run `bash scripts/vendor_test_js.sh`"
    sample = dark_mode_sample()
    assert sample, "no page to check in dark mode"
    problems = [(d, v) for d in sample for v in visitor.dark(d) if v["impact"] in FAILING_IMPACTS]
    assert not problems, "contrast violations in dark mode:\n" + "\n".join(
        f"{d}:\n{_describe(v)}" for d, v in problems
    )
