"""Exercise specs: one module per exercise, each defining ``EXERCISE`` (an :class:`Exercise`).

A spec is the single source of truth for an exercise: its reference solution, input generators
(random cases and edge cases), misconception detectors, parts and points. ``mlecourse.check``
runs its public tests in the student's kernel; ``mlecourse.grading`` runs its hidden tests with
expected values computed in the grader's process.

=====================  ===============================  ====================================
check name             notebook                         functions the student writes
=====================  ===============================  ====================================
``uniform-mle``        ``exercises/uniform_mle``        ``uniform_mle(x)``
``boundary-bernoulli`` ``exercises/boundary_bernoulli`` ``bernoulli_loglik(p, x)``,
                                                        ``bernoulli_mle(x)``
``poisson-se``         ``exercises/poisson_se``         ``poisson_mle(x)``, ``poisson_se(x)``
``normal-variance``    ``exercises/normal_variance``    ``normal_var_mle(x)``,
                                                        ``mle_bias(sigma2, n)``
``bernoulli-fisher``   ``exercises/bernoulli_fisher``   ``bernoulli_fisher(p)``,
                                                        ``bernoulli_crlb(p, n)``
``logistic-gradient``  ``exercises/logistic_gradient``  ``logistic_gradient(beta, X, y)``
``em-e-step``          ``exercises/em_e_step``          ``e_step(x, weights, means,
                                                        variances)``
=====================  ===============================  ====================================

Spec modules are imported on first use, so ``import mlecourse`` does not pay for them.
"""

from __future__ import annotations

import difflib
import importlib

from ._core import Case, Exercise, Misconception, Part, WrittenPart

__all__ = [
    "EXERCISE_MODULES",
    "Case",
    "Exercise",
    "Misconception",
    "Part",
    "WrittenPart",
    "all_exercises",
    "exercise_names",
    "get_exercise",
    "normalise_name",
]

#: check name -> spec module (in the order of the course)
EXERCISE_MODULES: dict[str, str] = {
    "uniform-mle": "uniform_mle",
    "boundary-bernoulli": "boundary_bernoulli",
    "poisson-se": "poisson_se",
    "normal-variance": "normal_variance",
    "bernoulli-fisher": "bernoulli_fisher",
    "logistic-gradient": "logistic_gradient",
    "em-e-step": "em_e_step",
}


def normalise_name(name: str) -> str:
    """``"Uniform_MLE"`` -> ``"uniform-mle"`` (names are matched case- and dash-insensitively)."""
    return str(name).strip().lower().replace("_", "-").replace(" ", "-")


def exercise_names() -> list[str]:
    """The check names of every exercise, in course order."""
    return list(EXERCISE_MODULES)


def get_exercise(name: str) -> Exercise:
    """The spec of exercise ``name`` (``"uniform-mle"``; ``"uniform_mle"`` works too).

    Raises ``KeyError`` with the closest known names when there is no such exercise.
    """
    key = normalise_name(name)
    if key not in EXERCISE_MODULES:
        close = difflib.get_close_matches(key, list(EXERCISE_MODULES), n=3)
        hint = f" Did you mean {', '.join(repr(c) for c in close)}?" if close else ""
        raise KeyError(
            f"there is no exercise called {name!r}.{hint} Known exercises: "
            + ", ".join(EXERCISE_MODULES)
        )
    module = importlib.import_module(f"{__name__}.{EXERCISE_MODULES[key]}")
    return module.EXERCISE


def all_exercises() -> list[Exercise]:
    """Every exercise spec, in course order."""
    return [get_exercise(n) for n in EXERCISE_MODULES]
