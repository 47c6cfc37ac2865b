"""The claims of the site, from the fence that makes one on a page to its record in claims.json.

Follow one claim, `mse-gradient`, through a build:

1. `find` (on_files): the page regression.md has a ```claim fence holding `mse-gradient`; the
   claim's code gets a page of its own, claims/mse-gradient.html (`_code_page`, rendered with
   overrides/claim-code.html), which claim-code.js shows in the claim when the reader opens it.
2. `order` (on_nav): the Checks page lists claims in reading order; the plugin then has the
   claim started ahead of its page (execution.py), unless the execution cache holds it.
3. `show` (the fence, while regression.md converts): the claim's result (claims.py runs it),
   shown as the box of overrides/partials/claim.html; a failing claim logs an error naming the
   page, which fails `mkdocs build --strict`.
4. Other pages refer to it with fences that leave a placeholder (`_placeholder_fence`), filled once
   every page has run its claims (`fill`, on_page_context): ```claim-status (its live
   outcome, partials/claim-status.html), ```claim-formula `mse-gradient 1` (a formula of its
   statement, boxed), and the Checks page's ```claims-table (partials/claims-table.html).
   Numbers in prose, {{mse-gradient.name}}, are filled from its quoted values (quotes.py).
5. `finish` (on_post_build): a claim file that no page makes and a quoted value that no page
   shows are errors; claims.json records every claim (`_record`).
"""

from __future__ import annotations

import functools
import html
import json
import posixpath
import re
from pathlib import Path

from mkdocs.structure.files import File, InclusionLevel
from mkdocs.utils import get_relative_url

from sitebuild import claims as claim_runner
from sitebuild.claims import CLAIM_FENCE
from sitebuild.config import CheckedSiteConfig, log
from sitebuild.execution import Execution
from sitebuild.output import fragment, source_link
from sitebuild.quotes import PLACEHOLDER as QUOTE
from sitebuild.quotes import fill_quotes, unshown_quotes

# Each claim's check code is a page of its own here (claims/<id>.html).
CLAIM_CODE_DIR = "claims"
# The Checks page, and the table of the claims each page makes, a page of its own under it
# (checks/<page>/): in one page, the statements' math made the slowest page of the site.
CHECKS_PAGE = "checks.md"
CLAIM_CODE_SCRIPT = "assets/claim-code.js"
# What a fence that needs every claim run leaves in the page until `fill`.
_PLACEHOLDER = re.compile(
    r'<div class="checked-site-placeholder" data-fence="([a-z-]+)" data-value="([^"]*)"></div>'
)
# The Checks page's fence, which becomes a heading and a summary per page that makes claims.
_CLAIMS_TABLE_FENCE = re.compile(r"^```claims-table[ \t]*\n```[ \t]*$", re.MULTILINE)
# What a generated page of checks holds until its page converts: the page whose claims it lists.
_CHECKS_OF_FENCE = re.compile(r"^```checks-of\n(?P<src_uri>.+)\n```$")


def checks_page_of(src_uri: str) -> str:
    """The source path of the page listing the claims the page src_uri makes.

    >>> checks_page_of("classification/softmax.md"), checks_page_of("index.md")
    ('checks/classification/softmax.md', 'checks/home.md')
    """
    stem = "home" if src_uri == "index.md" else posixpath.splitext(src_uri)[0]
    return f"{posixpath.splitext(CHECKS_PAGE)[0]}/{stem}.md"


def _placeholder_fence(fence: str, source: str, page) -> str:
    value = " ".join(source.split())
    return (
        f'<div class="checked-site-placeholder" data-fence="{fence}"'
        f' data-value="{html.escape(value)}"></div>'
    )


