r"""Log-likelihoods, scores, Fisher information and closed-form MLEs of five textbook families.

For an i.i.d. sample :math:`x_1, \dots, x_n` from a density (or mass function)
:math:`f(x \mid \theta)` the log-likelihood is

.. math:: \ell(\theta) = \sum_{i=1}^n \log f(x_i \mid \theta),

the score is :math:`U(\theta) = \partial \ell / \partial \theta`, the observed information is
:math:`-\partial^2 \ell / \partial \theta\,\partial \theta^\top` and the (per-observation) Fisher
information is :math:`I(\theta) = \operatorname{Var}_\theta[\partial_\theta \log f(X\mid\theta)]`.

Every family ``fam`` in ``bernoulli``, ``poisson``, ``normal``, ``exponential``, ``uniform``
provides

* ``fam_loglik(theta..., x)`` -- total log-likelihood; the parameters broadcast against each
  other, so a grid of :math:`\theta` (e.g. a meshgrid of :math:`(\mu, \sigma^2)`) gives a grid of
  log-likelihoods. Scalar parameters give a ``float``.
* ``fam_loglik_obs(theta..., x)`` -- the ``(n,)`` per-observation log-likelihoods.
* ``fam_score(theta..., x)`` / ``fam_score_obs(theta..., x)`` -- total and per-observation score.
* ``fam_hessian(theta..., x)`` -- second derivative of the total log-likelihood.
* ``fam_fisher(theta...)`` -- expected Fisher information of ONE observation.
* ``fam_mle(x)`` -- the closed-form maximum-likelihood estimate.

Conventions: everything is computed in log space (``xlogy``, ``gammaln``), so
``bernoulli_loglik(1.0, [1, 1, 1]) == 0.0`` rather than ``nan``. A parameter that makes the data
impossible gives ``-inf`` (``uniform_loglik(2.0, [3.0])``); a parameter outside the parameter space
(``p = 1.5``, ``sigma2 = -1``) or data outside the family's sample space (a Bernoulli ``2``, a
negative Poisson count) raises ``ValueError``.

The registry :data:`FAMILIES` maps a name to a :class:`Family` bundling these functions with a
sampler and the matching frozen ``scipy.stats`` distribution.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike
from scipy.special import gammaln, xlogy

from ._validation import (
    as_data,
    as_param,
    check_binary,
    check_counts,
    check_nonnegative,
    check_positive,
    check_prob,
)


def _scipy_stats():
    """scipy.stats, imported on first use (it takes a quarter of a second to import)."""
    from scipy import stats

    return stats


__all__ = [
    "FAMILIES",
    "Family",
    "bernoulli_fisher",
    "bernoulli_hessian",
    "bernoulli_loglik",
    "bernoulli_loglik_obs",
    "bernoulli_mle",
    "bernoulli_score",
    "bernoulli_score_obs",
    "exponential_fisher",
    "exponential_hessian",
    "exponential_loglik",
    "exponential_loglik_obs",
    "exponential_mle",
    "exponential_score",
    "exponential_score_obs",
    "get_family",
    "normal_fisher",
    "normal_hessian",
    "normal_loglik",
    "normal_loglik_obs",
    "normal_mle",
    "normal_score",
    "normal_score_obs",
    "poisson_fisher",
    "poisson_hessian",
    "poisson_loglik",
    "poisson_loglik_obs",
    "poisson_mle",
    "poisson_score",
    "poisson_score_obs",
    "uniform_fisher",
    "uniform_hessian",
    "uniform_loglik",
    "uniform_loglik_obs",
    "uniform_mle",
    "uniform_score",
    "uniform_score_obs",
]

_LOG_2PI = float(np.log(2.0 * np.pi))


# --------------------------------------------------------------------------------------------
# small internal helpers
# --------------------------------------------------------------------------------------------
def _out(arr: np.ndarray) -> float | np.ndarray:
    """Return a Python float for 0-d results, the array otherwise."""
    arr = np.asarray(arr, dtype=float)
    return float(arr) if arr.ndim == 0 else arr


def _scalar(value: np.ndarray, name: str) -> float:
    """Insist on a single parameter value (the per-observation functions need one)."""
    if np.ndim(value) != 0 and np.size(value) != 1:
        raise ValueError(
            f"{name} must be a single number here (per-observation quantities are computed at "
            f"one parameter value), got an array of shape {np.shape(value)}"
        )
    return float(np.asarray(value).reshape(()))


def _safe_div(num: ArrayLike, den: ArrayLike) -> np.ndarray:
    """``num / den`` with the convention ``0 / 0 = 0`` (the limit of ``k/p`` when ``k = 0``)."""
    num, den = np.broadcast_arrays(np.asarray(num, dtype=float), np.asarray(den, dtype=float))
    with np.errstate(divide="ignore", invalid="ignore"):
        out = num / den
    return np.where(num == 0, 0.0, out)


def _bernoulli_data(x: ArrayLike) -> np.ndarray:
    return check_binary(as_data(x, "x"), "x")


def _poisson_data(x: ArrayLike) -> np.ndarray:
    return check_counts(as_data(x, "x"), "x")


def _exponential_data(x: ArrayLike) -> np.ndarray:
    return check_nonnegative(as_data(x, "x"), "x")


def _uniform_data(x: ArrayLike) -> np.ndarray:
    arr = as_data(x, "x")
    if np.any(arr < 0):
        raise ValueError(
            f"x must be >= 0 for Uniform(0, theta) data, found {arr[arr < 0][:3].tolist()}"
        )
    return arr


def _check_rate(rate: ArrayLike, name: str = "rate") -> np.ndarray:
    arr = as_param(rate, name)
    if np.any(arr < 0):
        raise ValueError(f"{name} must be >= 0, got {arr[arr < 0][:3].tolist()}")
    return arr


# --------------------------------------------------------------------------------------------
# Bernoulli(p)
# --------------------------------------------------------------------------------------------
def bernoulli_loglik(p: ArrayLike, x: ArrayLike) -> float | np.ndarray:
    r"""Total Bernoulli log-likelihood.

    .. math:: \ell(p) = k \log p + (n - k) \log(1 - p), \qquad k = \sum_i x_i,

    with :math:`0 \log 0 = 0` (so :math:`\ell(1) = 0` when every :math:`x_i = 1`).

    Parameters
    ----------
    p : float or array_like
        Success probability in :math:`[0, 1]`; an array gives one log-likelihood per entry.
    x : array_like, shape (n,)
        Observations, each 0 or 1.

    Returns
    -------
    float or ndarray
        Same shape as ``p``.
    """
    p = check_prob(p, "p")
    x = _bernoulli_data(x)
    n, k = x.size, x.sum()
    return _out(xlogy(k, p) + xlogy(n - k, 1.0 - p))


def bernoulli_loglik_obs(p: float, x: ArrayLike) -> np.ndarray:
    r"""Per-observation Bernoulli log-likelihood :math:`x_i \log p + (1 - x_i)\log(1 - p)`."""
    p = _scalar(check_prob(p, "p"), "p")
    x = _bernoulli_data(x)
    return xlogy(x, p) + xlogy(1.0 - x, 1.0 - p)


def bernoulli_score_obs(p: float, x: ArrayLike) -> np.ndarray:
    r"""Per-observation Bernoulli score :math:`x_i / p - (1 - x_i)/(1 - p)`."""
    p = _scalar(check_prob(p, "p"), "p")
    x = _bernoulli_data(x)
    return _safe_div(x, p) - _safe_div(1.0 - x, 1.0 - p)


def bernoulli_score(p: ArrayLike, x: ArrayLike) -> float | np.ndarray:
    r"""Total Bernoulli score.

    .. math:: U(p) = \frac{k}{p} - \frac{n - k}{1 - p} = \frac{k - np}{p(1 - p)}.

    Broadcasts over ``p``. At the boundary the convention :math:`0/0 = 0` is used, so e.g.
    :math:`U(1) = n` when every :math:`x_i = 1` (and :math:`-\infty` if some :math:`x_i = 0`).
    """
    p = check_prob(p, "p")
    x = _bernoulli_data(x)
    n, k = x.size, x.sum()
    return _out(_safe_div(k, p) - _safe_div(n - k, 1.0 - p))


def bernoulli_hessian(p: ArrayLike, x: ArrayLike) -> float | np.ndarray:
    r"""Second derivative of the Bernoulli log-likelihood :math:`-k/p^2 - (n - k)/(1 - p)^2`."""
    p = check_prob(p, "p")
    x = _bernoulli_data(x)
    n, k = x.size, x.sum()
    return _out(-_safe_div(k, p**2) - _safe_div(n - k, (1.0 - p) ** 2))


def bernoulli_fisher(p: ArrayLike) -> float | np.ndarray:
    r"""Fisher information of one Bernoulli observation, :math:`I(p) = 1 / \{p(1 - p)\}`.

    Infinite at :math:`p \in \{0, 1\}`.
    """
    p = check_prob(p, "p")
    with np.errstate(divide="ignore"):
        return _out(1.0 / (p * (1.0 - p)))


def bernoulli_mle(x: ArrayLike) -> float:
    r"""Closed-form Bernoulli MLE :math:`\hat p = \bar x`."""
    return float(_bernoulli_data(x).mean())


# --------------------------------------------------------------------------------------------
# Poisson(lam)
# --------------------------------------------------------------------------------------------
def poisson_loglik(lam: ArrayLike, x: ArrayLike) -> float | np.ndarray:
    r"""Total Poisson log-likelihood.

    .. math:: \ell(\lambda) = -n\lambda + \Big(\sum_i x_i\Big)\log\lambda - \sum_i \log(x_i!),

    using ``xlogy`` and ``gammaln`` (so :math:`\lambda = 0` with all-zero data gives 0).

    Parameters
    ----------
    lam : float or array_like
        Rate :math:`\lambda \ge 0`; broadcasts.
    x : array_like, shape (n,)
        Non-negative integer counts.
    """
    lam = _check_rate(lam, "lam")
    x = _poisson_data(x)
    return _out(-x.size * lam + xlogy(x.sum(), lam) - gammaln(x + 1.0).sum())


def poisson_loglik_obs(lam: float, x: ArrayLike) -> np.ndarray:
    r"""Per-observation Poisson log-likelihood :math:`-\lambda + x_i\log\lambda - \log x_i!`."""
    lam = _scalar(_check_rate(lam, "lam"), "lam")
    x = _poisson_data(x)
    return -lam + xlogy(x, lam) - gammaln(x + 1.0)


def poisson_score_obs(lam: float, x: ArrayLike) -> np.ndarray:
    r"""Per-observation Poisson score :math:`x_i/\lambda - 1`."""
    lam = _scalar(_check_rate(lam, "lam"), "lam")
    x = _poisson_data(x)
    return _safe_div(x, lam) - 1.0


def poisson_score(lam: ArrayLike, x: ArrayLike) -> float | np.ndarray:
    r"""Total Poisson score :math:`U(\lambda) = \sum_i x_i / \lambda - n`; broadcasts."""
    lam = _check_rate(lam, "lam")
    x = _poisson_data(x)
    return _out(_safe_div(x.sum(), lam) - x.size)


def poisson_hessian(lam: ArrayLike, x: ArrayLike) -> float | np.ndarray:
    r"""Second derivative of the Poisson log-likelihood :math:`-\sum_i x_i / \lambda^2`."""
    lam = _check_rate(lam, "lam")
    x = _poisson_data(x)
    return _out(-_safe_div(x.sum(), lam**2))


def poisson_fisher(lam: ArrayLike) -> float | np.ndarray:
    r"""Fisher information of one Poisson observation, :math:`I(\lambda) = 1/\lambda`."""
    lam = _check_rate(lam, "lam")
    with np.errstate(divide="ignore"):
        return _out(1.0 / lam)


def poisson_mle(x: ArrayLike) -> float:
    r"""Closed-form Poisson MLE :math:`\hat\lambda = \bar x`."""
    return float(_poisson_data(x).mean())


# --------------------------------------------------------------------------------------------
# Normal(mu, sigma2)  -- parameterised by the VARIANCE sigma2
# --------------------------------------------------------------------------------------------
def normal_loglik(mu: ArrayLike, sigma2: ArrayLike, x: ArrayLike) -> float | np.ndarray:
    r"""Total Normal log-likelihood in the :math:`(\mu, \sigma^2)` parameterisation.

    .. math::
        \ell(\mu, \sigma^2) = -\frac n2 \log(2\pi\sigma^2)
            - \frac{\sum_i (x_i - \bar x)^2 + n(\bar x - \mu)^2}{2\sigma^2}.

    ``mu`` and ``sigma2`` broadcast against each other, so
    ``normal_loglik(MU, S2, x)`` with ``MU, S2 = np.meshgrid(...)`` gives the surface.

    Parameters
    ----------
    mu : float or array_like
        Mean.
    sigma2 : float or array_like
        Variance, :math:`\sigma^2 > 0`.
    x : array_like, shape (n,)
    """
    mu = as_param(mu, "mu")
    sigma2 = check_positive(sigma2, "sigma2")
    x = as_data(x, "x")
    n, xbar = x.size, x.mean()
    ss = np.sum((x - xbar) ** 2)
    quad = ss + n * (xbar - mu) ** 2
    return _out(-0.5 * n * (_LOG_2PI + np.log(sigma2)) - quad / (2.0 * sigma2))


def normal_loglik_obs(mu: float, sigma2: float, x: ArrayLike) -> np.ndarray:
    r"""Per-observation Normal log-likelihood
    :math:`-\tfrac12\log(2\pi\sigma^2) - (x_i - \mu)^2 / (2\sigma^2)`."""
    mu = _scalar(as_param(mu, "mu"), "mu")
    sigma2 = _scalar(check_positive(sigma2, "sigma2"), "sigma2")
    x = as_data(x, "x")
    return -0.5 * (_LOG_2PI + np.log(sigma2)) - (x - mu) ** 2 / (2.0 * sigma2)


def normal_score_obs(mu: float, sigma2: float, x: ArrayLike) -> np.ndarray:
    r"""Per-observation Normal score, shape ``(n, 2)``.

    .. math::
        \Big(\frac{x_i - \mu}{\sigma^2},\;
             -\frac{1}{2\sigma^2} + \frac{(x_i - \mu)^2}{2\sigma^4}\Big).
    """
    mu = _scalar(as_param(mu, "mu"), "mu")
    sigma2 = _scalar(check_positive(sigma2, "sigma2"), "sigma2")
    x = as_data(x, "x")
    r = x - mu
    return np.column_stack([r / sigma2, -0.5 / sigma2 + r**2 / (2.0 * sigma2**2)])


def normal_score(mu: ArrayLike, sigma2: ArrayLike, x: ArrayLike) -> np.ndarray:
    r"""Total Normal score :math:`(\partial_\mu \ell, \partial_{\sigma^2} \ell)`.

    .. math::
        \partial_\mu \ell = \frac{n(\bar x - \mu)}{\sigma^2}, \qquad
        \partial_{\sigma^2} \ell = -\frac{n}{2\sigma^2}
            + \frac{\sum_i (x_i - \mu)^2}{2\sigma^4}.

    Returns
    -------
    ndarray
        Shape ``(2,)`` for scalar parameters, ``(2, *broadcast_shape)`` for grids.
    """
    mu = as_param(mu, "mu")
    sigma2 = check_positive(sigma2, "sigma2")
    x = as_data(x, "x")
    mu, sigma2 = np.broadcast_arrays(mu, sigma2)
    n, xbar = x.size, x.mean()
    ss_mu = np.sum((x - xbar) ** 2) + n * (xbar - mu) ** 2
    return np.stack([n * (xbar - mu) / sigma2, -0.5 * n / sigma2 + ss_mu / (2.0 * sigma2**2)])


def normal_hessian(mu: float, sigma2: float, x: ArrayLike) -> np.ndarray:
    r"""Hessian of the total Normal log-likelihood, shape ``(2, 2)``.

    .. math::
        H = \begin{pmatrix}
            -n/\sigma^2 & -\sum_i (x_i - \mu)/\sigma^4 \\
            -\sum_i (x_i - \mu)/\sigma^4 & n/(2\sigma^4) - \sum_i (x_i - \mu)^2/\sigma^6
        \end{pmatrix}.
    """
    mu = _scalar(as_param(mu, "mu"), "mu")
    sigma2 = _scalar(check_positive(sigma2, "sigma2"), "sigma2")
    x = as_data(x, "x")
    n, r = x.size, x - mu
    off = -r.sum() / sigma2**2
    return np.array(
        [[-n / sigma2, off], [off, 0.5 * n / sigma2**2 - np.sum(r**2) / sigma2**3]]
    )


def normal_fisher(mu: float, sigma2: float) -> np.ndarray:
    r"""Fisher information of one Normal observation in :math:`(\mu, \sigma^2)`.

    .. math:: I(\mu, \sigma^2) = \operatorname{diag}\big(1/\sigma^2,\; 1/(2\sigma^4)\big).

    ``mu`` does not enter; it is accepted so that every family's ``fisher`` takes the full
    parameter vector.
    """
    _scalar(as_param(mu, "mu"), "mu")
    sigma2 = _scalar(check_positive(sigma2, "sigma2"), "sigma2")
    return np.diag([1.0 / sigma2, 1.0 / (2.0 * sigma2**2)])


def normal_mle(x: ArrayLike) -> tuple[float, float]:
    r"""Closed-form Normal MLE.

    .. math:: \hat\mu = \bar x, \qquad \hat\sigma^2 = \frac1n \sum_i (x_i - \bar x)^2.

    Note the divisor :math:`n` (not :math:`n - 1`): the MLE of :math:`\sigma^2` is biased.
    Raises ``ValueError`` if all observations are equal (the likelihood is then unbounded as
    :math:`\sigma^2 \to 0`).
    """
    x = as_data(x, "x")
    mu = float(x.mean())
    s2 = float(np.mean((x - mu) ** 2))
    if s2 == 0.0:
        raise ValueError(
            "all observations are equal, so the likelihood grows without bound as sigma2 -> 0 "
            "and the MLE of sigma2 does not exist; need at least two distinct values"
        )
    return mu, s2


# --------------------------------------------------------------------------------------------
# Exponential(rate)
# --------------------------------------------------------------------------------------------
def exponential_loglik(rate: ArrayLike, x: ArrayLike) -> float | np.ndarray:
    r"""Total Exponential log-likelihood (rate parameterisation, mean :math:`1/\lambda`).

    .. math:: \ell(\lambda) = n\log\lambda - \lambda \sum_i x_i .

    ``rate`` broadcasts; :math:`\lambda = 0` gives :math:`-\infty`.
    """
    rate = _check_rate(rate)
    x = _exponential_data(x)
    return _out(xlogy(x.size, rate) - rate * x.sum())


def exponential_loglik_obs(rate: float, x: ArrayLike) -> np.ndarray:
    r"""Per-observation Exponential log-likelihood :math:`\log\lambda - \lambda x_i`."""
    rate = _scalar(_check_rate(rate), "rate")
    x = _exponential_data(x)
    return xlogy(1.0, rate) - rate * x


def exponential_score_obs(rate: float, x: ArrayLike) -> np.ndarray:
    r"""Per-observation Exponential score :math:`1/\lambda - x_i`."""
    rate = _scalar(_check_rate(rate), "rate")
    x = _exponential_data(x)
    with np.errstate(divide="ignore"):
        return 1.0 / rate - x


def exponential_score(rate: ArrayLike, x: ArrayLike) -> float | np.ndarray:
    r"""Total Exponential score :math:`U(\lambda) = n/\lambda - \sum_i x_i`; broadcasts."""
    rate = _check_rate(rate)
    x = _exponential_data(x)
    with np.errstate(divide="ignore"):
        return _out(x.size / rate - x.sum())


def exponential_hessian(rate: ArrayLike, x: ArrayLike) -> float | np.ndarray:
    r"""Second derivative of the Exponential log-likelihood :math:`-n/\lambda^2`."""
    rate = _check_rate(rate)
    x = _exponential_data(x)
    with np.errstate(divide="ignore"):
        return _out(-x.size / rate**2)


def exponential_fisher(rate: ArrayLike) -> float | np.ndarray:
    r"""Fisher information of one Exponential observation, :math:`I(\lambda) = 1/\lambda^2`."""
    rate = _check_rate(rate)
    with np.errstate(divide="ignore"):
        return _out(1.0 / rate**2)


def exponential_mle(x: ArrayLike) -> float:
    r"""Closed-form Exponential MLE :math:`\hat\lambda = 1/\bar x`.

    Raises ``ValueError`` when every observation is 0 (the likelihood then increases without
    bound in :math:`\lambda`).
    """
    x = _exponential_data(x)
    xbar = x.mean()
    if xbar == 0.0:
        raise ValueError(
            "all observations are 0, so the likelihood increases without bound in rate and the "
            "MLE does not exist; need at least one positive observation"
        )
    return float(1.0 / xbar)


# --------------------------------------------------------------------------------------------
# Uniform(0, theta)
# --------------------------------------------------------------------------------------------
def uniform_loglik(theta: ArrayLike, x: ArrayLike) -> float | np.ndarray:
    r"""Total Uniform(0, θ) log-likelihood.

    .. math::
        \ell(\theta) = \begin{cases} -n\log\theta & \theta \ge \max_i x_i \\
                                      -\infty & \text{otherwise.} \end{cases}

    Not differentiable at its maximum :math:`\hat\theta = \max_i x_i`: this family breaks the
    regularity conditions (the support depends on :math:`\theta`).
    """
    theta = check_positive(theta, "theta")
    x = _uniform_data(x)
    return _out(np.where(theta >= x.max(), -x.size * np.log(theta), -np.inf))


def uniform_loglik_obs(theta: float, x: ArrayLike) -> np.ndarray:
    r"""Per-observation Uniform(0, θ) log-likelihood.

    :math:`-\log\theta` where :math:`x_i \le \theta`, :math:`-\infty` otherwise.
    """
    theta = _scalar(check_positive(theta, "theta"), "theta")
    x = _uniform_data(x)
    return np.where(x <= theta, -np.log(theta), -np.inf)


def _uniform_check_support(theta: np.ndarray, x: np.ndarray) -> None:
    if np.any(theta < x.max()):
        raise ValueError(
            f"the Uniform(0, theta) score is undefined for theta < max(x) = {x.max():g}, where "
            "the likelihood is zero; evaluate it at theta >= max(x)"
        )


def uniform_score_obs(theta: float, x: ArrayLike) -> np.ndarray:
    r"""Per-observation Uniform(0, θ) score :math:`-1/\theta` (for :math:`\theta \ge \max x`)."""
    theta_arr = check_positive(theta, "theta")
    theta = _scalar(theta_arr, "theta")
    x = _uniform_data(x)
    _uniform_check_support(theta_arr, x)
    return np.full(x.size, -1.0 / theta)


def uniform_score(theta: ArrayLike, x: ArrayLike) -> float | np.ndarray:
    r"""Total Uniform(0, θ) score :math:`-n/\theta` for :math:`\theta \ge \max_i x_i`.

    It is never zero: the MLE :math:`\max_i x_i` is at a kink, not at a root of the score, and
    the score does not have mean zero (:math:`E[U] = -n/\theta`).
    """
    theta = check_positive(theta, "theta")
    x = _uniform_data(x)
    _uniform_check_support(theta, x)
    return _out(-x.size / theta)


def uniform_hessian(theta: ArrayLike, x: ArrayLike) -> float | np.ndarray:
    r"""Second derivative of :math:`-n\log\theta`, i.e. :math:`n/\theta^2` (positive!)."""
    theta = check_positive(theta, "theta")
    x = _uniform_data(x)
    _uniform_check_support(theta, x)
    return _out(x.size / theta**2)


def uniform_fisher(theta: ArrayLike) -> float:
    """Not defined: always raises ``ValueError``.

    Uniform(0, θ) is not a regular family -- its support depends on θ, the score does not have
    mean zero, and :math:`\\operatorname{Var}(U) = 0 \\ne -E[\\ell''] = -1/\\theta^2`, so the
    information identity and the :math:`1/\\sqrt n` asymptotics fail (the MLE converges at rate
    :math:`1/n`).
    """
    raise ValueError(
        "Uniform(0, theta) is not a regular family: its support depends on theta, so the score "
        "does not have mean zero, the information identity fails and there is no Fisher "
        "information; the MLE max(x) converges at rate 1/n, not 1/sqrt(n)"
    )


def uniform_mle(x: ArrayLike) -> float:
    r"""Closed-form Uniform(0, θ) MLE :math:`\hat\theta = \max_i x_i` (biased downward)."""
    x = _uniform_data(x)
    m = float(x.max())
    if m == 0.0:
        raise ValueError("all observations are 0, so the MLE max(x) = 0 is not a valid theta > 0")
    return m


# --------------------------------------------------------------------------------------------
# registry
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Family:
    """One parametric family: its likelihood functions, a sampler and the scipy distribution.

    The likelihood functions take the parameters positionally followed by the data, e.g.
    ``fam.loglik(mu, sigma2, x)``; ``sample`` and ``scipy_dist`` take the parameters as one
    tuple ``theta`` (a bare number is accepted for one-parameter families).

    Attributes
    ----------
    name : str
    param_names : tuple of str
    loglik, loglik_obs, score, score_obs, fisher, mle, hessian : callable
        The module-level functions ``{name}_loglik`` etc.
    sample : callable
        ``sample(rng, theta, size)`` draws ``size`` observations.
    scipy_dist : callable
        ``scipy_dist(theta)`` returns the frozen ``scipy.stats`` distribution.
    regular : bool
        Whether the usual regularity conditions (and hence ``fisher``) hold.
    """

    name: str
    param_names: tuple[str, ...]
    loglik: Callable[..., Any]
    loglik_obs: Callable[..., Any]
    score: Callable[..., Any]
    score_obs: Callable[..., Any]
    fisher: Callable[..., Any]
    mle: Callable[..., Any]
    sample: Callable[..., np.ndarray]
    scipy_dist: Callable[..., Any]
    hessian: Callable[..., Any]
    regular: bool = True

    @property
    def n_params(self) -> int:
        """Number of parameters."""
        return len(self.param_names)

    def params(self, theta: Any) -> tuple[float, ...]:
        """Normalise ``theta`` (number or sequence) to a tuple of floats of the right length."""
        t = tuple(float(v) for v in np.atleast_1d(np.asarray(theta, dtype=float)).ravel())
        if len(t) != self.n_params:
            raise ValueError(
                f"{self.name} has {self.n_params} parameter(s) {self.param_names}, got {len(t)}"
            )
        return t


def _check_theta(fam: str, t: tuple[float, ...]) -> None:
    checks: dict[str, Callable[[tuple[float, ...]], Any]] = {
        "bernoulli": lambda t: check_prob(t[0], "p"),
        "poisson": lambda t: _check_rate(t[0], "lam"),
        "normal": lambda t: check_positive(t[1], "sigma2"),
        "exponential": lambda t: check_positive(t[0], "rate"),
        "uniform": lambda t: check_positive(t[0], "theta"),
    }
    if any(np.isnan(t)):
        raise ValueError(f"{fam} parameters contain NaN: {t}")
    checks[fam](t)


def _sampler(draw: Callable[..., np.ndarray], fam: str) -> Callable[..., np.ndarray]:
    def sample(rng: np.random.Generator, theta: Any, size: int | tuple[int, ...]) -> np.ndarray:
        t = FAMILIES[fam].params(theta)
        _check_theta(fam, t)
        if not isinstance(rng, np.random.Generator):
            raise TypeError("rng must be a numpy.random.Generator (np.random.default_rng(seed))")
        return np.asarray(draw(rng, *t, size), dtype=float)

    sample.__doc__ = f"Draw ``size`` observations from the {fam} family at ``theta``."
    return sample


def _dist(make: Callable[..., Any], fam: str) -> Callable[[Any], Any]:
    def scipy_dist(theta: Any) -> Any:
        t = FAMILIES[fam].params(theta)
        _check_theta(fam, t)
        return make(*t)

    scipy_dist.__doc__ = f"The frozen scipy.stats distribution of the {fam} family at ``theta``."
    return scipy_dist


FAMILIES: dict[str, Family] = {
    "bernoulli": Family(
        "bernoulli", ("p",), bernoulli_loglik, bernoulli_loglik_obs, bernoulli_score,
        bernoulli_score_obs, bernoulli_fisher, bernoulli_mle,
        _sampler(lambda rng, p, size: rng.binomial(1, p, size), "bernoulli"),
        _dist(lambda p: _scipy_stats().bernoulli(p), "bernoulli"), bernoulli_hessian,
    ),
    "poisson": Family(
        "poisson", ("lam",), poisson_loglik, poisson_loglik_obs, poisson_score,
        poisson_score_obs, poisson_fisher, poisson_mle,
        _sampler(lambda rng, lam, size: rng.poisson(lam, size), "poisson"),
        _dist(lambda lam: _scipy_stats().poisson(lam), "poisson"), poisson_hessian,
    ),
    "normal": Family(
        "normal", ("mu", "sigma2"), normal_loglik, normal_loglik_obs, normal_score,
        normal_score_obs, normal_fisher, normal_mle,
        _sampler(lambda rng, mu, s2, size: rng.normal(mu, np.sqrt(s2), size), "normal"),
        _dist(lambda mu, s2: _scipy_stats().norm(mu, np.sqrt(s2)), "normal"), normal_hessian,
    ),
    "exponential": Family(
        "exponential", ("rate",), exponential_loglik, exponential_loglik_obs, exponential_score,
        exponential_score_obs, exponential_fisher, exponential_mle,
        _sampler(lambda rng, rate, size: rng.exponential(1.0 / rate, size), "exponential"),
        _dist(lambda rate: _scipy_stats().expon(scale=1.0 / rate), "exponential"), exponential_hessian,
    ),
    "uniform": Family(
        "uniform", ("theta",), uniform_loglik, uniform_loglik_obs, uniform_score,
        uniform_score_obs, uniform_fisher, uniform_mle,
        _sampler(lambda rng, theta, size: rng.uniform(0.0, theta, size), "uniform"),
        _dist(lambda theta: _scipy_stats().uniform(0.0, theta), "uniform"), uniform_hessian,
        regular=False,
    ),
}


def get_family(name: str) -> Family:
    """Look up a :class:`Family` in :data:`FAMILIES` by (case-insensitive) name."""
    if not isinstance(name, str):
        raise TypeError(f"family name must be a string, got {type(name).__name__}")
    try:
        return FAMILIES[name.lower()]
    except KeyError:
        raise ValueError(f"unknown family {name!r}; expected one of {sorted(FAMILIES)}") from None


# --------------------------------------------------------------------------------------------
# Cauchy location (scale known) -- a smooth likelihood with several local maxima
# --------------------------------------------------------------------------------------------
# Not in FAMILIES: its MLE has no closed form (it is the textbook example of a likelihood
# equation with several roots, used in chapter 2 and for Fisher scoring in chapter 3).
__all__ += [
    "cauchy_fisher",
    "cauchy_hessian",
    "cauchy_loglik",
    "cauchy_loglik_obs",
    "cauchy_score",
    "cauchy_score_obs",
]


def _cauchy_resid(theta: ArrayLike, x: ArrayLike, scale: float) -> tuple[np.ndarray, float]:
    """Standardised residuals ``(x - theta)/scale`` of shape ``theta.shape + (n,)``."""
    theta = as_param(theta, "theta")
    if not np.all(np.isfinite(theta)):
        raise ValueError(f"theta must be finite, got {theta[~np.isfinite(theta)][:3].tolist()}")
    gamma = _scalar(check_positive(scale, "scale"), "scale")
    x = as_data(x, "x")
    return (x - theta[..., None]) / gamma, gamma


def cauchy_loglik(theta: ArrayLike, x: ArrayLike, scale: float = 1.0) -> float | np.ndarray:
    r"""Total log-likelihood of the Cauchy location model with known scale :math:`\gamma`.

    .. math::
        \ell(\theta) = -n\log(\pi\gamma) - \sum_i \log\!\Big(1 + \frac{(x_i - \theta)^2}{\gamma^2}\Big).

    ``theta`` broadcasts (a grid of locations gives a grid of log-likelihoods). For several
    outlying observations :math:`\ell` has several local maxima and minima.

    Parameters
    ----------
    theta : float or array_like
        Location(s).
    x : array_like, shape (n,)
    scale : float, default 1.0
        The known scale :math:`\gamma > 0`.
    """
    z, gamma = _cauchy_resid(theta, x, scale)
    n = z.shape[-1]
    return _out(-n * np.log(np.pi * gamma) - np.log1p(z**2).sum(axis=-1))


def cauchy_loglik_obs(theta: float, x: ArrayLike, scale: float = 1.0) -> np.ndarray:
    r"""Per-observation Cauchy log-likelihood :math:`-\log(\pi\gamma) - \log(1 + z_i^2)`,
    :math:`z_i = (x_i - \theta)/\gamma`."""
    theta = _scalar(as_param(theta, "theta"), "theta")
    z, gamma = _cauchy_resid(theta, x, scale)
    return -np.log(np.pi * gamma) - np.log1p(z**2)


def cauchy_score_obs(theta: float, x: ArrayLike, scale: float = 1.0) -> np.ndarray:
    r"""Per-observation Cauchy location score :math:`\dfrac{2 z_i}{\gamma(1 + z_i^2)}`."""
    theta = _scalar(as_param(theta, "theta"), "theta")
    z, gamma = _cauchy_resid(theta, x, scale)
    return 2.0 * z / (gamma * (1.0 + z**2))


def cauchy_score(theta: ArrayLike, x: ArrayLike, scale: float = 1.0) -> float | np.ndarray:
    r"""Total Cauchy location score; broadcasts over ``theta``.

    .. math:: U(\theta) = \sum_i \frac{2 (x_i - \theta)}{\gamma^2 + (x_i - \theta)^2}.

    Each term is a bounded, redescending function of the residual, which is why the likelihood
    equation :math:`U(\theta) = 0` can have several roots.
    """
    z, gamma = _cauchy_resid(theta, x, scale)
    return _out((2.0 * z / (gamma * (1.0 + z**2))).sum(axis=-1))


def cauchy_hessian(theta: ArrayLike, x: ArrayLike, scale: float = 1.0) -> float | np.ndarray:
    r"""Second derivative of the Cauchy location log-likelihood; broadcasts over ``theta``.

    .. math:: \ell''(\theta) = \sum_i \frac{2\,\{(x_i - \theta)^2 - \gamma^2\}}
        {\{\gamma^2 + (x_i - \theta)^2\}^2}.

    Observations farther than :math:`\gamma` from :math:`\theta` contribute *positive*
    curvature, so :math:`\ell` is not concave.
    """
    z, gamma = _cauchy_resid(theta, x, scale)
    return _out((2.0 * (z**2 - 1.0) / (gamma**2 * (1.0 + z**2) ** 2)).sum(axis=-1))


def cauchy_fisher(theta: ArrayLike, scale: float = 1.0) -> float:
    r"""Fisher information about the location in ONE Cauchy observation, :math:`1/(2\gamma^2)`.

    It does not depend on :math:`\theta`; ``theta`` is accepted for a uniform signature.
    """
    as_param(theta, "theta")
    gamma = _scalar(check_positive(scale, "scale"), "scale")
    return 0.5 / gamma**2
