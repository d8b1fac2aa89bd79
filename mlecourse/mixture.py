r"""Gaussian mixtures fitted by the EM algorithm.

The model for :math:`x_i \in \mathbb{R}^d` is the mixture density

.. math:: p(x \mid \theta) = \sum_{j=1}^k \pi_j\, N(x \mid \mu_j, \Sigma_j),
          \qquad \ell(\theta) = \sum_{i=1}^n \log p(x_i \mid \theta).

One EM iteration maps :math:`\theta_t` to :math:`\theta_{t+1}`:

* **E-step** — responsibilities :math:`r_{ij} = \pi_j N(x_i\mid\mu_j,\Sigma_j) / p(x_i\mid\theta_t)`,
  computed in log space (``log r = a - logsumexp(a)`` with
  :math:`a_{ij} = \log\pi_j + \log N(x_i\mid\mu_j,\Sigma_j)`); the normaliser gives
  :math:`\ell(\theta_t)` for free.
* **M-step** — :math:`N_j = \sum_i r_{ij}`, :math:`\pi_j = N_j/n`,
  :math:`\mu_j = \sum_i r_{ij}x_i/N_j`,
  :math:`\Sigma_j = \sum_i r_{ij}(x_i-\mu_j)(x_i-\mu_j)^\top/N_j` (+ ``reg_covar`` :math:`I`).

Each iteration never decreases :math:`\ell` (when ``reg_covar == 0``). Gaussian log-densities use a
Cholesky factor :math:`\Sigma = LL^\top`: :math:`\log|\Sigma| = 2\sum_m \log L_{mm}` and the
Mahalanobis distance is :math:`\|L^{-1}(x-\mu)\|^2` by a triangular solve — no inverse, no
determinant, so nearly singular (but positive-definite) covariances work, and the likelihood's
unboundedness (:math:`\ell \to +\infty` as a component collapses onto one data point) can be
watched numerically.

Shapes: ``x`` is (n,) or (n, d); ``weights`` (k,); ``means`` (k, d) (or (k,) when d = 1);
``covariances`` (k, d, d) (or (k,) variances when d = 1). Results always use (k, d) and (k, d, d).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike
from scipy import linalg

from ._validation import as_samples, check_int
from .results import ConvergenceWarning

__all__ = [
    "DegenerateComponentError",
    "GMMBound",
    "GMMResult",
    "fit_gmm",
    "gmm_component_logpdf",
    "gmm_e_step",
    "gmm_elbo",
    "gmm_log_density",
    "gmm_loglik",
    "gmm_logpdf",
    "gmm_m_step",
    "gmm_map_m_step",
    "gmm_n_params",
]

_LOG_2PI = float(np.log(2.0 * np.pi))
_EPS = float(np.finfo(float).eps)
# Up to this dimension the (k*d, d) x (d, n)-shaped products use einsum's single-threaded loops:
# a threaded BLAS call with a tiny inner dimension is no faster, and on a busy machine its worker
# threads can stall the next call by a scheduler quantum (~10 ms), ten times the work itself.
_EINSUM_MAX_D = 8


class DegenerateComponentError(ValueError):
    """A mixture component degenerated: a singular covariance or (numerically) no data.

    With ``reg_covar = 0`` the Gaussian-mixture likelihood is unbounded: a component whose mean
    sits on one data point and whose covariance shrinks to zero sends the log-likelihood to
    :math:`+\\infty`. EM can walk into such a collapse. ``result`` holds the fit up to the last
    valid iterate (its ``loglik_path`` shows the climb), or ``None``.
    """

    def __init__(self, message: str, result: GMMResult | None = None):
        super().__init__(message)
        self.result = result


# ----------------------------------------------------------------------------------------------
# Validation
# ----------------------------------------------------------------------------------------------
def _as_x(x: ArrayLike) -> np.ndarray:
    return as_samples(x, "x")


def _check_weights(weights: ArrayLike, k: int | None = None) -> np.ndarray:
    w = np.asarray(weights, dtype=float)
    if w.ndim != 1 or w.size == 0:
        raise ValueError(f"weights must be a non-empty 1-D array (k,), got shape {w.shape}")
    if k is not None and w.size != k:
        raise ValueError(f"weights must have {k} entries (one per component), got {w.size}")
    if not np.all(np.isfinite(w)) or np.any(w < 0):
        raise ValueError(f"weights must be finite and >= 0, got {w.tolist()}")
    if abs(w.sum() - 1.0) > 1e-6:
        raise ValueError(f"weights must sum to 1, got a sum of {w.sum():.8g}")
    return w


def _check_means(means: ArrayLike, d: int, k: int | None = None) -> np.ndarray:
    m = np.asarray(means, dtype=float)
    if m.ndim == 1 and d == 1:
        m = m[:, None]
    if m.ndim != 2 or m.shape[1] != d or m.shape[0] == 0:
        raise ValueError(
            f"means must have shape (k, {d}) for {d}-dimensional data"
            f"{' (or (k,) when d = 1)' if d == 1 else ''}, got shape {m.shape}"
        )
    if k is not None and m.shape[0] != k:
        raise ValueError(f"means must have {k} rows (one per component), got {m.shape[0]}")
    if not np.all(np.isfinite(m)):
        raise ValueError("means contain NaN or infinite values")
    return m


def _check_covariances(covariances: ArrayLike, d: int, k: int | None = None) -> np.ndarray:
    c = np.asarray(covariances, dtype=float)
    if d == 1 and c.ndim in (1, 2) and (c.ndim == 1 or c.shape[1] == 1):
        c = c.reshape(-1, 1, 1)
    if c.ndim != 3 or c.shape[1:] != (d, d) or c.shape[0] == 0:
        raise ValueError(
            f"covariances must have shape (k, {d}, {d})"
            f"{' (or (k,) variances when d = 1)' if d == 1 else ''}, got shape {c.shape}"
        )
    if k is not None and c.shape[0] != k:
        raise ValueError(f"covariances must hold {k} matrices (one per component), got {c.shape[0]}")
    if not np.all(np.isfinite(c)):
        raise ValueError("covariances contain NaN or infinite values")
    asym = np.abs(c - c.transpose(0, 2, 1))
    if np.any(asym > 1e-10 * np.maximum(np.abs(c), 1e-300) + 1e-300):
        raise ValueError("covariances must be symmetric matrices")
    return c


def _check_params(
    d: int, weights: ArrayLike, means: ArrayLike, covariances: ArrayLike
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    w = _check_weights(weights)
    k = w.size
    return w, _check_means(means, d, k), _check_covariances(covariances, d, k)


def _cholesky(covariances: np.ndarray) -> np.ndarray:
    """Lower Cholesky factors (k, d, d); DegenerateComponentError names a non-PD covariance."""
    try:
        return np.linalg.cholesky(covariances)
    except np.linalg.LinAlgError:
        for j, c in enumerate(covariances):
            try:
                np.linalg.cholesky(c)
            except np.linalg.LinAlgError:
                raise DegenerateComponentError(
                    f"covariances[{j}] is not positive definite (singular or indefinite), so "
                    "the Gaussian density is undefined. In EM this happens when a component "
                    "collapses onto fewer than d + 1 points; use reg_covar > 0 or another start."
                ) from None
        raise  # pragma: no cover - a batch failure always has a failing member


# ----------------------------------------------------------------------------------------------
# Densities and the two EM steps
# ----------------------------------------------------------------------------------------------
# Internally the data are stored transposed, ``xt`` of shape (d, n), and per-component arrays as
# (k, n): every reduction over components is then an elementwise operation on contiguous rows,
# which is several times faster than reducing a length-k trailing axis.
def _component_logpdf(xt: np.ndarray, means: np.ndarray, chol: np.ndarray) -> np.ndarray:
    r"""log N(x_i | mu_j, L_j L_j^T) for all j, i: shape (k, n)."""
    d, n = xt.shape
    k = means.shape[0]
    # Whitening maps L_j^{-1} by triangular solves against the identity (d x d, cheap), so that
    # z_ji = L_j^{-1}(x_i - mu_j) = L_j^{-1} x_i - L_j^{-1} mu_j for all components in one matmul.
    W = np.empty((k * d, d))
    for j in range(k):
        W[j * d : (j + 1) * d] = _lower_solve_identity(chol[j])
    offset = np.einsum("jab,jb->ja", W.reshape(k, d, d), means).reshape(k * d, 1)
    with np.errstate(over="ignore"):  # a vanishing variance: maha -> inf, density -> 0
        z = np.einsum("ab,bn->an", W, xt) if d <= _EINSUM_MAX_D else W @ xt
        z -= offset
        z *= z
        maha = z.reshape(k, d, n).sum(axis=1)
    half_logdet = np.log(np.diagonal(chol, axis1=1, axis2=2)).sum(axis=1)
    maha += d * _LOG_2PI
    maha *= -0.5
    maha -= half_logdet[:, None]
    return maha


def _lower_solve_identity(L: np.ndarray) -> np.ndarray:
    """Solve L W = I for lower-triangular L (forward substitution): W = L^{-1}.

    For small d a few NumPy row operations; LAPACK's trtrs is used above _EINSUM_MAX_D. (OpenBLAS's
    trtrs is threaded and, on a loaded two-core machine, a 2 x 2 solve occasionally stalls for
    tens of milliseconds.)
    """
    d = L.shape[0]
    if d > _EINSUM_MAX_D:
        return linalg.solve_triangular(L, np.eye(d), lower=True)
    W = np.zeros((d, d))
    for a in range(d):
        row = -(L[a, :a] @ W[:a])
        row[a] += 1.0
        W[a] = row / L[a, a]
    return W


def _log_weights(weights: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore"):
        return np.log(weights)


def _weighted_logpdf(xt, weights, means, chol) -> np.ndarray:
    a = _component_logpdf(xt, means, chol)
    a += _log_weights(weights)[:, None]
    return a


def _logsumexp_cols(a: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """logsumexp over components (axis 0 of a (k, n) array); also exp(a - max) and its sums."""
    amax = a.max(axis=0)
    if not np.all(np.isfinite(amax)):
        bad = int(np.flatnonzero(~np.isfinite(amax))[0])
        raise DegenerateComponentError(
            f"observation {bad} has zero density under every component (or a non-finite one); "
            "check the weights and covariances"
        )
    ex = np.exp(a - amax)
    tot = ex.sum(axis=0)
    return amax + np.log(tot), ex, tot


def _e_step(xt, weights, means, chol) -> tuple[np.ndarray, float]:
    """Responsibilities (not logged), shape (k, n), and the total log-likelihood."""
    lse, ex, tot = _logsumexp_cols(_weighted_logpdf(xt, weights, means, chol))
    ex /= tot
    return ex, float(lse.sum())


def _m_step(xt: np.ndarray, resp: np.ndarray, reg_covar: float):
    """M-step from responsibilities of shape (k, n)."""
    d, n = xt.shape
    nk = resp.sum(axis=1)
    tiny = 10.0 * _EPS * n
    if np.any(nk <= tiny):
        j = int(np.flatnonzero(nk <= tiny)[0])
        raise DegenerateComponentError(
            f"component {j} has (numerically) zero total responsibility (N_{j} = {nk[j]:.3g}): "
            "it explains no data, so its mean and covariance are undefined. Use fewer components "
            "or another start."
        )
    weights = nk / n
    weights /= weights.sum()
    small = d <= _EINSUM_MAX_D
    means = np.einsum("kn,dn->kd", resp, xt) if small else resp @ xt.T
    means /= nk[:, None]
    k = nk.size
    covariances = np.empty((k, d, d))
    for j in range(k):
        diff = xt - means[j][:, None]
        rdiff = diff * resp[j]
        cov = np.einsum("an,bn->ab", rdiff, diff) if small else rdiff @ diff.T
        cov /= nk[j]
        cov = 0.5 * (cov + cov.T)
        cov.flat[:: d + 1] += reg_covar
        covariances[j] = cov
    return weights, means, covariances


def _transposed(x: ArrayLike) -> np.ndarray:
    return np.ascontiguousarray(_as_x(x).T)


def gmm_component_logpdf(x: ArrayLike, means: ArrayLike, covariances: ArrayLike) -> np.ndarray:
    r"""Log-densities :math:`\log N(x_i \mid \mu_j, \Sigma_j)` of every observation under every component.

    .. math:: \log N(x\mid\mu,\Sigma) = -\tfrac12\big(d\log 2\pi + \|L^{-1}(x-\mu)\|^2\big)
              - \sum_m \log L_{mm}, \qquad \Sigma = LL^\top.

    Returns
    -------
    ndarray, shape (n, k)
    """
    xt = _transposed(x)
    d = xt.shape[0]
    m = _check_means(means, d)
    c = _check_covariances(covariances, d, m.shape[0])
    return _component_logpdf(xt, m, _cholesky(c)).T


def gmm_logpdf(
    x: ArrayLike, weights: ArrayLike, means: ArrayLike, covariances: ArrayLike
) -> np.ndarray:
    r"""Log mixture density :math:`\log p(x_i\mid\theta) = \operatorname{logsumexp}_j
    \{\log\pi_j + \log N(x_i\mid\mu_j,\Sigma_j)\}` per observation, shape (n,).

    Use it on a grid of points for contour plots of the fitted density.
    """
    xt = _transposed(x)
    w, m, c = _check_params(xt.shape[0], weights, means, covariances)
    lse, _, _ = _logsumexp_cols(_weighted_logpdf(xt, w, m, _cholesky(c)))
    return lse


gmm_log_density = gmm_logpdf


def gmm_loglik(x: ArrayLike, weights: ArrayLike, means: ArrayLike, covariances: ArrayLike) -> float:
    r"""Total log-likelihood :math:`\ell(\theta) = \sum_i \log\sum_j \pi_j N(x_i\mid\mu_j,\Sigma_j)`."""
    return float(np.sum(gmm_logpdf(x, weights, means, covariances)))


def gmm_e_step(
    x: ArrayLike, weights: ArrayLike, means: ArrayLike, covariances: ArrayLike
) -> tuple[np.ndarray, float]:
    r"""E-step: log-responsibilities and the log-likelihood at the given parameters.

    .. math:: \log r_{ij} = a_{ij} - \operatorname{logsumexp}_{j'} a_{ij'}, \qquad
              a_{ij} = \log\pi_j + \log N(x_i\mid\mu_j,\Sigma_j),

    and :math:`\ell(\theta) = \sum_i \operatorname{logsumexp}_j a_{ij}`.

    Parameters
    ----------
    x : array_like, shape (n,) or (n, d)
    weights : array_like, shape (k,)
    means : array_like, shape (k, d) (or (k,) when d = 1)
    covariances : array_like, shape (k, d, d) (or (k,) variances when d = 1)

    Returns
    -------
    log_resp : ndarray, shape (n, k)
        ``np.exp(log_resp)`` are the responsibilities; each row sums to 1.
    loglik : float
        The total log-likelihood :math:`\ell(\theta)` at the parameters passed in.
    """
    xt = _transposed(x)
    w, m, c = _check_params(xt.shape[0], weights, means, covariances)
    a = _weighted_logpdf(xt, w, m, _cholesky(c))
    lse, _, _ = _logsumexp_cols(a)
    a -= lse
    return a.T, float(lse.sum())


def gmm_m_step(
    x: ArrayLike, resp: ArrayLike, *, reg_covar: float = 0.0
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""M-step: the weighted maximum-likelihood estimates given responsibilities.

    .. math:: N_j = \sum_i r_{ij},\quad \pi_j = \frac{N_j}{n},\quad
              \mu_j = \frac{1}{N_j}\sum_i r_{ij}x_i,\quad
              \Sigma_j = \frac{1}{N_j}\sum_i r_{ij}(x_i-\mu_j)(x_i-\mu_j)^\top + \epsilon I,

    with :math:`\epsilon` = ``reg_covar`` (0 gives the exact M-step).

    Parameters
    ----------
    x : array_like, shape (n,) or (n, d)
    resp : array_like, shape (n, k)
        Responsibilities (probabilities, *not* logs): non-negative rows summing to 1, e.g.
        ``np.exp(log_resp)`` from :func:`gmm_e_step`, or one-hot hard assignments.
    reg_covar : float
        Non-negative ridge added to every covariance's diagonal.

    Returns
    -------
    weights : ndarray (k,)
    means : ndarray (k, d)
    covariances : ndarray (k, d, d)

    Raises
    ------
    DegenerateComponentError
        A component has (numerically) zero total responsibility.
    """
    xt = _transposed(x)
    r = np.asarray(resp, dtype=float)
    if r.ndim != 2 or r.shape[0] != xt.shape[1]:
        raise ValueError(
            f"resp must have shape (n, k) with n = {xt.shape[1]} rows, got shape {r.shape}"
        )
    if not np.all(np.isfinite(r)) or np.any(r < 0):
        raise ValueError("resp must contain finite, non-negative responsibilities (not logs)")
    if np.any(np.abs(r.sum(axis=1) - 1.0) > 1e-6):
        raise ValueError("each row of resp must sum to 1 (pass np.exp(log_resp), not log_resp)")
    return _m_step(xt, np.ascontiguousarray(r.T), _check_reg(reg_covar))


