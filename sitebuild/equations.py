"""Numbered equations: a display formula labelled `\\label{eq-name}` gets a number and an id.

- `page_labels` numbers a page's labels 1, 2, … in page order (from the HTML that
  pymdownx.arithmatex leaves, before the math is rendered), and reports labels that cannot work.
- math.py renders a labelled formula with its number (`math.number_formula` makes it a
  `\\tag{n}` for KaTeX, `math.display_html` gives it the label as its id and a ¶ link to it).
- `number_page` numbers a page's equations and adds their labels to the ids that MkDocs
  checks links against.
- `fill_equation_links` gives each empty link to an equation, `[](page.md#eq-name)`, the
  equation's number as its text.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from sitebuild.math import LABEL, formulas

LABEL_NAME = re.compile(r"eq(?:-[a-z0-9]+)+")
# A link without text to an equation, as Markdown writes `[](page.md#eq-name)`.
_EMPTY_EQUATION_LINK = re.compile(
    r'<a (?P<attributes>[^>]*\bhref="(?P<href>[^"]*#eq-[^"]*)"[^>]*)></a>'
)
# Any base works: it only lets urljoin resolve a link's path against the page's.
_SITE = "https://site.invalid/"


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
    found = formulas(page_html)
    for formula in filter(lambda formula: formula.display, found):
        labels = LABEL.findall(formula.tex)
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
    for formula in filter(lambda formula: not formula.display, found):
        for label in LABEL.findall(formula.tex):
            errors.append(
                f"equation label '{label}' is in inline math: only display math ($$…$$)"
                " can be numbered"
            )
    return numbers, errors


def number_page(page_html: str, page, other_ids: set[str]) -> tuple[PageEquations, list[str]]:
    """A MkDocs page's numbered equations, and the errors found (see page_labels).

    Equations get their ids when KaTeX renders them, too late for MkDocs: the labels join
    the page's present_anchor_ids now, with other_ids (the claims' ids).
    """
    numbers, errors = page_labels(page_html, other_ids | set(page.present_anchor_ids or ()))
    if page.present_anchor_ids is not None:
        page.present_anchor_ids |= other_ids | numbers.keys()
    return PageEquations(page.title, numbers), errors


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
        target_url, label = _target(href, page_url)
        equations = pages.get(target_url) if target_url is not None else None
        number = equations.numbers.get(label) if equations else None
        if number is None:
            errors.append(f"the link {href} has no text and leads to no numbered equation")
            return link[0]
        text = f"({number})" if target_url == page_url else f"({number}) on {equations.title}"
        return f"<a {link['attributes']}>{html.escape(text)}</a>"

    return _EMPTY_EQUATION_LINK.sub(fill, page_html), errors


def linked_pages(page_html: str, page_url: str) -> set[str]:
    """The URLs of the pages whose equation numbers a page's links show (fill_equation_links)."""
    targets = (
        _target(html.unescape(link["href"]), page_url)[0]
        for link in _EMPTY_EQUATION_LINK.finditer(page_html)
    )
    return {target for target in targets if target is not None}


def _target(href: str, page_url: str) -> tuple[str | None, str]:
    """The URL of the page a link on page_url leads to (None: another site), and its anchor."""
    target = urlsplit(urljoin(_SITE + page_url, href))
    if target.netloc != urlsplit(_SITE).netloc:
        return None, target.fragment
    return target.path.removeprefix("/"), target.fragment
