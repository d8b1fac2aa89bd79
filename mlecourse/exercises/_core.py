r"""The building blocks of an exercise spec, shared by ``check()`` and the grader.

An :class:`Exercise` has numeric :class:`Part`\ s (one student function each, auto-graded) and
:class:`WrittenPart`\ s (Markdown answers, collected for manual review). A part knows

* its reference solution (computed in the process that judges: the student's kernel for
  ``check()``, the grader's own process for grading);
* input generators: ``random_cases(rng, count)`` and ``edge_cases(rng)`` return :class:`Case`\ s;
* misconception detectors (:class:`Misconception`): a formula a student might have used instead
  (``2 * mean(x)``), or a predicate on (case, answer, expected);
* its points and comparison tolerances.

Whatever a student's function returns is first turned into plain JSON by :func:`encode_value`
(in the student's kernel) and back into a plain Python value by :func:`decode_value` (in the
judging process). ``check()`` does the same round trip in-process, so the two judges see exactly
the same thing and use the same :func:`evaluate_case` and :func:`summarise`.
"""

from __future__ import annotations

import math
import warnings
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = [
    "Case",
    "CaseOutcome",
    "Exercise",
    "Misconception",
    "Opaque",
    "Part",
    "PartReport",
    "Raised",
    "TimedOut",
    "WrittenPart",
    "decode_args",
    "decode_value",
    "encode_args",
    "encode_value",
    "evaluate_case",
    "format_args",
    "summarise",
]

NOT_ATTEMPTED = "NotImplementedError"
#: what a written-answer cell holds in a student notebook before the student writes in it
ANSWER_HEADER = "**Your answer:**"
ANSWER_PLACEHOLDER = "_Write your answer here._"


# ----------------------------------------------------------------------------------------------
# Spec data structures
# ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Case:
    """One test input: the positional arguments and a short human label (no random numbers
    in the label of an edge case, so that messages listing edge cases are deterministic)."""

    label: str
    args: tuple[Any, ...]
    edge: bool = False


@dataclass(frozen=True)
class Misconception:
    """A recognised wrong answer and the message that names it.

    Either ``formula`` (called like the reference; the answer matches it) or ``predicate``
    (``predicate(case, got, expected) -> bool`` on the decoded answer) identifies it.
    """

    key: str
    message: str
    formula: Callable[..., Any] | None = None
    predicate: Callable[[Case, Any, Any], bool] | None = None


@dataclass(frozen=True)
class Part:
    """An auto-graded part: the student writes ``function`` (called with ``Case.args``)."""

    function: str
    signature: str
    points: float
    reference: Callable[..., Any]
    random_cases: Callable[[np.random.Generator, int], list[Case]]
    edge_cases: Callable[[np.random.Generator], list[Case]]
    output: str = "scalar"  # "scalar" | "vector" | "matrix"
    misconceptions: tuple[Misconception, ...] = ()
    rtol: float = 1e-7
    atol: float = 1e-12
    n_public: int = 8
    n_hidden: int = 12

    @property
    def name(self) -> str:
        return self.function

    def public_cases(self, rng: np.random.Generator) -> list[Case]:
        """The cases ``check()`` runs: fresh random data each call, then the edge cases."""
        return self.random_cases(rng, self.n_public) + self.edge_cases(rng)

    def hidden_cases(self, rng: np.random.Generator) -> list[Case]:
        """The cases the grader runs (``rng`` seeded on the grader's side)."""
        return self.random_cases(rng, self.n_hidden) + self.edge_cases(rng)


@dataclass(frozen=True)
class WrittenPart:
    """A written answer (a Markdown cell whose metadata has ``mlecourse.answer = id``)."""

    id: str
    prompt: str


