"""Grade one submitted file: read it, identify the exercise, run it, judge the answers.

:func:`grade_file` always returns a result (a plain, JSON-ready dict) and never raises: a file
that is not a notebook, a notebook that does not parse, an exercise that cannot be identified, a
cell that hangs or kills its kernel, and even a bug in the grader each give a ``status`` and a
``reason``.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import traceback
import warnings
import zlib
from pathlib import Path
from typing import Any

import nbformat
import numpy as np

from ..exercises import EXERCISE_MODULES, get_exercise, normalise_name
from ..exercises._core import (
    ANSWER_HEADER,
    ANSWER_PLACEHOLDER,
    CaseOutcome,
    Exercise,
    Part,
    decode_value,
    encode_args,
    evaluate_case,
    missing_report,
    summarise,
)
from .runner import OUTPUT_LIMIT, HarnessRequest, RunRecord, Unit, run_units
from .sandbox import sandbox_available

__all__ = ["SCHEMA", "STATUSES", "grade_file", "hidden_cases"]

SCHEMA = "mlecourse-grade/1"
#: every status, most severe first (a submission gets the most severe that applies)
STATUSES = (
    "grader_error",
    "not_a_notebook",
    "invalid_notebook",
    "unknown_exercise",
    "kernel_died",
    "timeout",
    "memory_limit",
    "output_limit",
    "missing_function",
    "ok",
)
MAX_FILE_BYTES = 20 * 2**20
CALL_LIMIT = 5.0


def hidden_cases(exercise: Exercise, part: Part, seed: int) -> list[Any]:
    """The grader's inputs for ``part``: drawn from ``seed``, never shown to the student's kernel
    before the harness runs."""
    index = exercise.parts.index(part)
    rng = np.random.default_rng([seed, zlib.crc32(exercise.name.encode()), index])
    return part.hidden_cases(rng)


def _empty(rel: str, seed: int, sandbox: str) -> dict[str, Any]:
    return {
        "schema": SCHEMA, "submission": rel, "exercise": "", "status": "ok", "reason": "",
        "score": 0.0, "max_score": 0.0, "parts": [], "written": [], "flags": [], "cells": [],
        "sandbox": sandbox, "seed": seed,
    }


def _identify(nb: Any, path: Path) -> str | None:
    meta = nb.get("metadata", {}).get("mlecourse", {})
    name = meta.get("exercise") if isinstance(meta, dict) else None
    if isinstance(name, str) and normalise_name(name) in EXERCISE_MODULES:
        return normalise_name(name)
    code = "\n".join(c.get("source", "") for c in nb.get("cells", []) if c.get("cell_type") == "code")
    for m in re.finditer(r"check\(\s*[\"']([\w\- ]+)[\"']", code):
        if normalise_name(m.group(1)) in EXERCISE_MODULES:
            return normalise_name(m.group(1))
    stem = normalise_name(path.stem)
    for key in EXERCISE_MODULES:
        if key in stem:
            return key
    for key in EXERCISE_MODULES:
        functions = [p.function for p in get_exercise(key).parts]
        if all(re.search(rf"def\s+{f}\s*\(", code) for f in functions):
            return key
    return None


def _read_notebook(path: Path) -> tuple[Any, str, str]:
    """Return (notebook, "", "") or (None, status, reason)."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        return None, "not_a_notebook", f"the file cannot be read ({exc.strerror})"
    if size > MAX_FILE_BYTES:
        return None, "invalid_notebook", f"the file is {size / 2**20:.0f} MB, more than a notebook should be"
    raw = path.read_bytes()
    head = raw.lstrip()[:1]
    if path.suffix.lower() != ".ipynb" and head != b"{":
        return None, "not_a_notebook", f"not a Jupyter notebook (a {path.suffix or 'suffix-less'} file)"
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None, "not_a_notebook", "not a Jupyter notebook (binary content, not JSON text)"
    try:
        nb = nbformat.reads(text, as_version=4)
    except Exception as exc:
        first = str(exc).strip().splitlines()[0][:160] if str(exc).strip() else type(exc).__name__
        if head != b"{":
            return None, "not_a_notebook", "not a Jupyter notebook (the file is not JSON)"
        return None, "invalid_notebook", f"the notebook cannot be read: {first}"
    cells = nb.get("cells") if isinstance(nb, dict) else None
    if not isinstance(cells, list) or not all(isinstance(c, dict) for c in cells):
        return None, "invalid_notebook", "the notebook has no list of cells"
    if not isinstance(nb.get("metadata"), dict):
        nb["metadata"] = {}
    for c in cells:  # tolerate hand-edited notebooks: only what the grader reads must be sane
        src = c.get("source", "")
        if isinstance(src, list):
            c["source"] = "".join(str(s) for s in src)
        elif not isinstance(src, str):
            c["source"] = ""
        if not isinstance(c.get("metadata"), dict):
            c["metadata"] = {}
        if not isinstance(c.get("cell_type"), str):
            c["cell_type"] = "raw"
    return nb, "", ""


