"""Plugin logic on tiny inputs, without Pelican: sections, media, sitemap."""

from __future__ import annotations

from datetime import datetime
from types import SimpleNamespace

import pytest
from pelican.readers import MarkdownReader
from pelican.settings import read_settings
from sitefiles import describe_attachment, human_size

from archives import Members, with_members
from conftest import ROOT
from markdownreader import OneConverterReader
from sections.listing import assign, group_by_section, group_by_topic
from seo import page_url, robots_txt, sitemap_xml
from sitedata.model import Section, Topic


def tree():
    parent = Section("ket-qua-cchc", "Kết quả CCHC")
    a = Section("kiem-tra-cchc", "Kết quả kiểm tra CCHC", parent=parent)
    b = Section("chi-so-cchc", "Chỉ số CCHC", parent=parent)
    parent.children = [a, b]
    news = Section("tin-tuc-su-kien", "Tin tức - Sự kiện")
    return [parent, news], {s.id: s for top in (parent, news) for s in top.walk()}


def article(slug, category, day, topics="", featured=None, status="published"):
    return SimpleNamespace(slug=slug, category=SimpleNamespace(name=category), date=datetime(2024, 1, day), topics=topics, featured=featured, status=status)


def test_section_trail_and_ids():
    tops, by_id = tree()
    assert by_id["chi-so-cchc"].trail == [("Kết quả CCHC", ""), ("Chỉ số CCHC", "")]
    assert tops[0].ids == {"ket-qua-cchc", "kiem-tra-cchc", "chi-so-cchc"}
    assert by_id["chi-so-cchc"].top is tops[0]


def test_assign_and_group_by_section_merge_children_newest_first():
    tops, by_id = tree()
    topics = {"cai-cach-tthc": Topic("cai-cach-tthc", "Cải cách TTHC")}
    items = [
        article("a", "kiem-tra-cchc", 5, "cai-cach-tthc", "yes"),
        article("b", "chi-so-cchc", 9),
        article("c", "kiem-tra-cchc", 1, "cai-cach-tthc, khong-co"),
        article("d", "tin-tuc-su-kien", 3, featured="no"),
        article("e", "kiem-tra-cchc", 7, status="draft"),
    ]
    assign(items, by_id, topics)
    newest_first = sorted([i for i in items if i.status == "published"], key=lambda a: a.date, reverse=True)
    groups = group_by_section(newest_first, tops)
    assert [a.slug for a in groups["ket-qua-cchc"]] == ["b", "a", "c"]
    assert [a.slug for a in groups["kiem-tra-cchc"]] == ["a", "c"]
    assert [a.slug for a in groups["tin-tuc-su-kien"]] == ["d"]
    assert [a.featured for a in items] == [True, False, False, False, False]
    assert [t.id for t in items[2].topics_list] == ["cai-cach-tthc"]
    # Neighbours stay inside the leaf section, drafts excluded.
    assert items[2].next_in_section is items[0] and items[0].prev_in_section is items[2]
    assert items[0].next_in_section is None and items[1].prev_in_section is None
    assert [a.slug for a in group_by_topic(newest_first, topics.values())["cai-cach-tthc"]] == ["a", "c"]


@pytest.mark.parametrize(
    "size, text",
    [(100, "1 KB"), (1024, "1 KB"), (250 * 1024, "250 KB"), (1023 * 1024, "1.023 KB"), (int(1.45 * 1024 * 1024), "1,4 MB"), (12 * 1024 * 1024, "12,0 MB")],
)
def test_human_size_in_vietnamese(size, text):
    assert human_size(size) == text


def test_describe_attachment(tmp_path):
    (tmp_path / "files").mkdir()
    (tmp_path / "files" / "Ke-hoach.DOCX").write_bytes(b"x" * 3000)
    found = describe_attachment(str(tmp_path), "/files/Ke-hoach.DOCX", "")
    assert found == {"url": "/files/Ke-hoach.DOCX", "name": "Ke-hoach.DOCX", "title": "Ke hoach", "kind": "DOCX", "bytes": 3000, "size": "3 KB"}


