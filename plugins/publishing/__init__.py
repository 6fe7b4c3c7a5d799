"""Publishing a built site without ever leaving a half site online.

A library for `invoke publish` (no ``register``). The steps, each a plain function:
1. build with production settings into a fresh release folder beside the destination;
2. check it: every site-relative link, picture, stylesheet and script resolves to a file;
3. write gzip and brotli copies of text files, for the web server's precompressed serving;
4. switch the destination to the new release atomically: the destination is a symlink, and one
   rename(2) replaces it, so a reader gets either the old site or the new one, never a mixture.
A failure at any step leaves the destination as it was. Old releases beyond ``keep`` are removed.

Other targets take the checked, compressed release: rsync over SSH (to a release folder on the
server, then the same symlink switch there) and a GitHub Pages branch (one commit per publish).
"""

from __future__ import annotations

import gzip
import os
import shlex
import shutil
import subprocess
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import brotli

TEXT_SUFFIXES = {".html", ".css", ".js", ".mjs", ".json", ".xml", ".txt", ".svg", ".csv", ".map"}
MIN_COMPRESS = 256  # bytes: smaller files are not worth a compressed copy


class PublishError(Exception):
    pass


# --- 2. check ------------------------------------------------------------------------------------


class _Links(HTMLParser):
    """Collects the site-relative addresses a page refers to, with their line numbers."""

    ATTRIBUTES = {"href", "src", "poster", "data-src"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str]] = []

    def handle_starttag(self, tag, attrs):
        line = self.getpos()[0]
        for name, value in attrs:
            if not value:
                continue
            if name in self.ATTRIBUTES:
                self.found.append((line, value))
            elif name in ("srcset", "imagesrcset"):
                self.found += [(line, part.split()[0]) for part in value.split(",") if part.strip()]


def _target(output: Path, page: Path, address: str, siteurl: str = "") -> Path | None:
    """The file an address leads to, or None when it is not an address inside the site."""
    if siteurl and (address == siteurl or address.startswith(siteurl + "/")):
        address = address[len(siteurl):] or "/"
    parts = urlsplit(address)
    if parts.scheme or parts.netloc or address.startswith(("#", "mailto:", "tel:", "data:")):
        return None
    path = unquote(parts.path)
    if not path:
        return None
    base = output if path.startswith("/") else page.parent
    target = (base / path.lstrip("/")).resolve()
    if path.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target


def check_site(output: str | Path, siteurl: str = "") -> list[str]:
    """Broken internal links and missing assets in every page: 'page:line: address' for each.

    Absolute addresses under ``siteurl`` (production pages use them) count as internal.
    """
    output = Path(output).resolve()
    siteurl = siteurl.rstrip("/")
    broken = []
    exists: dict[Path, bool] = {}
    for page in sorted(output.rglob("*.html")):
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8"))
        for line, address in parser.found:
            target = _target(output, page, address, siteurl)
            if target is None:
                continue
            if target not in exists:
                exists[target] = target.is_file()
            if not exists[target] or not str(target).startswith(str(output)):
                broken.append(f"{page.relative_to(output)}:{line}: {address} leads nowhere")
    return broken


# --- 3. compress ---------------------------------------------------------------------------------


