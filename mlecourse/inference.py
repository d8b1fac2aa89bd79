r"""Confidence intervals, tests and model-comparison criteria built on the likelihood.

* Wald intervals :math:`\hat\theta \pm z_{1-\alpha/2}\,\mathrm{se}`; the delta method.
* Likelihood-ratio test :math:`W = 2\{\ell(\hat\theta) - \ell(\hat\theta_0)\} \sim \chi^2_{df}`
  and likelihood-ratio (profile) intervals
  :math:`\{\theta : 2\{\ell(\hat\theta) - \ell_p(\theta)\} \le \chi^2_{1,1-\alpha}\}`.
* Vectorised Bernoulli Wald, likelihood-ratio and Wilson (score) intervals over arrays of
  success counts, and their exact coverage, for coverage heat maps.
* The sandwich covariance :math:`A^{-1} B A^{-1}`; AIC and BIC; Monte-Carlo standard errors.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import ArrayLike
from scipy import optimize
from scipy.special import chdtrc, chdtri, ndtri, xlogy

from ._validation import as_data, as_param, check_prob
from .information import (
    _theta_vector,
    _wrap,
    numerical_hessian,
    numerical_jacobian,
    outer_product_of_scores,
)
from .results import MLEResult

__all__ = [
    "CoverageResult",
    "LRTestResult",
    "aic",
    "bernoulli_coverage",
    "bernoulli_lr_ci",
    "bernoulli_wald_ci",
    "bernoulli_wilson_ci",
    "bic",
    "coverage",
    "delta_method",
    "delta_method_se",
    "lr_ci",
    "lr_test",
    "mc_se",
    "mc_se_mean",
    "profile_ci",
    "profile_loglik",
    "sandwich_cov",
    "wald_ci",
]


def _check_alpha(alpha: float) -> float:
    if isinstance(alpha, bool) or not isinstance(alpha, (int, float, np.floating)) or not 0 < alpha < 1:
        raise ValueError(f"alpha must be a number in (0, 1), e.g. 0.05 for 95 % intervals; got {alpha!r}")
    return float(alpha)


def _out(arr: np.ndarray) -> float | np.ndarray:
    arr = np.asarray(arr, dtype=float)
    return float(arr) if arr.ndim == 0 else arr


# --------------------------------------------------------------------------------------------
# Wald intervals and the delta method
# --------------------------------------------------------------------------------------------
def wald_ci(
    estimate: ArrayLike, se: ArrayLike, alpha: float = 0.05
) -> tuple[float | np.ndarray, float | np.ndarray]:
    r"""Wald interval :math:`\hat\theta \pm z_{1-\alpha/2}\,\mathrm{se}`, vectorised.

    Parameters
    ----------
    estimate, se : float or array_like
        Broadcast against each other; ``se`` must be :math:`\ge 0`.
    alpha : float
        One minus the nominal coverage.

    Returns
    -------
    (lo, hi)
        Floats for scalar input, arrays otherwise.
    """
    alpha = _check_alpha(alpha)
    est = as_param(estimate, "estimate")
    s = as_param(se, "se")
    if np.any(s < 0):
        raise ValueError(f"se must be >= 0, got {s[s < 0][:3].tolist()}")
    z = ndtri(1.0 - alpha / 2.0)
    return _out(est - z * s), _out(est + z * s)


def delta_method_se(grad_g: ArrayLike, cov: ArrayLike) -> float | np.ndarray:
    r"""Delta-method standard error of :math:`g(\hat\theta)`.

    .. math:: \mathrm{se}\{g(\hat\theta)\} = \sqrt{\nabla g^\top\, \Sigma\, \nabla g},

    with :math:`\Sigma` the estimated covariance of :math:`\hat\theta`.

    Parameters
    ----------
    grad_g : array_like, shape (k,) or (m, k)
        Gradient of :math:`g` at :math:`\hat\theta` (one row per function for ``m`` functions).
    cov : array_like, shape (k, k)

    Returns
    -------
    float or ndarray, shape (m,)
    """
    g = as_param(grad_g, "grad_g")
    S = as_param(cov, "cov")
    S = np.atleast_2d(S)
    k = S.shape[0]
    if S.shape != (k, k):
        raise ValueError(f"cov must be a square (k, k) matrix, got shape {S.shape}")
    single = g.ndim <= 1
    G = np.atleast_2d(g)
    if G.ndim != 2 or G.shape[1] != k:
        raise ValueError(f"grad_g must have shape (k,) or (m, k) with k = {k}, got {g.shape}")
    var = np.einsum("mi,ij,mj->m", G, S, G)
    if np.any(var < -1e-12 * np.maximum(1.0, np.abs(var))):
        raise ValueError("grad' cov grad is negative: cov is not a positive semi-definite matrix")
    se = np.sqrt(np.maximum(var, 0.0))
    return float(se[0]) if single else se


def delta_method(
    g: Callable[..., Any], theta_hat: ArrayLike, cov: ArrayLike
) -> tuple[float | np.ndarray, float | np.ndarray]:
    r"""Estimate and delta-method standard error of :math:`g(\hat\theta)`.

    The gradient :math:`\nabla g(\hat\theta)` is computed by central differences.

    Parameters
    ----------
    g : callable
        ``g(theta)`` returning a float (or a vector of ``m`` values). Receives a float when
        ``theta_hat`` is a scalar.
    theta_hat : float or array_like, shape (k,)
    cov : array_like, shape (k, k)

    Returns
    -------
    (value, se)
    """
    t, scalar = _theta_vector(theta_hat, "theta_hat")
    fun = _wrap(g, scalar, ())
    value = np.asarray(fun(t), dtype=float)
    J = numerical_jacobian(lambda tt: np.atleast_1d(np.asarray(fun(tt), dtype=float)), t)
    se = delta_method_se(J, np.atleast_2d(np.asarray(cov, dtype=float)))
    if value.ndim == 0:
        return float(value), float(np.atleast_1d(se)[0])
    return value, np.atleast_1d(se)


# --------------------------------------------------------------------------------------------
# sandwich, AIC, BIC
# --------------------------------------------------------------------------------------------
def sandwich_cov(scores_obs: ArrayLike, hessian: ArrayLike) -> np.ndarray:
    r"""Sandwich (robust, Huber-White) covariance of an M-estimator / quasi-MLE.

    .. math::
        \widehat{\operatorname{Cov}}(\hat\theta) = A^{-1} B A^{-1}, \qquad
        A = -\nabla^2 \ell(\hat\theta), \quad B = \sum_i u_i u_i^\top,

    with :math:`u_i` the per-observation scores at :math:`\hat\theta`. Under a correctly
    specified model :math:`A \approx B` and it reduces to :math:`A^{-1}`. (For least squares it
    is White's HC0 estimator.) Computed with linear solves, not inverses.

    Parameters
    ----------
    scores_obs : array_like, shape (n, k) (or (n,) for one parameter)
    hessian : array_like, shape (k, k) (or a float)
        Hessian of the TOTAL log-likelihood at :math:`\hat\theta`.

    Returns
    -------
    ndarray, shape (k, k)
    """
    B = outer_product_of_scores(scores_obs)  # the "meat": sum_i s_i s_i^T
    H = np.atleast_2d(as_param(hessian, "hessian"))
    k = B.shape[0]
    if H.shape != (k, k):
        raise ValueError(f"hessian must have shape ({k}, {k}) to match scores_obs, got {H.shape}")
    if not np.all(np.isfinite(H)):
        raise ValueError("hessian contains non-finite values")
    A = -0.5 * (H + H.T)
    try:
        left = np.linalg.solve(A, B)  # A^{-1} B
        cov = np.linalg.solve(A, left.T).T  # (A^{-1} B) A^{-1}, A symmetric
    except np.linalg.LinAlgError as exc:
        raise ValueError("the Hessian is singular; the sandwich covariance is not defined") from exc
    return 0.5 * (cov + cov.T)


def aic(loglik: ArrayLike, k: ArrayLike) -> float | np.ndarray:
    r"""Akaike information criterion :math:`\mathrm{AIC} = 2k - 2\ell(\hat\theta)` (smaller is better)."""
    ll = as_param(loglik, "loglik")
    kk = as_param(k, "k")
    if np.any(kk < 0):
        raise ValueError("k (the number of parameters) must be >= 0")
    return _out(2.0 * kk - 2.0 * ll)


def bic(loglik: ArrayLike, k: ArrayLike, n: ArrayLike) -> float | np.ndarray:
    r"""Bayesian (Schwarz) information criterion :math:`\mathrm{BIC} = k\log n - 2\ell(\hat\theta)`."""
    ll = as_param(loglik, "loglik")
    kk = as_param(k, "k")
    nn = as_param(n, "n")
    if np.any(kk < 0):
        raise ValueError("k (the number of parameters) must be >= 0")
    if np.any(nn < 1):
        raise ValueError(f"n (the sample size) must be >= 1, got {nn.tolist()}")
    return _out(kk * np.log(nn) - 2.0 * ll)


# --------------------------------------------------------------------------------------------
# likelihood-ratio test and intervals
# --------------------------------------------------------------------------------------------
class LRTestResult(NamedTuple):
    r"""Likelihood-ratio test :math:`W = 2(\ell_1 - \ell_0)`, its degrees of freedom and
    :math:`p = P(\chi^2_{df} \ge W)`."""

    statistic: float | np.ndarray
    df: float | np.ndarray
    pvalue: float | np.ndarray


def lr_test(
    loglik_null: ArrayLike | MLEResult,
    loglik_alt: ArrayLike | MLEResult,
    df: ArrayLike | None = None,
) -> LRTestResult:
    r"""Likelihood-ratio test of a nested null model.

    .. math:: W = 2\{\ell(\hat\theta_{\text{alt}}) - \ell(\hat\theta_{\text{null}})\}
        \;\overset{H_0}{\approx}\; \chi^2_{df},

    with :math:`df` the number of restrictions. Vectorised (e.g. over simulated data sets).

    Parameters
    ----------
    loglik_null, loglik_alt : float, array_like or MLEResult
        Maximised log-likelihoods of the null (restricted) and alternative models.
    df : int or array_like, optional
        Degrees of freedom; by default the difference in the number of parameters when both
        arguments are :class:`~mlecourse.results.MLEResult`.

    Returns
    -------
    LRTestResult
        ``(statistic, df, pvalue)``.

    Raises
    ------
    ValueError
        If the alternative fits clearly worse than the null (the models are not nested or a fit
        failed); tiny negative statistics from rounding are set to 0.
    """
    if df is None:
        if not (isinstance(loglik_null, MLEResult) and isinstance(loglik_alt, MLEResult)):
            raise ValueError("df is required unless both models are given as MLEResult objects")
        df = loglik_alt.k - loglik_null.k
    l0 = as_param(loglik_null.loglik if isinstance(loglik_null, MLEResult) else loglik_null, "loglik_null")
    l1 = as_param(loglik_alt.loglik if isinstance(loglik_alt, MLEResult) else loglik_alt, "loglik_alt")
    d = as_param(df, "df")
    if np.any(d <= 0) or np.any(d != np.round(d)):
        raise ValueError(
            f"df must be a positive integer (number of restrictions), got {np.asarray(df).tolist()}"
        )
    w = 2.0 * (l1 - l0)
    tol = 1e-8 * np.maximum(1.0, np.abs(l1))
    if np.any(w < -2.0 * tol):
        raise ValueError(
            "loglik_alt is smaller than loglik_null: the alternative should contain the null "
            "(nested models, alternative maximised over the larger space)"
        )
    w = np.maximum(w, 0.0)
    return LRTestResult(_out(w), _out(d), _out(chdtrc(d, w)))


def _bisect(g: Callable[[float], float], inside: float, outside: float, tol: float) -> float:
    """Root of ``g`` between ``inside`` (g < 0) and ``outside`` (g >= 0) by bisection."""
    a, b = inside, outside
    for _ in range(200):
        m = 0.5 * (a + b)
        if m in (a, b) or abs(b - a) <= tol:
            break
        if g(m) >= 0:
            b = m
        else:
            a = m
    return 0.5 * (a + b)


def _lr_endpoints(
    gfun: Callable[[float], float],
    center: float,
    width: float,
    lower: float,
    upper: float,
) -> tuple[float, float]:
    """Both roots of the monotone-on-each-side function gfun around ``center``."""
    ends = []
    for sign, bound in ((-1.0, lower), (1.0, upper)):
        d, end = width, None
        for _ in range(80):
            b = center + sign * d
            if (sign < 0 and b <= bound) or (sign > 0 and b >= bound):
                b = bound
                if not np.isfinite(b):
                    break
                if gfun(b) < 0:  # still inside the interval at the boundary
                    end = b
                else:
                    end = _bisect(gfun, center, b, 1e-12 * (1.0 + abs(center)))
                break
            if gfun(b) >= 0:
                end = _bisect(gfun, center, b, 1e-12 * (1.0 + abs(center)))
                break
            d *= 2.0
        ends.append(end if end is not None else sign * np.inf)
    return ends[0], ends[1]


def lr_ci(
    loglik: Callable[..., Any],
    theta_hat: float,
    *,
    args: Sequence[Any] = (),
    alpha: float = 0.05,
    lower: float = -np.inf,
    upper: float = np.inf,
    scale: float | None = None,
) -> tuple[float, float]:
    r"""Likelihood-ratio interval for a scalar parameter.

    .. math:: \{\theta : 2\{\ell(\hat\theta) - \ell(\theta)\} \le \chi^2_{1,\,1-\alpha}\},

    found by bracketing and bisection on each side of :math:`\hat\theta`. Unlike the Wald
    interval it is invariant to reparameterisation and respects the parameter space.

    Parameters
    ----------
    loglik : callable
        ``loglik(theta, *args) -> float`` (total). A ``ValueError`` it raises (outside the
        parameter space) counts as :math:`-\infty`.
    theta_hat : float
        The MLE.
    args : sequence
    alpha : float
    lower, upper : float
        Limits of the parameter space; an endpoint stops there if the likelihood ratio never
        reaches the cut-off (e.g. :math:`p \ge 0` when :math:`\hat p = 0`).
    scale : float, optional
        Initial bracketing step (default: :math:`1/\sqrt{J(\hat\theta)}`).

    Returns
    -------
    (lo, hi)
    """
    alpha = _check_alpha(alpha)
    th = float(theta_hat)
    if not np.isfinite(th) or not lower <= th <= upper:
        raise ValueError(f"theta_hat = {theta_hat} must be finite and within [lower, upper]")
    args = tuple(args)

    def ll(t: float) -> float:
        try:
            v = float(np.sum(loglik(t, *args)))
        except ValueError:
            return -np.inf
        return v if not np.isnan(v) else -np.inf

    l_hat = ll(th)
    if not np.isfinite(l_hat):
        raise ValueError(f"the log-likelihood at theta_hat = {th} is not finite")
    cut = chdtri(1, alpha)

    def gfun(t: float) -> float:
        return 2.0 * (l_hat - ll(t)) - cut

    return _lr_endpoints(gfun, th, _initial_width(ll, th, scale, lower, upper), lower, upper)


def _initial_width(
    ll: Callable[[float], float], th: float, scale: float | None, lower: float, upper: float
) -> float:
    if scale is not None:
        if not (np.isfinite(scale) and scale > 0):
            raise ValueError(f"scale must be positive, got {scale}")
        return float(scale)
    if lower < th < upper:
        with np.errstate(all="ignore"):
            try:
                J = -float(numerical_hessian(ll, th))
            except (ValueError, ArithmeticError):
                J = np.nan
        if np.isfinite(J) and J > 0:
            return 1.0 / np.sqrt(J)
    return 0.1 * max(abs(th), 1.0)


def profile_loglik(
    loglik: Callable[..., Any],
    theta_hat: ArrayLike,
    index: int,
    values: ArrayLike,
    *,
    args: Sequence[Any] = (),
) -> np.ndarray:
    r"""Profile log-likelihood :math:`\ell_p(\psi) = \max_{\lambda} \ell(\psi, \lambda)`.

    :math:`\psi = \theta_{\text{index}}` is fixed at each of ``values`` and the remaining
    (nuisance) parameters are maximised numerically (BFGS, warm-started from the previous
    value, starting at :math:`\hat\theta`).

    Parameters
    ----------
    loglik : callable
        ``loglik(theta, *args) -> float`` (total), ``theta`` a 1-D array of length k >= 2.
    theta_hat : array_like, shape (k,)
        The full MLE.
    index : int
        Which parameter to profile.
    values : array_like
        Values of :math:`\psi`.

    Returns
    -------
    ndarray
        :math:`\ell_p` at each value (same shape as ``values``).
    """
    t, _ = _theta_vector(theta_hat, "theta_hat")
    vals = as_param(values, "values")
    fn = _profile_fn(loglik, t, index, tuple(args))
    order = np.argsort(np.abs(vals.ravel() - t[index]))  # warm starts work outward from the MLE
    out = np.empty(vals.size)
    for i in order:
        out[i] = fn(float(vals.ravel()[i]))
    return out.reshape(vals.shape)


def _profile_fn(
    loglik: Callable[..., Any], t: np.ndarray, index: int, args: tuple[Any, ...]
) -> Callable[[float], float]:
    k = t.size
    if isinstance(index, bool) or not isinstance(index, (int, np.integer)) or not 0 <= index < k:
        raise ValueError(f"index must be an integer in [0, {k - 1}], got {index!r}")
    others = [j for j in range(k) if j != index]
    state = {"start": t[others].copy()}

    def full(psi: float, lam: np.ndarray) -> np.ndarray:
        th = np.empty(k)
        th[index] = psi
        th[others] = lam
        return th

    def ll(th: np.ndarray) -> float:
        try:
            v = float(np.sum(loglik(th, *args)))
        except ValueError:
            return -np.inf
        return v if not np.isnan(v) else -np.inf

    def prof(psi: float) -> float:
        if not others:
            return ll(np.array([psi]))
        base = ll(full(psi, state["start"]))
        scale = max(1.0, abs(base)) if np.isfinite(base) else 1.0

        def obj(lam: np.ndarray) -> float:
            v = ll(full(psi, lam))
            return -v / scale if np.isfinite(v) else np.inf

        res = optimize.minimize(obj, state["start"], method="BFGS", options={"gtol": 1e-9})
        best = res.x if np.isfinite(res.fun) and res.fun <= obj(state["start"]) else state["start"]
        value = ll(full(psi, best))
        if np.isfinite(value):
            state["start"] = np.asarray(best, dtype=float)
        return value

    return prof


def profile_ci(
    loglik: Callable[..., Any],
    theta_hat: ArrayLike,
    index: int,
    *,
    args: Sequence[Any] = (),
    alpha: float = 0.05,
    lower: float = -np.inf,
    upper: float = np.inf,
    scale: float | None = None,
) -> tuple[float, float]:
    r"""Profile-likelihood interval for one component :math:`\psi = \theta_{\text{index}}`.

    .. math:: \{\psi : 2\{\ell(\hat\theta) - \ell_p(\psi)\} \le \chi^2_{1,\,1-\alpha}\},
        \qquad \ell_p(\psi) = \max_\lambda \ell(\psi, \lambda).

    Parameters as :func:`profile_loglik` and :func:`lr_ci` (``lower``/``upper`` bound
    :math:`\psi`). For a one-parameter model it equals :func:`lr_ci`.

    Returns
    -------
    (lo, hi)
    """
    alpha = _check_alpha(alpha)
    t, _ = _theta_vector(theta_hat, "theta_hat")
    fn = _profile_fn(loglik, t, index, tuple(args))
    l_hat = fn(float(t[index]))
    if not np.isfinite(l_hat):
        raise ValueError("the log-likelihood at theta_hat is not finite")
    cut = chdtri(1, alpha)

    def gfun(psi: float) -> float:
        return 2.0 * (l_hat - fn(psi)) - cut

    width = _initial_width(fn, float(t[index]), scale, lower, upper)
    return _lr_endpoints(gfun, float(t[index]), width, lower, upper)


# --------------------------------------------------------------------------------------------
# Bernoulli / binomial intervals, vectorised over the number of successes
# --------------------------------------------------------------------------------------------
def _check_kn(k: ArrayLike, n: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    kk = as_param(k, "k")
    nn = as_param(n, "n")
    if np.any(nn < 1) or np.any(nn != np.round(nn)):
        raise ValueError(f"n must be a positive integer number of trials, got {np.unique(nn)[:3].tolist()}")
    if np.any(kk != np.round(kk)):
        raise ValueError("k must be a whole number of successes")
    kk, nn = np.broadcast_arrays(kk, nn)
    if np.any((kk < 0) | (kk > nn)):
        raise ValueError("k must satisfy 0 <= k <= n")
    return kk.astype(float), nn.astype(float)


def bernoulli_wald_ci(
    k: ArrayLike, n: ArrayLike, alpha: float = 0.05, *, clip: bool = False
) -> tuple[float | np.ndarray, float | np.ndarray]:
    r"""Wald interval for a Bernoulli probability from :math:`k` successes in :math:`n` trials.

    .. math:: \hat p \pm z_{1-\alpha/2}\sqrt{\hat p(1 - \hat p)/n}, \qquad \hat p = k/n,

    using :math:`I(p)^{-1} = p(1-p)` at :math:`\hat p`. Degenerate (zero width) at
    :math:`k \in \{0, n\}`, which is why its coverage collapses near :math:`p = 0, 1`.
    Vectorised over ``k`` and ``n``.

    Parameters
    ----------
    k, n : int or array_like
    alpha : float
    clip : bool
        Clip the endpoints to :math:`[0, 1]` (does not change the coverage of any
        :math:`p \in [0, 1]`).
    """
    alpha = _check_alpha(alpha)
    kk, nn = _check_kn(k, n)
    p = kk / nn
    z = ndtri(1.0 - alpha / 2.0)
    half = z * np.sqrt(p * (1.0 - p) / nn)
    lo, hi = p - half, p + half
    if clip:
        lo, hi = np.clip(lo, 0.0, 1.0), np.clip(hi, 0.0, 1.0)
    return _out(lo), _out(hi)


def bernoulli_wilson_ci(
    k: ArrayLike, n: ArrayLike, alpha: float = 0.05
) -> tuple[float | np.ndarray, float | np.ndarray]:
    r"""Wilson (score) interval: the :math:`p` with :math:`|U(p)|/\sqrt{nI(p)} \le z`.

    .. math::
        \frac{\hat p + \frac{z^2}{2n} \pm z\sqrt{\frac{\hat p(1-\hat p)}{n} + \frac{z^2}{4n^2}}}
             {1 + z^2/n}.
    """
    alpha = _check_alpha(alpha)
    kk, nn = _check_kn(k, n)
    p = kk / nn
    z = ndtri(1.0 - alpha / 2.0)
    denom = 1.0 + z**2 / nn
    center = (p + z**2 / (2.0 * nn)) / denom
    half = z * np.sqrt(p * (1.0 - p) / nn + z**2 / (4.0 * nn**2)) / denom
    return _out(np.maximum(center - half, 0.0)), _out(np.minimum(center + half, 1.0))


def bernoulli_lr_ci(
    k: ArrayLike, n: ArrayLike, alpha: float = 0.05
) -> tuple[float | np.ndarray, float | np.ndarray]:
    r"""Likelihood-ratio interval for a Bernoulli probability, vectorised over ``k`` and ``n``.

    .. math::
        \{p : 2\{\ell(\hat p) - \ell(p)\} \le \chi^2_{1,1-\alpha}\}, \qquad
        \ell(p) = k\log p + (n-k)\log(1-p).

    Each endpoint is found by vectorised bisection (to machine precision) on
    :math:`[0, \hat p]` and :math:`[\hat p, 1]`; at :math:`k = 0` the interval is
    :math:`[0, 1 - e^{-\chi^2/(2n)}]`.
    """
    alpha = _check_alpha(alpha)
    kk, nn = _check_kn(k, n)
    cut = chdtri(1, alpha)
    p_hat = kk / nn
    l_hat = xlogy(kk, p_hat) + xlogy(nn - kk, 1.0 - p_hat)

    def g(p: np.ndarray) -> np.ndarray:  # >= 0 outside the interval
        return 2.0 * (l_hat - (xlogy(kk, p) + xlogy(nn - kk, 1.0 - p))) - cut

    # lower end: g(0) >= 0 unless k = 0 (then the lower end is 0)
    a, b = np.zeros_like(p_hat), p_hat.copy()  # a outside, b inside
    for _ in range(64):
        m = 0.5 * (a + b)
        out = g(m) >= 0
        a, b = np.where(out, m, a), np.where(out, b, m)
    lo = np.where(kk == 0, 0.0, 0.5 * (a + b))
    a, b = p_hat.copy(), np.ones_like(p_hat)  # a inside, b outside
    for _ in range(64):
        m = 0.5 * (a + b)
        out = g(m) >= 0
        a, b = np.where(out, a, m), np.where(out, m, b)
    hi = np.where(kk == nn, 1.0, 0.5 * (a + b))
    return _out(lo), _out(hi)


_BERNOULLI_CI = {"wald": bernoulli_wald_ci, "lr": bernoulli_lr_ci, "wilson": bernoulli_wilson_ci}


def bernoulli_coverage(
    p: ArrayLike, n: int, *, alpha: float = 0.05, method: str = "wald"
) -> float | np.ndarray:
    r"""Exact coverage probability of a Bernoulli interval, by summing over the binomial pmf.

    .. math:: C(p) = \sum_{k=0}^n \binom nk p^k (1-p)^{n-k}\,
        \mathbf 1\{L(k) \le p \le U(k)\}.

    Parameters
    ----------
    p : float or array_like
        True probabilities (e.g. a grid for a heat map).
    n : int
        Number of trials.
    alpha : float
    method : {"wald", "lr", "wilson"}

    Returns
    -------
    float or ndarray
        Same shape as ``p``.
    """
    from scipy import stats  # imported here: scipy.stats is slow to import
    if method not in _BERNOULLI_CI:
        raise ValueError(f"method must be one of {sorted(_BERNOULLI_CI)}, got {method!r}")
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"n must be a positive integer, got {n!r}")
    pp = check_prob(p, "p")
    ks = np.arange(n + 1)
    lo, hi = _BERNOULLI_CI[method](ks, n, alpha)
    lo, hi = np.asarray(lo), np.asarray(hi)
    pmf = stats.binom.pmf(ks, n, pp[..., None])
    inside = (lo <= pp[..., None]) & (pp[..., None] <= hi)
    return _out(np.sum(pmf * inside, axis=-1))


# --------------------------------------------------------------------------------------------
# Monte-Carlo summaries
# --------------------------------------------------------------------------------------------
def mc_se(p_hat: ArrayLike, R: ArrayLike) -> float | np.ndarray:
    r"""Monte-Carlo standard error of a proportion estimated from :math:`R` replications.

    .. math:: \mathrm{se}(\hat p) = \sqrt{\hat p(1 - \hat p)/R}.

    E.g. a coverage of 0.95 from :math:`R = 1000` replications has MC se 0.0069.
    """
    p = check_prob(p_hat, "p_hat")
    r = as_param(R, "R")
    if np.any(r < 1):
        raise ValueError(f"R (the number of replications) must be >= 1, got {np.asarray(R).tolist()}")
    return _out(np.sqrt(p * (1.0 - p) / r))


def mc_se_mean(values: ArrayLike) -> float:
    r"""Monte-Carlo standard error of a mean, :math:`s/\sqrt R` (sample sd with :math:`R - 1`)."""
    v = as_data(values, "values")
    if v.size < 2:
        raise ValueError("need at least 2 replications for a Monte-Carlo standard error")
    return float(np.std(v, ddof=1) / np.sqrt(v.size))


class CoverageResult(NamedTuple):
    """Empirical coverage of ``n_reps`` intervals and its Monte-Carlo standard error."""

    rate: float
    se: float
    n_reps: int


def coverage(lo: ArrayLike, hi: ArrayLike, truth: ArrayLike) -> CoverageResult:
    r"""Fraction of intervals :math:`[L_r, U_r]` containing the truth, with its MC standard error.

    .. math:: \hat C = \frac1R \sum_{r=1}^R \mathbf 1\{L_r \le \theta \le U_r\}, \qquad
        \mathrm{se} = \sqrt{\hat C(1-\hat C)/R}.

    Parameters
    ----------
    lo, hi : array_like, shape (R,)
        Interval endpoints (infinite endpoints allowed).
    truth : float or array_like, shape (R,)
    """
    lo_a = np.atleast_1d(as_param(lo, "lo"))
    hi_a = np.atleast_1d(as_param(hi, "hi"))
    if lo_a.ndim != 1 or lo_a.shape != hi_a.shape:
        raise ValueError(f"lo and hi must be 1-D arrays of equal length, got {lo_a.shape} and {hi_a.shape}")
    if lo_a.size == 0:
        raise ValueError("no intervals given (lo is empty)")
    t = as_param(truth, "truth")
    if np.any(lo_a > hi_a):
        raise ValueError("some intervals have lo > hi")
    inside = (lo_a <= t) & (t <= hi_a)
    rate = float(np.mean(inside))
    R = lo_a.size
    return CoverageResult(rate, float(np.sqrt(rate * (1.0 - rate) / R)), R)