def _written(nb: Any, exercise: Exercise) -> list[dict[str, Any]]:
    found: dict[str, str] = {}
    for c in nb.get("cells", []):
        meta = c.get("metadata", {}).get("mlecourse", {})
        if c.get("cell_type") == "markdown" and isinstance(meta, dict) and "answer" in meta:
            found.setdefault(str(meta["answer"]), c.get("source", ""))
    out = []
    for w in exercise.written:
        text = found.get(w.id)
        if text is None:
            answer, note = None, "the answer cell is missing (deleted?)"
        else:
            kept = [ln for ln in text.split("\n")
                    if ln.strip() not in (ANSWER_HEADER, ANSWER_PLACEHOLDER)]
            stripped = "\n".join(kept).strip()
            answer, note = (stripped or None), ("" if stripped else "not answered")
        out.append({"id": w.id, "prompt": w.prompt, "answer": answer, "note": note})
    return out


def _flags(code: list[tuple[int, str]]) -> list[str]:
    """Things an instructor may want to look at (they do not change the score)."""
    flags = []
    uses = set()
    for _, src in code:
        for m in re.finditer(r"from\s+mlecourse[\w.]*\s+import\s+([\w ,()*]+)", src):
            names = {n.strip(" ()") for n in m.group(1).split(",")}
            uses.update(n for n in names if n and n != "check")
        for m in re.finditer(r"mlecourse\.([A-Za-z_]\w*)", src):
            if m.group(1) != "check":
                uses.add(m.group(1))
    if uses:
        flags.append("uses mlecourse beyond check(): " + ", ".join(sorted(uses)))
    return flags


