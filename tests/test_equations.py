"""Numbered equations: labels become numbers and ids, empty links show those numbers."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from sitebuild.equations import PageEquations, fill_equation_links, page_labels
from sitebuild.math import Equation, MathRenderer, display_html, number_formula
from tests.conftest import DOCS_PAGES, ROOT, add_page, assert_fails, build, page_url

DOCS = ROOT / "docs"


def display(tex: str) -> str:
    """A display formula as pymdownx.arithmatex leaves it (its TeX HTML-escaped)."""
    return f'<div class="arithmatex">\\[\n{tex}\n\\]</div>'


def inline(tex: str) -> str:
    return f'<span class="arithmatex">\\({tex}\\)</span>'


# --- Numbering a page's labels ---------------------------------------------------


def test_labels_are_numbered_in_page_order():
    page = (
        display(r"a = b \label{eq-first}")
        + display("c = d")  # unlabelled formulas get no number
        + "<p>text</p>"
        + display(r"x &lt; y \label{eq-second-one}")
        + display(r"\label{eq-3d-case} e = f")
    )
    assert page_labels(page) == ({"eq-first": 1, "eq-second-one": 2, "eq-3d-case": 3}, [])


def test_a_page_without_labels_has_no_numbers():
    assert page_labels(display("a = b") + inline("c")) == ({}, [])


def test_a_label_used_twice_is_an_error():
    numbers, errors = page_labels(display(r"a \label{eq-twice}") + display(r"b \label{eq-twice}"))
    assert numbers == {"eq-twice": 1}
    assert errors == ["equation label 'eq-twice' is used twice: a label names one formula"]


@pytest.mark.parametrize(
    "label", ["ce-gradient", "eq_ce", "eq-CE", "eq-", "eq--ce", "eq-ce-", "eq-ce gradient"]
)
def test_a_label_that_is_not_kebab_case_with_eq_is_an_error(label):
    numbers, errors = page_labels(display(rf"a \label{{{label}}}"))
    assert numbers == {}
    assert errors == [
        f"equation label '{label}' is not kebab-case starting with 'eq-'"
        " (for example eq-ce-logit-gradient)"
    ]


def test_a_label_in_inline_math_is_an_error():
    numbers, errors = page_labels("<p>" + inline(r"a = b \label{eq-inline}") + "</p>")
    assert numbers == {}
    assert errors == [
        "equation label 'eq-inline' is in inline math: only display math ($$…$$) can be numbered"
    ]


def test_two_labels_in_one_formula_is_an_error():
    _, errors = page_labels(display(r"a \label{eq-one} = b \label{eq-two}"))
    assert errors[0] == "one formula has 2 labels (eq-one, eq-two): keep one"


def test_a_label_must_not_reuse_another_id_of_the_page():
    numbers, errors = page_labels(display(r"a \label{eq-taken}"), other_ids={"eq-taken", "intro"})
    assert numbers == {}
    assert errors == [
        "equation label 'eq-taken' is the id of another element of the page (a heading?):"
        " choose another label"
    ]


# --- A numbered formula -----------------------------------------------------------


def test_number_formula_replaces_the_label_with_a_tag():
    tex, equation = number_formula("\na = b .\n\\label{eq-mine}\n", {"eq-other": 1, "eq-mine": 2})
    assert tex == "\na = b . \\tag{2}"
    assert equation == Equation("eq-mine", 2)


@pytest.mark.parametrize(
    "tex",
    ["a = b", r"a = b \label{eq-unknown}", r"a \label{eq-mine} b \label{eq-mine}"],
    ids=["unlabelled", "not numbered", "two labels"],
)
def test_number_formula_leaves_other_formulas_alone(tex):
    # A label left in place is rejected by the renderer: no formula loses its label silently.
    assert number_formula(tex, {"eq-mine": 1}) == (tex, None)


def test_display_html_gives_a_numbered_formula_its_id_and_link():
    assert display_html("MATHML", Equation("eq-mine", 3)) == (
        '<span class="math-display" id="eq-mine">MATHML'
        '<a class="equation-link" href="#eq-mine" aria-label="Link to equation (3)">&para;</a>'
        "</span>"
    )
    assert display_html("MATHML") == '<span class="math-display">MATHML</span>'


@pytest.fixture(scope="module")
def renderer() -> MathRenderer:
    return MathRenderer()


def test_the_formula_shows_its_number_and_the_page_gets_the_id(renderer):
    page = display(r"a = b") + display(r"c = d \label{eq-cd}")
    rendered, errors = renderer.render_page(page, equation_numbers={"eq-cd": 7})
    assert errors == []
    numbered = _parse(rendered).equations
    assert set(numbered) == {"eq-cd"}
    assert numbered["eq-cd"].tag == "(7)"
    assert numbered["eq-cd"].link == "#eq-cd"
    assert "\\label" not in rendered


def test_a_label_the_page_did_not_number_fails_in_the_renderer(renderer):
    page = display(r"c = d \label{eq-cd}")
    rendered, errors = renderer.render_page(page)
    assert len(errors) == 1
    assert "\\label is allowed only once in a display formula" in errors[0]
    assert rendered == page


def test_a_dollar_left_beside_rendered_formulas_is_found(renderer):
    page = (
        '<p><span class="arithmatex">\\(q - p\\)</span> is the gradient; $x^2 is not'
        " math, <code>$HOME</code> is code.</p>"
    )
    rendered, errors = renderer.render_page(page)
    assert 'class="katex"' in rendered
    assert len(errors) == 1, errors
    assert "gradient; $x^2 is not" in errors[0]


# --- Links to equations ------------------------------------------------------------

SITE_EQUATIONS = {
    "classification/softmax/": PageEquations("Softmax & q − p", {"eq-a": 1, "eq-b": 2}),
    "regression/": PageEquations("Regression", {"eq-c": 1}),
    "": PageEquations("Home", {}),
}


@pytest.mark.parametrize(
    ("page_url", "href", "text"),
    [
        ("classification/softmax/", "#eq-b", "(2)"),
        ("classification/softmax/", "./#eq-a", "(1)"),
        ("regression/", "../classification/softmax/#eq-b", "(2) on Softmax &amp; q − p"),
        ("classification/softmax/", "../../regression/#eq-c", "(1) on Regression"),
        ("", "regression/#eq-c", "(1) on Regression"),
    ],
)
def test_an_empty_link_shows_the_number(page_url, href, text):
    page = f'<p>See <a href="{href}"></a>.</p>'
    assert fill_equation_links(page, page_url, SITE_EQUATIONS) == (
        f'<p>See <a href="{href}">{text}</a>.</p>',
        [],
    )


def test_a_link_with_its_own_text_is_left_alone():
    page = '<a href="#eq-a">the gradient</a> <a href="#eq-a" title="t"></a>'
    filled, errors = fill_equation_links(page, "classification/softmax/", SITE_EQUATIONS)
    assert filled == '<a href="#eq-a">the gradient</a> <a href="#eq-a" title="t">(1)</a>'
    assert errors == []


@pytest.mark.parametrize(
    "href", ["#eq-missing", "../../regression/#eq-a", "../../nowhere/#eq-a", "//elsewhere/#eq-a"]
)
def test_an_empty_link_to_no_equation_is_an_error(href):
    page = f'<a href="{href}"></a>'
    assert fill_equation_links(page, "classification/softmax/", SITE_EQUATIONS) == (
        page,
        [f"the link {href} has no text and leads to no numbered equation"],
    )


# --- The built site -------------------------------------------------------------------

_SOURCE_DISPLAY = re.compile(r"^[ \t]*\$\$(.*?)\$\$", re.MULTILINE | re.DOTALL)
_SOURCE_LABEL = re.compile(r"\\label\{([^}]*)\}")
_SOURCE_EMPTY_LINK = re.compile(r"\[\]\(([^)#\s]*)#(eq-[^)\s]*)\)")


def _source(page: str) -> Path:
    """The Markdown file of a page path such as "classification/softmax/"."""
    for candidate in (DOCS / page / "index.md", DOCS / f"{page.rstrip('/')}.md"):
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(page)


def _source_numbers(page: str) -> dict[str, int]:
    """The page's labels numbered in the order its Markdown writes them."""
    labels = [
        label
        for formula in _SOURCE_DISPLAY.findall(_source(page).read_text("utf-8"))
        for label in _SOURCE_LABEL.findall(formula)
    ]
    return {label: number for number, label in enumerate(labels, start=1)}


