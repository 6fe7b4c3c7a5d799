"""Sections, topics and the portal's own details, read from content/data/*.yaml."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import messages
from sourcefiles import RESERVED_IDS, LineDict, LineList, Problem, display_path

_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(eq=False)
class Section:
    id: str
    title: str
    description: str = ""
    parent: Section | None = None
    children: list[Section] = field(default_factory=list)
    url: str = ""
    save_as: str = ""

    @property
    def ancestors(self) -> list[Section]:
        """From the top-level section down to the parent."""
        chain: list[Section] = []
        node = self.parent
        while node is not None:
            chain.insert(0, node)
            node = node.parent
        return chain

    @property
    def trail(self) -> list[tuple[str, str]]:
        """(title, url) from the top-level section down to this one: a breadcrumb's items."""
        return [(s.title, s.url) for s in self.ancestors] + [(self.title, self.url)]

    @property
    def top(self) -> Section:
        return self.ancestors[0] if self.parent else self

    def walk(self):
        """This section and every descendant, depth first."""
        yield self
        for child in self.children:
            yield from child.walk()

    @property
    def ids(self) -> set[str]:
        return {section.id for section in self.walk()}

    def __str__(self) -> str:
        return self.title


@dataclass(eq=False)
class Topic:
    id: str
    title: str
    description: str = ""
    url: str = ""
    save_as: str = ""

    def __str__(self) -> str:
        return self.title


def _text(entry: LineDict, key: str, path: str, problems: list[Problem], required: bool = True) -> str:
    value = entry.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            problems.append(Problem(path, entry.line, messages.say("data-key-missing", key=key)))
        return ""
    if not isinstance(value, str):
        problems.append(Problem(path, entry.line_of(key), messages.say("data-not-text", key=key, value=repr(value))))
        return ""
    return value.strip()


def _check_id(entry: LineDict, path: str, problems: list[Problem], seen: dict[str, int]) -> str:
    ident = _text(entry, "id", path, problems)
    if not ident:
        return ""
    line = entry.line_of("id")
    if not _ID_RE.match(ident):
        problems.append(Problem(path, line, messages.say("id-invalid", ident=ident)))
    elif ident in RESERVED_IDS or ident.isdigit():
        problems.append(Problem(path, line, messages.say("id-reserved", ident=ident)))
    if ident in seen:
        problems.append(Problem(path, line, messages.say("id-twice", ident=ident, first=seen[ident])))
    seen.setdefault(ident, line)
    return ident


def parse_sections(data: object, path: str, url_format: str, save_as_format: str) -> tuple[list[Section], list[Problem]]:
    """The section tree from sections.yaml; every problem with its line."""
    shown = display_path(path)
    problems: list[Problem] = []
    seen: dict[str, int] = {}

    def build(items: object, parent: Section | None, where_line: int) -> list[Section]:
        if not isinstance(items, list):
            problems.append(Problem(shown, where_line, messages.say("sections-not-list")))
            return []
        result: list[Section] = []
        for entry in items:
            if not isinstance(entry, LineDict):
                problems.append(Problem(shown, getattr(items, "line", where_line), messages.say("section-not-entry", entry=repr(entry))))
                continue
            unknown = set(entry) - {"id", "title", "description", "children"}
            for key in sorted(unknown):
                problems.append(Problem(shown, entry.line_of(key), messages.say("section-key-unknown", key=key)))
            ident = _check_id(entry, shown, problems, seen)
            section = Section(
                id=ident, title=_text(entry, "title", shown, problems), description=_text(entry, "description", shown, problems, required=False), parent=parent
            )
            section.url = url_format.format(id=ident)
            section.save_as = save_as_format.format(id=ident)
            if "children" in entry:
                section.children = build(entry["children"], section, entry.line_of("children"))
            result.append(section)
        return result

    sections = build(data, None, getattr(data, "line", 1))
    if not sections and not problems:
        problems.append(Problem(shown, 1, messages.say("sections-empty")))
    return sections, problems


