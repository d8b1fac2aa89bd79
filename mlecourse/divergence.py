r"""Entropy, cross-entropy and Kullback-Leibler divergence, and the pseudo-true parameter.

Maximising the average log-likelihood :math:`\frac1n\sum_i\log p_\theta(x_i)` estimates

.. math:: \theta^* = \arg\max_\theta E_g[\log p_\theta(X)]
                   = \arg\min_\theta \mathrm{KL}(g\,\|\,p_\theta),

since :math:`\mathrm{KL}(g\|p_\theta) = H(g, p_\theta) - H(g)` with cross-entropy
:math:`H(g, p) = -E_g[\log p(X)]` and entropy :math:`H(g) = H(g, g)`. When the model contains
the truth :math:`g = p_{\theta_0}`, :math:`\theta^* = \theta_0`; otherwise the MLE converges to
the *pseudo-true* :math:`\theta^*` (:func:`pseudo_true`).

Discrete functions use ``scipy.special.xlogy``/``rel_entr`` (:math:`0\log 0 = 0`, and
:math:`\mathrm{KL} = \infty` where :math:`q = 0 < p`). All results are in nats unless
``base`` is given.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import ArrayLike
from scipy import optimize
from scipy.special import rel_entr, xlogy

from ._validation import as_param, check_positive
from .information import _theta_vector

__all__ = [
    "PseudoTrueResult",
    "cross_entropy",
    "entropy",
    "kl_divergence",
    "kl_numerical",
    "normal_cross_entropy",
    "normal_entropy",
    "normal_kl",
    "pseudo_true",
]


def _prob_vector(p: ArrayLike, name: str) -> np.ndarray:
    """Validate a probability vector (or a stack of them along the last axis)."""
    arr = as_param(p, name)
    if arr.ndim == 0:
        raise ValueError(f"{name} must be a probability vector (1-D array), got a scalar")
    if arr.shape[-1] == 0:
        raise ValueError(f"{name} is empty; expected a probability vector")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} contains infinite values")
    if np.any(arr < 0):
        raise ValueError(
            f"{name} has negative entries {arr[arr < 0][:3].tolist()}; probabilities must be >= 0"
        )
    total = arr.sum(axis=-1)
    if np.any(np.abs(total - 1.0) > 1e-8):
        raise ValueError(
            f"{name} must sum to 1 (a probability mass function), sums to {np.atleast_1d(total)[:3].tolist()}"
        )
    return arr


def _log_base(base: float | None) -> float:
    if base is None:
        return 1.0
    if not (np.isfinite(base) and base > 0 and base != 1):
        raise ValueError(f"base must be a positive number other than 1 (e.g. 2 for bits), got {base}")
    return float(np.log(base))


def _pair(p: ArrayLike, q: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    pa, qa = _prob_vector(p, "p"), _prob_vector(q, "q")
    if pa.shape[-1] != qa.shape[-1]:
        raise ValueError(
            f"p and q must be defined on the same support: p has {pa.shape[-1]} entries, q has {qa.shape[-1]}"
        )
    return pa, qa


def _out(arr: np.ndarray) -> float | np.ndarray:
    arr = np.asarray(arr, dtype=float)
    return float(arr) if arr.ndim == 0 else arr


def entropy(p: ArrayLike, *, base: float | None = None) -> float | np.ndarray:
    r"""Shannon entropy of a discrete distribution, :math:`H(p) = -\sum_j p_j \log p_j`.

    Parameters
    ----------
    p : array_like, shape (K,) or (..., K)
        Probabilities summing to 1 along the last axis.
    base : float, optional
        Logarithm base (default :math:`e`, nats; 2 gives bits).
    """
    pa = _prob_vector(p, "p")
    return _out(-np.sum(xlogy(pa, pa), axis=-1) / _log_base(base))


def cross_entropy(p: ArrayLike, q: ArrayLike, *, base: float | None = None) -> float | np.ndarray:
    r"""Cross-entropy :math:`H(p, q) = -\sum_j p_j \log q_j` (:math:`\infty` if :math:`q_j = 0 < p_j`)."""
    pa, qa = _pair(p, q)
    return _out(-np.sum(xlogy(pa, qa), axis=-1) / _log_base(base))


def kl_divergence(p: ArrayLike, q: ArrayLike, *, base: float | None = None) -> float | np.ndarray:
    r"""Kullback-Leibler divergence :math:`\mathrm{KL}(p\|q) = \sum_j p_j \log(p_j / q_j)`.

    Non-negative, zero iff :math:`p = q`, not symmetric; :math:`\infty` when some
    :math:`q_j = 0 < p_j`. Equals ``cross_entropy(p, q) - entropy(p)``.
    """
    pa, qa = _pair(p, q)
    return _out(np.sum(rel_entr(pa, qa), axis=-1) / _log_base(base))


# --------------------------------------------------------------------------------------------
# Normal closed forms (variance parameterisation)
# --------------------------------------------------------------------------------------------
def normal_entropy(sigma2: ArrayLike) -> float | np.ndarray:
    r"""Differential entropy of :math:`N(\mu, \sigma^2)`: :math:`\tfrac12\log(2\pi e\sigma^2)`."""
    s2 = check_positive(sigma2, "sigma2")
    return _out(0.5 * np.log(2.0 * np.pi * np.e * s2))


def normal_cross_entropy(
    mu1: ArrayLike, sigma2_1: ArrayLike, mu2: ArrayLike, sigma2_2: ArrayLike
) -> float | np.ndarray:
    r"""Cross-entropy :math:`-E_{N(\mu_1,\sigma_1^2)}[\log \phi(X;\mu_2,\sigma_2^2)]`.

    .. math:: \tfrac12\log(2\pi\sigma_2^2) + \frac{\sigma_1^2 + (\mu_1 - \mu_2)^2}{2\sigma_2^2}.
    """
    m1, m2 = as_param(mu1, "mu1"), as_param(mu2, "mu2")
    s1, s2 = check_positive(sigma2_1, "sigma2_1"), check_positive(sigma2_2, "sigma2_2")
    return _out(0.5 * np.log(2.0 * np.pi * s2) + (s1 + (m1 - m2) ** 2) / (2.0 * s2))


def normal_kl(
    mu1: ArrayLike, sigma2_1: ArrayLike, mu2: ArrayLike, sigma2_2: ArrayLike
) -> float | np.ndarray:
    r"""KL divergence between normals, :math:`\mathrm{KL}(N(\mu_1,\sigma_1^2)\,\|\,N(\mu_2,\sigma_2^2))`.

    .. math:: \frac12\left[\log\frac{\sigma_2^2}{\sigma_1^2}
        + \frac{\sigma_1^2 + (\mu_1 - \mu_2)^2}{\sigma_2^2} - 1\right].

    Arguments broadcast (e.g. a grid of :math:`\mu_2`).
    """
    m1, m2 = as_param(mu1, "mu1"), as_param(mu2, "mu2")
    s1, s2 = check_positive(sigma2_1, "sigma2_1"), check_positive(sigma2_2, "sigma2_2")
    return _out(0.5 * (np.log(s2 / s1) + (s1 + (m1 - m2) ** 2) / s2 - 1.0))


# --------------------------------------------------------------------------------------------
# numerical KL and the pseudo-true parameter
# --------------------------------------------------------------------------------------------
def _expected_log(
    logpdf_g: Callable[[float], float],
    f: Callable[[float, float], float],
    lower: float,
    upper: float,
    points: Sequence[float] | None,
) -> tuple[float, bool]:
    r""":math:`\int g(x) f(x, \log g(x)) dx` by adaptive quadrature (0 where g = 0).

    Returns the value and whether ``f`` was infinite somewhere ``g > 0`` (the integral is then
    infinite; the quadrature itself skips those points).
    """
    hit_infinite = False

    def integrand(x: float) -> float:
        nonlocal hit_infinite
        lg = float(logpdf_g(x))
        if lg == -np.inf:
            return 0.0
        v = float(f(x, lg))
        if not np.isfinite(v):
            hit_infinite = True
            return 0.0
        return float(np.exp(lg) * v)

    kw: dict[str, Any] = {"limit": 200, "epsabs": 1e-12, "epsrel": 1e-10}
    if points is not None and np.isfinite(lower) and np.isfinite(upper):
        kw["points"] = list(points)
    from scipy import integrate  # imported here: scipy.integrate is slow to import

    val, _ = integrate.quad(integrand, lower, upper, **kw)
    return float(val), hit_infinite


_GL_NODES, _GL_WEIGHTS = np.polynomial.legendre.leggauss(30)


def _quadrature_rule(
    logpdf_g: Callable[[float], float],
    lower: float,
    upper: float,
    points: Sequence[float] | None,
) -> tuple[np.ndarray, np.ndarray]:
    r"""A fixed quadrature rule for expectations under :math:`g`.

    Returns nodes :math:`x_j` and log-weights :math:`\log w_j` (which include
    :math:`\log g(x_j)`), such that
    :math:`E_g[h(X)] \approx \sum_j w_j h(x_j)` for smooth :math:`h`. Infinite limits are
    mapped to a finite interval (:math:`x = a + t^2/(1-t^2)`, whose Jacobian vanishes at the
    finite end and so smooths an integrable singularity of :math:`g` there, or
    :math:`x = t/(1-t^2)`);
    ``scipy.integrate.quad`` adaptively subdivides the integral of
    :math:`g(x)(1 + x^2)` there, and each subinterval gets 30-point Gauss-Legendre. Built once,
    the rule makes each evaluation of :math:`E_g[\log p_\theta(X)]` one vectorised call.
    """
    if np.isfinite(lower) and np.isfinite(upper):
        t_lo, t_hi = float(lower), float(upper)

        def to_x(t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            return t, np.ones_like(t)
    elif np.isfinite(lower):
        t_lo, t_hi = 0.0, 1.0

        def to_x(t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            # x = lower + t^2/(1 - t^2): the Jacobian 2t/(1 - t^2)^2 vanishes at the finite end,
            # which smooths an integrable singularity of g there (e.g. Gamma(1/2) at 0)
            return lower + t**2 / (1.0 - t**2), 2.0 * t / (1.0 - t**2) ** 2
    elif np.isfinite(upper):
        t_lo, t_hi = 0.0, 1.0

        def to_x(t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            return upper - t**2 / (1.0 - t**2), 2.0 * t / (1.0 - t**2) ** 2
    else:
        t_lo, t_hi = -1.0, 1.0

        def to_x(t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            return t / (1.0 - t**2), (1.0 + t**2) / (1.0 - t**2) ** 2

    def density_t(t: float) -> float:
        if (t <= t_lo and not np.isfinite(lower)) or (t >= t_hi and not np.isfinite(upper)):
            return 0.0
        x, jac = to_x(np.array([t]))
        lg = float(logpdf_g(float(x[0])))
        if lg == -np.inf or not np.isfinite(x[0]):
            return 0.0
        return float(np.exp(lg) * (1.0 + x[0] ** 2) * jac[0])

    kw: dict[str, Any] = {"limit": 200, "epsabs": 1e-13, "epsrel": 1e-11, "full_output": 1}
    if points is not None and np.isfinite(lower) and np.isfinite(upper):
        kw["points"] = list(points)
    from scipy import integrate

    out = integrate.quad(density_t, t_lo, t_hi, **kw)
    info = out[2]
    last = int(info["last"])
    a, b = np.asarray(info["alist"][:last]), np.asarray(info["blist"][:last])
    half, mid = 0.5 * (b - a), 0.5 * (b + a)
    t_nodes = (mid[:, None] + half[:, None] * _GL_NODES[None, :]).ravel()
    t_w = (half[:, None] * _GL_WEIGHTS[None, :]).ravel()
    x, jac = to_x(t_nodes)
    lg = np.array([float(logpdf_g(float(xi))) for xi in x])
    keep = np.isfinite(lg) & np.isfinite(x) & (t_w * jac > 0)
    x, log_w = x[keep], lg[keep] + np.log(t_w[keep] * jac[keep])
    order = np.argsort(x)
    return x[order], log_w[order]


def kl_numerical(
    logpdf_g: Callable[[float], float],
    logpdf_p: Callable[[float], float],
    lower: float = -np.inf,
    upper: float = np.inf,
    *,
    points: Sequence[float] | None = None,
) -> float:
    r"""KL divergence between densities by quadrature.

    .. math:: \mathrm{KL}(g\|p) = \int_{\text{lower}}^{\text{upper}} g(x)\,
        \{\log g(x) - \log p(x)\}\,dx .

    Parameters
    ----------
    logpdf_g, logpdf_p : callable
        ``logpdf(x) -> float`` for scalar ``x`` (e.g. ``scipy.stats.gamma(2).logpdf``).
    lower, upper : float
        Integration limits covering the support of :math:`g`.
    points : sequence of float, optional
        Break points for ``scipy.integrate.quad`` (finite limits only).

    Returns
    -------
    float
        :math:`\infty` if :math:`p = 0` somewhere :math:`g > 0`.
    """
    if not (callable(logpdf_g) and callable(logpdf_p)):
        raise TypeError("logpdf_g and logpdf_p must be callables returning log-densities")
    if not lower < upper:
        raise ValueError(f"need lower < upper, got {lower} and {upper}")
    def f(x: float, lg: float) -> float:
        return lg - float(logpdf_p(x))

    val, infinite = _expected_log(logpdf_g, f, lower, upper, points)
    return np.inf if infinite else val


class PseudoTrueResult(NamedTuple):
    r"""The KL-minimising parameter :math:`\theta^*`, the minimum :math:`\mathrm{KL}(g\|p_{\theta^*})`
    and whether the optimiser converged."""

    theta: float | np.ndarray
    kl: float
    success: bool


def pseudo_true(
    logpdf_g: Callable[[float], float],
    logpdf_model: Callable[..., float],
    theta0: ArrayLike,
    lower: float = -np.inf,
    upper: float = np.inf,
    *,
    bounds: Sequence[tuple[float | None, float | None]] | None = None,
    points: Sequence[float] | None = None,
) -> PseudoTrueResult:
    r"""Pseudo-true parameter :math:`\theta^* = \arg\min_\theta \mathrm{KL}(g\|p_\theta)`, numerically.

    Maximises the expected log-density
    :math:`E_g[\log p_\theta(X)] = \int g(x)\log p_\theta(x)\,dx` over :math:`\theta`
    (Nelder-Mead). The integral uses a fixed quadrature rule adapted to :math:`g` once (adaptive
    ``scipy.integrate.quad`` subdivision + 30-point Gauss-Legendre per piece, accurate to about
    1e-10 for smooth log-densities), so each evaluation is a single vectorised call of
    ``logpdf_model``. A rule that does not integrate :math:`g` to 1 is flagged (a warning and
    ``success=False``). The minimum KL is computed once at the optimum by adaptive quadrature
    (:func:`kl_numerical`), since :math:`\log g` may be singular where the rule is not accurate.

    Parameters
    ----------
    logpdf_g : callable
        ``logpdf_g(x)``: log-density of the true distribution :math:`g`.
    logpdf_model : callable
        ``logpdf_model(theta, x)``: log-density of the model, preferably vectorised over an
        array ``x`` (otherwise it is called point by point); ``theta`` is a float when
        ``theta0`` is a scalar, a 1-D array otherwise. Values of ``theta`` where it raises
        ``ValueError`` or gives :math:`-\infty` on the support of :math:`g` are rejected.
    theta0 : float or array_like
        Starting value.
    lower, upper : float
        Support of :math:`g` (integration limits).
    bounds : sequence of (low, high), optional
        Parameter bounds.
    points : sequence of float, optional
        Break points for the quadrature.

    Returns
    -------
    PseudoTrueResult
        ``(theta, kl, success)``.

    Examples
    --------
    Fitting an exponential model to Gamma(2, 1) data: :math:`\lambda^* = 1/E_g[X] = 1/2`.

    >>> from scipy import stats
    >>> res = pseudo_true(stats.gamma(2).logpdf, lambda lam, x: stats.expon.logpdf(x, scale=1/lam),
    ...                   1.0, 0, float("inf"), bounds=[(1e-6, None)])
    >>> round(float(res.theta), 6)
    0.5
    """
    t0, scalar = _theta_vector(theta0, "theta0")
    if not (callable(logpdf_g) and callable(logpdf_model)):
        raise TypeError("logpdf_g and logpdf_model must be callables")

    x_nodes, log_w = _quadrature_rule(logpdf_g, lower, upper, points)
    weights = np.exp(log_w)  # weights of E_g[h(X)] = sum_j weights_j h(x_j)
    mass = float(weights.sum())  # integral of g by the same rule: 1 when the rule is accurate
    rule_ok = abs(mass - 1.0) < 1e-7
    if not rule_ok:
        warnings.warn(
            f"the quadrature rule integrates g to {mass:.10f}, not 1 (a singular or very "
            "concentrated g?); pseudo_true may be inaccurate: pass break points near the "
            "singularity with `points`, or check the result with kl_numerical",
            UserWarning,
            stacklevel=2,
        )

    def model_at(t: np.ndarray) -> np.ndarray:
        th: Any = float(t[0]) if scalar else t
        try:
            v = np.asarray(logpdf_model(th, x_nodes), dtype=float)
            if v.shape != x_nodes.shape:
                raise TypeError
        except (TypeError, IndexError):  # not vectorised over x: evaluate point by point
            v = np.array([float(logpdf_model(th, float(xi))) for xi in x_nodes])
        return v

    def neg_expected(t: np.ndarray) -> float:
        try:
            lp = model_at(t)
        except (ValueError, OverflowError):
            return np.inf
        if not np.all(np.isfinite(lp)):
            return np.inf
        return -float(weights @ lp)

    if not np.isfinite(neg_expected(t0)):
        raise ValueError(
            f"E_g[log p_theta(X)] is not finite at theta0 = {t0.tolist()}; choose a starting value "
            "where the model gives positive density on the support of g"
        )
    res = optimize.minimize(
        neg_expected,
        t0,
        method="Nelder-Mead",
        bounds=bounds,
        options={"xatol": 1e-10, "fatol": 1e-14, "maxiter": 4000 * t0.size},
    )
    theta = np.asarray(res.x, dtype=float)
    out_theta: float | np.ndarray = float(theta[0]) if scalar else theta
    # The minimum KL once, by adaptive quadrature: log g may be singular where g is (e.g. log x
    # at 0 for Gamma(1/2)), which the fixed rule, built for smooth integrands, integrates poorly.
    kl = kl_numerical(
        logpdf_g, lambda x: logpdf_model(out_theta, x), lower, upper, points=points
    )
    return PseudoTrueResult(out_theta, max(kl, 0.0), bool(res.success) and rule_ok)