def _check_reg(reg_covar: float) -> float:
    reg = float(reg_covar)
    if not (np.isfinite(reg) and reg >= 0):
        raise ValueError(f"reg_covar must be a finite number >= 0, got {reg_covar}")
    return reg


def gmm_n_params(n_components: int, d: int) -> int:
    r"""Free parameters of a full-covariance mixture: :math:`(k-1) + kd + k\,d(d+1)/2`."""
    return (n_components - 1) + n_components * d + n_components * d * (d + 1) // 2


# ----------------------------------------------------------------------------------------------
# The EM loop
# ----------------------------------------------------------------------------------------------
@dataclass
class GMMResult:
    r"""A Gaussian mixture fitted by EM.

    Attributes
    ----------
    weights : ndarray (k,)
    means : ndarray (k, d)
    covariances : ndarray (k, d, d)
    loglik : float
        Total log-likelihood :math:`\ell(\hat\theta)` **at the returned parameters** (equal to
        ``loglik_path[-1]``). Note that scikit-learn's ``lower_bound_`` is instead the *mean*
        log-likelihood at the parameters *before* its last M-step.
    loglik_path : ndarray (nit + 1,)
        :math:`\ell(\theta_0), \ell(\theta_1), \dots, \ell(\theta_{\mathrm{nit}})` for the best start:
        the start's log-likelihood followed by one entry per EM iteration. Non-decreasing.
    nit : int
        EM iterations (M-steps) performed.
    converged : bool
        Whether the last change in mean log-likelihood :math:`\Delta\ell/n` fell below ``tol``.
    message : str
    nobs : int
    n_components : int
    reg_covar : float
    extra : dict
        ``"init_logliks"``: final log-likelihood of every start (``nan`` for a start that
        degenerated); ``"best_init"``: index of the start kept.
    """

    weights: np.ndarray
    means: np.ndarray
    covariances: np.ndarray
    loglik: float
    loglik_path: np.ndarray
    nit: int
    converged: bool
    message: str
    nobs: int
    n_components: int
    reg_covar: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def success(self) -> bool:
        """Alias of ``converged``."""
        return self.converged

    @property
    def n_features(self) -> int:
        """Dimension :math:`d` of the data."""
        return int(self.means.shape[1])

    @property
    def n_params(self) -> int:
        """Number of free parameters, see :func:`gmm_n_params`."""
        return gmm_n_params(self.n_components, self.n_features)

    @property
    def aic(self) -> float:
        r""":math:`2p - 2\ell(\hat\theta)`, :math:`p` = ``n_params``."""
        return 2.0 * self.n_params - 2.0 * self.loglik

    @property
    def bic(self) -> float:
        r""":math:`p\log n - 2\ell(\hat\theta)`, :math:`p` = ``n_params``."""
        return self.n_params * float(np.log(self.nobs)) - 2.0 * self.loglik

    def responsibilities(self, x: ArrayLike) -> np.ndarray:
        """Posterior component probabilities of each observation, shape (n, k)."""
        log_resp, _ = gmm_e_step(x, self.weights, self.means, self.covariances)
        return np.exp(log_resp)

    def logpdf(self, x: ArrayLike) -> np.ndarray:
        """Log-density of the fitted mixture at each point, shape (n,)."""
        return gmm_logpdf(x, self.weights, self.means, self.covariances)

    def __repr__(self) -> str:
        d = self.n_features
        state = "converged" if self.converged else "NOT CONVERGED"
        lines = [
            f"GMMResult: k = {self.n_components} components, d = {d}, n = {self.nobs}",
            f"  {state} after {self.nit} EM iterations ({self.message})",
            f"  log-likelihood = {self.loglik:.4f}, AIC = {self.aic:.3f}, BIC = {self.bic:.3f}",
        ]
        if d == 1:
            lines.append(f"  {'component':>9} {'weight':>8} {'mean':>11} {'variance':>11}")
            for j in range(self.n_components):
                lines.append(
                    f"  {j:>9d} {self.weights[j]:>8.4f} {self.means[j, 0]:>11.5g} "
                    f"{self.covariances[j, 0, 0]:>11.5g}"
                )
        else:
            rows = []
            for j in range(self.n_components):
                mean = "[" + ", ".join(f"{v:.4g}" for v in self.means[j]) + "]"
                cov = "[" + ", ".join(
                    "[" + ", ".join(f"{v:.4g}" for v in row) + "]" for row in self.covariances[j]
                ) + "]"
                rows.append((j, self.weights[j], mean, cov))
            width = max(4, *(len(r[2]) for r in rows))
            lines.append(f"  {'component':>9} {'weight':>8}  {'mean':<{width}}  covariance")
            for j, wj, mean, cov in rows:
                lines.append(f"  {j:>9d} {wj:>8.4f}  {mean:<{width}}  {cov}")
        return "\n".join(lines)


