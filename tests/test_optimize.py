"""Tests for mlecourse.optimize: fit_mle, newton_raphson, fisher_scoring."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import statsmodels.api as sm
from scipy import optimize, stats
from scipy.special import gammaln

from mlecourse import families as fam
from mlecourse.optimize import IterationPath, fisher_scoring, fit_mle, newton_raphson
from mlecourse.results import ConvergenceWarning


@pytest.fixture(scope="module")
def normal_x():
    return np.random.default_rng(11).normal(1.0, 1.5, 150)


@pytest.fixture(scope="module")
def poisson_x():
    return np.random.default_rng(12).poisson(3.2, 120).astype(float)


def _normal_ll(t, x):
    return fam.normal_loglik_obs(t[0], t[1], x)


# ---------------------------------------------------------------------------------------------
# fit_mle
# ---------------------------------------------------------------------------------------------
def test_fit_mle_normal_matches_closed_form(normal_x):
    x = normal_x
    mu, s2 = fam.normal_mle(x)
    n = x.size
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = fit_mle(_normal_ll, [0.0, 1.0], args=(x,), param_names=("mu", "sigma2"))
    assert res.converged and res.success
    np.testing.assert_allclose(res.params, [mu, s2], rtol=1e-6, atol=1e-7)
    assert res.loglik == pytest.approx(fam.normal_loglik(mu, s2, x), rel=1e-12)
    # observed information at the MLE is diag(n / s2, n / (2 s2^2))
    np.testing.assert_allclose(res.cov, np.diag([s2 / n, 2 * s2**2 / n]), rtol=1e-5, atol=1e-8)
    assert res.param_names == ("mu", "sigma2") and res.nobs == n and res.cov_type == "observed"
    # history: starts at theta0, ends at the optimum, one entry per iteration
    assert res.history[0] == pytest.approx(fam.normal_loglik(0.0, 1.0, x))
    assert res.history[-1] == pytest.approx(res.loglik, rel=1e-10)
    assert res.history.size == res.nit + 1
    assert np.all(np.diff(res.history) >= -1e-9)
    assert np.abs(res.extra["score"]).max() < 1e-3


def test_fit_mle_with_analytic_derivatives_and_expected(normal_x):
    x = normal_x
    mu, s2 = fam.normal_mle(x)
    n = x.size
    res = fit_mle(
        _normal_ll,
        [0.0, 1.0],
        args=(x,),
        score_obs=lambda t, xx: fam.normal_score_obs(t[0], t[1], xx),
        hessian=lambda t, xx: fam.normal_hessian(t[0], t[1], xx),
        expected_info=lambda t, xx: xx.size * fam.normal_fisher(t[0], t[1]),
        cov_type="expected",
        method="Newton-CG",
    )
    np.testing.assert_allclose(res.params, [mu, s2], rtol=1e-7)
    np.testing.assert_allclose(res.cov, np.diag([s2 / n, 2 * s2**2 / n]), rtol=1e-6)
    assert res.cov_type == "expected" and res.method == "Newton-CG"


def test_fit_mle_poisson_cov_types_match_closed_forms(poisson_x):
    x = poisson_x
    n, lam = x.size, fam.poisson_mle(x)
    kw = {"args": (x,), "expected_info": lambda lam_, xx: xx.size / lam_}
    covs = {
        ct: fit_mle(fam.poisson_loglik_obs, 1.0, cov_type=ct, **kw)
        for ct in ("observed", "expected", "opg", "sandwich")
    }
    for r in covs.values():
        assert r.params[0] == pytest.approx(lam, rel=1e-7)
    B = np.sum((x / lam - 1.0) ** 2)
    assert covs["observed"].cov[0, 0] == pytest.approx(lam / n, rel=1e-6)
    assert covs["expected"].cov[0, 0] == pytest.approx(lam / n, rel=1e-6)
    assert covs["opg"].cov[0, 0] == pytest.approx(1 / B, rel=1e-5)
    assert covs["sandwich"].cov[0, 0] == pytest.approx(B / (n / lam) ** 2, rel=1e-5)
    # se is the root of the variance
    assert covs["observed"].se[0] == pytest.approx(np.sqrt(lam / n), rel=1e-6)


def test_fit_mle_poisson_regression_matches_statsmodels():
    rng = np.random.default_rng(13)
    X = np.column_stack([np.ones(300), rng.normal(size=300), rng.uniform(-1, 1, 300)])
    y = rng.poisson(np.exp(X @ np.array([0.3, 0.5, -0.4])))

    def ll_obs(b):
        eta = X @ b
        return y * eta - np.exp(eta) - gammaln(y + 1.0)

    glm = sm.GLM(y, X, family=sm.families.Poisson())
    ref = glm.fit()
    res = fit_mle(ll_obs, np.zeros(3))
    np.testing.assert_allclose(res.params, ref.params, rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(res.se, ref.bse, rtol=1e-4)
    ref_hc0 = glm.fit(cov_type="HC0")
    res_s = fit_mle(ll_obs, np.zeros(3), cov_type="sandwich")
    np.testing.assert_allclose(res_s.cov, ref_hc0.cov_params(), rtol=1e-4, atol=1e-9)


def test_fit_mle_bounded(poisson_x):
    x = (poisson_x > 3).astype(float)
    res = fit_mle(fam.bernoulli_loglik_obs, 0.5, args=(x,), method="L-BFGS-B", bounds=[(1e-9, 1 - 1e-9)])
    p = x.mean()
    assert res.params[0] == pytest.approx(p, abs=1e-6)
    assert res.se[0] == pytest.approx(np.sqrt(p * (1 - p) / x.size), rel=1e-4)


def test_fit_mle_nonconvergence_warns(normal_x):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        res = fit_mle(_normal_ll, [-20.0, 50.0], args=(normal_x,), max_iter=2)
    assert [w.category for w in caught] == [ConvergenceWarning]
    assert "did not converge" in str(caught[0].message)
    assert not res.converged and res.nit <= 2


def test_fit_mle_bad_input(normal_x):
    with pytest.raises(ValueError, match="cov_type must be one of"):
        fit_mle(_normal_ll, [0.0, 1.0], args=(normal_x,), cov_type="robust")
    with pytest.raises(ValueError, match="needs expected_info"):
        fit_mle(_normal_ll, [0.0, 1.0], args=(normal_x,), cov_type="expected")
    with pytest.raises(ValueError, match="does not accept bounds"):
        fit_mle(_normal_ll, [0.0, 1.0], args=(normal_x,), bounds=[(None, None), (0, None)])
    with pytest.raises(ValueError, match="sigma2 must be > 0"):
        fit_mle(_normal_ll, [0.0, -1.0], args=(normal_x,))
    with pytest.raises(ValueError, match="start inside the support"):
        fit_mle(fam.uniform_loglik_obs, 0.5, args=(np.array([1.0, 2.0]),), method="Nelder-Mead")
    with pytest.raises(ValueError, match="1-D array"):
        fit_mle(lambda t: float(t), 1.0)
    with pytest.raises(ValueError, match="param_names has 1"):
        fit_mle(_normal_ll, [0.0, 1.0], args=(normal_x,), param_names=["mu"])
    with pytest.raises(ValueError, match="NaN"):
        fit_mle(_normal_ll, [np.nan, 1.0], args=(normal_x,))
    with pytest.raises(ValueError, match="max_iter"):
        fit_mle(_normal_ll, [0.0, 1.0], args=(normal_x,), max_iter=0)


# ---------------------------------------------------------------------------------------------
# Newton-Raphson and Fisher scoring
# ---------------------------------------------------------------------------------------------
def test_newton_poisson(poisson_x):
    x = poisson_x
    res = newton_raphson(
        fam.poisson_score, fam.poisson_hessian, 1.0, args=(x,), loglik=fam.poisson_loglik, nobs=x.size
    )
    lam = x.mean()
    assert res.converged and res.params[0] == pytest.approx(lam, rel=1e-12)
    assert res.se[0] == pytest.approx(np.sqrt(lam / x.size), rel=1e-10)
    path = res.extra["path"]
    assert isinstance(path, IterationPath)
    assert path.n_iter == res.nit and path.theta.shape == (res.nit + 1, 1)
    np.testing.assert_allclose(
        path.theta[1:, 0] - path.theta[:-1, 0], path.step[:-1, 0], rtol=1e-10, atol=1e-14
    )
    assert np.isnan(path.step[-1]).all()
    np.testing.assert_allclose(path.loglik, [fam.poisson_loglik(t, x) for t in path.theta[:, 0]])
    np.testing.assert_allclose(res.history, path.loglik)
    assert np.isfinite(res.bic) and res.nobs == x.size
    table = path.table()
    assert table.count("\n") == res.nit + 1 and "loglik" in table


def _cauchy(x):
    def score(t):
        r = x - t
        return np.sum(2 * r / (1 + r**2))

    def hess(t):
        r = x - t
        return np.sum(2 * (r**2 - 1) / (1 + r**2) ** 2)

    def ll(t):
        return np.sum(stats.cauchy.logpdf(x, t))

    return score, hess, ll


def test_newton_quadratic_vs_scoring_linear_on_cauchy():
    x = stats.cauchy.rvs(loc=2.0, size=60, random_state=np.random.default_rng(14))
    score, hess, ll = _cauchy(x)
    t0 = float(np.median(x))
    nr = newton_raphson(score, hess, t0, loglik=ll, nobs=x.size)
    fs = fisher_scoring(score, lambda t: x.size / 2.0, t0, loglik=ll, nobs=x.size)
    ref = optimize.minimize_scalar(lambda t: -ll(t), bracket=(t0 - 1, t0, t0 + 1), tol=1e-12).x
    assert nr.params[0] == pytest.approx(ref, abs=1e-6)
    assert fs.params[0] == pytest.approx(nr.params[0], abs=1e-8)
    assert nr.nit < fs.nit
    # quadratic convergence: e_{t+1} / e_t^2 bounded while e_t -> 0
    e = nr.extra["path"].error[:-1]
    e = e[e > 1e-9]
    assert np.all(e[1:] <= 5.0 * e[:-1] ** 2 + 1e-12)
    # scoring converges linearly at rate |1 - J(theta_hat) / I(theta_hat)|
    e_fs = fs.extra["path"].error[:-1]
    ratios = e_fs[1:] / e_fs[:-1]
    rate = abs(1 - (-hess(nr.params[0])) / (x.size / 2.0))
    mid = ratios[2:5]
    np.testing.assert_allclose(mid, rate, rtol=0.1)
    # covariances: observed vs expected information
    assert nr.se[0] == pytest.approx(1 / np.sqrt(-hess(nr.params[0])), rel=1e-8)
    assert fs.se[0] == pytest.approx(np.sqrt(2 / x.size), rel=1e-12)


def test_newton_from_bad_start_warns_and_halving_reports_why():
    x = stats.cauchy.rvs(loc=2.0, size=60, random_state=np.random.default_rng(14))
    score, hess, ll = _cauchy(x)
    with pytest.warns(ConvergenceWarning):
        res = newton_raphson(score, hess, float(np.median(x)) + 10, loglik=ll)
    assert not res.converged and np.all(np.isnan(res.se))
    with pytest.warns(ConvergenceWarning, match="not positive definite"):
        res = newton_raphson(score, hess, float(np.median(x)) + 10, loglik=ll, step_halving=True)
    # scoring with halving gets there from the same start
    fs = fisher_scoring(score, lambda t: x.size / 2.0, float(np.median(x)) + 10, loglik=ll, step_halving=True)
    assert fs.converged


def test_newton_leaving_parameter_space(poisson_x):
    # for the Poisson, lam_{t+1} = lam_t (2 - lam_t / xbar): a start above 2 xbar jumps below 0
    x = poisson_x
    with pytest.warns(ConvergenceWarning, match="left the parameter space"):
        res = newton_raphson(
            fam.poisson_score, fam.poisson_hessian, 3 * x.mean(), args=(x,), loglik=fam.poisson_loglik
        )
    assert not res.converged and res.extra["path"].theta[-1, 0] == pytest.approx(3 * x.mean())
    res = newton_raphson(
        fam.poisson_score,
        fam.poisson_hessian,
        3 * x.mean(),
        args=(x,),
        loglik=fam.poisson_loglik,
        step_halving=True,
    )
    assert res.converged and res.params[0] == pytest.approx(x.mean(), rel=1e-12)
    assert np.all(np.diff(res.history) >= 0)


def test_fisher_scoring_normal_two_parameters(normal_x):
    x = normal_x
    res = fisher_scoring(
        lambda t: fam.normal_score(t[0], t[1], x),
        lambda t: x.size * fam.normal_fisher(t[0], t[1]),
        [0.0, 1.0],
        loglik=lambda t: fam.normal_loglik(t[0], t[1], x),
        param_names=("mu", "sigma2"),
        nobs=x.size,
    )
    mu, s2 = fam.normal_mle(x)
    np.testing.assert_allclose(res.params, [mu, s2], rtol=1e-10)
    assert res.cov_type == "expected" and res.param_names == ("mu", "sigma2")
    assert "theta[1]" in res.extra["path"].to_dict()


def test_iteration_bad_input():
    with pytest.raises(ValueError, match="step_halving=True needs loglik"):
        newton_raphson(lambda t: -t, lambda t: -1.0, 1.0, step_halving=True)
    with pytest.raises(ValueError, match="tol"):
        newton_raphson(lambda t: -t, lambda t: -1.0, 1.0, tol=0)
    with pytest.raises(ValueError, match="nobs"):
        newton_raphson(lambda t: -t, lambda t: -1.0, 1.0, nobs=0)
    with pytest.warns(ConvergenceWarning, match="singular"):
        res = newton_raphson(lambda t: 1.0, lambda t: 0.0, 1.0)
    assert not res.converged
