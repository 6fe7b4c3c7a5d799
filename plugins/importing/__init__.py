"""Importing articles from elsewhere: one pipeline from an HTML document to an article, two front doors.

``./portal import-docx`` (a Word file, through mammoth: ``wordfile``) and ``./portal import-html`` (a
folder of pages saved from a legacy portal: ``savedpages``) both hand the shared pipeline
(``body.build_draft``) an HTML fragment with what they already know (a title, a date line, the old
address). The pipeline cleans Word's and the portals' leftovers, normalises the text with vntext,
finds what an article has (title, date and time, lead, pictures with captions and alt text,
attachments, the author's line) and converts the rest to the articles' Markdown with markdownify;
``article.write_draft`` then writes content/articles/<section>/<year>/<slug>.md, pictures under
content/images/<year>/ and attachments under content/files/<year>/, never over an existing file.

This package is a library, not a Pelican plugin: it has no ``register``.
"""

from __future__ import annotations

from .article import ImportRefused, Written, existing_articles, write_draft
from .body import Asset, Draft, Note, build_draft

__all__ = ["Asset", "Draft", "ImportRefused", "Note", "Written", "build_draft", "existing_articles", "write_draft"]
