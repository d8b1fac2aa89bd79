"""Tests for mlecourse.check: verdicts, named misconceptions, friendly messages, strict mode."""

from __future__ import annotations

import time

import numpy as np
import pytest
from scipy.special import expit, logsumexp, xlogy

import mlecourse
from mlecourse.check import CheckFailed, CheckResult, check
from mlecourse.exercises import all_exercises, get_exercise

# ---------------------------------------------------------------------------------------------
# Correct solutions, written independently of the specs' reference functions
# ---------------------------------------------------------------------------------------------


def _e_step(x, weights, means, variances):
    lj = (np.log(weights) - 0.5 * np.log(2 * np.pi * variances)
          - 0.5 * (x[:, None] - means) ** 2 / variances)
    return np.exp(lj - logsumexp(lj, axis=1, keepdims=True))


GOOD = {
    "uniform_mle": lambda x: float(max(x)),
    "bernoulli_loglik": lambda p, x: float(xlogy(np.sum(x), p) + xlogy(len(x) - np.sum(x), 1 - p)),
    "bernoulli_mle": lambda x: float(np.mean(x)),
    "poisson_mle": lambda x: float(np.mean(x)),
    "poisson_se": lambda x: float(np.sqrt(np.mean(x) / len(x))),
    "normal_var_mle": lambda x: float(np.var(x)),
    "mle_bias": lambda s2, n: -s2 / n,
    "bernoulli_fisher": lambda p: 1 / (p - p * p),
    "bernoulli_crlb": lambda p, n: (p - p * p) / n,
    "logistic_gradient": lambda b, X, y: X.T @ (y - expit(X @ b)),
    "e_step": _e_step,
}


def _headline(result: CheckResult, i: int = 0) -> str:
    return result.reports[i].headline


def test_every_part_has_an_independent_correct_solution():
    parts = {p.function for ex in all_exercises() for p in ex.parts}
    assert parts == set(GOOD)


@pytest.mark.parametrize("exercise", all_exercises(), ids=lambda e: e.name)
def test_correct_solutions_pass_and_answer_quickly(exercise):
    for part in exercise.parts:
        check(exercise.name, GOOD[part.function], part=part.function)  # warm-up (imports)
        start = time.perf_counter()
        result = check(exercise.name, GOOD[part.function], part=part.function)
        elapsed = time.perf_counter() - start
        assert result.passed, str(result)
        assert bool(result) is True
        assert str(result).startswith("✅")
        assert elapsed < 0.3, f"check({exercise.name!r}) took {elapsed:.3f} s"


def test_check_finds_the_functions_in_the_callers_namespace():
    def uniform_mle(x):
        return float(np.max(x))

    assert check("uniform-mle").passed
    assert mlecourse.check is check  # re-exported by `import mlecourse`


def test_check_runs_every_part_when_no_part_is_named():
    bernoulli_loglik = GOOD["bernoulli_loglik"]  # noqa: F841 - found through the frame

    def bernoulli_mle(x):
        raise NotImplementedError

    result = check("boundary-bernoulli")
    assert [r.status for r in result.reports] == ["pass", "not_attempted"]
    assert not result.passed


def test_fresh_random_data_on_every_call():
    seen = []

    def uniform_mle(x):
        seen.append(np.array(x, copy=True))
        return float(np.max(x))

    check("uniform-mle", uniform_mle)
    first = list(seen)
    seen.clear()
    check("uniform-mle", uniform_mle)
    assert not any(np.array_equal(a, b) for a, b in zip(first[:8], seen[:8], strict=True))


def test_hard_coding_the_notebook_example_does_not_pass():
    result = check("uniform-mle", lambda x: 3.7)
    assert not result.passed
    assert "wrong answer" in _headline(result)


def test_the_students_data_cannot_be_mutated_into_a_pass():
    def sneaky(x):
        x[:] = 1.0  # mutate the input: the expected value was computed before the call
        return 1.0

    assert not check("uniform-mle", sneaky).passed