def _judge_part(
    exercise: Exercise, part: Part, cases: list[Any], answer: dict[str, Any] | None,
    harness_status: str,
) -> tuple[dict[str, Any], str]:
    """Score one part from the harness answer. Returns (part result, status contribution)."""
    base = {
        "exercise": exercise.name, "function": part.function, "points": part.points,
        "score": 0.0, "passed": 0, "total": len(cases),
    }
    status = "ok"
    if answer is None or "invalid" in answer or (
        "results" not in answer and not answer.get("missing") and "not_callable" not in answer
    ):
        why = {
            "timeout": "the hidden tests did not finish in time (killed)",
            "kernel_died": "the kernel died while running the hidden tests",
            "not_run": "the hidden tests could not be run (too many kernel restarts)",
        }.get(harness_status, (answer or {}).get("invalid", "no answers came back"))
        report = {"status": "fail", "headline": f"❌ `{part.function}`: {why}.", "details": []}
        status = harness_status if harness_status in ("timeout", "kernel_died") else "ok"
        return {**base, **report}, status
    if answer.get("missing"):
        defined = [d for d in answer.get("defined", []) if isinstance(d, str)]
        others = {p.function for p in exercise.parts}
        rep = missing_report(part, [d for d in defined if d not in others])
        return {**base, "status": "missing", "headline": rep.headline, "details": []}, "missing_function"
    if "not_callable" in answer:
        kind = str(answer["not_callable"])[:40]
        headline = f"❌ `{part.function}` is a {kind}, not a function (overwritten by a later cell?)."
        return {**base, "status": "missing", "headline": headline, "details": []}, "missing_function"
    module = str(answer.get("module", ""))
    if module == "mlecourse" or module.startswith("mlecourse."):
        headline = (
            f"❌ `{part.function}` is the course's own implementation ({module}), imported from "
            "mlecourse, not the student's."
        )
        return {**base, "status": "fail", "headline": headline, "details": []}, "ok"
    results = answer.get("results", [])
    outcomes: list[CaseOutcome] = []
    for i, case in enumerate(cases):
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            expected = part.reference(*case.args)
        got = decode_value(results[i]) if i < len(results) else decode_value({"t": "timeout"})
        outcomes.append(evaluate_case(part, case, got, expected))
    report = summarise(part, outcomes, hidden=True)
    score = round(part.points * report.fraction, 2)
    if report.status == "not_attempted":
        score = 0.0
    result = {
        **base, "score": score, "passed": report.passed, "total": report.total,
        "status": report.status, "headline": report.headline, "details": report.details,
    }
    return result, "ok"


def _cell_events(units: list[Unit], record: RunRecord, timeout: float, memory_mb: int):
    """Status contributions and human-readable reasons from the run record."""
    contributions: list[tuple[str, str]] = []
    cells: list[dict[str, Any]] = []
    for i, unit in enumerate(units):
        st = record.status.get(i, "not_run")
        where = unit.label if unit.kind == "cell" else f"the hidden tests of `{unit.label}`"
        entry = None
        if st == "timeout":
            entry = ("timeout", f"{where} did not finish within {timeout:g} s: killed and skipped"
                     + (", the other cells re-run" if unit.kind == "cell" else ""))
        elif st == "kernel_died":
            entry = ("kernel_died", f"{where} stopped the kernel (exit or crash): skipped"
                     + (", the other cells re-run" if unit.kind == "cell" else ""))
        elif st == "memory_limit":
            entry = ("memory_limit", f"{where} ran out of memory (limit {memory_mb} MB): "
                     "killed and skipped, the other cells re-run")
        elif st == "error" and unit.kind == "cell":
            ename, evalue = record.errors.get(i, ("", ""))
            cells.append({"cell": unit.label, "status": "error",
                          "detail": f"{ename}: {evalue}".strip(": ")[:300]})
        elif st == "not_run" and unit.kind == "cell":
            entry = ("timeout", f"{where} was not run (too many kernel restarts)")
        if record.output_chars.get(i, 0) >= OUTPUT_LIMIT:
            contributions.append(("output_limit", f"{where} printed more than "
                                  f"{OUTPUT_LIMIT // 1000} kB of output (the rest was discarded)"))
        if entry is not None:
            contributions.append(entry)
            cells.append({"cell": unit.label, "status": entry[0], "detail": entry[1]})
    return contributions, cells


