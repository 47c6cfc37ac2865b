"""Checked derivations: a display equation `a = b = c ≤ d` verified step by step.

The displayed TeX itself is read (sympy's LaTeX parser, ANTLR backend), after rewrites that
change notation only (spacing, delimiter sizes, \\tfrac, trailing punctuation). Every symbol's
domain is stated by the page (see `Assumptions`); a symbol without one is an error, so no step
holds only for values the page never meant.

Each `=` step must pass twice: sympy simplifies the difference of its two sides to 0, and the
two sides agree at random points of the stated domains (a numeric spot check, which catches a
simplification that sympy got wrong or a parse that lost a term). An inequality step is checked
at the random points only, which the report says.
"""

from __future__ import annotations

import functools
import itertools
import random
import re
import zlib
from dataclasses import dataclass, field

_RELATIONS = {"=": "=", r"\le": "≤", r"\leq": "≤", "<": "<", r"\ge": "≥", r"\geq": "≥", ">": ">"}
_RELATION = re.compile(r"\\leq?(?![a-zA-Z])|\\geq?(?![a-zA-Z])|[=<>]")
# Rewrites that change how a formula looks, not what it says.
_NOTATION = [
    # A chain set on several lines, `\begin{aligned} a &= b \\ &= c \end{aligned}`, is one chain.
    (
        re.compile(r"\\begin\{aligned\}(.*?)\\end\{aligned\}", re.DOTALL),
        lambda aligned: re.sub(r"&|\\\\", " ", aligned[1]),
    ),
    (re.compile(r"\\label\s*\{[^{}]*\}"), " "),
    (re.compile(r"\\[tdc]frac(?![a-zA-Z])"), r"\\frac"),
    (re.compile(r"\\(?:[Bb]igg?|left|right)[lr]?(?![a-zA-Z])\s*"), ""),
    (re.compile(r"\\[,;:! ]|\\q?quad(?![a-zA-Z])|~"), " "),
    (re.compile(r"\\operatorname\s*\{([A-Za-z]+)\}"), r"\\mathit{\1}"),
    (re.compile(r"\\bar\s*\{?([A-Za-z])\}?"), r"\1_{bar}"),
    (re.compile(r"\\partial(?![a-zA-Z])"), "d"),
    (re.compile(r"\\[lr]vert(?![a-zA-Z])"), "|"),
    (re.compile(r"\\frac\s*(\w)\s*(\w)"), r"\\frac{\1}{\2}"),
]
# A letter, perhaps subscripted, before "(": `\\log(` is a command, `p_i (` maybe a product.
_FACTOR_BEFORE_PARENTHESIS = re.compile(
    r"(?P<command>\\[A-Za-z]*)?(?<![A-Za-z])(?P<name>[A-Za-z](?:_\{[^{}]*\}|_\w)?)\s*\("
)
# dX/dv as a whole expression: the derivative of X.
_DERIVATIVE_OF = re.compile(
    r"\\frac\s*\{\s*d\s*(?P<body>[^{}]*(?:\{[^{}]*\}[^{}]*)*)\}\s*\{\s*d\s*(?P<variable>[A-Za-z](?:_\{?\w+\}?)?)\s*\}"
)
# A sum without bounds, `\sum_i`, over 1 … n when the marker says `sums: n`.
_UNBOUNDED_SUM = re.compile(r"\\sum_\{?([a-z])\}?(?![{=^\w])")
# d/dv applied to the rest of an expression, v with a subscript.
_DERIVATIVE = re.compile(
    r"\\frac\s*\{\s*d\s*\}\s*\{\s*d\s*(?P<variable>[A-Za-z]_\{?\w+\}?)\s*\}(?P<body>.+)", re.DOTALL
)
# Independent formulas shown side by side: `a = b, \qquad c = d`.
SIDE_BY_SIDE = re.compile(r",\s*\\qquad")
_MAX_SIZE = 4
_SAMPLE_POINTS = 5
_INEQUALITY_POINTS = 40
_RELATIVE_TOLERANCE = 1e-9


class DerivationError(ValueError):
    """A derivation that does not hold, or that cannot be read: the message says which step."""


