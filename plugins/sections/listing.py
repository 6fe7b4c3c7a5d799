"""Plain functions behind the sections plugin: testable without Pelican."""

from __future__ import annotations

from collections import defaultdict

from pelican.settings import DEFAULT_CONFIG
from pelican.utils import slugify
from sourcefiles import Problem

YES = {"yes", "true", "có", "1"}


def _names(value) -> list[str]:
    if not value:
        return []
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    return [str(v).strip() for v in value]


def assign(articles, sections_by_id: dict, topics_by_id: dict) -> None:
    """Give each article its Section, Topic objects and featured flag; link neighbours in a section.

    Unknown ids were reported by the strict checks before reading, so they are skipped here.
    """
    for article in articles:
        category = getattr(article, "category", None)
        article.section = sections_by_id.get(category.name) if category else None
        article.topics_list = [topics_by_id[t] for t in _names(getattr(article, "topics", None)) if t in topics_by_id]
        article.featured = str(getattr(article, "featured", "")).strip().lower() in YES
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
    result = {topic.id: [] for topic in topics}
    for article in articles:
        for topic in getattr(article, "topics_list", []):
            result[topic.id].append(article)
    return result


def check_tags(meta, shown: str, settings: dict) -> list:
    """Problems with the Tags line of an article's front matter (a sourcefiles.FrontMatter).

    A tag's page is TAG_URL with the tag's slug, made by Pelican's own slugify: a tag of only
    punctuation or emoji ("!!!", "🎉") has an empty slug and would link to "tu-khoa//".
    """
    def setting(key):
        return settings.get(key, DEFAULT_CONFIG.get(key))

    subs = settings.get("TAG_REGEX_SUBSTITUTIONS") or setting("SLUG_REGEX_SUBSTITUTIONS")
    problems = []
    for tag in _names(meta.get("tags")):
        if not slugify(tag, regex_subs=subs, preserve_case=setting("SLUGIFY_PRESERVE_CASE"), use_unicode=setting("SLUGIFY_USE_UNICODE")):
            problems.append(Problem(shown, meta.line("tags"), f'tag "{tag}" has no letters or digits, so its page gets no address; write it in words, e.g. "một cửa", or remove it'))
    return problems
