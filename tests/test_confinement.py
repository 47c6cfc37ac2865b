"""Nothing from a block reaches the reader unescaped, and nothing outside the project is read:
a block's printed text is escaped, HTML output that would run something is refused, a link out
of snippets/ is refused, and notebook settings live in a folder of the build's own."""

from __future__ import annotations

import os
import tempfile

import nbformat
import pytest
from mkdocs_jupyter.nbconvert2 import nb2html

from sitebuild.notebooks import configure_notebook_execution
from sitebuild.output import active_content
from sitebuild.project_files import links_out_of
from tests.conftest import add_page, assert_fails, build, parse_page

# Output that runs or loads something in a browser, each hidden the way a filter that reads
# HTML as text, not as a browser does, would miss it.
_ACTIVE = {
    "script": "<script>alert(1)</script>",
    "svg-script": '<svg><script href="x.js"></script></svg>',
    "script-after-svg-style": "<svg><style></style></svg><script>alert(1)</script>",
    "noscript-attribute": '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "event-handler": '<p onclick="alert(1)">text</p>',
    "svg-event-handler": '<svg><rect onmouseover="alert(1)"/></svg>',
    "upper-case-handler": "<img src=x ONERROR=alert(1)>",
    "javascript-url": '<a href="javascript:alert(1)">x</a>',
    "javascript-url-with-noise": '<a href=" java\tscript:alert(1)">x</a>',
    "svg-xlink-javascript": '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    "svg-animated-href": '<svg><a><set attributeName="href" to="javascript:alert(1)"/></a></svg>',
    "iframe": '<iframe src="https://example.test/"></iframe>',
    "iframe-srcdoc": '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    "object": '<object data="x.svg"></object>',
    "base": '<base href="https://example.test/">',
    "meta-refresh": '<meta http-equiv="refresh" content="0; url=https://example.test/">',
}


@pytest.mark.parametrize("kind", _ACTIVE)
def test_active_html_is_found(kind):
    assert active_content(_ACTIVE[kind]), kind


def test_a_figure_is_not_refused():
    """The site's figures are what html="1" is for: inline SVG with its own styles."""
    from figures import figure_html, new_figure  # snippets/figures.py, as the pages use it

    figure, axes = new_figure()
    axes.plot([0, 1], [0, 1], label="a line")
    axes.legend()
    figure_markup = figure_html(figure, "A line")
    assert "<svg" in figure_markup
    assert active_content(figure_markup) == []


def test_links_out_of_the_project_are_found(tmp_path):
    project = tmp_path / "project"
    snippets = project / "snippets"
    (snippets / "sub").mkdir(parents=True)
    (snippets / "inside.py").write_text("x = 1\n")
    (tmp_path / "secret.txt").write_text("secret\n")
    (snippets / "alias.py").symlink_to(snippets / "inside.py")  # inside the project: fine
    (snippets / "sub" / "leak.py").symlink_to(tmp_path / "secret.txt")
    (snippets / "folder").symlink_to(tmp_path)
    assert links_out_of(snippets, project) == [
        f"snippets/folder -> {tmp_path}",
        f"snippets/sub/leak.py -> {tmp_path / 'secret.txt'}",
    ]


def test_notebook_settings_are_private_to_the_build(tmp_path, monkeypatch):
    """Another user of the machine plants a configuration where the settings used to go (a
    fixed folder in the temporary directory): no notebook execution may run it."""
    monkeypatch.delenv("JUPYTER_CONFIG_PATH", raising=False)  # restored after the test
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    marker = tmp_path / "planted-configuration-ran"
    planted_code = f"open({str(marker)!r}, 'w').close()\n"
    for seconds in ("60s", "2s"):  # the folders the build used, named by the time limit
        planted = tmp_path / f"checked-site-jupyter-{seconds}"
        planted.mkdir()
        (planted / "jupyter_nbconvert_config.py").write_text(planted_code)
    settings, folder = configure_notebook_execution(seconds=60)
    assert folder.stat().st_mode & 0o077 == 0, "the settings' folder is readable by others"
    assert folder != configure_notebook_execution(seconds=60)[1], "two builds share a folder"
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell("print(1 + 1)")]
    path = tmp_path / "one-cell.ipynb"
    nbformat.write(notebook, path)
    assert "2" in nb2html(str(path), execute=True)
    assert not marker.exists(), "a configuration planted in the temporary directory ran"
    assert settings["NotebookClient"]["timeout"] == 60


@pytest.mark.slow
def test_a_link_out_of_snippets_fails_the_build(tiny_project, tmp_path):
    (tmp_path / "secret.txt").write_text("do not publish\n")
    (tiny_project / "snippets" / "leak.py").symlink_to(tmp_path / "secret.txt")
    add_page(tiny_project, "fault.md", '# Fault\n\n```python\n--8<-- "leak.py"\n```\n')
    site = tmp_path / "site"
    assert_fails(build(tiny_project, site), "snippets/leak.py ->", "links out of the project")
    published = [p for p in site.rglob("*.html") if "do not publish" in p.read_text()]
    assert not published, published


@pytest.mark.slow
def test_block_output_is_escaped_or_refused(tiny_project, tmp_path):
    add_page(
        tiny_project,
        "fault.md",
        "# Fault\n\n"
        '```python exec="on" id="prints-a-tag"\n'
        'print("Text <script>alert(1)</script> and <b>bold</b>")\n```\n\n'
        '```python exec="on" html="1" id="html-with-a-handler"\n'
        "print('<svg><rect onclick=\"alert(1)\"/></svg>')\n```\n\n"
        '```python exec="on" html="1" id="html-with-a-script"\n'
        "print('<p>x</p><script>alert(1)</script>')\n```\n",
    )
    site = tmp_path / "site"
    output = assert_fails(
        build(tiny_project, site),
        "fault.md: python block 'html-with-a-handler': its output has an event handler (onclick",
        "fault.md: python block 'html-with-a-script': its output has a <script> element",
    )
    assert "prints-a-tag" not in output, "the escaped block was refused"
    page = parse_page(site / "fault" / "index.html")
    article = page.select_one("article")
    assert not article.select("script, b, [onclick]"), article
    assert "Text <script>alert(1)</script> and <b>bold</b>" in article.get_text()
    assert os.path.exists(site / "fault" / "index.html")
