"""Hostile or broken data files: safe downloads, and every bad input reported with file:line and what to
do, the same way by the build and by `./portal check`, never with a traceback or in silence."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import datetime

import pytest

import editorial
from conftest import ROOT, run_pelican
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
    table, problems, _ = parse(
        tmp_path,
        (
            "title: Bảng thử\nsection: chi-so-cchc\nperiod: 2024\nsource: Sở Nội vụ\n"
            "columns:\n"
            "  - {id: ten, label: \"=cmd|' /C calc'!A0\", type: text}\n"
            "  - {id: diem, label: Điểm, type: number, decimals: 2}\n"
            f"rows:\n{rows}"
        ),
    )
    assert problems == [], [str(p) for p in problems]
    header, *body = list(csv.reader(io.StringIO(to_csv(table)[1:], newline="")))
    assert header == ["'=cmd|' /C calc'!A0", "Điểm"]
    assert [row[0] for row in body] == ["'" + text for text in FORMULAS]
    assert [float(row[1]) for row in body] == NUMBERS, "numbers, negative ones too, stay numbers"
    assert body[0][1] == "-3.5"


def test_csv_text_that_is_a_plain_number_or_starts_harmlessly_is_left_alone(tmp_path):
    table, problems, _ = parse(
        tmp_path,
        (
            "title: Bảng thử\nsection: chi-so-cchc\nperiod: 2024\nsource: Sở Nội vụ\n"
            "columns:\n  - {id: ten, label: Tên, type: text}\n"
            'rows:\n  - {ten: "-5"}\n  - {ten: "Cấp tỉnh"}\n  - {ten: "1 = 1"}\n'
        ),
    )
    assert problems == []
    _, *body = list(csv.reader(io.StringIO(to_csv(table)[1:], newline="")))
    assert [row[0] for row in body] == ["-5", "Cấp tỉnh", "1 = 1"]


def test_tab_and_carriage_return_at_the_start_of_a_cell_are_neutralised_too():
    # The table reader already folds white space in cells; the CSV writer does not rely on it.
    assert [neutralise(t) for t in ("\t=1+1", "\r=1+1", "-3.5", "+84 258")] == ["'\t=1+1", "'\r=1+1", "-3.5", "'+84 258"]


# --- The build and `./portal check` stop alike, with file:line ---------------------------------------

TABLE = """\
title: Bảng thử số liệu
section: chi-so-cchc
period: 2020-2021
source: Sở Nội vụ
columns:
  - {id: nam, label: Năm, type: year}
  - {id: diem, label: Điểm, type: number, decimals: 2}
rows:
  - {nam: 2020, diem: 78.62}
  - {nam: 2021, diem: VALUE}
chart:
  type: bar
  x: nam
  series: [diem]
"""

ARTICLE = """\
Title: Hội nghị giao ban công tác cải cách hành chính quý I
Date: 2024-03-20 16:00
Topics: cai-cach-tthc
Tags: giao ban, !!!
Summary: Sở Nội vụ tổ chức hội nghị giao ban công tác cải cách hành chính quý I.

