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
from typing import Any, cast
from urllib.parse import unquote

import yaml

import messages

__all__ = [
    "Problem",
    "ContentError",
    "FrontMatter",
    "read_front_matter",
    "load_yaml",
    "LineDict",
    "LineList",
    "markdown_files",
    "content_objects",
    "ARTICLE_LISTS",
    "PAGE_LISTS",
    "read_text",
    "read_source",
    "text_problem",
    "control_characters",
    "content_relative",
    "leads_outside",
    "inside",
    "line_containing",
    "markdown_lines",
    "split_list",
    "YES_NO",
    "yes_no",
    "site_url",
    "setting",
    "RESERVED_IDS",
    "generated_prefixes",
    "PLACEHOLDER_BODY",
]

# The text `./portal new` writes for the editor to replace; the checks warn while it is still there.
PLACEHOLDER_BODY = "Viết nội dung bài ở đây."


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
    """Every Markdown source under ``folder`` (README.md files excepted), in a stable order. A file
    is itself (ARTICLE_PATHS may name one: the quick page of `invoke livereload`)."""
    if os.path.isfile(folder):
        return [folder] if folder.endswith(".md") and os.path.basename(folder) != "README.md" else []
    found: list[str] = []
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        found.extend(os.path.join(root, name) for name in sorted(files) if name.endswith(".md") and name != "README.md")
    return found


_FENCE_OPEN_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


def markdown_lines(text: str, first_line: int = 1):
    """(line number, line, is_code) for each line of Markdown from ``first_line`` (1-based) on:
    is_code is true inside a fenced block (its fences included) and an indented code block, where
    Markdown renders text as it is, so an embed code or a document number there is not one.

    The one reading of code blocks for the scanners of Markdown source (table embeds, cited numbers).
    """
    fence = None
    previous_blank, in_code = True, False
    for number, line in enumerate(text.splitlines(), start=1):
        if number < first_line:
            continue
        # An indented code block: lines indented four spaces (or a tab) after a blank line.
        indented = line.startswith(("    ", "\t")) and line.strip() != ""
        in_code = fence is None and indented and (previous_blank or in_code)
        previous_blank = not line.strip()
        if in_code:
            yield number, line, True
            continue
        opening = _FENCE_OPEN_RE.match(line)
        if fence is not None:
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence) and not line.strip().strip(fence[0]):
                fence = None
            yield number, line, True
            continue
        if opening:
            fence = opening.group(1)
            yield number, line, True
            continue
        yield number, line, False


def split_list(value) -> list[str]:
    """A front-matter list, "a, b , c", as its items in order, blanks dropped.

    The one reading of Topics, Tags, Attachments, Related, Files and the like: a value continued on
    an indented line reaches a plugin from Pelican's reader as a list of lines, so a list is joined
    first.
    """
    if not value:
        return []
    text = value if isinstance(value, str) else ",".join(str(item) for item in value)
    return [item.strip() for item in text.split(",") if item.strip()]


# Yes and no as editors write them (Featured: có); anything else is an error the checks name.
YES_NO = {"yes": True, "no": False, "true": True, "false": False, "có": True, "không": False}


def yes_no(value) -> bool | None:
    """True or False for a yes/no value (case and spaces ignored), None when it is neither."""
    return YES_NO.get(str(value if value is not None else "").strip().lower())


# First path segments the site already uses: a section id or page slug equal to one would
# overwrite its pages.
RESERVED_IDS = {"linh-vuc", "tu-khoa", "luu-tru", "feeds", "images", "files", "theme", "en", "ban-nhap", "tim-kiem", "van-ban", "search"}


def generated_prefixes(settings: dict) -> set[str]:
    """First path segments of the addresses the build generates itself, read from the settings
    (every *_URL and *_SAVE_AS, the feeds, the static folders), with RESERVED_IDS: a page or section
    whose address starts with one would overwrite or hide generated pages."""
    found = set(RESERVED_IDS)
    for key, value in settings.items():
        if isinstance(value, str) and (key.endswith(("_URL", "_SAVE_AS")) or key.startswith("FEED_") or key.endswith("_FEED_ATOM")):
            first = value.strip("/").split("/", 1)[0]
            if first and "{" not in first and "." not in first and ":" not in first:
                found.add(first)
    for folder in list(settings.get("STATIC_PATHS") or []) + [settings.get("THEME_STATIC_DIR") or "theme"]:
        found.add(str(folder).strip("/").split("/", 1)[0])
    return found


def site_url(settings: dict) -> str:
    """The site's absolute address without a trailing slash, for what needs a full URL (feeds,
    sitemap, canonical links, downloads): SITEURL, or LOCAL_SITEURL in a local build where SITEURL
    is empty."""
    return (settings.get("SITEURL") or settings.get("LOCAL_SITEURL") or "").rstrip("/")


