"""./portal import-docx (issue 16, item 1): a Word file becomes one article, its pictures and its checks.

The Word files are made here with python-docx, as departments send them: a title, a date line, a
bold lead, decomposed (NFD) text with Word's leftovers, pictures with alt text and captions, a
heading, lists, a table, a signature. The Markdown is asserted exactly.
"""

from __future__ import annotations

import io
import unicodedata
from datetime import datetime

import pytest
from docx import Document
from docx.shared import Inches
from PIL import Image

import editorial
import messages
import tasks
from conftest import ROOT, copy_content, fill_the_disk
from importing import commands
from importing.article import existing_articles, write_draft
from importing.body import build_draft
from importing.wordfile import read_docx


def picture_bytes(colour) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(buffer, "JPEG")
    return buffer.getvalue()


RED, BLUE = picture_bytes((200, 20, 20)), picture_bytes((20, 20, 200))


def add_picture(document, data: bytes, alt: str = "") -> None:
    run = document.add_paragraph().add_run()
    inline = run.add_picture(io.BytesIO(data), width=Inches(2))
    if alt:
        inline._inline.docPr.set("descr", alt)  # Word's "Alt Text" box


def press_release(path, nfd: bool = True, alt: bool = True) -> None:
    def text(value: str) -> str:
        return unicodedata.normalize("NFD", value) if nfd else value

    document = Document()
    document.add_heading(text("Tỉnh tổng kết công tác cải cách hành chính năm 2023"), level=0)
    document.add_paragraph("Thứ 2, Ngày 20/03/2017, 16:00")
    lead = document.add_paragraph().add_run(text("Sáng 20/3, UBND tỉnh tổ chức hội nghị tổng kết công tác CCHC năm 2023 và triển khai nhiệm vụ năm 2024."))
    lead.bold = True
    document.add_paragraph(
        text("Hội nghị đánh giá việc số hoá hồ sơ, thủ tục hành chính tại Uỷ ban nhân dân các cấp.") + "\u00a0Tỷ lệ hồ sơ on\u00adline đạt “96,8%”."
    )
    document.add_paragraph("")
    add_picture(document, RED, "Lãnh đạo tỉnh phát biểu tại hội nghị" if alt else "")
    document.add_paragraph(text("Quang cảnh hội nghị tổng kết"), style="Caption")
    document.add_heading("Kết quả nổi bật", level=1)
    document.add_paragraph("Dịch vụ công trực tuyến toàn trình", style="List Bullet")
    document.add_paragraph("Số hóa kết quả giải quyết TTHC", style="List Bullet")
    document.add_paragraph("Rà soát quy trình nội bộ", style="List Number")
    table = document.add_table(rows=3, cols=2)
    for row, cells in enumerate([("Chỉ tiêu", "Kết quả"), ("Hồ sơ đúng hạn", "98,2%"), ("Hồ sơ trực tuyến", "58,3%")]):
        for column, value in enumerate(cells):
            table.cell(row, column).text = value
    add_picture(document, BLUE, "Đại biểu nhận bằng khen" if alt else "")
    document.add_paragraph("Trao bằng khen cho các tập thể")
    closing = document.add_paragraph("Năm 2024, tỉnh phấn đấu ")
    closing.add_run("giữ vững").italic = True
    closing.add_run(" thứ hạng và ")
    closing.add_run("cải thiện").bold = True
    closing.add_run(" chỉ số SIPAS.")
    document.add_paragraph("Minh Anh - Sở Nội vụ")
    document.save(path)


BODY = """Hội nghị đánh giá việc số hóa hồ sơ, thủ tục hành chính tại Ủy ban nhân dân các cấp. Tỷ lệ hồ sơ online đạt "96,8%".

## Kết quả nổi bật

- Dịch vụ công trực tuyến toàn trình
- Số hóa kết quả giải quyết TTHC

1. Rà soát quy trình nội bộ

| Chỉ tiêu | Kết quả |
| --- | --- |
| Hồ sơ đúng hạn | 98,2% |
| Hồ sơ trực tuyến | 58,3% |

![Đại biểu nhận bằng khen](/images/2017/press-release-2.jpg)
*Trao bằng khen cho các tập thể*

Năm 2024, tỉnh phấn đấu *giữ vững* thứ hạng và **cải thiện** chỉ số SIPAS.
"""

