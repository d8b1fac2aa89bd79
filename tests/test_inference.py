"""Tests for mlecourse.inference against scipy.stats and statsmodels."""

from __future__ import annotations

import numpy as np
import pytest
import statsmodels.api as sm
from scipy import optimize, stats
from scipy.special import xlogy
from statsmodels.stats.proportion import proportion_confint

from mlecourse import families as fam
from mlecourse.inference import (
    CoverageResult,
    aic,
    bernoulli_coverage,
    bernoulli_lr_ci,
    bernoulli_wald_ci,
    bernoulli_wilson_ci,
    bic,
    coverage,
    delta_method,
    delta_method_se,
    lr_ci,
    lr_test,
    mc_se,
    mc_se_mean,
    profile_ci,
    profile_loglik,
    sandwich_cov,
    wald_ci,
)
from mlecourse.optimize import fit_mle

CUT95 = stats.chi2.ppf(0.95, 1)


# ---------------------------------------------------------------------------------------------
# Wald, delta method
# ---------------------------------------------------------------------------------------------
def test_wald_ci_matches_scipy_interval():
    est, se = np.array([0.0, 1.5, -2.0]), np.array([1.0, 0.3, 2.0])
    for alpha in (0.05, 0.1, 0.01):
        lo, hi = wald_ci(est, se, alpha)
        ref_lo, ref_hi = stats.norm.interval(1 - alpha, loc=est, scale=se)
        np.testing.assert_allclose(lo, ref_lo, rtol=1e-12)
        np.testing.assert_allclose(hi, ref_hi, rtol=1e-12)
    lo, hi = wald_ci(1.0, 0.5)
    assert isinstance(lo, float) and hi - lo == pytest.approx(2 * 1.959963984540054 * 0.5)


def test_delta_method():
    cov = np.array([[0.04, 0.01], [0.01, 0.09]])
    g = np.array([2.0, -1.0])
    assert delta_method_se(g, cov) == pytest.approx(np.sqrt(g @ cov @ g), rel=1e-14)
    se = delta_method_se(np.array([[1.0, 0.0], [0.0, 1.0]]), cov)
    np.testing.assert_allclose(se, [0.2, 0.3])
    # g(lambda) = log(lambda): se = se(lambda) / lambda
    value, se_log = delta_method(np.log, 2.5, np.array([[0.04]]))
    assert value == pytest.approx(np.log(2.5)) and se_log == pytest.approx(0.2 / 2.5, rel=1e-8)
    # g(mu, s2) = mu / sqrt(s2)
    theta = np.array([1.0, 4.0])
    value, se_ratio = delta_method(lambda t: t[0] / np.sqrt(t[1]), theta, cov)
    grad = np.array([1 / 2.0, -0.5 * 1.0 * 4.0**-1.5])
    assert se_ratio == pytest.approx(np.sqrt(grad @ cov @ grad), rel=1e-7)


# ---------------------------------------------------------------------------------------------
# sandwich vs statsmodels HC0
# ---------------------------------------------------------------------------------------------
def test_sandwich_equals_statsmodels_hc0_ols():
    rng = np.random.default_rng(21)
    n = 200
    X = np.column_stack([np.ones(n), rng.normal(size=n), rng.uniform(size=n)])
    y = X @ np.array([1.0, 2.0, -1.0]) + rng.normal(size=n) * (0.5 + np.abs(X[:, 1]))  # heteroskedastic
    ref = sm.OLS(y, X).fit(cov_type="HC0")
    resid = y - X @ ref.params
    # Gaussian quasi-likelihood with sigma2 = 1: u_i = x_i e_i, H = -X'X
    cov = sandwich_cov(X * resid[:, None], -X.T @ X)
    np.testing.assert_allclose(cov, ref.cov_params(), rtol=1e-10)
    # any sigma2 cancels
    cov2 = sandwich_cov(X * resid[:, None] / 3.0, -X.T @ X / 3.0)
    np.testing.assert_allclose(cov2, ref.cov_params(), rtol=1e-10)


