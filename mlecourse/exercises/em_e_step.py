r"""Exercise ``em-e-step``: the E-step of EM for a 1-D Gaussian mixture.

The responsibility of component :math:`j` for observation :math:`x_i` is its posterior
probability

.. math:: r_{ij} = \frac{\pi_j\,\phi(x_i; \mu_j, \sigma_j^2)}
                        {\sum_l \pi_l\,\phi(x_i; \mu_l, \sigma_l^2)}
               = \exp\Big(\log\pi_j + \log\phi_{ij}
                          - \operatorname{logsumexp}_l(\log\pi_l + \log\phi_{il})\Big),

computed in log space so that a point far from every component does not give 0/0.

Student function: ``e_step(x, weights, means, variances) -> ndarray`` of shape ``(n, K)`` for
``x`` of shape ``(n,)`` and ``weights``, ``means``, ``variances`` of shape ``(K,)``.
"""

from __future__ import annotations

import numpy as np
from scipy.special import logsumexp

from ._core import Case, Exercise, Misconception, Part, WrittenPart

__all__ = ["EXERCISE", "reference"]


def _log_joint(x, weights, means, variances):
    d = x[:, None] - means[None, :]
    return np.log(weights) - 0.5 * np.log(2 * np.pi * variances) - 0.5 * d**2 / variances


def reference(x, weights, means, variances) -> np.ndarray:
    r"""Responsibilities :math:`r_{ij}` (rows sum to one), computed with ``logsumexp``."""
    lj = _log_joint(x, weights, means, variances)
    return np.exp(lj - logsumexp(lj, axis=1, keepdims=True))


def _naive(x, weights, means, variances, scale):
    d = x[:, None] - means[None, :]
    dens = np.exp(-0.5 * d**2 / scale**2) / np.sqrt(2 * np.pi * scale**2)
    return weights * dens


def _mixture(rng: np.random.Generator, k: int):
    weights = rng.dirichlet(np.full(k, 3.0))
    means = np.sort(rng.uniform(-6.0, 6.0, k))
    variances = rng.uniform(0.3, 3.0, k)
    return weights, means, variances


def _draw(rng, n, weights, means, variances):
    z = rng.choice(weights.size, size=n, p=weights)
    return rng.normal(means[z], np.sqrt(variances[z]))


def random_cases(rng: np.random.Generator, count: int) -> list[Case]:
    cases = []
    for _ in range(count):
        n, k = int(rng.integers(3, 50)), int(rng.integers(2, 5))
        w, m, v = _mixture(rng, k)
        cases.append(Case(f"random mixture (n = {n}, K = {k})", (_draw(rng, n, w, m, v), w, m, v)))
    return cases


def edge_cases(rng: np.random.Generator) -> list[Case]:
    w, m, v = _mixture(rng, 3)
    x1 = _draw(rng, 1, w, m, v)
    far = np.concatenate([_draw(rng, 5, w, m, v), [m[-1] + 60.0 * np.sqrt(v.max())]])
    at_means = m.copy()
    w2, m2, v2 = _mixture(rng, 2)
    big = _draw(rng, 20_000, w2, m2, v2)
    same = (np.array([0.3, 0.7]), np.array([1.0, 1.0]), np.array([2.0, 2.0]))
    return [
        Case("n = 1", (x1, w, m, v), edge=True),
        Case("one component (K = 1)", (_draw(rng, 8, w, m, v), np.ones(1), m[:1], v[:1]),
             edge=True),
        Case("a point far from every component", (far, w, m, v), edge=True),
        Case("points exactly at the means", (at_means, w, m, v), edge=True),
        Case("two identical components", (_draw(rng, 6, *same), *same), edge=True),
        Case("large n (20 000)", (big, w2, m2, v2), edge=True),
    ]


def _far_nan(case: Case, got, expected) -> bool:
    return (
        case.label == "a point far from every component"
        and isinstance(got, np.ndarray)
        and got.shape == expected.shape
        and bool(np.isnan(got[-1]).any())
        and not np.isnan(got[:-1]).any()
    )


def _log_resp(case: Case, got, expected) -> bool:
    with np.errstate(divide="ignore"):
        lr = np.log(expected)
    ok = np.isfinite(lr)
    return (
        isinstance(got, np.ndarray) and got.shape == expected.shape and bool(ok.any())
        and bool(np.allclose(got[ok], lr[ok], rtol=1e-6, atol=1e-9))
        and not np.allclose(lr[ok], expected[ok])
    )


MISCONCEPTIONS = (
    Misconception(
        "underflow",
        "returns nan for a point far from every component: each weighted density underflows "
        "to 0 and the normalisation is 0/0. Work in log space: log π_j + log φ_ij, subtract "
        "scipy.special.logsumexp over j, then exponentiate.",
        predicate=_far_nan,
    ),
    Misconception(
        "not-normalised",
        "returns π_j φ(x_i; μ_j, σ_j²) without normalising: responsibilities are posterior "
        "probabilities, so divide each row by its sum (each row must sum to 1).",
        formula=lambda x, w, m, v: _naive(x, w, m, v, np.sqrt(v)),
    ),
    Misconception(
        "forgot-weights",
        "leaves out the mixing weights π_j: r_ij ∝ π_j φ(x_i; μ_j, σ_j²), not φ alone.",
        formula=lambda x, w, m, v: reference(x, np.full(w.size, 1.0 / w.size), m, v),
    ),
    Misconception(
        "variance-as-sd",
        "uses the variances as standard deviations: `variances` holds σ_j², so the density "
        "has scale √σ_j² (e.g. scipy.stats.norm(m, np.sqrt(v)), or write the formula with v).",
        formula=lambda x, w, m, v: (lambda r: r / r.sum(axis=1, keepdims=True))(
            _naive(x, w, m, v, v)
        ),
    ),
    Misconception(
        "log-responsibilities",
        "returns the LOG-responsibilities; exponentiate them so that each row is a probability "
        "vector summing to 1.",
        predicate=_log_resp,
    ),
)

EXERCISE = Exercise(
    name="em-e-step",
    title="One E-step of EM for a Gaussian mixture",
    notebook="em_e_step",
    chapter="05_em",
    summary="e_step(x, weights, means, variances): the (n, K) responsibilities, in log space.",
    parts=(
        Part(
            function="e_step",
            signature="e_step(x, weights, means, variances)",
            points=4.0,
            reference=reference,
            random_cases=random_cases,
            edge_cases=edge_cases,
            output="matrix",
            misconceptions=MISCONCEPTIONS,
            atol=1e-10,
        ),
    ),
    written=(
        WrittenPart(
            "why-log-space",
            "Why can a direct evaluation of the responsibilities give nan, and how does log "
            "space fix it?",
        ),
    ),
)
