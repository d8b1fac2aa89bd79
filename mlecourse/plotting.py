r"""Small plotting helpers shared by the chapters: one look, labelled axes, no ``plt.show``.

Every helper takes a matplotlib ``Axes`` first, draws on it and returns it, so calls compose::

    import matplotlib.pyplot as plt
    from mlecourse import plotting

    plotting.use_course_style()
    fig, ax = plt.subplots()
    plotting.loglik_curve(ax, lam_grid, loglik, mle=lam_hat, relative=True, ci_level=0.95)
    plt.show()

matplotlib is imported only inside the functions that need it, so ``import mlecourse`` stays fast.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

__all__ = [
    "COURSE_RC",
    "contour_loglik",
    "density_fit",
    "loglik_curve",
    "mark_interval",
    "mark_mle",
    "mixture_2d",
    "path_plot",
    "trace_plot",
    "use_course_style",
]

COURSE_RC: dict[str, Any] = {
    "figure.figsize": (6.4, 4.0),
    "figure.dpi": 100,
    "figure.constrained_layout.use": True,
    "savefig.dpi": 150,
    "font.size": 10.5,
    "axes.titlesize": 12,
    "axes.labelsize": 11,
    "xtick.labelsize": 10,
    "ytick.labelsize": 10,
    "legend.fontsize": 9.5,
    "legend.frameon": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "grid.linewidth": 0.6,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.formatter.use_mathtext": True,
    "lines.linewidth": 1.8,
    "lines.markersize": 5,
    "image.cmap": "viridis",
    "svg.hashsalt": "mlecourse",
}
"""The course's matplotlib settings (use them temporarily with ``matplotlib.rc_context``)."""


def use_course_style() -> None:
    """Apply :data:`COURSE_RC` to ``matplotlib.rcParams`` (call once at the top of a chapter)."""
    import matplotlib as mpl

    mpl.rcParams.update(COURSE_RC)


def _check_ax(ax: Any) -> None:
    if not (hasattr(ax, "plot") and hasattr(ax, "set_xlabel")):
        raise TypeError(f"ax must be a matplotlib Axes, got {type(ax).__name__}")


def _vector(values: ArrayLike, name: str) -> np.ndarray:
    arr = np.asarray(values, dtype=float)
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D array, got shape {arr.shape}")
    return arr


def _finite_or_nan(values: np.ndarray) -> np.ndarray:
    """Log-likelihoods may be -inf (impossible parameters): plot them as gaps."""
    if np.isnan(values).all() or not np.isfinite(values).any():
        raise ValueError("the log-likelihood has no finite value on this grid")
    return np.where(np.isfinite(values), values, np.nan)


def _label_axes(ax: Any, xlabel: str | None, ylabel: str | None, title: str | None) -> None:
    if xlabel is not None:
        ax.set_xlabel(xlabel)
    if ylabel is not None:
        ax.set_ylabel(ylabel)
    if title is not None:
        ax.set_title(title)


def loglik_curve(
    ax: Any,
    theta: ArrayLike,
    loglik: ArrayLike,
    *,
    mle: float | None = None,
    relative: bool = False,
    ci_level: float | None = None,
    label: str | None = None,
    color: str | None = None,
    xlabel: str = r"$\theta$",
    ylabel: str | None = None,
    title: str | None = None,
) -> Any:
    r"""Plot a log-likelihood curve :math:`\theta \mapsto \ell(\theta)`.

    Parameters
    ----------
    ax : matplotlib Axes
    theta, loglik : array_like, shape (m,)
        The grid and :math:`\ell` on it; ``-inf`` (impossible parameters) shows as a gap.
    mle : float, optional
        Marks :math:`\hat\theta` with :func:`mark_mle` (at :math:`\ell(\hat\theta)`, linearly
        interpolated on the grid).
    relative : bool
        Plot :math:`\ell(\theta) - \max_{\text{grid}} \ell`, which peaks at 0 -- the scale on
        which likelihood-ratio cut-offs are read.
    ci_level : float in (0, 1), optional
        Draw the likelihood-ratio cut-off :math:`\max \ell - \tfrac12 \chi^2_{1, \text{level}}`:
        the :math:`\theta` above it form the LR confidence interval.
    label, color : str, optional
        Legend label and colour of the curve.
    xlabel, ylabel, title : str
        Axis labels (``ylabel`` defaults to "log-likelihood" or "relative log-likelihood").

    Returns
    -------
    ax
    """
    _check_ax(ax)
    t = _vector(theta, "theta")
    ll = _vector(loglik, "loglik")
    if t.shape != ll.shape:
        raise ValueError(f"theta and loglik must have the same length, got {t.size} and {ll.size}")
    ll = _finite_or_nan(ll)
    top = float(np.nanmax(ll))
    y = ll - top if relative else ll
    ax.plot(t, y, color=color, label=label)
    if ci_level is not None:
        if not 0 < ci_level < 1:
            raise ValueError(f"ci_level must be in (0, 1), got {ci_level!r}")
        from scipy.stats import chi2

        cut = (0.0 if relative else top) - 0.5 * float(chi2.ppf(ci_level, df=1))
        ax.axhline(cut, color="0.4", linestyle=":", linewidth=1.2,
                   label=f"{ci_level:.0%} LR cut-off")
    if mle is not None:
        finite = np.isfinite(y)
        order = np.argsort(t[finite])
        y_hat = float(np.interp(mle, t[finite][order], y[finite][order]))
        mark_mle(ax, mle, y_hat, color="C3")
    if ylabel is None:
        ylabel = "relative log-likelihood" if relative else "log-likelihood"
    _label_axes(ax, xlabel, ylabel, title)
    return ax