@dataclass(frozen=True)
class Assumptions:
    """The domains of a derivation's symbols, as its marker states them.

    `<!-- derivation; real: x y; positive: sigma alpha; integer: n; functions: L -->`:
    names are written as sympy names them (`alpha`, `x_n`, `y_i`; braces are ignored).
    """

    real: frozenset[str] = frozenset()
    positive: frozenset[str] = frozenset()
    integer: frozenset[str] = frozenset()
    functions: frozenset[str] = frozenset()
    # `sequences: x y`: every x_k is the term k of a sequence x (in or out of a sum), its
    # domain that of x.
    sequences: frozenset[str] = frozenset()
    # `sums: n`: a sum written without bounds, `\sum_i`, runs over i = 1 … n.
    sums: str = ""
    # `where: \bar y = \frac1n \sum_{i=1}^{n} y_i`, on a line of its own: the TeX of a name
    # the chain uses, replaced by its definition before the chain is read.
    where: tuple[tuple[str, str], ...] = ()
    # `given: |q\pi - p| < 1/Q`, on a line of its own: a premise; random points satisfy it.
    given: tuple[str, ...] = ()

    @classmethod
    def parse(cls, text: str) -> Assumptions:
        """Parts separated by ";" or new lines; a `where:` part (TeX) only by new lines."""
        fields: dict[str, set[str]] = {name: set() for name in cls.__dataclass_fields__}
        where, given, sums = [], [], ""
        parts = [
            part.strip()
            for line in text.splitlines()
            for part in (
                [line] if line.strip().startswith(("where:", "given:")) else line.split(";")
            )
        ]
        for part in filter(None, parts):
            kind, colon, names = part.partition(":")
            if colon and kind.strip() == "where":
                symbol, equals, definition = names.partition("=")
                if not equals:
                    raise DerivationError(f"cannot read '{part}': write 'where: s = TeX'")
                where.append((symbol.strip(), definition.strip()))
            elif colon and kind.strip() == "given":
                given.append(names.strip())
            elif not colon or kind.strip() not in fields or kind.strip() in ("where", "given"):
                raise DerivationError(
                    f"cannot read '{part}': write 'real: x y', 'positive: …', 'integer: …',"
                    " 'functions: …', 'sequences: …', 'sums: n', 'where: s = TeX' or"
                    " 'given: TeX relation'"
                )
            elif kind.strip() == "sums":
                sums = names.strip()
            else:
                fields[kind.strip()] |= {_plain(name) for name in names.split()}
        fields.pop("where")
        fields.pop("given")
        fields.pop("sums")
        return cls(
            **{name: frozenset(names) for name, names in fields.items()},
            where=tuple(where),
            given=tuple(given),
            sums=sums,
        )

    def domain(self, name: str) -> str | None:
        for kind in ("integer", "positive", "real"):
            if name in getattr(self, kind):
                return kind
        return None


@dataclass
class Step:
    left: str
    relation: str
    right: str
    symbolic: bool  # False: checked at random points only (an inequality)
    # Sizes (integer symbols) at which sympy checked the step when it could not in general.
    sizes: str = ""


@dataclass
class Derivation:
    steps: list[Step] = field(default_factory=list)


def _plain(name: str) -> str:
    # The parser names `y_{bar}` "y_{b*(a*r)}": its subscript is read as a product.
    return re.sub(r"[{}\\*() ]", "", name)


def _unwrapped(tex: str, command: str, braces: bool) -> str:
    """`\\underbrace{X}_{label}` is X with a name under it, `\\boxed{X}` X in a box.

    braces keeps X in braces (a group), which a box must not: its = is a relation.
    """
    while (start := tex.find(f"\\{command}{{")) >= 0:
        depth, position = 0, start
        for position in range(start + len(command) + 1, len(tex)):
            depth += {"{": 1, "}": -1}.get(tex[position], 0)
            if depth == 0:
                break
        body = tex[start + len(command) + 2 : position]
        rest = tex[position + 1 :]
        if command == "underbrace":
            rest = re.sub(r"^\s*_\s*(\{[^{}]*(\{[^{}]*\}[^{}]*)*\}|\S)", "", rest)
        tex = f"{tex[:start]}{{{body}}}{rest}" if braces else f"{tex[:start]}{body}{rest}"
    return tex


