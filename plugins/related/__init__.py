"""Related news ("Tin liên quan"), the section's newest ("Tin cùng chuyên mục") and the site's newest
("Tin mới nhất") for every article page, computed once per build.

Adds to every article (published, hidden, draft): ``related_articles``, ``section_latest`` and
``site_latest``, lists of articles with no article in two of them and never the article itself;
and ``date_minutes`` (ISO, to the minute) and ``vn_date`` (dd/mm/yyyy), formatted once for the
lists. Templates only loop over them.

The ranking itself is a plain function over plain data (ranking.py), which ``invoke bench`` and the
tests call without Pelican::

    from related import rank_related, Weights
    rank_related(docs, count=5, *, pins=None, excludes=None, queries=(), weights=None, stats=None)
        -> dict[id, list[id]]
    # docs: iterable (a generator is fine) of (id, text, section, topics, tags, date) tuples, the
    #   articles that may be listed;
    # queries: same shape, documents that get a list but are never listed (drafts, hidden);
    # pins: {id: [ids first, in order]}; excludes: {id: [ids never listed]};
    # weights: Weights(...) to tune; stats: a Counter that receives operation counts.

Front matter an editor may use:
    Related: slug-a, slug-b          listed first, in this order
    RelatedExclude: slug-c           never listed under this article
An unknown slug, the article's own slug, or a pinned draft/hidden article stops the build with the
file and line (``check``, which `invoke check` runs too).

Settings: RELATED_COUNT (5), SECTION_LATEST_COUNT (5), LATEST_COUNT (5, shared with the theme),
RELATED_WEIGHTS (a dict overriding fields of ranking.Weights).
"""

from __future__ import annotations

import difflib
import json
import logging
import os
import re
import time
from collections import Counter
from collections.abc import Hashable
from collections.abc import Set as AbstractSet
from dataclasses import replace
from typing import Any

from pelican import signals

import messages
import vntext
from sourcefiles import ARTICLE_LISTS, Problem, content_objects, display_path, markdown_files, read_front_matter, split_list, stop_build

from .lists import page_lists, plain_text
from .ranking import Weights, document_terms, paused_gc, rank_related

__all__ = ["Weights", "rank_related", "document_terms", "page_lists", "plain_text", "article_doc", "check", "register"]

log = logging.getLogger(__name__)


def article_doc(article, doc_id) -> tuple:
    """The ranker's (id, text, section, topics, tags, date) for a Pelican article.

    The title is given twice: a headline says what the article is about better than any paragraph.
    The body is ``_content``, the final HTML (plugins/bodies) before Pelican rewrites {filename} links:
    reading ``content`` here would resolve (and memoize) links before pages and static files are known.
    """
    title = str(getattr(article, "title", "") or "")
    summary = article.metadata.get("summary") or ""
    body = getattr(article, "_content", "") or ""
    text = f"{title}.\n{title}.\n{plain_text(str(summary))}\n{plain_text(body)}"
    section = _section(article)
    topics = split_list(article.metadata.get("topics"))
    tags = [tag.slug for tag in getattr(article, "tags", None) or []]  # slugs, not Tag objects
    return (doc_id, text, section, topics, tags, article.date)


def choice_messages(own_slug: str, wanted: list[str], unwanted: list[str], status_by_slug: dict[str, str]) -> list[tuple[str, str]]:
    """(front-matter key, message) for each Related/RelatedExclude slug of one article that is
    unknown, the article itself, or (Related only) an article that is not published."""
    found = []
    for key, label, slugs in (("related", "Related", wanted), ("relatedexclude", "RelatedExclude", unwanted)):
        for slug in slugs:
            if slug == own_slug:
                found.append((key, messages.say("related-self", key=label, slug=slug)))
            elif slug not in status_by_slug:
                known = sorted(status_by_slug)
                close = [s for s in known if s.startswith(slug)][:1] or difflib.get_close_matches(slug, known, n=1)
                if close:
                    found.append((key, messages.say("related-unknown-close", key=label, slug=slug, close=close[0])))
                else:
                    found.append((key, messages.say("related-unknown", key=label, slug=slug)))
            elif key == "related" and status_by_slug[slug] != "published":
                found.append((key, messages.say("related-unpublished", key=label, slug=slug, status=status_by_slug[slug])))
    return found


