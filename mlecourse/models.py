r"""Per-observation log-likelihoods of models beyond the five textbook families.

Each ``*_loglik_obs(theta, *data)`` follows the package's single contract: it takes the parameter
vector first and returns the ``(n,)`` array of :math:`\log f(y_i \mid \theta)`, so it can be passed
to :func:`mlecourse.optimize.fit_mle` unchanged. Parameters that must be positive are carried on
the log scale, so an unconstrained optimiser can be used.

* Gaussian linear regression, :math:`y_i \sim N(x_i^\top\beta, \sigma^2)`:
  :func:`linear_loglik_obs`, :func:`linear_score_obs`. Minimising the mean squared error is
  maximising this likelihood (for any fixed :math:`\sigma^2`).
* Softmax (multinomial logistic) regression: :func:`softmax_loglik_obs`; the categorical
  cross-entropy loss is its negative mean.
* Student-t location-scale: :func:`student_t_loglik_obs`.
* Gamma (shape, rate): :func:`gamma_loglik_obs`, :func:`gamma_mle`.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike
from scipy.special import digamma, gammaln, logsumexp, polygamma, xlogy

from ._validation import as_data, as_design, check_int, check_nonnegative

__all__ = [
    "gamma_loglik_obs",
    "gamma_mle",
    "linear_loglik_obs",
    "linear_score_obs",
    "softmax_loglik_obs",
    "softmax_probs",
    "student_t_loglik_obs",
]

_LOG_2PI = float(np.log(2.0 * np.pi))


def _theta(theta: ArrayLike, size: int, what: str) -> np.ndarray:
    arr = as_data(theta, "theta")
    if arr.size != size:
        raise ValueError(f"theta must have {size} entries ({what}), got {arr.size}")
    return arr


# --------------------------------------------------------------------------------------------
# Gaussian linear regression
# --------------------------------------------------------------------------------------------
def linear_loglik_obs(theta: ArrayLike, X: ArrayLike, y: ArrayLike) -> np.ndarray:
    r"""Per-observation log-likelihood of the Gaussian linear model.

    With :math:`\theta = (\beta_1, \dots, \beta_k, \log\sigma^2)` and residual
    :math:`e_i = y_i - x_i^\top\beta`,

    .. math:: \log f(y_i \mid x_i, \theta) = -\tfrac12\log(2\pi\sigma^2) - \frac{e_i^2}{2\sigma^2}.

    Parameters
    ----------
    theta : array_like, shape (k + 1,)
        Coefficients followed by the log of the error variance.
    X : array_like, shape (n, k)
        Design matrix (add the intercept column yourself).
    y : array_like, shape (n,)

    Returns
    -------
    ndarray, shape (n,)
    """
    Xa, ya = as_design(X, y)
    t = _theta(theta, Xa.shape[1] + 1, "k coefficients and log sigma2")
    log_s2 = t[-1]
    e = ya - Xa @ t[:-1]
    return -0.5 * (_LOG_2PI + log_s2) - 0.5 * e**2 * np.exp(-log_s2)


def linear_score_obs(theta: ArrayLike, X: ArrayLike, y: ArrayLike) -> np.ndarray:
    r"""Per-observation score of :func:`linear_loglik_obs`, shape ``(n, k + 1)``.

    .. math::
        \frac{\partial}{\partial\beta} = \frac{e_i\,x_i}{\sigma^2}, \qquad
        \frac{\partial}{\partial\log\sigma^2} = -\frac12 + \frac{e_i^2}{2\sigma^2}.
    """
    Xa, ya = as_design(X, y)
    t = _theta(theta, Xa.shape[1] + 1, "k coefficients and log sigma2")
    inv_s2 = np.exp(-t[-1])
    e = ya - Xa @ t[:-1]
    return np.column_stack([Xa * (e * inv_s2)[:, None], -0.5 + 0.5 * e**2 * inv_s2])


# --------------------------------------------------------------------------------------------
# Softmax (multinomial logistic) regression
# --------------------------------------------------------------------------------------------
def _softmax_eta(theta: ArrayLike, Xa: np.ndarray, n_classes: int) -> np.ndarray:
    k = Xa.shape[1]
    t = _theta(theta, k * (n_classes - 1), f"a {k} x {n_classes - 1} coefficient matrix, flattened")
    B = np.column_stack([np.zeros(k), t.reshape(k, n_classes - 1)])
    return Xa @ B


def softmax_probs(theta: ArrayLike, X: ArrayLike, n_classes: int) -> np.ndarray:
    r"""Class probabilities of the softmax regression model, shape ``(n, K)``.

    .. math:: P(y_i = c \mid x_i) = \frac{\exp(x_i^\top\beta_c)}{\sum_{j=0}^{K-1}\exp(x_i^\top\beta_j)},
        \qquad \beta_0 = 0,

    computed as ``exp(eta - logsumexp(eta))``. ``theta`` is the ``(k, K - 1)`` matrix
    :math:`[\beta_1, \dots, \beta_{K-1}]` flattened row by row (class 0 is the reference, which
    makes the parameters identifiable; with ``K = 2`` this is logistic regression).
    """
    Xa, _ = as_design(X)
    K = check_int(n_classes, "n_classes", minimum=2)
    eta = _softmax_eta(theta, Xa, K)
    return np.exp(eta - logsumexp(eta, axis=1, keepdims=True))


def softmax_loglik_obs(theta: ArrayLike, X: ArrayLike, y: ArrayLike, n_classes: int) -> np.ndarray:
    r"""Per-observation log-likelihood of softmax regression (minus the categorical cross-entropy).

    .. math:: \log P(y_i \mid x_i) = x_i^\top\beta_{y_i} - \log\sum_{j=0}^{K-1} \exp(x_i^\top\beta_j),
        \qquad \beta_0 = 0.

    Parameters
    ----------
    theta : array_like, shape (k * (K - 1),)
        Coefficients of classes 1..K-1, the ``(k, K - 1)`` matrix flattened row by row.
    X : array_like, shape (n, k)
    y : array_like, shape (n,)
        Integer class labels in ``0, ..., K - 1``.
    n_classes : int
        ``K >= 2``.
    """
    Xa, ya = as_design(X, y)
    K = check_int(n_classes, "n_classes", minimum=2)
    if np.any(ya != np.floor(ya)) or np.any((ya < 0) | (ya >= K)):
        raise ValueError(f"y must hold integer class labels 0, ..., {K - 1}")
    eta = _softmax_eta(theta, Xa, K)
    labels = ya.astype(int)
    return eta[np.arange(labels.size), labels] - logsumexp(eta, axis=1)


# --------------------------------------------------------------------------------------------
# Student-t location-scale
# --------------------------------------------------------------------------------------------
def student_t_loglik_obs(theta: ArrayLike, x: ArrayLike) -> np.ndarray:
    r"""Per-observation log-likelihood of the Student-t location-scale family.

    With :math:`\theta = (\mu, \log\sigma, \log\nu)` and :math:`z_i = (x_i - \mu)/\sigma`,

    .. math::
        \log f(x_i \mid \theta) = \log\Gamma\!\left(\tfrac{\nu+1}{2}\right)
        - \log\Gamma\!\left(\tfrac{\nu}{2}\right) - \tfrac12\log(\nu\pi) - \log\sigma
        - \tfrac{\nu+1}{2}\log\!\left(1 + z_i^2/\nu\right).

    As :math:`\nu \to \infty` this tends to the Normal log-density, so the Normal model sits on the
    boundary of the Student-t model (relevant for likelihood-ratio tests).
    """
    t = _theta(theta, 3, "mu, log sigma, log df")
    xa = as_data(x, "x")
    mu, log_sigma, nu = t[0], t[1], np.exp(t[2])
    z = (xa - mu) * np.exp(-log_sigma)
    const = gammaln(0.5 * (nu + 1)) - gammaln(0.5 * nu) - 0.5 * np.log(nu * np.pi) - log_sigma
    return const - 0.5 * (nu + 1) * np.log1p(z**2 / nu)


# --------------------------------------------------------------------------------------------
# Gamma(shape, rate)
# --------------------------------------------------------------------------------------------
def gamma_loglik_obs(theta: ArrayLike, x: ArrayLike) -> np.ndarray:
    r"""Per-observation Gamma log-likelihood, :math:`\theta = (\log a, \log b)` (shape, rate).

    .. math:: \log f(x_i \mid a, b) = a\log b - \log\Gamma(a) + (a - 1)\log x_i - b x_i .

    With :math:`a = 1` this is the Exponential(:math:`b`) model, so the two are nested.
    """
    t = _theta(theta, 2, "log shape, log rate")
    xa = check_nonnegative(as_data(x, "x"), "x")
    a, b = np.exp(t[0]), np.exp(t[1])
    return a * t[1] - gammaln(a) + xlogy(a - 1.0, xa) - b * xa


def gamma_mle(x: ArrayLike, *, tol: float = 1e-12, max_iter: int = 100) -> tuple[float, float]:
    r"""Gamma MLE :math:`(\hat a, \hat b)` (shape, rate).

    Profiling out the rate, :math:`\hat b = \hat a / \bar x`, leaves one equation for the shape,

    .. math:: \log a - \psi(a) = s, \qquad s = \log\bar x - \overline{\log x} > 0,

    solved by Newton's method from :math:`a_0 = 1/(2s)`. Because
    :math:`1/(2a) < \log a - \psi(a) < 1/a`, the root lies in :math:`(1/(2s), 1/s)`, and the
    left-hand side is decreasing and convex, so Newton's iterates increase monotonically to it.

    Raises ``ValueError`` for non-positive data or when all observations are equal (then
    :math:`s = 0` and the likelihood increases without bound in the shape).
    """
    xa = as_data(x, "x")
    if np.any(xa <= 0):
        raise ValueError(f"x must be > 0 for the Gamma model, found {xa[xa <= 0][:3].tolist()}")
    xbar = float(xa.mean())
    s = float(np.log(xbar) - np.mean(np.log(xa)))
    if s <= 0:
        raise ValueError(
            "all observations are equal, so the Gamma likelihood increases without bound in the "
            "shape and the MLE does not exist; need at least two distinct values"
        )
    a = 0.5 / s
    for _ in range(max_iter):
        f = np.log(a) - digamma(a) - s
        step = f / (1.0 / a - polygamma(1, a))
        a -= step
        if abs(step) <= tol * a:
            break
    else:  # pragma: no cover - the monotone iteration converges in a handful of steps
        raise RuntimeError(f"gamma_mle: Newton's method did not converge in {max_iter} steps")
    return float(a), float(a / xbar)
