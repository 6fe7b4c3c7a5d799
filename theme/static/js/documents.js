// The document registry (/van-ban/, plugins/documents): filters the full list in place. Without
// JavaScript the facet links lead to pre-rendered lists (/van-ban/loai/ke-hoach/, /van-ban/nam/2021/);
// here they become a form that combines them, with a box for the number or the excerpt. The choices
// go into the address (?loai=ke-hoach&nam=2021&q=...), so a filtered list can be shared. Every text
// goes into the page through createElement and textContent.
//
// documents.html loads this module on that one page rather than site.js importing it, so every other
// page's scripts stay as they were (a dynamic import added to site.js made a race in the search page's
// start, which overwrites what was typed before it loaded, show up more often in the browser tests).

import { fold } from "./vntext.js";

// Facet ids as in the addresses and in the items' data attributes (data-loai="ke-hoach").
const FACETS = ["loai", "co-quan", "nam", "linh-vuc"];

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Typed words as the items' data-text holds them: folded, lower case (registry.filter_text). */
export function queryWords(text) {
  return fold(text.normalize("NFC")).toLowerCase().split(/\s+/).filter(Boolean);
}

/** Does an item pass every chosen facet and hold every typed word? */
export function matches(item, chosen, words) {
  for (const facet of FACETS) {
    const wanted = chosen[facet];
    if (wanted && !(item.dataset[datasetKey(facet)] || "").split(" ").includes(wanted)) return false;
  }
  const text = item.dataset.text || "";
  return words.every((word) => text.includes(word));
}

function datasetKey(facet) {
  // data-co-quan -> dataset.coQuan
  return facet.replace(/-([a-z])/g, (_, letter) => letter.toUpperCase());
}

function facetChoices(nav) {
  // [{id, label, options: [{value, label, count}]}] from the facet links the page already has.
  const facets = [];
  for (const group of nav.querySelectorAll(".doc-facet")) {
    const links = [...group.querySelectorAll("a[data-facet]")];
    if (!links.length) continue;
    facets.push({
      id: links[0].dataset.facet,
      label: group.querySelector(".doc-facet-title")?.textContent.trim() || links[0].dataset.facet,
      options: links.map((link) => ({ value: link.dataset.value, label: link.dataset.label })),
    });
  }
  return facets;
}

function buildForm(facets, params) {
  const form = element("form", "doc-filter");
  form.setAttribute("role", "search");
  form.setAttribute("aria-label", "Lọc văn bản");
  const textLabel = element("label", "doc-filter-text");
  textLabel.append(element("span", "", "Số hiệu hoặc trích yếu"));
  const text = element("input");
  text.type = "search";
  text.name = "q";
  text.autocomplete = "off";
  text.spellcheck = false;
  text.placeholder = "Ví dụ: 2410/UBND-KSTT, một cửa";
  text.value = params.get("q") || "";
  textLabel.append(text);
  form.append(textLabel);
  const selects = {};
  for (const facet of facets) {
    const label = element("label");
    label.append(element("span", "", facet.label));
    const select = element("select");
    select.name = facet.id;
    select.append(new Option("Tất cả", ""));
    for (const option of facet.options) select.append(new Option(option.label, option.value));
    const wanted = params.get(facet.id) || "";
    select.value = facet.options.some((option) => option.value === wanted) ? wanted : "";
    label.append(select);
    form.append(label);
    selects[facet.id] = select;
  }
  const reset = element("button", "button-link", "Bỏ lọc");
  reset.type = "reset";
  form.append(reset);
  return { form, text, selects };
}

function enhance(registry) {
  const nav = registry.querySelector("[data-doc-facets]");
  const list = registry.querySelector("[data-doc-list]");
  const count = registry.querySelector("[data-doc-count]");
  if (!nav || !list || !count) return;
  const items = [...list.children];
  const total = items.length;
  const { form, text, selects } = buildForm(facetChoices(nav), new URLSearchParams(location.search));
  const empty = element("p", "doc-empty", "Không có văn bản phù hợp. Hãy bỏ bớt điều kiện lọc.");
  empty.hidden = true;
  count.setAttribute("role", "status");
  count.setAttribute("aria-live", "polite");

  const apply = () => {
    const chosen = {};
    for (const [facet, select] of Object.entries(selects)) chosen[facet] = select.value;
    const words = queryWords(text.value);
    let shown = 0;
    for (const item of items) {
      const visible = matches(item, chosen, words);
      item.hidden = !visible;
      if (visible) shown += 1;
    }
    const filtered = words.length || Object.values(chosen).some(Boolean);
    count.textContent = filtered ? `${shown.toLocaleString("vi-VN")}/${total.toLocaleString("vi-VN")} văn bản` : `${total.toLocaleString("vi-VN")} văn bản`;
    empty.hidden = shown > 0;
    const params = new URLSearchParams();
    if (text.value.trim()) params.set("q", text.value.trim());
    for (const [facet, value] of Object.entries(chosen)) if (value) params.set(facet, value);
    const query = params.toString();
    history.replaceState(null, "", query ? `?${query}` : location.pathname);
  };

  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    apply();
  });
  form.addEventListener("reset", () => setTimeout(apply));
  // The form does what the links did, in one place: the links stay in the page for no-JS readers only.
  nav.hidden = true;
  nav.before(form);
  list.after(empty);
  registry.dataset.docFilterReady = "";
  apply();
  // A shared address with filters in it shows them (on a phone they are folded away otherwise).
  const folded = registry.querySelector("[data-doc-filters]");
  if (folded && new URLSearchParams(location.search).size) folded.open = true;
}

for (const registry of document.querySelectorAll("[data-doc-registry]")) enhance(registry);
