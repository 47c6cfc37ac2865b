"""Checks that a claim calls: each compares two independent computations with a tolerance.

A check that fails raises `CheckFailed`. While a claim runs on a page, every check (passed or
failed) is also recorded, so that the page and `claims.json` can show what was measured.
A check's `what` says what it compares, in words; its formulas are TeX between `$…$`, which
the page renders as it renders the statement.

>>> import sympy as sp
>>> x = sp.Symbol("x", real=True)
>>> symbolic(sp.diff(x**2 / 2, x), x).passed
True
>>> close(0.1 + 0.2, 0.3, atol=1e-12).passed
True
>>> close(1.0, 1.1, rtol=1e-3)
Traceback (most recent call last):
...
checks.CheckFailed: numeric: relative error 0.0909 > tolerance 0.001 (close to expected)

A symbolic difference that cannot be evaluated at a point (a sum over n terms) fails as not proved:

>>> i, n = sp.Symbol("i", integer=True), sp.Symbol("n", integer=True, positive=True)
>>> symbolic(sp.Sum(sp.IndexedBase("y")[i], (i, 1, n)), 0, what="Σ yᵢ = 0")
Traceback (most recent call last):
...
checks.CheckFailed: symbolic: not proved: |lhs − rhs| = inf > tolerance 0 (Σ yᵢ = 0)
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np
import sympy as sp

KINDS = ("symbolic", "numeric", "statistical", "optimisation")


@dataclass(frozen=True)
class Check:
    """One comparison: what was compared, the error observed and the tolerance allowed."""

    kind: str
    what: str
    observed: float
    tolerance: float
    passed: bool


class CheckFailed(AssertionError):
    """A check whose observed error exceeds its tolerance."""


_recorders: list[list[Check]] = []


@contextlib.contextmanager
def recording() -> Iterator[list[Check]]:
    """Collect every check made inside the block (used by the build and the tests)."""
    recorded: list[Check] = []
    _recorders.append(recorded)
    try:
        yield recorded
    finally:
        _recorders.remove(recorded)


_quoters: list[dict[str, float]] = []


@contextlib.contextmanager
def quoting() -> Iterator[dict[str, float]]:
    """Collect the values quoted inside the block (used by the build and the tests)."""
    quoted: dict[str, float] = {}
    _quoters.append(quoted)
    try:
        yield quoted
    finally:
        _quoters.remove(quoted)


def quote(name: str, value) -> float:
    """Name a value the claim computes, for the page's prose: `{{claim-id.name:.3f}}` shows it.

    A number in prose that a claim computes is quoted from it, never typed by hand.

    >>> with quoting() as quoted:
    ...     quote("half", 1 / 2)
    0.5
    >>> quoted
    {'half': 0.5}
    """
    number = float(value)
    if number != number or abs(number) == float("inf"):
        raise ValueError(f"quoted value {name!r} is {number}: only finite numbers can be quoted")
    if _quoters:
        if name in _quoters[-1]:
            raise ValueError(f"the value {name!r} is quoted twice: give each value its own name")
        _quoters[-1][name] = number
    return number


def _report(check: Check, measure: str) -> Check:
    if _recorders:
        _recorders[-1].append(check)
    if not check.passed:
        raise CheckFailed(
            f"{check.kind}: {measure} {check.observed:.3g} > tolerance {check.tolerance:.3g}"
            f" ({check.what})"
        )
    return check


def symbolic(lhs, rhs, *, what: str = "the two sides simplify to the same expression") -> Check:
    """Prove lhs = rhs with sympy: their difference must simplify to exactly 0.

    Works for scalars and matrices. When the difference does not simplify to 0, the check
    fails and reports the largest |lhs − rhs| at a few random points: a large value means
    the identity is false; 0 means sympy could not prove a true identity (rewrite it).
    """
    if isinstance(lhs, (sp.MatrixBase, list, tuple)):
        difference = sp.Matrix(lhs) - sp.Matrix(rhs)
    else:
        difference = sp.Matrix([lhs - rhs])
    difference = difference.applyfunc(_simplified)
    proved = all(entry == 0 for entry in difference)
    observed = 0.0 if proved else _largest_value(difference)
    return _report(Check("symbolic", what, observed, 0.0, proved), "not proved: |lhs − rhs| =")


def _simplified(expression):
    """0 if a cheap rational normalisation shows it; otherwise sympy's full simplify."""
    cheap = sp.cancel(sp.expand(expression))
    return cheap if cheap == 0 else sp.simplify(expression)


