"""Execute notebooks in place in a fresh kernel, so they are committed with their outputs.

nbval (strict) later re-executes each notebook and compares its text outputs with the stored
ones, so the stored outputs must come from a clean top-to-bottom run. Timing metadata is not
recorded, keeping diffs to real changes.

Usage: python scripts/execute_notebooks.py [--timeout S] NOTEBOOK [NOTEBOOK ...]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient


def execute(path: Path, timeout: int) -> float:
    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
        record_timing=False,
        # the demos' static HTML view is what readers and nbval see; the live widgets' state
        # would only add ~15 KB of churn per demo to every committed notebook
        store_widget_state=False,
        allow_errors=False,
    )
    client.execute()
    elapsed = time.perf_counter() - start
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
    nb.metadata.pop("widgets", None)
    nbformat.validate(nb)
    nbformat.write(nb, path)
    return elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--timeout", type=int, default=120, help="seconds per cell")
    args = parser.parse_args(argv)
    failed = []
    for path in args.notebooks:
        try:
            seconds = execute(path, args.timeout)
        except Exception as exc:  # report every failing notebook, then fail
            print(f"FAILED  {path}: {type(exc).__name__}: {str(exc)[-2000:]}", file=sys.stderr)
            failed.append(path)
        else:
            print(f"{seconds:6.1f} s  {path}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
