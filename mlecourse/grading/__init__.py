"""The instructors' grader: ``python -m mlecourse grade SUBMISSIONS --out grades.csv``.

* :func:`grade_file` grades one submitted file into a JSON-ready dict (``--one FILE --json OUT``);
* :func:`grade_folder` grades a folder with parallel workers and writes the gradebook;
* :func:`merge_results` builds the gradebook from JSON results produced anywhere (a CI matrix,
  a Slurm array, ...).

The student's kernel only computes: the grader sends inputs to the student's functions and gets
back plain values; the expected values (from the exercise specs in :mod:`mlecourse.exercises`) and
all comparisons live in the grader's process. Each submission gets a fresh kernel with a per-cell
timeout, memory and output caps, in a bubblewrap sandbox where available (see
:mod:`mlecourse.grading.sandbox`). Every file gets a row with a status (see ``STATUSES``) and a
reason; results are written atomically and are identical when the grader is re-run.

Needs the ``grading`` extra (nbformat, nbclient, ipykernel). Imported only by the CLI, never by
``import mlecourse``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .batch import find_submissions, grade_folder, result_path
from .grade import STATUSES, grade_file
from .report import build_csv, load_result, write_outputs
from .sandbox import sandbox_available, sandbox_name

__all__ = [
    "STATUSES",
    "build_csv",
    "find_submissions",
    "grade_file",
    "grade_folder",
    "load_result",
    "merge_results",
    "result_path",
    "sandbox_available",
    "sandbox_name",
    "write_outputs",
]


def merge_results(
    inputs: list[str | Path], out_csv: str | Path, *, feedback_dir: str | Path | None = None,
    written_path: str | Path | None = None,
) -> list[dict[str, Any]]:
    """Build the gradebook from JSON results (files, or folders searched recursively)."""
    files: list[Path] = []
    for item in inputs:
        p = Path(item)
        files += sorted(p.rglob("*.json")) if p.is_dir() else [p]
    results = [load_result(f) for f in files]
    write_outputs(results, out_csv, feedback_dir=feedback_dir, written_path=written_path)
    return results