def test_sitemap_entries():
    assert page_url("index.html") == "" and page_url("2017/03/a/index.html") == "2017/03/a/" and page_url("x.html") == "x.html"
    xml = sitemap_xml("https://cchc.example.vn", {"": None, "2017/03/a&b/": "2017-03-20T16:00:00+07:00"})
    assert "<loc>https://cchc.example.vn/2017/03/a&amp;b/</loc>" in xml
    assert "<lastmod>2017-03-20T16:00:00+07:00</lastmod>" in xml
    assert robots_txt("https://x.vn").endswith("Sitemap: https://x.vn/sitemap.xml\n")


def test_group_periods_in_one_pass_keeps_order():
    from archives import group_periods

    items = [SimpleNamespace(date=datetime(y, m, d)) for y, m, d in [(2017, 3, 29), (2017, 3, 7), (2017, 1, 5), (2016, 12, 27)]]
    found = group_periods(items, "{date:%Y}/", "{date:%Y}/index.html", "{date:%Y}/{date:%m}/", "{date:%Y}/{date:%m}/index.html")
    assert [(p["period_num"], len(p["articles"])) for p in found["year"]] == [((2017,), 3), ((2016,), 1)]
    assert [p["period_num"] for p in found["month"]] == [(2017, 3), (2017, 1), (2016, 12)]
    march = found["month"][0]
    assert march["articles"] == items[:2] and march["url"] == "2017/03/" and march["save_as"] == "2017/03/index.html"


def test_each_period_knows_the_nearest_periods_with_articles():
    from archives import group_periods

    items = [SimpleNamespace(date=datetime(y, m, 1)) for y, m in [(2017, 3), (2017, 1), (2015, 12)]]
    found = group_periods(items, "{date:%Y}/", "{date:%Y}/index.html", "{date:%Y}/{date:%m}/", "{date:%Y}/{date:%m}/index.html")
    march, january, december = found["month"]
    # No empty month in between: January 2017 leads back to December 2015.
    assert march["newer"] is None and march["older"] == {"period_num": (2017, 1), "url": "2017/01/"}
    assert january["newer"] == {"period_num": (2017, 3), "url": "2017/03/"} and january["older"]["url"] == "2015/12/"
    assert december["older"] is None
    assert [(y["older"] or {}).get("url") for y in found["year"]] == ["2015/", None]


def test_attachment_titles_from_front_matter_or_the_file_name():
    from sitefiles import clean_file_name, describe_attachment, split_title, title_problem

    assert split_title("files/x.pdf |  Quyết định số 3012/QĐ-UBND ") == ("files/x.pdf", "Quyết định số 3012/QĐ-UBND")
    assert split_title("files/x.pdf") == ("files/x.pdf", "")
    assert clean_file_name("files/2021/ke-hoach_cchc-2021-2025.pdf") == "Ke hoach cchc 2021-2025"
    described = describe_attachment("/nowhere", "/files/a-b.pdf | Báo cáo năm", "")
    assert (described["url"], described["name"], described["title"]) == ("/files/a-b.pdf", "a-b.pdf", "Báo cáo năm")
    assert describe_attachment("/nowhere", "files/bao-cao.pdf", "")["title"] == "Bao cao"
    assert title_problem("Files", "files/x.pdf | ") and title_problem("Files", "files/x.pdf | Tên") is None