def _random_start(x: np.ndarray, k: int, rng: np.random.Generator, reg: float):
    n, d = x.shape
    means = x[rng.choice(n, size=k, replace=False)].copy()
    cov = np.atleast_2d(np.cov(x, rowvar=False, bias=True))
    cov.flat[:: d + 1] += reg
    return np.full(k, 1.0 / k), means, np.repeat(cov[None], k, axis=0)


def _run_em(xt, weights, means, covariances, *, max_iter, tol, reg, chol):
    """EM from one start on transposed data (d, n); returns (params, path, nit, converged, msg)."""
    n = xt.shape[1]
    resp, ll = _e_step(xt, weights, means, chol)
    path = [ll]
    nit = 0
    converged = False
    message = f"reached max_iter = {max_iter}"
    scale = float(np.mean(np.var(xt, axis=1)))
    while nit < max_iter:
        try:
            new = _m_step(xt, resp, reg)
            chol_new = _cholesky(new[2])
            pivots = np.diagonal(chol_new, axis1=1, axis2=2) ** 2
            if np.any(pivots.min(axis=1) <= _EPS * scale):
                j = int(np.argmin(pivots.min(axis=1)))
                raise DegenerateComponentError(
                    f"component {j}'s covariance has become numerically singular (a variance "
                    f"of {pivots[j].min():.3g} against a data variance of {scale:.3g}): it is "
                    "collapsing onto a point or a lower-dimensional set, where the likelihood is "
                    "unbounded. Use reg_covar > 0 or another start."
                )
        except DegenerateComponentError as err:
            err.args = (f"after {nit} EM iterations: {err.args[0]}",)
            err.result = GMMResult(
                weights=weights, means=means, covariances=covariances, loglik=path[-1],
                loglik_path=np.array(path), nit=nit, converged=False, message=err.args[0],
                nobs=n, n_components=weights.size, reg_covar=reg,
            )
            raise
        weights, means, covariances = new
        chol = chol_new
        nit += 1
        resp, ll = _e_step(xt, weights, means, chol)
        path.append(ll)
        change = (path[-1] - path[-2]) / n
        if abs(change) < tol:
            converged = True
            message = f"change in mean log-likelihood {change:.3g} below tol = {tol:g}"
            break
    if max_iter == 0:
        message = "max_iter = 0: the start was evaluated, no EM iteration run"
    return (weights, means, covariances), np.array(path), nit, converged, message