# ---------------------------------------------------------------------------------------------
# Misconceptions are named
# ---------------------------------------------------------------------------------------------
NAMED = [
    ("uniform-mle", "uniform_mle", lambda x: 2 * np.mean(x), "method-of-moments"),
    ("uniform-mle", "uniform_mle", lambda x: (len(x) + 1) / len(x) * np.max(x),
     "unbiased estimator"),
    ("uniform-mle", "uniform_mle", lambda x: float(np.mean(x)), "mean(x) estimates θ/2"),
    ("uniform-mle", "uniform_mle", lambda x: x[-1], "not sorted"),
    ("normal-variance", "normal_var_mle", lambda x: float(np.var(x, ddof=1)), "divides by n − 1"),
    ("normal-variance", "normal_var_mle", lambda x: float(np.mean(x**2) - np.mean(x) ** 2),
     "cancellation"),
    ("normal-variance", "normal_var_mle", lambda x: float(np.std(x)), "standard deviation"),
    ("poisson-se", "poisson_se", lambda x: float(np.sqrt(np.mean(x))), "ONE observation"),
    ("poisson-se", "poisson_se", lambda x: float(np.std(x, ddof=1) / np.sqrt(len(x))),
     "Fisher information"),
    ("bernoulli-fisher", "bernoulli_fisher", lambda p: p * (1 - p), "variance of the SCORE"),
    ("logistic-gradient", "logistic_gradient", lambda b, X, y: X.T @ (expit(X @ b) - y),
     "NEGATIVE"),
    ("logistic-gradient", "logistic_gradient", lambda b, X, y: X.T @ (y - X @ b),
     "least-squares"),
]


@pytest.mark.parametrize(("name", "part", "func", "phrase"), NAMED, ids=[n[3] for n in NAMED])
def test_known_misconceptions_are_named(name, part, func, phrase):
    result = check(name, func, part=part)
    assert not result.passed
    assert phrase in _headline(result), _headline(result)
    assert "Traceback" not in str(result)


@pytest.mark.parametrize(
    ("exercise", "function", "key"),
    [(ex.name, p.function, m.key) for ex in all_exercises() for p in ex.parts
     for m in p.misconceptions if m.formula is not None],
)
def test_every_formula_misconception_is_recognised_as_itself(exercise, function, key):
    part = get_exercise(exercise).part(function)
    m = next(m for m in part.misconceptions if m.key == key)

    def student(*args):  # the same formula, written "by a student" (outside mlecourse)
        return m.formula(*args)

    result = check(exercise, student, part=function)
    assert not result.passed
    assert result.reports[0].misconception == key, str(result)


def test_naive_bernoulli_loglik_gets_the_zero_log_zero_message():
    def bernoulli_loglik(p, x):
        k, n = np.sum(x), len(x)
        return k * np.log(p) + (n - k) * np.log(1 - p)

    result = check("boundary-bernoulli", bernoulli_loglik)
    assert result.reports[0].misconception == "zero-log-zero"
    assert "0·log 0" in _headline(result) and "xlogy" in _headline(result)
    assert "nan" in _headline(result)


def test_direct_e_step_underflows_and_is_told_to_use_log_space():
    def e_step(x, weights, means, variances):
        dens = weights * np.exp(-0.5 * (x[:, None] - means) ** 2 / variances) / np.sqrt(
            2 * np.pi * variances)
        return dens / dens.sum(axis=1, keepdims=True)

    result = check("em-e-step", e_step)
    assert result.reports[0].misconception == "underflow"
    assert "logsumexp" in _headline(result)


def test_bernoulli_mle_via_the_score_equation_is_explained():
    def bernoulli_mle(x):
        k, n = np.sum(x), len(x)
        if k in (0, n):
            return float("nan")  # "the score equation has no root"
        return k / n

    result = check("boundary-bernoulli", bernoulli_mle)
    assert result.reports[0].misconception == "score-root"


# ---------------------------------------------------------------------------------------------
# Wrong types, errors and the rest: specific, friendly, never a traceback
# ---------------------------------------------------------------------------------------------
FRIENDLY = [
    (lambda x: [float(np.max(x))], "returned a list with one number"),
    (lambda x: np.max(x, keepdims=True), "array of shape (1,)"),
    (lambda x: f"{np.max(x):.3f}", "returned a string"),
    (lambda x: float("nan"), "returned nan"),
    (lambda x: None, "forget the `return`"),
    (lambda x: np.max(x) > 0, "bool"),
    (lambda x: x, "array of shape"),
    (lambda x: {"theta": 1.0}, "object of type `dict`"),
]


