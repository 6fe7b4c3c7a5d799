"""Registered documents: one Markdown file each in content/documents/, read and checked with line numbers.

A document file is front matter and an optional body (a summary of the content, in Markdown):

    Number: 2410/UBND-KSTT
    Kind: Công văn
    Issuer: UBND tỉnh Bình An
    Signer: Trần Quốc Hưng
    Signed: 2021-07-12
    Effective: 2021-07-12
    Status: còn hiệu lực
    Title: Về việc đẩy mạnh cung cấp, sử dụng dịch vụ công trực tuyến và số hóa hồ sơ
    Topics: chinh-quyen-so, cai-cach-tthc
    Files: files/2021/cong-van-2410-ubnd-kstt.pdf
    Link: https://vbpl.vn/...

Status is one of STATUSES (written as the id or the words); ``ReplacedBy: <number>`` says which
document replaced this one (Status "thay-the", which it implies), ``AmendedBy: <number>, ...`` which
documents amended it. Both must name registered documents. Plain functions from files to
Documents and Problems; nothing here knows Pelican.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import date

from sitefiles import split_title, title_problem

import messages
import vntext
from sourcefiles import ContentError, Problem, display_path, read_front_matter, read_text, split_list

__all__ = ["Document", "KINDS", "STATUSES", "KEYS", "parse_document", "link_relations", "kind_of_number", "parse_day"]

KEYS = {"number", "kind", "issuer", "signer", "signed", "effective", "status", "replacedby", "amendedby", "title", "topics", "files", "link"}
# Kinds of document an editor may write (Kind: ...), in the order the registry lists them.
KINDS = [
    "Luật",
    "Nghị quyết",
    "Nghị định",
    "Quyết định",
    "Chỉ thị",
    "Thông tư",
    "Kế hoạch",
    "Công văn",
    "Thông báo",
    "Kết luận",
    "Hướng dẫn",
    "Báo cáo",
    "Quy chế",
    "Chương trình",
    "Đề án",
]
# The abbreviation of a kind in a number (107/2020/NĐ-CP is a Nghị định), folded as numbers are.
KIND_CODES = {
    "QD": "Quyết định",
    "KH": "Kế hoạch",
    "CT": "Chỉ thị",
    "TB": "Thông báo",
    "ND": "Nghị định",
    "NQ": "Nghị quyết",
    "TT": "Thông tư",
    "HD": "Hướng dẫn",
    "BC": "Báo cáo",
    "KL": "Kết luận",
    "QC": "Quy chế",
    "CTR": "Chương trình",
    "DA": "Đề án",
}
STATUSES = {"con-hieu-luc": "Còn hiệu lực", "het-hieu-luc-mot-phan": "Hết hiệu lực một phần", "het-hieu-luc": "Hết hiệu lực", "thay-the": "Đã bị thay thế"}
_STATUS_ALIASES = {"bi-thay-the": "thay-the", "da-bi-thay-the": "thay-the"}
_DAY_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
# Front-matter keys of a document as editors write them, for messages.
KEY_NAMES = {key: key.capitalize() for key in KEYS} | {"replacedby": "ReplacedBy", "amendedby": "AmendedBy"}


@dataclass(eq=False)
class Document:
    number: str  # as printed: 06/QĐ-TTg
    key: str  # vntext.normalize_document_number: 6/QD-TTG
    slug: str  # 06-qd-ttg
    kind: str  # "Quyết định"
    issuer: str
    signed: date
    title: str  # the excerpt (trích yếu)
    source_path: str
    lines: dict[str, int]
    body_line: int = 1
    signer: str = ""
    effective: date | None = None
    status: str = ""  # an id of STATUSES, or "" when the file does not say
    replaced_by_number: str = ""
    amended_by_numbers: list[str] = field(default_factory=list)
    topic_ids: list[str] = field(default_factory=list)
    file_paths: list[str] = field(default_factory=list)
    link: str = ""
    body_markdown: str = ""
    # Filled in later: by link_relations, by the plugin (address, topics, files, body, citing articles).
    replaced_by: Document | None = None
    replaces: list[Document] = field(default_factory=list)
    amended_by: list[Document] = field(default_factory=list)
    amends: list[Document] = field(default_factory=list)
    url: str = ""
    save_as: str = ""
    topics: list = field(default_factory=list)
    files: list[dict] = field(default_factory=list)
    body: str = ""  # HTML
    articles: list = field(default_factory=list)

    @property
    def heading(self) -> str:
        """'Quyết định số 06/QĐ-TTg': how a reader names it."""
        return f"{self.kind} số {self.number}"

    @property
    def full_title(self) -> str:
        return f"{self.heading}: {self.title}"

    @property
    def year(self) -> int:
        return self.signed.year

    @property
    def kind_slug(self) -> str:
        return vntext.slugify(self.kind)

    @property
    def issuer_slug(self) -> str:
        return vntext.slugify(self.issuer)

    @property
    def status_label(self) -> str:
        return STATUSES.get(self.status, "")

    def line(self, key: str) -> int:
        return self.lines.get(key, 1)

    def __str__(self) -> str:
        return self.heading


def parse_day(text: str) -> date | None:
    match = _DAY_RE.match(text.strip())
    if not match:
        return None
    try:
        return date(*map(int, match.groups()))
    except ValueError:
        return None


def document_number(value: str) -> str | None:
    """The normal form of a number written alone, or None when it is not exactly one document number
    as the detector finds it in text (so a registered number can always be linked)."""
    found = vntext.find_document_numbers(value.strip())
    if len(found) != 1 or found[0][2] != value.strip():
        return None
    return found[0][3]


def kind_of_number(key: str) -> str | None:
    """The kind a normalised number names by its abbreviation: '107/2020/ND-CP' -> 'Nghị định'."""
    if "-" in key.split("/", 1)[0]:  # 39-NQ/TW: the Party's number-kind/issuer
        return KIND_CODES.get(key.split("/", 1)[0].split("-", 1)[1])
    first_code = key.rsplit("/", 1)[-1].split("-", 1)[0]
    return KIND_CODES.get(first_code)


def _known_kind(value: str) -> str | None:
    wanted = vntext.slugify(value)
    return next((kind for kind in KINDS if vntext.slugify(kind) == wanted), None)


def parse_document(path: str, settings: dict, text: str | None = None) -> tuple[Document | None, list[Problem]]:
    """One document file: the Document (None when an error leaves it unusable) and its problems.

    Relations (ReplacedBy, AmendedBy) are checked against the other documents by link_relations.
    """
    if text is None:
        try:
            text = read_text(path)
        except ContentError as unreadable:
            return None, unreadable.problems
    meta = read_front_matter(path, text)
    shown = display_path(path)
    problems = list(meta.problems)
    errors_before = len(problems)

    def error(key: str, message: str, level: str = "error") -> None:
        problems.append(Problem(shown, meta.line(key) if key in meta.values else (1 if key else 0), message, level))

    for name, line in meta.lines.items():
        if name not in KEYS:
            known = ", ".join(sorted(KEY_NAMES.values()))
            problems.append(Problem(shown, line, messages.say("key-unknown", key=name, known=known), "warning"))

    number = meta.get("number") or ""
    key = None
    if not number:
        error("number", messages.say("document-number-missing"))
    else:
        key = document_number(number)
        if key is None:
            error("number", messages.say("document-number-invalid", key="Number", number=number))

    kind = None
    kind_text = meta.get("kind")
    if not kind_text:
        error("kind", messages.say("document-kind-missing", known=", ".join(KINDS)))
    else:
        kind = _known_kind(kind_text)
        if kind is None:
            error("kind", messages.say("document-kind-unknown", kind=meta.get("kind"), known=", ".join(KINDS)))
        elif key and kind_of_number(key) and kind_of_number(key) != kind:
            error("kind", messages.say("document-kind-number", kind=kind, number=number, expected=kind_of_number(key)), "warning")

    issuer = " ".join((meta.get("issuer") or "").split())
    if not issuer:
        error("issuer", messages.say("document-issuer-missing"))
    elif not vntext.slugify(issuer):
        # The issuer's filter page is /van-ban/co-quan/<slug>/: an empty slug would link to "//".
        error("issuer", messages.say("document-issuer-no-address", issuer=issuer))
    title = " ".join((meta.get("title") or "").split())
    if not title:
        error("title", messages.say("document-title-missing"))

    signed = None
    signed_text = meta.get("signed")
    if not signed_text:
        error("signed", messages.say("document-signed-missing"))
    else:
        signed = parse_day(signed_text)
        if signed is None:
            error("signed", messages.say("document-day-invalid", key="Signed", value=meta.get("signed")))
        elif key and re.match(r"^\d+[A-Z]?/((?:19|20)\d\d)/", key) and int(key.split("/")[1]) != signed.year:
            error("signed", messages.say("document-signed-year", signed=f"{signed:%Y-%m-%d}", number=number, year=key.split("/")[1]), "warning")
    effective = None
    effective_text = meta.get("effective")
    if effective_text:
        effective = parse_day(effective_text)
        if effective is None:
            error("effective", messages.say("document-day-invalid", key="Effective", value=meta.get("effective")))
        elif signed and effective < signed:
            error("effective", messages.say("document-effective-before", effective=f"{effective:%Y-%m-%d}", signed=f"{signed:%Y-%m-%d}"), "warning")

    status = ""
    replaced_by = meta.get("replacedby") or ""
    status_text = meta.get("status")
    if status_text:
        status = vntext.slugify(status_text)
        status = _STATUS_ALIASES.get(status, status)
        if status not in STATUSES:
            choices = ", ".join(f"{ident} ({label})" for ident, label in STATUSES.items())
            error("status", messages.say("document-status-unknown", status=meta.get("status"), known=choices))
            status = ""
    if replaced_by and status and status != "thay-the":
        error("replacedby", messages.say("document-replaced-status", replaced_by=replaced_by, status=meta.get("status")))
    elif replaced_by:
        status = "thay-the"
    elif status == "thay-the":
        error("status", messages.say("document-status-needs-replacement"))
    for relation, label in (("replacedby", "ReplacedBy"), ("amendedby", "AmendedBy")):
        for other in split_list(meta.get(relation)):
            if document_number(other) is None:
                error(relation, messages.say("document-number-invalid", key=label, number=other))
            elif key and document_number(other) == key:
                error(relation, messages.say("document-relation-self", key=label, number=other))
    if len(split_list(replaced_by)) > 1:
        error("replacedby", messages.say("document-replaced-by-many"))

    topics = split_list(meta.get("topics"))
    known_topics = settings.get("TOPICS_BY_ID", {})
    for topic in topics:
        if topic not in known_topics:
            error("topics", messages.say("topic-unknown", topic=topic, known=", ".join(known_topics)))

    content_path = settings["PATH"]
    limit_mb = settings.get("ATTACHMENT_MAX_MB", 20)
    files = split_list(meta.get("files"))
    for item in files:
        value, _title = split_title(item)  # "files/x.pdf | Toàn văn quyết định"
        wrong_title = title_problem("Files", item)
        if wrong_title:
            error("files", wrong_title)
        full = os.path.join(content_path, value.lstrip("/"))
        if not os.path.isfile(full):
            error("files", messages.say("document-file-missing", value=value, root=display_path(content_path)))
        elif os.path.getsize(full) > limit_mb * 1024 * 1024:
            error("files", messages.say("document-file-too-big", value=value, limit=limit_mb), "warning")

    link = (meta.get("link") or "").strip()
    if link and not link.startswith(("https://", "http://")):
        error("link", messages.say("document-link-invalid", link=link))

    if any(p.level == "error" for p in problems[errors_before:]) or any(p.level == "error" for p in meta.problems):
        return None, problems
    # A missing or unreadable number, kind or date is an error above; naming them tells the type checker.
    if key is None or kind is None or signed is None:
        return None, problems
    lines = text.splitlines()
    body = "\n".join(lines[meta.body_line - 1 :]).strip("\n") if meta.body_line <= len(lines) else ""
    document = Document(
        number=number.strip(),
        key=key,
        slug=vntext.slugify(number),
        kind=kind,
        issuer=issuer,
        signed=signed,
        title=title,
        source_path=path,
        lines=dict(meta.lines),
        body_line=meta.body_line,
        signer=" ".join((meta.get("signer") or "").split()),
        effective=effective,
        status=status,
        replaced_by_number=replaced_by.strip(),
        amended_by_numbers=split_list(meta.get("amendedby")),
        topic_ids=topics,
        file_paths=files,
        link=link,
        body_markdown=body,
    )
    return document, problems


def link_relations(documents: list[Document]) -> list[Problem]:
    """Check that every number, address and relation is unique and known; fill the relation fields.

    Documents come in file order; the second of two with one number (or one address) is reported.
    """
    problems: list[Problem] = []
    by_key: dict[str, Document] = {}
    by_slug: dict[str, Document] = {}
    for document in documents:
        shown = display_path(document.source_path)
        first = by_key.get(document.key)
        if first is not None:
            problems.append(
                Problem(
                    shown,
                    document.line("number"),
                    messages.say("document-number-twice", number=document.number, other=display_path(first.source_path), first=first.number),
                )
            )
            continue
        clash = by_slug.get(document.slug)
        if clash is not None:
            problems.append(
                Problem(
                    shown,
                    document.line("number"),
                    messages.say(
                        "document-address-twice", number=document.number, slug=document.slug, other=clash.number, path=display_path(clash.source_path)
                    ),
                )
            )
            continue
        by_key[document.key] = document
        by_slug[document.slug] = document
    for document in by_key.values():
        shown = display_path(document.source_path)
        document.replaced_by, document.replaces, document.amended_by, document.amends = None, [], [], []
        if document.replaced_by_number:
            target = by_key.get(document_number(document.replaced_by_number) or "")
            if target is None:
                problems.append(
                    Problem(shown, document.line("replacedby"), messages.say("document-relation-unknown", key="ReplacedBy", number=document.replaced_by_number))
                )
            else:
                document.replaced_by = target
                if target.signed < document.signed:
                    problems.append(
                        Problem(
                            shown,
                            document.line("replacedby"),
                            messages.say(
                                "document-replaced-earlier", number=target.number, signed=f"{target.signed:%Y-%m-%d}", own=f"{document.signed:%Y-%m-%d}"
                            ),
                            "warning",
                        )
                    )
        for number in document.amended_by_numbers:
            target = by_key.get(document_number(number) or "")
            if target is None:
                problems.append(Problem(shown, document.line("amendedby"), messages.say("document-relation-unknown", key="AmendedBy", number=number)))
            elif target not in document.amended_by:
                document.amended_by.append(target)
    # A chain of replacements must end: A replaced by B replaced by A is a mistake in one of them.
    for document in by_key.values():
        seen: list[Document] = []
        node: Document | None = document
        while node is not None and node not in seen:
            seen.append(node)
            node = node.replaced_by
        if node is document:
            chain = " -> ".join(d.number for d in seen + [document])
            problems.append(Problem(display_path(document.source_path), document.line("replacedby"), messages.say("document-replacement-circle", chain=chain)))
    for document in by_key.values():
        if document.replaced_by is not None:
            document.replaced_by.replaces.append(document)
        for target in document.amended_by:
            target.amends.append(document)
    for document in by_key.values():
        document.replaces.sort(key=lambda d: (d.signed, d.key))
        document.amends.sort(key=lambda d: (d.signed, d.key))
        document.amended_by.sort(key=lambda d: (d.signed, d.key))
    return problems