class SiteClaims:
    """The claims of one build: where they are made, their results, and what shows them."""

    def __init__(self, options: CheckedSiteConfig, execution: Execution, templates) -> None:
        """templates: the theme's Jinja environment, which has the site's partials."""
        self.options = options
        self.execution = execution
        self.templates = templates
        self.snippets_dir = execution.snippets_dir
        # The fences that show what needs every claim run: a placeholder until `fill`.
        self._filled_later = {
            "claims-table": self._claims_table_html,
            "claims-summary": self._claims_summary_html,
            "claim-status": self._claim_status_html,
            "claim-formula": self._claim_formula_html,
        }
        self.start()

    def start(self) -> None:
        """Forget an earlier build's claims."""
        self.results: dict[str, claim_runner.ClaimResult] = {}
        self.made_on: dict[str, object] = {}  # claim id -> the page that makes it
        # The claims each page makes, by source path, in order; pages in reading order (`order`).
        self.by_page: dict[str, list[str]] = {}
        self.files = None
        # The (claim, value) pairs that each page shows (quotes.py), by source path.
        self.quotes_shown: dict[str, set[tuple[str, str]]] = {}

    def fences(self) -> list[dict]:
        """pymdownx.superfences' custom fences; format(source, page) gives a fence's HTML."""
        return [
            {"name": "claim", "format": self.show},
            *(
                {"name": name, "format": functools.partial(_placeholder_fence, name)}
                for name in self._filled_later
            ),
        ]

    # --- Before the pages -------------------------------------------------------------------

    def find(self, files, config) -> None:
        """The claims each page makes, and a page for each claim's code."""
        self.files = files
        self.by_page = {
            file.src_uri: ids
            for file in files.documentation_pages()
            if file.src_uri.endswith(".md")
            and (ids := [match["id"] for match in CLAIM_FENCE.finditer(file.content_string)])
        }
        for src_uri, claim_ids in self.by_page.items():
            for claim_id in filter(claim_runner.CLAIM_ID.fullmatch, claim_ids):
                files.append(self._code_page(claim_id, src_uri, config))
        if files.get_file_from_path(CHECKS_PAGE):
            for src_uri in self.by_page:
                text = f"```checks-of\n{src_uri}\n```\n"
                files.append(_generated_page(config, checks_page_of(src_uri), text))
            if config.nav:
                config.nav = _nav_with_checks_pages(config.nav, list(self.by_page))

    def order(self, nav) -> list[str]:
        """Put the pages in reading order; returns every claim id in that order."""
        order = {page.file.src_uri: index for index, page in enumerate(nav.pages)}
        self.by_page = dict(
            sorted(self.by_page.items(), key=lambda item: order.get(item[0], len(order)))
        )
        return [claim_id for ids in self.by_page.values() for claim_id in ids]

    def _code_page(self, claim_id: str, made_on: str, config) -> File:
        """The page of a claim's check code, which claim-code.js takes the code from."""
        claim_file = f"{self.options.snippets_dir}/claims/{claim_id}.py"
        path = claim_runner.claim_path(self.snippets_dir, claim_id)
        source = path.read_text("utf-8") if path.is_file() else ""
        fence = "`" * max([3, *(len(run) + 1 for run in re.findall("`+", source))])
        back = _link(made_on, f"{CLAIM_CODE_DIR}/{claim_id}.md")
        text = (
            f"# The check of claim {claim_id}\n\n"
            f"`{claim_file}` checks claim [`{claim_id}`]({back}#{claim_id}):\n\n"
            f'<div class="claim-source" markdown>\n\n{fence}python\n{source}\n{fence}\n\n</div>\n'
        )
        file = _generated_page(
            config, f"{CLAIM_CODE_DIR}/{claim_id}.md", text, template="claim-code.html"
        )
        file.dest_uri = f"{CLAIM_CODE_DIR}/{claim_id}.html"  # the URL claims link to
        return file

    # --- While a page converts --------------------------------------------------------------

    def expand_checks_page(self, markdown: str, page) -> str:
        """The Checks page's fence as Markdown: the summary, then a heading per page that makes
        claims (the table of contents), linking to the page of its claims' table."""
        if match := _CHECKS_OF_FENCE.fullmatch(markdown.strip()):
            return self._checks_of_page(match["src_uri"], page)

        def sections(_) -> str:
            parts = ["```claims-summary\n```"]
            for src_uri in self.by_page:
                made_on = self.files.get_file_from_path(src_uri).page
                anchor = made_on.url.strip("/").replace("/", "-") or "home"
                parts.append(
                    f"## {made_on.title} {{ #claims-{anchor} }}\n\n"
                    f"```claims-summary\n{src_uri}\n```"
                )
            return "\n\n".join(parts)

        return _CLAIMS_TABLE_FENCE.sub(sections, markdown)

    def _checks_of_page(self, src_uri: str, page) -> str:
        """The Markdown of the page listing the claims that the page src_uri makes."""
        made_on = self.files.get_file_from_path(src_uri).page
        here = page.file.src_uri
        return (
            f"# {_checks_title(made_on.title)}\n\n"
            f"The claims that [{made_on.title}]({_link(src_uri, here)}) makes,"
            " in the order they are made, and what their checks measured when the site was"
            f" built. [All checks]({_link(CHECKS_PAGE, here)}) says how to read them.\n\n"
            f"```claims-table\n{src_uri}\n```\n"
        )

    def statement(self, claim_id: str) -> str | None:
        """A claim's statement; None if there is no such claim."""
        try:
            source = claim_runner.claim_source(self.snippets_dir, claim_id)
        except (ValueError, FileNotFoundError):
            return None
        return claim_runner.statement_of(source, claim_id)

    def show(self, source: str, page) -> str:
        """The ```claim fence: the claim run (or taken from the cache) and its box."""
        claim_id = source.strip()
        try:
            if claim_id in self.made_on:
                raise ValueError(
                    f"claim {claim_id} is already made on"
                    f" {self.made_on[claim_id].file.src_uri};"
                    " link to it instead"
                )
            result = self.execution.claim(claim_id, page.file.src_uri)
        except Exception as error:  # superfences would swallow it and show the raw fence
            log.error(f"{page.file.src_uri}: claim {claim_id}: {error}")
            message = html.escape(f"Claim {claim_id}: {error}")
            return f'<p class="claim-error">{message}</p>'
        self.results[claim_id] = result
        self.made_on[claim_id] = page
        if self.options.execute and not result.passed:
            log.error(f"{page.file.src_uri}: claim {claim_id} fails: {result.failure()}")
        return self._claim_html(result, page)

    def check_ids(self, page) -> set[str]:
        """The ids of the claims the page makes, which no other element of it may have."""
        # Claims are raw HTML to MkDocs, so it would not see their ids when it validates
        # links such as `softmax.md#ce-logit-gradient`.
        made_here = {claim_id for claim_id, made_on in self.made_on.items() if made_on is page}
        for claim_id in sorted(made_here & set(page.present_anchor_ids or ())):
            log.error(
                f"{page.file.src_uri}: claim {claim_id} has the id of another element of the page"
                " (a heading?): give that element another id"
            )
        return made_here

    # --- Once every page has run its claims --------------------------------------------------

    def fill(self, content: str, page) -> str:
        """The page with its placeholders and its numbers quoted from claims filled in."""
        content = _PLACEHOLDER.sub(
            lambda match: self._filled_later[match[1]](html.unescape(match[2]), page), content
        )
        shown = self.quotes_shown.setdefault(page.file.src_uri, set())
        content, errors = fill_quotes(content, self._quoted, self.options.execute, shown)
        for error in errors:
            log.error(f"{page.file.src_uri}: {error}")
        return content

    def claims_shown(self, content: str) -> set[str]:
        """The claims whose results a page's content (before `fill`) shows, besides those it
        makes; "*" stands for every claim (the site's summary on the Checks page)."""
        shown = {match["claim"] for match in QUOTE.finditer(content)}
        for match in _PLACEHOLDER.finditer(content):
            value = html.unescape(match[2])
            if match[1] not in ("claims-table", "claims-summary"):
                shown.add(value.split(" ")[0])
            elif value:
                shown.update(self.by_page.get(value, ()))
            else:
                shown.add("*")
        return shown

    def _quoted(self, claim_id: str):
        """The values a claim quotes (checks.quote), for numbers in prose; None: no claim."""
        result = self.results.get(claim_id)
        return None if result is None else result.quoted

    def add_code_script(self, output: str, page) -> str:
        """The page's HTML with claim-code.js, if the page has a claim to open."""
        if 'class="claim-code"' not in output:
            return output
        script = get_relative_url(CLAIM_CODE_SCRIPT, page.url or "./")
        head, body_end, tail = output.rpartition("</body>")
        return f'{head}<script src="{script}" defer></script>{body_end}{tail}'

    def finish(self, site_dir: Path) -> None:
        """Report claims no page makes and quoted values no page shows; write claims.json."""
        for claim_id in claim_runner.all_claim_ids(self.snippets_dir):
            if claim_id not in self.made_on:
                log.error(
                    f"claim {claim_id} ({self.options.snippets_dir}/claims/{claim_id}.py)"
                    " is made on no page: add a ```claim fence where it belongs"
                )
        if not self.options.execute:
            return  # nothing was checked: no claims.json
        quoted = {claim_id: result.quoted for claim_id, result in self.results.items()}
        for error in unshown_quotes(quoted, set().union(*self.quotes_shown.values())):
            log.error(error)
        records = [
            claim_record(result, self.made_on[claim_id])
            for claim_id, result in sorted(self.results.items())
        ]
        path = site_dir / "claims.json"
        path.write_text(json.dumps(records, indent=2, ensure_ascii=False) + "\n", "utf-8")

    # --- HTML -------------------------------------------------------------------------------

    def _render(self, partial: str, **context) -> str:
        # Stripped: Markdown leaves HTML that does not start with its tag inside a <p>.
        return (
            self.templates.get_template(f"partials/{partial}.html")
            .render(execute=self.options.execute, figures=_figures, **context)
            .strip()
        )

    def _claim_html(self, result, page) -> str:
        claim_file = f"{self.options.snippets_dir}/claims/{result.id}.py"
        return self._render(
            "claim",
            claim=result,
            statement=_statement_html(result),
            checks=[
                (check, count, what_html(check.what), _figures(check))
                for check, count in _repeats_merged(result.checks)
            ],
            unchanged=list(map(what_html, result.unchanged_by_changes)),
            untied=[what_html(f"${formula}$") for formula in result.untied],
            code_page=get_relative_url(f"{CLAIM_CODE_DIR}/{result.id}.html", page.url or "./"),
            source_link=source_link(claim_file, self.options.source_url),
        )

    def _claims_summary_html(self, src_uri: str, page) -> str:
        """How many claims pass: of the site (src_uri empty), or of one page, with links to the
        claims and to the page of their table."""
        claim_ids = self.by_page.get(src_uri, self.results)
        # A claim that could not run (its error is logged) has no result: it fails.
        results = [self.results.get(claim_id) for claim_id in claim_ids]
        count, failing = len(results), sum(not (result and result.passed) for result in results)
        if not src_uri:
            summary = f"All {count} claims pass."
            if failing:
                summary = f"{failing} of {count} claims FAIL."
            if not self.options.execute:
                summary = "This build runs no code: no claim was checked."
            return f'<p class="claims-summary">{summary}</p>'
        verdict = f"{failing} FAIL" if failing else "all pass" if count > 1 else "it passes"
        if not self.options.execute:
            verdict = "not checked"
        made_on = self.files.get_file_from_path(src_uri).page
        table = self.files.get_file_from_path(checks_page_of(src_uri)).page
        ids = ", ".join(
            f'<a href="{self._href(claim_id, page)}"><code>{claim_id}</code></a>'
            if claim_id in self.made_on
            else f"<code>{claim_id}</code>"
            for claim_id in claim_ids
        )
        return (
            f'<p><a href="{self._href_to(made_on, page)}">{made_on.title}</a> makes {count}'
            f" claim{'s' if count > 1 else ''} ({verdict}): {ids}."
            f' <a href="{self._href_to(table, page)}">What the checks measured</a>.</p>'
        )

    def _href_to(self, target, page) -> str:
        """Where page links to the page target."""
        return get_relative_url(target.url or "./", page.url or "./")

    def _href(self, claim_id: str, page) -> str:
        """Where page links to the claim."""
        return f"{self._href_to(self.made_on[claim_id], page)}#{claim_id}"

    def _claims_table_html(self, src_uri: str, page) -> str:
        """The claims one page makes: each statement and what its checks measured."""
        rows = [
            (result, self._href(result.id, page), _statement_html(result))
            for result in map(self.results.get, self.by_page[src_uri])
            if result  # one that could not run has its error logged, and no row
        ]
        return self._render("claims-table", rows=rows)

    def _claim_formula_html(self, reference: str, page) -> str:
        """A formula of a claim's statement ("<id> <n>"), boxed."""
        try:
            formula = claim_runner.formula_of(self.results, reference, checked=self.options.execute)
        except ValueError as error:
            log.error(f"{page.file.src_uri}: claim-formula {reference}: {error}")
            return f'<p class="claim-error">{html.escape(str(error))}</p>'
        return f'<div class="arithmatex">\\[\\boxed{{{html.escape(formula)}}}\\]</div>'

    def _claim_status_html(self, claim_id: str, page) -> str:
        """The live outcome of a claim made on another page."""
        result = self.results.get(claim_id)
        if result is None:
            log.error(f"{page.file.src_uri}: claim-status of {claim_id}, which no page makes")
            return f'<p class="claim-error">No claim {html.escape(claim_id)}.</p>'
        binding = result.binding_check
        return self._render(
            "claim-status",
            claim=result,
            href=self._href(claim_id, page),
            status="success" if result.passed else "failure",
            binding=binding
            and {"observed": _number(binding.observed), "tolerance": _number(binding.tolerance)},
        )


