"""Drafts and hidden content (Status: draft, Status: hidden) in a public build: left out entirely.

A local build (SHOW_DRAFTS = True in pelicanconf.py) writes them for the editor, marked as unpublished
and noindex by the theme; a public build (publishconf.py) drops them from the generators' lists right
after Pelican reads them, before tags, sections, archives, feeds, related news, the search index or
the sitemap see them, so no page, feed entry, index record or link to them is ever written.
"""

from __future__ import annotations

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