FRONT_MATTER = """Title: Tỉnh tổng kết công tác cải cách hành chính năm 2023
Date: 2017-03-20 16:00
Slug: tinh-tong-ket-cong-tac-cai-cach-hanh-chinh-nam-2023
Summary: Sáng 20/3, UBND tỉnh tổ chức hội nghị tổng kết công tác CCHC năm 2023 và triển khai nhiệm vụ năm 2024.
Topics: 
Author: Minh Anh - Sở Nội vụ
Image: images/2017/press-release-1.jpg
ImageAlt: Lãnh đạo tỉnh phát biểu tại hội nghị
ImageCaption: Quang cảnh hội nghị tổng kết
ImportedFrom: press-release.docx
"""

ARTICLE = "articles/tin-tuc-su-kien/2017/tinh-tong-ket-cong-tac-cai-cach-hanh-chinh-nam-2023.md"


@pytest.fixture
def site(tmp_path, monkeypatch):
    """A copy of the sample content and its settings, messages in Vietnamese."""
    monkeypatch.setenv("PORTAL_LANG", "vi")
    content = copy_content(tmp_path / "content")
    settings, problems = editorial.load_settings(str(ROOT / "pelicanconf.py"), str(content))
    settings["CHECK_NOW"] = datetime(2030, 1, 1)
    return content, settings, problems


def test_a_word_file_becomes_one_article_with_its_pictures(site, tmp_path):
    content, settings, problems = site
    source = tmp_path / "press-release.docx"
    press_release(source)
    report, failed = commands.import_docx(settings, problems, str(source), "tin-tuc-su-kien")
    assert not failed, report
    written = (content / ARTICLE).read_text(encoding="utf-8")
    assert written == FRONT_MATTER + "\n" + BODY
    assert unicodedata.is_normalized("NFC", written)
    assert (content / "images/2017/press-release-1.jpg").read_bytes() == RED
    assert (content / "images/2017/press-release-2.jpg").read_bytes() == BLUE
    lines = report.splitlines()
    assert lines[0].endswith(
        'tinh-tong-ket-cong-tac-cai-cach-hanh-chinh-nam-2023.md: đã nhập bài "Tỉnh tổng kết công tác cải cách hành chính năm 2023" (2 ảnh, 0 tệp đính kèm).'
    )
    assert "Kiểm tra bài vừa nhập:" in lines
    # A Word file says nothing of the portal's topics: the check asks the editor to choose them.
    assert lines[-2].startswith(messages.say("level-warning") + ": ") and lines[-2].endswith(ARTICLE + ":5: " + lines[-2].split(":5: ", 1)[1])
    assert "Topics" in lines[-2] and "cai-cach-tthc" in lines[-2], lines[-2]
    assert lines[-1] == messages.say("report-warnings", warnings=1)


def test_importing_the_same_file_again_writes_nothing(site, tmp_path):
    content, settings, problems = site
    source = tmp_path / "press-release.docx"
    press_release(source)
    commands.import_docx(settings, problems, str(source), "tin-tuc-su-kien")
    before = sorted(p.relative_to(content) for p in content.rglob("*"))
    report, failed = commands.import_docx(settings, problems, str(source), "tin-tuc-su-kien")
    assert not failed
    assert "đã được nhập từ press-release.docx và không có gì thay đổi" in report
    assert sorted(p.relative_to(content) for p in content.rglob("*")) == before

    # The editor corrects the article; the department sends a changed file: the correction stays.
    article = content / ARTICLE
    article.write_text(article.read_text(encoding="utf-8").replace("Topics: ", "Topics: cai-cach-tthc"), encoding="utf-8")
    corrected = article.read_text(encoding="utf-8")
    press_release(source, nfd=False, alt=False)
    report, failed = commands.import_docx(settings, problems, str(source), "tin-tuc-su-kien")
    assert "bản gốc nay đã khác, nhưng bài đã có không bị ghi đè" in report
    assert article.read_text(encoding="utf-8") == corrected
    assert sorted(p.relative_to(content) for p in content.rglob("*")) == before


