"""The loader keeps positions, refuses unsafe YAML and reports where the problem is."""

from __future__ import annotations

from pathlib import Path

import pytest

from guidegen.loader import decode, load, parse

GUIDE = """\
title: Ghid
faq:
  - question: Ce?
    answer: Așa.
  - question: De ce?
    answer: Pentru că.
"""


def test_positions_point_at_each_value() -> None:
    doc, problems = parse("content/ro/x.yaml", GUIDE)
    assert problems == []
    assert doc.position(("title",)) == (1, 8)
    assert doc.position(("faq", 1)) == (5, 5)
    assert doc.position(("faq", 1, "answer")) == (6, 13)
    assert doc.position(("faq", 1, "answer"), key=True) == (6, 5)


def test_missing_path_falls_back_to_nearest_ancestor() -> None:
    doc, _ = parse("x.yaml", GUIDE)
    assert doc.position(("faq", 0, "missing")) == doc.position(("faq", 0))


def test_duplicate_key_is_reported_at_second_occurrence() -> None:
    _, problems = parse("x.yaml", "title: a\nquestion: b\ntitle: c\n")
    assert [str(p) for p in problems] == [
        "x.yaml:3:1: error: [duplicate-key] duplicate key 'title' (first at line 1): "
        "keep one of them"
    ]


def test_object_tags_are_refused_without_running_anything(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    text = f"title: !!python/object/apply:os.system ['touch {marker}']\n"
    _, problems = parse("x.yaml", text)
    assert [p.rule for p in problems] == ["yaml-tag"]
    assert (problems[0].line, problems[0].col) == (1, 8)
    assert not marker.exists()


def test_aliases_are_refused_where_they_stand() -> None:
    _, problems = parse("x.yaml", "a: &x [1, 2]\nb: *x\n")
    assert [(p.rule, p.line, p.col) for p in problems] == [("yaml-alias", 2, 4)]


def test_tags_aliases_and_bad_keys_are_all_reported_in_one_pass() -> None:
    text = "a: !!set {x, y}\nb: *missing\n? [c]\n: 1\nd: [1, *e]\n"
    _, problems = parse("x.yaml", text)
    found = [(p.rule, p.line, p.col) for p in problems]
    assert found == [
        ("yaml-tag", 1, 4),
        ("yaml-alias", 2, 4),
        ("yaml-syntax", 3, 3),
        ("yaml-alias", 5, 8),
    ]


@pytest.mark.parametrize("key", ["<<", "!!binary aGk=", "!foo k", "? [a]\n"])
def test_a_key_that_is_no_plain_word_is_one_problem(key: str) -> None:
    _, problems = parse("x.yaml", f"{key}: 1\n")
    assert [(p.rule, p.line, p.col) for p in problems] == [
        ("yaml-syntax", 1, 1 + 2 * key.startswith("?"))
    ]


def test_a_second_document_is_refused_where_it_starts() -> None:
    _, problems = parse("x.yaml", "a: 1\n---\nb: 2\n")
    assert [(p.rule, p.line, p.col) for p in problems] == [("yaml-syntax", 2, 1)]


def test_tabs_are_reported_per_line() -> None:
    _, problems = parse("x.yaml", "title: a\n\tquestion: b\n")
    assert [(p.rule, p.line, p.col) for p in problems] == [("tab", 2, 1)]


def test_syntax_error_has_position_and_hint() -> None:
    _, problems = parse("x.yaml", "title: [a\n")
    assert problems[0].rule == "yaml-syntax"
    assert problems[0].line == 2
    assert "check indentation" in problems[0].message


def test_dates_stay_text_and_text_is_nfc() -> None:
    doc, _ = parse("x.yaml", 'when: 2024-01-02\nword: "a\\u0306"\n')
    assert doc.data == {"when": "2024-01-02", "word": "ă"}


def test_bom_is_accepted_and_other_encodings_are_not() -> None:
    assert decode("x.yaml", "\ufefftitle: ă".encode())[0] == "title: ă"
    text, problems = decode("x.yaml", "title: ă\nb: ş".encode("iso-8859-2"))
    assert text is None
    assert (problems[0].rule, problems[0].line, problems[0].col) == ("encoding", 1, 8)


@pytest.mark.parametrize("raw", [b"\x00\x01binary", b"a: " + b"x" * 1_100_000])
def test_binary_and_oversized_files_are_refused(raw: bytes) -> None:
    text, problems = decode("x.yaml", raw)
    assert text is None
    assert problems[0].rule == "encoding"


def test_load_reports_paths_relative_to_the_project(tmp_path: Path) -> None:
    file = tmp_path / "content" / "ro" / "x.yaml"
    file.parent.mkdir(parents=True)
    file.write_text("a: 1\na: 2\n", encoding="utf-8")
    _, problems = load(tmp_path, file)
    assert problems[0].path == "content/ro/x.yaml"
