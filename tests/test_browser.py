"""A reader's walk in headless Chromium: home -> section -> article -> month archive, phone and desktop."""

from __future__ import annotations

import pytest


def open_page(browser, width):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="vi-VN")
    page = context.new_page()
    problems = []
    page.on("console", lambda message: problems.append(f"console {message.type}: {message.text}") if message.type in {"error", "warning"} else None)
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    # A request the browser cancels because the reader moved on (a lazy picture still loading) is not a defect.
    page.on(
        "requestfailed",
        lambda request: None if "ERR_ABORTED" in (request.failure or "") else problems.append(f"failed request: {request.url} {request.failure}"),
    )
    page.on("response", lambda response: problems.append(f"HTTP {response.status}: {response.url}") if response.status >= 400 else None)
    return context, page, problems


@pytest.mark.parametrize("width", [360, 1280])
def test_reader_walks_home_section_article_month(browser, served_site, artifacts, width):
    context, page, problems = open_page(browser, width)
    page.goto(served_site + "/")
    page.screenshot(path=str(artifacts / f"home-{width}.png"), full_page=True)
    assert page.locator("h2", has_text="Tin nổi bật").is_visible()

    # Nothing wider than the screen: no sideways scrolling on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    # To a section through the menu (on a phone the menu is behind "Danh mục").
    if width < 768:
        page.locator("details.menu > summary").click()
        page.locator("details.menu a", has_text="Tin tức - Sự kiện").first.click()
    else:
        page.locator(".menu-wide a", has_text="Tin tức - Sự kiện").first.click()
    page.wait_for_url("**/tin-tuc-su-kien/")
    assert page.locator("h1").inner_text() == "Tin tức - Sự kiện"
    page.screenshot(path=str(artifacts / f"section-{width}.png"), full_page=True)

    # To the first article of the section.
    first = page.locator(".teasers .teaser-title a").first
    title = first.inner_text()
    first.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == title
    assert page.locator("nav.breadcrumb").is_visible()
    assert page.locator("[data-print]").is_visible(), "the print button appears once JavaScript runs"
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=str(artifacts / f"article-{width}.png"), full_page=True)

    # The date leads to the month's archive.
    page.locator(".article-meta a.date").click()
    page.wait_for_load_state()
    heading = page.locator("h1").inner_text()
    assert heading.startswith("Tháng ")
    assert page.locator(".teasers .teaser-title a", has_text=title).count() == 1
    page.screenshot(path=str(artifacts / f"month-{width}.png"), full_page=True)

    assert problems == []
    context.close()


def test_keyboard_reaches_the_content_through_the_skip_link(browser, served_site):
    context, page, problems = open_page(browser, 1280)
    page.goto(served_site + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Truy cập nội dung luôn"
    assert page.locator("a.skip-link").is_visible(), "the skip link shows when focused"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "noi-dung"
    assert problems == []
    context.close()


def test_print_view_hides_navigation(browser, served_site, sample_articles):
    context, page, problems = open_page(browser, 1280)
    page.goto(served_site + sample_articles[0].url)
    page.emulate_media(media="print")
    assert not page.locator(".site-nav").is_visible()
    assert not page.locator("aside.aside").is_visible()
    assert page.locator("h1").is_visible() and page.locator(".body").is_visible()
    context.close()


def test_missing_page_shows_the_portal_404(browser, served_site):
    context, page, problems = open_page(browser, 360)
    response = page.goto(served_site + "/khong-co-trang-nay/")
    assert response.status == 404
    assert page.locator("h1").inner_text() == "Không tìm thấy trang"
    context.close()
