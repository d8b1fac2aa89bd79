"""Grade a whole folder with ``jobs`` worker processes, then merge the results into a gradebook.

Each worker is a long-lived ``python -m mlecourse worker`` process that grades one file at a time
(every file in its own fresh kernel) and writes one JSON result per file, exactly like
``python -m mlecourse grade --one``. Keeping the workers alive saves their start-up time; sharing
them is safe because no student code runs in them. A worker that dies or exceeds the wall-clock
limit is killed and replaced, the file is retried once in a fresh worker, and if that fails too
the file still gets its row (status ``grader_error``).
"""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from .grade import SCHEMA, grade_file
from .report import atomic_write_text, load_result, write_outputs

__all__ = ["Progress", "find_submissions", "grade_folder", "result_path", "worker_main"]

DONE = "MLECOURSE-DONE"


def find_submissions(root: str | Path, exclude: list[str | Path] = ()) -> list[Path]:
    """Every regular file under ``root`` (nested folders allowed), sorted; hidden files and
    folders, ``.ipynb_checkpoints`` and the grader's own outputs (``exclude``) are skipped."""
    root = Path(root)
    skip = {Path(e).resolve() for e in exclude}
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        dirnames[:] = sorted(
            d for d in dirnames
            if not d.startswith(".") and d != "__pycache__" and (here / d).resolve() not in skip
        )
        for f in sorted(filenames):
            p = here / f
            if f.startswith(".") or p.resolve() in skip or not p.is_file():
                continue
            found.append(p)
    return sorted(found, key=lambda p: p.relative_to(root).as_posix())


def result_path(results_dir: str | Path, rel: str) -> Path:
    """Where the JSON result of submission ``rel`` goes (mirrors the submissions folder)."""
    return Path(results_dir) / (rel + ".json")


def write_result(result: dict[str, Any], path: str | Path) -> None:
    """Write one result as JSON (atomically, deterministic key order)."""
    atomic_write_text(path, json.dumps(result, ensure_ascii=False, indent=1, sort_keys=True) + "\n")


def worker_main(stdin: TextIO | None = None) -> int:
    """The worker loop: one JSON task per input line, ``MLECOURSE-DONE <id>`` per finished task."""
    stdin = stdin or sys.stdin
    out = sys.stdout
    sys.stdout = sys.stderr  # nothing but the protocol goes to the real stdout
    for line in stdin:
        if not line.strip():
            continue
        task = json.loads(line)
        result = grade_file(
            task["path"], root=task["root"], seed=task["seed"], timeout=task["timeout"],
            memory_mb=task["memory_mb"], sandbox=task["sandbox"], hide=task["hide"],
        )
        write_result(result, task["json"])
        out.write(f"{DONE} {task['id']}\n")
        out.flush()
    return 0


class _Worker:
    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "mlecourse", "worker"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            text=True, encoding="utf-8", start_new_session=True,
        )
        self.lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line.strip())
        self.lines.put(None)

    def run(self, task: dict[str, Any], wall: float) -> str:
        """Return "done", "died" or "hung"."""
        try:
            assert self.proc.stdin is not None
            self.proc.stdin.write(json.dumps(task) + "\n")
            self.proc.stdin.flush()
        except OSError:
            return "died"
        deadline = time.monotonic() + wall
        while True:
            try:
                line = self.lines.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                return "hung"
            if line is None:
                return "died"
            if line == f"{DONE} {task['id']}":
                return "done"

    def kill(self) -> None:
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except OSError:
            pass
        self.proc.wait()

    def close(self) -> None:
        try:
            assert self.proc.stdin is not None
            self.proc.stdin.close()
            self.proc.wait(timeout=30)
        except (OSError, subprocess.TimeoutExpired):
            self.kill()


