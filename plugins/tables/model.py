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

import vntext
from sourcefiles import ContentError, LineDict, Problem, display_path, load_yaml

__all__ = ["TYPES", "CHART_TYPES", "Column", "Cell", "Row", "Chart", "Table", "parse_table", "load_tables", "numeric_value"]

# Column types and what a value of each looks like in the YAML file.
TYPES = {
    "text": "text",
    "integer": "a whole number such as 1124",
    "number": "a number such as 78.62 (decimal point)",
    "percent": "a percentage from 0 to 100 such as 98.2 (without %)",
    "year": "a year such as 2024",
    "date": "a date such as 2020-10-12 (YYYY-MM-DD)",
    "ratio": "a ratio such as 18/18 (part/whole)",
}
NUMERIC_TYPES = {"integer", "number", "percent", "ratio"}
# Charts put counts (integer, number) and shares (percent, ratio as a percentage) on different scales.
SHARE_TYPES = {"percent", "ratio"}
CHART_TYPES = ("bar", "stacked-bar", "line")
DEFAULT_DECIMALS = {"number": 1, "percent": 1}

TABLE_KEYS = ("title", "description", "section", "period", "unit", "source", "updated", "key", "columns", "rows", "notes", "chart")
REQUIRED_KEYS = {
    "title": 'the table\'s heading, e.g. "Chỉ số cải cách hành chính (PAR INDEX) 2014-2024"',
    "section": "the results section it belongs to",
    "period": 'the period the figures cover, e.g. "2014-2024"',
    "source": "where the figures come from, e.g. Bộ Nội vụ",
    "columns": "the list of columns",
    "rows": "the list of rows",
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

    def error(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, line, message))


def _line(mapping, key=None) -> int:
    if isinstance(mapping, LineDict):
        return mapping.line_of(key) if key is not None else mapping.line
    return getattr(mapping, "line", 0)


def _text(data: LineDict, key: str, report: _Report, required: bool = False, scalar_ok: bool = False) -> str:
    value = data.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            report.error(data.line, f'missing "{key}:" ({REQUIRED_KEYS[key]})')
        return ""
    if scalar_ok and isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        report.error(_line(data, key), f'"{key}" must be text, not {value!r}; put it in quotes')
        return ""
    return " ".join(value.split())


def _parse_value(column: Column, value):
    """(value, None) when the YAML value fits the column's type, else (None, what is wrong)."""
    kind = column.type
    shown = f'"{value}"' if isinstance(value, str) else repr(value)
    if kind == "text":
        if isinstance(value, str) and value.strip():
            return " ".join(value.split()), None
        if isinstance(value, bool):
            return None, f"{shown} is not text; write it in quotes"
        return None, f"{shown} is not text; write it in quotes if it is meant as text"
    if isinstance(value, bool):
        return None, f"{shown} is not {TYPES[kind]}"
    if isinstance(value, float) and not math.isfinite(value):
        return None, f'{shown} is not a figure (YAML reads .inf and .nan as infinity and "not a number"); write the number itself'
    if isinstance(value, (int, float)) and abs(value) > FIGURE_MAX:
        return None, f"{shown} is larger than any figure of a report (over 10^15); check the number"
    if kind == "integer":
        if isinstance(value, int):
            return value, None
        # YAML reads 1.124 (a Vietnamese thousands point) as the decimal 1.124: say so.
        grouped = repr(value) if isinstance(value, float) else str(value)
        if _GROUPED_RE.match(grouped):
            digits = re.sub(r"[.,]", "", grouped)
            return None, f"{shown} is not a whole number: write {digits} without a thousands separator (the page adds it)"
        return None, f"{shown} is not {TYPES[kind]}"
    if kind in ("number", "percent"):
        if isinstance(value, str):
            candidate = value.strip().rstrip("%").strip()
            if re.fullmatch(r"-?\d+,\d+", candidate):
                return None, f"{shown} is not a number: write a decimal point, {candidate.replace(',', '.')}"
            if value.strip().endswith("%") and re.fullmatch(r"-?\d+(\.\d+)?", candidate):
                return None, f"{shown}: write {candidate} without the % sign (the page adds it)"
            return None, f"{shown} is not {TYPES[kind]}"
        if not isinstance(value, (int, float)):
            return None, f"{shown} is not {TYPES[kind]}"
        if kind == "percent" and not 0 <= value <= 100:
            return None, f"{shown} is not {TYPES[kind]}"
        return value, None
    if kind == "year":
        if isinstance(value, int) and 1900 <= value <= 2100:
            return value, None
        return None, f"{shown} is not {TYPES[kind]}"
    if kind == "date":
        if isinstance(value, datetime):
            return None, f"{shown} is not {TYPES[kind]}: leave out the time"
        if isinstance(value, date):
            return value, None
        return None, f"{shown} is not {TYPES[kind]}"
    if kind == "ratio":
        match = _RATIO_RE.match(value) if isinstance(value, str) else None
        if not match:
            return None, f"{shown} is not {TYPES[kind]}"
        numerator, denominator = int(match.group(1)), int(match.group(2))
        if denominator > FIGURE_MAX:
            return None, f'"{value}": the whole is larger than any figure of a report (over 10^15); check the numbers'
        if denominator == 0:
            return None, f'"{value}": the whole (second number) cannot be 0'
        if numerator > denominator:
            return None, f'"{value}": the part ({numerator}) cannot be larger than the whole ({denominator})'
        return (numerator, denominator), None
    raise ValueError(kind)


