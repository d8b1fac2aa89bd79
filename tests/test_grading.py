"""Tests for the grader: a class of adversarial submissions, every row asserted.

The class is graded once (two workers, a 3 s cell timeout, a 1 GB memory cap); the tests then check
each file's row, the gradebook files, determinism on re-runs, the ``--one``/``merge`` fan-out, the
sandbox, and the pieces (atomic writes, progress bar, status order).
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from mlecourse.grading import STATUSES, build_csv, grade_folder, merge_results, sandbox_available
from mlecourse.grading.batch import Progress, find_submissions
from mlecourse.grading.report import atomic_write_text

ROOT = Path(__file__).resolve().parents[1]
STUDENTS = ROOT / "exercises"
TIMEOUT = 3.0
SANDBOXED = sandbox_available()
# CI installs bubblewrap (.ci/run) and sets this, so the sandbox tests can never be skipped there
if os.environ.get("MLECOURSE_REQUIRE_SANDBOX") == "1" and not SANDBOXED:
    raise RuntimeError("MLECOURSE_REQUIRE_SANDBOX=1 but bubblewrap cannot create its sandbox here")

CORRECT = "def uniform_mle(x):\n    return float(np.max(x))"


def _student(exercise: str = "uniform_mle", functions: dict[str, str] | None = None,
             before: tuple[str, ...] = (), answer: str | None = None) -> nbformat.NotebookNode:
    """The student notebook of ``exercise`` with functions filled in and extra cells inserted
    before the first function cell, as a student would."""
    nb = nbformat.read(STUDENTS / f"{exercise}.ipynb", as_version=4)
    first = None
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and cell.source.startswith("def "):
            first = i if first is None else first
            name = cell.source.split("(")[0].removeprefix("def ")
            if functions is not None and name in functions:
                cell.source = functions[name]
        if answer is not None and cell.metadata.get("mlecourse", {}).get("answer"):
            cell.source = f"**Your answer:**\n\n{answer}"
    for src in reversed(before):
        nb.cells.insert(first, nbformat.v4.new_code_cell(src))
    return nb


def _uniform(code: str, before: tuple[str, ...] = (), **kw) -> nbformat.NotebookNode:
    return _student("uniform_mle", {"uniform_mle": code}, before, **kw)


def _write(root: Path, rel: str, content) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        nbformat.write(content, path)


def _class(root: Path, out: Path) -> dict[str, tuple[str, float | None, list[str]]]:
    """Write the class; return {file: (status, score, phrases expected in the row)}."""
    expected: dict[str, tuple[str, float | None, list[str]]] = {}

    def add(rel, content, status, score, *phrases):
        _write(root, rel, content)
        expected[rel] = (status, score, list(phrases))

    correct = _uniform(CORRECT)
    add("correct.ipynb", correct, "ok", 4, "✅")
    add("untouched.ipynb", _student("uniform_mle"), "ok", 0, "not attempted")
    add("method_of_moments.ipynb", _uniform("def uniform_mle(x):\n    return 2 * np.mean(x)"),
        "ok", 0, "method-of-moments")
    add("unbiased.ipynb",
        _uniform("def uniform_mle(x):\n    return (len(x) + 1) / len(x) * np.max(x)"),
        "ok", 0, "unbiased estimator")
    add("truncated_json.ipynb", nbformat.writes(correct)[:300], "invalid_notebook", None,
        "cannot be read")
    add("essay.pdf", b"%PDF-1.4\n\x00\x01\x02 binary", "not_a_notebook", None, "not a Jupyter")
    add("notes.txt", "the answer is max(x)", "not_a_notebook", None, "not a Jupyter")
    add("json_but_not_a_notebook.ipynb", '{"hello": [1, 2, 3]}', "invalid_notebook", None,
        "cannot be read")
    add("infinite_loop.ipynb", _uniform(CORRECT, ("while True:\n    pass",)), "timeout", 4,
        f"did not finish within {TIMEOUT:g} s", "re-run")
    add("ignores_interrupt.ipynb", _uniform(CORRECT, (
        "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass",)),
        "timeout", 4, "killed and skipped")
    add("sys_exit.ipynb", _uniform(CORRECT, ("import sys\nsys.exit(3)",)), "ok", 4, "SystemExit")
    add("exit_kernel.ipynb", _uniform(CORRECT, ("exit()",)), "kernel_died", 4, "stopped the kernel")
    add("os_exit.ipynb", _uniform(CORRECT, ("import os\nos._exit(1)",)), "kernel_died", 4,
        "stopped the kernel", "re-run")
    add("memory_bomb.ipynb", _uniform(CORRECT, (
        "hog = []\nwhile True:\n    hog.append(bytearray(100_000_000))",)),
        "memory_limit", 4, "ran out of memory")
    add("huge_allocation.ipynb", _uniform(CORRECT, ("big = np.ones((100_000, 100_000))",)),
        "memory_limit", 4, "ran out of memory")
    add("huge_output.ipynb", _uniform(CORRECT, (
        'print("x" * 100_000_000)', 'for _ in range(200_000):\n    print("y" * 500)')),
        "output_limit", 4, "printed more than")
    add("missing_function.ipynb", _uniform("# I gave up"), "missing_function", 0,
        "does not define a function called `uniform_mle`")
    add("renamed_function.ipynb", _uniform("def uniform_MLE(x):\n    return float(np.max(x))"),
        "missing_function", 0, "`uniform_MLE`", "renamed")
    add("patches_numpy.ipynb", _uniform("def uniform_mle(x):\n    return 0.0", (
        "np.isclose = lambda *a, **k: True\nnp.allclose = lambda *a, **k: True\n"
        "np.testing.assert_allclose = lambda *a, **k: None\nnp.max = lambda *a, **k: 0.0",)),
        "ok", 0, "wrong answer")
    add("patches_mlecourse.ipynb", _uniform("def uniform_mle(x):\n    return 1.0", (
        "import mlecourse\nimport mlecourse.exercises._core as core\n"
        "mlecourse.check = lambda *a, **k: '✅ correct'\n"
        "core.evaluate_case = lambda *a, **k: None\ncore.summarise = lambda *a, **k: None",)),
        "ok", 0, "wrong answer")
    add("patches_float.ipynb", _uniform("def uniform_mle(x):\n    return 1.0", (
        "import builtins\nbuiltins.float = lambda *a, **k: 4.0",)), "ok", 0)
    add("always_equal.ipynb", _uniform(
        "class Anything:\n    def __eq__(self, other):\n        return True\n"
        "    def __float__(self):\n        return 1.0\n\n"
        "def uniform_mle(x):\n    return Anything()"), "ok", 0, "object of type `Anything`")
    add("float_subclass.ipynb", _uniform(
        "class Sneaky(float):\n    def __eq__(self, other):\n        return True\n"
        "    __hash__ = float.__hash__\n\n"
        "def uniform_mle(x):\n    return Sneaky(0.0)"), "ok", 0, "wrong answer")
    add("hardcoded_example.ipynb", _uniform("def uniform_mle(x):\n    return 3.7"), "ok", 0,
        "wrong answer")
    add("imports_reference.ipynb", _uniform("from mlecourse import uniform_mle"), "ok", 0,
        "course's own implementation", "uses mlecourse beyond check(): uniform_mle")
    add("hangs_on_large_input.ipynb", _uniform(
        "def uniform_mle(x):\n    while len(x) > 50_000:\n        pass\n"
        "    return float(np.max(x))"), "ok", round(4 * 17 / 18, 2), "took too long")
    add("raises.ipynb", _uniform("def uniform_mle(x):\n    raise ValueError('no idea')"),
        "ok", 0, "raised ValueError")
    add("returns_list.ipynb", _uniform("def uniform_mle(x):\n    return [float(np.max(x))]"),
        "ok", 0, "returned a list")
    add("exits_inside_function.ipynb", _student("boundary_bernoulli", {
        "bernoulli_loglik": "def bernoulli_loglik(p, x):\n    import os\n    os._exit(1)",
        "bernoulli_mle": "def bernoulli_mle(x):\n    return float(np.mean(x))"}),
        "kernel_died", 2, "hidden tests of `bernoulli_loglik`")
    add("alice/nested/Copy of uniform_mle (2).ipynb", _uniform(CORRECT), "ok", 4, "✅")
    bare = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("my homework")])
    add("no_metadata.ipynb", bare, "unknown_exercise", None, "cannot tell which exercise")
    anonymous = _uniform(CORRECT)
    anonymous.metadata.pop("mlecourse")
    add("hw1.ipynb", anonymous, "ok", 4, "✅")
    add("syntax_error.ipynb", _uniform(CORRECT, ("def broken(:\n    pass",)), "ok", 4,
        "SyntaxError")
    add("reads_stdin.ipynb", _uniform(CORRECT, ("name = input('name? ')",)), "ok", 4)
    empty = nbformat.v4.new_notebook()
    empty.metadata["mlecourse"] = {"exercise": "uniform-mle"}
    add("empty_notebook.ipynb", empty, "missing_function", 0, "does not define")
    add("written_answer.ipynb", _uniform(CORRECT, answer="The support depends on θ."), "ok", 4)
    # tries to read another student's file (and the network) to "earn" its points, and to
    # overwrite another submission and the gradebook
    escape = (
        "import pathlib, urllib.request\nLEAK = False\n"
        f"try:\n    LEAK = bool(pathlib.Path({str(root / 'correct.ipynb')!r}).read_text())\n"
        "except OSError:\n    pass\n"
        "try:\n    urllib.request.urlopen('https://pypi.org', timeout=2)\n    LEAK = True\n"
        "except OSError:\n    pass\n"
        f"for target in ({str(root / 'correct.ipynb')!r}, "
        f"{str(out / 'grades_results' / 'correct.ipynb.json')!r}, {str(out / 'pwned.txt')!r}):\n"
        "    try:\n        pathlib.Path(target).write_text('pwned')\n    except OSError:\n"
        "        pass"
    )
    if SANDBOXED:  # unsandboxed, it would really overwrite correct.ipynb
        add("sandbox_escape.ipynb", _uniform(
            "def uniform_mle(x):\n    return float(np.max(x)) if LEAK else 0.0", (escape,)),
            "ok", 0)
    return expected


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("submissions")
    out = tmp_path_factory.mktemp("gradebook")
    expected = _class(root, out)
    correct_bytes = (root / "correct.ipynb").read_bytes()
    results = grade_folder(root, out / "grades.csv", jobs=2, timeout=TIMEOUT, seed=11,
                           memory_mb=1024, sandbox=SANDBOXED, progress=True)
    rows = {r["submission"]: r for r in csv.DictReader(io.StringIO(
        (out / "grades.csv").read_text(encoding="utf-8")))}
    return {"root": root, "out": out, "expected": expected, "results": results, "rows": rows,
            "correct_bytes": correct_bytes}


def test_the_class_has_at_least_15_kinds(graded):
    assert len(graded["expected"]) >= 15
    assert set(graded["rows"]) == set(graded["expected"])  # every file has exactly one row


def test_every_row(graded):
    failures = []
    for rel, (status, score, phrases) in graded["expected"].items():
        row = graded["rows"][rel]
        result = graded["out"] / "grades_results" / f"{rel}.json"
        text = " ".join(row.values()) + result.read_text(encoding="utf-8")
        if row["status"] != status:
            failures.append(f"{rel}: status {row['status']!r} != {status!r} ({row['reason']})")
        if score is not None and abs(float(row["score"]) - score) > 1e-9:
            failures.append(f"{rel}: score {row['score']} != {score} ({row['feedback'][:200]})")
        for phrase in phrases:
            if phrase not in text:
                failures.append(f"{rel}: {phrase!r} not in row: {text[:400]}")
        if status != "ok" and not row["reason"]:
            failures.append(f"{rel}: status {status} without a reason")
    assert not failures, "\n".join(failures)


def test_gradebook_columns(graded):
    header = (graded["out"] / "grades.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    assert header[:5] == ["submission", "exercise", "status", "score", "max_score"]
    assert header[-4:] == ["written", "flags", "reason", "feedback"]
    assert "uniform-mle/uniform_mle" in header and "boundary-bernoulli/bernoulli_mle" in header
    row = graded["rows"]["exits_inside_function.ipynb"]
    assert row["boundary-bernoulli/bernoulli_loglik"] == "0"
    assert row["boundary-bernoulli/bernoulli_mle"] == "2"
    assert row["uniform-mle/uniform_mle"] == "" and row["max_score"] == "5"
    assert set(r["status"] for r in graded["rows"].values()) <= set(STATUSES)


def test_feedback_and_written_answers_files(graded):
    out = graded["out"]
    fb = (out / "grades_feedback" / "method_of_moments.ipynb.md").read_text(encoding="utf-8")
    assert "method-of-moments" in fb and "Score: **0 / 4**" in fb
    nested = out / "grades_feedback" / "alice" / "nested" / "Copy of uniform_mle (2).ipynb.md"
    assert nested.exists()
    assert len(list((out / "grades_feedback").rglob("*.md"))) == len(graded["expected"])
    written = (out / "grades_written.md").read_text(encoding="utf-8")
    assert "The support depends on θ." in written
    assert "### `written_answer.ipynb`" in written
    assert graded["rows"]["written_answer.ipynb"]["written"] == "1/1 answered"
    assert graded["rows"]["correct.ipynb"]["written"] == "0/1 answered"
    assert not list(out.rglob("*.tmp"))  # atomic writes leave nothing behind


@pytest.mark.skipif(not SANDBOXED, reason="bubblewrap is not available: the grader runs unsandboxed")
def test_the_sandbox_protects_other_files(graded):
    assert (graded["root"] / "correct.ipynb").read_bytes() == graded["correct_bytes"]
    assert not (graded["out"] / "pwned.txt").exists()
    result = json.loads((graded["out"] / "grades_results" / "correct.ipynb.json").read_text())
    assert result["status"] == "ok" and result["sandbox"] == "bubblewrap"
    assert graded["rows"]["sandbox_escape.ipynb"]["score"] == "0"


def test_rerun_gives_the_same_csv_and_rows_do_not_depend_on_the_class(graded, tmp_path):
    sub = tmp_path / "few"
    for rel in ("method_of_moments.ipynb", "essay.pdf", "truncated_json.ipynb"):
        (sub / rel).parent.mkdir(parents=True, exist_ok=True)
        (sub / rel).write_bytes((graded["root"] / rel).read_bytes())
    texts = []
    for i in range(2):
        grade_folder(sub, tmp_path / f"run{i}" / "grades.csv", jobs=2, timeout=TIMEOUT, seed=11,
                     memory_mb=1024, sandbox=SANDBOXED, progress=False)
        texts.append((tmp_path / f"run{i}" / "grades.csv").read_text(encoding="utf-8"))
    assert texts[0] == texts[1]
    for row in csv.DictReader(io.StringIO(texts[0])):
        big = graded["rows"][row["submission"]]
        for key, value in row.items():
            assert big.get(key, "") == value, (row["submission"], key)


def test_merge_rebuilds_the_same_gradebook(graded, tmp_path):
    merge_results([graded["out"] / "grades_results"], tmp_path / "merged.csv")
    assert (tmp_path / "merged.csv").read_bytes() == (graded["out"] / "grades.csv").read_bytes()
    assert (tmp_path / "merged_written.md").read_bytes() == (
        graded["out"] / "grades_written.md").read_bytes()


def test_one_file_cli_and_merge_cli(graded, tmp_path, capsys):
    from mlecourse.__main__ import main

    root = graded["root"]
    for rel in ("correct.ipynb", "notes.txt"):
        code = main(["grade", "--one", str(root / rel), "--root", str(root), "--json",
                     str(tmp_path / "res" / f"{rel}.json"), "--timeout", str(TIMEOUT),
                     "--seed", "11", "--memory", "1024"] + ([] if SANDBOXED else ["--no-sandbox"]))
        assert code == 0
    one = json.loads((tmp_path / "res" / "correct.ipynb.json").read_text())
    batch = json.loads((graded["out"] / "grades_results" / "correct.ipynb.json").read_text())
    assert one == batch  # the fan-out path gives the same result as the batch
    (tmp_path / "res" / "broken.json").write_text("{not json")
    assert main(["merge", str(tmp_path / "res"), "--out", str(tmp_path / "m.csv")]) == 0
    rows = list(csv.DictReader(io.StringIO((tmp_path / "m.csv").read_text())))
    assert [(r["submission"], r["status"]) for r in rows] == [
        ("broken", "grader_error"), ("correct.ipynb", "ok"), ("notes.txt", "not_a_notebook")]
    assert "correct.ipynb: ok 4/4" in capsys.readouterr().err


def test_cli_usage_errors(tmp_path, capsys):
    from mlecourse.__main__ import main

    assert main(["grade"]) == 2
    assert main(["grade", str(tmp_path / "nope"), "--out", str(tmp_path / "g.csv")]) == 2
    assert main(["grade", "--one", str(tmp_path)]) == 2
    assert "usage" in capsys.readouterr().err
    done = subprocess.run([sys.executable, "-m", "mlecourse", "grade", "--help"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0 and "--timeout" in done.stdout and "--jobs" in done.stdout


def test_find_submissions_skips_hidden_files_and_outputs(tmp_path):
    for rel in ("a.ipynb", "b/c.ipynb", ".hidden.ipynb", ".ipynb_checkpoints/a-checkpoint.ipynb",
                "out/grades.csv", "out/grades_results/a.ipynb.json"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("{}")
    found = find_submissions(tmp_path, exclude=[tmp_path / "out" / "grades.csv",
                                                tmp_path / "out" / "grades_results"])
    assert [p.relative_to(tmp_path).as_posix() for p in found] == ["a.ipynb", "b/c.ipynb"]


def test_atomic_write_keeps_the_old_file_on_failure(tmp_path, monkeypatch):
    target = tmp_path / "grades.csv"
    atomic_write_text(target, "old\n")

    def boom(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr("os.replace", boom)
    with pytest.raises(OSError):
        atomic_write_text(target, "new\n")
    assert target.read_text() == "old\n"
    assert list(tmp_path.iterdir()) == [target]


def test_progress_is_plain_text_without_a_terminal():
    stream = io.StringIO()
    bar = Progress(2, stream=stream)
    bar.update("a.ipynb", "ok 4/4")
    bar.update("b.ipynb", "timeout 4/4")
    assert stream.getvalue() == "[1/2] a.ipynb: ok 4/4\n[2/2] b.ipynb: timeout 4/4\n"


def test_csv_is_sorted_and_stable():
    results = [
        {"submission": "b.ipynb", "exercise": "", "status": "not_a_notebook", "reason": "r",
         "score": 0.0, "max_score": 0.0, "parts": [], "written": [], "flags": []},
        {"submission": "a.ipynb", "exercise": "uniform-mle", "status": "ok", "reason": "",
         "score": 4.0, "max_score": 4.0, "parts": [{"exercise": "uniform-mle",
         "function": "uniform_mle", "score": 4.0, "headline": "✅ fine"}], "written": [],
         "flags": []},
    ]
    text = build_csv(results)
    assert text == build_csv(list(reversed(results)))
    assert text.splitlines()[1].startswith("a.ipynb,uniform-mle,ok,4,4,4,")
    assert STATUSES[0] == "grader_error" and STATUSES[-1] == "ok"
