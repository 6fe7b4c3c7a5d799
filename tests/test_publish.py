"""invoke publish: build, check, precompress, switch atomically; a failure leaves the old site."""

from __future__ import annotations

import brotli
import gzip
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from publishing import PublishError, check_site, compress_site, prepare_release, publish_gh_pages, publish_rsync, rsync_commands, switch

from conftest import ROOT


def page(folder: Path, relative: str, html: str) -> None:
    path = folder / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8")


def test_check_site_reports_broken_links_and_assets(tmp_path):
    page(tmp_path, "index.html", '<a href="/a/">a</a>\n<img src="/img/x.jpg" srcset="/img/x.jpg 1x, /img/missing.webp 2x">\n<a href="https://example.org/">x</a>\n<a href="https://cchc.example.vn/b/">b</a>')
    page(tmp_path, "a/index.html", '<link rel="stylesheet" href="../style.css"><a href="#top">top</a><a href="mailto:a@b.vn">m</a>')
    (tmp_path / "img").mkdir()
    (tmp_path / "img" / "x.jpg").write_bytes(b"x")
    broken = check_site(tmp_path, "https://cchc.example.vn")
    assert broken == [
        "a/index.html:1: ../style.css leads nowhere",
        "index.html:2: /img/missing.webp leads nowhere",
        "index.html:4: https://cchc.example.vn/b/ leads nowhere",
    ]


def test_compressed_copies_decompress_to_the_original(tmp_path):
    text = "<p>Cải cách hành chính</p>" * 50
    page(tmp_path, "index.html", text)
    (tmp_path / "a.jpg").write_bytes(b"\xff" * 5000)
    page(tmp_path, "tiny.css", "a{}")
    assert compress_site(tmp_path) == 1
    assert gzip.decompress((tmp_path / "index.html.gz").read_bytes()).decode() == text
    assert brotli.decompress((tmp_path / "index.html.br").read_bytes()).decode() == text
    assert not (tmp_path / "a.jpg.gz").exists() and not (tmp_path / "tiny.css.gz").exists()


def test_switch_is_a_symlink_swap_and_keeps_recent_releases(tmp_path):
    dest = tmp_path / "site"
    dest.mkdir()
    (dest / "index.html").write_text("hand-made site", encoding="utf-8")
    releases = []
    for number in range(5):
        release = prepare_release(lambda folder, n=number: page(Path(folder), "index.html", f"release {n}"), dest)
        switch(dest, release, keep=2)
        releases.append(release)
        assert dest.is_symlink() and (dest / "index.html").read_text(encoding="utf-8") == f"release {number}"
    kept = sorted(p.name for p in (tmp_path / ".site.releases").iterdir())
    assert kept == sorted([releases[-2].name, releases[-1].name])


def test_a_failed_check_removes_the_release_and_keeps_the_site(tmp_path):
    dest = tmp_path / "site"
    good = prepare_release(lambda folder: page(Path(folder), "index.html", "good"), dest)
    switch(dest, good)
    with pytest.raises(PublishError, match="1 broken link"):
        prepare_release(lambda folder: page(Path(folder), "index.html", '<a href="/khong-co/">x</a>'), dest)
    assert (dest / "index.html").read_text(encoding="utf-8") == "good"
    assert [p.name for p in (tmp_path / ".site.releases").iterdir()] == [good.name]


def invoke_publish(*args):
    return subprocess.run([sys.executable, "-m", "invoke", "publish", *args], cwd=ROOT, capture_output=True, text=True, check=False)


