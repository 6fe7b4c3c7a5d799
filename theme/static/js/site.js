// Small enhancements that need JavaScript; every page works without them.
// The print button only appears when JavaScript can run it.
for (const tools of document.querySelectorAll("[data-print-tools]")) {
  tools.hidden = false;
  tools.querySelector("[data-print]")?.addEventListener("click", () => window.print());
}
