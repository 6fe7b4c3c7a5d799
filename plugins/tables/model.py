"""Result tables read from content/data/tables/<id>.yaml: the format, its validation and the model.

Everything here is a plain function from data to data, so the build and the tests share it without
Pelican. Every problem names the file and the line an editor has to change.
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass, field
from datetime import date, datetime

import messages
import vntext
from sourcefiles import ContentError, LineDict, Problem, display_path, load_yaml

__all__ = ["TYPES", "CHART_TYPES", "Column", "Cell", "Row", "Chart", "Table", "parse_table", "load_tables", "numeric_value"]

# Column types, each with the message key saying what a value of it looks like in the YAML file.
TYPES = {
    "text": "table-type-text",
    "integer": "table-type-integer",
    "number": "table-type-number",
    "percent": "table-type-percent",
    "year": "table-type-year",
    "date": "table-type-date",
    "ratio": "table-type-ratio",
}
NUMERIC_TYPES = {"integer", "number", "percent", "ratio"}
# Charts put counts (integer, number) and shares (percent, ratio as a percentage) on different scales.
SHARE_TYPES = {"percent", "ratio"}
CHART_TYPES = ("bar", "stacked-bar", "line")
DEFAULT_DECIMALS = {"number": 1, "percent": 1}

TABLE_KEYS = ("title", "description", "section", "period", "unit", "source", "updated", "key", "columns", "rows", "notes", "chart")
# The keys a table must have, each with the message key saying what it holds.
REQUIRED_KEYS = {
    "title": "table-key-title",
    "section": "table-key-section",
    "period": "table-key-period",
    "source": "table-key-source",
    "columns": "table-key-columns",
    "rows": "table-key-rows",
}
COLUMN_KEYS = ("id", "label", "type", "unit", "decimals")
CHART_KEYS = ("type", "x", "series", "title", "description")

_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_COLUMN_ID_RE = re.compile(r"^[a-z][a-z0-9]*(?:[_-][a-z0-9]+)*$")
_RATIO_RE = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")
_GROUPED_RE = re.compile(r"^\d{1,3}(?:[.,]\d{3})+$")  # 1.124 or 1,124 (a thousands separator)
# No figure of a reform report comes near a million billion; past it a value is a slip of the keyboard
# (1e308), and its hundreds of digits would squeeze the chart's bars to nothing.
FIGURE_MAX = 10**15


# --- Model ---------------------------------------------------------------------------------------


@dataclass
class Column:
    id: str
    label: str
    type: str
    unit: str = ""
    decimals: int = 0
    is_key: bool = False

    @property
    def numeric(self) -> bool:
        """Right-aligned in the table, and allowed as a chart series."""
        return self.type in NUMERIC_TYPES

    @property
    def css_class(self) -> str:
        """How the column's cells are laid out: figures right-aligned, words given room, dates kept whole."""
        return "num" if self.numeric else "text" if self.type == "text" else "nowrap"

    def format(self, value) -> str:
        """The value as a Vietnamese reader writes it: 1.124; 78,62; 98,2%; 12/10/2020; 18/18."""
        if value is None:
            return "–"
        if self.type == "integer":
            return vntext.format_number(value)
        if self.type == "number":
            return vntext.format_number(value, self.decimals)
        if self.type == "percent":
            # Fixed decimals, not format_percent's trimmed ones, so a column's figures line up.
            return vntext.format_number(value, self.decimals) + "%"
        if self.type == "year":
            return str(value)
        if self.type == "date":
            return vntext.format_date(value)
        if self.type == "ratio":
            return f"{vntext.format_number(value[0])}/{vntext.format_number(value[1])}"
        return str(value)

    def export(self, value):
        """The value in the JSON download: numbers stay numbers, dates ISO, ratios a pair."""
        if value is None:
            return None
        if self.type == "date":
            return value.isoformat()
        if self.type == "ratio":
            return {"numerator": value[0], "denominator": value[1]}
        return value

    def export_text(self, value) -> str:
        """The value in the CSV download: machine-readable (decimal point, ISO dates, 18/18)."""
        if value is None:
            return ""
        if self.type == "date":
            return value.isoformat()
        if self.type == "ratio":
            return f"{value[0]}/{value[1]}"
        return str(value)


