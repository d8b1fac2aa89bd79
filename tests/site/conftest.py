"""Fixtures of the browser tests of the built site (run by `make site-test`, after `make book`).

The built book in ``_build/html`` is served on 127.0.0.1 and every page of _toc.yml is opened
in Debian's Chromium through Playwright (Playwright's own browser download does not work
here), several pages at a time; see sitecheck.py for what a visit records.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from sitecheck import CHROMIUM, SITE, SiteVisitor, dark_mode_sample, serve, source_of, toc_docnames

# pages visited side by side (one browser each): the slow parts, MathJax and axe-core, are CPU-bound
WORKERS = max(2, min(4, os.cpu_count() or 2))

# -- parametrisation: one test per page --------------------------------------------------------


def pytest_generate_tests(metafunc):
    """``docname``: every page of _toc.yml; ``notebook_docname``: every page made from a notebook."""
    if "docname" in metafunc.fixturenames:
        metafunc.parametrize("docname", toc_docnames())
    if "notebook_docname" in metafunc.fixturenames:
        names = [d for d in toc_docnames() if source_of(d).suffix == ".ipynb"]
        metafunc.parametrize("notebook_docname", names)


# -- fixtures -----------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def site_dir() -> Path:
    if not (SITE / "index.html").exists():
        pytest.fail(f"the built site is missing ({SITE}); run `make book` first", pytrace=False)
    return SITE


@pytest.fixture(scope="session")
def origin(site_dir: Path):
    with serve(site_dir) as url:
        yield url


@pytest.fixture(scope="session")
def visitor(request, origin) -> SiteVisitor:
    """The pages the selected tests look at, each visited once, WORKERS at a time."""
    if not Path(CHROMIUM).exists() or shutil.which(CHROMIUM) is None:
        pytest.fail(f"{CHROMIUM} not found: apt-get install chromium (see .ci/run)", pytrace=False)
    wanted = set()
    for item in request.session.items:
        params = getattr(getattr(item, "callspec", None), "params", {})
        wanted.update(params[k] for k in ("docname", "notebook_docname") if k in params)
    v = SiteVisitor(origin)
    _VISITORS.append(v)
    dark = dark_mode_sample() if any("dark_mode" in item.name for item in request.session.items) else []
    v.prefetch([d for d in toc_docnames() if d in wanted], workers=WORKERS, dark=dark)
    return v


_VISITORS: list[SiteVisitor] = []


def pytest_terminal_summary(terminalreporter):
    """Print each visited page's weight (HTML with its inline images + image files) and time."""
    reports = [r for v in _VISITORS for r in v.reports.values()]
    if not reports:
        return
    wall = sum(v.wall_seconds for v in _VISITORS)
    tr = terminalreporter
    tr.section("page weight (HTML incl. inline images + image files) and visit time")
    tr.write_line(
        f"{'page':32s} {'HTML':>8s} {'images':>8s} {'total':>8s} {'1st visit':>10s} {'demos':>5s} "
        f"{'time':>6s}"
    )
    for r in sorted(reports, key=lambda r: r.docname):
        total = r.html_bytes + r.image_file_bytes
        tr.write_line(
            f"{r.docname:32s} {r.html_bytes / 1024:7.0f}K {r.image_file_bytes / 1024:7.0f}K "
            f"{total / 1024:7.0f}K {r.transferred_bytes / 1024:9.0f}K {len(r.demos):5d} {r.seconds:5.1f}s"
        )
    tr.write_line("(1st visit: every file the page loads with an empty cache: HTML, images, CSS, JS, fonts)")
    tr.write_line(f"{len(reports)} pages visited in {wall:.1f} s ({WORKERS} at a time)")
    wide = [(r.docname, w) for r in reports for w in r.math.get("wide", [])]
    if wide:
        tr.write_line(f"note: {len(wide)} display formula(s) wider than the text column at 1280 px:")
        for docname, w in wide:
            tr.write_line(f"  {docname}: {w}")
