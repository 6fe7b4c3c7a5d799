"""Result tables (plugins/tables): the YAML format, its errors with file:line, Vietnamese figures, the SVG
charts, the CSV/JSON downloads, embedding in articles, the built pages and a real browser (issue 5)."""

from __future__ import annotations

import csv
import io
import json
import re
import textwrap
import xml.etree.ElementTree as ET
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal

import markdown
import pytest
import yaml

import vntext
from conftest import ROOT, run_pelican
from sourcefiles import ContentError, load_yaml
from tables import check_tables, make_renderer, place_tables, render_embeds
from tables.chart import NARROW, WIDE, axis_ticks, describe, render_chart
from tables.embed import EmbedExtension, check_embeds, find_embeds
from tables.export import to_csv, to_json
from tables.model import Column, load_tables, parse_table

TABLES_DIR = ROOT / "content" / "data" / "tables"
# The table addresses of pelicanconf.py, where the plugin's settings are defined.
TABLE_URLS = {"TABLE_URL": "ket-qua-cchc/bang/{id}/", "TABLE_SAVE_AS": "ket-qua-cchc/bang/{id}/index.html"}
RESULTS = {"ket-qua-cchc", "kiem-tra-cchc", "chi-so-cchc"}
SVG = "{http://www.w3.org/2000/svg}"

# One column of every type; line numbers below refer to this text.
BASE = """\
title: Bảng thử
section: chi-so-cchc
period: 2020-2021
source: Sở Nội vụ
columns:
  - {id: nam, label: Năm, type: year}
  - {id: so_luong, label: Số lượng, type: integer}
  - {id: diem, label: Điểm, type: number, decimals: 2}
  - {id: ty_le, label: Tỷ lệ, type: percent}
  - {id: ngay, label: Ngày, type: date}
  - {id: mot_cua, label: Một cửa, type: ratio}
  - {id: ghi_chu, label: Ghi chú, type: text}
rows:
  - {nam: 2020, so_luong: 1124, diem: 78.62, ty_le: 97.5, ngay: 2020-10-12, mot_cua: 18/18, ghi_chu: Đạt}
  - {nam: 2021, so_luong: 1250, diem: 80.1, ty_le: 100, ngay: 2021-10-12, mot_cua: 17/18, ghi_chu: null}
chart:
  type: bar
  x: nam
  series: [so_luong]
"""


