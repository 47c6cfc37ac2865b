r"""The site's TeX formulas read as sympy expressions, so that a statement can be compared with
the expressions its checks use (`checks.states`).

The reader covers the notation of the claims: + − · ⊙ / and juxtaposition, powers and
transposes, \frac and \tfrac, d/dx, \sqrt, |…| and ‖…‖, \log \ln \exp and the trigonometric
functions, tuples (column vectors), and names. A name (a letter with its subscript, a Greek
letter, an \operatorname) means what the claim binds it to: a sympy expression, a matrix or a
function; σ, softplus, softmax, LSE and diag have their usual meaning unless the claim binds
them. A name may also be a piece of TeX (\nabla_z H, \sum_i p_i) that stands for a value.
Anything else (sums, expectations, ∇) raises `Unreadable`.

>>> import sympy as sp
>>> x, y = sp.symbols("x y")
>>> read(r"\tfrac12(x - y)^2", {"x": x, "y": y})
(x - y)**2/2
>>> parts(r"\sigma'(z) = \sigma(z)\big(1 - \sigma(z)\big) \le \tfrac14")
(["\\sigma'(z)", '\\sigma(z)\\big(1 - \\sigma(z)\\big)', '\\tfrac14'], ['=', '\\le'])
>>> read(r"\frac{d}{dx}\,\tfrac12(x - y)^2", {"x": x, "y": y})
x - y
>>> read(r"\|x - y\|_2^2", {"x": x, "y": y}) == read(r"\|x - y\|^2", {"x": x, "y": y})
True
>>> read(r"\sum_i p_i", {})
Traceback (most recent call last):
...
tex.Unreadable: cannot read \sum in $\sum_i p_i$

A claim may bind an operator such as \sum_n to a function marked `takes_product`: it then
applies to the whole product that follows, not only to the bracket after it.

>>> over_two = operator([{x: 1}, {x: 2}])
>>> read(r"\sum_n (x - y)\, x", {"x": x, "y": y, r"\sum_n": over_two})
5 - 3*y
>>> read(r"\max_n x^2", {"x": x, r"\max_n": operator([{x: -3}, {x: 2}], combine=sp.Max)})
9
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import sympy as sp

RELATIONS = ("=", r"\le", r"\ge", "<", ">", r"\ne", r"\approx", r"\in", r"\to")
_SPELLINGS = {r"\leq": r"\le", r"\geq": r"\ge", r"\neq": r"\ne"}
# Sizes and spaces change how a formula looks, not what it says.
_LAYOUT = re.compile(
    r"\\(?:left|right|[bB]igg?[lr]?|textstyle|displaystyle|quad|qquad)(?![a-zA-Z])"
    r"|\\[,;:! ]|~"
)
_SCANNER = re.compile(
    rf"(?P<layout>{_LAYOUT.pattern}|\s+)"
    r"|(?P<token>\\[a-zA-Z]+|\\\||\\[{}]|\d+(?:\.\d+)?|[a-zA-Z]|\S)"
)
_FUNCTIONS: dict[str, Callable] = {
    r"\log": sp.log,
    r"\ln": sp.log,
    r"\exp": sp.exp,
    r"\sin": sp.sin,
    r"\cos": sp.cos,
    r"\tan": sp.tan,
    r"\arctan": sp.atan,
    r"\sinh": sp.sinh,
    r"\cosh": sp.cosh,
    r"\tanh": sp.tanh,
    r"\max": sp.Max,
    r"\min": sp.Min,
}
# The opening of \frac{d}{dx} and \frac{\partial}{\partial x}: a derivative, not a fraction.
_DERIVATIVES = (["{", "d", "}", "{"], ["{", r"\partial", "}", "{"])
_CONSTANTS = {r"\pi": sp.pi, r"\infty": sp.oo}
_FRACTIONS = (r"\frac", r"\tfrac", r"\dfrac")
_UNREADABLE = (
    r"\sum",
    r"\prod",
    r"\int",
    r"\mathbb",
    r"\nabla",
    r"\partial",
    r"\sup",
    r"\inf",
    r"\text",
    r"\sim",
    r"\mid",
    r"\dots",
    r"\delta",
)


def _softmax(z: sp.Matrix) -> sp.Matrix:
    exponentials = z.applyfunc(sp.exp)
    return exponentials / sum(exponentials)


# The site's named functions, unless a claim binds the name to something else.
FUNCTIONS: dict[str, Callable] = {
    "sigma": lambda z: 1 / (1 + sp.exp(-z)),
    "softplus": lambda z: sp.log(1 + sp.exp(z)),
    "softmax": _softmax,
    "LSE": lambda z: sp.log(sum(z.applyfunc(sp.exp))),
    "diag": lambda z: sp.diag(*z),
}


class Unreadable(ValueError):
    """A formula in notation the reader does not cover, or with a name the claim left unbound."""


def _scan(tex: str) -> Iterator[re.Match]:
    """The tokens of a formula with their places in it, layout left out."""
    for match in _SCANNER.finditer(tex):
        if match.lastgroup == "token":
            yield match


def tokens(tex: str) -> list[str]:
    tex = tex.replace("{,}", "")  # a thousands separator: 3{,}078.9
    return [_SPELLINGS.get(match[0], match[0]) for match in _scan(tex)]


def parts(tex: str) -> tuple[list[str], list[str]]:
    """The sides of a formula, as written, and the relations between them (outside brackets)."""
    sides, relations, depth, start = [], [], 0, 0
    for match in _scan(tex):
        token = _SPELLINGS.get(match[0], match[0])
        depth += token in ("(", "[", "{", r"\{")
        depth -= token in (")", "]", "}", r"\}")
        if depth == 0 and token in RELATIONS:
            sides.append(tex[start : match.start()].strip())
            relations.append(token)
            start = match.end()
    sides.append(tex[start:].strip())
    return sides, relations


def read(tex: str, names: dict):
    """The value of a formula without relations, its names bound to sympy values."""
    tex, names = _fragments_named(tex, names)
    reader = _Reader(tokens(tex), names, tex)
    try:
        value = reader.sum()
    except (TypeError, sp.ShapeError) as error:
        raise Unreadable(f"cannot compute ${tex}$: {error}") from error
    if not reader.done():
        raise reader.unreadable()
    return value


def _fragments_named(tex: str, names: dict) -> tuple[str, dict]:
    r"""A name may be a piece of TeX (such as \nabla_z H or \sum_i p_i) that stands for a value:
    it is read as one name. A list or tuple is a column vector."""
    names = {
        name: sp.Matrix(value) if isinstance(value, list | tuple) else value
        for name, value in names.items()
    }
    for number, fragment in enumerate(sorted(names, key=len, reverse=True)):
        if not re.fullmatch(r"[A-Za-z]+'*(?:_\w+)?", fragment) and fragment in tex:
            key = f"fragment{number}"
            tex = tex.replace(fragment, rf" \operatorname{{{key}}} ")
            names[key] = names[fragment]
    return tex, names


def mutants(tex: str) -> Iterator[str]:
    """The formula with one sign flipped, one digit changed or the two names around a − or +
    swapped (y − x for x − y), one change at a time."""
    pieces = tokens(tex)
    name = re.compile(r"[a-zA-Z]|\\[a-zA-Z]+")
    for index, token in enumerate(pieces):
        if token in "+-":
            yield " ".join([*pieces[:index], "-" if token == "+" else "+", *pieces[index + 1 :]])
            before, after = pieces[index - 1 : index], pieces[index + 1 : index + 2]
            if (
                before
                and after
                and before != after
                and name.fullmatch(before[0])
                and name.fullmatch(after[0])
                and pieces[index + 2 : index + 3] not in (["_"], ["^"])
            ):
                swapped = [*pieces[: index - 1], after[0], token, before[0]]
                yield " ".join([*swapped, *pieces[index + 2 :]])
        elif token.isdigit():
            changed = str(int(token[0]) % 9 + 1) + token[1:]
            yield " ".join([*pieces[:index], changed, *pieces[index + 1 :]])


class _Reader:
    """Recursive descent over tokens, computing the value as it goes."""

    def __init__(self, pieces: list[str], names: dict, tex: str) -> None:
        self.pieces, self.names, self.tex, self.at = pieces, names, tex, 0
        self.closing: list[str] = []  # the |, ‖ or \rvert that ends the bracket being read

    def peek(self) -> str | None:
        return self.pieces[self.at] if self.at < len(self.pieces) else None

    def take(self, expected: str | None = None) -> str:
        token = self.peek()
        if token is None or (expected is not None and token != expected):
            raise self.unreadable()
        self.at += 1
        return token

    def done(self) -> bool:
        return self.at == len(self.pieces)

    def unreadable(self, what: str | None = None) -> Unreadable:
        what = what or (self.peek() or "the end")
        return Unreadable(f"cannot read {what} in ${self.tex}$")

    # sum := ['+'|'-'] product (('+'|'-') product)*
    def sum(self):
        value = None
        while True:
            sign = 1
            if self.peek() in ("+", "-"):
                sign = -1 if self.take() == "-" else 1
            elif value is not None:
                return value
            term = sign * self.product() if sign == -1 else self.product()
            value = term if value is None else _add(value, term)

    # product := power ((/ | \cdot | \times | \odot | nothing) power)*
    def product(self):
        value = self.power()
        while True:
            token = self.peek()
            if token in ("/", r"\cdot", r"\times", r"\odot"):
                self.take()
                value = _combine(token, value, self.power())
            elif self.starts_factor(token):
                value = _combine("", value, self.power())
            else:
                return value

    def starts_factor(self, token: str | None) -> bool:
        if token is None or token in RELATIONS or token in self.closing[-1:]:
            return False
        return bool(
            re.fullmatch(r"[a-zA-Z0-9(\[{|]|\\(?!cdot|times|odot|rvert|rVert)[a-zA-Z|]+", token)
        )

    # power := primary ('^' argument | "'")*
    def power(self):
        value = self.primary()
        while self.peek() == "^":
            self.take()
            if self.peek() == r"\top":
                self.take()
                value = value.T
            else:
                value = _power(value, self.argument())
        return value

    def argument(self):
        """One TeX argument: a braced group, one digit of a number, or one token."""
        token = self.peek()
        if token == "{":
            return self.group("{", "}")
        if token is not None and token[:1].isdigit() and len(token) > 1 and "." not in token:
            self.pieces[self.at] = token[1:]
            return sp.Integer(token[0])
        return self.primary()

    def group(self, opening: str, closing: str):
        self.take(opening)
        self.closing.append(closing)
        entries = [self.sum()]
        while self.peek() == ",":
            self.take()
            entries.append(self.sum())
        self.closing.pop()
        self.take(closing)
        return entries[0] if len(entries) == 1 else sp.Matrix(entries)

    def primary(self):
        token = self.peek()
        if token is None:
            raise self.unreadable()
        if token[0].isdigit():
            self.take()
            return sp.Rational(token)
        if token in ("(", "[", "{"):
            return self.group(token, {"(": ")", "[": "]", "{": "}"}[token])
        if token in ("|", r"\lvert"):
            return sp.Abs(self.group(token, "|" if token == "|" else r"\rvert"))
        if token in (r"\|", r"\lVert"):
            norm = _norm(self.group(token, r"\|" if token == r"\|" else r"\rVert"))
            if self.pieces[self.at : self.at + 2] == ["_", "2"]:  # ‖v‖₂ names the same norm
                self.at += 2
            return norm
        if token in _FRACTIONS and self.pieces[self.at + 1 : self.at + 5] in _DERIVATIVES:
            return self.derivative()
        if token in _FRACTIONS:
            self.take()
            numerator = self.argument()
            return _combine("/", numerator, self.argument())
        if token == r"\sqrt":
            self.take()
            return sp.sqrt(self.argument())
        if token in _FUNCTIONS and token[1:] not in self.names:
            return self.function(_FUNCTIONS[self.take()])
        if token in _CONSTANTS and token[1:] not in self.names:
            self.take()
            return _CONSTANTS[token]
        if token in _UNREADABLE or token in RELATIONS:
            raise self.unreadable(token)
        return self.name()

    def derivative(self):
        """d/dx (or ∂/∂x) of the product that follows: \frac{d}{dx} F."""
        self.at += 5  # \frac { d } {
        self.take()  # d or \partial, then the name of the variable
        variable = self.name()
        self.take("}")
        return sp.diff(self.product(), variable)

    def name(self):
        token = self.take()
        if token == r"\operatorname" or token == r"\mathbf":
            self.take("{")
            token = ""
            while self.peek() != "}":
                token += self.take()
            self.take("}")
        key = token.removeprefix("\\")
        while self.peek() == "'":
            key += self.take()
        if self.peek() == "_":
            self.take()
            key += "_" + self.subscript()
        if key not in self.names and key not in FUNCTIONS:
            if key == "e":  # Euler's number, unless the claim names an e
                return sp.E
            raise self.unreadable(f"{key} (the claim does not say what it is)")
        value = self.names[key] if key in self.names else FUNCTIONS[key]
        if isinstance(value, sp.Lambda) or (
            callable(value) and not isinstance(value, sp.Basic | sp.MatrixBase)
        ):
            return self.function(value)
        return value

    def subscript(self) -> str:
        if self.peek() != "{":
            return self.take().removeprefix("\\")
        self.take("{")
        text = ""
        while self.peek() != "}":
            text += self.take().removeprefix("\\")
        self.take("}")
        return text

    def function(self, function: Callable):
        """A function's value at its argument: in brackets, or the product that follows (always
        the product for an operator such as a sum, marked `takes_product`)."""
        exponent = None
        if self.peek() == "^":
            self.take()
            exponent = self.argument()
        if getattr(function, "takes_product", False):
            arguments = [self.product()]
        elif self.peek() in ("(", "["):
            opening = self.peek()
            self.take()
            self.closing.append(")" if opening == "(" else "]")
            arguments = [self.sum()]
            while self.peek() == ",":
                self.take()
                arguments.append(self.sum())
            self.take(self.closing.pop())
        else:
            arguments = [self.product()]
        value = function(*arguments)
        return value if exponent is None else _power(value, exponent)


def operator(points: list[dict], combine: Callable | None = None) -> Callable:
    r"""An operator over an index, such as \sum_n or \max_i, for a claim to bind: the whole
    product after it, its placeholders (the index's terms, as the claim names them) replaced by
    each point's values in turn, combined (summed unless combine is given: sp.Max, say)."""

    def apply(term):
        terms = [term.xreplace(point) for point in points]
        return combine(*terms) if combine else sum(terms[1:], terms[0])

    apply.takes_product = True
    return apply


def _add(left, right):
    """left + right, a number added to every entry of a vector (as in q − p − c)."""
    if isinstance(left, sp.MatrixBase) != isinstance(right, sp.MatrixBase):
        matrix, number = (left, right) if isinstance(left, sp.MatrixBase) else (right, left)
        return matrix.applyfunc(lambda entry: entry + number)
    return left + right


def _combine(operator: str, left, right):
    """left times, over, dot or elementwise-times right; vectors are sympy column matrices."""
    matrices = isinstance(left, sp.MatrixBase), isinstance(right, sp.MatrixBase)
    if operator == "/":
        if matrices[1]:
            left = left if matrices[0] else right.applyfunc(lambda _: left)
            return left.multiply_elementwise(right.applyfunc(lambda entry: 1 / entry))
        return left / right
    if operator == r"\odot":
        return left.multiply_elementwise(right)
    if operator == r"\cdot" and all(matrices):
        return left.dot(right)
    return left * right


def _power(base, exponent):
    """Entrywise for vectors: q^2 squares each entry, e^{Xw} exponentiates each."""
    if isinstance(base, sp.MatrixBase):
        return base.applyfunc(lambda entry: entry**exponent)
    if isinstance(exponent, sp.MatrixBase):
        return exponent.applyfunc(lambda entry: base**entry)
    return base**exponent


def _norm(value):
    if isinstance(value, sp.MatrixBase):
        return sp.sqrt(sum(entry**2 for entry in value))
    return sp.Abs(value)
