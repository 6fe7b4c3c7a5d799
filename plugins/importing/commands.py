"""What `./portal import-docx` and `./portal import-html` do, as plain functions tasks.py calls.

Each returns the report the editor reads and whether it holds an error; tasks.py only prints it.
"""

from __future__ import annotations

import os

import editorial
import messages
from sourcefiles import ContentError, Problem, display_path, setting

from .article import Existing, ImportRefused, Written, existing_articles, write_draft
from .body import Draft, Note

LEVELS = {"error": "level-error", "warning": "level-warning"}


def note_line(where: str, note: Note) -> str:
    return f"{messages.say(LEVELS[note.level])}: {where}: {note.text()}"


def written_line(written: Written, draft: Draft) -> str:
    shown = display_path(written.path)
    if written.status == "unchanged":
        return messages.say("import-unchanged", path=shown, source=draft.source)
    if written.status == "kept":
        return messages.say("import-kept", path=shown, source=draft.source)
    return messages.say("import-written", path=shown, title=draft.title, pictures=len(draft.pictures) + bool(draft.image), files=len(draft.attachments))


def check_written(settings: dict, site_problems: list[Problem], paths: list[str]) -> tuple[str, bool]:
    """The checks of ./portal check on the files just written, as its report."""
    problems = editorial.run_checks(settings, site_problems, files=paths)
    report = messages.say("import-checks") + "\n" + editorial.format_report(problems)
    return report, any(p.level == "error" for p in problems)


def section_problem(settings: dict, section: str) -> str | None:
    sections = settings["SECTIONS_BY_ID"]
    if section in sections:
        return None
    return messages.say("import-bad-section", section=section, sections=", ".join(sections))


def import_docx(settings: dict, site_problems: list[Problem], path: str, section: str, existing: Existing | None = None) -> tuple[str, bool]:
    """Import one Word file as an article of ``section``: (report, failed)."""
    from .wordfile import WordFileError, read_docx

    wrong = section_problem(settings, section)
    if wrong:
        return wrong, True
    try:
        draft = read_docx(path)
        written = write_draft(draft, settings, section, existing or existing_articles(settings["PATH"], settings.get("ARTICLE_PATHS")))
    except (WordFileError, ImportRefused) as refused:
        return note_line(display_path(os.path.abspath(path)), refused.note), True
    except OSError as error:  # a full disk, a folder that cannot be written: what happened, not a traceback
        return messages.say("import-write-failed", path=error.filename or settings["PATH"], error=error.strerror or error), True
    lines = [written_line(written, draft)]
    lines += [note_line(display_path(written.path), note) for note in written.notes]
    if written.status == "kept":
        return "\n".join(lines), False
    report, failed = check_written(settings, site_problems, [written.path])
    return "\n".join([*lines, report]), failed


CONFIDENCE = {"high": "import-confidence-high", "medium": "import-confidence-medium", "low": "import-confidence-low"}
# How a part of the article was found (body.build_draft, savedpages.read_page), in the editor's words.
HOW = {
    "profile": "import-how-profile",
    "last line": "import-how-last-line",
    "first paragraph": "import-how-first-paragraph",
    "heading": "import-how-heading",
    "bold line": "import-how-bold-line",
    "text": "import-how-date-line",
    "class": "import-how-class",
    "after title": "import-how-after-title",
    "before text": "import-how-before-text",
}
PAGE_PROBLEMS = {"no-article": "import-page-no-article", "no-title": "import-no-title"}


def _found_line(page) -> str:
    draft = page.draft
    found = draft.found

    def how(key: str) -> str:
        value = found.get(key) or "-"
        return messages.say(HOW[value]) if value in HOW else value  # h1, og:title, canonical: the markup's own names

    return messages.say(
        "import-page-found",
        confidence=messages.say(CONFIDENCE[page.confidence]),
        title=how("title"),
        date=how("date") if draft.date else "-",
        summary=how("summary") if draft.summary else "-",
        author=how("author") if draft.author else "-",
        pictures=len(draft.pictures) + bool(draft.image),
        files=len(draft.attachments),
        old=page.old_url_from or "-",
    )


