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

Every check can fail: each also measures itself once more with its expected side changed (by
`CHANGE`, a tenth of the expected values' size, or a constant for a proof), and records whether
that change fails it (`fails_when_changed`). A check whose tolerance or sample cannot see such a
change is too weak to tell a right formula from a wrong one.

>>> close(0.1 + 0.2, 0.3, atol=1e-12).fails_when_changed
True
>>> close(0.1 + 0.2, 0.3, atol=1e9).fails_when_changed
False
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np
import sympy as sp
import tex

KINDS = ("symbolic", "numeric", "statistical", "optimisation")


@dataclass(frozen=True)
class Check:
    """One comparison: what was compared, the error observed and the tolerance allowed."""

    kind: str
    what: str
    observed: float
    tolerance: float
    passed: bool
    fails_when_changed: bool
    formula: str = ""  # for a statement check: the formula of the statement it reads


# How far a check's expected side is moved to see that the check notices: a tenth of its size,
# less than a changed sign, factor or exponent moves it.
CHANGE = 0.1


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
    # The expected side changed by a constant: the proved difference 0 becomes −1/7, which is
    # not 0, so an exact proof always notices (the tolerance is 0).
    changed = difference.applyfunc(lambda entry: entry - sp.Rational(1, 7))
    fails_when_changed = any(entry != 0 for entry in changed)
    check = Check("symbolic", what, observed, 0.0, proved, fails_when_changed)
    return _report(check, "not proved: |lhs − rhs| =")


def _simplified(expression):
    """0 if a cheap rational normalisation shows it; otherwise sympy's full simplify."""
    cheap = sp.cancel(sp.expand(expression))
    return cheap if cheap == 0 else sp.simplify(expression)


def _largest_value(difference: sp.Matrix) -> float:
    """max |difference| at seeded points in (0.1, 0.9); inf where undefined or not numeric."""
    rng = np.random.default_rng(0)
    symbols = sorted(difference.free_symbols, key=str)
    if not symbols:
        return max((abs(complex(entry.evalf())) for entry in difference), default=0.0)
    largest = 0.0
    for _ in range(3):
        point = {symbol: sp.Float(rng.uniform(0.1, 0.9)) for symbol in symbols}
        for entry in difference:
            try:
                # xreplace, then evalf, is many times faster than evalf(subs=...), which a sum
                # over n needs (xreplace would put a fraction where n must be whole).
                if entry.has(sp.Sum, sp.Product, sp.Integral):
                    value = abs(complex(entry.evalf(subs=point)))
                else:
                    value = abs(complex(entry.xreplace(point).evalf()))
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
    if actual.size and _same_memory(actual, expected):
        raise ValueError(f"{kind} check compares an array with itself ({what})")

    def largest_error(expected):
        error = np.abs(actual - expected)
        if rtol:
            error = error / np.maximum(np.abs(expected), np.finfo(float).tiny)
        # nan (a failed computation) must fail, so compare with `not <=`.
        return float(np.max(error)) if error.size else 0.0, bool(np.all(error <= (rtol or atol)))

    observed, passed = largest_error(expected)
    # Changed up and down: a bound met near one end of its interval notices only one of them.
    changes = _changed(expected, relative=bool(rtol))
    fails_when_changed = not any(largest_error(changed)[1] for changed in changes)
    measure = "relative error" if rtol else "absolute error"
    check = Check(kind, what, observed, rtol or atol, passed, fails_when_changed)
    return _report(check, measure)


def _same_memory(first: np.ndarray, second: np.ndarray) -> bool:
    """Whether two arrays are views of the same numbers (the same array compared with itself)."""
    return (
        first.__array_interface__["data"][0] == second.__array_interface__["data"][0]
        and first.strides == second.strides
    )


def _changed(expected: np.ndarray, *, relative: bool) -> tuple[np.ndarray, np.ndarray]:
    """The expected values as a wrong formula would give them, moved up and moved down.

    Whole numbers (counts, signs, flags, and the zeros of a certificate) change by one in one
    entry; other values by a tenth: of each value for a relative tolerance, of the largest
    value for an absolute one.
    """
    finite = expected[np.isfinite(expected)]
    if not finite.size or np.all(finite == np.round(finite)):
        step = np.zeros_like(expected)
        step.flat[:1] = 1.0
    elif relative:
        step = CHANGE * expected
    else:
        step = np.full_like(expected, CHANGE * float(np.max(np.abs(finite))))
    return expected + step, expected - step


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
    spread = samples.std(axis=0, ddof=1)
    standard_error = spread / np.sqrt(count)

    def largest_score(expected) -> float:
        deviation = np.abs(mean - expected)
        # A coordinate with no spread must match exactly; otherwise measure in standard errors.
        with np.errstate(divide="ignore", invalid="ignore"):
            scores = np.where(
                standard_error > 0,
                deviation / standard_error,
                np.where(deviation == 0, 0.0, np.inf),
            )
        return float(np.max(scores))

    observed = largest_score(expected)
    # Changed by a tenth of the larger of the expected value and one sample's spread: a sample
    # too small to see that is too small to tell the formula from a wrong one.
    step = CHANGE * np.maximum(np.abs(expected), spread)
    fails_when_changed = min(largest_score(expected + step), largest_score(expected - step)) > z
    check = Check("statistical", what, observed, z, observed <= z, fails_when_changed)
    return _report(check, "standard errors")


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


def states(
    formula: str,
    *sides,
    names: dict,
    relations: tuple[str, ...] | None = None,
    what: str = "the statement's formula is the expression checked",
) -> Check:
    r"""Tie a formula of the claim's statement (one of its $…$, as written) to the expressions
    the claim checks: a changed sign, operand, digit or relation in the statement then fails.

    The formula is split at its relations (=, \le, <, \approx, …), which must be `relations`
    (all "=" unless given). Each side is read as sympy (`tex.read`, its names bound by `names`)
    and must equal the matching expression of `sides` at three random points; a side given as
    None is a name, not compared. A number after \approx must be the side before it, rounded.
    The formula is changed too (each sign flipped, each digit changed, two names swapped, one at
    a time): `fails_when_changed` says whether every change is noticed.

    >>> x, y = sp.symbols("x y", real=True)
    >>> states(r"x - y", x - y, names={"x": x, "y": y}).fails_when_changed
    True
    >>> states(r"y - x", x - y, names={"x": x, "y": y}, what="reads")
    Traceback (most recent call last):
    ...
    checks.CheckFailed: statement: |formula − checked| = 0.587 > tolerance 1e-09 (reads: $y - x$)
    >>> states(r"+\infty", sp.sympify(float("inf")), names={}).passed
    True
    >>> states(r"-\infty", sp.sympify(float("inf")), names={}, what="overflow")
    Traceback (most recent call last):
    ...
    checks.CheckFailed: statement: |formula − checked| = inf > tolerance 1e-09 (overflow: $-\infty$)
    """
    written, found = tex.parts(formula)
    expected = tuple(relations or ("=",) * (len(written) - 1))
    if len(sides) != len(written):
        raise ValueError(f"${formula}$ has {len(written)} sides; states was given {len(sides)}")
    if all(side is None for side in sides):
        raise ValueError(f"states compares no side of ${formula}$")

    @functools.cache
    def reading(index: int, text: str):
        """Side index written as text: its value and its gap to the checked side (each side is
        read once, however many changes of other sides are tried)."""
        if sides[index] is None:
            return None, 0.0
        value = tex.read(text, names)
        return value, _gap(value, sides[index])

    def difference(readings) -> float:
        """The largest gap between the sides as written and as checked; inf where unreadable,
        or where sympy finds an inequality between two sides false."""
        texts, relations = readings
        largest = 0.0 if tuple(relations) == expected else float("inf")
        try:
            values = [reading(index, text) for index, text in enumerate(texts)]
            for index, text in enumerate(texts):
                if sides[index] is None and index and relations[index - 1] == r"\approx":
                    largest = max(largest, _rounding_gap(texts[index - 1], text, names))
        except (tex.Unreadable, TypeError, ValueError):
            return float("inf")
        largest = max([largest, *(gap for _, gap in values)])
        for index, relation in enumerate(relations):
            left, right = values[index][0], values[index + 1][0]
            if relation in _ORDER and left is not None and right is not None:
                try:
                    holds = _ORDER[relation](left, right)
                except TypeError:  # vectors: sympy orders numbers only
                    continue
                largest = float("inf") if holds == sp.false else largest
        return largest

    tolerance = 1e-9
    observed = difference((written, found))

    def noticed(index: int, mutant: str) -> bool:
        """Whether side index, changed to mutant, fails; a change that says the same (such as
        (y − x)² for (x − y)²) has nothing to notice."""
        changed = [*written[:index], mutant, *written[index + 1 :]]
        return difference((changed, found)) > tolerance or not _changes_meaning(
            written[index], mutant, names, tolerance
        )

    # A formula with nothing to change (a lone |d|) has no change to notice.
    fails_when_changed = all(
        noticed(index, mutant)
        for index, text in enumerate(written)
        if sides[index] is not None
        for mutant in tex.mutants(text)
    ) and (not found or difference((written, [r"\le" if r == "=" else "=" for r in found])) > 0)
    passed = observed <= tolerance
    check = Check(
        "statement",
        f"{what}: ${formula}$",
        observed,
        tolerance,
        passed,
        fails_when_changed,
        formula,
    )
    return _report(check, "|formula − checked| =")


_ORDER = {"<": sp.Lt, ">": sp.Gt, r"\le": sp.Le, r"\ge": sp.Ge}


def _changes_meaning(text: str, mutant: str, names: dict, tolerance: float) -> bool:
    """False for a change that says the same, such as (y − x)² for (x − y)²."""
    try:
        return _gap(tex.read(mutant, names), tex.read(text, names)) > tolerance
    except (tex.Unreadable, TypeError, ValueError):
        return True


def _gap(written, checked) -> float:
    """max |written − checked| at seeded random points (see _largest_value); 0 for the same
    value, infinities included (−∞ − (−∞) is undefined, not 0); any other difference that is
    not a number fails.

    >>> _gap(-sp.oo, -sp.oo), _gap(sp.oo, -sp.oo)
    (0.0, inf)
    """
    if isinstance(written, sp.Basic) and isinstance(checked, sp.Basic) and written == checked:
        return 0.0
    written_matrix = isinstance(written, sp.MatrixBase)
    if not written_matrix and isinstance(checked, (sp.MatrixBase, list, tuple)):
        written, written_matrix = (
            sp.ones(*sp.Matrix(checked).shape) * written,
            True,
        )  # 0 = (0, …, 0)
    if written_matrix != isinstance(checked, (sp.MatrixBase, list, tuple)):
        return float("inf")
    if written_matrix:
        checked = sp.Matrix(checked)
        if written.shape != checked.shape:
            return float("inf")
        gap = _largest_value(written - checked)
    else:
        gap = _largest_value(sp.Matrix([written - checked]))
    return gap if gap == gap else float("inf")  # nan: max() would have taken it for 0


def _rounding_gap(text: str, number: str, names: dict) -> float:
    r"""How far the value of text is outside the rounding interval of the number: a decimal,
    possibly times a power of ten (4.5 \times 10^{-5}), measured in units of that power, so
    that a changed digit of a tiny number (9.1 \times 10^{-10}) is as visible as of a large one.

    >>> _rounding_gap("x", r"9.1 \times 10^{-10}", {"x": sp.Float(9.08e-10)})
    0.0
    >>> round(_rounding_gap("x", r"8.1 \times 10^{-10}", {"x": sp.Float(9.08e-10)}), 6)
    0.93
    """
    decimal, _, power = number.replace("{,}", "").partition(r"\times")
    decimals = len(decimal.strip().partition(".")[2])
    scale = float(tex.read(power, names)) if power else 1.0
    value = complex(sp.N(tex.read(text, names), 30))
    return max(0.0, abs(value / scale - float(decimal)) - 0.5 * 10.0**-decimals)
