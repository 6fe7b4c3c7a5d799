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