def numeric_value(column: Column, value) -> float | None:
    """What a chart draws for a value: the number itself, or a ratio as a percentage."""
    if value is None:
        return None
    if column.type == "ratio":
        return value[0] / value[1] * 100
    return float(value)


@dataclass
class Cell:
    column: Column
    value: object
    text: str

    @property
    def missing(self) -> bool:
        return self.value is None


@dataclass
class Row:
    cells: list[Cell]
    line: int = 0

    def value(self, column_id: str):
        return next(c.value for c in self.cells if c.column.id == column_id)

    def cell(self, column_id: str) -> Cell:
        return next(c for c in self.cells if c.column.id == column_id)


@dataclass
class Chart:
    type: str
    x: Column
    series: list[Column]
    title: str
    description: str = ""


@dataclass(eq=False)
class Table:
    id: str
    title: str
    section_id: str
    period: str
    source: str
    columns: list[Column]
    rows: list[Row]
    description: str = ""
    unit: str = ""
    notes: list[str] = field(default_factory=list)
    updated: date | None = None
    chart: Chart | None = None
    source_path: str = ""
    # Filled in by the plugin: addresses, the Section object, the articles that embed the table.
    url: str = ""
    save_as: str = ""
    section: object = None
    articles: list = field(default_factory=list)

    @property
    def key(self) -> Column:
        return next(c for c in self.columns if c.is_key)

    @property
    def csv_name(self) -> str:
        return f"{self.id}.csv"

    @property
    def json_name(self) -> str:
        return f"{self.id}.json"

    @property
    def csv_url(self) -> str:
        return self.url + self.csv_name

    @property
    def json_url(self) -> str:
        return self.url + self.json_name


# --- Parsing and validation ----------------------------------------------------------------------


class _Report:
    """Problems of one file, each with its line."""

    def __init__(self, path: str):
        self.path = display_path(path)
        self.problems: list[Problem] = []

    def error(self, line: int, message: str, /, **values: object) -> None:
        """A problem on ``line``: the catalogue's ``message`` with its values."""
        self.problems.append(Problem(self.path, line, messages.say(message, **values)))


def _line(mapping, key=None) -> int:
    if isinstance(mapping, LineDict):
        return mapping.line_of(key) if key is not None else mapping.line
    return getattr(mapping, "line", 0)


def _text(data: LineDict, key: str, report: _Report, required: bool = False, scalar_ok: bool = False) -> str:
    value = data.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            report.error(data.line, "table-key-missing", key=key, what=messages.say(REQUIRED_KEYS[key]))
        return ""
    if scalar_ok and isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        report.error(_line(data, key), "table-not-text", key=key, value=repr(value))
        return ""
    return " ".join(value.split())


def _parse_value(column: Column, value):
    """(value, None) when the YAML value fits the column's type, else (None, what is wrong)."""
    value, wrong = _read_value(column, value)
    if wrong is None:
        return value, None
    key, values = wrong
    return None, messages.say(key, kind=messages.say(TYPES[column.type]), **values)


