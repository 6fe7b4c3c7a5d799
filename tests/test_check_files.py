"""`./portal check FILE...` and `./portal check --changed`: only the files an editor names (and what
they use) are judged, in Vietnamese unless PORTAL_LANG says otherwise; the warnings a new article
still carries (empty Topics, the scaffold's placeholder text); the portal script's arguments."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime

import pytest

import editorial
import messages
from conftest import ROOT
from sourcefiles import PLACEHOLDER_BODY, display_path

GOOD = """Title: Hội nghị giao ban công tác cải cách hành chính quý I
Date: 2024-03-20 16:00
Topics: cai-cach-tthc
Summary: Sở Nội vụ tổ chức hội nghị giao ban.

Nội dung bài viết.
"""
OTHER = "articles/tin-tuc-su-kien/2024/bai-khac.md"


def settings_for(content):
    settings, problems = editorial.load_settings(str(ROOT / "pelicanconf.py"), str(content))
    assert problems == []
    settings["CHECK_NOW"] = datetime(2026, 1, 1)
    return settings


def write(content, relative, text):
    path = content / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return str(path)


def invoke(*args, lang=None):
    env = dict(os.environ) if lang is None else dict(os.environ, PORTAL_LANG=lang)
    return subprocess.run([sys.executable, "-m", "invoke", *args], cwd=ROOT, capture_output=True, text=True, check=False, env=env)


# --- the sample content ---------------------------------------------------------------------------


def test_the_sample_content_checks_with_no_warning_at_all(content_copy):
    """Every national document the sample articles cite is in the registry, no title has old tone marks."""
    assert [str(p) for p in editorial.run_checks(settings_for(content_copy), [])] == []


# --- check FILE -----------------------------------------------------------------------------------


def test_check_file_judges_only_that_file_and_reads_no_other_in_full(content_copy, monkeypatch):
    import strict.checks

    wanted = write(content_copy, "articles/tin-tuc-su-kien/2024/bai-loi.md", GOOD.replace("Topics: cai-cach-tthc", "Topics: cai-cach-y-te"))
    write(content_copy, OTHER, GOOD.replace("Topics: cai-cach-tthc", "Topics: cai-cach-y-te-2").replace("quý I", "quý II"))
    judged = []
    real = strict.checks.check_article
    monkeypatch.setattr(strict.checks, "check_article", lambda path, *args: judged.append(path) or real(path, *args))
    problems = editorial.run_checks(settings_for(content_copy), [], files=[wanted])
    assert judged == [wanted], "only the named file's front matter is judged"
    assert [p.message for p in problems] == [messages.say("topic-unknown", topic="cai-cach-y-te", known=", ".join(settings_for(content_copy)["TOPICS_BY_ID"]))]


def test_check_file_reports_the_broken_table_it_embeds_but_not_others(content_copy):
    table = content_copy / "data" / "tables" / "sipas.yaml"
    table.write_text(table.read_text(encoding="utf-8").replace("\nrows:\n", "\nrows:\n  - {nam: 2016, chi_so: nhiều, xep_hang: 50}\n"), encoding="utf-8")
    embedding = write(content_copy, "articles/chi-so-cchc/2024/nhung-bang.md", GOOD.replace("Nội dung bài viết.", "Mở đầu.\n\n[[bang:sipas]]"))
    plain = write(content_copy, OTHER, GOOD.replace("quý I", "quý II"))
    settings = settings_for(content_copy)
    assert {p.path for p in editorial.run_checks(settings, [], files=[embedding])} == {display_path(str(table))}
    assert editorial.run_checks(settings, [], files=[plain]) == []


def test_check_file_reports_a_slug_clash_on_the_named_file_whichever_comes_first(content_copy):
    first = write(content_copy, "articles/tin-tuc-su-kien/2024/a-bai.md", GOOD)
    second = write(content_copy, "articles/tin-tuc-su-kien/2024/b-bai.md", GOOD)
    settings = settings_for(content_copy)
    for named in (first, second):
        problems = editorial.run_checks(settings, [], files=[named])
        assert [p.path for p in problems] == [display_path(named)], problems
        assert "is already used by" in problems[0].message


def test_check_file_reports_a_badly_named_picture_the_article_uses(content_copy):
    picture = content_copy / "images" / "2024" / "Ảnh hội nghị.jpg"
    picture.parent.mkdir(parents=True, exist_ok=True)
    picture.write_bytes(b"\xff\xd8\xff")
    article = write(content_copy, "articles/tin-tuc-su-kien/2024/co-anh.md", GOOD.replace("Nội dung bài viết.", "![Hội nghị](</images/2024/Ảnh hội nghị.jpg>)"))
    other = write(content_copy, OTHER, GOOD.replace("quý I", "quý II"))
    settings = settings_for(content_copy)
    assert display_path(str(picture)) in {p.path for p in editorial.run_checks(settings, [], files=[article])}
    assert editorial.run_checks(settings, [], files=[other]) == []


def test_portal_check_file_speaks_vietnamese_by_default(content_copy):
    bad = write(content_copy, "articles/tin-tuc-su-kien/2024/bai-loi.md", GOOD.replace("Topics: cai-cach-tthc", "Topics: cai-cach-y-te"))
    result = invoke("check", "--content", str(content_copy), "--file", bad, lang="")
    assert result.returncode == 1
    os.environ["PORTAL_LANG"], before = "vi", os.environ["PORTAL_LANG"]
    try:
        topics = ", ".join(settings_for(content_copy)["TOPICS_BY_ID"])
        expected = [
            f"LỖI: {display_path(bad)}:3: " + messages.say("topic-unknown", topic="cai-cach-y-te", known=topics),
            messages.say("report-errors", errors=1, warnings=0),
        ]
    finally:
        os.environ["PORTAL_LANG"] = before
    assert result.stderr.strip().splitlines() == expected, result.stdout + result.stderr
    assert 'lĩnh vực "cai-cach-y-te" không có trong content/data/topics.yaml' in expected[0]


def test_portal_check_names_a_file_that_does_not_exist(content_copy):
    result = invoke("check", "--content", str(content_copy), "--file", "content/articles/khong-co.md", lang="")
    assert result.returncode == 2
    assert "content/articles/khong-co.md: không có tệp này" in result.stdout + result.stderr


# --- check --changed ------------------------------------------------------------------------------


def git(folder, *args):
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.vn", *args], cwd=folder, check=True, capture_output=True)


def test_changed_files_are_the_changed_staged_and_new_ones_under_content(tmp_path):
    content = tmp_path / "content"
    for name in ("a.md", "b.md", "c.md", "d.md"):
        write(content, f"articles/x/2024/{name}", GOOD)
    write(tmp_path, "README.md", "x")
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-qm", "start")
    assert editorial.changed_files(str(tmp_path), str(content)) == []
    write(content, "articles/x/2024/a.md", GOOD + "Sửa.\n")  # changed, not staged
    write(content, "articles/x/2024/b.md", GOOD + "Sửa.\n")
    git(tmp_path, "add", "content/articles/x/2024/b.md")  # staged
    write(content, "articles/x/2024/moi.md", GOOD)  # new, not added
    (content / "articles/x/2024/c.md").unlink()  # deleted: nothing to check
    write(tmp_path, "README.md", "y")  # outside content/
    found = editorial.changed_files(str(tmp_path), str(content))
    assert found == sorted(str(content / f"articles/x/2024/{name}") for name in ("a.md", "b.md", "moi.md"))


def test_changed_files_outside_a_repository_is_said_plainly(tmp_path, monkeypatch):
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    with pytest.raises(editorial.NotARepositoryError, match="not a git working tree"):
        editorial.changed_files(str(tmp_path), str(tmp_path / "content"))


def test_check_changed_says_so_when_nothing_changed(monkeypatch, capsys):
    from invoke import Context

    import tasks

    monkeypatch.setenv("PORTAL_LANG", "vi")
    monkeypatch.setattr(editorial, "changed_files", lambda root, content: [])
    tasks.check(Context(), changed=True)
    assert capsys.readouterr().out.strip() == messages.say("check-no-changes", content="content")
    assert "không có gì để kiểm tra" in messages.say("check-no-changes", content="content")


def test_check_changed_checks_only_the_changed_files(content_copy, monkeypatch, capsys):
    from invoke import Context
    from invoke.exceptions import Exit

    import tasks

    bad = write(content_copy, "articles/tin-tuc-su-kien/2024/bai-loi.md", GOOD.replace("Date: 2024-03-20 16:00", "Date: 2024-02-31"))
    write(content_copy, OTHER, GOOD.replace("Topics: cai-cach-tthc", "Topics: cai-cach-y-te").replace("quý I", "quý II"))  # unchanged, broken
    monkeypatch.setattr(editorial, "changed_files", lambda root, content: [bad])
    with pytest.raises(Exit) as stopped:
        tasks.check(Context(), content=str(content_copy), changed=True)
    report = str(stopped.value.message)
    assert f"{display_path(bad)}:2: " in report and "bai-khac.md" not in report, report


# --- what a new article still needs -----------------------------------------------------------------


def test_empty_topics_is_a_warning_naming_the_key_as_editors_write_it(content_copy, monkeypatch):
    from strict.checks import check_article

    path = write(content_copy, "articles/tin-tuc-su-kien/2024/khong-linh-vuc.md", GOOD.replace("Topics: cai-cach-tthc", "Topics: "))
    monkeypatch.setenv("PORTAL_LANG", "vi")
    problems, _ = check_article(path, settings_for(content_copy))
    assert [(p.line, p.level) for p in problems] == [(3, "warning")]
    assert problems[0].message.startswith("Topics đang để trống")


def test_the_scaffold_placeholder_is_a_warning_until_replaced(content_copy):
    settings = settings_for(content_copy)
    path = editorial.new_article(settings, "Bài mới về một cửa", "tin-tuc-su-kien", now=datetime(2025, 6, 9, 14, 5))
    assert PLACEHOLDER_BODY in open(path, encoding="utf-8").read()
    found = [p for p in editorial.run_checks(settings, [], files=[path]) if "placeholder" in p.message]
    assert [(p.line, p.level) for p in found] == [(9, "warning")], found
    text = open(path, encoding="utf-8").read().replace(PLACEHOLDER_BODY, "Sáng nay, UBND tỉnh khai trương bộ phận một cửa.")
    open(path, "w", encoding="utf-8").write(text)
    assert not [p for p in editorial.run_checks(settings, [], files=[path]) if "placeholder" in p.message]


def test_unknown_key_lists_the_keys_as_the_guide_writes_them(content_copy):
    from strict.checks import check_article

    path = write(content_copy, "articles/tin-tuc-su-kien/2024/khoa-la.md", GOOD.replace("Topics:", "Imagealtt: x\nTopics:"))
    problems, _ = check_article(path, settings_for(content_copy))
    known = problems[0].message.split("Known keys: ")[1].split(", ")
    assert {"ImageAlt", "ImageCaption", "RelatedExclude", "Topics"} <= set(known) and "Imagealt" not in known


def test_new_tells_the_editor_to_check_the_new_file(content_copy, monkeypatch, capsys):
    from invoke import Context

    import tasks

    monkeypatch.setenv("PORTAL_LANG", "vi")
    tasks.new(Context(), "Bài mới về một cửa", "tin-tuc-su-kien", content=str(content_copy))
    out, err = capsys.readouterr()
    created = out.strip()
    assert created.endswith("/bai-moi-ve-mot-cua.md") and os.path.isfile(created), out
    assert err.strip().endswith(f"rồi chạy: ./portal check {created}"), err


# --- the portal script -------------------------------------------------------------------------------


def portal_args(*args):
    """What ./portal hands to invoke for these arguments (PORTAL_ARGS_ONLY: nothing is set up or run)."""
    result = subprocess.run([str(ROOT / "portal"), *args], env=dict(os.environ, PORTAL_ARGS_ONLY="1"), capture_output=True, check=True)
    return result.stdout.decode("utf-8").split("\0")[:-1]


def test_portal_passes_the_files_to_check_and_the_help_to_invoke():
    assert portal_args("check", "content/a.md", "content/b b.md", "--changed") == ["check", "--file", "content/a.md", "--file", "content/b b.md", "--changed"]
    assert portal_args("check", "--content", "khac", "a.md") == ["check", "--content", "khac", "--file", "a.md"]
    assert portal_args("new", "--help") == ["--help", "new"]
    assert portal_args("new", "Tiêu đề", "--section", "tin-tuc-su-kien") == ["new", "Tiêu đề", "--section", "tin-tuc-su-kien"]
    assert portal_args("build") == ["build"]


def test_invoke_help_for_new_works():
    result = invoke("--help", "new")
    assert result.returncode == 0 and "--section" in result.stdout, result.stdout + result.stderr
