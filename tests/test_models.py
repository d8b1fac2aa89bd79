"""Tests for mlecourse.models against scipy.stats, statsmodels and scikit-learn."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import optimize, stats

from mlecourse import models

SEED = 20240613


def _regression(n=200, seed=SEED):
    rng = np.random.default_rng(seed)
    X = np.column_stack([np.ones(n), rng.normal(size=n), rng.uniform(-1, 1, n)])
    y = X @ np.array([0.5, -1.0, 2.0]) + rng.normal(scale=0.7, size=n)
    return X, y


def test_linear_loglik_equals_scipy_norm():
    X, y = _regression()
    theta = np.array([0.4, -0.9, 2.1, np.log(0.6)])
    expected = stats.norm.logpdf(y, loc=X @ theta[:3], scale=np.sqrt(0.6))
    np.testing.assert_allclose(models.linear_loglik_obs(theta, X, y), expected, rtol=1e-12)


def test_linear_score_matches_finite_differences():
    X, y = _regression(n=30)
    theta = np.array([0.4, -0.9, 2.1, np.log(0.6)])
    got = models.linear_score_obs(theta, X, y)
    h = 1e-6
    for j in range(theta.size):
        e = np.zeros_like(theta)
        e[j] = h
        fd = (models.linear_loglik_obs(theta + e, X, y) - models.linear_loglik_obs(theta - e, X, y)) / (2 * h)
        np.testing.assert_allclose(got[:, j], fd, rtol=1e-6, atol=1e-8)


def test_linear_mle_is_least_squares_and_matches_statsmodels():
    sm = pytest.importorskip("statsmodels.api")
    X, y = _regression()
    res = optimize.minimize(lambda t: -models.linear_loglik_obs(t, X, y).sum(), np.zeros(4),
                            jac=lambda t: -models.linear_score_obs(t, X, y).sum(axis=0),
                            method="BFGS", options={"gtol": 1e-10})
    ols = sm.OLS(y, X).fit()
    np.testing.assert_allclose(res.x[:3], ols.params, rtol=1e-6)
    np.testing.assert_allclose(np.exp(res.x[3]), np.mean(ols.resid**2), rtol=1e-6)
    assert -res.fun == pytest.approx(ols.llf, rel=1e-10)


def test_softmax_matches_sklearn_and_reduces_to_logistic():
    sklearn_lm = pytest.importorskip("sklearn.linear_model")
    rng = np.random.default_rng(SEED)
    n, K = 400, 3
    X = np.column_stack([np.ones(n), rng.normal(size=(n, 2))])
    B = np.array([[0.0, 0.5, -0.5], [0.0, 1.5, -1.0], [0.0, -1.0, 2.0]])
    eta = X @ B
    P = np.exp(eta - eta.max(axis=1, keepdims=True))
    P /= P.sum(axis=1, keepdims=True)
    y = np.array([rng.choice(K, p=p) for p in P])
    theta = rng.normal(size=6)
    # probabilities: rows sum to one, and log of them at the labels is the loglik
    probs = models.softmax_probs(theta, X, K)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, rtol=1e-12)
    np.testing.assert_allclose(np.log(probs[np.arange(n), y]), models.softmax_loglik_obs(theta, X, y, K),
                               rtol=1e-10)
    # the MLE matches scikit-learn's unpenalised multinomial fit (after re-referencing to class 0)
    res = optimize.minimize(lambda t: -models.softmax_loglik_obs(t, X, y, K).sum(), np.zeros(6),
                            method="BFGS", options={"gtol": 1e-8})
    sk = sklearn_lm.LogisticRegression(C=np.inf, fit_intercept=False, tol=1e-12, max_iter=10_000)
    sk.fit(X, y)
    coef = sk.coef_.T  # (k, K)
    ref = (coef - coef[:, [0]])[:, 1:]
    np.testing.assert_allclose(res.x.reshape(3, 2), ref, atol=2e-4)
    # K = 2 is logistic regression: loglik equals the Bernoulli log-likelihood with p = sigmoid(X beta)
    y2 = (y == 1).astype(float)
    beta = np.array([0.3, -0.2, 0.8])
    p = 1 / (1 + np.exp(-X @ beta))
    np.testing.assert_allclose(models.softmax_loglik_obs(beta, X, y2, 2),
                               stats.bernoulli.logpmf(y2, p), rtol=1e-10)


def test_softmax_rejects_bad_labels():
    X = np.ones((3, 1))
    with pytest.raises(ValueError, match="class labels"):
        models.softmax_loglik_obs([0.0, 0.0], X, [0, 1, 3], 3)
    with pytest.raises(ValueError, match="theta must have 2 entries"):
        models.softmax_loglik_obs([0.0], X, [0, 1, 2], 3)


def test_student_t_loglik_equals_scipy():
    rng = np.random.default_rng(SEED)
    x = stats.t.rvs(df=4, loc=1.0, scale=2.0, size=100, random_state=rng)
    for mu, sigma, df in [(1.0, 2.0, 4.0), (0.0, 1.0, 1.0), (-1.0, 0.5, 30.0)]:
        theta = [mu, np.log(sigma), np.log(df)]
        np.testing.assert_allclose(models.student_t_loglik_obs(theta, x),
                                   stats.t.logpdf(x, df, loc=mu, scale=sigma), rtol=1e-10)


def test_student_t_mle_matches_scipy_fit():
    rng = np.random.default_rng(SEED + 1)
    x = stats.t.rvs(df=5, loc=0.5, scale=1.5, size=2000, random_state=rng)
    res = optimize.minimize(lambda t: -models.student_t_loglik_obs(t, x).sum(),
                            [np.median(x), 0.0, np.log(10.0)], method="Nelder-Mead",
                            options={"xatol": 1e-10, "fatol": 1e-12, "maxiter": 20_000})
    df, loc, scale = stats.t.fit(x)
    ll_scipy = stats.t.logpdf(x, df, loc, scale).sum()
    assert -res.fun >= ll_scipy - 1e-6
    np.testing.assert_allclose([res.x[0], np.exp(res.x[1]), np.exp(res.x[2])], [loc, scale, df], rtol=1e-3)


def test_gamma_loglik_equals_scipy_and_nests_exponential():
    rng = np.random.default_rng(SEED)
    x = rng.gamma(2.5, 1 / 1.7, size=50)
    np.testing.assert_allclose(models.gamma_loglik_obs([np.log(2.5), np.log(1.7)], x),
                               stats.gamma.logpdf(x, 2.5, scale=1 / 1.7), rtol=1e-12)
    np.testing.assert_allclose(models.gamma_loglik_obs([0.0, np.log(1.7)], x),
                               stats.expon.logpdf(x, scale=1 / 1.7), rtol=1e-12)


@pytest.mark.parametrize("shape", [0.2, 1.0, 7.5, 300.0])
def test_gamma_mle_matches_scipy_fit(shape):
    rng = np.random.default_rng(SEED)
    x = rng.gamma(shape, 1 / 2.0, size=500)
    a, b = models.gamma_mle(x)
    a_ref, _, scale_ref = stats.gamma.fit(x, floc=0, method="MLE")
    np.testing.assert_allclose([a, b], [a_ref, 1 / scale_ref], rtol=1e-5)
    # the likelihood equations hold at the estimate
    assert np.log(a) - np.log(b) == pytest.approx(np.log(x.mean()), rel=1e-12)
    ll = models.gamma_loglik_obs([np.log(a), np.log(b)], x).sum()
    assert ll >= stats.gamma.logpdf(x, a_ref, scale=scale_ref).sum() - 1e-8


def test_gamma_mle_rejects_degenerate_data():
    with pytest.raises(ValueError, match="all observations are equal"):
        models.gamma_mle([2.0, 2.0, 2.0])
    with pytest.raises(ValueError, match="must be > 0"):
        models.gamma_mle([1.0, 0.0])
