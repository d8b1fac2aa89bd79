"""Interactive demos that work both in a live kernel and on the published (static) book.

A demo is ONE call in a notebook cell::

    from mlecourse.widgets import demo

    demo(draw_poisson_loglik, alt="Poisson log-likelihood with the guess λ marked",
         lam=(0.5, 8.0, 0.5))

``demo`` draws the figure once for every value on the sliders' grid and returns a
:class:`Demo`, whose rich display carries two views of the same frames:

* ``application/vnd.jupyter.widget-view+json`` -- real ipywidgets sliders over the same grid
  and an HTML image, which JupyterLab shows when a kernel is live (moving a slider swaps in the
  pre-rendered frame, so both views show identical pictures and respond instantly);
* ``text/html`` -- a self-contained ``<input type="range">`` control with inline vanilla
  JavaScript that swaps the pre-rendered PNG frames. No external requests, no require.js. The
  book tells myst-nb to prefer this view (``nb_mime_priority_overrides``), so the published
  page has a slider that works without a kernel. JupyterLab also falls back to it when the
  widget manager is missing.

The text/plain view is short and stable (``Interactive demo: <alt> (sliders: lam)``) and the
HTML is deterministic (palette PNGs without metadata, ids from a content hash and a per-kernel
counter), so re-executing a notebook in a fresh kernel reproduces its outputs.

matplotlib, Pillow and ipywidgets are imported only inside the functions that need them, so
``import mlecourse`` stays fast.
"""

from __future__ import annotations

import base64
import hashlib
import html
import inspect
import io
import itertools
import json
import math
import numbers
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["MAX_FRAMES", "MAX_STEPS", "Demo", "Slider", "demo", "parse_slider"]

MAX_STEPS = 25
"""The most values one slider may take (each value is a pre-rendered frame)."""

MAX_FRAMES = 64
"""The most frames one demo may pre-render (the product of the sliders' numbers of values)."""

WIDGET_VIEW_MIMETYPE = "application/vnd.jupyter.widget-view+json"

_counter = itertools.count(1)


@dataclass(frozen=True)
class Slider:
    """One slider: its parameter name, the grid of values, their labels, the starting index.

    ``kind`` is ``"int"`` or ``"float"`` for an evenly spaced numeric range (given as
    ``(min, max, step)``) and ``"options"`` for an explicit list of values.
    """

    name: str
    values: tuple[Any, ...]
    labels: tuple[str, ...]
    index: int
    kind: str
    step: float | int | None = None

    @property
    def n(self) -> int:
        """Number of values on the slider."""
        return len(self.values)


def _is_real(v: object) -> bool:
    return isinstance(v, numbers.Real) and not isinstance(v, (bool, np.bool_))


def _decimals(x: float) -> int:
    """Number of decimals needed to write ``x`` as typed (0.25 -> 2, 1e-3 -> 3), at most 6."""
    if float(x).is_integer():
        return 0
    text = f"{float(x):.6f}".rstrip("0")
    return min(6, len(text.split(".")[1]))


def _option_label(v: object) -> str:
    if isinstance(v, numbers.Integral):
        return str(int(v))
    return str(v)


def parse_slider(name: str, spec: object) -> Slider:
    """Turn one slider abbreviation into a :class:`Slider`.

    Parameters
    ----------
    name : str
        The keyword argument of ``plot_fn`` the slider drives.
    spec : tuple or list
        ``(min, max, step)`` or ``(min, max, step, value)``: the evenly spaced values
        :math:`\\min, \\min + \\text{step}, \\dots` up to ``max`` (inclusive, ints if all three
        are ints), starting at ``value`` or else at the middle value (as ``interact`` does).
        A list, ``range`` or 1-D array: exactly those values (numbers or strings), starting at
        the first one.

    Raises
    ------
    TypeError
        If ``spec`` is not one of the forms above.
    ValueError
        If the grid is empty, has a single value, repeats a value or has more than
        :data:`MAX_STEPS` values.
    """
    if isinstance(spec, tuple):
        return _parse_range(name, spec)
    if isinstance(spec, np.ndarray):
        if spec.ndim != 1:
            raise ValueError(
                f"slider {name!r}: an array of values must be 1-D, got shape {spec.shape}"
            )
        spec = spec.tolist()
    if isinstance(spec, (list, range)):
        return _parse_options(name, list(spec))
    raise TypeError(
        f"slider {name!r} must be a tuple (min, max, step) or a list of values, "
        f"got {type(spec).__name__}: {spec!r}"
    )


