"""Gradebook files: the CSV, one feedback file per submission, the written answers for review.

Everything is written atomically (a temporary file in the same folder, then ``os.replace``), and
everything is a pure function of the per-submission results, so re-running the grader on the same
folder (or merging the same JSON results) gives byte-identical files.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..exercises import EXERCISE_MODULES, get_exercise
from .grade import SCHEMA

__all__ = [
    "atomic_write_text",
    "build_csv",
    "feedback_markdown",
    "load_result",
    "part_columns",
    "write_outputs",
    "written_markdown",
]

BASE_COLUMNS = ["submission", "exercise", "status", "score", "max_score"]
TAIL_COLUMNS = ["written", "flags", "reason", "feedback"]


def atomic_write_text(path: str | Path, text: str) -> None:
    """Write ``text`` to ``path`` so that readers see the old file or the new one, never half."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def load_result(path: str | Path) -> dict[str, Any]:
    """Read one JSON result; a missing or corrupt file becomes a ``grader_error`` row."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or data.get("schema") != SCHEMA:
            raise ValueError("not a grading result")
        return data
    except (OSError, ValueError) as exc:
        name = path.name.removesuffix(".json")
        return {
            "schema": SCHEMA, "submission": name, "exercise": "", "status": "grader_error",
            "reason": f"the result file {path.name} could not be read ({type(exc).__name__})",
            "score": 0.0, "max_score": 0.0, "parts": [], "written": [], "flags": [], "cells": [],
        }


def _fmt(x: Any) -> str:
    return f"{float(x):g}" if isinstance(x, (int, float)) else ""


def part_columns(results: Iterable[dict[str, Any]]) -> list[str]:
    """``exercise/function`` for every part of every exercise present, in course order."""
    present = {r.get("exercise") for r in results}
    cols = []
    for name in EXERCISE_MODULES:
        if name in present:
            cols += [f"{name}/{p.function}" for p in get_exercise(name).parts]
    return cols


def _row(r: dict[str, Any], columns: list[str]) -> dict[str, str]:
    row = {c: "" for c in columns}
    row.update(
        submission=r.get("submission", ""), exercise=r.get("exercise", ""),
        status=r.get("status", ""), score=_fmt(r.get("score", 0.0)),
        max_score=_fmt(r.get("max_score")) if r.get("exercise") else "",
        reason=r.get("reason", ""), flags="; ".join(r.get("flags", [])),
    )
    for p in r.get("parts", []):
        key = f"{p.get('exercise')}/{p.get('function')}"
        if key in row:
            row[key] = _fmt(p.get("score", 0.0))
    written = r.get("written", [])
    if written:
        row["written"] = f"{sum(w.get('answer') is not None for w in written)}/{len(written)} answered"
    row["feedback"] = " | ".join(p.get("headline", "") for p in r.get("parts", []))
    return row


def build_csv(results: list[dict[str, Any]]) -> str:
    """The gradebook as CSV text: one row per submission, sorted by submission path."""
    results = sorted(results, key=lambda r: str(r.get("submission", "")))
    columns = BASE_COLUMNS + part_columns(results) + TAIL_COLUMNS
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for r in results:
        writer.writerow(_row(r, columns))
    return buf.getvalue()


def feedback_markdown(r: dict[str, Any]) -> str:
    """The feedback file for one submission (Markdown)."""
    lines = [f"# Feedback on `{r.get('submission', '')}`", ""]
    if r.get("exercise"):
        ex = get_exercise(r["exercise"])
        lines.append(f"Exercise **{ex.name}**: {ex.title}.  ")
        lines.append(f"Score: **{_fmt(r.get('score', 0))} / {_fmt(r.get('max_score', 0))}** "
                     f"(status: `{r.get('status')}`)")
    else:
        lines.append(f"Status: `{r.get('status')}`")
    if r.get("reason"):
        lines += ["", f"Note: {r['reason']}"]
    for p in r.get("parts", []):
        lines += ["", f"## `{p['function']}`: {_fmt(p['score'])} / {_fmt(p['points'])} points", ""]
        lines.append(p.get("headline", ""))
        lines += [f"- {d}" for d in p.get("details", [])]
    errors = r.get("cells", [])
    if errors:
        lines += ["", "## Notebook cells", ""]
        lines += [f"- {c['cell']}: {c['status']}: {c['detail']}" for c in errors]
    if r.get("written"):
        lines += ["", "## Written answers (marked by hand)"]
        for w in r["written"]:
            lines += ["", f"### {w['prompt']}", ""]
            if w.get("answer") is None:
                lines.append(f"*({w.get('note') or 'no answer'})*")
            else:
                lines += ["> " + line for line in w["answer"].splitlines()]
    return "\n".join(lines) + "\n"


def written_markdown(results: list[dict[str, Any]]) -> str:
    """Every written answer, grouped by exercise and question, for marking by hand."""
    results = sorted(results, key=lambda r: str(r.get("submission", "")))
    lines = ["# Written answers for manual review", ""]
    for name in EXERCISE_MODULES:
        subs = [r for r in results if r.get("exercise") == name and r.get("written")]
        if not subs:
            continue
        ex = get_exercise(name)
        for w in ex.written:
            lines += [f"## {ex.name}: {w.prompt}", ""]
            for r in subs:
                ans = next((a for a in r["written"] if a.get("id") == w.id), None)
                lines += [f"### `{r['submission']}`", ""]
                if ans is None or ans.get("answer") is None:
                    lines += [f"*({(ans or {}).get('note') or 'no answer'})*", ""]
                else:
                    lines += ["> " + line for line in ans["answer"].splitlines()] + [""]
    return "\n".join(lines)


def write_outputs(
    results: list[dict[str, Any]], out_csv: str | Path, *, feedback_dir: str | Path | None = None,
    written_path: str | Path | None = None,
) -> dict[str, Path]:
    """Write the CSV, the feedback files and the written-answers file; return their paths."""
    out_csv = Path(out_csv)
    stem = out_csv.with_suffix("")
    feedback_dir = Path(feedback_dir) if feedback_dir else Path(f"{stem}_feedback")
    written_path = Path(written_path) if written_path else Path(f"{stem}_written.md")
    for r in results:
        parts = [p for p in Path(str(r.get("submission", "unknown"))).parts if p not in ("/", "..", ".")]
        target = feedback_dir.joinpath(*(parts or ["unknown"])).with_name((parts or ["unknown"])[-1] + ".md")
        atomic_write_text(target, feedback_markdown(r))
    atomic_write_text(written_path, written_markdown(results))
    atomic_write_text(out_csv, build_csv(results))
    return {"csv": out_csv, "feedback": feedback_dir, "written": written_path}
