"""Internal links and #anchors of the built site (no browser, no network).

Every href/src of every HTML page of _build/html that stays inside the site must name a file
that exists and, with a #fragment, an id on that page. External links (launch buttons,
repository) are not followed: the tests run offline. `make linkcheck` runs LinkChecker on the
same site as a second, independent check.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from sitecheck import toc_docnames

LINK_ATTRS = {"a": "href", "link": "href", "img": "src", "script": "src", "source": "src",
              "iframe": "src", "area": "href"}


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[tuple[str, int]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        for key in ("id", "name") if tag == "a" else ("id",):
            if a.get(key):
                self.ids.add(a[key])
        attr = LINK_ATTRS.get(tag)
        if attr and a.get(attr):
            self.links.append((a[attr], self.getpos()[0]))


def _parse(path: Path, cache: dict[Path, _Page]) -> _Page:
    if path not in cache:
        p = _Page()
        p.feed(path.read_text(encoding="utf-8", errors="replace"))
        cache[path] = p
    return cache[path]


def _broken_links(site: Path) -> tuple[list[str], int]:
    cache: dict[Path, _Page] = {}
    broken: list[str] = []
    checked = 0
    pages = sorted(p for p in site.rglob("*.html") if "_static" not in p.relative_to(site).parts)
    for page in pages:
        for link, line in _parse(page, cache).links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or link.startswith(("mailto:", "javascript:", "data:")):
                continue  # external, not checked offline
            checked += 1
            where = f"{page.relative_to(site)}:{line}: {link}"
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file() or site.resolve() not in target.parents:
                broken.append(f"{where} (no such file in the site)")
                continue
            frag = unquote(parts.fragment)
            if frag and target.suffix == ".html" and frag not in _parse(target, cache).ids:
                broken.append(f"{where} (no id {frag!r} on {target.relative_to(site.resolve())})")
    return broken, checked


def test_every_toc_page_is_built(site_dir):
    missing = [d for d in toc_docnames() if not (site_dir / f"{d}.html").is_file()]
    assert not missing, f"pages of _toc.yml missing from the site: {missing}"


def test_no_broken_internal_links_or_anchors(site_dir):
    broken, checked = _broken_links(site_dir)
    assert checked > 50, f"only {checked} internal links found: is {site_dir} the built book?"
    assert not broken, f"{len(broken)} broken internal link(s) or anchor(s):\n" + "\n".join(
        f"  - {b}" for b in broken[:40]
    )


def test_link_checker_finds_broken_links(tmp_path):
    """The checker itself: a page with a missing file and a missing anchor is caught."""
    (tmp_path / "a.html").write_text(
        '<p id="here"><a href="a.html#here">ok</a><a href="b.html">x</a>'
        '<a href="a.html#nowhere">y</a><img src="img/p.png"><a href="https://x.org/">ext</a></p>',
        encoding="utf-8",
    )
    broken, checked = _broken_links(tmp_path)
    assert checked == 4
    assert len(broken) == 3 and all(s in " ".join(broken) for s in ("b.html", "nowhere", "p.png"))
