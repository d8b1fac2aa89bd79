r"""Logistic regression by maximum likelihood (and its ridge / MAP variant).

The model is :math:`y_i \mid x_i \sim \mathrm{Bernoulli}(\sigma(x_i^\top\beta))` with the logistic
function :math:`\sigma(t) = 1/(1+e^{-t})`. Writing :math:`s_i = 2y_i - 1 \in \{-1, +1\}` and the
*margin* :math:`m_i = s_i\,x_i^\top\beta`, the per-observation log-likelihood is

.. math:: \ell_i(\beta) = y_i\log\sigma(\eta_i) + (1-y_i)\log\sigma(-\eta_i) = \log\sigma(m_i),

which is evaluated with ``scipy.special.log_expit`` (never ``log(sigmoid(.))``, which underflows to
``-inf`` for large negative margins). The score and the Hessian of the total log-likelihood are

.. math:: \nabla\ell(\beta) = X^\top(y - p), \qquad
          \nabla^2\ell(\beta) = -X^\top W X, \quad W = \mathrm{diag}\{p_i(1-p_i)\},

with :math:`p_i = \sigma(\eta_i)`. Because the logit link is canonical, the Hessian does not involve
:math:`y`: observed and expected information coincide, and Newton–Raphson, Fisher scoring and
iteratively reweighted least squares (IRLS) are the same iteration.

The design matrix is used as given: add a column of ones yourself for an intercept (as in
statsmodels).
"""

from __future__ import annotations

import warnings
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike
from scipy import linalg
from scipy.special import expit, log_expit

from ._validation import as_data, as_design, check_binary, check_int
from .inference import sandwich_cov
from .results import (
    MLEResult,
    PerfectSeparationError,
    PerfectSeparationWarning,
    warn_if_not_converged,
)

__all__ = [
    "check_separation",
    "fit_logistic",
    "log_sigmoid",
    "logistic_gradient",
    "logistic_hessian",
    "logistic_loglik",
    "logistic_loglik_obs",
    "logistic_score_obs",
    "sigmoid",
]

_COV_TYPES = ("observed", "expected", "opg", "sandwich")
# A fitted probability within 1e-8 of every label <=> every margin exceeds log(1e8) ~ 18.42.
_SEPARATION_MARGIN = float(np.log(1e8))
_MAX_HALVINGS = 50


# ----------------------------------------------------------------------------------------------
# The building blocks
# ----------------------------------------------------------------------------------------------
def sigmoid(t: ArrayLike) -> np.ndarray | float:
    r"""The logistic function :math:`\sigma(t) = 1/(1 + e^{-t})`, overflow-free (``expit``)."""
    return expit(np.asarray(t, dtype=float))


def log_sigmoid(t: ArrayLike) -> np.ndarray | float:
    r""":math:`\log\sigma(t) = -\log(1 + e^{-t})`, accurate for all :math:`t` (``log_expit``).

    For :math:`t \to -\infty` it behaves like :math:`t` instead of underflowing to ``-inf``.
    """
    return log_expit(np.asarray(t, dtype=float))


def _check_beta(beta: ArrayLike, k: int) -> np.ndarray:
    b = as_data(beta, "beta")
    if b.shape != (k,):
        raise ValueError(f"beta must have one entry per column of X ({k}), got shape {b.shape}")
    return b


