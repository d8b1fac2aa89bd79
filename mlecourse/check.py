"""``check(name)``: instant feedback on an exercise, in the student's own notebook.

>>> from mlecourse import check
>>> def uniform_mle(x):
...     return float(np.max(x))
>>> check("uniform-mle")          # finds `uniform_mle` in the caller's namespace
✅ `uniform_mle` is correct: ...

Each call runs the exercise's public tests on fresh random data plus its edge cases (n = 1, ties,
all-ones, all-zeros, large n, ...), compares with the reference solution, and answers with ✅ or
with feedback that names the misconception when it recognises one. A function that still raises
``NotImplementedError`` is reported as "not attempted yet"; a function that raises, returns the
wrong type or runs too long gets a specific message, never a traceback.

Environment variables:

``MLECOURSE_CHECK_STRICT=1``
    A check that does not pass raises :class:`CheckFailed` (an ``AssertionError``). CI sets it
    when it runs the instructor notebooks, so a broken reference solution fails the build.
``MLECOURSE_GRADING=1``
    Set by the grader in the kernels it starts: ``check`` does nothing (the grader runs its own,
    hidden tests outside the student's kernel).

Note: ``mlecourse.check`` is this function; the module is ``sys.modules["mlecourse.check"]``.
"""

from __future__ import annotations

import difflib
import html
import inspect
import os
import re
import signal
import sys
import threading
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = ["CALL_TIME_LIMIT", "CheckFailed", "CheckResult", "check"]

STRICT_ENV = "MLECOURSE_CHECK_STRICT"
GRADING_ENV = "MLECOURSE_GRADING"
#: seconds one call of the student's function may take before check() gives up on it
CALL_TIME_LIMIT = 2.0


class CheckFailed(AssertionError):
    """Raised by :func:`check` in strict mode (``MLECOURSE_CHECK_STRICT=1``) when a check fails."""


@dataclass
class CheckResult:
    """What :func:`check` found; displays as text (and as HTML in Jupyter).

    ``bool(result)`` is True when every checked part passed.
    """

    exercise: str
    reports: list[Any] = field(default_factory=list)
    message: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return bool(self.reports) and all(r.status == "pass" for r in self.reports)

    @property
    def attempted(self) -> bool:
        return any(r.status != "not_attempted" for r in self.reports)

    def __bool__(self) -> bool:
        return self.passed

    def lines(self) -> list[str]:
        out = [self.message] if self.message else []
        for r in self.reports:
            out.append(r.headline)
            out.extend(f"    · {d}" for d in r.details)
        out.extend(self.notes)
        return out

    def __str__(self) -> str:
        return "\n".join(self.lines())

    __repr__ = __str__

    def _repr_html_(self) -> str:
        colour = "#1a7f37" if self.passed else ("#9a6700" if not self.attempted else "#cf222e")
        parts = []
        for line in self.lines():
            text = html.escape(line.removeprefix("    · "))
            text = re.sub(r"`([^`]+)`", r"<code>\1</code>", text)
            if line.startswith("    · "):
                parts.append(f'<li style="margin:0">{text}</li>')
            else:
                parts.append(f'<p style="margin:0.2em 0">{text}</p>')
        body = "".join(parts)
        return (
            f'<div class="mlecourse-check" style="border-left:4px solid {colour};'
            f'padding:0.3em 0.8em">{body}</div>'
        )


class _CallTimeout(BaseException):
    """Raised inside the student's function when it runs past the time limit."""


def _call(func: Callable[..., Any], args: tuple[Any, ...], limit: float):
    """Call ``func(*args)``; return (encoded value, warnings), never raising."""
    from .exercises._core import encode_value

    use_alarm = (
        hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    )

    def on_alarm(signum, frame):
        raise _CallTimeout

    previous = signal.signal(signal.SIGALRM, on_alarm) if use_alarm else None
    caught: list[str] = []
    try:
        with warnings.catch_warnings(record=True) as record:
            warnings.simplefilter("always")
            try:
                if use_alarm:
                    signal.setitimer(signal.ITIMER_REAL, limit)
                try:
                    value = func(*args)
                    encoded = encode_value(value)
                finally:
                    if use_alarm:
                        signal.setitimer(signal.ITIMER_REAL, 0)
            except _CallTimeout:
                encoded = {"t": "timeout", "s": limit}
            except (KeyboardInterrupt, GeneratorExit):
                raise
            except BaseException as exc:
                try:
                    msg = str(exc)
                except Exception:
                    msg = ""
                encoded = {"t": "error", "type": type(exc).__name__, "msg": msg[:300]}
        for w in record:
            caught.append(f"{w.category.__name__}: {w.message}")
    finally:
        if use_alarm:
            signal.signal(signal.SIGALRM, previous)
    return encoded, caught


def _copy_args(args: tuple[Any, ...]) -> tuple[Any, ...]:
    return tuple(a.copy() if isinstance(a, np.ndarray) else a for a in args)


