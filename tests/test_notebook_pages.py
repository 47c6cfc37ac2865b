"""Notebook pages read like the rest of the site: plots in the dark scheme, code in the site's
colours, phone-wide code cells, and links that work under any sub-path.
"""

from __future__ import annotations

from tests.conftest import parse_page

# Attributes whose value is a URL; one starting with "/" breaks under a sub-path.
URL_ATTRIBUTES = ("href", "src", "action", "poster", "data", "formaction", "xlink:href")


def test_no_root_absolute_urls(built_site):
    """Every URL is relative, so the site works wherever it is served.

    404.html is left out: it is served at any missing URL, so MkDocs writes its links from
    site_url's path on purpose.
    """
    found = []
    for path in sorted(built_site.rglob("*.html")):
        if path.name == "404.html" and path.parent == built_site:
            continue
        for element in parse_page(path).find_all(True):
            values = [element.get(name) for name in URL_ATTRIBUTES]
            srcset = element.get("srcset") or ""
            values += [candidate.split()[0] for candidate in srcset.split(",") if candidate.strip()]
            found += [
                f"{path.relative_to(built_site)}: <{element.name}> {value}"
                for value in values
                if isinstance(value, str) and value.startswith("/")
            ]
    assert not found, "root-absolute URLs:\n" + "\n".join(found)