# What may be a Related or RelatedExclude line, in any case, in a file's bytes (a body line that
# looks like one only costs parsing the front matter).
_CHOICE_RE = re.compile(rb"^(?:\xef\xbb\xbf)?related(?:exclude)?[ \t]*:", re.I | re.M)


def _raw(path: str) -> bytes:
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError:
        return b""  # the strict checks name an unreadable file


def check(settings: dict, editor: bool = False, files: AbstractSet[str] | None = None) -> list[Problem]:
    """Related and RelatedExclude lines of every article, read from the files (what the build, when
    the article generator starts, and `invoke check` report): an unknown slug, the article's own, or
    a pinned draft or hidden article is an error with file and line. ``editor`` adds nothing here;
    ``files`` (absolute paths) reports only those articles' lines.

    Slugs are the addresses the build gives (the Slug line, else vntext.slugify of the title, as the
    vnslug plugin does); the strict checks report files without either.
    """
    paths = [path for folder in settings.get("ARTICLE_PATHS", ["articles"]) for path in markdown_files(os.path.join(settings["PATH"], folder))]
    judged = paths if files is None else [path for path in paths if path in files]  # `./portal check FILE`
    if not any(_CHOICE_RE.search(_raw(path)) for path in judged):
        return []  # most builds: no article pins or excludes anything, and no front matter need be parsed
    entries, any_choice = [], False
    for path in paths:
        meta = read_front_matter(path)
        if meta.unreadable:
            continue
        title = meta.get("title")
        slug = meta.get("slug") or (vntext.slugify(title) if title else "")
        status = (meta.get("status") or "published").lower()
        wanted, unwanted = split_list(meta.get("related")), split_list(meta.get("relatedexclude"))
        any_choice = any_choice or bool(wanted or unwanted)
        entries.append((path, meta, slug, status, wanted, unwanted))
    if not any_choice:
        return []
    status_by_slug: dict[str, str] = {}
    for _, _, slug, status, _, _ in entries:
        if slug:
            status_by_slug.setdefault(slug, status)
    problems = []
    for path, meta, slug, _, wanted, unwanted in entries:
        if (wanted or unwanted) and (files is None or path in files):
            shown = display_path(path)
            problems += [Problem(shown, meta.line(key), message) for key, message in choice_messages(slug, wanted, unwanted, status_by_slug)]
    return problems


def _check_choices(articles, doc_id, by_slug, published_slugs) -> tuple[dict, dict, list[Problem]]:
    """Pins and exclusions from front matter, by ranker id, checked; problems name file and line.

    check() has stopped the build for these problems when the articles were read; this guards
    what Pelican made of them (a draft left out of a public build, for one)."""
    pins, excludes, problems = {}, {}, []
    status_by_slug = {slug: ("published" if slug in published_slugs else article.status) for slug, article in by_slug.items()}
    for article in articles:
        wanted = split_list(article.metadata.get("related"))
        unwanted = split_list(article.metadata.get("relatedexclude"))
        if not wanted and not unwanted:
            continue
        found = choice_messages(article.slug, wanted, unwanted, status_by_slug)
        if found:
            meta = read_front_matter(article.source_path)
            shown = display_path(article.source_path)
            problems += [Problem(shown, meta.line(key), message) for key, message in found]
            continue
        me = doc_id[id(article)]
        pins[me] = [doc_id[id(by_slug[s])] for s in dict.fromkeys(wanted)]
        excludes[me] = {doc_id[id(by_slug[s])] for s in unwanted}
    return pins, excludes, problems