def _check_xy(X: ArrayLike, y: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    Xa, ya = as_design(X, y)
    check_binary(ya, "y")
    return Xa, ya


def logistic_loglik_obs(beta: ArrayLike, X: ArrayLike, y: ArrayLike) -> np.ndarray:
    r"""Per-observation log-likelihood :math:`\ell_i(\beta) = \log\sigma\big((2y_i-1)\,x_i^\top\beta\big)`.

    Parameters
    ----------
    beta : array_like, shape (k,)
    X : array_like, shape (n, k)
        Design matrix, used as given (include a column of ones for an intercept).
    y : array_like, shape (n,)
        Labels in {0, 1}.

    Returns
    -------
    ndarray, shape (n,)
    """
    Xa, ya = _check_xy(X, y)
    b = _check_beta(beta, Xa.shape[1])
    return log_expit((2.0 * ya - 1.0) * (Xa @ b))


def logistic_loglik(beta: ArrayLike, X: ArrayLike, y: ArrayLike) -> float:
    r"""Total log-likelihood :math:`\ell(\beta) = \sum_i \log\sigma\big((2y_i-1)\,x_i^\top\beta\big)`."""
    return float(np.sum(logistic_loglik_obs(beta, X, y)))


def logistic_score_obs(beta: ArrayLike, X: ArrayLike, y: ArrayLike) -> np.ndarray:
    r"""Per-observation scores :math:`(y_i - p_i)\,x_i`, shape (n, k); they sum to the gradient."""
    Xa, ya = _check_xy(X, y)
    b = _check_beta(beta, Xa.shape[1])
    return (ya - expit(Xa @ b))[:, None] * Xa


def logistic_gradient(beta: ArrayLike, X: ArrayLike, y: ArrayLike) -> np.ndarray:
    r"""Score (gradient of the total log-likelihood) :math:`X^\top(y - \sigma(X\beta))`, shape (k,)."""
    Xa, ya = _check_xy(X, y)
    b = _check_beta(beta, Xa.shape[1])
    s = 2.0 * ya - 1.0
    # y - p = s * sigma(-m): no cancellation when p is close to y.
    return Xa.T @ (s * expit(-s * (Xa @ b)))


def logistic_hessian(beta: ArrayLike, X: ArrayLike) -> np.ndarray:
    r"""Hessian of the total log-likelihood :math:`-X^\top W X`, :math:`W = \mathrm{diag}\{p_i(1-p_i)\}`.

    It does not depend on :math:`y` (canonical link), so it equals minus the expected (Fisher)
    information. It is negative semi-definite: the log-likelihood is concave.
    """
    Xa = as_data(X, "X", ndim=2)
    b = _check_beta(beta, Xa.shape[1])
    eta = Xa @ b
    w = expit(eta) * expit(-eta)  # p(1-p) without cancellation
    return -_xtwx(Xa, w)


def _xtwx(X: np.ndarray, w: np.ndarray) -> np.ndarray:
    """X^T diag(w) X for w >= 0 as (sqrt(w) X)^T (sqrt(w) X): one symmetric BLAS call (syrk)."""
    Xw = X * np.sqrt(w)[:, None]
    out = Xw.T @ Xw
    return 0.5 * (out + out.T)


# ----------------------------------------------------------------------------------------------
# Separation
# ----------------------------------------------------------------------------------------------
def check_separation(X: ArrayLike, y: ArrayLike, *, tol: float = 1e-7) -> str:
    r"""Classify the data as ``"none"``, ``"quasi-complete"`` or ``"complete"`` separation.

    With :math:`a_i = (2y_i - 1)\,x_i` the logistic-regression MLE exists if and only if no
    direction :math:`b \ne 0` has :math:`a_i^\top b \ge 0` for every :math:`i` with at least one
    strict inequality (Albert & Anderson, 1984). Two linear programmes decide it exactly, over the
    box :math:`-1 \le b_j \le 1` and with the columns of :math:`X` rescaled to unit maximum (which
    changes no sign):

    * complete separation: :math:`\max t` subject to :math:`a_i^\top b \ge t` for all :math:`i`
      is positive — some :math:`b` classifies every point correctly with a positive margin;
    * quasi-complete: :math:`\max \sum_i a_i^\top b` subject to :math:`a_i^\top b \ge 0` is
      positive but the first programme is not.

    In both cases :math:`\ell(c\,b)` keeps increasing as :math:`c \to \infty`: the supremum of
    the log-likelihood is not attained and the MLE does not exist.

    Parameters
    ----------
    X : array_like, shape (n, k)
    y : array_like, shape (n,)
        Labels in {0, 1}.
    tol : float
        An LP optimum above ``tol`` counts as positive.

    Returns
    -------
    str
    """
    from scipy.optimize import linprog  # only needed when a fit is in trouble

    Xa, ya = _check_xy(X, y)
    scale = np.max(np.abs(Xa), axis=0)
    keep = scale > 0
    A = (2.0 * ya - 1.0)[:, None] * (Xa[:, keep] / scale[keep])
    n, k = A.shape
    if k == 0:
        return "none"
    # Complete: variables (b, t); minimise -t s.t. -A b + t <= 0, b in [-1, 1], t <= 1.
    c = np.zeros(k + 1)
    c[-1] = -1.0
    res = linprog(
        c,
        A_ub=np.hstack([-A, np.ones((n, 1))]),
        b_ub=np.zeros(n),
        bounds=[(-1.0, 1.0)] * k + [(None, 1.0)],
        method="highs",
    )
    if res.status == 0 and -res.fun > tol:
        return "complete"
    # Quasi-complete: maximise sum_i a_i b s.t. A b >= 0, b in [-1, 1].
    res = linprog(
        -A.sum(axis=0), A_ub=-A, b_ub=np.zeros(n), bounds=[(-1.0, 1.0)] * k, method="highs"
    )
    if res.status == 0 and -res.fun > tol:
        return "quasi-complete"
    return "none"


# ----------------------------------------------------------------------------------------------
# Fitting
# ----------------------------------------------------------------------------------------------
def _penalty_vector(l2: ArrayLike, X: np.ndarray, penalize_intercept: bool) -> np.ndarray:
    k = X.shape[1]
    lam = np.asarray(l2, dtype=float)
    if lam.ndim == 0:
        if not np.isfinite(lam) or lam < 0:
            raise ValueError(f"l2 must be a finite number >= 0, got {float(lam)}")
        pen = np.full(k, float(lam))
        if lam > 0 and not penalize_intercept:
            constant = np.all(X == X[0], axis=0) & (X[0] != 0)
            pen[constant] = 0.0
        return pen
    if lam.shape != (k,):
        raise ValueError(
            f"l2 must be a number or an array with one entry per column of X ({k}), "
            f"got shape {lam.shape}"
        )
    if not np.all(np.isfinite(lam)) or np.any(lam < 0):
        raise ValueError(f"every entry of l2 must be finite and >= 0, got {lam.tolist()}")
    return lam.copy()


# Rows per block in the fitting loop: one pass over X per evaluation, with every temporary
# cache-sized. Small BLAS calls also stay single-threaded, which matters on a busy machine where
# a threaded call on the whole (n, k) array can stall for a scheduler quantum.
_BLOCK = 4096


class _State:
    """Objective, gradient and (optionally) negative Hessian at ``beta``, from one pass over X.

    With the margin ``m = s x'beta`` and ``e = exp(-|m|)`` (one exponential per observation,
    never overflowing): ``log sigma(m) = min(m, 0) - log1p(e)``; ``y - p = s sigma(-m)`` with
    ``sigma(-m) = e / (1 + e)`` if ``m >= 0`` else ``1 / (1 + e)``; and
    ``p (1 - p) = e / (1 + e)^2``. No cancellation, whatever the size of the margin.
    """

    __slots__ = ("A", "beta", "grad", "ll", "min_margin", "obj")

    def __init__(
        self, X: np.ndarray, s: np.ndarray, beta: np.ndarray, pen: np.ndarray, *, hessian: bool
    ):
        n, k = X.shape
        ll = 0.0
        min_margin = np.inf
        grad = np.zeros(k)
        A = np.zeros((k, k)) if hessian else None
        for lo in range(0, n, _BLOCK):
            Xb = X[lo : lo + _BLOCK]
            sb = s[lo : lo + _BLOCK]
            m = Xb @ beta
            m *= sb
            e = np.exp(-np.abs(m))
            ll += float(np.sum(np.minimum(m, 0.0)) - np.sum(np.log1p(e)))
            min_margin = min(min_margin, float(m.min()))
            d = 1.0 + e
            resid = np.where(m >= 0, e, 1.0)
            resid /= d
            resid *= sb  # = y - p
            grad += Xb.T @ resid
            if A is not None:
                Xw = Xb * (np.sqrt(e) / d)[:, None]  # rows scaled by sqrt(p (1 - p))
                A += Xw.T @ Xw
        self.beta = beta
        self.ll = ll
        self.obj = ll - 0.5 * float(beta @ (pen * beta))
        self.min_margin = min_margin
        self.grad = grad - pen * beta
        if A is not None:
            A = 0.5 * (A + A.T)
            A[np.diag_indices_from(A)] += pen
        self.A = A


def _scores_obs(X: np.ndarray, s: np.ndarray, beta: np.ndarray, pen: np.ndarray) -> np.ndarray:
    """Per-observation scores of the (penalised) objective, (n, k); they sum to its gradient."""
    resid = s * expit(-s * (X @ beta))
    return resid[:, None] * X - (pen * beta) / X.shape[0]


def _covariance(
    X: np.ndarray, s: np.ndarray, A: np.ndarray, beta: np.ndarray, pen: np.ndarray,
    cov_type: str,
) -> np.ndarray:
    """Covariance of beta-hat from the negative Hessian A and the per-observation scores."""
    k = X.shape[1]
    eye = np.eye(k)
    nan = np.full((k, k), np.nan)
    try:
        A_inv = linalg.cho_solve(linalg.cho_factor(A, lower=True), eye)
    except (linalg.LinAlgError, ValueError):
        return nan
    if cov_type in ("observed", "expected"):
        return 0.5 * (A_inv + A_inv.T)
    scores = _scores_obs(X, s, beta, pen)
    if cov_type == "opg":
        try:
            B_inv = linalg.cho_solve(linalg.cho_factor(scores.T @ scores, lower=True), eye)
        except linalg.LinAlgError:
            return nan
        return 0.5 * (B_inv + B_inv.T)
    try:
        return sandwich_cov(scores, -A)
    except ValueError:
        return nan


def fit_logistic(
    X: ArrayLike,
    y: ArrayLike,
    *,
    method: Literal["newton", "gradient"] = "newton",
    cov_type: Literal["observed", "expected", "opg", "sandwich"] = "observed",
    tol: float = 1e-10,
    max_iter: int | None = None,
    step_size: float | None = None,
    l2: ArrayLike = 0.0,
    penalize_intercept: bool = False,
    start: ArrayLike | None = None,
    param_names: tuple[str, ...] | list[str] | None = None,
) -> MLEResult:
    r"""Fit a logistic regression by maximum likelihood (or penalised likelihood / MAP).

    Maximises the penalised log-likelihood

    .. math:: \ell_\lambda(\beta) = \sum_{i=1}^n \log\sigma\big((2y_i-1)\,x_i^\top\beta\big)
              - \tfrac12\sum_j \lambda_j \beta_j^2,

    which for :math:`\lambda = 0` is the log-likelihood and for :math:`\lambda_j = \lambda > 0` is
    the log-posterior (up to a constant) under the prior :math:`\beta_j \sim N(0, 1/\lambda)`.

    ``method="newton"`` (Newton–Raphson = Fisher scoring = IRLS for this canonical link) iterates

    .. math:: \beta_{t+1} = \beta_t + \big(X^\top W_t X + \Lambda\big)^{-1}
              \big(X^\top(y - p_t) - \Lambda\beta_t\big)

    with a Cholesky solve (and step halving should a full step ever lower the objective). It stops
    when the proposed step satisfies :math:`\|\Delta\|_\infty \le \mathrm{tol}\,(1 + \|\beta_t\|_\infty)`;
    thanks to quadratic convergence the returned :math:`\beta_t` is then accurate to about
    ``tol`` (relative) and needs a handful of iterations.

    ``method="gradient"`` is plain gradient ascent on the *mean* objective,
    :math:`\beta_{t+1} = \beta_t + h\,\nabla\ell_\lambda(\beta_t)/n`, with step size
    :math:`h` = ``step_size``; the default :math:`h = n / L` with
    :math:`L = \tfrac14\lambda_{\max}(X^\top X) + \max_j\lambda_j` (a Lipschitz constant of the
    gradient) guarantees that the objective never decreases. It stops when
    :math:`\|\nabla\ell_\lambda(\beta_t)\|_\infty / n \le \mathrm{tol}`, which typically takes
    hundreds to many thousands of iterations (the rate is :math:`1 - 1/\kappa` per iteration,
    :math:`\kappa` the condition number of :math:`X^\top W X`).

    Parameters
    ----------
    X : array_like, shape (n, k)
        Design matrix, used as given: include a column of ones for an intercept. A pandas
        DataFrame's column names become the parameter names.
    y : array_like, shape (n,)
        Labels in {0, 1}.
    method : {"newton", "gradient"}
    cov_type : {"observed", "expected", "opg", "sandwich"}
        ``"observed"`` and ``"expected"`` both give :math:`A^{-1}` with
        :math:`A = X^\top W X + \Lambda` (identical for the canonical link; with a penalty this is
        the Laplace approximation to the posterior covariance); ``"opg"`` gives :math:`B^{-1}`
        with :math:`B = \sum_i g_i g_i^\top` the outer product of the per-observation scores
        :math:`g_i = (y_i - p_i)x_i - \Lambda\beta/n`; ``"sandwich"`` gives :math:`A^{-1} B A^{-1}`
        (statsmodels' ``cov_type="HC0"``), valid even if the model is misspecified.
    tol : float
        Convergence tolerance (see above for its meaning per method).
    max_iter : int, optional
        Iteration limit; default 100 for Newton and 100 000 for gradient ascent.
    step_size : float, optional
        Gradient-ascent step size (ignored by Newton).
    l2 : float or array_like, shape (k,)
        Ridge penalty :math:`\lambda`. A number penalises every coefficient except constant
        columns of ``X`` (the intercept), unless ``penalize_intercept=True``; an array gives one
        :math:`\lambda_j` per coefficient (use 0 to leave a coefficient unpenalised).
    penalize_intercept : bool
        Whether a scalar ``l2`` also applies to constant columns. Default False, as in
        scikit-learn's ``LogisticRegression`` (lbfgs / newton solvers) and glmnet.
    start : array_like, shape (k,), optional
        Starting value; default zeros.
    param_names : sequence of str, optional
        Names of the coefficients; default the DataFrame columns or ``x0, x1, ...``.

    Returns
    -------
    MLEResult
        ``loglik`` is the (unpenalised) log-likelihood at the estimate; ``history`` holds the
        maximised objective (the log-likelihood when ``l2 == 0``, else the penalised one) at the
        start and after every iteration; ``extra`` has ``"path"`` (the iterates, shape
        (nit + 1, k)), ``"penalized_loglik"``, ``"l2"`` (the per-coefficient penalty),
        ``"gradient"`` (of the objective at the estimate), ``"step_size"`` (gradient method) and
        ``"step_halvings"`` (Newton).

    Raises
    ------
    PerfectSeparationError
        (Only when ``l2 == 0``.) The data are completely separated: some :math:`\beta`
        classifies every observation correctly, the log-likelihood increases towards 0 as
        :math:`\|\beta\| \to \infty`, and the MLE does not exist. Detected exactly, as soon as
        an iterate separates the data and all fitted probabilities are within 1e-8 of the labels
        (or when the iteration stops while the iterate separates, or by the linear programme of
        :func:`check_separation`); ``err.result`` holds the non-converged fit with the growing
        iterates in ``err.result.extra["path"]``.
    ValueError
        Bad input: non-binary ``y``, NaN, shape mismatch, or linearly dependent columns of ``X``.

    Warns
    -----
    PerfectSeparationWarning
        Quasi-complete separation (some, not all, observations perfectly predicted): the
        iteration does not converge and the returned, non-converged estimate is not an MLE.
    ConvergenceWarning
        The iteration limit was reached (or the Newton step could not be computed) for any other
        reason.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.column_stack([np.ones(6), [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]])
    >>> y = np.array([0, 0, 1, 0, 1, 1])
    >>> res = fit_logistic(X, y)
    >>> res.converged, res.nit <= 8
    (True, True)
    """
    names_from_X = getattr(X, "columns", None)
    Xa, ya = _check_xy(X, y)
    n, k = Xa.shape
    if method not in ("newton", "gradient"):
        raise ValueError(f"method must be 'newton' or 'gradient', got {method!r}")
    if cov_type not in _COV_TYPES:
        raise ValueError(f"cov_type must be one of {_COV_TYPES}, got {cov_type!r}")
    if not (np.isfinite(tol) and tol >= 0):
        raise ValueError(f"tol must be a finite number >= 0, got {tol}")
    if max_iter is None:
        max_iter = 100 if method == "newton" else 100_000
    max_iter = check_int(max_iter, "max_iter", minimum=0)
    if n < k:
        raise ValueError(
            f"X has more columns ({k}) than rows ({n}): the coefficients are not identified"
        )
    if param_names is None:
        if names_from_X is not None:
            param_names = tuple(str(c) for c in names_from_X)
        else:
            param_names = tuple(f"x{j}" for j in range(k))
    param_names = tuple(param_names)
    if len(param_names) != k:
        raise ValueError(f"param_names must have {k} entries (one per column), got {len(param_names)}")
    pen = _penalty_vector(l2, Xa, penalize_intercept)
    beta0 = np.zeros(k) if start is None else _check_beta(start, k)

    s = 2.0 * ya - 1.0
    unpenalized = not np.any(pen > 0)
    newton = method == "newton"
    st = _State(Xa, s, beta0, pen, hessian=newton)
    path = [st.beta]
    history = [st.obj]
    converged = False
    message = ""
    nit = 0
    halvings = 0
    extra: dict = {}

    def separated(state: _State) -> bool:
        # An iterate that classifies every observation correctly proves complete separation.
        return unpenalized and state.min_margin > 0

    if newton:
        while True:
            if separated(st) and st.min_margin > _SEPARATION_MARGIN:
                message = "complete separation: every fitted probability is within 1e-8 of its label"
                break
            try:
                chol = linalg.cho_factor(st.A, lower=True)
            except linalg.LinAlgError:
                if nit == 0 and start is None:
                    raise ValueError(
                        "X^T X is singular: the columns of X are linearly dependent (e.g. a "
                        "duplicated column or two intercepts); the coefficients are not identified"
                    ) from None
                message = "the Hessian became numerically singular (weights p(1-p) underflowed)"
                break
            step = linalg.cho_solve(chol, st.grad)
            if np.max(np.abs(step)) <= tol * (1.0 + np.max(np.abs(st.beta))):
                converged = True
                message = f"Newton step below tol = {tol:g}"
                break
            if nit >= max_iter:
                message = f"reached max_iter = {max_iter}"
                break
            # Full Newton step; halve it if the objective would decrease (rounding slack). The
            # trial evaluation computes the derivatives too: a full step is almost always taken.
            slack = 1e-13 * max(1.0, abs(st.obj))
            t = 1.0
            for _ in range(_MAX_HALVINGS):
                trial = _State(Xa, s, st.beta + t * step, pen, hessian=True)
                if trial.obj >= st.obj - slack:
                    break
                t *= 0.5
                halvings += 1
            else:
                message = "step halving failed to increase the objective"
                break
            st = trial
            nit += 1
            path.append(st.beta)
            history.append(st.obj)
        extra["step_halvings"] = halvings
    else:
        if step_size is None:
            lmax = float(linalg.eigvalsh(Xa.T @ Xa, subset_by_index=[k - 1, k - 1])[0])
            step_size = n / (0.25 * lmax + float(np.max(pen)))
        elif not (np.isfinite(step_size) and step_size > 0):
            raise ValueError(f"step_size must be a positive number, got {step_size}")
        step_size = float(step_size)
        extra["step_size"] = step_size
        while True:
            mean_grad = st.grad / n
            if separated(st) and st.min_margin > _SEPARATION_MARGIN:
                message = "complete separation: every fitted probability is within 1e-8 of its label"
                break
            if np.max(np.abs(mean_grad)) <= tol:
                converged = True
                message = f"mean gradient below tol = {tol:g}"
                break
            if nit >= max_iter:
                message = f"reached max_iter = {max_iter}"
                break
            st = _State(Xa, s, st.beta + step_size * mean_grad, pen, hessian=False)
            nit += 1
            path.append(st.beta)
            history.append(st.obj)
            if not np.isfinite(st.obj):
                message = "the objective is not finite: the step size is too large"
                break
        st = _State(Xa, s, st.beta, pen, hessian=True)

    cov = _covariance(Xa, s, st.A, st.beta, pen, cov_type)
    se = np.sqrt(np.clip(np.diag(cov), 0.0, None)) if np.all(np.isfinite(cov)) else np.full(k, np.nan)
    extra.update(
        path=np.array(path),
        penalized_loglik=st.obj,
        l2=pen,
        gradient=st.grad,
    )
    result = MLEResult(
        params=st.beta.copy(),
        se=se,
        cov=cov,
        loglik=st.ll,
        nobs=n,
        nit=nit,
        converged=converged,
        message=message,
        history=np.array(history),
        param_names=param_names,
        cov_type=cov_type,
        method=f"logistic regression ({method}{', ridge' if not unpenalized else ''})",
        extra=extra,
    )
    if converged:
        return result

    if unpenalized:
        status = "complete" if separated(st) else check_separation(Xa, ya)
        extra["separation"] = status
        if status == "complete":
            result.message = message
            raise PerfectSeparationError(
                "The data are completely separated: a linear rule classifies every observation "
                "correctly, so the log-likelihood increases towards 0 as ||beta|| grows and the "
                f"maximum-likelihood estimate does not exist (stopped after {nit} iterations with "
                f"||beta|| = {np.linalg.norm(st.beta):.3g}; the iterates are in "
                "err.result.extra['path']). Use a penalty (l2 > 0) or remove the separating "
                "variable.",
                result,
            )
        if status == "quasi-complete":
            warnings.warn(
                "The data are quasi-completely separated: some observations are predicted "
                "perfectly by a linear rule, so some coefficients diverge and the MLE does not "
                f"exist. The fit did not converge ({message}); do not report its estimates or "
                "standard errors. Use a penalty (l2 > 0) or inspect the separating variable.",
                PerfectSeparationWarning,
                stacklevel=2,
            )
            return result
    return warn_if_not_converged(result, stacklevel=3)
