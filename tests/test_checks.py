"""Content checks on a tiny content folder, and the site-data parsing they rely on.

Every problem is checked with its file, its exact line and the words an editor acts on.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import vntext
from sitedata.model import parse_links, parse_sections, parse_topics
from sourcefiles import load_yaml
from strict.checks import check_article, check_content, check_page, parse_date, site_urls

ROOT = Path(__file__).resolve().parent.parent

SECTIONS_YAML = """\
- id: tin-tuc-su-kien
  title: Tin tức - Sự kiện
- id: ket-qua-cchc
  title: Kết quả CCHC
  children:
    - id: kiem-tra-cchc
      title: Kết quả kiểm tra CCHC
    - id: chi-so-cchc
      title: Chỉ số CCHC
- id: hinh-anh
  title: Hình ảnh
"""

TOPICS_YAML = """\
- id: cai-cach-tthc
  title: Cải cách thủ tục hành chính
- id: chinh-quyen-so
  title: Xây dựng chính quyền điện tử, chính quyền số
"""

# A complete, valid article; tests change one thing at a time. Order is line order.
VALID = {
    "Title": "Đẩy mạnh cải cách thủ tục hành chính",
    "Date": "2024-03-20 16:00",
    "Modified": "2024-03-21 08:30",
    "Category": "tin-tuc-su-kien",
    "Topics": "cai-cach-tthc, chinh-quyen-so",
    "Tags": "CCHC, TTHC",
    "Slug": "day-manh-cai-cach-tthc",
    "Author": "Văn phòng UBND tỉnh",
    "Summary": "UBND tỉnh ban hành Kế hoạch số 1275/KH-UBND.",
    "Image": "images/hoi-nghi.jpg",
    "ImageAlt": "Quang cảnh hội nghị",
    "ImageCaption": "Hội nghị triển khai nhiệm vụ CCHC năm 2024",
    "Featured": "yes",
    "Attachments": "files/ke-hoach.pdf, {static}/files/bao-cao.docx",
    "Status": "published",
    "Lang": "vi",
}


def front_matter(fields: dict, body: str = "Nội dung bài viết.\n") -> str:
    return "".join(f"{key}: {value}\n" for key, value in fields.items()) + "\n" + body


def article_text(**changes) -> str:
    """VALID with keys replaced, removed (None) or added at the end."""
    fields = dict(VALID)
    for key, value in changes.items():
        if value is None:
            fields.pop(key, None)
        else:
            fields[key] = value
    return front_matter(fields)


def line_of(text: str, key: str) -> int:
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith(f"{key}:"):
            return number
    raise AssertionError(f"{key} not in the text")


@pytest.fixture
def small_site(tmp_path):
    """A content folder with site data, one picture and two attachments, and its settings."""
    content = tmp_path / "content"
    for folder in ("articles", "pages", "images", "files", "data"):
        (content / folder).mkdir(parents=True)
    (content / "images" / "hoi-nghi.jpg").write_bytes(b"\xff\xd8\xff")
    (content / "files" / "ke-hoach.pdf").write_bytes(b"%PDF-1.4")
    (content / "files" / "bao-cao.docx").write_bytes(b"PK")
    (content / "data" / "sections.yaml").write_text(SECTIONS_YAML, encoding="utf-8")
    (content / "data" / "topics.yaml").write_text(TOPICS_YAML, encoding="utf-8")
    sections_path = str(content / "data" / "sections.yaml")
    topics_path = str(content / "data" / "topics.yaml")
    sections, problems = parse_sections(load_yaml(sections_path), sections_path, "{id}/", "{id}/index.html")
    assert problems == []
    topics, problems = parse_topics(load_yaml(topics_path), topics_path, "linh-vuc/{id}/", "linh-vuc/{id}/index.html")
    assert problems == []
    settings = {
        "PATH": str(content),
        "ARTICLE_PATHS": ["articles"],
        "PAGE_PATHS": ["pages"],
        "SECTIONS_BY_ID": {section.id: section for top in sections for section in top.walk()},
        "TOPICS_BY_ID": {topic.id: topic for topic in topics},
    }
    return content, settings


def write(content: Path, relative: str, text: str) -> str:
    path = content / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return str(path)


def only_problem(problems, level="error"):
    assert len(problems) == 1, [str(p) for p in problems]
    [problem] = problems
    assert problem.level == level, str(problem)
    return problem


ARTICLE = "articles/tin-tuc-su-kien/2024/bai-viet.md"


# --- a valid article ----------------------------------------------------------------------------


def test_valid_article_has_no_problem_at_all(small_site):
    content, settings = small_site
    path = write(content, ARTICLE, article_text())
    assert check_content(settings) == []
    problems, slug = check_article(path, settings)
    assert problems == []
    assert slug == "day-manh-cai-cach-tthc"


def test_valid_article_in_a_child_section_with_minimal_front_matter(small_site):
    content, settings = small_site
    text = front_matter({"Title": "Kết quả kiểm tra CCHC năm 2023", "Date": "2023-12-01", "Summary": "Tóm tắt.", "Topics": "cai-cach-tthc"})
    path = write(content, "articles/kiem-tra-cchc/2023/ket-qua.md", text)
    problems, slug = check_article(path, settings)
    assert problems == []
    assert slug == vntext.slugify("Kết quả kiểm tra CCHC năm 2023") == "ket-qua-kiem-tra-cchc-nam-2023"


def test_readme_in_articles_is_not_an_article(small_site):
    content, settings = small_site
    write(content, "articles/README.md", "# Hướng dẫn cho biên tập viên\n")
    write(content, ARTICLE, article_text())
    assert check_content(settings) == []


# --- Title and Date -----------------------------------------------------------------------------


def test_missing_title(small_site):
    content, settings = small_site
    path = write(content, ARTICLE, article_text(Title=None))
    problem = only_problem(check_article(path, settings)[0])
    assert problem.path == path
    assert problem.line == 1
    assert 'missing "Title: ..."' in problem.message


def test_empty_title_points_at_its_line(small_site):
    content, settings = small_site
    text = front_matter({"Date": "2024-03-20", "Title": "", "Summary": "x", "Slug": "a", "Topics": "cai-cach-tthc"})
    path = write(content, ARTICLE, text)
    problem = only_problem(check_article(path, settings)[0])
    assert problem.line == 2
    assert 'missing "Title' in problem.message


def test_missing_date(small_site):
    content, settings = small_site
    path = write(content, ARTICLE, article_text(Date=None, Modified=None))
    problem = only_problem(check_article(path, settings)[0])
    assert problem.line == 1
    assert 'missing "Date: ..."' in problem.message
    assert "YYYY-MM-DD HH:MM" in problem.message


def test_impossible_date(small_site):
    content, settings = small_site
    text = article_text(Date="2020-02-31", Modified=None)
    path = write(content, "articles/tin-tuc-su-kien/2020/bai-viet.md", text)
    problem = only_problem(check_article(path, settings)[0])
    assert problem.line == line_of(text, "Date") == 2
    assert 'Date "2020-02-31" is not a date' in problem.message


def test_date_in_day_month_year_form(small_site):
    content, settings = small_site
    text = article_text(Date="31/02/2020", Modified=None)
    path = write(content, ARTICLE, text)
    problem = only_problem(check_article(path, settings)[0])
    assert problem.line == 2
    assert 'Date "31/02/2020" is not a date (use YYYY-MM-DD HH:MM' in problem.message
    assert str(problem).startswith(f'{path}:2: Date "31/02/2020" is not a date')


@pytest.mark.parametrize("value", ["2024-03-20 25:00", "2024-13-01", "2024-3-20", "20/03/2024 16:00", "hôm nay", "2024-02-30 10:00"])
def test_bad_dates(small_site, value):
    content, settings = small_site
    text = article_text(Date=value, Modified=None)
    path = write(content, ARTICLE, text)
    problem = only_problem(check_article(path, settings)[0])
    assert problem.line == 2
    assert f'Date "{value}" is not a date' in problem.message


@pytest.mark.parametrize("value", ["2024-03-20", "2024-03-20 16:00", "2024-03-20T16:00", "2024-03-20 16:00:30", "2024-02-29"])
def test_good_dates(small_site, value):
    content, settings = small_site
    path = write(content, ARTICLE, article_text(Date=value, Modified=None))
    assert check_article(path, settings)[0] == []


def test_parse_date():
    assert parse_date("2024-03-20 16:05").isoformat() == "2024-03-20T16:05:00"
    assert parse_date(" 2024-03-20 ").isoformat() == "2024-03-20T00:00:00"
    assert parse_date("2020-02-31") is None
    assert parse_date("31/02/2020") is None
    assert parse_date("") is None


def test_bad_modified(small_site):
    content, settings = small_site
    text = article_text(Modified="21/03/2024")
    path = write(content, ARTICLE, text)
    problem = only_problem(check_article(path, settings)[0])
    assert problem.line == line_of(text, "Modified") == 3
    assert 'Modified "21/03/2024" is not a date' in problem.message


def test_modified_before_date_is_a_warning(small_site):
    content, settings = small_site
    text = article_text(Modified="2024-03-19 08:00")
    path = write(content, ARTICLE, text)
    problem = only_problem(check_article(path, settings)[0], level="warning")
    assert problem.line == 3
    assert "Modified 2024-03-19 08:00 is before Date 2024-03-20 16:00" in problem.message


def test_year_folder_mismatch_is_a_warning(small_site):
    content, settings = small_site
    text = article_text(Date="2020-01-05 09:00", Modified=None)
    path = write(content, "articles/tin-tuc-su-kien/2019/bai-viet.md", text)
    problem = only_problem(check_article(path, settings)[0], level="warning")
    assert problem.line == 2
    assert "in the 2019 folder but dated 2020" in problem.message
    assert "tin-tuc-su-kien/2020/" in problem.message


# --- sections and topics ------------------------------------------------------------------------


def test_unknown_category(small_site):
    content, settings = small_site
    text = article_text(Category="tin-tuc")
    path = write(content, ARTICLE, text)
    problem = only_problem(check_article(path, settings)[0])
    assert problem.line == line_of(text, "Category") == 4
    assert 'Category "tin-tuc" is not a section' in problem.message
    assert "tin-tuc-su-kien" in problem.message  # the known ids are listed


def test_category_differs_from_folder(small_site):
    content, settings = small_site
    text = article_text(Category="hinh-anh")
    path = write(content, ARTICLE, text)
    problem = only_problem(check_article(path, settings)[0])
    assert problem.line == 4
    assert 'Category "hinh-anh" differs from the folder "tin-tuc-su-kien"' in problem.message


def test_parent_section_category_differs_from_child_folder(small_site):
    content, settings = small_site
    text = article_text(Category="ket-qua-cchc")
    path = write(content, "articles/kiem-tra-cchc/2024/bai-viet.md", text)
    problem = only_problem(check_article(path, settings)[0])
    assert 'differs from the folder "kiem-tra-cchc"' in problem.message


def test_article_outside_a_section_folder(small_site):
    content, settings = small_site
    path = write(content, "articles/bai-viet.md", article_text())
    problem = only_problem(check_article(path, settings)[0])
    assert problem.line == 0
    assert "must be in a section folder" in problem.message
    assert str(problem).startswith(f"{path}: an article must be in a section folder")


def test_article_in_an_unknown_section_folder(small_site):
    content, settings = small_site
    path = write(content, "articles/tin-tuc/2024/bai-viet.md", article_text())
    problem = only_problem(check_article(path, settings)[0])
    assert problem.line == 0
    assert 'folder "tin-tuc" is not a section' in problem.message


def test_unknown_topic(small_site):
    content, settings = small_site
    text = article_text(Topics="cai-cach-tthc, cai-cach-thu-tuc")
    path = write(content, ARTICLE, text)
    problem = only_problem(check_article(path, settings)[0])
    assert problem.line == line_of(text, "Topics") == 5
    assert 'topic "cai-cach-thu-tuc" is not in content/data/topics.yaml' in problem.message


# --- pictures and attachments -------------------------------------------------------------------


def test_missing_image(small_site):
    content, settings = small_site
    text = article_text(Image="images/khong-co.jpg")
    path = write(content, ARTICLE, text)
    problem = only_problem(check_article(path, settings)[0])
    assert problem.line == line_of(text, "Image") == 10
    assert 'Image "images/khong-co.jpg": picture not found' in problem.message


@pytest.mark.parametrize("value", ["/images/hoi-nghi.jpg", "{static}/images/hoi-nghi.jpg", "{static}images/hoi-nghi.jpg"])
def test_image_path_forms_that_exist(small_site, value):
    content, settings = small_site
    path = write(content, ARTICLE, article_text(Image=value))
    assert check_article(path, settings)[0] == []


def test_image_without_alt_is_an_error(small_site):
    content, settings = small_site
    text = article_text(ImageAlt=None)
    path = write(content, ARTICLE, text)
    problem = only_problem(check_article(path, settings)[0])
    assert problem.line == line_of(text, "Image") == 10
    assert '"ImageAlt: ..."' in problem.message


def test_image_without_caption_is_a_warning(small_site):
    content, settings = small_site
    text = article_text(ImageCaption=None)
    path = write(content, ARTICLE, text)
    problem = only_problem(check_article(path, settings)[0], level="warning")
    assert problem.line == 10
    assert '"ImageCaption: ..."' in problem.message


def test_missing_attachment(small_site):
    content, settings = small_site
    text = article_text(Attachments="files/ke-hoach.pdf, files/khong-co.docx, {static}/files/bao-cao.docx")
    path = write(content, ARTICLE, text)
    problem = only_problem(check_article(path, settings)[0])
    assert problem.line == line_of(text, "Attachments") == 14
    assert 'Attachment "files/khong-co.docx": file not found' in problem.message
    assert "ke-hoach.pdf" not in problem.message


def test_attachment_with_a_title_is_checked_by_its_file(small_site):
    content, settings = small_site
    text = article_text(Attachments="files/ke-hoach.pdf | Kế hoạch số 125/KH-UBND, files/khong-co.docx | Phụ lục")
    path = write(content, ARTICLE, text)
    problem = only_problem(check_article(path, settings)[0])
    assert problem.line == line_of(text, "Attachments")
    assert 'Attachment "files/khong-co.docx": file not found' in problem.message


def test_attachment_bar_without_a_title(small_site, monkeypatch):
    monkeypatch.setenv("PORTAL_LANG", "vi")  # the words an editor reads
    content, settings = small_site
    text = article_text(Attachments="files/ke-hoach.pdf |")
    path = write(content, ARTICLE, text)
    problem = only_problem(check_article(path, settings)[0])
    assert problem.line == line_of(text, "Attachments") == 14
    assert problem.message.startswith('Attachments "files/ke-hoach.pdf |": sau dấu | chưa có tên')


# --- slugs --------------------------------------------------------------------------------------


def test_duplicate_slug_explicit_then_derived_from_title(small_site):
    content, settings = small_site
    first = write(content, "articles/tin-tuc-su-kien/2024/a.md", article_text(Slug="ke-hoach-cchc-nam-2024"))
    second_text = article_text(Slug=None, Title="Kế hoạch CCHC năm 2024")
    second = write(content, "articles/tin-tuc-su-kien/2024/b.md", second_text)
    problem = only_problem(check_content(settings))
    assert problem.path == second
    assert problem.line == line_of(second_text, "Title") == 1
    assert 'slug "ke-hoach-cchc-nam-2024" is already used by' in problem.message
    assert first in problem.message


def test_duplicate_slug_derived_then_explicit(small_site):
    content, settings = small_site
    first = write(content, "articles/chi-so-cchc/2024/a.md", article_text(Slug=None, Category="chi-so-cchc", Title="Kế hoạch CCHC năm 2024"))
    second_text = article_text(Slug="ke-hoach-cchc-nam-2024")
    second = write(content, "articles/tin-tuc-su-kien/2024/z.md", second_text)
    problem = only_problem(check_content(settings))
    assert problem.path == second
    assert problem.line == line_of(second_text, "Slug") == 7
    assert first in problem.message
    assert "change one Slug or Title" in problem.message


def test_same_slug_in_another_language_or_for_a_page_is_not_a_duplicate(small_site):
    content, settings = small_site
    write(content, "articles/tin-tuc-su-kien/2024/a.md", article_text(Slug="cai-cach"))
    write(content, "articles/tin-tuc-su-kien/2024/b.md", article_text(Slug="cai-cach", Lang="en"))
    write(content, "pages/cai-cach.md", front_matter({"Title": "Cải cách", "Slug": "cai-cach"}))
    assert check_content(settings) == []


def test_two_pages_with_one_slug(small_site):
    content, settings = small_site
    first = write(content, "pages/a.md", front_matter({"Title": "Giới thiệu"}))
    second = write(content, "pages/b.md", front_matter({"Title": "Liên hệ", "Slug": "gioi-thieu"}))
    problem = only_problem(check_content(settings))
    assert problem.path == second
    assert problem.line == 2
    assert first in problem.message
    assert "two pages cannot share an address" in problem.message


def test_slug_with_diacritics(small_site):
    content, settings = small_site
    text = article_text(Slug="Có dấu")
    path = write(content, ARTICLE, text)
    problem = only_problem(check_article(path, settings)[0])
    assert problem.line == line_of(text, "Slug") == 7
    assert 'Slug "Có dấu" must be lower-case ASCII words joined by hyphens' in problem.message
    assert '"co-dau"' in problem.message  # the suggestion is the slug it should be


@pytest.mark.parametrize("value", ["ke_hoach", "Ke-hoach", "ke--hoach", "-ke-hoach", "ke hoach"])
def test_other_bad_slugs(small_site, value):
    content, settings = small_site
    path = write(content, ARTICLE, article_text(Slug=value))
    problem = only_problem(check_article(path, settings)[0])
    assert f'Slug "{value}" must be lower-case ASCII' in problem.message


# --- Status, Featured, unknown keys, Summary -----------------------------------------------------


def test_bad_status(small_site):
    content, settings = small_site
    text = article_text(Status="publish")
    path = write(content, ARTICLE, text)
    problem = only_problem(check_article(path, settings)[0])
    assert problem.line == line_of(text, "Status") == 15
    assert 'Status "publish" is not one of published, draft, hidden' in problem.message


@pytest.mark.parametrize("value", ["draft", "Draft", "hidden", "PUBLISHED"])
def test_good_status(small_site, value):
    content, settings = small_site
    path = write(content, ARTICLE, article_text(Status=value))
    assert check_article(path, settings)[0] == []


def test_bad_featured(small_site):
    content, settings = small_site
    text = article_text(Featured="có lẽ")
    path = write(content, ARTICLE, text)
    problem = only_problem(check_article(path, settings)[0])
    assert problem.line == line_of(text, "Featured") == 13
    assert 'Featured "có lẽ" must be yes or no' in problem.message


@pytest.mark.parametrize("value", ["yes", "no", "Yes", "true", "Có", "không"])
def test_good_featured(small_site, value):
    content, settings = small_site
    path = write(content, ARTICLE, article_text(Featured=value))
    assert check_article(path, settings)[0] == []


def test_unknown_key_is_a_warning(small_site):
    content, settings = small_site
    text = article_text(Tittle="Gõ nhầm")
    path = write(content, ARTICLE, text)
    problem = only_problem(check_article(path, settings)[0], level="warning")
    assert problem.line == line_of(text, "Tittle") == 17
    assert 'unknown key "tittle"' in problem.message
    assert "misspelt" in problem.message


def test_missing_summary_is_a_warning(small_site):
    content, settings = small_site
    path = write(content, ARTICLE, article_text(Summary=None))
    problem = only_problem(check_article(path, settings)[0], level="warning")
    assert problem.line == 1
    assert 'no "Summary: ..."' in problem.message


def test_front_matter_problems_are_part_of_the_check(small_site):
    content, settings = small_site
    text = article_text().replace("Author:", "Title: Lặp lại\nAuthor:", 1)
    path = write(content, ARTICLE, text)
    problem = only_problem(check_article(path, settings)[0])
    assert problem.line == 8
    assert '"Title" is given twice (first on line 1)' in problem.message


def test_every_problem_of_a_file_is_reported_at_once(small_site):
    content, settings = small_site
    text = article_text(Date="31/02/2020", Category="khong-co", Status="xong", Featured="maybe", Modified=None)
    path = write(content, ARTICLE, text)
    problems = check_content(settings)
    expected = sorted((line_of(text, key), "error") for key in ("Date", "Category", "Status", "Featured"))
    assert expected == [(2, "error"), (3, "error"), (12, "error"), (14, "error")]
    assert sorted((p.line, p.level) for p in problems) == expected
    assert all(p.path == path for p in problems)


# --- pages --------------------------------------------------------------------------------------


def test_page_slug_equal_to_a_section_id(small_site):
    content, settings = small_site
    text = front_matter({"Title": "Thư viện ảnh", "Slug": "hinh-anh"})
    path = write(content, "pages/thu-vien.md", text)
    problem = only_problem(check_page(path, settings)[0])
    assert problem.line == 2
    assert 'Slug "hinh-anh" is also a section id' in problem.message
    assert [str(p) for p in check_content(settings)] == [str(problem)]


def test_page_title_slugifying_to_a_child_section_id(small_site):
    content, settings = small_site
    path = write(content, "pages/chi-so.md", front_matter({"Title": "Chỉ số CCHC"}))
    problem = only_problem(check_page(path, settings)[0])
    assert problem.line == 1
    assert 'Slug "chi-so-cchc" is also a section id' in problem.message


def test_english_page_may_share_a_section_id(small_site):
    content, settings = small_site
    path = write(content, "pages/gallery.md", front_matter({"Title": "Gallery", "Slug": "hinh-anh", "Lang": "en"}))
    assert check_page(path, settings)[0] == []


def test_page_with_article_only_key_warns(small_site):
    content, settings = small_site
    path = write(content, "pages/gioi-thieu.md", front_matter({"Title": "Giới thiệu", "Category": "tin-tuc-su-kien"}))
    problem = only_problem(check_page(path, settings)[0], level="warning")
    assert problem.line == 2
    assert 'unknown key "category"' in problem.message


def test_site_urls_leave_out_a_page_without_a_slug(small_site):
    # An unreadable page has no slug; "/None/" must not become an address links may point to.
    _, settings = small_site
    settings = {**settings, "PAGE_URL": "{slug}/", "PAGE_LANG_URL": "{lang}/{slug}/"}
    urls = site_urls(settings, [], [(None, "vi"), ("gioi-thieu", "vi")])
    assert "/gioi-thieu/" in urls
    assert "/None/" not in urls


# --- site data: sections and topics -------------------------------------------------------------


def parse(tmp_path, parser, text, url="{id}/", save_as="{id}/index.html"):
    path = tmp_path / "data.yaml"
    path.write_text(text, encoding="utf-8")
    return parser(load_yaml(str(path)), str(path), url, save_as)


def test_sections_tree_urls_and_parents(tmp_path):
    sections, problems = parse(tmp_path, parse_sections, SECTIONS_YAML)
    assert problems == []
    assert [s.id for s in sections] == ["tin-tuc-su-kien", "ket-qua-cchc", "hinh-anh"]
    results = sections[1]
    assert [c.id for c in results.children] == ["kiem-tra-cchc", "chi-so-cchc"]
    child = results.children[0]
    assert child.parent is results and child.top is results
    assert child.url == "kiem-tra-cchc/" and child.save_as == "kiem-tra-cchc/index.html"
    assert child.trail == [("Kết quả CCHC", "ket-qua-cchc/"), ("Kết quả kiểm tra CCHC", "kiem-tra-cchc/")]
    assert results.ids == {"ket-qua-cchc", "kiem-tra-cchc", "chi-so-cchc"}


def test_topics_urls(tmp_path):
    topics, problems = parse(tmp_path, parse_topics, TOPICS_YAML, "linh-vuc/{id}/", "linh-vuc/{id}/index.html")
    assert problems == []
    assert [(t.id, t.url, t.save_as) for t in topics] == [
        ("cai-cach-tthc", "linh-vuc/cai-cach-tthc/", "linh-vuc/cai-cach-tthc/index.html"),
        ("chinh-quyen-so", "linh-vuc/chinh-quyen-so/", "linh-vuc/chinh-quyen-so/index.html"),
    ]


def test_real_site_data_is_valid_and_has_the_design_ids():
    sections_path = str(ROOT / "content" / "data" / "sections.yaml")
    topics_path = str(ROOT / "content" / "data" / "topics.yaml")
    sections, problems = parse_sections(load_yaml(sections_path), sections_path, "{id}/", "{id}/index.html")
    assert problems == []
    ids = {s.id for top in sections for s in top.walk()}
    assert {"tin-tuc-su-kien", "ket-qua-cchc", "kiem-tra-cchc", "chi-so-cchc", "van-ban-chi-dao", "thong-tin-cai-cach", "bao-cao-thong-ke", "hinh-anh"} <= ids
    topics, problems = parse_topics(load_yaml(topics_path), topics_path, "linh-vuc/{id}/", "linh-vuc/{id}/index.html")
    assert problems == []
    assert [t.id for t in topics] == ["cai-cach-the-che", "cai-cach-tthc", "to-chuc-bo-may", "cong-chuc-cong-vu", "tai-chinh-cong", "chinh-quyen-so"]


DUPLICATE_SECTION = """\
- id: tin-tuc
  title: Tin tức