def _link(src_uri: str, from_src_uri: str) -> str:
    """A Markdown link's target, from the page from_src_uri to the source file src_uri."""
    return posixpath.relpath(src_uri, posixpath.dirname(from_src_uri) or ".")


def _generated_page(config, src_uri: str, text: str, template: str | None = None) -> File:
    """A page the build writes about claims, reached by links, not from the navigation (unless
    put there), and not searched: what it shows is found on the pages that make the claims."""
    front_matter = f"template: {template}\n" if template else ""
    content = f"---\n{front_matter}search:\n  exclude: true\n---\n\n{text}"
    return File.generated(config, src_uri, content=content, inclusion=InclusionLevel.NOT_IN_NAV)


def _checks_title(title: str) -> str:
    """The title of the page of the checks of the page titled so."""
    return f"Checks: {title}"


def _nav_titles(nav: list) -> dict[str, str]:
    """The title of each page in a navigation config, by source path, in reading order."""
    titles = {}
    for item in nav:
        for title, value in item.items() if isinstance(item, dict) else [(None, item)]:
            if isinstance(value, list):
                titles |= _nav_titles(value)
            elif title:
                titles[value] = title
    return titles


def _nav_with_checks_pages(nav: list, made_on: list[str]) -> list:
    """The navigation config with its Checks entry made a section: the Checks page, then the
    page of each page's checks, in reading order, under "By page". Each is titled as its own
    heading is, so that no link to it (the footer's, the tab's) reads as one to the page itself.

    >>> nav = [{"B": "b.md"}, {"A": "a.md"}, {"Checks": CHECKS_PAGE}]
    >>> _nav_with_checks_pages(nav, ["a.md", "b.md"])[2]["Checks"][1]
    {'By page': [{'Checks: B': 'checks/b.md'}, {'Checks: A': 'checks/a.md'}]}
    """
    titles = _nav_titles(nav)
    by_page = [
        {_checks_title(titles[src_uri]): checks_page_of(src_uri)}
        for src_uri in titles
        if src_uri in made_on
    ]

    def with_pages(item):
        if isinstance(item, dict) and list(item.values()) == [CHECKS_PAGE]:
            return {title: [{"All checks": CHECKS_PAGE}, {"By page": by_page}] for title in item}
        return item

    return [with_pages(item) for item in nav]