def setting(settings: dict, name: str):
    """A setting pelicanconf.py must define: its defaults live there only, so a missing one is a
    clear error rather than a second default in a plugin."""
    try:
        return settings[name]
    except KeyError:
        raise SystemExit(messages.say("setting-missing", name=name)) from None


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
        value = value[marker.end() :]
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
    unreadable: bool = False  # not UTF-8 text: nothing else in it can be judged

    def get(self, key: str, default: str | None = None) -> str | None:
        return self.values.get(key, default)

    def line(self, key: str) -> int:
        return self.lines.get(key, 1)


# Characters that break feeds (XML 1.0 allows no C0 control but tab and newline), page layout
# (U+2028/U+2029 separators) or the reading of "Key: value" lines, and that editors never mean to
# type: they come from copying out of Word or a PDF. Tab is allowed; CR only before LF.
_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff]|\r(?!\n)")


def text_problem(path: str, data: bytes) -> Problem | None:
    """Why these bytes are not an editor's UTF-8 text file, naming the line of the first bad byte; or None."""
    shown = display_path(path)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return Problem(shown, 1, messages.say("file-utf16"))
    nul = data.find(b"\x00")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        return Problem(shown, line, messages.say("file-binary", line=line))
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        return Problem(shown, line, messages.say("file-not-utf8", byte=f"0x{data[error.start]:02x}", line=line))
    return None


def read_text(path: str) -> str:
    """An editor's text file as str (UTF-8, an optional byte-order mark dropped, CRLF read as LF).

    Raises ContentError naming the file and the line of the first bad byte when it is not UTF-8 text,
    and when it cannot be read at all.
    """
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as error:
        raise ContentError([Problem(display_path(path), 0, messages.say("file-unreadable", reason=error.strerror or error))]) from None
    problem = text_problem(path, data)
    if problem:
        raise ContentError([problem])
    return data.decode("utf-8-sig").replace("\r\n", "\n")


def control_characters(text: str, first_line: int = 1) -> list[tuple[int, int, str]]:
    """(line, column, "U+0007") of each line's first control or separator character, lines counted from first_line."""
    found: list[tuple[int, int, str]] = []
    if not _CONTROL_RE.search(text):
        return found
    for number, line in enumerate(text.split("\n"), start=first_line):
        match = _CONTROL_RE.search(line)
        if match:
            found.append((number, match.start() + 1, f"U+{ord(match.group()[0]):04X}"))
    return found


def read_source(path: str) -> tuple[str | None, FrontMatter]:
    """A Markdown file's text (None when it is not UTF-8 text) and its front matter, from one read."""
    try:
        text = read_text(path)
    except ContentError as error:
        return None, FrontMatter({}, {}, 1, error.problems, unreadable=True)
    return text, read_front_matter(path, text)


def read_front_matter(path: str, text: str | None = None) -> FrontMatter:
    """Parse front matter the way Python-Markdown's meta extension does, keeping line numbers.

    Lines of the form ``Key: value`` until the first blank line; an indented line continues the
    previous value. A line that is neither ends the front matter, as in Markdown, and is reported
    because an editor who writes ``Tittle Foo`` means a key. A file that is not UTF-8 text gives
    no values and one problem naming the line of its first bad byte; a control character in a
    value or in the text (it would break the feeds) is a problem on its line.
    """
    if text is None:
        return read_source(path)[1]
    shown = display_path(path)
    values: dict[str, str] = {}
    lines: dict[str, int] = {}
    problems: list[Problem] = []
    last_key = None
    body_line = 1
    # Lines end at "\n" only, as Python-Markdown splits them: str.splitlines() would also split at
    # form feeds and Unicode separators, and the lines reported would not be the editor's lines.
    blank_follows = "\n\n" in text
    head = text.split("\n\n", 1)[0] if blank_follows else text.removesuffix("\n")
    rows = head.split("\n") if head else []
    ended = False
    for number, raw in enumerate(rows, start=1):
        body_line = number + 1
        if not raw.strip():
            ended = True
            break
        match = _KEY_RE.match(raw)
        if match:
            key = match.group(1).lower()
            if key in values:
                problems.append(Problem(shown, number, messages.say("key-twice", key=match.group(1), first=lines[key])))
            values[key] = match.group(2).strip()
            lines[key] = number
            last_key = key
        elif raw[:1] in (" ", "\t") and last_key is not None:
            values[last_key] = (values[last_key] + " " + raw.strip()).strip()
        else:
            if number == 1:
                problems.append(Problem(shown, 1, messages.say("front-matter-missing")))
            else:
                problems.append(Problem(shown, number, messages.say("front-matter-bad-line", text=raw.strip()[:40])))
            body_line = number
            ended = True
            break
    if not ended:
        body_line = len(rows) + (2 if blank_follows else 1)
    for number, column, code in control_characters(text):
        key = "control-character-front-matter" if number < body_line else "control-character-text"
        problems.append(Problem(shown, number, messages.say(key, code=code, column=column)))
    return FrontMatter(values, lines, body_line, problems)