def notation_free(tex: str) -> str:
    """The formula's TeX without the notation-only differences (see _NOTATION), and without
    the punctuation that ends its sentence or clause (. , ; :), spaced or not.

    >>> notation_free(r"f(u) = c \\log u + d .") == notation_free(r"f(u) = c \\log u + d")
    True
    >>> notation_free(r"\\begin{aligned} a &= b \\\\ &= c, \\end{aligned}")
    'a = b = c'
    """
    tex = _unwrapped(_unwrapped(tex, "underbrace", braces=True), "boxed", braces=False)
    for pattern, replacement in _NOTATION:
        tex = pattern.sub(replacement, tex)
    return re.sub(r"\s*[.,;:]\s*$", "", " ".join(tex.split()))


def split_chain(tex: str) -> tuple[list[str], list[str]]:
    """The expressions of `a = b ≤ c` and the relations between them (outside braces)."""
    parts, relations, depth, start = [], [], 0, 0
    position = 0
    while position < len(tex):
        char = tex[position]
        if char in "{([":
            depth += 1
        elif char in "})]":
            depth -= 1
        elif depth == 0 and (match := _RELATION.match(tex, position)):
            parts.append(tex[start:position])
            relations.append(_RELATIONS[match[0]])
            position = start = match.end()
            continue
        position += 1
    parts.append(tex[start:])
    return [part.strip() for part in parts], relations


@functools.cache
def _sympy():
    import sympy

    return sympy


def _parse_latex(tex: str):
    """sympy's `parse_latex` (ANTLR backend), with ANTLR's two-stage prediction: the fast SLL
    mode first, and the full LL mode only on a syntax error.

    sympy's own function predicts in LL mode throughout, and ANTLR's Python runtime then takes
    about 0.1 s per formula; SLL takes a tenth of that and, where it succeeds on a grammar
    without ambiguities, builds the same tree (ANTLR 4's "two-stage parsing", its
    `PredictionMode` docs). Every formula of the site parses to the same expression either way.
    """
    import antlr4
    from antlr4.atn.PredictionMode import PredictionMode
    from sympy.parsing.latex import _parse_latex_antlr as latex
    from sympy.parsing.latex.errors import LaTeXParsingError

    tex = tex.strip()
    for mode in (PredictionMode.SLL, PredictionMode.LL):
        errors = latex.MathErrorListener(tex)
        lexer = latex.LaTeXLexer(antlr4.InputStream(tex))
        lexer.removeErrorListeners()
        lexer.addErrorListener(errors)
        parser = latex.LaTeXParser(antlr4.CommonTokenStream(lexer))
        parser._interp.predictionMode = mode
        parser.removeErrorListeners()
        parser.addErrorListener(errors)
        try:
            return latex.convert_relation(parser.math().relation())
        except LaTeXParsingError:
            if mode == PredictionMode.LL:
                raise


def to_sympy(tex: str, assumptions: Assumptions):
    """One expression of a chain as sympy, its symbols given their stated domains."""
    whole = _DERIVATIVE_OF.fullmatch(tex.strip())
    if whole and whole["body"].strip():
        tex = f"\\frac{{d}}{{d {whole['variable']}}} ({whole['body']})"
    # A `where:` name is replaced by its definition, longest name first, before parsing; again
    # while a definition brought in another name.
    for _ in range(len(assumptions.where)):
        before = tex
        for name, definition in sorted(assumptions.where, key=lambda item: -len(item[0])):
            # Whole names only: the q of `where: q = …` is not the q of \\sqrt.
            pattern = rf"(?<![A-Za-z\\]){re.escape(notation_free(name))}(?![A-Za-z])"
            tex = re.sub(pattern, lambda _, d=definition: f"({notation_free(d)})", tex)
        if tex == before:
            break
    if assumptions.sums:
        tex = _UNBOUNDED_SUM.sub(rf"\\sum_{{\1=1}}^{{{assumptions.sums}}}", tex)
    derivative = _DERIVATIVE.fullmatch(tex)
    if derivative:  # the parser reads d/dv only for a variable without subscript
        sp = _sympy()
        body = to_sympy(derivative["body"], assumptions)
        variable = _read(derivative["variable"], assumptions)
        return sp.diff(body, variable).doit()
    return _read(tex, assumptions).doit()