- id: ket-qua
  title: Kết quả
  children:
    - id: tin-tuc
      title: Tin tức khác
"""


def test_section_duplicate_id_names_both_lines(tmp_path):
    _, problems = parse(tmp_path, parse_sections, DUPLICATE_SECTION)
    problem = only_problem(problems)
    assert problem.line == 6
    assert 'id "tin-tuc" is used twice (first on line 1)' in problem.message
    assert problem.path == str(tmp_path / "data.yaml")


def test_topic_duplicate_id_names_both_lines(tmp_path):
    text = "- id: a\n  title: A\n- id: b\n  title: B\n- id: a\n  title: C\n"
    _, problems = parse(tmp_path, parse_topics, text)
    problem = only_problem(problems)
    assert problem.line == 5
    assert 'id "a" is used twice (first on line 1)' in problem.message


BAD_IDS = ["Tin-tuc", "tin_tuc", "tin tức", "-tin", "tin--tuc"]


@pytest.mark.parametrize("parser", [parse_sections, parse_topics])
@pytest.mark.parametrize("ident", BAD_IDS)
def test_bad_id(tmp_path, parser, ident):
    _, problems = parse(tmp_path, parser, f"- id: ok\n  title: A\n- title: B\n  id: {ident}\n")
    problem = only_problem(problems)
    assert problem.line == 4
    assert f'id "{ident}" must be lower-case ASCII words joined by hyphens' in problem.message


@pytest.mark.parametrize("parser", [parse_sections, parse_topics])
@pytest.mark.parametrize("ident", ["tim-kiem", "linh-vuc", "feeds", "images", "2024"])
def test_reserved_id(tmp_path, parser, ident):
    _, problems = parse(tmp_path, parser, f"- id: ok\n  title: A\n- id: '{ident}'\n  title: B\n")
    problem = only_problem(problems)
    assert problem.line == 3
    assert f'id "{ident}" is a name the site already uses' in problem.message


@pytest.mark.parametrize("parser", [parse_sections, parse_topics])
def test_missing_section_or_topic_title(tmp_path, parser):
    _, problems = parse(tmp_path, parser, "- id: a\n  title: A\n- id: b\n  description: Không có tiêu đề\n")
    problem = only_problem(problems)
    assert problem.line == 3
    assert 'missing "title"' in problem.message


@pytest.mark.parametrize("parser", [parse_sections, parse_topics])
def test_empty_title(tmp_path, parser):
    _, problems = parse(tmp_path, parser, "- id: a\n  title: '   '\n")
    problem = only_problem(problems)
    assert problem.line == 1
    assert 'missing "title"' in problem.message


@pytest.mark.parametrize("parser", [parse_sections, parse_topics])
def test_unknown_key(tmp_path, parser):
    text = "- id: a\n  title: A\n  desciption: Gõ nhầm\n"
    _, problems = parse(tmp_path, parser, text)
    problem = only_problem(problems)
    assert problem.line == 3
    assert 'unknown key "desciption"' in problem.message


@pytest.mark.parametrize("parser", [parse_topics, lambda data, path, url, save_as: parse_links(data, path)])
def test_ordered_mapping_is_not_a_list_of_entries(tmp_path, parser):
    # YAML's !!omap loads as a plain list of pairs, without the line numbers the entries need.
    _, problems = parse(tmp_path, parser, "--- !!omap\n- id: a\n")
    problem = only_problem(problems)
    assert problem.line == 1
    assert "expected a list of" in problem.message


def test_section_misspelt_title_is_unknown_and_missing(tmp_path):
    _, problems = parse(tmp_path, parse_sections, "- id: a\n  titel: A\n")
    assert sorted((p.line, p.message) for p in problems) == [
        (1, 'missing "title"'),
        (2, 'unknown key "titel" (a section has id, title, description, children)'),
    ]


def test_section_children_must_be_a_list(tmp_path):
    _, problems = parse(tmp_path, parse_sections, "- id: a\n  title: A\n  children: b\n")
    problem = only_problem(problems)
    assert problem.line == 3
    assert "expected a list of sections" in problem.message


def test_no_sections(tmp_path):
    _, problems = parse(tmp_path, parse_sections, "[]\n")
    problem = only_problem(problems)
    assert "no sections defined" in problem.message


def test_topics_must_be_a_list(tmp_path):
    _, problems = parse(tmp_path, parse_topics, "id: a\ntitle: A\n")
    problem = only_problem(problems)
    assert problem.line == 1
    assert "expected a list of topics" in problem.message