# --- YAML with line numbers ----------------------------------------------------------------------


class LineDict(dict[Any, Any]):
    """A YAML mapping that remembers its own line and the line of each key (1-based)."""

    line: int = 0
    key_lines: dict[Any, int]

    def line_of(self, key: object) -> int:
        return self.key_lines.get(key, self.line)


class LineList(list[Any]):
    line: int = 0


# Deeper than any data file an editor writes, far from Python's recursion limit.
YAML_MAX_DEPTH = 64


class _LineLoader(yaml.SafeLoader):
    """The SafeLoader, refusing what only a mistake or an attack writes: aliases, very deep nesting."""

    _depth = 0

    def compose_node(self, parent, index):
        event = self.peek_event()
        # The pure-Python loader's marks are yaml.Mark; the stubs also allow the C parser's Mark.
        mark = cast("yaml.Mark | None", event.start_mark)
        # An alias repeats what its anchor holds: nested a few times ("billion laughs") a 1 KB file
        # expands to gigabytes and minutes of work. Editors' data never needs one, so none is read.
        if isinstance(event, yaml.AliasEvent):
            raise _Refused(messages.say("yaml-alias", anchor=event.anchor), mark)
        if self._depth >= YAML_MAX_DEPTH:
            raise _Refused(messages.say("yaml-too-deep", depth=YAML_MAX_DEPTH), mark)
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


class _Refused(yaml.MarkedYAMLError):
    """Valid YAML the portal does not read; the message is the whole explanation."""

    def __init__(self, message: str, mark: yaml.Mark | None):
        super().__init__(problem=message, problem_mark=mark)
        # MarkedYAMLError's problem may be None; this message never is.
        self.message = message
        self.line = mark.line + 1 if mark is not None else 0


def _construct_scalar_checked(construct, what_key: str):
    # PyYAML raises a bare ValueError, with no line, for 2024-02-31 or an integer of 5,000 digits.
    def checked(loader, node):
        try:
            return construct(loader, node)
        except ValueError:
            raise _Refused(messages.say(what_key, value=node.value[:40]), node.start_mark) from None

    return checked


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    mapping = LineDict()
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in mapping:
            raise yaml.constructor.ConstructorError(None, None, messages.say("yaml-duplicate-key", key=key, first=mapping.key_lines[key]), key_node.start_mark)
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[key] = key_node.start_mark.line + 1
    return mapping


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> LineList:
    items = LineList(loader.construct_object(child, deep=True) for child in node.value)
    items.line = node.start_mark.line + 1
    return items


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
for _tag, _what in (("int", "yaml-bad-int"), ("float", "yaml-bad-float"), ("timestamp", "yaml-bad-date")):
    _LineLoader.add_constructor(f"tag:yaml.org,2002:{_tag}", _construct_scalar_checked(yaml.SafeLoader.yaml_constructors[f"tag:yaml.org,2002:{_tag}"], _what))


def load_yaml(path: str) -> object:
    """Load a YAML file whose mappings and lists carry line numbers; raise ContentError on bad YAML.

    Mappings are LineDict and lists LineList; the top level may also be a scalar, a set (!!set), a
    plain list of pairs (!!omap) or None (an empty file), so callers check what they got.
    """
    shown = display_path(path)
    if not os.path.exists(path):
        raise ContentError([Problem(shown, 0, messages.say("file-not-found"))])
    text = read_text(path)  # not UTF-8 text: the line of the first bad byte
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 (a SafeLoader subclass)
    except yaml.MarkedYAMLError as error:
        if isinstance(error, _Refused):
            raise ContentError([Problem(shown, error.line, error.message)]) from None
        # An unclosed quote or bracket is found only at the end of the file; the scanner's context
        # mark says where it was opened, which is the line the editor must fix.
        context = error.context or ""
        scanning = context.startswith("while scanning") and error.context_mark
        mark = error.context_mark if scanning else (error.problem_mark or error.context_mark)
        line = mark.line + 1 if mark else 0
        # PyYAML's own words say what it found (they stay English: they are the library's).
        what = error.problem or context or messages.say("yaml-not-valid")
        if scanning:
            what = messages.say("yaml-not-closed", what=context[len("while ") :], problem=error.problem)
        raise ContentError([Problem(shown, line, messages.say("yaml-syntax", what=what))]) from None
    except yaml.YAMLError as error:
        raise ContentError([Problem(shown, 0, messages.say("yaml-invalid", error=error))]) from None


def stop_build(problems: list[Problem], log) -> None:
    """Log every problem and stop the build with exit status 1, before anything is written.

    SystemExit, not an exception: Pelican would print a traceback for an exception, and an editor
    needs the list of problems, not Pelican's internals.
    """
    errors = [p for p in problems if p.level == "error"]
    for problem in problems:
        (log.error if problem.level == "error" else log.warning)("%s", problem)
    if errors:
        log.error("%s", messages.say("build-stopped-content", errors=len(errors)))
        raise SystemExit(1)
