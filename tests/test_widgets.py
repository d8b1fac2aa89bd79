"""Tests of mlecourse.widgets: the frames, the static HTML control, the live widget, errors."""

from __future__ import annotations

import base64
import io
import json
import re
import shutil
import subprocess
import sys
import textwrap
from html.parser import HTMLParser
from pathlib import Path

import matplotlib
import numpy as np
import pytest
from PIL import Image

from mlecourse import widgets
from mlecourse.widgets import MAX_FRAMES, MAX_STEPS, WIDGET_VIEW_MIMETYPE, demo, parse_slider

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(autouse=True, scope="module")
def _agg_backend():
    matplotlib.use("Agg")


def draw_line(ax, x):
    """A red vertical line at ``x`` on fixed axes: its pixel column moves with ``x``."""
    ax.axvline(x, color="red", linewidth=3)
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 1)
    ax.set_axis_off()


def small_demo(**sliders):
    return demo(draw_line, alt="A red line", figsize=(3, 2), dpi=50, **sliders)


def red_column(png: bytes) -> float:
    """Mean x pixel coordinate of the strongly red pixels."""
    rgb = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)
    red = (rgb[..., 0] > 200) & (rgb[..., 1] < 80) & (rgb[..., 2] < 80)
    assert red.any(), "no red line drawn"
    return float(np.nonzero(red)[1].mean())


def static_data(d) -> dict:
    m = re.search(r'<script type="application/json" id="[^"]+">(.*?)</script>', d.html, re.S)
    assert m is not None
    return json.loads(m.group(1))


def static_frames(d) -> list[bytes]:
    """All frames as the browser sees them: the JSON list with the <img>'s frame put back."""
    data = static_data(d)
    img = re.search(r'<img id="[^"]+-img" src="data:image/png;base64,([^"]+)"', d.html)
    assert img is not None
    b64 = [img.group(1) if f is None else f for f in data["frames"]]
    assert sum(f is None for f in data["frames"]) == 1
    return [base64.b64decode(f, validate=True) for f in b64]