def fit_gmm(
    x: ArrayLike,
    n_components: int,
    *,
    weights: ArrayLike | None = None,
    means: ArrayLike | None = None,
    covariances: ArrayLike | None = None,
    max_iter: int = 200,
    tol: float = 1e-8,
    reg_covar: float = 0.0,
    n_init: int = 1,
    seed: int | np.random.Generator | None = None,
) -> GMMResult:
    r"""Fit a full-covariance Gaussian mixture by the EM algorithm.

    Alternates the E-step (:func:`gmm_e_step`) and the M-step (:func:`gmm_m_step`) from a start
    :math:`\theta_0`, recording :math:`\ell(\theta_t)` after every iteration, and stops when

    .. math:: |\ell(\theta_t) - \ell(\theta_{t-1})| / n < \mathrm{tol}

    (the change in the mean log-likelihood per observation), or after ``max_iter`` iterations;
    ``tol = 0`` therefore runs exactly ``max_iter`` iterations. The returned parameters are the
    last iterate :math:`\theta_{\mathrm{nit}}` and ``loglik`` is :math:`\ell` *at those parameters*.

    Parameters
    ----------
    x : array_like, shape (n,) or (n, d)
    n_components : int
        Number of components :math:`k \le n`.
    weights, means, covariances : array_like, optional
        A starting point (shapes as in :func:`gmm_e_step`). ``means`` is required to use one;
        missing ``weights`` default to :math:`1/k` and missing ``covariances`` to the sample
        covariance of ``x``. Without ``means`` every start is random.
    max_iter : int
        Maximum number of EM iterations per start.
    tol : float
        Tolerance on the change in mean log-likelihood (>= 0).
    reg_covar : float
        Added to the diagonal of every covariance in the M-step (and to random starts). The
        default 0 is the exact MLE-seeking EM; a positive value keeps components from collapsing
        (but then the iteration is no longer exactly monotone in :math:`\ell`).
    n_init : int
        Number of starts; the fit with the largest final log-likelihood is kept. The given start
        (if any) is the first; the others pick ``k`` distinct random observations as means, with
        equal weights and the sample covariance for every component.
    seed : int or numpy Generator, optional
        Seed for the random starts.

    Returns
    -------
    GMMResult

    Raises
    ------
    DegenerateComponentError
        (A ``ValueError``.) Every start degenerated: a component collapsed (covariance
        numerically singular) or lost all its data. ``err.result`` holds the path up to the last
        valid iterate of the (last) failed start.
    ValueError
        Bad input (NaN, wrong shapes, ``n_components`` > n, negative tolerances, ...).

    Warns
    -----
    ConvergenceWarning
        The kept fit did not meet ``tol`` within ``max_iter`` iterations (not issued when
        ``max_iter == 0``).
    """
    xa = _as_x(x)
    n, d = xa.shape
    xt = np.ascontiguousarray(xa.T)
    k = check_int(n_components, "n_components", minimum=1)
    if k > n:
        raise ValueError(f"n_components = {k} exceeds the number of observations n = {n}")
    max_iter = check_int(max_iter, "max_iter", minimum=0)
    n_init = check_int(n_init, "n_init", minimum=1)
    if not (np.isfinite(tol) and tol >= 0):
        raise ValueError(f"tol must be a finite number >= 0, got {tol}")
    reg = _check_reg(reg_covar)
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)

    starts: list[Any] = []
    if means is None:
        if weights is not None or covariances is not None:
            raise ValueError(
                "give `means` to start from a given point (weights/covariances alone are not "
                "enough)"
            )
    else:
        m0 = _check_means(means, d, k)
        w0 = np.full(k, 1.0 / k) if weights is None else _check_weights(weights, k)
        if covariances is None:
            cov = np.atleast_2d(np.cov(xa, rowvar=False, bias=True))
            cov.flat[:: d + 1] += reg
            c0 = np.repeat(cov[None], k, axis=0)
        else:
            c0 = _check_covariances(covariances, d, k)
        starts.append((w0 / w0.sum(), m0, c0))
    while len(starts) < n_init:
        starts.append(None)  # drawn lazily so that a given start consumes no random numbers

    best = None
    init_logliks = []
    failure: DegenerateComponentError | None = None
    for i, start in enumerate(starts):
        if start is None:
            start = _random_start(xa, k, rng, reg)
        try:
            chol = _cholesky(start[2])
        except DegenerateComponentError as err:
            if i == 0 and means is not None:
                raise ValueError(f"the starting covariances are invalid: {err}") from None
            raise ValueError(
                "the sample covariance of x is singular (constant or collinear data), so no "
                "random start is possible; use reg_covar > 0 or give covariances"
            ) from None
        try:
            params, path, nit, conv, msg = _run_em(
                xt, *start, max_iter=max_iter, tol=tol, reg=reg, chol=chol
            )
        except DegenerateComponentError as err:
            failure = err
            init_logliks.append(np.nan)
            continue
        init_logliks.append(path[-1])
        if best is None or path[-1] > best[1][-1]:
            best = (params, path, nit, conv, msg, i)

    if best is None:
        assert failure is not None
        if n_init > 1:
            failure.args = (f"all {n_init} starts degenerated; the last one {failure.args[0]}",)
        raise failure
    (w, m, c), path, nit, conv, msg, i_best = best
    result = GMMResult(
        weights=w, means=m, covariances=c, loglik=float(path[-1]), loglik_path=path, nit=nit,
        converged=conv, message=msg, nobs=n, n_components=k, reg_covar=reg,
        extra={"init_logliks": np.array(init_logliks), "best_init": i_best},
    )
    if not conv and max_iter > 0:
        warnings.warn(
            f"EM did not converge after {nit} iterations ({msg}; tol = {tol:g}). The returned "
            "parameters are not a (local) maximum; raise max_iter or loosen tol.",
            ConvergenceWarning,
            stacklevel=2,
        )
    return result