def mark_mle(
    ax: Any,
    theta_hat: float,
    loglik_hat: float | None = None,
    *,
    label: str | None = None,
    color: str = "C3",
) -> Any:
    r"""Mark the MLE: a dashed vertical line at :math:`\hat\theta` and, if given, a dot at
    :math:`(\hat\theta, \ell(\hat\theta))`. The default label is ``MLE = <value>``."""
    _check_ax(ax)
    if not np.isscalar(theta_hat) or not np.isfinite(theta_hat):
        raise ValueError(f"theta_hat must be a finite number, got {theta_hat!r}")
    if label is None:
        label = rf"MLE $\hat\theta$ = {float(theta_hat):.4g}"
    ax.axvline(theta_hat, color=color, linestyle="--", linewidth=1.2, label=label)
    if loglik_hat is not None:
        ax.plot([theta_hat], [loglik_hat], "o", color=color, zorder=3)
    return ax


def mark_interval(
    ax: Any,
    lo: float,
    hi: float,
    *,
    label: str | None = None,
    color: str = "C2",
    alpha: float = 0.15,
) -> Any:
    """Shade the interval ``[lo, hi]`` of the horizontal axis (a confidence interval)."""
    _check_ax(ax)
    if not (np.isfinite(lo) and np.isfinite(hi)) or lo > hi:
        raise ValueError(f"need finite lo <= hi, got lo={lo!r}, hi={hi!r}")
    ax.axvspan(lo, hi, color=color, alpha=alpha, label=label, linewidth=0)
    return ax


