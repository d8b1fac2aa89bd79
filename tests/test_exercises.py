"""Tests for the exercise specs, the exercise notebooks and scripts/make_exercises.py.

The specs' reference solutions are checked against independent references (scipy.stats,
statsmodels, scikit-learn, and mlecourse's own numerics); the generated student notebooks must be
up to date, leak no solution and execute to "not attempted yet"; the instructor notebooks' solutions
must pass their checks.
"""

from __future__ import annotations

import importlib.util
import json
import sys
import warnings
from pathlib import Path

import nbformat
import numpy as np
import pytest
from scipy import optimize, stats
from scipy.special import expit

from mlecourse.exercises import all_exercises, exercise_names, get_exercise
from mlecourse.exercises._core import (
    Opaque,
    Raised,
    TimedOut,
    decode_args,
    decode_value,
    encode_args,
    encode_value,
)

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "exercises" / "source"
STUDENTS = ROOT / "exercises"


def _load_script():
    spec = importlib.util.spec_from_file_location("make_exercises", ROOT / "scripts" / "make_exercises.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_exercises"] = module
    spec.loader.exec_module(module)
    return module


make_exercises = _load_script()


def _cases(name, function, seed=20240611):
    part = get_exercise(name).part(function)
    return part, part.public_cases(np.random.default_rng(seed)) + part.hidden_cases(
        np.random.default_rng(seed + 1)
    )


# ---------------------------------------------------------------------------------------------
# Reference solutions against independent references
# ---------------------------------------------------------------------------------------------
def test_uniform_reference_is_scipys_mle():
    part, cases = _cases("uniform-mle", "uniform_mle")
    for case in cases:
        (x,) = case.args
        _, scale = stats.uniform.fit(x, floc=0)
        assert part.reference(x) == pytest.approx(scale, rel=1e-12)


def test_bernoulli_loglik_reference_matches_scipy_and_families_on_all_of_01():
    from mlecourse import families

    part, cases = _cases("boundary-bernoulli", "bernoulli_loglik")
    for case in cases:
        p, x = case.args
        with np.errstate(divide="ignore"):
            expected = float(np.sum(stats.bernoulli.logpmf(x, p)))
        got = part.reference(p, x)
        assert got == pytest.approx(expected, rel=1e-10, abs=1e-12)
        assert got == pytest.approx(families.bernoulli_loglik(p, x), rel=1e-12, abs=1e-12)
        assert not np.isnan(got)
    ones = np.ones(5, np.int64)
    assert part.reference(1.0, ones) == 0.0
    assert part.reference(0.0, ones) == -np.inf


def test_bernoulli_mle_reference():
    from mlecourse import families

    part, cases = _cases("boundary-bernoulli", "bernoulli_mle")
    for case in cases:
        (x,) = case.args
        assert part.reference(x) == pytest.approx(families.bernoulli_mle(x), rel=1e-14)
        grid = np.linspace(0, 1, 2001)
        k, n = int(np.sum(x)), x.size
        with np.errstate(divide="ignore", invalid="ignore"):
            ll = np.nan_to_num(k * stats.bernoulli.logpmf(1, grid), nan=0.0) + np.nan_to_num(
                (n - k) * stats.bernoulli.logpmf(0, grid), nan=0.0)
        assert abs(grid[int(np.argmax(ll))] - part.reference(x)) <= 0.0005


def test_poisson_references_match_statsmodels():
    import statsmodels.api as sm

    part_mle, cases = _cases("poisson-se", "poisson_mle")
    part_se = get_exercise("poisson-se").part("poisson_se")
    usable = [c for c in cases if c.args[0].sum() > 0 and c.args[0].size > 1]
    for case in usable[:12]:
        (x,) = case.args
        with warnings.catch_warnings():  # constant counts: "perfect prediction" is harmless
            warnings.simplefilter("ignore")
            fit = sm.GLM(x, np.ones((x.size, 1)), family=sm.families.Poisson()).fit(tol=1e-14)
        lam = float(np.exp(fit.params[0]))
        assert part_mle.reference(x) == pytest.approx(lam, rel=1e-8)
        # delta method on log(lambda): se(lambda_hat) = lambda_hat * se(log lambda_hat)
        assert part_se.reference(x) == pytest.approx(lam * float(fit.bse[0]), rel=1e-6)
    assert part_se.reference(np.zeros(4, np.int64)) == 0.0


