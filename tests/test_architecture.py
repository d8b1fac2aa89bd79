"""The dependency rules of DESIGN.md, checked on the source.

Numbers -> pictures -> pages, and exercise specs -> (student check | grader): numerics never
import the views, the specs or the grading code, and notebooks define no reusable helpers
that another notebook also defines.
"""

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PKG = ROOT / "mlecourse"
NUMERICS = [
    "_validation", "divergence", "families", "glm", "inference", "information", "mixture",
    "models", "optimize", "results",
]
NOT_FOR_NUMERICS = {"plotting", "widgets", "check", "exercises", "grading", "matplotlib", "ipywidgets"}


def _imports(path: Path) -> set[str]:
    """Every module name a file imports, relative imports resolved to mlecourse.<name>."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = node.module or ""
                names.add(f"mlecourse.{base}" if base else "mlecourse")
                if not base:
                    names.update(f"mlecourse.{alias.name}" for alias in node.names)
            else:
                names.add(node.module or "")
    return names


@pytest.mark.parametrize("module", NUMERICS)
def test_numerics_import_no_views_specs_or_grading(module):
    bad = {
        name for name in _imports(PKG / f"{module}.py")
        if set(name.split(".")) & NOT_FOR_NUMERICS
    }
    assert not bad, f"mlecourse/{module}.py imports {sorted(bad)}, against DESIGN.md"


def test_views_and_specs_do_not_import_grading():
    views_and_specs = [PKG / "plotting.py", PKG / "widgets.py", PKG / "check.py"]
    for path in [*views_and_specs, *(PKG / "exercises").glob("*.py")]:
        bad = {name for name in _imports(path) if "grading" in name.split(".")}
        assert not bad, f"{path.relative_to(ROOT)} imports {sorted(bad)}"


def test_import_is_fast_and_lazy_about_views():
    code = (
        "import sys, time; t = time.perf_counter(); import mlecourse; "
        "print(time.perf_counter() - t); "
        "print(sorted(m for m in ('matplotlib', 'ipywidgets', 'nbclient', 'scipy.stats')"
        " if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    seconds, loaded = out.stdout.splitlines()
    assert loaded == "[]", f"import mlecourse pulled in {loaded}"
    # DESIGN.md: "well under a second"; generous on a loaded 2-core CI machine
    assert float(seconds) < 2.0


def test_chapters_define_only_demo_callbacks():
    """Notebooks define no reusable helpers (DESIGN.md): a chapter's only functions are the
    drawing callbacks its demos pass to mlecourse.widgets.demo, named draw*."""
    for nb_path in sorted(ROOT.glob("chapters/*.ipynb")):
        defined = []
        for cell in json.loads(nb_path.read_text())["cells"]:
            if cell["cell_type"] == "code":
                tree = ast.parse("".join(cell["source"]))
                defined += [n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef))]
        helpers = [name for name in defined if not name.startswith("draw")]
        assert not helpers, f"{nb_path.name} defines {helpers}: move reusable code to mlecourse"