def _comma_hint(entry, key) -> str:
    # In "{label: Sửa đổi, bổ sung}" the comma ends the label and "bổ sung" becomes a key.
    return "; a comma inside { } starts a new key, so put text with a comma in quotes" if entry[key] is None else ""


def _parse_columns(data: LineDict, report: _Report) -> list[Column]:
    raw = data.get("columns")
    if raw is None:
        return []
    if not isinstance(raw, list) or not raw:
        report.error(_line(data, "columns"), "columns must be a list, one '- id: ...' entry a column")
        return []
    columns: list[Column] = []
    seen: dict[str, int] = {}
    for entry in raw:
        if not isinstance(entry, LineDict):
            report.error(_line(raw), f"a column needs id, label and type, not {entry!r}")
            continue
        for key in entry:
            if key not in COLUMN_KEYS:
                report.error(entry.line_of(key), f'unknown key "{key}" in a column (a column has {", ".join(COLUMN_KEYS)}){_comma_hint(entry, key)}')
        ident = entry.get("id")
        if not isinstance(ident, str) or not _COLUMN_ID_RE.match(ident):
            if ident is None:
                report.error(entry.line, 'a column without "id:"')
            else:
                report.error(
                    entry.line_of("id"), f'column id "{ident}" must be lower-case ASCII letters and digits joined by "_" or "-", e.g. "ty_le_dung_han"'
                )
            continue
        if ident in seen:
            report.error(entry.line_of("id"), f'column id "{ident}" is used twice (first on line {seen[ident]})')
            continue
        seen[ident] = entry.line_of("id")
        label = entry.get("label")
        if not isinstance(label, str) or not label.strip():
            report.error(entry.line_of("label"), f'column "{ident}" needs a "label:" (the heading readers see)')
            label = ident
        kind = entry.get("type")
        if kind not in TYPES:
            where = entry.line_of("type")
            if kind is None:
                report.error(where, f'column "{ident}" needs a "type:" ({", ".join(TYPES)})')
            else:
                report.error(where, f'column "{ident}": type "{kind}" is not one of {", ".join(TYPES)}')
            kind = "text"
        decimals = entry.get("decimals", DEFAULT_DECIMALS.get(kind, 0))
        if "decimals" in entry and kind not in DEFAULT_DECIMALS:
            report.error(entry.line_of("decimals"), f'column "{ident}": decimals are for number and percent columns only')
            decimals = 0
        elif not isinstance(decimals, int) or isinstance(decimals, bool) or not 0 <= decimals <= 6:
            report.error(entry.line_of("decimals"), f'column "{ident}": decimals must be a whole number from 0 to 6')
            decimals = DEFAULT_DECIMALS.get(kind, 0)
        unit = entry.get("unit") or ""
        if not isinstance(unit, str):
            report.error(entry.line_of("unit"), f'column "{ident}": unit must be text')
            unit = ""
        columns.append(Column(ident, " ".join(label.split()), kind, unit.strip(), decimals))
    return columns


