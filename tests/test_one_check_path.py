"""One check path: `./portal check` and the build run the same check functions, so an error that
stops the build is one that `invoke check` reports, at the same file and line."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import editorial
from conftest import ROOT, run_pelican

ARTICLE = "articles/tin-tuc-su-kien/2024/bai-thu.md"


def article(*extra: str, title: str = "Hội nghị giao ban công tác cải cách hành chính", body: str = "Nội dung bài viết.") -> str:
    """An article that passes every check, with ``extra`` front-matter lines from line 5 on."""
    lines = [f"Title: {title}", "Date: 2024-03-20 16:00", "Slug: bai-thu", "Summary: Sở Nội vụ tổ chức hội nghị.", *extra]
    return "\n".join(lines) + f"\n\n{body}\n"


DOCUMENT = "Number: 12/QĐ-UBND\nKind: Quyết định\nIssuer: UBND tỉnh Bình An\nSigned: 2024-01-05\nTitle: Về việc thử\nReplacedBy: 999/QĐ-UBND\n\nNội dung.\n"
ABBREVIATIONS = "TTHC: thủ tục hành chính\nTT HC: thủ tục hành chính\n"

# name: (file under content/, its text, the line named, what the message says)
CASES = {
    "an unknown Related slug": (ARTICLE, article("Related: khong-co-bai-nay"), 5, 'Related: no article has the slug "khong-co-bai-nay"'),
    "a lower-case related key": (ARTICLE, article("related: khong-co-bai-nay"), 5, 'Related: no article has the slug "khong-co-bai-nay"'),
    "Related to the article itself": (ARTICLE, article("Related: bai-thu"), 5, 'Related: "bai-thu" is this article itself'),
    "an unknown RelatedExclude slug": (
        ARTICLE,
        article("Topics: cai-cach-tthc", "RelatedExclude: khong-co-bai-nay"),
        6,
        'RelatedExclude: no article has the slug "khong-co-bai-nay"',
    ),
    "a broken abbreviations file": ("data/abbreviations.yaml", ABBREVIATIONS, 2, '"TT HC" is not one word'),
    "an emoji-only title": (ARTICLE, article(title="🎉🎉🎉").replace("Slug: bai-thu\n", ""), 1, "has no letters or digits to make an address from"),
    "an unknown table embed": (ARTICLE, article(body="Kết quả:\n\n[[bang:khong-co-bang]]\n\nHết."), 8, 'there is no table "khong-co-bang"'),
    "a bad document": ("documents/2024/12-qd-ubnd.md", DOCUMENT, 6, "ReplacedBy 999/QĐ-UBND: no document with this number"),
}


def shown(path: Path) -> str:
    return os.path.relpath(path, ROOT) if str(path).startswith(str(ROOT) + os.sep) else str(path)


@pytest.mark.parametrize("case", list(CASES))
def test_build_and_check_stop_on_the_same_file_and_line(content_copy, tmp_path, case):
    relative, text, line, message = CASES[case]
    path = content_copy / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    where = f"{shown(path)}:{line}: "

    settings, site_problems = editorial.load_settings(str(ROOT / "pelicanconf.py"), str(content_copy))
    errors = [str(p) for p in editorial.run_checks(settings, site_problems) if p.level == "error"]
    assert [e for e in errors if e.startswith(where) and message in e], errors

    output = tmp_path / "out"
    result = run_pelican(content_copy, output)
    log = result.stdout + result.stderr
    assert result.returncode == 1, log
    assert "Traceback" not in log, log
    assert [entry for entry in log.splitlines() if where in entry and message in entry], log
    assert not output.exists() or not any(output.rglob("*.html")), "a build stopped by a check writes no pages"


def test_check_asks_every_plugin_in_plugin_order(monkeypatch):
    """run_checks takes each plugin's own check, not a list of its own to keep in step with PLUGINS."""
    import sys
    import types

    calls = []
    for name in ("first_plugin", "no_check_plugin", "last_plugin"):
        module = types.ModuleType(name)
        if name != "no_check_plugin":
            module.check = lambda settings, editor=False, name=name: calls.append((name, editor)) or []
        monkeypatch.setitem(sys.modules, name, module)
    assert editorial.run_checks({"PLUGINS": ["first_plugin", "no_check_plugin", "last_plugin"]}, []) == []
    assert calls == [("first_plugin", True), ("last_plugin", True)]