# ----------------------------------------------------------------------------------------------
# The lower bound (ELBO) behind EM, and the MAP M-step (additions for chapter 5)
# ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class GMMBound:
    r"""The decomposition :math:`\ell(\theta) = \mathrm{ELBO}(q, \theta) + \mathrm{KL}` for one
    :math:`(q, \theta)`, as returned by :func:`gmm_elbo`.

    Attributes
    ----------
    elbo : float
        :math:`\mathrm{ELBO}(q, \theta)`.
    kl : float
        The gap :math:`\sum_i \mathrm{KL}(q_i \,\|\, p(z_i \mid x_i, \theta)) \ge 0`, computed
        term by term (not as a difference).
    loglik : float
        :math:`\ell(\theta)`, computed by logsumexp.
    """

    elbo: float
    kl: float
    loglik: float


def _as_log_q(log_q: ArrayLike, n: int, k: int) -> np.ndarray:
    lq = np.asarray(log_q, dtype=float)
    if lq.shape != (n, k):
        raise ValueError(
            f"log_q must have shape (n, k) = ({n}, {k}) (log-probabilities of the k components "
            f"for each of the n observations), got shape {lq.shape}"
        )
    if np.any(np.isnan(lq)) or np.any(lq == np.inf) or np.any(lq > 1e-12):
        raise ValueError(
            "log_q must hold log-probabilities (values <= 0, -inf allowed), not probabilities "
            "or NaN; pass e.g. the log_resp of gmm_e_step"
        )
    lq = np.minimum(lq, 0.0)
    if np.any(np.abs(np.exp(lq).sum(axis=1) - 1.0) > 1e-8):
        raise ValueError("each row of exp(log_q) must sum to 1 (a distribution over components)")
    return lq


