r"""Numerical maximum likelihood: a generic fitter and two hand-rolled iterations.

* :func:`fit_mle` maximises :math:`\ell(\theta) = \sum_i \log f(x_i\mid\theta)` given only the
  per-observation log-likelihood (the statsmodels contract), with ``scipy.optimize.minimize``,
  and attaches one of four covariance estimates.
* :func:`newton_raphson` iterates :math:`\theta_{t+1} = \theta_t - H(\theta_t)^{-1} U(\theta_t)`.
* :func:`fisher_scoring` iterates :math:`\theta_{t+1} = \theta_t + \mathcal I(\theta_t)^{-1}
  U(\theta_t)`, replacing the observed Hessian by the expected information.

The two iterations record every iterate (:class:`IterationPath`) so that a table of
:math:`\theta_t`, :math:`\ell(\theta_t)`, :math:`U(\theta_t)` and the step shows quadratic
(Newton) or linear (scoring, in non-canonical models) convergence.

Callables receive ``theta`` as a 1-D array, or as a float when ``theta0`` is a scalar.
Non-convergence is never silent: it issues a :class:`~mlecourse.results.ConvergenceWarning`
and the result has ``converged = False``.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike
from scipy import linalg, optimize

from .inference import sandwich_cov
from .information import _theta_vector, _wrap, numerical_gradient, numerical_hessian, numerical_jacobian
from .results import MLEResult, warn_if_not_converged

__all__ = [
    "COV_TYPES",
    "IterationPath",
    "fisher_scoring",
    "fit_mle",
    "newton_raphson",
]

COV_TYPES = ("observed", "expected", "opg", "sandwich")

_GRADIENT_FREE = {"nelder-mead", "powell", "cobyla", "cobyqa"}
_ACCEPTS_BOUNDS = {"l-bfgs-b", "tnc", "slsqp", "powell", "nelder-mead", "trust-constr", "cobyla", "cobyqa"}
_USES_HESS = {"newton-cg", "dogleg", "trust-ncg", "trust-krylov", "trust-exact", "trust-constr"}


def _inverse_information(info: np.ndarray, what: str, warn: bool = True) -> np.ndarray:
    """Invert a symmetric positive-definite information matrix by a Cholesky solve.

    If it is not positive definite (not at a maximum, or a flat direction) the covariance is
    returned as NaN with a warning rather than a meaningless number.
    """
    info = np.atleast_2d(np.asarray(info, dtype=float))
    k = info.shape[0]
    if info.shape != (k, k) or not np.all(np.isfinite(info)):
        if warn:
            warnings.warn(
                f"the {what} matrix is not a finite {k}x{k} matrix; standard errors are NaN",
                UserWarning,
                stacklevel=3,
            )
        return np.full((k, k), np.nan)
    try:
        c = linalg.cho_factor(0.5 * (info + info.T))
    except linalg.LinAlgError:
        if warn:
            warnings.warn(
                f"the {what} matrix is not positive definite at the estimate (not a strict local "
                "maximum, or a parameter is not identified); standard errors are NaN",
                UserWarning,
                stacklevel=3,
            )
        return np.full((k, k), np.nan)
    return linalg.cho_solve(c, np.eye(k))


def _se(cov: np.ndarray) -> np.ndarray:
    d = np.diag(cov).copy()
    d[~(d >= 0)] = np.nan
    return np.sqrt(d)


def _names(param_names: Sequence[str] | None, k: int) -> tuple[str, ...]:
    if param_names is None:
        return tuple(f"theta[{i}]" for i in range(k))
    names = tuple(str(n) for n in param_names)
    if len(names) != k:
        raise ValueError(f"param_names has {len(names)} entries but there are {k} parameters")
    return names


def _bound_arrays(
    bounds: Sequence[tuple[float | None, float | None]] | None, k: int
) -> tuple[np.ndarray, np.ndarray]:
    lb, ub = np.full(k, -np.inf), np.full(k, np.inf)
    if bounds is None:
        return lb, ub
    if len(bounds) != k:
        raise ValueError(f"bounds must have one (low, high) pair per parameter ({k}), got {len(bounds)}")
    for j, pair in enumerate(bounds):
        lo, hi = pair
        lb[j] = -np.inf if lo is None else float(lo)
        ub[j] = np.inf if hi is None else float(hi)
        if not lb[j] < ub[j]:
            raise ValueError(f"bounds[{j}] = {pair} is empty; need low < high")
    return lb, ub


def _fd_gradient(
    f: Callable[[np.ndarray], float], t: np.ndarray, lb: np.ndarray, ub: np.ndarray
) -> np.ndarray:
    """Central differences, one-sided where a step would cross a bound (Python floats: no warnings)."""
    h = np.finfo(float).eps ** (1.0 / 3.0) * np.maximum(np.abs(t), 1.0)
    f0 = None
    g = np.empty(t.size)
    for j in range(t.size):
        e = np.zeros(t.size)
        e[j] = h[j]
        up, down = t[j] + h[j] <= ub[j], t[j] - h[j] >= lb[j]
        if up and down:
            g[j] = (f(t + e) - f(t - e)) / (2.0 * h[j])
        else:
            f0 = f(t) if f0 is None else f0
            g[j] = (f(t + e) - f0) / h[j] if up else (f0 - f(t - e)) / h[j]
    return g


# --------------------------------------------------------------------------------------------
# fit_mle
# --------------------------------------------------------------------------------------------
def fit_mle(
    loglik_obs: Callable[..., Any],
    theta0: ArrayLike,
    *,
    args: Sequence[Any] = (),
    score_obs: Callable[..., Any] | None = None,
    hessian: Callable[..., Any] | None = None,
    expected_info: Callable[..., Any] | None = None,
    cov_type: str = "observed",
    method: str = "BFGS",
    bounds: Sequence[tuple[float | None, float | None]] | None = None,
    tol: float = 1e-8,
    max_iter: int = 1000,
    param_names: Sequence[str] | None = None,
) -> MLEResult:
    r"""Maximise a log-likelihood numerically and estimate the covariance of the MLE.

    Minimises :math:`-\frac1n\sum_{i=1}^n \log f(x_i\mid\theta)` with
    ``scipy.optimize.minimize`` and then estimates :math:`\operatorname{Cov}(\hat\theta)` by

    * ``"observed"``: :math:`J(\hat\theta)^{-1}`, :math:`J = -\nabla^2\ell` (default);
    * ``"expected"``: :math:`\mathcal I(\hat\theta)^{-1}` from ``expected_info`` (total);
    * ``"opg"``: :math:`B^{-1}`, :math:`B = \sum_i u_i u_i^\top` (outer product of gradients);
    * ``"sandwich"``: :math:`J^{-1} B J^{-1}` (robust to misspecification).

    Derivatives not supplied are computed by central differences.

    Parameters
    ----------
    loglik_obs : callable
        ``loglik_obs(theta, *args) -> ndarray (n,)``, per-observation log-likelihoods. A
        ``ValueError`` it raises at a trial point (a parameter outside its space, e.g. a negative
        variance) is treated as :math:`\ell = -\infty` there; at ``theta0`` it propagates.
    theta0 : float or array_like, shape (k,)
        Starting value; a scalar means the callables receive floats.
    args : sequence
        Extra arguments passed to every callable (typically the data).
    score_obs : callable, optional
        ``score_obs(theta, *args) -> (n,)`` or ``(n, k)`` per-observation scores.
    hessian : callable, optional
        ``hessian(theta, *args) -> (k, k)``, Hessian of the TOTAL log-likelihood.
    expected_info : callable, optional
        ``expected_info(theta, *args) -> (k, k)``, TOTAL expected information
        :math:`n I(\theta)`; required for ``cov_type="expected"``.
    cov_type : {"observed", "expected", "opg", "sandwich"}
    method : str
        Any ``scipy.optimize.minimize`` method; use ``"L-BFGS-B"`` (or another bounded method)
        together with ``bounds``.
    bounds : sequence of (low, high), optional
    tol : float
        Passed to ``minimize`` (for BFGS: the gradient-norm tolerance on the average
        log-likelihood).
    max_iter : int
    param_names : sequence of str, optional

    Returns
    -------
    MLEResult
        ``history`` holds :math:`\ell` at the start and after every iteration;
        ``extra["optimize_result"]`` is scipy's ``OptimizeResult`` and ``extra["score"]`` the
        total score at :math:`\hat\theta`.

    Warns
    -----
    ConvergenceWarning
        If the optimiser reports failure.
    """
    if cov_type not in COV_TYPES:
        raise ValueError(f"cov_type must be one of {COV_TYPES}, got {cov_type!r}")
    if cov_type == "expected" and expected_info is None:
        raise ValueError("cov_type='expected' needs expected_info(theta, *args) (total information)")
    if not isinstance(method, str):
        raise TypeError(f"method must be a string naming a scipy.optimize.minimize method, got {method!r}")
    if not (isinstance(tol, (int, float)) and tol > 0):
        raise ValueError(f"tol must be a positive number, got {tol!r}")
    if isinstance(max_iter, bool) or not isinstance(max_iter, (int, np.integer)) or max_iter < 1:
        raise ValueError(f"max_iter must be a positive integer, got {max_iter!r}")
    mlow = method.lower()
    if bounds is not None and mlow not in _ACCEPTS_BOUNDS:
        raise ValueError(
            f"method {method!r} does not accept bounds; use method='L-BFGS-B' (or reparameterise, "
            "e.g. optimise log(sigma2))"
        )

    t0, scalar = _theta_vector(theta0, "theta0")
    k = t0.size
    names = _names(param_names, k)
    ll_obs = _wrap(loglik_obs, scalar, args)

    l0 = np.asarray(ll_obs(t0), dtype=float)
    if l0.ndim != 1 or l0.size == 0:
        raise ValueError(
            f"loglik_obs must return a 1-D array of per-observation log-likelihoods, got shape {l0.shape}"
        )
    n = l0.size
    if not np.isfinite(l0.sum()):
        raise ValueError(
            f"the log-likelihood at theta0 = {t0.tolist()} is {l0.sum()}; start inside the support "
            "(where every observation has positive density)"
        )

    def total(t: np.ndarray) -> float:
        try:
            v = float(np.sum(ll_obs(t)))
        except ValueError:
            return -np.inf
        return v if not np.isnan(v) else -np.inf

    def objective(t: np.ndarray) -> float:
        v = total(t)
        return -v / n if np.isfinite(v) else np.inf

    score_fn = None
    if score_obs is not None:
        s_obs = _wrap(score_obs, scalar, args)

        def score_fn(t: np.ndarray) -> np.ndarray:
            return np.asarray(s_obs(t), dtype=float).reshape(n, k).sum(axis=0)

        def jac(t: np.ndarray) -> np.ndarray:
            return -score_fn(t) / n
    else:
        lb, ub = _bound_arrays(bounds, k)

        def jac(t: np.ndarray) -> np.ndarray:
            return _fd_gradient(objective, t, lb, ub)

    hess_fn = None
    if hessian is not None:
        h_tot = _wrap(hessian, scalar, args)

        def hess_fn(t: np.ndarray) -> np.ndarray:
            return np.asarray(h_tot(t), dtype=float).reshape(k, k)

    history = [-objective(t0) * n]

    def callback(xk: np.ndarray) -> None:
        history.append(total(np.asarray(xk, dtype=float)))

    kw: dict[str, Any] = {"method": method, "tol": tol, "options": {"maxiter": int(max_iter)}}
    if mlow not in _GRADIENT_FREE:
        kw["jac"] = jac
    if mlow in _USES_HESS and hess_fn is not None:
        kw["hess"] = lambda t: -hess_fn(t) / n
    if bounds is not None:
        kw["bounds"] = bounds
    res = optimize.minimize(objective, t0, callback=callback, **kw)

    theta_hat = np.atleast_1d(np.asarray(res.x, dtype=float))
    loglik = total(theta_hat)
    converged = bool(res.success) and np.isfinite(loglik)
    message = str(res.message)

    # --- covariance -----------------------------------------------------------------------
    def total_hessian() -> np.ndarray:
        if hess_fn is not None:
            return hess_fn(theta_hat)
        if score_fn is not None:
            return numerical_jacobian(score_fn, theta_hat).reshape(k, k)
        return np.atleast_2d(numerical_hessian(total, theta_hat))

    def scores() -> np.ndarray:
        if score_obs is not None:
            return np.asarray(s_obs(theta_hat), dtype=float).reshape(n, k)
        return numerical_jacobian(ll_obs, theta_hat).reshape(n, k)

    if cov_type == "observed":
        cov = _inverse_information(-total_hessian(), "observed information", converged)
    elif cov_type == "expected":
        info = np.asarray(_wrap(expected_info, scalar, args)(theta_hat), dtype=float).reshape(k, k)
        cov = _inverse_information(info, "expected information", converged)
    elif cov_type == "opg":
        S = scores()
        cov = _inverse_information(S.T @ S, "outer product of scores", converged)
    else:
        H = total_hessian()
        if np.all(np.isfinite(H)) and np.all(np.linalg.eigvalsh(-0.5 * (H + H.T)) > 0):
            cov = sandwich_cov(scores(), H)
        else:
            cov = _inverse_information(-H, "observed information", converged)  # NaN

    if score_fn is not None:
        score_hat = score_fn(theta_hat)
    else:
        score_hat = np.atleast_1d(numerical_gradient(total, theta_hat))
    result = MLEResult(
        params=theta_hat,
        se=_se(cov),
        cov=cov,
        loglik=loglik,
        nobs=n,
        nit=int(getattr(res, "nit", len(history) - 1)),
        converged=converged,
        message=message,
        history=np.asarray(history),
        param_names=names,
        cov_type=cov_type,
        method=method,
        extra={"optimize_result": res, "score": score_hat, "nfev": int(getattr(res, "nfev", -1))},
    )
    return warn_if_not_converged(result, stacklevel=3)


# --------------------------------------------------------------------------------------------
# Newton-Raphson and Fisher scoring
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class IterationPath:
    r"""The iterates of :func:`newton_raphson` or :func:`fisher_scoring`.

    Row :math:`t` holds the iterate :math:`\theta_t`, :math:`\ell(\theta_t)` (NaN if no
    log-likelihood was supplied), the total score :math:`U(\theta_t)` and the step taken from it,
    :math:`\theta_{t+1} - \theta_t` (NaN in the last row: no step is taken from the final
    iterate).

    Attributes
    ----------
    theta : ndarray, shape (T + 1, k)
    loglik : ndarray, shape (T + 1,)
    score : ndarray, shape (T + 1, k)
    step : ndarray, shape (T + 1, k)
    """

    theta: np.ndarray
    loglik: np.ndarray
    score: np.ndarray
    step: np.ndarray

    @property
    def n_iter(self) -> int:
        """Number of steps taken."""
        return self.theta.shape[0] - 1

    @property
    def score_norm(self) -> np.ndarray:
        r""":math:`\|U(\theta_t)\|_2` per row."""
        return np.linalg.norm(self.score, axis=1)

    @property
    def step_norm(self) -> np.ndarray:
        r""":math:`\|\theta_{t+1} - \theta_t\|_2` per row (NaN in the last row)."""
        return np.linalg.norm(self.step, axis=1)

    @property
    def error(self) -> np.ndarray:
        r""":math:`\|\theta_t - \theta_T\|_2`, the distance to the final iterate.

        For Newton's method near the root the ratio :math:`e_{t+1}/e_t^2` is roughly constant
        (quadratic convergence); for a linearly convergent method :math:`e_{t+1}/e_t` is.
        """
        return np.linalg.norm(self.theta - self.theta[-1], axis=1)

    def to_dict(self) -> dict[str, np.ndarray]:
        """Columns for a table (``pandas.DataFrame(path.to_dict())`` works)."""
        out: dict[str, np.ndarray] = {"iteration": np.arange(self.theta.shape[0])}
        k = self.theta.shape[1]
        for j in range(k):
            out[f"theta[{j}]" if k > 1 else "theta"] = self.theta[:, j]
        out["loglik"] = self.loglik
        out["|score|"] = self.score_norm
        out["|step|"] = self.step_norm
        return out

    def table(self, digits: int = 10) -> str:
        """A fixed-width text table of the iterations (for printing in a notebook)."""
        cols = self.to_dict()
        heads = list(cols)
        w = digits + 8
        lines = ["".join([f"{'iter':>5}", *(f"{h:>{w}}" for h in heads[1:])])]
        for r in range(self.theta.shape[0]):
            cells = [f"{r:>5d}"]
            for h in heads[1:]:
                v = cols[h][r]
                if np.isnan(v):
                    cells.append(f"{'':>{w}}")
                elif h.startswith("theta") or h == "loglik":
                    cells.append(f"{v:>{w}.{digits}f}")
                else:
                    cells.append(f"{v:>{w}.3e}")
            lines.append("".join(cells))
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.table()


def _iterate(
    score: Callable[..., Any],
    info_fn: Callable[[np.ndarray], np.ndarray],
    theta0: ArrayLike,
    *,
    args: Sequence[Any],
    loglik: Callable[..., Any] | None,
    tol: float,
    max_iter: int,
    step_halving: bool,
    param_names: Sequence[str] | None,
    nobs: int | None,
    method: str,
    cov_type: str,
    info_name: str,
) -> MLEResult:
    if not (isinstance(tol, (int, float)) and tol > 0):
        raise ValueError(f"tol must be a positive number, got {tol!r}")
    if isinstance(max_iter, bool) or not isinstance(max_iter, (int, np.integer)) or max_iter < 1:
        raise ValueError(f"max_iter must be a positive integer, got {max_iter!r}")
    if step_halving and loglik is None:
        raise ValueError("step_halving=True needs loglik (to check that each step increases it)")
    if nobs is not None and (isinstance(nobs, bool) or not isinstance(nobs, (int, np.integer)) or nobs < 1):
        raise ValueError(f"nobs must be a positive integer or None, got {nobs!r}")
    t, scalar = _theta_vector(theta0, "theta0")
    k = t.size
    names = _names(param_names, k)
    sc = _wrap(score, scalar, args)
    ll = _wrap(loglik, scalar, args) if loglik is not None else None

    def U(th: np.ndarray) -> np.ndarray:
        return np.asarray(sc(th), dtype=float).reshape(k)

    def L(th: np.ndarray) -> float:
        return float(np.sum(ll(th))) if ll is not None else np.nan

    rows: list[tuple[np.ndarray, float, np.ndarray, np.ndarray]] = []
    nan_step = np.full(k, np.nan)
    u = U(t)
    lval = L(t)
    converged, message = False, f"maximum number of iterations ({max_iter}) reached"
    final_recorded = False
    for _ in range(max_iter):
        if not (np.all(np.isfinite(u)) and np.all(np.isfinite(t))):
            message = "the score or the iterate became non-finite"
            break
        A = np.asarray(info_fn(t), dtype=float).reshape(k, k)
        try:
            full_step = np.linalg.solve(A, u) if np.all(np.isfinite(A)) else nan_step
        except np.linalg.LinAlgError:
            full_step = nan_step
        if not np.all(np.isfinite(full_step)):
            message = f"the {info_name} matrix is singular or non-finite at theta = {t.tolist()}"
            break
        small = np.max(np.abs(full_step)) <= tol * (1.0 + np.max(np.abs(t)))
        halve = step_halving and not small
        if halve and float(u @ full_step) <= 0.0:
            message = (
                f"the {info_name} matrix is not positive definite at theta = {t.tolist()}: the "
                "step is not an ascent direction, so halving it cannot increase the log-likelihood"
            )
            break
        # take the step (with step_halving: halve until the log-likelihood does not decrease)
        step, new_l, err = full_step, np.nan, None
        for _half in range(60 if halve else 1):
            try:
                new_l, err = L(t + step), None
            except ValueError as exc:  # the step left the parameter space
                new_l, err = -np.inf, exc
            if not halve or (np.isfinite(new_l) and new_l >= lval):
                break
            step = 0.5 * step
        if err is not None:
            message = (
                f"the step left the parameter space ({err}); try step_halving=True or another start"
            )
            break
        if halve and not (np.isfinite(new_l) and new_l >= lval):
            message = "step halving could not find an increase of the log-likelihood"
            break
        rows.append((t, lval, u, step))
        t, lval = t + step, new_l
        try:
            u = U(t)
        except ValueError as exc:
            message = f"the score could not be evaluated at the new iterate ({exc})"
            rows.append((t, lval, np.full(k, np.nan), nan_step))
            final_recorded = True
            break
        if small:
            converged, message = True, f"step size below tol = {tol:g}"
            break
    if not final_recorded:
        rows.append((t, lval, u, nan_step))
    path = IterationPath(
        theta=np.array([r[0] for r in rows]),
        loglik=np.array([r[1] for r in rows]),
        score=np.array([r[2] for r in rows]),
        step=np.array([r[3] for r in rows]),
    )
    theta_hat = path.theta[-1]
    if converged:
        cov = _inverse_information(np.asarray(info_fn(theta_hat), dtype=float).reshape(k, k), info_name)
    else:
        cov = np.full((k, k), np.nan)
    result = MLEResult(
        params=theta_hat,
        se=_se(cov),
        cov=cov,
        loglik=path.loglik[-1],
        nobs=int(nobs) if nobs is not None else 0,
        nit=path.n_iter,
        converged=converged,
        message=message,
        history=path.loglik,
        param_names=names,
        cov_type=cov_type,
        method=method,
        extra={"path": path},
    )
    return warn_if_not_converged(result, stacklevel=4)


def newton_raphson(
    score: Callable[..., Any],
    hessian: Callable[..., Any],
    theta0: ArrayLike,
    *,
    args: Sequence[Any] = (),
    loglik: Callable[..., Any] | None = None,
    tol: float = 1e-10,
    max_iter: int = 50,
    step_halving: bool = False,
    param_names: Sequence[str] | None = None,
    nobs: int | None = None,
) -> MLEResult:
    r"""Newton-Raphson for the likelihood equation :math:`U(\theta) = 0`.

    .. math:: \theta_{t+1} = \theta_t - H(\theta_t)^{-1}\, U(\theta_t),
        \qquad H = \nabla^2 \ell ,

    computed with a linear solve. Stops when
    :math:`\|\theta_{t+1} - \theta_t\|_\infty \le \mathrm{tol}\,(1 + \|\theta_t\|_\infty)`.
    Near a root with :math:`H` non-singular the error is squared at every step (quadratic
    convergence); from a poor start the plain iteration can diverge or converge to a minimum --
    ``step_halving=True`` halves each step until :math:`\ell` does not decrease.

    Parameters
    ----------
    score : callable
        ``score(theta, *args)``, total score, shape (k,) (a float for one parameter).
    hessian : callable
        ``hessian(theta, *args)``, Hessian of the total log-likelihood, shape (k, k).
    theta0 : float or array_like
        Starting value (a float means the callables receive floats).
    args : sequence
        Extra arguments for the callables.
    loglik : callable, optional
        ``loglik(theta, *args)``: total (or per-observation, summed) log-likelihood, recorded
        in the path and needed for ``step_halving``.
    tol, max_iter : float, int
    step_halving : bool
    param_names : sequence of str, optional
    nobs : int, optional
        Sample size, stored in the result (needed for its BIC).

    Returns
    -------
    MLEResult
        ``cov_type="observed"`` (:math:`-H(\hat\theta)^{-1}`), ``history`` = :math:`\ell` per
        iterate, ``extra["path"]`` the :class:`IterationPath`.

    Warns
    -----
    ConvergenceWarning
        If ``max_iter`` is reached, the iterate leaves the parameter space or becomes
        non-finite, or the Hessian is singular.

    Examples
    --------
    >>> import numpy as np
    >>> from mlecourse import poisson_score, poisson_hessian
    >>> x = np.array([2, 4, 3, 5, 1])
    >>> res = newton_raphson(lambda l: poisson_score(l, x), lambda l: poisson_hessian(l, x), 1.0)
    >>> round(float(res.params[0]), 10)
    3.0
    """
    hs = _wrap(hessian, np.ndim(theta0) == 0, args)

    def info_fn(t: np.ndarray) -> np.ndarray:
        return -np.asarray(hs(t), dtype=float)

    return _iterate(
        score, info_fn, theta0, args=args, loglik=loglik, tol=tol, max_iter=max_iter,
        step_halving=step_halving, param_names=param_names, nobs=nobs,
        method="newton_raphson", cov_type="observed", info_name="observed information",
    )


def fisher_scoring(
    score: Callable[..., Any],
    expected_info: Callable[..., Any],
    theta0: ArrayLike,
    *,
    args: Sequence[Any] = (),
    loglik: Callable[..., Any] | None = None,
    tol: float = 1e-10,
    max_iter: int = 50,
    step_halving: bool = False,
    param_names: Sequence[str] | None = None,
    nobs: int | None = None,
) -> MLEResult:
    r"""Fisher scoring: Newton's method with the expected information in place of :math:`-H`.

    .. math:: \theta_{t+1} = \theta_t + \mathcal I(\theta_t)^{-1}\, U(\theta_t),
        \qquad \mathcal I(\theta) = n I(\theta) = -E_\theta[\nabla^2\ell].

    :math:`\mathcal I` is positive definite wherever the model is identified, so scoring is more
    stable far from the optimum; near it, it converges linearly unless the observed and expected
    information coincide at :math:`\hat\theta` (canonical exponential families, where it *is*
    Newton's method). Arguments as :func:`newton_raphson`, with

    Parameters
    ----------
    expected_info : callable
        ``expected_info(theta, *args)``, the TOTAL expected information, shape (k, k).

    Returns
    -------
    MLEResult
        ``cov_type="expected"`` (:math:`\mathcal I(\hat\theta)^{-1}`), ``extra["path"]``.
    """
    ei = _wrap(expected_info, np.ndim(theta0) == 0, args)

    def info_fn(t: np.ndarray) -> np.ndarray:
        return np.asarray(ei(t), dtype=float)

    return _iterate(
        score, info_fn, theta0, args=args, loglik=loglik, tol=tol, max_iter=max_iter,
        step_halving=step_halving, param_names=param_names, nobs=nobs,
        method="fisher_scoring", cov_type="expected", info_name="expected information",
    )
