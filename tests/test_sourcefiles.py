"""Tests for reading front matter and YAML with line numbers, and for the shape of a problem."""

from __future__ import annotations

import pytest

from sourcefiles import ContentError, LineDict, LineList, Problem, load_yaml, read_front_matter


def write(path, text: str) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return str(path)


# --- Problem and ContentError -------------------------------------------------------------------


def test_problem_str_is_path_line_message():
    problem = Problem("content/articles/x.md", 3, 'Date "31/02/2020" is not a date (use YYYY-MM-DD HH:MM)')
    assert str(problem) == 'content/articles/x.md:3: Date "31/02/2020" is not a date (use YYYY-MM-DD HH:MM)'
    assert problem.level == "error"


def test_problem_about_the_whole_file_has_no_line():
    assert str(Problem("content/data/sections.yaml", 0, "file not found")) == "content/data/sections.yaml: file not found"


def test_problem_warning_level_does_not_change_its_text():
    problem = Problem("a.md", 7, "no summary", "warning")
    assert problem.level == "warning"
    assert str(problem) == "a.md:7: no summary"


def test_content_error_carries_every_problem():
    problems = [Problem("a.md", 1, "first"), Problem("b.md", 2, "second")]
    error = ContentError(problems)
    assert error.problems == problems
    assert str(error) == "a.md:1: first\nb.md:2: second"


# --- front matter -------------------------------------------------------------------------------


def test_front_matter_values_lines_and_body(tmp_path):
    path = write(tmp_path / "a.md", "Title: Đẩy mạnh cải cách thủ tục hành chính\nDate: 2024-03-20 16:00\nCategory: tin-tuc-su-kien\n\nNội dung bài viết.\n")
    meta = read_front_matter(path)
    assert meta.values == {"title": "Đẩy mạnh cải cách thủ tục hành chính", "date": "2024-03-20 16:00", "category": "tin-tuc-su-kien"}
    assert meta.lines == {"title": 1, "date": 2, "category": 3}
    assert meta.line("category") == 3
    assert meta.get("date") == "2024-03-20 16:00"
    assert meta.get("summary") is None
    assert meta.get("summary", "x") == "x"
    assert meta.body_line == 5
    assert meta.problems == []


def test_front_matter_keys_are_lower_cased(tmp_path):
    path = write(tmp_path / "a.md", "TITLE: A\nImageAlt: Ảnh hội nghị\nimageCaption: Chú thích\n\nBody\n")
    meta = read_front_matter(path)
    assert set(meta.values) == {"title", "imagealt", "imagecaption"}
    assert meta.get("imagealt") == "Ảnh hội nghị"
    assert meta.line("imagecaption") == 3


def test_front_matter_value_keeps_colons_and_is_stripped(tmp_path):
    path = write(tmp_path / "a.md", "Title:   Kết quả: CCHC năm 2023   \nSummary : Tóm tắt\n\n")
    meta = read_front_matter(path)
    assert meta.get("title") == "Kết quả: CCHC năm 2023"
    assert meta.get("summary") == "Tóm tắt"


def test_front_matter_continuation_lines(tmp_path):
    path = write(tmp_path / "a.md", "Title: A\nSummary: Dòng thứ nhất\n    dòng thứ hai\n\tdòng thứ ba\nTags:\n  CCHC, TTHC\nDate: 2024-01-02\n\nBody\n")
    meta = read_front_matter(path)
    assert meta.get("summary") == "Dòng thứ nhất dòng thứ hai dòng thứ ba"
    assert meta.get("tags") == "CCHC, TTHC"
    assert meta.lines == {"title": 1, "summary": 2, "tags": 5, "date": 7}
    assert meta.body_line == 9
    assert meta.problems == []


def test_front_matter_duplicate_key_reported_with_its_line(tmp_path):
    path = write(tmp_path / "a.md", "Title: A\nDate: 2024-01-02\ntitle: B\n\nBody\n")
    meta = read_front_matter(path)
    assert len(meta.problems) == 1
    problem = meta.problems[0]
    assert problem.line == 3
    assert problem.path == path
    assert problem.level == "error"
    assert '"title" is given twice' in problem.message
    assert "first on line 1" in problem.message


def test_front_matter_body_line_without_blank_separator_is_reported(tmp_path):
    path = write(tmp_path / "a.md", "Title: A\nDate: 2024-01-02\nNội dung bắt đầu ngay\nDòng hai\n")
    meta = read_front_matter(path)
    assert meta.values == {"title": "A", "date": "2024-01-02"}
    assert len(meta.problems) == 1
    problem = meta.problems[0]
    assert problem.line == 3
    assert '"Nội dung bắt đầu ngay" is not a "Key: value" line' in problem.message
    assert "blank line" in problem.message
    assert meta.body_line == 3


def test_front_matter_misspelt_key_without_colon_is_reported(tmp_path):
    path = write(tmp_path / "a.md", "Title: A\nTittle Foo\n\nBody\n")
    meta = read_front_matter(path)
    assert [(p.line, p.level) for p in meta.problems] == [(2, "error")]
    assert '"Tittle Foo"' in meta.problems[0].message


def test_file_not_starting_with_front_matter(tmp_path):
    path = write(tmp_path / "a.md", "# Tiêu đề\n\nTitle: A\n")
    meta = read_front_matter(path)
    assert meta.values == {}
    assert len(meta.problems) == 1
    problem = meta.problems[0]
    assert problem.line == 1
    assert "does not start with front matter" in problem.message
    assert meta.body_line == 1


def test_indented_first_line_is_not_a_continuation(tmp_path):
    path = write(tmp_path / "a.md", "    Title: A\n\nBody\n")
    meta = read_front_matter(path)
    assert meta.values == {}
    assert [p.line for p in meta.problems] == [1]