def test_sandwich_equals_statsmodels_hc0_poisson_glm():
    rng = np.random.default_rng(22)
    n = 300
    X = np.column_stack([np.ones(n), rng.normal(size=n)])
    # overdispersed counts: Poisson model misspecified, so sandwich != model-based
    y = rng.negative_binomial(2, 2 / (2 + np.exp(X @ np.array([0.5, 0.3]))))
    glm = sm.GLM(y, X, family=sm.families.Poisson())
    ref = glm.fit(cov_type="HC0")
    mu = np.exp(X @ ref.params)
    cov = sandwich_cov(X * (y - mu)[:, None], -(X.T * mu) @ X)
    np.testing.assert_allclose(cov, ref.cov_params(), rtol=1e-8)
    assert not np.allclose(cov, glm.fit().cov_params(), rtol=0.05)


def test_sandwich_reduces_to_inverse_information_for_one_parameter():
    x = np.random.default_rng(23).poisson(4.0, 100).astype(float)
    lam = x.mean()
    s = fam.poisson_score_obs(lam, x)
    H = fam.poisson_hessian(lam, x)
    assert sandwich_cov(s, H)[0, 0] == pytest.approx(np.sum(s**2) / H**2, rel=1e-12)


# ---------------------------------------------------------------------------------------------
# LR test and LR / profile intervals
# ---------------------------------------------------------------------------------------------
def test_lr_test_against_chi2():
    res = lr_test(-120.0, -117.5, 2)
    assert res.statistic == pytest.approx(5.0)
    assert res.df == 2
    assert res.pvalue == pytest.approx(stats.chi2.sf(5.0, 2), rel=1e-12)
    stat, _df, p = lr_test(np.array([-10.0, -10.0]), np.array([-9.0, -5.0]), 1)
    np.testing.assert_allclose(stat, [2.0, 10.0])
    np.testing.assert_allclose(p, stats.chi2.sf([2.0, 10.0], 1), rtol=1e-12)
    assert lr_test(-10.0, -10.0 - 1e-12, 1).statistic == 0.0  # rounding is clipped


def test_lr_test_from_mle_results():
    x = np.random.default_rng(24).normal(0.3, 1.0, 80)
    alt = fit_mle(lambda t: fam.normal_loglik_obs(t[0], t[1], x), [0.0, 1.0])
    null = fit_mle(lambda t: fam.normal_loglik_obs(0.0, t, x), 1.0)
    res = lr_test(null, alt)
    assert res.df == 1
    # closed form for H0: mu = 0 in the normal model: n log(s0^2 / s^2)
    n, s2 = x.size, np.var(x)
    assert res.statistic == pytest.approx(n * np.log(np.mean(x**2) / s2), rel=1e-6)


def test_lr_ci_poisson_against_brentq():
    x = np.random.default_rng(25).poisson(2.0, 30).astype(float)
    lam = x.mean()
    lo, hi = lr_ci(fam.poisson_loglik, lam, args=(x,), lower=0.0)

    def g(t):
        return 2 * (fam.poisson_loglik(lam, x) - fam.poisson_loglik(t, x)) - CUT95

    assert lo == pytest.approx(optimize.brentq(g, 1e-6, lam, xtol=1e-14), abs=1e-9)
    assert hi == pytest.approx(optimize.brentq(g, lam, 10 * lam, xtol=1e-14), abs=1e-9)


def test_lr_ci_equals_wald_for_normal_mean_known_variance():
    x = np.random.default_rng(26).normal(1.0, 2.0, 40)
    lo, hi = lr_ci(lambda m: fam.normal_loglik(m, 4.0, x), x.mean())
    wlo, whi = wald_ci(x.mean(), 2.0 / np.sqrt(x.size))
    assert lo == pytest.approx(wlo, abs=1e-9) and hi == pytest.approx(whi, abs=1e-9)


def test_lr_ci_stops_at_the_boundary():
    lo, hi = lr_ci(fam.bernoulli_loglik, 0.0, args=(np.zeros(10),), lower=0.0, upper=1.0)
    assert lo == 0.0
    assert hi == pytest.approx(1 - np.exp(-CUT95 / 20), abs=1e-10)


