"""The message catalogue (plugins/messages): one place for every sentence editors read, in two languages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import messages

ROOT = Path(__file__).resolve().parent.parent


def test_every_message_has_both_languages_with_the_same_placeholders():
    catalogue = messages.catalogue()
    assert catalogue, "the catalogue is empty"
    for key, texts in catalogue.items():
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", key), f"{texts['file']}: key {key!r} should be lower-case-with-dashes"
        for lang in messages.LANGUAGES:
            assert isinstance(texts.get(lang), str) and texts[lang].strip(), f"{texts['file']}: {key} has no {lang} text"
        assert messages.placeholders(texts["vi"]) == messages.placeholders(texts["en"]), f"{texts['file']}: {key} names different placeholders"


def test_no_sentence_is_written_twice_in_the_catalogue():
    seen: dict[str, str] = {}
    for key, texts in messages.catalogue().items():
        for lang in messages.LANGUAGES:
            assert texts[lang] not in seen or lang == "en" and texts["en"] == texts["vi"], f"{key} repeats {seen.get(texts[lang])}"
            seen[texts[lang]] = key


def test_a_key_in_two_files_is_refused(tmp_path, monkeypatch):
    (tmp_path / "a.yaml").write_text('same:\n  vi: "một"\n  en: "one"\n', encoding="utf-8")
    (tmp_path / "b.yaml").write_text('same:\n  vi: "hai"\n  en: "two"\n', encoding="utf-8")
    monkeypatch.setattr(messages, "HERE", tmp_path)
    messages.catalogue.cache_clear()
    try:
        with pytest.raises(ValueError, match="b.yaml: message 'same' is also in a.yaml"):
            messages.catalogue()
    finally:
        messages.catalogue.cache_clear()


@pytest.mark.parametrize(("env", "expected"), [("", "Không có lỗi."), ("en", "No problems found."), ("EN_US", "No problems found."), ("fr", "Không có lỗi.")])
def test_portal_lang_chooses_the_language(monkeypatch, env, expected):
    monkeypatch.setenv("PORTAL_LANG", env)
    assert messages.say("report-clean") == expected


def test_placeholders_are_filled(monkeypatch):
    monkeypatch.setenv("PORTAL_LANG", "vi")
    assert messages.say("report-errors", errors=2, warnings=1) == "2 lỗi, 1 cảnh báo: sửa các lỗi trước khi đăng."


def test_every_key_said_in_code_is_in_the_catalogue_and_every_entry_is_used():
    """messages.say(key) in plugins/ and tasks.py: no unknown key (a KeyError for an editor), no dead entry.

    A key chosen at run time is written out as a literal elsewhere (a mapping), so an entry counts as used
    when its key appears quoted in the code.
    """
    code = "\n".join(path.read_text(encoding="utf-8") for path in [ROOT / "tasks.py", *sorted((ROOT / "plugins").rglob("*.py"))])
    said = set(re.findall(r"""say\(\s*["']([a-z0-9-]+)["']""", code))
    catalogue = set(messages.catalogue())
    assert said <= catalogue, f"said but not in the catalogue: {sorted(said - catalogue)}"
    unused = {key for key in catalogue if f'"{key}"' not in code and f"'{key}'" not in code}
    assert not unused, f"in the catalogue but never used: {sorted(unused)}"
