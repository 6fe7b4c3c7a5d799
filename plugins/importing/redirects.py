"""The redirects of imported articles: content/data/redirects.yaml, old address -> the article's file.

The importer adds a line for each article it finds an old address for; the build (plugins/redirects)
turns the file into an nginx map and small redirect pages, with the article's address of the day
(the file is named, not its address, so a changed Slug or Date still redirects right). New lines are
appended, so that what an editor wrote in the file (comments, order) stays as it is.
"""

from __future__ import annotations

import os

import yaml

import messages
from sourcefiles import ContentError, LineDict, Problem, display_path, load_yaml

HEADER = (
    "# Old addresses of imported articles (./portal import-html) and the article each now lives in.\n"
    "# The build answers each old address with a permanent redirect (301) to the article's address:\n"
    "# an nginx map (deploy/nginx.conf includes it) and small redirect pages. One line each:\n"
    '# "old address": articles/<section>/<year>/<file>.md\n'
)


def add_redirects(path: str, entries: dict[str, str]) -> int:
    """Append the old addresses not yet in the file; returns how many were added. Raises
    ContentError (with file:line) when the file is there but broken: it is left untouched."""
    known: dict = {}
    if os.path.exists(path):
        loaded = load_yaml(path)
        if loaded is not None and not isinstance(loaded, LineDict):
            raise ContentError([Problem(display_path(path), getattr(loaded, "line", 0) or 1, messages.say("redirect-not-a-mapping"))])
        known = loaded or {}
    new = {old: target for old, target in entries.items() if old not in known}
    if not new:
        return 0
    text = HEADER
    if os.path.exists(path):
        with open(path, encoding="utf-8") as handle:
            existing = handle.read()
        text = "" if not existing or existing.endswith("\n") else "\n"
    text += "".join(yaml.safe_dump({old: target}, allow_unicode=True, width=10000, default_flow_style=False) for old, target in new.items())
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(text)
    return len(new)
