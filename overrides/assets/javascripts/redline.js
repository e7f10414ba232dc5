/* Redline's behaviour in the browser. Every page reads correctly without it. */
(function () {
  "use strict";

  /* A table wider than the screen scrolls in its own box; keyboard users must be able to
     reach that box to scroll it (WCAG 2.1.1; axe: scrollable-region-focusable). */
  function focusableScrollBoxes() {
    document.querySelectorAll(".md-typeset__scrollwrap, .redline-table").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1) {
        box.setAttribute("tabindex", "0");
        if (!box.hasAttribute("role")) {
          box.setAttribute("role", "region");
          var caption = box.querySelector("caption, th");
          box.setAttribute("aria-label", caption ? caption.textContent.trim() : "table");
        }
      } else if (box.getAttribute("tabindex") === "0") {
        box.removeAttribute("tabindex");
      }
    });
  }

  function ready() {
    focusableScrollBoxes();
    /* Material wraps tables in their scroll box from its own script: look again once
       everything has run, and whenever the width changes. */
    window.addEventListener("load", focusableScrollBoxes);
    window.addEventListener("resize", focusableScrollBoxes);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
