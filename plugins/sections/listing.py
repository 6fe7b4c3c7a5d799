"""Plain functions behind the sections plugin: testable without Pelican."""

from __future__ import annotations

from collections import defaultdict

from sourcefiles import split_list, yes_no


def assign(articles, sections_by_id: dict, topics_by_id: dict) -> None:
    """Give each article its Section, Topic objects and featured flag; link neighbours in a section.

    Unknown ids were reported by the strict checks before reading, so they are skipped here.
    """
    for article in articles:
        category = getattr(article, "category", None)
        article.section = sections_by_id.get(category.name) if category else None
        article.topics_list = [topics_by_id[t] for t in split_list(getattr(article, "topics", None)) if t in topics_by_id]
        article.featured = bool(yes_no(getattr(article, "featured", "")))
        article.prev_in_section = article.next_in_section = None

    by_leaf = defaultdict(list)
    for article in articles:
        if article.section is not None and article.status == "published":
            by_leaf[article.section.id].append(article)
    for items in by_leaf.values():
        items.sort(key=lambda a: (a.date, a.slug))
        for older, newer in zip(items, items[1:]):
            newer.prev_in_section = older
            older.next_in_section = newer


def group_by_section(articles, top_sections) -> dict[str, list]:
    """Section id -> the section's own and its descendants' articles, in the given order."""
    own = defaultdict(list)
    for article in articles:
        if getattr(article, "section", None) is not None:
            own[article.section.id].append(article)
    result = {}
    order = {id(a): i for i, a in enumerate(articles)}

    def collect(section):
        items = list(own.get(section.id, []))
        for child in section.children:
            items.extend(collect(child))
        # Keep the caller's order (newest first) when several subtrees are merged.
        items.sort(key=lambda a: order[id(a)])
        result[section.id] = items
        return items

    for top in top_sections:
        collect(top)
    return result


def group_by_topic(articles, topics) -> dict[str, list]:
    result: dict[str, list] = {topic.id: [] for topic in topics}
    for article in articles:
        for topic in getattr(article, "topics_list", []):
            result[topic.id].append(article)
    return result