def test_invoke_publish_end_to_end_and_failure_keeps_the_old_site(tmp_path, content_copy):
    dest = tmp_path / "www" / "site"
    dest.parent.mkdir()
    result = invoke_publish("--dest", str(dest))
    assert result.returncode == 0, result.stdout + result.stderr
    assert dest.is_symlink()
    home = (dest / "index.html").read_text(encoding="utf-8")
    assert 'href="https://cchc.binhan.gov.vn/' in home, "production settings: absolute public addresses"
    assert gzip.decompress((dest / "index.html.gz").read_bytes()).decode() == home
    assert (dest / "theme/css/site.css.br").is_file()
    assert oct(os.stat(dest.resolve()).st_mode & 0o777) == "0o755", "the web server can read the release"
    first = dest.resolve()

    # A content error: the build fails, nothing changes online, nothing is left half-built.
    broken = content_copy / "articles" / "tin-tuc-su-kien" / "2024" / "bai-loi.md"
    broken.write_text("Title: Bài lỗi\nDate: 2024-02-31\n\nx\n", encoding="utf-8")
    failed = invoke_publish("--dest", str(dest), "--content", str(content_copy))
    assert failed.returncode == 1
    assert 'bai-loi.md:2: Date "2024-02-31" is not a date' in failed.stdout + failed.stderr
    assert dest.resolve() == first and (dest / "index.html").read_text(encoding="utf-8") == home
    assert not [p for p in (dest.parent / ".site.releases").iterdir() if p.name.endswith(".building")]


def test_publish_without_a_target_says_what_to_do():
    result = invoke_publish()
    assert result.returncode == 2 and "--dest PATH" in result.stdout + result.stderr


def fake_ssh_host(root: Path):
    """Runs the SSH and rsync commands against a folder standing in for the server."""

    def run(command):
        if command[0] == "ssh":
            subprocess.check_call(["bash", "-c", command[2].replace("/srv/", f"{root}/srv/")])
        elif command[0] == "rsync":
            source, target = command[-2], command[-1].split(":", 1)[1]
            shutil.copytree(source, f"{root}{target}", dirs_exist_ok=True)
        else:
            raise AssertionError(command)

    return run


def test_rsync_target_switches_the_server_atomically(tmp_path):
    server = tmp_path / "server"
    (server / "srv/cchc").mkdir(parents=True)
    for number in range(4):
        release = tmp_path / "local" / f"2026010{number}-120000"
        page(release, "index.html", f"release {number}")
        publish_rsync(release, "deploy@cchc.example.vn:/srv/cchc/site", keep=2, run=fake_ssh_host(server))
        site = server / "srv/cchc/site"
        assert site.is_symlink() and (site / "index.html").read_text(encoding="utf-8") == f"release {number}"
    assert len(list((server / "srv/cchc/.site.releases").iterdir())) == 2
    commands = rsync_commands(release, "deploy@cchc.example.vn:/srv/cchc/site")
    assert commands[1][:3] == ["rsync", "-a", "--delete"] and commands[1][-1] == "deploy@cchc.example.vn:/srv/cchc/.site.releases/20260103-120000/"
    with pytest.raises(PublishError):
        rsync_commands(release, "cchc.example.vn/srv")


def test_gh_pages_branch_gets_one_commit_per_publish(tmp_path):
    remote = tmp_path / "remote.git"
    repo = tmp_path / "repo"
    subprocess.check_call(["git", "init", "-q", "--bare", str(remote)])
    subprocess.check_call(["git", "init", "-q", str(repo)])
    subprocess.check_call(["git", "-C", str(repo), "remote", "add", "origin", str(remote)])
    (repo / "README.md").write_text("work in progress", encoding="utf-8")
    for number in range(2):
        release = tmp_path / f"release{number}"
        page(release, "index.html", f"release {number}")
        page(release, "theme/css/site.css", "body{}")
        publish_gh_pages(release, str(repo), push="origin")
    files = subprocess.check_output(["git", "-C", str(remote), "ls-tree", "-r", "--name-only", "gh-pages"], text=True).split()
    assert files == [".nojekyll", "index.html", "theme/css/site.css"]
    assert subprocess.check_output(["git", "-C", str(remote), "show", "gh-pages:index.html"], text=True) == "release 1"
    assert subprocess.check_output(["git", "-C", str(remote), "rev-list", "--count", "gh-pages"], text=True).strip() == "2"
    assert subprocess.check_output(["git", "-C", str(repo), "status", "--porcelain"], text=True) == "?? README.md\n", "the work tree and index are untouched"
