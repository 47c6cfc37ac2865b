"""Blocks far below a page's first screen are laid out only when the reader scrolls near them.

Formulas are most of the browser's work on this site: each MathML element is a box of its own,
and on the longest pages the first layout of all of them blocks a phone for about a second.
`defer_offscreen_blocks` wraps runs of top-level blocks that start well below the first screen
in `<div class="offscreen-block">`, which the stylesheet gives `content-visibility: auto`: the
browser skips their layout until they come near the window (and for find in page, links to an
equation, and printing).

A block that a window shows as the page loads must not be deferred: it would be drawn at the
placeholder's height first and then move (layout shift). Where a block starts is not known
before layout, so the build counts lines from below: every top-level element takes at least
one line, and its text at least one line per `_MAX_CHARS_PER_LINE` characters. Blocks are
deferred only after `FIRST_SCREEN_LINES` such lines. Real pages take more lines than that count:
the first deferred block of each page starts below the window in landscape windows from
360 x 800 to 2560 x 1440 (tests/test_browser.py checks it; 1.38 window heights down at least,
when measured). A portrait monitor (1080 x 1920) may show it, drawn a frame late.

Never deferred: headings (the theme measures where each one is, for the table of contents) and
blocks with code (the theme measures each code block for its copy button); measuring an element
inside a deferred block would lay the whole block out.
"""

from __future__ import annotations

import html
import math
import re
from html.parser import HTMLParser

CLASS_NAME = "offscreen-block"
# Lines of text, at the theme's font sizes, that any window shows at once; see the docstring.
FIRST_SCREEN_LINES = 36
# More characters than a line of the widest text column holds (about 110).
_MAX_CHARS_PER_LINE = 130
# The placeholder height of a deferred block, until it has been laid out once: its lines at
# the body text's smallest line height.
_LINE_PX = 20
# Elements that must stay laid out: see the module's docstring.
_NEVER_DEFERRED = re.compile(r"<h[1-6]\b|<pre\b|<script\b|\bclass=\"[^\"]*\blogit-explorer\b")
# Rows that take a line each whatever their text: table rows, list items, line breaks.
_ROW = re.compile(r"<tr\b|<li\b|<br\b")
_CODE = re.compile(r"<pre\b.*?</pre>", re.DOTALL)
# TeX is longer than the formula it draws: \frac{a}{b} is two letters wide.
_INLINE_TEX = re.compile(r"\\\((.*?)\\\)", re.DOTALL)
_TEX_CHARS_PER_CHAR = 4
_TAG = re.compile(r"<[^>]*>")
_VOID_ELEMENTS = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
    ]
)


class _TopLevelElements(HTMLParser):
    """The spans (start, end offsets) of the top-level elements of an HTML fragment."""

    def __init__(self, fragment: str) -> None:
        super().__init__(convert_charrefs=False)
        self._fragment = fragment
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", fragment)]
        self._depth = 0
        self._start = 0
        self.spans: list[tuple[int, int]] = []
        self.feed(fragment)
        self.close()

    def _offset(self) -> int:
        line, column = self.getpos()
        return self._line_starts[line - 1] + column

    def handle_starttag(self, tag, attrs):
        if tag in _VOID_ELEMENTS:
            if self._depth == 0:
                self.spans.append((self._offset(), self._offset() + len(self.get_starttag_text())))
            return
        if self._depth == 0:
            self._start = self._offset()
        self._depth += 1

    def handle_startendtag(self, tag, attrs):
        if self._depth == 0:
            self.spans.append((self._offset(), self._offset() + len(self.get_starttag_text())))

    def handle_endtag(self, tag):
        if tag in _VOID_ELEMENTS or self._depth == 0:  # an end tag without its start is ignored
            return
        self._depth -= 1
        if self._depth == 0:
            self.spans.append((self._start, self._fragment.index(">", self._offset()) + 1))


def minimum_lines(element_html: str) -> int:
    r"""The fewest lines an element takes in any window: one, or one per row, or its text's.

    >>> minimum_lines("<p>x</p>"), minimum_lines("<p>" + "word " * 60 + "</p>")
    (1, 3)
    >>> minimum_lines("<ul><li>a</li><li>b</li></ul>"), minimum_lines("<pre>a\nb\nc\n</pre>")
    (2, 3)
    """
    code_lines = sum(block.count("\n") for block in _CODE.findall(element_html))
    without_tex = _INLINE_TEX.sub(
        lambda tex: "x" * (len(tex[1]) // _TEX_CHARS_PER_CHAR), element_html
    )
    text = html.unescape(_TAG.sub("", _CODE.sub("", without_tex))).strip()
    by_text = math.ceil(len(text) / _MAX_CHARS_PER_LINE)
    return max(1, by_text + code_lines, len(_ROW.findall(element_html)))


def defer_offscreen_blocks(content_html: str) -> str:
    """The page's content with the runs of blocks after its first screen wrapped, so that the
    browser lays them out only when they come near the window.

    >>> page = "<h2>A</h2>" + "<p>line</p>" * 70 + "<h2>B</h2><p>b</p><p>c</p>"
    >>> deferred = defer_offscreen_blocks(page)
    >>> deferred.count('<div class="offscreen-block"'), deferred.endswith("<h2>B</h2>"
    ...     '<div class="offscreen-block" style="contain-intrinsic-size:auto 40px"><p>b</p><p>c</p>'
    ...     "</div>")
    (2, True)
    >>> defer_offscreen_blocks("<p>short</p>") == "<p>short</p>"
    True
    """
    pieces: list[str] = []
    run: list[str] = []
    run_lines = 0
    lines = 0
    position = 0

    def close_run() -> None:
        nonlocal run, run_lines
        if run:
            style = f"contain-intrinsic-size:auto {run_lines * _LINE_PX}px"
            pieces.append(f'<div class="{CLASS_NAME}" style="{style}">{"".join(run)}</div>')
        run, run_lines = [], 0

    for start, end in _TopLevelElements(content_html).spans:
        between, element = content_html[position:start], content_html[start:end]
        position = end
        element_lines = minimum_lines(element)
        if lines < FIRST_SCREEN_LINES or _NEVER_DEFERRED.search(element):
            close_run()
            pieces += [between, element]
        else:
            run += [between, element]
            run_lines += element_lines
        lines += element_lines
    close_run()
    pieces.append(content_html[position:])
    return "".join(pieces)