def _read_value(column: Column, value) -> tuple[object, tuple[str, dict] | None]:
    """(value, None), or (None, (message key, its values)): the sentence is made only for a wrong value."""
    kind = column.type
    shown = f'"{value}"' if isinstance(value, str) else repr(value)
    not_kind = ("value-not-of-type", {"value": shown})
    if kind == "text":
        if isinstance(value, str) and value.strip():
            return " ".join(value.split()), None
        if isinstance(value, bool):
            return None, ("value-yes-no-not-text", {"value": shown})
        return None, ("value-not-text", {"value": shown})
    if isinstance(value, bool):
        return None, not_kind
    if isinstance(value, float) and not math.isfinite(value):
        return None, ("value-not-finite", {"value": shown})
    if isinstance(value, (int, float)) and abs(value) > FIGURE_MAX:
        return None, ("value-too-large", {"value": shown})
    if kind == "integer":
        if isinstance(value, int):
            return value, None
        # YAML reads 1.124 (a Vietnamese thousands point) as the decimal 1.124: say so.
        grouped = repr(value) if isinstance(value, float) else str(value)
        if _GROUPED_RE.match(grouped):
            digits = re.sub(r"[.,]", "", grouped)
            return None, ("value-thousands-separator", {"value": shown, "digits": digits})
        return None, not_kind
    if kind in ("number", "percent"):
        if isinstance(value, str):
            candidate = value.strip().rstrip("%").strip()
            if re.fullmatch(r"-?\d+,\d+", candidate):
                return None, ("value-decimal-comma", {"value": shown, "fixed": candidate.replace(",", ".")})
            if value.strip().endswith("%") and re.fullmatch(r"-?\d+(\.\d+)?", candidate):
                return None, ("value-percent-sign", {"value": shown, "fixed": candidate})
            return None, not_kind
        if not isinstance(value, (int, float)):
            return None, not_kind
        if kind == "percent" and not 0 <= value <= 100:
            return None, not_kind
        return value, None
    if kind == "year":
        if isinstance(value, int) and 1900 <= value <= 2100:
            return value, None
        return None, not_kind
    if kind == "date":
        if isinstance(value, datetime):
            return None, ("value-date-with-time", {"value": shown})
        if isinstance(value, date):
            return value, None
        return None, not_kind
    if kind == "ratio":
        match = _RATIO_RE.match(value) if isinstance(value, str) else None
        if not match:
            return None, not_kind
        numerator, denominator = int(match.group(1)), int(match.group(2))
        if denominator > FIGURE_MAX:
            return None, ("ratio-too-large", {"value": value})
        if denominator == 0:
            return None, ("ratio-zero", {"value": value})
        if numerator > denominator:
            return None, ("ratio-part-larger", {"value": value, "part": numerator, "whole": denominator})
        return (numerator, denominator), None
    raise ValueError(kind)


def _comma_hint(entry, key) -> str:
    # In "{label: Sửa đổi, bổ sung}" the comma ends the label and "bổ sung" becomes a key.
    return messages.say("table-comma-hint") if entry[key] is None else ""


def _parse_columns(data: LineDict, report: _Report) -> list[Column]:
    raw = data.get("columns")
    if raw is None:
        return []
    if not isinstance(raw, list) or not raw:
        report.error(_line(data, "columns"), "columns-not-list")
        return []
    columns: list[Column] = []
    seen: dict[str, int] = {}
    for entry in raw:
        if not isinstance(entry, LineDict):
            report.error(_line(raw), "column-not-entry", entry=repr(entry))
            continue
        for key in entry:
            if key not in COLUMN_KEYS:
                report.error(entry.line_of(key), "column-key-unknown", key=key, known=", ".join(COLUMN_KEYS), hint=_comma_hint(entry, key))
        ident = entry.get("id")
        if not isinstance(ident, str) or not _COLUMN_ID_RE.match(ident):
            if ident is None:
                report.error(entry.line, "column-id-missing")
            else:
                report.error(entry.line_of("id"), "column-id-invalid", ident=ident)
            continue
        if ident in seen:
            report.error(entry.line_of("id"), "column-id-twice", ident=ident, first=seen[ident])
            continue
        seen[ident] = entry.line_of("id")
        label = entry.get("label")
        if not isinstance(label, str) or not label.strip():
            report.error(entry.line_of("label"), "column-label-missing", ident=ident)
            label = ident
        kind = entry.get("type")
        if kind not in TYPES:
            where = entry.line_of("type")
            if kind is None:
                report.error(where, "column-type-missing", ident=ident, known=", ".join(TYPES))
            else:
                report.error(where, "column-type-unknown", ident=ident, kind=kind, known=", ".join(TYPES))
            kind = "text"
        decimals = entry.get("decimals", DEFAULT_DECIMALS.get(kind, 0))
        if "decimals" in entry and kind not in DEFAULT_DECIMALS:
            report.error(entry.line_of("decimals"), "column-decimals-type", ident=ident)
            decimals = 0
        elif not isinstance(decimals, int) or isinstance(decimals, bool) or not 0 <= decimals <= 6:
            report.error(entry.line_of("decimals"), "column-decimals-invalid", ident=ident)
            decimals = DEFAULT_DECIMALS.get(kind, 0)
        unit = entry.get("unit") or ""
        if not isinstance(unit, str):
            report.error(entry.line_of("unit"), "column-unit-not-text", ident=ident)
            unit = ""
        columns.append(Column(ident, " ".join(label.split()), kind, unit.strip(), decimals))
    return columns