def _indexed(sp, expression, assumptions: Assumptions):
    """Inside a sum over i, the symbol y_i is the i-th term of a sequence y."""
    if not isinstance(expression, sp.Sum):
        if not expression.args:
            return expression
        return expression.func(*(_indexed(sp, arg, assumptions) for arg in expression.args))
    body = _indexed(sp, expression.function, assumptions)
    for index, *_ in expression.limits:
        for symbol in body.free_symbols:
            base, underscore, subscript = _plain(symbol.name).partition("_")
            if underscore and subscript == index.name:
                kind = {"positive": {"positive": True}}.get(
                    assumptions.domain(symbol.name), {"real": True}
                )
                # Its own name: a plain y may stand beside the sequence y_1, …, y_n.
                sequence = sp.IndexedBase(sp.Symbol(f"{base}_seq", **kind))
                body = body.xreplace({symbol: sequence[index]})
    return sp.Sum(body, *expression.limits)


def _sequence_labels(sp, expression) -> set:
    return {term.base.label for term in expression.atoms(sp.Indexed)}


def _sequence_terms(sp, expression, assumptions: Assumptions):
    """x_k as the term k of the sequence x, for the sequences the marker names."""
    replacements = {}
    for symbol in expression.free_symbols:
        base, underscore, subscript = _plain(symbol.name).partition("_")
        if underscore and base in assumptions.sequences and subscript.isalnum():
            kind = {"positive": {"positive": True}}.get(assumptions.domain(base), {"real": True})
            index = sp.Integer(subscript) if subscript.isdigit() else sp.Symbol(subscript)
            sequence = sp.IndexedBase(sp.Symbol(f"{base}_seq", **kind))
            replacements[symbol] = sequence[index]
    return expression.xreplace(replacements)


def _products(tex: str, assumptions: Assumptions) -> str:
    """`p_i (q_i - 1)^3` is a product: the parser would apply a function p_i and cube its value.

    A letter (with its subscript) before a parenthesis is a factor unless the marker declares
    it a function; commands (\\log, \\sin) keep their parentheses.
    """

    def factor(match: re.Match) -> str:
        if match["command"] or _plain(match["name"]) in assumptions.functions:
            return match[0]
        return f"{match['name']} \\cdot ("

    return _FACTOR_BEFORE_PARENTHESIS.sub(factor, tex)


def _read(tex: str, assumptions: Assumptions):
    sp = _sympy()
    tex = _products(tex, assumptions)
    try:
        expression = _parse_latex(tex)
    except Exception as error:  # the parser raises its own exception types
        raise DerivationError(f"sympy cannot read '{tex}': {error}".split("\n")[0]) from None
    # A name applied to parentheses is a product unless the page declared a function.
    for call in sorted(expression.atoms(sp.core.function.AppliedUndef), key=str):
        name = _plain(call.func.__name__)
        if name in ("max", "min"):  # the parser leaves \\max(a, b) undefined
            expression = expression.subs(call, {"max": sp.Max, "min": sp.Min}[name](*call.args))
        elif name not in assumptions.functions:
            if len(call.args) != 1:
                raise DerivationError(
                    f"'{name}' is applied to {len(call.args)} arguments in"
                    f" '{tex}': declare it under 'functions:'"
                )
            expression = expression.subs(call, sp.Symbol(call.func.__name__) * call.args[0])
    expression = _sequence_terms(sp, expression, assumptions)
    replacements = {}
    for symbol in expression.free_symbols:
        if isinstance(symbol, sp.Indexed) or symbol in _sequence_labels(sp, expression):
            continue
        name = _plain(symbol.name)
        if name in ("e", "pi"):
            replacements[symbol] = {"e": sp.E, "pi": sp.pi}[name]
            continue
        domain = assumptions.domain(name)
        if domain is None and name not in assumptions.functions:
            raise DerivationError(
                f"the symbol {name} in '{tex}' has no stated domain: add it to the marker"
                " (real:, positive: or integer:)"
            )
        kind = {
            "real": {"real": True},
            "positive": {"positive": True},
            "integer": {"integer": True, "positive": True},
        }[domain]
        replacements[symbol] = sp.Symbol(name, **kind)
    return _indexed(sp, expression.xreplace(replacements), assumptions)


