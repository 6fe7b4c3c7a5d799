"""What `./portal import-docx` and `./portal import-html` do, as plain functions tasks.py calls.

Each returns the report the editor reads and whether it holds an error; tasks.py only prints it.
"""

from __future__ import annotations

import os

import editorial
import messages
from sourcefiles import Problem, display_path

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
    lines = [written_line(written, draft)]
    lines += [note_line(display_path(written.path), note) for note in written.notes]
    if written.status == "kept":
        return "\n".join(lines), False
    report, failed = check_written(settings, site_problems, [written.path])
    return "\n".join([*lines, report]), failed
