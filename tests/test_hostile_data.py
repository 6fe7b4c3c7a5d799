"""Hostile or broken data files: safe downloads, and every bad input reported with file:line and what to
do, the same way by the build and by `./portal check`, never with a traceback or in silence."""

from __future__ import annotations

import csv
import io
import json

from sourcefiles import ContentError, load_yaml
from tables.export import neutralise, to_csv
from tables.model import parse_table

RESULTS = {"ket-qua-cchc", "kiem-tra-cchc", "chi-so-cchc"}


def parse(tmp_path, text, name="bang-thu.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    table, problems = parse_table(load_yaml(str(path)), str(path), RESULTS)
    return table, problems, path


# --- CSV downloads ---------------------------------------------------------------------------------

# Text cells an attacker with a commit could write, each of which a spreadsheet would run as a formula.
FORMULAS = ['=HYPERLINK("http://evil.example","Xem")', "+1+2", "-2+3", "@SUM(A1:A2)", "=1+1"]
NUMBERS = [-3.5, 2, -1, 0.5, -0.25]


def test_csv_cells_that_would_run_as_formulas_are_neutralised_and_numbers_stay_numbers(tmp_path):
    rows = "".join(f"  - {{ten: {json.dumps(text)}, diem: {value}}}\n" for text, value in zip(FORMULAS, NUMBERS))
    table, problems, _ = parse(tmp_path, (
        "title: Bảng thử\nsection: chi-so-cchc\nperiod: 2024\nsource: Sở Nội vụ\n"
        "columns:\n"
        "  - {id: ten, label: \"=cmd|' /C calc'!A0\", type: text}\n"
        "  - {id: diem, label: Điểm, type: number, decimals: 2}\n"
        f"rows:\n{rows}"
    ))
    assert problems == [], [str(p) for p in problems]
    header, *body = list(csv.reader(io.StringIO(to_csv(table)[1:], newline="")))
    assert header == ["'=cmd|' /C calc'!A0", "Điểm"]
    assert [row[0] for row in body] == ["'" + text for text in FORMULAS]
    assert [float(row[1]) for row in body] == NUMBERS, "numbers, negative ones too, stay numbers"
    assert [row[1] for row in body][0] == "-3.5"


def test_csv_text_that_is_a_plain_number_or_starts_harmlessly_is_left_alone(tmp_path):
    table, problems, _ = parse(tmp_path, (
        "title: Bảng thử\nsection: chi-so-cchc\nperiod: 2024\nsource: Sở Nội vụ\n"
        "columns:\n  - {id: ten, label: Tên, type: text}\n"
        'rows:\n  - {ten: "-5"}\n  - {ten: "Cấp tỉnh"}\n  - {ten: "1 = 1"}\n'
    ))
    assert problems == []
    _, *body = list(csv.reader(io.StringIO(to_csv(table)[1:], newline="")))
    assert [row[0] for row in body] == ["-5", "Cấp tỉnh", "1 = 1"]


def test_tab_and_carriage_return_at_the_start_of_a_cell_are_neutralised_too():
    # The table reader already folds white space in cells; the CSV writer does not rely on it.
    assert [neutralise(t) for t in ("\t=1+1", "\r=1+1", "-3.5", "+84 258")] == ["'\t=1+1", "'\r=1+1", "-3.5", "'+84 258"]
