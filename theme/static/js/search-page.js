// The search page (/tim-kiem/) and the header's search box. Nothing is fetched on page load: the
// index loads when the reader first uses a search box, or at once when the page opens with ?q=.
// Every text from the index goes into the page through textContent and createElement.

import { highlight, openIndex } from "./search.js";

const DEBOUNCE_MS = 180;
const PAGE_SIZE = 10;

let opening = null;

function loadLunr(root) {
  if (window.lunr) return Promise.resolve(window.lunr);
  return new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = `${root}theme/js/lunr.min.js`;
    script.onload = () => resolve(window.lunr);
    script.onerror = () => reject(new Error("lunr.min.js did not load"));
    document.head.append(script);
  });
}

async function fetchJSON(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.json();
}

/** The index, opened once per page (lunr.js and search/meta.json). */
export function open(root) {
  if (!opening) {
    opening = loadLunr(root).then((lunr) => openIndex({ lunr, fetchJSON, root }));
    opening.catch(() => {
      opening = null;
    });
  }
  return opening;
}

function siteRoot(element) {
  const root = element.closest("[data-site-root]")?.dataset.siteRoot || "/";
  return root.endsWith("/") ? root : `${root}/`;
}

/** The header's box: the first focus loads the index, so the search page opens warm. */
export function prefetch(box) {
  open(siteRoot(box)).catch(() => {});
}

