"""./portal import-html (issue 18): saved pages of legacy portals become articles, their old addresses redirect.

The saved pages are tests/fixtures/import/: a SharePoint publishing page, a Liferay asset publisher,
an old table layout (decomposed text) and a PHP CMS, with their furniture, dates in every form those
portals print, pictures with captions and attachments. The test writes the pictures and attachments
the pages name, imports each portal into a copy of the sample content, builds it, and serves it
behind deploy/nginx.conf.
"""

from __future__ import annotations

import io
import os
import shutil
import unicodedata
from datetime import datetime
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from PIL import Image

import editorial
from conftest import ROOT, copy_content, fill_the_disk, run_pelican
from importing import commands, savedpages

FIXTURES = ROOT / "tests" / "fixtures" / "import"


def jpeg(colour) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(buffer, "JPEG")
    return buffer.getvalue()


SAVED_FILES = {
    "sharepoint/PublishingImages/hoi-nghi-2016.jpg": jpeg((120, 20, 20)),
    "sharepoint/PublishingImages/trao-giay-khen.jpg": jpeg((20, 120, 20)),
    "sharepoint/Documents/bao-cao-cchc-2016.pdf": b"%PDF-1.4 bao cao tong ket\n",
    "liferay/web/guest/tin-tuc/so-hoa-ho-so_files/may-quet-toc-do-cao.jpg": jpeg((20, 20, 120)),
    "liferay/documents/10180/0/ke-hoach-so-hoa-2020.pdf": b"%PDF-1.4 ke hoach\n",
    "bang/anh/2017/phan-mem-mot-cua.jpg": jpeg((90, 90, 0)),
    "php/images/tin-tuc/2017/cong-bo-par-index.jpg": jpeg((0, 90, 90)),
    "php/images/tai-lieu/quyet-dinh-3765-qd-ubnd.docx": b"PK\x03\x04 quyet dinh",
}
PORTALS = [("sharepoint", "tin-tuc-su-kien", ""), ("liferay", "thong-tin-cai-cach", ""), ("bang", "tin-tuc-su-kien", ""), ("php", "chi-so-cchc", "php/map.txt")]

SHAREPOINT = "articles/tin-tuc-su-kien/2017/hoi-nghi-tong-ket-cong-tac-cai-cach-hanh-chinh-nam-2016.md"
LIFERAY = "articles/thong-tin-cai-cach/2020/so-hoa-ho-so-ket-qua-giai-quyet-thu-tuc-hanh-chinh.md"
TABLES = "articles/tin-tuc-su-kien/2017/day-manh-ung-dung-cong-nghe-thong-tin-trong-giai-quyet-thu-tuc-hanh-chinh.md"
PHP = "articles/chi-so-cchc/2017/cong-bo-chi-so-cai-cach-hanh-chinh-nam-2017-cua-cac-so-nganh.md"

SHAREPOINT_TEXT = """Title: Hội nghị tổng kết công tác cải cách hành chính năm 2016
Date: 2017-03-20 16:00
Slug: hoi-nghi-tong-ket-cong-tac-cai-cach-hanh-chinh-nam-2016
Summary: Chiều 20/3, UBND tỉnh tổ chức hội nghị tổng kết công tác cải cách hành chính năm 2016, triển khai nhiệm vụ năm 2017.
Topics: 
Author: Thanh Tâm
Image: images/2017/hoi-nghi-2016.jpg
ImageAlt: Phó Chủ tịch UBND tỉnh phát biểu tại hội nghị
ImageCaption: Phó Chủ tịch UBND tỉnh phát biểu chỉ đạo hội nghị
Attachments: files/2017/bao-cao-cchc-2016.pdf
ImportedFrom: https://sonoivu.binhan.gov.vn/Pages/hoi-nghi-tong-ket-cchc-2016.aspx

Năm 2016, tỉnh đã ban hành 12 văn bản chỉ đạo về cải cách hành chính; 100% thủ tục hành chính được công khai trên Cổng dịch vụ công. Tỷ lệ hồ sơ giải quyết đúng hạn đạt 97,2%.

Phát biểu tại hội nghị, Phó Chủ tịch UBND tỉnh đề nghị các sở, ngành tiếp tục rà soát, đơn giản hóa thủ tục hành chính, nâng cao chất lượng phục vụ người dân và doanh nghiệp.

## Nhiệm vụ năm 2017

- Triển khai phần mềm một cửa điện tử ở 100% xã, phường.
- Nâng tỷ lệ hồ sơ trực tuyến mức độ 3, 4 lên 20%.

![Lãnh đạo tỉnh trao giấy khen cho các tập thể](/images/2017/trao-giay-khen.jpg)
*Trao giấy khen cho các tập thể có thành tích xuất sắc*

Báo cáo tổng kết xem tại [tệp đính kèm](/files/2017/bao-cao-cchc-2016.pdf).
"""