def _parse_range(name: str, spec: tuple) -> Slider:
    if len(spec) not in (3, 4):
        hint = " (add a step: (min, max, step))" if len(spec) == 2 else ""
        raise TypeError(
            f"slider {name!r}: a tuple must be (min, max, step) or (min, max, step, value), "
            f"got {len(spec)} items {spec!r}{hint}"
        )
    if not all(_is_real(v) for v in spec):
        raise TypeError(f"slider {name!r}: (min, max, step) must be real numbers, got {spec!r}")
    lo, hi, step = spec[:3]
    if not all(math.isfinite(float(v)) for v in spec):
        raise ValueError(f"slider {name!r}: (min, max, step) must be finite, got {spec!r}")
    if step <= 0:
        raise ValueError(f"slider {name!r}: step must be positive, got {step!r}")
    if hi <= lo:
        raise ValueError(f"slider {name!r}: max must exceed min, got min={lo!r}, max={hi!r}")
    n = math.floor((hi - lo) / step * (1 + 1e-9) + 1e-9) + 1
    if n > MAX_STEPS:
        raise ValueError(
            f"slider {name!r}: {spec[:3]!r} gives {n} values; at most {MAX_STEPS} are "
            f"pre-rendered, so use a step of at least {(hi - lo) / (MAX_STEPS - 1):.3g}"
        )
    integral = all(isinstance(v, numbers.Integral) for v in spec[:3])
    if integral:
        values: tuple[Any, ...] = tuple(int(lo) + k * int(step) for k in range(n))
        labels = tuple(str(v) for v in values)
        kind = "int"
    else:
        d = max(1, _decimals(lo), _decimals(step))
        # round away float noise (0.1 + 0.2 -> 0.3), keeping 9 digits below step's and min's
        scale = min(abs(float(step)), abs(float(lo)) or abs(float(step)))
        ndigits = max(0, -math.floor(math.log10(scale))) + 9
        values = tuple(round(float(lo) + k * float(step), ndigits) for k in range(n))
        labels = tuple(f"{v:.{d}f}" for v in values)
        if len(set(labels)) < n:  # steps finer than 1e-6
            labels = tuple(f"{v:.6g}" for v in values)
        kind = "float"
    if len(spec) == 4:
        target = spec[3]
        dist = [abs(v - target) for v in values]
        index = int(np.argmin(dist))
        if dist[index] > 1e-9 * max(1.0, abs(float(step))):
            raise ValueError(
                f"slider {name!r}: the starting value {target!r} is not on the grid "
                f"{labels[0]}, {labels[1]}, ..., {labels[-1]}"
            )
    else:
        index = (n - 1) // 2
    return Slider(name, values, labels, index, kind, step)


def _parse_options(name: str, values: list) -> Slider:
    if len(values) < 2:
        raise ValueError(f"slider {name!r}: a list of values needs at least 2, got {values!r}")
    if len(values) > MAX_STEPS:
        raise ValueError(
            f"slider {name!r}: {len(values)} values; at most {MAX_STEPS} are pre-rendered"
        )
    clean = []
    for v in values:
        if isinstance(v, np.generic):
            v = v.item()
        if not (isinstance(v, str) or _is_real(v)):
            raise TypeError(
                f"slider {name!r}: list values must be numbers or strings, "
                f"got {type(v).__name__}: {v!r}"
            )
        clean.append(v)
    if all(_is_real(v) for v in clean) and not all(isinstance(v, numbers.Integral) for v in clean):
        d = max(1, *(_decimals(v) for v in clean))
        labels = tuple(f"{float(v):.{d}f}" for v in clean)
    else:
        labels = tuple(_option_label(v) for v in clean)
    if len(set(labels)) != len(labels):
        raise ValueError(f"slider {name!r}: the values must be distinct, got {labels!r}")
    return Slider(name, tuple(clean), labels, 0, "options")


