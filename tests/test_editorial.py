"""Editors' commands: invoke new, invoke check (all problems at once), invoke livereload."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

import editorial
from conftest import ROOT
from sourcefiles import display_path

GOOD = """Title: Hội nghị giao ban công tác cải cách hành chính quý I
Date: 2024-03-20 16:00
Topics: cai-cach-tthc
Summary: Sở Nội vụ tổ chức hội nghị giao ban.

Nội dung bài viết.
"""


def settings_for(content):
    settings, problems = editorial.load_settings(str(ROOT / "pelicanconf.py"), str(content))
    assert problems == []
    return settings


def invoke(*args, cwd=ROOT, lang=None):
    """Run an invoke task; ``lang`` sets PORTAL_LANG ("" for none: the editors' default, Vietnamese)."""
    env = dict(os.environ) if lang is None else dict(os.environ, PORTAL_LANG=lang)
    return subprocess.run([sys.executable, "-m", "invoke", *args], cwd=cwd, capture_output=True, text=True, check=False, env=env)


# --- invoke new ----------------------------------------------------------------------------------


def test_new_article_has_front_matter_and_passes_the_strict_checks(content_copy):
    from strict.checks import check_article

    settings = settings_for(content_copy)
    moment = datetime(2025, 6, 9, 14, 5, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    path = editorial.new_article(settings, "Đẩy mạnh cải cách thủ tục hành chính", "kiem-tra-cchc", now=moment)
    assert path == str(content_copy / "articles/kiem-tra-cchc/2025/day-manh-cai-cach-thu-tuc-hanh-chinh.md")
    text = open(path, encoding="utf-8").read()
    assert text.startswith("Title: Đẩy mạnh cải cách thủ tục hành chính\nDate: 2025-06-09 14:05\nSlug: day-manh-cai-cach-thu-tuc-hanh-chinh\n")
    assert "\nSummary: \n" in text and "\nTopics: \n" in text
    problems, slug = check_article(path, dict(settings, CHECK_NOW=datetime(2025, 7, 1)))
    assert slug == "day-manh-cai-cach-thu-tuc-hanh-chinh"
    # What the editor still has to fill in: the lead and the reform areas (warnings, not errors).
    assert [p.level for p in problems] == ["warning", "warning"]
    assert sorted(p.message.split(" ")[0] for p in problems) == ["Topics", "no"]  # 'no "Summary: ..."', 'Topics is empty'
    assert any('"Summary: ..."' in p.message for p in problems)


def test_new_article_uses_local_time_by_default(content_copy):
    settings = settings_for(content_copy)
    before = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).replace(second=0, microsecond=0, tzinfo=None)
    path = editorial.new_article(settings, "Tin thử giờ địa phương", "tin-tuc-su-kien")
    written = datetime.strptime(open(path, encoding="utf-8").read().split("\n")[1][len("Date: ") :], "%Y-%m-%d %H:%M")
    assert abs((written - before).total_seconds()) <= 120


def test_new_refuses_to_overwrite_and_unknown_sections(content_copy):
    settings = settings_for(content_copy)
    moment = datetime(2025, 6, 9, 14, 5)
    path = editorial.new_article(settings, "Bài thử", "tin-tuc-su-kien", now=moment)
    with open(path, "a", encoding="utf-8") as handle:
        handle.write("Nội dung biên tập viên đã viết.\n")
    with pytest.raises(editorial.NewArticleError, match="already exists"):
        editorial.new_article(settings, "Bài thử", "tin-tuc-su-kien", now=moment)
    assert open(path, encoding="utf-8").read().endswith("Nội dung biên tập viên đã viết.\n"), "the editor's file was not touched"
    with pytest.raises(editorial.NewArticleError, match='section "tin-tuc" is not in content/data/sections.yaml'):
        editorial.new_article(settings, "Bài khác", "tin-tuc", now=moment)
    with pytest.raises(editorial.NewArticleError, match="no address"):
        editorial.new_article(settings, "!!!", "tin-tuc-su-kien", now=moment)


def test_invoke_new_command_prints_the_path_and_fails_on_unknown_section(tmp_path):
    result = invoke("new", "Tin thử nghiệm lệnh new", "--section", "khong-co")
    assert result.returncode == 1
    assert 'section "khong-co" is not in content/data/sections.yaml' in result.stdout + result.stderr


# --- invoke check --------------------------------------------------------------------------------


def write(content, relative, text):
    path = content / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return os.path.relpath(path) if str(path).startswith(os.getcwd() + os.sep) else str(path)


def checked(content):
    settings = settings_for(content)
    settings["CHECK_NOW"] = datetime(2026, 1, 1)
    return [(p.level, str(p)) for p in editorial.run_checks(settings, [])]


def test_sample_content_has_no_errors(content_copy):
    assert [p for p in checked(content_copy) if p[0] == "error"] == []


def test_check_reports_errors_and_warnings_with_lines(content_copy):
    long_title = "Hoá đơn điện tử " + "và cải cách " * 20
    bad = write(content_copy / "articles", "tin-tuc-su-kien/2024/bai-loi.md", GOOD.replace("Date: 2024-03-20 16:00", "Date: 2024-02-31"))
    future = write(content_copy / "articles", "tin-tuc-su-kien/2027/bai-tuong-lai.md", GOOD.replace("2024-03-20", "2027-01-05").replace("quý I", "quý III"))
    titled = write(
        content_copy / "articles", "tin-tuc-su-kien/2024/tieu-de-dai.md", GOOD.replace("Hội nghị giao ban công tác cải cách hành chính quý I", long_title)
    )
    links = write(
        content_copy / "articles",
        "tin-tuc-su-kien/2024/lien-ket.md",
        GOOD.replace("quý I", "quý IV").replace(
            "Nội dung bài viết.", "Xem [kế hoạch](/2099/01/khong-co-bai/) và [trang chủ](/).\n\n![Ảnh](/images/khong-co.jpg)\n\n[tương đối](bai-khac/)"
        ),
    )
    found = checked(content_copy)
    assert ("error", f'{bad}:2: Date "2024-02-31" is not a date (use YYYY-MM-DD HH:MM, e.g. 2024-03-20 16:00)') in found
    assert ("warning", f"{future}:2: Date 2027-01-05 16:00 is in the future; the article will be listed as if already published") in found
    assert any(level == "warning" and text.startswith(f"{titled}:1: the title has ") and "keep it under 150" in text for level, text in found)
    assert ("warning", f"{titled}:1: the title writes tone marks in the old placement (Hoá -> Hóa); the portal writes the new one") in found
    assert ("warning", f'{links}:6: page "/2099/01/khong-co-bai/" does not exist on the site; check the address (articles are at /YYYY/MM/slug/)') in found
    # A missing picture is an error: the build stops for it too (tests/test_containment.py).
    assert (
        "error",
        f'{links}:8: picture "/images/khong-co.jpg": there is no file {display_path(str(content_copy))}/images/khong-co.jpg; add it or fix the address',
    ) in found
    assert any(text.startswith(f'{links}:10: link "bai-khac/" is relative') for _, text in found)
    assert not any(f'{links}:6: page "/"' in text for _, text in found)


def test_check_flags_oversized_attachments(content_copy):
    big = content_copy / "files" / "lon.pdf"
    big.write_bytes(b"%PDF" + b"0" * (2 * 1024 * 1024))
    path = write(content_copy / "articles", "tin-tuc-su-kien/2024/dinh-kem-lon.md", GOOD.replace("Summary:", "Attachments: files/lon.pdf\nSummary:"))
    settings = settings_for(content_copy)
    settings["ATTACHMENT_MAX_MB"] = 1
    problems = [str(p) for p in editorial.run_checks(settings, []) if p.path == path]
    assert f'{path}:4: Attachment "files/lon.pdf" is 2,0 MB, over the 1 MB limit; compress it or publish a smaller version' in problems


def test_invoke_check_exit_codes(content_copy):
    clean = invoke("check", "--content", str(content_copy), lang="")
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert clean.stdout.strip() == "Không có lỗi."
    write(content_copy / "articles", "tin-tuc-su-kien/2024/bai-loi.md", GOOD.replace("Topics: cai-cach-tthc", "Topics: cai-cach-y-te"))
    broken = invoke("check", "--content", str(content_copy))
    assert broken.returncode == 1
    assert 'bai-loi.md:3: topic "cai-cach-y-te" is not in content/data/topics.yaml' in broken.stdout + broken.stderr


def test_pre_commit_configuration_runs_the_check():
    config = (ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8")
    assert "entry: ./portal check" in config and "files: ^content/" in config and "pass_filenames: false" in config


# --- invoke livereload ---------------------------------------------------------------------------


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


def wait_for(predicate, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.5)
    return False


def test_livereload_shows_a_build_error_in_the_browser_and_comes_back_when_fixed(content_copy, tmp_path, browser):
    """The editor's loop: save a broken file, the open page turns into its errors (file:line, in
    Vietnamese) by itself; save the fix, the page turns back into the article by itself."""
    port = free_port()
    output = tmp_path / "out"
    log = open(tmp_path / "livereload.log", "w+", encoding="utf-8")
    server = subprocess.Popen(
        [sys.executable, "-m", "invoke", "livereload", "--port", str(port), "--content", str(content_copy), "--output", str(output)],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        env=dict(os.environ, PORTAL_LANG=""),  # what an editor runs: the Vietnamese default
    )
    context = browser.new_context()
    try:
        base = f"http://127.0.0.1:{port}"

        def up():
            try:
                return fetch(base + "/")[0] == 200
            except OSError:
                return False

        def logged():
            return open(tmp_path / "livereload.log", encoding="utf-8").read()

        assert wait_for(up, 180), logged()
        assert "livereload.js" in fetch(base + "/")[1], "pages are served with the reload script"
        path = content_copy / "articles" / "tin-tuc-su-kien/2024/bai-moi.md"
        write(content_copy / "articles", "tin-tuc-su-kien/2024/bai-moi.md", GOOD)
        article = base + "/2024/03/hoi-nghi-giao-ban-cong-tac-cai-cach-hanh-chinh-quy-i/"
        assert wait_for(lambda: _status(article) == 200, 180), logged()
        page = context.new_page()
        page.goto(article)
        assert page.locator("h1").first.inner_text() == "Hội nghị giao ban công tác cải cách hành chính quý I"
        # A broken edit: the open page shows the error by itself, in Vietnamese, with file and line.
        path.write_text(GOOD.replace("2024-03-20 16:00", "2024-02-31 16:00"), encoding="utf-8")
        shown = f"{display_path(str(path))}:2"
        page.wait_for_selector(".build-errors", timeout=180_000)
        assert page.locator("h1").inner_text() == "Lỗi khi dựng trang"
        errors = page.locator(".build-errors").inner_text()
        assert f'{shown}: Date "2024-02-31 16:00" không phải ngày hợp lệ' in errors, errors
        status, body = fetch(article)
        assert status == 500 and shown in body and "livereload.js" in body
        assert _status(base + "/theme/css/site.css") == 200, "files other than pages are served as built"
        # The fix: the page comes back by itself.
        path.write_text(GOOD, encoding="utf-8")
        page.wait_for_selector("h1:has-text('Hội nghị giao ban công tác cải cách hành chính quý I')", timeout=180_000)
        assert fetch(article)[0] == 200
        assert "Trang tốt gần nhất vẫn ở" in logged()
    finally:
        context.close()
        server.terminate()
        server.wait(10)


def test_livereload_answers_an_unknown_address_with_the_site_404(tmp_path):
    from livereload import Server

    import tasks

    (tmp_path / "404.html").write_text("<!doctype html><html><head></head><body><h1>Không tìm thấy trang</h1></body></html>", encoding="utf-8")
    handler = tasks._live_files(Server().SFH, {})
    from tornado.web import Application

    application = Application([(r"/(.*)", handler, {"path": str(tmp_path), "default_filename": "index.html"})])
    status, body = _tornado_get(application, "/khong-co/")
    assert status == 404 and "Không tìm thấy trang" in body
    failing = Application([(r"/(.*)", tasks._live_files(Server().SFH, {"page": "<h1>Lỗi</h1>"}), {"path": str(tmp_path), "default_filename": "index.html"})])
    assert _tornado_get(failing, "/2024/03/bai/") == (500, "<h1>Lỗi</h1>")
    assert _tornado_get(failing, "/images/anh.jpg")[0] == 404, "while a build fails, files other than pages are served as they are"


def _tornado_get(application, path):
    """GET path from a tornado application served on a loopback port by a thread of its own (the
    test process may already run an event loop: Playwright's)."""
    import asyncio
    import threading

    from tornado.httpserver import HTTPServer

    port = free_port()
    ready, loop_box = threading.Event(), []

    def serve():
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        loop_box.append(loop)

        async def start():
            HTTPServer(application).listen(port, "127.0.0.1")
            ready.set()

        loop.run_until_complete(start())
        loop.run_forever()
        loop.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    assert ready.wait(10)
    try:
        return fetch(f"http://127.0.0.1:{port}{path}")
    finally:
        loop_box[0].call_soon_threadsafe(loop_box[0].stop)
        thread.join(10)


def _status(url):
    try:
        return fetch(url)[0]
    except OSError:
        return 0


def test_serve_answers_an_unknown_address_with_the_site_404_page(tmp_path):
    import threading

    import tasks

    (tmp_path / "index.html").write_text("<h1>Trang chủ</h1>", encoding="utf-8")
    (tmp_path / "404.html").write_text("<h1>Không tìm thấy trang</h1>", encoding="utf-8")
    server = tasks.site_server(str(tmp_path), 0, "127.0.0.1")
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        assert fetch(base + "/") == (200, "<h1>Trang chủ</h1>")
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(base + "/khong-co-trang-nay/", timeout=10)
        assert missing.value.code == 404
        assert missing.value.read().decode("utf-8") == "<h1>Không tìm thấy trang</h1>"
    finally:
        server.shutdown()
        server.server_close()


def test_check_reports_table_errors_and_unknown_embeds(content_copy):
    table = content_copy / "data" / "tables" / "sipas.yaml"
    text = table.read_text(encoding="utf-8")
    assert "\nrows:" in text
    table.write_text(text.replace("\nrows:\n", "\nrows:\n  - {nam: 2016, chi_so: nhiều, xep_hang: 50}\n"), encoding="utf-8")
    embed = write(content_copy / "articles", "chi-so-cchc/2024/nhung-bang.md", GOOD.replace("Nội dung bài viết.", "Mở đầu.\n\n[[bang:khong-co-bang]]"))
    found = checked(content_copy)
    assert any(level == "error" and "sipas.yaml:15: " in text and "nhiều" in text for level, text in found), found
    assert any(level == "error" and text.startswith(f"{embed}:8: ") and "khong-co-bang" in text for level, text in found), found


def test_run_checks_for_some_files_reports_only_theirs(content_copy):
    write(content_copy / "articles", "tin-tuc-su-kien/2024/bai-loi.md", GOOD.replace("Topics: cai-cach-tthc", "Topics: cai-cach-y-te"))
    write(content_copy / "articles", "tin-tuc-su-kien/2024/bai-loi-khac.md", GOOD.replace("Topics: cai-cach-tthc", "Topics: cai-cach-y-te-2"))
    settings = settings_for(content_copy)
    wanted = str(content_copy / "articles/tin-tuc-su-kien/2024/bai-loi.md")
    problems = editorial.run_checks(settings, [], files=[wanted])
    assert problems and {p.path for p in problems} == {editorial.display_path(wanted)}, problems