def contour_loglik(
    ax: Any,
    X: ArrayLike,
    Y: ArrayLike,
    Z: ArrayLike,
    *,
    mle: Sequence[float] | None = None,
    levels: Sequence[float] = (0.5, 0.9, 0.95, 0.99),
    filled: bool = True,
    xlabel: str = r"$\theta_1$",
    ylabel: str = r"$\theta_2$",
    title: str | None = None,
) -> Any:
    r"""Contours of a two-parameter log-likelihood, drawn as likelihood-ratio regions.

    The contour for coverage :math:`p` is :math:`\ell(\theta) = \max\ell - \tfrac12
    \chi^2_{2,p}`: asymptotically the region inside it is a :math:`100p\,\%` confidence region.

    Parameters
    ----------
    ax : matplotlib Axes
    X, Y, Z : array_like, shape (ny, nx)
        A meshgrid (``np.meshgrid(t1, t2)``) and the total log-likelihood on it
        (``-inf`` allowed outside the parameter space).
    mle : (float, float), optional
        Marks :math:`\hat\theta` with a star.
    levels : sequence of float in (0, 1)
        Coverages of the drawn regions, labelled on the contours.
    filled : bool
        Shade the regions, darker towards the MLE.
    xlabel, ylabel, title : str

    Returns
    -------
    ax
    """
    _check_ax(ax)
    from scipy.stats import chi2

    Xa, Ya, Za = (np.asarray(a, dtype=float) for a in (X, Y, Z))
    if Za.ndim != 2 or Xa.shape != Za.shape or Ya.shape != Za.shape:
        raise ValueError(
            "X, Y and Z must be 2-D arrays of the same shape (use np.meshgrid), got "
            f"{Xa.shape}, {Ya.shape}, {Za.shape}"
        )
    probs = sorted(float(p) for p in levels)
    if not probs or not all(0 < p < 1 for p in probs) or len(set(probs)) != len(probs):
        raise ValueError(f"levels must be distinct coverages in (0, 1), got {levels!r}")
    rel = _finite_or_nan(Za) - np.nanmax(Za)
    cuts = [-0.5 * float(chi2.ppf(p, df=2)) for p in reversed(probs)]  # increasing
    if filled:  # one band per region, darker towards the MLE
        ax.contourf(Xa, Ya, rel, levels=[*cuts, 0.0], cmap="Blues", alpha=0.5)
    cs = ax.contour(Xa, Ya, rel, levels=cuts, colors="0.15", linewidths=1.0,
                    linestyles="solid")
    names = {c: f"{p:.0%}" for c, p in zip(cuts, reversed(probs), strict=True)}
    ax.clabel(cs, fmt=lambda v: names.get(v, f"{v:.2f}"), fontsize=8)
    if mle is not None:
        if len(mle) != 2:
            raise ValueError(f"mle must be a pair (theta1, theta2), got {mle!r}")
        ax.plot([mle[0]], [mle[1]], "*", color="C3", markersize=12, label="MLE", zorder=3)
    _label_axes(ax, xlabel, ylabel, title)
    return ax


def density_fit(
    ax: Any,
    x: ArrayLike,
    pdf: Callable[[np.ndarray], ArrayLike],
    *,
    discrete: bool = False,
    bins: int | str = "auto",
    label: str = "fitted model",
    xlabel: str = "x",
    title: str | None = None,
) -> Any:
    """Data against a fitted model: histogram + density, or frequencies + mass function.

    Parameters
    ----------
    ax : matplotlib Axes
    x : array_like, shape (n,)
        The sample.
    pdf : callable
        Vectorised density (or, with ``discrete=True``, mass function) of the fitted model,
        e.g. ``scipy.stats.norm(mu_hat, sd_hat).pdf``.
    discrete : bool
        Integer data: bars of relative frequencies of ``min(x) .. max(x)`` and the pmf as dots.
    bins : int or str
        Histogram bins (continuous data).
    label, xlabel, title : str

    Returns
    -------
    ax
    """
    _check_ax(ax)
    data = _vector(x, "x")
    if not np.isfinite(data).all():
        raise ValueError("x contains NaN or infinite values")
    if not callable(pdf):
        raise TypeError(f"pdf must be callable, got {type(pdf).__name__}")
    if discrete:
        if not np.all(data == np.round(data)):
            raise ValueError("discrete=True needs integer data")
        ks = np.arange(int(data.min()), int(data.max()) + 1)
        freq = np.array([(data == k).mean() for k in ks])
        ax.bar(ks, freq, width=0.8, color="C0", alpha=0.4, label="data (relative frequency)")
        ax.plot(ks, np.asarray(pdf(ks), dtype=float), "o-", color="C1", label=label)
        ax.set_ylabel("probability")
    else:
        ax.hist(data, bins=bins, density=True, color="C0", alpha=0.4, label="data (histogram)")
        pad = 0.1 * (data.max() - data.min() or 1.0)
        grid = np.linspace(data.min() - pad, data.max() + pad, 400)
        ax.plot(grid, np.asarray(pdf(grid), dtype=float), color="C1", label=label)
        ax.set_ylabel("density")
    ax.legend()
    _label_axes(ax, xlabel, None, title)
    return ax


def trace_plot(
    ax: Any,
    values: ArrayLike,
    *,
    target: float | None = None,
    label: str | None = None,
    ylabel: str = "log-likelihood",
    title: str | None = None,
) -> Any:
    r"""Per-iteration values of an optimiser (e.g. an EM or Newton log-likelihood history).

    With ``target`` (the optimum), plots the gap :math:`|\text{target} - v_t|` on a log scale,
    where linear convergence is a straight line and quadratic convergence a plunging curve;
    zero gaps are left out.
    """
    _check_ax(ax)
    v = _vector(values, "values")
    it = np.arange(v.size)
    if target is None:
        ax.plot(it, v, "o-", label=label)
        _label_axes(ax, "iteration", ylabel, title)
    else:
        gap = np.abs(float(target) - v)
        keep = gap > 0
        ax.semilogy(it[keep], gap[keep], "o-", label=label)
        _label_axes(ax, "iteration", f"gap to optimum ({ylabel})", title)
    if label is not None:
        ax.legend()
    return ax


