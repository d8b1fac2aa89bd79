r"""Exercise ``bernoulli-fisher``: the Fisher information of a Bernoulli and the Cramér–Rao bound.

With :math:`\log f(x\mid p) = x\log p + (1-x)\log(1-p)`, the score of one observation is
:math:`(x - p)/\{p(1-p)\}`, and its variance is the Fisher information

.. math:: I(p) = \frac{1}{p(1-p)}, \qquad
          \text{so}\quad \Var(\hat p) \ge \frac{1}{n I(p)} = \frac{p(1-p)}{n}

for any unbiased estimator from :math:`n` observations (attained by :math:`\hat p = \bar x`).

Student functions: ``bernoulli_fisher(p) -> float`` (per observation, ``0 < p < 1``) and
``bernoulli_crlb(p, n) -> float``.
"""

from __future__ import annotations

import numpy as np

from ._core import Case, Exercise, Misconception, Part, WrittenPart

__all__ = ["EXERCISE", "reference_crlb", "reference_fisher"]


def reference_fisher(p: float) -> float:
    r""":math:`I(p) = 1/\{p(1-p)\}`."""
    return 1.0 / (p * (1.0 - p))


def reference_crlb(p: float, n: int) -> float:
    r""":math:`1/\{n I(p)\} = p(1-p)/n`."""
    return p * (1.0 - p) / n


def fisher_random(rng: np.random.Generator, count: int) -> list[Case]:
    return [Case("a random p", (float(rng.uniform(0.02, 0.98)),)) for _ in range(count)]


def fisher_edges(rng: np.random.Generator) -> list[Case]:
    return [
        Case("p = 0.5", (0.5,), edge=True),
        Case("p close to 0 (10⁻⁶)", (1e-6,), edge=True),
        Case("p close to 1 (1 − 10⁻⁶)", (1.0 - 1e-6,), edge=True),
        Case("a small p", (float(rng.uniform(1e-4, 1e-2)),), edge=True),
    ]


FISHER_MISCONCEPTIONS = (
    Misconception(
        "variance-not-information",
        "returns p(1 − p), the variance of one observation. The Fisher information is the "
        "variance of the SCORE (x − p)/(p(1 − p)), which is 1/(p(1 − p)).",
        formula=lambda p: p * (1.0 - p),
    ),
    Misconception(
        "hessian-sign",
        "returns −1/(p(1 − p)): the expected second derivative of the log-likelihood. The "
        "information is minus that, I(p) = −E[ℓ''(p)] > 0.",
        formula=lambda p: -1.0 / (p * (1.0 - p)),
    ),
    Misconception(
        "one-term",
        "keeps only one of the two terms: −E[ℓ''] = E[x]/p² + E[1 − x]/(1 − p)² "
        "= 1/p + 1/(1 − p) = 1/(p(1 − p)).",
        predicate=lambda case, got, expected: bool(
            np.isclose(got, 1.0 / case.args[0]) or np.isclose(got, 1.0 / (1.0 - case.args[0]))
        ),
    ),
    Misconception(
        "square-root",
        "returns 1/√(p(1 − p)); the information is 1/(p(1 − p)) without a square root.",
        formula=lambda p: 1.0 / np.sqrt(p * (1.0 - p)),
    ),
)


def crlb_random(rng: np.random.Generator, count: int) -> list[Case]:
    return [
        Case("random p and n", (float(rng.uniform(0.02, 0.98)), int(rng.integers(2, 500))))
        for _ in range(count)
    ]


def crlb_edges(rng: np.random.Generator) -> list[Case]:
    return [
        Case("n = 1", (float(rng.uniform(0.1, 0.9)), 1), edge=True),
        Case("p = 0.5, n = 100", (0.5, 100), edge=True),
        Case("p close to 0 (10⁻⁶), n = 1000", (1e-6, 1000), edge=True),
        Case("large n (10⁶)", (float(rng.uniform(0.1, 0.9)), 1_000_000), edge=True),
    ]


CRLB_MISCONCEPTIONS = (
    Misconception(
        "information-not-inverse",
        "returns n I(p), the information of the sample; the Cramér–Rao bound is its inverse, "
        "1/(n I(p)) = p(1 − p)/n.",
        formula=lambda p, n: n / (p * (1.0 - p)),
    ),
    Misconception(
        "forgot-n",
        "returns the bound for ONE observation, p(1 − p); n independent observations carry n "
        "times the information, so the bound is p(1 − p)/n.",
        formula=lambda p, n: p * (1.0 - p),
    ),
    Misconception(
        "inverse-of-variance",
        "returns 1/(n p(1 − p)), which is 1/(n·Var(x)). The bound is 1/(n I(p)) with "
        "I(p) = 1/(p(1 − p)), i.e. p(1 − p)/n.",
        formula=lambda p, n: 1.0 / (n * p * (1.0 - p)),
    ),
    Misconception(
        "standard-error",
        "returns √(p(1 − p)/n), a standard error; the Cramér–Rao bound is a bound on the "
        "variance, p(1 − p)/n.",
        formula=lambda p, n: np.sqrt(p * (1.0 - p) / n),
    ),
)

EXERCISE = Exercise(
    name="bernoulli-fisher",
    title="The Fisher information of a Bernoulli",
    notebook="bernoulli_fisher",
    chapter="03_fisher_information",
    summary="bernoulli_fisher(p) = 1/(p(1−p)) and bernoulli_crlb(p, n) = p(1−p)/n.",
    parts=(
        Part(
            function="bernoulli_fisher",
            signature="bernoulli_fisher(p)",
            points=2.0,
            reference=reference_fisher,
            random_cases=fisher_random,
            edge_cases=fisher_edges,
            misconceptions=FISHER_MISCONCEPTIONS,
        ),
        Part(
            function="bernoulli_crlb",
            signature="bernoulli_crlb(p, n)",
            points=2.0,
            reference=reference_crlb,
            random_cases=crlb_random,
            edge_cases=crlb_edges,
            misconceptions=CRLB_MISCONCEPTIONS,
        ),
    ),
    written=(
        WrittenPart(
            "least-information",
            "For which p is one observation least informative, and why does that make sense?",
        ),
    ),
)