def _largest_value(difference: sp.Matrix) -> float:
    """max |difference| at seeded points in (0.1, 0.9); inf where undefined or not numeric."""
    rng = np.random.default_rng(0)
    symbols = sorted(difference.free_symbols, key=str)
    largest = 0.0
    for _ in range(3):
        point = {symbol: sp.Float(rng.uniform(0.1, 0.9)) for symbol in symbols}
        for entry in difference:
            try:
                value = abs(complex(entry.evalf(subs=point)))
            except TypeError:  # not a number even at the point: a symbolic sum over n, say
                value = float("inf")
            largest = max(largest, value) if np.isfinite(value) else float("inf")
    return largest


def close(
    actual,
    expected,
    *,
    atol: float = 0.0,
    rtol: float = 0.0,
    kind: str = "numeric",
    what: str = "close to expected",
) -> Check:
    """Compare arrays within an absolute (atol) or a relative (rtol) tolerance, not both."""
    if (atol > 0) == (rtol > 0):
        raise ValueError("give exactly one positive tolerance: atol or rtol")
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
    actual, expected = np.asarray(actual, dtype=float), np.asarray(expected, dtype=float)
    if actual.shape != expected.shape:
        raise ValueError(f"shapes differ: {actual.shape} and {expected.shape}")
    error = np.abs(actual - expected)
    if rtol:
        error = error / np.maximum(np.abs(expected), np.finfo(float).tiny)
    # nan (a failed computation) must fail, so compare with `not <=`.
    observed = float(np.max(error)) if error.size else 0.0
    passed = bool(np.all(error <= (rtol or atol)))
    measure = "relative error" if rtol else "absolute error"
    return _report(Check(kind, what, observed, rtol or atol, passed), measure)


def statistical(
    samples, expected, *, z: float = 5.0, what: str = "Monte Carlo mean within z standard errors"
) -> Check:
    """The mean of samples (first axis) matches expected within z standard errors everywhere.

    observed is the largest |mean − expected| / standard error over all coordinates.
    """
    samples = np.asarray(samples, dtype=float)
    expected = np.asarray(expected, dtype=float)
    count = samples.shape[0]
    mean = samples.mean(axis=0)
    standard_error = samples.std(axis=0, ddof=1) / np.sqrt(count)
    deviation = np.abs(mean - expected)
    # A coordinate with no spread must match exactly; otherwise measure in standard errors.
    with np.errstate(divide="ignore", invalid="ignore"):
        scores = np.where(
            standard_error > 0, deviation / standard_error, np.where(deviation == 0, 0.0, np.inf)
        )
    observed = float(np.max(scores))
    return _report(Check("statistical", what, observed, z, bool(observed <= z)), "standard errors")


def numerical_gradient(f: Callable[[np.ndarray], np.ndarray], z, h: float = 1e-6) -> np.ndarray:
    """Central finite differences of f along the last axis of z, batched over leading axes.

    f maps an array shaped (..., n) to (...); the result has the shape of z.
    Truncation error is O(h²); rounding error is about ε·|f|/h.
    """
    z = np.asarray(z, dtype=float)
    gradient = np.empty_like(z)
    for k in range(z.shape[-1]):
        step = np.zeros(z.shape[-1])
        step[k] = h
        gradient[..., k] = (f(z + step) - f(z - step)) / (2 * h)
    return gradient