function marked(parent, segments) {
  for (const segment of segments) {
    if (segment.mark) {
      const mark = document.createElement("mark");
      mark.textContent = segment.text;
      parent.append(mark);
    } else {
      parent.append(document.createTextNode(segment.text));
    }
  }
  return parent;
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function resultItem(doc, query) {
  const item = element("li", "search-result");
  const heading = element("h2", "search-result-title");
  const link = element("a");
  link.href = doc.url;
  heading.append(marked(link, highlight(doc.title, query)));
  const meta = element("p", "meta");
  if (doc.date) {
    const time = element("time", "", doc.dateText);
    time.dateTime = doc.date;
    meta.append(time);
  }
  if (doc.sectionTitle) {
    if (doc.date) meta.append(document.createTextNode(" · "));
    meta.append(document.createTextNode(doc.sectionTitle));
  }
  item.append(heading, meta, marked(element("p", "search-result-excerpt"), highlight(doc.excerpt, query)));
  return item;
}

function fillSelect(select, options, chosen, allLabel) {
  select.replaceChildren(new Option(allLabel, ""));
  for (const { value, label } of options) {
    const option = new Option(label, String(value));
    option.selected = String(value) === String(chosen);
    select.append(option);
  }
  if (chosen && !options.some((o) => String(o.value) === String(chosen))) {
    select.append(new Option(`${chosen} (0)`, String(chosen), true, true));
  }
}

const number = new Intl.NumberFormat("vi-VN");

function setupPage(page) {
  const root = siteRoot(page);
  const input = page.querySelector("#search-query");
  const status = page.querySelector("[data-search-status]");
  const list = page.querySelector("[data-search-results]");
  const more = page.querySelector("[data-search-more]");
  const filters = page.querySelector("[data-search-filters]");
  const sectionSelect = page.querySelector('[data-filter="section"]');
  const yearSelect = page.querySelector('[data-filter="year"]');
  const browse = page.querySelector("[data-search-browse]");
  const suggestion = page.querySelector("[data-search-suggestion]");
  const correctedLink = page.querySelector("[data-search-corrected]");
  page.dataset.ready = ""; // the module runs (tests wait for it)

  const params = new URLSearchParams(location.search);
  input.value = params.get("q") ?? input.value;  // keep what was typed before this module loaded
  let section = params.get("chuyen-muc") || "";
  let year = params.get("nam") || "";
  let current = null;
  let shown = 0;
  let timer = 0;
  let generation = 0;

  function remember() {
    const next = new URLSearchParams();
    if (input.value.trim()) next.set("q", input.value.trim());
    if (section) next.set("chuyen-muc", section);
    if (year) next.set("nam", year);
    const query = next.toString();
    history.replaceState(null, "", query ? `${location.pathname}?${query}` : location.pathname);
  }

  async function showMore() {
    const refs = current.results.slice(shown, shown + PAGE_SIZE).map((r) => r.ref);
    const docs = await current.index.documents(refs, current.found.query);
    list.append(...docs.map((doc) => resultItem(doc, current.found.query)));
    shown += refs.length;
    more.hidden = shown >= current.results.length;
  }

  async function run() {
    const text = input.value;
    const mine = ++generation;
    remember();
    if (!text.trim()) {
      list.replaceChildren();
      more.hidden = true;
      filters.hidden = true;
      suggestion.hidden = true;
      browse.hidden = false;
      status.textContent = "";
      return;
    }
    let index;
    try {
      if (!current) status.textContent = "Đang tải chỉ mục tìm kiếm…";
      index = await open(root);
    } catch {
      status.textContent = "Không tải được chỉ mục tìm kiếm. Vui lòng thử lại sau.";
      return;
    }
    const found = await index.search(text, { section, year: Number(year) || 0 });
    if (mine !== generation) return; // a newer query is on its way
    current = { index, found, results: found.results };
    shown = 0;
    list.replaceChildren();
    browse.hidden = true;
    fillSelect(
      sectionSelect,
      found.facets.sections.map((s) => ({ value: s.id, label: `${"– ".repeat(s.depth)}${s.title} (${number.format(s.count)})` })),
      section,
      "Tất cả chuyên mục",
    );
    fillSelect(yearSelect, found.facets.years.map((y) => ({ value: y.year, label: `${y.year} (${number.format(y.count)})` })), year, "Tất cả các năm");
    // A filter with nothing to choose from is not shown, nor the filters when neither has anything.
    sectionSelect.closest("label").hidden = !found.facets.sections.length && !section;
    yearSelect.closest("label").hidden = !found.facets.years.length && !year;
    filters.hidden = (found.total === 0 && !section && !year) || (sectionSelect.closest("label").hidden && yearSelect.closest("label").hidden);
    const shownText = text.trim();
    // Keys typed with the Vietnamese keyboard off, or a typo: the query as read and corrected.
    suggestion.hidden = !found.corrected;
    if (found.corrected) {
      correctedLink.textContent = found.corrected;
      const address = new URLSearchParams({ q: found.corrected });
      correctedLink.href = `${location.pathname}?${address}`;
    }
    if (found.total === 0) {
      status.textContent = `Không tìm thấy kết quả nào cho “${shownText}”.`;
      browse.hidden = false;
    } else {
      const partial = found.partial ? " (không có bài nào chứa đủ mọi từ; đây là các bài gần nhất)" : "";
      status.textContent = `${number.format(found.total)} kết quả cho “${shownText}”${partial}.`;
    }
    await showMore();
  }

  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(run, DEBOUNCE_MS);
  };
  input.addEventListener("input", schedule);
  input.addEventListener("focus", () => open(root).catch(() => {}), { once: true });
  page.querySelector("form").addEventListener("submit", (event) => {
    event.preventDefault();
    clearTimeout(timer);
    run();
  });
  sectionSelect.addEventListener("change", () => {
    section = sectionSelect.value;
    run();
  });
  yearSelect.addEventListener("change", () => {
    year = yearSelect.value;
    run();
  });
  more.querySelector("button").addEventListener("click", () => showMore());
  correctedLink.addEventListener("click", (event) => {
    event.preventDefault();
    input.value = correctedLink.textContent;
    run();
  });

  // Arrow keys move between the box and the results' links; Escape goes back to the box.
  page.addEventListener("keydown", (event) => {
    const links = [...list.querySelectorAll(".search-result-title a")];
    const at = links.indexOf(document.activeElement);
    if (event.key === "ArrowDown" && (document.activeElement === input || at >= 0) && links.length) {
      event.preventDefault();
      links[Math.min(at + 1, links.length - 1)].focus();
    } else if (event.key === "ArrowUp" && at >= 0) {
      event.preventDefault();
      (at === 0 ? input : links[at - 1]).focus();
    } else if (event.key === "Escape" && at >= 0) {
      input.focus();
    }
  });

  if (input.value.trim()) run();
}

const page = document.querySelector("[data-search-page]");
if (page) setupPage(page);
