"""`guidegen check --fix` and the text edits behind it: only the faulty letters change."""

from __future__ import annotations

from pathlib import Path

import pytest

from guidegen.cli import main
from guidegen.fix import set_field
from tests.test_check import broken_project

ODD = """\
# Comentariu cu ş, care rămâne așa cum e\x20\x20\x20
title:   'Ghidul ştiinţei'   # comentariu cu ţ
description: "Descriere cu \\"ghilimele\\" şi Ţări"
question: >-
  Întrebare
  despre Şcoală?
picture: Imagine.
promise: Promisiune.
proof:
  examples: [{title: "Exemplu ş", text: 'Aşa e'}]
faq:
  - question: Ce faci?   # ş în comentariu
    answer: |
      Răspuns pe
      două rânduri cu ţ.
"""

FIXED = """\
# Comentariu cu ş, care rămâne așa cum e\x20\x20\x20
title:   'Ghidul științei'   # comentariu cu ţ
description: "Descriere cu \\"ghilimele\\" și Țări"
question: >-
  Întrebare
  despre Școală?
picture: Imagine.
promise: Promisiune.
proof:
  examples: [{title: "Exemplu ș", text: 'Așa e'}]
faq:
  - question: Ce faci?   # ş în comentariu
    answer: |
      Răspuns pe
      două rânduri cu ț.
"""


@pytest.mark.parametrize(("newline", "bom"), [("\n", b""), ("\r\n", b"\xef\xbb\xbf")])
def test_fix_changes_only_cedilla_letters_in_values(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], newline: str, bom: bytes
) -> None:
    root = broken_project(tmp_path, "cedilla")
    file = root / "content" / "ro" / "base.yaml"
    file.write_bytes(bom + ODD.replace("\n", newline).encode("utf-8"))
    (root / "content" / "pl" / "base.yaml").unlink()
    before = main(["--root", str(root), "check"])
    assert "[cedilla]" in capsys.readouterr().out and before == 1
    assert main(["--root", str(root), "check", "--fix"]) == 0
    captured = capsys.readouterr()
    assert "[cedilla]" not in captured.out
    assert "content/ro/base.yaml: fixed 8 character(s)" in captured.err
    assert file.read_bytes() == bom + FIXED.replace("\n", newline).encode("utf-8")


def test_fix_leaves_polish_files_and_unparsable_files_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = broken_project(tmp_path, "yaml-syntax")
    polish = root / "content" / "pl" / "base.yaml"
    polish.write_text(polish.read_text("utf-8") + "# ş\n", encoding="utf-8")
    before = polish.read_bytes()
    assert main(["--root", str(root), "check", "--fix"]) == 1
    assert polish.read_bytes() == before
    assert "fixed" not in capsys.readouterr().err


def test_set_field_edits_existing_scalars_keeping_quotes_and_comments() -> None:
    text = "title: T  # c\ntranslated_from:\n  source: ro # s\n  fingerprint: 'aaaaaaaaaaaa'\n"
    updated = set_field(
        "x.yaml", text, "translated_from", {"source": "ro", "fingerprint": "0123456789ab"}
    )
    assert updated == text.replace("aaaaaaaaaaaa", "0123456789ab")


def test_set_field_quotes_a_fingerprint_that_would_read_as_a_number() -> None:
    text = "title: T\ntranslated_from: {source: ro, fingerprint: abcdefabcdef}\n"
    updated = set_field(
        "x.yaml", text, "translated_from", {"source": "ro", "fingerprint": "123456789012"}
    )
    assert updated == 'title: T\ntranslated_from: {source: ro, fingerprint: "123456789012"}\n'


def test_set_field_appends_a_missing_field_with_the_file_line_endings() -> None:
    text = "title: T\r\n# last comment"
    updated = set_field(
        "x.yaml", text, "translated_from", {"source": "pl", "fingerprint": "0123456789ab"}
    )
    assert (
        updated == text + "\r\ntranslated_from:\r\n  source: pl\r\n  fingerprint: 0123456789ab\r\n"
    )


def test_set_field_rewrites_an_incomplete_block_in_place() -> None:
    text = "title: T\ntranslated_from:\n  source: ro\n# keep me\nfaq: []\n"
    updated = set_field(
        "x.yaml", text, "translated_from", {"source": "ro", "fingerprint": "0123456789ab"}
    )
    assert updated == (
        "title: T\ntranslated_from:\n  source: ro\n  fingerprint: 0123456789ab\n"
        "# keep me\nfaq: []\n"
    )
