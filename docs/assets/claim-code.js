// A claim's check code is a page of the site (claims/<id>.html), which the claim links to.
// When the reader opens a claim (its checks and code), the code is fetched from that page and
// shown in place of the link, with the theme's copy button. Pages with many claims stay light
// (the code is most of their weight), and without JavaScript the link still leads to the code.
(() => {
  const copyTitle = () => {
    const config = document.getElementById("__config");
    const translations = config ? JSON.parse(config.textContent).translations : {};
    return translations["clipboard.copy"] || "Copy to clipboard";
  };

  // The theme's copy button, as it adds it to the code blocks it finds when the page loads;
  // its clipboard handler listens on the whole document, so it serves this button too.
  const copyButton = pre => {
    const bar = document.createElement("nav");
    bar.className = "md-code__nav";
    bar.setAttribute("role", "none"); // a bar of buttons, not navigation
    const button = document.createElement("button");
    button.className = "md-code__button";
    button.title = copyTitle();
    button.dataset.clipboardTarget = `#${pre.id} > code`;
    button.dataset.mdType = "copy";
    bar.append(button);
    return bar;
  };

  const show = async details => {
    const placeholder = details.querySelector(":scope > .claim-code");
    const link = placeholder?.querySelector("a");
    if (!link || details.dataset.claimCode) return;
    details.dataset.claimCode = "loading";
    try {
      const response = await fetch(link.href);
      if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
      const page = new DOMParser().parseFromString(await response.text(), "text/html");
      const block = page.querySelector(".claim-source .highlight");
      if (!block) throw new Error("no code in the page");
      const pre = block.querySelector("pre");
      pre.id = `claim-code-${details.closest(".claim").id}`;
      pre.insertBefore(copyButton(pre), pre.querySelector("code"));
      // The code may scroll sideways: keyboard users reach it with Tab.
      pre.querySelector("code").tabIndex = 0;
      placeholder.replaceWith(document.adoptNode(block));
      details.dataset.claimCode = "shown";
    } catch (error) {
      delete details.dataset.claimCode; // opening the box again tries again
      console.warn(`The code of the check could not be loaded (${error}): follow the link.`);
    }
  };

  // "toggle" does not bubble: listen while it goes down to the <details>.
  addEventListener(
    "toggle",
    event => {
      if (event.target.matches?.(".claim > details") && event.target.open) show(event.target);
    },
    true,
  );
  // A box that is open already (restored by the browser, say) gets its code too.
  for (const details of document.querySelectorAll(".claim > details[open]")) show(details);
})();
