"""What the editors' commands do: `invoke new` (scaffold an article) and `invoke check` (all problems).

A library for tasks.py (no ``register``): plain functions, tested without a shell.
"""

from __future__ import annotations

import html
import importlib
import inspect
import os
import re
import subprocess
from datetime import datetime
from zoneinfo import ZoneInfo

import messages
import vntext
from sourcefiles import PLACEHOLDER_BODY, Problem, display_path

__all__ = [
    "load_settings",
    "run_checks",
    "changed_files",
    "NotARepositoryError",
    "format_report",
    "build_errors",
    "build_error_page",
    "new_article",
    "NewArticleError",
]


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

    ``files`` (paths as given on the command line): only those files and what they reference (their
    pictures and attachments, the tables they embed, the registered documents they cite) are judged.
    A check that takes ``files`` reads only those files in full; the problems of one that does not
    are kept for those files alone.

    The same ``check(settings)`` functions the build stops on, of every plugin in PLUGINS that has
    one, in plugin order, each with ``editor=True`` for the extras too slow or noisy for a build.
    ``site_problems`` are those load_settings found in the site data (sitedata's own check).
    """
    if any(p.level == "error" for p in site_problems):
        return list(site_problems)  # without valid sections and topics the articles cannot be judged
    wanted = None if files is None else {os.path.abspath(path) for path in files}
    shown = {display_path(path) for path in wanted or ()}
    problems: list[Problem] = []
    for name in settings.get("PLUGINS", []):
        check = getattr(importlib.import_module(name), "check", None)
        if check is None:
            continue
        if wanted is None:
            problems += check(settings, editor=True)
        elif "files" in inspect.signature(check).parameters:
            problems += check(settings, editor=True, files=wanted)
        else:
            problems += [p for p in check(settings, editor=True) if p.path in shown]
    return sorted(set(problems), key=lambda p: (p.path, p.line, p.message))


def changed_files(root: str, content: str) -> list[str]:
    """The files under ``content`` that differ from the last commit: changed in the working tree,
    staged, or new and not yet added (absolute paths; deleted files are not). Raises
    NotARepositoryError when ``root`` is not a git working tree."""
    try:
        listed = subprocess.run(
            ["git", "status", "--porcelain=v1", "-z", "--untracked-files=all", "--", content], cwd=root, capture_output=True, text=True, check=True
        ).stdout
    except (OSError, subprocess.CalledProcessError) as error:
        raise NotARepositoryError(messages.say("check-changed-no-git", root=root)) from error
    entries = listed.split("\0")
    found = []
    index = 0
    while index < len(entries):
        entry = entries[index]
        index += 1
        if len(entry) < 4:
            continue
        status, path = entry[:2], entry[3:]
        if status[0] in "RC":
            index += 1  # a rename is followed by its old name
        full = os.path.join(root, path)
        if "D" not in status and os.path.isfile(full):
            found.append(full)
    return sorted(found)


class NotARepositoryError(Exception):
    pass


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


# A line of Pelican's plain log that stopped the build: "ERROR: content/articles/x.md:2: ...".
_LOGGED_ERROR_RE = re.compile(r"^(?:ERROR|CRITICAL): (.+)$")
# The place a problem names, at the start of its message: "content/articles/x.md:2".
_WHERE_RE = re.compile(r"^(\S+?\.(?:md|yaml|yml|html)(?::\d+)?): (.+)$")


def build_errors(log: list[str]) -> list[str]:
    """The errors a failed build logged (file:line: message), in order, each once."""
    found: list[str] = []
    for line in log:
        match = _LOGGED_ERROR_RE.match(line.rstrip("\n"))
        if match and match.group(1) not in found:
            found.append(match.group(1))
    return found


def build_error_page(errors: list[str]) -> str:
    """The page `./portal livereload` shows in the browser while the last build failed: its errors,
    each with the file and line to fix, and that the page comes back by itself once they are fixed."""
    items = []
    for error in errors:
        match = _WHERE_RE.match(error)
        if match:
            items.append(f"<li><code>{html.escape(match.group(1))}</code>: {html.escape(match.group(2))}</li>")
        else:
            items.append(f"<li>{html.escape(error)}</li>")
    title = html.escape(messages.say("error-page-title"))
    return f"""<!doctype html>
<html lang="{html.escape(messages.language())}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ font: 1rem/1.5 system-ui, sans-serif; margin: 0 auto; max-width: 50rem; padding: 1rem; color: #1a1a1a; }}
h1 {{ color: #a4161a; font-size: 1.5rem; }}
li {{ margin: 0.5rem 0; }}
code {{ background: #fbe9e9; padding: 0 0.25rem; word-break: break-all; }}
</style>
</head>
<body>
<main>
<h1>{title}</h1>
<p>{html.escape(messages.say("error-page-intro"))}</p>
<ul class="build-errors">
{chr(10).join(items)}
</ul>
<p>{html.escape(messages.say("error-page-reload"))}</p>
</main>
</body>
</html>
"""


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
