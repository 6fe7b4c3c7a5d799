"""Open-data downloads of a table: CSV for spreadsheets, JSON for programs."""

from __future__ import annotations

import csv
import io
import json
import re

from .model import Table

__all__ = ["to_csv", "to_json", "table_record", "neutralise"]


# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection): OWASP's list.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?%?")


def _heading(column) -> str:
    return f"{column.label} ({column.unit})" if column.unit else column.label


def neutralise(text: str) -> str:
    """Text a spreadsheet shows as text: a leading apostrophe before what would start a formula.

    A plain number ("-3.5") cannot be a formula and stays a number; "-2+3" or "=HYPERLINK(...)" are
    written '-2+3 and '=HYPERLINK(...), which Excel and LibreOffice show as typed.
    """
    if text.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def _cell_text(cell) -> str:
    text = cell.column.export_text(cell.value)
    return neutralise(text) if isinstance(cell.value, str) else text


def to_csv(table: Table) -> str:
    """Column labels as the header, machine-readable values (decimal point, ISO dates, 18/18).

    Starts with a byte-order mark: without it, Excel on Windows reads UTF-8 Vietnamese as mojibake.
    Labels and text cells come from editors (or whoever gets a commit in): see neutralise.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise(_heading(c)) for c in table.columns])
    for row in table.rows:
        # Numbers, dates and ratios are written by the portal, never as a formula: only text is neutralised.
        writer.writerow([_cell_text(cell) for cell in row.cells])
    return "\ufeff" + buffer.getvalue()


def table_record(table: Table, siteurl: str = "") -> dict:
    """The table as plain data: what it is, where it comes from, its columns and rows."""
    return {
        "id": table.id,
        "title": table.title,
        "description": table.description or None,
        "period": table.period,
        "unit": table.unit or None,
        "source": table.source,
        "updated": table.updated.isoformat() if table.updated else None,
        "url": f"{siteurl}/{table.url}" if table.url else None,
        "columns": [
            {"id": c.id, "label": c.label, "type": c.type, "unit": c.unit or None, **({"decimals": c.decimals} if c.type in ("number", "percent") else {})}
            for c in table.columns
        ],
        "rows": [{cell.column.id: cell.column.export(cell.value) for cell in row.cells} for row in table.rows],
        "notes": list(table.notes),
    }


def to_json(table: Table, siteurl: str = "") -> str:
    return json.dumps(table_record(table, siteurl), ensure_ascii=False, indent=2) + "\n"