class _Collect(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def parsed(html: str) -> list[tuple[str, dict]]:
    p = _Collect()
    p.feed(html)
    return p.tags


# -- slider specifications ------------------------------------------------------------------
def test_range_gives_exact_float_grid_starting_in_the_middle():
    s = parse_slider("lam", (0.1, 0.9, 0.2))
    assert s.values == (0.1, 0.3, 0.5, 0.7, 0.9)  # 0.1 + 0.2 is rounded back to 0.3
    assert s.labels == ("0.1", "0.3", "0.5", "0.7", "0.9")
    assert s.index == 2 and s.kind == "float"


def test_tiny_steps_keep_distinct_labels():
    s = parse_slider("eps", (1e-7, 5e-7, 1e-7))
    assert len(set(s.labels)) == 5 and s.labels[0] == "1e-07"


def test_int_range_and_start_value():
    s = parse_slider("k", (0, 10, 2, 8))
    assert s.values == (0, 2, 4, 6, 8, 10)
    assert all(type(v) is int for v in s.values)
    assert s.values[s.index] == 8 and s.kind == "int"


def test_list_of_values_starts_at_first_and_labels_align_decimals():
    s = parse_slider("sigma", [1.0, 1.5, 2])
    assert s.values == (1.0, 1.5, 2) and s.labels == ("1.0", "1.5", "2.0") and s.index == 0
    t = parse_slider("method", ["newton", "bfgs"])
    assert t.labels == ("newton", "bfgs") and t.kind == "options"
    assert parse_slider("n", np.array([10, 20, 40])).values == (10, 20, 40)
    assert parse_slider("n", range(3)).values == (0, 1, 2)


@pytest.mark.parametrize(
    ("spec", "error", "match"),
    [
        ((0.0, 1.0), TypeError, r"add a step"),
        ((0.0, 1.0, 0.1, 0.5, 9), TypeError, r"\(min, max, step\)"),
        ((0.0, 1.0, "a"), TypeError, r"real numbers"),
        ((0.0, True, 1), TypeError, r"real numbers"),
        ("abc", TypeError, r"tuple \(min, max, step\) or a list"),
        (5, TypeError, r"tuple \(min, max, step\) or a list"),
        ([None, 1], TypeError, r"numbers or strings"),
        ((0.0, 1.0, 0.0), ValueError, r"step must be positive"),
        ((0.0, 1.0, -0.1), ValueError, r"step must be positive"),
        ((1.0, 0.0, 0.1), ValueError, r"max must exceed min"),
        ((0.0, float("inf"), 0.1), ValueError, r"finite"),
        ((0.0, 100.0, 1.0), ValueError, rf"101 values; at most {MAX_STEPS}"),
        ((0.0, 1.0, 0.1, 0.55), ValueError, r"not on the grid"),
        ([], ValueError, r"at least 2"),
        ([1.0], ValueError, r"at least 2"),
        ([1, 1], ValueError, r"distinct"),
        (list(range(MAX_STEPS + 1)), ValueError, rf"at most {MAX_STEPS}"),
        (np.zeros((2, 2)), ValueError, r"1-D"),
    ],
)
def test_bad_slider_specs_raise_clear_errors(spec, error, match):
    with pytest.raises(error, match=match) as info:
        parse_slider("lam", spec)
    assert "'lam'" in str(info.value)  # the message names the slider


def test_demo_argument_errors():
    with pytest.raises(ValueError, match="at least one slider"):
        demo(draw_line, alt="x")
    with pytest.raises(TypeError, match="callable"):
        demo("not a function", alt="x", x=[1, 2])
    with pytest.raises(TypeError, match="alt must be a string"):
        demo(draw_line, alt=None, x=[1, 2])
    with pytest.raises(ValueError, match="alt must describe"):
        demo(draw_line, alt="  ", x=[1, 2])
    with pytest.raises(TypeError, match=r"plot_fn must accept .*\(y\)"):
        demo(draw_line, alt="x", y=[1, 2])
    with pytest.raises(ValueError, match=rf"= 125 frames; at most {MAX_FRAMES}"):
        demo(lambda ax, a, b: None, alt="x", a=(0, 24, 1), b=(0, 4, 1))
    with pytest.raises(ValueError, match="dpi"):
        demo(draw_line, alt="x", dpi=1000, x=[1, 2])
    with pytest.raises(ValueError, match="figsize"):
        demo(draw_line, alt="x", figsize=(3,), x=[1, 2])
    with pytest.raises(ValueError, match="ncols"):
        demo(draw_line, alt="x", ncols=0, x=[1, 2])


def test_error_in_plot_fn_names_the_frame():
    def broken(ax, x):
        if x > 2:
            raise RuntimeError("boom")
        ax.plot([0, x])

    with pytest.raises(RuntimeError, match="boom") as info:
        demo(broken, alt="x", x=[1, 2, 3])
    assert any("x=3" in note for note in info.value.__notes__)


# -- frames ----------------------------------------------------------------------------------
def test_plot_fn_called_for_every_grid_point_in_c_order():
    calls = []

    def record(ax, a, b):
        calls.append((a, b))
        assert hasattr(ax, "plot")

    d = demo(record, alt="x", figsize=(2, 1.5), dpi=40, a=(1, 3, 1), b=["p", "q"])
    assert calls == [(1, "p"), (1, "q"), (2, "p"), (2, "q"), (3, "p"), (3, "q")]
    assert len(d.frames) == 6
    assert d.frame_index((2, 1)) == 5 and d.start == (1, 0)


def test_static_html_has_n_valid_pngs_that_follow_the_value():
    d = small_demo(x=(1.0, 9.0, 1.0))
    frames = static_frames(d)
    assert len(frames) == 9 == len(d.frames)
    assert frames == d.frames
    for f in frames:
        assert f.startswith(PNG_SIGNATURE)
        with Image.open(io.BytesIO(f)) as im:
            im.load()
            assert im.format == "PNG" and im.size == d.size == (150, 100)
    assert len(set(frames)) == 9  # different values, different pictures
    columns = [red_column(f) for f in frames]
    assert all(np.diff(columns) > 5)  # the line moves right as x grows
    # the line sits where x says: pixel column is linear in x
    slope, intercept = np.polyfit(np.arange(1.0, 10.0), columns, 1)
    assert np.allclose(columns, slope * np.arange(1.0, 10.0) + intercept, atol=1.5)


def test_frames_are_deterministic_and_carry_no_metadata():
    a = small_demo(x=[2.0, 5.0])
    b = small_demo(x=[2.0, 5.0])
    assert a.frames == b.frames
    for f in a.frames:
        assert b"tEXt" not in f and b"iTXt" not in f and b"zTXt" not in f and b"tIME" not in f
    assert a.text == b.text == "Interactive demo: A red line (sliders: x)"
    assert a.html.replace(a.uid, "UID") == b.html.replace(b.uid, "UID")


def test_figure_is_cleared_between_frames_even_with_colorbars():
    def with_colorbar(ax, label):
        im = ax.imshow(np.arange(12.0).reshape(3, 4))
        ax.figure.colorbar(im, ax=ax)
        ax.figure.suptitle("same every time")

    d = demo(with_colorbar, alt="x", figsize=(3, 2), dpi=40, label=["a", "b", "c"])
    assert d.frames[0] == d.frames[1] == d.frames[2]


def test_ncols_gives_an_array_of_axes():
    seen = []

    def two_panels(ax, k):
        seen.append(len(ax))
        ax[0].plot([0, k])
        ax[1].plot([k, 0])

    demo(two_panels, alt="x", ncols=2, figsize=(4, 2), dpi=40, k=[1, 2])
    assert seen == [2, 2]


# -- the static HTML control -----------------------------------------------------------------
def test_static_html_is_self_contained_and_accessible():
    d = demo(lambda ax, mu, s: draw_line(ax, mu + s), alt='Line "quoted" <b>', caption="A & B",
             figsize=(3, 2), dpi=40, mu=(1.0, 3.0, 1.0), s=[0, 1])
    html = d.html
    assert not re.search(r"https?://", html)  # no external requests
    assert "require(" not in html and "define(" not in html  # no require.js
    tags = parsed(html)
    scripts = [a for t, a in tags if t == "script"]
    assert all("src" not in a for a in scripts)
    inputs = [a for t, a in tags if t == "input"]
    labels = [a for t, a in tags if t == "label"]
    assert [a["type"] for a in inputs] == ["range", "range"]
    assert [a["for"] for a in labels] == [a["id"] for a in inputs]  # every slider labelled
    assert inputs[0]["min"] == "0" and inputs[0]["max"] == "2" and inputs[0]["value"] == "1"
    assert inputs[0]["aria-valuetext"] == "mu = 2.0"
    assert inputs[1]["aria-valuetext"] == "s = 0"
    assert all("disabled" in a for a in inputs)  # the script enables them; no dead sliders
    outputs = [a for t, a in tags if t == "output"]
    assert len(outputs) == 2 and outputs[0]["for"] == inputs[0]["id"]
    (img,) = [a for t, a in tags if t == "img"]
    assert img["alt"] == 'Line "quoted" <b> (mu = 2.0, s = 0)'  # escaped in the source
    assert "b" not in {t for t, _ in tags}  # the alt text's "<b>" did not become a tag
    assert "&lt;b&gt;" in html and "A &amp; B" in html
    data = static_data(d)
    assert data["names"] == ["mu", "s"] and data["labels"] == [["1.0", "2.0", "3.0"], ["0", "1"]]
    assert data["start"] == d.frame_index(d.start) == 2


def test_json_payload_cannot_close_its_script_tag():
    d = demo(draw_line, alt="</script><script>alert(1)</script>", figsize=(2, 1.5), dpi=40,
             x=[1, 2])
    json_part = re.search(r'<script type="application/json"[^>]*>(.*?)</script>', d.html, re.S)
    assert "<" not in json_part.group(1)
    assert static_data(d)["alt"] == "</script><script>alert(1)</script>"


def test_ids_unique_across_demos():
    a = small_demo(x=[1.0, 2.0])
    b = small_demo(x=[1.0, 2.0])  # identical content, still distinct ids
    ids_a = {attrs["id"] for _, attrs in parsed(a.html) if "id" in attrs}
    ids_b = {attrs["id"] for _, attrs in parsed(b.html) if "id" in attrs}
    assert len(ids_a) == 5  # figure, slider, readout, img, data
    assert not ids_a & ids_b
    assert a.uid != b.uid


@pytest.mark.skipif(shutil.which("node") is None, reason="node not installed")
def test_inline_javascript_parses(tmp_path):
    d = small_demo(x=[1.0, 2.0])
    js = re.findall(r"<script>(.*?)</script>", d.html, re.S)
    assert len(js) == 1
    path = tmp_path / "demo.js"
    path.write_text(js[0])
    subprocess.run(["node", "--check", str(path)], check=True, capture_output=True)


# -- the mime bundle and the live widget -----------------------------------------------------
def test_mime_bundle_has_widget_html_and_plain_text():
    d = small_demo(x=[1.0, 2.0, 3.0])
    bundle = d._repr_mimebundle_()
    assert set(bundle) == {"text/plain", "text/html", WIDGET_VIEW_MIMETYPE}
    assert bundle["text/plain"] == "Interactive demo: A red line (sliders: x)" == repr(d)
    assert bundle["text/html"] == d.html
    assert bundle[WIDGET_VIEW_MIMETYPE]["model_id"] == d.widget.model_id
    assert d._repr_mimebundle_()[WIDGET_VIEW_MIMETYPE] == bundle[WIDGET_VIEW_MIMETYPE]


def test_mime_bundle_without_ipywidgets_is_html_only(monkeypatch):
    d = small_demo(x=[1.0, 2.0])
    monkeypatch.setitem(sys.modules, "ipywidgets", None)  # import fails
    assert set(d._repr_mimebundle_()) == {"text/plain", "text/html"}


def _shown_frame(image_widget) -> bytes:
    m = re.search(r'src="data:image/png;base64,([^"]+)"', image_widget.value)
    return base64.b64decode(m.group(1))


def _alt(image_widget) -> str:
    return re.search(r'alt="([^"]*)"', image_widget.value).group(1)


def test_live_widget_swaps_the_right_frame():
    import ipywidgets

    d = demo(lambda ax, a, k, m: draw_line(ax, a + k + (m == "up")), alt="L", figsize=(2, 1.5),
             dpi=40, a=(0.5, 2.0, 0.5), k=(0, 4, 2), m=["down", "up"])
    box = d.widget
    fa, ik, sm, image, *_ = box.children
    assert isinstance(fa, ipywidgets.FloatSlider) and isinstance(ik, ipywidgets.IntSlider)
    assert isinstance(sm, ipywidgets.SelectionSlider)
    assert (fa.min, fa.max, fa.step, fa.value) == (0.5, 2.0, 0.5, 1.0)
    assert (ik.min, ik.max, ik.step, ik.value) == (0, 4, 2, 2)
    assert _shown_frame(image) == d.frames[d.frame_index(d.start)]
    fa.value = 1.5000000001  # a float that is not exactly on the grid snaps to 1.5
    ik.value = 4
    sm.value = 1  # "up"
    assert _shown_frame(image) == d.frames[d.frame_index((2, 2, 1))]
    assert _alt(image) == "L (a = 1.5, k = 4, m = up)"


# -- lazy imports ----------------------------------------------------------------------------
def test_import_mlecourse_does_not_import_views():
    code = textwrap.dedent(
        """
        import sys
        import mlecourse
        import mlecourse.widgets, mlecourse.plotting
        heavy = [m for m in ("matplotlib", "ipywidgets", "PIL") if m in sys.modules]
        assert not heavy, heavy
        """
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(widgets.__file__).parents[1])


def test_html_is_identical_in_a_fresh_process():
    """Re-executing a notebook in a fresh kernel reproduces the demo's HTML byte for byte."""
    code = textwrap.dedent(
        """
        import hashlib
        from mlecourse.widgets import demo
        def draw(ax, x):
            ax.plot([0, 1], [0, x]); ax.set_title(f"x = {x}")
        print(hashlib.sha256(demo(draw, alt="d", figsize=(2, 1.5), dpi=40,
                                  x=(1, 3, 1))._repr_mimebundle_()["text/html"].encode()).hexdigest())
        """
    )
    run = [
        subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True,
                       cwd=Path(widgets.__file__).parents[1]).stdout
        for _ in range(2)
    ]
    assert run[0] == run[1] and len(run[0].strip()) == 64