def test_another_article_with_the_same_title_gets_its_own_address_and_pictures_are_not_overwritten(site, tmp_path):
    content, settings, problems = site
    first = tmp_path / "press-release.docx"
    press_release(first)
    commands.import_docx(settings, problems, str(first), "tin-tuc-su-kien")
    other = tmp_path / "other" / "press-release.docx"
    other.parent.mkdir()
    document = Document()
    document.add_heading("Tỉnh tổng kết công tác cải cách hành chính năm 2023", level=0)
    document.add_paragraph("Ngày 20/03/2017")
    document.add_paragraph("Một bài khác cùng tiêu đề, với một ảnh khác cùng tên tệp.")
    add_picture(document, picture_bytes((0, 200, 0)), "Ảnh khác")
    document.save(other)
    draft = read_docx(str(other))
    draft.source = "other/press-release.docx"
    written = write_draft(draft, settings, "tin-tuc-su-kien", existing_articles(settings["PATH"]))
    assert written.path.endswith("2017/tinh-tong-ket-cong-tac-cai-cach-hanh-chinh-nam-2023-2.md")
    assert "Image: images/2017/press-release-1-2.jpg" in open(written.path, encoding="utf-8").read()
    assert (content / "images/2017/press-release-1.jpg").read_bytes() == RED


def test_missing_alt_text_and_date_are_warnings_and_the_checks_run(site, tmp_path):
    content, settings, problems = site
    source = tmp_path / "khong-ngay.docx"
    document = Document()
    title = document.add_paragraph().add_run("Thông báo lịch tiếp công dân")
    title.bold = True
    document.add_paragraph("Ban Tiếp công dân tỉnh thông báo lịch tiếp công dân định kỳ của lãnh đạo tỉnh.")
    add_picture(document, RED)
    document.add_paragraph("Nội dung chi tiết xem tại trụ sở.")
    document.save(source)
    report, failed = commands.import_docx(settings, problems, str(source), "thong-tin-cai-cach")
    # The lead picture without ImageAlt is an error of the checks, which the editor reads at once.
    assert failed
    assert "không thấy ngày đăng trong bài; đã ghi ngày giờ lúc nhập" in report
    assert "ảnh đầu bài khong-ngay-1.jpg chưa có lời mô tả" in report
    assert 'a picture needs "ImageAlt: ..."' in report or "ImageAlt" in report.split("Kiểm tra bài vừa nhập:")[1]
    [article] = (content / "articles/thong-tin-cai-cach").rglob("thong-bao-lich-tiep-cong-dan.md")
    assert article.read_text(encoding="utf-8").startswith("Title: Thông báo lịch tiếp công dân\nDate: ")


@pytest.mark.parametrize(
    ("line", "expected"),
    [("Hà Nội, ngày 9 tháng 1 năm 2014", "2014-01-09 00:00"), ("Ngày 28/10/2020", "2020-10-28 00:00"), ("Thứ 2, Ngày 20/03/2017, 16:00", "2017-03-20 16:00")],
)
def test_the_date_line_becomes_date(line, expected):
    draft = build_draft(f"<h1>Tiêu đề</h1><p>{line}</p><p>Sapo của bài.</p><p>Nội dung.</p>", lambda src: None)
    assert f"{draft.date:%Y-%m-%d %H:%M}" == expected
    assert draft.summary == "Sapo của bài." and draft.body == "Nội dung.\n"