Nội dung bài viết.
"""


def _replace_line(path, prefix: str, new: bytes) -> int:
    """Replace the line starting with prefix by the bytes new; return its number."""
    lines = path.read_bytes().split(b"\n")
    index = next(i for i, line in enumerate(lines) if line.startswith(prefix.encode()))
    lines[index] = new
    path.write_bytes(b"\n".join(lines))
    return index + 1


def site_yaml_not_utf8(content):
    path = content / "data" / "site.yaml"
    return path, _replace_line(path, "tagline:", b"tagline: N\xean h\xb5nh ch\xddnh"), "is not UTF-8 (byte 0xea on line"  # TCVN3


def abbreviations_not_utf8(content):
    path = content / "data" / "abbreviations.yaml"
    return path, _replace_line(path, "CCHC:", "CCHC: cải cách hành chính".encode().replace("á".encode(), b"\xe1")), "is not UTF-8 (byte 0xe1 on line"


def table_binary(content):
    path = content / "data" / "tables" / "anh-chup.yaml"
    path.write_bytes(b"GIF89a\n\x01\x00\x00\x00\x2c")
    return path, 2, "the file is not text (binary data, a NUL byte, on line 2); save it as UTF-8 text"


def table_alias(content):
    path = content / "data" / "tables" / "bang-thu.yaml"
    path.write_text(TABLE.replace("VALUE", "80.1").replace("source: Sở Nội vụ", "source: &nguon Sở Nội vụ") + "notes: *nguon\n", encoding="utf-8")
    return path, len(TABLE.splitlines()) + 1, '"*nguon" repeats another part of the file (a YAML alias)'


def table_infinite(content):
    path = content / "data" / "tables" / "bang-thu.yaml"
    path.write_text(TABLE.replace("VALUE", ".inf"), encoding="utf-8")
    return path, 10, "inf is not a figure"


def table_absurd(content):
    path = content / "data" / "tables" / "bang-thu.yaml"
    path.write_text(TABLE.replace("VALUE", "1.0e+308"), encoding="utf-8")
    return path, 10, "1e+308 is larger than any figure of a report"


def site_phone_number(content):
    path = content / "data" / "site.yaml"
    return path, _replace_line(path, "phone:", b"phone: 842743822115"), '"phone" must be text, not 842743822115; put it in quotes'


def site_name_list(content):
    path = content / "data" / "site.yaml"
    return path, _replace_line(path, "name:", b"name: [CCHC, Binh An]"), '"name" must be text, not a list'


def site_english_text(content):
    path = content / "data" / "site.yaml"
    text = path.read_text(encoding="utf-8").split("english:")[0] + "english: Binh An portal\n"
    path.write_text(text, encoding="utf-8")
    return path, len(text.splitlines()), '"english" must be indented "name: ..."'


def tag_without_letters(content):
    path = content / "articles" / "tin-tuc-su-kien" / "2024" / "giao-ban.md"
    path.write_text(ARTICLE, encoding="utf-8")
    return path, 4, 'tag "!!!" has no letters or digits'


def issuer_without_letters(content):
    path = content / "documents" / "2020" / "107-2020-nd-cp.md"
    _replace_line(path, "Issuer:", b"Issuer: ???")
    return path, 3, 'Issuer "???" has no letters or digits'


BROKEN = [
    site_yaml_not_utf8,
    abbreviations_not_utf8,
    table_binary,
    table_alias,
    table_infinite,
    table_absurd,
    site_phone_number,
    site_name_list,
    site_english_text,
    tag_without_letters,
    issuer_without_letters,
]


@pytest.mark.parametrize("breakage", BROKEN, ids=lambda f: f.__name__)
def test_build_and_check_both_stop_with_file_line_and_what_to_do(content_copy, tmp_path, breakage):
    path, line, message = breakage(content_copy)
    location = f"{path}:{line}: "

    settings, problems = editorial.load_settings(str(ROOT / "pelicanconf.py"), str(content_copy))
    settings["CHECK_NOW"] = datetime(2030, 1, 1)
    errors = [str(p) for p in editorial.run_checks(settings, problems) if p.level == "error"]
    assert any(e.startswith(location) and message in e for e in errors), errors

    result = run_pelican(content_copy, tmp_path / "out")
    log = result.stdout + result.stderr
    assert result.returncode != 0, log
    assert "Traceback" not in log, log
    assert any(location in entry and message in entry for entry in log.splitlines()), log
    assert re.search(r"\bBuild (stopped|failed)\b", log), log


# --- YAML that only a mistake or an attack writes ----------------------------------------------------

BOMB = "".join(
    f"{name}: &{name} [{', '.join([f'*{previous}'] * 9) if previous else ', '.join(['lol'] * 9)}]\n" for previous, name in zip([None, *"abcdefgh"], "abcdefghi")
)


def test_an_alias_bomb_is_refused_at_its_first_alias_without_expanding_it(tmp_path):
    # Run apart, with a memory cap and a time limit: today's loader would take a minute and gigabytes.
    import subprocess
    import sys

    path = tmp_path / "bomb.yaml"
    path.write_text(BOMB, encoding="utf-8")
    script = (
        "import resource, sys; resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30)); sys.path.insert(0, 'plugins')\n"
        "from sourcefiles import ContentError, load_yaml\n"
        f"try:\n    load_yaml({str(path)!r})\nexcept ContentError as error:\n    print(error)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=30, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    assert (
        result.stdout.strip() == f'{path}:2: "*a" repeats another part of the file (a YAML alias), which the portal does not read; write the values out in full'
    )


@pytest.mark.parametrize(
    "text, line, message",
    [
        ("a:\n  b: " + "[" * 3000 + "]" * 3000 + "\n", 2, "nested more than 64 deep"),
        ("rows:\n  - {ngay: 2024-02-31}\n", 2, '"2024-02-31" is not a real date (YYYY-MM-DD)'),
        ("so: " + "1" * 5000 + "\n", 1, "is not a number the portal can read (too many digits)"),
    ],
)
def test_yaml_that_python_cannot_hold_is_an_error_with_its_line(tmp_path, text, line, message):
    path = tmp_path / "du-lieu.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as failure:
        load_yaml(str(path))
    [problem] = failure.value.problems
    assert problem.line == line and message in problem.message, str(problem)


# --- Charts never draw what cannot be drawn ------------------------------------------------------------


@pytest.mark.parametrize("value", [1e308, float("inf"), float("nan")])
def test_a_bar_chart_never_draws_a_negative_or_non_finite_width(tmp_path, value):
    import math
    import xml.etree.ElementTree as ET

    import vntext
    from tables.chart import NARROW, WIDE, render_chart

    table, problems, _ = parse(tmp_path, TABLE.replace("VALUE", "80.1"))
    assert problems == []
    # The checks refuse such a figure; the drawing must not rely on them.
    cell = table.rows[1].cell("diem")
    cell.value = value
    cell.text = vntext.format_number(value, 2) if math.isfinite(value) else str(value)
    for width in (NARROW, WIDE):
        svg = ET.fromstring(render_chart(table, "t", width))
        widths = [float(rect.get("width")) for rect in svg.iter("{http://www.w3.org/2000/svg}rect")]
        assert widths and all(math.isfinite(w) and 0 <= w <= width for w in widths), widths