def load(tmp_path, text, name="bang-thu.yaml", sections=RESULTS):
    """(table, problems, path) for a table file with this text."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    try:
        data = load_yaml(str(path))
    except ContentError as error:
        return None, error.problems, path
    table, problems = parse_table(data, str(path), sections)
    return table, problems, path


def sample_tables():
    tables, problems = load_tables(str(TABLES_DIR), RESULTS)
    assert problems == []
    return tables


# --- The format ----------------------------------------------------------------------------------


def test_a_table_of_every_column_type_is_read(tmp_path):
    table, problems, _ = load(tmp_path, BASE + "notes: Một ghi chú.\nupdated: 2025-01-20\n")
    assert problems == []
    assert table.id == "bang-thu" and table.title == "Bảng thử" and table.section_id == "chi-so-cchc"
    assert table.period == "2020-2021" and table.source == "Sở Nội vụ" and table.updated == date(2025, 1, 20)
    assert [c.type for c in table.columns] == ["year", "integer", "number", "percent", "date", "ratio", "text"]
    assert table.key.id == "nam", "the first column names the row unless key: says otherwise"
    first, second = table.rows
    assert [c.value for c in first.cells] == [2020, 1124, 78.62, 97.5, date(2020, 10, 12), (18, 18), "Đạt"]
    assert second.value("ghi_chu") is None and second.cell("ghi_chu").text == "–"
    assert table.notes == ["Một ghi chú."]
    assert table.chart.type == "bar" and table.chart.x.id == "nam" and [c.id for c in table.chart.series] == ["so_luong"]
    assert table.chart.title == "Bảng thử", "a chart without its own title takes the table's"


def test_rows_may_be_written_as_blocks_and_key_may_name_another_column(tmp_path):
    text = textwrap.dedent("""\
        title: Một cửa
        section: ket-qua-cchc
        period: 2024
        source: Sở Nội vụ
        key: cap
        columns:
          - id: stt
            label: STT
            type: integer
          - {id: cap, label: Cấp, type: text}
          - {id: ty_le, label: "Có Bộ phận Một cửa, kết nối", type: ratio}
        rows:
          - stt: 1
            cap: Cấp tỉnh
            ty_le: 19/19
          - stt: 2
            cap: Cấp xã
            ty_le: 96/96
        """)
    table, problems, _ = load(tmp_path, text, "mot-cua-thu.yaml")
    assert problems == []
    assert table.period == "2024" and table.key.id == "cap"
    assert table.columns[2].label == "Có Bộ phận Một cửa, kết nối"
    assert [r.value("ty_le") for r in table.rows] == [(19, 19), (96, 96)]
    assert table.rows[1].line == 16


def test_every_sample_table_is_valid_and_belongs_to_the_results_section():
    tables = sample_tables()
    ids = {t.id for t in tables}
    assert {"par-index", "sipas", "thu-tuc-hanh-chinh", "ho-so-tthc", "dich-vu-cong-truc-tuyen", "mot-cua", "kiem-tra-cchc-2020"} <= ids
    assert {c.type for t in tables for c in t.columns} == {"text", "integer", "number", "percent", "year", "date", "ratio"}
    assert {t.chart.type for t in tables if t.chart} == {"bar", "stacked-bar", "line"}
    assert all(t.section_id in RESULTS for t in tables)


def test_the_documented_example_is_a_valid_table_with_every_type(tmp_path):
    docs = (ROOT / "docs" / "tables.md").read_text(encoding="utf-8")
    example = re.search(r"```yaml\n(.*?)```", docs, re.S).group(1)
    table, problems, _ = load(tmp_path, example, "vi-du.yaml")
    assert problems == []
    assert {c.type for c in table.columns} == {"text", "integer", "number", "percent", "year", "date", "ratio"}
    assert table.chart is not None and table.notes and table.updated
    embeds, _ = find_embeds(docs)
    assert embeds == [], "the docs show embed codes inside code blocks only"


# --- Errors, each with its file and line ---------------------------------------------------------

ROW1 = "  - {nam: 2020, so_luong: 1124, diem: 78.62, ty_le: 97.5, ngay: 2020-10-12, mot_cua: 18/18, ghi_chu: Đạt}"
ERRORS = {
    "unknown column": (
        (ROW1, ROW1.replace("}", ", so_luong_moi: 3}")),
        14,
        'row 1: unknown column "so_luong_moi"; the columns are nam, so_luong, diem, ty_le, ngay, mot_cua, ghi_chu',
    ),
    "missing column": ((", ghi_chu: null}", "}"), 15, 'row 2: missing column "ghi_chu" (write ghi_chu: null when there is no figure)'),
    "integer with a thousands point": (
        ("so_luong: 1124,", "so_luong: 1.124,"),
        14,
        'row 1, column "so_luong": 1.124 is not a whole number: write 1124 without a thousands separator',
    ),
    "decimal comma": (("diem: 78.62", 'diem: "78,62"'), 14, 'row 1, column "diem": "78,62" is not a number: write a decimal point, 78.62'),
    "percent above 100": (("ty_le: 100", "ty_le: 120"), 15, 'row 2, column "ty_le": 120 is not a percentage from 0 to 100'),
    "percent with its sign": (("ty_le: 97.5", 'ty_le: "97.5%"'), 14, 'row 1, column "ty_le": "97.5%": write 97.5 without the % sign'),
    "date in another form": (("ngay: 2020-10-12", "ngay: 12/10/2020"), 14, 'row 1, column "ngay": "12/10/2020" is not a date such as 2020-10-12 (YYYY-MM-DD)'),
    "year": (("nam: 2021", "nam: 21"), 15, 'row 2, column "nam": 21 is not a year such as 2024'),
    "text that YAML reads as yes/no": (("ghi_chu: Đạt", "ghi_chu: yes"), 14, 'row 1, column "ghi_chu": True is not text; write it in quotes'),
    "ratio that is not one": (("mot_cua: 18/18", "mot_cua: 18-18"), 14, 'row 1, column "mot_cua": "18-18" is not a ratio such as 18/18'),
    "ratio above its whole": (("mot_cua: 17/18", "mot_cua: 19/18"), 15, 'row 2, column "mot_cua": "19/18": the part (19) cannot be larger than the whole (18)'),
    "duplicate row key": (("{nam: 2021", "{nam: 2020"), 15, "row 2: duplicate key nam = 2020, already on row 1 (line 14); each row needs its own nam"),
    "duplicate YAML key": (("{nam: 2020,", "{nam: 2020, nam: 2019,"), 14, 'duplicate key "nam" (first on line 14)'),
    "chart x not a column": (("x: nam", "x: years"), 18, 'chart x "years" is not a column; the columns are nam, so_luong'),
    "chart series not a column": (("series: [so_luong]", "series: [so_luong, tong]"), 19, 'chart series "tong" is not a column'),
    "chart series of text": (("series: [so_luong]", "series: [ghi_chu]"), 19, 'chart series "ghi_chu" is a text column'),
    "chart mixing counts and shares": (("series: [so_luong]", "series: [so_luong, ty_le]"), 19, "chart series mix percentages (percent, ratio) with counts"),
    "chart type": (("type: bar", "type: pie"), 17, 'chart type "pie" is not one of bar, stacked-bar, line'),
    "unknown top-level key": (("source: Sở Nội vụ", "source: Sở Nội vụ\nnguon: x"), 5, 'unknown key "nguon"; is it misspelt?'),
    "missing source": (("source: Sở Nội vụ\n", ""), 1, 'missing "source:" (where the figures come from'),
    "section outside the results": (
        ("section: chi-so-cchc", "section: tin-tuc-su-kien"),
        2,
        'section "tin-tuc-su-kien" is not a results section; use one of chi-so-cchc, ket-qua-cchc, kiem-tra-cchc',
    ),
    "unknown column type": (
        ("label: Số lượng, type: integer", "label: Số lượng, type: int"),
        7,
        'column "so_luong": type "int" is not one of text, integer, number, percent, year, date, ratio',
    ),
    "duplicate column id": (("{id: diem,", "{id: so_luong,"), 8, 'column id "so_luong" is used twice (first on line 7)'),
    "comma in an unquoted label": (
        ("label: Số lượng,", "label: Số, lượng,"),
        7,
        'unknown key "lượng" in a column (a column has id, label, type, unit, decimals); a comma inside { } starts a new key',
    ),
    "decimals on an integer": (("type: integer}", "type: integer, decimals: 1}"), 7, 'column "so_luong": decimals are for number and percent columns only'),
}


@pytest.mark.parametrize("case", list(ERRORS))
def test_each_error_names_file_line_and_what_to_do(tmp_path, case):
    (old, new), line, message = ERRORS[case]
    assert BASE.count(old) >= 1, case
    table, problems, path = load(tmp_path, BASE.replace(old, new, 1))
    assert table is None, "a table with an error is not used"
    shown = [str(p) for p in problems]
    assert any(p.line == line and message in p.message for p in problems), shown
    assert any(s.startswith(f"{path}:{line}: ") for s in shown)


def test_a_file_name_that_is_not_an_address_is_an_error(tmp_path):
    _, problems, path = load(tmp_path, BASE, "Bang Thu.yaml")
    assert [str(p) for p in problems] == [
        f'{path}: the file name "Bang Thu" is the table\'s address: use lower-case ASCII words joined by hyphens, e.g. "par-index.yaml"'
    ]


def test_every_error_in_a_file_is_reported_at_once(tmp_path):
    text = BASE.replace("so_luong: 1124,", "so_luong: 1.124,").replace("mot_cua: 17/18", "mot_cua: 19/18").replace("x: nam", "x: years")
    _, problems, _ = load(tmp_path, text)
    assert [p.line for p in problems] == [14, 15, 18]


# --- Vietnamese figures --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "decimals", "value", "shown"),
    [
        ("integer", 0, 1124, "1.124"),
        ("integer", 0, 553871, "553.871"),
        ("number", 2, 78.62, "78,62"),
        ("number", 2, 77.1, "77,10"),
        ("number", 1, 91, "91,0"),
        ("percent", 1, 97.5, "97,5%"),
        ("percent", 1, 100, "100,0%"),
        ("percent", 2, 81.2, "81,20%"),
        ("year", 0, 2014, "2014"),
        ("date", 0, date(2020, 10, 12), "12/10/2020"),
        ("ratio", 0, (1176, 1921), "1.176/1.921"),
        ("ratio", 0, (18, 18), "18/18"),
        ("text", 0, "Sở Tư pháp", "Sở Tư pháp"),
        ("integer", 0, None, "–"),
    ],
)
def test_cells_are_written_the_vietnamese_way(kind, decimals, value, shown):
    assert Column("c", "C", kind, decimals=decimals).format(value) == shown


def test_cells_use_the_shared_vietnamese_number_format():
    column = Column("c", "C", "number", decimals=3)
    for value in (0.125, 1234567.891, 12.0):
        assert column.format(value) == vntext.format_number(value, 3)


# --- The chart -----------------------------------------------------------------------------------


def svg_of(table, prefix="bd", width=NARROW):
    return ET.fromstring(render_chart(table, prefix, width))


def texts_of(svg):
    return [t.text for t in svg.iter(f"{SVG}text")]


@pytest.mark.parametrize("width", [NARROW, WIDE])
def test_bar_lengths_are_proportional_to_the_values(width):
    table = next(t for t in sample_tables() if t.id == "kiem-tra-cchc-2020")
    svg = svg_of(table, width=width)
    bars = [r for r in svg.iter(f"{SVG}rect") if "bar" in r.get("class", "")]
    values = [row.value("diem") for row in table.rows]
    assert len(bars) == len(values)
    ratios = [float(bar.get("width")) / value for bar, value in zip(bars, values)]
    assert max(ratios) - min(ratios) < 0.01 * max(ratios)
    assert len({bar.get("x") for bar in bars}) == 1, "every bar starts at the same zero line"
    assert max(float(b.get("x")) + float(b.get("width")) for b in bars) <= width


def test_stacked_bar_segments_are_proportional_and_labelled():
    table = next(t for t in sample_tables() if t.id == "thu-tuc-hanh-chinh")
    svg = svg_of(table)
    segments = [r for r in svg.iter(f"{SVG}rect") if "bar" in r.get("class", "")]
    values = [row.value(c.id) for row in table.rows for c in table.chart.series]
    ratios = [float(s.get("width")) / v for s, v in zip(segments, values)]
    assert len(segments) == len(values) and max(ratios) - min(ratios) < 0.01 * max(ratios)
    labels = texts_of(svg)
    for row in table.rows:
        assert str(row.value("nam")) in labels
        assert vntext.format_number(row.value("cong_bo")) in labels, "each bar ends with its total"
    for column in table.chart.series:
        assert column.label in labels, "a legend names each series"


def test_line_chart_points_follow_the_values_with_labels_and_axis():
    table = next(t for t in sample_tables() if t.id == "par-index")
    svg = svg_of(table, width=WIDE)
    line = next(p for p in svg.iter(f"{SVG}polyline"))
    points = [tuple(map(float, pair.split(","))) for pair in line.get("points").split()]
    values = [row.value("diem") for row in table.rows]
    assert len(points) == len(values)
    assert all(x1 < x2 for (x1, _), (x2, _) in zip(points, points[1:]))
    # Higher score, higher point (smaller y), in proportion.
    scale = [(points[0][1] - y) / (v - values[0]) for (_, y), v in zip(points[1:], values[1:])]
    assert max(scale) - min(scale) < 0.01 * max(scale)
    labels = texts_of(svg)
    assert {str(y) for y in range(2014, 2025)} <= set(labels), "the wide chart labels every year"
    assert "90,08" in labels and "78,62" in labels
    assert "80" in labels and "90" in labels, "the value axis has ticks"


def test_the_chart_is_an_accessible_image_with_title_and_description():
    table = next(t for t in sample_tables() if t.id == "par-index")
    svg = svg_of(table, prefix="bieu-do-par-index")
    assert svg.get("role") == "img"
    title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
    assert svg.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}" == "bieu-do-par-index-tieu-de bieu-do-par-index-mo-ta"
    assert title.text == "Điểm PAR INDEX của tỉnh Bình An qua các năm"
    assert desc.text == describe(table)
    assert "từ 2014 đến 2024" in desc.text and "thấp nhất 75,83 (2016)" in desc.text and "cao nhất 90,08 (2024)" in desc.text
    assert svg.get("viewBox") == f"0 0 {NARROW} {svg.get('height')}"


def test_narrow_chart_labels_stay_inside_the_drawing():
    """What keeps a 360 px phone from scrolling sideways: nothing is drawn beyond the viewBox."""
    for table in [t for t in sample_tables() if t.chart]:
        svg = svg_of(table)
        for element in svg.iter():
            for attribute in ("x", "x1", "x2", "cx"):
                if element.get(attribute) is not None and element.get("text-anchor") != "end":
                    assert -1 <= float(element.get(attribute)) <= NARROW, (table.id, ET.tostring(element)[:80])


def test_text_from_yaml_is_escaped_in_the_svg(tmp_path):
    hostile = BASE.replace("title: Bảng thử", 'title: "<script>alert(1)</script> & co"').replace("label: Năm", 'label: "<b>Năm</b>"')
    table, problems, _ = load(tmp_path, hostile)
    assert problems == []
    markup = render_chart(table, "x")
    assert "<script>" not in markup and "<b>" not in markup
    svg = ET.fromstring(markup)
    assert svg.find(f"{SVG}title").text == "<script>alert(1)</script> & co"


def test_axis_ticks_are_round_and_cover_the_data():
    assert axis_ticks(75.83, 90.08) == [70, 75, 80, 85, 90, 95]
    assert axis_ticks(1.3, 61.2, share=True) == [0, 20, 40, 60, 80]
    assert axis_ticks(0, 1) == [0, 0.25, 0.5, 0.75, 1]
    assert axis_ticks(96, 99.9, share=True)[-1] == 100


# --- Downloads -----------------------------------------------------------------------------------


def raw_yaml(table_id):
    return yaml.safe_load((TABLES_DIR / f"{table_id}.yaml").read_text(encoding="utf-8"))


def as_text(value):
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, date) else str(value)


def as_json(value):
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str) and re.fullmatch(r"\d+/\d+", value):
        numerator, denominator = value.split("/")
        return {"numerator": int(numerator), "denominator": int(denominator)}
    return value


@pytest.mark.parametrize("table", sample_tables(), ids=lambda t: t.id)
def test_csv_and_json_hold_exactly_the_rows_of_the_yaml_file(table):
    source = raw_yaml(table.id)
    ids = [c["id"] for c in source["columns"]]
    labels = [c["label"] + (f" ({c['unit']})" if c.get("unit") else "") for c in source["columns"]]

    text = to_csv(table)
    assert text.startswith("\ufeff"), "a byte-order mark, so Excel reads the Vietnamese right"
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert rows[0] == labels
    assert rows[1:] == [[as_text(row[i]) for i in ids] for row in source["rows"]]

    record = json.loads(to_json(table, "https://cchc.binhan.gov.vn"))
    assert [c["id"] for c in record["columns"]] == ids and [c["type"] for c in record["columns"]] == [c["type"] for c in source["columns"]]
    assert record["rows"] == [{i: as_json(row[i]) for i in ids} for row in source["rows"]]
    assert record["title"] == source["title"] and record["source"] == source["source"] and record["period"] == str(source["period"])


# --- Embedding in an article ---------------------------------------------------------------------

ARTICLE = """\
Title: Bài thử
Date: 2024-03-20 16:00