def _parse_rows(data: LineDict, columns: list[Column], key: Column | None, report: _Report) -> list[Row]:
    raw = data.get("rows")
    if raw is None:
        return []
    if not isinstance(raw, list) or not raw:
        report.error(_line(data, "rows"), "rows must be a list with at least one row ('- {column: value, ...}')")
        return []
    by_id = {c.id: c for c in columns}
    names = ", ".join(by_id)
    rows: list[Row] = []
    keys_seen: dict[object, tuple[int, int]] = {}
    for number, entry in enumerate(raw, start=1):
        if not isinstance(entry, LineDict):
            report.error(_line(raw), f"row {number} must be 'column: value' pairs, not {entry!r}")
            continue
        for name in entry:
            if name not in by_id:
                report.error(entry.line_of(name), f'row {number}: unknown column "{name}"; the columns are {names}{_comma_hint(entry, name)}')
        cells = []
        for column in columns:
            if column.id not in entry:
                report.error(entry.line, f'row {number}: missing column "{column.id}" (write {column.id}: null when there is no figure)')
                cells.append(Cell(column, None, column.format(None)))
                continue
            raw_value = entry[column.id]
            value = None
            if raw_value is not None:
                value, wrong = _parse_value(column, raw_value)
                if wrong:
                    report.error(entry.line_of(column.id), f'row {number}, column "{column.id}": {wrong}')
            cells.append(Cell(column, value, column.format(value)))
        row = Row(cells, entry.line)
        rows.append(row)
        if key is not None and key.id in entry:
            key_value = entry[key.id]
            where = entry.line_of(key.id)
            if key_value is None:
                report.error(where, f'row {number}: "{key.id}" names the row and cannot be empty')
            elif key_value in keys_seen:
                first_row, first_line = keys_seen[key_value]
                report.error(
                    where,
                    f"row {number}: duplicate key {key.id} = {key_value!r}, already on row {first_row} (line {first_line}); each row needs its own {key.id}",
                )
            else:
                keys_seen[key_value] = (number, where)
    return rows


