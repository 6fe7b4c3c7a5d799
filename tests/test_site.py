"""The built sample site, page by page: what a reader must find there (issue: portal foundation)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter
from urllib.parse import urlparse

import pytest
import yaml

import vntext
from conftest import ROOT

SECTIONS = yaml.safe_load((ROOT / "content/data/sections.yaml").read_text(encoding="utf-8"))
TOPICS = yaml.safe_load((ROOT / "content/data/topics.yaml").read_text(encoding="utf-8"))
SITE = yaml.safe_load((ROOT / "content/data/site.yaml").read_text(encoding="utf-8"))
LINKS = yaml.safe_load((ROOT / "content/data/links.yaml").read_text(encoding="utf-8"))
PER_PAGE = 10
DATE_RE = re.compile(r"^(Thứ (Hai|Ba|Tư|Năm|Sáu|Bảy)|Chủ Nhật), \d{2}/\d{2}/\d{4} \d{2}:\d{2}$")


def section_tree():
    """id -> (title, parent id, [descendant ids including itself])."""
    found = {}

    def walk(items, parent):
        ids = []
        for item in items:
            below = walk(item.get("children", []), item["id"])
            found[item["id"]] = (item["title"], parent, [item["id"], *below])
            ids += [item["id"], *below]
        return ids

    walk(SECTIONS, None)
    return found


TREE = section_tree()


def texts(elements):
    return [" ".join(e.get_text(" ", strip=True).split()) for e in elements]


def links_of(soup, selector):
    return [a["href"] for a in soup.select(selector)]


# --- Sample content ------------------------------------------------------------------------------


def test_sample_content_covers_sections_topics_and_years(sample_articles):
    assert len(sample_articles) >= 40
    leaves = {sid for sid, (_, _, ids) in TREE.items() if ids == [sid]}
    assert leaves <= {a.section for a in sample_articles}
    assert {t["id"] for t in TOPICS} <= {t for a in sample_articles for t in a.topics}
    assert set(range(2014, 2026)) <= {a.date.year for a in sample_articles}
    assert sum(1 for a in sample_articles if a.image) >= 5
    assert sum(1 for a in sample_articles if a.attachments) >= 3
    assert sum(1 for a in sample_articles if a.featured) >= 3


# --- Every page ----------------------------------------------------------------------------------


def test_every_page_has_language_landmarks_skip_link_and_canonical(site):
    pages = site.html_files()
    assert len(pages) > 100
    for path in pages:
        soup = site.soup("/" + str(path.relative_to(site.output)))
        where = path.relative_to(site.output)
        assert soup.html.get("lang") in {"vi", "en"}, where
        skip = soup.select_one("a.skip-link")
        assert skip is not None and skip["href"] == "#noi-dung", where
        if soup.html["lang"] == "vi":
            assert skip.get_text(strip=True) == "Truy cập nội dung luôn", where
        assert soup.find(id="noi-dung") is not None and soup.find(id="noi-dung").name == "main", where
        assert soup.find("header") and soup.find("footer") and soup.find("nav"), where
        assert len(soup.find_all("h1")) == 1, where
        assert soup.select_one('meta[name="viewport"]'), where
        assert soup.select_one('meta[property="og:title"]')["content"].strip(), where
        if path.name != "404.html":
            canonical = soup.select_one('link[rel="canonical"]')["href"]
            expected = "/" + str(where).removesuffix("index.html")
            assert canonical.endswith(expected), (where, canonical)


def test_every_page_but_home_and_404_has_a_breadcrumb_starting_at_home(site):
    for path in site.html_files():
        relative = str(path.relative_to(site.output))
        if relative in {"index.html", "404.html"}:
            continue
        soup = site.soup("/" + relative)
        crumbs = soup.select("nav.breadcrumb ol li")
        assert crumbs, relative
        # An English page's "Home" is where the English pages begin.
        home, url = ("Home", "/en/organisation/") if soup.html["lang"] == "en" else ("Trang chủ", "/")
        assert crumbs[0].a["href"] == url and crumbs[0].get_text(strip=True) == home, relative


def test_no_request_leaves_the_site(site):
    """No font, script, style or picture from a third party: every asset is the portal's own."""
    for path in site.html_files():
        soup = site.soup("/" + str(path.relative_to(site.output)))
        assets = [t.get("src") for t in soup.find_all(["script", "img", "iframe"]) if t.get("src")]
        assets += [t["href"] for t in soup.find_all("link") if t.get("rel") and {"stylesheet", "icon", "preload"} & set(t["rel"])]
        for url in assets:
            assert not urlparse(url).netloc, (path, url)
            assert site.exists(url), (path, url)