@pytest.mark.parametrize(("func", "phrase"), FRIENDLY, ids=[f[1] for f in FRIENDLY])
def test_wrong_types_get_a_specific_message(func, phrase):
    result = check("uniform-mle", func)
    assert not result.passed
    assert phrase in _headline(result), _headline(result)
    assert "Traceback" not in str(result)


def test_raising_is_reported_without_a_traceback():
    def uniform_mle(x):
        raise ValueError("negative data")

    result = check("uniform-mle")
    assert "raised ValueError" in _headline(result)
    assert "negative data" in str(result)
    assert "Traceback" not in str(result)


def test_sys_exit_inside_the_function_is_caught():
    import sys

    result = check("uniform-mle", lambda x: sys.exit(1))
    assert "raised SystemExit" in _headline(result)


def test_not_attempted():
    def uniform_mle(x):
        raise NotImplementedError("replace this line with your code")

    result = check("uniform-mle")
    assert _headline(result).startswith("⏳")
    assert "not attempted yet" in _headline(result)
    assert not result.attempted


def test_slow_function_is_stopped():
    def uniform_mle(x):
        while True:
            pass

    start = time.perf_counter()
    result = check("uniform-mle")
    assert time.perf_counter() - start < 5
    assert "took too long" in _headline(result)


def test_missing_and_renamed_functions():
    assert "no function called `uniform_mle`" in _headline(check("uniform-mle"))

    def uniform_MLE(x):
        return float(np.max(x))

    headline = _headline(check("uniform-mle"))
    assert "`uniform_MLE`" in headline and "renamed" in headline


def test_a_value_instead_of_a_function():
    uniform_mle = 3.7  # noqa: F841 - found through the frame
    assert "is a float, not a function" in _headline(check("uniform-mle"))


def test_the_course_reference_does_not_count():
    from mlecourse import families

    headline = _headline(check("uniform-mle", families.uniform_mle))
    assert "course's own implementation" in headline


def test_unknown_exercise_and_part():
    result = check("uniform_mel")
    assert "no exercise called" in str(result) and "uniform-mle" in str(result)
    result = check("boundary-bernoulli", part="bernoulli_score")
    assert "has no part" in str(result)
    result = check("boundary-bernoulli", lambda x: 1.0)
    assert "part=" in str(result)


def test_names_are_matched_loosely():
    assert check("Uniform_MLE", GOOD["uniform_mle"]).passed


def test_strict_mode_raises(monkeypatch):
    monkeypatch.setenv("MLECOURSE_CHECK_STRICT", "1")
    with pytest.raises(CheckFailed, match="method-of-moments"):
        check("uniform-mle", lambda x: 2 * np.mean(x))
    with pytest.raises(CheckFailed, match="not attempted"):
        check("uniform-mle", lambda x: (_ for _ in ()).throw(NotImplementedError))
    assert check("uniform-mle", GOOD["uniform_mle"]).passed  # a pass does not raise
    monkeypatch.setenv("MLECOURSE_CHECK_STRICT", "0")
    assert not check("uniform-mle", lambda x: 1.0).passed


def test_grading_mode_is_a_no_op(monkeypatch):
    monkeypatch.setenv("MLECOURSE_GRADING", "1")
    calls = []
    result = check("uniform-mle", lambda x: calls.append(1))
    assert calls == [] and "switched off while grading" in str(result)


def test_html_display():
    html = check("uniform-mle", lambda x: 2 * np.mean(x))._repr_html_()
    assert html.startswith('<div class="mlecourse-check"') and "<code>uniform_mle</code>" in html
    assert "<li" in html


def test_import_mlecourse_does_not_load_the_specs_or_the_grader():
    import subprocess
    import sys

    code = ("import sys, mlecourse; bad = [m for m in sys.modules if m.startswith("
            "('mlecourse.exercises.', 'mlecourse.grading', 'nbclient'))]; print(bad)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
