"""Careless or hostile files get one clear error naming file and line, from the build and from
`./portal check` alike: never a traceback, never a site written from them."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import editorial
from conftest import ROOT, run_pelican

GOOD = (
    "Title: Hội nghị giao ban công tác cải cách hành chính quý I\n"
    "Date: 2024-03-20 16:00\n"
    "Topics: cai-cach-tthc\n"
    "Summary: Sở Nội vụ tổ chức hội nghị giao ban.\n"
    "\n"
    "Nội dung bài viết.\n"
)
ARTICLE = "articles/tin-tuc-su-kien/2024/bai-thu.md"
PAGE = "pages/trang-thu.md"
PAGE_GOOD = "Title: Trang thử\nSummary: Một trang thử.\n\nNội dung.\n"


def article(**changes: str) -> str:
    """GOOD with some keys replaced (a value of None drops the key) or added before Summary."""
    lines = GOOD.split("\n")
    for key, value in changes.items():
        index = next((i for i, line in enumerate(lines) if line.startswith(key + ":")), None)
        if index is None:
            lines.insert(3, f"{key}: {value}")
        else:
            lines[index] = f"{key}: {value}"
    return "\n".join(lines)


# name: (file under content/, its bytes, the line named, what the message says)
CASES = {
    "Latin-1 in the title": (
        ARTICLE,
        GOOD.replace("Hội nghị", "H\x00").encode("utf-8").replace(b"H\x00", b"H\xf4i ngh\xec"),
        1,
        "is not UTF-8 (byte 0xf4 on line 1",
    ),
    "Windows-1258 in the body": (ARTICLE, GOOD.encode("utf-8") + b"\nD\xf2ng th\xec b\xe1y.\n", 8, "is not UTF-8 (byte 0xf2 on line 8"),
    "a picture saved as .md": (ARTICLE, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", 3, "the file is not text (binary data"),
    "a page in UTF-16": (PAGE, PAGE_GOOD.encode("utf-16"), 1, "the file is UTF-16 text"),
    "an emoji-only title": (ARTICLE, article(Title="🎉🎉🎉").encode(), 1, "has no letters or digits to make an address from"),
    "punctuation-only title of a page": (PAGE, b"Title: !!! ???\n\nx\n", 1, "has no letters or digits to make an address from"),
    "a Slug too long for the file system": (ARTICLE, article(Slug="-".join(["cai-cach"] * 40)).encode(), 4, "Slug has 359 characters; keep it under 200"),
    "a bell in the title": (ARTICLE, article(Title="Hội nghị \x07 giao ban").encode(), 1, "control character (U+0007, column 17) is in the front matter"),
    "an escape in the summary": (ARTICLE, article(Summary="Tóm tắt\x1b[31m đỏ").encode(), 4, "control character (U+001B, column 17) is in the front matter"),
    "a line separator in the summary": (ARTICLE, article(Summary="Tóm tắt\u2028dòng hai").encode(), 4, "(U+2028, column 17)"),
    "a form feed in the body": (ARTICLE, (GOOD + "\nĐoạn hai\x0c có ký tự lạ.\n").encode(), 8, "control character (U+000C, column 9) is in the text"),
    "an unknown Template": (ARTICLE, article(Template="khong-co").encode(), 4, 'Template "khong-co" is not a template of the theme'),
    "a page at the registry's address": (
        PAGE,
        b"Title: Trang van ban\nSlug: van-ban\n\nx\n",
        2,
        'Slug "van-ban" is an address the site uses for its own pages',
    ),
    "a page at the search page's address": (PAGE, "Title: Tìm kiếm\n\nx\n".encode(), 1, 'Slug "tim-kiem" (made from the title) is an address the site uses'),
    "a page at the archive's address": (PAGE, b"Title: x\nSlug: luu-tru\n\nx\n", 2, 'Slug "luu-tru" is an address the site uses'),
    "a page over the search index": (PAGE, b"Title: x\nSlug: search\n\nx\n", 2, 'Slug "search" is an address the site uses'),
    "a page over a section": (PAGE, b"Title: x\nSlug: hinh-anh\n\nx\n", 2, 'Slug "hinh-anh" is also a section id'),
    "a document in Latin-1": ("documents/2024/van-ban-loi.md", b"Number: 12/KH-UBND\nTitle: K\xe9 ho\xe1ch\n\nx\n", 2, "is not UTF-8 (byte 0xe9 on line 2"),
}


def shown(path: Path) -> str:
    return os.path.relpath(path, ROOT) if str(path).startswith(str(ROOT) + os.sep) else str(path)


def check(content: Path) -> list:
    settings, problems = editorial.load_settings(str(ROOT / "pelicanconf.py"), str(content))
    return editorial.run_checks(settings, problems)


@pytest.mark.parametrize("case", list(CASES))
def test_build_and_check_both_stop_at_the_file_and_line(content_copy, tmp_path, case):
    relative, data, line, message = CASES[case]
    path = content_copy / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    where = f"{shown(path)}:{line}: "

    problems = check(content_copy)
    errors = [str(p) for p in problems if p.level == "error"]
    assert any(e.startswith(where) and message in e for e in errors), errors

    output = tmp_path / "out"
    result = run_pelican(content_copy, output)
    log = result.stdout + result.stderr
    assert result.returncode == 1, log
    assert "Traceback" not in log, log
    assert any(where in entry and message in entry for entry in log.splitlines()), log
    assert not output.exists() or not any(output.rglob("*.html")), "a failed build writes no pages"


def test_an_unreadable_file_gives_one_error_not_a_list_of_missing_keys(content_copy):
    path = content_copy / ARTICLE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"Title: H\xf4i ngh\xec\nDate: 2024-03-20 16:00\n\nx\n")
    mine = [p for p in check(content_copy) if p.path == shown(path)]
    assert len(mine) == 1 and "save it as UTF-8" in mine[0].message, mine


def test_a_long_title_gives_an_address_the_file_system_takes(content_copy, tmp_path):
    title = "Hội nghị tổng kết công tác cải cách hành chính và chuyển đổi số " * 6
    path = content_copy / ARTICLE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(article(Title=title.strip()), encoding="utf-8")
    assert not [p for p in check(content_copy) if p.level == "error"]
    result = run_pelican(content_copy, tmp_path / "out")
    assert result.returncode == 0, result.stdout + result.stderr
    written = [p for p in (tmp_path / "out" / "2024" / "03").iterdir() if p.name.startswith("hoi-nghi-tong-ket")]
    assert len(written) == 1 and len(written[0].name) <= 200 and not written[0].name.endswith("-"), written
    assert (written[0] / "index.html").is_file()


def test_a_bom_and_windows_line_ends_are_read_as_editors_mean_them(content_copy, tmp_path):
    path = content_copy / ARTICLE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"\xef\xbb\xbf" + GOOD.replace("\n", "\r\n").encode("utf-8"))
    assert not [p for p in check(content_copy) if p.path == shown(path)]
    result = run_pelican(content_copy, tmp_path / "out")
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "out" / "2024" / "03" / "hoi-nghi-giao-ban-cong-tac-cai-cach-hanh-chinh-quy-i" / "index.html").is_file()
