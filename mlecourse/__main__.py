"""Command line: ``python -m mlecourse grade ...`` and ``python -m mlecourse merge ...``.

Grade a folder of submissions (nested folders allowed; one row per file)::

    python -m mlecourse grade SUBMISSIONS --out grades.csv [--timeout 20] [--jobs N]
                              [--seed S] [--memory 2048] [--no-sandbox]

writes ``grades.csv``, ``grades_feedback/<submission>.md`` (one feedback file per submission),
``grades_written.md`` (the written answers, for marking by hand) and ``grades_results/`` (one
JSON result per submission).

Grade one file to a JSON result (for fanning out over a CI matrix or a Slurm array)::

    python -m mlecourse grade --one SUBMISSION.ipynb --json result.json [--root SUBMISSIONS]

and merge such results into the same gradebook::

    python -m mlecourse merge RESULTS_DIR_OR_FILES... --out grades.csv
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path


def _seed_default() -> int:
    return int(os.environ.get("MLECOURSE_GRADER_SEED", "0"))


def _add_common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--timeout", type=float, default=20.0,
                   help="seconds per notebook cell, and for each part's hidden tests (default 20)")
    p.add_argument("--seed", type=int, default=_seed_default(),
                   help="the grader's seed for the hidden inputs (default: $MLECOURSE_GRADER_SEED "
                        "or 0); keep the seed you use private")
    p.add_argument("--memory", type=int, default=2048, metavar="MB",
                   help="memory cap of each student kernel in MB (default 2048)")
    p.add_argument("--no-sandbox", action="store_true",
                   help="do not use bubblewrap even when it is available")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m mlecourse", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    g = sub.add_parser("grade", help="grade a folder of submissions, or one file with --one")
    g.add_argument("submissions", nargs="?", type=Path, help="folder of submitted files")
    g.add_argument("--out", type=Path, help="the CSV gradebook to write (folder mode)")
    g.add_argument("--jobs", type=int, default=None,
                   help="parallel workers (default: the number of CPU cores)")
    g.add_argument("--one", type=Path, metavar="FILE", help="grade only FILE ...")
    g.add_argument("--json", type=Path, metavar="OUT", help="... and write its result to OUT")
    g.add_argument("--root", type=Path, help="with --one: the submissions folder, to name FILE "
                   "relative to it (default: FILE's folder)")
    g.add_argument("--quiet", action="store_true", help="no progress bar")
    _add_common(g)
    m = sub.add_parser("merge", help="build the gradebook from JSON results")
    m.add_argument("inputs", nargs="+", type=Path, help="JSON result files or folders of them")
    m.add_argument("--out", type=Path, required=True, help="the CSV gradebook to write")
    sub.add_parser("worker", help=argparse.SUPPRESS)
    return parser


def _warn_sandbox(use: bool) -> bool:
    from .grading.sandbox import sandbox_available

    if not use:
        print("mlecourse grade: running UNSANDBOXED (--no-sandbox): student code can read and "
              "write anything this user can.", file=sys.stderr)
        return False
    if not sandbox_available():
        print("mlecourse grade: bubblewrap (bwrap) is not available, so student code runs "
              "UNSANDBOXED (with time, memory and output limits only). Install it with "
              "`apt-get install bubblewrap`.", file=sys.stderr)
        return False
    return True


def _grading_installed() -> bool:
    try:
        import ipykernel  # noqa: F401
        import nbclient  # noqa: F401
        import nbformat  # noqa: F401
    except ImportError as exc:
        print(f"the grader needs nbformat, nbclient and ipykernel ({exc}): "
              "pip install 'mlecourse[grading]'", file=sys.stderr)
        return False
    return True


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if not _grading_installed():
        return 2
    if args.command == "worker":
        from .grading.batch import worker_main

        return worker_main()
    if args.command == "merge":
        from .grading import merge_results

        results = merge_results(args.inputs, args.out)
        print(f"{len(results)} results merged into {args.out}", file=sys.stderr)
        return 0

    if args.one is not None:
        if args.json is None:
            print("--one needs --json OUT", file=sys.stderr)
            return 2
        from .grading.batch import write_result
        from .grading.grade import grade_file

        sandbox = _warn_sandbox(not args.no_sandbox)
        hide = [str(args.json.resolve().parent)] if args.json.resolve().parent != Path.cwd() else []
        result = grade_file(
            args.one, root=args.root, seed=args.seed, timeout=args.timeout,
            memory_mb=args.memory, sandbox=sandbox, hide=hide,
        )
        write_result(result, args.json)
        print(f"{result['submission']}: {result['status']} {result['score']:g}/"
              f"{result['max_score']:g}", file=sys.stderr)
        return 1 if result["status"] == "grader_error" else 0

    if args.submissions is None or args.out is None:
        print("usage: python -m mlecourse grade SUBMISSIONS --out grades.csv "
              "(or --one FILE --json OUT)", file=sys.stderr)
        return 2
    if not args.submissions.is_dir():
        print(f"{args.submissions} is not a folder", file=sys.stderr)
        return 2
    from .grading.batch import grade_folder

    sandbox = _warn_sandbox(not args.no_sandbox)
    if sandbox:
        print("mlecourse grade: student kernels run in a bubblewrap sandbox (read-only "
              "filesystem, private /tmp, no network).", file=sys.stderr)
    results = grade_folder(
        args.submissions, args.out, jobs=args.jobs, timeout=args.timeout, seed=args.seed,
        memory_mb=args.memory, sandbox=sandbox, progress=not args.quiet,
    )
    errors = sum(r.get("status") == "grader_error" for r in results)
    print(f"{len(results)} submissions graded into {args.out}"
          + (f"; {errors} grader errors (see the reason column)" if errors else ""),
          file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