def test_one_stylesheet_with_print_rules_and_focus_style():
    css_files = list((ROOT / "theme/static").rglob("*.css"))
    assert [p.name for p in css_files] == ["site.css"]
    css = css_files[0].read_text(encoding="utf-8")
    assert "@media print" in css
    assert ":focus-visible" in css
    assert "@import" not in css and "url(http" not in css


def test_footer_shows_agency_details_and_related_portals(site):
    footer = site.soup("/").find("footer")
    text = " ".join(footer.get_text(" ", strip=True).split())
    for key in ("agency", "parent_agency", "address", "phone", "email", "licence", "editor_in_chief"):
        assert SITE[key] in text, key
    hrefs = links_of(footer, "a")
    for link in LINKS:
        assert link["url"] in hrefs
    assert "/en/organisation/" in hrefs


def test_menu_follows_the_section_tree(site):
    menu = site.soup("/").select_one(".menu-wide > .menu-list")
    top_links = [li.find("a") for li in menu.find_all("li", recursive=False)]
    titles = [a.get_text(strip=True) for a in top_links]
    assert titles[1 : 1 + len(SECTIONS)] == [s["title"] for s in SECTIONS]
    results = next(li for li in menu.find_all("li", recursive=False) if li.a["href"] == "/ket-qua-cchc/")
    assert [a["href"] for a in results.find("ul").find_all("a")] == ["/kiem-tra-cchc/", "/chi-so-cchc/"]


# --- Home ----------------------------------------------------------------------------------------


def test_home_has_featured_latest_and_a_block_per_top_section(site, sample_articles):
    soup = site.soup("/")
    featured = soup.select_one("section.featured")
    assert featured.h2.get_text(strip=True) == "Tin nổi bật"
    featured_urls = {a["href"] for a in featured.select("h3 a")}
    expected_featured = [a.url for a in sample_articles if a.featured]
    assert featured_urls and featured_urls == set(expected_featured[: len(featured_urls)])

    # "Tin mới nhất": the newest stories that "Tin nổi bật" does not show already.
    latest = soup.select_one("section.latest")
    assert latest.h2.get_text(strip=True) == "Tin mới nhất"
    assert links_of(latest, "li a") == [a.url for a in sample_articles if a.url not in featured_urls][:8]

    # A section block: its newest stories not shown above; no story twice on the page's first screen.
    above = featured_urls | set(links_of(latest, "li a"))
    blocks = {b.h2.a["href"]: b for b in soup.select("section.section-block")}
    for top in SECTIONS:
        members = [a for a in sample_articles if a.section in TREE[top["id"]][2]]
        if not members:
            continue
        block = blocks[f"/{top['id']}/"]
        shown = [a["href"] for a in block.select(".teaser-title a, .headlines a")]
        fresh = [a.url for a in members if a.url not in above] or [a.url for a in members]
        assert shown == fresh[: len(shown)] and len(shown) == min(4, len(fresh))
        if any(a.url not in above for a in members):
            assert block.select_one(".teaser-title a")["href"] not in above


# --- Article -------------------------------------------------------------------------------------