def path_plot(
    ax: Any,
    points: ArrayLike,
    *,
    label: str | None = None,
    color: str = "C3",
) -> Any:
    """The path of an optimiser's iterates in a 2-D parameter space (over a contour plot).

    ``points`` has shape ``(m, 2)``; the start is a hollow circle and the end a filled one.
    """
    _check_ax(ax)
    p = np.asarray(points, dtype=float)
    if p.ndim != 2 or p.shape[1] != 2 or p.shape[0] == 0:
        raise ValueError(f"points must have shape (m, 2), got {p.shape}")
    ax.plot(p[:, 0], p[:, 1], "-", color=color, linewidth=1.2, marker=".", label=label)
    ax.plot([p[0, 0]], [p[0, 1]], "o", mfc="none", color=color, markersize=8)
    ax.plot([p[-1, 0]], [p[-1, 1]], "o", color=color, markersize=6)
    return ax


def mixture_2d(
    ax: Any,
    x: ArrayLike,
    weights: ArrayLike,
    means: ArrayLike,
    covariances: ArrayLike,
    *,
    level: float = 2.0,
    xlabel: str = "$x_1$",
    ylabel: str = "$x_2$",
    title: str | None = None,
) -> Any:
    r"""A two-dimensional Gaussian mixture over the data (e.g. one EM iterate).

    Each point is coloured by its responsibilities (the mix of the component colours ``C0``,
    ``C1``, ... weighted by :math:`r_{ij}`); each component :math:`j` is drawn as the ellipse
    :math:`\{y : (y - \mu_j)^\top \Sigma_j^{-1} (y - \mu_j) = \text{level}^2\}`, i.e.
    :math:`\mu_j + \text{level}\, L_j (\cos t, \sin t)^\top` with :math:`\Sigma_j = L_jL_j^\top`,
    with a line width growing with :math:`\pi_j`, and its mean as a cross.

    Parameters
    ----------
    ax : matplotlib Axes
    x : array_like, shape (n, 2)
    weights, means, covariances : array_like, shapes (k,), (k, 2), (k, 2, 2)
        As in :func:`mlecourse.mixture.gmm_e_step`.
    level : float
        Mahalanobis radius of the ellipses (2 encloses about 86 % of a 2-D Gaussian).
    xlabel, ylabel, title : str

    Returns
    -------
    ax
    """
    from matplotlib.colors import to_rgb

    from .mixture import gmm_e_step

    _check_ax(ax)
    data = np.asarray(x, dtype=float)
    if data.ndim != 2 or data.shape[1] != 2:
        raise ValueError(f"x must have shape (n, 2) (two-dimensional data), got {data.shape}")
    if not (np.isfinite(level) and level > 0):
        raise ValueError(f"level must be a positive number, got {level}")
    log_resp, _ = gmm_e_step(data, weights, means, covariances)
    w = np.asarray(weights, dtype=float)
    m = np.asarray(means, dtype=float)
    c = np.asarray(covariances, dtype=float)
    k = w.size
    rgb = np.array([to_rgb(f"C{j % 10}") for j in range(k)])
    ax.scatter(data[:, 0], data[:, 1], c=np.clip(np.exp(log_resp) @ rgb, 0.0, 1.0), s=9,
               alpha=0.8, linewidths=0)
    t = np.linspace(0.0, 2.0 * np.pi, 121)
    circle = np.vstack([np.cos(t), np.sin(t)])
    for j in range(k):
        ring = m[j][:, None] + level * np.linalg.cholesky(c[j]) @ circle
        ax.plot(ring[0], ring[1], color=f"C{j % 10}", linewidth=0.8 + 6.0 * w[j])
        ax.plot([m[j, 0]], [m[j, 1]], "x", color="k", markersize=7, markeredgewidth=2.0)
    _label_axes(ax, xlabel, ylabel, title)
    return ax
