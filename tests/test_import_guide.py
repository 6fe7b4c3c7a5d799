"""docs/huong-dan-nhap-bai.md: the commands and options it shows exist, the messages it quotes are the catalogue's."""

from __future__ import annotations

import re

import messages
import tasks
from conftest import ROOT

GUIDE = (ROOT / "docs" / "huong-dan-nhap-bai.md").read_text(encoding="utf-8")


def test_the_commands_and_their_options_are_real_tasks():
    names = set(re.findall(r"\./portal ([a-z-]+)", GUIDE))
    assert {"import-docx", "import-html", "check", "new"} <= names
    for name in names:
        assert hasattr(tasks, name.replace("-", "_")), name
    for option in set(re.findall(r"`(?:\./portal import-html [^`]*)?--([a-z]+)", GUIDE)):
        assert option in tasks.import_html.help, option


def test_the_quoted_messages_are_the_catalogue_s():
    texts = [entry["vi"] for entry in messages.catalogue().values()]
    table = GUIDE.split("## Thông báo thường gặp")[1]
    quoted = [row.split(" | ")[0].strip("| ") for row in table.splitlines() if row.startswith("| ")][1:]
    assert len(quoted) >= 8
    for line in quoted:
        pieces = [piece.strip(' "') for piece in line.split("…") if piece.strip(' "')]
        assert any(all(piece in text for piece in pieces) for text in texts), line
