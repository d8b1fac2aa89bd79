r"""Exercise ``boundary-bernoulli``: the Bernoulli log-likelihood and MLE, boundary included.

.. math:: \ell(p) = k \log p + (n - k)\log(1 - p), \qquad k = \sum_i x_i,

with the convention :math:`0 \log 0 = 0` (the limit), so that all-ones data give
:math:`\ell(1) = 0` and all-zeros data :math:`\ell(0) = 0`. Evaluated naively, ``k * log(p)``
is ``0 * -inf = nan`` there. The MLE is :math:`\hat p = k/n`, also at the boundary
(:math:`k = 0` or :math:`k = n`), where the score equation :math:`U(p) = 0` has no root in
:math:`(0, 1)`.

Student functions: ``bernoulli_loglik(p, x) -> float`` (``p`` a float in [0, 1], ``x`` a 1-D
integer array of 0s and 1s) and ``bernoulli_mle(x) -> float``.
"""

from __future__ import annotations

import numpy as np
from scipy.special import gammaln, xlogy

from ._core import Case, Exercise, Misconception, Part, WrittenPart

__all__ = ["EXERCISE", "reference_loglik", "reference_mle"]


def reference_loglik(p: float, x: np.ndarray) -> float:
    r""":math:`\ell(p) = k\log p + (n-k)\log(1-p)` with :math:`0\log 0 = 0` (``xlogy``)."""
    n, k = x.size, float(np.sum(x))
    return float(xlogy(k, p) + xlogy(n - k, 1.0 - p))


def reference_mle(x: np.ndarray) -> float:
    r""":math:`\hat p = k / n`."""
    return float(np.sum(x) / x.size)


def _data(rng: np.random.Generator, n: int, q: float) -> np.ndarray:
    return (rng.random(n) < q).astype(np.int64)


def _mixed(rng: np.random.Generator, n: int) -> np.ndarray:
    x = _data(rng, n, rng.uniform(0.2, 0.8))
    x[0], x[-1] = 1, 0  # at least one of each
    return rng.permutation(x)


def loglik_random(rng: np.random.Generator, count: int) -> list[Case]:
    cases = []
    for _ in range(count):
        n = int(rng.integers(2, 60))
        cases.append(
            Case(f"random data (n = {n})", (float(rng.uniform(0.05, 0.95)), _mixed(rng, n)))
        )
    return cases


def loglik_edges(rng: np.random.Generator) -> list[Case]:
    n = int(rng.integers(5, 30))
    ones, zeros, mixed = np.ones(n, np.int64), np.zeros(n, np.int64), _mixed(rng, n)
    return [
        Case("all ones at p = 1", (1.0, ones), edge=True),
        Case("all zeros at p = 0", (0.0, zeros), edge=True),
        Case("all ones at p = 0", (0.0, ones), edge=True),
        Case("all zeros at p = 1", (1.0, zeros), edge=True),
        Case("mixed data at p = 1", (1.0, mixed), edge=True),
        Case("mixed data at p = 0", (0.0, mixed), edge=True),
        Case("all ones at p = 0.5", (0.5, ones), edge=True),
        Case("n = 1", (float(rng.uniform(0.1, 0.9)), _data(rng, 1, 0.5)), edge=True),
        Case("large n (100 000)", (float(rng.uniform(0.1, 0.9)), _mixed(rng, 100_000)), edge=True),
    ]


def _boundary_nan(case: Case, got, expected) -> bool:
    p = case.args[0]
    return p in (0.0, 1.0) and np.isfinite(expected) and np.isnan(got)


def _boundary_minus_inf(case: Case, got, expected) -> bool:
    p = case.args[0]
    return p in (0.0, 1.0) and expected == 0.0 and got == -np.inf


def _per_observation(case: Case, got, expected) -> bool:
    x = case.args[1]
    return isinstance(got, np.ndarray) and got.shape == x.shape and x.size > 1


def _binomial(p: float, x: np.ndarray) -> float:
    n, k = x.size, float(np.sum(x))
    return reference_loglik(p, x) + gammaln(n + 1) - gammaln(k + 1) - gammaln(n - k + 1)