def test_profile_ci_normal_mean_closed_form():
    x = np.random.default_rng(27).normal(1.0, 2.0, 25)
    n = x.size
    mu, s2 = fam.normal_mle(x)

    def ll(t):
        return fam.normal_loglik(t[0], t[1], x)

    # profile over sigma2: l_p(mu) = -n/2 log(2 pi s2(mu)) - n/2 with s2(mu) = mean((x - mu)^2)
    grid = np.array([mu - 1.0, mu, mu + 0.5])
    prof = profile_loglik(ll, [mu, s2], 0, grid)
    s2_mu = np.mean((x[None, :] - grid[:, None]) ** 2, axis=1)
    np.testing.assert_allclose(prof, -n / 2 * np.log(2 * np.pi * s2_mu) - n / 2, rtol=1e-9)
    lo, hi = profile_ci(ll, [mu, s2], 0)
    half = np.sqrt(s2 * (np.exp(CUT95 / n) - 1))
    assert lo == pytest.approx(mu - half, abs=1e-6) and hi == pytest.approx(mu + half, abs=1e-6)


# ---------------------------------------------------------------------------------------------
# Bernoulli intervals and coverage
# ---------------------------------------------------------------------------------------------
def test_bernoulli_wald_and_wilson_match_statsmodels():
    n = 30
    k = np.arange(n + 1)
    lo, hi = bernoulli_wald_ci(k, n)
    ref_lo, ref_hi = proportion_confint(k, n, alpha=0.05, method="normal")
    # statsmodels clips the normal interval to [0, 1]
    np.testing.assert_allclose(np.clip(lo, 0, 1), ref_lo, atol=1e-12)
    np.testing.assert_allclose(np.clip(hi, 0, 1), ref_hi, atol=1e-12)
    clo, _chi = bernoulli_wald_ci(k, n, clip=True)
    np.testing.assert_allclose(clo, ref_lo, atol=1e-12)
    lo, hi = bernoulli_wilson_ci(k, n, 0.1)
    ref_lo, ref_hi = proportion_confint(k, n, alpha=0.1, method="wilson")
    np.testing.assert_allclose(lo, ref_lo, atol=1e-12)
    np.testing.assert_allclose(hi, ref_hi, atol=1e-12)


def test_bernoulli_lr_ci_against_brentq():
    n = 20
    k = np.arange(n + 1)
    lo, hi = bernoulli_lr_ci(k, n)
    for kk in k:
        p_hat = kk / n
        l_hat = fam.bernoulli_loglik(p_hat, np.r_[np.ones(kk), np.zeros(n - kk)])

        def g(p, kk=kk, l_hat=l_hat):
            return 2 * (l_hat - (xlogy(kk, p) + xlogy(n - kk, 1 - p))) - CUT95

        ref_lo = 0.0 if kk == 0 else optimize.brentq(g, 1e-12, p_hat, xtol=1e-15)
        ref_hi = 1.0 if kk == n else optimize.brentq(g, p_hat, 1 - 1e-12, xtol=1e-15)
        assert lo[kk] == pytest.approx(ref_lo, abs=1e-10)
        assert hi[kk] == pytest.approx(ref_hi, abs=1e-10)
    assert hi[0] == pytest.approx(1 - np.exp(-CUT95 / (2 * n)), abs=1e-12)
    # vectorised over n as well
    lo2, _ = bernoulli_lr_ci(np.array([3, 3]), np.array([20, 40]))
    assert lo2[0] == pytest.approx(lo[3]) and lo2[1] < lo[3]


def test_bernoulli_coverage_exact():
    n = 25
    p = np.array([0.02, 0.1, 0.5, 0.83])
    for method, fn in (("wald", bernoulli_wald_ci), ("lr", bernoulli_lr_ci), ("wilson", bernoulli_wilson_ci)):
        got = bernoulli_coverage(p, n, method=method)
        for pi, gi in zip(p, got, strict=True):
            expected = sum(
                stats.binom.pmf(k, n, pi) for k in range(n + 1) if fn(k, n)[0] <= pi <= fn(k, n)[1]
            )
            assert gi == pytest.approx(expected, abs=1e-12)
    # the Wald interval is famously poor near the boundary, the LR interval much less so
    assert bernoulli_coverage(0.02, n) < 0.45
    assert bernoulli_coverage(0.02, n, method="lr") > 0.9