def _equal_symbolically(sp, left, right) -> bool:
    difference = left - right
    for simplify in (sp.simplify, lambda e: sp.simplify(sp.expand_log(sp.expand(e), force=True))):
        if simplify(difference) == 0:
            return True
    return _equal_by_signs(sp, difference)


def _equal_by_signs(sp, difference) -> bool:
    """|z|, max and min: sympy simplifies them once each real symbol's sign is known, so the
    difference must vanish for every sign of the symbols inside them."""
    kinks = difference.atoms(sp.Abs, sp.Max, sp.Min)
    symbols = sorted({s for kink in kinks for s in kink.free_symbols if not s.is_positive}, key=str)
    if not kinks or not symbols or len(symbols) > 3:
        return False
    positive = {s: sp.Symbol(f"{s.name}_abs", positive=True) for s in symbols}
    for signs in itertools.product((1, -1), repeat=len(symbols)):
        case = {s: sign * positive[s] for s, sign in zip(symbols, signs, strict=True)}
        if sp.simplify(difference.xreplace(case)) != 0:
            return False
    return True


def _equal_at_sizes(sp, left, right, premises) -> str:
    """For a step about sums of any length that sympy cannot simplify in general: check it
    symbolically at every size from 1 to _MAX_SIZE allowed by the premises. Returns the sizes
    checked ("" when the step has no size, or fails at one)."""
    difference = left - right
    sizes = sorted(
        (s for s in difference.free_symbols if s.is_integer and not isinstance(s, sp.Indexed)),
        key=str,
    )
    if not sizes:
        return ""
    checked = 0
    for values in itertools.product(range(1, _MAX_SIZE + 1), repeat=len(sizes)):
        point = dict(zip(sizes, values, strict=True))
        if not all(bool(premise.subs(point)) for premise in premises):
            continue
        if sp.simplify(difference.subs(point).doit()) != 0:
            return ""
        checked += 1
    names = ", ".join(map(str, sizes))
    return f"{names} from 1 to {_MAX_SIZE}" if checked else ""


def _scalars(sp, expression) -> set:
    """The free symbols that take a value at a point (not a sequence or its terms)."""
    terms = expression.atoms(sp.Indexed)
    return expression.free_symbols - terms - {term.base.label for term in terms}


def _points(sp, symbols, premises, seed: int, count: int):
    """Random points of the symbols' domains at which every premise holds."""
    rng = random.Random(seed)
    symbols = sorted(set(symbols).union(*(p.free_symbols for p in premises)), key=str)
    holds = [_compiled(sp, premise, symbols) for premise in premises]
    for _ in range(count):
        for _attempt in range(10_000):
            point = {}
            for symbol in symbols:
                if symbol.is_integer:
                    point[symbol] = rng.randint(1, 6)
                elif symbol.is_positive:
                    point[symbol] = sp.Float(rng.uniform(0.2, 3.0))
                else:
                    point[symbol] = sp.Float(rng.uniform(-3.0, 3.0))
            if all(bool(premise(point)) for premise in holds):
                break
        else:
            raise DerivationError("no random point satisfies the premises (given:)")
        yield point


def _compiled(sp, expression, symbols):
    """The expression as a function of a point, evaluated in mpmath at 30 digits.

    Compiled once (lambdify) where it can be: substituting a point into the sympy tree costs
    milliseconds, mostly in the assumptions system, and an inequality is checked at 40 points.
    Declared functions and unevaluated derivatives or integrals are substituted instead.
    A sequence's terms get values from `_Terms`, the same on both sides of a step.
    """
    import mpmath

    labels = sorted(_sequence_labels(sp, expression), key=str)
    if expression.atoms(sp.Derivative, sp.Integral, sp.core.function.AppliedUndef):

        def substituted(point):
            result = expression.subs(point).doit()
            if isinstance(result, sp.logic.boolalg.Boolean):
                return result
            terms = {
                term: _Terms(term.base.label, point)[
                    term.indices[0] if len(term.indices) == 1 else term.indices
                ]
                for term in result.atoms(sp.Indexed)
            }
            return sp.N(result.subs(terms), 30)

        return substituted
    function = sp.lambdify([*symbols, *labels], expression, modules="mpmath")

    def value(point):
        scalars = (point[s] if s.is_integer else mpmath.mpf(point[s]) for s in symbols)
        with mpmath.workdps(30):
            return function(*scalars, *(_Terms(label, point) for label in labels))

    return value


