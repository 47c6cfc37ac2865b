"""What a copy of the project leaves out: environments, caches and build output.

The tests break copies of the project and `make bench` serves one.
"""

import shutil

NOT_COPIED = shutil.ignore_patterns(
    ".git",
    ".venv",
    ".tools",
    "node_modules",
    "site",
    "gallery",
    ".cache",
    "__pycache__",
    ".pytest_cache",
    ".ruff_cache",
)
