r"""Exercise ``logistic-gradient``: the score of logistic regression.

For :math:`y_i \mid x_i \sim \mathrm{Bernoulli}(\sigma(x_i^\top\beta))`,

.. math:: \nabla\ell(\beta) = \sum_i (y_i - \sigma(x_i^\top\beta))\,x_i = X^\top(y - p),
          \qquad p = \sigma(X\beta).

Student function: ``logistic_gradient(beta, X, y) -> ndarray`` of shape ``(k,)``, for ``beta``
of shape ``(k,)``, ``X`` of shape ``(n, k)`` and ``y`` a 1-D integer array of 0s and 1s.
"""

from __future__ import annotations

import numpy as np
from scipy.special import expit

from ._core import Case, Exercise, Misconception, Part, WrittenPart

__all__ = ["EXERCISE", "reference"]


def reference(beta: np.ndarray, X: np.ndarray, y: np.ndarray) -> np.ndarray:
    r""":math:`X^\top(y - \sigma(X\beta))`."""
    return X.T @ (y - expit(X @ beta))


def _design(rng: np.random.Generator, n: int, k: int) -> np.ndarray:
    X = rng.normal(0.0, 1.0, (n, k))
    X[:, 0] = 1.0
    return X


def _problem(rng: np.random.Generator, n: int, k: int, scale: float = 1.0):
    X = _design(rng, n, k)
    beta = rng.normal(0.0, scale, k)
    y = (rng.random(n) < expit(X @ beta)).astype(np.int64)
    return beta, X, y


def random_cases(rng: np.random.Generator, count: int) -> list[Case]:
    cases = []
    for _ in range(count):
        n, k = int(rng.integers(5, 60)), int(rng.integers(2, 5))
        cases.append(Case(f"random data (n = {n}, k = {k})", _problem(rng, n, k)))
    return cases


def edge_cases(rng: np.random.Generator) -> list[Case]:
    b1, X1, y1 = _problem(rng, 1, 3)
    bk, Xk, yk = _problem(rng, 20, 1)
    b0, X0, y0 = _problem(rng, 15, 3)
    bl, Xl, yl = _problem(rng, 20, 2, scale=30.0)
    ba, Xa, _ = _problem(rng, 12, 3)
    bn, Xn, yn = _problem(rng, 100_000, 3)
    return [
        Case("n = 1", (b1, X1, y1), edge=True),
        Case("one coefficient (k = 1)", (bk, Xk, yk), edge=True),
        Case("β = 0", (np.zeros_like(b0), X0, y0), edge=True),
        Case("large |Xβ| (fitted probabilities near 0 and 1)", (bl, Xl, yl), edge=True),
        Case("all y = 1", (ba, Xa, np.ones(12, np.int64)), edge=True),
        Case("large n (100 000)", (bn, Xn, yn), edge=True),
    ]


def _per_observation(case: Case, got, expected) -> bool:
    return isinstance(got, np.ndarray) and got.shape == case.args[2].shape and got.size > 1


MISCONCEPTIONS = (
    Misconception(
        "negative",
        "has the wrong sign: X^T(p − y) is the gradient of the NEGATIVE log-likelihood "
        "(what a minimiser uses). The score is ∇ℓ(β) = X^T(y − p).",
        formula=lambda b, X, y: X.T @ (expit(X @ b) - y),
    ),
    Misconception(
        "no-sigmoid",
        "uses Xβ instead of p = σ(Xβ): X^T(y − Xβ) is the least-squares gradient. In "
        "logistic regression the fitted probabilities are σ(Xβ) = 1/(1 + exp(−Xβ)).",
        formula=lambda b, X, y: X.T @ (y - X @ b),
    ),
    Misconception(
        "mean",
        "divides by n (the gradient of the average log-likelihood); the score of the sample "
        "is the sum, X^T(y − p), without 1/n.",
        formula=lambda b, X, y: X.T @ (y - expit(X @ b)) / X.shape[0],
    ),
    Misconception(
        "exp-link",
        "uses p = exp(Xβ) (the Poisson mean) instead of the logistic σ(Xβ) = 1/(1 + e^(−Xβ)).",
        formula=lambda b, X, y: X.T @ (y - np.exp(X @ b)),
    ),
    Misconception(
        "per-observation",
        "returns one number per observation (y − p); the gradient has one entry per "
        "coefficient: multiply by X^T, X.T @ (y − p).",
        predicate=_per_observation,
    ),
)

EXERCISE = Exercise(
    name="logistic-gradient",
    title="The gradient of the logistic-regression log-likelihood",
    notebook="logistic_gradient",
    chapter="04_kl_cross_entropy",
    summary="logistic_gradient(beta, X, y) = Xᵀ(y − σ(Xβ)).",
    parts=(
        Part(
            function="logistic_gradient",
            signature="logistic_gradient(beta, X, y)",
            points=4.0,
            reference=reference,
            random_cases=random_cases,
            edge_cases=edge_cases,
            output="vector",
            misconceptions=MISCONCEPTIONS,
            atol=1e-10,
        ),
    ),
    written=(
        WrittenPart(
            "intercept-identity",
            "What does ∇ℓ(β̂) = 0 say about the fitted probabilities when X has an intercept?",
        ),
    ),
)
