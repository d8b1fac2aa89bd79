r"""Exercise ``normal-variance``: the MLE of a Normal variance divides by n, and is biased.

.. math:: \hat\sigma^2 = \frac1n\sum_{i=1}^n (x_i - \bar x)^2, \qquad
          \E[\hat\sigma^2] - \sigma^2 = -\frac{\sigma^2}{n}.

Student functions: ``normal_var_mle(x) -> float`` (1-D float array) and
``mle_bias(sigma2, n) -> float`` (the exact bias of :math:`\hat\sigma^2` for a sample of size
``n`` from a Normal with variance ``sigma2``).
"""

from __future__ import annotations

import numpy as np

from ._core import Case, Exercise, Misconception, Part, WrittenPart

__all__ = ["EXERCISE", "reference_bias", "reference_var"]


def reference_var(x: np.ndarray) -> float:
    r""":math:`\frac1n\sum_i (x_i - \bar x)^2` (two passes over the data)."""
    return float(np.mean((x - np.mean(x)) ** 2))


def reference_bias(sigma2: float, n: int) -> float:
    r""":math:`\E[\hat\sigma^2] - \sigma^2 = -\sigma^2 / n`."""
    return -sigma2 / n


def var_random(rng: np.random.Generator, count: int) -> list[Case]:
    cases = []
    for _ in range(count):
        n = int(rng.integers(2, 60))
        x = rng.normal(rng.uniform(-5.0, 5.0), rng.uniform(0.3, 4.0), n)
        cases.append(Case(f"a random sample (n = {n})", (x,)))
    return cases


OFFSET_LABEL = "a large offset (x ≈ 10⁶ + N(0, 1))"


def var_edges(rng: np.random.Generator) -> list[Case]:
    # n = 1 and constant data are left out on purpose: there the likelihood is unbounded as
    # sigma2 -> 0 and the MLE does not exist (mlecourse.families.normal_mle raises).
    ties = rng.choice(np.array([1.0, 2.0, 3.5]), 12)
    ties[:2] = (1.0, 3.5)
    return [
        Case("n = 2", (rng.normal(0.0, 3.0, 2),), edge=True),
        Case("ties (many repeated values)", (ties,), edge=True),
        Case("large n (100 000)", (rng.normal(1.0, 2.0, 100_000),), edge=True),
        Case(OFFSET_LABEL, (1e6 + rng.normal(0.0, 1.0, 50),), edge=True),
    ]


def _cancellation(case: Case, got, expected) -> bool:
    return case.label == OFFSET_LABEL and abs(got - expected) < 0.05 * expected


VAR_MISCONCEPTIONS = (
    Misconception(
        "divide-by-n-minus-1",
        "divides by n − 1: that is the unbiased estimator s², not the MLE. Maximising the "
        "likelihood over σ² gives Σ(x_i − x̄)²/n (np.var(x) with the default ddof=0).",
        formula=lambda x: np.var(x, ddof=1),
    ),
    Misconception(
        "standard-deviation",
        "returns the standard deviation σ̂; the exercise asks for the variance σ̂² "
        "(no square root).",
        formula=lambda x: np.std(x),
    ),
    Misconception(
        "not-centred",
        "returns the mean of x², forgetting to subtract the mean: σ̂² = Σ(x_i − x̄)²/n.",
        formula=lambda x: np.mean(x**2),
    ),
    Misconception(
        "cancellation",
        "is right on ordinary data but loses precision when the data have a large mean: the "
        "one-pass formula mean(x²) − mean(x)² subtracts two nearly equal numbers "
        "(catastrophic cancellation). Subtract the mean first: mean((x − x̄)²).",
        predicate=_cancellation,
    ),
)


def bias_random(rng: np.random.Generator, count: int) -> list[Case]:
    return [
        Case(
            "random σ² and n",
            (float(rng.uniform(0.1, 10.0)), int(rng.integers(2, 1000))),
        )
        for _ in range(count)
    ]


def bias_edges(rng: np.random.Generator) -> list[Case]:
    return [
        Case("n = 1", (float(rng.uniform(0.5, 5.0)), 1), edge=True),
        Case("σ² = 1, n = 10", (1.0, 10), edge=True),
        Case("large n (10⁶)", (float(rng.uniform(0.5, 5.0)), 1_000_000), edge=True),
    ]


BIAS_MISCONCEPTIONS = (
    Misconception(
        "sign",
        "has the wrong sign: the MLE underestimates σ² on average, so the bias "
        "E[σ̂²] − σ² = −σ²/n is negative.",
        formula=lambda s2, n: s2 / n,
    ),
    Misconception(
        "expectation-not-bias",
        "returns E[σ̂²] = (n − 1)σ²/n, the expectation of the estimator; the bias is "
        "E[σ̂²] − σ².",
        formula=lambda s2, n: (n - 1) * s2 / n,
    ),
    Misconception(
        "n-minus-1",
        "returns −σ²/(n − 1). Start from E[Σ(x_i − x̄)²] = (n − 1)σ² and divide by n: "
        "E[σ̂²] = (n − 1)σ²/n, so the bias is −σ²/n.",
        formula=lambda s2, n: -s2 / (n - 1),
    ),
    Misconception(
        "zero",
        "returns 0, but σ̂² is biased: E[σ̂²] = (n − 1)σ²/n (it is s², dividing by n − 1, "
        "that is unbiased).",
        formula=lambda s2, n: 0.0,
    ),
)

EXERCISE = Exercise(
    name="normal-variance",
    title="The Normal variance: MLE versus unbiased",
    notebook="normal_variance",
    chapter="03_fisher_information",
    summary="normal_var_mle(x) (divide by n) and mle_bias(sigma2, n) = −σ²/n.",
    parts=(
        Part(
            function="normal_var_mle",
            signature="normal_var_mle(x)",
            points=3.0,
            reference=reference_var,
            random_cases=var_random,
            edge_cases=var_edges,
            misconceptions=VAR_MISCONCEPTIONS,
        ),
        Part(
            function="mle_bias",
            signature="mle_bias(sigma2, n)",
            points=2.0,
            reference=reference_bias,
            random_cases=bias_random,
            edge_cases=bias_edges,
            misconceptions=BIAS_MISCONCEPTIONS,
        ),
    ),
    written=(
        WrittenPart(
            "bias-matters",
            "Is the bias of the MLE a reason to prefer s²? Discuss bias, variance and n.",
        ),
    ),
)
