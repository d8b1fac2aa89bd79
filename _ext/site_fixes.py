"""Small fixes to the HTML that Jupyter Book 1.x (Sphinx 7.4, myst-nb 1.4) writes.

A local Sphinx extension (``sphinx.local_extensions`` in _config.yml), run on every page:

1. Inline scripts registered after the builder starts (sphinx-thebe's ``const THEBE_JS_URL``,
   sphinx-togglebutton's selector) are emitted twice: Sphinx 7.4's ``prepare_writing`` re-adds
   them as ``_JavaScript('')`` next to the ``_JavaScript(None)`` copy it already has. Declaring
   a ``const`` twice is a SyntaxError in every reader's console, so the page's script list is
   de-duplicated (same file or body, same attributes: kept once).
2. A notebook executed with ipywidgets (``mlecourse.widgets.demo`` builds a live view) carries
   the widgets' saved state, and myst-nb then loads require.js, the 3.6 MB widget manager and
   the state on the page -- even when no widget view is shown, because the demos are shown
   through their self-contained HTML view (``nb_mime_priority_overrides``). On such pages the
   state and the manager are dropped; a page that does render a widget view keeps them.
3. The single-page print view (``jupyter-book build . --builder singlehtml``, ``make print``)
   fails on sphinx-proof's nodes: sphinx-exercise registers handlers for the ``singlehtml``
   builder by name, and Sphinx then no longer falls back to the ``html`` handlers, which are
   all sphinx-proof registers. The missing ones are copied over.
"""

from __future__ import annotations

import os
import posixpath
from typing import Any

WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def _key(js: Any) -> tuple:
    filename = getattr(js, "filename", js)
    attrs = getattr(js, "attributes", {})
    return (os.fspath(filename) if filename else "", tuple(sorted(attrs.items())))


def _fix_scripts(app, pagename: str, templatename: str, context: dict, doctree) -> None:
    scripts = context.get("script_files")
    if not scripts:
        return
    unique, seen = [], set()
    for js in scripts:
        if (k := _key(js)) not in seen:
            seen.add(k)
            unique.append(js)
    if WIDGET_VIEW not in context.get("body", ""):
        manager = {
            posixpath.normpath(posixpath.join("_static", path))
            for path in getattr(app.config, "nb_ipywidgets_js", {}) or {}
        }
        unique = [
            js
            for js in unique
            if getattr(js, "attributes", {}).get("type") != WIDGET_STATE
            and posixpath.normpath(os.fspath(getattr(js, "filename", "") or "")) not in manager
        ]
    scripts[:] = unique


def _html_handlers_for_html_variants(app) -> None:
    handlers = app.registry.translation_handlers
    name = app.builder.name
    if name != "html" and app.builder.format == "html" and name in handlers:
        for node, pair in handlers.get("html", {}).items():
            handlers[name].setdefault(node, pair)


def setup(app) -> dict[str, Any]:
    app.connect("builder-inited", _html_handlers_for_html_variants)
    app.connect("html-page-context", _fix_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
