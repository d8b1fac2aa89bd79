"""Tests for mlecourse.mixture against scikit-learn and scipy.stats."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from scipy import stats
from sklearn.exceptions import ConvergenceWarning as SklearnConvergenceWarning
from sklearn.mixture import GaussianMixture

from mlecourse.mixture import (
    DegenerateComponentError,
    GMMResult,
    fit_gmm,
    gmm_component_logpdf,
    gmm_e_step,
    gmm_log_density,
    gmm_loglik,
    gmm_logpdf,
    gmm_m_step,
    gmm_n_params,
)
from mlecourse.results import ConvergenceWarning


def _data(d: int, seed: int, n: int = 600) -> np.ndarray:
    """Three well-separated-ish Gaussian clusters in d dimensions (d = 1 returns shape (n,))."""
    rng = np.random.default_rng(seed)
    sizes = [n // 2, n // 3, n - n // 2 - n // 3]
    centres = rng.normal(0.0, 3.0, (3, d))
    parts = []
    for size, centre in zip(sizes, centres, strict=True):
        A = rng.normal(0.0, 0.6, (d, d)) + np.eye(d)
        parts.append(centre + rng.standard_normal((size, d)) @ A.T)
    x = rng.permutation(np.concatenate(parts))
    return x[:, 0] if d == 1 else x


def _start(x: np.ndarray, k: int, seed: int):
    """k random observations as means, the sample covariance for every component, equal weights."""
    X = x[:, None] if x.ndim == 1 else x
    rng = np.random.default_rng(seed)
    means = X[rng.choice(X.shape[0], k, replace=False)]
    cov = np.atleast_2d(np.cov(X, rowvar=False, bias=True))
    return np.full(k, 1.0 / k), means, np.repeat(cov[None], k, axis=0)


def _sklearn(x, w0, m0, c0, max_iter):
    X = x[:, None] if x.ndim == 1 else x
    d = X.shape[1]
    precisions = np.linalg.solve(c0, np.broadcast_to(np.eye(d), c0.shape))
    gm = GaussianMixture(
        n_components=len(w0), covariance_type="full", reg_covar=0.0, tol=0.0,
        max_iter=max_iter, weights_init=w0, means_init=m0, precisions_init=precisions,
        init_params="random_from_data", random_state=0,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SklearnConvergenceWarning)
        gm.fit(X)
    return gm, X


# ---------------------------------------------------------------------------- vs scikit-learn
@pytest.mark.parametrize(
    ("d", "seed", "max_iter"), [(1, 0, 1), (1, 1, 25), (2, 2, 5), (2, 3, 40), (3, 4, 15)]
)
def test_em_matches_sklearn_after_same_number_of_iterations(d, seed, max_iter):
    x = _data(d, seed)
    w0, m0, c0 = _start(x, 3, seed + 100)
    with pytest.warns(ConvergenceWarning):  # tol = 0: never "converged"
        ours = fit_gmm(x, 3, weights=w0, means=m0, covariances=c0, max_iter=max_iter, tol=0.0)
    gm, X = _sklearn(x, w0, m0, c0, max_iter)
    assert ours.nit == gm.n_iter_ == max_iter
    np.testing.assert_allclose(ours.weights, gm.weights_, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(ours.means, gm.means_, rtol=1e-9, atol=1e-10)
    np.testing.assert_allclose(ours.covariances, gm.covariances_, rtol=1e-9, atol=1e-10)
    n = X.shape[0]
    # Like with like: our loglik is at the returned parameters, as is sklearn's score(X) * n ...
    assert ours.loglik == pytest.approx(gm.score(X) * n, rel=1e-8)
    # ... while sklearn's lower_bound_ is the mean log-likelihood BEFORE its last M-step.
    assert ours.loglik_path[-2] == pytest.approx(gm.lower_bound_ * n, rel=1e-8)
    # sklearn's lower_bounds_ are l(theta_0), ..., l(theta_{m-1}) (per observation).
    np.testing.assert_allclose(ours.loglik_path[:-1], np.asarray(gm.lower_bounds_) * n, rtol=1e-8)
    # BIC/AIC use the same parameter count as sklearn.
    assert ours.bic == pytest.approx(gm.bic(X), rel=1e-8)
    assert ours.aic == pytest.approx(gm.aic(X), rel=1e-8)


def test_e_step_matches_sklearn_responsibilities():
    x = _data(2, 7)
    w0, m0, c0 = _start(x, 3, 8)
    gm, X = _sklearn(x, w0, m0, c0, 10)
    log_resp, ll = gmm_e_step(X, gm.weights_, gm.means_, gm.covariances_)
    np.testing.assert_allclose(np.exp(log_resp), gm.predict_proba(X), atol=1e-12)
    assert ll == pytest.approx(gm.score(X) * X.shape[0], rel=1e-12)


# ---------------------------------------------------------------------------- monotonicity
@pytest.mark.parametrize(("d", "seed"), [(1, 10), (1, 11), (2, 12), (2, 13), (3, 14)])
def test_loglik_path_never_decreases(d, seed):
    x = _data(d, seed, n=400)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # slow 1-D fits: still an ascent
        res = fit_gmm(x, 3, max_iter=500, tol=1e-10, seed=seed)
    path = res.loglik_path
    assert path.shape == (res.nit + 1,)
    # EM is an ascent method; allow only floating-point rounding of the n-term sum.
    assert np.all(np.diff(path) >= -1e-11 * np.abs(path[1:])), np.diff(path).min()
    assert path[-1] > path[0]


def test_loglik_is_at_the_returned_parameters():
    x = _data(2, 21)
    res = fit_gmm(x, 3, seed=1)
    assert res.loglik == res.loglik_path[-1]
    assert res.loglik == pytest.approx(gmm_loglik(x, res.weights, res.means, res.covariances), rel=1e-13)


def test_converged_fit_meets_tolerance_without_warning():
    x = _data(2, 22)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = fit_gmm(x, 3, tol=1e-8, seed=2)
    assert res.converged and res.success
    n = x.shape[0]
    assert abs(res.loglik_path[-1] - res.loglik_path[-2]) / n < 1e-8
    assert np.all(np.abs(np.diff(res.loglik_path[:-1])) / n >= 1e-8)  # did not stop earlier


def test_tol_zero_runs_exactly_max_iter():
    x = _data(1, 23)
    w0, m0, c0 = _start(x, 2, 0)
    with pytest.warns(ConvergenceWarning, match="did not converge"):
        res = fit_gmm(x, 2, weights=w0, means=m0, covariances=c0, max_iter=17, tol=0.0)
    assert res.nit == 17 and res.loglik_path.shape == (18,) and not res.converged


def test_max_iter_zero_evaluates_the_start():
    x = _data(2, 24)
    w0, m0, c0 = _start(x, 3, 1)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = fit_gmm(x, 3, weights=w0, means=m0, covariances=c0, max_iter=0)
    assert res.nit == 0
    assert res.loglik == pytest.approx(gmm_loglik(x, w0, m0, c0), rel=1e-14)
    np.testing.assert_array_equal(res.means, m0)


# ---------------------------------------------------------------------------- densities
def test_gmm_loglik_equals_direct_scipy_sum_2d():
    x = _data(2, 30)
    rng = np.random.default_rng(31)
    w = np.array([0.2, 0.5, 0.3])
    means = rng.normal(0.0, 2.0, (3, 2))
    covs = np.array([[[1.0, 0.3], [0.3, 0.5]], [[2.0, -0.8], [-0.8, 1.0]], [[0.3, 0.0], [0.0, 0.3]]])
    dens = sum(wj * stats.multivariate_normal(m, c).pdf(x) for wj, m, c in zip(w, means, covs, strict=True))
    assert gmm_loglik(x, w, means, covs) == pytest.approx(np.sum(np.log(dens)), rel=1e-12)
    np.testing.assert_allclose(gmm_logpdf(x, w, means, covs), np.log(dens), rtol=1e-12)
    comp = gmm_component_logpdf(x, means, covs)
    for j in range(3):
        ref = stats.multivariate_normal(means[j], covs[j]).logpdf(x)
        np.testing.assert_allclose(comp[:, j], ref, rtol=1e-12)
    assert gmm_log_density is gmm_logpdf


def test_gmm_loglik_1d_accepts_vector_parameters():
    x = _data(1, 32)
    w = np.array([0.6, 0.4])
    mu = np.array([-1.0, 2.0])
    var = np.array([0.5, 2.0])
    sd = np.sqrt(var)
    direct = np.log(w[0] * stats.norm.pdf(x, mu[0], sd[0]) + w[1] * stats.norm.pdf(x, mu[1], sd[1]))
    assert gmm_loglik(x, w, mu, var) == pytest.approx(direct.sum(), rel=1e-12)
    assert gmm_loglik(x, w, mu[:, None], var[:, None, None]) == pytest.approx(direct.sum(), rel=1e-12)


def test_loglik_grows_without_bound_as_a_component_collapses_on_a_point():
    x = _data(1, 33, n=50)
    # Once the narrow component no longer reaches the other points, l = const - log(s2) / 2.
    variances = 10.0 ** -np.arange(30, 301, 20)
    values = np.array([gmm_loglik(x, [0.5, 0.5], [0.0, x[0]], [1.0, s2]) for s2 in variances])
    assert np.all(np.isfinite(values))
    np.testing.assert_allclose(np.diff(values), 10 * np.log(10.0), rtol=1e-9)
    with pytest.raises(DegenerateComponentError, match="not positive definite"):
        gmm_loglik(x, [0.5, 0.5], [0.0, x[0]], [1.0, 0.0])


def test_far_points_have_finite_log_density():
    # Each point is far from one component: per-component densities underflow, logsumexp does not.
    x = np.array([[-60.0, 0.0], [60.0, 0.0]])
    out = gmm_logpdf(x, [0.5, 0.5], [[-60.0, 0.0], [60.0, 0.0]], np.array([np.eye(2)] * 2))
    np.testing.assert_allclose(out, np.log(0.5) - np.log(2 * np.pi))


# ---------------------------------------------------------------------------- the steps
def test_e_step_responsibilities_sum_to_one_and_match_bayes_rule():
    x = _data(2, 40)
    w = np.array([0.3, 0.7])
    means = np.array([[0.0, 0.0], [1.0, 1.0]])
    covs = np.array([np.eye(2), 2 * np.eye(2)])
    log_resp, ll = gmm_e_step(x, w, means, covs)
    resp = np.exp(log_resp)
    np.testing.assert_allclose(resp.sum(axis=1), 1.0, rtol=1e-13)
    joint = np.column_stack([w[j] * stats.multivariate_normal(means[j], covs[j]).pdf(x) for j in range(2)])
    np.testing.assert_allclose(resp, joint / joint.sum(axis=1, keepdims=True), rtol=1e-10)
    assert ll == pytest.approx(np.log(joint.sum(axis=1)).sum(), rel=1e-12)


def test_m_step_with_hard_assignments_gives_cluster_statistics():
    x = _data(2, 41)
    labels = np.arange(x.shape[0]) % 3
    resp = np.eye(3)[labels]
    w, means, covs = gmm_m_step(x, resp)
    for j in range(3):
        xj = x[labels == j]
        assert w[j] == pytest.approx(len(xj) / len(x))
        np.testing.assert_allclose(means[j], xj.mean(axis=0), rtol=1e-12)
        np.testing.assert_allclose(covs[j], np.cov(xj, rowvar=False, bias=True), rtol=1e-10)
    _, _, covs_reg = gmm_m_step(x, resp, reg_covar=0.1)
    np.testing.assert_allclose(covs_reg - covs, np.array([0.1 * np.eye(2)] * 3), atol=1e-12)


def test_one_em_iteration_by_hand_equals_fit_gmm():
    x = _data(2, 42)
    w0, m0, c0 = _start(x, 3, 5)
    log_resp, ll0 = gmm_e_step(x, w0, m0, c0)
    w1, m1, c1 = gmm_m_step(x, np.exp(log_resp))
    with pytest.warns(ConvergenceWarning):
        res = fit_gmm(x, 3, weights=w0, means=m0, covariances=c0, max_iter=1, tol=0.0)
    np.testing.assert_allclose(res.means, m1, rtol=1e-12)
    np.testing.assert_allclose(res.covariances, c1, rtol=1e-12)
    assert res.loglik_path[0] == pytest.approx(ll0, rel=1e-14)
    assert res.loglik == pytest.approx(gmm_loglik(x, w1, m1, c1), rel=1e-14)


# ---------------------------------------------------------------------------- starts, result
def test_random_starts_are_reproducible_and_the_best_is_kept():
    x = _data(2, 50)
    a = fit_gmm(x, 3, n_init=4, seed=123)
    b = fit_gmm(x, 3, n_init=4, seed=123)
    np.testing.assert_array_equal(a.means, b.means)
    logliks = a.extra["init_logliks"]
    assert logliks.shape == (4,)
    assert a.loglik == pytest.approx(np.nanmax(logliks))
    assert a.extra["best_init"] == int(np.nanargmax(logliks))


def test_given_start_is_the_first_of_several():
    x = _data(2, 51)
    w0, m0, c0 = _start(x, 3, 9)
    single = fit_gmm(x, 3, weights=w0, means=m0, covariances=c0)
    multi = fit_gmm(x, 3, weights=w0, means=m0, covariances=c0, n_init=3, seed=0)
    assert multi.extra["init_logliks"][0] == pytest.approx(single.loglik, rel=1e-14)
    assert multi.loglik >= single.loglik


def test_result_fields_shapes_and_repr():
    x = _data(1, 52)
    res = fit_gmm(x, 2, seed=0)
    assert isinstance(res, GMMResult)
    assert res.means.shape == (2, 1) and res.covariances.shape == (2, 1, 1)
    assert res.weights.sum() == pytest.approx(1.0)
    assert res.nobs == x.size and res.n_components == 2 and res.n_features == 1
    assert res.n_params == gmm_n_params(2, 1) == 5
    assert res.bic == pytest.approx(5 * np.log(x.size) - 2 * res.loglik)
    assert res.aic == pytest.approx(10 - 2 * res.loglik)
    np.testing.assert_allclose(res.responsibilities(x).sum(axis=1), 1.0)
    text = repr(res)
    assert "GMMResult" in text and "converged" in text and "variance" in text
    assert "covariance" in repr(fit_gmm(_data(2, 53), 2, seed=0))
    assert gmm_n_params(3, 2) == 17


def test_reg_covar_is_added():
    x = _data(2, 54)
    res = fit_gmm(x, 2, seed=0, reg_covar=1e-3)
    assert res.reg_covar == 1e-3
    assert np.all(np.linalg.eigvalsh(res.covariances) > 1e-3 - 1e-12)


# ---------------------------------------------------------------------------- degenerate / bad
def test_collapse_during_em_raises_clearly_with_the_path():
    x = _data(1, 60, n=50)
    with pytest.raises(DegenerateComponentError, match="reg_covar") as info:
        fit_gmm(x, 2, weights=[0.5, 0.5], means=[0.0, x[0]], covariances=[1.0, 1e-8])
    assert isinstance(info.value, ValueError)
    partial = info.value.result
    assert isinstance(partial, GMMResult) and not partial.converged
    assert np.all(np.isfinite(partial.loglik_path))


def test_reg_covar_prevents_the_collapse():
    x = _data(1, 60, n=50)
    res = fit_gmm(x, 2, weights=[0.5, 0.5], means=[0.0, x[0]], covariances=[1.0, 1e-8], reg_covar=1e-3)
    assert np.all(np.isfinite(res.covariances)) and res.covariances.min() >= 1e-3


def test_bad_input_raises_value_error():
    x = _data(2, 70, n=30)
    w0, m0, c0 = _start(x, 3, 0)
    with pytest.raises(ValueError, match="exceeds"):
        fit_gmm(x[:2], 3)
    bad = x.copy()
    bad[3, 1] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        fit_gmm(bad, 2)
    with pytest.raises(ValueError, match="NaN"):
        gmm_loglik(bad, w0, m0, c0)
    with pytest.raises(ValueError, match="means"):
        fit_gmm(x, 3, means=m0[:, :1])
    with pytest.raises(ValueError, match="means"):
        fit_gmm(x, 2, means=m0)
    with pytest.raises(ValueError, match="covariances"):
        fit_gmm(x, 3, means=m0, covariances=c0[:, :1, :1])
    with pytest.raises(ValueError, match="sum to 1"):
        fit_gmm(x, 3, weights=[0.5, 0.5, 0.5], means=m0)
    with pytest.raises(ValueError, match=">= 0"):
        gmm_loglik(x, [1.5, -0.5, 0.0], m0, c0)
    with pytest.raises(ValueError, match="symmetric"):
        gmm_loglik(x, w0, m0, c0 + np.array([[0.0, 0.1], [0.0, 0.0]]))
    with pytest.raises(ValueError, match="positive definite"):
        gmm_loglik(x, w0, m0, -c0)
    with pytest.raises(ValueError, match="give `means`"):
        fit_gmm(x, 3, weights=w0)
    with pytest.raises(ValueError, match="n_components"):
        fit_gmm(x, 0)
    with pytest.raises(TypeError, match="n_components"):
        fit_gmm(x, 2.0)
    with pytest.raises(ValueError, match="tol"):
        fit_gmm(x, 2, tol=-1.0)
    with pytest.raises(ValueError, match="reg_covar"):
        fit_gmm(x, 2, reg_covar=-1.0)
    with pytest.raises(ValueError, match="x must be a 2-D"):
        fit_gmm(np.zeros((3, 2, 2)), 2)
    with pytest.raises(ValueError, match="resp"):
        gmm_m_step(x, np.ones((x.shape[0], 2)))
    with pytest.raises(ValueError, match="resp"):
        gmm_m_step(x, np.ones((5, 2)) / 2)
    with pytest.raises(ValueError, match="singular"):
        fit_gmm(np.ones((10, 2)), 2, seed=0)


# ---------------------------------------------------------------------------- ELBO and MAP-EM
def _elbo_reference(x, q, w, means, variances):
    """ELBO and KL of a 1-D mixture from scipy.stats densities (independent of mlecourse)."""
    joint = np.column_stack(
        [w[j] * stats.norm(means[j], np.sqrt(variances[j])).pdf(x) for j in range(len(w))]
    )
    post = joint / joint.sum(axis=1, keepdims=True)
    from scipy.special import rel_entr, xlogy

    elbo = np.sum(xlogy(q, joint) - xlogy(q, q))
    kl = np.sum(rel_entr(q, post))
    return elbo, kl, np.log(joint.sum(axis=1)).sum()


def test_elbo_plus_kl_is_the_loglik_and_matches_scipy():
    from mlecourse.mixture import gmm_elbo

    x = _data(1, 80, n=200)
    w0, m0, v0 = np.array([0.5, 0.5]), np.array([-1.0, 0.5]), np.array([1.0, 2.0])
    w1, m1, v1 = np.array([0.3, 0.7]), np.array([-2.0, 1.5]), np.array([0.7, 1.4])
    log_q, _ = gmm_e_step(x, w0, m0, v0)  # the posterior at theta_0, used at theta_1
    bound = gmm_elbo(x, log_q, w1, m1, v1)
    elbo_ref, kl_ref, ll_ref = _elbo_reference(x, np.exp(log_q), w1, m1, v1)
    assert bound.elbo == pytest.approx(elbo_ref, rel=1e-11)
    assert bound.kl == pytest.approx(kl_ref, rel=1e-9)
    assert bound.loglik == pytest.approx(ll_ref, rel=1e-12)
    assert bound.loglik == pytest.approx(gmm_loglik(x, w1, m1, v1), rel=1e-14)
    assert bound.kl > 1.0
    assert abs(bound.loglik - bound.elbo - bound.kl) < 1e-10 * abs(bound.loglik)
    # at the posterior of the same theta the bound is tight
    tight = gmm_elbo(x, gmm_e_step(x, w1, m1, v1)[0], w1, m1, v1)
    assert abs(tight.kl) < 1e-12 * x.size
    assert tight.elbo == pytest.approx(tight.loglik, rel=1e-13)


def test_m_step_maximises_the_elbo_for_fixed_q():
    from mlecourse.mixture import gmm_elbo

    x = _data(2, 81, n=300)
    w0, m0, c0 = _start(x, 3, 4)
    log_q, ll0 = gmm_e_step(x, w0, m0, c0)
    w1, m1, c1 = gmm_m_step(x, np.exp(log_q))
    best = gmm_elbo(x, log_q, w1, m1, c1)
    assert best.elbo >= ll0  # the EM inequality
    rng = np.random.default_rng(82)
    for _ in range(50):
        w = w1 * np.exp(0.05 * rng.standard_normal(3))
        A = np.eye(2) + 0.05 * rng.standard_normal((3, 2, 2))
        c = A @ c1 @ A.transpose(0, 2, 1)
        m = m1 + 0.05 * rng.standard_normal(m1.shape)
        assert gmm_elbo(x, log_q, w / w.sum(), m, c).elbo < best.elbo


def test_elbo_with_hard_assignments_and_bad_log_q():
    from mlecourse.mixture import gmm_elbo

    x = _data(1, 83, n=50)
    labels = (x > np.median(x)).astype(int)
    with np.errstate(divide="ignore"):
        log_q = np.log(np.eye(2)[labels])  # zeros -> -inf
    w, m, v = np.array([0.5, 0.5]), np.array([x.min(), x.max()]), np.array([1.0, 1.0])
    bound = gmm_elbo(x, log_q, w, m, v)
    elbo_ref, kl_ref, _ = _elbo_reference(x, np.eye(2)[labels], w, m, v)
    assert np.isfinite(bound.elbo) and bound.elbo == pytest.approx(elbo_ref, rel=1e-12)
    assert bound.kl == pytest.approx(kl_ref, rel=1e-9)
    with pytest.raises(ValueError, match="log-probabilities"):
        gmm_elbo(x, np.eye(2)[labels], w, m, v)  # probabilities instead of logs
    with pytest.raises(ValueError, match="shape"):
        gmm_elbo(x, log_q[:, :1], w, m, v)
    with pytest.raises(ValueError, match="sum to 1"):
        gmm_elbo(x, np.full((50, 2), -0.1), w, m, v)


def test_map_m_step_is_the_posterior_mode_1d():
    from scipy import optimize

    from mlecourse.mixture import gmm_map_m_step

    x = _data(1, 84, n=60)
    w0, m0, c0 = _start(x, 2, 3)
    resp = np.exp(gmm_e_step(x, w0, m0, c0)[0])
    psi, nu = 0.8, 3.0
    w, m, c = gmm_map_m_step(x, resp, prior_scale=psi, prior_dof=nu)
    w_ml, m_ml, _ = gmm_m_step(x, resp)
    np.testing.assert_allclose(w, w_ml, rtol=1e-14)
    np.testing.assert_allclose(m, m_ml, rtol=1e-14)
    prior = stats.invgamma(nu / 2, scale=psi / 2)  # W^-1(psi, nu) in one dimension
    for j in range(2):
        def neg_post(s2, j=j):
            return -(resp[:, j] @ stats.norm.logpdf(x, m[j, 0], np.sqrt(s2)) + prior.logpdf(s2))

        opt = optimize.minimize_scalar(neg_post, bounds=(1e-3, 50.0), method="bounded",
                                       options={"xatol": 1e-10})
        assert c[j, 0, 0] == pytest.approx(opt.x, rel=1e-6)
        assert stats.invwishart(df=nu, scale=psi).logpdf(2.0) == pytest.approx(prior.logpdf(2.0))


def test_map_em_never_decreases_the_log_posterior_and_cannot_collapse():
    from mlecourse.mixture import gmm_map_m_step

    x = _data(2, 85, n=40)
    psi, nu = 0.5 * np.eye(2), 4.0
    prior = stats.invwishart(df=nu, scale=psi)
    # a start that makes plain EM collapse onto one point
    w, m, c = np.array([0.9, 0.1]), np.array([x.mean(axis=0), x[0]]), np.array([np.eye(2), 1e-6 * np.eye(2)])
    path = []
    for _ in range(60):
        log_resp, ll = gmm_e_step(x, w, m, c)
        path.append(ll + sum(prior.logpdf(cj) for cj in c))
        w, m, c = gmm_map_m_step(x, np.exp(log_resp), prior_scale=psi, prior_dof=nu)
        assert np.all(np.linalg.eigvalsh(c) >= 0.5 / (x.shape[0] + nu + 3) * (1 - 1e-12))
    path = np.array(path)
    assert np.all(np.diff(path) >= -1e-11 * np.abs(path[1:]))


def test_map_m_step_bad_prior_raises():
    from mlecourse.mixture import gmm_map_m_step

    x = _data(2, 86, n=30)
    resp = np.full((30, 2), 0.5)
    with pytest.raises(ValueError, match="prior_scale"):
        gmm_map_m_step(x, resp, prior_scale=-1.0, prior_dof=3.0)
    with pytest.raises(ValueError, match="prior_scale"):
        gmm_map_m_step(x, resp, prior_scale=np.eye(3), prior_dof=3.0)
    with pytest.raises(ValueError, match="positive definite"):
        gmm_map_m_step(x, resp, prior_scale=-np.eye(2), prior_dof=3.0)
    with pytest.raises(ValueError, match="prior_dof"):
        gmm_map_m_step(x, resp, prior_scale=1.0, prior_dof=0.5)
