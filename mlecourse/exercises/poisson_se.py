r"""Exercise ``poisson-se``: the Poisson MLE and its standard error from the Fisher information.

For :math:`x_1, \dots, x_n` i.i.d. Poisson(λ): :math:`\hat\lambda = \bar x`, the Fisher
information of the sample is :math:`n I(\lambda) = n/\lambda`, so

.. math:: \widehat{\mathrm{se}}(\hat\lambda) = \sqrt{1 / \{n I(\hat\lambda)\}} = \sqrt{\bar x / n}.

Student functions: ``poisson_mle(x) -> float`` and ``poisson_se(x) -> float`` for a 1-D integer
array of counts.
"""

from __future__ import annotations

import numpy as np

from ._core import Case, Exercise, Misconception, Part, WrittenPart

__all__ = ["EXERCISE", "reference_mle", "reference_se"]


def reference_mle(x: np.ndarray) -> float:
    r""":math:`\hat\lambda = \bar x`."""
    return float(np.mean(x))


def reference_se(x: np.ndarray) -> float:
    r""":math:`\sqrt{\bar x / n}`, the inverse square root of the sample's Fisher information
    :math:`n/\lambda` at :math:`\hat\lambda`."""
    return float(np.sqrt(np.mean(x) / x.size))


def random_cases(rng: np.random.Generator, count: int) -> list[Case]:
    cases = []
    for _ in range(count):
        n = int(rng.integers(3, 80))
        lam = float(rng.uniform(0.5, 15.0))
        x = rng.poisson(lam, n).astype(np.int64)
        if x.sum() == 0:
            x[0] = 1
        cases.append(Case(f"random counts (n = {n})", (x,)))
    return cases


def edge_cases(rng: np.random.Generator) -> list[Case]:
    n = int(rng.integers(4, 30))
    return [
        Case("n = 1", (rng.poisson(4.0, 1).astype(np.int64) + 1,), edge=True),
        Case("all zeros", (np.zeros(n, np.int64),), edge=True),
        Case("all counts equal", (np.full(n, int(rng.integers(1, 9)), np.int64),), edge=True),
        Case("large counts (λ ≈ 10 000)", (rng.poisson(1e4, 25).astype(np.int64),), edge=True),
        Case("large n (100 000)", (rng.poisson(2.5, 100_000).astype(np.int64),), edge=True),
    ]


MLE_MISCONCEPTIONS = (
    Misconception(
        "variance",
        "returns the sample variance. A Poisson's mean equals its variance, but the MLE of λ "
        "is the sample mean (solve the score equation Σ x_i/λ − n = 0).",
        formula=lambda x: np.var(x, ddof=1),
    ),
    Misconception(
        "median",
        "returns the median; the MLE of λ is the sample mean.",
        formula=lambda x: np.median(x),
    ),
    Misconception(
        "sum",
        "returns the total count Σ x_i; the MLE is the mean Σ x_i / n.",
        formula=lambda x: float(np.sum(x)),
    ),
)

SE_MISCONCEPTIONS = (
    Misconception(
        "forgot-n",
        "returns √λ̂, the standard deviation of ONE observation. The standard error of the "
        "mean of n observations is √(λ̂/n): the Fisher information of the sample is n/λ.",
        formula=lambda x: np.sqrt(np.mean(x)),
    ),
    Misconception(
        "variance-not-se",
        "returns λ̂/n, the estimated variance of λ̂; the standard error is its square root.",
        formula=lambda x: np.mean(x) / x.size,
    ),
    Misconception(
        "sqrt-information",
        "returns √(n/λ̂), the square root of the Fisher information. The standard error is "
        "the inverse: 1/√(n I(λ̂)) = √(λ̂/n).",
        formula=lambda x: np.sqrt(x.size / np.mean(x)),
    ),
    Misconception(
        "sample-sd",
        "uses the sample standard deviation, s/√n. That is a valid model-free standard error, "
        "but the exercise asks for the one from the Fisher information, √(1/(n I(λ̂))) = "
        "√(λ̂/n).",
        formula=lambda x: np.std(x, ddof=1) / np.sqrt(x.size),
    ),
    Misconception(
        "sample-sd-n",
        "uses the sample standard deviation √(Σ(x_i − x̄)²/n)/√n. The exercise asks for the "
        "standard error from the Fisher information, √(λ̂/n).",
        formula=lambda x: np.std(x) / np.sqrt(x.size),
    ),
)

EXERCISE = Exercise(
    name="poisson-se",
    title="The Poisson MLE and its standard error",
    notebook="poisson_se",
    chapter="03_fisher_information",
    summary="poisson_mle(x) and poisson_se(x): λ̂ and its Fisher-information standard error.",
    parts=(
        Part(
            function="poisson_mle",
            signature="poisson_mle(x)",
            points=1.0,
            reference=reference_mle,
            random_cases=random_cases,
            edge_cases=edge_cases,
            misconceptions=MLE_MISCONCEPTIONS,
        ),
        Part(
            function="poisson_se",
            signature="poisson_se(x)",
            points=3.0,
            reference=reference_se,
            random_cases=random_cases,
            edge_cases=edge_cases,
            misconceptions=SE_MISCONCEPTIONS,
        ),
    ),
    written=(
        WrittenPart(
            "all-zeros-se",
            "What standard error do you get when every count is zero, and why should it not "
            "be trusted?",
        ),
    ),
)
