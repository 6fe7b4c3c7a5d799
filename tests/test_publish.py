"""invoke publish: build, check, precompress, switch atomically; a failure leaves the old site."""

from __future__ import annotations

import gzip
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import brotli
import pytest

import publishing
from conftest import ROOT
from publishing import PublishError, check_site, compress_site, new_release, prepare_release, publish_gh_pages, publish_rsync, rsync_commands, switch


def page(folder: Path, relative: str, html: str) -> None:
    path = folder / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8")


def test_check_site_reports_broken_links_and_assets(tmp_path):
    page(
        tmp_path,
        "index.html",
        '<a href="/a/">a</a>\n<img src="/img/x.jpg" srcset="/img/x.jpg 1x, /img/missing.webp 2x">\n<a href="https://example.org/">x</a>\n<a href="https://cchc.example.vn/b/">b</a>',
    )
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


def test_release_names_are_unique_within_a_second_and_sort_in_order(tmp_path):
    dest = tmp_path / "site"
    made = [new_release(dest) for _ in range(5)]
    names = [release.name for release, _building in made]
    assert len(set(names)) == 5 and names == sorted(names)
    assert all(building.is_dir() and building.name == f"{release.name}.building" for release, building in made), "the name is taken at once"


def test_the_destination_is_never_resolved_through_its_link(tmp_path):
    dest = tmp_path / "www" / "site"
    release = prepare_release(lambda folder: page(Path(folder), "index.html", "a"), dest)
    switch(dest, release)
    assert publishing.destination(dest) == dest
    assert publishing.destination(f"{dest}/") == dest
    (tmp_path / "elsewhere").symlink_to(tmp_path / "www")
    assert publishing.destination(tmp_path / "elsewhere" / "site") == dest, "only the parent folder is resolved"


def test_a_switch_flattens_the_nested_releases_of_older_versions(tmp_path):
    # What three publishes made with versions that resolved the destination (R1, R2, R3): a chain of
    # links, each release nested in the hidden folder of the one before.
    releases = tmp_path / ".site.releases"
    r1, r2, r3 = "20261201-100000", "20261201-110000", "20261201-120000"
    page(releases / f".{r1}.releases" / "before-first-publish", "index.html", "1")
    page(releases / f".{r1}.releases" / f".{r2}.releases" / "before-first-publish", "index.html", "2")
    page(releases / f".{r1}.releases" / f".{r2}.releases" / r3, "index.html", "3")
    (releases / f".{r1}.releases" / r2).symlink_to(f".{r2}.releases/{r3}")
    (releases / r1).symlink_to(f".{r1}.releases/{r2}")
    (tmp_path / "site").symlink_to(f".site.releases/{r1}")
    assert (tmp_path / "site" / "index.html").read_text(encoding="utf-8") == "3"
    release = prepare_release(lambda folder: page(Path(folder), "index.html", "4"), tmp_path / "site")
    switch(tmp_path / "site", release, keep=3)
    assert (tmp_path / "site" / "index.html").read_text(encoding="utf-8") == "4"
    assert sorted(p.name for p in releases.iterdir()) == [r3, release.name], "flat: real release folders only"
    assert (releases / r3 / "index.html").read_text(encoding="utf-8") == "3", "the last real release is kept"
    assert not [p for p in tmp_path.rglob("*") if p.is_symlink() and p != tmp_path / "site"]


def switches_watched(monkeypatch, site: Path) -> list[str]:
    """Records every rename and replace during which the site could not be read (it must never happen)."""
    vanished = []
    for name in ("rename", "replace"):
        original = getattr(os, name)

        def watched(source, target, *args, _original=original, _name=name, **kwargs):
            _original(source, target, *args, **kwargs)
            if not (site / "index.html").is_file():
                vanished.append(f"after os.{_name}({source}, {target})")

        monkeypatch.setattr(os, name, watched)
    return vanished


def test_adopting_a_plain_folder_never_leaves_the_destination_empty(tmp_path, monkeypatch):
    dest = tmp_path / "site"
    page(dest, "index.html", "hand-made site")
    release = prepare_release(lambda folder: page(Path(folder), "index.html", "release"), dest)
    vanished = switches_watched(monkeypatch, dest)
    switch(dest, release)
    assert vanished == []
    assert dest.is_symlink() and (dest / "index.html").read_text(encoding="utf-8") == "release"
    adopted = tmp_path / ".site.releases" / "before-first-publish"
    assert (adopted / "index.html").read_text(encoding="utf-8") == "hand-made site"


def test_leftovers_of_a_killed_run_are_removed_by_the_next(tmp_path):
    dest = tmp_path / "site"
    good = prepare_release(lambda folder: page(Path(folder), "index.html", "good"), dest)
    switch(dest, good)
    _release, building = new_release(dest)  # killed while building
    page(building, "index.html", "half")
    (tmp_path / f".site.link-{os.getpid() + 1}").symlink_to(".site.releases/x")  # killed before its switch
    publishing.remove_leftovers(dest)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.releases", "site"]
    assert [p.name for p in (tmp_path / ".site.releases").iterdir()] == [good.name]
    assert (dest / "index.html").read_text(encoding="utf-8") == "good"