def _statement_html(result) -> str:
    return fragment(result.statement).removeprefix("<p>").removesuffix("</p>")


def what_html(what: str) -> str:
    r"""A check's description as HTML, its $…$ as arithmatex's markup, which the build renders.

    >>> print(what_html(r"sympy: $\sum_j e^{z_j}$ > 0"))
    sympy: <span class="arithmatex">\(\sum_j e^{z_j}\)</span> &gt; 0
    """
    parts = claim_runner.INLINE_TEX.split(what)  # text and TeX alternate
    return "".join(
        f'<span class="arithmatex">\\({html.escape(part)}\\)</span>'
        if index % 2
        else html.escape(part)
        for index, part in enumerate(parts)
    )


def _number(value: float) -> str:
    if value == 0:
        return "0"
    return f"{value:.1e}"


def _repeats_merged(checks) -> list[tuple[object, int]]:
    """One row for each thing compared (kind and what), in order: of the checks that compare
    it, the one closest to its tolerance, and how many there are. A claim may check one formula
    of its statement at dozens of cases: dozens of identical rows would bury the others."""
    repeats: dict[tuple[str, str], list] = {}
    for check in checks:
        repeats.setdefault((check.kind, check.what), []).append(check)
    return [(claim_runner.binding(same), len(same)) for same in repeats.values()]