def gmm_elbo(
    x: ArrayLike, log_q: ArrayLike, weights: ArrayLike, means: ArrayLike, covariances: ArrayLike
) -> GMMBound:
    r"""Evidence lower bound of a Gaussian mixture for a distribution :math:`q` over the labels.

    For distributions :math:`q_i` over the components, one per observation,

    .. math::
        \mathrm{ELBO}(q, \theta) &= \sum_{i=1}^n \sum_{j=1}^k q_{ij}\,
            \big(\log\pi_j + \log N(x_i \mid \mu_j, \Sigma_j) - \log q_{ij}\big), \\
        \mathrm{KL} &= \sum_{i=1}^n \sum_{j=1}^k q_{ij} \log\frac{q_{ij}}{r_{ij}(\theta)},
            \qquad r_{ij}(\theta) = p(z_i = j \mid x_i, \theta),

    and :math:`\ell(\theta) = \mathrm{ELBO}(q, \theta) + \mathrm{KL}`, so the ELBO is a lower
    bound on the log-likelihood, tight exactly when :math:`q` is the posterior (the E-step). For
    fixed :math:`q` the M-step (:func:`gmm_m_step` with ``resp = exp(log_q)``) maximises the ELBO
    over :math:`\theta`. Terms with :math:`q_{ij} = 0` contribute 0. Everything is computed in
    log space, so far-away points (underflowing densities) are handled.

    Parameters
    ----------
    x : array_like, shape (n,) or (n, d)
    log_q : array_like, shape (n, k)
        :math:`\log q_{ij}` (``-inf`` allowed), e.g. ``log_resp`` of :func:`gmm_e_step` at an
        earlier parameter value.
    weights, means, covariances : array_like
        :math:`\theta`, shapes as in :func:`gmm_e_step`.

    Returns
    -------
    GMMBound
        ``elbo``, ``kl`` (computed term by term, not as ``loglik - elbo``) and ``loglik``.
    """
    xt = _transposed(x)
    w, m, c = _check_params(xt.shape[0], weights, means, covariances)
    lq = _as_log_q(log_q, xt.shape[1], w.size).T  # (k, n), like the internal arrays
    a = _weighted_logpdf(xt, w, m, _cholesky(c))
    lse, _, _ = _logsumexp_cols(a)
    q = np.exp(lq)
    pos = q > 0
    log_r = a - lse
    with np.errstate(invalid="ignore"):
        elbo_terms = np.where(pos, q * (a - lq), 0.0)
        kl_terms = np.where(pos, q * (lq - log_r), 0.0)
    return GMMBound(elbo=float(elbo_terms.sum()), kl=float(kl_terms.sum()), loglik=float(lse.sum()))


