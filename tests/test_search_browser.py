"""Search as a reader uses it, in headless Chromium: type, see highlighted results, filter, follow one;
by keyboard; the query in the address; nothing fetched before the first use; hostile input stays text."""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import quote

import pytest
from test_browser import open_page

import vntext

INDEX_FILES = re.compile(r"/search/|lunr\.min\.js")


def fetched_index(requests):
    return [url for url in requests if INDEX_FILES.search(url)]


@pytest.mark.parametrize("width", [360, 1280])
def test_reader_types_sees_highlights_filters_and_follows_a_result(browser, served_site, artifacts, width):
    context, page, problems = open_page(browser, width)
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(served_site + "/")
    assert fetched_index(requests) == [], "no index on page load"

    # From the header's box: the first focus loads the index, Enter opens the search page.
    box = page.locator("#header-search-query")
    box.focus()
    page.wait_for_function("() => performance.getEntriesByType('resource').some((e) => e.name.includes('/search/meta.json'))")
    box.fill("mot cua")
    box.press("Enter")
    page.wait_for_url("**/tim-kiem/?q=mot+cua")
    page.wait_for_selector(".search-result mark")

    # Typing: results as you type, debounced; the count is announced in the live region.
    query = page.locator("#search-query")
    query.fill("")
    query.type("một cửa liên thô", delay=30)
    page.wait_for_function("() => new URLSearchParams(location.search).get('q') === 'một cửa liên thô'")
    status = page.locator("#search-status")
    page.wait_for_function("() => /kết quả cho “một cửa liên thô”/.test(document.querySelector('#search-status').textContent)")
    assert status.get_attribute("aria-live") == "polite"
    count = int(re.match(r"([\d.]+) kết quả", status.inner_text()).group(1).replace(".", ""))
    results = page.locator(".search-result")
    assert 1 <= results.count() <= 10 and count >= results.count()
    first = results.first
    marks = [m.lower() for m in first.locator("mark").all_inner_texts()]
    assert any("một cửa" in m for m in marks), marks
    assert any(m.startswith("liên thông") or m.endswith("liên thông") or "liên thông" in m for m in marks), "the word being typed is completed"
    assert first.locator("time").count() == 1 and first.locator(".meta").inner_text()
    iso = first.locator("time").get_attribute("datetime")
    assert first.locator("time").inner_text() == vntext.format_date(date.fromisoformat(iso)), "the date as vntext writes it"
    page.screenshot(path=str(artifacts / f"search-{width}.png"), full_page=True)

    # Filter by section: the count and the address follow.
    section = page.locator('select[data-filter="section"]')
    options = section.locator("option").all_inner_texts()
    assert any(o.startswith("Tin tức - Sự kiện (") for o in options), options
    chosen = next(o for o in options if o.startswith("Tin tức - Sự kiện ("))
    section.select_option(label=chosen)
    expected = int(re.search(r"\((\d+)\)", chosen).group(1))
    page.wait_for_function(f"() => document.querySelector('#search-status').textContent.startsWith('{expected} kết quả')")
    assert "chuyen-muc=tin-tuc-su-kien" in page.url
    assert all("Tin tức - Sự kiện" in meta for meta in page.locator(".search-result .meta").all_inner_texts())

    # Filter by year as well, then follow the first result.
    year = page.locator('select[data-filter="year"]')
    year_option = year.locator("option").nth(1).inner_text()
    year.select_option(label=year_option)
    wanted = year_option.split(" ")[0]
    page.wait_for_function(f"() => new URLSearchParams(location.search).get('nam') === '{wanted}'")
    page.wait_for_function(f"() => [...document.querySelectorAll('.search-result time')].every((t) => t.dateTime.startsWith('{wanted}'))")
    link = page.locator(".search-result-title a").first
    title = link.inner_text()
    link.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == title
    assert problems == []
    context.close()


def test_keyboard_and_shared_address(browser, served_site):
    context, page, problems = open_page(browser, 1280)
    page.goto(served_site + "/tim-kiem/?q=2410%2FUBND-KSTT")
    page.wait_for_selector(".search-result")
    assert page.locator("#search-query").input_value() == "2410/UBND-KSTT"
    assert page.locator(".search-result-title a").first.inner_text().startswith("Công văn số 2410/UBND-KSTT")
    page.locator("#search-query").focus()
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.closest('.search-result-title') !== null")
    page.keyboard.press("ArrowUp")
    assert page.evaluate("document.activeElement.id") == "search-query"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url("**/2021/07/cong-van-so-2410-ubnd-kstt-*/")
    assert problems == []
    context.close()