Đoạn mở đầu.

[[bieu-do:par-index]]

Đoạn văn
[[bang:sipas]]
ngay sau.

```
[[bang:khong-co-trong-code]]
```

Viết `[[bang:mot-cua]]` trong văn bản, hoặc [[bang:mot-cua]] giữa câu.

    [[bang:thut-le-la-code]]
"""


def test_embed_lines_are_found_outside_code_with_their_lines():
    embeds, stray = find_embeds(ARTICLE, first_line=4)
    assert [(e.kind, e.table_id, e.line) for e in embeds] == [("bieu-do", "par-index", 6), ("bang", "sipas", 9)]
    assert stray == [16], "an embed code inside a sentence is reported; one in backticks or indented code is not"


def test_unknown_table_and_missing_chart_are_errors_at_the_embed_line(tmp_path):
    tables = {t.id: t for t in sample_tables()}
    path = tmp_path / "bai.md"
    text = ARTICLE.replace("[[bang:sipas]]", "[[bang:sipass]]") + "\n[[bieu-do:mot-cua]]\n"
    path.write_text(text, encoding="utf-8")
    _, problems = check_embeds(str(path), tables)
    errors = [str(p) for p in problems if p.level == "error"]
    assert errors[0].startswith(f'{path}:9: [[bang:sipass]]: there is no table "sipass" in content/data/tables/; did you mean "sipas"?')
    assert errors[1].startswith(f'{path}:20: [[bieu-do:mot-cua]]: table "mot-cua" has no chart')
    assert [p.line for p in problems if p.level == "warning"] == [16]


def renderer():
    import jinja2

    tables = sample_tables()
    place_tables(tables, {"SECTIONS_BY_ID": {}, **TABLE_URLS})
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(ROOT / "theme/templates")), autoescape=True)
    return make_renderer(env, {t.id: t for t in tables}, "")


def test_markdown_turns_an_embed_line_into_its_own_paragraph_and_the_block_replaces_it():
    html = markdown.Markdown(extensions=["markdown.extensions.extra", "markdown.extensions.meta", EmbedExtension()]).convert(ARTICLE)
    assert "<p>[[bieu-do:par-index]]</p>" in html
    assert "<p>Đoạn văn</p>\n<p>[[bang:sipas]]</p>\n<p>ngay sau.</p>" in html, "a line of its own even without blank lines"
    assert "<code>[[bang:khong-co-trong-code]]\n</code>" in html
    rendered, missing = render_embeds(html, renderer())
    assert missing == []
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-line"' in rendered
    assert '<table class="data-table" id="bang-sipas">' in rendered
    assert '<a href="/ket-qua-cchc/bang/par-index/">Xem bảng số liệu</a>' in rendered
    assert "[[bang:khong-co-trong-code]]" in rendered and "[[bang:mot-cua]]" in rendered


def test_the_same_table_twice_gets_distinct_ids():
    html = "<p>[[bang:sipas]]</p>\n<p>[[bang:sipas]]</p>\n<p>[[bang:khong-co]]</p>"
    rendered, missing = render_embeds(html, renderer())
    assert 'id="bang-sipas"' in rendered and 'id="bang-sipas-2"' in rendered
    assert missing == ["[[bang:khong-co]]"] and "<p>[[bang:khong-co]]</p>" in rendered


def test_yaml_text_is_escaped_in_embedded_tables_and_charts(tmp_path):
    import jinja2

    hostile = BASE.replace("title: Bảng thử", 'title: "<img src=x onerror=alert(1)>"').replace("ghi_chu: Đạt", 'ghi_chu: "<script>x</script>"')
    table, problems, _ = load(tmp_path, hostile)
    assert problems == []
    place_tables([table], TABLE_URLS)
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(ROOT / "theme/templates")), autoescape=True)
    render = make_renderer(env, {table.id: table}, "")
    for kind in ("bang", "bieu-do"):
        html = render(kind, table.id, kind)
        assert "<img" not in html and "<script>" not in html
        assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_an_embed_of_a_table_with_errors_reports_the_table_not_an_unknown_id(tmp_path):
    from types import SimpleNamespace

    (tmp_path / "data" / "tables").mkdir(parents=True)
    (tmp_path / "data" / "tables" / "bang-loi.yaml").write_text(BASE.replace("x: nam", "x: years"), encoding="utf-8")
    article = tmp_path / "articles" / "chi-so-cchc" / "2024" / "bai.md"
    article.parent.mkdir(parents=True)
    article.write_text("Title: Bài\nDate: 2024-03-20 16:00\n\n[[bang:bang-loi]]\n", encoding="utf-8")
    settings = {
        "PATH": str(tmp_path),
        "SECTIONS_BY_ID": {"ket-qua-cchc": SimpleNamespace(ids=RESULTS)},
        "TABLES_DIR": "data/tables",
        "TABLES_ROOT_SECTION": "ket-qua-cchc",
    }
    tables, embeds, problems = check_tables(settings)
    assert tables == [] and [p.line for p in problems] == [18]
    assert [e.table_id for found in embeds.values() for e in found] == ["bang-loi"]


def test_check_tables_reads_the_sample_content():
    from sitedata import load_site_data

    settings = {
        "PATH": str(ROOT / "content"),
        "SITE_DATA_DIR": "data",
        "SECTION_URL": "{id}/",
        "SECTION_SAVE_AS": "{id}/index.html",
        "TOPIC_URL": "linh-vuc/{id}/",
        "TOPIC_SAVE_AS": "linh-vuc/{id}/index.html",
        "ARTICLE_PATHS": ["articles"],
        "PAGE_PATHS": ["pages"],
        "TABLES_DIR": "data/tables",
        "TABLES_ROOT_SECTION": "ket-qua-cchc",
    }
    added, problems = load_site_data(settings)
    settings.update(added)
    tables, embeds, problems = check_tables(settings)
    assert [p for p in problems if p.level == "error"] == []
    used = {(e.kind, e.table_id) for found in embeds.values() for e in found}
    assert ("bieu-do", "par-index") in used and ("bang", "kiem-tra-cchc-2020") in used


# --- The sample data agree with themselves ---------------------------------------------------------


def rounded(numerator, denominator, decimals=1):
    return float((Decimal(numerator) * 100 / Decimal(denominator)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_EVEN))


def test_sample_data_are_internally_consistent():
    rows = {t: raw_yaml(t)["rows"] for t in ("ho-so-tthc", "thu-tuc-hanh-chinh", "dich-vu-cong-truc-tuyen", "kiem-tra-cchc-2020", "par-index", "sipas")}
    for row in rows["ho-so-tthc"]:
        assert row["dung_han"] <= row["da_giai_quyet"] <= row["tiep_nhan"]
        assert row["ty_le_dung_han"] == rounded(row["dung_han"], row["da_giai_quyet"]), row["nam"]
        assert row["ty_le_truc_tuyen"] == rounded(row["truc_tuyen"], row["tiep_nhan"]), row["nam"]
    in_force = {}
    previous = 1766  # end of 2016, in the table's notes
    for row in rows["thu-tuc-hanh-chinh"]:
        assert row["cong_bo"] == row["moi"] + row["sua_doi"] + row["bai_bo"], row["nam"]
        assert row["dang_thuc_hien"] == previous + row["moi"] - row["bai_bo"], row["nam"]
        previous = in_force[row["nam"]] = row["dang_thuc_hien"]
    for row in rows["dich-vu-cong-truc-tuyen"]:
        part, whole = map(int, row["co_dvc"].split("/"))
        assert part == row["toan_trinh"] + row["mot_phan"] and whole == in_force[row["nam"]], row["nam"]
    for row in rows["kiem-tra-cchc-2020"]:
        assert row["ty_le_dung_han"] == rounded(row["ho_so_dung_han"], row["ho_so_kiem_tra"])
        band = "Tốt" if row["diem"] >= 90 else "Khá" if row["diem"] >= 80 else "Trung bình" if row["diem"] >= 65 else "Yếu"
        assert row["xep_loai"] == band, row["don_vi"]
    # The rank rose every year, as the articles say; 2013 was 50th.
    ranks = [50] + [row["xep_hang"] for row in rows["par-index"]]
    assert all(a > b for a, b in zip(ranks, ranks[1:]))
    assert [r["chi_so"] for r in rows["sipas"]] == sorted(r["chi_so"] for r in rows["sipas"])


# --- The built site -------------------------------------------------------------------------------


def cell_texts(row):
    return [" ".join(c.get_text(" ", strip=True).split()) for c in row.find_all(["th", "td"])]


@pytest.mark.parametrize("table", sample_tables(), ids=lambda t: t.id)
def test_each_table_has_an_accessible_page_with_breadcrumb_chart_and_downloads(site, table):
    url = f"/ket-qua-cchc/bang/{table.id}/"
    soup = site.soup(url)
    assert soup.h1.get_text(strip=True) == table.title
    crumbs = soup.select("nav.breadcrumb li")
    trail = ["Trang chủ", "Kết quả CCHC"] + (
        ["Chỉ số CCHC"] if table.section_id == "chi-so-cchc" else ["Kết quả kiểm tra CCHC"] if table.section_id == "kiem-tra-cchc" else []
    )
    assert [c.get_text(strip=True) for c in crumbs] == trail + [table.title]
    assert crumbs[-1].select_one('[aria-current="page"]')

    html_table = soup.select_one("table.data-table")
    assert html_table.caption.get_text(" ", strip=True).startswith(table.title)
    region = html_table.find_parent(attrs={"role": "region"})
    assert region["aria-labelledby"] == html_table.caption["id"] and region["tabindex"] == "0"
    heads = html_table.select("thead th")
    assert [h["scope"] for h in heads] == ["col"] * len(table.columns)
    body_rows = html_table.select("tbody tr")
    assert len(body_rows) == len(table.rows)
    for tr, row in zip(body_rows, table.rows):
        assert tr.find("th")["scope"] == "row"
        assert cell_texts(tr) == [c.text if not c.missing else "– không có số liệu" for c in row.cells]
        for cell, element in zip(row.cells, tr.find_all(["th", "td"])):
            assert ("num" in element["class"]) == cell.column.numeric

    if table.chart:
        narrow, wide = soup.select(".data-chart svg")
        assert narrow.find_parent(class_="chart-narrow") and wide.find_parent(class_="chart-wide").has_attr("hidden")
        for svg in (narrow, wide):
            assert svg["role"] == "img" and svg.title.get_text() == table.chart.title and svg.desc.get_text()
            assert all(soup.find(id=i) for i in svg["aria-labelledby"].split())
    ids = [e["id"] for e in soup.find_all(id=True)]
    assert len(ids) == len(set(ids)), "ids are unique on the page"

    links = {a.get_text(strip=True): a["href"] for a in soup.select(".data-downloads a")}
    assert links == {"CSV": f"{url}{table.id}.csv", "JSON": f"{url}{table.id}.json"}
    assert site.path(links["CSV"]).read_bytes().decode("utf-8") == to_csv(table)
    record = json.loads(site.path(links["JSON"]).read_text(encoding="utf-8"))
    assert record["url"].endswith(url) and record["rows"] == json.loads(to_json(table))["rows"]


def test_section_pages_list_their_tables_and_descendants_tables(site):
    tables = sample_tables()
    listed = lambda url: [a["href"] for a in site.soup(url).select(".data-tables .data-table-list a")]  # noqa: E731
    assert sorted(listed("/ket-qua-cchc/")) == sorted(f"/ket-qua-cchc/bang/{t.id}/" for t in tables)
    assert sorted(listed("/chi-so-cchc/")) == ["/ket-qua-cchc/bang/par-index/", "/ket-qua-cchc/bang/sipas/"]
    assert listed("/kiem-tra-cchc/") == ["/ket-qua-cchc/bang/kiem-tra-cchc-2020/"]
    assert site.soup("/ket-qua-cchc/").select_one(".data-tables h2").get_text(strip=True) == "Bảng số liệu"
    assert listed("/tin-tuc-su-kien/") == []
    if site.exists("/ket-qua-cchc/trang-2/"):
        assert listed("/ket-qua-cchc/trang-2/") == [], "only on the first page"


PAR_ARTICLE = "/2025/06/nhin-lai-11-nam-par-index-tu-thu-44-len-thu-7-ca-nuoc/"
INSPECTION_ARTICLE = "/2020/12/ket-qua-kiem-tra-cai-cach-hanh-chinh-nam-2020-tai-6-so-nganh-va-3-huyen-thanh-pho/"


def test_articles_embed_charts_and_tables_and_the_table_page_links_back(site):
    body = site.soup(PAR_ARTICLE).select_one(".body")
    charts = body.select(".data-embed-chart")
    assert len(charts) == 2
    assert charts[0].select_one(".chart-narrow svg title").get_text() == "Điểm PAR INDEX của tỉnh Bình An qua các năm"
    assert charts[0].select_one("a")["href"] == "/ket-qua-cchc/bang/par-index/"
    assert body.select_one(".data-embed-table table caption").get_text(" ", strip=True).startswith("Chỉ số hài lòng về sự phục vụ hành chính (SIPAS)")
    assert "[[" not in body.get_text()

    table = site.soup(INSPECTION_ARTICLE).select_one(".body .data-embed-table table")
    assert [cell_texts(r)[0] for r in table.select("tbody tr")][:2] == ["Sở Tư pháp", "Sở Kế hoạch và Đầu tư"]
    assert cell_texts(table.select("tbody tr")[0])[1:5] == ["12/10/2020", "120", "120", "100,0%"]

    uses = [a["href"] for a in site.soup("/ket-qua-cchc/bang/par-index/").select(".data-articles a")]
    assert uses == [PAR_ARTICLE]


def test_table_pages_are_in_the_sitemap(site):
    sitemap = site.path("/sitemap.xml").read_text(encoding="utf-8")
    assert "/ket-qua-cchc/bang/par-index/</loc>" in sitemap


# --- A build with a broken table or embed fails and writes nothing --------------------------------


def test_an_invalid_table_stops_the_build_with_file_and_line(content_copy, tmp_path):
    path = content_copy / "data" / "tables" / "bang-loi.yaml"
    path.write_text(BASE.replace("mot_cua: 17/18", "mot_cua: 19/18"), encoding="utf-8")
    output = tmp_path / "out"
    result = run_pelican(content_copy, output)
    log = result.stdout + result.stderr
    assert result.returncode != 0, log
    assert f'{path}:15: row 2, column "mot_cua": "19/18": the part (19) cannot be larger than the whole (18)' in log
    assert "Build stopped" in log
    assert not output.exists() or not any(output.iterdir()), "a failed build must not write pages"


def test_an_embed_of_an_unknown_table_stops_the_build_at_its_line(content_copy, tmp_path):
    path = content_copy / "articles" / "chi-so-cchc" / "2024" / "bai-thu-bang.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("Title: Bài thử bảng\nDate: 2024-03-20 16:00\nTopics: cai-cach-tthc\nSummary: Thử.\n\nMở đầu.\n\n[[bieu-do:par-indx]]\n", encoding="utf-8")
    output = tmp_path / "out"
    result = run_pelican(content_copy, output)
    log = result.stdout + result.stderr
    assert result.returncode != 0, log
    assert f'{path}:8: [[bieu-do:par-indx]]: there is no table "par-indx" in content/data/tables/; did you mean "par-index"?' in log
    assert not output.exists() or not any(output.iterdir())


# --- In a browser ---------------------------------------------------------------------------------


def open_page(browser, width, url):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="vi-VN")
    page = context.new_page()
    problems = []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type in {"error", "warning"} else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("response", lambda r: problems.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)
    page.goto(url)
    return context, page, problems


SHOWN_SVG = "[...document.querySelectorAll('.data-chart svg')].filter(s => s.getBoundingClientRect().width > 0)"


def smallest_text(page) -> float:
    """The smallest chart text (13 units) as drawn on the screen, in CSS pixels, over the charts shown."""
    return page.evaluate(f"Math.min(...{SHOWN_SVG}.map(s => s.getBoundingClientRect().width / s.viewBox.baseVal.width * 13))")


@pytest.mark.parametrize("width", [360, 1280])
def test_table_page_and_article_charts_read_well_on_phone_and_desktop(browser, served_site, artifacts, width):
    context, page, problems = open_page(browser, width, served_site + "/ket-qua-cchc/bang/par-index/")
    page.screenshot(path=str(artifacts / f"table-par-index-{width}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "no sideways scrolling"
    layout = ".chart-narrow" if width < 600 else ".chart-wide"
    assert page.locator(f"{layout} svg").is_visible()
    assert page.evaluate(f"{SHOWN_SVG}.length") == 1, "one drawing of the chart is shown"
    assert 11.5 <= smallest_text(page) <= 16
    assert page.locator("table.data-table td.num").first.evaluate("e => getComputedStyle(e).textAlign") == "right"
    assert page.locator("table.data-table caption").is_visible()

    page.goto(served_site + PAR_ARTICLE)
    page.locator(".data-embed-chart").first.scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / f"table-article-{width}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.evaluate(f"{SHOWN_SVG}.length") == 2
    assert 11.5 <= smallest_text(page) <= 16

    page.goto(served_site + "/ket-qua-cchc/bang/kiem-tra-cchc-2020/")
    page.screenshot(path=str(artifacts / f"table-kiem-tra-{width}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "a wide table scrolls in its own box"
    assert problems == []
    context.close()


def test_print_shows_the_wide_chart_and_hides_the_downloads(browser, served_site, artifacts):
    context, page, problems = open_page(browser, 800, served_site + "/ket-qua-cchc/bang/thu-tuc-hanh-chinh/")
    page.emulate_media(media="print")
    page.screenshot(path=str(artifacts / "table-print.png"), full_page=True)
    assert page.locator(".chart-wide svg").is_visible() and not page.locator(".chart-narrow svg").is_visible()
    assert not page.locator(".data-downloads").is_visible()
    assert page.locator("table.data-table").is_visible()
    assert problems == []
    context.close()