def test_article_pages_show_what_readers_expect(site, sample_articles):
    for article in sample_articles:
        soup = site.soup(article.url)
        assert " ".join(soup.h1.get_text().split()) == article.title, article
        # Breadcrumb: home, then the section's ancestors and the section itself.
        chain = []
        node = article.section
        while node:
            chain.insert(0, node)
            node = TREE[node][1]
        crumbs = soup.select("nav.breadcrumb li a")
        assert [a["href"] for a in crumbs] == ["/"] + [f"/{sid}/" for sid in chain], article
        assert texts(crumbs)[1:] == [TREE[sid][0] for sid in chain]
        # Vietnamese weekday, date and time, linked to the month archive.
        date_link = soup.select_one(".article-meta a.date")
        assert date_link.get_text(strip=True) == vntext.format_datetime(article.date)
        assert DATE_RE.match(date_link.get_text(strip=True))
        assert date_link["href"] == f"/{article.date:%Y}/{article.date:%m}/"
        assert site.exists(date_link["href"])
        assert soup.select_one(".lead").get_text(strip=True)
        if article.image:
            figure = soup.select_one("figure.lead-figure")
            img = figure.img
            assert img["src"] == "/" + article.image and img["alt"] == article.alt
            assert int(img["width"]) > 0 and int(img["height"]) > 0
            assert figure.figcaption.get_text(strip=True) == article.caption
        else:
            assert soup.select_one("figure.lead-figure") is None
        if article.author:
            assert soup.select_one(".author").get_text(strip=True) == article.author
        topic_links = links_of(soup, ".taxonomy a[href^='/linh-vuc/']")
        assert topic_links == [f"/linh-vuc/{t}/" for t in article.topics]
        tag_links = links_of(soup, ".taxonomy a[href^='/tu-khoa/']")
        assert len(tag_links) == len(article.tags)
        assert all(site.exists(h) for h in topic_links + tag_links)
        permalink = soup.select_one(".permalink a")["href"]
        assert permalink.endswith(article.url)


def test_article_attachments_have_kind_and_size(site, sample_articles):
    with_files = [a for a in sample_articles if a.attachments]
    assert with_files
    for article in with_files:
        items = site.soup(article.url).select(".attachments li")
        assert len(items) == len(article.attachments)
        for item, name, title in zip(items, article.attachments, article.attachment_titles):
            assert item.a["href"] == "/" + name
            # The link says what the file is: the front matter's title (the chip beside it, not in it).
            assert item.a.get_text() == (title or item.a.get_text()) and not item.a.get_text().startswith(" ")
            assert item.a.select_one(".file-kind") is None and item.select_one(".file-kind")
            assert site.exists(item.a["href"])
            kind = name.rsplit(".", 1)[1].upper()
            meta = item.select_one(".meta").get_text(strip=True)
            size = (ROOT / "content" / name).stat().st_size
            assert re.fullmatch(rf"\({kind}, [\d.,]+ (KB|MB)\)", meta), meta
            number = float(meta.split(", ")[1].split()[0].replace(".", "").replace(",", "."))
            unit = 1024 if "KB" in meta else 1024 * 1024
            assert abs(number * unit - size) <= max(unit * 0.06, 1024), (meta, size)


def test_previous_and_next_stay_in_the_section_in_date_order(site, sample_articles):
    by_section = {}
    for article in sorted(sample_articles, key=lambda a: (a.date, a.slug)):
        by_section.setdefault(article.section, []).append(article)
    for items in by_section.values():
        for i, article in enumerate(items):
            soup = site.soup(article.url)
            prev = soup.select_one('.prev-next a[rel="prev"]')
            nxt = soup.select_one('.prev-next a[rel="next"]')
            assert (prev["href"] if prev else None) == (items[i - 1].url if i > 0 else None)
            assert (nxt["href"] if nxt else None) == (items[i + 1].url if i + 1 < len(items) else None)


def test_article_aside_lists_the_newest_other_articles(site, sample_articles):
    # The newest articles that the page does not already list under "Tin liên quan" or "Tin cùng
    # chuyên mục" (issue 4: no article twice on one page).
    for article in (sample_articles[0], sample_articles[-1]):
        soup = site.soup(article.url)
        aside = soup.select_one("aside.aside")
        assert aside.h2.get_text(strip=True) == "Tin mới nhất"
        elsewhere = set(links_of(soup, "section.related a")) | set(links_of(soup, "section.section-latest a"))
        newest = [a.url for a in sample_articles if a.url != article.url and a.url not in elsewhere]
        assert links_of(aside, "a") == newest[:5]


def test_article_open_graph(site, sample_articles):
    article = next(a for a in sample_articles if a.image)
    soup = site.soup(article.url)
    assert soup.select_one('meta[property="og:type"]')["content"] == "article"
    assert soup.select_one('meta[property="og:url"]')["content"].endswith(article.url)
    assert soup.select_one('meta[property="og:image"]')["content"].endswith("/" + article.image)
    assert soup.select_one('meta[property="og:locale"]')["content"] == "vi_VN"


# --- Sections, topics, tags ----------------------------------------------------------------------


