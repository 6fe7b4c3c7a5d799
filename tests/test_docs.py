"""The editors' guide: every example article in it builds, and every command it shows exists."""

from __future__ import annotations

import re
from datetime import datetime

import pytest

import editorial
from conftest import ROOT, run_pelican

GUIDE = (ROOT / "docs" / "huong-dan-bien-tap.md").read_text(encoding="utf-8")
EXAMPLES = re.findall(r"```markdown\n(.*?)```", GUIDE, re.S)


def test_guide_has_article_examples():
    assert len(EXAMPLES) >= 2


@pytest.mark.parametrize("number", range(len(EXAMPLES)))
def test_guide_example_passes_check_and_builds(content_copy, tmp_path, number):
    from sourcefiles import read_front_matter
    from strict.checks import parse_date

    text = EXAMPLES[number]
    meta = read_front_matter("example.md", text)
    date = parse_date(meta.get("date"))
    path = content_copy / "articles" / meta.get("category") / str(date.year) / "vi-du-huong-dan.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    settings, problems = editorial.load_settings(str(ROOT / "pelicanconf.py"), str(content_copy))
    settings["CHECK_NOW"] = datetime(2030, 1, 1)
    mine = [str(p) for p in editorial.run_checks(settings, problems) if "vi-du-huong-dan" in p.path]
    assert mine == []
    result = run_pelican(content_copy, tmp_path / "out")
    assert result.returncode == 0, result.stdout + result.stderr
    slug = __import__("vntext").slugify(meta.get("title"))
    built = (tmp_path / "out" / f"{date:%Y}" / f"{date:%m}" / slug / "index.html").read_text(encoding="utf-8")
    if "[[bieu-do:" in text:
        assert "<svg" in built and "[[bieu-do:" not in built, "the chart is embedded"
    if "[[bang:" in text:
        assert "<table" in built and "[[bang:" not in built, "the table is embedded"


def test_guide_commands_are_real_tasks():
    import tasks

    for name in re.findall(r"\./portal (\w+)", GUIDE):
        assert hasattr(tasks, name), name


def test_guide_links_resolve():
    for target in re.findall(r"\]\((/\d{4}/\d{2}/[a-z0-9-]+/)\)", GUIDE):
        year, month, slug = target.strip("/").split("/")
        assert list((ROOT / "content" / "articles").glob(f"*/{year}/{slug}.md")), target


# --- The guide for a non-technical editor ---------------------------------------------------------------


def _section(title_start: str) -> str:
    start = GUIDE.index(f"## {title_start}")
    end = GUIDE.find("\n## ", start + 3)
    return GUIDE[start : end if end >= 0 else len(GUIDE)]


def test_guide_messages_table_shows_fifteen_catalogue_messages_as_check_prints_them(monkeypatch):
    """Each row: a catalogue key, its Vietnamese text with example values, and how to fix it."""
    import messages

    monkeypatch.setenv("PORTAL_LANG", "vi")
    rows = re.findall(r"^\| \d+ \| `([a-z0-9-]+)` \| (.+?) \| (.+?) \|$", _section("9. Các thông báo thường gặp"), re.M)
    assert len(rows) == 15 and len({key for key, _, _ in rows}) == 15
    catalogue = messages.catalogue()
    for key, shown, fix in rows:
        assert key in catalogue, key
        template = catalogue[key]["vi"]
        # The catalogue's sentence, any value in each {placeholder}.
        pattern = "".join(re.escape(literal) + (".+?" if name is not None else "") for literal, name, _, _ in __import__("string").Formatter().parse(template))
        assert re.fullmatch(pattern, shown), (key, shown)
        assert fix.strip(), key


def test_guide_screenshots_exist_and_are_described():
    pictures = re.findall(r"!\[([^\]]+)\]\((img/[^)]+)\)", GUIDE)
    assert len(pictures) >= 3
    for alt, target in pictures:
        assert (ROOT / "docs" / target).is_file(), target
        assert len(alt) > 10, f"{target} needs a description"
    assert any("loi" in target for _, target in pictures), "the browser's error page is shown"


def test_guide_covers_the_first_day_and_the_daily_loop():
    first_day = _section("1. Ngày đầu tiên")
    assert "### Trên Ubuntu" in first_day and "### Trên Windows" in first_day and "wsl --install" in first_day
    loop = _section("2. Vòng làm việc hằng ngày")
    steps = re.findall(r"^### Bước (\d)\.", loop, re.M)
    assert steps == ["1", "2", "3", "4", "5"]
    for command in ("./portal new", "./portal check content/", "./portal check --changed", "./portal livereload", "git commit", "git push"):
        assert command in loop, command


def test_guide_links_the_import_guide_under_its_heading():
    heading = "### Nhập bài từ tệp Word hoặc cổng cũ"
    assert heading in GUIDE
    after = GUIDE[GUIDE.index(heading) :]
    assert "](huong-dan-nhap-bai.md)" in after.split("\n## ", 1)[0]


def test_guide_explains_the_english_words_it_uses():
    """front matter, slug, commit, push and CI appear only once explained, in the glossary table."""
    glossary = GUIDE[: GUIDE.index("## 1.")]
    for word in ("front matter", "slug", "commit", "push", "CI"):
        assert re.search(rf"\| [^|]*\*{word}\*\) \|", glossary), word


def test_guide_has_a_markdown_cheat_sheet():
    sheet = _section("4. Bảng tóm tắt Markdown")
    for written in ("## ", "**", "- ", "![", "[[bang:"):
        assert f"`{written}" in sheet, written


def test_every_test_the_security_policy_names_exists():
    """docs/security.md's table names, for each threat, the test that fails if its protection breaks:
    each named file exists, and each test named after it (a trailing * stands for any ending) is in it."""
    text = (ROOT / "docs" / "security.md").read_text(encoding="utf-8")
    rows = [line for line in text.splitlines() if line.startswith("| ") and "tests/" in line]
    assert len(rows) >= 20
    checked = 0
    for row in rows:
        cell = row.rstrip(" |").rsplit(" | ", 1)[-1]
        for part in re.split(r", (?=tests/)", cell):
            path = re.match(r"tests/[\w/]+\.py", part)
            assert path, row
            source = (ROOT / path.group()).read_text(encoding="utf-8")
            for name in re.findall(r"`(test_\w+\*?)`", part):
                pattern = r"def " + re.escape(name.rstrip("*")) + (r"\w*\(" if name.endswith("*") else r"\(")
                assert re.search(pattern, source), f"{path.group()} has no {name}"
                checked += 1
    assert checked >= 20