@dataclass(frozen=True)
class Exercise:
    """An exercise: its check name, notebook stem, parts and written parts."""

    name: str
    title: str
    notebook: str
    chapter: str
    parts: tuple[Part, ...]
    written: tuple[WrittenPart, ...] = ()
    summary: str = ""

    @property
    def max_score(self) -> float:
        return float(sum(p.points for p in self.parts))

    def part(self, name: str) -> Part:
        for p in self.parts:
            if p.function == name:
                return p
        raise KeyError(name)


# ----------------------------------------------------------------------------------------------
# Values crossing the kernel boundary
# ----------------------------------------------------------------------------------------------
def encode_value(value, _depth=0):
    """Describe ``value`` (what a student's function returned) as plain JSON.

    Self-contained (imports inside, no module globals) because the grader injects its source
    into the student's kernel. Never raises. Numbers become ``{"t": "num", "v": 1.5}`` with
    ``"nan"``/``"inf"``/``"-inf"`` spelled as strings; arrays keep their shape; anything else
    is described by type and a short repr, never compared.
    """
    import math as _m

    import numpy as _np

    limit = 2_000_000

    def num(v):
        v = float(v)
        if _m.isnan(v):
            return "nan"
        if _m.isinf(v):
            return "inf" if v > 0 else "-inf"
        return v

    def other(kind, text):
        return {"t": "other", "type": kind, "repr": text[:200]}

    try:
        if value is None:
            return {"t": "none"}
        if isinstance(value, (bool, _np.bool_)):
            return {"t": "bool", "v": bool(value)}
        if isinstance(value, (int, _np.integer)):
            try:
                return {"t": "num", "v": num(int(value))}
            except OverflowError:
                return {"t": "num", "v": "inf" if value > 0 else "-inf"}
        if isinstance(value, (float, _np.floating)):
            return {"t": "num", "v": num(value)}
        if isinstance(value, str):
            return {"t": "str", "v": value[:200], "len": len(value)}
        if isinstance(value, _np.ndarray):
            if value.dtype.kind not in "biuf":
                return other("ndarray", f"array of dtype {value.dtype} and shape {value.shape}")
            if value.size > limit:
                return other("ndarray", f"array of shape {value.shape} (too large to send)")
            flat = _np.asarray(value, dtype=float).ravel()
            vals = flat.tolist()
            if not _np.isfinite(flat).all():
                vals = [num(v) for v in vals]
            return {
                "t": "array",
                "shape": [int(s) for s in value.shape],
                "bool": value.dtype.kind == "b",
                "v": vals,
            }
        if isinstance(value, (list, tuple)) and _depth < 3:
            if len(value) > limit:
                return other(type(value).__name__, f"{type(value).__name__} of {len(value)} items")
            kind = "tuple" if isinstance(value, tuple) else "list"
            return {"t": kind, "v": [encode_value(v, _depth + 1) for v in value]}
        try:
            text = repr(value)
        except BaseException:
            text = "<repr failed>"
        return other(type(value).__name__, text)
    except BaseException as exc:
        return other("unknown", f"could not inspect the value: {type(exc).__name__}")


@dataclass(frozen=True)
class Raised:
    """The student's function raised ``type``: ``message``."""

    type: str
    message: str


@dataclass(frozen=True)
class TimedOut:
    """The call did not return within ``seconds``."""

    seconds: float


@dataclass(frozen=True)
class Opaque:
    """A value that is not a number, string, list or numeric array (described, never compared)."""

    type: str
    repr: str


def _num(v: Any) -> float:
    if isinstance(v, str):
        return {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}[v]
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise TypeError("not a number")
    return float(v)


