"""Tests for mlecourse.glm against statsmodels, scikit-learn and closed-form facts."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import statsmodels.api as sm
from sklearn.linear_model import LogisticRegression

from mlecourse.glm import (
    check_separation,
    fit_logistic,
    log_sigmoid,
    logistic_gradient,
    logistic_hessian,
    logistic_loglik,
    logistic_loglik_obs,
    logistic_score_obs,
    sigmoid,
)
from mlecourse.results import (
    ConvergenceWarning,
    MLEResult,
    PerfectSeparationError,
    PerfectSeparationWarning,
)

# Spector & Mazzeo (1980), as printed in Greene's Econometric Analysis and statsmodels' docs.
PUBLISHED_PARAMS = np.array([-13.021, 2.826, 0.095, 2.379])
PUBLISHED_SE = np.array([4.931, 1.263, 0.142, 1.065])
PUBLISHED_LOGLIK = -12.890


@pytest.fixture(scope="module")
def spector():
    data = sm.datasets.spector.load_pandas()
    X = sm.add_constant(data.exog, prepend=True)
    return X, data.endog


@pytest.fixture(scope="module")
def spector_sm(spector):
    X, y = spector
    return sm.Logit(y, X).fit(disp=0, tol=1e-12)


@pytest.fixture(scope="module")
def spector_std(spector):
    """Spector with standardised regressors: well conditioned, so gradient ascent is practical."""
    X, y = spector
    Z = X.to_numpy()[:, 1:]
    Z = (Z - Z.mean(axis=0)) / Z.std(axis=0)
    return np.column_stack([np.ones(len(y)), Z]), y.to_numpy()


def _simulated(n, k, seed, scale=0.5):
    rng = np.random.default_rng(seed)
    X = np.column_stack([np.ones(n), rng.standard_normal((n, k - 1))])
    beta = rng.normal(0.0, scale, k)
    y = (rng.random(n) < sigmoid(X @ beta)).astype(float)
    return X, y, beta


# ---------------------------------------------------------------------------- building blocks
def test_log_sigmoid_is_stable_where_log_of_sigmoid_underflows():
    t = np.array([-1000.0, -40.0, 0.0, 40.0, 1000.0])
    out = log_sigmoid(t)
    assert np.all(np.isfinite(out))
    assert out[0] == pytest.approx(-1000.0)
    assert out[2] == pytest.approx(np.log(0.5))
    assert out[-1] == pytest.approx(0.0, abs=1e-300)
    with np.errstate(divide="ignore"):
        assert np.log(sigmoid(-1000.0)) == -np.inf  # the naive formula fails here


def test_loglik_gradient_hessian_match_statsmodels(spector):
    X, y = spector
    rng = np.random.default_rng(0)
    model = sm.Logit(y, X)
    for _ in range(3):
        beta = rng.normal(0.0, 0.5, X.shape[1])
        # statsmodels evaluates log(cdf) and loses relative accuracy for tiny terms: atol.
        np.testing.assert_allclose(
            logistic_loglik_obs(beta, X, y), model.loglikeobs(beta), rtol=1e-12, atol=1e-14
        )
        assert logistic_loglik(beta, X, y) == pytest.approx(model.loglike(beta), rel=1e-12)
        np.testing.assert_allclose(logistic_gradient(beta, X, y), model.score(beta), rtol=1e-10)
        np.testing.assert_allclose(logistic_score_obs(beta, X, y), model.score_obs(beta), rtol=1e-10)
        np.testing.assert_allclose(logistic_hessian(beta, X), model.hessian(beta), rtol=1e-10)


def test_loglik_obs_finite_for_huge_margins():
    X = np.array([[1.0, 50.0], [1.0, -50.0]])
    y = np.array([0.0, 1.0])  # both badly misclassified by beta = (0, 20)
    out = logistic_loglik_obs([0.0, 20.0], X, y)
    np.testing.assert_allclose(out, [-1000.0, -1000.0])


# ---------------------------------------------------------------------------- Spector & Mazzeo
def test_spector_reproduces_published_table(spector):
    X, y = spector
    res = fit_logistic(X, y)
    assert isinstance(res, MLEResult)
    assert res.converged and res.nit <= 8
    assert res.param_names == ("const", "GPA", "TUCE", "PSI")
    # To the printed precision (3 decimals): the rounding error is at most 0.0005.
    np.testing.assert_array_less(np.abs(res.params - PUBLISHED_PARAMS), 0.0005 + 1e-12)
    np.testing.assert_array_less(np.abs(res.se - PUBLISHED_SE), 0.0005 + 1e-12)
    assert abs(res.loglik - PUBLISHED_LOGLIK) <= 0.0005
    assert res.nobs == 32


def test_spector_matches_statsmodels(spector, spector_sm):
    X, y = spector
    res = fit_logistic(X, y)
    np.testing.assert_allclose(res.params, spector_sm.params.to_numpy(), rtol=1e-6)
    np.testing.assert_allclose(res.se, spector_sm.bse.to_numpy(), rtol=1e-6)
    np.testing.assert_allclose(res.cov, spector_sm.cov_params().to_numpy(), rtol=1e-6)
    assert res.loglik == pytest.approx(spector_sm.llf, rel=1e-6)
    assert res.aic == pytest.approx(spector_sm.aic, rel=1e-6)
    assert res.bic == pytest.approx(spector_sm.bic, rel=1e-6)
    np.testing.assert_allclose(res.conf_int(), spector_sm.conf_int().to_numpy(), rtol=1e-6)
    # The gradient at the estimate is (numerically) zero.
    assert np.max(np.abs(res.extra["gradient"])) < 1e-8


def test_spector_sandwich_equals_statsmodels_hc0(spector):
    X, y = spector
    res = fit_logistic(X, y, cov_type="sandwich")
    ref = sm.Logit(y, X).fit(disp=0, cov_type="HC0")
    np.testing.assert_allclose(res.se, ref.bse.to_numpy(), rtol=1e-6)
    np.testing.assert_allclose(res.cov, ref.cov_params().to_numpy(), rtol=1e-6)
    assert res.cov_type == "sandwich"


def test_expected_equals_observed_and_opg_is_inverse_outer_product(spector, spector_sm):
    X, y = spector
    obs = fit_logistic(X, y, cov_type="observed")
    exp = fit_logistic(X, y, cov_type="expected")
    np.testing.assert_allclose(exp.cov, obs.cov, rtol=1e-12)
    opg = fit_logistic(X, y, cov_type="opg")
    S = sm.Logit(y, X).score_obs(spector_sm.params.to_numpy())
    np.testing.assert_allclose(opg.cov, np.linalg.solve(S.T @ S, np.eye(4)), rtol=1e-5)


def test_newton_history_is_non_decreasing_and_starts_at_zero(spector):
    X, y = spector
    res = fit_logistic(X, y)
    assert res.history.shape == (res.nit + 1,)
    assert res.history[0] == pytest.approx(32 * np.log(0.5))  # beta = 0: every p = 1/2
    assert np.all(np.diff(res.history) >= 0.0)
    assert res.history[-1] == pytest.approx(res.loglik)
    assert res.extra["path"].shape == (res.nit + 1, 4)
    np.testing.assert_array_equal(res.extra["path"][-1], res.params)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_newton_history_non_decreasing_on_simulated_data(seed):
    X, y, _ = _simulated(500, 6, seed, scale=1.5)
    res = fit_logistic(X, y)
    assert res.converged
    assert np.all(np.diff(res.history) >= -1e-12 * np.abs(res.history[1:]))


def test_gradient_ascent_reaches_same_estimate_with_many_more_iterations(spector_std):
    X, y = spector_std
    newton = fit_logistic(X, y)
    grad = fit_logistic(X, y, method="gradient", tol=1e-8)
    assert grad.converged
    np.testing.assert_allclose(grad.params, newton.params, atol=1e-5)
    assert grad.loglik == pytest.approx(newton.loglik, abs=1e-8)
    assert newton.nit < 10
    assert grad.nit > 5 * newton.nit
    # With the default step 1/L (L a Lipschitz constant of the gradient) ascent is monotone.
    assert np.all(np.diff(grad.history) >= -1e-12 * np.abs(grad.history[1:]))
    assert grad.method.startswith("logistic regression (gradient")


def test_gradient_ascent_is_hopeless_on_ill_conditioned_raw_data(spector):
    X, y = spector
    with pytest.warns(ConvergenceWarning, match="did not converge"):
        res = fit_logistic(X, y, method="gradient", max_iter=2000)
    assert not res.converged and res.nit == 2000


def test_too_few_newton_iterations_warns(spector):
    X, y = spector
    with pytest.warns(ConvergenceWarning):
        res = fit_logistic(X, y, max_iter=2)
    assert not res.converged and res.nit == 2


def test_large_simulated_problem_matches_statsmodels_to_1e8():
    X, y, _ = _simulated(20_000, 8, seed=11, scale=0.3)
    res = fit_logistic(X, y)
    ref = sm.Logit(y, X).fit(disp=0, tol=1e-12)
    np.testing.assert_allclose(res.params, ref.params, rtol=0, atol=1e-8)
    np.testing.assert_allclose(res.se, ref.bse, rtol=1e-8)
    assert res.loglik == pytest.approx(ref.llf, rel=1e-12)


def test_default_names_and_custom_names():
    X, y, _ = _simulated(200, 3, seed=5)
    assert fit_logistic(X, y).param_names == ("x0", "x1", "x2")
    assert fit_logistic(X, y, param_names=["a", "b", "c"]).param_names == ("a", "b", "c")
    with pytest.raises(ValueError, match="param_names"):
        fit_logistic(X, y, param_names=["a"])


def test_repr_and_summary(spector):
    X, y = spector
    text = repr(fit_logistic(X, y))
    assert "GPA" in text and "converged" in text


# ---------------------------------------------------------------------------- separation
def _thresholded(seed=3, n=200):
    """The popular example: labels from thresholding sigma(X w) at 0.5, i.e. y = [X w > 0]."""
    rng = np.random.default_rng(seed)
    X = np.column_stack([np.ones(n), rng.standard_normal((n, 2))])
    w = np.array([0.5, 2.0, -1.0])
    y = (sigmoid(X @ w) > 0.5).astype(float)
    return X, y, w


@pytest.mark.parametrize("method", ["newton", "gradient"])
def test_thresholded_labels_raise_perfect_separation(method):
    X, y, w = _thresholded()
    assert check_separation(X, y) == "complete"
    kwargs = {"max_iter": 300} if method == "gradient" else {}
    with pytest.raises(PerfectSeparationError, match="does not exist") as info:
        fit_logistic(X, y, method=method, **kwargs)
    res = info.value.result
    assert isinstance(res, MLEResult) and not res.converged
    norms = np.linalg.norm(res.extra["path"], axis=1)
    assert np.all(np.diff(norms) > 0)  # the weights grow without bound
    assert np.all(np.diff(res.history) >= 0)  # the log-likelihood creeps up towards 0
    assert res.extra["separation"] == "complete"
    if method == "newton":
        assert res.history[-1] > -1e-5
        # The final iterate separates the data: every fitted probability within 1e-8 of its label.
        p = sigmoid(X @ res.params)
        assert np.max(np.abs(p - y)) < 1e-8
        # ... and points (up to scale) in the direction of the true separating rule.
        cos = res.params @ w / (np.linalg.norm(res.params) * np.linalg.norm(w))
        assert cos > 0.95


def test_separation_by_one_regressor_raises():
    x = np.array([-3.0, -2.0, -1.5, -0.5, 0.5, 1.0, 2.0, 3.5])
    y = (x > 0).astype(float)
    X = np.column_stack([np.ones_like(x), x])
    with pytest.raises(PerfectSeparationError) as info:
        fit_logistic(X, y)
    assert info.value.result.extra["path"].shape[0] > 5


def test_quasi_complete_separation_warns():
    x = np.r_[np.linspace(-3, -0.1, 20), 0.0, 0.0, 0.0, 0.0, np.linspace(0.1, 3, 20)]
    y = np.r_[np.zeros(20), [0.0, 1.0, 0.0, 1.0], np.ones(20)]
    X = np.column_stack([np.ones_like(x), x])
    assert check_separation(X, y) == "quasi-complete"
    with pytest.warns(PerfectSeparationWarning, match="quasi-completely separated"):
        res = fit_logistic(X, y)
    assert not res.converged
    assert res.extra["separation"] == "quasi-complete"
    assert abs(res.params[1]) > 50  # the slope diverges ...
    assert abs(res.params[0]) < 1e-6  # ... while the intercept settles at logit(2/4) = 0


def test_no_separation_on_real_data(spector):
    X, y = spector
    assert check_separation(X, y) == "none"


def test_ridge_on_separated_data_has_a_finite_map():
    X, y, _ = _thresholded()
    res = fit_logistic(X, y, l2=1.0)
    assert res.converged and np.all(np.isfinite(res.se))


# ---------------------------------------------------------------------------- ridge / MAP
def test_ridge_matches_sklearn_with_unpenalised_intercept(spector_std):
    X, y = spector_std
    for lam in [0.1, 1.0, 10.0]:
        ours = fit_logistic(X, y, l2=lam)
        ref = LogisticRegression(C=1.0 / lam, solver="newton-cholesky", tol=1e-12, max_iter=1000)
        ref.fit(X[:, 1:], y)
        np.testing.assert_allclose(ours.params[0], ref.intercept_[0], atol=1e-7)
        np.testing.assert_allclose(ours.params[1:], ref.coef_[0], atol=1e-7)
        assert ours.extra["l2"].tolist() == [0.0, lam, lam, lam]


def test_ridge_limits(spector):
    X, y = spector
    mle = fit_logistic(X, y)
    tiny = fit_logistic(X, y, l2=1e-10)
    np.testing.assert_allclose(tiny.params, mle.params, rtol=1e-6)
    huge = fit_logistic(X, y, l2=1e8)
    assert np.max(np.abs(huge.params[1:])) < 1e-4
    # Slopes ~ 0 leave the intercept-only MLE: logit of the sample mean.
    ybar = float(np.mean(y))
    assert huge.params[0] == pytest.approx(np.log(ybar / (1 - ybar)), abs=1e-3)


def test_ridge_penalty_norm_decreases_along_lambda_path(spector_std):
    X, y = spector_std
    norms = [np.linalg.norm(fit_logistic(X, y, l2=lam).params[1:]) for lam in np.logspace(-3, 3, 13)]
    assert np.all(np.diff(norms) < 0)


def test_ridge_penalize_intercept_and_vector_penalty_agree(spector_std):
    X, y = spector_std
    a = fit_logistic(X, y, l2=2.0, penalize_intercept=True)
    b = fit_logistic(X, y, l2=np.full(4, 2.0))
    np.testing.assert_allclose(a.params, b.params, rtol=1e-12)
    c = fit_logistic(X, y, l2=[0.0, 2.0, 2.0, 2.0])
    d = fit_logistic(X, y, l2=2.0)
    np.testing.assert_allclose(c.params, d.params, rtol=1e-12)
    assert not np.allclose(a.params, d.params)


def test_ridge_covariance_is_inverse_penalised_information(spector_std):
    X, y = spector_std
    lam = 3.0
    res = fit_logistic(X, y, l2=lam)
    H = -logistic_hessian(res.params, X) + np.diag([0.0, lam, lam, lam])
    np.testing.assert_allclose(res.cov, np.linalg.solve(H, np.eye(4)), rtol=1e-8)
    # loglik is the unpenalised log-likelihood; history tracks the penalised objective.
    assert res.loglik == pytest.approx(logistic_loglik(res.params, X, y), rel=1e-12)
    pen = res.loglik - 0.5 * lam * np.sum(res.params[1:] ** 2)
    assert res.history[-1] == pytest.approx(pen, rel=1e-12)
    assert res.extra["penalized_loglik"] == pytest.approx(pen, rel=1e-12)


# ---------------------------------------------------------------------------- bad input
def test_bad_input_raises():
    X, y, _ = _simulated(50, 3, seed=2)
    with pytest.raises(ValueError, match="0s and 1s"):
        fit_logistic(X, y + 0.5)
    with pytest.raises(ValueError, match="disagree"):
        fit_logistic(X, y[:-1])
    Xn = X.copy()
    Xn[0, 1] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        fit_logistic(Xn, y)
    with pytest.raises(ValueError, match="method"):
        fit_logistic(X, y, method="bfgs")
    with pytest.raises(ValueError, match="cov_type"):
        fit_logistic(X, y, cov_type="robust")
    with pytest.raises(ValueError, match="linearly dependent"):
        fit_logistic(np.column_stack([X, X[:, 1]]), y)
    with pytest.raises(ValueError, match="l2"):
        fit_logistic(X, y, l2=-1.0)
    with pytest.raises(ValueError, match="l2"):
        fit_logistic(X, y, l2=[1.0, 2.0])
    with pytest.raises(ValueError, match="step_size"):
        fit_logistic(X, y, method="gradient", step_size=-0.1)
    with pytest.raises(ValueError, match="beta"):
        logistic_loglik_obs([0.0, 1.0], X, y)
    with pytest.raises(ValueError, match="more columns"):
        fit_logistic(X[:2], y[:2])
    with pytest.raises(TypeError):
        fit_logistic(X, y, max_iter=2.5)


def test_no_stray_warnings_on_a_regular_fit(spector):
    X, y = spector
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fit_logistic(X, y)