def test_bernoulli_coverage_agrees_with_simulation():
    rng = np.random.default_rng(28)
    n, p, R = 40, 0.15, 4000
    k = rng.binomial(n, p, R)
    lo, hi = bernoulli_wald_ci(k, n)
    cov = coverage(lo, hi, p)
    assert isinstance(cov, CoverageResult) and cov.n_reps == R
    assert abs(cov.rate - bernoulli_coverage(p, n)) < 4 * cov.se


# ---------------------------------------------------------------------------------------------
# AIC / BIC, Monte-Carlo helpers
# ---------------------------------------------------------------------------------------------
def test_aic_bic_match_statsmodels():
    rng = np.random.default_rng(29)
    X = np.column_stack([np.ones(100), rng.normal(size=100)])
    y = rng.poisson(np.exp(0.2 + 0.4 * X[:, 1]))
    ref = sm.GLM(y, X, family=sm.families.Poisson()).fit()
    assert aic(ref.llf, 2) == pytest.approx(ref.aic, rel=1e-12)
    assert bic(ref.llf, 2, 100) == pytest.approx(-2 * ref.llf + 2 * np.log(100), rel=1e-12)
    np.testing.assert_allclose(aic(np.array([-10.0, -12.0]), np.array([1, 3])), [22.0, 30.0])


def test_mc_helpers_and_coverage():
    assert mc_se(0.95, 1000) == pytest.approx(np.sqrt(0.95 * 0.05 / 1000))
    np.testing.assert_allclose(mc_se(np.array([0.5, 0.0]), 100), [0.05, 0.0])
    v = np.array([1.0, 2.0, 3.0, 4.0])
    assert mc_se_mean(v) == pytest.approx(np.std(v, ddof=1) / 2)
    cov = coverage([0.0, 1.0, -1.0, 2.0], [2.0, 3.0, 0.5, 4.0], 1.5)
    assert cov.rate == 0.5 and cov.se == pytest.approx(0.25)
    rate, se, reps = coverage(np.array([-np.inf]), np.array([np.inf]), 0.0)
    assert (rate, se, reps) == (1.0, 0.0, 1)


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: wald_ci(1.0, -0.1), "se must be >= 0"),
        (lambda: wald_ci(1.0, 0.1, alpha=1.5), "alpha must be"),
        (lambda: wald_ci(np.nan, 0.1), "NaN"),
        (lambda: lr_test(-10.0, -12.0, 1), "nested"),
        (lambda: lr_test(-10.0, -9.0, 0), "df must be a positive integer"),
        (lambda: lr_test(-10.0, -9.0), "df is required"),
        (lambda: bernoulli_wald_ci(5, 4), "0 <= k <= n"),
        (lambda: bernoulli_lr_ci(-1, 4), "0 <= k <= n"),
        (lambda: bernoulli_wilson_ci(1.5, 4), "whole number"),
        (lambda: bernoulli_wald_ci(1, 0), "positive integer"),
        (lambda: bernoulli_coverage(1.2, 10), "p must lie in"),
        (lambda: bernoulli_coverage(0.2, 10, method="exact"), "method must be one of"),
        (lambda: sandwich_cov(np.ones((5, 2)), np.eye(3)), "shape"),
        (lambda: sandwich_cov(np.ones((5, 2)), np.zeros((2, 2))), "singular"),
        (lambda: sandwich_cov(np.full((5, 2), np.nan), -np.eye(2)), "NaN"),
        (lambda: delta_method_se([1.0, 2.0, 3.0], np.eye(2)), "grad_g must have shape"),
        (lambda: mc_se(1.2, 100), "p_hat must lie in"),
        (lambda: mc_se(0.5, 0), "R"),
        (lambda: coverage([1.0, 2.0], [0.0, 3.0], 1.0), "lo > hi"),
        (lambda: coverage([], [], 1.0), "empty"),
        (lambda: bic(-10.0, 2, 0), "n"),
        (lambda: lr_ci(fam.poisson_loglik, -1.0, args=(np.ones(3),), lower=0.0), "within"),
        (lambda: profile_ci(lambda t: -np.sum(t**2), [0.0, 0.0], 2), "index"),
    ],
)
def test_bad_input(call, match):
    with pytest.raises(ValueError, match=match):
        call()