def test_numbers_and_year_ranges_kept_whole_outside_markup():
    from documents import keep_whole_html, keep_whole_text, link_html, year_ranges

    html = '<p>Theo <a href="/2021-2025/">kế hoạch 2021-2025</a>, Nghị quyết 18-NQ/TW và 39-NQ/TW; ngày 12/2021-2022.</p><pre>18-NQ/TW</pre>'
    linked, cited = link_html(html, lambda key: "/van-ban/39-nq-tw/" if key == "39-NQ/TW" else None, keep_whole=True)
    assert '<a href="/2021-2025/">kế hoạch <span class="nowrap">2021-2025</span></a>' in linked
    assert '<span class="nowrap">18-NQ/TW</span> và <a class="doc-ref" href="/van-ban/39-nq-tw/">39-NQ/TW</a>' in linked
    assert "12/2021-2022" in linked and "<pre>18-NQ/TW</pre>" in linked  # a date, and code, left alone
    assert cited == ["18-NQ/TW", "39-NQ/TW"]
    # Without keep_whole the linker changes nothing else; keep_whole_html links nothing.
    assert link_html(html, lambda key: None) == (html, ["18-NQ/TW", "39-NQ/TW"])
    assert "doc-ref" not in keep_whole_html(html) and keep_whole_html(html).count('class="nowrap"') == 3
    assert [r[2] for r in year_ranges("giai đoạn 2021–2030, số 12021-20250")] == ["2021–2030"]
    assert str(keep_whole_text('Giảm 5 sở theo "Nghị quyết 18-NQ/TW"')) == 'Giảm 5 sở theo &#34;Nghị quyết <span class="nowrap">18-NQ/TW</span>&#34;'
    assert str(keep_whole_text("A <b>")) == "A &lt;b&gt;"


def test_editor_tables_get_a_named_focusable_scroll_box():
    from tables import wrap_tables

    body = "<h2>Kết quả theo cấp</h2><p>x</p><table><tr><td>1</td></tr></table><table><caption>Bảng 2</caption></table>"
    wrapped = wrap_tables(body)
    assert wrapped.count('<div class="table-scroll" role="region"') == 2 and wrapped.count('tabindex="0"') == 2
    assert 'aria-label="Kết quả theo cấp" tabindex="0"><table><tr>' in wrapped and 'aria-label="Bảng 2"' in wrapped
    assert 'aria-label="Table"' in wrap_tables("<table></table>", "en") and wrap_tables("<p>x</p>") == "<p>x</p>"


def test_one_markdown_converter_reads_every_file_as_a_new_one_would(tmp_path):
    # plugins/markdownreader resets one converter before each file instead of making a new one.
    settings = read_settings(str(ROOT / "pelicanconf.py"))
    first = tmp_path / "a.md"
    # Without a Summary (Pelican resets the converter for it): what the first file defines
    # (a footnote, an abbreviation) must not reach the next.
    first.write_text("Title: Bài một\n\n## Kết quả\n\nChỉ số CCHC tăng[^1].\n\n[^1]: Theo báo cáo năm.\n\n*[CCHC]: Cải cách hành chính\n", encoding="utf-8")
    second = tmp_path / "b.md"
    second.write_text("Title: Bài hai\nSummary: Tóm tắt có *CCHC*.\n\n## Kết quả\n\nCCHC không có chú thích ở bài này.\n", encoding="utf-8")
    files = [first, second, first, first, *sorted((ROOT / "content").rglob("*.md"))]
    fresh, reused = MarkdownReader(settings), OneConverterReader(settings)
    for path in files:
        assert reused.read(str(path)) == fresh.read(str(path)), path
    assert reused._md is reused._converter


def test_tag_category_and_author_lists_answer_in_by_identity():
    # plugins/archives: Pelican filters the dated articles by `article in tag_articles` for each tag.
    a, b, c = (SimpleNamespace(slug=s) for s in "abc")
    generator = SimpleNamespace(tags={"t": [b, a]}, categories=[("k", [c])], authors=[("x", [a, b, c])], context={})
    with_members(generator)
    tag_articles = generator.context["tags"][0][1]
    assert isinstance(tag_articles, Members) and tag_articles == [b, a]
    assert a in tag_articles and c not in tag_articles and SimpleNamespace(slug="a") not in tag_articles
    assert generator.context["categories"] == [("k", [c])] and generator.context["authors"][0][1] == [a, b, c]
    assert [x for x in [a, b, c] if x in generator.authors[0][1]] == [a, b, c]
    assert generator.tags["new"] == [] and isinstance(generator.tags["new"], Members)
