"""The shape every plugin keeps: no plugin imports another (shared code lives in the libraries), and
each setting a plugin reads has its one default in pelicanconf.py."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import sourcefiles
from conftest import ROOT

PLUGINS = ROOT / "plugins"


def _is_plugin(package: Path) -> bool:
    init = package / "__init__.py"
    return init.is_file() and any(isinstance(node, ast.FunctionDef) and node.name == "register" for node in ast.parse(init.read_text(encoding="utf-8")).body)


PLUGIN_NAMES = sorted(p.name for p in PLUGINS.iterdir() if p.is_dir() and _is_plugin(p))


def _imported(path: Path) -> set[str]:
    """Top-level names of the absolute imports of a module, wherever in it they are."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            found.add(node.module.split(".")[0])
    return found


def test_the_plugins_are_found():
    assert {"sanitize", "documents", "media", "strict", "sections", "tables", "related"} <= set(PLUGIN_NAMES)
    assert not {"sourcefiles", "vntext", "htmlclean", "sitefiles", "editorial", "publishing"} & set(PLUGIN_NAMES)


@pytest.mark.parametrize("plugin", PLUGIN_NAMES)
def test_a_plugin_imports_no_other_plugin(plugin):
    others = set(PLUGIN_NAMES) - {plugin}
    wrong = {str(path.relative_to(ROOT)): sorted(_imported(path) & others) for path in sorted((PLUGINS / plugin).rglob("*.py"))}
    assert not {path: names for path, names in wrong.items() if names}, "move the shared code into a library (plugins/<name> without register)"


def test_the_table_model_does_not_import_its_chart():
    # The chart draws the model; the model importing the chart back made a circle. Templates call
    # the chart_svg Jinja global instead.
    tree = ast.parse((PLUGINS / "tables" / "model.py").read_text(encoding="utf-8"))
    relative = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.level}
    assert "chart" not in relative


def test_a_missing_setting_is_named_not_defaulted():
    with pytest.raises(SystemExit) as stopped:
        sourcefiles.setting({"PATH": "content"}, "TABLES_DIR")
    assert "TABLES_DIR is missing from the settings" in str(stopped.value)
    assert sourcefiles.setting({"TABLES_DIR": "data/tables"}, "TABLES_DIR") == "data/tables"


@pytest.mark.parametrize(
    ("value", "items"),
    [
        ("a, b , c", ["a", "b", "c"]),
        (" a,,b, ", ["a", "b"]),
        (["a, b", "c"], ["a", "b", "c"]),  # a value continued on an indented line
        ("", []),
        (None, []),
    ],
)
def test_one_list_parser(value, items):
    assert sourcefiles.split_list(value) == items


@pytest.mark.parametrize(("value", "meant"), [("yes", True), (" Có ", True), ("false", False), ("không", False), ("maybe", None), (None, None)])
def test_one_yes_no_parser(value, meant):
    assert sourcefiles.yes_no(value) is meant


def test_one_absolute_site_address():
    assert sourcefiles.site_url({"SITEURL": "https://cchc.example.gov.vn/", "LOCAL_SITEURL": "http://localhost:8000"}) == "https://cchc.example.gov.vn"
    assert sourcefiles.site_url({"SITEURL": "", "LOCAL_SITEURL": "http://localhost:8000/"}) == "http://localhost:8000"


def test_code_lines_are_told_apart_once_for_every_scanner():
    text = "Title: x\n\nprose\n\n```\n[[bang:a]]\n```\n\n    indented code\nprose again\n"
    assert [(n, code) for n, _line, code in sourcefiles.markdown_lines(text, 3)] == [
        (3, False),
        (4, False),
        (5, True),
        (6, True),
        (7, True),
        (8, False),
        (9, True),
        (10, False),
    ]