@pytest.mark.parametrize(("line", "author"), [("T.N", "T.N"), ("Minh Anh - Sở Nội vụ", "Minh Anh - Sở Nội vụ"), ("Nguồn: Báo Tiền Giang", "Báo Tiền Giang")])
def test_the_signature_becomes_author(line, author):
    draft = build_draft(f"<h1>Tiêu đề</h1><p>Sapo.</p><p>Nội dung của bài viết.</p><p>{line}</p>", lambda src: None)
    assert draft.author == author and draft.body == "Nội dung của bài viết.\n"


def test_a_last_sentence_is_not_a_signature():
    draft = build_draft("<h1>Tiêu đề</h1><p>Sapo.</p><p>Nội dung.</p><p>Đề nghị các đơn vị thực hiện.</p>", lambda src: None)
    assert draft.author == "" and draft.body == "Nội dung.\n\nĐề nghị các đơn vị thực hiện.\n"


def test_a_file_that_is_not_a_word_file_is_named(site, tmp_path):
    _content, settings, problems = site
    bad = tmp_path / "bai.docx"
    bad.write_text("không phải Word", encoding="utf-8")
    report, failed = commands.import_docx(settings, problems, str(bad), "tin-tuc-su-kien")
    assert failed and "không đọc được" in report and "Save as" in report
    report, failed = commands.import_docx(settings, problems, str(tmp_path / "none.docx"), "tin-tuc-su-kien")
    assert failed and "không có tệp" in report
    report, failed = commands.import_docx(settings, problems, str(bad), "khong-co")
    assert failed and 'chuyên mục "khong-co" không có trong content/data/sections.yaml' in report


def test_the_task_comes_right_after_new():
    names = [name for name in vars(tasks) if hasattr(getattr(tasks, name), "body")]
    assert names[names.index("new") + 1] == "import_docx"


@pytest.mark.parametrize(("task", "option"), [("import-docx", "--section"), ("import-html", "--map")])
def test_help_answers_though_the_file_is_positional(task, option):
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "invoke", task, "--help"], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"./portal {task} ") and option in result.stdout


def test_another_document_under_the_same_file_name_is_a_new_article(site, tmp_path):
    content, settings, problems = site
    first = tmp_path / "thong-cao.docx"
    document = Document()
    document.add_heading("Thông cáo về hội nghị cải cách hành chính", level=0)
    document.add_paragraph("Ngày 05/06/2019")
    document.add_paragraph("Sapo của thông cáo thứ nhất.")
    document.add_paragraph("Nội dung thông cáo thứ nhất.")
    document.save(first)
    commands.import_docx(settings, problems, str(first), "tin-tuc-su-kien")
    second = tmp_path / "phong-khac" / "thong-cao.docx"
    second.parent.mkdir()
    document = Document()
    document.add_heading("Thông cáo về lịch tiếp công dân tháng 6", level=0)
    document.add_paragraph("Ngày 06/06/2019")
    document.add_paragraph("Sapo của thông cáo thứ hai.")
    document.add_paragraph("Nội dung thông cáo thứ hai.")
    document.save(second)
    report, failed = commands.import_docx(settings, problems, str(second), "tin-tuc-su-kien")
    assert not failed and 'đã nhập bài "Thông cáo về lịch tiếp công dân tháng 6"' in report
    assert (content / "articles/tin-tuc-su-kien/2019/thong-cao-ve-hoi-nghi-cai-cach-hanh-chinh.md").is_file()
    assert (content / "articles/tin-tuc-su-kien/2019/thong-cao-ve-lich-tiep-cong-dan-thang-6.md").is_file()


def test_a_full_disk_is_one_sentence(site, tmp_path, monkeypatch):
    _content, settings, problems = site
    source = tmp_path / "press-release.docx"
    press_release(source)
    fill_the_disk(monkeypatch)
    report, failed = commands.import_docx(settings, problems, str(source), "tin-tuc-su-kien")
    assert failed and report.startswith("không ghi được ") and "No space left on device" in report
