"""Every page of the built book, as a reader's browser shows it (Chromium, no network).

One test per page and per property; the page is loaded once (see conftest.SiteVisitor). What a
page must contain is read from its source (formulas, figure outputs, demos, solutions), so a
page that renders less than its notebook has fails here.
"""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path

import yaml
from sitecheck import ROOT, expected_for, source_of

# HTML (with its inline images: demo frames are data: URIs) plus image files, per page.
PAGE_BUDGET_BYTES = 3 * 1024 * 1024


def _listing(items: list, limit: int = 15) -> str:
    lines = [f"  - {x}" for x in items[:limit]]
    if len(items) > limit:
        lines.append(f"  ... and {len(items) - limit} more")
    return "\n".join(lines)


def test_no_request_leaves_localhost(visitor, docname):
    r = visitor.visit(docname)
    assert not r.external_requests, (
        f"{docname}: the page asked for {len(r.external_requests)} resource(s) outside the site "
        f"(blocked; the published page would need the internet):\n{_listing(r.external_requests)}"
    )


def test_no_console_errors_or_failed_requests(visitor, docname):
    r = visitor.visit(docname)
    problems = r.console_errors + r.failed_requests
    assert not problems, f"{docname}: errors while loading the page:\n{_listing(problems)}"


def test_math_is_typeset(visitor, docname):
    r = visitor.visit(docname)
    exp = expected_for(docname)
    m = r.math
    must_have_math = exp.math or docname.startswith("chapters/")
    if must_have_math:
        assert m["mathjax"], (
            f"{docname}: the source has formulas but MathJax is not on the page "
            "(is mathjax_path in _config.yml served? is _vendor/ built?)"
        )
        assert m["containers"] > 0, (
            f"{docname}: the source has formulas but no MathJax output (mjx-container) is on "
            f"the page ({m['math_elements']} math elements left as TeX)"
        )
    assert not m["untypeset"], (
        f"{docname}: {len(m['untypeset'])} math element(s) were not typeset:\n"
        f"{_listing(m['untypeset'])}"
    )
    assert not m["tex_errors"], (
        f"{docname}: MathJax could not typeset (undefined macro or TeX error):\n"
        f"{_listing(m['tex_errors'])}"
    )
    assert not r.raw_tex, (
        f"{docname}: raw TeX delimiters left in the visible text (math that MyST did not "
        f"parse, e.g. `$ x$` with a space, or a missing dollarmath/amsmath extension):\n"
        f"{_listing(r.raw_tex)}"
    )


def test_every_image_loads_and_has_alt_text(visitor, docname):
    r = visitor.visit(docname)
    broken = [i["src"][:100] for i in r.images if not (i["complete"] and i["natural_width"] > 0)]
    assert not broken, f"{docname}: image(s) that did not load:\n{_listing(broken)}"
    content = [i for i in r.images if i["in_main"]]
    no_alt = [
        i["src"][:100]
        for i in content
        if not (i["alt"] or "").strip()
        # Sphinx falls back to the file name when a figure has no alt text: not a description
        or Path(i["src"].split("?")[0]).name == Path(i["alt"]).name
    ]
    assert not no_alt, (
        f"{docname}: figure(s) without a real alt text (set cell metadata "
        f'mystnb.image.alt, see NOTEBOOKS.md):\n{_listing(no_alt)}'
    )
    figures = [i for i in content if not i["in_demo"]]
    exp = expected_for(docname)
    assert len(figures) >= exp.images, (
        f"{docname}: the notebook has {exp.images} image output(s) but the page shows "
        f"{len(figures)} <img>"
    )


def test_headings_in_order(visitor, docname):
    r = visitor.visit(docname)
    levels = [h["level"] for h in r.headings]
    assert levels.count(1) == 1 and levels[0] == 1, (
        f"{docname}: a page needs exactly one top heading (# Title) first; got "
        f"{[(h['level'], h['text']) for h in r.headings][:10]}"
    )
    jumps = [
        f"h{a['level']} '{a['text']}' -> h{b['level']} '{b['text']}'"
        for a, b in zip(r.headings, r.headings[1:], strict=False)
        if b["level"] > a["level"] + 1
    ]
    assert not jumps, f"{docname}: heading levels skipped:\n{_listing(jumps)}"


