"""Tests for mlecourse.families against scipy.stats (log-likelihoods, scores, information, MLEs)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import integrate, optimize, stats

from mlecourse import families as fam
from mlecourse.families import FAMILIES, get_family

RNG_SEED = 20240611

# (family name, true theta, scipy frozen-distribution factory)
CASES = [
    ("bernoulli", (0.3,), lambda p: stats.bernoulli(p)),
    ("poisson", (3.7,), lambda lam: stats.poisson(lam)),
    ("normal", (1.5, 2.25), lambda mu, s2: stats.norm(mu, np.sqrt(s2))),
    ("exponential", (0.8,), lambda rate: stats.expon(scale=1 / rate)),
    ("uniform", (2.5,), lambda theta: stats.uniform(0, theta)),
]


def _logf(dist, x):
    return dist.logpmf(x) if hasattr(dist, "logpmf") else dist.logpdf(x)


def _sample(name, theta, n=40, seed=RNG_SEED):
    return FAMILIES[name].sample(np.random.default_rng(seed), theta, n)


# ---------------------------------------------------------------------------------------------
# log-likelihoods vs scipy.stats
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("name", "theta", "make"), CASES)
def test_loglik_equals_scipy_sum(name, theta, make):
    f = FAMILIES[name]
    x = _sample(name, theta)
    # a few parameter values around the truth (all inside the support for uniform)
    for scale in (0.7, 1.0, 1.3):
        t = tuple(v * scale for v in theta)
        if name == "bernoulli":
            t = (min(t[0], 0.95),)
        if name == "uniform":
            t = (max(t[0], x.max()),)
        expected = np.sum(_logf(make(*t), x))
        got = f.loglik(*t, x)
        assert isinstance(got, float)
        assert got == pytest.approx(expected, rel=1e-12, abs=1e-10)
        np.testing.assert_allclose(f.loglik_obs(*t, x), _logf(make(*t), x), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize(
    ("name", "grid", "make"),
    [
        ("bernoulli", np.linspace(0.0, 1.0, 21), lambda p: stats.bernoulli(p)),
        ("poisson", np.linspace(0.0, 8.0, 17), lambda lam: stats.poisson(lam)),
        ("exponential", np.linspace(0.05, 3.0, 15), lambda r: stats.expon(scale=1 / r)),
        ("uniform", np.linspace(0.5, 4.0, 15), lambda t: stats.uniform(0, t)),
    ],
)
def test_loglik_vectorised_over_grid(name, grid, make):
    x = _sample(name, dict((c[0], c[1]) for c in CASES)[name])
    got = FAMILIES[name].loglik(grid, x)
    assert got.shape == grid.shape
    expected = np.array([np.sum(_logf(make(g), x)) for g in grid])
    np.testing.assert_allclose(got, expected, rtol=1e-11, atol=1e-10)
    # includes -inf where the data are impossible (p = 0 or 1, uniform theta < max x)
    assert np.array_equal(np.isneginf(got), np.isneginf(expected))
    assert np.isneginf(expected).any() or name in ("exponential",)


def test_normal_loglik_over_meshgrid():
    x = _sample("normal", (1.5, 2.25))
    MU, S2 = np.meshgrid(np.linspace(-1, 4, 7), np.linspace(0.5, 5, 5))
    got = fam.normal_loglik(MU, S2, x)
    assert got.shape == MU.shape
    expected = stats.norm.logpdf(x[None, None, :], MU[..., None], np.sqrt(S2)[..., None]).sum(-1)
    np.testing.assert_allclose(got, expected, rtol=1e-12)


def test_boundary_conventions_are_log_space():
    ones, zeros = np.ones(10), np.zeros(10)
    assert fam.bernoulli_loglik(1.0, ones) == 0.0
    assert fam.bernoulli_loglik(0.0, zeros) == 0.0
    assert fam.bernoulli_loglik(1.0, [1, 1, 0]) == -np.inf
    assert fam.bernoulli_loglik(0.0, [1, 0]) == -np.inf
    np.testing.assert_array_equal(fam.bernoulli_loglik_obs(1.0, [1, 0]), [0.0, -np.inf])
    assert fam.poisson_loglik(0.0, zeros) == 0.0
    assert fam.poisson_loglik(0.0, [0, 2]) == -np.inf
    assert fam.exponential_loglik(0.0, [1.0]) == -np.inf
    assert fam.uniform_loglik(1.0, [0.5, 1.5]) == -np.inf
    assert fam.uniform_loglik(2.0, [0.5, 1.5]) == pytest.approx(-2 * np.log(2.0))
    # boundary scores with the 0/0 = 0 convention
    assert fam.bernoulli_score(1.0, ones) == 10.0
    assert fam.bernoulli_score(0.0, zeros) == -10.0
    assert fam.poisson_score(0.0, zeros) == -10.0
    assert fam.bernoulli_fisher(0.0) == np.inf
    assert fam.poisson_fisher(0.0) == np.inf


# ---------------------------------------------------------------------------------------------
# scores and Hessians vs numerical derivatives
# ---------------------------------------------------------------------------------------------
ONE_PARAM = [("bernoulli", 0.3), ("poisson", 3.7), ("exponential", 0.8)]


@pytest.mark.parametrize(("name", "t0"), ONE_PARAM)
def test_one_param_score_check_grad(name, t0):
    f = FAMILIES[name]
    x = _sample(name, (t0,))
    for t in (0.6 * t0, t0, 1.2 * t0):
        err = optimize.check_grad(
            lambda th: f.loglik(th[0], x), lambda th: np.array([f.score(th[0], x)]), [t]
        )
        assert err < 1e-5 * max(1.0, abs(f.score(t, x)))
        np.testing.assert_allclose(f.score_obs(t, x).sum(), f.score(t, x), rtol=1e-12, atol=1e-9)
        err_h = optimize.check_grad(
            lambda th: f.score(th[0], x), lambda th: np.array([f.hessian(th[0], x)]), [t]
        )
        assert err_h < 1e-5 * max(1.0, abs(f.hessian(t, x)))


def test_one_param_score_vectorised():
    x = _sample("poisson", (3.7,))
    grid = np.linspace(1.0, 6.0, 11)
    np.testing.assert_allclose(
        fam.poisson_score(grid, x), [fam.poisson_score(g, x) for g in grid], rtol=1e-14
    )


def test_normal_score_and_hessian_check_grad():
    x = _sample("normal", (1.5, 2.25))
    for theta in ([1.5, 2.25], [0.2, 4.0], [3.0, 0.9]):
        err = optimize.check_grad(
            lambda th: fam.normal_loglik(th[0], th[1], x),
            lambda th: fam.normal_score(th[0], th[1], x),
            theta,
        )
        assert err < 1e-5 * max(1.0, np.abs(fam.normal_score(*theta, x)).max())
        for j in range(2):
            err_h = optimize.check_grad(
                lambda th, j=j: fam.normal_score(th[0], th[1], x)[j],
                lambda th, j=j: fam.normal_hessian(th[0], th[1], x)[j],
                theta,
            )
            assert err_h < 1e-5 * max(1.0, np.abs(fam.normal_hessian(*theta, x)).max())
        np.testing.assert_allclose(
            fam.normal_score_obs(*theta, x).sum(axis=0), fam.normal_score(*theta, x), rtol=1e-11
        )
    H = fam.normal_hessian(1.0, 2.0, x)
    np.testing.assert_allclose(H, H.T)
    grid_score = fam.normal_score(np.array([0.0, 1.0]), 2.0, x)
    assert grid_score.shape == (2, 2)
    np.testing.assert_allclose(grid_score[:, 1], fam.normal_score(1.0, 2.0, x))


def test_uniform_score_is_not_zero_at_mle():
    x = _sample("uniform", (2.5,))
    theta_hat = fam.uniform_mle(x)
    assert fam.uniform_score(theta_hat, x) == pytest.approx(-x.size / theta_hat)
    assert fam.uniform_hessian(theta_hat, x) > 0
    with pytest.raises(ValueError, match="undefined for theta < max"):
        fam.uniform_score(0.5 * theta_hat, x)


# ---------------------------------------------------------------------------------------------
# Fisher information = Var(score) = -E[Hessian], with a scipy-only reference
# ---------------------------------------------------------------------------------------------
def _fd_score_hess(logf, t, h):
    """Central finite-difference first and second derivative of logf at t (independent of fam)."""
    lp, l0, lm = logf(t + h), logf(t), logf(t - h)
    return (lp - lm) / (2 * h), (lp - 2 * l0 + lm) / h**2


@pytest.mark.parametrize(
    ("name", "t", "support", "pmf"),
    [
        ("bernoulli", 0.3, np.array([0.0, 1.0]), lambda t, k: stats.bernoulli.logpmf(k, t)),
        ("bernoulli", 0.93, np.array([0.0, 1.0]), lambda t, k: stats.bernoulli.logpmf(k, t)),
        ("poisson", 3.7, np.arange(0.0, 120.0), lambda t, k: stats.poisson.logpmf(k, t)),
        ("poisson", 0.4, np.arange(0.0, 120.0), lambda t, k: stats.poisson.logpmf(k, t)),
    ],
)
def test_discrete_fisher_by_summing_over_support(name, t, support, pmf):
    f = FAMILIES[name]
    w = np.exp(pmf(t, support))
    assert w.sum() == pytest.approx(1.0, abs=1e-13)
    s, h = _fd_score_hess(lambda th: pmf(th, support), t, 1e-4)
    assert np.sum(w * s) == pytest.approx(0.0, abs=1e-6)  # score has mean zero
    assert np.sum(w * s**2) == pytest.approx(f.fisher(t), rel=1e-5)
    assert -np.sum(w * h) == pytest.approx(f.fisher(t), rel=1e-5)
    # and with the package's own score_obs: E[U] = 0 exactly, E[U^2] = I
    u = f.score_obs(t, support)
    assert np.sum(w * u) == pytest.approx(0.0, abs=1e-12)
    assert np.sum(w * u**2) == pytest.approx(f.fisher(t), rel=1e-12)


def test_exponential_fisher_by_quadrature():
    rate = 0.8

    def integrand(x, what):
        s, h = _fd_score_hess(lambda r: stats.expon.logpdf(x, scale=1 / r), rate, 1e-4)
        return stats.expon.pdf(x, scale=1 / rate) * (s**2 if what == "var" else -h)

    var, _ = integrate.quad(integrand, 0, np.inf, args=("var",))
    neg_h, _ = integrate.quad(integrand, 0, np.inf, args=("hess",))
    assert var == pytest.approx(fam.exponential_fisher(rate), rel=1e-6)
    assert neg_h == pytest.approx(fam.exponential_fisher(rate), rel=1e-5)


def test_normal_fisher_by_quadrature():
    mu, s2 = 1.5, 2.25
    h = 1e-4

    def logf(x, m, v):
        return stats.norm.logpdf(x, m, np.sqrt(v))

    def fd_grad(x):
        return np.array(
            [
                (logf(x, mu + h, s2) - logf(x, mu - h, s2)) / (2 * h),
                (logf(x, mu, s2 + h) - logf(x, mu, s2 - h)) / (2 * h),
            ]
        )

    info = np.empty((2, 2))
    for i in range(2):
        for j in range(2):
            info[i, j] = integrate.quad(
                lambda x, i=i, j=j: stats.norm.pdf(x, mu, np.sqrt(s2))
                * fd_grad(x)[i]
                * fd_grad(x)[j],
                -np.inf,
                np.inf,
            )[0]
    np.testing.assert_allclose(info, fam.normal_fisher(mu, s2), rtol=1e-6, atol=1e-8)
    # -E[Hessian]: the Hessian of a single observation is affine in x and (x - mu)^2, so its
    # expectation can be taken with the exact moments E[x - mu] = 0, E[(x - mu)^2] = s2 -- but use
    # quadrature of the package Hessian to keep it independent of that algebra.
    neg_eh = np.empty((2, 2))
    for i in range(2):
        for j in range(2):
            neg_eh[i, j] = -integrate.quad(
                lambda x, i=i, j=j: stats.norm.pdf(x, mu, np.sqrt(s2))
                * fam.normal_hessian(mu, s2, [x])[i, j],
                -np.inf,
                np.inf,
            )[0]
    np.testing.assert_allclose(neg_eh, fam.normal_fisher(mu, s2), rtol=1e-8, atol=1e-10)


def test_uniform_fisher_refuses():
    with pytest.raises(ValueError, match="not a regular family"):
        fam.uniform_fisher(1.0)
    assert not FAMILIES["uniform"].regular


# ---------------------------------------------------------------------------------------------
# closed-form MLEs vs scipy
# ---------------------------------------------------------------------------------------------
def test_mles_match_scipy_and_numerical_maximisation():
    x = _sample("normal", (1.5, 2.25), n=200)
    mu_hat, s2_hat = fam.normal_mle(x)
    loc, scale = stats.norm.fit(x)
    assert mu_hat == pytest.approx(loc, rel=1e-10)
    assert s2_hat == pytest.approx(scale**2, rel=1e-7)
    assert s2_hat == pytest.approx(np.var(x, ddof=0), rel=1e-12)

    xe = _sample("exponential", (0.8,), n=200)
    _, scale_e = stats.expon.fit(xe, floc=0)
    assert fam.exponential_mle(xe) == pytest.approx(1 / scale_e, rel=1e-7)

    xu = _sample("uniform", (2.5,), n=50)
    _, scale_u = stats.uniform.fit(xu, floc=0)
    assert fam.uniform_mle(xu) == pytest.approx(scale_u, rel=1e-6)

    for name, bounds in (("bernoulli", (1e-9, 1 - 1e-9)), ("poisson", (1e-9, 50.0))):
        theta, make = next((c[1], c[2]) for c in CASES if c[0] == name)
        xs = _sample(name, theta, n=200)
        res = optimize.minimize_scalar(
            lambda t, xs=xs, make=make: -np.sum(_logf(make(t), xs)),
            bounds=bounds,
            method="bounded",
            options={"xatol": 1e-10},
        )
        assert FAMILIES[name].mle(xs) == pytest.approx(res.x, abs=1e-6)


def test_mle_edge_cases():
    assert fam.bernoulli_mle([1, 1, 1]) == 1.0
    assert fam.poisson_mle([0, 0]) == 0.0
    with pytest.raises(ValueError, match="MLE of sigma2 does not exist"):
        fam.normal_mle([2.0, 2.0])
    with pytest.raises(ValueError, match="at least one positive"):
        fam.exponential_mle([0.0, 0.0])


# ---------------------------------------------------------------------------------------------
# registry
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("name", "theta", "make"), CASES)
def test_registry_sampler_and_scipy_dist(name, theta, make):
    f = get_family(name.upper())
    assert f.name == name and f.n_params == len(theta)
    x = f.sample(np.random.default_rng(1), theta, 20_000)
    dist = f.scipy_dist(theta)
    ref = make(*theta)
    assert dist.mean() == pytest.approx(ref.mean()) and dist.var() == pytest.approx(ref.var())
    # sample mean within 4 Monte-Carlo standard errors of the true mean
    assert abs(x.mean() - ref.mean()) < 4 * np.sqrt(ref.var() / x.size)
    if len(theta) == 1:
        assert f.scipy_dist(theta[0]).mean() == pytest.approx(ref.mean())


def test_registry_errors():
    with pytest.raises(ValueError, match="unknown family"):
        get_family("gamma")
    with pytest.raises(ValueError, match="2 parameter"):
        FAMILIES["normal"].scipy_dist(1.0)
    with pytest.raises(ValueError, match="p must lie in"):
        FAMILIES["bernoulli"].sample(np.random.default_rng(0), 1.5, 3)
    with pytest.raises(TypeError, match="Generator"):
        FAMILIES["poisson"].sample(0, 1.0, 3)


# ---------------------------------------------------------------------------------------------
# bad input
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: fam.bernoulli_loglik(1.2, [0, 1]), "p must lie in"),
        (lambda: fam.bernoulli_loglik(-0.1, [0, 1]), "p must lie in"),
        (lambda: fam.bernoulli_loglik(0.5, [0, 2]), "only 0s and 1s"),
        (lambda: fam.bernoulli_loglik(0.5, []), "empty"),
        (lambda: fam.bernoulli_loglik(0.5, [0, np.nan]), "NaN"),
        (lambda: fam.bernoulli_loglik(np.nan, [0, 1]), "NaN"),
        (lambda: fam.bernoulli_loglik(0.5, [[0, 1], [1, 0]]), "1-D"),
        (lambda: fam.poisson_loglik(1.0, [1, -2]), "non-negative"),
        (lambda: fam.poisson_loglik(1.0, [1, 2.5]), "whole-number"),
        (lambda: fam.poisson_loglik(-1.0, [1, 2]), "lam must be >= 0"),
        (lambda: fam.poisson_mle([]), "empty"),
        (lambda: fam.normal_loglik(0.0, 0.0, [1.0]), "sigma2 must be > 0"),
        (lambda: fam.normal_loglik(0.0, -1.0, [1.0]), "sigma2 must be > 0"),
        (lambda: fam.normal_loglik(0.0, 1.0, [1.0, np.inf]), "NaN or infinite"),
        (lambda: fam.exponential_loglik(1.0, [1.0, -0.5]), "non-negative"),
        (lambda: fam.exponential_loglik(-1.0, [1.0]), "rate must be >= 0"),
        (lambda: fam.uniform_loglik(0.0, [1.0]), "theta must be > 0"),
        (lambda: fam.uniform_loglik(1.0, [-1.0]), "x must be >= 0"),
        (lambda: fam.bernoulli_score_obs([0.2, 0.3], [0, 1]), "single number"),
        (lambda: fam.normal_hessian([0.0, 1.0], 1.0, [0.0, 1.0]), "single number"),
    ],
)
def test_bad_input_raises_value_error(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_string_input_is_type_error():
    with pytest.raises(TypeError, match="numeric"):
        fam.poisson_loglik(1.0, "123")


# ------------------------------------------------------------------------------------------
# Cauchy location (added for chapters 2-3)
# ------------------------------------------------------------------------------------------
CAUCHY_X = np.array([-4.0, -3.0, 0.5, 6.0, 7.5])


@pytest.mark.parametrize("scale", [1.0, 2.5])
def test_cauchy_loglik_matches_scipy(scale):
    grid = np.linspace(-6.0, 9.0, 7)
    expected = stats.cauchy.logpdf(CAUCHY_X[None, :], grid[:, None], scale).sum(axis=1)
    np.testing.assert_allclose(fam.cauchy_loglik(grid, CAUCHY_X, scale), expected, rtol=1e-12)
    assert isinstance(fam.cauchy_loglik(0.3, CAUCHY_X, scale), float)
    np.testing.assert_allclose(
        fam.cauchy_loglik_obs(0.3, CAUCHY_X, scale),
        stats.cauchy.logpdf(CAUCHY_X, 0.3, scale),
        rtol=1e-12,
    )


@pytest.mark.parametrize("theta", [-3.7, 0.3, 2.0, 6.8])
def test_cauchy_score_and_hessian_match_finite_differences(theta):
    from mlecourse.information import numerical_gradient, numerical_hessian

    f = lambda t: fam.cauchy_loglik(t, CAUCHY_X, 1.5)  # noqa: E731
    assert fam.cauchy_score(theta, CAUCHY_X, 1.5) == pytest.approx(
        numerical_gradient(f, theta), rel=1e-6, abs=1e-8
    )
    assert fam.cauchy_hessian(theta, CAUCHY_X, 1.5) == pytest.approx(
        numerical_hessian(f, theta), rel=1e-5, abs=1e-6
    )
    assert fam.cauchy_score_obs(theta, CAUCHY_X, 1.5).sum() == pytest.approx(
        fam.cauchy_score(theta, CAUCHY_X, 1.5), rel=1e-12
    )


def test_cauchy_fisher_is_variance_of_score():
    scale = 1.7
    var, _ = integrate.quad(
        lambda x: fam.cauchy_score_obs(0.0, [x], scale)[0] ** 2 * stats.cauchy.pdf(x, 0.0, scale),
        -np.inf,
        np.inf,
    )
    assert fam.cauchy_fisher(0.0, scale) == pytest.approx(var, rel=1e-8)


def test_cauchy_bad_input():
    with pytest.raises(ValueError, match="scale must be > 0"):
        fam.cauchy_loglik(0.0, [1.0], scale=0.0)
    with pytest.raises(ValueError, match="theta must be finite"):
        fam.cauchy_score(np.inf, [1.0])
    with pytest.raises(ValueError, match="single number"):
        fam.cauchy_score_obs([0.0, 1.0], [1.0])