LOGLIK_MISCONCEPTIONS = (
    Misconception(
        "zero-log-zero",
        "returns nan at the boundary. At p = 1 with all-ones data, k·log p + (n−k)·log(1−p) "
        "evaluates (n−k)·log(0) = 0·(−inf) = nan, but the limit 0·log 0 is 0: the likelihood "
        "is 1^n = 1, so the log-likelihood is 0. Use scipy.special.xlogy(k, p), which "
        "defines 0·log 0 = 0 (or treat the zero terms separately).",
        predicate=_boundary_nan,
    ),
    Misconception(
        "boundary-minus-inf",
        "returns −inf at the boundary where the data are not impossible: at p = 1 with "
        "all-ones data the likelihood is 1^n = 1, so the log-likelihood is 0 (and likewise at "
        "p = 0 with all-zeros data). Only terms with a positive count contribute log 0 = −inf.",
        predicate=_boundary_minus_inf,
    ),
    Misconception(
        "per-observation",
        "returns one log-likelihood per observation; the log-likelihood of the sample is "
        "their sum (a single number).",
        predicate=_per_observation,
    ),
    Misconception(
        "mean-loglik",
        "returns the average log-likelihood ℓ(p)/n; the log-likelihood is the sum over the "
        "observations, not the mean.",
        formula=lambda p, x: reference_loglik(p, x) / x.size,
    ),
    Misconception(
        "binomial-coefficient",
        "includes log C(n, k): that is the log-probability of the count k (a binomial), not "
        "the log-likelihood of the sequence x_1, …, x_n. (It only shifts ℓ by a constant, but "
        "the function asked for is Σ log f(x_i | p).)",
        formula=_binomial,
    ),
    Misconception(
        "likelihood-not-log",
        "returns the likelihood L(p), not its logarithm ℓ(p) = log L(p).",
        formula=lambda p, x: np.exp(reference_loglik(p, x)),
    ),
    Misconception(
        "negative",
        "returns −ℓ(p), the negative log-likelihood (what optimisers minimise); the "
        "log-likelihood itself is asked for.",
        formula=lambda p, x: -reference_loglik(p, x),
    ),
)


def mle_random(rng: np.random.Generator, count: int) -> list[Case]:
    cases = []
    for _ in range(count):
        n = int(rng.integers(2, 80))
        cases.append(Case(f"random data (n = {n})", (_mixed(rng, n),)))
    return cases


def mle_edges(rng: np.random.Generator) -> list[Case]:
    n = int(rng.integers(3, 40))
    return [
        Case("all ones", (np.ones(n, np.int64),), edge=True),
        Case("all zeros", (np.zeros(n, np.int64),), edge=True),
        Case("n = 1 with x = 1", (np.ones(1, np.int64),), edge=True),
        Case("n = 1 with x = 0", (np.zeros(1, np.int64),), edge=True),
        Case("large n (100 000)", (_mixed(rng, 100_000),), edge=True),
    ]


def _mle_boundary_nan(case: Case, got, expected) -> bool:
    return expected in (0.0, 1.0) and np.isnan(got)


def _clipped(case: Case, got, expected) -> bool:
    return expected in (0.0, 1.0) and 0.0 < got < 1.0 and abs(got - expected) < 0.02


MLE_MISCONCEPTIONS = (
    Misconception(
        "score-root",
        "returns nan at the boundary (all ones or all zeros). There the score equation has no "
        "root in (0, 1): the log-likelihood is monotone, so its maximum on [0, 1] is at the "
        "endpoint, p̂ = k/n = 1 or 0. Use the closed form k/n.",
        predicate=_mle_boundary_nan,
    ),
    Misconception(
        "laplace",
        "(k+1)/(n+2) is Laplace's rule of succession (a Bayesian posterior mean), not the MLE. "
        "The MLE is k/n, even when it is 0 or 1.",
        formula=lambda x: (np.sum(x) + 1.0) / (x.size + 2.0),
    ),
    Misconception(
        "count",
        "returns the number of ones k; the MLE of p is the proportion k/n.",
        formula=lambda x: float(np.sum(x)),
    ),
    Misconception(
        "clipped",
        "keeps p̂ away from 0 and 1 (clipping). The MLE is exactly k/n, which is 0 or 1 when "
        "all observations agree: the likelihood is maximised at the boundary.",
        predicate=_clipped,
    ),
)

EXERCISE = Exercise(
    name="boundary-bernoulli",
    title="The Bernoulli likelihood at the boundary",
    notebook="boundary_bernoulli",
    chapter="02_score",
    summary="bernoulli_loglik(p, x) on all of [0, 1] and bernoulli_mle(x), boundary included.",
    parts=(
        Part(
            function="bernoulli_loglik",
            signature="bernoulli_loglik(p, x)",
            points=3.0,
            reference=reference_loglik,
            random_cases=loglik_random,
            edge_cases=loglik_edges,
            misconceptions=LOGLIK_MISCONCEPTIONS,
        ),
        Part(
            function="bernoulli_mle",
            signature="bernoulli_mle(x)",
            points=2.0,
            reference=reference_mle,
            random_cases=mle_random,
            edge_cases=mle_edges,
            misconceptions=MLE_MISCONCEPTIONS,
        ),
    ),
    written=(
        WrittenPart(
            "why-score-fails",
            "Why does the score equation fail to give the MLE for all-ones data?",
        ),
    ),
)