def test_hostile_query_stays_text(browser, served_site):
    context, page, problems = open_page(browser, 1280)
    hostile = '<img src=x onerror="window.__pwned=1">"><script>window.__pwned=2</script> một cửa'
    page.goto(served_site + "/tim-kiem/")
    page.wait_for_selector("[data-search-page][data-ready]", state="attached")  # the search module has started
    page.locator("#search-query").fill(hostile)
    page.wait_for_selector(".search-result")
    assert page.evaluate("window.__pwned") is None
    assert page.locator(".search-results img, .search-results script").count() == 0
    assert hostile.strip() in page.locator("#search-status").inner_text()
    assert problems == []
    context.close()


def test_without_javascript_the_page_leads_somewhere(browser, served_site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(served_site + "/")
    page.locator("#header-search-query").fill("một cửa")
    page.locator("#header-search-query").press("Enter")
    page.wait_for_url("**/tim-kiem/?q=*")
    assert page.locator("[data-search-nojs]").is_visible()
    page.locator("[data-search-browse] a", has_text="Lưu trữ tin bài").click()
    page.wait_for_url("**/luu-tru/")
    context.close()


# Layout shifts since the page started (buffered), as Lighthouse counts them: not after input.
LAYOUT_SHIFT = """() => new Promise((resolve) => {
  let total = 0;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) if (!entry.hadRecentInput) total += entry.value;
  }).observe({ type: "layout-shift", buffered: true });
  setTimeout(() => resolve(total), 400);
})"""


@pytest.mark.parametrize("width", [360, 1280])
def test_results_arriving_shift_nothing_in_view(browser, served_site, artifacts, width):
    context, page, problems = open_page(browser, width)
    # A slow index (a phone on a slow link): the page is painted long before the results arrive.
    page.route("**/search/**", lambda route: (page.wait_for_timeout(250), route.continue_()))
    page.goto(served_site + "/tim-kiem/?q=" + quote("thủ tục hành chính"))
    page.wait_for_selector(".search-result")
    page.wait_for_function("() => document.querySelectorAll('.search-result').length === 10")
    shift = page.evaluate(LAYOUT_SHIFT)
    assert shift < 0.1, f"cumulative layout shift {shift:.3f}"
    page.screenshot(path=str(artifacts / f"search-results-{width}.png"), full_page=False)
    assert problems == []
    context.close()


@pytest.mark.parametrize("width", [360, 1280])
def test_no_results_offer_a_hint_and_the_sections_and_hide_the_filters(browser, served_site, artifacts, width):
    context, page, problems = open_page(browser, width)
    page.goto(served_site + "/tim-kiem/?q=" + quote("qqxzw zzqv"))
    page.wait_for_function("() => /Không tìm thấy/.test(document.querySelector('#search-status').textContent)")
    filters = page.locator("[data-search-filters]")
    assert filters.get_attribute("hidden") is not None
    assert filters.evaluate("(node) => getComputedStyle(node).display") == "none", "hidden means not shown"
    hint = page.locator("[data-search-hint]")
    assert hint.is_visible() and "không dấu" in hint.inner_text() and "bộ gõ tiếng Việt" in hint.inner_text()
    assert page.locator("[data-search-browse] a", has_text="Tin tức - Sự kiện").is_visible(), "the sections"
    assert page.locator("[data-search-suggestion]").is_hidden()
    page.screenshot(path=str(artifacts / f"search-none-{width}.png"), full_page=True)
    assert problems == []
    context.close()


def test_keys_typed_with_the_keyboard_off_offer_the_corrected_query(browser, served_site, artifacts):
    context, page, problems = open_page(browser, 360)
    page.goto(served_site + "/tim-kiem/?q=" + quote("thur tucj hanhf chinhs"))
    page.wait_for_selector(".search-result")
    suggestion = page.locator("[data-search-suggestion]")
    assert suggestion.is_visible() and suggestion.inner_text().startswith("Có phải bạn muốn tìm:")
    link = page.locator("[data-search-corrected]")
    assert link.inner_text() == "thủ tục hành chính"
    marks = [m.lower() for m in page.locator(".search-result").first.locator("mark").all_inner_texts()]
    # The corrected phrase is marked whole, or as the abbreviation the index reads as it (TTHC).
    assert {"thủ tục hành chính", "tthc"} & set(marks) and not {"thủ", "tục"} & set(marks), marks
    page.screenshot(path=str(artifacts / "search-corrected-360.png"), full_page=True)
    link.click()
    page.wait_for_function("() => new URLSearchParams(location.search).get('q') === 'thủ tục hành chính'")
    assert page.locator("#search-query").input_value() == "thủ tục hành chính"
    page.wait_for_selector("[data-search-suggestion]", state="hidden")
    assert problems == []
    context.close()