@pytest.mark.parametrize("section_id", list(TREE))
def test_section_pages_list_own_and_descendant_articles_newest_first(site, sample_articles, section_id):
    title, _, ids = TREE[section_id]
    expected = [a.url for a in sample_articles if a.section in ids]
    soup = site.soup(f"/{section_id}/")
    assert soup.h1.get_text(strip=True) == title
    crumbs = soup.select("nav.breadcrumb li")
    assert crumbs[-1].get_text(strip=True) == title and crumbs[-1].select_one('[aria-current="page"]')
    pages = max(1, -(-len(expected) // PER_PAGE))
    seen = []
    for number in range(1, pages + 1):
        url = f"/{section_id}/" if number == 1 else f"/{section_id}/trang-{number}/"
        page = site.soup(url)
        seen += links_of(page, ".teasers .teaser-title a")
        if pages > 1:
            assert page.select_one(".pagination .page-count").get_text(strip=True) == f"Trang {number}/{pages}"
    assert seen == expected
    assert not site.exists(f"/{section_id}/trang-{pages + 1}/")


def test_a_section_with_more_than_one_page_is_paginated(site, sample_articles):
    counts = Counter(a.section for a in sample_articles)
    busiest = counts.most_common(1)[0][0]
    assert counts[busiest] > PER_PAGE, "the sample needs one section with more than a page of articles"
    page2 = site.soup(f"/{busiest}/trang-2/")
    assert page2.select_one('.pagination a[rel="prev"]')["href"] == f"/{busiest}/"


@pytest.mark.parametrize("topic", [t["id"] for t in TOPICS])
def test_topic_pages_list_their_articles(site, sample_articles, topic):
    expected = [a.url for a in sample_articles if topic in a.topics]
    seen = []
    number = 1
    while True:
        url = f"/linh-vuc/{topic}/" if number == 1 else f"/linh-vuc/{topic}/trang-{number}/"
        if not site.exists(url):
            break
        seen += links_of(site.soup(url), ".teasers .teaser-title a")
        number += 1
    assert seen == expected and expected
    assert f"/linh-vuc/{topic}/" in links_of(site.soup("/linh-vuc/"), "h2 a")


def test_tag_pages_list_their_articles(site, sample_articles):
    tags = Counter(vntext.slugify(t) for a in sample_articles for t in a.tags)
    slug, count = tags.most_common(1)[0]
    soup = site.soup(f"/tu-khoa/{slug}/")
    total = soup.select_one(".count").get_text(strip=True)
    assert total.startswith(f"{count} bài viết")
    index = site.soup("/tu-khoa/")
    assert f"/tu-khoa/{slug}/" in links_of(index, ".tag-cloud a")


# --- Archives ------------------------------------------------------------------------------------


def test_archive_index_is_a_year_by_month_grid(site, sample_articles):
    soup = site.soup("/luu-tru/")
    per_year = Counter(a.date.year for a in sample_articles)
    per_month = Counter((a.date.year, a.date.month) for a in sample_articles)
    grid = soup.select_one("table.archive-grid")
    # In a named box that scrolls on a phone, a month a column.
    assert grid.parent["role"] == "region" and grid.parent["tabindex"] == "0"
    assert [th.get_text(strip=True) for th in grid.select("thead th")] == ["Năm"] + [f"T{m}" for m in range(1, 13)]
    rows = grid.select("tbody tr")
    assert [int(r.th.a.get_text(strip=True)) for r in rows] == sorted(per_year, reverse=True)
    for row in rows:
        year = int(row.th.a.get_text(strip=True))
        assert row.th.a["href"] == f"/{year}/" and row.th.select_one(".meta").get_text(strip=True) == f"({per_year[year]})"
        cells = row.select("td")
        assert len(cells) == 12
        for month, cell in enumerate(cells, start=1):
            if (year, month) in per_month:
                assert cell.a["href"] == f"/{year}/{month:02d}/" and site.exists(cell.a["href"])
                assert cell.a.get_text(strip=True) == str(per_month[(year, month)])
                assert cell.a["aria-label"] == f"Tháng {month}/{year}: {per_month[(year, month)]} bài"
            else:
                assert cell.a is None and not cell.get_text(strip=True)


def test_month_pages_lead_to_the_nearest_months_with_articles(site, sample_articles):
    months = sorted({(a.date.year, a.date.month) for a in sample_articles})
    for index, (year, month) in enumerate(months):
        nav = site.soup(f"/{year}/{month:02d}/").select_one("nav.period-nav")
        older = nav.select_one('a[rel="prev"]')
        newer = nav.select_one('a[rel="next"]')
        if index == 0:
            assert older is None
        else:
            y, m = months[index - 1]
            assert older["href"] == f"/{y}/{m:02d}/" and f"Tháng {m}/{y}" in older.get_text()
        if index == len(months) - 1:
            assert newer is None
        else:
            y, m = months[index + 1]
            assert newer["href"] == f"/{y}/{m:02d}/" and f"Tháng {m}/{y}" in newer.get_text()


def test_month_and_year_pages(site, sample_articles):
    per_month = Counter((a.date.year, a.date.month) for a in sample_articles)
    for (year, month), count in per_month.items():
        soup = site.soup(f"/{year}/{month:02d}/")
        assert soup.h1.get_text(strip=True) == f"Tháng {month}/{year}"
        urls = links_of(soup, ".teasers .teaser-title a")
        assert urls == [a.url for a in sample_articles if (a.date.year, a.date.month) == (year, month)]
        assert len(urls) == count
        assert links_of(soup, "nav.breadcrumb a")[1:] == ["/luu-tru/", f"/{year}/"]
    for year in {a.date.year for a in sample_articles}:
        soup = site.soup(f"/{year}/")
        assert soup.h1.get_text(strip=True) == f"Năm {year}"
        assert len(links_of(soup, ".teasers .teaser-title a")) == sum(1 for a in sample_articles if a.date.year == year)


# --- Pages, 404, English -------------------------------------------------------------------------


def test_about_and_contact_pages(site):
    assert site.soup("/gioi-thieu/").h1.get_text(strip=True) == "Giới thiệu"
    contact = site.soup("/lien-he/")
    assert contact.h1.get_text(strip=True) == "Liên hệ"
    assert SITE["email"] in contact.get_text()


@pytest.mark.parametrize("slug", ["organisation", "functions", "contact"])
def test_english_pages_are_marked_english(site, slug):
    soup = site.soup(f"/en/{slug}/")
    assert soup.html["lang"] == "en"
    assert soup.select_one('meta[property="og:locale"]')["content"] == "en_US"
    assert soup.select_one("a.skip-link").get_text(strip=True) == "Skip to content"


@pytest.mark.parametrize("slug", ["organisation", "functions", "contact"])
def test_english_pages_have_english_chrome(site, slug):
    soup = site.soup(f"/en/{slug}/")
    english = SITE["english"]
    assert soup.select_one(".brand-name").get_text(strip=True) == english["name"]
    assert soup.select_one(".brand-agency").get_text(strip=True) == english["parent_agency"]
    assert soup.select_one(".tagline").get_text(strip=True) == english["tagline"]
    assert soup.select_one(".header-search button").get_text(strip=True) == "Search"
    # The menu: the English pages, then the way back to Vietnamese.
    menu = soup.select(".menu-wide .menu-list a")
    english_pages = sorted(p.parent.name for p in (site.output / "en").glob("*/index.html"))
    assert sorted(a["href"].strip("/").split("/")[-1] for a in menu[:-1]) == english_pages
    assert menu[-1]["href"] == "/" and menu[-1]["lang"] == "vi"
    assert soup.select_one(f'.menu-wide a[href="/en/{slug}/"]')["aria-current"] == "page"
    footer = soup.select_one(".site-footer")
    assert footer.h2.get_text(strip=True) == english["name"]
    assert f"Address: {english['address']}" in footer.get_text(" ", strip=True)
    assert "Cơ quan" not in footer.get_text() and "Trang thông tin" not in footer.get_text()
    # Vietnamese text on an English page (the related portals' names) is marked as such.
    assert footer.select_one(".footer-links ul")["lang"] == "vi"
    assert soup.select_one("nav.breadcrumb a")["href"] == "/en/organisation/"


def test_every_page_has_a_language_switch_in_its_header(site):
    for path in site.html_files():
        soup = site.soup("/" + str(path.relative_to(site.output)))
        link = soup.select_one("header.site-header .lang-switch a")
        assert link is not None, path
        if soup.html["lang"] == "en":
            assert (link["href"], link["hreflang"], link.get_text(strip=True)) == ("/", "vi", "Tiếng Việt"), path
        else:
            assert (link["href"], link["hreflang"], link.get_text(strip=True)) == ("/en/organisation/", "en", "English"), path
            assert site.exists(link["href"])


def test_document_numbers_and_year_ranges_are_kept_whole(site, sample_articles):
    from documents import year_ranges

    # In titles everywhere they are listed, and in bodies; never inside an attribute.
    titled = [a for a in sample_articles if vntext.find_document_numbers(a.title)]
    assert titled
    for article in titled:
        soup = site.soup(article.url)
        numbers = [raw for _s, _e, raw, _k in sorted(vntext.find_document_numbers(article.title) + year_ranges(article.title))]
        assert [s.get_text() for s in soup.h1.select("span.nowrap")] == numbers, article.url
    home = site.soup("/")
    assert "18-NQ/TW" in [s.get_text() for s in home.select(".teaser-title span.nowrap, .headlines span.nowrap")]
    plan = site.soup("/2021/12/ke-hoach-cai-cach-hanh-chinh-nha-nuoc-tinh-binh-an-giai-doan-2021-2025/")
    body_spans = [s.get_text() for s in plan.select(".body span.nowrap")]
    assert "2021-2025" in body_spans
    for path in site.html_files():
        html = path.read_text(encoding="utf-8")
        assert not re.search(r'="[^"]*<span class="nowrap">', html), path


def test_editor_tables_scroll_in_a_named_focusable_box(site, sample_articles):
    found = 0
    for article in sample_articles:
        soup = site.soup(article.url)
        for table in soup.select(".body table:not(.data-table)"):
            box = table.parent
            assert "table-scroll" in box["class"] and box["role"] == "region" and box["tabindex"] == "0", article.url
            assert box["aria-label"].strip(), article.url
            found += 1
    assert found
    # Written at build time: no script fix-up for it (the page works without JavaScript).
    assert "scrollWidth" not in (ROOT / "theme/static/js/site.js").read_text(encoding="utf-8")


def test_404_page(site):
    soup = site.soup("/404.html")
    assert soup.h1.get_text(strip=True) == "Không tìm thấy trang"
    assert "/luu-tru/" in links_of(soup, "main a")
    assert soup.select_one('link[rel="canonical"]') is None


# --- Feeds, sitemap, robots ----------------------------------------------------------------------

ATOM = "{http://www.w3.org/2005/Atom}"


def feed_links(site, url):
    tree = ET.fromstring(site.path(url).read_bytes())
    return [e.find(f"{ATOM}link").get("href") for e in tree.findall(f"{ATOM}entry")]


def test_site_feed_lists_newest_articles(site, sample_articles):
    links = feed_links(site, "/feeds/all.atom.xml")
    assert [urlparse(h).path for h in links] == [a.url for a in sample_articles[: len(links)]]
    assert len(links) == min(30, len(sample_articles))


@pytest.mark.parametrize("section_id", list(TREE))
def test_section_feeds(site, sample_articles, section_id):
    expected = [a.url for a in sample_articles if a.section in TREE[section_id][2]][:30]
    links = feed_links(site, f"/feeds/{section_id}.atom.xml")
    assert [urlparse(h).path for h in links] == expected
    assert site.soup(f"/{section_id}/").select_one('link[type="application/atom+xml"][href$="' + f"{section_id}.atom.xml" + '"]')


def test_sitemap_and_robots(site, sample_articles):
    tree = ET.fromstring(site.path("/sitemap.xml").read_bytes())
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    locations = {urlparse(u.find(f"{ns}loc").text).path: u for u in tree.findall(f"{ns}url")}
    for article in sample_articles:
        assert article.url in locations
        changed = article.modified or article.date
        assert locations[article.url].find(f"{ns}lastmod").text.startswith(changed.strftime("%Y-%m-%dT%H:%M"))
    for url in ["/", "/luu-tru/", "/tin-tuc-su-kien/", "/en/organisation/", "/linh-vuc/cai-cach-tthc/"]:
        assert url in locations
    assert "/404.html" not in locations
    # every listed page exists
    assert all(site.exists(path) for path in locations)
    robots = site.path("/robots.txt").read_text(encoding="utf-8")
    assert re.search(r"^Sitemap: https?://\S+/sitemap\.xml$", robots, re.M)
