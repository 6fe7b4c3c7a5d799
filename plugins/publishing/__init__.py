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
import re
import shlex
import shutil
import subprocess
import time
from html import parser as _html_parser
from html import unescape
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


# Pages as the theme writes them (no comment, processing instruction, <style> or declaration
# other than the doctype) are read by _fast_links; any other page by _Links itself.
_UNUSUAL = re.compile(r"<(?:!(?!doctype)|\?|style)", re.I)
_SCRIPT_END = re.compile(r"</\s*script\s*>", re.I)
# HTMLParser skips an end tag or the doctype to its ">", also over a "<": such pages go to _Links.
_AFTER_END_TAG = re.compile(r"<[/!][^>]*<")


# A whole start tag as HTMLParser's check_for_whole_start_tag accepts it: its own expression, kept
# from backtracking (atomic), then ">" or "/>".
_TAG_OPEN = re.compile(r"<[a-zA-Z]")
# Once no quoted attribute value holds a ">" (_QUOTED_GT), a tag ends at its first ">", and a tag
# holds an attribute _Links reads only if "href", "src" or "poster" (in the name of each of them)
# occurs before that ">".
_QUOTED_GT = re.compile(r"""<[a-zA-Z][^>]*?=\s*(?:"[^"]*>|'[^']*>)""")
# The same expression after a literal "<", so that the search only stops at a "<".
_AFTER_OPEN = _html_parser.locatestarttagend_tolerant.pattern.lstrip()[1:]
_CANDIDATE_TAG = re.compile(r"<(?=(?i:script)|[a-zA-Z][^>]*?(?i:href|src|poster))(?>" + _AFTER_OPEN + r")/?>", re.VERBOSE)
_START_TAG = re.compile(r"<(?>" + _AFTER_OPEN + r")/?>", re.VERBOSE)


def _read_tag(tag: str) -> tuple[list[str], bool] | None:
    """The addresses in one whole start tag, as _Links records them, and whether it opens a script;
    None when HTMLParser would not take it as a start tag (then _Links reads the page)."""
    name_match = _html_parser.tagfind_tolerant.match(tag, 1)
    k, end = name_match.end(), len(tag)
    attributes = []
    while k < end:
        match = _html_parser.attrfind_tolerant.match(tag, k)
        if not match:
            break
        name, rest, value = match.group(1, 2, 3)
        if not rest:
            value = None
        elif value[:1] == "'" == value[-1:] or value[:1] == '"' == value[-1:]:
            value = value[1:-1]
        attributes.append((name.lower(), unescape(value) if value else value))
        k = match.end()
    close = tag[k:].strip()
    if close not in (">", "/>"):
        return None
    addresses = []
    for name, value in attributes:
        if not value:
            continue
        if name in _Links.ATTRIBUTES:
            addresses.append(value)
        elif name in ("srcset", "imagesrcset"):
            addresses += [part.split()[0] for part in value.split(",") if part.strip()]
    return addresses, name_match.group(1).lower() == "script" and not close.endswith("/>")


def _fast_links(text: str, tags_seen: dict | None = None) -> list[tuple[int, str]] | None:
    """What _Links finds in a page, with HTMLParser's own tag and attribute expressions but without
    its per-tag Python work (the build checks every page): only tags that hold an attribute this
    check reads, or open a script, are visited, each distinct tag taken apart once (``tags_seen``
    keeps them across pages: the menu and footer are the same on every page). None when the page
    holds anything this reader does not follow exactly as HTMLParser does (then _Links reads it)."""
    if _UNUSUAL.search(text) or _AFTER_END_TAG.search(text) or _QUOTED_GT.search(text):
        return None
    seen = {} if tags_seen is None else tags_seen
    found: list[tuple[int, str]] = []
    line, counted, skip_until, outside, pos = 1, 0, -1, [], 0
    for tag_match in _CANDIDATE_TAG.finditer(text):
        i, endpos = tag_match.span()
        if i < skip_until:
            continue  # inside a script: text to HTMLParser
        tag = tag_match.group()
        if tag in seen:
            read = seen[tag]
        else:
            read = seen[tag] = _read_tag(tag)
        if read is None:
            return None
        addresses, opens_script = read
        if addresses:
            line += text.count("\n", counted, i)
            counted = i
            found += [(line, address) for address in addresses]
        if opens_script:
            end = _SCRIPT_END.search(text, endpos)
            if not end:
                return None
            outside.append((pos, endpos))
            pos = skip_until = end.start()
    outside.append((pos, len(text)))
    # Outside scripts every "<" + letter must begin a whole start tag, and no whole tag may hold
    # another: otherwise a bogus tag, and HTMLParser's own reading decides.
    for start, stop in outside:
        if len(_TAG_OPEN.findall(text, start, stop)) != len(_START_TAG.findall(text, start, stop)):
            return None
    return found


def page_links(text: str, tags_seen: dict | None = None) -> list[tuple[int, str]]:
    """(line, address) of every address a page refers to."""
    found = _fast_links(text, tags_seen)
    if found is None:
        parser = _Links()
        parser.feed(text)
        found = parser.found
    return found


def check_site(output: str | Path, siteurl: str = "") -> list[str]:
    """Broken internal links and missing assets in every page: 'page:line: address' for each.

    Absolute addresses under ``siteurl`` (production pages use them) count as internal. The build
    runs this on every page (plugins/strict), so each page is parsed once and each address judged
    once per folder it is relative to (a site-root address once for the whole site).
    """
    output = Path(output).resolve()
    siteurl = siteurl.rstrip("/")
    broken = []
    verdicts: dict[tuple, bool | None] = {}  # (folder or None, address) -> leads nowhere? (None: not internal)
    inside = str(output)
    tags_seen: dict = {}
    for page in sorted(output.rglob("*.html")):
        shown = None
        for line, address in page_links(page.read_text(encoding="utf-8"), tags_seen):
            key = (None, address) if address[:1] == "/" else (page.parent, address)
            if key in verdicts:
                verdict = verdicts[key]
            else:
                target = _target(output, page, address, siteurl)
                verdict = verdicts[key] = None if target is None else (not target.is_file() or not str(target).startswith(inside))
            if verdict:
                shown = shown or page.relative_to(output)
                broken.append(f"{shown}:{line}: {address} leads nowhere")
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
