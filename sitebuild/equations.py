"""Numbered equations: a display formula labelled `\\label{eq-name}` gets a number and an id.

- `page_labels` numbers a page's labels 1, 2, … in page order (from the HTML that
  pymdownx.arithmatex leaves, before the math is rendered), and reports labels that cannot work.
- `number_formula` and `display_html` turn a labelled formula into a `\\tag{n}` for KaTeX and a
  wrapper with the label as its id and a ¶ link to it.
- `fill_equation_links` gives each empty link to an equation, `[](page.md#eq-name)`, the
  equation's number as its text.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import NamedTuple
from urllib.parse import urljoin, urlsplit

LABEL_NAME = re.compile(r"eq(?:-[a-z0-9]+)+")
_LABEL = re.compile(r"\\label\s*\{([^{}]*)\}")
# pymdownx.arithmatex (generic mode) output, TeX HTML-escaped.
_DISPLAY_MATH = re.compile(r'<div class="arithmatex">\s*\\\[(.*?)\\\]\s*</div>', re.DOTALL)
_INLINE_MATH = re.compile(r'<span class="arithmatex">\s*\\\((.*?)\\\)\s*</span>', re.DOTALL)
# A link without text to an equation, as Markdown writes `[](page.md#eq-name)`.
_EMPTY_EQUATION_LINK = re.compile(
    r'<a (?P<attributes>[^>]*\bhref="(?P<href>[^"]*#eq-[^"]*)"[^>]*)></a>'
)
# Any base works: it only lets urljoin resolve a link's path against the page's.
_SITE = "https://site.invalid/"


class Equation(NamedTuple):
    label: str
    number: int


@dataclass(frozen=True)
class PageEquations:
    """A page's numbered equations, for links from other pages."""

    title: str
    numbers: Mapping[str, int]


def page_labels(page_html: str, other_ids: Iterable[str] = ()) -> tuple[dict[str, int], list[str]]:
    """The labels of the page's display formulas, numbered in page order, and the errors found.

    other_ids are the ids the page already has (headings, claims): a label must not reuse one.
    """
    numbers: dict[str, int] = {}
    errors: list[str] = []
    taken = set(other_ids)
    for formula in _DISPLAY_MATH.finditer(page_html):
        labels = _LABEL.findall(html.unescape(formula[1]))
        if len(labels) > 1:
            errors.append(f"one formula has {len(labels)} labels ({', '.join(labels)}): keep one")
        for label in labels:
            if not LABEL_NAME.fullmatch(label):
                errors.append(
                    f"equation label '{label}' is not kebab-case starting with 'eq-'"
                    " (for example eq-ce-logit-gradient)"
                )
            elif label in numbers:
                errors.append(f"equation label '{label}' is used twice: a label names one formula")
            elif label in taken:
                errors.append(
                    f"equation label '{label}' is the id of another element of the page"
                    " (a heading?): choose another label"
                )
            else:
                numbers[label] = len(numbers) + 1
    for formula in _INLINE_MATH.finditer(page_html):
        for label in _LABEL.findall(html.unescape(formula[1])):
            errors.append(
                f"equation label '{label}' is in inline math: only display math ($$…$$)"
                " can be numbered"
            )
    return numbers, errors


def number_formula(tex: str, numbers: Mapping[str, int]) -> tuple[str, Equation | None]:
    """A display formula's TeX with its label replaced by `\\tag{n}`, and its label and number.

    A formula whose label the page did not number (page_labels reported why) keeps its
    `\\label`, which the renderer (math.py) then rejects: it is never shown silently unnumbered.
    """
    labels = _LABEL.findall(tex)
    if len(labels) != 1 or labels[0] not in numbers:
        return tex, None
    equation = Equation(labels[0], numbers[labels[0]])
    return f"{_LABEL.sub('', tex).rstrip()} \\tag{{{equation.number}}}", equation


def display_html(rendered: str, equation: Equation | None = None) -> str:
    """The block around a rendered display formula; a numbered one gets its id and a ¶ link.

    A <span> styled as a block: notebooks write display math inside paragraphs, where a <div>
    is not allowed.
    """
    if equation is None:
        return f'<span class="math-display">{rendered}</span>'
    label, number = equation
    return (
        f'<span class="math-display" id="{label}">{rendered}'
        f'<a class="equation-link" href="#{label}" aria-label="Link to equation ({number})">'
        "&para;</a></span>"
    )


def fill_equation_links(
    page_html: str, page_url: str, pages: Mapping[str, PageEquations]
) -> tuple[str, list[str]]:
    """Give each empty link to an equation its number: "(n)", or "(n) on Title" for another page.

    pages maps each page's URL to its equations. Returns the new HTML and the links whose
    equation does not exist.
    """
    errors: list[str] = []

    def fill(link: re.Match) -> str:
        href = html.unescape(link["href"])
        target = urlsplit(urljoin(_SITE + page_url, href))
        target_url = target.path.removeprefix("/")
        equations = pages.get(target_url) if target.netloc == urlsplit(_SITE).netloc else None
        number = equations.numbers.get(target.fragment) if equations else None
        if number is None:
            errors.append(f"the link {href} has no text and leads to no numbered equation")
            return link[0]
        text = f"({number})" if target_url == page_url else f"({number}) on {equations.title}"
        return f"<a {link['attributes']}>{html.escape(text)}</a>"

    return _EMPTY_EQUATION_LINK.sub(fill, page_html), errors