def _source_links(page: str) -> list[tuple[str, str]]:
    """(target page, label) of every empty link to an equation in the page's Markdown."""
    source = _source(page)
    links = []
    for path, label in _SOURCE_EMPTY_LINK.findall(source.read_text("utf-8")):
        target = (source.parent / path).resolve() if path else source
        links.append((page_url(target.relative_to(DOCS)), label))
    return links


MD_PAGES = [page for page in DOCS_PAGES if not page.startswith("notebooks/")]
LABELLED_PAGES = [page for page in MD_PAGES if _source_numbers(page)]
LINKING_PAGES = [page for page in MD_PAGES if _source_links(page)]


@dataclass
class _Numbered:
    tag: str = ""  # the number the formula shows, "(n)"
    link: str = ""  # the href of its ¶ link


class _Parsed(HTMLParser):
    """A page's numbered equations and its links with their text."""

    def __init__(self) -> None:
        super().__init__()
        self.equations: dict[str, _Numbered] = {}
        self.links: list[tuple[str, str]] = []  # (href, text)
        self.title = ""
        self._open: list[tuple[str, str | None, str]] = []  # (tag, equation id, class)
        self._in_title = False

    def _equation(self) -> str | None:
        return next((eq for _, eq, _ in reversed(self._open) if eq), None)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        classes = attributes.get("class") or ""
        label = None
        if tag == "span" and "math-display" in classes.split() and attributes.get("id"):
            label = attributes["id"]
            self.equations[label] = _Numbered()
        if tag == "a":
            equation = self._equation()
            if equation and "equation-link" in classes.split():
                self.equations[equation].link = attributes.get("href", "")
            self.links.append((attributes.get("href", ""), ""))
        self._in_title = tag == "title"
        self._open.append((tag, label, classes))

    def handle_endtag(self, tag):
        while self._open and self._open.pop()[0] != tag:
            pass
        self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        equation = self._equation()
        if equation and any("katex-tag" in classes.split() for _, _, classes in self._open):
            self.equations[equation].tag += data
        if any(tag == "a" for tag, _, _ in self._open) and self.links:
            href, text = self.links[-1]
            self.links[-1] = (href, text + data)


