"""Nothing from outside content/ reaches the site, and no plugin writes outside the output folder.

Each hostile input is built (as `invoke build` runs Pelican) and checked (as `./portal check` does) on
a copy of the sample content deep in a temporary folder: both must stop with the same file:line, the
build must leave no file anywhere in the temporary tree outside its output and cache folders, and
nothing from outside content/ may be in the output.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

import editorial
from conftest import ROOT, copy_content
from media.pictures import Variant, ensure_variants, local_picture

ARTICLE = "articles/tin-tuc-su-kien/2024/bai-thu.md"
SECRET = "SECRET-7f3a outside content"
PICTURE = ROOT / "content" / "images" / "2024" / "hoi-nghi-tong-ket-cchc-2023.jpg"


def article(extra: str = "", body: str = "Nội dung bài viết.") -> str:
    return f"Title: Bài thử ngoài thư mục nội dung\nDate: 2024-03-20 16:00\nTopics: cai-cach-tthc\nSummary: Tóm tắt.\n{extra}\n{body}\n"


class Tree:
    """tmp/a/b/content (the sample content), tmp/elsewhere (a real picture and a secret file beside
    it), tmp/output and tmp/cache: '../../../elsewhere' from content/ reaches tmp/elsewhere."""

    def __init__(self, root: Path):
        self.root = root
        self.content = copy_content(root / "a" / "b" / "content")
        self.elsewhere = root / "elsewhere"
        self.elsewhere.mkdir()
        shutil.copyfile(PICTURE, self.elsewhere / "pic.jpg")
        (self.elsewhere / "secret.pdf").write_text(SECRET, encoding="utf-8")
        (self.elsewhere / "folder").mkdir()
        (self.elsewhere / "folder" / "secret.txt").write_text(SECRET, encoding="utf-8")
        self.output = root / "output"
        self.cache = root / "cache"

    def write(self, relative: str, text: str) -> Path:
        path = self.content / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def files(self) -> set[Path]:
        return {p for p in self.root.rglob("*") if p.is_file() or p.is_symlink()}

    def build(self) -> subprocess.CompletedProcess:
        env = dict(os.environ, PYTHONIOENCODING="utf-8", COLUMNS="200")
        command = [
            sys.executable,
            "-m",
            "pelican",
            str(self.content),
            "-s",
            "pelicanconf.py",
            "-o",
            str(self.output),
            "--log-handler",
            "plain",
            "-e",
            f'CACHE_PATH="{self.cache}"',
        ]
        return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, env=env, check=False)

    def check(self) -> list[str]:
        settings, problems = editorial.load_settings(str(ROOT / "pelicanconf.py"), str(self.content))
        assert problems == []
        return [str(p) for p in editorial.run_checks(settings, problems) if p.level == "error"]


@pytest.fixture
def tree(tmp_path) -> Tree:
    return Tree(tmp_path)


def at(tree, relative, line=0):
    path = str(tree.content / relative)
    return f"{path}:{line}: " if line else f"{path}: "


# name -> (make the hostile input in the tree, the error's file:line prefix, words of the error)
CASES = {
    "symlinked file": (
        lambda t: (t.content / "files" / "2024" / "x.pdf").symlink_to(t.elsewhere / "secret.pdf"),
        lambda t: at(t, "files/2024/x.pdf"),
        "is a symbolic link to",
    ),
    "symlinked folder": (lambda t: (t.content / "files" / "etc").symlink_to(t.elsewhere / "folder"), lambda t: at(t, "files/etc"), "is a symbolic link to"),
    "symlinked article": (
        lambda t: (t.content / "articles" / "tin-tuc-su-kien" / "2024" / "ngoai.md").symlink_to(t.elsewhere / "secret.pdf"),
        lambda t: at(t, "articles/tin-tuc-su-kien/2024/ngoai.md"),
        "is a symbolic link to",
    ),
    "symlink that stays inside content": (
        lambda t: (t.content / "images" / "ban-sao.jpg").symlink_to(t.content / "images" / "2024" / "hoi-nghi-tong-ket-cchc-2023.jpg"),
        lambda t: at(t, "images/ban-sao.jpg"),
        "may hold only real files and folders",
    ),
    "../ Image": (
        lambda t: t.write(ARTICLE, article("Image: ../../../elsewhere/pic.jpg\nImageAlt: Ảnh\nImageCaption: Ảnh\n")),
        lambda t: at(t, ARTICLE, 5),
        'Image "../../../elsewhere/pic.jpg" leads outside',
    ),
    "../ Attachment": (
        lambda t: t.write(ARTICLE, article("Attachments: files/../../../../elsewhere/secret.pdf\n")),
        lambda t: at(t, ARTICLE, 5),
        'Attachment "files/../../../../elsewhere/secret.pdf" leads outside',
    ),
    "../ in a body picture": (
        lambda t: t.write(ARTICLE, article(body="Ảnh:\n\n![Ảnh](/images/../../../../elsewhere/pic.jpg)")),
        lambda t: at(t, ARTICLE, 8),
        'picture "/images/../../../../elsewhere/pic.jpg" leads outside',
    ),
    "../ in a body link": (
        lambda t: t.write(ARTICLE, article(body="Xem [tệp]({static}../../../../../../elsewhere/secret.pdf).")),
        lambda t: at(t, ARTICLE, 6),
        'link "{static}../../../../../../elsewhere/secret.pdf" leads outside',
    ),
    "../ in a raw HTML picture": (
        lambda t: t.write(ARTICLE, article(body='Ảnh:\n\n<img alt="x"\n     src="/images/../../../../elsewhere/pic.jpg">')),
        lambda t: at(t, ARTICLE, 9),
        'picture "/images/../../../../elsewhere/pic.jpg" leads outside',
    ),
    "percent-encoded ../": (
        lambda t: t.write(ARTICLE, article(body="![Ảnh](/images/%2e%2e/%2E%2E/%2e%2e/%2e%2e/elsewhere/pic.jpg)")),
        lambda t: at(t, ARTICLE, 6),
        'picture "/images/%2e%2e/%2E%2E/%2e%2e/%2e%2e/elsewhere/pic.jpg" leads outside',
    ),
    "absolute path /etc/passwd": (
        lambda t: t.write(ARTICLE, article(body="![Ảnh](/etc/passwd)")),
        lambda t: at(t, ARTICLE, 6),
        'picture "/etc/passwd": there is no file',
    ),
    "file name with spaces and Vietnamese letters": (
        lambda t: (
            shutil.copyfile(PICTURE, t.content / "images" / "2024" / "Hội nghị tổng kết.jpg"),
            t.write(ARTICLE, article("Image: images/2024/Hội nghị tổng kết.jpg\nImageAlt: Ảnh\nImageCaption: Ảnh\n")),
        ),
        lambda t: at(t, "images/2024/Hội nghị tổng kết.jpg"),
        "rename it to hoi-nghi-tong-ket.jpg",
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_build_and_check_stop_with_the_same_file_and_line(tree, case):
    make, where, words = CASES[case]
    before = tree.files()
    make(tree)
    made = tree.files() - before
    checked = [e for e in tree.check() if e.startswith(where(tree)) and words in e]
    assert checked, f"check: expected {where(tree)}...{words} in:\n" + "\n".join(tree.check())
    result = tree.build()
    log = result.stdout + result.stderr
    assert result.returncode == 1, log
    assert f"ERROR: {checked[0]}" in log, f"build and check differ; check said {checked[0]!r}, build:\n{log}"

    appeared = [p for p in tree.files() - before - made if tree.output not in p.parents and tree.cache not in p.parents]
    assert appeared == [], f"the build wrote outside its output and cache: {appeared}"
    published = [p for p in tree.output.rglob("*")] if tree.output.exists() else []
    assert not [p for p in published if p.is_symlink()]
    for path in published:
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes(), path
            assert "elsewhere" not in path.name and "pic-" not in path.name, path


def test_the_build_runs_the_link_check_of_publishing(tree):
    tree.write(ARTICLE, article(body="Xem [kế hoạch](/2099/01/khong-co-bai/)."))
    warnings = [e for e in tree.check() if "khong-co-bai" in e]
    assert warnings == [], "check warns (it cannot know every address); the build knows"
    result = tree.build()
    log = result.stdout + result.stderr
    assert result.returncode == 1, log
    assert "ERROR: 2024/03/bai-thu-ngoai-thu-muc-noi-dung/index.html:" in log and ": /2099/01/khong-co-bai/ leads nowhere" in log, log
    assert "Build failed: 1 broken link(s)" in log, log


def test_sample_content_builds_with_the_link_check(tree):
    result = tree.build()
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tree.output / "index.html").is_file()


# --- the last guards, for forms the checks do not read ------------------------------------------


def test_pictures_outside_content_are_never_local():
    assert local_picture("/images/2024/a.jpg") == "images/2024/a.jpg"
    assert local_picture("{static}/images/a.jpg") == "images/a.jpg"
    for src in ("/images/../../x.jpg", "/images/%2e%2e/%2e%2e/x.jpg", "images/&#46;&#46;/../x.jpg", "{static}/images/..\\..\\x.jpg"):
        assert local_picture(src) is None, src


def test_responsive_copies_never_read_or_write_outside(tmp_path):
    content, cache, out = tmp_path / "content", tmp_path / "cache", tmp_path / "out"
    (content / "images").mkdir(parents=True)
    Image.new("RGB", (600, 300)).save(tmp_path / "pic.jpg")
    Image.new("RGB", (600, 300)).save(content / "images" / "a.jpg")
    outside = [Variant("images/../../pic.jpg", 480, "jpg"), Variant("../pic.jpg", 480, "webp")]
    assert ensure_variants(outside + [Variant("images/a.jpg", 480, "jpg")], str(content), str(cache), str(out)) == (1, 0)
    written = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file() and "cache" not in p.parts)
    assert written == ["content/images/a.jpg", "out/images/_sizes/a-480.jpg", "pic.jpg"]


def test_static_files_outside_content_or_output_are_refused(tmp_path):
    from strict.checks import unsafe_static_files

    content, output = tmp_path / "content", tmp_path / "output"
    (content / "files").mkdir(parents=True)
    (content / "files" / "a.pdf").write_text("a", encoding="utf-8")
    (tmp_path / "secret.pdf").write_text(SECRET, encoding="utf-8")
    (content / "files" / "link.pdf").symlink_to(tmp_path / "secret.pdf")
    files = [
        (str(content / "files" / "a.pdf"), "files/a.pdf"),
        (str(content / "files" / ".." / ".." / "secret.pdf"), "../secret.pdf"),
        (str(content / "files" / "link.pdf"), "files/link.pdf"),
        (str(content / "files" / "a.pdf"), "../../a.pdf"),
    ]
    refused = unsafe_static_files(str(content), str(output), files)
    assert [source for source, _ in refused] == [f[0] for f in files[1:]]
    assert "outside the output folder" in str(refused[-1][1])


# --- the link check the build now runs on every page: same findings, less work ------------------

TRICKY_PAGES = {
    "plain": '<!DOCTYPE html>\n<html><body>\n<a href="/a/">a</a> <img src="/b.jpg" alt="">\n<br/><img src="/c.png"/></body></html>',
    "srcset": '<picture><source type="image/webp" srcset="/x-480.webp 480w, /x-800.webp 800w">\n<img srcset="/x.jpg 1x" src="/x.jpg"></picture>',
    "script writing a tag": '<script src="/theme/js/a.js"></script>\n<script>document.write(\'<a href="/in-script/">\');</script>\n<a href="/after/">x</a>',
    "script content": '<script src="/theme/js/a.js"></script>\n<script>var s = "<a href=\'/in-script\'>";</script>\n<a href="/after/">x</a>',
    "multi-line tag": '<a class="x"\n   href="/r/">r</a>\n<img\nsrc="/s.jpg">',
    "quoted >": '<a title="a > b" href="/q/">q</a>',
    "< in a value": "<a title='<b>' href=\"/r/\">r</a>",
    "entities and case": '<A HREF="/t?a=1&amp;b=2">t</A>\n<a href="/&#x63;/">c</a> <a href=/bare>b</a> <a href="">e</a>',
    "comment": '<!-- <a href="/commented/"> -->\n<a href="/shown/">s</a>',
    "style": '<style>a[href="/css/"] {}</style><a href="/s/">s</a>',
    "end tag over a tag": '</p <a href="/hidden/">\n<a href="/shown/">s</a>',
    "unfinished tag": '<a href="/ok/">ok</a>\n<a href="/cut/"',
    "bogus tag": '<a href="/ok/">ok</a> <a href="/x/" <b>',
    "long s": '<a \u017frc="/x/" title="H\u017fS">x</a> <img class="Src" SRC="/y.jpg"> <a hrEF="/z/">z</a>',
    "quoted > in text": '<p>Điều kiện a = "b > c"</p>\n<a href="/d/">d</a>',
}


@pytest.mark.parametrize("name", list(TRICKY_PAGES))
def test_the_fast_page_reader_finds_what_htmlparser_finds(name):
    import publishing

    text = TRICKY_PAGES[name]
    parser = publishing._Links()
    parser.feed(text)
    assert publishing.page_links(text) == parser.found
    assert publishing.page_links(text, {}) == parser.found
    # The others go to HTMLParser; "script content" too, for its quoted text with a ">" after an "=".
    fast = {"plain", "srcset", "script writing a tag", "multi-line tag", "entities and case", "long s"}
    assert (publishing._fast_links(text) is not None) == (name in fast)


def test_the_fast_page_reader_reads_every_sample_page_as_htmlparser_does(site):
    import publishing

    seen: dict = {}
    for page in site.html_files():
        text = page.read_text(encoding="utf-8")
        parser = publishing._Links()
        parser.feed(text)
        fast = publishing._fast_links(text, seen)
        assert fast is not None, f"{page}: the theme's pages should not need HTMLParser"
        assert fast == parser.found, page


def test_addresses_are_decoded_as_browsers_and_pelican_read_them():
    from sourcefiles import content_relative, leads_outside

    assert content_relative("/images/2024/a.jpg") == "images/2024/a.jpg"
    assert content_relative("images/2024/../a.jpg#x") == "images/a.jpg"
    assert [content_relative(a) for a in ("https://x.vn/a", "//x.vn/a", "#muc", "mailto:a@b.vn", "", "/")] == [None] * 5 + [""]
    assert content_relative("{static}../../../images/a.jpg", "articles/tin-tuc-su-kien/2024") == "images/a.jpg"
    assert content_relative("{filename}/pages/gioi-thieu.md", "articles/x/2024") == "pages/gioi-thieu.md"
    for address, folder in [
        ("/images/%2e%2e/%2E%2E/x.jpg", ""),
        ("/images/&#46;&#46;/&#46;&#46;/x.jpg", ""),
        ("/images/..\\..\\x.jpg", ""),
        ("{attach}../../../../x.pdf", "articles/tin-tuc-su-kien/2024"),
        ("|static|../../x.pdf", "pages"),
        ("../x.pdf", ""),
    ]:
        assert leads_outside(content_relative(address, folder)), address
