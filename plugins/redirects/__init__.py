"""Old addresses keep working: content/data/redirects.yaml -> an nginx map (301) and small redirect pages.

The file names, for each old address of an imported article (./portal import-html writes it), the
article's source file; the build answers the old address with the article's address of this build
(a changed Slug or Date still redirects right). It writes:

- ``REDIRECTS_MAP_SAVE_AS`` (redirects.map): the lines of an nginx ``map`` of the request's path and
  query to the new address, which deploy/nginx.conf includes and answers with 301; nginx reads it
  when it (re)loads its configuration, so publishing is followed by ``systemctl reload nginx``;
- for hosts without nginx (GitHub Pages, a plain file server), a small page at each old address
  that a file can stand at (a folder address, a .html or .htm file, no query): it sends the browser
  on at once (meta refresh), names the new address as canonical and is kept out of search engines.
  A page the site itself writes at that address wins: the redirect page is left out, with a warning.

Entries are checked like the rest of the content (`./portal check` and the start of every build):
an old address that is not one, or a file that is no article, stops the build with file:line.
"""

from __future__ import annotations

import html
import logging
import os
import posixpath
from urllib.parse import quote, unquote, urlsplit

from pelican import signals

import messages
from sourcefiles import ContentError, LineDict, Problem, content_relative, display_path, inside, leads_outside, load_yaml, setting, site_url, stop_build

log = logging.getLogger(__name__)

# Characters an address keeps as they are in the map; every other one is percent-encoded, as a
# browser sends it (and nothing in a map line can then be read by nginx as a quote or a variable).
_SAFE = "/._~-!&()*+,=:@?%"
_PAGE_SUFFIXES = (".html", ".htm")
# nginx refuses to start when a map key does not fit in a bucket (map_hash_bucket_size 512 in
# deploy/nginx.conf, with room for the hash's own bytes): a longer old address is left out.
KEY_MAX = 400
_targets: dict[str, tuple[str, str]] = {}  # article source (relative to the content folder) -> (its address, its title)


def request_key(old: str) -> str | None:
    """The path and query a browser asks for at an old address, as nginx's $request_uri holds it:
    'https://old.gov.vn/Pages/Tin tức.aspx?ID=5' -> '/Pages/Tin%20t%E1%BB%A9c.aspx?ID=5'."""
    parts = urlsplit(old.strip())
    if parts.scheme not in ("http", "https", "") or (not parts.scheme and parts.netloc):
        return None
    path = parts.path or "/"
    if not path.startswith("/") or any(ord(c) < 32 for c in old):
        return None
    key = quote(path, safe=_SAFE.replace("?", ""))
    if parts.query:
        key += "?" + quote(parts.query, safe=_SAFE)
    return key


def page_path(key: str) -> str | None:
    """Where a redirect page for this old address stands in the output folder; None when no file can."""
    if "?" in key:
        return None
    raw = unquote(key)
    if ".." in raw.split("/") or "\x00" in raw:
        return None  # nginx would not serve it there either: the map's line is enough
    path = posixpath.normpath(raw)
    path = path.lstrip("/")
    if key.endswith("/") or not path:
        return posixpath.join(path, "index.html")
    last = path.rsplit("/", 1)[-1]
    if last.lower().endswith(_PAGE_SUFFIXES):
        return path
    return None if "." in last else posixpath.join(path, "index.html")


