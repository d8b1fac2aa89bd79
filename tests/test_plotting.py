"""Tests of mlecourse.plotting: every helper draws what it is given, labels it, returns ax."""

from __future__ import annotations

import matplotlib
import numpy as np
import pytest
from matplotlib.contour import ContourSet
from matplotlib.figure import Figure
from scipy import stats

from mlecourse import plotting

# chi^2_1 0.95 quantile (textbook table value), independent of scipy
CHI2_1_95 = 3.841458820694124


@pytest.fixture(autouse=True, scope="module")
def _agg_backend():
    matplotlib.use("Agg")


@pytest.fixture
def ax():
    fig = Figure()
    return fig.add_subplot()


def test_use_course_style_sets_the_rc_params():
    with matplotlib.rc_context():
        plotting.use_course_style()
        for key, value in plotting.COURSE_RC.items():
            got = matplotlib.rcParams[key]
            assert (list(got) if isinstance(value, tuple) else got) == (
                list(value) if isinstance(value, tuple) else value
            ), key
    assert matplotlib.rcParams["axes.spines.top"] is True  # the context restored the defaults


def test_loglik_curve_plots_the_data_and_marks_the_mle(ax):
    rng = np.random.default_rng(1)
    x = rng.poisson(3.0, size=50)
    lam = np.linspace(1.0, 6.0, 201)
    ll = stats.poisson.logpmf(x[:, None], lam).sum(axis=0)
    lam_hat = x.mean()
    out = plotting.loglik_curve(ax, lam, ll, mle=lam_hat, title="Poisson")
    assert out is ax
    curve = ax.lines[0]
    np.testing.assert_array_equal(curve.get_xdata(), lam)
    np.testing.assert_allclose(curve.get_ydata(), ll)
    vline = ax.lines[1]
    assert vline.get_xdata()[0] == lam_hat and "MLE" in vline.get_label()
    dot = ax.lines[2]
    exact = stats.poisson.logpmf(x, lam_hat).sum()
    # linear interpolation error near the peak: at most h^2 |l''| / 8, with l'' = -n / lam_hat
    h = lam[1] - lam[0]
    assert abs(dot.get_ydata()[0] - exact) <= h**2 * (x.size / lam_hat) / 8 * 1.05
    assert ax.get_xlabel() == r"$\theta$" and ax.get_ylabel() == "log-likelihood"
    assert ax.get_title() == "Poisson"


def test_relative_curve_peaks_at_zero_and_draws_the_lr_cutoff(ax):
    theta = np.linspace(-3, 3, 301)
    ll = -0.5 * theta**2 * 10 - 7.0
    plotting.loglik_curve(ax, theta, ll, relative=True, ci_level=0.95)
    y = ax.lines[0].get_ydata()
    assert np.nanmax(y) == 0.0
    np.testing.assert_allclose(y, ll - ll.max())
    cutoff = ax.lines[1]
    assert cutoff.get_ydata()[0] == pytest.approx(-CHI2_1_95 / 2, rel=1e-12)
    assert "95% LR cut-off" in cutoff.get_label()
    assert ax.get_ylabel() == "relative log-likelihood"


def test_loglik_minus_infinity_is_a_gap(ax):
    theta = np.linspace(0.5, 6.0, 12)
    ll = np.where(theta < 4.0, -np.inf, -20 * np.log(theta))  # Uniform(0, theta), max x = 4
    plotting.loglik_curve(ax, theta, ll, mle=theta[theta >= 4.0][0])
    y = ax.lines[0].get_ydata()
    assert np.isnan(y[theta < 4.0]).all() and np.isfinite(y[theta >= 4.0]).all()


@pytest.mark.parametrize(
    ("theta", "ll", "kwargs", "error", "match"),
    [
        ([1, 2, 3], [1, 2], {}, ValueError, "same length"),
        ([[1, 2]], [[1, 2]], {}, ValueError, "1-D"),
        ([], [], {}, ValueError, "non-empty"),
        ([1, 2], [-np.inf, -np.inf], {}, ValueError, "no finite value"),
        ([1, 2], [0.0, 1.0], {"ci_level": 1.5}, ValueError, r"ci_level must be in \(0, 1\)"),
    ],
)
def test_loglik_curve_bad_input(ax, theta, ll, kwargs, error, match):
    with pytest.raises(error, match=match):
        plotting.loglik_curve(ax, theta, ll, **kwargs)