TABLES_TEXT = """Title: Đẩy mạnh ứng dụng công nghệ thông tin trong giải quyết thủ tục hành chính
Date: 2017-03-28 09:00
Slug: day-manh-ung-dung-cong-nghe-thong-tin-trong-giai-quyet-thu-tuc-hanh-chinh
Summary: Năm 2017, tỉnh đặt mục tiêu 100% cơ quan hành chính cấp tỉnh, cấp huyện sử dụng phần mềm một cửa điện tử trong tiếp nhận và trả kết quả hồ sơ.
Topics: 
Author: T.N
Image: images/2017/phan-mem-mot-cua.jpg
ImageAlt: Cán bộ một cửa tiếp nhận hồ sơ trên phần mềm
ImageCaption: Tiếp nhận hồ sơ trên phần mềm một cửa điện tử tại huyện Chợ Gạo
ImportedFrom: http://www.cchc.binhan.gov.vn/tintuc/chitiet.asp?id=1024&cat=3

Theo kế hoạch, Sở Thông tin và Truyền thông chủ trì, phối hợp với Văn phòng UBND tỉnh hoàn thiện phần mềm, kết nối với cổng dịch vụ công của tỉnh; các huyện bố trí máy tính, máy quét và đường truyền cho bộ phận một cửa.

Kinh phí thực hiện năm 2017 là 4,5 tỷ đồng từ ngân sách tỉnh, trong đó hỗ trợ mỗi huyện 300 triệu đồng để mua sắm thiết bị, đào tạo công chức và duy trì hệ thống.

Ủy ban nhân dân tỉnh yêu cầu các cơ quan báo cáo kết quả hằng quý, đánh giá việc ứng dụng phần mềm vào tiêu chí chấm điểm chỉ số cải cách hành chính.
"""

# Furniture of the four portals: none of it may reach an article.
FURNITURE = [
    "Các tin khác",
    "Tin mới nhất",
    "Tin liên quan",
    "Lượt truy cập",
    "Lượt xem",
    "In bài",
    "Gửi email",
    "Chia sẻ",
    "Trang chủ",
    "Liên kết website",
    "Giấy phép",
    "Thống kê truy cập",
    "Đánh giá",
    "Tập huấn nghiệp vụ một cửa",
    "Duyệt Trang",
    "Quay lại",
    "Facebook",
]


def save_pages(target: Path) -> Path:
    shutil.copytree(FIXTURES, target)
    for relative, data in SAVED_FILES.items():
        (target / relative).parent.mkdir(parents=True, exist_ok=True)
        (target / relative).write_bytes(data)
    return target


def load(content: Path):
    settings, problems = editorial.load_settings(str(ROOT / "pelicanconf.py"), str(content))
    settings["CHECK_NOW"] = datetime(2030, 1, 1)
    return settings, problems