def _figures(check) -> str:
    """A check's observed error against its tolerance ("" for no check)."""
    if check is None:
        return ""
    if check.passed:
        return f"{_number(check.observed)} ≤ {_number(check.tolerance)}"
    return f"{_number(check.observed)} > {_number(check.tolerance)}, FAILED"


def claim_record(result, page) -> dict:
    """A claim's record in claims.json."""
    binding = result.binding_check
    return {
        "id": result.id,
        "statement": result.statement,
        "page": f"{page.url or './'}#{result.id}",
        "checks": [c.kind for c in result.checks],
        "observed": _finite(binding.observed) if binding else None,
        "tolerance": _finite(binding.tolerance) if binding else None,
        "passed": result.passed,
        "formulas_tied": result.tied,
        "formulas_untied": result.untied,
        "quoted": result.quoted,
        "unchanged_by_changes": result.unchanged_by_changes,
        "details": [
            {
                "kind": c.kind,
                "what": c.what,
                "observed": _finite(c.observed),
                "tolerance": c.tolerance,
                "passed": c.passed,
                "fails_when_changed": c.fails_when_changed,
            }
            for c in result.checks
        ],
    }


def _finite(value: float) -> float | None:
    """JSON has no inf or nan: an unmeasurable error is null."""
    return value if value == value and abs(value) != float("inf") else None
