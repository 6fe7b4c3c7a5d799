"""An edited article's page on the editor's screen at once, while `invoke livereload` rebuilds the rest.

A full rebuild re-reads and links every article (related news, lists, the search index, the link
check of every page): at 10,000 articles that takes tens of seconds although one page changed. So
livereload first builds just that article — Pelican on the same content folder with ARTICLE_PATHS
narrowed to its file, no pages and no static files (``overrides``), about a second — takes that
one page from it (``article_page``), puts back the lists that only a build of the whole site knows
(previous and next in the section, related news, the section's and the site's latest) from the page
being served, and swaps the file into the served site with one rename (``place``). The full rebuild
then runs in the background and replaces the whole site, this page included, as a full build writes
it; so what stays is always a full build's output (tests/test_quick_page.py holds both).

The narrowed build runs every check the build runs on that article (front matter, body, pictures);
QUICK_PAGE tells the strict plugin to skip its link check of the written site, which the full build
does. A change it cannot show alone (a page, the site data, the theme, a deleted or renamed file)
goes to the full build only.

A library for tasks.py (no ``register``).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from bs4 import BeautifulSoup

__all__ = ["article_source", "overrides", "article_page", "place", "SITE_LISTS"]

# What an article's page shows of other articles (theme/templates/article.html): taken from the page
# being served, since a build of one article has no other articles to list.
SITE_LISTS = ("nav.prev-next", "section.related", "section.section-latest", "aside.aside")
_ARTICLE_MARK = 'property="og:type" content="article"'


def article_source(content: str, changed: str | None, article_paths: list[str] | None = None) -> str | None:
    """``changed`` relative to ``content`` when it is an article's Markdown file that still exists
    (under one of ``article_paths``); None when the change needs the whole site rebuilt."""
    if not changed or not changed.endswith(".md") or os.path.basename(changed) == "README.md":
        return None
    path, root = os.path.abspath(changed), os.path.abspath(content)
    relative = os.path.relpath(path, root).replace(os.sep, "/")
    if relative.startswith("../"):
        return None  # the theme, the plugins, the settings
    if not os.path.isfile(path) or os.path.realpath(path) != os.path.join(os.path.realpath(root), relative):
        return None  # gone, or reached through a symbolic link: the full build's to judge
    folders = article_paths or ["articles"]
    if not any(relative.startswith(folder.rstrip("/") + "/") for folder in folders):
        return None
    return relative


def overrides(relative: str) -> list[str]:
    """Pelican's -e settings for a build of the article ``relative`` (to the content folder) alone."""
    return [
        f"ARTICLE_PATHS={json.dumps([relative])}",
        "PAGE_PATHS=[]",
        "STATIC_PATHS=[]",  # the page links to the pictures and files of the site being served
        f"QUICK_PAGE={json.dumps(relative)}",
        "SEARCH_IN_PARALLEL=false",  # one article: not worth a second process
        "CACHE_CONTENT=false",
        "LOAD_CONTENT_CACHE=false",
        "REUSE_UNCHANGED_PAGES=false",
    ]


def article_page(folder: str) -> str | None:
    """The one article page a build of one article wrote (path relative to ``folder``), if any."""
    found = []
    for root, _dirs, files in os.walk(folder):
        for name in files:
            if name.endswith(".html"):
                path = os.path.join(root, name)
                with open(path, encoding="utf-8", errors="replace") as handle:
                    if _ARTICLE_MARK in handle.read(4096):
                        found.append(os.path.relpath(path, folder))
    return found[0] if len(found) == 1 else None


def _with_site_lists(new_html: str, served_html: str) -> str:
    """``new_html`` with the served page's lists of other articles in place of its own (empty) ones."""
    new = BeautifulSoup(new_html, "html.parser")
    served = BeautifulSoup(served_html, "html.parser")
    article = new.select_one("article.article")
    if article is None:
        return new_html
    for selector in SITE_LISTS:
        for element in new.select(selector):
            element.decompose()
    for selector in SITE_LISTS:
        old = served.select_one(selector)
        if old is None:
            continue
        if selector.startswith("aside"):
            article.insert_after(old)
        else:
            article.append(old)
    return str(new)


def place(quick_folder: str, served_folder: str, page: str) -> str:
    """Put ``page`` of the one-article build into the served site, with the served page's lists;
    one rename, so the server never sends half a page. Returns the path written."""
    new_html = Path(quick_folder, page).read_text(encoding="utf-8")
    target = Path(served_folder, page)
    if target.is_file():
        new_html = _with_site_lists(new_html, target.read_text(encoding="utf-8", errors="replace"))
    target.parent.mkdir(parents=True, exist_ok=True)
    staged = target.with_name(f".{target.name}.quick")
    staged.write_text(new_html, encoding="utf-8")
    os.replace(staged, target)
    return str(target)
