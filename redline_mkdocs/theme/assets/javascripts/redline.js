/* Redline's behaviour in the browser. Every page reads correctly without it. */
(function () {
  "use strict";

  /* A table wider than the screen scrolls in its own box; keyboard users must be able to
     reach that box to scroll it (WCAG 2.1.1; axe: scrollable-region-focusable). */
  function focusableScrollBoxes() {
    var boxes = ".md-typeset__scrollwrap, .redline-table, .redline-scroll";
    document.querySelectorAll(boxes).forEach(function (box) {
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

  /* A page is built once a day, just after midnight in the policies' time zone, and a late
     or failed deploy would show yesterday's state: an announced version as not yet in
     force, a superseded one as in force. Every such state on the page carries the instant
     it ends (data-redline-at, ISO 8601 with its offset) and its later state in a
     <template>; from that instant, on the visitor's clock, the later state is shown. */
  var MAX_WAIT = 2147483647; /* setTimeout's longest delay */

  function switchAt(element) {
    var at = Date.parse(element.getAttribute("data-redline-at"));
    var later = element.querySelector(":scope > template");
    if (isNaN(at) || !later) {
      return;
    }
    var wait = at - Date.now();
    if (wait <= 0) {
      element.replaceChildren(later.content.cloneNode(true));
      element.removeAttribute("data-redline-at");
      focusableScrollBoxes();
    } else if (wait < MAX_WAIT) {
      window.setTimeout(function () { switchAt(element); }, wait + 50);
    }
  }

  function switchStates() {
    document.querySelectorAll(".redline-switch[data-redline-at]").forEach(switchAt);
  }

  /* The archive's "which version applied on that day?": answered from the table's own rows
     (each says from when and until when its version was in force); an amendment governs
     only from its effective date. Without the script the form stays hidden. */
  function answer(form, rows, value) {
    var output = form.querySelector("output");
    output.replaceChildren();
    if (!value) {
      return;
    }
    var shown = new Date(value + "T00:00:00").toLocaleDateString(document.documentElement.lang, {
      year: "numeric", month: "long", day: "numeric"
    });
    var hit = null;
    rows.forEach(function (row) {
      if (row.dataset.redlineSince <= value) {
        hit = row; /* rows run oldest first here: the last one that began by then */
      }
    });
    rows.forEach(function (row) { row.classList.toggle("redline-row--found", row === hit); });
    if (!hit) {
      output.textContent = form.dataset.none.replace("{date}", shown);
      return;
    }
    var parts = form.dataset.found.replace("{date}", shown).replace("{period}", hit.dataset.redlinePeriod).split("{version}");
    var link = document.createElement("a");
    link.href = hit.dataset.redlineHref;
    link.textContent = hit.dataset.redlineVersion;
    output.append(parts[0], link, parts[1] || "");
  }

  function lookups() {
    document.querySelectorAll("form.redline-lookup").forEach(function (form) {
      var table = form.parentElement.querySelector(".redline-archive table");
      if (!table) {
        return;
      }
      var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr")).reverse();
      form.hidden = false;
      form.addEventListener("submit", function (event) { event.preventDefault(); });
      form.querySelector("input").addEventListener("input", function (event) {
        answer(form, rows, event.target.value);
      });
    });
  }

  /* The print button does nothing without this script, so the page carries it hidden and
     only the script shows it. */
  function printButtons() {
    document.querySelectorAll("button.redline-print[hidden]").forEach(function (button) {
      button.addEventListener("click", function () { window.print(); });
      button.hidden = false;
    });
  }

  function ready() {
    printButtons();
    switchStates();
    lookups();
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
