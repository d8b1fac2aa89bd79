"""Small fixes to the HTML that Jupyter Book 1.x with Sphinx 7.4 writes (a local extension).

Inline scripts registered after the builder starts (sphinx-thebe's ``const THEBE_JS_URL``,
sphinx-togglebutton's selector) are emitted twice on every page: Sphinx 7.4's
``prepare_writing`` re-adds them as ``_JavaScript('')`` next to the ``_JavaScript(None)`` copy
it already has. Declaring a ``const`` twice is a SyntaxError in the reader's console, so each
page's script list is de-duplicated here (same file or body, same attributes: kept once).
"""

from __future__ import annotations

import os
from typing import Any


def _dedupe_scripts(app, pagename: str, templatename: str, context: dict, doctree) -> None:
    scripts = context.get("script_files")
    if not scripts:
        return
    seen: set[tuple] = set()
    unique = []
    for js in scripts:
        filename = getattr(js, "filename", js)
        attrs = getattr(js, "attributes", {})
        key = (os.fspath(filename) if filename else "", tuple(sorted(attrs.items())))
        if key not in seen:
            seen.add(key)
            unique.append(js)
    scripts[:] = unique


def setup(app) -> dict[str, Any]:
    app.connect("html-page-context", _dedupe_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
