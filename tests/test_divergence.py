"""Tests for mlecourse.divergence against scipy.stats.entropy and quadrature."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import integrate, stats

from mlecourse.divergence import (
    cross_entropy,
    entropy,
    kl_divergence,
    kl_numerical,
    normal_cross_entropy,
    normal_entropy,
    normal_kl,
    pseudo_true,
)

P = np.array([0.1, 0.2, 0.3, 0.4])
Q = np.array([0.25, 0.25, 0.25, 0.25])


def test_discrete_against_scipy_entropy():
    rng = np.random.default_rng(31)
    for _ in range(5):
        p, q = rng.dirichlet(np.ones(6)), rng.dirichlet(np.ones(6))
        assert entropy(p) == pytest.approx(stats.entropy(p), rel=1e-13)
        assert kl_divergence(p, q) == pytest.approx(stats.entropy(p, q), rel=1e-13)
        assert kl_divergence(p, q, base=2) == pytest.approx(stats.entropy(p, q, base=2), rel=1e-13)
        assert cross_entropy(p, q) == pytest.approx(entropy(p) + kl_divergence(p, q), rel=1e-13)
    assert kl_divergence(P, P) == 0.0
    assert kl_divergence(P, Q) != kl_divergence(Q, P)  # not symmetric
    assert entropy(Q, base=2) == pytest.approx(2.0)


def test_discrete_zeros():
    p = np.array([0.5, 0.5, 0.0])
    q = np.array([0.0, 0.5, 0.5])
    assert entropy(p) == pytest.approx(np.log(2))  # 0 log 0 = 0
    assert kl_divergence(p, q) == np.inf
    assert cross_entropy(p, q) == np.inf
    assert kl_divergence(np.array([0.0, 1.0, 0.0]), q) == pytest.approx(np.log(2))
    assert entropy(np.array([1.0, 0.0])) == 0.0


def test_discrete_stacked_last_axis():
    p = np.stack([P, Q])
    np.testing.assert_allclose(kl_divergence(p, Q), stats.entropy(p.T, Q[:, None]), rtol=1e-13)


def test_normal_closed_forms_against_quadrature():
    for mu1, s1, mu2, s2 in ((0.0, 1.0, 1.0, 2.0), (2.5, 0.3, -1.0, 4.0), (1.0, 1.0, 1.0, 1.0)):
        g = stats.norm(mu1, np.sqrt(s1))
        p = stats.norm(mu2, np.sqrt(s2))
        ref = integrate.quad(lambda x, g=g, p=p: g.pdf(x) * (g.logpdf(x) - p.logpdf(x)), -np.inf, np.inf)[0]
        assert normal_kl(mu1, s1, mu2, s2) == pytest.approx(ref, abs=1e-9)
        assert kl_numerical(g.logpdf, p.logpdf) == pytest.approx(ref, abs=1e-9)
        ce = integrate.quad(lambda x, g=g, p=p: -g.pdf(x) * p.logpdf(x), -np.inf, np.inf)[0]
        assert normal_cross_entropy(mu1, s1, mu2, s2) == pytest.approx(ce, rel=1e-9)
        assert normal_entropy(s1) == pytest.approx(g.entropy(), rel=1e-13)
    mu2 = np.linspace(-1, 1, 5)
    assert normal_kl(0.0, 1.0, mu2, 1.0) == pytest.approx(mu2**2 / 2)


def test_kl_numerical_gamma_vs_exponential_closed_form():
    # KL(Gamma(a, 1) || Exp(rate l)) = -H(Gamma) - log l + l a
    a, lam = 2.0, 0.7
    g = stats.gamma(a)
    expected = -g.entropy() - np.log(lam) + lam * a
    got = kl_numerical(g.logpdf, stats.expon(scale=1 / lam).logpdf, 0.0, np.inf)
    assert got == pytest.approx(expected, rel=1e-8)
    # a model with smaller support than g: infinite divergence
    assert kl_numerical(stats.norm().logpdf, stats.expon().logpdf) == np.inf


def test_pseudo_true_normal_model_matches_moments():
    # Normal model for Gamma(3, scale 0.5) data: theta* = (E X, Var X) = (1.5, 0.75)
    g = stats.gamma(3.0, scale=0.5)
    res = pseudo_true(
        g.logpdf,
        lambda t, x: stats.norm.logpdf(x, t[0], np.sqrt(t[1])),
        [1.0, 1.0],
        0.0,
        np.inf,
        bounds=[(None, None), (1e-6, None)],
    )
    assert res.success
    np.testing.assert_allclose(res.theta, [1.5, 0.75], rtol=1e-5)
    assert res.kl == pytest.approx(normal_cross_entropy(1.5, 0.75, 1.5, 0.75) - g.entropy(), rel=1e-5)
    assert res.kl > 0


def test_pseudo_true_exponential_model():
    g = stats.lognorm(0.5)
    res = pseudo_true(
        g.logpdf, lambda lam, x: stats.expon.logpdf(x, scale=1 / lam), 1.0, 0.0, np.inf, bounds=[(1e-6, None)]
    )
    assert isinstance(res.theta, float)
    assert res.theta == pytest.approx(1 / g.mean(), rel=1e-6)
    ref = kl_numerical(g.logpdf, stats.expon(scale=1 / res.theta).logpdf, 0.0, np.inf)
    assert res.kl == pytest.approx(ref, rel=1e-6)


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: entropy([0.5, 0.6]), "sum to 1"),
        (lambda: entropy([1.2, -0.2]), "negative"),
        (lambda: entropy([0.5, np.nan, 0.5]), "NaN"),
        (lambda: entropy(1.0), "scalar"),
        (lambda: entropy([]), "empty"),
        (lambda: kl_divergence(P, Q[:3] / Q[:3].sum()), "same support"),
        (lambda: kl_divergence(P, Q, base=1), "base"),
        (lambda: normal_kl(0.0, 0.0, 0.0, 1.0), "sigma2_1 must be > 0"),
        (lambda: normal_entropy(-1.0), "sigma2 must be > 0"),
        (lambda: kl_numerical(stats.norm().logpdf, stats.norm().logpdf, 1.0, 0.0), "lower < upper"),
        (
            lambda: pseudo_true(stats.norm().logpdf, lambda t, x: stats.expon.logpdf(x, scale=t), 1.0),
            "not finite",
        ),
    ],
)
def test_bad_input(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_pseudo_true_with_a_singular_density_at_the_boundary():
    """Gamma(1/2) has density ~ x^(-1/2) at 0; an Exponential fit has lambda* = 1/E[X] = 2."""
    g = stats.gamma(0.5)
    res = pseudo_true(
        g.logpdf, lambda lam, x: stats.expon.logpdf(x, scale=1 / lam), 1.0, 0, np.inf,
        bounds=[(1e-6, None)],
    )
    assert res.success
    assert res.theta == pytest.approx(2.0, abs=1e-7)
    # KL at the optimum against adaptive quadrature of g log(g / p)
    kl_ref = kl_numerical(g.logpdf, lambda x: stats.expon.logpdf(x, scale=0.5), 0, np.inf)
    assert res.kl == pytest.approx(kl_ref, abs=1e-7)


def test_pseudo_true_flags_an_inaccurate_rule():
    """A density too narrow for the rule to integrate to 1 is reported, never silently used."""
    g = stats.norm(0, 1e-9)
    with pytest.warns(UserWarning, match="integrates g to"):
        res = pseudo_true(g.logpdf, lambda m, x: stats.norm.logpdf(x, m), 0.5, -1.0, 1.0)
    assert not res.success
