"""Input checks shared by the public functions.

Each helper either returns a clean NumPy array or raises a ``ValueError``/``TypeError`` whose
message names the argument, what was wrong, and what was expected.
"""

from __future__ import annotations

import numbers

import numpy as np
from numpy.typing import ArrayLike


def _as_float_array(value: ArrayLike, name: str) -> np.ndarray:
    if isinstance(value, (str, bytes)):
        raise TypeError(f"{name} must be numeric (an array of numbers), got a string: {value!r}")
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError) as exc:
        raise TypeError(
            f"{name} must be numeric (an array of numbers), got {type(value).__name__}"
        ) from exc
    return arr


def as_data(x: ArrayLike, name: str = "x", *, ndim: int = 1, allow_empty: bool = False) -> np.ndarray:
    """Return ``x`` as a finite float array with ``ndim`` dimensions.

    A scalar is promoted to a length-1 sample when ``ndim == 1``. Raises ``ValueError`` for
    NaN or infinite values, the wrong number of dimensions, or an empty sample.
    """
    arr = _as_float_array(x, name)
    if arr.ndim == 0 and ndim == 1:
        arr = arr.reshape(1)
    if arr.ndim != ndim:
        raise ValueError(
            f"{name} must be a {ndim}-D array, got an array of shape {arr.shape}"
        )
    if not allow_empty and arr.size == 0:
        raise ValueError(f"{name} is empty: the likelihood needs at least one observation")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} contains NaN or infinite values; clean the data first")
    return arr


def as_samples(x: ArrayLike, name: str = "x") -> np.ndarray:
    """Return ``x`` as a finite 2-D float array of shape ``(n, d)``; a 1-D ``x`` becomes ``(n, 1)``."""
    arr = _as_float_array(x, name)
    if arr.ndim == 1:
        arr = arr[:, None]
    return as_data(arr, name, ndim=2)


def as_design(X: ArrayLike, y: ArrayLike | None = None) -> tuple[np.ndarray, np.ndarray | None]:
    """Check a design matrix ``X`` of shape ``(n, k)`` and, optionally, a response of length ``n``."""
    Xa = as_data(X, "X", ndim=2)
    if y is None:
        return Xa, None
    ya = as_data(y, "y")
    if ya.shape[0] != Xa.shape[0]:
        raise ValueError(
            f"X and y disagree on the number of observations: X has {Xa.shape[0]} rows, "
            f"y has {ya.shape[0]} entries"
        )
    return Xa, ya


def check_binary(x: np.ndarray, name: str = "x") -> np.ndarray:
    """Raise unless every entry of ``x`` is 0 or 1."""
    if not np.all((x == 0) | (x == 1)):
        bad = x[(x != 0) & (x != 1)][:3]
        raise ValueError(f"{name} must contain only 0s and 1s (Bernoulli data), found {bad.tolist()}")
    return x


def check_counts(x: np.ndarray, name: str = "x") -> np.ndarray:
    """Raise unless every entry of ``x`` is a non-negative integer."""
    if np.any(x < 0):
        raise ValueError(f"{name} must be non-negative counts, found negative values {x[x < 0][:3].tolist()}")
    if np.any(x != np.floor(x)):
        raise ValueError(f"{name} must be whole-number counts, found {x[x != np.floor(x)][:3].tolist()}")
    return x


def check_nonnegative(x: np.ndarray, name: str = "x") -> np.ndarray:
    """Raise unless every entry of ``x`` is >= 0."""
    if np.any(x < 0):
        raise ValueError(f"{name} must be non-negative, found {x[x < 0][:3].tolist()}")
    return x


def as_param(value: ArrayLike, name: str) -> np.ndarray:
    """Return a parameter (scalar or grid) as a float array, rejecting NaN."""
    arr = _as_float_array(value, name)
    if np.any(np.isnan(arr)):
        raise ValueError(f"{name} contains NaN; expected a number")
    return arr


def check_prob(p: ArrayLike, name: str = "p") -> np.ndarray:
    """Return ``p`` as a float array, raising unless every entry lies in [0, 1]."""
    arr = as_param(p, name)
    if np.any((arr < 0) | (arr > 1)):
        raise ValueError(f"{name} must lie in [0, 1], got {arr[(arr < 0) | (arr > 1)][:3].tolist()}")
    return arr


def check_positive(value: ArrayLike, name: str) -> np.ndarray:
    """Return ``value`` as a float array, raising unless every entry is > 0."""
    arr = as_param(value, name)
    if np.any(arr <= 0):
        raise ValueError(f"{name} must be > 0, got {arr[arr <= 0][:3].tolist()}")
    return arr


def check_int(value: object, name: str, *, minimum: int = 0) -> int:
    """Return ``value`` as an int, raising unless it is an integer >= ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {type(value).__name__}")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    return int(value)