def compress_site(output: str | Path) -> int:
    """Write file.gz and file.br beside each text file; returns how many files were compressed."""
    count = 0
    for path in Path(output).rglob("*"):
        if path.suffix not in TEXT_SUFFIXES or not path.is_file() or path.stat().st_size < MIN_COMPRESS:
            continue
        data = path.read_bytes()
        with open(f"{path}.gz", "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as handle:
            handle.write(data)
        Path(f"{path}.br").write_bytes(brotli.compress(data, quality=11))
        count += 1
    return count


# --- 4. release ----------------------------------------------------------------------------------


def releases_folder(dest: Path) -> Path:
    return dest.parent / f".{dest.name}.releases"


def new_release_path(dest: Path) -> Path:
    folder = releases_folder(dest)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    candidate = folder / stamp
    number = 1
    while candidate.exists() or Path(f"{candidate}.building").exists():
        number += 1
        candidate = folder / f"{stamp}-{number}"
    return candidate


def switch(dest: Path, release: Path, keep: int = 3) -> None:
    """Point dest at release with one atomic rename; keep the newest `keep` releases."""
    dest = Path(dest)
    if dest.exists() and not dest.is_symlink():
        # First publish over a plain folder: keep it as a release, then manage dest as a link.
        adopted = releases_folder(dest) / "before-first-publish"
        if adopted.exists():
            raise PublishError(f"{dest} is a folder and {adopted} exists; move one of them away")
        os.rename(dest, adopted)
    link = dest.parent / f".{dest.name}.link-{os.getpid()}"
    if link.is_symlink() or link.exists():
        link.unlink()
    os.symlink(os.path.relpath(release, dest.parent), link)
    os.replace(link, dest)  # rename(2): atomic
    current = release.resolve()
    folders = sorted((p for p in releases_folder(dest).iterdir() if p.is_dir() and not p.name.endswith(".building")), key=lambda p: p.stat().st_mtime)
    for old in folders[:-keep] if keep else []:
        if old.resolve() != current:
            shutil.rmtree(old, ignore_errors=True)


def prepare_release(build, dest: Path, siteurl: str = "") -> Path:
    """Build (by calling build(folder)), check and compress a new release; on failure remove it."""
    release = new_release_path(dest)
    building = Path(f"{release}.building")
    try:
        build(str(building))
        broken = check_site(building, siteurl)
        if broken:
            shown = "\n".join(broken[:50]) + (f"\n... and {len(broken) - 50} more" if len(broken) > 50 else "")
            raise PublishError(f"{len(broken)} broken link(s) or missing file(s); nothing was published:\n{shown}")
        compress_site(building)
        os.rename(building, release)
        return release
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise


# --- other targets -------------------------------------------------------------------------------


def rsync_commands(release: Path, target: str, keep: int = 3) -> list[list[str]]:
    """Commands that upload a release over SSH and switch the server's site to it atomically.

    target is "user@host:/srv/cchc/site": the release goes to /srv/cchc/.site.releases/<name>/, hard
    linking unchanged files to the previous release, then site is switched with the same
    symlink-and-rename as a local publish.
    """
    host, _, path = target.partition(":")
    if not host or not path.startswith("/"):
        raise PublishError(f'rsync target "{target}" must look like user@host:/absolute/path')
    site = Path(path)
    releases = releases_folder(site)
    remote_release = releases / release.name
    script = (
        f"set -e; cd {shlex.quote(str(site.parent))}; "
        f"ln -sfn {shlex.quote(str(remote_release.relative_to(site.parent)))} {shlex.quote('.' + site.name + '.link')}; "
        f"if [ -d {shlex.quote(site.name)} ] && [ ! -L {shlex.quote(site.name)} ]; then mv {shlex.quote(site.name)} {shlex.quote(str(releases.relative_to(site.parent)) + '/before-first-publish')}; fi; "
        f"mv -T {shlex.quote('.' + site.name + '.link')} {shlex.quote(site.name)}; "
        f"ls -1dt {shlex.quote(str(releases.relative_to(site.parent)))}/*/ | tail -n +{keep + 1} | xargs -r rm -rf"
    )
    return [
        ["ssh", host, f"mkdir -p {shlex.quote(str(releases))}"],
        # Unchanged files are hard links to the live release (the symlink's target): a quick upload.
        ["rsync", "-a", "--delete", f"--link-dest={site}/", f"{release}/", f"{host}:{remote_release}/"],
        ["ssh", host, script],
    ]


def publish_rsync(release: Path, target: str, keep: int = 3, run=subprocess.check_call) -> None:
    for command in rsync_commands(release, target, keep):
        run(command)


def publish_gh_pages(release: Path, repository: str, branch: str = "gh-pages", push: str | None = "origin", message: str | None = None) -> str:
    """Commit the release as the whole tree of `branch` (one commit per publish); push if asked.

    Uses a private index so the working tree and the editor's index are never touched.
    """
    (release / ".nojekyll").touch()
    env = dict(os.environ, GIT_INDEX_FILE=str(release.parent / f".index-{os.getpid()}"))
    if not subprocess.run(["git", "-C", repository, "config", "user.name"], capture_output=True, text=True).stdout.strip():
        # A CI runner often has no git identity; the commit still needs one.
        for key in ("GIT_AUTHOR_NAME", "GIT_COMMITTER_NAME"):
            env.setdefault(key, "Portal publisher")
        for key in ("GIT_AUTHOR_EMAIL", "GIT_COMMITTER_EMAIL"):
            env.setdefault(key, "publisher@localhost")

    def git(*args, capture=True):
        done = subprocess.run(["git", "-C", repository, *args], env=env, check=True, capture_output=capture, text=True)
        return (done.stdout or "").strip()

    try:
        git("--work-tree", str(release), "add", "-A", ".")
        tree = git("write-tree")
        parent = subprocess.run(["git", "-C", repository, "rev-parse", "--verify", "-q", f"refs/heads/{branch}"], capture_output=True, text=True).stdout.strip()
        args = ["commit-tree", tree, "-m", message or f"Publish site {time.strftime('%Y-%m-%d %H:%M:%S')}"]
        if parent:
            args += ["-p", parent]
        commit = git(*args)
        git("update-ref", f"refs/heads/{branch}", commit)
    finally:
        Path(env["GIT_INDEX_FILE"]).unlink(missing_ok=True)
    if push:
        git("push", push, f"refs/heads/{branch}:refs/heads/{branch}", capture=False)
    return commit
