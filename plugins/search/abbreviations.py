"""content/data/abbreviations.yaml: the abbreviations search expands both ways, checked with file:line."""

from __future__ import annotations

import os

import messages
from sourcefiles import ContentError, LineDict, LineList, Problem, display_path, load_yaml

from .analysis import Abbreviations, is_word, tokenize

__all__ = ["load_abbreviations", "parse_abbreviations"]


def parse_abbreviations(data, path: str) -> tuple[Abbreviations, list[Problem]]:
    """{"TTHC": "thủ tục hành chính", "CBCC": ["cán bộ, công chức", ...]} -> Abbreviations, problems."""
    shown = display_path(path)
    if data is None:
        return Abbreviations(), []
    if not isinstance(data, dict):
        return Abbreviations(), [Problem(shown, getattr(data, "line", 1), messages.say("abbreviations-not-mapping"))]
    problems, pairs = [], []
    for key, value in data.items():
        line = data.line_of(key) if isinstance(data, LineDict) else 0
        short = str(key)
        words = [t for t in tokenize(short) if is_word(t)]
        if len(words) != 1 or words[0] != short.lower():
            problems.append(Problem(shown, line, messages.say("abbreviation-not-one-word", short=short)))
            continue
        phrases = value if isinstance(value, (list, LineList)) else [value]
        good = []
        for phrase in phrases:
            if not isinstance(phrase, str) or not phrase.strip():
                problems.append(Problem(shown, line, messages.say("abbreviation-no-phrase", short=short)))
                continue
            if len([t for t in tokenize(phrase) if is_word(t)]) < 2:
                problems.append(Problem(shown, line, messages.say("abbreviation-one-word", short=short, phrase=phrase)))
                continue
            good.append(phrase)
        if good:
            pairs.append((short, good))
    return Abbreviations.from_pairs(pairs), problems


def load_abbreviations(path: str) -> tuple[Abbreviations, list[Problem]]:
    """Read and check the file; a missing file means no abbreviations."""
    if not os.path.exists(path):
        return Abbreviations(), []
    try:
        data = load_yaml(path)
    except ContentError as error:
        return Abbreviations(), error.problems
    return parse_abbreviations(data, path)
