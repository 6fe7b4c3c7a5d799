"""Hostile HTML never reaches a reader: the policy for HTML in Markdown, enforced on every page.

Policy (docs/security.md): editors write Markdown; raw HTML inside it is allowed only as far as it is
plain formatting (the tags and attributes of htmlclean). Scripts, event handlers (onerror=, onclick=, ...),
javascript: and data: links, styles other than text alignment, frames, forms and embedded objects
are removed from article and page bodies and summaries before any template, feed or search index
sees them, and the build prints a warning naming the file and line so the editor knows. Front matter
and YAML values are text, never HTML: the templates escape them (Jinja autoescape is on).

The sanitiser is nh3 (the Ammonia HTML sanitiser), not a hand-written filter; the policy itself lives in
the htmlclean library, which the documents plugin uses for its own bodies too.
"""

from __future__ import annotations

import logging

import bodies
from htmlclean import DANGER_RE, clean, dangerous_lines

import messages
from sourcefiles import ContentError, display_path, read_text

__all__ = ["clean", "dangerous_lines", "register"]

log = logging.getLogger(__name__)


def clean_content(content) -> None:
    """The body step (plugins/bodies), first: every later step and reader gets the cleaned HTML."""
    body = getattr(content, "_content", None) or ""
    summary = content.metadata.get("summary")
    source = getattr(content, "source_path", None)
    # Always clean: entity-encoded tricks (jav&#x61;script:) are caught by the sanitiser's parser,
    # not by a regular expression.
    cleaned_body = content._content = clean(body)
    cleaned_summary = clean(summary) if summary else summary
    # What the sanitiser removes changes the HTML, so unchanged HTML held nothing to warn about:
    # the (slower) search for what to name in the warning runs only on HTML the sanitiser changed.
    changed = [html for html, cleaned in ((body, cleaned_body), (summary, cleaned_summary)) if html and cleaned != html]
    if source and any(DANGER_RE.search(html) for html in changed):
        try:
            text = read_text(source)
        except ContentError:
            text = ""  # unreadable: the content checks have named it
        for line, what in dangerous_lines(text):
            log.warning("%s:%d: %s", display_path(source), line, messages.say("unsafe-html-removed", what=repr(what)))
    if summary:
        content.metadata["summary"] = cleaned_summary
        if hasattr(content, "_summary"):
            # Pelican keeps the Summary a second time; clean it once when it is the same text.
            content._summary = cleaned_summary if content._summary == summary else clean(content._summary)


def register() -> None:
    bodies.add_step(__name__, clean_content)