def import_html(
    settings: dict, site_problems: list[Problem], src: str, section: str, map_file: str = "", profile: str = "", existing: Existing | None = None
) -> tuple[str, bool]:
    """Import every saved page under ``src`` as an article of ``section``: (report, failed).

    Each page gets its lines in the report: what was found and how sure the reading is, or why no
    article was found in it. Old addresses go into the redirects file; then the checks run on every
    article written.
    """
    from . import savedpages
    from .redirects import add_redirects

    wrong = section_problem(settings, section)
    if wrong:
        return wrong, True
    if not os.path.isdir(src):
        return messages.say("import-no-such-folder", path=src), True
    profiles = savedpages.load_profiles()
    if profile and profile not in profiles:
        return messages.say("import-no-such-profile", profile=profile, profiles=", ".join(profiles)), True
    try:
        mapped = savedpages.read_map(map_file) if map_file else {}
    except (OSError, UnicodeDecodeError):
        return messages.say("import-no-such-file", path=map_file), True
    existing = existing or existing_articles(settings["PATH"], settings.get("ARTICLE_PATHS"))
    pages, links = savedpages.saved_pages(src)
    lines: list[str] = []
    written_paths: list[str] = []
    redirects: dict[str, str] = {}
    counts = {"written": 0, "unchanged": 0, "kept": 0, "failed": 0}
    for relative in pages:
        try:
            page = savedpages.read_page(src, relative, profiles, profile, mapped.get(relative.replace(os.sep, "/"), ""))
        except (RecursionError, ValueError, LookupError, TypeError) as error:
            # A page no parser reading can make sense of (nesting thousands deep, broken bytes): listed,
            # and the other pages still imported; the error's kind tells a developer where to look.
            counts["failed"] += 1
            reason = messages.say("import-page-broken", error=type(error).__name__)
            lines.append(messages.say("import-page-unreadable", page=os.path.join(src, relative), reason=reason))
            continue
        shown = os.path.join(src, relative)
        if page.problem or page.draft is None:
            counts["failed"] += 1
            lines.append(messages.say("import-page-unreadable", page=shown, reason=messages.say(PAGE_PROBLEMS.get(page.problem, "import-page-no-article"))))
            continue
        try:
            written = write_draft(page.draft, settings, section, existing)
        except ImportRefused as refused:
            counts["failed"] += 1
            lines.append(note_line(shown, refused.note))
            continue
        except OSError as error:
            lines.append(messages.say("import-write-failed", path=error.filename or settings["PATH"], error=error.strerror or error))
            return "\n".join(lines), True
        counts[written.status] += 1
        lines.append(f"{shown}: {_found_line(page)}")
        lines.append("  " + written_line(written, page.draft))
        lines += ["  " + note_line(display_path(written.path), note) for note in written.notes]
        if not page.old_url:
            lines.append("  " + note_line(display_path(written.path), Note("import-no-old-address")))
        else:
            redirects[page.old_url] = os.path.relpath(written.path, settings["PATH"]).replace(os.sep, "/")
        if written.status == "written":
            written_paths.append(written.path)
    for link in links:
        counts["failed"] += 1
        lines.append(messages.say("import-page-unreadable", page=os.path.join(src, link), reason=messages.say("import-page-is-link")))
    failed = False
    if redirects:
        redirects_file = os.path.join(settings["PATH"], setting(settings, "REDIRECTS_FILE"))
        try:
            added = add_redirects(redirects_file, redirects)
            lines.append(messages.say("import-redirects-added", added=added, path=display_path(redirects_file)))
        except ContentError as error:
            lines += [str(problem) for problem in error.problems]
            failed = True
    lines.append(messages.say("import-summary", pages=len(pages) + len(links), **counts))
    if written_paths:
        report, check_failed = check_written(settings, site_problems, written_paths)
        lines.append(report)
        failed = failed or check_failed
    return "\n".join(lines), failed or not (counts["written"] + counts["unchanged"] + counts["kept"])
