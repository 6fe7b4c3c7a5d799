"""What the editors' commands do: `invoke new` (scaffold an article) and `invoke check` (all problems).

A library for tasks.py (no ``register``): plain functions, tested without a shell.
"""

from __future__ import annotations

import importlib
import os
from datetime import datetime
from zoneinfo import ZoneInfo

import messages
import vntext
from sourcefiles import PLACEHOLDER_BODY, Problem, display_path

__all__ = ["load_settings", "run_checks", "format_report", "new_article", "NewArticleError"]


def load_settings(settings_file: str = "pelicanconf.py", content: str | None = None) -> tuple[dict, list[Problem]]:
    """Pelican's settings with the site data loaded, as the build sees them, and the data's problems."""
    from pelican.settings import read_settings

    from sitedata import load_site_data

    settings = read_settings(settings_file)
    if content:
        settings["PATH"] = os.path.abspath(content)
    added, problems = load_site_data(settings)
    settings.update(added)
    return settings, problems


def run_checks(settings: dict, site_problems: list[Problem], files: list[str] | None = None) -> list[Problem]:
    """Every problem in the content, as `invoke check` reports it, sorted by file and line.

    ``files`` (paths as given on the command line) keeps only the problems in those files.

    The same ``check(settings)`` functions the build stops on, of every plugin in PLUGINS that has
    one, in plugin order, each with ``editor=True`` for the extras too slow or noisy for a build.
    ``site_problems`` are those load_settings found in the site data (sitedata's own check).
    """
    if any(p.level == "error" for p in site_problems):
        return list(site_problems)  # without valid sections and topics the articles cannot be judged
    problems: list[Problem] = []
    for name in settings.get("PLUGINS", []):
        check = getattr(importlib.import_module(name), "check", None)
        if check is not None:
            problems += check(settings, editor=True)
    if files is not None:
        wanted = {display_path(os.path.abspath(path)) for path in files}
        problems = [p for p in problems if p.path in wanted]
    return sorted(problems, key=lambda p: (p.path, p.line))


LEVEL_MESSAGES = {"error": "level-error", "warning": "level-warning"}


def format_report(problems: list[Problem]) -> str:
    errors = sum(1 for p in problems if p.level == "error")
    warnings = len(problems) - errors
    lines = [f"{messages.say(LEVEL_MESSAGES[p.level])}: {p}" for p in problems]
    if errors:
        lines.append(messages.say("report-errors", errors=errors, warnings=warnings))
    elif warnings:
        lines.append(messages.say("report-warnings", warnings=warnings))
    else:
        lines.append(messages.say("report-clean"))
    return "\n".join(lines)


class NewArticleError(Exception):
    pass


def new_article(settings: dict, title: str, section: str, now: datetime | None = None) -> str:
    """Create content/articles/<section>/<year>/<slug>.md with its front matter; return its path."""
    title = " ".join(title.split())
    if not title:
        raise NewArticleError(messages.say("new-title-missing"))
    sections = settings["SECTIONS_BY_ID"]
    if section not in sections:
        raise NewArticleError(messages.say("new-section-unknown", section=section, known=", ".join(sections)))
    slug = vntext.slugify(title)
    if not slug:
        raise NewArticleError(messages.say("new-title-no-address", title=title))
    now = now or datetime.now(ZoneInfo(settings.get("TIMEZONE") or "Asia/Ho_Chi_Minh"))
    folder = os.path.join(settings["PATH"], "articles", section, f"{now:%Y}")
    path = os.path.join(folder, f"{slug}.md")
    if os.path.exists(path):
        raise NewArticleError(messages.say("new-exists", path=os.path.relpath(path)))
    text = f"Title: {title}\nDate: {now:%Y-%m-%d %H:%M}\nSlug: {slug}\nSummary: \nTopics: \nTags: \nAuthor: \n\n{PLACEHOLDER_BODY}\n"
    os.makedirs(folder, exist_ok=True)
    with open(path, "x", encoding="utf-8") as handle:  # "x": never overwrite
        handle.write(text)
    return path