def test_normal_variance_references():
    from mlecourse import families

    part, cases = _cases("normal-variance", "normal_var_mle")
    for case in cases:
        (x,) = case.args
        assert part.reference(x) == pytest.approx(families.normal_mle(x)[1], rel=1e-9, abs=1e-12)
        assert part.reference(x) == pytest.approx(np.var(x), rel=1e-9, abs=1e-12)
    bias, cases = _cases("normal-variance", "mle_bias")
    for case in cases:
        s2, n = case.args
        expectation = s2 * (stats.chi2(n - 1).mean() if n > 1 else 0.0) / n  # E[sigma2_hat]
        assert bias.reference(s2, n) == pytest.approx(expectation - s2, rel=1e-9)


def test_bernoulli_fisher_is_the_variance_of_the_score():
    from mlecourse import families

    part, cases = _cases("bernoulli-fisher", "bernoulli_fisher")
    for case in cases:
        (p,) = case.args
        score = np.array([-1 / (1 - p), 1 / p])  # at x = 0 and x = 1
        var = (1 - p) * score[0] ** 2 + p * score[1] ** 2  # the score has mean zero
        assert part.reference(p) == pytest.approx(var, rel=1e-9)
        assert part.reference(p) == pytest.approx(families.bernoulli_fisher(p), rel=1e-12)
    crlb, cases = _cases("bernoulli-fisher", "bernoulli_crlb")
    for case in cases:
        p, n = case.args
        assert crlb.reference(p, n) == pytest.approx(stats.binom(n, p).var() / n**2, rel=1e-9)


def test_logistic_gradient_matches_numerical_and_statsmodels():
    import statsmodels.api as sm

    from mlecourse import glm

    part, cases = _cases("logistic-gradient", "logistic_gradient")
    for case in cases:
        beta, X, y = case.args
        got = part.reference(beta, X, y)
        assert got.shape == beta.shape
        np.testing.assert_allclose(got, glm.logistic_gradient(beta, X, y), rtol=1e-9, atol=1e-9)
        if X.shape[0] < 1000 and np.max(np.abs(X @ beta)) < 20:
            def ll(b, X=X, y=y):
                return float(np.sum(stats.bernoulli.logpmf(y, expit(X @ b))))

            num = optimize.approx_fprime(beta, ll, 1e-6)
            np.testing.assert_allclose(got, num, rtol=1e-4, atol=1e-4)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                sm_score = sm.Logit(y, X).score(beta)
            np.testing.assert_allclose(got, sm_score, rtol=1e-8, atol=1e-8)


def test_e_step_matches_scikit_learn_and_mixture():
    from sklearn.mixture import GaussianMixture

    from mlecourse import mixture

    part, cases = _cases("em-e-step", "e_step")
    for case in cases:
        x, w, m, v = case.args
        got = part.reference(x, w, m, v)
        assert got.shape == (x.size, w.size)
        np.testing.assert_allclose(got.sum(axis=1), 1.0, rtol=1e-12)
        gm = GaussianMixture(w.size, covariance_type="full")
        gm.weights_, gm.means_ = w, m[:, None]
        gm.covariances_ = v[:, None, None]
        gm.precisions_cholesky_ = (1 / np.sqrt(v))[:, None, None]
        np.testing.assert_allclose(got, gm.predict_proba(x[:, None]), rtol=1e-7, atol=1e-12)
        log_resp, _ = mixture.gmm_e_step(x, w, m, v[:, None, None])
        np.testing.assert_allclose(got, np.exp(log_resp), rtol=1e-8, atol=1e-12)
        assert np.all(np.isfinite(got))