def _parse_rows(data: LineDict, columns: list[Column], key: Column | None, report: _Report) -> list[Row]:
    raw = data.get("rows")
    if raw is None:
        return []
    if not isinstance(raw, list) or not raw:
        report.error(_line(data, "rows"), "rows-not-list")
        return []
    by_id = {c.id: c for c in columns}
    names = ", ".join(by_id)
    rows: list[Row] = []
    keys_seen: dict[object, tuple[int, int]] = {}
    for number, entry in enumerate(raw, start=1):
        if not isinstance(entry, LineDict):
            report.error(_line(raw), "row-not-entry", number=number, entry=repr(entry))
            continue
        for name in entry:
            if name not in by_id:
                report.error(entry.line_of(name), "row-column-unknown", number=number, name=name, known=names, hint=_comma_hint(entry, name))
        cells = []
        for column in columns:
            if column.id not in entry:
                report.error(entry.line, "row-column-missing", number=number, column=column.id)
                cells.append(Cell(column, None, column.format(None)))
                continue
            raw_value = entry[column.id]
            value = None
            if raw_value is not None:
                value, wrong = _parse_value(column, raw_value)
                if wrong:
                    report.error(entry.line_of(column.id), "row-value-wrong", number=number, column=column.id, wrong=wrong)
            cells.append(Cell(column, value, column.format(value)))
        row = Row(cells, entry.line)
        rows.append(row)
        if key is not None and key.id in entry:
            key_value = entry[key.id]
            where = entry.line_of(key.id)
            if key_value is None:
                report.error(where, "row-key-empty", number=number, key=key.id)
            elif key_value in keys_seen:
                first_row, first_line = keys_seen[key_value]
                report.error(where, "row-key-twice", number=number, key=key.id, value=repr(key_value), first_row=first_row, first_line=first_line)
            else:
                keys_seen[key_value] = (number, where)
    return rows


def _parse_chart(data: LineDict, columns: list[Column], rows: list[Row], title: str, report: _Report) -> Chart | None:
    raw = data.get("chart")
    if raw is None:
        return None
    if not isinstance(raw, LineDict):
        report.error(_line(data, "chart"), "chart-not-mapping")
        return None
    for key in raw:
        if key not in CHART_KEYS:
            report.error(raw.line_of(key), "chart-key-unknown", key=key, known=", ".join(CHART_KEYS))
    by_id = {c.id: c for c in columns}
    names = ", ".join(by_id)
    ok = True
    kind = raw.get("type")
    if kind not in CHART_TYPES:
        ok = False
        if kind is None:
            report.error(raw.line, "chart-type-missing", known=", ".join(CHART_TYPES))
        else:
            report.error(raw.line_of("type"), "chart-type-unknown", kind=kind, known=", ".join(CHART_TYPES))
    x_id = raw.get("x")
    x = by_id.get(x_id) if isinstance(x_id, str) else None
    if x is None:
        ok = False
        if x_id is None:
            report.error(raw.line, "chart-x-missing", known=names)
        else:
            report.error(raw.line_of("x"), "chart-x-unknown", x=x_id, known=names)
    series_ids = raw.get("series")
    if isinstance(series_ids, str):
        series_ids = [series_ids]
    series: list[Column] = []
    if not series_ids or not isinstance(series_ids, list):
        ok = False
        report.error(raw.line_of("series") if "series" in raw else raw.line, "chart-series-missing", known=names)
    else:
        where = raw.line_of("series")
        for ident in series_ids:
            column = by_id.get(ident) if isinstance(ident, str) else None
            if column is None:
                ok = False
                report.error(where, "chart-series-unknown", ident=ident, known=names)
            elif not column.numeric:
                ok = False
                report.error(where, "chart-series-not-numeric", ident=ident, kind=column.type)
            elif x is not None and column is x:
                ok = False
                report.error(where, "chart-series-is-x", ident=ident)
            elif column in series:
                ok = False
                report.error(where, "chart-series-twice", ident=ident)
            else:
                series.append(column)
        kinds = {c.type in SHARE_TYPES for c in series}
        if len(kinds) > 1:
            ok = False
            report.error(where, "chart-series-mixed")
    if ok and kind in ("bar", "stacked-bar"):
        for row in rows:
            for column in series:
                value = row.value(column.id)
                number = numeric_value(column, value)
                if number is not None and number < 0:
                    ok = False
                    report.error(row.line, "chart-negative", kind=kind, column=column.id, value=value)
    chart_title = _text(raw, "title", report) or title
    description = _text(raw, "description", report)
    # ok is False whenever kind or x is missing; naming them lets the type checker see it.
    if not ok or kind is None or x is None:
        return None
    return Chart(kind, x, series, chart_title, description)