def import_all(settings, problems, saved: Path) -> dict[str, tuple[str, bool]]:
    return {
        portal: commands.import_html(settings, problems, str(saved / portal), section, str(saved / map_file) if map_file else "")
        for portal, section, map_file in PORTALS
    }


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    """The four portals imported into a copy of the sample content, then built."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PORTAL_LANG", "vi")
        root = tmp_path_factory.mktemp("import")
        content = copy_content(root / "content")
        saved = save_pages(root / "saved")
        settings, problems = load(content)
        reports = import_all(settings, problems, saved)
        output = root / "output"
        built = run_pelican(content, output)
        yield content, saved, reports, output, built, (settings, problems)


def test_every_page_is_reported_and_the_list_page_is_listed_not_skipped(imported):
    _content, saved, reports, *_ = imported
    for report, failed in reports.values():
        assert not failed, report
        assert report.splitlines()[-1] == "Không có lỗi." or "Không có lỗi, " in report, report
    sharepoint = reports["sharepoint"][0]
    assert (
        "độ tin cậy cao; tìm thấy: tiêu đề (mẫu trang), ngày (mẫu trang), sapo (mẫu trang), tác giả (dòng cuối), 2 ảnh, 1 tệp đính kèm, địa chỉ cũ (canonical)"
        in sharepoint
    )
    assert "độ tin cậy trung bình (nên xem lại bài)" in reports["bang"][0]
    php = reports["php"][0]
    assert f"{saved / 'php' / 'tin-tuc.html'}: KHÔNG NHẬP ĐƯỢC: không tìm thấy bài viết trong trang" in php
    assert "Đã đọc 2 trang: 1 bài mới, 0 bài không đổi, 0 bài giữ nguyên (bản gốc đã khác), 1 trang không nhập được." in php
    assert "địa chỉ cũ (--map)" in php


def test_front_matter_and_markdown_of_a_sharepoint_page_and_a_table_layout(imported):
    content, *_ = imported
    assert (content / SHAREPOINT).read_text(encoding="utf-8") == SHAREPOINT_TEXT
    written = (content / TABLES).read_text(encoding="utf-8")
    assert written == TABLES_TEXT
    assert unicodedata.is_normalized("NFC", written)  # the page was saved decomposed (NFD)


def test_liferay_and_php_pages_keep_tags_time_and_attachments(imported):
    content, *_ = imported
    liferay = (content / LIFERAY).read_text(encoding="utf-8")
    assert "Date: 2020-10-28 16:47\n" in liferay  # 4:47:35 CH
    assert "Tags: số hóa, một cửa\n" in liferay and "Author: Minh Anh - Sở Nội vụ\n" in liferay
    assert "Attachments: files/2020/ke-hoach-so-hoa-2020.pdf\n" in liferay
    assert "Kế hoạch chi tiết: [Kế hoạch số hóa năm 2020](/files/2020/ke-hoach-so-hoa-2020.pdf)\n" in liferay
    php = (content / PHP).read_text(encoding="utf-8")
    assert "Date: 2017-12-21\nSlug: cong-bo-chi-so-cai-cach-hanh-chinh-nam-2017-cua-cac-so-nganh\n" in php
    assert "Tags: PAR INDEX, chỉ số CCHC\nAuthor: Báo Bình An\n" in php
    assert "ImageCaption: Lãnh đạo tỉnh trao chứng nhận cho các đơn vị dẫn đầu\n" in php
    assert "([tải về](/files/2017/quyet-dinh-3765-qd-ubnd.docx))" in php
    assert "ImportedFrom: https://cchc.binhan.gov.vn/index.php?option=com_content&view=article&id=125&Itemid=101\n" in php
    for text in (liferay, php, (content / SHAREPOINT).read_text(encoding="utf-8"), (content / TABLES).read_text(encoding="utf-8")):
        for junk in FURNITURE:
            assert junk not in text


def test_pictures_and_attachments_are_copied_under_content(imported):
    content, *_ = imported
    copied = {
        "images/2017/hoi-nghi-2016.jpg": "sharepoint/PublishingImages/hoi-nghi-2016.jpg",
        "images/2017/trao-giay-khen.jpg": "sharepoint/PublishingImages/trao-giay-khen.jpg",
        "files/2017/bao-cao-cchc-2016.pdf": "sharepoint/Documents/bao-cao-cchc-2016.pdf",
        "images/2020/may-quet-toc-do-cao.jpg": "liferay/web/guest/tin-tuc/so-hoa-ho-so_files/may-quet-toc-do-cao.jpg",
        "files/2020/ke-hoach-so-hoa-2020.pdf": "liferay/documents/10180/0/ke-hoach-so-hoa-2020.pdf",
        "images/2017/phan-mem-mot-cua.jpg": "bang/anh/2017/phan-mem-mot-cua.jpg",
        "images/2017/cong-bo-par-index.jpg": "php/images/tin-tuc/2017/cong-bo-par-index.jpg",
        "files/2017/quyet-dinh-3765-qd-ubnd.docx": "php/images/tai-lieu/quyet-dinh-3765-qd-ubnd.docx",
    }
    for target, source in copied.items():
        assert (content / target).read_bytes() == SAVED_FILES[source], target


def test_the_old_addresses_are_in_the_redirects_file(imported):
    content, *_ = imported
    text = (content / "data" / "redirects.yaml").read_text(encoding="utf-8")
    assert text.endswith(
        f"https://sonoivu.binhan.gov.vn/Pages/hoi-nghi-tong-ket-cchc-2016.aspx: {SHAREPOINT}\n"
        f"https://binhan.gov.vn/web/guest/tin-tuc/-/asset_publisher/Xk7a/content/so-hoa-ho-so: {LIFERAY}\n"
        f"http://www.cchc.binhan.gov.vn/tintuc/chitiet.asp?id=1024&cat=3: {TABLES}\n"
        f"https://cchc.binhan.gov.vn/index.php?option=com_content&view=article&id=125&Itemid=101: {PHP}\n"
    )


def test_importing_again_changes_nothing(imported, tmp_path):
    content, saved, _reports, _output, _built, (settings, problems) = imported
    before = {p: p.read_bytes() for p in content.rglob("*") if p.is_file()}
    again = import_all(settings, problems, saved)
    assert all("1 bài không đổi" in report for report, _ in again.values())
    assert {p: p.read_bytes() for p in content.rglob("*") if p.is_file()} == before


def test_the_imported_articles_build(imported):
    _content, _saved, _reports, output, built, _ = imported
    assert built.returncode == 0, built.stdout + built.stderr
    page = BeautifulSoup((output / "2017/03/hoi-nghi-tong-ket-cong-tac-cai-cach-hanh-chinh-nam-2016/index.html").read_text(encoding="utf-8"), "html.parser")
    assert page.h1.get_text(strip=True) == "Hội nghị tổng kết công tác cải cách hành chính năm 2016"
    assert "Báo cáo tổng kết xem tại" in page.get_text()
    assert (output / "images/2017/trao-giay-khen.jpg").is_file() and (output / "files/2017/bao-cao-cchc-2016.pdf").is_file()


def test_nothing_is_read_from_outside_the_saved_folder_or_through_a_link(tmp_path, monkeypatch):
    monkeypatch.setenv("PORTAL_LANG", "vi")
    content = copy_content(tmp_path / "content")
    saved = tmp_path / "saved"
    (saved / "tin").mkdir(parents=True)
    secret = tmp_path / "secret.jpg"
    secret.write_bytes(jpeg((1, 1, 1)))
    os.symlink(secret, saved / "tin" / "linked.jpg")
    os.symlink(secret, saved / "tin" / "linked-page.html")
    body = "".join(f"<p>Đoạn văn thứ {n} của bài, đủ dài để là nội dung chính của trang, với dấu phẩy, và chữ.</p>" for n in range(5))
    (saved / "tin" / "bai.html").write_text(
        '<html><head><title>Bài thử</title><link rel="canonical" href="https://old.example.vn/tin/bai.html"></head><body>'
        "<h1>Bài thử chứa ảnh từ ngoài thư mục</h1><p>Ngày 05/06/2019</p>"
        f'{body}<p><img src="../../secret.jpg" alt="a"></p><p><img src="linked.jpg" alt="b"></p><p><img src="/etc/passwd" alt="c"></p>'
        '<p><a href="../../../etc/hosts.pdf">tệp</a></p></body></html>',
        encoding="utf-8",
    )
    settings, problems = load(content)
    before = sorted(p.relative_to(content) for p in (content / "images").rglob("*"))
    report, failed = commands.import_html(settings, problems, str(saved), "tin-tuc-su-kien")
    assert not failed, report
    assert report.count("dẫn ra ngoài thư mục các trang đã lưu") == 3  # ../../secret.jpg, linked.jpg, ../../../etc/hosts.pdf
    assert f"{saved / 'tin' / 'linked-page.html'}: KHÔNG NHẬP ĐƯỢC: là một liên kết tượng trưng" in report
    assert sorted(p.relative_to(content) for p in (content / "images").rglob("*")) == before
    article = (content / "articles/tin-tuc-su-kien/2019/bai-thu-chua-anh-tu-ngoai-thu-muc.md").read_text(encoding="utf-8")
    assert "Image" not in article and "secret" not in article and "passwd" not in article


def test_hostile_html_in_a_saved_page_leaves_no_script_in_the_article_or_the_built_page(tmp_path, monkeypatch):
    monkeypatch.setenv("PORTAL_LANG", "vi")
    content = copy_content(tmp_path / "content")
    saved = tmp_path / "saved" / "tin"
    saved.mkdir(parents=True)
    body = "".join(f"<p>Đoạn văn thứ {n} của bài về một cửa liên thông, đủ dài để là nội dung chính, với dấu phẩy.</p>" for n in range(5))
    (saved / "bai.html").write_text(
        "<html><head><title>Bài thử</title><script>alert('head')</script></head><body>"
        "<h1>Bài thử có mã độc trong trang cũ</h1><p>Ngày 05/06/2019</p>"
        f"{body}<p onclick=\"alert('p')\">Đoạn có <a href=\"javascript:alert('a')\">liên kết lạ</a> và "
        "<img src=x onerror=\"alert('img')\"> ảnh hỏng.</p><script>alert('body')</script>"
        '<iframe src="https://evil.example/"></iframe><style>body{display:none}</style></body></html>',
        encoding="utf-8",
    )
    settings, problems = load(content)
    report, failed = commands.import_html(settings, problems, str(tmp_path / "saved"), "tin-tuc-su-kien")
    assert not failed, report
    article = (content / "articles/tin-tuc-su-kien/2019/bai-thu-co-ma-doc-trong-trang-cu.md").read_text(encoding="utf-8")
    assert "Đoạn văn thứ 4" in article and "liên kết lạ" in article
    for hostile in ("<script", "alert(", "onclick", "onerror", "javascript:", "<iframe", "<style", "evil.example"):
        assert hostile not in article, hostile
    result = run_pelican(content, tmp_path / "output")
    assert result.returncode == 0, result.stdout + result.stderr
    page = next((tmp_path / "output").glob("2019/06/bai-thu-co-ma-doc-trong-trang-cu/index.html")).read_text(encoding="utf-8")
    assert "Đoạn văn thứ 4" in page and "alert(" not in page and "javascript:" not in page


def test_a_profile_is_data_and_a_wrong_name_is_named(tmp_path, monkeypatch):
    monkeypatch.setenv("PORTAL_LANG", "vi")
    assert {"sharepoint", "liferay"} <= set(savedpages.load_profiles())
    content = copy_content(tmp_path / "content")
    settings, problems = load(content)
    report, failed = commands.import_html(settings, problems, str(FIXTURES / "php"), "chi-so-cchc", profile="joomla")
    assert failed and 'không có mẫu trang "joomla"; dùng một trong: liferay, sharepoint' in report


def test_the_task_comes_right_after_import_docx():
    import tasks

    names = [name for name in vars(tasks) if hasattr(getattr(tasks, name), "body")]
    assert names[names.index("new") + 1 : names.index("new") + 3] == ["import_docx", "import_html"]


def windows_1258(text: str) -> bytes:
    """Text as Windows-1258 stores it: vowels with their hat, breve or horn composed, tones as marks after them."""
    tones = "\u0300\u0301\u0303\u0309\u0323"
    out, marks = [], []
    for char in unicodedata.normalize("NFD", text) + " ":
        if unicodedata.combining(char):
            marks.append(char)
            continue
        if out:
            out[-1] = unicodedata.normalize("NFC", out[-1] + "".join(m for m in marks if m not in tones)) + "".join(m for m in marks if m in tones)
        out.append(char)
        marks = []
    return "".join(out[:-1]).encode("cp1258")


def test_a_page_saved_in_windows_1258_is_read_in_its_charset(tmp_path, monkeypatch):
    # Vietnamese Windows pages (Windows-1258) write tones as combining marks: the article is NFC.
    monkeypatch.setenv("PORTAL_LANG", "vi")
    content = copy_content(tmp_path / "content")
    saved = tmp_path / "saved"
    saved.mkdir()
    body = "".join(f"<p>Đoạn {n}: Ủy ban nhân dân huyện công khai thủ tục hành chính, phí, lệ phí tại bộ phận một cửa.</p>" for n in range(4))
    page = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1258">'
        '<title>Công khai thủ tục hành chính tại huyện</title><meta property="og:url" content="http://old.vn/tin/1.htm"></head>'
        f"<body><h1>Công khai thủ tục hành chính tại huyện</h1><p>21/12/2017</p>{body}</body></html>"
    )
    (saved / "1.htm").write_bytes(windows_1258(page))
    settings, problems = load(content)
    report, failed = commands.import_html(settings, problems, str(saved), "tin-tuc-su-kien")
    assert not failed, report
    text = (content / "articles/tin-tuc-su-kien/2017/cong-khai-thu-tuc-hanh-chinh-tai-huyen.md").read_text(encoding="utf-8")
    assert "Title: Công khai thủ tục hành chính tại huyện\nDate: 2017-12-21\n" in text
    assert "Đoạn 1: Ủy ban nhân dân huyện công khai thủ tục hành chính" in text and unicodedata.is_normalized("NFC", text)


def test_a_full_disk_is_one_sentence_and_a_broken_page_is_listed(tmp_path, monkeypatch):
    monkeypatch.setenv("PORTAL_LANG", "vi")
    content = copy_content(tmp_path / "content")
    saved = save_pages(tmp_path / "saved")
    settings, problems = load(content)

    def broken(*args, **kwargs):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(savedpages, "read_page", broken)
    report, failed = commands.import_html(settings, problems, str(saved / "bang"), "tin-tuc-su-kien")
    assert failed and "KHÔNG NHẬP ĐƯỢC: trang hỏng, không phân tích được (RecursionError)" in report
    monkeypatch.undo()
    monkeypatch.setenv("PORTAL_LANG", "vi")
    fill_the_disk(monkeypatch)
    report, failed = commands.import_html(settings, problems, str(saved / "bang"), "tin-tuc-su-kien")
    assert failed and "No space left on device; các bài đã ghi trước đó vẫn còn" in report
