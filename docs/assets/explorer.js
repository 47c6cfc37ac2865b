/* Logit explorer: sliders for the logits z and a menu for the label class y; shows
   q = softmax(z), p = e_y, q − p and the loss live. The page's table holds the values for
   the default logits, so without JavaScript it still reads as a worked example.
   The arithmetic follows snippets/losses.py: shift by the largest logit before exp. */
(() => {
  "use strict";

  // Fixed decimals with a Unicode minus, and never "−0.000000".
  const format = (x, digits) => {
    const text = x.toFixed(digits);
    return Number(text) === 0 ? (0).toFixed(digits) : text.replace("-", "\u2212");
  };

  const setUp = (explorer) => {
    if (explorer.dataset.ready) return; // instant navigation may run this again
    explorer.dataset.ready = "true";
    const sliders = [...explorer.querySelectorAll("input[type=range]")];
    const label = explorer.querySelector("select");
    const rows = [...explorer.querySelectorAll("tbody tr")];
    const status = explorer.querySelector("[data-status]");
    const show = (selector, text) => (explorer.querySelector(selector).textContent = text);
    let announce;

    const update = () => {
      const z = sliders.map((slider) => slider.valueAsNumber);
      const y = Number(label.value);
      const zMax = Math.max(...z);
      const exps = z.map((zi) => Math.exp(zi - zMax)); // each ≤ 1: no overflow
      const sum = exps.reduce((a, b) => a + b, 0);
      // −log q_y = log Σ exp(z − max) − (z_y − max): finite even where q_y underflows to 0.
      const loss = Math.log(sum) - (z[y] - zMax);
      rows.forEach((row, i) => {
        const q = exps[i] / sum;
        const p = i === y ? 1 : 0;
        row.classList.toggle("logit-explorer__label-row", i === y);
        row.style.setProperty("--q", q);
        row.querySelector("[data-z]").textContent = format(z[i], 1);
        row.querySelector("[data-q]").textContent = format(q, 6);
        row.querySelector("[data-p]").textContent = String(p);
        row.querySelector("[data-residual]").textContent = format(q - p, 6);
      });
      show("[data-loss]", format(loss, 6));
      show("[data-y]", String(y + 1));
    };

    // Announce the loss once the reader pauses, not at every step of a slider.
    explorer.addEventListener("input", () => {
      update();
      clearTimeout(announce);
      announce = setTimeout(() => {
        status.textContent = `Loss ${explorer.querySelector("[data-loss]").textContent}`;
      }, 700);
    });
    explorer.querySelectorAll("[data-needs-script]").forEach((el) => (el.hidden = false));
    update();
  };

  const setUpAll = () => document.querySelectorAll("[data-logit-explorer]").forEach(setUp);
  // Material re-emits document$ after each instant-navigation page load.
  if (window.document$) window.document$.subscribe(setUpAll);
  else setUpAll();
})();
