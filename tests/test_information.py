"""Tests for mlecourse.information: finite differences and the information identity."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import optimize, stats

from mlecourse import families as fam
from mlecourse.information import (
    family_information_mc,
    information_identity_mc,
    numerical_gradient,
    numerical_hessian,
    numerical_jacobian,
    observed_information,
    outer_product_of_scores,
)


def test_gradient_and_hessian_on_rosenbrock():
    for x0 in ([1.3, 0.7, 0.8], [-1.2, 1.0, 2.5]):
        x0 = np.array(x0)
        np.testing.assert_allclose(numerical_gradient(optimize.rosen, x0), optimize.rosen_der(x0), rtol=1e-8)
        np.testing.assert_allclose(
            numerical_hessian(optimize.rosen, x0), optimize.rosen_hess(x0), rtol=1e-5, atol=1e-4
        )
        # with an analytic gradient the Hessian is more accurate
        np.testing.assert_allclose(
            numerical_hessian(optimize.rosen, x0, grad=optimize.rosen_der),
            optimize.rosen_hess(x0),
            rtol=1e-8,
            atol=1e-6,
        )


def test_scalar_theta_passes_float_and_returns_float():
    x = np.array([2.0, 0.0, 5.0, 3.0])
    seen = []

    def ll(lam):
        seen.append(type(lam))
        return fam.poisson_loglik(lam, x)

    g = numerical_gradient(ll, 1.7)
    assert isinstance(g, float) and set(seen) == {float}
    assert g == pytest.approx(fam.poisson_score(1.7, x), rel=1e-9)
    h = numerical_hessian(ll, 1.7)
    assert isinstance(h, float)
    assert h == pytest.approx(-x.sum() / 1.7**2, rel=1e-6)
    assert observed_information(ll, 1.7) == pytest.approx(x.sum() / 1.7**2, rel=1e-6)
    J = observed_information(ll, 1.7, score=lambda lam: fam.poisson_score(lam, x))
    assert J == pytest.approx(x.sum() / 1.7**2, rel=1e-9)


def test_args_are_passed():
    x = np.random.default_rng(0).normal(1.0, 2.0, 30)
    g = numerical_gradient(lambda t, data: fam.normal_loglik(t[0], t[1], data), [0.5, 3.0], args=(x,))
    np.testing.assert_allclose(g, fam.normal_score(0.5, 3.0, x), rtol=1e-8)


def test_jacobian_gives_per_observation_scores_and_hessians():
    x = np.random.default_rng(1).normal(1.0, 2.0, 25)
    theta = np.array([0.8, 3.5])
    J = numerical_jacobian(lambda t: fam.normal_loglik_obs(t[0], t[1], x), theta)
    assert J.shape == (25, 2)
    np.testing.assert_allclose(J, fam.normal_score_obs(*theta, x), rtol=1e-7, atol=1e-9)
    H_obs = numerical_jacobian(lambda t: fam.normal_score_obs(t[0], t[1], x), theta)
    assert H_obs.shape == (25, 2, 2)
    np.testing.assert_allclose(H_obs.sum(axis=0), fam.normal_hessian(*theta, x), rtol=1e-7)


def test_outer_product_of_scores():
    S = np.random.default_rng(2).normal(size=(40, 3))
    expected = sum(np.outer(s, s) for s in S)
    np.testing.assert_allclose(outer_product_of_scores(S), expected, rtol=1e-12)
    assert outer_product_of_scores(S[:, 0]).shape == (1, 1)


def test_information_identity_holds_for_normal():
    rng = np.random.default_rng(3)
    mu, s2 = 1.0, 2.0
    x = rng.normal(mu, np.sqrt(s2), 20_000)
    chk = information_identity_mc(lambda t, xx: fam.normal_score_obs(t[0], t[1], xx), [mu, s2], x)
    info = fam.normal_fisher(mu, s2)
    assert np.all(np.abs(chk.mean_score) < 4 * chk.mean_score_se)
    assert np.all(np.abs(chk.var_score - info) <= 4 * chk.var_score_se + 1e-12)
    assert np.all(np.abs(chk.neg_mean_hessian - info) <= 4 * chk.neg_mean_hessian_se + 1e-12)
    assert np.all(np.abs(chk.z) < 4)
    assert chk.n_draws == 20_000


def test_information_identity_detects_a_wrong_score():
    # a score with the wrong scale (2x) breaks Var(U) = -E[H]: the check must notice
    rng = np.random.default_rng(4)
    x = rng.poisson(3.0, 20_000)
    chk = information_identity_mc(lambda lam, xx: 2 * fam.poisson_score_obs(lam, xx), 3.0, x)
    assert np.abs(chk.z[0, 0]) > 10


def test_family_information_mc():
    rng = np.random.default_rng(5)
    chk = family_information_mc("bernoulli", 0.3, 5_000, rng)
    # for Bernoulli U^2 + H = 0 for every single observation
    assert chk.difference[0, 0] == pytest.approx(0.0, abs=1e-6)
    chk = family_information_mc("exponential", 0.7, 20_000, rng)
    assert abs(chk.var_score[0, 0] - fam.exponential_fisher(0.7)) < 4 * chk.var_score_se[0, 0]
    assert abs(chk.neg_mean_hessian[0, 0] - fam.exponential_fisher(0.7)) < 1e-6  # H is constant
    chk = family_information_mc("uniform", 2.0, 1_000, rng)
    # irregular: score mean -1/theta, Var-part 1/theta^2 but -E[H] = -1/theta^2
    assert chk.mean_score[0] == pytest.approx(-0.5)
    assert chk.neg_mean_hessian[0, 0] == pytest.approx(-0.25)
    assert np.isinf(chk.z[0, 0])


def test_against_scipy_approx_fprime():
    f = lambda t: stats.gamma.logpdf(2.5, t[0], scale=t[1])  # noqa: E731
    t = np.array([1.7, 0.9])
    np.testing.assert_allclose(numerical_gradient(f, t), optimize.approx_fprime(t, f, 1e-7), rtol=1e-5)


@pytest.mark.parametrize(
    ("call", "exc", "match"),
    [
        (lambda: numerical_gradient(optimize.rosen, [1.0, np.nan]), ValueError, "NaN"),
        (lambda: numerical_gradient(optimize.rosen, [1.0, np.inf]), ValueError, "finite"),
        (lambda: numerical_gradient(optimize.rosen, np.ones((2, 2))), ValueError, "1-D"),
        (lambda: numerical_gradient(optimize.rosen, []), ValueError, "empty"),
        (lambda: numerical_gradient(optimize.rosen, [1.0, 2.0], step=-1), ValueError, "step"),
        (lambda: numerical_gradient("rosen", [1.0, 2.0]), TypeError, "callable"),
        (lambda: outer_product_of_scores(np.zeros((0, 2))), ValueError, "empty"),
        (lambda: information_identity_mc(lambda t, x: x - t, 0.0, np.ones(1)), ValueError, "at least 2"),
    ],
)
def test_bad_input(call, exc, match):
    with pytest.raises(exc, match=match):
        call()