def test_helpers_reject_things_that_are_not_axes():
    with pytest.raises(TypeError, match="matplotlib Axes"):
        plotting.loglik_curve("ax", [1, 2], [1, 2])
    with pytest.raises(TypeError, match="matplotlib Axes"):
        plotting.mark_mle(None, 1.0)


def test_mark_mle_and_interval(ax):
    assert plotting.mark_mle(ax, 2.5, -10.0, label="here") is ax
    assert ax.lines[0].get_xdata()[0] == 2.5 and ax.lines[0].get_label() == "here"
    assert ax.lines[1].get_ydata()[0] == -10.0
    assert plotting.mark_interval(ax, 1.0, 2.0, label="CI") is ax
    span = ax.patches[-1]  # a Rectangle in data x / axes y coordinates
    x0, x1 = span.get_x(), span.get_x() + span.get_width()
    assert (x0, x1) == (1.0, 2.0) and span.get_label() == "CI"
    with pytest.raises(ValueError, match="lo <= hi"):
        plotting.mark_interval(ax, 2.0, 1.0)
    with pytest.raises(ValueError, match="finite number"):
        plotting.mark_mle(ax, np.nan)


def _contour_sets(ax):
    return [c for c in ax.collections if isinstance(c, ContourSet)]


def test_contour_loglik_levels_are_lr_regions(ax):
    rng = np.random.default_rng(2)
    x = rng.normal(1.0, 2.0, size=100)
    M, S = np.meshgrid(np.linspace(0.0, 2.0, 80), np.linspace(1.3, 3.0, 90))
    Z = stats.norm.logpdf(x[:, None, None], M, S).sum(axis=0)
    mle = (x.mean(), x.std())
    levels = (0.5, 0.9, 0.95)
    out = plotting.contour_loglik(ax, M, S, Z, mle=mle, levels=levels, filled=False,
                                  xlabel="mu", ylabel="sigma", title="t")
    assert out is ax
    (cs,) = _contour_sets(ax)
    # the chi^2 with 2 df has quantile -2 log(1 - p): the cut is at log(1 - p) below the max
    np.testing.assert_allclose(cs.levels, np.log(1 - np.array(levels))[::-1], rtol=1e-10)
    star = ax.lines[-1]
    assert (star.get_xdata()[0], star.get_ydata()[0]) == mle
    assert (ax.get_xlabel(), ax.get_ylabel(), ax.get_title()) == ("mu", "sigma", "t")
    assert {t.get_text() for t in cs.labelTexts} == {"50%", "90%", "95%"}


def test_contour_loglik_filled_and_minus_infinity(ax):
    X, Y = np.meshgrid(np.linspace(-2, 2, 40), np.linspace(-2, 2, 40))
    Z = -(X**2 + Y**2)
    Z[X < -1.5] = -np.inf
    plotting.contour_loglik(ax, X, Y, Z)
    assert len(_contour_sets(ax)) == 2  # the shading and the lines


@pytest.mark.parametrize(
    ("shape_z", "levels", "match"),
    [((5, 4), (0.5,), "same shape"), ((4, 4), (0.5, 1.0), "coverages"), ((4, 4), (), "coverages")],
)
def test_contour_loglik_bad_input(ax, shape_z, levels, match):
    X, Y = np.meshgrid(np.arange(4.0), np.arange(4.0))
    with pytest.raises(ValueError, match=match):
        plotting.contour_loglik(ax, X, Y, np.zeros(shape_z), levels=levels)


def test_density_fit_continuous(ax):
    rng = np.random.default_rng(3)
    x = rng.normal(0.0, 1.0, size=400)
    pdf = stats.norm(x.mean(), x.std()).pdf
    assert plotting.density_fit(ax, x, pdf, bins=20) is ax
    heights = np.array([p.get_height() for p in ax.patches])
    widths = np.array([p.get_width() for p in ax.patches])
    assert len(heights) == 20 and np.sum(heights * widths) == pytest.approx(1.0)
    line = ax.lines[0]
    np.testing.assert_allclose(line.get_ydata(), pdf(line.get_xdata()))
    assert line.get_xdata().min() < x.min() and line.get_xdata().max() > x.max()
    assert ax.get_ylabel() == "density"