# -- optional: the real browser --------------------------------------------------------------
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="chromium not installed")
def test_browser_moves_the_slider(tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api")
    d1 = small_demo(x=(1.0, 5.0, 1.0))
    d2 = demo(lambda ax, a, b: draw_line(ax, a + b), alt="Two", figsize=(2, 1.5), dpi=40,
              a=[1, 2], b=[0, 3, 6])
    page_file = tmp_path / "page.html"
    page_file.write_text(f"<!doctype html><meta charset='utf-8'><body>{d1.html}{d2.html}</body>")
    args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"]
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=args)
        try:
            page = browser.new_page()
            requests: list[str] = []
            errors: list[str] = []
            page.on("request", lambda r: requests.append(r.url))
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(page_file.as_uri())
            figs = page.locator("figure.mlecourse-demo")
            assert figs.count() == 2
            img, slider = figs.nth(0).locator("img"), figs.nth(0).locator("input")
            assert not slider.is_disabled()
            src0 = img.get_attribute("src")
            slider.evaluate("el => { el.value = '4'; el.dispatchEvent(new Event('input')); }")
            assert img.get_attribute("src") != src0
            assert img.get_attribute("alt") == "A red line (x = 5.0)"
            assert figs.nth(0).locator("output").inner_text() == "5.0"
            shown = base64.b64decode(img.get_attribute("src").split(",", 1)[1])
            assert shown == d1.frames[4]
            slider.focus()
            page.keyboard.press("Home")
            assert slider.get_attribute("aria-valuetext") == "x = 1.0"
            assert base64.b64decode(img.get_attribute("src").split(",", 1)[1]) == d1.frames[0]
            page.keyboard.press("ArrowRight")
            assert base64.b64decode(img.get_attribute("src").split(",", 1)[1]) == d1.frames[1]
            # second demo, second slider: frame index follows C order
            second = figs.nth(1)
            second.locator("input").nth(0).focus()
            page.keyboard.press("End")  # a = 2
            second.locator("input").nth(1).focus()
            page.keyboard.press("End")  # b = 6
            shown = base64.b64decode(second.locator("img").get_attribute("src").split(",", 1)[1])
            assert shown == d2.frames[d2.frame_index((1, 2))]
            # the first demo was not affected by the second one's keys
            assert base64.b64decode(img.get_attribute("src").split(",", 1)[1]) == d1.frames[1]
            assert all(u.startswith(("file:", "data:")) for u in requests), requests
            assert errors == []
        finally:
            browser.close()
