"""The logit explorer in headless Chromium: its numbers are those of the reference implementation.

Every value the explorer shows (q, p, q − p and the loss) is compared with snippets/losses.py to
1e-6, for logits set with the keyboard and for extreme logits set directly. The controls must
have accessible names and work from the keyboard, and without JavaScript the page must still
show the worked example, with no inert controls.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from losses import cross_entropy, cross_entropy_grad, softmax

from tests.conftest import PAGES, ROOT, page_url

pytestmark = pytest.mark.browser

MARKER = "data-logit-explorer"
# Six decimals are shown: rounding is off by at most 5e-7.
TOLERANCE = 1e-6
STEP = 0.1
LOWEST, HIGHEST = -6.0, 6.0
DEFAULT_LOGITS = (2.0, 1.0, 0.2, -1.0)
DEFAULT_LABEL = 1  # class 2, zero-based as in losses.py


def _explorer_pages() -> list[str]:
    docs = ROOT / "docs"
    pages = []
    for source in sorted(docs.rglob("*.md")):
        if MARKER in source.read_text():
            pages.append(page_url(source.relative_to(docs)))
    return pages


EXPLORER_PAGES = _explorer_pages()


def test_explorer_is_on_a_page():
    assert EXPLORER_PAGES, f"no page has {MARKER}"
    assert set(EXPLORER_PAGES) <= set(PAGES)


def number(text: str) -> float:
    """A shown number; the page writes minus signs as U+2212."""
    return float(text.strip().replace("\u2212", "-"))


def shown(page) -> dict[str, np.ndarray | float | int]:
    explorer = page.locator(f"[{MARKER}]")
    rows = explorer.locator("tbody tr")

    def column(selector: str) -> np.ndarray:
        return np.array([number(text) for text in rows.locator(selector).all_inner_texts()])

    return {
        "z": column("[data-z]"),
        "q": column("[data-q]"),
        "p": column("[data-p]"),
        "residual": column("[data-residual]"),
        "loss": number(explorer.locator("[data-loss]").inner_text()),
        "class": int(explorer.locator("[data-y]").inner_text()),
    }


def assert_matches_reference(page, logits, label: int) -> None:
    """The page shows what losses.py computes for these logits and this label (zero-based)."""
    values = shown(page)
    z = np.array(logits, dtype=float)
    p = np.eye(len(z))[label]
    np.testing.assert_allclose(values["z"], z, rtol=0, atol=1e-12)
    assert values["class"] == label + 1
    np.testing.assert_array_equal(values["p"], p)
    np.testing.assert_allclose(values["q"], softmax(z), rtol=0, atol=TOLERANCE)
    np.testing.assert_allclose(values["residual"], cross_entropy_grad(p, z), rtol=0, atol=TOLERANCE)
    assert values["loss"] == pytest.approx(float(cross_entropy(p, z)), rel=0, abs=TOLERANCE)


@pytest.fixture
def open_page(browser, site_url):
    """Opens a page with JavaScript on; fails the test on any script error."""
    context = browser.new_context()
    errors: list[str] = []

    def open_(path: str):
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(site_url + path)
        page.locator(f"[{MARKER}] input[type=range]").first.wait_for(state="visible")
        return page

    yield open_
    context.close()
    assert not errors, errors


def slider(page, index: int):
    return page.get_by_role("slider", name=f"z{index + 1}", exact=True)


def label_menu(page):
    return page.get_by_role("combobox", name="Label class y", exact=True)


def clamp(value: float) -> float:
    return min(max(value, LOWEST), HIGHEST)


# Keys pressed on a slider, and what each does to its logit.
SLIDER_KEYS = {
    "ArrowRight": lambda z: clamp(z + STEP),
    "ArrowUp": lambda z: clamp(z + STEP),
    "ArrowLeft": lambda z: clamp(z - STEP),
    "ArrowDown": lambda z: clamp(z - STEP),
    "Home": lambda z: LOWEST,
    "End": lambda z: HIGHEST,
}
# Keys pressed on the closed label menu, and what each does to the label.
MENU_KEYS = {
    "ArrowDown": lambda y: min(y + 1, len(DEFAULT_LOGITS) - 1),
    "ArrowUp": lambda y: max(y - 1, 0),
    "Home": lambda y: 0,
    "End": lambda y: len(DEFAULT_LOGITS) - 1,
}

# (keys per slider, keys on the label menu), starting from the defaults.
KEYBOARD_CASES = {
    "defaults": ({}, []),
    "arrows": ({0: ["ArrowRight"] * 3, 3: ["ArrowLeft"] * 5, 2: ["ArrowUp"]}, ["ArrowDown"]),
    "label-far-behind": ({0: ["End"], 1: ["Home"], 2: ["End"]}, ["Home", "ArrowDown"]),
    "past-the-ends": ({0: ["End", "ArrowRight"], 3: ["Home", "ArrowDown", "ArrowUp"]}, ["End"]),
}


@pytest.mark.parametrize("path", EXPLORER_PAGES)
def test_keyboard_values_match_reference(open_page, subtests, path):
    for case, (slider_keys, menu_keys) in KEYBOARD_CASES.items():
        with subtests.test(case=case):
            # A new page, not a reload: Chromium restores form values on reload.
            page = open_page(path)
            logits, label = list(DEFAULT_LOGITS), DEFAULT_LABEL
            for index, keys in slider_keys.items():
                slider(page, index).focus()
                for key in keys:
                    page.keyboard.press(key)
                    logits[index] = SLIDER_KEYS[key](logits[index])
            label_menu(page).focus()
            for key in menu_keys:
                page.keyboard.press(key)
                label = MENU_KEYS[key](label)
            # The keys did what was expected: the controls hold the logits and label computed here.
            for index, logit in enumerate(logits):
                assert float(slider(page, index).input_value()) == pytest.approx(logit, abs=1e-9)
            assert label_menu(page).input_value() == str(label)
            assert_matches_reference(page, logits, label)
            page.close()


# Logits at the ends of the range and far apart, set directly; the label is zero-based.
EXTREME_CASES = {
    "confident-and-right": ((6.0, -6.0, -6.0, -6.0), 0),
    "confident-and-wrong": ((6.0, -6.0, -6.0, -6.0), 1),
    "all-lowest": ((-6.0, -6.0, -6.0, -6.0), 3),
    "all-highest": ((6.0, 6.0, 6.0, 6.0), 2),
    "tie-at-the-top": ((6.0, 6.0, -6.0, 5.9), 2),
    "small-differences": ((0.1, -0.1, 0.3, -0.3), 3),
}


@pytest.mark.parametrize("path", EXPLORER_PAGES)
def test_extreme_values_match_reference(open_page, subtests, path):
    page = open_page(path)
    for case, (logits, label) in EXTREME_CASES.items():
        with subtests.test(case=case):
            set_controls(page, logits, label)
            assert_matches_reference(page, logits, label)


def set_controls(page, logits, label: int) -> None:
    """Sets every slider and the menu as a script would, each with its input event."""
    page.locator(f"[{MARKER}]").evaluate(
        """(explorer, values) => {
            const sliders = explorer.querySelectorAll("input[type=range]");
            const controls = [...sliders, explorer.querySelector("select")];
            values.forEach((value, i) => {
                controls[i].value = String(value);
                controls[i].dispatchEvent(new Event("input", {bubbles: true}));
            });
        }""",
        [*logits, label],
    )


@pytest.mark.parametrize("path", EXPLORER_PAGES)
def test_loss_is_announced_once_after_a_burst(open_page, path):
    page = open_page(path)
    status = page.locator(f"[{MARKER}] [aria-live=polite]")
    assert status.inner_text() == "", "nothing is announced before the reader acts"
    # Ten steps of a slider 50 ms apart, as a held-down key gives them. Timed in the page, so
    # a slow test process cannot stretch the gaps; a stalled page runs its timers in order.
    page.locator(f"[{MARKER}]").evaluate(
        """async explorer => {
            window.announcements = 0;
            const status = explorer.querySelector("[aria-live=polite]");
            new MutationObserver(() => window.announcements++)
                .observe(status, {childList: true, characterData: true, subtree: true});
            const slider = explorer.querySelector("input[type=range]");
            for (let step = 0; step < 10; step++) {
                slider.stepDown();
                slider.dispatchEvent(new Event("input", {bubbles: true}));
                await new Promise(resolve => setTimeout(resolve, 50));
            }
        }"""
    )
    loss = page.locator(f"[{MARKER}] [data-loss]").inner_text()
    page.wait_for_function("window.announcements > 0")
    page.wait_for_timeout(1000)
    assert page.evaluate("window.announcements") == 1
    assert status.inner_text() == f"Loss {loss}"


@pytest.mark.parametrize("path", EXPLORER_PAGES)
def test_controls_are_labelled_and_reached_with_tab(open_page, path):
    page = open_page(path)
    controls = page.locator(f"[{MARKER}] :is(input, select, button, textarea)")
    named = [slider(page, i) for i in range(len(DEFAULT_LOGITS))] + [label_menu(page)]
    assert controls.count() == len(named)
    for control in named:
        assert control.count() == 1
        assert control.is_visible()
        control_id = control.get_attribute("id")
        label = page.locator(f"label[for='{control_id}']")
        assert label.is_visible()
        assert page.get_by_label(label.inner_text(), exact=True).get_attribute("id") == control_id
    # Tab goes from the menu through the sliders in order.
    label_menu(page).focus()
    order = []
    for _ in range(len(DEFAULT_LOGITS)):
        page.keyboard.press("Tab")
        order.append(page.evaluate("document.activeElement.id"))
    assert order == [slider(page, i).get_attribute("id") for i in range(len(DEFAULT_LOGITS))]


@pytest.mark.parametrize("path", EXPLORER_PAGES)
def test_without_javascript_the_example_reads_and_no_control_is_inert(browser, site_url, path):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + path)
    explorer = page.locator(f"[{MARKER}]")
    # Controls that would do nothing are not shown.
    controls = explorer.locator(":is(input, select, button, textarea)")
    assert controls.count() > 0
    for i in range(controls.count()):
        assert not controls.nth(i).is_visible()
    # The table is a worked example: its numbers are losses.py's for its logits and label.
    assert explorer.locator("table caption").is_visible()
    assert explorer.locator("tbody tr").count() == len(DEFAULT_LOGITS)
    values = shown(page)
    label = int(np.flatnonzero(values["p"])[0])
    assert_matches_reference(page, values["z"], label)
    # The hidden sliders start where the table says, so turning JavaScript on changes nothing.
    starts = explorer.locator("input[type=range]").evaluate_all("all => all.map(s => s.value)")
    np.testing.assert_array_equal([float(start) for start in starts], values["z"])
    assert explorer.locator("select").input_value() == str(label)
    # The page says why there are no sliders.
    text = explorer.inner_text()
    assert re.search(r"JavaScript", text), text
    assert explorer.locator("[data-loss]").is_visible()
    context.close()


@pytest.mark.parametrize("path", EXPLORER_PAGES)
def test_table_fits_a_phone(browser, site_url, path):
    """At 360 px the table fits the column: every cell is inside the window and inside each box
    around it that clips, and no such box scrolls sideways, so no column has to be scrolled to."""
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(site_url + path)
    page.locator(f"[{MARKER}] input[type=range]").first.wait_for(state="visible")
    clipped = page.locator(f"[{MARKER}] table").evaluate(
        """table => {
          // The visible part of the window, narrowed by each ancestor that clips its content.
          let right = document.documentElement.clientWidth, left = 0;
          const out = [];
          for (let e = table; e; e = e.parentElement) {
            if (getComputedStyle(e).overflowX === "visible") continue;
            if (e.scrollWidth > e.clientWidth + 1) {
              out.push(`${e.tagName}.${e.className} scrolls: ${e.scrollWidth} > ${e.clientWidth}`);
            }
            const box = e.getBoundingClientRect();
            left = Math.max(left, box.left + e.clientLeft);
            right = Math.min(right, box.left + e.clientLeft + e.clientWidth);
          }
          for (const cell of table.querySelectorAll("th, td")) {
            const box = cell.getBoundingClientRect();
            if (box.left < left - 0.5 || box.right > right + 0.5) {
              out.push(`${cell.textContent.trim()}: ${box.left.toFixed(1)}-`
                + `${box.right.toFixed(1)} outside ${left.toFixed(1)}-${right.toFixed(1)}`);
            }
          }
          return out;
        }"""
    )
    context.close()
    assert not clipped, f"{path}: cells out of view at 360 px:\n" + "\n".join(clipped)