def gmm_map_m_step(
    x: ArrayLike, resp: ArrayLike, *, prior_scale: ArrayLike, prior_dof: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""M-step of MAP-EM with an inverse-Wishart prior :math:`\Sigma_j \sim W^{-1}(\Psi, \nu)` on
    every covariance (flat priors on the weights and means).

    Maximising :math:`\sum_i r_{ij}\log N(x_i\mid\mu_j,\Sigma_j) + \log W^{-1}(\Sigma_j\mid\Psi,\nu)`
    gives the weights and means of :func:`gmm_m_step` and

    .. math:: \Sigma_j = \frac{S_j + \Psi}{N_j + \nu + d + 1}, \qquad
              S_j = \sum_i r_{ij}(x_i - \mu_j)(x_i - \mu_j)^\top,\quad N_j = \sum_i r_{ij}.

    So :math:`\Sigma_j \succeq \Psi / (n + \nu + d + 1)`: no component can collapse, and
    alternating :func:`gmm_e_step` with this step never decreases the log-posterior
    :math:`\ell(\theta) + \sum_j \log W^{-1}(\Sigma_j\mid\Psi,\nu)`, which is bounded above.
    (For :math:`d = 1` the prior is an inverse-gamma :math:`IG(\nu/2, \Psi/2)` on each variance.)

    Parameters
    ----------
    x : array_like, shape (n,) or (n, d)
    resp : array_like, shape (n, k)
        Responsibilities (probabilities, rows summing to 1), as for :func:`gmm_m_step`.
    prior_scale : float or array_like, shape (d, d)
        :math:`\Psi`: a positive number (meaning :math:`\Psi = \psi I`) or a symmetric
        positive-definite matrix.
    prior_dof : float
        :math:`\nu > d - 1`.

    Returns
    -------
    weights : ndarray (k,)
    means : ndarray (k, d)
    covariances : ndarray (k, d, d)
    """
    xt = _transposed(x)
    d = xt.shape[0]
    psi = np.asarray(prior_scale, dtype=float)
    if psi.ndim == 0:
        if not (np.isfinite(psi) and psi > 0):
            raise ValueError(f"prior_scale must be a positive number or a (d, d) matrix, got {psi}")
        psi = float(psi) * np.eye(d)
    if psi.shape != (d, d) or not np.all(np.isfinite(psi)):
        raise ValueError(f"prior_scale must be a positive number or a finite ({d}, {d}) matrix, "
                         f"got shape {psi.shape}")
    if not np.allclose(psi, psi.T, rtol=1e-12, atol=0.0):
        raise ValueError("prior_scale must be a symmetric matrix")
    try:
        np.linalg.cholesky(psi)
    except np.linalg.LinAlgError:
        raise ValueError("prior_scale must be positive definite") from None
    nu = float(prior_dof)
    if not (np.isfinite(nu) and nu > d - 1):
        raise ValueError(f"prior_dof must be a number > d - 1 = {d - 1}, got {prior_dof}")
    weights, means, cov_ml = gmm_m_step(x, resp)
    nk = weights * xt.shape[1]
    covariances = (nk[:, None, None] * cov_ml + psi) / (nk + nu + d + 1)[:, None, None]
    return weights, means, 0.5 * (covariances + covariances.transpose(0, 2, 1))