# ---------------------------------------------------------------------------------------------
# Spec hygiene
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("exercise", all_exercises(), ids=lambda e: e.name)
def test_spec_is_well_formed(exercise):
    assert exercise.parts and exercise.max_score > 0
    assert (STUDENTS / f"{exercise.notebook}.ipynb").exists()
    assert (ROOT / "chapters" / f"{exercise.chapter}.ipynb").exists()
    for part in exercise.parts:
        a = part.public_cases(np.random.default_rng(1))
        b = part.public_cases(np.random.default_rng(2))
        edge_a = [c.label for c in a if c.edge]
        assert edge_a == [c.label for c in b if c.edge], "edge-case labels must be deterministic"
        assert len(set(edge_a)) == len(edge_a)
        assert sum(not c.edge for c in a) == part.n_public
        assert any(
            not np.array_equal(np.asarray(x), np.asarray(y))
            for ca, cb in zip(a, b, strict=True) for x, y in zip(ca.args, cb.args, strict=True)
        ), "fresh random data for different seeds"
        keys = [m.key for m in part.misconceptions]
        assert len(set(keys)) == len(keys)
        for case in a:
            assert encode_args(case.args)  # every input is transportable as JSON
            expected = np.asarray(part.reference(*case.args), dtype=float)
            assert not np.any(np.isnan(expected)), (part.function, case.label)


@pytest.mark.parametrize(
    ("exercise", "function", "key"),
    [(ex.name, p.function, m.key) for ex in all_exercises() for p in ex.parts
     for m in p.misconceptions if m.formula is not None],
)
def test_formula_misconceptions_differ_from_the_reference(exercise, function, key):
    part, cases = _cases(exercise, function)
    m = next(m for m in part.misconceptions if m.key == key)
    differ = 0
    for case in cases:
        try:
            with np.errstate(all="ignore"), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                alt = np.asarray(m.formula(*case.args), dtype=float)
        except ZeroDivisionError:
            differ += 1
            continue
        ref = np.asarray(part.reference(*case.args), dtype=float)
        differ += not np.allclose(alt, ref, rtol=part.rtol, atol=part.atol, equal_nan=True)
    assert differ >= len(cases) // 2


# ---------------------------------------------------------------------------------------------
# The JSON boundary
# ---------------------------------------------------------------------------------------------
class _AlwaysEqual:
    def __eq__(self, other):
        return True

    __hash__ = None  # type: ignore[assignment]

    def __float__(self):
        return 1.0


class _Float(float):
    def __eq__(self, other):
        return True

    __hash__ = float.__hash__


class _BadRepr:
    def __repr__(self):
        raise RuntimeError("no")


def _roundtrip(v):
    return decode_value(json.loads(json.dumps(encode_value(v))))


def test_values_survive_the_round_trip_exactly():
    assert _roundtrip(0.1 + 0.2) == 0.1 + 0.2
    assert _roundtrip(np.float32(1.5)) == 1.5
    assert _roundtrip(7) == 7.0 and isinstance(_roundtrip(np.int64(7)), float)
    assert np.isnan(_roundtrip(float("nan"))) and _roundtrip(-np.inf) == -np.inf
    arr = np.array([[1.0, np.nan], [np.inf, -2.5]])
    back = _roundtrip(arr)
    assert back.shape == (2, 2) and np.array_equal(back, arr, equal_nan=True)
    assert _roundtrip(np.array(3.0)).shape == ()
    assert _roundtrip(np.array([True, False])).dtype == bool
    assert _roundtrip([1.0, (2, 3)]) == [1.0, (2.0, 3.0)]
    assert _roundtrip("3.7") == "3.7" and _roundtrip(None) is None and _roundtrip(True) is True
    assert _roundtrip(10**400) == np.inf


def test_objects_are_described_never_trusted():
    for obj in (_AlwaysEqual(), _BadRepr(), {"a": 1}, 1 + 2j, np.array(["a"])):
        back = _roundtrip(obj)
        assert isinstance(back, Opaque)
    assert _roundtrip(_Float(0.0)) == 0.0 and type(_roundtrip(_Float(0.0))) is float


