"""`guidegen status`: missing, unmarked, current and stale translations, and --mark."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from guidegen.cli import main
from tests.test_check import BASE


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A clean two-language project."""
    shutil.copytree(BASE, tmp_path / "project")
    return tmp_path / "project"


def states(root: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, dict[str, str]]:
    """Return slug -> language -> state from `status --format json`."""
    assert main(["--root", str(root), "status", "--format", "json"]) == 0
    guides = json.loads(capsys.readouterr().out)["guides"]
    return {g["slug"]: {v["lang"]: v["state"] for v in g["versions"]} for g in guides}


def mark(root: Path, target: str, capsys: pytest.CaptureFixture[str]) -> str:
    """Run `status --mark` and return what it printed."""
    assert main(["--root", str(root), "status", "--mark", target]) == 0
    return capsys.readouterr().out


def test_a_translation_goes_from_unmarked_to_current_to_stale_and_back(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert states(root, capsys) == {"base": {"ro": "source", "pl": "unmarked"}}
    assert "content/pl/base.yaml: marked up to date with its ro source" in mark(
        root, "pl/base", capsys
    )
    assert states(root, capsys) == {"base": {"ro": "source", "pl": "current"}}
    source = root / "content" / "ro" / "base.yaml"
    source.write_text(source.read_text("utf-8").replace("Vei ști", "Vei afla"), "utf-8")
    assert states(root, capsys) == {"base": {"ro": "source", "pl": "stale"}}
    assert main(["--root", str(root), "check"]) == 0
    assert "[stale-translation]" in capsys.readouterr().out
    mark(root, "pl/base", capsys)
    assert states(root, capsys) == {"base": {"ro": "source", "pl": "current"}}


def test_comments_and_layout_of_the_source_do_not_make_a_translation_stale(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mark(root, "pl/base", capsys)
    source = root / "content" / "ro" / "base.yaml"
    text = source.read_text("utf-8")
    source.write_text(
        "# a note for editors\n"
        + text.replace("kpi_tables: [mini-kpis]", "kpi_tables:\n  - mini-kpis")
    )
    assert states(root, capsys) == {"base": {"ro": "source", "pl": "current"}}


def test_mark_keeps_every_other_byte_of_the_translation(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = root / "content" / "pl" / "base.yaml"
    original = "# Tłumaczenie  \n" + file.read_text("utf-8").replace(
        "title: Zaufanie klientów", "title:   'Zaufanie klientów'  # tytuł"
    )
    file.write_text(
        original + "translated_from: {source: ro, fingerprint: 'ffffffffffff'}  # znacznik\n",
        "utf-8",
    )
    mark(root, "pl/base", capsys)
    marked = file.read_text("utf-8")
    assert marked.startswith(original)
    tail = marked[len(original) :]
    assert tail.startswith("translated_from: {source: ro, fingerprint: '")
    assert tail.endswith("'}  # znacznik\n") and "ffffffffffff" not in tail


def test_missing_translation_is_reported_with_what_to_do(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copy(root / "content" / "ro" / "base.yaml", root / "content" / "ro" / "solo.yaml")
    assert states(root, capsys)["solo"] == {"ro": "source", "pl": "missing"}
    assert main(["--root", str(root), "status"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[:3] == [
        "guide  ro        pl",
        "base   source    UNMARKED",
        "solo   source    MISSING",
    ]
    assert "pl/solo: missing: create content/pl/solo.yaml" in out
    assert out.splitlines()[-1] == "0 stale, 1 unmarked, 1 missing, 0 invalid"


def test_a_broken_translation_is_invalid_and_cannot_be_marked(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = root / "content" / "pl" / "base.yaml"
    file.write_text(
        file.read_text("utf-8").replace("    answer: Wskaźnik rekomendacji netto.\n", ""), "utf-8"
    )
    assert states(root, capsys) == {"base": {"ro": "source", "pl": "invalid"}}
    before = file.read_bytes()
    assert main(["--root", str(root), "status", "--mark", "pl/base"]) == 1
    assert "[faq-without-answer]" in capsys.readouterr().err
    assert file.read_bytes() == before


def test_marking_a_guide_without_source_or_file_fails_cleanly(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (root / "content" / "pl" / "base.yaml").unlink()
    assert main(["--root", str(root), "status", "--mark", "ro/base"]) == 1
    assert "exists only in ro" in capsys.readouterr().err
    assert main(["--root", str(root), "status", "--mark", "pl/base"]) == 1
    assert "there is no guide content/pl/base.yaml" in capsys.readouterr().err
