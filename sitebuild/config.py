"""The checked-site plugin's options (under `plugins: checked-site` in mkdocs.yml), its logger,
and the parts of the site's configuration it cannot work with."""

from __future__ import annotations

from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger

log = get_plugin_logger("checked-site")


class CheckedSiteConfig(Config):
    snippets_dir = config_options.Type(str, default="snippets")
    exec_timeout = config_options.Type((int, float), default=60)
    """Seconds a markdown-exec block, a claim or a notebook cell may run."""
    output_limit = config_options.Type(int, default=1_000_000)
    """Characters a block may print."""
    tex_macros = config_options.Type(dict, default={})
    execute = config_options.Type(bool, default=True)
    """False builds the pages without running blocks, claims or notebooks (a bare build)."""
    cache_dir = config_options.Optional(config_options.Type(str))
    """Where the execution cache lives, relative to mkdocs.yml; unset or empty: no cache."""
    source_url = config_options.Type(str, default="")
    """Where the repository shows a file, ending in "/": blocks and claims link to their code."""
    timings_file = config_options.Type(str, default="")
    """If set, where each build writes what execution cost, block by block (for make bench)."""
    equations_pending = config_options.Type(list, default=[])
    """Pages whose unchecked display equations are reported but do not fail the build."""


def check_theme(config) -> None:
    """Refuse a theme setting that overrides/main.html does not support."""
    for palette in config.theme.get("palette") or []:
        if palette.get("media") == "(prefers-color-scheme)":
            raise PluginError(
                "theme.palette: an automatic palette (media: (prefers-color-scheme)) is not"
                " supported by the colour scheme toggle of overrides/main.html"
            )
