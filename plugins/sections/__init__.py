"""Sections and topics: each article's place in the section tree, and the pages that list them.

Adds to every article: ``section`` (a Section from content/data/sections.yaml), ``topics_list``
(Topic objects), ``featured`` (bool), ``prev_in_section`` / ``next_in_section``. Adds to the
template context: SECTION_ARTICLES (section id -> its own and its descendants' articles, newest
first), TOPIC_ARTICLES, FEATURED_ARTICLES. Writes a paginated page and an Atom feed per section,
and a paginated page per topic.

In a public build (SHOW_DRAFTS off, as in publishconf.py) drafts and hidden articles and pages are
dropped as soon as Pelican has read them (unpublished.py), so nothing after lists or links them.
"""

from __future__ import annotations

import logging

from pelican import signals
from pelican.utils import order_content

from sourcefiles import content_objects, stop_build

from .listing import assign, group_by_section, group_by_topic
from .unpublished import UNPUBLISHED_ARTICLE_LISTS, UNPUBLISHED_PAGE_LISTS, drop_unpublished, links_to_unpublished, shows_unpublished

log = logging.getLogger(__name__)

__all__ = ["assign", "drop_unpublished", "group_by_section", "group_by_topic", "register"]


_dropped: list = []  # what this build left out, for the link check once pages are read too


def in_reading_order(generator, lists: tuple[str, ...], order_by: str) -> None:
    """Pelican reads the files in set order, another in each run, and sorts by date: articles with
    the same date would be listed in a different order by each build (so no two builds would be the
    same, and a rebuild could reuse no page). Order them by file first, then as Pelican does."""
    for name in lists:
        contents = getattr(generator, name)
        contents.sort(key=lambda content: content.source_path)
        order_content(contents, generator.settings[order_by])
        for content in contents:
            content.translations.sort(key=lambda translation: (translation.lang, translation.source_path))


def on_article_generator_pretaxonomy(generator) -> None:
    # Before Pelican makes tags and archives from the articles, and before any plugin's finalized
    # handler: nothing downstream has to know that drafts exist, and every list has one order.
    in_reading_order(generator, ("articles", "translations", "hidden_articles", "hidden_translations", "drafts", "drafts_translations"), "ARTICLE_ORDER_BY")
    _dropped.clear()
    if not shows_unpublished(generator.settings):
        _dropped.extend(drop_unpublished(generator, UNPUBLISHED_ARTICLE_LISTS))


def on_page_generator_finalized(generator) -> None:
    in_reading_order(generator, ("pages", "translations", "hidden_pages", "hidden_translations", "draft_pages", "draft_translations"), "PAGE_ORDER_BY")
    if not shows_unpublished(generator.settings):
        _dropped.extend(drop_unpublished(generator, UNPUBLISHED_PAGE_LISTS))


def on_all_generators_finalized(generators) -> None:
    if _dropped:
        published = content_objects(generators, ("articles", "translations", "pages"))
        dropped = list(_dropped)
        _dropped.clear()
        stop_build(links_to_unpublished(published, dropped, generators[0].settings.get("SITEURL", "")), log)


def on_article_generator_finalized(generator) -> None:
    settings = generator.settings
    everything = generator.articles + generator.drafts + generator.hidden_articles
    for article in everything:
        # Pelican formats an article's URL from its settings on every access; pages list the same
        # articles many times, so compute it once.
        article.override_url = article.url
    assign(everything, settings["SECTIONS_BY_ID"], settings["TOPICS_BY_ID"])
    # generator.articles is newest first (ARTICLE_ORDER_BY reversed-date by default).
    articles = sorted(generator.articles, key=lambda a: a.date, reverse=True)
    by_section = group_by_section(articles, settings["SECTIONS"])
    by_topic = group_by_topic(articles, settings["TOPICS"])
    generator.context["SECTION_ARTICLES"] = by_section
    generator.context["TOPIC_ARTICLES"] = by_topic
    generator.context["FEATURED_ARTICLES"] = [a for a in articles if a.featured]


def on_article_writer_finalized(generator, writer) -> None:
    settings = generator.settings
    context = generator.context
    section_template = generator.get_template("section")
    topic_template = generator.get_template("topic")
    for section_id, section_articles in context["SECTION_ARTICLES"].items():
        section = settings["SECTIONS_BY_ID"][section_id]
        writer.write_file(
            section.save_as,
            section_template,
            context,
            relative_urls=settings["RELATIVE_URLS"],
            paginated={"articles": section_articles},
            template_name="section",
            url=section.url,
            section=section,
            articles=section_articles,
        )
        feed_path = settings.get("SECTION_FEED_ATOM")
        if feed_path and section_articles:
            path = feed_path.format(id=section.id)
            writer.write_feed(section_articles, context, path, feed_type="atom", feed_title=section.title)
    writer.write_file(
        settings["TOPICS_INDEX_SAVE_AS"], generator.get_template("topics"), context, relative_urls=settings["RELATIVE_URLS"], url=settings["TOPICS_INDEX_URL"]
    )
    for topic in settings["TOPICS"]:
        topic_articles = context["TOPIC_ARTICLES"][topic.id]
        writer.write_file(
            topic.save_as,
            topic_template,
            context,
            relative_urls=settings["RELATIVE_URLS"],
            paginated={"articles": topic_articles},
            template_name="topic",
            url=topic.url,
            topic=topic,
            articles=topic_articles,
        )


def register() -> None:
    signals.article_generator_pretaxonomy.connect(on_article_generator_pretaxonomy)
    signals.page_generator_finalized.connect(on_page_generator_finalized)
    signals.all_generators_finalized.connect(on_all_generators_finalized)
    signals.article_generator_finalized.connect(on_article_generator_finalized)
    signals.article_writer_finalized.connect(on_article_writer_finalized)