def load(settings: dict) -> tuple[list[tuple[str, str, int]], list[Problem]]:
    """(old address's key, article source relative to the content folder, line) of every entry, and the problems."""
    content_path = settings["PATH"]
    path = os.path.join(content_path, setting(settings, "REDIRECTS_FILE"))
    if not os.path.exists(path):
        return [], []
    shown = display_path(path)
    try:
        data = load_yaml(path)
    except ContentError as error:
        return [], error.problems
    if data is None:
        return [], []
    if not isinstance(data, LineDict):
        return [], [Problem(shown, getattr(data, "line", 0) or 1, messages.say("redirect-not-a-mapping"))]
    entries: list[tuple[str, str, int]] = []
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for old, target in data.items():
        line = data.line_of(old)
        key = request_key(str(old)) if isinstance(old, str) else None
        if key is None:
            problems.append(Problem(shown, line, messages.say("redirect-bad-old", old=old)))
            continue
        relative = content_relative(target) if isinstance(target, str) else None
        full = os.path.join(content_path, relative or "")
        if not relative or leads_outside(relative) or not relative.endswith(".md") or not inside(content_path, full) or not os.path.isfile(full):
            problems.append(Problem(shown, line, messages.say("redirect-no-article", target=target)))
            continue
        if len(key.encode()) > KEY_MAX:
            problems.append(Problem(shown, line, messages.say("redirect-too-long", length=len(key.encode()), limit=KEY_MAX), "warning"))
            continue
        if key in seen:
            problems.append(Problem(shown, line, messages.say("redirect-twice", old=old, line=seen[key])))
            continue
        seen[key] = line
        entries.append((key, relative, line))
    return entries, problems


def check(settings: dict, editor: bool = False) -> list[Problem]:
    """The redirects file's problems, for the build and `./portal check` alike."""
    return load(settings)[1]


def nginx_map(redirects: list[tuple[str, str]]) -> str:
    """The lines deploy/nginx.conf includes in its map of $request_uri: "old" "new";"""
    lines = ["# Written by the build from the redirects file: old address -> new address (301)."]
    lines += [f'"{old}" "{new}";' for old, new in redirects]
    return "\n".join(lines) + "\n"


def redirect_page(new: str, absolute: str, title: str) -> str:
    link, canonical, name = html.escape(new), html.escape(absolute), html.escape(title)
    return (
        '<!DOCTYPE html>\n<html lang="vi">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="refresh" content="0; url={link}">\n<link rel="canonical" href="{canonical}">\n'
        f'<meta name="robots" content="noindex">\n<title>{name}</title>\n</head>\n'
        f'<body>\n<p>Bài viết đã chuyển sang địa chỉ mới: <a href="{link}">{name}</a></p>\n</body>\n</html>\n'
    )


def on_article_generator_init(generator) -> None:
    _targets.clear()
    stop_build(check(generator.settings), log)


def on_article_generator_finalized(generator) -> None:
    content_path = generator.settings["PATH"]
    siteurl = generator.settings.get("SITEURL") or ""
    for article in list(generator.articles) + list(generator.translations):
        relative = os.path.relpath(article.source_path, content_path).replace(os.sep, "/")
        _targets[relative] = (f"{siteurl}/{article.url}", article.title)


def on_finalized(pelican) -> None:
    entries, _problems = load(pelican.settings)  # the problems stopped the build at its start
    if not entries:
        return
    output = pelican.output_path
    redirects, pages = [], []
    for key, relative, line in entries:
        target = _targets.get(relative)
        if target is None:  # a draft or hidden article, left out of a public build
            shown = display_path(os.path.join(pelican.settings["PATH"], setting(pelican.settings, "REDIRECTS_FILE")))
            log.warning("%s", Problem(shown, line, messages.say("redirect-unpublished", target=relative), "warning"))
            continue
        address, title = target  # SITEURL + the article's address ("/2017/03/slug/" in a local build)
        path = urlsplit(address).path or "/"
        redirects.append((key, path))
        where = page_path(key)
        if where is not None:
            pages.append((where, address, site_url(pelican.settings) + path, title))
    with open(os.path.join(output, setting(pelican.settings, "REDIRECTS_MAP_SAVE_AS")), "w", encoding="utf-8") as handle:
        handle.write(nginx_map(redirects))
    for where, new, absolute, title in pages:
        full = os.path.join(output, where)
        if not inside(output, full) or os.path.lexists(full):
            log.warning("%s", messages.say("redirect-page-taken", page=where))
            continue
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "x", encoding="utf-8") as handle:
            handle.write(redirect_page(new, absolute, title))


def register() -> None:
    signals.article_generator_init.connect(on_article_generator_init)
    signals.article_generator_finalized.connect(on_article_generator_finalized)
    signals.finalized.connect(on_finalized)