def decode_value(d: Any, _depth: int = 0) -> Any:
    """Turn :func:`encode_value`'s JSON (or an error/timeout record) back into a plain value.

    Never raises: malformed input (it came from an untrusted kernel) becomes :class:`Opaque`.
    """
    try:
        t = d["t"]
        if t == "none":
            return None
        if t == "bool":
            return bool(d["v"])
        if t == "num":
            return _num(d["v"])
        if t == "str":
            return str(d["v"])
        if t == "array":
            shape = tuple(int(s) for s in d["shape"])
            vals = d["v"]
            if not isinstance(vals, list) or any(isinstance(v, (bool, list, dict)) for v in vals):
                raise TypeError("not a flat list of numbers")
            arr = np.array(vals, dtype=float).reshape(shape)
            return arr.astype(bool) if d.get("bool") else arr
        if t in ("list", "tuple") and _depth < 4:
            items = [decode_value(v, _depth + 1) for v in d["v"]]
            return tuple(items) if t == "tuple" else items
        if t == "error":
            return Raised(str(d.get("type", "Exception"))[:80], str(d.get("msg", ""))[:300])
        if t == "timeout":
            return TimedOut(float(d.get("s", 0.0)))
        if t == "other":
            return Opaque(str(d.get("type", "object"))[:80], str(d.get("repr", ""))[:200])
    except Exception:
        pass
    return Opaque("invalid", "the kernel sent a value the grader could not read")


def encode_args(args: Sequence[Any]) -> list[Any]:
    """Inputs for the student's function as JSON (exact: floats round-trip through repr)."""
    out = []
    for a in args:
        if isinstance(a, np.ndarray):
            kind = "int" if a.dtype.kind in "iu" else "float"
            vals = a.ravel().tolist()
            out.append({"array": vals, "shape": list(a.shape), "dtype": kind})
        elif isinstance(a, (bool, np.bool_)):
            raise TypeError("boolean inputs are not used")
        elif isinstance(a, (int, np.integer)):
            out.append({"int": int(a)})
        else:
            out.append({"float": float(a)})
    return out


def decode_args(encoded: Sequence[Any]) -> tuple[Any, ...]:
    """Inverse of :func:`encode_args` (the grader's harness has its own copy of this logic)."""
    out: list[Any] = []
    for a in encoded:
        if "array" in a:
            dtype = np.int64 if a["dtype"] == "int" else np.float64
            out.append(np.array(a["array"], dtype=dtype).reshape(a["shape"]))
        elif "int" in a:
            out.append(int(a["int"]))
        else:
            out.append(float(a["float"]))
    return tuple(out)


# ----------------------------------------------------------------------------------------------
# Judging one answer
# ----------------------------------------------------------------------------------------------
@dataclass
class CaseOutcome:
    """How one call went. ``status`` is one of pass, wrong, nan, type, error, timeout,
    not_attempted, skipped."""

    case: Case
    status: str
    got: Any = None
    expected: Any = None
    message: str = ""
    misconceptions: tuple[str, ...] = ()


def format_value(v: Any, digits: int = 6) -> str:
    """Short, readable text for a number, array or list (for feedback messages)."""
    if isinstance(v, float):
        return f"{v:.{digits}g}"
    if isinstance(v, np.ndarray):
        if v.ndim == 0:
            return format_value(float(v), digits)
        flat = v.ravel()
        if v.ndim == 1 and flat.size <= 6:
            return "[" + ", ".join(f"{float(e):.{digits}g}" for e in flat) + "]"
        if v.ndim == 2 and v.shape[0] <= 3 and v.shape[1] <= 4:
            rows = ("[" + ", ".join(f"{float(e):.4g}" for e in r) + "]" for r in v)
            return "[" + ", ".join(rows) + "]"
        head = ", ".join(f"{float(e):.4g}" for e in flat[:4])
        return f"array of shape {v.shape} starting [{head}, ...]"
    if isinstance(v, (list, tuple)):
        inner = ", ".join(format_value(e, digits) for e in v[:6])
        return f"[{inner}{', ...' if len(v) > 6 else ''}]"
    if isinstance(v, Raised):
        return f"{v.type}: {v.message}"
    if isinstance(v, Opaque):
        return f"<{v.type}> {v.repr}"
    return repr(v)