class Progress:
    """A progress bar on stderr; plain lines, one per file, when stderr is not a terminal."""

    def __init__(self, total: int, stream: TextIO | None = None, enabled: bool = True) -> None:
        self.total, self.done = total, 0
        self.stream = stream or sys.stderr
        self.enabled = enabled
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.start = time.monotonic()
        self.lock = threading.Lock()

    def update(self, label: str, status: str) -> None:
        with self.lock:
            self.done += 1
            if not self.enabled:
                return
            elapsed = time.monotonic() - self.start
            if self.tty:
                width = 30
                fill = int(width * self.done / max(self.total, 1))
                eta = elapsed / self.done * (self.total - self.done)
                self.stream.write(
                    f"\r[{'#' * fill}{'.' * (width - fill)}] {self.done}/{self.total} graded"
                    f"  {elapsed:5.0f} s elapsed, ~{eta:.0f} s left "
                )
                if self.done == self.total:
                    self.stream.write("\n")
            else:
                self.stream.write(f"[{self.done}/{self.total}] {label}: {status}\n")
            self.stream.flush()


def _failure(rel: str, reason: str, seed: int) -> dict[str, Any]:
    return {
        "schema": SCHEMA, "submission": rel, "exercise": "", "status": "grader_error",
        "reason": reason, "score": 0.0, "max_score": 0.0, "parts": [], "written": [],
        "flags": [], "cells": [], "seed": seed,
    }


def grade_folder(
    root: str | Path, out_csv: str | Path, *, jobs: int | None = None, timeout: float = 20.0,
    seed: int = 0, memory_mb: int = 2048, sandbox: bool = True,
    results_dir: str | Path | None = None, feedback_dir: str | Path | None = None,
    written_path: str | Path | None = None, progress: bool = True,
    on_result: Callable[[dict[str, Any]], None] | None = None,
) -> list[dict[str, Any]]:
    """Grade every file under ``root``; write the CSV, feedback and written answers.

    Returns the list of per-submission results (also written as JSON under ``results_dir``,
    default ``<out stem>_results/``).
    """
    root = Path(root)
    out_csv = Path(out_csv)
    stem = out_csv.with_suffix("")
    results_dir = Path(results_dir) if results_dir else Path(f"{stem}_results")
    feedback_dir = Path(feedback_dir) if feedback_dir else Path(f"{stem}_feedback")
    written_path = Path(written_path) if written_path else Path(f"{stem}_written.md")
    outputs = [out_csv, results_dir, feedback_dir, written_path]
    files = find_submissions(root, exclude=outputs)
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(files) or 1))
    hide = [str(p.resolve()) for p in (root, results_dir, feedback_dir, out_csv, written_path)]
    wall = 120.0 + 40.0 * timeout

    tasks: queue.Queue[tuple[int, Path]] = queue.Queue()
    for i, f in enumerate(files):
        tasks.put((i, f))
    bar = Progress(len(files), enabled=progress)
    rels = [f.relative_to(root).as_posix() for f in files]

    def slot() -> None:
        worker: _Worker | None = None
        try:
            while True:
                try:
                    i, f = tasks.get_nowait()
                except queue.Empty:
                    return
                rel, target = rels[i], result_path(results_dir, rels[i])
                task = {
                    "id": i, "path": str(f), "json": str(target), "root": str(root),
                    "seed": seed, "timeout": timeout, "memory_mb": memory_mb,
                    "sandbox": sandbox, "hide": hide,
                }
                target.unlink(missing_ok=True)
                outcome = "none"
                for _attempt in range(2):
                    if worker is None:
                        worker = _Worker()
                    outcome = worker.run(task, wall)
                    if outcome == "done":
                        break
                    worker.kill()
                    worker = None
                if outcome != "done":
                    why = ("the grading worker died" if outcome == "died"
                           else f"grading took longer than {wall:g} s and was stopped")
                    write_result(_failure(rel, f"{why} (twice)", seed), target)
                result = load_result(target)
                if on_result is not None:
                    on_result(result)
                bar.update(rel, f"{result.get('status')} {result.get('score', 0):g}/"
                                f"{result.get('max_score', 0):g}")
        finally:
            if worker is not None:
                worker.close()

    threads = [threading.Thread(target=slot, daemon=True) for _ in range(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    results = [load_result(result_path(results_dir, rel)) for rel in rels]
    for rel, r in zip(rels, results, strict=True):
        r["submission"] = rel
    write_outputs(results, out_csv, feedback_dir=feedback_dir, written_path=written_path)
    return results