class _Terms:
    """The terms y_1, y_2, … of the sequence y at a point, random: each seeded by the point and
    its index, so that both sides of a step see the same values."""

    def __init__(self, label, point) -> None:
        self.label = label
        self.seed = f"{sorted(point.items(), key=str)}:{label}"

    def __getitem__(self, index) -> float:
        rng = random.Random(f"{self.seed}[{index}]")
        return rng.uniform(0.2, 3.0) if self.label.is_positive else rng.uniform(-3.0, 3.0)


def _value(evaluate, point, tex: str) -> complex:
    try:
        value = complex(evaluate(point))
    except (ArithmeticError, RecursionError, TypeError, ValueError) as error:
        raise DerivationError(f"'{tex}' cannot be evaluated at {point}: {error}") from None
    if value != value or abs(value) == float("inf"):
        raise DerivationError(f"'{tex}' is not finite at {point}")
    return value


@functools.lru_cache(maxsize=512)  # serve rebuilds and tests check unchanged equations again
def check_chain(tex: str, assumptions: Assumptions) -> Derivation:
    """Verify every step of a display equation; raise DerivationError naming the first false one."""
    derivation = Derivation()
    for chain in SIDE_BY_SIDE.split(tex):
        _check_one_chain(chain, assumptions, derivation)
    return derivation


def _check_one_chain(tex: str, assumptions: Assumptions, derivation: Derivation) -> None:
    sp = _sympy()
    texts, relations = split_chain(notation_free(tex))
    if not relations:
        raise DerivationError(f"'{tex.strip()}' has no relation (=, ≤, <, ≥, >) to check")
    expressions = [to_sympy(text, assumptions) for text in texts]
    # Each compiled once, in its own symbols: a step's points give values to those of both sides.
    evaluators = [_compiled(sp, e, sorted(_scalars(sp, e), key=str)) for e in expressions]
    premises = [to_sympy(notation_free(premise), assumptions) for premise in assumptions.given]
    seed = zlib.crc32(tex.encode())
    for index, relation in enumerate(relations):
        left, right = expressions[index], expressions[index + 1]
        where = (
            f"step {len(derivation.steps) + 1}: '{texts[index]}' {relation} '{texts[index + 1]}'"
        )
        symbols = sorted(_scalars(sp, left) | _scalars(sp, right), key=str)
        sizes = ""
        if relation == "=":
            if not _equal_symbolically(sp, left, right):
                sizes = _equal_at_sizes(sp, left, right, premises)
                if not sizes:
                    raise DerivationError(
                        f"{where} does not hold: sympy does not simplify"
                        f" the difference to 0 ({sp.simplify(left - right)})"
                    )
            count = _SAMPLE_POINTS
        else:
            count = _INEQUALITY_POINTS
        for point in _points(sp, symbols, premises, seed + index, count):
            a = _value(evaluators[index], point, texts[index])
            b = _value(evaluators[index + 1], point, texts[index + 1])
            scale = _RELATIVE_TOLERANCE * (1 + abs(a) + abs(b))
            holds = {
                "=": abs(a - b) <= scale,
                "≤": a.real <= b.real + scale,
                "<": a.real < b.real + scale,
                "≥": a.real + scale >= b.real,
                ">": a.real + scale > b.real,
            }[relation]
            if not holds or (relation != "=" and (abs(a.imag) > scale or abs(b.imag) > scale)):
                shown = {str(s): float(v) for s, v in point.items()}
                raise DerivationError(f"{where} fails at {shown}: {a:.6g} vs {b:.6g}")
        derivation.steps.append(
            Step(texts[index], relation, texts[index + 1], relation == "=", sizes)
        )
