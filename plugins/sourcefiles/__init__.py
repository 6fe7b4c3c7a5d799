"""Reading editors' files with line numbers, and reporting what is wrong in them.

Every error an editor sees names the file and the line: ``content/articles/x.md:3: Date "31/02/2020"
is not a date (use YYYY-MM-DD HH:MM)``. This library gives the plugins and the content checks one
way to read front matter and YAML with the line of every value, and one shape for a problem.

This package is a library, not a Pelican plugin: it has no ``register``.
"""

from __future__ import annotations

import functools
import html
import os
import posixpath
import re
from dataclasses import dataclass
from urllib.parse import unquote

import yaml

__all__ = [
    "Problem", "ContentError", "FrontMatter", "read_front_matter", "load_yaml", "LineDict", "LineList",
    "markdown_files", "content_objects", "ARTICLE_LISTS", "PAGE_LISTS",
    "content_relative", "leads_outside", "inside", "line_containing",
]


@dataclass(frozen=True)
class Problem:
    path: str  # as the editor knows it: relative to the project when possible
    line: int  # 1-based; 0 when the whole file is meant
    message: str
    level: str = "error"  # or "warning"

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"


class ContentError(Exception):
    """Raised when content has errors; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def display_path(path: str) -> str:
    """Path relative to the working folder when inside it, as editors and CI logs show it."""
    return _display_path(path, os.getcwd())


@functools.lru_cache(maxsize=65536)
def _display_path(path: str, cwd: str) -> str:
    # Memoized: every check names its file, thousands of times a build, and relpath is slow.
    relative = os.path.relpath(path, cwd)
    return path if relative.startswith("..") else relative


def markdown_files(folder: str) -> list[str]:
    """Every Markdown source under ``folder`` (README.md files excepted), in a stable order."""
    found = []
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        found.extend(os.path.join(root, name) for name in sorted(files) if name.endswith(".md") and name != "README.md")
    return found


# Pelican's lists of content objects on its generators: published, translations, hidden, drafts.
ARTICLE_LISTS = ("articles", "translations", "hidden_articles", "hidden_translations", "drafts", "drafts_translations")
PAGE_LISTS = ("pages", "hidden_pages", "draft_pages", "draft_translations")


def content_objects(generators, names: tuple[str, ...] = ARTICLE_LISTS + PAGE_LISTS) -> list:
    """Every article and page the generators hold, each once, generator by generator in the order of ``names``."""
    seen: set[int] = set()
    found = []
    for generator in generators:
        for name in names:
            for content in getattr(generator, name, None) or []:
                if id(content) not in seen:
                    seen.add(id(content))
                    found.append(content)
    return found


# --- Paths inside the content folder ----------------------------------------------------------

# Pelican's own link markers ({static}path, |static|path): INTRASITE_LINK_REGEX's default.
_INTRASITE_RE = re.compile(r"^[{|](static|attach|filename)[|}]")
_SCHEME_RE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def content_relative(address: str, source_dir: str = "") -> str | None:
    """The path under the content folder that an address or a front-matter path names, normalised
    ("images/2024/a.jpg", "" for the site root); None when it names nothing local (http:, mailto:,
    //host, #part, an empty value).

    The address is decoded the way a browser and Pelican read it (character references, %xx, a
    backslash as a slash), so "%2e%2e/" counts as "../". Site-root and bare paths are relative to
    the content folder, as the media plugin and the checks read them; "{static}x", "{attach}x" and
    "{filename}x" without a leading "/" are relative to ``source_dir`` (the Markdown file's folder,
    relative to the content folder), as Pelican resolves them. A result for which
    ``leads_outside`` is true names a file outside the content folder.
    """
    value = html.unescape(address.strip())
    if not value or value.startswith(("#", "//")) or _SCHEME_RE.match(value):
        return None
    value = value.split("#", 1)[0].split("?", 1)[0]
    base = ""
    marker = _INTRASITE_RE.match(value)
    if marker:
        value = value[marker.end():]
        if not value.startswith(("/", "\\")):
            base = source_dir.replace(os.sep, "/")
    value = unquote(value).replace("\\", "/")
    normal = posixpath.normpath(posixpath.join(base, value.lstrip("/")))
    return "" if normal == "." else normal


def leads_outside(relative: str) -> bool:
    """Whether a path from content_relative climbs out of the content folder."""
    return relative == ".." or relative.startswith("../") or relative.startswith("/")


def inside(root: str, path: str) -> bool:
    """Whether ``path`` is ``root`` or under it once every symbolic link in both is resolved."""
    real_root = os.path.realpath(root)
    real = os.path.realpath(path)
    return real == real_root or real.startswith(real_root.rstrip(os.sep) + os.sep)


def line_containing(path: str, needle: str) -> int:
    """The first line of a file that contains ``needle`` (1-based), 0 when none does; for reports
    about something found in the rendered HTML that must still name the editor's line."""
    try:
        with open(path, encoding="utf-8-sig", errors="replace") as handle:
            for number, line in enumerate(handle, start=1):
                if needle in line:
                    return number
    except OSError:
        pass
    return 0


# --- Front matter -------------------------------------------------------------------------------

_KEY_RE = re.compile(r"^([A-Za-z][A-Za-z0-9_-]*)\s*:\s?(.*)$")


@dataclass
class FrontMatter:
    """The "Key: value" lines at the top of a Markdown file, keys lower-cased, with their lines."""

    values: dict[str, str]
    lines: dict[str, int]
    body_line: int  # first line of the body (1-based)
    problems: list[Problem]

    def get(self, key: str, default: str | None = None) -> str | None:
        return self.values.get(key, default)

    def line(self, key: str) -> int:
        return self.lines.get(key, 1)


def read_front_matter(path: str, text: str | None = None) -> FrontMatter:
    """Parse front matter the way Python-Markdown's meta extension does, keeping line numbers.

    Lines of the form ``Key: value`` until the first blank line; an indented line continues the
    previous value. A line that is neither ends the front matter, as in Markdown, and is reported
    because an editor who writes ``Tittle Foo`` means a key.
    """
    if text is None:
        # Only the front matter is needed: stop reading at the first blank line.
        head = []
        with open(path, encoding="utf-8-sig") as handle:
            for raw in handle:
                head.append(raw)
                if not raw.strip():
                    break
        text = "".join(head)
    values: dict[str, str] = {}
    lines: dict[str, int] = {}
    problems: list[Problem] = []
    shown = display_path(path)
    last_key = None
    body_line = 1
    for number, raw in enumerate(text.splitlines(), start=1):
        body_line = number + 1
        if not raw.strip():
            break
        match = _KEY_RE.match(raw)
        if match:
            key = match.group(1).lower()
            if key in values:
                problems.append(Problem(shown, number, f'"{match.group(1)}" is given twice (first on line {lines[key]}); keep one'))
            values[key] = match.group(2).strip()
            lines[key] = number
            last_key = key
        elif raw[:1] in (" ", "\t") and last_key is not None:
            values[last_key] = (values[last_key] + " " + raw.strip()).strip()
        else:
            if number == 1:
                problems.append(Problem(shown, 1, 'the file does not start with front matter ("Title: ..." on the first line)'))
            else:
                problems.append(
                    Problem(shown, number, f'"{raw.strip()[:40]}" is not a "Key: value" line; leave a blank line between the front matter and the text')
                )
            body_line = number
            break
    else:
        body_line = len(text.splitlines()) + 1
    return FrontMatter(values, lines, body_line, problems)


# --- YAML with line numbers ----------------------------------------------------------------------


class LineDict(dict):
    """A YAML mapping that remembers its own line and the line of each key (1-based)."""

    line: int = 0
    key_lines: dict

    def line_of(self, key) -> int:
        return self.key_lines.get(key, self.line)


class LineList(list):
    line: int = 0


class _LineLoader(yaml.SafeLoader):
    pass


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    mapping = LineDict()
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in mapping:
            raise yaml.constructor.ConstructorError(
                None, None, f'duplicate key "{key}" (first on line {mapping.key_lines[key]})', key_node.start_mark
            )
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[key] = key_node.start_mark.line + 1
    return mapping


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> LineList:
    items = LineList(loader.construct_object(child, deep=True) for child in node.value)
    items.line = node.start_mark.line + 1
    return items


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def load_yaml(path: str):
    """Load a YAML file whose mappings and lists carry line numbers; raise ContentError on bad YAML."""
    shown = display_path(path)
    try:
        with open(path, encoding="utf-8") as handle:
            return yaml.load(handle, Loader=_LineLoader)  # noqa: S506 (a SafeLoader subclass)
    except FileNotFoundError:
        raise ContentError([Problem(shown, 0, "file not found")]) from None
    except yaml.MarkedYAMLError as error:
        # An unclosed quote or bracket is found only at the end of the file; the scanner's context
        # mark says where it was opened, which is the line the editor must fix.
        scanning = (error.context or "").startswith("while scanning") and error.context_mark
        mark = error.context_mark if scanning else (error.problem_mark or error.context_mark)
        line = mark.line + 1 if mark else 0
        what = error.problem or error.context or "not valid YAML"
        if scanning:
            what = f"{error.context[len('while '):]} opened here is not closed ({error.problem})"
        raise ContentError([Problem(shown, line, f"{what}; check the indentation and the quotes around values with ':'")]) from None
    except yaml.YAMLError as error:
        raise ContentError([Problem(shown, 0, f"not valid YAML: {error}")]) from None


def stop_build(problems: list[Problem], log) -> None:
    """Log every problem and stop the build with exit status 1, before anything is written.

    SystemExit, not an exception: Pelican would print a traceback for an exception, and an editor
    needs the list of problems, not Pelican's internals.
    """
    errors = [p for p in problems if p.level == "error"]
    for problem in problems:
        (log.error if problem.level == "error" else log.warning)("%s", problem)
    if errors:
        log.error("Build stopped: %d content error(s) above; nothing was published.", len(errors))
        raise SystemExit(1)
