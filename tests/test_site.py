"""The built site: claims.json, math rendered at build time, nothing loaded from outside."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from sitebuild.claims import all_claim_ids
from sitebuild.math import KATEX_DIR, MathRenderer, TexError
from tests.conftest import CHECKS_PAGES, ROOT, page_url, parse_page
from tests.external_loads import external_loads

RAW_TEX = re.compile(r"\\\(|\\\[|\$\$|\\frac|\\begin\{|\\nabla|\\operatorname")


def html_pages(site: Path) -> list[Path]:
    return sorted(path for path in site.rglob("*.html") if path.name != "404.html")


def test_claims_json_lists_every_claim_passing(built_site):
    records = json.loads((built_site / "claims.json").read_text())
    assert [r["id"] for r in records] == all_claim_ids(ROOT / "snippets")
    for record in records:
        assert set(record) >= {
            "id",
            "statement",
            "page",
            "checks",
            "observed",
            "tolerance",
            "passed",
        }
        # Timings vary from build to build; the site must not (make bench reports them).
        assert "seconds" not in record
        assert record["passed"], record
        assert record["checks"], record
        assert record["observed"] <= record["tolerance"] or record["observed"] == 0
        page, anchor = record["page"].split("#")
        page_file = built_site / page / "index.html"
        assert parse_page(page_file).find(id=anchor), f"{record['page']} has no anchor"


def test_claims_shown_with_code_and_outcome(built_site):
    for record in json.loads((built_site / "claims.json").read_text()):
        page, anchor = record["page"].split("#")
        claim = parse_page(built_site / page / "index.html").find(id=anchor)
        assert "holds" in claim.get_text(), anchor
        assert "Observed error" in claim.get_text(), anchor
        assert any(
            link["href"].endswith(f"snippets/claims/{anchor}.py")
            for link in claim.select(".source-link a")
        ), anchor


def test_claims_show_that_their_checks_can_fail(built_site):
    """Each claim box says whether its checks fail when their expected side or the statement's
    formula is changed, as claims.json records it, and which formulas no check reads."""
    for record in json.loads((built_site / "claims.json").read_text()):
        page, anchor = record["page"].split("#")
        claim = parse_page(built_site / page / "index.html").find(id=anchor)
        (changes,) = claim.select(".claim__changes")
        text = changes.get_text()
        if record["unchanged_by_changes"]:
            assert text.startswith("Still passes when changed"), anchor
        else:
            assert text.startswith("Each check fails when its expected side is changed"), anchor
        assert ("Not read by a check" in text) == bool(record["formulas_untied"]), anchor


def test_no_block_is_put_inside_a_paragraph(built_site):
    """A block (a claim box, a table) that Markdown wraps in <p> leaves an empty paragraph
    before it in the browser, which closes the <p> at the block: space the prose did not ask for.
    """
    block_in_paragraph = re.compile(r"<p>\s*<(?:div|details|table|ul|ol|pre|figure|h[1-6])\b")
    wrapped = {
        str(page.relative_to(built_site)): len(found)
        for page in html_pages(built_site)
        if (found := block_in_paragraph.findall(page.read_text(encoding="utf-8")))
    }
    assert not wrapped, f"blocks inside <p>: {wrapped}"


def test_landing_page_shows_the_two_identities_live(built_site):
    index = parse_page(built_site / "index.html")
    # The two identities are \boxed, which draws a border round the formula. They come from
    # the claims' statements (claim-formula fences), so the page has no formula of its own.
    assert len(index.select(".fbox")) == 2
    assert "\\boxed" not in (ROOT / "docs" / "index.md").read_text("utf-8")
    for claim_id, page in [
        ("mse-gradient", "regression/"),
        ("ce-logit-gradient", "classification/softmax/"),
    ]:
        (link,) = index.select(f'a[href="{page}#{claim_id}"]')
        assert link.get_text() == claim_id
        assert link.next_sibling.startswith(" holds"), link.parent


def test_checks_pages_list_every_claim(built_site):
    checks = "".join(
        (built_site / path / "index.html").read_text() for path in CHECKS_PAGES.values()
    )
    for claim_id in all_claim_ids(ROOT / "snippets"):
        assert checks.count(f"<code>{claim_id}</code></a>") == 1, claim_id
    assert "claims pass." in (built_site / "checks" / "index.html").read_text()


def test_nothing_is_loaded_from_outside(built_site):
    external = external_loads(built_site)
    assert not external, "\n".join(external)


# One external load of each kind, and what an empty site looks like: the test above must see
# every one (each planted alone, beside a page that loads only its own stylesheet).
_PLANTED_LOADS = {
    "svg-image-href": '<svg><image href="https://cdn.test/a.png"/></svg>',
    "svg-image-xlink": '<svg><image xlink:href="//cdn.test/a.png"/></svg>',
    "svg-use": '<svg><use href="https://cdn.test/sprite.svg#i"/></svg>',
    "img-srcset": '<img src="a.png" srcset="a.png 1x, https://cdn.test/a2.png 2x" alt="">',
    "picture-source": '<picture><source srcset="https://cdn.test/a.webp"></picture>',
    "video-poster": '<video poster="https://cdn.test/p.png"></video>',
    "object-data": '<object data="https://cdn.test/x.svg"></object>',
    "style-attribute": "<p style=\"background:url('https://cdn.test/bg.png')\">x</p>",
    "style-attribute-escaped": '<p style="background:u\\72l(https://cdn.test/bg.png)">x</p>',
    "style-element-image-set": '<style>p{background:image-set("//cdn.test/a.png" 1x)}</style>',
    "style-element-import": '<style>@import "https://cdn.test/x.css";</style>',
    "font-face": "<style>@font-face{font-family:f;src:url(https://cdn.test/f.woff2)}</style>",
    "media-rule": "<style>@media print{p{background:url(//cdn.test/p.png)}}</style>",
    "svg-style": "<svg><style>rect{fill:url(https://cdn.test/p.svg#g)}</style></svg>",
    "link-preload": '<link rel="preload" as="image" href="https://cdn.test/a.png">',
    "meta-refresh": '<meta http-equiv="refresh" content="5; url=https://cdn.test/">',
    "iframe": '<iframe src="https://cdn.test/"></iframe>',
}


def _planted_site(tmp_path: Path, body: str) -> Path:
    site = tmp_path / "site"
    site.mkdir()
    (site / "site.css").write_text("p { color: red }")
    (site / "index.html").write_text(
        f'<!doctype html><html><head><link rel="stylesheet" href="site.css">'
        f'<link rel="canonical" href="https://example.test/"></head><body>{body}</body></html>'
    )
    return site


@pytest.mark.parametrize("kind", _PLANTED_LOADS)
def test_every_kind_of_external_load_is_seen(tmp_path, kind):
    external = external_loads(_planted_site(tmp_path, _PLANTED_LOADS[kind]))
    assert len(external) == 1, external
    assert "cdn.test" in external[0], external


def test_links_and_namespaces_are_not_loads(tmp_path):
    body = (
        '<a href="https://example.test/">a link</a>'
        '<svg xmlns="http://www.w3.org/2000/svg"><a href="https://example.test/">x</a></svg>'
    )
    assert external_loads(_planted_site(tmp_path, body)) == []


def test_an_empty_site_is_not_a_pass(tmp_path):
    with pytest.raises(AssertionError, match="nothing to check"):
        external_loads(tmp_path)


def test_no_math_javascript_and_no_inline_loader(built_site):
    for page in html_pages(built_site):
        text = page.read_text()
        assert not re.search(r"(?:mathjax|katex|temml)[^\"']*\.js", text, re.IGNORECASE), page
        for script in re.findall(r"<script\b[^>]*>(.*?)</script>", text, re.DOTALL):
            assert not re.search(r"(?:https?:)?//[\w.-]+\.\w+/", script), (page, script[:300])


def test_no_stylesheet_in_a_page_body(built_site):
    """A <style> met halfway through a page makes the browser style the whole page again."""
    for page in html_pages(built_site):
        assert not parse_page(page).body.find_all("style"), page


def test_every_formula_is_rendered(built_site):
    pages_with_math = 0
    for page in html_pages(built_site):
        text = page.read_text()
        assert not parse_page(page).select(".arithmatex"), f"unrendered formula in {page}"
        pages_with_math += bool(parse_page(page).select(".katex"))
        body = re.sub(r"<(script|style|pre|code|annotation)\b.*?</\1>", "", text, flags=re.S)
        visible = re.sub(r"<[^>]+>", " ", body)
        assert not RAW_TEX.search(visible), f"raw TeX visible in {page}: {RAW_TEX.search(visible)}"
    assert pages_with_math >= 2


def test_notebook_math_is_rendered_and_notebook_downloadable(built_site):
    page_dir = built_site / "notebooks" / "identities"
    page = parse_page(page_dir / "index.html")
    assert len(page.select(".katex")) >= 3
    # Relative to the page, so that it works wherever the site is served.
    assert [link["href"] for link in page.select("a[download]")] == ["identities.ipynb"]
    assert (page_dir / "identities.ipynb").is_file()


def test_math_stylesheet_and_every_font_it_names_are_published(built_site):
    """Every glyph a formula draws comes from a font the site ships: all of KaTeX's fonts, as
    vendored, beside the stylesheet that names them."""
    (stylesheet,) = (built_site / "assets" / "katex").glob("katex.*.css")
    assert f"assets/katex/{stylesheet.name}" in (built_site / "index.html").read_text()
    fonts = set(re.findall(r"url\((fonts/[^)]+\.woff2)\)", stylesheet.read_text()))
    assert len(fonts) == 20, sorted(fonts)
    for font in fonts:
        published = stylesheet.parent / font
        assert published.read_bytes() == (KATEX_DIR / font).read_bytes(), font


def test_tex_without_a_katex_glyph_fails_the_build():
    """KaTeX has metrics and glyphs for every symbol it accepts; in strict mode, a character
    it has none for is an error, never a glyph from some other font."""
    with pytest.raises(TexError, match="Unrecognized Unicode character"):
        MathRenderer().render("x \N{SNOWMAN} y", display=False)


@pytest.mark.parametrize(
    ("tex", "expected"),
    [
        # One row per line: a renderer that puts aligned rows on one line is wrong silently.
        (r"\begin{aligned} a &= b \\ c &= d \end{aligned}", ['class="vlist-r"', "a = b; c = d"]),
        # A chain on several lines reads as one chain.
        (r"\begin{aligned} a &= b \\ &= c \end{aligned}", ['class="vlist-r"', 'label="a = b = c"']),
        (r"f(x) = \begin{cases} 1 & x > 0 \\ 0 & x \le 0 \end{cases}", ["f(x) = {"]),
        (r"\mathbb{R}^n", ["mathbb", "ℝⁿ"]),
        (r"\mathbf{x}", ["mathbf"]),
        (r"\operatorname{softmax}(z)", ["softmax"]),
        (r"\boxed{q - p}", ["boxpad"]),
        (r"\sqrt{2\pi\sigma^2}", ["<svg", "√"]),
        # A prime is a superscript of its letter, in the same box, as in TeX.
        (r"A'(\eta)", ["A′(η)", "msupsub"]),
    ],
)
def test_renderer_handles_the_pages_constructs(tex, expected):
    rendered = MathRenderer().render(tex, display=True)
    assert rendered.startswith('<span class="katex-display"><span class="katex" role="math"')
    label = html.unescape(re.search(r'aria-label="([^"]*)"', rendered)[1])
    for piece in expected:
        assert piece in rendered or piece in label, (piece, label, rendered[:300])


def test_vendored_math_is_complete():
    # README.md names the vendored version.
    assert f"KaTeX {MathRenderer().version} " in (ROOT / "README.md").read_text()
    for path in [KATEX_DIR / "LICENSE", KATEX_DIR / "katex.min.css", KATEX_DIR / "katex.min.js"]:
        assert path.is_file(), path


def test_executed_blocks_and_claims_link_to_their_code(built_site):
    """Under every executed block, a link to each snippet it includes, and one in every claim."""
    from mkdocs.config import load_config

    source_url = load_config(str(ROOT / "mkdocs.yml")).plugins["checked-site"].config.source_url
    assert source_url.endswith("/")
    expected = {}
    for page in sorted((ROOT / "docs").rglob("*.md")):
        text = page.read_text()
        paths = re.findall(r'```python exec="on"[^\n]*\n--8<-- "([^"]+)"', text)
        paths += [f"claims/{claim_id}.py" for claim_id in re.findall(r"```claim\n(\S+)", text)]
        if paths:
            expected[built_site / page_url(page.relative_to(ROOT / "docs")) / "index.html"] = paths
    assert expected, "no executed block found in docs/"
    for built, paths in expected.items():
        links = {link["href"] for link in parse_page(built).select(".source-link > a")}
        for path in paths:
            assert (ROOT / "snippets" / path).is_file()
            assert f"{source_url}snippets/{path}" in links, f"{built}: no link to {path}"
