"""Pelican's articles and pages as the plain SearchDocuments the index is built from."""

from __future__ import annotations

from sourcefiles import split_list

from .builder import SearchItem
from .layout import SearchDocument

__all__ = ["search_documents", "section_rows"]


def section_rows(sections) -> list[tuple[str, str, int]]:
    """(id, title, parent's number or -1) of every section, depth first in menu order."""
    rows: list[tuple[str, str, int]] = []

    def walk(section, parent: int) -> None:
        rows.append((section.id, section.title, parent))
        number = len(rows) - 1
        for child in section.children:
            walk(child, number)

    for top in sections:
        walk(top, -1)
    return rows


def _document(item, section_id: str, date: str, keywords: list[str], streamed: frozenset[str]) -> SearchDocument:
    title = str(item.title)
    source = getattr(item, "source_path", "") or item.url
    document = SearchDocument(
        url=item.url.lstrip("/"),  # relative to the site's root, which may be a sub-folder
        title=title,
        date=date,
        section=section_id,
        keywords="\n".join(k for k in keywords if k),
        source=source,
    )
    if source not in streamed:  # the builder has not been sent its title, Summary and body (worker.py)
        summary = item.metadata.get("summary")
        document.item = SearchItem(source, title, str(summary) if summary else "", item._content or "")
    return document


def search_documents(articles, pages, settings, streamed: frozenset[str] = frozenset(), registered=()) -> list[SearchDocument]:
    """Articles newest first, then pages by address, then registered documents: a document's place
    in this list is its ref. For items whose source file is in ``streamed`` the builder has been
    sent the title, Summary and body (worker.py); the other SearchDocuments carry theirs."""
    sections = settings.get("SECTIONS_BY_ID", {})
    topics = settings.get("TOPICS_BY_ID", {})
    documents = []
    for article in sorted(articles, key=lambda a: (-a.date.timestamp(), a.url)):
        category = getattr(article, "category", None)
        section_id = category.name if category else ""
        section = sections.get(section_id)
        keywords = [s.title for s in ([*section.ancestors, section] if section else [])]
        keywords += [topics[t].title for t in split_list(article.metadata.get("topics")) if t in topics]
        keywords += [str(tag) for tag in getattr(article, "tags", None) or []]
        keywords.append(f"{article.date:%Y}")
        keywords += getattr(article, "cited_numbers", [])  # normalised document numbers (plugins/documents)
        documents.append(_document(article, section_id, f"{article.date:%Y-%m-%d}", keywords, streamed))
    for page in sorted(pages, key=lambda p: p.url):
        documents.append(_document(page, "", "", [], streamed))
    # Registered documents (``registered``: DOCUMENTS of the generators' context, from plugins/documents),
    # newest first, after the pages.
    for document in registered:
        documents.append(_registered_document(document, settings.get("DOCUMENTS_SECTION", ""), sections, topics))
    return documents


def _registered_document(document, section_id: str, sections: dict, topics: dict) -> SearchDocument:
    """A document's page: its number and excerpt as the title; number (normalised), kind, issuer,
    topics and year as keywords, so "2410/UBND-KSTT" and "2410 UBND KSTT" find it."""
    section = sections.get(section_id)
    keywords = [s.title for s in ([*section.ancestors, section] if section else [])]
    keywords += [document.key, document.kind, document.issuer, f"{document.signed:%Y}"]
    keywords += [topics[t].title for t in document.topic_ids if t in topics]
    return SearchDocument(
        url=document.url.lstrip("/"),
        title=document.full_title,
        date=f"{document.signed:%Y-%m-%d}",
        section=section_id if section else "",
        keywords="\n".join(k for k in keywords if k),
        source=document.source_path,
        item=SearchItem(document.source_path, document.full_title, "", document.body, excerpt_default=document.title),
    )
