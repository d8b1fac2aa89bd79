"""Accessibility of every page: axe-core (pinned in scripts/vendor-test.lock) run in Chromium.

Serious and critical violations fail (missing alt text, contrast below WCAG AA, unlabelled
controls, ...); moderate and minor ones are listed in the failure message of a failing page
only. Headings in order and alt texts that are real descriptions are checked in test_pages.py.
"""

from __future__ import annotations

from sitecheck import AXE_JS

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
