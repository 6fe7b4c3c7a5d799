"""Loads the portal's site data (content/data/*.yaml) into the settings every plugin and template reads.

Settings it sets: SECTIONS (top-level Section objects), SECTIONS_BY_ID, TOPICS, TOPICS_BY_ID, SITE
(the agency details of site.yaml), LINKS (related portals), SITENAME. A broken file stops the build
with file:line before anything is read or written.
"""

from __future__ import annotations

import logging
import os

from pelican import signals

from sourcefiles import ContentError, load_yaml, stop_build

from .model import Section, Topic, parse_links, parse_sections, parse_site, parse_topics

__all__ = ["Section", "Topic", "check", "load_site_data", "register"]

log = logging.getLogger(__name__)


def load_site_data(settings: dict) -> tuple[dict, list]:
    """Read and validate the four site-data files; return the settings to add and the problems."""
    folder = os.path.join(settings["PATH"], settings.get("SITE_DATA_DIR", "data"))
    problems = []
    loaded = {}
    for name in ("sections", "topics", "site", "links"):
        path = os.path.join(folder, f"{name}.yaml")
        try:
            loaded[name] = (load_yaml(path), path)
        except ContentError as error:
            problems.extend(error.problems)
            loaded[name] = (None, path)
    if problems:
        return {}, problems

    sections, found = parse_sections(*loaded["sections"], settings["SECTION_URL"], settings["SECTION_SAVE_AS"])
    problems += found
    topics, found = parse_topics(*loaded["topics"], settings["TOPIC_URL"], settings["TOPIC_SAVE_AS"])
    problems += found
    site, found = parse_site(*loaded["site"])
    problems += found
    links, found = parse_links(*loaded["links"])
    problems += found
    by_id = {section.id: section for top in sections for section in top.walk()}
    added = {
        "SECTIONS": sections,
        "SECTIONS_BY_ID": by_id,
        "TOPICS": topics,
        "TOPICS_BY_ID": {topic.id: topic for topic in topics},
        "SITE": site,
        "LINKS": links,
    }
    if site.get("name"):
        added["SITENAME"] = site["name"]
    return added, problems


def check(settings: dict, editor: bool = False) -> list:
    """The site data's problems, as the build stops on them when it starts (``editor`` adds nothing)."""
    return load_site_data(settings)[1]


def on_initialized(pelican) -> None:
    added, problems = load_site_data(pelican.settings)
    stop_build(problems, log)
    pelican.settings.update(added)


def register() -> None:
    signals.initialized.connect(on_initialized)
