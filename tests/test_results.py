"""MLEResult against statsmodels' results on the same fit, and the shared input checks."""

import warnings

import numpy as np
import pytest
import statsmodels.api as sm

from mlecourse import _validation as v
from mlecourse.results import ConvergenceWarning, MLEResult, warn_if_not_converged


@pytest.fixture
def ols_pair():
    """An OLS fit in statsmodels and the same numbers wrapped in an MLEResult."""
    rng = np.random.default_rng(0)
    X = sm.add_constant(rng.normal(size=(50, 2)))
    y = X @ np.array([1.0, -2.0, 0.5]) + rng.normal(size=50)
    ref = sm.OLS(y, X).fit()
    res = MLEResult(
        params=ref.params, se=ref.bse, cov=ref.cov_params(), loglik=ref.llf, nobs=50, nit=1,
        converged=True, message="closed form", param_names=("const", "x1", "x2"),
    )
    return ref, res


def test_conf_int_matches_normal_quantiles(ols_pair):
    ref, res = ols_pair
    z = 1.959963984540054
    expected = np.column_stack([ref.params - z * ref.bse, ref.params + z * ref.bse])
    np.testing.assert_allclose(res.conf_int(), expected, rtol=1e-12)
    assert res.conf_int(0.1)[0, 1] < res.conf_int(0.05)[0, 1]


def test_information_criteria_match_statsmodels(ols_pair):
    ref, res = ols_pair
    # statsmodels counts the same k = 3 mean parameters for OLS's aic/bic
    assert res.aic == pytest.approx(ref.aic, rel=1e-12)
    assert res.bic == pytest.approx(ref.bic, rel=1e-12)


def test_repr_and_html_name_every_parameter(ols_pair):
    _, res = ols_pair
    text, page = repr(res), res._repr_html_()
    for name in ("const", "x1", "x2"):
        assert name in text and name in page
    assert "converged after 1 iterations" in text
    assert res.success is True and res.k == 3


def test_default_names_and_validation():
    res = MLEResult(params=[1.0], se=[0.1], cov=[[0.01]], loglik=-3, nobs=5, nit=2,
                    converged=False, message="maxiter")
    assert res.param_names == ("theta[0]",)
    assert "NOT CONVERGED" in res.summary()
    with pytest.raises(ValueError, match="alpha"):
        res.conf_int(1.5)
    with pytest.warns(ConvergenceWarning, match="did not converge"):
        warn_if_not_converged(res)
    res.converged = True
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        warn_if_not_converged(res)


@pytest.mark.parametrize(
    ("value", "exc", "match"),
    [
        ([], ValueError, "empty"),
        ([1.0, np.nan], ValueError, "NaN"),
        ([[1.0, 2.0]], ValueError, "1-D"),
        ("abc", TypeError, "string"),
        ([object()], TypeError, "numeric"),
    ],
)
def test_as_data_rejects_bad_input(value, exc, match):
    with pytest.raises(exc, match=match):
        v.as_data(value)


def test_checks_name_the_problem():
    assert v.as_data(3.0).shape == (1,)
    with pytest.raises(ValueError, match=r"only 0s and 1s"):
        v.check_binary(np.array([0.0, 2.0]))
    with pytest.raises(ValueError, match="non-negative counts"):
        v.check_counts(np.array([1.0, -1.0]))
    with pytest.raises(ValueError, match="whole-number"):
        v.check_counts(np.array([1.5]))
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        v.check_prob(1.2)
    with pytest.raises(ValueError, match="> 0"):
        v.check_positive(0.0, "sigma2")
    with pytest.raises(ValueError, match="disagree"):
        v.as_design(np.ones((3, 2)), np.ones(4))
    with pytest.raises(TypeError, match="integer"):
        v.check_int(2.5, "k")
    assert v.as_samples([1.0, 2.0]).shape == (2, 1)