def test_solutions_are_collapsed(visitor, docname):
    r = visitor.visit(docname)
    exp = expected_for(docname)
    assert len(r.solutions) >= exp.solutions, (
        f"{docname}: the source has {exp.solutions} solution(s), the page shows {len(r.solutions)}"
    )
    open_ = [s["title"] for s in r.solutions if not s["dropdown"] or s["body_visible"]]
    assert not open_, (
        f"{docname}: solution(s) visible when the page opens (use `:class: dropdown` on each "
        f"{{solution}}):\n{_listing(open_)}"
    )


def test_demos_move_without_a_kernel(visitor, docname):
    r = visitor.visit(docname)
    exp = expected_for(docname)
    assert len(r.demos) == exp.demos, (
        f"{docname}: the notebook has {exp.demos} demo output(s); the page shows "
        f"{len(r.demos)} static demo(s) (is text/html preferred in nb_mime_priority_overrides?)"
    )
    for d in r.demos:
        assert d["ready"], f"{docname}: demo {d['id']}: its script did not run"
        assert d["inputs"], f"{docname}: demo {d['id']} has no slider"
        assert d["start_frame"]["natural_width"] > 0, f"{docname}: demo {d['id']}: no first frame"
        disabled = [i["id"] for i in d["inputs"] if i["disabled"]]
        assert not disabled, f"{docname}: demo {d['id']}: slider(s) still disabled: {disabled}"
        expected_moves = sum(i["max"] - i["min"] for i in d["inputs"])
        assert len(d["moves"]) == expected_moves and expected_moves > 0, (
            f"{docname}: demo {d['id']}: {len(d['moves'])} slider moves for {expected_moves} steps"
        )
        bad = [
            m
            for m in d["moves"]
            if not (
                m["changed"]
                and m["output_changed"]
                and m["alt_changed"]
                and m["natural_width"] > 0
                and m["value_now"] == m["value"]
            )
        ]
        assert not bad, (
            f"{docname}: demo {d['id']}: moving the slider did not change the displayed frame, "
            f"its value readout or alt text, or the new frame did not load:\n{_listing(bad)}"
        )


def _config() -> dict:
    return yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))


def test_launch_and_download_buttons(visitor, notebook_docname):
    r = visitor.visit(notebook_docname)
    cfg = _config()
    repo = cfg["repository"]["url"].rstrip("/")
    branch = cfg["repository"].get("branch", "main")
    slug = repo.removeprefix("https://github.com/")
    nb = f"{notebook_docname}.ipynb"
    colab = f"https://colab.research.google.com/github/{slug}/blob/{branch}/{nb}"
    binder = f"https://mybinder.org/v2/gh/{slug}/{branch}?urlpath=lab/tree/{nb}"
    assert colab in r.links, f"{notebook_docname}: no Colab launch button ({colab})"
    assert binder in r.links, f"{notebook_docname}: no Binder launch button ({binder})"
    download = [u for u in r.links if u.startswith(visitor.origin) and u.endswith(f"_sources/{nb}")]
    assert download, f"{notebook_docname}: no download button for the .ipynb"
    with urllib.request.urlopen(download[0]) as resp:  # the local server only
        served = json.loads(resp.read())
    source = json.loads(source_of(notebook_docname).read_text(encoding="utf-8"))
    assert served == source, (
        f"{notebook_docname}: the downloadable .ipynb differs from the source notebook "
        "(a stale site? run `make book`)"
    )


def test_page_weight_within_budget(visitor, docname):
    r = visitor.visit(docname)
    total = r.html_bytes + r.image_file_bytes
    assert total <= PAGE_BUDGET_BYTES, (
        f"{docname}: {total / 1024 / 1024:.1f} MiB of HTML and images (budget "
        f"{PAGE_BUDGET_BYTES / 1024 / 1024:.0f} MiB): fewer demo frames, smaller figures or dpi"
    )


def test_chapters_are_executed_notebooks():
    """Every chapter page is a notebook (the launch buttons and nbval rely on it)."""
    from sitecheck import toc_docnames

    chapters = [d for d in toc_docnames() if d.startswith("chapters/")]
    assert chapters, "no chapters in _toc.yml"
    not_nb = [d for d in chapters if source_of(d).suffix != ".ipynb"]
    assert not not_nb, f"chapter pages that are not notebooks: {not_nb}"
