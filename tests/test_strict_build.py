"""A build with content errors fails with file:line and a hint, and publishes nothing."""

from __future__ import annotations

import os
import re

import pytest
from invoke.exceptions import Exit

from conftest import ROOT, run_pelican

GOOD = """Title: Hội nghị giao ban công tác cải cách hành chính quý I
Date: 2024-03-20 16:00
Topics: cai-cach-tthc
Tags: giao ban
Summary: Sở Nội vụ tổ chức hội nghị giao ban công tác cải cách hành chính quý I.

Nội dung bài viết.
"""


def shown(path):
    """How error messages name a file: relative to the project inside it, absolute outside."""
    return os.path.relpath(path, ROOT) if str(path).startswith(str(ROOT) + os.sep) else str(path)


def write(content, relative, text):
    path = content / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def replace_line(text, key, new_line):
    lines = text.splitlines()
    index = next(i for i, line in enumerate(lines) if line.startswith(key + ":"))
    if new_line is None:
        del lines[index]
    else:
        lines[index] = new_line
    return "\n".join(lines) + "\n"


CASES = {
    "missing title": ("tin-tuc-su-kien/2024/a.md", replace_line(GOOD, "Title", None), 1, 'missing "Title: ..."'),
    "missing date": ("tin-tuc-su-kien/2024/a.md", replace_line(GOOD, "Date", None), 1, 'missing "Date: ..."'),
    "impossible date": (
        "tin-tuc-su-kien/2024/a.md",
        replace_line(GOOD, "Date", "Date: 2020-02-31"),
        2,
        'Date "2020-02-31" is not a date (use YYYY-MM-DD HH:MM',
    ),
    "date in another form": ("tin-tuc-su-kien/2024/a.md", replace_line(GOOD, "Date", "Date: 31/02/2020"), 2, 'Date "31/02/2020" is not a date'),
    "unknown section folder": ("tin-linh-tinh/2024/a.md", GOOD, 0, 'folder "tin-linh-tinh" is not a section'),
    "unknown section in Category": (
        "tin-tuc-su-kien/2024/a.md",
        GOOD.replace("Topics:", "Category: tin-moi\nTopics:"),
        3,
        'Category "tin-moi" is not a section',
    ),
    "unknown topic": (
        "tin-tuc-su-kien/2024/a.md",
        replace_line(GOOD, "Topics", "Topics: cai-cach-tthc, cai-cach-giao-duc"),
        3,
        'topic "cai-cach-giao-duc" is not in content/data/topics.yaml',
    ),
    "missing image": (
        "tin-tuc-su-kien/2024/a.md",
        GOOD.replace("Summary:", "Image: images/khong-co.jpg\nImageAlt: Hội trường\nImageCaption: Hội nghị\nSummary:"),
        5,
        'Image "images/khong-co.jpg": picture not found',
    ),
    "missing attachment": (
        "tin-tuc-su-kien/2024/a.md",
        GOOD.replace("Summary:", "Attachments: files/2024/khong-co.pdf\nSummary:"),
        5,
        'Attachment "files/2024/khong-co.pdf": file not found',
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_content_error_fails_the_build_with_file_and_line(content_copy, tmp_path, case):
    relative, text, line, message = CASES[case]
    path = write(content_copy / "articles", relative, text)
    output = tmp_path / "out"
    result = run_pelican(content_copy, output)
    log = result.stdout + result.stderr
    assert result.returncode != 0, log
    location = f"{shown(path)}:{line}: " if line else f"{shown(path)}: "
    assert any(location in entry and message in entry for entry in log.splitlines()), log
    assert "Build stopped" in log
    assert not output.exists() or not any(output.iterdir()), "a failed build must not write pages"


def test_duplicate_slug_names_both_files(content_copy, tmp_path):
    first = write(content_copy / "articles", "tin-tuc-su-kien/2024/mot.md", GOOD)
    second = write(content_copy / "articles", "thong-tin-cai-cach/2024/hai.md", GOOD.replace("Date: 2024-03-20", "Date: 2024-05-02"))
    result = run_pelican(content_copy, tmp_path / "out")
    log = result.stdout + result.stderr
    assert result.returncode != 0
    # Files are checked in path order: the later one is reported, naming the earlier.
    earlier, later = sorted([first, second])
    expected = f'{shown(later)}:1: slug "hoi-nghi-giao-ban-cong-tac-cai-cach-hanh-chinh-quy-i" is already used by {shown(earlier)}; two articles cannot share an address'
    assert expected in log, log


def test_every_error_is_reported_at_once(content_copy, tmp_path):
    write(content_copy / "articles", "tin-tuc-su-kien/2024/a.md", replace_line(GOOD, "Date", "Date: 2020-02-31"))
    write(content_copy / "articles", "tin-tuc-su-kien/2024/b.md", replace_line(GOOD.replace("quý I", "quý II"), "Topics", "Topics: khong-co"))
    result = run_pelican(content_copy, tmp_path / "out")
    log = result.stdout + result.stderr
    assert "a.md:2: Date" in log and 'b.md:3: topic "khong-co"' in log
    assert "2 content error(s)" in log


def test_broken_site_data_stops_the_build_with_line(content_copy, tmp_path):
    sections = content_copy / "data" / "sections.yaml"
    sections.write_text(sections.read_text(encoding="utf-8") + "- id: hinh-anh\n  title: Ảnh\n", encoding="utf-8")
    result = run_pelican(content_copy, tmp_path / "out")
    log = result.stdout + result.stderr
    assert result.returncode != 0
    lines = sections.read_text(encoding="utf-8").splitlines()
    assert re.search(rf'sections\.yaml:{len(lines) - 1}: id "hinh-anh" is used twice \(first on line \d+\)', log), log


def test_malformed_yaml_names_file_and_line(content_copy, tmp_path):
    topics = content_copy / "data" / "topics.yaml"
    topics.write_text("- id: cai-cach-the-che\n  title: Cải cách thể chế\n - id: sai\n", encoding="utf-8")
    result = run_pelican(content_copy, tmp_path / "out")
    log = result.stdout + result.stderr
    assert result.returncode != 0
    assert re.search(r"topics\.yaml:3: ", log), log


def test_warnings_are_shown_and_do_not_fail(content_copy, tmp_path):
    path = write(content_copy / "articles", "tin-tuc-su-kien/2024/a.md", replace_line(GOOD, "Summary", None))
    result = run_pelican(content_copy, tmp_path / "out")
    log = result.stdout + result.stderr
    assert result.returncode == 0, log
    assert f'{shown(path)}:1: no "Summary: ..."' in log
    assert "WARNING" in log


def test_invoke_build_keeps_the_previous_site_when_a_build_fails(content_copy, tmp_path):
    import tasks

    output = tmp_path / "published"
    output.mkdir()
    (output / "index.html").write_text("previous site", encoding="utf-8")
    write(content_copy / "articles", "tin-tuc-su-kien/2024/a.md", replace_line(GOOD, "Date", "Date: 2020-02-31"))
    with pytest.raises(Exit) as failure:
        tasks.build_site(output=str(output), content=str(content_copy))
    assert failure.value.code == 1 and "fix the errors above" in failure.value.message
    assert (output / "index.html").read_text(encoding="utf-8") == "previous site"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".build-")], "staging folder left behind"


def test_invoke_build_replaces_the_site_when_the_build_succeeds(content_copy, tmp_path):
    import tasks

    output = tmp_path / "published"
    output.mkdir()
    (output / "stale.html").write_text("old page", encoding="utf-8")
    tasks.build_site(output=str(output), content=str(content_copy))
    assert (output / "index.html").is_file() and not (output / "stale.html").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith((".build-", ".old-"))]
