// Small enhancements that need JavaScript; every page works without them.
// The print button only appears when JavaScript can run it.
for (const tools of document.querySelectorAll("[data-print-tools]")) {
  tools.hidden = false;
  tools.querySelector("[data-print]")?.addEventListener("click", () => window.print());
}

// Search: the search page brings its module; elsewhere the header's box loads the index on first use.
if (document.querySelector("[data-search-page]")) {
  import("./search-page.js");
} else {
  for (const box of document.querySelectorAll("[data-search-prefetch]")) {
    box.addEventListener("focus", () => import("./search-page.js").then((search) => search.prefetch(box)), { once: true });
  }
}