def test_malformed_json_from_a_kernel_is_harmless():
    for bad in ({}, {"t": "num", "v": "1e999x"}, {"t": "array", "shape": [3], "v": [1, 2]},
                {"t": "array", "shape": [1], "v": [[1]]}, {"t": "list", "v": 5}, [], "x",
                {"t": "num", "v": True}):
        assert isinstance(decode_value(bad), Opaque)
    assert decode_value({"t": "error", "type": "ValueError", "msg": "m"}) == Raised("ValueError", "m")
    assert decode_value({"t": "timeout", "s": 2}) == TimedOut(2.0)


def test_inputs_round_trip_bit_for_bit():
    rng = np.random.default_rng(5)
    args = (0.1 * rng.random(), rng.normal(size=(4, 3)), np.arange(5), 7)
    back = decode_args(json.loads(json.dumps(encode_args(args))))
    assert back[0] == args[0] and back[3] == 7
    assert np.array_equal(back[1], args[1]) and back[1].dtype == np.float64
    assert np.array_equal(back[2], args[2]) and back[2].dtype == np.int64


# ---------------------------------------------------------------------------------------------
# The notebooks
# ---------------------------------------------------------------------------------------------
def _notebook_pairs():
    return [(SOURCES / f"{n}.ipynb", STUDENTS / f"{n}.ipynb")
            for n in (get_exercise(e).notebook for e in exercise_names())]


@pytest.mark.parametrize(("source", "student"), _notebook_pairs(), ids=lambda p: p.stem)
def test_notebooks_match_their_spec(source, student):
    src = nbformat.read(source, as_version=4)
    name = src.metadata["mlecourse"]["exercise"]
    ex = get_exercise(name)
    code = "\n".join(c.source for c in src.cells if c.cell_type == "code")
    for part in ex.parts:
        assert f"def {part.signature}:" in code
        assert f'check("{ex.name}"' in code
    answers = {c.metadata.get("mlecourse", {}).get("answer") for c in src.cells}
    assert {w.id for w in ex.written} <= answers
    stu = nbformat.read(student, as_version=4)
    assert stu.metadata["mlecourse"] == {"exercise": name, "version": "student"}
    assert all(not c.get("outputs") for c in stu.cells if c.cell_type == "code")


def test_student_notebooks_are_up_to_date():
    assert make_exercises.main(["--check"]) == 0


@pytest.mark.parametrize(("source", "student"), _notebook_pairs(), ids=lambda p: p.stem)
def test_student_notebooks_leak_no_solution(source, student):
    src = nbformat.read(source, as_version=4)
    _, removed = make_exercises.make_student(src, source.name)
    text = student.read_text(encoding="utf-8")
    assert "SOLUTION" not in text
    for line in removed:
        s = line.strip()
        if len(s.replace(" ", "")) >= 6 and s not in text.replace("\\n", "\n"):
            continue
        # a short or shared line may appear only where the source also has it outside a block
        assert len(s.replace(" ", "")) < 6 or s in {
            ln.strip() for c in src.cells
            for ln in make_exercises.strip_solutions(c.source, c.cell_type, "")[0].split("\n")
        }, s


def test_guard_catches_a_leaked_solution(tmp_path):
    src = nbformat.read(SOURCES / "uniform_mle.ipynb", as_version=4)
    student, removed = make_exercises.make_student(src, "uniform_mle.ipynb")
    make_exercises.guard(src, student, removed, "ok")  # the real thing passes
    leaked = nbformat.from_dict(json.loads(json.dumps(student)))
    fn = next(c for c in leaked.cells if "def uniform_mle" in c.source)
    fn.source += "\n    return float(np.max(x))"  # the solution line, pasted back
    with pytest.raises(make_exercises.ExerciseBuildError, match="solution text survives"):
        make_exercises.guard(src, leaked, removed, "leak")
    with_output = nbformat.from_dict(json.loads(json.dumps(student)))
    next(c for c in with_output.cells if c.cell_type == "code").outputs = [
        nbformat.v4.new_output("stream", text="3.7")
    ]
    with pytest.raises(make_exercises.ExerciseBuildError, match="outputs"):
        make_exercises.guard(src, with_output, removed, "outputs")
    marker = nbformat.from_dict(json.loads(json.dumps(student)))
    marker.cells[0].source += "\n<!-- end_solution -->"
    with pytest.raises(make_exercises.ExerciseBuildError, match="marker"):
        make_exercises.guard(src, marker, removed, "marker")


