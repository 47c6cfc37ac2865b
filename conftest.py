"""Collection rules for pytest at the root of the project."""

# Claim files are scripts that check as they run: tests/test_claims.py runs them, once each,
# rather than --doctest-modules importing them.
collect_ignore_glob = ["snippets/claims/*.py"]