def format_args(part: Part, case: Case) -> str:
    """``x = [0.52, 3.1, 2.2] (n = 3)``-style description of a case's inputs."""
    names = [
        a.strip().split("=")[0].strip()
        for a in part.signature.split("(", 1)[1].rsplit(")", 1)[0].split(",")
    ]
    out = []
    for name, a in zip(names, case.args, strict=False):
        if isinstance(a, np.ndarray) and a.ndim == 1 and a.size > 6:
            head = ", ".join(f"{float(e):.4g}" for e in a[:4])
            out.append(f"{name} = [{head}, ...] (n = {a.size})")
        elif isinstance(a, np.ndarray) and a.ndim == 2 and a.size > 12:
            out.append(f"{name} = a {a.shape[0]}×{a.shape[1]} array")
        elif isinstance(a, np.ndarray):
            out.append(f"{name} = {format_value(a.astype(float), 4)}")
        elif isinstance(a, float):
            out.append(f"{name} = {a:.6g}")
        else:
            out.append(f"{name} = {a!r}")
    return ", ".join(out)


def _is_number(v: Any) -> bool:
    return isinstance(v, float) or (isinstance(v, np.ndarray) and v.ndim == 0 and v.dtype != bool)


def _normalise(part: Part, got: Any, expected: Any) -> tuple[Any, str]:
    """Return (numeric value, "") or (None, a friendly message naming the type problem)."""
    fn = f"`{part.function}`"
    if got is None:
        return None, f"{fn} returned None: did you forget the `return` statement?"
    if isinstance(got, bool) or (isinstance(got, np.ndarray) and got.dtype == bool):
        return None, f"{fn} returned a bool (True/False) instead of a number."
    if isinstance(got, str):
        try:
            float(got)
            hint = " (drop the str()/f-string formatting)"
        except ValueError:
            hint = ""
        return None, (
            f"{fn} returned a string, {got[:40]!r}: return the number itself, not text{hint}."
        )
    if isinstance(got, Opaque):
        return None, (
            f"{fn} returned an object of type `{got.type}`; return a plain number (a float) or "
            "a NumPy array, nothing else is accepted."
        )
    if part.output == "scalar":
        if isinstance(got, float):
            return got, ""
        if isinstance(got, np.ndarray) and got.ndim == 0:
            return float(got), ""
        if isinstance(got, (list, tuple)):
            kind = type(got).__name__
            if len(got) == 1 and _is_number(got[0]):
                return None, (
                    f"{fn} returned a {kind} with one number, {format_value(got)}: return the "
                    f"number itself (e.g. `return float(...)`), not a {kind}."
                )
            return None, f"{fn} returned a {kind} of {len(got)} values; it must return a single number."
        if isinstance(got, np.ndarray):
            if got.shape == (1,):
                return None, (
                    f"{fn} returned an array of shape (1,); return a plain number instead: "
                    "wrap it in `float(...)` or use `.item()`."
                )
            return None, (
                f"{fn} returned an array of shape {got.shape}; it must return a single number "
                "(one value for the whole sample, e.g. a sum or a maximum over the observations)."
            )
        return None, f"{fn} returned something that is not a number ({format_value(got)})."
    # vector / matrix outputs
    want = np.shape(expected)
    if isinstance(got, (list, tuple)):
        try:
            arr = np.array(got, dtype=float)
        except (TypeError, ValueError):
            return None, f"{fn} returned a {type(got).__name__} that is not a list of numbers."
    elif isinstance(got, np.ndarray):
        arr = got.astype(float)
    elif isinstance(got, float):
        arr = np.array(got)
    else:
        return None, f"{fn} returned something that is not an array ({format_value(got)})."
    if arr.shape == want:
        return arr, ""
    if part.output == "vector":
        if arr.size == int(np.prod(want)) and arr.ndim == 2:
            return None, (
                f"{fn} returned an array of shape {arr.shape}; return a 1-D array of shape "
                f"{want} (use `.ravel()`, or keep y and the coefficients 1-D)."
            )
        if arr.ndim == 0:
            return None, f"{fn} returned a single number; return an array of shape {want}."
        return None, f"{fn} returned an array of shape {arr.shape}; expected shape {want}."
    if arr.ndim == 2 and arr.shape == want[::-1]:
        return None, (
            f"{fn} returned an array of shape {arr.shape}, the transpose of what is wanted: "
            f"shape {want} (one row per observation, one column per component)."
        )
    return None, f"{fn} returned an array of shape {arr.shape}; expected shape {want}."