def _png_bytes(fig) -> bytes:
    """Render ``fig`` to a small, deterministic PNG (256-colour palette, no metadata)."""
    from PIL import Image

    fig.canvas.draw()
    width, height = fig.canvas.get_width_height(physical=True)
    rgb = Image.frombuffer("RGBA", (width, height), fig.canvas.buffer_rgba()).convert("RGB")
    small = rgb.quantize(colors=256, method=Image.Quantize.FASTOCTREE)
    # keep only the palette entries in use (a line plot needs ~50 of the 256)
    small = small.remap_palette(sorted(index for _, index in small.getcolors(256)))
    out = io.BytesIO()
    small.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _render_frames(
    plot_fn: Callable[..., Any],
    sliders: Sequence[Slider],
    *,
    figsize: tuple[float, float],
    dpi: float,
    ncols: int,
) -> tuple[list[bytes], tuple[int, int]]:
    """Draw ``plot_fn`` for every point of the sliders' grid (C order) on one reused figure."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize, dpi=dpi, layout="constrained")
    FigureCanvasAgg(fig)
    frames = []
    for idx in itertools.product(*(range(s.n) for s in sliders)):
        values = {s.name: s.values[i] for s, i in zip(sliders, idx, strict=True)}
        fig.clear()
        ax = fig.subplots(1, ncols, squeeze=True)
        try:
            plot_fn(ax, **values)
        except Exception as exc:
            shown = ", ".join(f"{k}={v!r}" for k, v in values.items())
            exc.add_note(f"(raised by plot_fn while drawing the demo frame {shown})")
            raise
        frames.append(_png_bytes(fig))
    return frames, fig.canvas.get_width_height(physical=True)


def _script_json(obj: object) -> str:
    """JSON safe to embed inside a ``<script>`` element."""
    text = json.dumps(obj, ensure_ascii=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


# Vanilla ES5 JavaScript, no globals, no network. The inputs start disabled so that a reader
# never sees a slider that does nothing: without JavaScript the first frame stays visible.
_JS = """(function () {
  var s = document.currentScript;
  var root = (s && s.parentNode && s.parentNode.closest) ? s.parentNode.closest(".mlecourse-demo")
                                                          : null;
  if (!root) { root = document.getElementById("%(uid)s"); }
  if (!root || root.getAttribute("data-ready")) { return; }
  root.setAttribute("data-ready", "1");
  var data = JSON.parse(root.querySelector("script[type='application/json']").textContent);
  var img = root.querySelector("img");
  var inputs = root.querySelectorAll("input[type='range']");
  var outs = root.querySelectorAll("output");
  if (!data.frames[data.start]) { data.frames[data.start] = img.getAttribute("src"); }
  function update() {
    var k, i, idx = 0, parts = [];
    for (k = 0; k < inputs.length; k++) {
      i = parseInt(inputs[k].value, 10);
      idx = idx * data.labels[k].length + i;
      var text = data.names[k] + " = " + data.labels[k][i];
      outs[k].textContent = data.labels[k][i];
      inputs[k].setAttribute("aria-valuetext", text);
      parts.push(text);
    }
    var f = data.frames[idx];
    img.setAttribute("src", f.lastIndexOf("data:", 0) === 0 ? f : "data:image/png;base64," + f);
    img.setAttribute("alt", data.alt + " (" + parts.join(", ") + ")");
  }
  // Keys are handled here rather than left to the browser: a host page (JupyterLab's command
  // mode) may claim arrow keys with preventDefault, which would freeze a native range input.
  var steps = {ArrowRight: 1, ArrowUp: 1, ArrowLeft: -1, ArrowDown: -1, PageUp: 5, PageDown: -5};
  function onKey(e) {
    var el = e.currentTarget, v = parseInt(el.value, 10), max = parseInt(el.max, 10), nv;
    if (e.key === "Home") { nv = 0; } else if (e.key === "End") { nv = max; }
    else if (steps.hasOwnProperty(e.key)) { nv = v + steps[e.key]; } else { return; }
    e.preventDefault();
    e.stopPropagation();
    nv = Math.min(max, Math.max(0, nv));
    if (nv !== v) { el.value = String(nv); update(); }
  }
  for (var k = 0; k < inputs.length; k++) {
    inputs[k].addEventListener("keydown", onKey);
    inputs[k].addEventListener("input", update);
    inputs[k].addEventListener("change", update);
    inputs[k].disabled = false;
  }
  update();
})();"""


class Demo:
    """The result of :func:`demo`: pre-rendered frames plus their two displays.

    Display it (make it the last expression of a cell). Attributes: ``sliders`` (tuple of
    :class:`Slider`), ``frames`` (list of PNG bytes in C order over the sliders), ``alt``,
    ``caption``, ``uid`` (the HTML id, unique per demo), ``html`` (the static view) and
    ``widget`` (the live ipywidgets view, built on first use).
    """

    def __init__(
        self,
        sliders: tuple[Slider, ...],
        frames: list[bytes],
        size: tuple[int, int],
        *,
        alt: str,
        caption: str | None,
    ):
        self.sliders = sliders
        self.frames = frames
        self.size = size
        self.alt = alt
        self.caption = caption
        digest = hashlib.sha256()
        for part in (alt, caption or "", *(s.name for s in sliders), *frames):
            digest.update(part if isinstance(part, bytes) else part.encode())
            digest.update(b"\0")
        digest.update(str(next(_counter)).encode())
        self.uid = "mlecourse-demo-" + digest.hexdigest()[:12]
        self._widget = None
        self._html: str | None = None

    # -- indices ------------------------------------------------------------------------------
    @property
    def start(self) -> tuple[int, ...]:
        """The starting index of every slider."""
        return tuple(s.index for s in self.sliders)

    def frame_index(self, indices: Sequence[int]) -> int:
        """Position in :attr:`frames` of the frame for the slider indices ``indices``."""
        return int(np.ravel_multi_index(tuple(indices), tuple(s.n for s in self.sliders)))

    def _describe(self, indices: Sequence[int]) -> str:
        return ", ".join(
            f"{s.name} = {s.labels[i]}" for s, i in zip(self.sliders, indices, strict=True)
        )

    def _img_tag(self, frame: int, indices: Sequence[int], uid: str | None = None) -> str:
        width, height = self.size
        alt = html.escape(f"{self.alt} ({self._describe(indices)})")
        b64 = base64.b64encode(self.frames[frame]).decode("ascii")
        id_attr = f' id="{uid}"' if uid else ""
        return (
            f'<img{id_attr} src="data:image/png;base64,{b64}" alt="{alt}" width="{width}" '
            f'height="{height}" style="max-width:100%;height:auto">'
        )

    # -- the static view ----------------------------------------------------------------------
    @property
    def html(self) -> str:
        """The self-contained HTML/JavaScript control (no external requests)."""
        if self._html is None:
            self._html = self._build_html()
        return self._html

    def _build_html(self) -> str:
        uid = self.uid
        start = self.frame_index(self.start)
        b64: list[str | None] = [base64.b64encode(f).decode("ascii") for f in self.frames]
        b64[start] = None  # the <img> already carries it; the script copies it back
        data = {
            "names": [s.name for s in self.sliders],
            "labels": [list(s.labels) for s in self.sliders],
            "alt": self.alt,
            "start": start,
            "frames": b64,
        }
        rows = []
        for k, s in enumerate(self.sliders):
            sid = f"{uid}-s{k}"
            current = s.labels[s.index]
            rows.append(
                f'<div style="display:flex;align-items:center;gap:0.75em;margin:0.2em 0">'
                f'<label for="{sid}" style="min-width:8em">{html.escape(s.name)} = '
                f'<output id="{uid}-v{k}" for="{sid}">{html.escape(current)}</output></label>'
                f'<input type="range" id="{sid}" name="{html.escape(s.name)}" min="0" '
                f'max="{s.n - 1}" step="1" value="{s.index}" disabled '
                f'aria-valuetext="{html.escape(s.name)} = {html.escape(current)}" '
                f'style="width:min(20em,60vw)"></div>'
            )
        caption = (
            f'<figcaption style="font-size:0.9em">{html.escape(self.caption)}</figcaption>'
            if self.caption
            else ""
        )
        return (
            f'<figure class="mlecourse-demo" id="{uid}" style="margin:0.5em 0">'
            f'<div role="group" aria-label="{html.escape("Controls: " + self.alt)}">'
            f"{''.join(rows)}</div>"
            f"{self._img_tag(start, self.start, uid=f'{uid}-img')}"
            f"{caption}"
            f'<script type="application/json" id="{uid}-data">{_script_json(data)}</script>'
            f"<script>{_JS % {'uid': uid}}</script>"
            f"</figure>"
        )

    # -- the live view ------------------------------------------------------------------------
    @property
    def widget(self):
        """The live ipywidgets view: sliders over the same grid and an HTML ``<img>``.

        Moving a slider swaps in the pre-rendered frame, so the live and static views show
        identical pictures and the kernel does no drawing while the reader explores.
        """
        if self._widget is None:
            self._widget = self._build_widget()
        return self._widget

    def _build_widget(self):
        import ipywidgets as w

        controls = []
        for s in self.sliders:
            style = {"description_width": "initial"}
            layout = w.Layout(width="min(28em, 95%)")
            common = dict(description=s.name, continuous_update=True, style=style, layout=layout)
            if s.kind == "int":
                c = w.IntSlider(value=s.values[s.index], min=s.values[0], max=s.values[-1],
                                step=s.step, **common)
            elif s.kind == "float":
                label = s.labels[-1]
                fmt = ".3g" if "e" in label else f".{len(label.partition('.')[2])}f"
                c = w.FloatSlider(value=s.values[s.index], min=s.values[0], max=s.values[-1],
                                  step=s.step, readout_format=fmt, **common)
            else:
                c = w.SelectionSlider(options=list(zip(s.labels, range(s.n), strict=True)),
                                      value=s.index, **common)
            controls.append(c)
        start = self.frame_index(self.start)
        # an HTML <img> rather than ipywidgets.Image: it carries alt text (Image has none)
        image = w.HTML(self._img_tag(start, self.start))

        def index_of(s: Slider, control) -> int:
            if s.kind == "options":
                return int(control.value)
            return int(np.argmin([abs(v - control.value) for v in s.values]))

        def update(_change=None) -> None:
            indices = [index_of(s, c) for s, c in zip(self.sliders, controls, strict=True)]
            image.value = self._img_tag(self.frame_index(indices), indices)

        for c in controls:
            c.observe(update, names="value")
        children = [*controls, image]
        if self.caption:
            children.append(w.HTML(f"<em>{html.escape(self.caption)}</em>"))
        box = w.VBox(children)
        box.add_class("mlecourse-demo-live")
        return box

    # -- display ------------------------------------------------------------------------------
    @property
    def text(self) -> str:
        """The short, stable text/plain view."""
        return f"Interactive demo: {self.alt} (sliders: {', '.join(s.name for s in self.sliders)})"

    def __repr__(self) -> str:
        return self.text

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, Any]:
        bundle: dict[str, Any] = {"text/plain": self.text, "text/html": self.html}
        try:
            view = self.widget._repr_mimebundle_().get(WIDGET_VIEW_MIMETYPE)
        except ImportError:  # no ipywidgets: the HTML control is the view everywhere
            view = None
        if view is not None:
            bundle[WIDGET_VIEW_MIMETYPE] = view
        return bundle


def demo(
    plot_fn: Callable[..., Any],
    *,
    alt: str,
    caption: str | None = None,
    figsize: tuple[float, float] = (5.5, 3.4),
    dpi: float = 80,
    ncols: int = 1,
    **sliders: tuple | list | range | np.ndarray,
) -> Demo:
    r"""An interactive figure that works in JupyterLab and on the static book alike.

    ``plot_fn(ax, **values)`` is called once for every combination of slider values (at most
    :data:`MAX_FRAMES`; each slider at most :data:`MAX_STEPS` values), drawing on a freshly
    cleared figure; the frames are kept as small PNGs. Display the returned :class:`Demo`
    (make the call the last line of its cell): JupyterLab with a live kernel shows ipywidgets
    sliders, the book shows an HTML slider that swaps the same frames without a kernel.

    Parameters
    ----------
    plot_fn : callable
        ``plot_fn(ax, **values)`` draws into ``ax`` (a matplotlib ``Axes``, or a 1-D array of
        ``ncols`` Axes when ``ncols > 1``). It must use ``ax`` (not ``plt.*``), must not call
        ``plt.show()``, and its return value is ignored. It may add colorbars or a
        ``fig.suptitle`` through ``ax.figure``: the figure is cleared between frames. Fix the
        axis limits (``ax.set_xlim``/``set_ylim``) so the axes do not jump between frames.
    alt : str
        Alternative text of the figure for screen readers; the current slider values are
        appended (``"... (lam = 2.5)"``). Also names the demo in its text/plain view.
    caption : str, optional
        Plain-text caption shown under the figure.
    figsize : (float, float)
        Figure size in inches (compact by default to keep the page light).
    dpi : float
        Resolution of the frames; ``figsize * dpi`` is their size in pixels.
    ncols : int
        Number of side-by-side panels (``ax`` becomes an array when ``ncols > 1``).
    **sliders
        One keyword per parameter of ``plot_fn``, as in ``ipywidgets.interact``:
        ``(min, max, step)`` -- the values ``min, min + step, ..., max`` (ints if all three are
        ints), starting in the middle; ``(min, max, step, value)`` -- starting at ``value``;
        a list/range/1-D array of numbers or strings -- those values, starting at the first.
        Slider names cannot be ``alt``, ``caption``, ``figsize``, ``dpi`` or ``ncols``.

    Returns
    -------
    Demo
        Its ``_repr_mimebundle_`` holds ``text/plain``, ``text/html`` (the static control)
        and, when ipywidgets is installed, ``application/vnd.jupyter.widget-view+json``.

    Raises
    ------
    TypeError
        ``plot_fn`` is not callable or does not accept ``ax`` and the slider names; ``alt``
        is not a string; a slider is not in one of the forms above.
    ValueError
        No sliders, an empty ``alt``, a slider with fewer than 2 or more than
        :data:`MAX_STEPS` values, more than :data:`MAX_FRAMES` frames in total, or a bad
        ``figsize``/``dpi``/``ncols``.

    Examples
    --------
    >>> from mlecourse.widgets import demo
    >>> def draw(ax, lam):
    ...     ax.axvline(lam)
    ...     ax.set_xlim(0, 5)
    >>> d = demo(draw, alt="A vertical line at lam", lam=(1.0, 4.0, 1.0))
    >>> d
    Interactive demo: A vertical line at lam (sliders: lam)
    >>> len(d.frames)
    4
    """
    if not callable(plot_fn):
        raise TypeError(f"plot_fn must be callable, got {type(plot_fn).__name__}")
    if not isinstance(alt, str):
        raise TypeError(f"alt must be a string describing the figure, got {type(alt).__name__}")
    if not alt.strip():
        raise ValueError("alt must describe the figure for screen readers; got an empty string")
    if caption is not None and not isinstance(caption, str):
        raise TypeError(f"caption must be a string or None, got {type(caption).__name__}")
    if not sliders:
        raise ValueError("demo needs at least one slider, e.g. demo(plot_fn, alt=..., "
                         "lam=(0.5, 5.0, 0.5))")
    if (
        not isinstance(figsize, (tuple, list))
        or len(figsize) != 2
        or not all(_is_real(v) and 0 < v <= 20 for v in figsize)
    ):
        raise ValueError(f"figsize must be (width, height) in inches, in (0, 20], got {figsize!r}")
    if not _is_real(dpi) or not 20 <= dpi <= 300:
        raise ValueError(f"dpi must be a number in [20, 300], got {dpi!r}")
    if not isinstance(ncols, numbers.Integral) or isinstance(ncols, bool) or not 1 <= ncols <= 6:
        raise ValueError(f"ncols must be an integer from 1 to 6, got {ncols!r}")
    parsed = tuple(parse_slider(name, spec) for name, spec in sliders.items())
    total = math.prod(s.n for s in parsed)
    if total > MAX_FRAMES:
        sizes = " x ".join(f"{s.n} ({s.name})" for s in parsed)
        raise ValueError(
            f"the sliders give {sizes} = {total} frames; at most {MAX_FRAMES} are "
            "pre-rendered, so use coarser steps or fewer sliders"
        )
    try:
        inspect.signature(plot_fn).bind(None, **{s.name: s.values[0] for s in parsed})
    except TypeError as exc:
        names = ", ".join(s.name for s in parsed)
        raise TypeError(
            f"plot_fn must accept the axes as its first argument and the slider keywords "
            f"({names}); its signature is {inspect.signature(plot_fn)}: {exc}"
        ) from None
    except ValueError:  # builtins without a signature: let the first call tell
        pass
    frames, size = _render_frames(plot_fn, parsed, figsize=tuple(figsize), dpi=dpi, ncols=ncols)
    return Demo(parsed, frames, size, alt=alt.strip(), caption=caption)
