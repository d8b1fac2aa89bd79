r"""Numerical derivatives and information matrices.

Finite differences for any log-likelihood a reader writes down, so that the score and the
observed information

.. math::
    U(\theta) = \nabla_\theta \ell(\theta), \qquad
    J(\theta) = -\nabla^2_\theta \ell(\theta)

can be computed without algebra, and a simulation check of the *information identity*

.. math::
    \operatorname{Var}_\theta\big[\nabla_\theta \log f(X\mid\theta)\big]
    = -E_\theta\big[\nabla^2_\theta \log f(X\mid\theta)\big] = I(\theta).

Callables receive ``theta`` as a 1-D float array, or as a plain float when the starting point
you pass is a scalar (so ``lambda p: bernoulli_loglik(p, x)`` works as it is).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from ._validation import as_data, as_param
from .families import get_family

__all__ = [
    "InformationCheck",
    "family_information_mc",
    "information_identity_mc",
    "numerical_gradient",
    "numerical_hessian",
    "numerical_jacobian",
    "observed_information",
    "outer_product_of_scores",
]

_EPS = np.finfo(float).eps


def _theta_vector(theta: ArrayLike, name: str = "theta") -> tuple[np.ndarray, bool]:
    """Return ``theta`` as a finite 1-D array and whether it was given as a scalar."""
    arr = as_param(theta, name)
    scalar = arr.ndim == 0
    arr = np.atleast_1d(arr).astype(float)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be a scalar or 1-D parameter vector, got shape {arr.shape}")
    if arr.size == 0:
        raise ValueError(f"{name} is empty; expected at least one parameter")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite, got {arr.tolist()}")
    return arr, scalar


def _wrap(f: Callable[..., Any], scalar: bool, args: Sequence[Any]) -> Callable[[np.ndarray], Any]:
    """Call ``f`` with a float when the user works with a scalar parameter."""
    if not callable(f):
        raise TypeError(f"expected a callable, got {type(f).__name__}")
    args = tuple(args)
    if scalar:
        return lambda t: f(float(t[0]), *args)
    return lambda t: f(t, *args)


def _steps(theta: np.ndarray, step: ArrayLike | None, power: float) -> np.ndarray:
    if step is None:
        return _EPS**power * np.maximum(np.abs(theta), 1.0)
    h = np.broadcast_to(np.asarray(step, dtype=float), theta.shape).copy()
    if np.any(~np.isfinite(h)) or np.any(h <= 0):
        raise ValueError(f"step must be positive and finite, got {np.asarray(step).tolist()}")
    return h


def numerical_gradient(
    f: Callable[..., Any],
    theta: ArrayLike,
    *,
    args: Sequence[Any] = (),
    step: ArrayLike | None = None,
) -> np.ndarray | float:
    r"""Central-difference gradient of a scalar function.

    .. math:: \frac{\partial f}{\partial \theta_j} \approx
        \frac{f(\theta + h_j e_j) - f(\theta - h_j e_j)}{2 h_j},
        \qquad h_j = \epsilon^{1/3}\max(|\theta_j|, 1),

    accurate to :math:`O(h^2)`, i.e. about 10 significant digits for smooth ``f``.

    Parameters
    ----------
    f : callable
        ``f(theta, *args) -> float`` (for example a total log-likelihood).
    theta : float or array_like, shape (k,)
        Where to differentiate. A scalar ``theta`` is passed to ``f`` as a float and the result
        is a float.
    args : sequence
        Extra positional arguments for ``f``.
    step : float or array_like, optional
        Step sizes :math:`h_j` (default as above).

    Returns
    -------
    float or ndarray, shape (k,)
    """
    t, scalar = _theta_vector(theta)
    fun = _wrap(f, scalar, args)
    h = _steps(t, step, 1.0 / 3.0)
    grad = np.empty(t.size)
    for j in range(t.size):
        e = np.zeros_like(t)
        e[j] = h[j]
        grad[j] = (float(fun(t + e)) - float(fun(t - e))) / (2.0 * h[j])
    return float(grad[0]) if scalar else grad


def numerical_jacobian(
    f_vec: Callable[..., Any],
    theta: ArrayLike,
    *,
    args: Sequence[Any] = (),
    step: ArrayLike | None = None,
) -> np.ndarray:
    r"""Central-difference Jacobian of a vector-valued function, e.g. per-observation log-likelihoods.

    .. math:: J_{ij} \approx \frac{f_i(\theta + h_j e_j) - f_i(\theta - h_j e_j)}{2 h_j}.

    Applied to ``loglik_obs`` this gives the ``(n, k)`` matrix of per-observation scores used by
    the OPG and sandwich covariance estimators; applied to ``score_obs`` (values of shape
    ``(n, m)``) it gives per-observation Hessians of shape ``(n, m, k)``.

    Parameters
    ----------
    f_vec : callable
        ``f_vec(theta, *args) -> array`` of shape ``(n,)`` or ``(n, m)``.
    theta : float or array_like, shape (k,)
    args : sequence
    step : float or array_like, optional

    Returns
    -------
    ndarray
        Shape ``f_vec(theta).shape + (k,)``.
    """
    t, scalar = _theta_vector(theta)
    fun = _wrap(f_vec, scalar, args)
    h = _steps(t, step, 1.0 / 3.0)
    cols = []
    for j in range(t.size):
        e = np.zeros_like(t)
        e[j] = h[j]
        cols.append((np.asarray(fun(t + e), dtype=float) - np.asarray(fun(t - e), dtype=float)) / (2 * h[j]))
    return np.stack(cols, axis=-1)


def numerical_hessian(
    f: Callable[..., Any],
    theta: ArrayLike,
    *,
    args: Sequence[Any] = (),
    step: ArrayLike | None = None,
    grad: Callable[..., Any] | None = None,
) -> np.ndarray | float:
    r"""Central-difference Hessian of a scalar function.

    Without ``grad`` the four-point formula

    .. math:: \frac{\partial^2 f}{\partial\theta_i\partial\theta_j} \approx
        \frac{f(\theta + h_i e_i + h_j e_j) - f(\theta + h_i e_i - h_j e_j)
              - f(\theta - h_i e_i + h_j e_j) + f(\theta - h_i e_i - h_j e_j)}{4 h_i h_j}

    with :math:`h_j = \epsilon^{1/4}\max(|\theta_j|, 1)` is used (about 7-8 significant digits).
    With an analytic gradient ``grad(theta, *args)`` the Hessian is the central-difference
    Jacobian of the gradient (about 10 digits). The result is symmetrised.

    Returns
    -------
    float or ndarray, shape (k, k)
        A float when ``theta`` is a scalar.
    """
    t, scalar = _theta_vector(theta)
    k = t.size
    if grad is not None:
        g = _wrap(grad, scalar, args)
        H = numerical_jacobian(lambda tt: np.atleast_1d(np.asarray(g(tt), dtype=float)), t)
    else:
        fun = _wrap(f, scalar, args)
        h = _steps(t, step, 0.25)
        H = np.empty((k, k))
        for i in range(k):
            ei = np.zeros(k)
            ei[i] = h[i]
            for j in range(i, k):
                ej = np.zeros(k)
                ej[j] = h[j]
                val = (
                    float(fun(t + ei + ej))
                    - float(fun(t + ei - ej))
                    - float(fun(t - ei + ej))
                    + float(fun(t - ei - ej))
                ) / (4.0 * h[i] * h[j])
                H[i, j] = H[j, i] = val
    H = 0.5 * (H + H.T)
    return float(H[0, 0]) if scalar else H


def observed_information(
    loglik: Callable[..., Any],
    theta: ArrayLike,
    *,
    args: Sequence[Any] = (),
    step: ArrayLike | None = None,
    score: Callable[..., Any] | None = None,
) -> np.ndarray | float:
    r"""Observed information :math:`J(\theta) = -\nabla^2 \ell(\theta)` by finite differences.

    Parameters
    ----------
    loglik : callable
        ``loglik(theta, *args) -> float``, the TOTAL log-likelihood.
    theta : float or array_like
        Usually the MLE :math:`\hat\theta`.
    score : callable, optional
        Analytic total score; if given, :math:`J` is minus its numerical Jacobian.
    """
    H = numerical_hessian(loglik, theta, args=args, step=step, grad=score)
    return -H


def outer_product_of_scores(scores_obs: ArrayLike) -> np.ndarray:
    r"""Outer product of the per-observation scores, :math:`B = \sum_i u_i u_i^\top`.

    Parameters
    ----------
    scores_obs : array_like, shape (n,) or (n, k)

    Returns
    -------
    ndarray, shape (k, k)
    """
    S = np.asarray(scores_obs, dtype=float)
    if S.ndim == 1:
        S = S[:, None]
    S = as_data(S, "scores_obs", ndim=2)
    return S.T @ S


@dataclass(frozen=True)
class InformationCheck:
    r"""Monte-Carlo comparison of :math:`\operatorname{Var}(U)` and :math:`-E[H]` (per observation).

    Attributes
    ----------
    mean_score, mean_score_se : ndarray, shape (k,)
        :math:`\overline{u}` and its Monte-Carlo standard error (should be :math:`\approx 0`).
    var_score, var_score_se : ndarray, shape (k, k)
        :math:`\frac1R \sum_r u_r u_r^\top` (using :math:`E[U] = 0`) and its MC standard error.
    neg_mean_hessian, neg_mean_hessian_se : ndarray, shape (k, k)
        :math:`-\frac1R \sum_r H_r` and its MC standard error.
    difference, difference_se : ndarray, shape (k, k)
        Mean of :math:`u_r u_r^\top + H_r` (zero in expectation if the identity holds) and its
        MC standard error, computed from the paired draws.
    z : ndarray, shape (k, k)
        ``difference / difference_se`` (0 where both are 0): approximately standard normal
        entries when the identity holds.
    n_draws : int
    """

    mean_score: np.ndarray
    mean_score_se: np.ndarray
    var_score: np.ndarray
    var_score_se: np.ndarray
    neg_mean_hessian: np.ndarray
    neg_mean_hessian_se: np.ndarray
    difference: np.ndarray
    difference_se: np.ndarray
    z: np.ndarray
    n_draws: int


def information_identity_mc(
    score_obs: Callable[..., Any],
    theta: ArrayLike,
    x: ArrayLike,
    *,
    hessian_obs: Callable[..., Any] | None = None,
) -> InformationCheck:
    r"""Check the information identity on a simulated sample ``x`` drawn at ``theta``.

    With per-observation scores :math:`u_r` and Hessians :math:`H_r`, :math:`r = 1..R`,

    .. math::
        \widehat{\operatorname{Var}}(U) = \frac1R\sum_r u_r u_r^\top, \qquad
        -\widehat{E}[H] = -\frac1R\sum_r H_r,

    each with Monte-Carlo standard error :math:`\mathrm{sd}/\sqrt R`.

    Parameters
    ----------
    score_obs : callable
        ``score_obs(theta, x) -> (R,)`` or ``(R, k)`` per-observation scores.
    theta : float or array_like
        The true parameter the sample was drawn from.
    x : array_like
        The simulated sample (the caller seeds the generator).
    hessian_obs : callable, optional
        ``hessian_obs(theta, x) -> (R,)`` or ``(R, k, k)``; by default the numerical Jacobian
        of ``score_obs``.

    Returns
    -------
    InformationCheck
    """
    t, scalar = _theta_vector(theta)
    k = t.size
    U = np.asarray(_wrap(score_obs, scalar, (x,))(t), dtype=float).reshape(-1, k)
    R = U.shape[0]
    if R < 2:
        raise ValueError(f"need at least 2 simulated observations, got {R}")
    if hessian_obs is None:
        H = numerical_jacobian(lambda tt: np.asarray(_wrap(score_obs, scalar, (x,))(tt)).reshape(-1, k), t)
    else:
        H = np.asarray(_wrap(hessian_obs, scalar, (x,))(t), dtype=float)
    H = H.reshape(R, k, k)
    outer = U[:, :, None] * U[:, None, :]
    diff = outer + H
    root_r = np.sqrt(R)
    d_mean = diff.mean(axis=0)
    d_se = diff.std(axis=0, ddof=1) / root_r
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(d_se > 0, d_mean / d_se, np.where(d_mean == 0, 0.0, np.inf * np.sign(d_mean)))
    return InformationCheck(
        mean_score=U.mean(axis=0),
        mean_score_se=U.std(axis=0, ddof=1) / root_r,
        var_score=outer.mean(axis=0),
        var_score_se=outer.std(axis=0, ddof=1) / root_r,
        neg_mean_hessian=-H.mean(axis=0),
        neg_mean_hessian_se=H.std(axis=0, ddof=1) / root_r,
        difference=d_mean,
        difference_se=d_se,
        z=z,
        n_draws=R,
    )


def family_information_mc(
    family: str, theta: ArrayLike, n_draws: int, rng: np.random.Generator
) -> InformationCheck:
    r"""Simulate ``n_draws`` observations from a named family and run :func:`information_identity_mc`.

    Parameters
    ----------
    family : str
        A key of :data:`mlecourse.families.FAMILIES` (e.g. ``"poisson"``, ``"normal"``).
    theta : float or sequence
        True parameter(s).
    n_draws : int
    rng : numpy.random.Generator

    Examples
    --------
    >>> import numpy as np
    >>> chk = family_information_mc("poisson", 3.0, 20_000, np.random.default_rng(0))
    >>> bool(abs(chk.var_score[0, 0] - 1 / 3) < 4 * chk.var_score_se[0, 0])
    True
    """
    fam = get_family(family)
    params = fam.params(theta)
    x = fam.sample(rng, params, n_draws)
    scalar = fam.n_params == 1

    def score_obs(t: Any, xx: np.ndarray) -> np.ndarray:
        return fam.score_obs(*(np.atleast_1d(t)), xx)

    hessian_obs = None
    if not fam.regular:
        # Uniform(0, theta): the score -1/theta cannot be differenced across max(x); use the
        # analytic per-observation second derivative d^2/dtheta^2 (-log theta) = 1/theta^2.
        def hessian_obs(t: Any, xx: np.ndarray) -> np.ndarray:
            return np.full(xx.size, fam.hessian(t, xx) / xx.size)

    t0: Any = params[0] if scalar else np.array(params)
    return information_identity_mc(score_obs, t0, x, hessian_obs=hessian_obs)