def _close(part: Part, got: Any, expected: Any) -> bool:
    g = np.asarray(got, dtype=float)
    e = np.asarray(expected, dtype=float)
    if g.shape != e.shape:
        return False
    with np.errstate(invalid="ignore"):
        same_inf = np.isinf(e) & (g == e)
        scale = max(1.0, float(np.max(np.abs(e[np.isfinite(e)]), initial=0.0)))
        near = np.isclose(g, e, rtol=part.rtol, atol=part.atol * scale)
    return bool(np.all(same_inf | (np.isfinite(e) & near)))


def _matches_misconception(part: Part, m: Misconception, case: Case, got: Any, expected: Any):
    try:
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if m.predicate is not None:
                return bool(m.predicate(case, got, expected))
            if m.formula is None:
                return False
            alt = np.asarray(m.formula(*case.args), dtype=float)
            if alt.shape != np.shape(got) or _close(part, alt, expected):
                return False
            return _close(part, got, alt)
    except Exception:
        return False


def evaluate_case(part: Part, case: Case, got: Any, expected: Any) -> CaseOutcome:
    """Judge one decoded answer against the expected value (computed by the judge)."""
    if isinstance(got, Raised):
        if got.type == NOT_ATTEMPTED:
            return CaseOutcome(case, "not_attempted", got, expected)
        return CaseOutcome(
            case, "error", got, expected,
            f"`{part.function}` raised {got.type}: {got.message}".rstrip(": "),
        )
    if isinstance(got, TimedOut):
        return CaseOutcome(
            case, "timeout", got, expected,
            f"`{part.function}` did not return within {got.seconds:g} s",
        )
    value, problem = _normalise(part, got, expected)
    if problem:
        found = tuple(
            m.key for m in part.misconceptions
            if m.predicate is not None and _matches_misconception(part, m, case, got, expected)
        )
        return CaseOutcome(case, "type", got, expected, problem, found)
    if _close(part, value, expected):
        return CaseOutcome(case, "pass", value, expected)
    found = tuple(
        m.key for m in part.misconceptions
        if _matches_misconception(part, m, case, value, expected)
    )
    status = "nan" if np.any(np.isnan(np.asarray(value, dtype=float))) else "wrong"
    return CaseOutcome(case, status, value, expected, "", found)


# ----------------------------------------------------------------------------------------------
# Summaries (the text a student reads, in check() and in the grader's feedback)
# ----------------------------------------------------------------------------------------------
@dataclass
class PartReport:
    """The verdict on one part."""

    function: str
    status: str  # "pass" | "fail" | "not_attempted" | "missing"
    passed: int
    total: int
    headline: str
    details: list[str] = field(default_factory=list)
    misconception: str | None = None

    @property
    def fraction(self) -> float:
        return self.passed / self.total if self.total else 0.0


def _example(part: Part, o: CaseOutcome, *, show_expected: bool) -> str:
    args = format_args(part, o.case)
    if o.status == "error":
        return f"on {o.case.label} ({args}) it raised {format_value(o.got)}"
    if o.status == "timeout":
        return f"on {o.case.label} ({args}) it did not return within {o.got.seconds:g} s"
    if o.status == "type":
        return f"on {o.case.label} ({args}) it returned {format_value(o.got)}"
    line = f"on {o.case.label} ({args}): you returned {format_value(o.got)}"
    if show_expected:
        line += f", the correct value is {format_value(o.expected)}"
    return line