def _parse_chart(data: LineDict, columns: list[Column], rows: list[Row], title: str, report: _Report) -> Chart | None:
    raw = data.get("chart")
    if raw is None:
        return None
    if not isinstance(raw, LineDict):
        report.error(_line(data, "chart"), "chart must be 'key: value' lines: type, x, series (and title, description)")
        return None
    for key in raw:
        if key not in CHART_KEYS:
            report.error(raw.line_of(key), f'unknown key "{key}" in chart (a chart has {", ".join(CHART_KEYS)})')
    by_id = {c.id: c for c in columns}
    names = ", ".join(by_id)
    ok = True
    kind = raw.get("type")
    if kind not in CHART_TYPES:
        ok = False
        if kind is None:
            report.error(raw.line, f'chart needs a "type:" ({", ".join(CHART_TYPES)})')
        else:
            report.error(raw.line_of("type"), f'chart type "{kind}" is not one of {", ".join(CHART_TYPES)}')
    x_id = raw.get("x")
    x = by_id.get(x_id) if isinstance(x_id, str) else None
    if x is None:
        ok = False
        if x_id is None:
            report.error(raw.line, f'chart needs "x:", the column along the axis (one of {names})')
        else:
            report.error(raw.line_of("x"), f'chart x "{x_id}" is not a column; the columns are {names}')
    series_ids = raw.get("series")
    if isinstance(series_ids, str):
        series_ids = [series_ids]
    series: list[Column] = []
    if not series_ids or not isinstance(series_ids, list):
        ok = False
        report.error(raw.line_of("series") if "series" in raw else raw.line, f'chart needs "series:", the columns to draw (a list of {names})')
    else:
        where = raw.line_of("series")
        for ident in series_ids:
            column = by_id.get(ident) if isinstance(ident, str) else None
            if column is None:
                ok = False
                report.error(where, f'chart series "{ident}" is not a column; the columns are {names}')
            elif not column.numeric:
                ok = False
                report.error(where, f'chart series "{ident}" is a {column.type} column; a chart draws integer, number, percent or ratio columns')
            elif x is not None and column is x:
                ok = False
                report.error(where, f'chart series "{ident}" is also the x column')
            elif column in series:
                ok = False
                report.error(where, f'chart series "{ident}" is listed twice')
            else:
                series.append(column)
        kinds = {c.type in SHARE_TYPES for c in series}
        if len(kinds) > 1:
            ok = False
            report.error(
                where, "chart series mix percentages (percent, ratio) with counts (integer, number); they need different scales, so draw them in two tables"
            )
    if ok and kind in ("bar", "stacked-bar"):
        for row in rows:
            for column in series:
                value = row.value(column.id)
                number = numeric_value(column, value)
                if number is not None and number < 0:
                    ok = False
                    report.error(row.line, f'a {kind} chart draws from 0, but "{column.id}" is {value} here; use a line chart')
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
        report.error(0, f'the file name "{table_id}" is the table\'s address: use lower-case ASCII words joined by hyphens, e.g. "par-index.yaml"')
    if not isinstance(data, LineDict):
        report.error(1, "a table file is 'key: value' lines: title, section, period, source, columns, rows (see docs/tables.md)")
        return None, report.problems
    for key in data:
        if key not in TABLE_KEYS:
            report.error(data.line_of(key), f'unknown key "{key}"; is it misspelt? A table has {", ".join(TABLE_KEYS)}')
    title = _text(data, "title", report, required=True)
    description = _text(data, "description", report)
    period = _text(data, "period", report, required=True, scalar_ok=True)
    source = _text(data, "source", report, required=True)
    unit = _text(data, "unit", report)
    section_id = _text(data, "section", report, required=True)
    if section_id and section_ids is not None and section_id not in section_ids:
        report.error(data.line_of("section"), f'section "{section_id}" is not a results section; use one of {", ".join(sorted(section_ids))}')
    updated = data.get("updated")
    if updated is not None and (not isinstance(updated, date) or isinstance(updated, datetime)):
        report.error(data.line_of("updated"), f'updated "{updated}" is not a date (write YYYY-MM-DD, e.g. 2025-01-15)')
        updated = None
    notes = data.get("notes") or []
    if isinstance(notes, str):
        notes = [notes]
    if not isinstance(notes, list) or not all(isinstance(n, str) for n in notes):
        report.error(data.line_of("notes"), "notes must be a list of sentences ('- ...'), each in quotes if it contains ':'")
        notes = []
    for key in REQUIRED_KEYS:
        if key in ("columns", "rows") and key not in data:
            report.error(data.line, f'missing "{key}:" ({REQUIRED_KEYS[key]})')

    columns = _parse_columns(data, report)
    key = None
    if columns:
        key_id = data.get("key", columns[0].id)
        key = next((c for c in columns if c.id == key_id), None)
        if key is None:
            report.error(data.line_of("key"), f'key "{key_id}" is not a column; the columns are {", ".join(c.id for c in columns)}')
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
            problems.append(Problem(display_path(path), 0, f'table id "{table.id}" is also {seen[table.id]}; rename one file'))
            continue
        seen[table.id] = display_path(path)
        tables.append(table)
    return tables, problems
