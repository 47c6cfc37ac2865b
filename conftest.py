"""Collection rules for pytest at the root of the project."""

# Modules at the top of snippets/ are libraries: --doctest-modules imports them and runs their
# examples. Files in its folders are scripts that act when run (claims check, figures print):
# tests/test_claims.py and tests/test_snippets.py run them, once each.
collect_ignore_glob = ["snippets/*/*.py"]
