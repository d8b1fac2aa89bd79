"""Generate the student notebooks ``exercises/<name>.ipynb`` from ``exercises/source/<name>.ipynb``.

In an instructor (source) notebook, solutions sit between marker lines::

    def uniform_mle(x):
        # BEGIN SOLUTION
        return float(np.max(x))
        # END SOLUTION

in code cells (the block becomes ``# YOUR CODE HERE`` + ``raise NotImplementedError(...)`` at
the marker's indentation) and, as plain lines ``# BEGIN SOLUTION`` / ``# END SOLUTION``, in
Markdown cells (the block becomes "_Write your answer here._"). Outputs and execution counts are
cleared. A guard then fails the build if a marker, any line of solution text, or any output
survives in a student notebook.

Usage:
    python scripts/make_exercises.py            # (re)write exercises/*.ipynb
    python scripts/make_exercises.py --check    # fail if a committed student notebook is stale
"""

from __future__ import annotations

import argparse
import copy
import json
import re
import sys
from pathlib import Path

import nbformat

from mlecourse.exercises._core import ANSWER_PLACEHOLDER

ROOT = Path(__file__).resolve().parents[1]
SOURCE_DIR = ROOT / "exercises" / "source"
STUDENT_DIR = ROOT / "exercises"

BEGIN = re.compile(r"^(\s*)#\s*BEGIN SOLUTION\s*$")
END = re.compile(r"^\s*#\s*END SOLUTION\s*$")
ANY_MARKER = re.compile(r"(BEGIN|END)[\s_-]*SOLUTION", re.IGNORECASE)
CODE_STUB = ["# YOUR CODE HERE", 'raise NotImplementedError("replace this line with your code")']
MARKDOWN_STUB = ANSWER_PLACEHOLDER
MIN_LEAK_CHARS = 6


class ExerciseBuildError(Exception):
    """A malformed source notebook, or a student notebook that would leak a solution."""


def strip_solutions(source: str, kind: str, where: str) -> tuple[str, list[str]]:
    """Replace every marked block in one cell; return (new source, the removed lines)."""
    out: list[str] = []
    removed: list[str] = []
    inside = False
    for n, line in enumerate(source.split("\n"), start=1):
        begin = BEGIN.match(line)
        if begin:
            if inside:
                raise ExerciseBuildError(f"{where}, line {n}: BEGIN SOLUTION inside a solution block")
            inside = True
            indent = begin.group(1)
            stub = CODE_STUB if kind == "code" else [MARKDOWN_STUB]
            out.extend(indent + s for s in stub)
            continue
        if END.match(line):
            if not inside:
                raise ExerciseBuildError(f"{where}, line {n}: END SOLUTION without BEGIN SOLUTION")
            inside = False
            continue
        (removed if inside else out).append(line)
    if inside:
        raise ExerciseBuildError(f"{where}: BEGIN SOLUTION without END SOLUTION")
    return "\n".join(out), removed


def make_student(source_nb: nbformat.NotebookNode, name: str) -> tuple[nbformat.NotebookNode, list[str]]:
    """The student version of a source notebook, and every line of solution text removed."""
    nb = copy.deepcopy(source_nb)
    removed: list[str] = []
    for i, cell in enumerate(nb.cells):
        src, gone = strip_solutions(cell.source, cell.cell_type, f"{name}, cell {i + 1}")
        cell.source = src
        removed += gone
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    meta = nb.metadata
    meta.pop("language_info", None)
    meta.setdefault("mlecourse", {})["version"] = "student"
    return nb, removed


def guard(source_nb: nbformat.NotebookNode, student_nb: nbformat.NotebookNode,
          removed: list[str], name: str) -> None:
    """Raise ExerciseBuildError if any marker, solution text or output survives."""
    problems = []
    text = json.dumps(student_nb, ensure_ascii=False)
    if ANY_MARKER.search(text):
        problems.append("a BEGIN/END SOLUTION marker survives")
    for i, cell in enumerate(student_nb.cells):
        if cell.cell_type == "code" and (cell.get("outputs") or cell.get("execution_count")):
            problems.append(f"cell {i + 1} still has outputs")
    public = set()
    for cell in source_nb.cells:
        stripped, _ = strip_solutions(cell.source, cell.cell_type, name)
        public.update(line.strip() for line in stripped.split("\n"))
    student_lines = {line.strip() for c in student_nb.cells for line in c.source.split("\n")}
    student_text = "\n".join(c.source for c in student_nb.cells)
    for line in removed:
        s = line.strip()
        if len(s.replace(" ", "")) < MIN_LEAK_CHARS or s in public:
            continue
        if s in student_lines or (len(s) >= 20 and s in student_text):
            problems.append(f"solution text survives: {s!r}")
    if problems:
        raise ExerciseBuildError(f"{name}: " + "; ".join(problems))


def render(nb: nbformat.NotebookNode) -> str:
    nbformat.validate(nb)
    return nbformat.writes(nb) + "\n"


def build(source: Path, out_dir: Path = STUDENT_DIR) -> tuple[Path, str]:
    """Return (student path, student notebook text) for one source notebook, guarded."""
    source_nb = nbformat.read(source, as_version=4)
    student_nb, removed = make_student(source_nb, source.name)
    if not removed:
        raise ExerciseBuildError(f"{source.name}: no BEGIN/END SOLUTION block found")
    guard(source_nb, student_nb, removed, source.name)
    return out_dir / source.name, render(student_nb)


def _show(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sources", nargs="*", type=Path, help="default: exercises/source/*.ipynb")
    parser.add_argument("--check", action="store_true",
                        help="do not write; fail if a student notebook is missing or out of date")
    parser.add_argument("--out-dir", type=Path, default=STUDENT_DIR,
                        help="where the student notebooks go (default: exercises/)")
    args = parser.parse_args(argv)
    sources = args.sources or sorted(SOURCE_DIR.glob("*.ipynb"))
    if not sources:
        print("no source notebooks found", file=sys.stderr)
        return 1
    stale = []
    for source in sources:
        try:
            target, text = build(source, args.out_dir)
        except ExerciseBuildError as exc:
            print(f"ERROR {exc}", file=sys.stderr)
            return 1
        current = target.read_text(encoding="utf-8") if target.exists() else None
        if args.check:
            if current != text:
                stale.append(target)
            continue
        if current != text:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
            print(f"wrote {_show(target)}")
        else:
            print(f"up to date {_show(target)}")
    if stale:
        names = ", ".join(_show(t) for t in stale)
        print(f"out of date (run `make exercises`): {names}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
