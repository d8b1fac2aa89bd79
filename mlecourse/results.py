"""Result containers and the warnings every fitting routine shares.

The fields follow statsmodels (``params``, ``se``, ``cov``, ``loglik``, ``conf_int``) and
scipy's ``OptimizeResult`` (``converged``/``success``, ``nit``, ``message``).
"""

from __future__ import annotations

import html
import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy.special import ndtri

__all__ = [
    "ConvergenceWarning",
    "MLEResult",
    "PerfectSeparationError",
    "PerfectSeparationWarning",
    "warn_if_not_converged",
]


class ConvergenceWarning(UserWarning):
    """An iterative fit stopped before meeting its convergence criterion."""


class PerfectSeparationWarning(UserWarning):
    """The data are (quasi-)separated: the logistic-regression MLE does not exist."""


class PerfectSeparationError(ValueError):
    """The data are perfectly separated, so the logistic-regression MLE does not exist.

    The attribute ``result`` holds the (non-converged) fit up to the point of detection, so the
    weights' growth can be inspected.
    """

    def __init__(self, message: str, result: MLEResult | None = None):
        super().__init__(message)
        self.result = result


@dataclass
class MLEResult:
    r"""The outcome of a maximum-likelihood fit.

    Attributes
    ----------
    params : ndarray, shape (k,)
        The estimate :math:`\hat\theta`.
    se : ndarray, shape (k,)
        Standard errors, the square roots of the diagonal of ``cov``.
    cov : ndarray, shape (k, k)
        Estimated covariance of :math:`\hat\theta` (see ``cov_type``).
    loglik : float
        :math:`\ell(\hat\theta) = \sum_i \log f(x_i \mid \hat\theta)`.
    nobs : int
        Number of observations :math:`n`.
    nit : int
        Iterations used.
    converged : bool
        Whether the convergence criterion was met (``success`` is an alias).
    message : str
        Why the iteration stopped.
    history : ndarray
        Log-likelihood after each iteration (the first entry is at the starting value).
    param_names : tuple of str
    cov_type : str
        ``"observed"`` (inverse observed information), ``"expected"`` (inverse Fisher
        information), ``"opg"`` (inverse outer product of the scores) or ``"sandwich"``
        (:math:`A^{-1} B A^{-1}`).
    method : str
        The optimiser used.
    extra : dict
        Method-specific details (for example the path of the iterates).
    """

    params: np.ndarray
    se: np.ndarray
    cov: np.ndarray
    loglik: float
    nobs: int
    nit: int
    converged: bool
    message: str
    history: np.ndarray = field(default_factory=lambda: np.empty(0))
    param_names: tuple[str, ...] = ()
    cov_type: str = "observed"
    method: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.params = np.atleast_1d(np.asarray(self.params, dtype=float))
        self.se = np.atleast_1d(np.asarray(self.se, dtype=float))
        self.cov = np.atleast_2d(np.asarray(self.cov, dtype=float))
        self.history = np.asarray(self.history, dtype=float)
        self.loglik = float(self.loglik)
        if not self.param_names:
            self.param_names = tuple(f"theta[{i}]" for i in range(self.params.size))
        self.param_names = tuple(self.param_names)

    @property
    def success(self) -> bool:
        """Alias of ``converged`` (scipy's name)."""
        return self.converged

    @property
    def k(self) -> int:
        """Number of estimated parameters."""
        return int(self.params.size)

    @property
    def aic(self) -> float:
        r"""Akaike's information criterion :math:`2k - 2\ell(\hat\theta)`."""
        return 2.0 * self.k - 2.0 * self.loglik

    @property
    def bic(self) -> float:
        r"""Schwarz's Bayesian information criterion :math:`k\log n - 2\ell(\hat\theta)`.

        NaN when the sample size is unknown (``nobs = 0``, e.g. a Newton iteration run without
        ``nobs``).
        """
        if self.nobs < 1:
            return float("nan")
        return self.k * np.log(self.nobs) - 2.0 * self.loglik

    def conf_int(self, alpha: float = 0.05) -> np.ndarray:
        r"""Wald intervals :math:`\hat\theta_j \pm z_{1-\alpha/2}\,\mathrm{se}_j`, shape (k, 2)."""
        if not 0 < alpha < 1:
            raise ValueError(f"alpha must lie in (0, 1), got {alpha}")
        z = ndtri(1 - alpha / 2)
        return np.column_stack([self.params - z * self.se, self.params + z * self.se])

    def _rows(self) -> list[tuple[str, float, float, float, float]]:
        ci = self.conf_int()
        return [
            (name, p, s, lo, hi)
            for name, p, s, (lo, hi) in zip(self.param_names, self.params, self.se, ci, strict=True)
        ]

    def _status(self) -> str:
        state = "converged" if self.converged else "NOT CONVERGED"
        return f"{state} after {self.nit} iterations ({self.message})"

    def summary(self) -> str:
        """A plain-text table of estimates, standard errors and 95 % Wald intervals."""
        width = max([9, *(len(n) for n in self.param_names)])
        lines = [
            f"MLEResult: {self.method or 'fit'}, n = {self.nobs}, log-likelihood = {self.loglik:.4f}",
            f"  {self._status()}; cov_type = {self.cov_type}; AIC = {self.aic:.3f}, BIC = {self.bic:.3f}",
            f"  {'parameter':<{width}} {'estimate':>12} {'std err':>12} {'[0.025':>12} {'0.975]':>12}",
        ]
        for name, p, s, lo, hi in self._rows():
            lines.append(f"  {name:<{width}} {p:>12.5g} {s:>12.5g} {lo:>12.5g} {hi:>12.5g}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return self.summary()

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><th scope='row'>{html.escape(n)}</th><td>{p:.5g}</td><td>{s:.5g}</td>"
            f"<td>{lo:.5g}</td><td>{hi:.5g}</td></tr>"
            for n, p, s, lo, hi in self._rows()
        )
        caption = html.escape(
            f"{self.method or 'fit'}: n = {self.nobs}, log-likelihood = {self.loglik:.4f}, "
            f"AIC = {self.aic:.3f}, BIC = {self.bic:.3f}; {self._status()}; cov_type = {self.cov_type}"
        )
        return (
            "<table class='mle-result'>"
            f"<caption>{caption}</caption>"
            "<thead><tr><th scope='col'>parameter</th><th scope='col'>estimate</th>"
            "<th scope='col'>std err</th><th scope='col'>[0.025</th><th scope='col'>0.975]</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>"
        )


def warn_if_not_converged(result: MLEResult, stacklevel: int = 3) -> MLEResult:
    """Issue a :class:`ConvergenceWarning` when ``result.converged`` is false; return ``result``."""
    if not result.converged:
        warnings.warn(
            f"{result.method or 'the fit'} did not converge after {result.nit} iterations: "
            f"{result.message}. The returned estimate is not a maximum; do not report it.",
            ConvergenceWarning,
            stacklevel=stacklevel,
        )
    return result