def summarise(part: Part, outcomes: list[CaseOutcome], *, hidden: bool = False) -> PartReport:
    """Turn the outcomes of one part into a headline (✅ / ⏳ / ❌ with the misconception named)
    and a few detail lines."""
    fn = f"`{part.function}`"
    total = len(outcomes)
    passed = sum(o.status == "pass" for o in outcomes)
    if any(o.status == "not_attempted" for o in outcomes):
        text = (
            f"⏳ {fn}: not attempted (it still raises NotImplementedError)." if hidden else
            f"⏳ {fn}: not attempted yet (it still raises NotImplementedError). Replace the "
            "`raise NotImplementedError` line with your code, run that cell, then run this "
            "check again."
        )
        return PartReport(part.function, "not_attempted", 0, total, text)
    if passed == total:
        n_edge = sum(o.case.edge for o in outcomes)
        labels = "; ".join(dict.fromkeys(o.case.label for o in outcomes if o.case.edge))
        what = f"{total - n_edge} {'hidden ' if hidden else ''}random tests"
        return PartReport(
            part.function, "pass", passed, total,
            f"✅ {fn} is correct: it passed {what} and {n_edge} edge cases ({labels}).",
        )

    failing = [o for o in outcomes if o.status != "pass"]
    counts = Counter(k for o in failing for k in o.misconceptions)
    messages = {m.key: m.message for m in part.misconceptions}
    misconception = None
    if counts:
        key, count = max(counts.items(), key=lambda kv: (kv[1], -list(messages).index(kv[0])))
        numeric_fails = sum(o.status in ("wrong", "nan", "type") for o in failing)
        if 2 * count >= numeric_fails:
            misconception = key
    first = {s: next((o for o in failing if o.status == s), None) for s in
             ("type", "error", "timeout", "nan", "wrong", "skipped")}
    if misconception is not None:
        headline = f"❌ {fn}: {messages[misconception]}"
    elif first["type"] is not None:
        headline = f"❌ {first['type'].message}"
    elif first["error"] is not None:
        o = first["error"]
        headline = (
            f"❌ {fn} raised {o.got.type} on {o.case.label}: it should handle this input "
            "and return a number."
        )
    elif first["timeout"] is not None:
        o = first["timeout"]
        headline = (
            f"❌ {fn} took too long on {o.case.label} (over {o.got.seconds:g} s): avoid Python "
            "loops over the data, use NumPy operations."
        )
    elif first["nan"] is not None:
        headline = (
            f"❌ {fn} returned nan on {first['nan'].case.label}: look for 0·log 0, 0/0 or "
            "log of 0 or of a negative number."
        )
    else:
        headline = f"❌ {fn} gives a wrong answer on {first['wrong'].case.label}."

    details = [f"passed {passed} of {total} tests"]
    bad_labels = list(dict.fromkeys(o.case.label for o in failing if o.case.edge))
    if bad_labels:
        details.append("failing edge cases: " + "; ".join(bad_labels))
    shown = next((o for o in failing if misconception in o.misconceptions), failing[0])
    if shown.status != "skipped":
        details.append("for example " + _example(part, shown, show_expected=True))
    return PartReport(part.function, "fail", passed, total, headline, details, misconception)


def missing_report(part: Part, candidates: Sequence[str], *, where: str = "notebook") -> PartReport:
    """The report for a part whose function is not defined (deleted or renamed)."""
    fn = f"`{part.function}`"
    if where == "check":
        text = (
            f"❌ there is no function called {fn} in your notebook: define `{part.signature}` "
            "(with exactly this name) and run its cell."
        )
    else:
        text = (
            f"❌ the notebook does not define a function called {fn} (the grader calls "
            f"`{part.signature}` by this exact name)."
        )
    if candidates:
        names = ", ".join(f"`{c}`" for c in candidates[:5])
        text += f" (The notebook defines {names}: was it renamed?)"
    return PartReport(part.function, "missing", 0, 0, text)
