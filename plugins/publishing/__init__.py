"""Publishing a built site without ever leaving a half site online.

A library for `invoke publish` (no ``register``). The steps, each a plain function:
1. build with production settings into a fresh release folder beside the destination;
2. check it: every site-relative link, picture, stylesheet and script resolves to a file;
3. write gzip and brotli copies of text files, for the web server's precompressed serving;
4. switch the destination to the new release atomically: the destination is a symlink, and one
   rename(2) replaces it, so a reader gets either the old site or the new one, never a mixture.
A failure at any step leaves the destination as it was. Old releases beyond ``keep`` are removed.
One run at a time holds the destination's lock; what a killed run left is removed by the next.
`invoke build` keeps its output/ the same way (one release kept).

Other targets take the checked, compressed release: rsync over SSH (to a release folder on the
server, then the same symlink switch there) and a GitHub Pages branch (one commit per publish).
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import gzip
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from html import parser as _html_parser
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from typing import TextIO
from urllib.parse import unquote, urlsplit

import brotli

import messages

TEXT_SUFFIXES = {".html", ".css", ".js", ".mjs", ".json", ".xml", ".txt", ".svg", ".csv", ".map"}
MIN_COMPRESS = 256  # bytes: smaller files are not worth a compressed copy


class PublishError(Exception):
    pass


# --- 2. check ------------------------------------------------------------------------------------


class _Links(HTMLParser):
    """Collects the site-relative addresses a page refers to, with their line numbers."""

    ATTRIBUTES = {"href", "src", "poster", "data-src"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
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
        address = address[len(siteurl) :] or "/"
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
# occurs before that ">". _QUOTED_GT looks for the value alone, not for the tag before it: it finds
# every such value (and the same text outside tags, which sends a page to _Links for nothing), with
# no scan from each "<".
_QUOTED_GT = re.compile(r"""=\s*(?:"[^"]*>|'[^']*>)""")
# The same expression after a literal "<", so that the search only stops at a "<".
# typeshed leaves html.parser's module-level expressions out; the module has had them since Python 3.0.
_AFTER_OPEN = _html_parser.locatestarttagend_tolerant.pattern.lstrip()[1:]  # type: ignore[attr-defined]
# A tag that names one of them: after its first letter, skip without backtracking what cannot begin
# one (case-insensitively, as (?i) matches: "ſ" is an "s" there), then one must begin before a ">".
_NAMES_AN_ADDRESS = r"[a-zA-Z](?:[^>hHsSſpP]++|[hH](?!(?i:ref))|[sSſ](?!(?i:rc))|[pP](?!(?i:oster)))*+(?i:href|src|poster)"
_CANDIDATE_TAG = re.compile(r"<(?=(?i:script)|" + _NAMES_AN_ADDRESS + r")(?>" + _AFTER_OPEN + r")/?>", re.VERBOSE)
_START_TAG = re.compile(r"<(?>" + _AFTER_OPEN + r")/?>", re.VERBOSE)


def _read_tag(tag: str) -> tuple[list[str], bool] | None:
    """The addresses in one whole start tag, as _Links records them, and whether it opens a script;
    None when HTMLParser would not take it as a start tag (then _Links reads the page)."""
    name_match = _html_parser.tagfind_tolerant.match(tag, 1)  # type: ignore[attr-defined]  # see _AFTER_OPEN
    k, end = name_match.end(), len(tag)
    attributes = []
    while k < end:
        match = _html_parser.attrfind_tolerant.match(tag, k)  # type: ignore[attr-defined]  # see _AFTER_OPEN
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
                broken.append(f"{shown}:{line}: {messages.say('link-leads-nowhere', address=address)}")
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
#
# Layout, for a destination D/site (flat: nothing nests, whatever happened before):
#   D/site                          a symlink to .site.releases/<release>, switched with one rename(2)
#   D/.site.releases/<release>/     real folders, named by time to the microsecond; the newest `keep`
#   D/.site.releases/.lock          flock(2) held by the run that builds and switches
# A run killed half-way leaves <release>.building/ or .site.link-<pid>; the next run removes them.

RELEASE_NAME = re.compile(r"^\d{8}-\d{6}(-\d+)?$")  # older versions named them without microseconds
ADOPTED = "before-first-publish"  # a plain folder found at the destination, kept as the oldest release
LOCK_NAME = ".lock"
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
_PR_SET_PDEATHSIG = 1


def destination(dest: str | os.PathLike) -> Path:
    """The destination as an absolute path, with only its parent folder resolved: the destination
    itself is the symlink to the live release, and resolving it would build the next release inside
    the live one (and switch a link in there) instead of switching the destination."""
    path = Path(os.path.abspath(os.path.expanduser(dest)))
    return path.parent.resolve() / path.name


def releases_folder(dest: Path) -> Path:
    return dest.parent / f".{dest.name}.releases"


def lock_file(dest: Path) -> Path:
    return releases_folder(dest) / LOCK_NAME


@contextmanager
def lock(path: Path, what: str, out: TextIO | None = None) -> Iterator[int]:
    """Hold an exclusive flock(2) on ``path`` while the block runs, so two runs never interleave.

    A second run says that it waits and for whom, then goes on when the first is done. The kernel
    drops the lock when its holder ends, also by SIGKILL: a killed run never leaves it held. Yields
    the file descriptor: a child process given it (pass_fds) holds the lock until it ends too.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 300, 0).decode("utf-8", "replace").strip() or messages.say("lock-another-run")
            print(messages.say("lock-waiting", path=path, holder=holder), file=out or sys.stderr, flush=True)
            fcntl.flock(fd, fcntl.LOCK_EX)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{what} (pid {os.getpid()})\n".encode(), 0)
        yield fd
    finally:
        os.close(fd)


