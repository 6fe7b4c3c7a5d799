"""Drafts and hidden content (Status: draft, Status: hidden) in a public build: left out entirely.

A local build (SHOW_DRAFTS = True in pelicanconf.py) writes them for the editor, marked as unpublished
and noindex by the theme; a public build (publishconf.py) drops them from the generators' lists right
after Pelican reads them, before tags, sections, archives, feeds, related news, the search index or
the sitemap see them, so no page, feed entry, index record or link to them is ever written. A link an
editor wrote in a published body to such content is an error with its file and line
(links_to_unpublished).
"""

from __future__ import annotations

import html
import os
import re
from urllib.parse import unquote

import messages
from sourcefiles import Problem, display_path, line_containing

UNPUBLISHED_ARTICLE_LISTS = ("drafts", "drafts_translations", "hidden_articles", "hidden_translations")
UNPUBLISHED_PAGE_LISTS = ("draft_pages", "draft_translations", "hidden_pages", "hidden_translations")


def shows_unpublished(settings: dict) -> bool:
    # A missing setting means a public build: leaving a draft out is the safe mistake.
    return bool(settings.get("SHOW_DRAFTS", False))


def drop_unpublished(generator, names: tuple[str, ...]) -> list:
    """Empty the generator's lists of unpublished content; return what was in them."""
    dropped = []
    for name in names:
        items = getattr(generator, name, None)
        if items:
            dropped.extend(items)
            del items[:]  # in place: Pelican's context may hold the same list
    # {filename} links are resolved through generated_content: without the entry, a link to a
    # dropped article cannot turn into its address.
    generated = generator.context.get("generated_content", {})
    for item in dropped:
        generated.pop(item.get_relative_source_path(), None)
    return dropped


_HREF_RE = re.compile(r"""\b(?:href|src)\s*=\s*(["'])(.+?)\1""")
_FILENAME_PREFIXES = ("{filename}", "|filename|")


def links_to_unpublished(published, dropped, siteurl: str = "") -> list[Problem]:
    """Errors for links in published bodies that lead to dropped content: on the public site they
    would lead nowhere, or show the address of a draft. Each names the file and line of the link."""
    by_source = {item.relative_source_path: item for item in dropped}
    by_url = {}
    for item in dropped:
        url = (getattr(item, "url", "") or "").lstrip("/")
        if url:
            by_url[url] = by_url[url + "index.html" if url.endswith("/") else url] = item
    problems = []
    for item in published:
        for _quote, target in _HREF_RE.findall(getattr(item, "_content", "") or ""):
            linked = _linked(item, html.unescape(target), by_source, by_url, siteurl)
            if linked is not None:
                key = "unpublished-link-page" if type(linked).__name__ == "Page" else "unpublished-link-article"
                problems.append(
                    Problem(
                        display_path(item.source_path),
                        (line_containing(item.source_path, target) or line_containing(item.source_path, html.unescape(target))),
                        messages.say(key, title=linked.title, status=linked.status),
                    )
                )
    return problems


def _linked(item, target: str, by_source: dict, by_url: dict, siteurl: str):
    for prefix in _FILENAME_PREFIXES:
        if target.startswith(prefix):
            path = unquote(target[len(prefix) :].split("#")[0].split("?")[0])
            if path.startswith("/"):
                path = path[1:]
            else:  # relative to the linking file, as Pelican resolves it
                path = os.path.normpath(os.path.join(os.path.dirname(item.relative_source_path), path))
            return by_source.get(path)
    address = target.split("#")[0].split("?")[0]
    if siteurl and address.startswith(siteurl):
        address = address[len(siteurl) :]
    if not address.startswith("/") or address.startswith("//"):
        return None
    return by_url.get(unquote(address).lstrip("/"))
