// Small enhancements that need JavaScript; every page works without them.
// The print button only appears when JavaScript can run it.
for (const tools of document.querySelectorAll("[data-print-tools]")) {
  tools.hidden = false;
  tools.querySelector("[data-print]")?.addEventListener("click", () => window.print());
}

// A table wider than the screen scrolls sideways inside the article (site.css); keyboard users can
// scroll it only when it can take focus, so it gets a tab stop while, and only while, it scrolls.
const wideTables = document.querySelectorAll(".body table:not(.data-table)");
const letWideTablesTakeFocus = () => {
  for (const table of wideTables) {
    if (table.scrollWidth > table.clientWidth) table.tabIndex = 0;
    else table.removeAttribute("tabindex");
  }
};
if (wideTables.length) {
  letWideTablesTakeFocus();
  addEventListener("resize", letWideTablesTakeFocus);
}

// Search: the search page brings its module; elsewhere the header's box loads the index on first use.
if (document.querySelector("[data-search-page]")) {
  import("./search-page.js");
} else {
  for (const box of document.querySelectorAll("[data-search-prefetch]")) {
    box.addEventListener("focus", () => import("./search-page.js").then((search) => search.prefetch(box)), { once: true });
  }
}