def test_front_matter_only_file_has_body_after_last_line(tmp_path):
    path = write(tmp_path / "a.md", "Title: A\nDate: 2024-01-02\n")
    meta = read_front_matter(path)
    assert meta.body_line == 3
    assert meta.problems == []


def test_front_matter_from_given_text_does_not_read_the_file(tmp_path):
    missing = str(tmp_path / "not-there.md")
    meta = read_front_matter(missing, text="Title: A\nSlug: a\n\nBody\n")
    assert meta.values == {"title": "A", "slug": "a"}
    assert meta.body_line == 4


def test_front_matter_byte_order_mark_is_ignored(tmp_path):
    path = tmp_path / "bom.md"
    path.write_bytes("Title: Có BOM\n\nBody\n".encode("utf-8-sig"))
    meta = read_front_matter(str(path))
    assert meta.values == {"title": "Có BOM"}
    assert meta.lines == {"title": 1}
    assert meta.problems == []


def test_front_matter_line_of_absent_key_is_first_line(tmp_path):
    meta = read_front_matter(str(tmp_path / "x.md"), text="Title: A\nDate: 2024-01-02\n\n")
    assert meta.line("date") == 2
    assert meta.line("summary") == 1


# --- YAML with lines ----------------------------------------------------------------------------

SECTIONS_YAML = """\
# comment line
- id: tin-tuc-su-kien
  title: Tin tức - Sự kiện
- id: ket-qua-cchc
  title: Kết quả CCHC
  children:
    - id: kiem-tra-cchc
      title: Kết quả kiểm tra CCHC
"""


def test_load_yaml_mappings_and_lists_know_their_lines(tmp_path):
    data = load_yaml(write(tmp_path / "sections.yaml", SECTIONS_YAML))
    assert isinstance(data, LineList)
    assert data.line == 2
    first, second = data
    assert isinstance(first, LineDict)
    assert first == {"id": "tin-tuc-su-kien", "title": "Tin tức - Sự kiện"}
    assert first.line == 2
    assert first.line_of("id") == 2
    assert first.line_of("title") == 3
    assert second.line == 4
    assert second.line_of("children") == 6
    children = second["children"]
    assert isinstance(children, LineList)
    assert children.line == 7
    assert children[0].line == 7
    assert children[0].line_of("title") == 8
    # A key the mapping does not have points at the mapping itself.
    assert second.line_of("description") == 4


def test_load_yaml_top_level_mapping(tmp_path):
    data = load_yaml(write(tmp_path / "site.yaml", "name: Cổng CCHC\n\naddress: Số 1\nphone: '0123'\n"))
    assert isinstance(data, LineDict)
    assert data.line == 1
    assert data.line_of("address") == 3
    assert data["phone"] == "0123"


def test_load_yaml_duplicate_key_raises_with_line_of_duplicate(tmp_path):
    path = write(tmp_path / "sections.yaml", "- id: a\n  title: A\n  id: b\n")
    with pytest.raises(ContentError) as raised:
        load_yaml(path)
    [problem] = raised.value.problems
    assert problem.line == 3
    assert problem.path == path
    assert 'duplicate key "id"' in problem.message
    assert "first on line 1" in problem.message


def test_load_yaml_bad_indentation_reports_the_line(tmp_path):
    path = write(tmp_path / "sections.yaml", "- id: a\n  title: A\n- id: b\n   title: B\n- id: c\n  title: C\n")
    with pytest.raises(ContentError) as raised:
        load_yaml(path)
    [problem] = raised.value.problems
    assert problem.line == 4
    assert "indentation" in problem.message
    assert str(problem).startswith(f"{path}:4: ")


def test_load_yaml_mapping_indented_too_far_reports_the_line(tmp_path):
    path = write(tmp_path / "site.yaml", "name: A\nlinks:\n  - x\n agency: B\nphone: '1'\n")
    with pytest.raises(ContentError) as raised:
        load_yaml(path)
    assert [p.line for p in raised.value.problems] == [4]


@pytest.mark.parametrize(
    ("name", "text"),
    [
        pytest.param("sections.yaml", '- id: a\n  title: "Kết quả CCHC\n- id: b\n  title: B\n', id="in-a-list"),
        pytest.param("site.yaml", 'name: Cổng CCHC\nagency: "Sở Nội vụ\nphone: 0123\n', id="in-a-mapping"),
    ],
)
def test_load_yaml_unclosed_quote_points_at_the_quote(tmp_path, name, text):
    # The quote opened on line 2 is never closed; the editor must be sent to line 2, not past the
    # end of the file where the scanner gave up.
    path = write(tmp_path / name, text)
    with pytest.raises(ContentError) as raised:
        load_yaml(path)
    [problem] = raised.value.problems
    assert "quote" in problem.message
    assert 1 <= problem.line <= len(text.splitlines()), f"line {problem.line} is not in the file"
    assert problem.line == 2


def test_load_yaml_missing_file(tmp_path):
    path = str(tmp_path / "missing.yaml")
    with pytest.raises(ContentError) as raised:
        load_yaml(path)
    [problem] = raised.value.problems
    assert problem.line == 0
    assert problem.message == "file not found"
    assert str(problem) == f"{path}: file not found"


def test_load_yaml_refuses_python_tags(tmp_path):
    path = write(tmp_path / "evil.yaml", "a: !!python/object/apply:os.system ['true']\n")
    with pytest.raises(ContentError) as raised:
        load_yaml(path)
    assert raised.value.problems[0].line == 1


def test_load_yaml_empty_file_is_none(tmp_path):
    assert load_yaml(write(tmp_path / "empty.yaml", "# nothing yet\n")) is None