def parse_topics(data: object, path: str, url_format: str, save_as_format: str) -> tuple[list[Topic], list[Problem]]:
    shown = display_path(path)
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    topics: list[Topic] = []
    if not isinstance(data, LineList):
        return [], [Problem(shown, 1, messages.say("topics-not-list"))]
    for entry in data:
        if not isinstance(entry, LineDict):
            problems.append(Problem(shown, data.line, messages.say("topic-not-entry", entry=repr(entry))))
            continue
        for key in sorted(set(entry) - {"id", "title", "description"}):
            problems.append(Problem(shown, entry.line_of(key), messages.say("topic-key-unknown", key=key)))
        ident = _check_id(entry, shown, problems, seen)
        topic = Topic(id=ident, title=_text(entry, "title", shown, problems), description=_text(entry, "description", shown, problems, required=False))
        topic.url = url_format.format(id=ident)
        topic.save_as = save_as_format.format(id=ident)
        topics.append(topic)
    return topics, problems


SITE_REQUIRED = ("name", "agency", "address", "phone", "email", "licence")
# What the theme shows as text; "english" holds the same keys for the English pages.
SITE_TEXT = (*SITE_REQUIRED, "short_name", "tagline", "parent_agency", "editor_in_chief", "copyright")


def _site_text_problems(data: LineDict, keys: Iterable[str], shown: str, prefix: str = "") -> list[Problem]:
    problems: list[Problem] = []
    for key in keys:
        value = data.get(key)
        if value is None or isinstance(value, str):
            continue
        if isinstance(value, (list, dict)):
            message = messages.say("site-text-list" if isinstance(value, list) else "site-text-group", key=prefix + key)
        else:  # a number, yes/no or a date: YAML reads 842743822115 as a number and 0274 3822115 as text
            message = messages.say("site-text-value", key=prefix + key, value=repr(value), quoted=f'{key}: "{value}"')
        problems.append(Problem(shown, data.line_of(key), message))
    return problems


def parse_site(data: object, path: str) -> tuple[dict, list[Problem]]:
    shown = display_path(path)
    if not isinstance(data, LineDict):
        return {}, [Problem(shown, getattr(data, "line", 0) or 1, messages.say("site-not-mapping"))]
    problems = [Problem(shown, data.line, messages.say("data-key-missing", key=key)) for key in SITE_REQUIRED if key not in data or data[key] in (None, "")]
    problems += _site_text_problems(data, SITE_TEXT, shown)
    english = data.get("english")
    if english is not None:
        if isinstance(english, LineDict):
            problems += _site_text_problems(english, [k for k in english if isinstance(k, str)], shown, "english: ")
        else:
            problems.append(Problem(shown, data.line_of("english"), messages.say("site-english-not-group")))
    if any(p.level == "error" for p in problems):
        return {}, problems
    return dict(data), problems


def parse_links(data: object, path: str) -> tuple[list[dict], list[Problem]]:
    shown = display_path(path)
    if data is None:
        return [], []
    if not isinstance(data, LineList):
        return [], [Problem(shown, 1, messages.say("links-not-list"))]
    links: list[dict] = []
    problems: list[Problem] = []
    for entry in data:
        if not isinstance(entry, LineDict) or not entry.get("title") or not entry.get("url"):
            problems.append(Problem(shown, getattr(entry, "line", data.line), messages.say("link-incomplete")))
            continue
        wrong = _site_text_problems(entry, ("title", "url"), shown)
        if wrong:
            problems += wrong
            continue
        if not str(entry["url"]).startswith(("https://", "http://")):
            problems.append(Problem(shown, entry.line_of("url"), messages.say("link-not-https", url=entry["url"])))
            continue
        links.append({"title": entry["title"], "url": entry["url"]})
    return links, problems