def _libc_function(name: str, argtypes: list[type] | None = None) -> Callable[..., int] | None:
    try:
        function = getattr(ctypes.CDLL(None, use_errno=True), name)
    except (OSError, AttributeError):
        return None
    if argtypes is not None:
        function.argtypes = argtypes
    return function


# Looked up now, in the parent: between fork and exec (where die_with_parent runs) loading symbols
# could wait forever on a lock another thread of the parent held at the fork.
_prctl = _libc_function("prctl")
_renameat2 = _libc_function("renameat2", [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint])


def die_with_parent(parent: int) -> None:
    """In a child process: the kernel sends it SIGTERM when its parent ends, even by SIGKILL, so a
    killed `./portal` leaves no Pelican running on (Linux prctl(2); elsewhere a no-op)."""
    if _prctl is None:
        return
    _prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    if os.getppid() != parent:  # the parent ended before prctl took effect
        os.kill(os.getpid(), signal.SIGTERM)


def _remove(path: Path) -> None:
    # rmtree refuses a symlink (and ignore_errors would hide that): unlink links and files.
    if path.is_symlink() or not path.is_dir():
        path.unlink(missing_ok=True)
    else:
        shutil.rmtree(path, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one renameat2(RENAME_EXCHANGE); False where the kernel or file system cannot."""
    if _renameat2 is None:
        return False
    if _renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def switch_symlink(link: Path, target: Path) -> Path | None:
    """Point ``link`` at ``target`` with one rename(2) of a new symlink over it: a reader opening a
    file through it gets the old target or the new one, never nothing. The link itself is switched,
    never a path resolved through it.

    A plain folder at ``link`` (a site from before links) is swapped with the new link in one
    renameat2(RENAME_EXCHANGE) where the kernel can (else moved aside first: one short gap, once),
    and returned at its temporary name for the caller to keep or remove; otherwise None.
    """
    link, target = Path(link), Path(target)
    temporary = link.parent / f".{link.name}.link-{os.getpid()}"
    _remove(temporary)
    os.symlink(os.path.relpath(target, link.parent), temporary)
    if link.is_dir() and not link.is_symlink():
        if _exchange(temporary, link):
            return temporary
        aside = link.parent / f".{link.name}.link-{os.getpid()}-old"
        os.rename(link, aside)
        os.replace(temporary, link)
        return aside
    os.replace(temporary, link)  # rename(2): atomic
    return None


def live_release(dest: Path) -> str | None:
    """The name of the release folder the destination's link points at, if it is one of ours."""
    try:
        target = os.readlink(dest)
    except OSError:
        return None
    path = Path(os.path.normpath(dest.parent / target))
    return path.name if path.parent == releases_folder(dest) else None


def new_release(dest: Path) -> tuple[Path, Path]:
    """A new release's final path and its building folder, created here (mkdir is exclusive, so no
    other run takes the name). Names are the time to the microsecond: unique within a second, and in
    the order they were made when sorted."""
    folder = releases_folder(dest)
    folder.mkdir(parents=True, exist_ok=True)
    while True:
        now = time.time()
        release = folder / (time.strftime("%Y%m%d-%H%M%S", time.localtime(now)) + f"-{int(now % 1 * 1_000_000):06d}")
        building = Path(f"{release}.building")
        if release.exists():
            continue
        try:
            building.mkdir()
        except FileExistsError:
            continue
        os.chmod(building, 0o755)  # whatever the umask: the web server must read it
        return release, building


def remove_leftovers(dest: Path) -> None:
    """What a killed run left: a release still building, a link not yet switched. Called with the
    lock held, so none of it belongs to a run still going."""
    folder = releases_folder(dest)
    if folder.is_dir():
        for entry in folder.iterdir():
            if entry.name.endswith(".building"):
                _remove(entry)
    for entry in dest.parent.glob(f".{dest.name}.link-*"):
        _remove(entry)


def _flatten_nested_releases(folder: Path) -> None:
    """Move the releases that versions which resolved the destination nested in hidden folders
    (.site.releases/.<release>.releases/<release>/...) up beside the others, so they are kept or pruned
    as any release. Called after the switch: none of them is live any more."""
    for top in [p for p in folder.iterdir() if p.name.startswith(".") and p.name.endswith(".releases") and p.is_dir() and not p.is_symlink()]:
        for where, folders, _files in os.walk(top):
            for name in list(folders):
                path = Path(where) / name
                if RELEASE_NAME.match(name) and not path.is_symlink() and not (folder / name).exists():
                    os.rename(path, folder / name)
                if not (name.startswith(".") and name.endswith(".releases")):
                    folders.remove(name)  # look only into the nested release folders, not into sites


def remove_unused(dest: Path, *folders: Path) -> None:
    """After a failure: remove a run's building or finished release unless the destination serves it."""
    live = live_release(dest)
    for folder in folders:
        if folder.name != live:
            _remove(folder)


def prune_releases(dest: Path, keep: int) -> None:
    """Keep the live release and the ``keep - 1`` newest others (a site adopted from a plain folder
    counts as the oldest); remove everything else in the releases folder: older releases, leftovers
    of killed runs, and the links and nested release folders that versions which resolved the
    destination made (.site.releases/.<release>.releases/...)."""
    folder = releases_folder(dest)
    live = live_release(dest)
    _flatten_nested_releases(folder)
    others = sorted((p.name for p in folder.iterdir() if RELEASE_NAME.match(p.name) and p.name != live and p.is_dir() and not p.is_symlink()), reverse=True)
    adopted = folder / ADOPTED
    if live != ADOPTED and adopted.is_dir() and not adopted.is_symlink():
        others.append(ADOPTED)
    kept = {LOCK_NAME, live, *others[: max(keep, 1) - 1]}
    for entry in folder.iterdir():
        if entry.name not in kept:
            _remove(entry)


def switch(dest: Path, release: Path, keep: int = 3, adopt: bool = True) -> None:
    """Point dest at release with one atomic rename; keep the newest ``keep`` releases.

    A plain folder found at dest becomes the release ``before-first-publish`` (``adopt``), or is
    removed once replaced (a local build's output/ from before links).
    """
    dest = Path(dest)
    adopted = releases_folder(dest) / ADOPTED
    if adopt and dest.is_dir() and not dest.is_symlink() and (adopted.exists() or adopted.is_symlink()):
        raise PublishError(messages.say("publish-folder-and-adopted", dest=dest, adopted=adopted))
    replaced = switch_symlink(dest, release)
    if replaced is not None:
        if adopt:
            os.rename(replaced, adopted)
        else:
            _remove(replaced)
    prune_releases(dest, keep)


def prepare_release(build: Callable[[str], object], dest: Path, siteurl: str = "", checked: bool = False) -> Path:
    """Build (by calling build(folder)), check and compress a new release; on failure remove it.

    ``checked``: the build itself has run check_site on the folder with this siteurl (the strict plugin
    does, at the end of every build), so it is not read a second time."""
    release, building = new_release(dest)
    try:
        build(str(building))
        broken = [] if checked else check_site(building, siteurl)
        if broken:
            shown = "\n".join(broken[:50]) + ("\n" + messages.say("build-more-broken", count=len(broken) - 50) if len(broken) > 50 else "")
            raise PublishError(messages.say("publish-broken-links", count=len(broken), shown=shown))
        compress_site(building)
        os.rename(building, release)
        return release
    except BaseException:
        _remove(building)
        raise


# --- other targets -------------------------------------------------------------------------------


def rsync_commands(release: Path, target: str, keep: int = 3) -> list[list[str]]:
    """Commands that upload a release over SSH and switch the server's site to it atomically.

    target is "user@host:/srv/cchc/site": the release goes to /srv/cchc/.site.releases/<name>.building/,
    hard linking unchanged files to the live release, then, one publish at a time (flock(1) where the
    server has it), it is renamed to <name>, site is switched with the same symlink-and-rename as a
    local publish, and the same flat layout and ``keep`` are kept. An upload a killed publish left is
    removed a day later (an upload still going on is never touched).
    """
    host, _, path = target.partition(":")
    if not host or not path.startswith("/"):
        raise PublishError(messages.say("publish-rsync-target", target=target))
    site = Path(path)
    releases = releases_folder(site)
    remote_release = releases / release.name
    q = shlex.quote
    folder, name, link = releases.name, release.name, f".{site.name}.link-{release.name}"
    script = "; ".join(
        [
            "set -e",
            f"cd {q(str(site.parent))}",
            f"if command -v flock >/dev/null 2>&1; then exec 9>>{q(f'{folder}/{LOCK_NAME}')}; flock 9; fi",
            f"mv -T {q(f'{folder}/{name}.building')} {q(f'{folder}/{name}')}",
            f"ln -sfn {q(f'{folder}/{name}')} {q(link)}",
            f"if [ -d {q(site.name)} ] && [ ! -L {q(site.name)} ]; then mv -T {q(site.name)} {q(f'{folder}/{ADOPTED}')}; fi",
            f"mv -T {q(link)} {q(site.name)}",
            f"rm -f -- .{q(site.name)}.link-*",
            # The live release and the keep-1 newest others (names sort by time; an adopted site is the oldest).
            f"{{ ls -1 {q(folder)} | grep -E '^[0-9]{{8}}-[0-9]{{6}}(-[0-9]+)?$' | grep -vxF {q(name)} | sort -r; ls -1 {q(folder)} | grep -xF {ADOPTED} || true; }}"
            f' | tail -n +{max(int(keep), 1)} | while IFS= read -r old; do rm -rf -- {q(folder)}/"$old"; done',
            f"find {q(folder)} -mindepth 1 -maxdepth 1 -name '*.building' -mmin +1440 -exec rm -rf -- {{}} +",
        ]
    )
    return [
        ["ssh", host, f"mkdir -p {q(str(releases))}"],
        # Unchanged files are hard links to the live release (the symlink's target): a quick upload.
        ["rsync", "-a", "--delete", f"--link-dest={site}/", f"{release}/", f"{host}:{remote_release}.building/"],
        ["ssh", host, script],
    ]


def publish_rsync(release: Path, target: str, keep: int = 3, run: Callable[[list[str]], object] = subprocess.check_call) -> None:
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

    def git(*args: str, capture: bool = True) -> str:
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
