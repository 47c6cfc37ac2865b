"""Only the project's own files are published: a symbolic link out of it is refused.

Snippets are shown on pages and claims are run from `snippets/`; a link there to a file
elsewhere on the machine (a key, another user's file) would be read and published.
"""

from __future__ import annotations

import os
from pathlib import Path

from mkdocs.exceptions import PluginError


def links_out_of(folder: Path, root: Path) -> list[str]:
    """The symbolic links under folder (not followed) whose target is not inside root."""
    root = root.resolve()
    leaving = []
    for directory, subdirectories, files in os.walk(folder):
        for name in [*subdirectories, *files]:
            path = Path(directory) / name
            if path.is_symlink() and not path.resolve().is_relative_to(root):
                leaving.append(f"{path.relative_to(root)} -> {os.readlink(path)}")
    return sorted(leaving)


def refuse_links_out_of(folder: Path, root: Path) -> None:
    """Fail the build if folder has a symbolic link out of root."""
    if leaving := links_out_of(folder, root):
        raise PluginError(
            "links out of the project, which the build would read and publish: "
            + "; ".join(leaving)
        )
