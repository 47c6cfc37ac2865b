"""How this project starts Chromium: for the browser tests and for `make audit` (Lighthouse)."""

# Flags that let Chromium run headless as root without reaching outside the machine.
# Playwright adds --headless itself; Lighthouse needs it in its list.
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