def _section(article):
    category = getattr(article, "category", None)
    return category.name if category else None


def enrich(generator) -> None:
    """Rank, check editors' choices and fill the three lists of every article, once per build."""
    with paused_gc():  # see ranking.paused_gc
        _enrich(generator)


_pending: dict = {}


def on_article_generator_init(generator) -> None:
    # Before any article is read: an editor's wrong pin stops the build as `invoke check` reports it.
    stop_build(check(generator.settings), log)


def on_article_generator_finalized(generator) -> None:
    # The ranking waits for all_generators_finalized, so the search index's worker, told there what
    # to lay out, starts before it (the plugin comes after search in PLUGINS).
    _pending["generator"] = generator


def on_all_generators_finalized(generators) -> None:
    generator = _pending.pop("generator", None)
    if generator is not None:
        enrich(generator)


def _enrich(generator) -> None:
    settings = generator.settings
    started = time.perf_counter()
    everyone = content_objects([generator], ARTICLE_LISTS)  # the published ones first
    published = list(generator.articles)
    others = everyone[len(published) :]
    # Slugs are the ids: unique per language (the strict checks see to that). An article in another
    # language that reuses a slug is told apart by its language.
    doc_id: dict[int, str] = {}
    by_slug: dict[str, object] = {}
    for article in everyone:
        doc_id[id(article)] = article.slug if article.slug not in by_slug else f"{article.slug}@{getattr(article, 'lang', '')}"
        by_slug.setdefault(article.slug, article)
    by_doc_id: dict[Hashable, Any] = {doc_id[id(a)]: a for a in everyone}
    published_slugs = {a.slug for a in published}

    pins, excludes, problems = _check_choices(everyone, doc_id, by_slug, published_slugs)
    stop_build(problems, log)

    stats: Counter[str] = Counter()
    # Generators: the ranker reads one article's text at a time, so the texts are never all alive.
    related = rank_related(
        (article_doc(a, doc_id[id(a)]) for a in published),
        settings.get("RELATED_COUNT", 5),
        pins=pins,
        excludes=excludes,
        queries=(article_doc(a, doc_id[id(a)]) for a in others),
        weights=replace(Weights(), **settings.get("RELATED_WEIGHTS", {})),
        stats=stats,
    )
    newest = sorted(sorted(published, key=lambda a: a.slug), key=lambda a: a.date, reverse=True)
    lists = page_lists(
        [(doc_id[id(a)], _section(a)) for a in newest],
        [(doc_id[id(a)], _section(a)) for a in everyone],
        related,
        settings.get("SECTION_LATEST_COUNT", 5),
        settings.get("LATEST_COUNT", 5),
    )
    for article in everyone:
        # Formatted once here rather than each time a page lists the article.
        article.date_minutes = article.date.isoformat(timespec="minutes")
        article.vn_date = vntext.format_date(article.date)
        me = doc_id[id(article)]
        same_section, site = lists[me]
        article.related_articles = [by_doc_id[i] for i in related.get(me, [])]
        article.section_latest = [by_doc_id[i] for i in same_section]
        article.site_latest = [by_doc_id[i] for i in site]
    seconds = time.perf_counter() - started
    log.info("related: %d articles in %.2f s (%d postings visited, %d candidates)", len(everyone), seconds, stats["postings_visited"], stats["candidates"])
    if settings.get("RELATED_REPORT"):  # for invoke bench: what related news adds to a build
        with open(settings["RELATED_REPORT"], "w", encoding="utf-8") as handle:
            json.dump({"articles": len(everyone), "seconds": seconds, **stats}, handle)


def register() -> None:
    signals.article_generator_init.connect(on_article_generator_init)
    signals.article_generator_finalized.connect(on_article_generator_finalized)
    signals.all_generators_finalized.connect(on_all_generators_finalized)
