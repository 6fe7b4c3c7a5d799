"""What editors read, in their language: one catalogue of messages, Vietnamese by default.

Every message an editor or operator sees (checks, build, import, new, publish, the web editor's
server) is written once, in ``catalogue/*.yaml``, under a key, in Vietnamese (``vi``) and English
(``en``); code says ``messages.say(key, name=value)`` and never spells the sentence itself.
``PORTAL_LANG=en`` gives developers English. The catalogue is split into one file per area
(check.yaml, build.yaml, import.yaml, ...) only so that areas can be edited apart; keys are unique
across all of them (tests/test_messages.py holds that, and that both languages name the same
``{placeholders}``).

This package is a library, not a Pelican plugin: it has no ``register``.
"""

from __future__ import annotations

import functools
import os
import string
from pathlib import Path

import yaml

__all__ = ["LANGUAGES", "language", "say", "catalogue", "placeholders"]

LANGUAGES = ("vi", "en")
HERE = Path(__file__).resolve().parent / "catalogue"


def language() -> str:
    """The language messages are given in: PORTAL_LANG (vi or en; anything else means vi)."""
    wanted = os.environ.get("PORTAL_LANG", "").strip().lower()[:2]
    return wanted if wanted in LANGUAGES else "vi"


@functools.cache
def catalogue() -> dict[str, dict[str, str]]:
    """Every message: key -> {"vi": ..., "en": ..., "file": the catalogue file it is in}."""
    messages: dict[str, dict[str, str]] = {}
    for path in sorted(HERE.glob("*.yaml")):
        # The catalogue is ours, not an editor's file: a broken one is a developer's error, raised as is.
        # LibYAML's loader when there is one: the pure-Python one takes most of a second for the
        # catalogue, paid by every command before it says anything.
        loaded = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}  # noqa: S506 (a safe loader)
        for key, texts in loaded.items():
            if key in messages:
                raise ValueError(f"{path.name}: message {key!r} is also in {messages[key]['file']}")
            messages[key] = {**texts, "file": path.name}
    return messages


def say(key: str, /, **values: object) -> str:
    """The message ``key`` in the current language, with its ``{placeholders}`` filled in (a placeholder
    may be called "key" too: ``key`` is positional only)."""
    texts = catalogue()[key]
    return texts[language()].format(**values)


def placeholders(text: str) -> set[str]:
    """The names a message fills in: "{path}:{line}" -> {"path", "line"}."""
    return {name.split(".")[0].split("[")[0] for _, name, _, _ in string.Formatter().parse(text) if name}
