r"""Exercise ``uniform-mle``: the MLE of :math:`\theta` in Uniform(0, θ) is the sample maximum.

The likelihood :math:`L(\theta) = \theta^{-n}\,\mathbf 1\{\theta \ge \max_i x_i\}` is zero to the
left of the sample maximum and decreasing to its right, so :math:`\hat\theta = \max_i x_i`. It is
not a root of the score: :math:`\partial_\theta \log L = -n/\theta \ne 0` everywhere on the
support, because the support depends on :math:`\theta`.

Student function: ``uniform_mle(x) -> float`` for a 1-D NumPy array ``x`` of positive numbers.
"""

from __future__ import annotations

import numpy as np

from ._core import Case, Exercise, Misconception, Part, WrittenPart

__all__ = ["EXERCISE", "reference"]


def reference(x: np.ndarray) -> float:
    r""":math:`\hat\theta = \max_i x_i`."""
    return float(np.max(x))


def _sample(rng: np.random.Generator, n: int) -> np.ndarray:
    theta = rng.uniform(0.5, 20.0)
    return theta * rng.random(n)


def random_cases(rng: np.random.Generator, count: int) -> list[Case]:
    cases = []
    for _ in range(count):
        n = int(rng.integers(2, 60))
        x = _sample(rng, n)
        # keep the maximum away from the last position, so that x[-1] never passes by luck
        i = int(np.argmax(x))
        j = int(rng.integers(0, n - 1))
        x[[i, j]] = x[[j, i]]
        cases.append(Case(f"a random sample (n = {n})", (x,)))
    return cases


def edge_cases(rng: np.random.Generator) -> list[Case]:
    one = _sample(rng, 1)
    ties = np.round(_sample(rng, 9), 1)
    ties[[1, 4, 7]] = np.max(ties) + 0.5
    equal = np.full(5, round(rng.uniform(1.0, 5.0), 3))
    big = _sample(rng, 100_000)
    small = 1e-3 * rng.random(12)
    sorted_x = np.sort(_sample(rng, 15))[::-1].copy()  # maximum first
    return [
        Case("n = 1", (one,), edge=True),
        Case("ties at the maximum", (ties,), edge=True),
        Case("all values equal", (equal,), edge=True),
        Case("large n (100 000)", (big,), edge=True),
        Case("tiny values (θ ≈ 0.001)", (small,), edge=True),
        Case("data sorted in decreasing order", (sorted_x,), edge=True),
    ]


MISCONCEPTIONS = (
    Misconception(
        "method-of-moments",
        "2·mean(x) is the method-of-moments estimator (it solves E[X] = θ/2), not the MLE. "
        "Write down the likelihood θ^(-n) for θ ≥ max(x): where is it largest?",
        formula=lambda x: 2.0 * np.mean(x),
    ),
    Misconception(
        "unbiased",
        "(n+1)/n·max(x) is the unbiased estimator of θ, not the MLE. The likelihood θ^(-n) is "
        "decreasing, so it is largest at the smallest θ the data allow: θ = max(x). "
        "(Unbiasedness is a different criterion.)",
        formula=lambda x: (x.size + 1) / x.size * np.max(x),
    ),
    Misconception(
        "mean",
        "mean(x) estimates θ/2, the mean of Uniform(0, θ), not θ. The likelihood is zero for "
        "θ < max(x), so the MLE can never be below the largest observation.",
        formula=lambda x: np.mean(x),
    ),
    Misconception(
        "minimum",
        "min(x) is below the largest observation, where the likelihood is zero "
        "(some x_i would be impossible). The MLE is the smallest θ with θ ≥ every x_i.",
        formula=lambda x: np.min(x),
    ),
    Misconception(
        "last-element",
        "your function returns the last element, x[-1]: the data are not sorted. Use the "
        "maximum of the sample.",
        formula=lambda x: x[-1],
    ),
)

EXERCISE = Exercise(
    name="uniform-mle",
    title="The MLE of a Uniform(0, θ)",
    notebook="uniform_mle",
    chapter="01_likelihood",
    summary="uniform_mle(x): the MLE of θ for Uniform(0, θ) data, and why the score fails.",
    parts=(
        Part(
            function="uniform_mle",
            signature="uniform_mle(x)",
            points=4.0,
            reference=reference,
            random_cases=random_cases,
            edge_cases=edge_cases,
            misconceptions=MISCONCEPTIONS,
        ),
    ),
    written=(
        WrittenPart(
            "why-not-score",
            "Why can this MLE not be found by setting the score to zero?",
        ),
    ),
)