def _parse(page_html: str) -> _Parsed:
    parsed = _Parsed()
    parsed.feed(page_html)
    return parsed


@functools.cache  # pages are read again as the targets of links
def _built(site: Path, page: str) -> _Parsed:
    return _parse((site / page / "index.html").read_text("utf-8"))


def test_the_site_has_numbered_equations_and_links_to_them():
    # Without this, the two tests below could pass by having nothing to check.
    assert len(LABELLED_PAGES) >= 4
    assert len(LINKING_PAGES) >= 4


@pytest.mark.parametrize("page", LABELLED_PAGES)
def test_labelled_equations_have_their_id_and_number(built_site, page):
    numbers = _source_numbers(page)
    built = _built(built_site, page)
    assert set(built.equations) == set(numbers)
    for label, number in numbers.items():
        assert built.equations[label].tag == f"({number})", label
        assert built.equations[label].link == f"#{label}", label


@pytest.mark.parametrize("page", LINKING_PAGES)
def test_empty_links_show_the_number_of_an_existing_equation(built_site, page):
    built = _built(built_site, page)
    base = "https://site.invalid/"
    resolved = {}
    for href, text in built.links:
        target = urlsplit(urljoin(base + page, href))
        if target.fragment.startswith("eq-"):
            resolved.setdefault((target.path.removeprefix("/"), target.fragment), []).append(text)
    for target_page, label in _source_links(page):
        target = _built(built_site, target_page)
        assert label in target.equations, f"{target_page} has no equation {label}"
        number = target.equations[label].tag
        expected = number
        if target_page != page:
            title = target.title.rsplit(" - ", 1)[0]  # the theme's "Page - Site"
            expected = f"{number} on {title}"
        assert expected in resolved.get((target_page, label), []), (label, resolved)


@pytest.mark.parametrize("page", MD_PAGES)
def test_no_link_to_an_equation_is_left_empty(built_site, page):
    empty = [href for href, text in _built(built_site, page).links if "#eq-" in href and not text]
    assert empty == []


# --- Faults that fail the build -----------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize(
    "link",
    ["[](classification/softmax.md#eq-no-such-equation)", "[q − p](#eq-no-such-equation)"],
    ids=["other page", "same page with text"],
)
def test_link_to_a_missing_equation(tiny_project, tmp_path, link):
    # The page linked to exists and numbers an equation of its own.
    softmax = "# Softmax\n\n<!-- definition -->\n$$\nq = p\n\\label{eq-softmax}\n$$\n"
    add_page(tiny_project, "classification/softmax.md", softmax)
    add_page(tiny_project, "fault.md", f"# Fault\n\nSee {link}.\n")
    assert_fails(build(tiny_project, tmp_path / "site"), "fault.md", "eq-no-such-equation")


@pytest.mark.slow
def test_duplicate_equation_label(tiny_project, tmp_path):
    formula = "$$\na = b\n\\label{eq-twice}\n$$\n"
    add_page(tiny_project, "fault.md", f"# Fault\n\n{formula}\nand\n\n{formula}")
    assert_fails(
        build(tiny_project, tmp_path / "site"),
        "fault.md: equation label 'eq-twice' is used twice",
    )