def test_density_fit_discrete(ax):
    rng = np.random.default_rng(4)
    k = rng.poisson(2.5, size=300)
    pmf = stats.poisson(k.mean()).pmf
    plotting.density_fit(ax, k, pmf, discrete=True)
    freq = np.bincount(k) / k.size
    heights = np.array([p.get_height() for p in ax.patches])
    np.testing.assert_allclose(heights, freq[k.min():])
    np.testing.assert_allclose(ax.lines[0].get_ydata(), pmf(np.arange(k.min(), k.max() + 1)))
    assert ax.get_ylabel() == "probability"
    with pytest.raises(ValueError, match="integer data"):
        plotting.density_fit(ax, [0.5, 1.0], pmf, discrete=True)
    with pytest.raises(TypeError, match="callable"):
        plotting.density_fit(ax, k, "pmf")


def test_trace_plot_values_and_gap(ax):
    history = np.array([-10.0, -6.0, -5.2, -5.01, -5.0])
    plotting.trace_plot(ax, history)
    np.testing.assert_array_equal(ax.lines[0].get_ydata(), history)
    assert ax.get_xlabel() == "iteration"
    fig = Figure()
    ax2 = fig.add_subplot()
    plotting.trace_plot(ax2, history, target=-5.0, label="EM")
    assert ax2.get_yscale() == "log"
    np.testing.assert_allclose(ax2.lines[0].get_ydata(), [5.0, 1.0, 0.2, 0.01])  # zero gap dropped
    np.testing.assert_array_equal(ax2.lines[0].get_xdata(), [0, 1, 2, 3])


def test_path_plot(ax):
    pts = np.array([[0.0, 3.0], [0.5, 2.0], [1.0, 1.9]])
    assert plotting.path_plot(ax, pts, label="Newton") is ax
    np.testing.assert_array_equal(ax.lines[0].get_xydata(), pts)
    assert ax.lines[0].get_label() == "Newton"
    with pytest.raises(ValueError, match=r"shape \(m, 2\)"):
        plotting.path_plot(ax, [1.0, 2.0])


def test_mixture_2d_colours_by_responsibility_and_draws_mahalanobis_ellipses(ax):
    from matplotlib.colors import to_rgb

    rng = np.random.default_rng(7)
    x = np.vstack([rng.normal(0.0, 1.0, (30, 2)), rng.normal(4.0, 0.5, (20, 2))])
    w = np.array([0.6, 0.4])
    m = np.array([[0.0, 0.0], [4.0, 4.0]])
    c = np.array([[[1.0, 0.3], [0.3, 0.8]], [[0.25, 0.0], [0.0, 0.25]]])
    assert plotting.mixture_2d(ax, x, w, m, c, level=2.0, title="EM") is ax
    # responsibilities from scipy: the colour of each point is their mix of C0 and C1
    joint = np.column_stack([w[j] * stats.multivariate_normal(m[j], c[j]).pdf(x) for j in range(2)])
    resp = joint / joint.sum(axis=1, keepdims=True)
    expected = resp @ np.array([to_rgb("C0"), to_rgb("C1")])
    np.testing.assert_allclose(ax.collections[0].get_facecolors()[:, :3], expected, atol=1e-12)
    rings = [line for line in ax.lines if line.get_linestyle() == "-"]
    assert len(rings) == 2
    for j, ring in enumerate(rings):
        d = ring.get_xydata() - m[j]
        maha = np.einsum("ia,ab,ib->i", d, np.linalg.inv(c[j]), d)
        np.testing.assert_allclose(maha, 4.0, rtol=1e-10)
    assert ax.get_title() == "EM" and ax.get_xlabel() == "$x_1$"
    with pytest.raises(ValueError, match=r"shape \(n, 2\)"):
        plotting.mixture_2d(ax, x[:, 0], w, m, c)