def parse_table(data: object, path: str, section_ids: set[str] | None = None) -> tuple[Table | None, list[Problem]]:
    """One table from its loaded YAML (sourcefiles.load_yaml); the table is None when it has errors.

    section_ids are the sections a table may belong to (the results section and its descendants).
    """
    report = _Report(path)
    table_id = os.path.splitext(os.path.basename(path))[0]
    if not _ID_RE.match(table_id):
        report.error(0, "table-file-name", name=table_id)
    if not isinstance(data, LineDict):
        report.error(1, "table-not-mapping")
        return None, report.problems
    for key in data:
        if key not in TABLE_KEYS:
            report.error(data.line_of(key), "table-key-unknown", key=key, known=", ".join(TABLE_KEYS))
    title = _text(data, "title", report, required=True)
    description = _text(data, "description", report)
    period = _text(data, "period", report, required=True, scalar_ok=True)
    source = _text(data, "source", report, required=True)
    unit = _text(data, "unit", report)
    section_id = _text(data, "section", report, required=True)
    if section_id and section_ids is not None and section_id not in section_ids:
        report.error(data.line_of("section"), "table-section-unknown", section=section_id, known=", ".join(sorted(section_ids)))
    updated = data.get("updated")
    if updated is not None and (not isinstance(updated, date) or isinstance(updated, datetime)):
        report.error(data.line_of("updated"), "table-updated-invalid", updated=updated)
        updated = None
    notes = data.get("notes") or []
    if isinstance(notes, str):
        notes = [notes]
    if not isinstance(notes, list) or not all(isinstance(n, str) for n in notes):
        report.error(data.line_of("notes"), "table-notes-invalid")
        notes = []
    for key in REQUIRED_KEYS:
        if key in ("columns", "rows") and key not in data:
            report.error(data.line, "table-key-missing", key=key, what=messages.say(REQUIRED_KEYS[key]))

    columns = _parse_columns(data, report)
    key = None
    if columns:
        key_id = data.get("key", columns[0].id)
        key = next((c for c in columns if c.id == key_id), None)
        if key is None:
            report.error(data.line_of("key"), "table-key-not-column", key=key_id, known=", ".join(c.id for c in columns))
        else:
            key.is_key = True
    rows = _parse_rows(data, columns, key, report) if columns else []
    chart = _parse_chart(data, columns, rows, title, report) if columns else None
    if report.problems:
        return None, report.problems
    table = Table(
        id=table_id,
        title=title,
        section_id=section_id,
        period=period,
        source=source,
        columns=columns,
        rows=rows,
        description=description,
        unit=unit,
        notes=[" ".join(n.split()) for n in notes],
        updated=updated,
        chart=chart,
        source_path=path,
    )
    return table, []


def table_files(folder: str) -> list[str]:
    if not os.path.isdir(folder):
        return []
    return sorted(os.path.join(folder, name) for name in os.listdir(folder) if name.endswith((".yaml", ".yml")))


def load_tables(folder: str, section_ids: set[str] | None = None) -> tuple[list[Table], list[Problem]]:
    """Every table in the folder, in file-name order, and every problem in any of them."""
    tables: list[Table] = []
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    for path in table_files(folder):
        try:
            data = load_yaml(path)
        except ContentError as error:
            problems.extend(error.problems)
            continue
        table, found = parse_table(data, path, section_ids)
        problems.extend(found)
        if table is None:
            continue
        if table.id in seen:
            problems.append(Problem(display_path(path), 0, messages.say("table-id-twice", ident=table.id, other=seen[table.id])))
            continue
        seen[table.id] = display_path(path)
        tables.append(table)
    return tables, problems
