"""The web editor (`./portal edit`, issue 17): Decap CMS over a working copy through our local backend.

Unit tests hold the parts that must agree with the rest of the portal (the file format with the sample
content byte for byte, the document-number rule with vntext's, the config with the site data, the
backend's containment and atomic saves); browser tests drive the real CMS in Debian's Chromium against
a temporary git copy of the project, then build that copy and read the article on the built site.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import socket
import subprocess
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml

import messages
import vntext
import webeditor
from conftest import ROOT, run_pelican
from tables.model import TYPES
from webeditor.backend import BackendError, LocalBackend, atomic_write

NODE_FORMAT = ROOT / "webeditor" / "pelican-format.js"
TIMEZONE = "Asia/Ho_Chi_Minh"


def node(script: str, payload: object) -> object:
    """Run ``script`` under Node with ``payload`` as INPUT; return what it prints as JSON."""
    code = f"const F = require({json.dumps(str(NODE_FORMAT))});\nconst INPUT = JSON.parse(require('fs').readFileSync(0, 'utf8'));\n{script}"
    done = subprocess.run(["node", "-e", code], input=json.dumps(payload), capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def content_files() -> list[Path]:
    folders = ["articles", "pages", "documents", "data/tables"]
    return sorted(p for folder in folders for p in (ROOT / "content" / folder).rglob("*") if p.suffix in (".md", ".yaml"))


# --- The format ---------------------------------------------------------------------------------------
ROUND_TRIP = """
const fm = F.frontMatter({keys: INPUT.keys, lists: ["Topics", "Attachments", "Files"], booleans: ["Featured"]});
const rows = F.tableRows();
const out = {};
for (const [path, text] of Object.entries(INPUT.files)) {
  const format = path.endsWith(".md") ? fm : rows;
  // Through JSON, as Decap hands the data back (entry.data.toJS()).
  out[path] = format.toFile(JSON.parse(JSON.stringify(format.fromFile(text))));
}
console.log(JSON.stringify(out));
"""


def test_web_editor_format_writes_every_sample_file_back_byte_for_byte():
    files = {str(p.relative_to(ROOT)): p.read_text(encoding="utf-8") for p in content_files()}
    assert len(files) > 80
    written = node(ROUND_TRIP, {"keys": list(webeditor.ARTICLE_KEYS), "files": files})
    assert written == files


NEW_FILE = """
const fm = F.frontMatter({keys: INPUT.keys, lists: ["Topics", "Attachments"], booleans: ["Featured"]});
const data = INPUT.data;
console.log(JSON.stringify(fm.toFile(data)));
"""


def test_web_editor_format_writes_a_new_article_in_the_projects_key_order():
    data = {
        "body": "Nội dung bài viết.",
        "status": "",
        "featured": True,
        "attachments": ["files/2025/bao-cao.pdf"],
        "imagecaption": "Quang cảnh hội nghị.",
        "imagealt": "Hội trường với đại biểu",
        "image": "images/2025/anh.jpg",
        "author": "Minh Anh",
        "tags": "giao ban, một cửa",
        "topics": ["cai-cach-tthc", "chinh-quyen-so"],
        "summary": "Sở Nội vụ tổ chức hội nghị.",
        "category": "tin-tuc-su-kien",
        "date": "2025-03-20 16:00",
        "title": "Hội nghị giao ban",
    }
    text = node(NEW_FILE, {"keys": list(webeditor.ARTICLE_KEYS), "data": data})
    assert text == (
        "Title: Hội nghị giao ban\nDate: 2025-03-20 16:00\nCategory: tin-tuc-su-kien\nSummary: Sở Nội vụ tổ chức hội nghị.\n"
        "Topics: cai-cach-tthc, chinh-quyen-so\nTags: giao ban, một cửa\nAuthor: Minh Anh\nImage: images/2025/anh.jpg\n"
        "ImageAlt: Hội trường với đại biểu\nImageCaption: Quang cảnh hội nghị.\nFeatured: yes\nAttachments: files/2025/bao-cao.pdf\n\n"
        "Nội dung bài viết.\n"
    )


EDIT_ONE = """
const fm = F.frontMatter({keys: INPUT.keys, lists: ["Topics", "Attachments"], booleans: ["Featured"]});
const data = JSON.parse(JSON.stringify(fm.fromFile(INPUT.text)));
Object.assign(data, INPUT.change);
console.log(JSON.stringify(fm.toFile(data)));
"""


def test_web_editor_format_changes_only_the_lines_edited_and_puts_a_new_key_in_its_place():
    path = ROOT / "content/articles/tin-tuc-su-kien/2024/binh-an-hoan-thanh-sap-xep-don-vi-hanh-chinh-cap-xa-giai-doan-2023-2025.md"
    text = path.read_text(encoding="utf-8")
    change = {"title": "Tiêu đề mới", "image": "images/2024/anh.jpg", "imagealt": "Mô tả ảnh"}
    written = node(EDIT_ONE, {"keys": list(webeditor.ARTICLE_KEYS), "text": text, "change": change})
    old, new = text.split("\n"), written.split("\n")
    assert new[0] == "Title: Tiêu đề mới" and new[1:8] == old[1:8]  # Category, Slug... stay where they were
    assert new[8:10] == ["Image: images/2024/anh.jpg", "ImageAlt: Mô tả ảnh"]  # after Summary, as the order says
    assert new[10:] == old[8:]  # the body untouched


# --- The document number: one rule -------------------------------------------------------------------
NUMBERS = """
const re = new RegExp("^(?:" + INPUT.pattern + ")$", "u");
const fold = (t) => t.normalize("NFD").replace(/[\\u0300-\\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D");
console.log(JSON.stringify(INPUT.values.map((v) => re.test(v.normalize("NFC").trim()) || re.test(fold(v.normalize("NFC").trim()).toUpperCase()))));
"""


def _python_accepts(value: str) -> bool:
    try:
        vntext.normalize_document_number(value)
    except ValueError:
        return False
    return True


def test_web_editor_document_number_rule_is_vntexts_own():
    cases = yaml.safe_load((ROOT / "tests" / "document_numbers.yaml").read_text(encoding="utf-8"))
    values = sorted({raw for case in cases for _s, _e, raw, _k in vntext.find_document_numbers(case["text"])})
    values += [
        "2410/UBND-KSTT",
        "107/2020/NĐ-CP",
        "39-NQ/TW",
        "06/QĐ-TTg",
        "2410/ubnd-kstt",
        "31/12/2022",
        "35/63",
        "quý I/2019",
        "COVID-19",
        "2410",
        "UBND-KSTT",
        "",
    ]
    values += [case["text"] for case in cases][:40]  # whole sentences: never a number
    accepted = node(NUMBERS, {"pattern": webeditor.document_number_pattern(), "values": values})
    expected = [_python_accepts(v) for v in values]
    assert accepted == expected
    assert sum(expected) > 20 and not all(expected)


# --- The configuration, from the site data --------------------------------------------------------------
@pytest.fixture(scope="module")
def settings():
    import editorial

    loaded, problems = editorial.load_settings(str(ROOT / "pelicanconf.py"), str(ROOT / "content"))
    assert not problems
    return loaded


def _field(collection: dict, name: str) -> dict:
    return next(f for f in collection["fields"] if f["name"] == name)


def test_web_editor_config_is_made_from_the_site_data(settings):
    config = webeditor.cms_config(settings, "http://127.0.0.1:1/api/v1")
    collections = {c["name"]: c for c in config["collections"]}
    articles = collections["articles"]
    sections = yaml.safe_load((ROOT / "content/data/sections.yaml").read_text(encoding="utf-8"))
    ids = [s["id"] for top in sections for s in [top, *top.get("children", [])]]
    assert [o["value"] for o in _field(articles, "category")["options"]] == ids
    topics = yaml.safe_load((ROOT / "content/data/topics.yaml").read_text(encoding="utf-8"))
    assert [o["value"] for o in _field(articles, "topics")["options"]] == [t["id"] for t in topics]
    assert _field(articles, "topics")["multiple"] is True
    assert articles["path"] == "{{category}}/{{_year}}/{{slug}}"
    assert articles["media_folder"].startswith("/content/images/") and _field(articles, "attachments")["field"]["media_folder"].startswith("/content/files/")
    tables = {f["file"] for f in collections["tables"]["files"]}
    assert tables == {f"content/data/tables/{p.name}" for p in (ROOT / "content/data/tables").glob("*.yaml")}
    assert config["locale"] == "vi" and config["local_backend"]["url"].endswith("/api/v1")


# --- The backend: containment, atomic saves, commits ------------------------------------------------------
@pytest.fixture
def repo(tmp_path) -> Path:
    (tmp_path / "content" / "articles" / "tin-tuc-su-kien" / "2025").mkdir(parents=True)
    (tmp_path / "pelicanconf.py").write_text("# settings\n", encoding="utf-8")
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    return tmp_path


@pytest.mark.parametrize(
    "path", ["../etc/passwd", "pelicanconf.py", ".git/config", "theme/templates/base.html", "content/../tasks.py", "/etc/passwd", "content\\x.md"]
)
def test_web_editor_backend_writes_only_inside_the_content_folders(repo, path):
    backend = LocalBackend(str(repo))
    with pytest.raises(BackendError, match="content/"):
        backend.handle("persistEntry", {"entry": {"path": path, "raw": "x", "slug": "x"}, "assets": []})
    assert (repo / "pelicanconf.py").read_text(encoding="utf-8") == "# settings\n"


def test_web_editor_backend_follows_no_symbolic_link(repo, tmp_path_factory):
    outside = tmp_path_factory.mktemp("outside")
    (repo / "content" / "articles" / "link").symlink_to(outside, target_is_directory=True)
    backend = LocalBackend(str(repo))
    with pytest.raises(BackendError):
        backend.handle("persistEntry", {"entry": {"path": "content/articles/link/a.md", "raw": "Title: x\n", "slug": "a"}, "assets": []})
    assert not list(outside.iterdir())


def test_web_editor_save_never_loses_the_editors_file(repo, monkeypatch):
    path = repo / "content" / "articles" / "tin-tuc-su-kien" / "2025" / "a.md"
    path.write_text("Title: Bản cũ\n\nNội dung cũ.\n", encoding="utf-8")

    def full_disk(*_args):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    with pytest.raises(OSError):
        atomic_write(str(path), b"Title: B\xe1\xba\xa3n m\xe1\xbb\x9bi\n")
    assert path.read_text(encoding="utf-8") == "Title: Bản cũ\n\nNội dung cũ.\n"
    assert sorted(p.name for p in path.parent.iterdir()) == ["a.md"]  # no temporary file left


def test_web_editor_save_is_a_commit_naming_the_article_and_is_checked(repo):
    seen = []
    backend = LocalBackend(str(repo), check=lambda path: seen.append(path) or "Không có lỗi.")
    raw = "Title: Hội nghị giao ban\nDate: 2025-03-20 16:00\n\nNội dung.\n"
    result = backend.handle(
        "persistEntry", {"entry": {"path": "content/articles/tin-tuc-su-kien/2025/hoi-nghi.md", "raw": raw, "slug": "hoi-nghi"}, "assets": []}
    )
    assert (repo / "content/articles/tin-tuc-su-kien/2025/hoi-nghi.md").read_text(encoding="utf-8") == raw
    log = subprocess.run(["git", "-C", str(repo), "log", "--format=%s", "--name-only"], capture_output=True, text=True, check=True).stdout
    assert messages.say("edit-commit-new", title="Hội nghị giao ban", path="content/articles/tin-tuc-su-kien/2025/hoi-nghi.md") in log
    assert "content/articles/tin-tuc-su-kien/2025/hoi-nghi.md" in log and "pelicanconf.py" not in log  # only the saved file
    assert result["checks"] == "Không có lỗi." and seen == [str(repo / "content/articles/tin-tuc-su-kien/2025/hoi-nghi.md")]


# --- A working copy with the editor running on it -------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def editor(tmp_path_factory):
    """A git copy of the project with `./portal edit`'s server on it (tasks.start_editor)."""
    import tasks

    root = tmp_path_factory.mktemp("desk") / "portal"
    root.mkdir()
    for name in ("content", "theme", "plugins", "webeditor"):
        shutil.copytree(ROOT / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pelicanconf.py", "publishconf.py", "tasks.py"):
        shutil.copy2(ROOT / name, root / name)
    (root / "node_modules").symlink_to(ROOT / "node_modules", target_is_directory=True)
    (root / ".gitignore").write_text("node_modules\n", encoding="utf-8")
    git = ["git", "-C", str(root), "-c", "user.name=Test", "-c", "user.email=test@example.org"]
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "sample"], check=True)
    port = free_port()
    # The desk speaks to editors: Vietnamese, whatever the test session's language (conftest: English).
    language = pytest.MonkeyPatch()
    language.setenv("PORTAL_LANG", "vi")
    server = tasks.start_editor(str(root), port)
    yield {"root": root, "url": f"http://127.0.0.1:{port}", "port": port}
    server.shutdown()
    language.undo()


def test_web_editor_server_refuses_a_request_from_another_site(editor):
    body = json.dumps({"action": "getEntry", "params": {"path": "content/pages/gioi-thieu.md"}}).encode()
    request = urllib.request.Request(editor["url"] + "/api/v1", data=body, headers={"Content-Type": "application/json", "Origin": "http://evil.example"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 403
    same = urllib.request.Request(editor["url"] + "/api/v1", data=body, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(same, timeout=10) as answer:
        assert json.load(answer)["data"].startswith("Title: Giới thiệu")


def test_web_editor_public_build_never_references_admin(site):
    """/admin/ is served by ./portal edit only: no built page links it or loads the CMS."""
    assert not (site.output / "admin").exists()
    for path in site.output.rglob("*"):
        if path.suffix in (".html", ".xml", ".txt", ".json", ".js", ".css"):
            text = path.read_text(encoding="utf-8", errors="replace")
            assert "/admin/" not in text and "decap-cms" not in text.lower(), path


# --- In the browser -------------------------------------------------------------------------------------------
@pytest.fixture
def desk(editor, browser, artifacts):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, timezone_id=TIMEZONE, locale="vi-VN")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    # Shown by pytest when a test fails: what the CMS said (its API errors, our backend's messages).
    page.on("console", lambda message: print("console:", message.type, message.text[:500]) if message.type in ("error", "warning") else None)
    page.errors = errors
    page.goto(editor["url"] + "/admin/")
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_text("Bộ sưu tập").wait_for()
    yield page
    context.close()


def choose(page, field: str, text: str) -> None:
    """A react-select of the form: type to filter, Enter to take the first match."""
    page.locator(f"[id^='{field}-field-']").first.fill(text)
    page.keyboard.press("Enter")


def publish(page) -> None:
    page.get_by_role("button", name="Công bố").first.click()
    page.get_by_text("Công bố ngay").click()


def saved(page):
    """The checks' panel once the save's result is in it (webeditor/editor.js)."""
    panel = page.locator("#portal-checks[data-state=clean], #portal-checks[data-state=errors]")
    panel.wait_for(timeout=60000)
    assert "Đã lưu vào git" in panel.inner_text(), panel.inner_text()
    return panel


def git_log(root: Path) -> str:
    return subprocess.run(["git", "-C", str(root), "log", "--format=%s", "--name-only"], capture_output=True, text=True, check=True).stdout


PICTURE = ROOT / "content/images/2024/trao-bang-khen-cchc-2023.jpg"
NEW_TITLE = "Hội nghị tập huấn trình biên tập trên web cho biên tập viên"


def test_web_editor_creates_an_article_with_a_picture_that_the_built_site_shows(editor, desk, artifacts, tmp_path):
    page = desk
    page.goto(editor["url"] + "/admin/#/collections/articles/new")
    page.locator("[id^='title-field-']").fill(NEW_TITLE)
    page.locator("[id^='date-field-']").fill("2025-03-20T16:00")
    choose(page, "category", "Kết quả kiểm tra")
    choose(page, "topics", "thủ tục")
    page.locator("[id^='summary-field-']").fill("Sở Nội vụ hướng dẫn biên tập viên dùng trình biên tập trên web.")
    page.locator("[id^='tags-field-']").fill("tập huấn, biên tập")
    page.get_by_role("button", name="Chọn một hình").click()
    upload = tmp_path / "tap-huan-bien-tap.jpg"
    shutil.copy(PICTURE, upload)
    page.locator("input[type=file]").set_input_files(str(upload))
    page.get_by_text("tap-huan-bien-tap.jpg").wait_for()  # uploaded and already selected
    page.get_by_role("button", name="Lấy những cái đã chọn").click()
    page.locator("[id^='imagealt-field-']").fill("Biên tập viên ngồi trước máy tính trong phòng tập huấn")
    page.locator("[id^='imagecaption-field-']").fill("Buổi tập huấn tại Sở Nội vụ.")
    page.locator("[contenteditable=true]").last.click()
    page.keyboard.type("Sáng nay, Sở Nội vụ tổ chức tập huấn cho biên tập viên các sở, ngành.")
    page.screenshot(path=str(artifacts / "web-editor-new-1280.png"), full_page=False)
    publish(page)
    panel = saved(page)
    page.screenshot(path=str(artifacts / "web-editor-saved-1280.png"))
    assert not page.errors, page.errors

    slug = vntext.slugify(NEW_TITLE)
    article = editor["root"] / "content/articles/kiem-tra-cchc/2025" / f"{slug}.md"
    assert article.is_file(), sorted(p.name for p in article.parent.glob("*")) if article.parent.exists() else "no folder"
    assert article.read_text(encoding="utf-8") == (
        f"Title: {NEW_TITLE}\nDate: 2025-03-20 16:00\nCategory: kiem-tra-cchc\n"
        "Summary: Sở Nội vụ hướng dẫn biên tập viên dùng trình biên tập trên web.\nTopics: cai-cach-tthc\nTags: tập huấn, biên tập\n"
        "Image: images/2025/tap-huan-bien-tap.jpg\nImageAlt: Biên tập viên ngồi trước máy tính trong phòng tập huấn\n"
        "ImageCaption: Buổi tập huấn tại Sở Nội vụ.\n\nSáng nay, Sở Nội vụ tổ chức tập huấn cho biên tập viên các sở, ngành.\n"
    )
    assert (editor["root"] / "content/images/2025/tap-huan-bien-tap.jpg").read_bytes() == PICTURE.read_bytes()
    log = git_log(editor["root"])
    assert messages.say("edit-commit-new", title=NEW_TITLE, path=f"content/articles/kiem-tra-cchc/2025/{slug}.md") in log
    assert "content/images/2025/tap-huan-bien-tap.jpg" in log
    assert "Không có lỗi" in panel.inner_text() or "LỖI" not in panel.inner_text()

    # ./portal check on that file, then the built site.
    import editorial

    settings, problems = editorial.load_settings(str(editor["root"] / "pelicanconf.py"), str(editor["root"] / "content"))
    assert [p for p in editorial.run_checks(settings, problems, files=[str(article)]) if p.level == "error"] == []
    output = tmp_path / "output"
    built = run_pelican(editor["root"] / "content", output)
    assert built.returncode == 0, built.stdout + built.stderr
    html = (output / "2025" / "03" / slug / "index.html").read_text(encoding="utf-8")
    assert NEW_TITLE in html and "Biên tập viên ngồi trước máy tính" in html and "Buổi tập huấn tại Sở Nội vụ." in html


def test_web_editor_edits_an_existing_title_and_nothing_else(editor, desk, artifacts):
    page = desk
    relative = "content/articles/chi-so-cchc/2024/par-index-2023-binh-an-lan-dau-vao-nhom-10-dia-phuong-dan-dau.md"
    path = editor["root"] / relative
    before = path.read_text(encoding="utf-8")
    page.goto(editor["url"] + "/admin/#/collections/articles/entries/chi-so-cchc/2024/par-index-2023-binh-an-lan-dau-vao-nhom-10-dia-phuong-dan-dau")
    title = page.locator("[id^='title-field-']")
    title.wait_for()
    old_title = before.split("\n")[0].removeprefix("Title: ")
    assert title.input_value() == old_title
    title.fill(old_title + " (cập nhật)")
    page.set_viewport_size({"width": 800, "height": 900})
    page.screenshot(path=str(artifacts / "web-editor-edit-800.png"))
    publish(page)
    saved(page)
    assert not page.errors, page.errors
    after = path.read_text(encoding="utf-8")
    assert after.split("\n")[0] == f"Title: {old_title} (cập nhật)"
    assert after.split("\n")[1:] == before.split("\n")[1:]  # byte for byte, but the title
    assert messages.say("edit-commit-update", title=f"{old_title} (cập nhật)", path=relative) in git_log(editor["root"])


def test_web_editor_refuses_a_picture_without_imagealt_in_vietnamese(editor, desk, artifacts, tmp_path):
    page = desk
    page.goto(editor["url"] + "/admin/#/collections/articles/new")
    page.locator("[id^='title-field-']").fill("Bài có ảnh mà chưa có mô tả ảnh")
    page.locator("[id^='date-field-']").fill("2024-03-20T16:00")  # the media library shows content/images/2024/
    choose(page, "category", "Tin tức")
    page.get_by_role("button", name="Chọn một hình").click()
    upload = tmp_path / "anh-chua-co-mo-ta.jpg"
    shutil.copy(PICTURE, upload)
    page.locator("input[type=file]").set_input_files(str(upload))
    page.get_by_text(upload.name).wait_for()
    page.get_by_role("button", name="Lấy những cái đã chọn").click()
    commits = git_log(editor["root"])
    publish(page)
    message = messages.say("edit-image-alt-missing")
    page.get_by_text(message).wait_for(timeout=15000)
    page.screenshot(path=str(artifacts / "web-editor-imagealt-1280.png"))
    page.set_viewport_size({"width": 800, "height": 900})
    page.screenshot(path=str(artifacts / "web-editor-imagealt-800.png"))
    assert git_log(editor["root"]) == commits  # nothing saved
    assert not list((editor["root"] / "content/articles/tin-tuc-su-kien").rglob("bai-co-anh-ma-chua-co-mo-ta-anh.md"))


def test_web_editor_export_for_an_editors_host_names_the_git_backend(tmp_path):
    import tasks

    backend = tmp_path / "backend.json"
    backend.write_text(json.dumps({"name": "gitlab", "repo": "so-noi-vu/cong-cchc", "auth_type": "pkce", "app_id": "x", "publish_mode": "editorial_workflow"}))
    target = tmp_path / "bientap"
    tasks._export_editor(str(target), str(backend))
    config = json.loads((target / "admin" / "config.json").read_text(encoding="utf-8"))
    assert config["backend"] == {"name": "gitlab", "repo": "so-noi-vu/cong-cchc", "auth_type": "pkce", "app_id": "x"}
    assert config["publish_mode"] == "editorial_workflow" and "local_backend" not in config and config["portal"]["checks"] is False
    assert (target / "admin" / "decap" / "decap-cms.js").stat().st_size > 1_000_000
    assert (target / "theme" / "css" / "site.css").is_file() and (target / "admin" / "editor.js").is_file()


@pytest.mark.parametrize("inside", ["output/admin", "content/admin"])
def test_web_editor_export_refuses_the_public_sites_folders(tmp_path, inside):
    from invoke.exceptions import Exit

    import tasks

    backend = tmp_path / "backend.json"
    backend.write_text(json.dumps({"name": "gitea", "repo": "a/b"}))
    with pytest.raises(Exit, match="never exported|không xuất"):
        tasks._export_editor(str(ROOT / inside), str(backend))
    assert not (ROOT / inside).exists()


def test_web_editor_refuses_a_document_number_vntext_refuses(editor, desk, artifacts):
    page = desk
    page.goto(editor["url"] + "/admin/#/collections/documents/new")
    page.locator("[id^='number-field-']").fill("35/63")  # a rank, not a number of a document
    choose(page, "kind", "Quyết định")
    page.locator("[id^='issuer-field-']").fill("UBND tỉnh Bình An")
    page.locator("[id^='signed-field-']").fill("2025-03-20")
    page.locator("[id^='title-field-']").fill("Về việc thử số hiệu")
    commits = git_log(editor["root"])
    publish(page)
    page.get_by_text(messages.say("edit-number-invalid")).wait_for(timeout=15000)
    page.screenshot(path=str(artifacts / "web-editor-number-1280.png"))
    assert git_log(editor["root"]) == commits
    page.locator("[id^='number-field-']").fill("125/QĐ-UBND")
    publish(page)
    saved(page)
    path = editor["root"] / "content/documents/2025/125-qd-ubnd.md"
    assert path.read_text(encoding="utf-8") == (
        "Number: 125/QĐ-UBND\nKind: Quyết định\nIssuer: UBND tỉnh Bình An\nSigned: 2025-03-20\nTitle: Về việc thử số hiệu\n"
    )


def test_web_editor_edits_one_cell_of_a_result_table_and_keeps_the_rest_of_the_file(editor, desk, artifacts):
    page = desk
    path = editor["root"] / "content/data/tables/par-index.yaml"
    before = path.read_text(encoding="utf-8")
    page.goto(editor["url"] + "/admin/#/collections/tables/entries/par-index")
    cell = page.locator("[id^='diem-field-']").nth(1)
    assert cell.input_value() == "77.10"  # as written, not as a float
    cell.fill("77,2")  # a decimal comma: the column is a number
    commits = git_log(editor["root"])
    publish(page)
    page.get_by_text(messages.say(TYPES["number"]), exact=False).first.wait_for(timeout=15000)
    page.screenshot(path=str(artifacts / "web-editor-table-1280.png"))
    assert git_log(editor["root"]) == commits
    cell.click()
    page.keyboard.press("Control+A")  # fill() on this re-rendered field appends in Chromium
    page.keyboard.type("77.20")
    try:
        publish(page)
        saved(page)
    finally:
        page.screenshot(path=str(artifacts / "web-editor-table-saved-1280.png"))
    after = path.read_text(encoding="utf-8")
    assert after == before.replace("  - {nam: 2015, diem: 77.10, xep_hang: 40}\n", "  - {nam: 2015, diem: 77.20, xep_hang: 40}\n")
    assert after != before