def _candidates(ns: dict[str, Any], exclude: set[str], target: str) -> list[str]:
    module = ns.get("__name__")
    names = [
        k for k, v in ns.items()
        if inspect.isfunction(v) and not k.startswith("_") and k not in exclude
        and getattr(v, "__module__", None) == module
    ]
    close = difflib.get_close_matches(target, names, n=5, cutoff=0.3)
    return close + sorted(n for n in names if n not in close)


def run_part(part: Any, func: Callable[..., Any], rng: np.random.Generator) -> tuple[Any, list[str]]:
    """Run one part's public tests on ``func``; return (PartReport, warnings seen)."""
    from .exercises._core import Case, CaseOutcome, decode_value, evaluate_case, summarise

    outcomes: list[CaseOutcome] = []
    seen: list[str] = []
    cases: list[Case] = part.public_cases(rng)
    for i, case in enumerate(cases):
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            expected = part.reference(*case.args)
        encoded, caught = _call(func, _copy_args(case.args), CALL_TIME_LIMIT)
        seen.extend(c for c in caught if c not in seen)
        outcome = evaluate_case(part, case, decode_value(encoded), expected)
        outcomes.append(outcome)
        if outcome.status == "not_attempted":
            break
        if outcome.status == "timeout":  # do not make the student wait for every case
            outcomes.extend(CaseOutcome(c, "skipped") for c in cases[i + 1:])
            break
    return summarise(part, outcomes), seen


def check(name: str, func: Callable[..., Any] | None = None, *, part: str | None = None) -> CheckResult:
    """Check your solution to exercise ``name`` and say what is wrong, if anything.

    Parameters
    ----------
    name : str
        The exercise, e.g. ``"uniform-mle"`` or ``"boundary-bernoulli"``.
    func : callable, optional
        The function to check. By default the function(s) the exercise asks for are looked up
        by name (``uniform_mle``, ...) in the namespace of the caller (your notebook).
    part : str, optional
        Check only this part of a multi-part exercise, e.g. ``part="bernoulli_mle"``.

    Returns
    -------
    CheckResult
        Displays as ✅ or as feedback; ``bool(result)`` is True when everything passed.

    Raises
    ------
    CheckFailed
        Only in strict mode (environment variable ``MLECOURSE_CHECK_STRICT=1``), when the check
        does not pass.
    """
    if os.environ.get(GRADING_ENV, "") not in ("", "0"):
        return CheckResult(str(name), message="check() is switched off while grading.")
    result = _check(name, func, part, sys._getframe(1))
    if os.environ.get(STRICT_ENV, "") not in ("", "0") and not result.passed:
        raise CheckFailed(f"check({name!r}) did not pass:\n{result}")
    return result


def _check(name: str, func: Any, part_name: str | None, frame: Any) -> CheckResult:
    from .exercises import get_exercise
    from .exercises._core import missing_report

    try:
        exercise = get_exercise(name)
    except KeyError as exc:
        return CheckResult(str(name), message=f"❌ {exc.args[0]}")
    ns = dict(frame.f_globals)
    ns.update(frame.f_locals)
    del frame

    parts = list(exercise.parts)
    names = [p.function for p in parts]
    if part_name is not None:
        parts = [p for p in parts if p.function == part_name]
        if not parts:
            return CheckResult(
                exercise.name,
                message=f"❌ exercise {exercise.name!r} has no part {part_name!r}; its parts are "
                + ", ".join(repr(n) for n in names) + ".",
            )
    elif func is not None and len(parts) > 1:
        fname = getattr(func, "__name__", "")
        parts = [p for p in parts if p.function == fname]
        if not parts:
            return CheckResult(
                exercise.name,
                message=f"❌ exercise {exercise.name!r} has several parts ("
                + ", ".join(names) + "); say which one this function answers, e.g. "
                f"check({exercise.name!r}, my_function, part={names[0]!r}).",
            )

    result = CheckResult(exercise.name)
    rng = np.random.default_rng()  # fresh data on every call
    for p in parts:
        f = func if func is not None else ns.get(p.function)
        if f is None:
            report = missing_report(p, _candidates(ns, set(names), p.function), where="check")
            result.reports.append(report)
            continue
        if not callable(f):
            report = missing_report(p, [])
            report.headline = (
                f"❌ `{p.function}` is a {type(f).__name__}, not a function: did a later cell "
                f"overwrite it (e.g. `{p.function} = {p.function}(x)`)? Re-run the cell that "
                "defines it."
            )
            result.reports.append(report)
            continue
        module = getattr(f, "__module__", None) or ""
        if module == "mlecourse" or module.startswith("mlecourse."):
            report = missing_report(p, [])
            report.headline = (
                f"❌ `{p.function}` is the course's own implementation ({module}."
                f"{getattr(f, '__name__', '?')}), imported from mlecourse: write your own."
            )
            result.reports.append(report)
            continue
        report, seen = run_part(p, f, rng)
        if report.status == "fail" and seen:
            report.details.append("warnings it raised: " + "; ".join(seen[:3]))
        result.reports.append(report)
    return result