def grade_file(
    path: str | Path, *, root: str | Path | None = None, seed: int = 0, timeout: float = 20.0,
    memory_mb: int = 2048, sandbox: bool | None = None, hide: list[str] | None = None,
) -> dict[str, Any]:
    """Grade one submitted file; return a JSON-ready result dict (never raises).

    Parameters
    ----------
    path : path
        The submitted file.
    root : path, optional
        The submissions folder; the result names the file relative to it (default: its folder).
    seed : int
        The grader's seed for the hidden inputs (keep it private to the course staff).
    timeout : float
        Seconds per notebook cell (and per part's hidden tests).
    memory_mb : int
        Address-space limit of the student's kernel.
    sandbox : bool, optional
        Run the kernel in bubblewrap: ``None`` = when available, ``False`` = never.
    hide : list of paths
        Folders the sandboxed kernel must not see (the submissions, the gradebook).
    """
    path = Path(path)
    root = Path(root) if root is not None else path.parent
    try:
        rel = path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        rel = path.name
    use_sandbox = sandbox_available() if sandbox is None else bool(sandbox)
    result = _empty(rel, seed, "bubblewrap" if use_sandbox else "none")
    try:
        _grade(path, result, seed=seed, timeout=timeout, memory_mb=memory_mb,
               sandbox=use_sandbox, hide=[str(root.resolve()), *(hide or [])])
    except Exception as exc:
        result["status"] = "grader_error"
        result["reason"] = f"internal grader error: {type(exc).__name__}: {exc}"[:500]
        result["traceback"] = traceback.format_exc()[-4000:]
    return result


def _grade(path: Path, result: dict[str, Any], *, seed: int, timeout: float, memory_mb: int,
           sandbox: bool, hide: list[str]) -> None:
    nb, status, reason = _read_notebook(path)
    if nb is None:
        result.update(status=status, reason=reason)
        return
    name = _identify(nb, path)
    if name is None:
        result.update(
            status="unknown_exercise",
            reason="cannot tell which exercise this is (no mlecourse metadata, no check(...) "
            "call, no known file name or function names)",
        )
        return
    exercise = get_exercise(name)
    result["exercise"] = exercise.name
    result["max_score"] = exercise.max_score
    result["written"] = _written(nb, exercise)
    code = [
        (i, c["source"]) for i, c in enumerate(nb["cells"])
        if c.get("cell_type") == "code" and c.get("source", "").strip()
    ]
    result["flags"] = _flags(code)
    units = [Unit("cell", f"cell {i + 1}", source=src) for i, src in code]
    part_cases = []
    for part in exercise.parts:
        cases = hidden_cases(exercise, part, seed)
        part_cases.append(cases)
        call_limit = min(CALL_LIMIT, max(1.0, timeout))
        budget = min(max(2.0 * timeout, 3.0 * call_limit), 120.0)
        request = HarnessRequest(
            part.function, [encode_args(c.args) for c in cases],
            call_limit=call_limit, budget=budget,
        )
        units.append(Unit("harness", part.function, request=request))

    workdir = Path(tempfile.mkdtemp(prefix="mlecourse-grade-", dir="/tmp" if Path("/tmp").is_dir() else None))
    try:
        record = run_units(units, workdir, timeout=timeout, memory_mb=memory_mb,
                           sandbox=sandbox, hide=hide)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    if record.startup_error and not record.answers:
        raise RuntimeError(f"the kernel could not be started: {record.startup_error}")

    contributions, cells = _cell_events(units, record, timeout, memory_mb)
    result["cells"] = cells
    n_cells = len(code)
    total = 0.0
    for k, (part, cases) in enumerate(zip(exercise.parts, part_cases, strict=True)):
        harness_status = record.status.get(n_cells + k, "not_run")
        part_result, contribution = _judge_part(
            exercise, part, cases, record.answers.get(part.function), harness_status
        )
        result["parts"].append(part_result)
        total += part_result["score"]
        if contribution == "missing_function":
            contributions.append(("missing_function", part_result["headline"].removeprefix("❌ ")))
    result["score"] = round(total, 2)
    if all(p.get("status") == "not_attempted" for p in result["parts"]):
        contributions.append(("ok", "not attempted (every function still raises NotImplementedError)"))
    status = "ok"
    for s, _ in contributions:
        if STATUSES.index(s) < STATUSES.index(status):
            status = s
    result["status"] = status
    reasons = [r for s, r in contributions if s != "ok" or r]
    result["reason"] = "; ".join(dict.fromkeys(reasons))