def test_a_second_holder_of_the_lock_waits_and_says_for_whom(tmp_path):
    path = tmp_path / ".site.releases" / ".lock"
    said, order = [], []
    with publishing.lock(path, "a publish to /srv/site"):

        class Out:
            def write(self, text):
                said.append(text)

            def flush(self):
                pass

        def second():
            with publishing.lock(path, "another publish", out=Out()):
                order.append("second")

        thread = threading.Thread(target=second)
        thread.start()
        time.sleep(0.5)
        order.append("first done")
    thread.join(10)
    assert order == ["first done", "second"]
    assert f"{path}: waiting for a publish to /srv/site (pid {os.getpid()}) to finish" in "".join(said)


def test_a_failed_check_removes_the_release_and_keeps_the_site(tmp_path):
    dest = tmp_path / "site"
    good = prepare_release(lambda folder: page(Path(folder), "index.html", "good"), dest)
    switch(dest, good)
    with pytest.raises(PublishError, match="1 broken link"):
        prepare_release(lambda folder: page(Path(folder), "index.html", '<a href="/khong-co/">x</a>'), dest)
    assert (dest / "index.html").read_text(encoding="utf-8") == "good"
    assert [p.name for p in (tmp_path / ".site.releases").iterdir() if p.is_dir()] == [good.name]


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

    # A link that leads nowhere: the build's own link check (plugins/strict) refuses it, so publish
    # needs no second one; the site online stays as it was.
    broken.write_text("Title: Bài có liên kết hỏng\nDate: 2024-02-20 09:00\nSummary: x\n\nXem [bài cũ](/2024/02/khong-co-bai-nay/).\n", encoding="utf-8")
    failed = invoke_publish("--dest", str(dest), "--content", str(content_copy))
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "/2024/02/khong-co-bai-nay/ leads nowhere" in failed.stdout + failed.stderr
    assert dest.resolve() == first and (dest / "index.html").read_text(encoding="utf-8") == home
    assert not [p for p in (dest.parent / ".site.releases").iterdir() if p.name.endswith(".building")]


def test_publish_without_a_target_says_what_to_do():
    result = invoke_publish()
    assert result.returncode == 2 and "--dest PATH" in result.stdout + result.stderr


def fake_ssh_host(root: Path):
    """Runs the SSH and rsync commands against a folder standing in for the server (its /bin/sh: dash on Debian)."""

    def run(command):
        if command[0] == "ssh":
            subprocess.check_call(["sh", "-c", command[2].replace("/srv/", f"{root}/srv/")])
        elif command[0] == "rsync":
            source, target = command[-2], command[-1].split(":", 1)[1]
            shutil.copytree(source, f"{root}{target}", dirs_exist_ok=True)
        else:
            raise AssertionError(command)

    return run


def test_rsync_target_switches_the_server_atomically(tmp_path):
    server = tmp_path / "server"
    (server / "srv/cchc/site").mkdir(parents=True)
    (server / "srv/cchc/site/index.html").write_text("hand-made site", encoding="utf-8")
    releases = server / "srv/cchc/.site.releases"
    names = []
    for number in range(5):
        release = tmp_path / "local" / f"2026010{number}-120000-000000"
        page(release, "index.html", f"release {number}")
        if number == 3:  # uploads a killed publish left: a fresh one may be another upload still going on
            for stale, age in (("20251231-000000-000000.building", 2 * 86400), ("20260102-230000-000000.building", 60)):
                (releases / stale).mkdir()
                os.utime(releases / stale, (time.time() - age, time.time() - age))
        publish_rsync(release, "deploy@cchc.example.vn:/srv/cchc/site", keep=3, run=fake_ssh_host(server))
        names.append(release.name)
        site = server / "srv/cchc/site"
        assert site.is_symlink() and (site / "index.html").read_text(encoding="utf-8") == f"release {number}"
        assert os.readlink(site) == f".site.releases/{release.name}", "one level: the link names a real release folder"
    # Flat: the live release and the two newest others, real folders; the adopted site pruned as the oldest.
    folders = sorted(p.name for p in releases.iterdir() if p.is_dir())
    assert folders == sorted([*names[-3:], "20260102-230000-000000.building"])
    assert not [p for p in releases.iterdir() if p.is_symlink()]
    assert sorted(p.name for p in (server / "srv/cchc").iterdir()) == [".site.releases", "site"], "no link or folder left beside the site"
    commands = rsync_commands(release, "deploy@cchc.example.vn:/srv/cchc/site")
    assert (
        commands[1][:3] == ["rsync", "-a", "--delete"] and commands[1][-1] == "deploy@cchc.example.vn:/srv/cchc/.site.releases/20260104-120000-000000.building/"
    )
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


def test_a_release_the_build_has_checked_is_not_read_again(tmp_path):
    dest = tmp_path / "site"
    # The build says it has checked its folder (as the strict plugin does): a broken link it let through
    # (here, written by a fake build) is not looked for again.
    release = prepare_release(lambda folder: page(Path(folder), "index.html", '<a href="/khong-co/">x</a>'), dest, checked=True)
    assert (release / "index.html").is_file()
    with pytest.raises(PublishError, match="1 broken link"):
        prepare_release(lambda folder: page(Path(folder), "index.html", '<a href="/khong-co/">x</a>'), dest)