def test_malformed_markers_fail_the_build(tmp_path):
    src = nbformat.read(SOURCES / "uniform_mle.ipynb", as_version=4)
    cell = next(c for c in src.cells if "def uniform_mle" in c.source)
    good = cell.source
    for broken, message in [
        (good.replace("# END SOLUTION", ""), "without END"),
        (good.replace("# BEGIN SOLUTION", "# BEGIN SOLUTOIN"), "without BEGIN"),
        (good.replace("# END SOLUTION", "# BEGIN SOLUTION"), "inside a solution block"),
    ]:
        cell.source = broken
        path = tmp_path / "uniform_mle.ipynb"
        nbformat.write(src, path)
        with pytest.raises(make_exercises.ExerciseBuildError, match=message):
            make_exercises.build(path, tmp_path)
        assert make_exercises.main([str(path), "--out-dir", str(tmp_path / "out")]) == 1
    plain = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("def f(x):\n    return x")])
    nbformat.write(plain, tmp_path / "uniform_mle.ipynb")
    with pytest.raises(make_exercises.ExerciseBuildError, match="no BEGIN/END"):
        make_exercises.build(tmp_path / "uniform_mle.ipynb", tmp_path)


def test_make_exercises_writes_stubs(tmp_path):
    out = tmp_path / "out"
    assert make_exercises.main([str(SOURCES / "boundary_bernoulli.ipynb"), "--out-dir", str(out)]) == 0
    nb = nbformat.read(out / "boundary_bernoulli.ipynb", as_version=4)
    fn = next(c for c in nb.cells if "def bernoulli_mle" in c.source)
    assert fn.source.endswith(
        '    # YOUR CODE HERE\n    raise NotImplementedError("replace this line with your code")'
    )
    answer = next(c for c in nb.cells if c.metadata.get("mlecourse", {}).get("answer"))
    assert answer.source == "**Your answer:**\n\n_Write your answer here._"
    assert (out / "boundary_bernoulli.ipynb").read_text() == (
        STUDENTS / "boundary_bernoulli.ipynb").read_text()


@pytest.mark.parametrize("source", sorted(SOURCES.glob("*.ipynb")), ids=lambda p: p.stem)
def test_source_solutions_pass_in_strict_mode(source, monkeypatch):
    monkeypatch.setenv("MLECOURSE_CHECK_STRICT", "1")
    nb = nbformat.read(source, as_version=4)
    ns: dict = {"__name__": "__main__"}
    results = []
    for cell in nb.cells:
        if cell.cell_type == "code":
            *body, last = cell.source.strip().split("\n")
            exec("\n".join(body), ns)
            if last.startswith("check("):
                results.append(eval(last, ns))
            else:
                exec(last, ns)
    assert results and all(r.passed for r in results)


def test_student_notebooks_execute_and_report_not_attempted(monkeypatch):
    from nbclient import NotebookClient

    monkeypatch.delenv("MLECOURSE_CHECK_STRICT", raising=False)
    monkeypatch.delenv("MLECOURSE_GRADING", raising=False)
    for _, student in _notebook_pairs():
        nb = nbformat.read(student, as_version=4)
        NotebookClient(nb, timeout=60, kernel_name="python3",
                       resources={"metadata": {"path": str(STUDENTS)}}).execute()
        texts = [o.get("data", {}).get("text/plain", "") for c in nb.cells
                 if c.cell_type == "code" and "check(" in c.source for o in c.outputs]
        n_parts = len(get_exercise(nb.metadata["mlecourse"]["exercise"]).parts)
        assert len(texts) >= 1 and sum(t.count("not attempted yet") for t in texts) == n_parts, texts
